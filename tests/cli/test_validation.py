"""`skm validate` and ``skolemiljo.schema.validation``: every schema error, at the right line, never a name.

The reference record (``../shared/spec/sak-eksempel.yaml``, copied to ``tests/data/``) is put into a fresh case
repository. It validates at its status (``tiltak``); removing any field that status
requires makes ``skm validate`` fail with ``FILE:LINE: [schema] path: mangler (§ …)`` at
the line of the parent that lacks it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REFERENCE_CASE, SHARED_REFERENCE_CASE, commits, make_case, snapshot
from skolemiljo.domain import requirements
from skolemiljo.domain.model import format_path
from skolemiljo.schema.validation import hjemmel_for, validate_bytes, validate_text

REF_ID = "2026-0007"
REF_FILE = f"cases/{REF_ID}.yaml"
# Words from the reference record's pupil and free text: never in validate's output.
PRIVATE = ("Ingrid", "Fjeldstad", "gruppechat", "makker", "Sara Lunde", "Per Haugen")


@pytest.fixture(scope="session")
def reference_text() -> str:
    return REFERENCE_CASE.read_text(encoding="utf-8")


def test_the_copy_of_the_reference_record_is_current() -> None:
    if not SHARED_REFERENCE_CASE.is_file():
        pytest.skip(f"{SHARED_REFERENCE_CASE} is not here (a clone without ../shared): using the copy in tests/data")
    assert REFERENCE_CASE.read_bytes() == SHARED_REFERENCE_CASE.read_bytes()


@pytest.fixture
def reference_repo(case_repo: Path, reference_text: str) -> Path:
    (case_repo / REF_FILE).write_text(reference_text, encoding="utf-8")
    return case_repo


def line_of(text: str, prefix: str) -> int:
    """The 1-based number of the only line starting with ``prefix``."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(prefix)]
    assert len(found) == 1, f"{prefix!r} is on lines {found}"
    return found[0]


def remove_field(text: str, prefix: str) -> str:
    """Remove the line starting with ``prefix`` and every more-indented line under it.

    A key at the same indentation whose value is a block list (``key:`` then ``- item``)
    loses its items too.
    """
    lines = text.split("\n")
    at = line_of(text, prefix) - 1
    indent = len(lines[at]) - len(lines[at].lstrip())
    end = at + 1
    while end < len(lines) and lines[end].strip():
        own = len(lines[end]) - len(lines[end].lstrip())
        if own > indent or (own == indent and lines[end].lstrip().startswith("- ")
                            and not lines[at].lstrip().startswith("- ")):
            end += 1
        else:
            break
    return "\n".join(lines[:at] + lines[end:])


def assert_nothing_private(output: str) -> None:
    for word in PRIVATE:
        assert word not in output


# ------------------------------------------------------------- the reference record

def test_the_reference_record_validates_at_its_status(skm, reference_repo: Path, reference_text: str) -> None:
    assert re.search(r"^status: tiltak\b", reference_text, re.MULTILINE)
    result = skm("validate", cwd=reference_repo)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr == "Saken er gyldig.\n"
    explicit = skm("validate", REF_FILE, cwd=reference_repo)
    assert explicit.exit_code == 0
    assert explicit.stderr == "Saken er gyldig.\n"


def test_the_reference_record_has_what_every_tiltak_rule_asks(reference_text: str) -> None:
    from skolemiljo.storage import yamlio

    data = yamlio.load(reference_text)
    assert requirements.missing_for(data, "tiltak") == []


