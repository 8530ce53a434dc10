"""Working-day arithmetic for the legal deadlines.

A working day is Monday–Friday, not a Norwegian public holiday (the ``holidays``
package) and, when the calendar's ``trekk_fra_ferier`` is true, not inside one
of the school holidays listed in ``calendar.yaml`` (``ferier``).
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any, Iterable

from skolemiljo.domain.schoolyear import Calendar

_ONE = timedelta(days=1)
_MIN_YEAR, _MAX_YEAR = 1900, 2200


def public_holidays(years: Iterable[int]) -> set[date]:
    """Norwegian public holidays (helligdager) of ``years``."""
    import holidays  # heavy import: only when a deadline is computed

    wanted = [y for y in years if _MIN_YEAR <= y <= _MAX_YEAR]
    if not wanted:
        return set()
    return set(holidays.country_holidays("NO", years=wanted).keys())


def _day_of_year(day: date) -> int:
    return day.toordinal() - date(day.year, 1, 1).toordinal() + 1


class Workdays:
    """Which days count, and the deadline ``n`` working days after a date."""

    def __init__(self, calendar: Calendar | None = None, public: set[date] | None = None,
                 public_years: Iterable[int] = ()) -> None:
        self._public: set[date] = set(public or ())
        self._years: set[int] = set(public_years)
        self._school: list[tuple[date, date]] = []
        if calendar is not None and calendar.subtract_holidays:
            self._school = [(first, last) for _name, first, last in calendar.holidays]
        self._memo: dict[tuple[date, int], date] = {}
        self._running: dict[int, list[int]] = {}  # year -> working days up to each day of the year

    def _ensure_year(self, year: int) -> None:
        if year not in self._years:
            self._years.add(year)
            self._public |= public_holidays([year])

    def is_public_holiday(self, day: date) -> bool:
        self._ensure_year(day.year)
        return day in self._public

    def is_school_holiday(self, day: date) -> bool:
        return any(first <= day <= last for first, last in self._school)

    def is_workday(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        return not self.is_public_holiday(day) and not self.is_school_holiday(day)

    def deadline(self, start: date, days: int) -> date:
        """The last day on which something due ``days`` working days after ``start`` is in time.

        ``days == 0``: ``start`` itself when it is a working day, else the next working day
        (a report on Saturday must be acted on by Monday). ``days >= 1``: the ``days``-th
        working day after ``start`` (a report on Friday with 1 day: Monday).
        """
        key = (start, days)
        found = self._memo.get(key)
        if found is not None:
            return found
        day = start
        if days == 0:
            while not self.is_workday(day):
                day += _ONE
        else:
            left = days
            while left:
                day += _ONE
                if self.is_workday(day):
                    left -= 1
        self._memo[key] = day
        return day

    def count(self, after: date, until: date) -> int:
        """Working days in ``(after, until]``.

        From running totals per year, so a case open for years costs no more than one
        open for a week (``skm status`` counts this for every open case).
        """
        if until <= after:
            return 0
        if after.year == until.year:
            running = self._running_total(after.year)
            return running[_day_of_year(until)] - running[_day_of_year(after)]
        first = self._running_total(after.year)
        total = first[-1] - first[_day_of_year(after)]
        for year in range(after.year + 1, until.year):
            total += self._running_total(year)[-1]
        return total + self._running_total(until.year)[_day_of_year(until)]

    def _running_total(self, year: int) -> list[int]:
        """``[0, w(1. jan), w(1.–2. jan), …]``: working days of ``year`` up to each day of the year."""
        running = self._running.get(year)
        if running is None:
            running = [0]
            first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
            for ordinal in range(first, last + 1):
                running.append(running[-1] + self.is_workday(date.fromordinal(ordinal)))
            self._running[year] = running
        return running

    @property
    def years_loaded(self) -> set[int]:
        return set(self._years)

    @property
    def public_days(self) -> set[date]:
        return set(self._public)


# ------------------------------------------------------- public holidays kept in a cache

def _holiday_key() -> str | None:
    """Identifies the installed ``holidays`` package without importing it (slow)."""
    import importlib.util

    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.origin:
        return None
    try:
        return f"{spec.origin}:{os.stat(spec.origin).st_mtime_ns}"
    except OSError:
        return None


def cached_workdays(calendar: Calendar | None, store: dict[str, Any]) -> Workdays:
    """``Workdays`` with the public holidays a cache's ``store`` kept (saves importing ``holidays``)."""
    key = _holiday_key()
    stored = store.get("holidays")
    if key and isinstance(stored, dict) and stored.get("key") == key:
        years = {int(y) for y in stored.get("years", {})}
        public = {date.fromisoformat(d) for days in stored.get("years", {}).values() for d in days}
        return Workdays(calendar, public, years)
    return Workdays(calendar)


def remember_holidays(workdays: Workdays, store: dict[str, Any]) -> bool:
    """Keep the public holidays ``workdays`` looked up in ``store``; True when it changed."""
    key = _holiday_key()
    stored = store.get("holidays")
    years = workdays.years_loaded
    if not key or (isinstance(stored, dict) and stored.get("key") == key
                   and {int(y) for y in stored.get("years", {})} == years):
        return False
    days = workdays.public_days
    store["holidays"] = {"key": key, "years": {
        str(y): sorted(d.isoformat() for d in days if d.year == y) for y in sorted(years)}}
    return True
