"""Archive delivery in the case record: which documents a case owes the Noark archive, what
each one shows, and what ``arkiv.leveranser`` says was delivered.

Pure functions over the case data. ``skm archive`` (``services.archive``) uses them to decide
what is new or changed; ``skm check`` (``ikke-arkivert``, ``arkiv-endret``) uses the same
functions on the current file, so the two always agree.

A document's *content* is the part of the case it shows; its *content hash* (``innholdshash``)
is a SHA-256 of that part in a canonical JSON form. The ``arkiv`` section itself is never part
of a document's content: recording a delivery or a receipt never makes a document "changed".

- ``meldingsskjema``: the pupil, the report and the notifications (what the form shows);
- ``aktivitetsplan``: the plan without its evaluations (``plan_content``): a new plan version
  whenever the problem, a tiltak, a date or who is responsible changes, exactly as the
  rendered documents number the versions;
- ``saksdokumentasjon``: the whole case, due when the case is closed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from skolemiljo.domain.legal import cite_law

# The documents ``skm archive`` delivers, in the order a case produces them.
DOCUMENTS = ("meldingsskjema", "aktivitetsplan", "saksdokumentasjon")

# The legal ground of the archive checks and of the ``arkiv`` section (docs/checks.md).
GROUND = f"arkivlova (arkivplikt) og {cite_law('dokumentasjon', 'nn')} (dokumentasjonsplikt)"

MELDINGSSKJEMA_FIELDS = ("id", "sakstype", "alvorlig", "kategorier", "elev", "melding", "varsling")


def plan_content(plan: Any) -> Any:
    """The plan without its evaluations: what a new plan version is about."""
    if not isinstance(plan, dict):
        return None
    content = {key: value for key, value in plan.items()}
    tiltak = plan.get("tiltak")
    if isinstance(tiltak, list):
        content["tiltak"] = [
            {k: v for k, v in item.items() if k != "evalueringer"} if isinstance(item, dict) else item
            for item in tiltak
        ]
    return content


def document_content(document: str, data: dict[str, Any]) -> Any:
    """The part of the case ``document`` shows (``None``: the case has no such document now)."""
    if document == "meldingsskjema":
        return {key: data.get(key) for key in MELDINGSSKJEMA_FIELDS}
    if document == "aktivitetsplan":
        return plan_content(data.get("aktivitetsplan"))
    if document == "saksdokumentasjon":
        if data.get("status") != "avsluttet":
            return None
        return {key: value for key, value in data.items() if key != "arkiv"}
    raise ValueError(f"unknown document {document!r}")


def content_hash(document: str, data: dict[str, Any]) -> str | None:
    """SHA-256 (hex) of ``document_content``; ``None`` when the case has no such document."""
    content = document_content(document, data)
    return None if content is None else _hash(content)


def _hash(content: Any) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def due_documents(data: dict[str, Any]) -> list[str]:
    """The documents the case has now: the meldingsskjema always, the plan when there is one,
    the saksdokumentasjon when the case is closed."""
    return [document for document in DOCUMENTS if document_content(document, data) is not None]


# ---------------------------------------------------------------- what was delivered


def deliveries(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The delivery records of ``arkiv.leveranser`` (well-formed ones only)."""
    arkiv = data.get("arkiv")
    found = arkiv.get("leveranser") if isinstance(arkiv, dict) else None
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def is_failed(record: dict[str, Any]) -> bool:
    """The archive's receipt said this delivery failed: it counts as not delivered."""
    return bool(record.get("feilet"))


def delivered(data: dict[str, Any], document: str) -> list[tuple[int, dict[str, Any]]]:
    """``(index in arkiv.leveranser, record)`` of the deliveries of ``document`` that did not fail."""
    return [(index, record) for index, record in enumerate(deliveries(data))
            if record.get("dokument") == document and not is_failed(record)]


def latest_delivery(data: dict[str, Any], document: str) -> tuple[int, dict[str, Any]] | None:
    found = delivered(data, document)
    return found[-1] if found else None


def next_delivery_number(data: dict[str, Any]) -> int:
    """Delivery numbers run 1, 2, 3 … per case and are never used twice (failed ones included)."""
    numbers = [record["nummer"] for record in deliveries(data) if isinstance(record.get("nummer"), int)]
    return max(numbers, default=0) + 1


NEVER = "never"  # no version of the document has been delivered
CHANGED = "changed"  # delivered, but the case now shows something else
CURRENT = "current"  # the latest delivery is what the case shows now


def document_state(data: dict[str, Any], document: str) -> str | None:
    """``never``, ``changed`` or ``current`` for a document the case has; ``None`` otherwise.

    The content is hashed only when there is a delivery to compare with (a case never archived
    costs no hashing: ``skm check`` asks this of every case)."""
    content = document_content(document, data)
    if content is None:
        return None
    latest = latest_delivery(data, document)
    if latest is None:
        return NEVER
    return CURRENT if latest[1].get("innholdshash") == _hash(content) else CHANGED


def up_to_date(data: dict[str, Any]) -> bool:
    """Every document the case has is delivered as it is now (no history needed to tell)."""
    return all(document_state(data, document) == CURRENT for document in due_documents(data))
