"""Renumbering on ``skm sync``: which case ids and tiltak ids must change, and rewriting them.

Pure: takes ids and case data, returns mappings and rewritten data or text; no git.

- A case *added* locally whose id the central repository added too gets the next id of
  its year that is free on both sides. Pushed ids never change.
- A tiltak both sides added to the same case under the same id (with different content)
  gets, on the local side, the next ``T<n>`` not used on either side (nor mentioned in
  either side's log).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from skolemiljo.domain import model
from skolemiljo.domain.merge import data_key


@dataclass(frozen=True)
class Renumbering:
    """A local case that got a new id."""

    old: str
    new: str


@dataclass(frozen=True)
class TiltakRenumbering:
    """A local tiltak that got a new id in case ``case_id``."""

    case_id: str
    old: str
    new: str


def case_renumbering(added: Iterable[str], base: set[str], central: set[str], local: set[str]) -> dict[str, str]:
    """Old id -> new id for the ids ``added`` locally that the central side added too.

    ``base``, ``central`` and ``local`` are the case ids at the merge base, the central tip
    and the local tip; ``added`` the ids local commits added, in order.
    """
    added = list(dict.fromkeys(added))
    colliding = [case_id for case_id in added if case_id in central and case_id not in base]
    used = base | central | local | set(added)
    mapping = {}
    for old in colliding:
        year = old[:4]
        highest = max(int(i[5:]) for i in used if i.startswith(f"{year}-"))
        new = f"{year}-{highest + 1:04d}"
        used.add(new)
        mapping[old] = new
    return mapping


def case_id_pattern(ids: Iterable[str]) -> re.Pattern[str]:
    """Matches any of ``ids`` as a whole case id (not inside a longer number or id)."""
    return re.compile(r"(?<![0-9A-Za-z-])(" + "|".join(re.escape(i) for i in ids) + r")(?![0-9])")


def tiltak_id_pattern(ids: Iterable[str]) -> re.Pattern[str]:
    """Matches any of ``ids`` as a whole word."""
    return re.compile(r"\b(" + "|".join(re.escape(i) for i in ids) + r")\b")


def rewrite_ids(text: str, pattern: re.Pattern[str], mapping: dict[str, str]) -> str:
    """``text`` with every id ``pattern`` finds replaced by its new id in ``mapping``."""
    return pattern.sub(lambda match: mapping[match.group(1)], text)


def tiltak_by_id(data: Any) -> dict[str, Any]:
    """The case's tiltak by their id (tiltak without a string id left out)."""
    return {t["id"]: t for t in model.tiltak_list(data) if isinstance(t, dict) and isinstance(t.get("id"), str)}


def mentioned_tiltak(data: Any) -> set[int]:
    """The numbers ``n`` of every ``T<n>`` the case's log mentions."""
    found = set()
    for entry in data.get("logg") or [] if isinstance(data, dict) else []:
        if isinstance(entry, dict) and isinstance(entry.get("hendelse"), str):
            found |= {int(n) for n in re.findall(r"\bT([1-9]\d*)\b", entry["hendelse"])}
    return found


def tiltak_renumbering(base: Any, central: Any, local: Any) -> dict[str, str]:
    """Local tiltak id -> new id for tiltak both sides added under the same id."""
    in_base, in_central, in_local = tiltak_by_id(base), tiltak_by_id(central), tiltak_by_id(local)
    clashes = [t for t in in_local if t in in_central and t not in in_base
               and data_key(in_local[t]) != data_key(in_central[t])]
    if not clashes:
        return {}
    used = {int(m["n"]) for i in (*in_base, *in_central, *in_local) if (m := model.TILTAK_ID.fullmatch(i))}
    used |= mentioned_tiltak(central) | mentioned_tiltak(local)
    mapping = {}
    for old in clashes:
        new_n = max(used) + 1
        used.add(new_n)
        mapping[old] = f"T{new_n}"
    return mapping


def rename_tiltak(data: dict[str, Any], mapping: dict[str, str], base_log: list[Any]) -> dict[str, Any]:
    """Give local tiltak their new ids, also in the log entries added since the merge base."""
    pattern = tiltak_id_pattern(mapping)
    for item in model.tiltak_list(data):
        if isinstance(item, dict) and item.get("id") in mapping:
            item["id"] = mapping[item["id"]]
    old_entries = Counter(data_key(e) for e in base_log)
    for entry in data.get("logg") or []:
        key = data_key(entry)
        if old_entries[key]:
            old_entries[key] -= 1
        elif isinstance(entry, dict) and isinstance(entry.get("hendelse"), str):
            entry["hendelse"] = rewrite_ids(entry["hendelse"], pattern, mapping)
    return data
