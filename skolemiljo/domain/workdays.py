"""Working-day arithmetic for the legal deadlines.

A working day is Monday–Friday, not a Norwegian public holiday (``holidays.public_holidays``)
and, when the calendar's ``trekk_fra_ferier`` is true, not inside one of the school holidays
listed in ``calendar.yaml`` (``ferier``).
"""

from __future__ import annotations

from datetime import date, timedelta

from skolemiljo.domain.holidays import public_holidays
from skolemiljo.domain.schoolyear import Calendar

_ONE = timedelta(days=1)


def _day_of_year(day: date) -> int:
    return day.toordinal() - date(day.year, 1, 1).toordinal() + 1


class Workdays:
    """Which days count, and the deadline ``n`` working days after a date."""

    def __init__(self, calendar: Calendar | None = None) -> None:
        self._school: list[tuple[date, date]] = []
        if calendar is not None and calendar.subtract_holidays:
            self._school = [(first, last) for _name, first, last in calendar.holidays]
        self._memo: dict[tuple[date, int], date] = {}
        self._running: dict[int, list[int]] = {}  # year -> working days up to each day of the year

    def is_public_holiday(self, day: date) -> bool:
        return day in public_holidays(day.year)

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
