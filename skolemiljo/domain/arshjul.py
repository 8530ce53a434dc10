"""The årshjul in time: the calendar's routines expanded into dated occurrences.

A routine's ``nar`` says when it happens (ISO weeks, months, dates, a weekday every
week, or all year); ``occurrences`` turns that into spans of days within the school
year. ``skm calendar`` lists them by week and ``ics.py`` exports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterator

from skolemiljo.domain.schoolyear import WEEKDAYS, Calendar


@dataclass(frozen=True)
class Occurrence:
    """One routine (or case deadline) on a span of days, ``first`` to ``last`` inclusive."""

    first: date
    last: date
    title: str
    how: str = ""
    who: str = ""
    kind: str = "rutine"  # "rutine" | "frist"
    weekly: str | None = None  # weekday name when the routine repeats every week

    def overlaps(self, start: date, end: date) -> bool:
        return self.first <= end and self.last >= start


def _year_of_week(calendar: Calendar, week: int) -> int:
    autumn = calendar.start.year
    return autumn if week >= calendar.start.isocalendar()[1] - 2 else autumn + 1


def _year_of_month(calendar: Calendar, month: int) -> int:
    autumn = calendar.start.year
    return autumn if month >= calendar.start.month else autumn + 1


def _week_spans(weeks: list[int]) -> Iterator[list[int]]:
    """Consecutive weeks together: [41, 42, 4, 5] → [41, 42], [4, 5]."""
    span: list[int] = []
    for week in weeks:
        if span and week != span[-1] + 1:
            yield span
            span = []
        span.append(week)
    if span:
        yield span


def _has_week_53(year: int) -> bool:
    return date(year, 12, 28).isocalendar()[1] == 53


def _clip(calendar: Calendar, first: date, last: date) -> tuple[date, date] | None:
    first, last = max(first, calendar.start), min(last, calendar.end)
    return (first, last) if first <= last else None


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


def routine_occurrences(calendar: Calendar, routine: dict[str, Any]) -> list[Occurrence]:
    """Every span of days ``routine`` covers in the school year (all-year routines: none)."""
    when = routine.get("nar") or {}
    base = {"title": str(routine.get("hva", "")), "how": str(routine.get("hvordan", "")),
            "who": str(routine.get("ansvar", ""))}
    spans: list[tuple[date, date]] = []
    weekly = None
    if when.get("uker"):
        # Week 53 only in the years that have one.
        weeks = [w for w in when["uker"] if w < 53 or _has_week_53(_year_of_week(calendar, w))]
        for span in _week_spans(sorted(weeks, key=lambda w: (_year_of_week(calendar, w), w))):
            year = _year_of_week(calendar, span[0])
            first = date.fromisocalendar(year, span[0], 1)
            last = date.fromisocalendar(_year_of_week(calendar, span[-1]), span[-1], 5)
            spans.append((first, last))
    elif when.get("maneder"):
        for month in when["maneder"]:
            year = _year_of_month(calendar, month)
            spans.append((date(year, month, 1), _month_end(year, month)))
    elif when.get("datoer"):
        for value in when["datoer"]:
            day = date.fromisoformat(str(value))
            spans.append((day, day))
    elif when.get("ukentlig"):
        weekly = str(when["ukentlig"])
        index = WEEKDAYS.index(weekly)
        day = calendar.start + timedelta(days=(index - calendar.start.weekday()) % 7)
        while day <= calendar.end:
            if not calendar.is_school_holiday(day):
                spans.append((day, day))
            day += timedelta(days=7)
    out = []
    for first, last in spans:
        clipped = _clip(calendar, first, last)
        if clipped:
            out.append(Occurrence(clipped[0], clipped[1], weekly=weekly, **base))
    return out


def all_year(calendar: Calendar) -> list[dict[str, Any]]:
    """Routines that run all year (``hele_aret``)."""
    return [r for r in calendar.routines if (r.get("nar") or {}).get("hele_aret")]


def occurrences(calendar: Calendar) -> list[Occurrence]:
    """Every dated routine occurrence of the school year, in date order."""
    found = [occ for routine in calendar.routines for occ in routine_occurrences(calendar, routine)]
    return sorted(found, key=lambda o: (o.first, o.last, o.title))


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
