"""The archive checks: what ``arkiv.leveranser`` says against what the case shows now.

- ``arkiv-endret`` (no clock needed, cached with the file's other findings): a document that was
  delivered shows something else now (the meldingsskjema corrected, a new version of the plan,
  the saksdokumentasjon of a case closed again), so it needs a new journal entry;
- ``ikke-arkivert`` (judged against the day, for schools whose ``skole.yaml`` has an ``arkiv:``
  section): a closed case, or a case whose plan is older than ``arkiv.frist`` working days, has a
  document of which no version was ever delivered.

Both use ``domain.archiving``, exactly as ``skm archive`` does. Messages name documents, delivery
numbers and dates only.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from skolemiljo.domain import archiving
from skolemiljo.domain.dates import as_date, format_date
from skolemiljo.domain.workdays import Workdays

NAMES = {"meldingsskjema": "meldingsskjemaet", "aktivitetsplan": "aktivitetsplanen",
         "saksdokumentasjon": "saksdokumentasjonen"}


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"


def archive_facts(data: dict[str, Any], line_of: Callable[[tuple[Any, ...]], int]) -> tuple[list[list[Any]],
                                                                                          dict[str, Any] | None]:
    """``(arkiv-endret findings, facts for ikke-arkivert)`` of one case file."""
    found: list[list[Any]] = []
    never: list[str] = []
    for document in archiving.due_documents(data):
        state = archiving.document_state(data, document)
        if state == archiving.NEVER:
            never.append(document)
        elif state == archiving.CHANGED:
            index, record = archiving.latest_delivery(data, document) or (0, {})
            when = as_date(record.get("dato"))
            shown = f" ({format_date(when)})" if when else ""
            what = ("en ny versjon av planen er ikke levert" if document == "aktivitetsplan"
                    else "den nye versjonen er ikke levert")
            found.append(["arkiv-endret", line_of(("arkiv", "leveranser", index)),
                          f"{NAMES[document].capitalize()} er endret etter levering nr. {record.get('nummer')}{shown}; "
                          f"{what} til arkivet (skm archive)"])
    if not never:
        return found, None
    status = data.get("status")
    closed = as_date((data.get("avslutning") or {}).get("dato")) if isinstance(data.get("avslutning"), dict) else None
    plan = data.get("aktivitetsplan")
    planned = as_date(plan.get("dato")) if isinstance(plan, dict) else None
    facts = {"n": never, "c": closed.isoformat() if status == "avsluttet" and closed else None,
             "p": planned.isoformat() if planned else None,
             "l": line_of(("arkiv",)) if "arkiv" in data else line_of(("status",))}
    return found, facts


def judge(facts: dict[str, Any] | None, today: date, workdays: Workdays, frist: int,
          emit: Callable[[str, int, str], None]) -> None:
    """Emit ``ikke-arkivert`` when a document was never delivered and its time is past."""
    if not facts:
        return
    never = facts.get("n") or []
    line = facts.get("l", 1)
    if facts.get("c"):
        closed = date.fromisoformat(facts["c"])
        if closed <= today and workdays.deadline(closed, frist) < today:
            emit("ikke-arkivert", line,
                 f"Saken ble avsluttet {format_date(closed)}, men {_join([NAMES[d] for d in never])} er ikke levert "
                 f"til arkivet (frist {frist} arbeidsdager; skm archive)")
        return
    if facts.get("p"):
        planned = date.fromisoformat(facts["p"])
        owed = [d for d in never if d in ("meldingsskjema", "aktivitetsplan")]
        if owed and planned <= today and workdays.deadline(planned, frist) < today:
            emit("ikke-arkivert", line,
                 f"Aktivitetsplanen er fra {format_date(planned)}, men {_join([NAMES[d] for d in owed])} er ikke "
                 f"levert til arkivet (frist {frist} arbeidsdager; skm archive)")