# (what is removed, the line that is removed, the parent line the finding points at, the message)
REQUIRED_AT_TILTAK = [
    ("varsling.rektor", "  rektor: {dato", "varsling:", "varsling.rektor: mangler (§ 12-4 andre ledd)"),
    ("undersokelse.startet", "  startet: ", "undersokelse:",
     "undersokelse.startet: mangler (§ 12-4 andre ledd)"),
    ("undersokelse.elevens_opplevelse", "  elevens_opplevelse: Eleven opplever", "undersokelse:",
     "undersokelse.elevens_opplevelse: mangler (§ 12-4)"),
    ("undersokelse.konklusjon", "  konklusjon: ", "undersokelse:",
     "undersokelse.konklusjon: mangler (§ 12-4 andre ledd)"),
    ("undersokelse.aktiviteter[0].oppsummering", "      oppsummering: Eleven beskriver", "    - dato: 2026-10-13",
     "undersokelse.aktiviteter[0].oppsummering: mangler (§ 12-4 fjerde ledd)"),
    ("elevens_stemme", "elevens_stemme:", "id: ", "elevens_stemme: mangler (§ 10-2)"),
    ("elevens_stemme[0].synspunkter", "    synspunkter: ", "  - dato: 2026-10-16",
     "elevens_stemme[0].synspunkter: mangler (§ 10-2)"),
    ("barnets_beste", "barnets_beste:", "id: ", "barnets_beste: mangler (§ 10-1)"),
    ("barnets_beste.vurdering", "  vurdering: ", "barnets_beste:", "barnets_beste.vurdering: mangler (§ 10-1)"),
    ("aktivitetsplan", "aktivitetsplan:", "id: ", "aktivitetsplan: mangler (§ 12-4 tredje ledd)"),
    ("aktivitetsplan.dato", "  dato: 2026-10-16\n  problem", "aktivitetsplan:",
     "aktivitetsplan.dato: mangler (§ 12-4 tredje ledd)"),
    ("aktivitetsplan.problem", "  problem: ", "aktivitetsplan:",
     "aktivitetsplan.problem: mangler (§ 12-4 tredje ledd bokstav a)"),
    ("aktivitetsplan.tiltak", "  tiltak:", "aktivitetsplan:",
     "aktivitetsplan.tiltak: mangler (§ 12-4 tredje ledd bokstav b)"),
    ("aktivitetsplan.tiltak[0].beskrivelse", "      beskrivelse: Miljøarbeider", "    - id: T1",
     "aktivitetsplan.tiltak[0].beskrivelse: mangler (§ 12-4 tredje ledd bokstav b)"),
    ("aktivitetsplan.tiltak[0].fra", "      fra: 2026-10-19  ", "    - id: T1",
     "aktivitetsplan.tiltak[0].fra: mangler (§ 12-4 tredje ledd bokstav c)"),
    ("aktivitetsplan.tiltak[0].til", "      til: 2026-11-20", "    - id: T1",
     "aktivitetsplan.tiltak[0].til: mangler (§ 12-4 tredje ledd bokstav c)"),
    ("aktivitetsplan.tiltak[0].ansvarlig", "      ansvarlig: Miljøarbeider", "    - id: T1",
     "aktivitetsplan.tiltak[0].ansvarlig: mangler (§ 12-4 tredje ledd bokstav d)"),
    ("aktivitetsplan.tiltak[0].evalueres", "      evalueres: 2026-10-30", "    - id: T1",
     "aktivitetsplan.tiltak[0].evalueres: mangler (§ 12-4 tredje ledd bokstav e)"),
    ("aktivitetsplan.tiltak[1].ansvarlig", "      ansvarlig: Avdelingsleder", "    - id: T2",
     "aktivitetsplan.tiltak[1].ansvarlig: mangler (§ 12-4 tredje ledd bokstav d)"),
    ("aktivitetsplan.tiltak[1].evalueres", "      evalueres: 2026-11-06", "    - id: T2",
     "aktivitetsplan.tiltak[1].evalueres: mangler (§ 12-4 tredje ledd bokstav e)"),
]


def _removal(prefix: str) -> tuple[str, str | None]:
    """``"  dato: x\\n  problem"`` means: remove the ``  dato: x`` line that comes before ``  problem``."""
    head, _, after = prefix.partition("\n")
    return head, after or None


def remove(text: str, prefix: str) -> str:
    head, after = _removal(prefix)
    if after is None:
        return remove_field(text, head)
    target = head + "\n" + after
    assert text.count(target) == 1
    return text.replace(target, after)


