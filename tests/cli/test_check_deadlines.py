"""Deadlines in working days: weekends, Easter 2027, the autumn holiday (week 40, 2026)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skolemiljo.storage import yamlio
from skolemiljo.domain.schoolyear import DEFAULT_DEADLINES, load_calendar, new_calendar
from skolemiljo.storage.casefiles import case_document
from skolemiljo.checks.content import analyse
from skolemiljo.checks.deadlines import judge
from skolemiljo.domain.workdays import Workdays
from check_fixtures import (
    avsluttet, build_clean, commit_case, evaluering, log, melding, planlagt, tiltak, undersokes, varslet,
)

D = date.fromisoformat
CAL_2026 = load_calendar(new_calendar(2026, []))  # høstferie 28 Sep–2 Oct, påskeferie 22–29 Mar 2027
NO_HOLIDAYS = load_calendar({**new_calendar(2026, []), "trekk_fra_ferier": False})
ALL = frozenset({"varsling-rektor-frist", "varsling-skoleeier-frist", "undersokelse-frist", "aktivitetsplan-frist",
                 "evaluering-forfalt", "uten-aktivitet"})


def due(data: dict, today: str, calendar=CAL_2026, frister: dict | None = None) -> list[tuple[str, int, str]]:
    """The deadline findings of one case on ``today``: ``(check, line, message)``."""
    record = analyse(f"cases/{data['id']}.yaml", case_document(data).encode())
    found: list[tuple[str, int, str]] = []
    judge(record["deadlines"], D(today), Workdays(calendar), {**DEFAULT_DEADLINES, **(frister or {})}, ALL,
          lambda check, line, message: found.append((check, line, message)))
    return found


def checks(data: dict, today: str, only: str | None = None, **kw) -> list[str]:
    return [f[0] for f in due(data, today, **kw) if only is None or f[0] == only]


# ------------------------------------------------------------------ working days


def test_weekends() -> None:
    days = Workdays(CAL_2026)
    assert days.deadline(D("2026-11-13"), 1) == D("2026-11-16")  # Friday + 1: Monday
    assert days.deadline(D("2026-11-14"), 0) == D("2026-11-16")  # Saturday, same day: Monday
    assert days.deadline(D("2026-11-13"), 0) == D("2026-11-13")  # Friday, same day: Friday
    assert days.deadline(D("2026-11-12"), 2) == D("2026-11-16")  # Thursday + 2: Monday
    assert days.deadline(D("2026-11-16"), 5) == D("2026-11-23")  # Monday + 5: next Monday
    assert days.count(D("2026-11-13"), D("2026-11-20")) == 5


def test_easter_2027_public_holidays() -> None:
    days = Workdays(NO_HOLIDAYS)  # public holidays only
    for holiday in ("2027-03-25", "2027-03-26", "2027-03-29"):  # skjærtorsdag, langfredag, 2. påskedag
        assert days.is_public_holiday(D(holiday)) and not days.is_workday(D(holiday))
    assert days.is_workday(D("2027-03-24")) and days.is_workday(D("2027-03-30"))
    assert days.deadline(D("2027-03-24"), 1) == D("2027-03-30")
    assert days.deadline(D("2027-03-23"), 2) == D("2027-03-30")
    assert days.deadline(D("2027-03-25"), 0) == D("2027-03-30")  # reported on skjærtorsdag
    assert days.deadline(D("2027-03-19"), 5) == D("2027-03-31")


def test_easter_2027_with_the_school_easter_holiday() -> None:
    days = Workdays(CAL_2026)  # påskeferie 22–29 March is subtracted as well
    assert not days.is_workday(D("2027-03-22")) and not days.is_workday(D("2027-03-24"))
    assert days.deadline(D("2027-03-19"), 1) == D("2027-03-30")
    assert days.deadline(D("2027-03-19"), 5) == D("2027-04-05")


def test_autumn_holiday_week_40_2026() -> None:
    with_holiday, without = Workdays(CAL_2026), Workdays(NO_HOLIDAYS)
    assert not with_holiday.is_workday(D("2026-09-30")) and without.is_workday(D("2026-09-30"))
    assert with_holiday.deadline(D("2026-09-25"), 2) == D("2026-10-06")
    assert without.deadline(D("2026-09-25"), 2) == D("2026-09-29")
    assert with_holiday.deadline(D("2026-10-01"), 20) == D("2026-10-30")


def test_other_public_holidays() -> None:
    days = Workdays(NO_HOLIDAYS)
    for holiday in ("2027-05-17", "2027-05-06", "2027-01-01", "2026-12-25", "2026-12-26", "2027-05-01"):
        assert not days.is_workday(D(holiday))
    assert days.deadline(D("2027-05-14"), 1) == D("2027-05-18")  # Friday before 17 May (and Whit Monday)


# ----------------------------------------------------------------------- the rules


def test_rector_deadline_around_a_weekend() -> None:
    case = melding("2026-0040", "2026-11-13")  # Friday, nobody told rektor
    assert checks(case, "2026-11-16") == []  # Monday is the deadline day
    found = due(case, "2026-11-17")
    assert [f[0] for f in found] == ["varsling-rektor-frist"]
    assert found[0][2] == "Rektor er ikke varslet (varsling.rektor); fristen var 16. november 2026"
    assert checks(varslet(case, rektor="2026-11-17"), "2026-11-17") == []  # late but done: history


def test_rector_deadline_over_easter() -> None:
    case = melding("2026-0041", "2027-03-24")
    assert checks(case, "2027-03-30", calendar=NO_HOLIDAYS) == []
    assert checks(case, "2027-03-31", calendar=NO_HOLIDAYS) == ["varsling-rektor-frist"]


def test_rector_not_required_in_leadership_cases() -> None:
    case = melding("2026-0042", "2026-11-13", sakstype="ledelse-elev")
    assert checks(case, "2026-11-17") == ["varsling-skoleeier-frist"]


def test_owner_same_day() -> None:
    case = varslet(melding("2026-0043", "2026-11-14", sakstype="ansatt-elev"), rektor="2026-11-14")  # Saturday
    assert checks(case, "2026-11-16") == []
    assert checks(case, "2026-11-17") == ["varsling-skoleeier-frist"]
    assert checks(varslet(case, skoleeier="2026-11-17"), "2026-11-17") == []
    assert checks(varslet(melding("2026-0044", "2026-11-14", alvorlig=True), rektor="2026-11-14"), "2026-11-17") == []


def test_investigation_deadline_over_the_autumn_holiday() -> None:
    case = varslet(melding("2026-0045", "2026-09-25"), rektor="2026-09-25")
    log(case, "2026-10-06", "Samtale planlagt.")
    assert checks(case, "2026-10-06") == []
    assert checks(case, "2026-10-07") == ["undersokelse-frist"]
    assert checks(case, "2026-09-30", calendar=NO_HOLIDAYS) == ["undersokelse-frist"]
    started = undersokes(case, "2026-10-01")
    assert "undersokelse-frist" not in checks(started, "2026-10-07")


def test_plan_deadline_five_working_days() -> None:
    case = undersokes(varslet(melding("2026-0046", "2026-11-05"), rektor="2026-11-05"), "2026-11-06")
    assert checks(case, "2026-11-12") == []
    found = due(case, "2026-11-13")
    assert [f[0] for f in found] == ["aktivitetsplan-frist"]
    assert "ikke konkludert" in found[0][2] and "12. november 2026" in found[0][2]
    concluded = undersokes(varslet(melding("2026-0047", "2026-11-05"), rektor="2026-11-05"), "2026-11-06",
                           konklusjon="Eleven har ikke et trygt og godt skolemiljø.")
    found = due(concluded, "2026-11-13")
    assert [f[0] for f in found] == ["aktivitetsplan-frist"] and "konkludert, men" in found[0][2]
    planned = planlagt(concluded, "2026-11-12", tiltak("T1", "2026-11-13", "2026-12-18", "2026-11-27"))
    assert checks(planned, "2026-11-13") == []


def test_status_already_demands_it_so_no_deadline_finding() -> None:
    """A case in undersokes without rektor notified is the status check's finding, not a deadline one."""
    case = undersokes(melding("2026-0048", "2026-11-02"), "2026-11-03",
                      konklusjon="Eleven har ikke et trygt og godt skolemiljø.")
    assert "varsling-rektor-frist" not in checks(case, "2026-11-20")


