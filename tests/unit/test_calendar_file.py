"""``calendar.yaml`` in and out (``storage.calendarfile``) and what ``load_calendar`` refuses.

The golden files in ``tests/data/golden/`` are the calendar.yaml that ``skm init`` wrote before
the årshjul became data (generated from the Python routines of ``domain/schoolyear.py`` at
commit 10c45ef): the packaged ``skolemiljo/data/arshjul.yaml`` must give the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from skolemiljo.domain.holidays import school_year_dates
from skolemiljo.domain.schoolyear import WEEKDAYS, load_calendar, new_calendar
from skolemiljo.errors import CalendarProblem, Finding
from skolemiljo.storage import yamlio
from skolemiljo.storage.calendarfile import HEADER, calendar_text, new_calendar_text, packaged_arshjul, read_calendar
from skolemiljo.storage.resources import arshjul_path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
SCHOOLS = {
    2026: "Fjordvik videregående skole",
    2027: "Nord-Østerdal vgs",
    2029: "Skole: «Øvre» #1 - 'test'",  # needs quoting
    2037: "yes",  # YAML 1.1 would read it as true
}
SEED_TABLES = {
    "Sandvika vgs, forebyggende tiltak",
    "Sandvika vgs, 1. rutiner som kan avdekke mobbing og krenkende atferd",
    "Sandvika vgs, 2. ansvar for å gripe inn og meldeplikt",
    "Sandvika vgs, 3. undersøke",
    "Sandvika vgs, 4. sette inn tiltak, evaluere og dokumentere",
    "Nord-Østerdal vgs, rutiner for ansatte",
    "Nord-Østerdal vgs, elevenes bidrag",
    "Nord-Østerdal vgs, hvem tar affære og hvem skal en melde fra til",
    "Nord-Østerdal vgs, oppfølging",
}


@pytest.mark.parametrize("year", sorted(SCHOOLS))
def test_new_calendar_is_the_golden_copy(year: int) -> None:
    expected = (GOLDEN / f"init-calendar-{year}.yaml").read_text(encoding="utf-8")
    assert new_calendar_text(year, SCHOOLS[year]) == expected


def test_committed_calendar_yaml_is_the_2026_golden_copy() -> None:
    assert (ROOT / "calendar.yaml").read_bytes() == (GOLDEN / "init-calendar-2026.yaml").read_bytes()


def test_packaged_arshjul_is_valid_routines_with_seed_sources() -> None:
    schema = json.loads((ROOT / "schemas" / "calendar.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    routines = packaged_arshjul()
    assert len(routines) == 40
    assert [e.message for e in validator.iter_errors(new_calendar(2026, routines, "X"))] == []
    used = set()
    for routine in routines:
        parts = routine["kilde"].split("; ")
        assert set(parts) <= SEED_TABLES, routine["hva"]
        used.update(parts)
    assert used == SEED_TABLES  # every table of both action plans gave at least one routine
    # Read with skm's strict reader, which refuses anchors, duplicate keys and tags.
    assert yamlio.load(arshjul_path().read_text(encoding="utf-8"))["arshjul"] == routines


def test_school_start_weeks_in_the_arshjul_are_the_first_two_school_weeks() -> None:
    for year in range(2024, 2040):
        week = school_year_dates(year)[0].isocalendar()[1]
        starts = [r for r in packaged_arshjul() if "skolestart" in r["nar"].get("tekst", "").lower()
                  and "uker" in r["nar"]]
        assert starts and all(r["nar"]["uker"] == [week, week + 1] for r in starts)


def test_calendar_text_layout() -> None:
    text = calendar_text(new_calendar(2026, packaged_arshjul()))
    assert text.startswith(HEADER + "\n")
    assert "uker: [41, 42, 4, 5, 12, 13, 17, 18]" in text and "maneder: [8, 11, 4]" in text
    assert "  start: '2026-08-17'\n" in text  # quoted: a YAML 1.1 reader sees a string, as the schema says
    assert max(len(line) for line in text.splitlines()) <= 120  # folded near 100 columns
    assert "&id" not in text and "*id" not in text


def test_calendar_text_never_writes_anchors_for_shared_values() -> None:
    weeks = [34, 35]
    routine = {"hva": "A", "nar": {"uker": weeks}, "hvordan": "B", "ansvar": "C"}
    doc = new_calendar(2026, [])
    doc["arshjul"] = [routine, routine]
    assert yamlio.load(calendar_text(doc))["arshjul"] == [routine, routine]
    assert "&" not in yamlio.dump({"a": weeks, "b": weeks})


def test_case_files_keep_their_layout() -> None:
    """The layout options are for calendar.yaml only: the defaults are unchanged."""
    data = {"melding": {"mottatt": "2026-10-12", "kategorier": ["utestenging", "krenkende-ord"],
                        "beskrivelse": " ".join(["ord"] * 60)}}
    text = yamlio.dump(data)
    assert "mottatt: 2026-10-12\n" in text and "- utestenging\n" in text
    assert "beskrivelse: " + " ".join(["ord"] * 60) + "\n" in text


# ----------------------------------------------------------------- reading and refusing


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _calendar_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (GOLDEN / "init-calendar-2026.yaml").read_text(encoding="utf-8")
    assert old in text
    return _write(tmp_path, text.replace(old, new, 1))


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_read_calendar_of_the_golden_copy() -> None:
    calendar, findings = read_calendar(GOLDEN / "init-calendar-2026.yaml")
    assert findings == [] and calendar is not None and len(calendar.routines) == 40


@pytest.mark.parametrize(("old", "new", "needle", "message"), [
    pytest.param("skole: Fjordvik videregående skole", 'skole: "Fjordvik\\rBEGIN:VEVENT"', "skole:",
                 "skole: kan ikke ha linjeskift (feltet står på én linje)", id="cr-in-skole"),
    pytest.param("skole: Fjordvik videregående skole", 'skole: "Fjordvik\\nvgs"', "skole:",
                 "skole: kan ikke ha linjeskift (feltet står på én linje)", id="lf-in-skole"),
    pytest.param("- navn: Vinterferie", '- navn: "Vinter\\e[31mferie"', "Vinter",
                 "ferier[2].navn: har et kontrolltegn (U+001B); fjern det", id="esc-in-ferie"),
    pytest.param("- hva: Rådgivning", '- hva: "Rådgivning\\u2028END:VEVENT"', "Rådgivning",
                 "arshjul[4].hva: kan ikke ha linjeskift (feltet står på én linje)", id="separator-in-hva"),
    pytest.param("  ansvar: Rådgivere", '  ansvar: "Råd\\x85givere"', "Råd\\x85",
                 "arshjul[4].ansvar: kan ikke ha linjeskift (feltet står på én linje)", id="nel-in-ansvar"),
    pytest.param("    tekst: Gjennom hele året\n  hvordan: Sosialpedagogisk",
                 '    tekst: "Gjennom\\thele året"\n  hvordan: Sosialpedagogisk', "Gjennom\\t",
                 "arshjul[4].nar.tekst: har et kontrolltegn (U+0009); fjern det", id="tab-in-tekst"),
    pytest.param("  hvordan: Sosialpedagogisk veiledning og karriereveiledning.",
                 '  hvordan: "Sosialpedagogisk\\rveiledning"', "Sosialpedagogisk",
                 "arshjul[4].hvordan: har et kontrolltegn (U+000D); fjern det", id="cr-in-hvordan"),
    pytest.param("    ukentlig: tirsdag", "    ukentlig: søndag", "ukentlig: søndag",
                 "arshjul[3].nar.ukentlig må være en ukedag (mandag, tirsdag, onsdag, torsdag, fredag), "
                 "fikk 'søndag'", id="sunday"),
    pytest.param("    uker: [34, 35]", "    uker: [34, uke35]", "uke35",
                 "arshjul[0].nar.uker må være en liste med ukenumre (1–53)", id="week-not-a-number"),
    pytest.param("    maneder: [8, 11, 4]", "    maneder: [8, 13]", "[8, 13]",
                 "arshjul[6].nar.maneder må være en liste med månedsnumre (1–12)", id="month-13"),
    pytest.param("  til: '2026-10-02'", "  til: '2026-02-30'", "2026-02-30",
                 "ugyldig dato i kalenderen (ferier[0].til): '2026-02-30', forventet ÅÅÅÅ-MM-DD", id="bad-date"),
    pytest.param("  aktivitetsplan: 5", "  aktivitetsplan: fem", "aktivitetsplan: fem",
                 "frister.aktivitetsplan må være et heltall (arbeidsdager) ≥ 0, fikk 'fem'", id="deadline"),
    pytest.param("ferier:\n- navn: Høstferie", "ferier: 5\nx:\n- navn: Høstferie", "ferier: 5",
                 "ferier må være en liste med 'navn', 'fra' og 'til'", id="ferier-not-a-list"),
])
def test_read_calendar_refuses_at_the_line(tmp_path: Path, old: str, new: str, needle: str, message: str) -> None:
    path = _calendar_with(tmp_path, old, new)
    calendar, findings = read_calendar(path)
    assert calendar is None
    assert findings == [Finding("calendar.yaml", _line_of(path, needle), "kalender", message)]


def test_multi_line_hvordan_is_allowed(tmp_path: Path) -> None:
    path = _calendar_with(tmp_path, "  hvordan: Sosialpedagogisk veiledning og karriereveiledning.",
                          "  hvordan: |\n    Sosialpedagogisk veiledning.\n    Karriereveiledning.")
    calendar, findings = read_calendar(path)
    assert findings == [] and calendar.routines[4]["hvordan"] == "Sosialpedagogisk veiledning.\nKarriereveiledning.\n"


def test_read_calendar_yaml_problem_and_missing_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "skolear:\n  start: [\n")
    calendar, findings = read_calendar(path, "calendar.yaml")
    assert calendar is None and findings[0].check == "kalender" and findings[0].message.startswith("Ugyldig YAML")
    assert read_calendar(tmp_path / "nope.yaml") == (None, [Finding("calendar.yaml", 1, "kalender",
                                                                    "calendar.yaml kan ikke leses")])


def test_load_calendar_problem_has_the_path() -> None:
    doc = new_calendar(2026, packaged_arshjul())
    doc["arshjul"][7]["hva"] = "Følg\nMed"
    with pytest.raises(CalendarProblem) as raised:
        load_calendar(doc)
    assert raised.value.path == ("arshjul", 7, "hva")
    assert isinstance(raised.value, ValueError)


def test_week_53_only_where_the_year_has_one() -> None:
    from skolemiljo.domain.arshjul import occurrences

    routine = {"hva": "Uke 53", "nar": {"uker": [53, 1]}, "hvordan": "x", "ansvar": "y"}
    with_53 = load_calendar(new_calendar(2026, [routine]))  # 2026 has week 53
    without = load_calendar(new_calendar(2027, [routine]))  # 2027 has not
    assert [(o.first.isoformat(), o.last.isoformat()) for o in occurrences(with_53)] == [
        ("2026-12-28", "2027-01-01"), ("2027-01-04", "2027-01-08")]
    assert [(o.first.isoformat(), o.last.isoformat()) for o in occurrences(without)] == [
        ("2028-01-03", "2028-01-07")]


def test_weekdays_are_the_five_school_days() -> None:
    assert WEEKDAYS == ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")
