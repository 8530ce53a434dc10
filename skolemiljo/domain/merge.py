"""Three-way merge of one case record, field by field.

The inputs are the parsed YAML of the same case at the common ancestor
(``base``), in the central repository (``central``: the others' work) and here
(``local``: this user's unpushed work). What changed on one side only is taken;
what changed identically on both sides is taken once; what changed differently
is a ``Conflict`` unless the field's meaning allows both:

- append-only lists (``logg``, ``elevens_stemme``, ``undersokelse.aktiviteter``,
  ``evalueringer``, ``gjenapninger``…) keep every entry either side added
  (documentation is never dropped); an entry edited in place on one side and
  followed by new entries on the other merges field by field;
- ``aktivitetsplan.tiltak`` is keyed on the tiltak ``id``: one side's evaluation
  of T1 and the other side's new ``ansvarlig`` for T1 both survive;
- ``kategorier`` is a set.

A conflict is resolved by ``choices`` (per conflict key: take the local or the
central value); an unresolved conflict provisionally takes ``default`` and is
recorded, so a first pass lists every conflict and a second pass applies the
user's answers. Nothing here touches git or files.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from skolemiljo.domain import model
from skolemiljo.domain.model import TILTAK_ID, shown_id
from skolemiljo.domain.sides import CENTRAL, LOCAL, SIDES  # noqa: F401  (part of this module's API)


class _Missing:
    """A field that is not there (distinct from ``null``)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Item:
    """A path step into a keyed list: the tiltak with this id."""

    key: str

    def __str__(self) -> str:
        """``[T2]``; ``[ugyldig id]`` when the key is not a tiltak id (it may be a name)."""
        return f"[{shown_id(self.key, TILTAK_ID, 'ugyldig id')}]"


@dataclass(frozen=True)
class Region:
    """A path step naming the n-th part of a list that both sides changed differently."""

    n: int

    def __str__(self) -> str:
        return f" (del {self.n})"


PathStep = str | int | Item | Region
Path = tuple[PathStep, ...]

KEYED_LISTS: dict[tuple[str, ...], str] = {("aktivitetsplan", "tiltak"): "id"}
SET_LISTS: frozenset[tuple[str, ...]] = frozenset({("kategorier",)})


@dataclass(frozen=True)
class Conflict:
    """One field of one case that the two sides changed differently."""

    case_id: str
    path: Path
    base: Any
    central: Any
    local: Any

    @property
    def key(self) -> tuple[str, Path]:
        return (self.case_id, self.path)

    @property
    def field(self) -> str:
        """``elev.klasse``, ``aktivitetsplan.tiltak[T2].ansvarlig``, ``logg (del 1)``."""
        return format_path(self.path)

    def value(self, side: str) -> Any:
        return self.local if side == LOCAL else self.central


Choices = dict[tuple[str, Path], str]


def format_path(path: Path) -> str:
    """``aktivitetsplan.tiltak[T2].ansvarlig``, ``logg (del 1)`` (``model.format_path``)."""
    return model.format_path(path, "(hele saken)")


def _shape(path: Path) -> tuple[str, ...]:
    return tuple(step if isinstance(step, str) else "*" for step in path)


def data_key(value: Any) -> str:
    """A stable text key for comparing data (key order ignored)."""
    if value is MISSING:
        return "\x00missing"
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def same(a: Any, b: Any) -> bool:
    """Equal as data: key order does not matter, ``True`` is not ``1``."""
    if a is MISSING or b is MISSING:
        return a is b
    return data_key(a) == data_key(b)