@pytest.mark.parametrize("field,removed,parent,message", REQUIRED_AT_TILTAK, ids=[r[0] for r in REQUIRED_AT_TILTAK])
def test_removing_a_required_field_fails_at_the_parents_line(skm, reference_repo: Path, reference_text: str,
                                                             field: str, removed: str, parent: str,
                                                             message: str) -> None:
    text = remove(reference_text, removed)
    assert text != reference_text
    (reference_repo / REF_FILE).write_text(text, encoding="utf-8")
    before = snapshot(reference_repo)
    result = skm("validate", cwd=reference_repo)
    assert result.exit_code == 1
    assert result.stdout == f"{REF_FILE}:{line_of(text, parent)}: [schema] {message}\n"
    assert result.stderr == "1 sak av 1 har feil.\n"
    assert_nothing_private(result.stdout + result.stderr)
    assert snapshot(reference_repo) == before


def test_missing_aktiviteter_cites_its_paragraph(skm, reference_repo: Path, reference_text: str) -> None:
    text = remove_field(reference_text, "  aktiviteter:")
    (reference_repo / REF_FILE).write_text(text, encoding="utf-8")
    result = skm("validate", cwd=reference_repo)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{REF_FILE}:{line_of(text, 'undersokelse:')}: [schema] "
                                    "undersokelse.aktiviteter: mangler (§ 12-4")


def test_every_error_is_reported_in_line_order(skm, reference_repo: Path, reference_text: str) -> None:
    text = reference_text
    for prefix in ("      evalueres: 2026-11-06", "  konklusjon: ", "  rektor: {dato"):
        text = remove_field(text, prefix)
    text = text.replace("  mottatt: 2026-10-12", "  mottatt: 2026-02-30")
    (reference_repo / REF_FILE).write_text(text, encoding="utf-8")
    result = skm("validate", cwd=reference_repo)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{REF_FILE}:{line_of(text, '  mottatt: ')}: [schema] melding.mottatt: 2026-02-30 er ikke en gyldig dato",
        f"{REF_FILE}:{line_of(text, 'varsling:')}: [schema] varsling.rektor: mangler (§ 12-4 andre ledd)",
        f"{REF_FILE}:{line_of(text, 'undersokelse:')}: [schema] undersokelse.konklusjon: mangler (§ 12-4 andre ledd)",
        f"{REF_FILE}:{line_of(text, '    - id: T2')}: [schema] aktivitetsplan.tiltak[1].evalueres: mangler "
        "(§ 12-4 tredje ledd bokstav e)",
    ]


@pytest.mark.parametrize("sakstype,alvorlig,ground", [
    ("ansatt-elev", "false", "§ 12-5"),
    ("ledelse-elev", "false", "§ 12-5"),
    ("elev-elev", "true", "§ 12-5"),
])
def test_skoleeier_must_be_notified_in_12_5_and_serious_cases(reference_text: str, sakstype: str, alvorlig: str,
                                                              ground: str) -> None:
    text = reference_text.replace("sakstype: elev-elev", f"sakstype: {sakstype}").replace(
        "alvorlig: false", f"alvorlig: {alvorlig}")
    _data, findings = validate_text(text, REF_FILE)
    assert [f.format() for f in findings] == [
        f"{REF_FILE}:{line_of(text, '  skoleeier:')}: [schema] varsling.skoleeier: mangler ({ground})"]


def test_ledelse_elev_does_not_need_rektor(reference_text: str) -> None:
    text = remove_field(reference_text.replace("sakstype: elev-elev", "sakstype: ledelse-elev"), "  rektor: {dato")
    text = text.replace("  skoleeier: null", "  skoleeier: {dato: 2026-10-12, av: Per Haugen}")
    assert validate_text(text, REF_FILE)[1] == []


# --------------------------------------------------------------- other schema errors

