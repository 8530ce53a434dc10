"""Earlier versions of a case from its git history.

The audit trail (``skolemiljo.storage.history.case_history``) names every commit that
touched the case file; this module reads the file as it was at each of those
commits with one ``git cat-file --batch`` process, and derives from them

* every version the aktivitetsplan has had (a new version whenever the plan's
  content changed: the problem, a tiltak, a date, who is responsible;
  evaluations alone do not make a new plan version), and
* every evaluation ever recorded, also of tiltak later removed from the plan.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from skolemiljo.domain.archiving import plan_content
from skolemiljo.storage import yamlio
from skolemiljo.storage.git import ObjectReader
from skolemiljo.storage.history import HistoryEntry
from skolemiljo.storage.repository import CaseRepo


@dataclass(frozen=True)
class CaseVersion:
    """The case file as one commit left it; only its plan is parsed."""

    commit: str
    when: datetime
    author: str
    raw: bytes | None  # None: the file did not exist in that commit
    plan: Any  # the ``aktivitetsplan`` value (None when absent or unreadable)


@dataclass
class PlanVersion:
    number: int
    plan: dict[str, Any]
    commit: str | None  # None: only in the working tree, not committed yet
    when: datetime | None
    author: str | None
    current: bool = False
    changes: list[tuple[str, ...]] = field(default_factory=list)  # from the version before


@dataclass
class Evaluation:
    tiltak: str
    data: dict[str, Any]
    order: tuple = field(default_factory=tuple)


def read_versions(repo: CaseRepo, path: Path, history: Sequence[HistoryEntry]) -> list[CaseVersion]:
    """The case file at every commit of ``history`` (oldest first), in one git process."""
    if not history:
        return []
    rel = "./" + path.resolve().relative_to(repo.root.resolve()).as_posix()
    with ObjectReader(repo.root) as reader:
        found = reader.read_many(f"{entry.commit}:{rel}" for entry in history)
    versions = []
    last_block: bytes | None = None
    last_plan: Any = None
    for entry, answer in zip(history, found):
        raw = answer[2] if answer is not None and answer[1] == "blob" else None
        block = plan_block(raw) if raw is not None else None
        if block is None or block != last_block:
            last_plan = parse_plan(raw, block)
            last_block = block
        versions.append(CaseVersion(entry.commit, datetime.fromisoformat(entry.when), entry.author, raw, last_plan))
    return versions


_PLAN_KEY = re.compile(rb"^aktivitetsplan:", re.MULTILINE)
_TOP_KEY = re.compile(rb"^[^\s#-][^:\n]*:", re.MULTILINE)


def plan_block(raw: bytes) -> bytes:
    """The ``aktivitetsplan:`` part of a case file (b"" when it has none).

    A case file is a block mapping at column 0, so the plan runs from its key to
    the next line that starts with a key. Comparing these bytes between commits
    tells which versions need parsing at all; most commits change something else.
    """
    match = _PLAN_KEY.search(raw)
    if match is None:
        return b""
    following = _TOP_KEY.search(raw, match.end())
    return raw[match.start():following.start() if following else len(raw)]


def parse_plan(raw: bytes | None, block: bytes | None) -> Any:
    """The plan of one version; the whole file is parsed only when the block alone does not parse."""
    if raw is None:
        return None
    if block == b"" and b"aktivitetsplan" not in raw:
        return None
    if block:
        try:
            data = yamlio.load_bytes(block)
        except yamlio.YamlProblem:
            data = None
        if isinstance(data, dict) and list(data) == ["aktivitetsplan"]:
            return data["aktivitetsplan"]
    try:
        data = yamlio.load_bytes(raw)
    except yamlio.YamlProblem:
        return None
    return data.get("aktivitetsplan") if isinstance(data, dict) else None


def _key(plan: Any) -> str:
    return json.dumps(plan_content(plan), sort_keys=True, ensure_ascii=False, default=str)


TILTAK_FIELDS = ("beskrivelse", "fra", "til", "ansvarlig", "evalueres")


def _tiltak_by_id(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    items = plan.get("tiltak") if isinstance(plan.get("tiltak"), list) else []
    return {str(item.get("id") or f"nr. {i + 1}"): item for i, item in enumerate(items) if isinstance(item, dict)}


def plan_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[tuple[str, ...]]:
    """What changed from one plan version to the next, as codes for the documents.

    ``("first",)``, ``("problem",)``, ``("dato",)``, ``("added", id)``, ``("removed", id)``,
    ``("ended", id)``, ``("changed", id, field, ...)``.
    """
    if old is None:
        return [("first",)]
    changes: list[tuple[str, ...]] = []
    if old.get("problem") != new.get("problem"):
        changes.append(("problem",))
    if old.get("dato") != new.get("dato"):
        changes.append(("dato",))
    before, after = _tiltak_by_id(old), _tiltak_by_id(new)
    for tiltak_id, item in after.items():
        previous = before.get(tiltak_id)
        if previous is None:
            changes.append(("added", tiltak_id))
            continue
        fields = [name for name in TILTAK_FIELDS if previous.get(name) != item.get(name)]
        if fields:
            changes.append(("changed", tiltak_id, *fields))
        if previous.get("avsluttet") != item.get("avsluttet") and item.get("avsluttet"):
            changes.append(("ended", tiltak_id))
    changes.extend(("removed", tiltak_id) for tiltak_id in before if tiltak_id not in after)
    if not changes:
        changes.append(("other",))
    return changes


def plan_versions(versions: Sequence[CaseVersion], current: dict[str, Any]) -> list[PlanVersion]:
    """Every distinct version of the aktivitetsplan, oldest first.

    ``current`` is the case as it is now (the working tree): when its plan differs
    from the last committed one, it is a further version that is not committed yet.
    The last version is marked ``current`` when the case still has a plan.
    """
    out: list[PlanVersion] = []
    last_key: str | None = None

    def add(plan: dict[str, Any], commit: str | None, when: datetime | None, author: str | None) -> None:
        nonlocal last_key
        key = _key(plan)
        if key == last_key:
            return
        previous = out[-1].plan if out else None
        content = plan_content(plan)
        out.append(PlanVersion(len(out) + 1, content, commit, when, author,
                               changes=plan_changes(previous, content)))
        last_key = key

    for version in versions:
        if isinstance(version.plan, dict):
            add(version.plan, version.commit, version.when, version.author)
    plan = current.get("aktivitetsplan")
    if isinstance(plan, dict):
        add(plan, None, None, None)
        out[-1].current = True
    return out


def all_evaluations(versions: Sequence[CaseVersion], current: dict[str, Any]) -> list[Evaluation]:
    """Every evaluation recorded in any version, once, in date order.

    An evaluation is identified by its tiltak and date; when it was corrected
    later, the latest text is kept. Evaluations of tiltak that a later plan
    version removed stay in the record.
    """
    found: dict[tuple[str, str], Evaluation] = {}
    sequence = 0
    plans = [v.plan for v in versions]
    plans.append(current.get("aktivitetsplan"))
    seen: set[int] = set()
    for plan in plans:
        if id(plan) in seen:  # unchanged since the commit before: the same object
            continue
        seen.add(id(plan))
        if not isinstance(plan, dict) or not isinstance(plan.get("tiltak"), list):
            continue
        for index, item in enumerate(plan["tiltak"]):
            if not isinstance(item, dict) or not isinstance(item.get("evalueringer"), list):
                continue
            label = item.get("id") if isinstance(item.get("id"), str) else f"nr. {index + 1}"
            for position, evaluation in enumerate(item["evalueringer"]):
                if not isinstance(evaluation, dict):
                    continue
                when = str(evaluation.get("dato") or f"?{position}")
                key = (label, when)
                if key in found:
                    found[key].data = evaluation
                else:
                    sequence += 1
                    found[key] = Evaluation(label, evaluation, (when, sequence))
    return sorted(found.values(), key=lambda e: e.order)
