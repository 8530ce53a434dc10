"""Rounds of a case: report (or reopening) → investigation → plan → evaluations → closing.

A case's top-level fields (``varsling``, ``undersokelse``, ``elevens_stemme``, ``barnets_beste``,
``aktivitetsplan``, ``avslutning``) always hold the *current* round, so every status rule, the schema
and the deadline checks read them as before. ``skm reopen`` freezes the round that was closed into
the reopening record (``gjenapninger[i].forrige_runde``) and starts a new, empty round: the new round
needs its own notification, investigation (the pupil's own experience), hearing, best-interests
assessment and plan, and its deadlines count from the reopening.

A case without ``gjenapninger`` is one round. A reopening written by skm before rounds existed has
only ``forrige_avslutning`` (the closing it replaced): that round is shown with its closing alone,
and its other parts stay in the top-level fields (they were never split).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from skolemiljo.domain.dates import as_date

ROUND_FIELDS = ("varsling", "undersokelse", "elevens_stemme", "barnets_beste", "aktivitetsplan", "avslutning")


def empty_round() -> dict[str, Any]:
    """The fields of a round that has just begun (as ``model.new_record`` has them)."""
    return {"varsling": {"rektor": None, "skoleeier": None}, "undersokelse": None, "elevens_stemme": [],
            "barnets_beste": None, "aktivitetsplan": None, "avslutning": None}


def reopenings(data: dict[str, Any]) -> list[dict[str, Any]]:
    found = data.get("gjenapninger")
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def freeze(data: dict[str, Any]) -> dict[str, Any]:
    """The current round's fields, copied (what ``reopen`` keeps in ``forrige_runde``)."""
    return {key: copy.deepcopy(data.get(key)) for key in ROUND_FIELDS}


def start_new_round(data: dict[str, Any]) -> None:
    """Reset the current round's fields in ``data`` (after ``freeze``)."""
    data.update(empty_round())


def round_start(data: dict[str, Any]) -> tuple[date | None, str]:
    """``(day, kind)`` the current round began: the last reopening, else the report (``melding``)."""
    for reopening in reversed(reopenings(data)):
        day = as_date(reopening.get("dato"))
        if day is not None:
            return day, "gjenapning"
    received = data.get("melding")
    return (as_date(received.get("mottatt")) if isinstance(received, dict) else None), "melding"


def split_start(data: dict[str, Any]) -> tuple[date | None, str]:
    """Like ``round_start``, but only reopenings that froze their round count.

    The top-level fields of a case reopened before rounds existed span every round, so for
    ``skm check`` they are held against the report, not against that reopening.
    """
    for reopening in reversed(reopenings(data)):
        if "forrige_runde" in reopening:
            day = as_date(reopening.get("dato"))
            if day is not None:
                return day, "gjenapning"
            break
    received = data.get("melding")
    return (as_date(received.get("mottatt")) if isinstance(received, dict) else None), "melding"


@dataclass
class Round:
    """One round for documents and ``skm show``: how it began and its fields."""

    number: int
    start: Any  # the date text of melding.mottatt or of the reopening
    reopening: dict[str, Any] | None  # None for the first round
    fields: dict[str, Any] = field(default_factory=dict)
    legacy: bool = False  # an old reopening: only the closing is known apart


def all_rounds(data: dict[str, Any]) -> list[Round]:
    """Every round in order; the last is the current one (the top-level fields)."""
    melding = data.get("melding") if isinstance(data.get("melding"), dict) else {}
    found: list[Round] = []
    start, opened_by = melding.get("mottatt"), None
    for number, reopening in enumerate(reopenings(data), 1):
        frozen = reopening.get("forrige_runde")
        if isinstance(frozen, dict):
            found.append(Round(number, start, opened_by, {k: frozen.get(k) for k in ROUND_FIELDS}))
        else:
            found.append(Round(number, start, opened_by, {"avslutning": reopening.get("forrige_avslutning")},
                               legacy=True))
        start, opened_by = reopening.get("dato"), reopening
    found.append(Round(len(found) + 1, start, opened_by, {k: data.get(k) for k in ROUND_FIELDS}))
    return found


def tiltak_of_earlier_rounds(data: dict[str, Any]) -> list[Any]:
    """The tiltak of frozen rounds (their ids are never used again)."""
    items: list[Any] = []
    for reopening in reopenings(data):
        frozen = reopening.get("forrige_runde")
        plan = frozen.get("aktivitetsplan") if isinstance(frozen, dict) else None
        if isinstance(plan, dict) and isinstance(plan.get("tiltak"), list):
            items.extend(plan["tiltak"])
    return items
