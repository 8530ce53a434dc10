"""``skm init`` writes the packaged årshjul; hostile ``skole.yaml``/``calendar.yaml`` are refused (issue 13, 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar as ICalendar

from conftest import AUTHOR_TEXT, snapshot

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"


@pytest.mark.parametrize(("today", "school", "year"), [
    ("2026-09-01", "Fjordvik videregående skole", 2026),
    ("2027-08-15", "Nord-Østerdal vgs", 2027),
    ("2030-01-10", "Skole: «Øvre» #1 - 'test'", 2029),
    ("2038-06-30", "yes", 2037),
])
def test_init_writes_the_same_calendar_as_before(skm, tmp_path: Path, today: str, school: str, year: int) -> None:
    result = skm("init", str(tmp_path / "saker"), "--skole", school, "--av", AUTHOR_TEXT, env={"SKM_TODAY": today})
    assert result.exit_code == 0, result.stderr
    written = (tmp_path / "saker" / "calendar.yaml").read_bytes()
    assert written == (GOLDEN / f"init-calendar-{year}.yaml").read_bytes()


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--skole", "Fjordvik\nvgs", "Feil: Skolens navn kan ikke ha linjeskift (feltet står på én linje)."),
    ("--skole", "Fjordvik\rBEGIN:VEVENT", "Feil: Skolens navn kan ikke ha linjeskift (feltet står på én linje)."),
    ("--skoleeier", "Vestland\x1b[2J", "Feil: Skoleeieren har et kontrolltegn (U+001B); fjern det."),
])
def test_init_refuses_line_breaks_in_settings(skm, tmp_path: Path, option: str, value: str, message: str) -> None:
    args = {"--skole": "Fjordvik vgs", option: value}
    result = skm("init", str(tmp_path / "saker"), *[x for pair in args.items() for x in pair], "--av", AUTHOR_TEXT)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert not (tmp_path / "saker").exists()


@pytest.mark.parametrize(("name", "line"), [
    ('"Fjordvik\\rBEGIN:VEVENT\\rSUMMARY:Falsk\\rEND:VEVENT"', "kan ikke ha linjeskift (feltet står på én linje)"),
    ('"Fjordvik\\nvgs"', "kan ikke ha linjeskift (feltet står på én linje)"),
    ('"Fjordvik\\u0007vgs"', "har et kontrolltegn (U+0007); fjern det"),
])
def test_ics_export_refuses_a_hostile_school_name(skm, case_repo: Path, tmp_path: Path, name: str,
                                                  line: str) -> None:
    settings = case_repo / "skole.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("skole: Fjordvik videregående skole", f"skole: {name}"), encoding="utf-8")
    number = next(n for n, row in enumerate(settings.read_text(encoding="utf-8").splitlines(), 1)
                  if row.startswith("skole:"))
    before = snapshot(case_repo)
    target = tmp_path / "arshjul.ics"
    result = skm("calendar", "--ics", str(target), cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Feil: Skoleinnstillingene er ugyldige.",
                                          f"  skole.yaml:{number}: [innstillinger] skole: {line}"]
    assert result.stdout == "" and not target.exists()
    assert snapshot(case_repo) == before


def test_a_hostile_calendar_is_refused_at_its_line(skm, case_repo: Path, tmp_path: Path) -> None:
    calendar = case_repo / "calendar.yaml"
    text = calendar.read_text(encoding="utf-8")
    calendar.write_text(text.replace("- hva: Rådgivning\n", '- hva: "Rådgivning\\r\\nBEGIN:VEVENT"\n'),
                        encoding="utf-8")
    number = next(n for n, row in enumerate(calendar.read_text(encoding="utf-8").splitlines(), 1)
                  if "BEGIN:VEVENT" in row)
    target = tmp_path / "arshjul.ics"
    message = f"calendar.yaml:{number}: [kalender] arshjul[4].hva: kan ikke ha linjeskift (feltet står på én linje)"
    for args in (("calendar",), ("calendar", "--ics", str(target))):
        result = skm(*args, cwd=case_repo)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            "Feil: calendar.yaml kan ikke brukes.", f"  {message}",
            "Tips: Rett linjen som er nevnt; `skm check kalender` kontrollerer kalenderen."]
        assert not target.exists()
    result = skm("check", "kalender", cwd=case_repo)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == message.replace(": [kalender]", ": error [kalender]")
    assert skm("status", cwd=case_repo).exit_code == 0  # the overview still runs, with the default deadlines


def test_ics_export_of_a_clean_repository_parses(skm, case_repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "arshjul.ics"
    result = skm("calendar", "--ics", str(target), cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    doc = ICalendar.from_ical(target.read_bytes())
    assert "Fjordvik videregående skole" in target.read_bytes().decode()
    assert len(doc.walk("VEVENT")) > 20
