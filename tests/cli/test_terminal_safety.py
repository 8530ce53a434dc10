"""Ids and typed text in output (issue 13.9) and control characters in and out (issue 13.10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skolemiljo.storage.repository import CaseRepo

from check_fixtures import commit_case, melding, planlagt, tiltak, undersokes, varslet
from conftest import AUTHOR_TEXT, commits, make_case, snapshot

NEW_CASE = ["new-case", "--elev", "Kari Nordmann", "--klasse", "9B", "--under-18", "--sakstype", "elev-elev",
            "--meldt-av", "elev", "--mottatt-av", "Per Haugen", "--beskrivelse", "Holdes utenfor.", "--no-input",
            "--av", AUTHOR_TEXT]


def _with(option: str, value: str) -> list[str]:
    args = list(NEW_CASE)
    args[args.index(option) + 1] = value
    return args


# ------------------------------------------------------------------ 13.10: refused on input

@pytest.mark.parametrize("option, value, message", [
    ("--elev", "Kari\nOla", "Feil: --elev kan ikke ha linjeskift (feltet står på én linje)."),
    ("--klasse", "9B\x1b[2J", "Feil: --klasse har et kontrolltegn (U+001B); fjern det."),
    ("--mottatt-av", "Per\rHaugen", "Feil: --mottatt-av kan ikke ha linjeskift (feltet står på én linje)."),
    ("--beskrivelse", "Holdes\x07 utenfor.", "Feil: --beskrivelse har et kontrolltegn (U+0007); fjern det."),
])
def test_new_case_refuses_control_characters(skm, case_repo: Path, option: str, value: str, message: str) -> None:
    before = snapshot(case_repo)
    result = skm(*_with(option, value), cwd=case_repo)
    assert (result.exit_code, result.stderr.splitlines()) == (2, [message])
    assert snapshot(case_repo) == before


def test_a_line_break_in_multi_line_text_is_fine(skm, case_repo: Path) -> None:
    result = skm(*_with("--beskrivelse", "Holdes utenfor.\n\tOgså i gruppechatten."), cwd=case_repo)
    assert result.exit_code == 0, result.stderr


def test_workflow_refuses_control_characters_in_one_line_fields(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    before = len(commits(case_repo))
    notify = skm("notify", case_id, "rektor", "--varslet-av", "Per\nHaugen", "--av", AUTHOR_TEXT, cwd=case_repo)
    assert (notify.exit_code, notify.stderr.splitlines()) == (
        2, ["Feil: --varslet-av kan ikke ha linjeskift (feltet står på én linje)."])
    log = skm("log", case_id, "--hendelse", "Samtale\x1b]0;eid\x07", "--av", AUTHOR_TEXT, cwd=case_repo)
    assert (log.exit_code, log.stderr.splitlines()) == (2, ["Feil: --hendelse har et kontrolltegn (U+001B); fjern det."])
    assert len(commits(case_repo)) == before


def test_web_form_refuses_a_line_break_in_a_one_line_field(case_repo: Path) -> None:
    from web_fixtures import login, make_site, text_of
    from web_fixtures import Web
    from conftest import AUTHOR

    site = make_site(case_repo, author=AUTHOR)
    web = Web(login(site), site, case_repo)
    case_id = make_case(case_repo)
    before = snapshot(case_repo)
    response = web.submit(case_id, "notify", {"mottaker": "rektor", "varslet_av": "Per\nHaugen"})
    assert response.status_code == 422
    assert "kan ikke ha linjeskift (feltet står på én linje)." in text_of(response.get_data(as_text=True))
    assert snapshot(case_repo) == before


# ------------------------------------------------------------------ 13.10: escaped on output

def _hostile_repo(root: Path) -> CaseRepo:
    """Cases as a colleague's hand edit (arriving through sync) may leave them."""
    from conftest import make_repo

    repo = CaseRepo(make_repo(root))
    forged = melding("2026-0001", "2026-11-16", navn="Kari\n2026-0099  avsluttet  elev-elev  9Z  2026-01-01",
                     klasse="9B\x1b[31m")
    commit_case(repo, forged)
    plan = planlagt(undersokes(varslet(melding("2026-0002", "2026-10-12"), rektor="2026-10-12"), "2026-10-13",
                               konklusjon="Ikke trygt."), "2026-10-16",
                    tiltak("Jonas Berntsen", "2026-10-19", "2026-12-18", "2026-11-06"))
    plan["aktivitetsplan"]["tiltak"][0]["ansvarlig"] = "Sara\x1b[2JLunde"
    commit_case(repo, plan)
    return repo