@dataclass
class CaseMerger:
    """Merges one case; collects the conflicts ``choices`` does not settle."""

    case_id: str
    choices: Choices = field(default_factory=dict)
    default: str = CENTRAL
    conflicts: list[Conflict] = field(default_factory=list)

    def merge(self, base: Any, central: Any, local: Any, path: Path = ()) -> Any:
        if same(central, local):
            return central
        if same(base, central):
            return local
        if same(base, local):
            return central
        if isinstance(central, dict) and isinstance(local, dict):
            return self._merge_dict(path, base if isinstance(base, dict) else {}, central, local)
        if isinstance(central, list) and isinstance(local, list):
            return self._merge_list(path, base if isinstance(base, list) else [], central, local)
        return self._conflict(path, base, central, local)

    # ------------------------------------------------------------- conflicts

    def _conflict(self, path: Path, base: Any, central: Any, local: Any) -> Any:
        conflict = Conflict(self.case_id, path, base, central, local)
        side = self.choices.get(conflict.key)
        if side is None:
            self.conflicts.append(conflict)
            side = self.default
        return conflict.value(side)

    # ------------------------------------------------------------------ dict

    def _merge_dict(self, path: Path, base: dict, central: dict, local: dict) -> dict:
        keys = list(central) + [k for k in local if k not in central]
        out = {}
        for key in keys:
            value = self.merge(base.get(key, MISSING), central.get(key, MISSING), local.get(key, MISSING),
                               path + (key,))
            if value is not MISSING:
                out[key] = value
        return out

    # ----------------------------------------------------------------- lists

    def _merge_list(self, path: Path, base: list, central: list, local: list) -> list:
        shape = _shape(path)
        key = KEYED_LISTS.get(shape)
        if key and all(_keyed(items, key) for items in (base, central, local)):
            return self._merge_keyed(path, key, base, central, local)
        if shape in SET_LISTS:
            return _merge_set(base, central, local)
        return self._merge_sequence(path, base, central, local)

    def _merge_keyed(self, path: Path, key: str, base: list, central: list, local: list) -> list:
        by_base = {item[key]: item for item in base}
        by_central = {item[key]: item for item in central}
        by_local = {item[key]: item for item in local}
        order = list(by_central) + [k for k in by_local if k not in by_central]
        out = []
        for item_key in order:
            value = self.merge(by_base.get(item_key, MISSING), by_central.get(item_key, MISSING),
                               by_local.get(item_key, MISSING), path + (Item(item_key),))
            if value is not MISSING:
                out.append(value)
        return out

    def _merge_sequence(self, path: Path, base: list, central: list, local: list) -> list:
        """diff3 over list items; both sides inserting at one place keeps both."""
        to_central = _matches(base, central)
        to_local = _matches(base, local)
        stable = [i for i in range(len(base)) if i in to_central and i in to_local]
        out: list = []
        ib = ic = il = 0
        regions = 0
        for anchor in stable + [None]:
            if anchor is None:
                jb, jc, jl = len(base), len(central), len(local)
            else:
                jb, jc, jl = anchor, to_central[anchor], to_local[anchor]
            chunk, conflicted = self._chunk(path, regions + 1, out, base[ib:jb], central[ic:jc], local[il:jl])
            regions += conflicted
            out.extend(chunk)
            if anchor is not None:
                out.append(central[jc])
                ib, ic, il = jb + 1, jc + 1, jl + 1
        return out

    def _chunk(self, path: Path, region: int, before: list, base: list, central: list,
               local: list) -> tuple[list, int]:
        """Merge one changed stretch of a list; returns ``(items, 1 if it was a true conflict)``."""
        if same(base, central):
            return local, 0
        if same(base, local):
            return central, 0
        if same(central, local):
            return central, 0  # the same change on both sides counts once
        if not base:
            return central + local, 0  # both added entries here: keep all of them
        n = len(base)
        if len(central) >= n and len(local) >= n and n in (len(central), len(local)):
            # entries edited in place (merged field by field), then whatever either side appended
            start = len(before)
            edited = [self.merge(b, c, loc, path + (start + i,))
                      for i, (b, c, loc) in enumerate(zip(base, central[:n], local[:n]))]
            return edited + central[n:] + local[n:], 0
        return self._conflict(path + (Region(region),), base, central, local), 1


def _keyed(items: list, key: str) -> bool:
    ids = [item.get(key) if isinstance(item, dict) else None for item in items]
    return all(isinstance(i, str) and i for i in ids) and len(set(ids)) == len(ids)


def _matches(base: list, other: list) -> dict[int, int]:
    """Base index -> other index for items the two lists share, in order."""
    matcher = difflib.SequenceMatcher(None, [data_key(x) for x in base], [data_key(x) for x in other],
                                      autojunk=False)
    pairs: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for n in range(block.size):
            pairs[block.a + n] = block.b + n
    return pairs


def _merge_set(base: list, central: list, local: list) -> list:
    base_keys = {data_key(x) for x in base}
    central_keys = {data_key(x) for x in central}
    local_keys = {data_key(x) for x in local}
    removed = (base_keys - central_keys) | (base_keys - local_keys)
    out, seen = [], set()
    for item in central + local:
        key = data_key(item)
        if key not in removed and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def merge_case(case_id: str, base: Any, central: Any, local: Any, choices: Choices | None = None,
               default: str = CENTRAL) -> tuple[Any, list[Conflict]]:
    """Merge one case; ``(merged data, conflicts not settled by choices)``."""
    merger = CaseMerger(case_id, dict(choices or {}), default)
    merged = merger.merge(base, central, local)
    return merged, merger.conflicts