OTHER_ERRORS = [
    ("date", ("  mottatt: 2026-10-12", "  mottatt: 2026-02-30"), "  mottatt:",
     "melding.mottatt: 2026-02-30 er ikke en gyldig dato"),
    ("date-format", ("  mottatt: 2026-10-12", "  mottatt: 12.10.2026"), "  mottatt:",
     "melding.mottatt: datoen må skrives som ÅÅÅÅ-MM-DD"),
    ("nullable-date", ("  avsluttet: 2026-10-16", "  avsluttet: 2026-02-30"), "  avsluttet:",
     "undersokelse.avsluttet: 2026-02-30 er ikke en gyldig dato"),
    ("til-before-fra", ("      til: 2026-11-20", "      til: 2026-10-01"), "      til: 2026-10-01",
     "aktivitetsplan.tiltak[0].til: er før fra (§ 12-4 tredje ledd bokstav c)"),
    ("status", ("status: tiltak ", "status: åpen "), "status:",
     "status: ugyldig verdi; lovlige verdier er mottatt, undersokes, tiltak, avsluttet"),
    ("sakstype", ("sakstype: elev-elev", "sakstype: mobbing"), "sakstype:",
     "sakstype: ugyldig verdi; lovlige verdier er elev-elev, ansatt-elev, ledelse-elev, radikalisering, annet"),
    ("case-id", ("id: 2026-0007", "id: 26-7"), "id:",
     "id: må være årstall og løpenummer, for eksempel 2026-0007"),
    ("tiltak-id", ("    - id: T2", "    - id: X2"), "    - id: X2",
     "aktivitetsplan.tiltak[1].id: tiltaks-id må være T1, T2, …"),
    ("duplicate-kategori", ("[utestenging, digital-mobbing]", "[utestenging, utestenging]"), "kategorier:",
     "kategorier: samme verdi står flere ganger"),
    ("boolean", ("  under_18: true", "  under_18: 'ja'"), "  under_18:",
     "elev.under_18: forventet ja/nei (true/false)"),
    ("number-for-text", ("  klasse: 2STB", "  klasse: 0150"), "  klasse:",
     "elev.klasse: forventet tekst, men YAML leste et tall (for eksempel 0150 eller 12:30); "
     "sett teksten i anførselstegn"),
    ("time-for-text", ("  klasse: 2STB", "  klasse: 12:30"), "  klasse:",
     "elev.klasse: forventet tekst, men YAML leste et tall (for eksempel 0150 eller 12:30); "
     "sett teksten i anførselstegn"),
    ("bool-for-text", ("  klasse: 2STB", "  klasse: off"), "  klasse:",
     "elev.klasse: forventet tekst, men YAML leste en ja/nei-verdi (yes/no/on/off/true/false); "
     "sett teksten i anførselstegn"),
    ("videre", ("          videre: fortsett", "          videre: kanskje"), "          videre:",
     "aktivitetsplan.tiltak[0].evalueringer[0].videre: ugyldig verdi; lovlige verdier er fortsett, endre, avslutt"),
]


@pytest.mark.parametrize("old_new,at,message", [e[1:] for e in OTHER_ERRORS], ids=[e[0] for e in OTHER_ERRORS])
def test_schema_errors_have_norwegian_messages_and_lines(skm, reference_repo: Path, reference_text: str, old_new,
                                                         at: str, message: str) -> None:
    old, new = old_new
    assert reference_text.count(old) == 1
    text = reference_text.replace(old, new)
    (reference_repo / REF_FILE).write_text(text, encoding="utf-8")
    result = skm("validate", REF_FILE, cwd=reference_repo)
    assert result.exit_code == 1
    assert result.stdout == f"{REF_FILE}:{line_of(text, at)}: [schema] {message}\n"
    assert_nothing_private(result.stdout + result.stderr)


def test_a_typo_in_a_field_name_names_both_fields(reference_text: str) -> None:
    text = reference_text.replace("  klasse: 2STB", "  klase: 2STB")
    assert [f.format() for f in validate_text(text, REF_FILE)[1]] == [
        f"{REF_FILE}:{line_of(text, 'elev:')}: [schema] elev.klasse: mangler",
        f"{REF_FILE}:{line_of(text, '  klase:')}: [schema] elev.klase: ukjent felt (skrivefeil?)",
    ]


@pytest.mark.parametrize("old,new,at,message", [
    ("  mottatt: 2026-10-12", "  mottatt: Ingrid Fjeldstad", "  mottatt:",
     "melding.mottatt: datoen må skrives som ÅÅÅÅ-MM-DD"),
    ("  avsluttet: 2026-10-16", "  avsluttet: Ingrid Fjeldstad", "  avsluttet:",
     "undersokelse.avsluttet: datoen må skrives som ÅÅÅÅ-MM-DD"),
    ("  klasse: 2STB", "  klasse: 2STB\n  Ingrid Fjeldstad: true", "  Ingrid",
     "elev: ukjent felt på denne linjen (skrivefeil?)"),
    ("id: 2026-0007", "id: 2026-0007\nIngrid Fjeldstad: 2STB", "Ingrid",
     "(saken): ukjent felt på denne linjen (skrivefeil?)"),
    ("  under_18: true", "  under_18: Ingrid Fjeldstad", "  under_18:",
     "elev.under_18: forventet ja/nei (true/false)"),
    ("kategorier: [utestenging, digital-mobbing]", "kategorier: [Ingrid Fjeldstad]", "kategorier:",
     "kategorier[0]: ugyldig verdi"),
], ids=["name-in-date", "name-in-nullable-date", "name-as-key", "name-as-top-key", "name-in-boolean",
        "name-in-kategori"])