def test_a_newline_in_a_name_cannot_forge_a_row_in_list(skm, tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path / "saker")
    result = skm("list", "--navn", cwd=repo.root)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Saksnr     Status   Sakstype   Klasse      Mottatt     Navn",
        "2026-0001  mottatt  elev-elev  9B\\x1b[31m  2026-11-16  Kari\\x0a2026-0099  avsluttet  elev-elev  9Z  "
        "2026-01-01",
        "2026-0002  tiltak   elev-elev  9B          2026-10-12  Ola Nordmann",
        "2 saker.",
    ]
    listed = json.loads(skm("list", "--json", "--navn", cwd=repo.root).stdout)
    assert listed[0]["navn"] == "Kari\n2026-0099  avsluttet  elev-elev  9Z  2026-01-01"  # JSON escapes it


def test_status_and_show_escape_control_characters(skm, tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path / "saker")
    status = skm("status", "--today", "2026-11-20", cwd=repo.root).stdout
    assert "\x1b" not in status and "9B\\x1b[31m" in status
    shown = skm("show", "2026-0002", cwd=repo.root).stdout
    assert "\x1b" not in shown
    assert ("  tiltak nr. 1: 19. oktober 2026 – 18. desember 2026, ansvarlig Sara\\x1b[2JLunde, evalueres "
            "6. november 2026, 0 evaluering(er)") in shown.splitlines()
    assert "Jonas" not in shown
    first = skm("show", "2026-0001", cwd=repo.root).stdout.splitlines()
    assert first[1] == "Elev:          Kari\\x0a2026-0099  avsluttet  elev-elev  9Z  2026-01-01 (9B\\x1b[31m, under 18)"


def test_json_output_escapes_what_a_terminal_acts_on() -> None:
    from skolemiljo.domain.text import for_terminal, json_for_terminal

    assert json_for_terminal({"navn": "Ola\x9b2J\u202eX"}) == '{\n  "navn": "Ola\\u009b2J\\u202eX"\n}'
    assert json.loads(json_for_terminal({"navn": "Ola\x9b2J\u202eX"})) == {"navn": "Ola\x9b2J\u202eX"}
    assert for_terminal("Åse Ødegård\u00a0Æsøy") == "Åse Ødegård\u00a0Æsøy"  # letters and spaces stay
    assert for_terminal("a\tb\nc", multiline=True) == "a\tb\nc"
    assert for_terminal("a\tb\nc") == "a\\x09b\\x0ac"


# ------------------------------------------------------------------ 13.9: ids only when they are ids

def test_hand_typed_ids_never_reach_status_calendar_ics_or_the_cache(skm, tmp_path: Path) -> None:
    from conftest import make_repo

    repo = CaseRepo(make_repo(tmp_path / "saker"))
    case = melding("2026-0001", "2026-11-16")
    case["id"] = "Sofie Lindqvist"
    commit_case(repo, case, name="2026-0001.yaml")
    plan = planlagt(undersokes(varslet(melding("2026-0002", "2026-10-12"), rektor="2026-10-12"), "2026-10-13",
                               konklusjon="Ikke trygt."), "2026-10-16",
                    tiltak("Jonas Berntsen", "2026-10-19", "2026-12-18", "2026-11-06"))
    commit_case(repo, plan)
    status = skm("status", "--json", "--today", "2026-11-20", cwd=repo.root)
    rows = json.loads(status.stdout)["apne_saker"]
    assert [row["id"] for row in rows] == ["2026-0002", "(ugyldig saksnummer)"]
    assert [d["hva"] for d in rows[0]["forfalt"]] == ["evaluere tiltak nr. 1", "loggføre i saken"]
    calendar = skm("calendar", "--uker", "1", "--today", "2026-11-20", cwd=repo.root)
    assert "  6. november 2026  2026-0002: evaluere tiltak nr. 1" in calendar.stdout.splitlines()
    assert "  17. november 2026  (ugyldig saksnummer): varsle rektor" in calendar.stdout.splitlines()
    target = tmp_path / "k.ics"
    assert skm("calendar", "--ics", str(target), "--today", "2026-11-20", cwd=repo.root).exit_code == 0
    outputs = [status.stdout, calendar.stdout, target.read_text(encoding="utf-8"),
               (repo.state_dir / "cache" / "status.json").read_text(encoding="utf-8")]
    for text in outputs:
        assert "Sofie" not in text and "Jonas" not in text


