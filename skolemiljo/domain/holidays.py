"""Norwegian public holidays and the school holidays that move with the year.

Public holidays (helligdager) are the days of lov om helligdager og helligdagsfred § 2
(Sundays aside: a deadline in working days skips every weekend anyway) and the two
høgtidsdager of lov 26. april 1947 nr. 1, 1. and 17. mai. Easter comes from
``dateutil.easter``; every other movable holiday is a fixed number of days from it.
The same days as the ``holidays`` package's Norway (a test compares every year it covers,
1901–2100), at a tiny fraction of its cost: ``holidays`` took ~0.3 s to import and compute,
which every cold ``skm check`` and every ``skm status`` worker process paid.

The school holidays (``ferier``) and the first and last school day are the defaults
``skm init`` writes into a new ``calendar.yaml``; a school changes them there.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from dateutil.easter import easter

__all__ = ["easter_sunday", "public_holidays", "school_holidays", "school_year_dates"]

# Days from Easter Sunday: skjærtorsdag, langfredag, 1. and 2. påskedag, Kristi
# himmelfartsdag, 1. and 2. pinsedag.
_FROM_EASTER = (-3, -2, 0, 1, 39, 49, 50)
# (month, day): nyttårsdag, 1. and 2. juledag.
_FIXED = ((1, 1), (12, 25), (12, 26))
# (month, day), høgtidsdager since 1947: 1. mai and 17. mai.
_SINCE_1947 = ((5, 1), (5, 17))


def easter_sunday(year: int) -> date:
    """Easter Sunday of ``year`` (Western, Gregorian)."""
    return easter(year)


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The Norwegian public holidays of ``year`` (weekdays or not; Sundays not listed)."""
    sunday = easter_sunday(year)
    days = {sunday + timedelta(days=offset) for offset in _FROM_EASTER}
    days.update(date(year, month, day) for month, day in _FIXED)
    if year >= 1947:
        days.update(date(year, month, day) for month, day in _SINCE_1947)
    return frozenset(days)


def _iso_week_monday(year: int, week: int) -> date:
    return date.fromisocalendar(year, week, 1)


def _weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def school_year_dates(start_year: int) -> tuple[date, date]:
    """First school day (Monday of ISO week 34) and last (the weekday on or before 20 June)."""
    return _iso_week_monday(start_year, 34), _weekday_on_or_before(date(start_year + 1, 6, 20))


def school_holidays(start_year: int) -> list[tuple[str, date, date]]:
    """The usual school holidays of the school year ``start_year``/``start_year + 1``, first and last day.

    Høstferie in ISO week 40 and vinterferie in week 8 (Monday–Friday), juleferie 21 December
    to 2 January, påskeferie from the Monday before Easter to Easter Monday.
    """
    autumn = _iso_week_monday(start_year, 40)
    winter = _iso_week_monday(start_year + 1, 8)
    sunday = easter_sunday(start_year + 1)
    four_days = timedelta(days=4)
    return [
        ("Høstferie", autumn, autumn + four_days),
        ("Juleferie", date(start_year, 12, 21), date(start_year + 1, 1, 2)),
        ("Vinterferie", winter, winter + four_days),
        ("Påskeferie", sunday - timedelta(days=6), sunday + timedelta(days=1)),
    ]
