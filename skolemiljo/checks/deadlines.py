"""The deadline checks: the deadline engine's obligations (``domain.deadlines``) judged against a day.

Every deadline is counted by the engine, the one that ``skm status`` and ``skm calendar`` use,
in working days (``workdays.Workdays``) with the numbers from ``calendar.yaml`` (``frister``).
A deadline check reports what is *missing and overdue* and can still be done; lateness that
already happened is history, visible in ``skm show``/``history``. Where the case's status already
demands the item (the ``status`` check), the deadline check stays silent, so one missing item is
reported once.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from skolemiljo.domain import deadlines
from skolemiljo.domain.dates import format_date
from skolemiljo.domain.model import OPEN_STATUSES
from skolemiljo.domain.requirements import RULES_BY_ID
from skolemiljo.domain.workdays import Workdays

__all__ = ["DEMANDED_BY_STATUS", "OPEN_STATUSES", "judge", "message", "obligation_record", "reported"]

#: The status rule that demands a deadline's item: in its statuses the ``status`` check reports it.
DEMANDED_BY_STATUS = {
    deadlines.RECTOR: RULES_BY_ID["varsling-rektor"].statuses,
    deadlines.OWNER: RULES_BY_ID["varsling-skoleeier-ansatt"].statuses,
    deadlines.INVESTIGATION: RULES_BY_ID["undersokelse-startet"].statuses,
}
# Reported by content.py at once (a missing date is missing whatever the day), or by no check.
_NOT_JUDGED = frozenset({deadlines.EVALUATION_DATE})

Emit = Callable[[str, int, str], None]


def obligation_record(item: deadlines.Obligation, line: int) -> list[Any]:
    """One obligation as the check cache keeps it (JSON): ``[kind, subject, start, frist, line]``."""
    return [item.kind, item.subject, item.start.isoformat(), item.frist, line]


def reported(kind: str, status: Any) -> bool:
    """Whether a deadline check reports a missed ``kind`` in ``status`` (the ``status`` check may have it)."""
    return kind not in _NOT_JUDGED and status not in DEMANDED_BY_STATUS.get(kind, ())


def message(kind: str, subject: str, start: date, due: date, frister: dict[str, int]) -> str:
    """The check's Norwegian message for a missed deadline (field names, labels and dates only)."""
    limit = format_date(due)
    if kind == deadlines.RECTOR:
        return f"Rektor er ikke varslet (varsling.rektor); fristen var {limit}"
    if kind == deadlines.OWNER:
        return f"Skoleeier er ikke varslet (varsling.skoleeier) i en {subject}-sak; fristen var {limit}"
    if kind == deadlines.INVESTIGATION:
        return f"Undersøkelsen er ikke startet (undersokelse.startet); fristen var {limit}"
    if kind == deadlines.PLAN and subject == "konkludert":
        return ("Saken er konkludert, men har ikke aktivitetsplan i status tiltak og er ikke avsluttet; "
                f"fristen var {limit}")
    if kind == deadlines.PLAN:
        return ("Undersøkelsen er ikke konkludert (undersokelse.konklusjon); fristen for konklusjon og "
                f"aktivitetsplan var {limit}")
    if kind == deadlines.EVALUATION:
        return f"{subject} skulle vært evaluert {limit}"
    if kind == deadlines.FOLLOW_UP:
        return (f"Oppfølgingen etter avslutningen skulle vært gjort {limit} og er ikke registrert "
                "(avslutning.oppfulgt)")
    if kind == deadlines.INACTIVE:
        return (f"Ingen loggføring siden {format_date(start)} (mer enn {frister['uten_aktivitet']} "
                "arbeidsdager); saken er åpen")
    raise ValueError(f"no message for deadline kind {kind}")


def judge(facts: dict[str, Any], today: date, workdays: Workdays, frister: dict[str, int],
          wanted: frozenset[str] | set[str], emit: Emit) -> None:
    """Emit ``(check, line, message)`` for every deadline the case has missed by ``today``."""
    status = facts.get("s")
    if status not in OPEN_STATUSES and status != "avsluttet":
        return
    for kind, subject, start_iso, frist, line in facts.get("o") or ():
        if kind not in wanted or not reported(kind, status):
            continue
        start = date.fromisoformat(start_iso)
        due = deadlines.due_on(start, frist, workdays, frister)
        if due < today:
            emit(kind, line, message(kind, subject, start, due, frister))
