"""The deadline engine: every deadline a case has, counted in one place (pure; no files, no clock).

``skm check`` (the ``*-frist``, ``evaluering-*`` and ``uten-aktivitet`` checks), ``skm status``,
``skm calendar`` and the ``.ics`` export all take a case's deadlines from here, so they can
never disagree about what a case owes or when.

Two steps, so each can be cached where it is cheap:

1. ``obligations(case)``: what the case still owes, each counted from a day (the report, the
   last log entry, an evaluation) by a number of working days named in ``calendar.yaml``
   (``frister``), or due on a fixed day. Needs no calendar: ``skm check`` caches these.
2. ``resolve(obligation, workdays, frister)``: the last day in time (``Deadline``).

The rules, one per kind (the kind is the id of the check that reports it when missed):

- ``varsling-rektor-frist`` "varsle rektor": open case of a sakstype in which rektor is told
  (``requirements`` rule ``varsling-rektor``), ``varsling.rektor.dato`` not a date; ``varsle_rektor``
  working days from the start.
- ``varsling-skoleeier-frist`` "varsle skoleeier": open ``ansatt-elev``/``ledelse-elev`` case
  (legal: skjerpa), ``varsling.skoleeier.dato`` not a date; ``varsle_skoleeier`` working days.
- ``undersokelse-frist`` "starte undersøkelsen": open case, ``undersokelse.startet`` not a date;
  ``start_undersokelse`` working days.
- ``aktivitetsplan-frist`` "konklusjon og aktivitetsplan" (or "aktivitetsplan (status tiltak)" once
  concluded): a case still in ``mottatt``/``undersokes``; ``aktivitetsplan`` working days.
- ``evaluering-forfalt`` "evaluere T1": a tiltak not ended in a case in ``tiltak``; due on the last
  evaluation's ``neste_evaluering``, else the tiltak's ``evalueres``, until an evaluation is dated
  on or after that day.
- ``evaluering-mangler-dato`` "ny evalueringsdato for T1": the last evaluation says ``fortsett``
  or ``endre`` and has no ``neste_evaluering``; due on that evaluation's day.
- ``uten-aktivitet`` "loggføre i saken": an open case; ``uten_aktivitet`` working days after the
  last log entry (or the start, when that is later or the log is empty).
- ``oppfolging-forfalt`` "oppfølging etter avslutning": a closed case's agreed follow-up day, until
  the follow-up is recorded (``avslutning.oppfulgt``, ``skm follow-up``).

A notification or the investigation counts as done when its date is a real date: *when* it was
done is what a deadline asks. Who did it (``av``) is documentation, demanded by the ``status``
rules and the schema (``skm check`` reports it missing), not a second deadline.

Everything is counted from ``counting_start(case)``: the day the current round began, that is the
report (``melding.mottatt``) or the last reopening (``domain.rounds``): a deadline counts from the day
the school learned of the matter, and this is the one place that says which day that is.
Labels are neutral: a tiltak by ``model.tiltak_label`` (its id only when it is a tiltak id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from skolemiljo.domain import rounds
from skolemiljo.domain.dates import as_date
from skolemiljo.domain.model import OPEN_STATUSES, is_empty, is_filled, shown_id, tiltak_label, tiltak_list
from skolemiljo.domain.requirements import RULES_BY_ID
from skolemiljo.domain.workdays import Workdays

Path_ = tuple[Any, ...]

RECTOR = "varsling-rektor-frist"
OWNER = "varsling-skoleeier-frist"
INVESTIGATION = "undersokelse-frist"
PLAN = "aktivitetsplan-frist"
EVALUATION = "evaluering-forfalt"
EVALUATION_DATE = "evaluering-mangler-dato"
INACTIVE = "uten-aktivitet"
FOLLOW_UP = "oppfolging-forfalt"

#: Every kind, in the order of the case's course.
KINDS = (RECTOR, OWNER, INVESTIGATION, PLAN, EVALUATION, EVALUATION_DATE, INACTIVE, FOLLOW_UP)

# The sakstyper in which rektor is told (legal: melde; in ledelse-elev cases skoleeier is told
# directly), and those in which skoleeier is told straks (legal: skjerpa).
RECTOR_SAKSTYPER = RULES_BY_ID["varsling-rektor"].when.sakstyper
OWNER_SAKSTYPER = ("ansatt-elev", "ledelse-elev")
PLAN_STATUSES = ("mottatt", "undersokes")


@dataclass(frozen=True)
class Obligation:
    """Something a case owes, before the calendar turns it into a day.

    ``start``: the day it is counted from; ``frist``: the key in ``calendar.yaml``'s ``frister``
    (working days after ``start``), or None when ``start`` is the day itself. ``where``: the
    fields to point at (the first one written wins). ``subject``: what the check's message names
    besides the field (a tiltak label, the sakstype, "konkludert"); never case text.
    """

    kind: str
    what: str
    start: date
    frist: str | None
    where: tuple[Path_, ...]
    subject: str = ""


@dataclass(frozen=True)
class Deadline:
    """Something a case owes by ``due``; ``what`` names it without case text."""

    case_id: str
    due: date
    what: str
    kind: str = ""

    def as_json(self, today: date) -> dict[str, Any]:
        return {"sak": self.case_id, "frist": self.due.isoformat(), "hva": self.what, "forfalt": self.due < today}


def _get(obj: Any, *keys: Any) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def counting_start(case: dict[str, Any]) -> date | None:
    """The day a case's deadlines are counted from: the report (``melding.mottatt``), or for a
    reopened case the last reopening (a reopening starts a new round)."""
    return rounds.round_start(case)[0]


def _last_evaluation(item: Any) -> tuple[int, date, dict[str, Any]] | None:
    """The latest dated evaluation of a tiltak (later in the list wins a tie)."""
    best = None
    evaluations = _get(item, "evalueringer")
    for index, evaluation in enumerate(evaluations if isinstance(evaluations, list) else ()):
        when = as_date(_get(evaluation, "dato"))
        if when and (best is None or (when, index) >= (best[1], best[0])):
            best = (index, when, evaluation)
    return best


def evaluation_obligations(case: dict[str, Any]) -> list[Obligation]:
    """The evaluations a case in ``tiltak`` owes (``evaluering-forfalt``, ``evaluering-mangler-dato``)."""
    if case.get("status") != "tiltak":
        return []
    out: list[Obligation] = []
    for index, item in enumerate(tiltak_list(case)):
        if not isinstance(item, dict) or not is_empty(item.get("avsluttet")):
            continue
        label = tiltak_label(item, index)
        base: Path_ = ("aktivitetsplan", "tiltak", index)
        due, due_path = as_date(item.get("evalueres")), base + ("evalueres",)
        last = _last_evaluation(item)
        if last is not None:
            e_index, when, evaluation = last
            if evaluation.get("videre") == "avslutt":
                continue
            following = evaluation.get("neste_evaluering")
            if is_empty(following):
                if evaluation.get("videre") in ("fortsett", "endre"):
                    out.append(Obligation(EVALUATION_DATE, f"ny evalueringsdato for {label}", when, None,
                                          (base + ("evalueringer", e_index, "videre"),), label))
            elif as_date(following):
                due, due_path = as_date(following), base + ("evalueringer", e_index, "neste_evaluering")
        if due is None:
            continue
        evaluations = item.get("evalueringer")
        dates = [as_date(_get(e, "dato")) for e in (evaluations if isinstance(evaluations, list) else ())]
        if not any(d and d >= due for d in dates):
            out.append(Obligation(EVALUATION, f"evaluere {label}", due, None, (due_path,), label))
    return out


def last_activity(case: dict[str, Any], start: date | None) -> tuple[date | None, Path_]:
    """The day of the last log entry (or ``start`` when later or the log is empty) and its path."""
    last, where = start, ("logg",)
    entries = case.get("logg")
    for index, entry in enumerate(entries if isinstance(entries, list) else ()):
        when = as_date(_get(entry, "dato"))
        if when and (last is None or when >= last):
            last, where = when, ("logg", index)
    return last, where


def obligations(case: dict[str, Any], start: date | None = None) -> list[Obligation]:
    """Everything ``case`` still owes (see the module docstring); ``start`` defaults to
    ``counting_start(case)``."""
    status = case.get("status")
    if status == "avsluttet":
        follow_up = as_date(_get(case, "avslutning", "oppfolging"))
        if follow_up is None or not is_empty(_get(case, "avslutning", "oppfulgt")):
            return []
        return [Obligation(FOLLOW_UP, "oppfølging etter avslutning", follow_up, None,
                           (("avslutning", "oppfolging"), ("avslutning",)))]
    if status not in OPEN_STATUSES:
        return []
    if start is None:
        start = counting_start(case)
    out: list[Obligation] = []
    if start is not None:
        sakstype = case.get("sakstype")
        if sakstype in RECTOR_SAKSTYPER and not as_date(_get(case, "varsling", "rektor", "dato")):
            out.append(Obligation(RECTOR, "varsle rektor", start, "varsle_rektor",
                                  (("varsling", "rektor"), ("varsling",))))
        if sakstype in OWNER_SAKSTYPER and not as_date(_get(case, "varsling", "skoleeier", "dato")):
            out.append(Obligation(OWNER, "varsle skoleeier", start, "varsle_skoleeier",
                                  (("varsling", "skoleeier"), ("varsling",)), str(sakstype)))
        if not as_date(_get(case, "undersokelse", "startet")):
            out.append(Obligation(INVESTIGATION, "starte undersøkelsen", start, "start_undersokelse",
                                  (("undersokelse", "startet"), ("undersokelse",), ("status",))))
        if status in PLAN_STATUSES:
            if is_filled(_get(case, "undersokelse", "konklusjon")):
                out.append(Obligation(PLAN, "aktivitetsplan (status tiltak)", start, "aktivitetsplan",
                                      (("aktivitetsplan",), ("status",)), "konkludert"))
            else:
                out.append(Obligation(PLAN, "konklusjon og aktivitetsplan", start, "aktivitetsplan",
                                      (("undersokelse", "konklusjon"), ("undersokelse",), ("status",))))
    out += evaluation_obligations(case)
    last, where = last_activity(case, start)
    if last is not None:
        out.append(Obligation(INACTIVE, "loggføre i saken", last, "uten_aktivitet", (where,)))
    return out


def due_on(start: date, frist: str | None, workdays: Workdays, frister: dict[str, int]) -> date:
    """The last day in time of something due ``frister[frist]`` working days after ``start``
    (``start`` itself when ``frist`` is None)."""
    return start if frist is None else workdays.deadline(start, frister[frist])


def resolve(obligation: Obligation, workdays: Workdays, frister: dict[str, int]) -> date:
    """The last day on which ``obligation`` is in time."""
    return due_on(obligation.start, obligation.frist, workdays, frister)


def deadlines(case: dict[str, Any], workdays: Workdays, frister: dict[str, int],
              start: date | None = None) -> list[Deadline]:
    """Every deadline of ``case`` with its last day in time, earliest first (``case_id`` only when it
    is a case id: ``model.shown_id``)."""
    case_id = shown_id(case.get("id"))
    found = [Deadline(case_id, resolve(o, workdays, frister), o.what, o.kind) for o in obligations(case, start)]
    return sorted(found, key=lambda d: (d.due, d.what))
