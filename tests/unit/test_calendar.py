"""Tests for the school calendar (årshjul): dates, schema, the packaged årshjul, the committed calendar.yaml."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from skolemiljo.domain.schoolyear import DEFAULT_DEADLINES, WHEN_KEYS, Calendar, load_calendar, new_calendar, school_year_start_year
from skolemiljo.storage.calendarfile import calendar_text, packaged_arshjul

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schemas" / "calendar.schema.json"
CALENDAR_PATH = ROOT / "calendar.yaml"
SKOLE = "Fjordvik videregående skole"
HEADER = "# yaml-language-server: $schema=schemas/calendar.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def default_calendar(start_year: int, skole: str | None = None) -> dict:
    """The calendar ``skm init`` writes for the school year ``start_year``."""
    return new_calendar(start_year, packaged_arshjul(), skole)


def _errors(validator: Draft202012Validator, doc: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 22), 2026),
        (dt.date(2027, 3, 1), 2026),
        (dt.date(2027, 7, 31), 2026),
        (dt.date(2027, 8, 1), 2027),
        (dt.date(2026, 12, 31), 2026),
        (dt.date(2027, 1, 1), 2026),
    ],
)
def test_school_year_start_year(today: dt.date, expected: int) -> None:
    assert school_year_start_year(today) == expected


def test_school_year_and_holidays_2026() -> None:
    doc = default_calendar(2026)
    start = dt.date.fromisoformat(doc["skolear"]["start"])
    end = dt.date.fromisoformat(doc["skolear"]["slutt"])
    assert start == dt.date(2026, 8, 17) and start.isocalendar().week == 34
    assert end.year == 2027 and end.month == 6 and 15 <= end.day <= 22 and end.weekday() < 5
    ferier = {f["navn"]: (f["fra"], f["til"]) for f in doc["ferier"]}
    assert ferier["Høstferie"] == ("2026-09-28", "2026-10-02")
    assert ferier["Vinterferie"] == ("2027-02-22", "2027-02-26")
    assert ferier["Påskeferie"] == ("2027-03-22", "2027-03-29")  # Monday before Easter to Easter Monday
    assert ferier["Juleferie"] == ("2026-12-21", "2027-01-02")


@pytest.mark.parametrize("start_year", [2024, 2025, 2026, 2027, 2030])
def test_default_calendar_is_plain_data_with_ordered_keys(start_year: int, validator) -> None:
    doc = default_calendar(start_year)
    assert list(doc) == ["skolear", "ferier", "trekk_fra_ferier", "frister", "arshjul"]
    assert list(default_calendar(start_year, SKOLE))[0] == "skole"
    # Round-trips through JSON unchanged: no date objects or other non-plain values.
    assert json.loads(json.dumps(doc)) == doc
    assert _errors(validator, doc) == []
    for ferie in doc["ferier"]:
        assert doc["skolear"]["start"] < ferie["fra"] <= ferie["til"] < doc["skolear"]["slutt"]


def test_default_deadlines() -> None:
    frister = default_calendar(2026)["frister"]
    assert frister == {
        "varsle_rektor": 1,
        "varsle_skoleeier": 0,
        "start_undersokelse": 2,
        "aktivitetsplan": 5,
        "uten_aktivitet": 20,
    }
    assert all(type(v) is int for v in frister.values())
    assert default_calendar(2026)["trekk_fra_ferier"] is True


# --------------------------------------------------------------------------- årshjul


def test_every_routine_is_complete() -> None:
    for entry in default_calendar(2026)["arshjul"]:
        assert list(entry) == ["hva", "nar", "hvordan", "ansvar", "kilde"], entry["hva"]
        for key in ("hva", "hvordan", "ansvar", "kilde"):
            assert isinstance(entry[key], str) and entry[key].strip(), (entry["hva"], key)
        when = [k for k in entry["nar"] if k in WHEN_KEYS]
        assert len(when) == 1, entry["hva"]
        assert set(entry["nar"]) <= {*WHEN_KEYS, "tekst"}


def test_trk_weeks() -> None:
    trk = [e for e in default_calendar(2026)["arshjul"] if e["hva"].startswith("TRK")]
    assert len(trk) == 1
    assert set(trk[0]["nar"]["uker"]) == {41, 42, 4, 5, 12, 13, 17, 18}
    assert "referat" in trk[0]["hvordan"]


def _find(arshjul: list[dict], text: str) -> dict:
    hits = [e for e in arshjul if text.lower() in e["hva"].lower()]
    assert hits, f"no årshjul entry with {text!r}"
    return hits[0]


def test_required_routines_present() -> None:
    arshjul = default_calendar(2026)["arshjul"]
    assert _find(arshjul, "faddere")["nar"]["uker"] == [34, 35]
    assert "faste plasser" in _find(arshjul, "makkergrupper")["hvordan"]
    assert "uker" in _find(arshjul, "klasseregler")["nar"]
    assert "ukentlig" in _find(arshjul, "T-team")["nar"]
    samtaler = _find(arshjul, "elevsamtaler")["nar"]
    assert samtaler["maneder"] == [8, 11, 4] and "minimum tre" in samtaler["tekst"]
    assert 11 in _find(arshjul, "elevundersøkelsen")["nar"]["maneder"]
    for trinn in ("Vg1", "Vg2", "Vg3", "alle trinn"):
        _find(arshjul, f"foreldremøte for {trinn}")
    for hele_aret in ("Følg Med!", "miljøarbeider", "rådgivning"):
        assert _find(arshjul, hele_aret)["nar"].get("hele_aret") is True
    assert _find(arshjul, "lederforum")["nar"]["ukentlig"] == "mandag"
    assert "ukentlig" in _find(arshjul, "klasseteamene")["nar"]
    for text in ("VIP", "egen undersøkelse", "IKO", "elevkontakt", "SMU", "årlig gjennomgang"):
        _find(arshjul, text)


def test_every_seed_table_is_represented() -> None:
    kilder = " ".join(e["kilde"] for e in default_calendar(2026)["arshjul"])
    for label in (
        "Sandvika vgs, forebyggende tiltak",
        "Sandvika vgs, 1.",
        "Sandvika vgs, 2.",
        "Sandvika vgs, 3.",
        "Sandvika vgs, 4.",
        "Nord-Østerdal vgs, rutiner",
        "Nord-Østerdal vgs, elevenes bidrag",
        "Nord-Østerdal vgs, oppfølging",
    ):
        assert label in kilder


def test_school_start_weeks_follow_start_date() -> None:
    doc = default_calendar(2027)
    week = dt.date.fromisoformat(doc["skolear"]["start"]).isocalendar().week
    assert _find(doc["arshjul"], "klasseregler")["nar"]["uker"] == [week, week + 1]


def test_returned_documents_do_not_share_lists() -> None:
    doc = default_calendar(2026)
    doc["arshjul"][0]["nar"]["uker"].append(36)
    doc["frister"]["aktivitetsplan"] = 99
    fresh = default_calendar(2026)
    assert fresh["arshjul"][0]["nar"]["uker"] == [34, 35]
    assert all(e["nar"].get("uker") != [34, 35, 36] for e in doc["arshjul"][1:])
    assert fresh["frister"]["aktivitetsplan"] == DEFAULT_DEADLINES["aktivitetsplan"] == 5


# --------------------------------------------------------------------------- schema


def _valid_doc() -> dict:
    return copy.deepcopy(default_calendar(2026, SKOLE))


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda d: d["arshjul"][0]["nar"].update(maneder=[8]), id="two-when-keys"),
        pytest.param(lambda d: d["arshjul"][0].update(nar={"tekst": "Ved skolestart"}), id="no-when-key"),
        pytest.param(lambda d: d["arshjul"][0]["nar"].update(uker=[54]), id="week-54"),
        pytest.param(lambda d: d["arshjul"][0].update(nar={"maneder": [13]}), id="month-13"),
        pytest.param(lambda d: d["arshjul"][0].update(nar={"ukentlig": "søndag"}), id="sunday"),
        pytest.param(lambda d: d["arshjul"][0].update(nar={"hele_aret": False}), id="hele-aret-false"),
        pytest.param(lambda d: d["arshjul"][0].update(nar={"datoer": ["2026-02-30"]}), id="bad-date"),
        pytest.param(lambda d: d["arshjul"][0].pop("ansvar"), id="missing-ansvar"),
        pytest.param(lambda d: d["arshjul"][0].update(ekstra="x"), id="extra-key"),
        pytest.param(lambda d: d["skolear"].update(start="17.08.2026"), id="norwegian-date"),
        pytest.param(lambda d: d["frister"].update(aktivitetsplan=-1), id="negative-deadline"),
        pytest.param(lambda d: d["frister"].update(ukjent=3), id="unknown-deadline"),
        pytest.param(lambda d: d.pop("skolear"), id="missing-skolear"),
    ],
)
def test_schema_rejects(validator, mutate) -> None:
    doc = _valid_doc()
    mutate(doc)
    assert _errors(validator, doc)


def test_schema_accepts_datoer_and_optional_parts(validator) -> None:
    doc = _valid_doc()
    doc["arshjul"][0]["nar"] = {"datoer": ["2026-08-17", "2027-01-04"]}
    del doc["arshjul"][0]["kilde"]
    del doc["frister"]
    del doc["trekk_fra_ferier"]
    assert _errors(validator, doc) == []


def test_schema_has_norwegian_descriptions() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"]

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert node.get("additionalProperties") is False, path
            for name, sub in node.get("properties", {}).items():
                assert sub.get("description"), f"{path}.{name}"
            for key, sub in node.items():
                walk(sub, f"{path}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{path}[{i}]")

    walk(schema, "$")


# --------------------------------------------------------------------------- calendar.yaml


def test_committed_calendar_yaml() -> None:
    text = CALENDAR_PATH.read_text(encoding="utf-8")
    assert text.splitlines()[0] == HEADER
    data = yaml.safe_load(text)
    expected = default_calendar(2026, SKOLE)
    assert data == expected  # dates are quoted, so they load as strings
    assert text == calendar_text(expected), (
        "calendar.yaml is out of date: regenerate it with "
        "calendar_text(new_calendar(2026, packaged_arshjul(), 'Fjordvik videregående skole'))"
    )


def test_committed_calendar_yaml_validates(validator) -> None:
    data = yaml.safe_load(CALENDAR_PATH.read_text(encoding="utf-8"))
    assert _errors(validator, data) == []


def test_calendar_to_yaml_flow_lists() -> None:
    text = calendar_text(default_calendar(2026))
    assert "uker: [41, 42, 4, 5, 12, 13, 17, 18]" in text
    assert "maneder: [8, 11, 4]" in text
    assert "&id" not in text and "*id" not in text  # no YAML aliases
    assert yaml.safe_load(text) == default_calendar(2026)


# --------------------------------------------------------------------------- load_calendar


def test_load_calendar() -> None:
    cal = load_calendar(default_calendar(2026, SKOLE))
    assert isinstance(cal, Calendar)
    assert cal.start == dt.date(2026, 8, 17)
    assert cal.end.year == 2027
    assert cal.subtract_holidays is True
    assert cal.deadlines == DEFAULT_DEADLINES
    assert ("Høstferie", dt.date(2026, 9, 28), dt.date(2026, 10, 2)) in cal.holidays
    assert len(cal.routines) == len(default_calendar(2026)["arshjul"])
    with pytest.raises(AttributeError):
        cal.start = dt.date(2026, 8, 18)  # type: ignore[misc]


def test_load_calendar_fills_default_deadlines() -> None:
    doc = default_calendar(2026)
    doc["frister"] = {"aktivitetsplan": 3}
    cal = load_calendar(doc)
    assert cal.deadlines == {**DEFAULT_DEADLINES, "aktivitetsplan": 3}
    del doc["frister"]
    del doc["trekk_fra_ferier"]
    cal = load_calendar(doc)
    assert cal.deadlines == DEFAULT_DEADLINES
    assert cal.subtract_holidays is True


def test_load_calendar_accepts_date_objects() -> None:
    # yaml.safe_load turns unquoted dates into date objects.
    doc = yaml.safe_load(
        "skolear: {start: 2026-08-17, slutt: 2027-06-18}\n"
        "ferier: [{navn: Høstferie, fra: 2026-09-28, til: 2026-10-02}]\n"
        "arshjul: []\n"
    )
    cal = load_calendar(doc)
    assert cal.start == dt.date(2026, 8, 17)
    assert cal.is_school_holiday(dt.date(2026, 9, 30))


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda d: d.pop("skolear"), id="missing-skolear"),
        pytest.param(lambda d: d["skolear"].update(start="17.08.2026"), id="bad-date"),
        pytest.param(lambda d: d["skolear"].update(slutt="2026-06-01"), id="end-before-start"),
        pytest.param(lambda d: d["ferier"][0].update(til="2026-09-01"), id="holiday-reversed"),
        pytest.param(lambda d: d["frister"].update(aktivitetsplan="fem"), id="deadline-not-int"),
        pytest.param(lambda d: d["frister"].update(aktivitetsplan=True), id="deadline-bool"),
        pytest.param(lambda d: d.update(trekk_fra_ferier="ja"), id="subtract-not-bool"),
    ],
)
def test_load_calendar_rejects(mutate) -> None:
    doc = _valid_doc()
    mutate(doc)
    with pytest.raises(ValueError):
        load_calendar(doc)


def test_is_school_holiday() -> None:
    cal = load_calendar(default_calendar(2026))
    # Høstferie 2026: week 40, Monday 28 September to Friday 2 October.
    for day in (28, 29, 30):
        assert cal.is_school_holiday(dt.date(2026, 9, day))
    assert cal.is_school_holiday(dt.date(2026, 10, 2))
    assert cal.holiday_name(dt.date(2026, 10, 1)) == "Høstferie"
    assert not cal.is_school_holiday(dt.date(2026, 10, 5))  # the Monday after
    assert not cal.is_school_holiday(dt.date(2026, 9, 25))  # the Friday before
    assert cal.is_school_holiday(dt.date(2027, 3, 29))  # Easter Monday
    assert not cal.is_school_holiday(dt.date(2027, 3, 30))
    assert cal.in_school_year(dt.date(2026, 8, 17))
    assert not cal.in_school_year(dt.date(2026, 8, 16))
