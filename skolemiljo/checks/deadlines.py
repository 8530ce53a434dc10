"""The deadline checks: a case's facts (``content.deadline_facts``) judged against a day.

Every deadline is counted in working days (``workdays.Workdays``) from the day the
current round began (``melding.mottatt``, or the last reopening: ``domain.rounds``), with the numbers from ``calendar.yaml``
(``frister``). A deadline check reports what is *missing and overdue* and can still be
done; lateness that already happened is history, visible in ``skm show``/``history``.
Where the case's status already demands the item (the ``status`` check), the deadline
check stays silent, so one missing item is reported once.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from skolemiljo.domain.dates import format_date
from skolemiljo.domain.requirements import RULES_BY_ID
from skolemiljo.domain.workdays import Workdays

OPEN_STATUSES = ("mottatt", "undersokes", "tiltak")


def _uncovered(rule_id: str) -> frozenset[str]:
    """Open statuses in which the status rules do not yet demand the item."""
    return frozenset(OPEN_STATUSES) - RULES_BY_ID[rule_id].statuses


RECTOR_STATUSES = _uncovered("varsling-rektor")
OWNER_STATUSES = _uncovered("varsling-skoleeier-ansatt")
INVESTIGATION_STATUSES = _uncovered("undersokelse-startet")
PLAN_STATUSES = frozenset({"mottatt", "undersokes"})
RECTOR_SAKSTYPER = RULES_BY_ID["varsling-rektor"].when.sakstyper
OWNER_SAKSTYPER = ("ansatt-elev", "ledelse-elev")

Emit = Callable[[str, int, str], None]


def judge(facts: dict[str, Any], today: date, workdays: Workdays, frister: dict[str, int],
          wanted: frozenset[str] | set[str], emit: Emit) -> None:
    """Emit ``(check, line, message)`` for every deadline the case has missed by ``today``."""
    status = facts.get("s")
    lines = facts.get("L") or {}
    if "oppfolging-forfalt" in wanted and status == "avsluttet" and facts.get("o"):
        due_day = date.fromisoformat(facts["o"])
        if due_day < today:
            emit("oppfolging-forfalt", lines.get("o", 1),
                 f"Oppfølgingen etter avslutningen skulle vært gjort {format_date(due_day)} og er ikke "
                 "registrert (avslutning.oppfulgt)")
    if status not in OPEN_STATUSES:
        return
    received = date.fromisoformat(facts["m"]) if facts.get("m") else None
    if received is not None and received <= today:
        def due(key: str) -> date:
            return workdays.deadline(received, frister[key])

        sakstype = facts.get("t")
        if ("varsling-rektor-frist" in wanted and status in RECTOR_STATUSES and sakstype in RECTOR_SAKSTYPER
                and not facts.get("r") and (limit := due("varsle_rektor")) < today):
            emit("varsling-rektor-frist", lines.get("r", 1),
                 f"Rektor er ikke varslet (varsling.rektor); fristen var {format_date(limit)}")
        if ("varsling-skoleeier-frist" in wanted and status in OWNER_STATUSES and sakstype in OWNER_SAKSTYPER
                and not facts.get("k") and (limit := due("varsle_skoleeier")) < today):
            emit("varsling-skoleeier-frist", lines.get("k", 1),
                 f"Skoleeier er ikke varslet (varsling.skoleeier) i en {sakstype}-sak; fristen var {format_date(limit)}")
        if ("undersokelse-frist" in wanted and status in INVESTIGATION_STATUSES and not facts.get("u")
                and (limit := due("start_undersokelse")) < today):
            emit("undersokelse-frist", lines.get("u", 1),
                 f"Undersøkelsen er ikke startet (undersokelse.startet); fristen var {format_date(limit)}")
        if ("aktivitetsplan-frist" in wanted and status in PLAN_STATUSES
                and (limit := due("aktivitetsplan")) < today):
            if facts.get("c"):
                emit("aktivitetsplan-frist", lines.get("p", 1),
                     f"Saken er konkludert, men har ikke aktivitetsplan i status tiltak og er ikke avsluttet; "
                     f"fristen var {format_date(limit)}")
            else:
                emit("aktivitetsplan-frist", lines.get("c", 1),
                     f"Undersøkelsen er ikke konkludert (undersokelse.konklusjon); fristen for konklusjon og "
                     f"aktivitetsplan var {format_date(limit)}")
    if "evaluering-forfalt" in wanted and status == "tiltak":
        for label, due_iso, line in facts.get("e") or ():
            when = date.fromisoformat(due_iso)
            if when < today:
                emit("evaluering-forfalt", line, f"{label} skulle vært evaluert {format_date(when)}")
    if "uten-aktivitet" in wanted and facts.get("g"):
        last = date.fromisoformat(facts["g"])
        if last <= today and (limit := workdays.deadline(last, frister["uten_aktivitet"])) < today:
            emit("uten-aktivitet", lines.get("g", 1),
                 f"Ingen loggføring siden {format_date(last)} (mer enn {frister['uten_aktivitet']} arbeidsdager); "
                 f"saken er åpen")
