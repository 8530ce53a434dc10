"""Norwegian public holidays and the movable school holidays (``domain.holidays``)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from skolemiljo.domain.holidays import easter_sunday, public_holidays, school_holidays, school_year_dates
from skolemiljo.domain.workdays import Workdays

D = dt.date


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28)),
     (2000, D(2000, 4, 23)), (2038, D(2038, 4, 25)), (2285, D(2285, 3, 22))],
)
def test_easter_sunday(year: int, expected: dt.date) -> None:
    assert easter_sunday(year) == expected
    assert expected.weekday() == 6


def test_public_holidays_2027() -> None:
    assert sorted(public_holidays(2027)) == [
        D(2027, 1, 1),  # nyttårsdag
        D(2027, 3, 25), D(2027, 3, 26), D(2027, 3, 28), D(2027, 3, 29),  # skjærtorsdag – 2. påskedag
        D(2027, 5, 1),  # 1. mai
        D(2027, 5, 6),  # Kristi himmelfartsdag
        D(2027, 5, 16),  # 1. pinsedag
        D(2027, 5, 17),  # 17. mai and 2. pinsedag, the same day in 2027
        D(2027, 12, 25), D(2027, 12, 26),  # 1. and 2. juledag
    ]


def test_høgtidsdager_only_since_1947() -> None:
    assert D(1946, 5, 17) not in public_holidays(1946) and D(1946, 5, 1) not in public_holidays(1946)
    assert D(1947, 5, 17) in public_holidays(1947) and D(1947, 5, 1) in public_holidays(1947)


def test_same_days_as_the_holidays_package() -> None:
    """Differential: the days of the ``holidays`` package's Norway (Sundays not included, as skm
    counts them) in every year it covers (1901–2100 in holidays 0.109)."""
    holidays = pytest.importorskip("holidays")
    years = range(holidays.NO.start_year, holidays.NO.end_year + 1)
    assert len(years) >= 200
    theirs = holidays.country_holidays("NO", years=list(years))
    for year in years:
        expected = {day for day in theirs if day.year == year}
        assert public_holidays(year) == expected, year


def test_working_days_skip_public_holidays() -> None:
    days = Workdays()
    assert not days.is_workday(D(2027, 3, 25)) and not days.is_workday(D(2027, 5, 6))
    assert days.is_workday(D(2027, 3, 24))
    assert days.deadline(D(2027, 3, 24), 1) == D(2027, 3, 30)  # Wednesday before Easter + 1
    # 261 weekdays in 2027; 1 Jan, 25, 26 and 29 Mar, 6 and 17 May are public holidays on weekdays.
    assert days.count(D(2026, 12, 31), D(2027, 12, 31)) == 261 - 6


def test_school_year_dates() -> None:
    assert school_year_dates(2026) == (D(2026, 8, 17), D(2027, 6, 18))
    assert school_year_dates(2027) == (D(2027, 8, 23), D(2028, 6, 20))
    first, last = school_year_dates(2031)
    assert first.isocalendar()[1:] == (34, 1) and last.weekday() < 5 and last <= D(2032, 6, 20)


def test_school_holidays_2026() -> None:
    assert school_holidays(2026) == [
        ("Høstferie", D(2026, 9, 28), D(2026, 10, 2)),
        ("Juleferie", D(2026, 12, 21), D(2027, 1, 2)),
        ("Vinterferie", D(2027, 2, 22), D(2027, 2, 26)),
        ("Påskeferie", D(2027, 3, 22), D(2027, 3, 29)),  # Monday before Easter to Easter Monday
    ]


@pytest.mark.parametrize("start_year", range(2020, 2045))
def test_påskeferie_holds_easter(start_year: int) -> None:
    easter = easter_sunday(start_year + 1)
    name, first, last = school_holidays(start_year)[3]
    assert name == "Påskeferie" and first.weekday() == 0 and first < easter < last == easter + dt.timedelta(days=1)


def test_counting_working_days_does_not_import_the_holidays_package() -> None:
    code = ("import sys; from skolemiljo.domain.workdays import Workdays; import datetime as dt; "
            "Workdays().count(dt.date(2016, 1, 1), dt.date(2027, 1, 1)); "
            "print('holidays' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