def test_a_name_in_the_wrong_place_is_not_echoed(skm, reference_repo: Path, reference_text: str, old: str,
                                                 new: str, at: str, message: str) -> None:
    text = reference_text.replace(old, new)
    (reference_repo / REF_FILE).write_text(text, encoding="utf-8")
    result = skm("validate", cwd=reference_repo)
    assert result.exit_code == 1
    assert result.stdout == f"{REF_FILE}:{line_of(text, at)}: [schema] {message}\n"
    assert_nothing_private(result.stdout + result.stderr)


def test_a_duplicate_key_that_may_be_a_name_is_not_echoed(reference_text: str) -> None:
    text = reference_text.replace("  klasse: 2STB", "  Ingrid Fjeldstad: 1\n  Ingrid Fjeldstad: 2\n  klasse: 2STB")
    _data, findings = validate_text(text, REF_FILE)
    first = line_of(text, "  Ingrid Fjeldstad: 1")
    assert [f.format() for f in findings] == [
        f"{REF_FILE}:{first + 1}: [yaml] Et felt står to ganger (linje {first} og {first + 1}); bare ett kan gjelde."]


# ------------------------------------------------------------------ validate itself

def test_validate_every_case_by_default_and_counts_the_bad_ones(skm, case_repo: Path) -> None:
    for _ in range(3):
        make_case(case_repo)
    path = case_repo / "cases" / "2026-0002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: mottatt", "status: undersokes"),
                    encoding="utf-8")
    result = skm("validate", cwd=case_repo)
    assert result.exit_code == 1
    assert result.stdout == "cases/2026-0002.yaml:18: [schema] varsling.rektor: mangler (§ 12-4 andre ledd)\n"
    assert result.stderr == "1 sak av 3 har feil.\n"
    path.write_text(path.read_text(encoding="utf-8").replace("status: undersokes", "status: tiltak"),
                    encoding="utf-8")
    (case_repo / "cases" / "2026-0003.yaml").write_bytes(b"\xff")
    result = skm("validate", cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr == "2 saker av 3 har feil.\n"
    assert result.stdout.splitlines()[-1] == (
        "cases/2026-0003.yaml:1: [yaml] Fila er ikke gyldig UTF-8; lagre den som UTF-8.")


def test_validate_all_valid(skm, case_repo: Path) -> None:
    make_case(case_repo)
    make_case(case_repo)
    result = skm("validate", cwd=case_repo)
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "Alle 2 saker er gyldige.\n")


def test_validate_named_files_only(skm, case_repo: Path) -> None:
    make_case(case_repo)
    (case_repo / "cases" / "2026-0002.yaml").write_text("id: 2026-0002\n", encoding="utf-8")
    result = skm("validate", "cases/2026-0001.yaml", cwd=case_repo)
    assert result.exit_code == 0
    assert result.stderr == "Saken er gyldig.\n"


def test_validate_a_missing_file_is_a_usage_error(skm, case_repo: Path) -> None:
    result = skm("validate", "cases/2026-0099.yaml", cwd=case_repo)
    assert result.exit_code == 2
    assert result.stderr == "Feil: Fant ikke fila cases/2026-0099.yaml.\n"


def test_validate_changes_nothing(skm, case_repo: Path) -> None:
    make_case(case_repo)
    (case_repo / "cases" / "2026-0002.yaml").write_text("id: 2026-0002\n", encoding="utf-8")
    before = snapshot(case_repo)
    assert skm("validate", cwd=case_repo).exit_code == 1
    assert snapshot(case_repo) == before
    assert len(commits(case_repo)) == 2