def test_sync_output_names_a_hand_typed_tiltak_id_neutrally(capsys: pytest.CaptureFixture[str]) -> None:
    from types import SimpleNamespace

    from skolemiljo.cli import sync as cli_sync
    from skolemiljo.domain.merge import Conflict, Item

    result = SimpleNamespace(
        up_to_date=False, upstream="origin/main", incoming=[], outgoing=[], first_push=False, renumbered=[],
        tiltak_renumbered=[SimpleNamespace(case_id="2026-0002", old="Jonas Berntsen", new="T3")],
        merged_cases=[], skipped=[SimpleNamespace(subject="2026-0002: logg\x1b[2J")],
        resolved=[(Conflict("2026-0002", ("aktivitetsplan", "tiltak", Item("Jonas Berntsen"), "ansvarlig"),
                            None, "a", "b"), "lokal"),
                  (Conflict("2026-0002", ("elev", "Sofie Lindqvist"), None, "a", "b"), "sentral")])
    cli_sync._report(result)
    assert capsys.readouterr().out.splitlines() == [
        "Nytt tiltaksnummer i sak 2026-0002: tiltaket du la til som (ugyldig tiltaks-id), heter nå T3, fordi "
        "(ugyldig tiltaks-id) allerede var brukt.",
        "Avgjort: sak 2026-0002 aktivitetsplan.tiltak[ugyldig id].ansvarlig = verdien lokalt (din).",
        "Avgjort: sak 2026-0002 elev.ukjent felt = verdien sentralt (de andres).",
        "Ikke sendt: «2026-0002: logg\\x1b[2J» endret ingenting etter sammenslåingen.",
        "Ferdig: saksarkivet ditt og det sentrale (origin/main) er like.",
    ]


def test_check_and_validate_refuse_control_characters_in_a_hand_edited_file(skm, tmp_path: Path) -> None:
    """`skm edit` and a file from sync: the schema holds the same rule as the commands."""
    from conftest import make_repo

    repo = CaseRepo(make_repo(tmp_path / "saker"))
    case = melding("2026-0001", "2026-11-19", navn="Kari\nOla", klasse="9B\x1b[31m")
    case["melding"]["beskrivelse"] = "Holdes utenfor.\nOgså i chatten.\x07"
    commit_case(repo, case)
    result = skm("check", "schema", "--today", "2026-11-20", cwd=repo.root)
    assert (result.exit_code, result.stdout.splitlines()) == (1, [
        "cases/2026-0001.yaml:10: error [schema] elev.navn: kan ikke ha linjeskift eller kontrolltegn "
        "(feltet står på én linje)",
        "cases/2026-0001.yaml:13: error [schema] elev.klasse: kan ikke ha linjeskift eller kontrolltegn "
        "(feltet står på én linje)",
        "cases/2026-0001.yaml:19: error [schema] melding.beskrivelse: har et kontrolltegn; fjern det",
        "3 feil, 0 advarsler i 1 av 1 sak",
    ])
    validate = skm("validate", cwd=repo.root)
    assert validate.exit_code == 1
    assert "cases/2026-0001.yaml:10: [schema] elev.navn: kan ikke ha linjeskift eller kontrolltegn" in validate.stdout
