"""The .ics export writes every property through icalendar: nothing typed can add a line (issue 13, 11)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
from icalendar import Calendar as ICalendar

from skolemiljo.domain.arshjul import Occurrence, occurrences
from skolemiljo.domain.schoolyear import Calendar, load_calendar, new_calendar
from skolemiljo.render.ics import to_ics

STAMP = datetime(2026, 11, 20, tzinfo=timezone.utc)
INJECTION = "\r\nEND:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Falsk\r\nDTSTART:20261201\r\nEND:VEVENT"


def _calendar(routines: list[dict] | None = None):
    return load_calendar(new_calendar(2026, routines or [
        {"hva": "Møte", "nar": {"ukentlig": "tirsdag"}, "hvordan": "Drøfter saker.", "ansvar": "Rektor"},
        {"hva": "TRK", "nar": {"uker": [41, 42]}, "hvordan": "Referat.", "ansvar": "Ledelsen"}]))


def _lenient_events(raw: bytes) -> int:
    """What a lenient parser counts: every CR, LF or CRLF ends a line."""
    return sum(1 for line in re.split(rb"\r\n|\r|\n", raw) if line.strip() == b"BEGIN:VEVENT")


@pytest.mark.parametrize("school", [
    "Fjordvik\rvgs", "Fjordvik\nvgs", "Fjordvik" + INJECTION, "Fjordvik\u2028vgs", "Fjordvik\x1b[2Jvgs",
    "Fjordvik; vgs, \\avd",
])
def test_school_name_cannot_add_events_or_crash(school: str) -> None:
    calendar = _calendar()
    items = occurrences(calendar)
    raw = to_ics(calendar, items, school, STAMP)
    expected = 2  # the weekly routine once (with RRULE), TRK in weeks 41–42 as one span
    assert len(ICalendar.from_ical(raw).walk("VEVENT")) == expected
    assert _lenient_events(raw) == expected
    assert b"\x1b" not in raw
    line = next(line for line in raw.split(b"\r\n") if line.startswith(b"X-WR-CALNAME:"))
    assert b"\r" not in line and b"\n" not in line


def test_text_in_events_is_escaped() -> None:
    """Even text the loader would refuse (built here without it) cannot break out of its property."""
    calendar = Calendar(date(2026, 8, 17), date(2027, 6, 18), routines=[
        {"hva": "Møte" + INJECTION, "nar": {"uker": [41]}, "hvordan": "A\r\nB\rC\x07", "ansvar": "Rektor"}])
    deadline = Occurrence(date(2026, 12, 1), date(2026, 12, 1), "2026-0001: evaluere T1\nEND:VEVENT", kind="frist")
    raw = to_ics(calendar, [*occurrences(calendar), deadline], "Fjordvik vgs", STAMP)
    events = ICalendar.from_ical(raw).walk("VEVENT")
    assert len(events) == 2 and _lenient_events(raw) == 2
    assert str(events[0]["summary"]) == "Møte" + INJECTION.replace("\r\n", "\n")
    assert str(events[0]["description"]) == "Hvordan: A\nB\nC\ufffd\nAnsvar: Rektor"
    assert str(events[1]["summary"]) == "2026-0001: evaluere T1\nEND:VEVENT"


def test_calendar_name() -> None:
    calendar = _calendar()
    raw = to_ics(calendar, occurrences(calendar), "Fjordvik vgs", STAMP)
    assert "X-WR-CALNAME:Årshjul og frister – Fjordvik vgs\r\n".encode() in raw
