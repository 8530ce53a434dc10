"""Bad case files through `skm validate` (and `show`/`list`/`edit`): a clear Norwegian message with
a line number, exit code 1, no file changed and no commit; never a traceback, never a name.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import case_file, commits, git, make_case, snapshot
from skolemiljo.storage import yamlio
from skolemiljo.errors import InvalidCaseError
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.schema.validation import validate_bytes, validate_text

BAD_ID = "2026-0002"
BAD_FILE = f"cases/{BAD_ID}.yaml"
NAME = ("Kari", "Nordmann")

NUMBER_FOR_TEXT = ("forventet tekst, men YAML leste et tall (for eksempel 0150 eller 12:30); "
                   "sett teksten i anførselstegn")
BOOL_FOR_TEXT = ("forventet tekst, men YAML leste en ja/nei-verdi (yes/no/on/off/true/false); "
                 "sett teksten i anførselstegn")


def replaced(old: str, new: str) -> Callable[[str, Path], bytes]:
    def build(text: str, _tmp: Path) -> bytes:
        assert text.count(old) == 1, old
        return text.replace(old, new).encode("utf-8")
    return build


def billion_laughs(_text: str, _tmp: Path) -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def python_tag(text: str, tmp: Path) -> bytes:
    marker = tmp / "pwned"
    return text.replace("  klasse: 9B", f"  klasse: !!python/object/apply:os.system ['touch {marker}']").encode()


def oversized(text: str, _tmp: Path) -> bytes:
    """A valid case padded with a comment to one byte over the limit."""
    raw = text.encode() + b"# "
    return raw + b"x" * (yamlio.MAX_FILE_BYTES - len(raw)) + b"\n"


# The base is a case written by skm (2026-0001, copied with id 2026-0002): 1 modeline, 2 id, 3 status,
# 4 sakstype, 5 alvorlig, 6 kategorier, 7 - utestenging, 8 elev, 9 navn, 10 klasse, 11 under_18,
# 12 melding, 13 mottatt, 14 mottatt_av, 15 meldt_av, 16 beskrivelse.
BAD_INPUTS = [
    ("duplicate-key", replaced("status: mottatt\n", "status: mottatt\nstatus: tiltak\n"),
     4, "yaml", "Feltet «status» står to ganger (linje 3 og 4); bare ett kan gjelde."),
    ("duplicate-nested-key", replaced("  klasse: 9B\n", "  klasse: 9B\n  klasse: 9C\n"),
     11, "yaml", "Feltet «klasse» står to ganger (linje 10 og 11); bare ett kan gjelde."),
    ("tab", replaced("  klasse: 9B", "\tklasse: 9B"),
     10, "yaml", "Ugyldig YAML: tabulator (tab) er brukt; bruk mellomrom til innrykk."),
    ("anchor-alias", lambda text, _tmp: text.replace("  mottatt_av: Per", "  mottatt_av: &p Per").replace(
        "  av: Test Rektor", "  av: *p").encode(),
     14, "yaml", "YAML-ankre og -aliaser (& og *) er ikke tillatt i saksfiler; skriv verdien ut på nytt."),
    ("billion-laughs", billion_laughs,
     1, "yaml", "YAML-ankre og -aliaser (& og *) er ikke tillatt i saksfiler; skriv verdien ut på nytt."),
    ("merge-key", replaced("elev:\n", "elev:\n  <<: {navn: x}\n"),
     9, "yaml", "YAML-fletting (<<) er ikke tillatt i saksfiler."),
    ("python-tag", python_tag,
     10, "yaml", "Ugyldig YAML: ukjent eller usikker YAML-tagg er ikke tillatt."),
    ("timestamp-tag", replaced("  mottatt: 2026-11-20", "  mottatt: !!timestamp 2026-11-20"),
     13, "yaml", "Ugyldig YAML: taggen !!timestamp er ikke tillatt i saksfiler."),
    ("oversized", oversized,
     1, "yaml", "Fila er for stor (1 000 001 byte; grensen er 1 000 000)."),
    ("binary-garbage", lambda _text, _tmp: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)),
     1, "yaml", "Fila er ikke gyldig UTF-8; lagre den som UTF-8."),
    ("utf-16", lambda text, _tmp: text.encode("utf-16"),
     1, "yaml", "Fila er ikke gyldig UTF-8; lagre den som UTF-8."),
    ("latin-1", lambda text, _tmp: text.replace("Kari Nordmann", "Kari Ødegård").encode("latin-1"),
     9, "yaml", "Fila er ikke gyldig UTF-8; lagre den som UTF-8."),
    ("nul-byte", replaced("  klasse: 9B", "  klasse: 9B\x00"),
     10, "yaml", "Fila inneholder binære data (NUL-tegn)."),
    ("control-character", replaced("  klasse: 9B", "  klasse: 9\x1bB"),
     10, "yaml", "Ugyldig YAML: fila inneholder kontrolltegn eller binære data."),
    ("truncated", lambda text, _tmp: text[: text.index("Per Haugen") + 3].replace("mottatt_av: Per",
                                                                                 "mottatt_av: 'Per").encode(),
     14, "yaml", "Ugyldig YAML: fila slutter midt i en verdi (mangler avsluttende anførselstegn?)."),
    ("colon-in-text", replaced("  klasse: 9B", "  klasse: 9B: gruppe 2"),
     10, "yaml", "Ugyldig YAML: kolon på feil sted; sett teksten i anførselstegn."),
    ("empty", lambda _text, _tmp: b"",
     1, "schema", "fila er ikke en sak (forventet et sett med felt øverst)"),
    ("a-list", lambda _text, _tmp: b"- id: 2026-0002\n",
     1, "schema", "fila er ikke en sak (forventet et sett med felt øverst)"),
    ("number-0150-for-text", replaced("  klasse: 9B", "  klasse: 0150"), 10, "schema", f"elev.klasse: {NUMBER_FOR_TEXT}"),
    ("time-12:30-for-text", replaced("  klasse: 9B", "  klasse: 12:30"), 10, "schema", f"elev.klasse: {NUMBER_FOR_TEXT}"),
    ("float-for-text", replaced("  mottatt_av: Per Haugen (kontaktlærer)", "  mottatt_av: 1.5"),
     14, "schema", f"melding.mottatt_av: {NUMBER_FOR_TEXT}"),
    ("no-for-text", replaced("  klasse: 9B", "  klasse: no"), 10, "schema", f"elev.klasse: {BOOL_FOR_TEXT}"),
    ("off-for-text", replaced("  mottatt_av: Per Haugen (kontaktlærer)", "  mottatt_av: off"),
     14, "schema", f"melding.mottatt_av: {BOOL_FOR_TEXT}"),
    ("text-for-boolean", replaced("  under_18: true", "  under_18: ja"),
     11, "schema", "elev.under_18: forventet ja/nei (true/false)"),
    ("number-for-id", replaced("id: 2026-0002", "id: 20260002"), 2, "schema", f"id: {NUMBER_FOR_TEXT}"),
    ("impossible-date", replaced("  mottatt: 2026-11-20", "  mottatt: 2026-02-30"),
     13, "schema", "melding.mottatt: 2026-02-30 er ikke en gyldig dato"),
    ("list-for-text", replaced("  klasse: 9B", "  klasse: [9B, 9C]"), 10, "schema", "elev.klasse: forventet tekst"),
]


@pytest.fixture
def repo_with_case(case_repo: Path) -> Path:
    make_case(case_repo)
    return case_repo


def base_text(repo: Path) -> str:
    return case_file(repo, "2026-0001").read_text(encoding="utf-8").replace("id: 2026-0001", f"id: {BAD_ID}")


@pytest.mark.parametrize("build,line,check,message", [b[1:] for b in BAD_INPUTS], ids=[b[0] for b in BAD_INPUTS])
@pytest.mark.parametrize("committed", [False, True], ids=["untracked", "committed"])
def test_validate_reports_bad_input_clearly_and_changes_nothing(skm, repo_with_case: Path, tmp_path: Path, build,
                                                                line: int, check: str, message: str,
                                                                committed: bool) -> None:
    raw = build(base_text(repo_with_case), tmp_path)
    (repo_with_case / BAD_FILE).write_bytes(raw)
    if committed:
        git(repo_with_case, "add", BAD_FILE)
        git(repo_with_case, "commit", "-q", "-m", "lagt inn for hånd")
    before = snapshot(repo_with_case)
    started = time.perf_counter()
    result = skm("validate", cwd=repo_with_case)
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1
    assert result.stdout == f"{BAD_FILE}:{line}: [{check}] {message}\n"
    assert result.stderr == "1 sak av 2 har feil.\n"
    for word in NAME:
        assert word not in result.stdout + result.stderr
    assert snapshot(repo_with_case) == before
    assert (repo_with_case / BAD_FILE).read_bytes() == raw
    assert len(commits(repo_with_case)) == (3 if committed else 2)
    assert not (tmp_path / "pwned").exists()
    # Naming the file gives the same report.
    named = skm("validate", BAD_FILE, cwd=repo_with_case)
    assert (named.exit_code, named.stdout, named.stderr) == (1, result.stdout, "1 sak av 1 har feil.\n")


YAML_LEVEL = [b for b in BAD_INPUTS if b[3] == "yaml" or b[0] in ("empty", "a-list")]


@pytest.mark.parametrize("build,line,check,message", [b[1:] for b in YAML_LEVEL], ids=[b[0] for b in YAML_LEVEL])
def test_show_refuses_a_file_it_cannot_read(skm, repo_with_case: Path, tmp_path: Path, build, line: int, check: str,
                                            message: str) -> None:
    (repo_with_case / BAD_FILE).write_bytes(build(base_text(repo_with_case), tmp_path))
    before = snapshot(repo_with_case)
    for args in (["show", BAD_ID], ["show", BAD_ID, "--json", "--navn"]):
        result = skm(*args, cwd=repo_with_case)
        assert result.exit_code == 1
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert lines[0] == f"Feil: Sak {BAD_ID} kan ikke leses."
        if check == "yaml":
            assert lines[1:] == [f"  {BAD_FILE}:{line}: [yaml] {message}", f"Tips: Rett fila med `skm edit {BAD_ID}`."]
        else:
            assert lines[1:] == [f"  {BAD_FILE}:1: [schema] fila er ikke en sak"]
    assert snapshot(repo_with_case) == before
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("build", [b[1] for b in YAML_LEVEL], ids=[b[0] for b in YAML_LEVEL])
def test_list_marks_an_unreadable_case_and_goes_on(skm, repo_with_case: Path, tmp_path: Path, build) -> None:
    (repo_with_case / BAD_FILE).write_bytes(build(base_text(repo_with_case), tmp_path))
    result = skm("list", cwd=repo_with_case)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("2026-0001  mottatt")
    assert result.stdout.splitlines()[2].split() == [BAD_ID, "(ugyldig)"]
    assert result.stdout.splitlines()[-1] == "2 saker."


@pytest.mark.parametrize("text,message,finding", [
    ("skole: [\n", "Skoleinnstillingene kan ikke leses.", "skole.yaml:2: [yaml] Ugyldig YAML: ugyldig YAML-struktur."),
    ("skoleeier: x\n", "Skoleinnstillingene er ugyldige.", "skole.yaml:1: [innstillinger] skole: mangler skolens navn"),
    # At the line of the field.
    ("skole: x\nmalform: de\n", "Skoleinnstillingene er ugyldige.",
     "skole.yaml:2: [innstillinger] malform: må være nb eller nn"),
    ("skole: x\npdfa: 3\n", "Skoleinnstillingene er ugyldige.", "skole.yaml:2: [innstillinger] pdfa: må være 2b eller 1b"),
    # Line breaks and control characters in the one-line settings (issue 13, 11).
    ('# navn\nskole: "Fjordvik\\rBEGIN:VEVENT"\n', "Skoleinnstillingene er ugyldige.",
     "skole.yaml:2: [innstillinger] skole: kan ikke ha linjeskift (feltet står på én linje)"),
    ('skole: x\nskoleeier: "Vestland\\nfylkeskommune"\n', "Skoleinnstillingene er ugyldige.",
     "skole.yaml:2: [innstillinger] skoleeier: kan ikke ha linjeskift (feltet står på én linje)"),
    ('skole: "Fjordvik \\e[2J vgs"\n', "Skoleinnstillingene er ugyldige.",
     "skole.yaml:1: [innstillinger] skole: har et kontrolltegn (U+001B); fjern det"),
    ('skole: x\narkiv:\n  arkivdel: Elevmapper\n  klassetittel: "Skolemiljø\\r\\n<x/>"\n',
     "Skoleinnstillingene er ugyldige.",
     "skole.yaml:4: [innstillinger] arkiv.klassetittel: kan ikke ha linjeskift (feltet står på én linje)"),
    ('skole: x\nskm_indeks: "https://pypi.kommune.no/\\e]0;x\\a"\n', "Skoleinnstillingene er ugyldige.",
     "skole.yaml:2: [innstillinger] skm_indeks: har et kontrolltegn (U+001B); fjern det"),
])
def test_a_bad_settings_file_is_a_finding(case_repo: Path, text: str, message: str, finding: str) -> None:
    (case_repo / "skole.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidCaseError) as caught:
        CaseRepo(case_repo).settings()
    assert caught.value.message == message
    assert [f.format() for f in caught.value.findings] == [finding]


def test_a_new_case_never_reads_the_bad_files(repo_with_case: Path) -> None:
    """A broken case does not block registering a new melding (the next id still counts it)."""
    (repo_with_case / BAD_FILE).write_bytes(b"\xff\xfe")
    git(repo_with_case, "add", BAD_FILE)
    git(repo_with_case, "commit", "-q", "-m", "lagt inn for hånd")
    new_id = make_case(repo_with_case)
    assert new_id == "2026-0003"
    assert commits(repo_with_case)[-1][2] == ("cases/2026-0003.yaml",)


# ------------------------------------------------------------------- fuzzing the reader

@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_findings_never_an_exception(raw: bytes) -> None:
    _data, findings = validate_bytes(raw, BAD_FILE)
    for finding in findings:
        assert finding.file == BAD_FILE and finding.line >= 1 and finding.message


yaml_ish = st.lists(st.sampled_from([
    "id: 2026-0001", "status: tiltak", "elev:", "  navn: x", "  klasse: no", "- a", "  - b", "\t", "&a", "*a", "<<:",
    "!!python/name:os.system", "? [a]", ": b", "'", '"', "|", ">", "{", "}", "[", "]", ",", "#", "%YAML 1.1", "---",
    "...", "  under_18: 12:30", "aktivitetsplan:", "  tiltak:", "  - id: T1", "    fra: 2026-02-30", "\x00", "\ufeff",
]), max_size=25).map("\n".join)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(yaml_ish)
def test_any_yaml_ish_text_gives_findings_never_an_exception(text: str) -> None:
    _data, findings = validate_text(text, BAD_FILE)
    for finding in findings:
        assert finding.line >= 1 and finding.message


# ------------------------------------------------- entries that are no case file (issue 13 items 14, 22)

def _symlink_inside(path: Path, tmp: Path) -> str:
    path.symlink_to("../skole.yaml")
    return "Saksfila er en symbolsk lenke; skm leser og skriver bare saksfiler som ligger i cases/ selv."


def _symlink_outside(path: Path, tmp: Path) -> str:
    outside = tmp / "utenfor.yaml"
    outside.write_text("id: 2026-0002\n", encoding="utf-8")
    path.symlink_to(outside)
    return "Saksfila er en symbolsk lenke; skm leser og skriver bare saksfiler som ligger i cases/ selv."


def _dangling(path: Path, tmp: Path) -> str:
    path.symlink_to(tmp / "finnes-ikke.yaml")
    return "Saksfila er en symbolsk lenke; skm leser og skriver bare saksfiler som ligger i cases/ selv."


def _fifo(path: Path, tmp: Path) -> str:
    import os

    os.mkfifo(path)
    return "Dette er en navngitt rørledning (FIFO), ikke en saksfil; skm leser den ikke."


def _folder(path: Path, tmp: Path) -> str:
    path.mkdir()
    (path / "inni.yaml").write_text("x: 1\n", encoding="utf-8")
    return "Dette er en mappe, ikke en saksfil."


HOSTILE_ENTRIES = {"symlink-inside": _symlink_inside, "symlink-outside": _symlink_outside, "dangling": _dangling,
                   "fifo": _fifo, "folder": _folder}


@pytest.mark.parametrize("make", list(HOSTILE_ENTRIES.values()), ids=list(HOSTILE_ENTRIES))
def test_an_entry_that_is_no_case_file_is_one_finding_everywhere(skm, repo_with_case: Path, tmp_path: Path,
                                                                 make) -> None:
    message = make(repo_with_case / BAD_FILE, tmp_path)
    before = snapshot(repo_with_case)
    started = time.perf_counter()
    validate = skm("validate", cwd=repo_with_case)
    assert (validate.exit_code, validate.stdout) == (1, f"{BAD_FILE}:1: [yaml] {message}\n")
    assert validate.stderr == "1 sak av 2 har feil.\n"
    check = skm("check", "schema", cwd=repo_with_case)
    assert (check.exit_code, check.stdout.splitlines()[0]) == (1, f"{BAD_FILE}:1: error [schema] {message}")
    listed = skm("list", cwd=repo_with_case)
    assert listed.exit_code == 0 and listed.stdout.splitlines()[2].split() == [BAD_ID, "(ugyldig)"]
    shown = skm("show", BAD_ID, cwd=repo_with_case)
    assert shown.exit_code == 1
    assert shown.stderr.splitlines()[:2] == [f"Feil: Sak {BAD_ID} kan ikke leses.", f"  {BAD_FILE}:1: [yaml] {message}"]
    assert time.perf_counter() - started < 30  # a FIFO never blocks
    assert snapshot(repo_with_case) == before
