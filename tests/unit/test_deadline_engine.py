"""The deadline engine (``domain.deadlines``): pure, one rule per kind, counted from one start."""

from __future__ import annotations

from datetime import date

from skolemiljo.domain import deadlines
from skolemiljo.domain.deadlines import Deadline, counting_start, obligations
from skolemiljo.domain.schoolyear import DEFAULT_DEADLINES, load_calendar, new_calendar
from skolemiljo.domain.workdays import Workdays

from check_fixtures import melding, planlagt, tiltak, undersokes, varslet

D = date.fromisoformat
WORKDAYS = Workdays(load_calendar(new_calendar(2026, [])))


def _due(case: dict, start: date | None = None) -> list[tuple[str, str, str]]:
    return [(d.due.isoformat(), d.what, d.kind)
            for d in deadlines.deadlines(case, WORKDAYS, dict(DEFAULT_DEADLINES), start)]


def test_a_new_report_owes_everything_counted_from_mottatt() -> None:
    case = melding("2026-0001", "2026-11-19", sakstype="ansatt-elev")  # Thursday
    assert counting_start(case) == D("2026-11-19")
    assert _due(case) == [
        ("2026-11-19", "varsle skoleeier", "varsling-skoleeier-frist"),
        ("2026-11-20", "varsle rektor", "varsling-rektor-frist"),
        ("2026-11-23", "starte undersøkelsen", "undersokelse-frist"),
        ("2026-11-26", "konklusjon og aktivitetsplan", "aktivitetsplan-frist"),
        ("2026-12-17", "loggføre i saken", "uten-aktivitet"),
    ]


def test_the_start_is_a_parameter() -> None:
    """A reopened case counts from its reopening: the caller passes the day."""
    case = melding("2026-0001", "2026-11-19")
    assert _due(case, D("2027-01-04"))[:3] == [
        ("2027-01-05", "varsle rektor", "varsling-rektor-frist"),
        ("2027-01-06", "starte undersøkelsen", "undersokelse-frist"),
        ("2027-01-11", "konklusjon og aktivitetsplan", "aktivitetsplan-frist"),
    ]


def test_a_date_is_what_makes_a_notification_done() -> None:
    case = melding("2026-0001", "2026-11-19")
    case["varsling"]["rektor"] = {"dato": "2026-11-19", "av": None}  # the probe of issue 12.3
    assert "varsle rektor" not in [what for _due_day, what, _kind in _due(case)]
    for blank in ("   ", "", None, "i går", "2026-02-30"):
        case["varsling"]["rektor"] = {"dato": blank, "av": "Per Haugen"}
        assert "varsle rektor" in [what for _due_day, what, _kind in _due(case)], blank


def test_blank_conclusion_is_not_a_conclusion() -> None:
    case = undersokes(varslet(melding("2026-0001", "2026-11-10"), rektor="2026-11-10"), "2026-11-11",
                      konklusjon="   ")
    assert [o.what for o in obligations(case) if o.kind == deadlines.PLAN] == ["konklusjon og aktivitetsplan"]


def test_tiltak_ids_are_shown_only_when_they_are_tiltak_ids() -> None:
    case = undersokes(varslet(melding("2026-0001", "2026-10-12"), rektor="2026-10-12"), "2026-10-13",
                      konklusjon="Ikke trygt.")
    case = planlagt(case, "2026-10-16", tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06"),
                    tiltak("Jonas Berntsen", "2026-10-19", "2026-12-18", "2026-11-13"))
    assert [o.what for o in obligations(case) if o.kind == deadlines.EVALUATION] == [
        "evaluere T1", "evaluere tiltak nr. 2"]


def test_a_hand_typed_case_id_is_never_a_deadlines_case_id() -> None:
    case = melding("2026-0001", "2026-11-19")
    case["id"] = "Sofie Lindqvist"
    assert {d.case_id for d in deadlines.deadlines(case, WORKDAYS, dict(DEFAULT_DEADLINES))} == {
        "(ugyldig saksnummer)"}
    assert Deadline("2026-0001", D("2026-11-20"), "varsle rektor").as_json(D("2026-11-21")) == {
        "sak": "2026-0001", "frist": "2026-11-20", "hva": "varsle rektor", "forfalt": True}


def test_closed_and_unknown_statuses() -> None:
    case = melding("2026-0001", "2026-11-19")
    case.update(status="avsluttet", avslutning={"dato": "2026-11-20", "oppfolging": "2026-12-01"})
    assert _due(case) == [("2026-12-01", "oppfølging etter avslutning", "oppfolging-forfalt")]
    # Recorded (skm follow-up): nothing more is owed.
    case["avslutning"]["oppfulgt"] = {"dato": "2026-12-01", "av": "Rektor", "notat": "Bra."}
    assert _due(case) == []
    del case["avslutning"]["oppfulgt"]
    case["status"] = "ukjent"
    assert _due(case) == []