def test_a_case_written_by_skm_is_valid(case_repo: Path) -> None:
    for sakstype in ("elev-elev", "ansatt-elev", "ledelse-elev", "annet"):
        case_id = make_case(case_repo, sakstype=sakstype, alvorlig=True, kategorier=[])
        raw = (case_repo / "cases" / f"{case_id}.yaml").read_bytes()
        assert validate_bytes(raw, case_id)[1] == []


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n", "42\n"])
def test_a_file_that_is_not_a_mapping(text: str) -> None:
    _data, findings = validate_text(text, "x.yaml")
    assert [f.format() for f in findings] == [
        "x.yaml:1: [schema] fila er ikke en sak (forventet et sett med felt øverst)"]


def test_format_path() -> None:
    assert format_path(("aktivitetsplan", "tiltak", 0, "evalueres")) == "aktivitetsplan.tiltak[0].evalueres"
    assert format_path(()) == "(saken)"
    # A key that is no field name may be a pupil's name: never printed (issue 13.9).
    assert format_path(("elev", "Sofie Lindqvist")) == "elev.ukjent felt"


def test_merge_paths_use_the_same_format_path() -> None:
    from skolemiljo.domain.merge import Item, Region, format_path as merge_path

    assert merge_path(("aktivitetsplan", "tiltak", Item("T2"), "ansvarlig")) == "aktivitetsplan.tiltak[T2].ansvarlig"
    assert merge_path(("aktivitetsplan", "tiltak", Item("Jonas Berntsen"), "ansvarlig")) == \
        "aktivitetsplan.tiltak[ugyldig id].ansvarlig"
    assert merge_path(("logg", Region(1))) == "logg (del 1)"
    assert merge_path(("elev", "Sofie Lindqvist")) == "elev.ukjent felt"
    assert merge_path(()) == "(hele saken)"
    assert hjemmel_for(("aktivitetsplan", "tiltak", 3, "ansvarlig")) == "§ 12-4 tredje ledd bokstav d"
    assert hjemmel_for(("elev", "klasse")) is None
    assert hjemmel_for(("elev", "navn")) == "§ 12-4 tredje ledd"  # identified before the plan (issue 14.11)


def _strict(text: str, file: str) -> list:
    from skolemiljo.schema.validation import validate_record
    from skolemiljo.storage import yamlio

    return validate_record(yamlio.load(text), text, file)


@pytest.mark.parametrize("old_new", [
    None, ("status: tiltak", "status: avsluttet"), ("under_18: true", "under_18: nei"),
    ("sakstype: elev-elev", "sakstype: ledelse-elev"), ("id: ", "idd: "), ("    - id: T1", "    - id: T1\n      x: 1"),
])
def test_validate_through_the_fast_reader_judges_like_the_strict_loader(reference_text: str, old_new) -> None:
    """``validate`` reads a valid file with the fast reader and no line map (issue 17); a file with
    findings (or one the fast reader declines) is read again strictly: the findings are the same."""
    from skolemiljo.storage import fastyaml

    text = reference_text if old_new is None else reference_text.replace(*old_new, 1)
    assert old_new is None or text != reference_text
    assert fastyaml.parse(text) is None or fastyaml.parse(text)[0] == __import__(
        "skolemiljo.storage.yamlio", fromlist=["load"]).load(text)
    data, findings = validate_text(text, "cases/2026-0007.yaml")
    assert findings == _strict(text, "cases/2026-0007.yaml")
    assert (not findings) == (old_new is None)


def test_validate_in_a_process_pool_reports_the_same_in_the_same_order(skm, case_repo: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from skolemiljo.schema import validation

    for _ in range(3):
        make_case(case_repo)
    broken = case_repo / "cases" / "2026-0002.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("status: mottatt", "status: ukjent"), encoding="utf-8")
    alone = skm("validate", cwd=case_repo)
    monkeypatch.setattr(validation, "PARALLEL_MIN", 1)
    pooled = skm("validate", cwd=case_repo)
    assert alone.exit_code == pooled.exit_code == 1
    assert pooled.stdout == alone.stdout and pooled.stdout.startswith("cases/2026-0002.yaml:")
    assert pooled.stderr == alone.stderr == "1 sak av 3 har feil.\n"