def test_evaluation_overdue_and_on_time() -> None:
    def case(*items):
        return planlagt(undersokes(varslet(melding("2026-0049", "2026-10-12"), rektor="2026-10-12"), "2026-10-13",
                                   konklusjon="Ikke trygt."), "2026-10-16", *items)

    assert checks(case(tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06")), "2026-11-06") == []
    assert checks(case(tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06")), "2026-11-09") == ["evaluering-forfalt"]
    on_time = tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06", evaluering("2026-11-06", "fortsett", "2026-11-20"))
    assert checks(case(on_time), "2026-11-20", "evaluering-forfalt") == []
    found = due(case(on_time), "2026-11-23")
    assert found[0][:1] == ("evaluering-forfalt",) and found[0][2] == "T1 skulle vært evaluert 20. november 2026"
    early = tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06", evaluering("2026-11-02", "fortsett", "2026-11-30"))
    assert checks(case(early), "2026-11-20", "evaluering-forfalt") == []  # the next date replaces evalueres
    ended = tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06", evaluering("2026-11-06", "avslutt"))
    assert checks(case(ended), "2027-01-20", "evaluering-forfalt") == []
    stopped = tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06")
    stopped["avsluttet"] = "2026-11-02"
    assert checks(case(stopped), "2026-11-20", "evaluering-forfalt") == []
    closed = avsluttet(case(tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06")), "2026-11-04", "2026-12-04")
    assert checks(closed, "2027-01-20") == []


def test_no_activity_warning() -> None:
    case = planlagt(undersokes(varslet(melding("2026-0050", "2026-09-21"), rektor="2026-09-21"), "2026-09-22",
                               konklusjon="Ikke trygt."), "2026-10-01",
                    tiltak("T1", "2026-10-05", "2027-01-29", "2027-01-15"))
    assert checks(case, "2026-10-30") == []  # 20 working days after 1 October (autumn holiday skipped)
    found = due(case, "2026-11-02")
    assert [f[0] for f in found] == ["uten-aktivitet"] and "1. oktober 2026" in found[0][2]
    case["logg"] = []
    assert checks(case, "2026-11-02") == ["uten-aktivitet"]  # no log at all: counted from the report


def test_frister_from_the_calendar() -> None:
    case = melding("2026-0051", "2026-11-13")
    assert checks(case, "2026-11-17", frister={"varsle_rektor": 3}) == []
    assert checks(case, "2026-11-19", frister={"varsle_rektor": 3}) == ["varsling-rektor-frist", "undersokelse-frist"]


# ------------------------------------------------------------------ through the CLI


def test_calendar_settings_in_the_repository(skm, tmp_path: Path) -> None:
    repo = build_clean(tmp_path / "saker")
    case = varslet(melding("2026-0060", "2026-09-25"), rektor="2026-09-25")
    commit_case(repo, case)
    assert skm("check", "undersokelse-frist", "--today", "2026-10-06", cwd=repo.root).exit_code == 0
    result = skm("check", "undersokelse-frist", "--today", "2026-10-07", cwd=repo.root)
    assert result.exit_code == 1 and "cases/2026-0060.yaml" in result.stdout
    assert "fristen var 6. oktober 2026" in result.stdout
    calendar = repo.calendar_path
    calendar.write_text(calendar.read_text(encoding="utf-8").replace("trekk_fra_ferier: true",
                                                                     "trekk_fra_ferier: false"), encoding="utf-8")
    result = skm("check", "undersokelse-frist", "--today", "2026-09-30", cwd=repo.root)
    assert "fristen var 29. september 2026" in result.stdout
    calendar.write_text(calendar.read_text(encoding="utf-8").replace("start_undersokelse: 2",
                                                                     "start_undersokelse: 4"), encoding="utf-8")
    assert skm("check", "undersokelse-frist", "--today", "2026-10-01", cwd=repo.root).exit_code == 0


def test_broken_calendar_is_a_finding_and_defaults_apply(skm, tmp_path: Path) -> None:
    repo = build_clean(tmp_path / "saker")
    repo.calendar_path.write_text("skolear: [\n", encoding="utf-8")
    result = skm("check", cwd=repo.root)
    assert result.exit_code == 1
    assert result.stdout.startswith("calendar.yaml:")
    assert "[kalender]" in result.stdout
    repo.calendar_path.write_text(yamlio.dump({"skolear": {"start": "2026-08-17", "slutt": "2026-06-18"}}),
                                  encoding="utf-8")
    result = skm("check", "kalender", cwd=repo.root)
    # At the line of the field (skolear.slutt), without the file name twice.
    assert "calendar.yaml:3: error [kalender] skolear.slutt kan ikke være før skolear.start" in result.stdout


@pytest.mark.parametrize("today, expected", [("2026-11-20", 0), ("2026-11-23", 1)])
def test_deadline_day_itself_is_in_time(skm, tmp_path: Path, today: str, expected: int) -> None:
    repo = build_clean(tmp_path / "saker")
    commit_case(repo, varslet(melding("2026-0061", "2026-11-18"), rektor="2026-11-18"))  # Wed + 2: Friday
    assert skm("check", "undersokelse-frist", "--today", today, cwd=repo.root).exit_code == expected


def test_latest_fact_date_agrees_with_fact_dates() -> None:
    from skolemiljo.checks.content import fact_dates, latest_fact_date
    from check_fixtures import clean_cases, secret_case

    for data in [*clean_cases(), secret_case()]:
        assert latest_fact_date(data) == max(d for _p, d in fact_dates(data)).isoformat()
    assert latest_fact_date({"melding": {"mottatt": "2026-02-30"}}) is None


@settings(max_examples=200, deadline=None)
@given(after=st.dates(date(2023, 1, 1), date(2028, 12, 31)), length=st.integers(-5, 1200),
       with_school_holidays=st.booleans())
def test_count_agrees_with_counting_day_by_day(after: date, length: int, with_school_holidays: bool) -> None:
    """``count`` uses running totals per year; the obvious day-by-day loop is the reference."""
    days = Workdays(CAL_2026 if with_school_holidays else NO_HOLIDAYS)
    until = date.fromordinal(after.toordinal() + length)
    expected = sum(days.is_workday(date.fromordinal(o)) for o in range(after.toordinal() + 1, until.toordinal() + 1))
    assert days.count(after, until) == expected


def test_count_at_the_ends_of_the_calendar() -> None:
    days = Workdays(NO_HOLIDAYS)
    assert days.count(date(9999, 12, 24), date(9999, 12, 31)) == 5
    assert days.count(date(1, 1, 1), date(1, 1, 8)) == 5
