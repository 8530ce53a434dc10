"""One pass over one case file: everything ``skm check`` can tell without the clock.

``analyse(rel, raw)`` parses the file once (``fastyaml``, or the strict loader
when the file leaves skm's canonical form), and returns a plain, JSON-ready
record that the warm cache stores:

- ``f``: the findings that do not depend on the day (``schema``, ``status``,
  ``dato-rekkefolge``, ``evaluering-mangler-dato``, ``id-unik`` within the case,
  ``filnavn``), each as ``[check, line, message]``;
- ``d``: the deadline engine's obligations (``domain.deadlines``) with the lines to point
  at, judged against ``--today`` on every run by ``checks.deadlines``.

Messages name field paths, tiltak ids and dates only, never text from the case.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from skolemiljo.checks.archive_checks import archive_facts
from skolemiljo.checks.cache import CheckRecord
from skolemiljo.checks.deadlines import obligation_record
from skolemiljo.domain import deadlines, requirements, rounds
from skolemiljo.domain.dates import as_date, format_date
from skolemiljo.domain.model import CASE_ID, STATUSES, TILTAK_ID, format_path, has_fields, is_empty, tiltak_label
from skolemiljo.schema.fast import form_errors, safe_yaml_message
from skolemiljo.storage import fastyaml, yamlio

Path_ = tuple[Any, ...]
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
PLAN_ITEMS = ("aktivitetsplan", "tiltak")




def _get(obj: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(obj, dict):
            obj = obj.get(key)
        elif isinstance(obj, list) and isinstance(key, int) and 0 <= key < len(obj):
            obj = obj[key]
        else:
            return None
    return obj


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class Lines:
    """Lines of paths; the line map is built only when a finding needs one."""

    __slots__ = ("text", "_map")

    def __init__(self, text: str, mapping: dict[Path_, int] | None = None) -> None:
        self.text = text
        self._map = mapping

    @property
    def map(self) -> dict[Path_, int]:
        if self._map is None:
            self._map = yamlio.line_map(self.text)
        return self._map

    def of(self, path: Path_) -> int:
        """The line of ``path`` or of its nearest written ancestor."""
        return yamlio.line_for(self.map, path)

    def first(self, *paths: Path_) -> int:
        """The line of the first path that is written; else the nearest ancestor of the last."""
        mapping = self.map
        for path in paths:
            if path in mapping:
                return mapping[path]
        return yamlio.line_for(mapping, paths[-1])


# ---------------------------------------------------------------- status


def _with_single(data: dict[str, Any], path: tuple[str, ...], item: Any) -> dict[str, Any]:
    """``data`` with the list at ``path`` replaced by ``[item]``."""
    if not path:
        return data
    head = data.get(path[0])
    inner = _with_single(head if isinstance(head, dict) else {}, path[1:], item) if len(path) > 1 else [item]
    return {**data, path[0]: inner}


_RULES_BY_STATUS = {
    status: [rule for rule in requirements.EFFECTIVE_RULES if status in rule.statuses and rule.kind != "period"]
    for status in STATUSES
}  # "period" (til before fra) is dato-rekkefolge's, in every status


def status_findings(data: dict[str, Any], lines: Lines,
                    scopes: list[Path_] | None = None) -> list[list[Any]]:
    """What the case's current status requires and the case lacks (``requirements``).

    ``scopes`` collects the paths each finding covers, so that ``schema`` does not say
    "mangler" a second time for a field a status rule already names.
    """
    status = data.get("status")
    if not isinstance(status, str) or status not in _RULES_BY_STATUS:
        return []
    found: list[list[Any]] = []
    for rule in _RULES_BY_STATUS[status]:
        if not rule.when.holds(data) or not requirements.violations(rule, data):
            continue
        value = _get(data, *rule.path)
        if rule.kind in ("each", "each_items"):
            for index, item in enumerate(_list(value)):
                if not requirements.violations(rule, _with_single(data, rule.path, item)):
                    continue
                own = rule.fields[:1] if rule.kind == "each_items" else rule.fields
                where = rule.path + (index, _first_empty(item, own))
                inner = _get(item, rule.fields[0])
                if rule.kind == "each_items" and isinstance(inner, list):
                    for e_index, entry in enumerate(inner):
                        if not has_fields(entry, rule.fields[1:]):
                            where = rule.path + (index, rule.fields[0], e_index, _first_empty(entry, rule.fields[1:]))
                            break
                found.append(["status", lines.of(where), rule.text(tiltak_label(item, index))])
                if scopes is not None:
                    scopes.append(rule.path + (index,))
            continue
        where = rule.path
        if rule.kind == "object":
            where = rule.path + (_first_empty(value, rule.fields),)
        elif rule.kind == "items" and isinstance(value, list):
            for index, item in enumerate(value):
                if not has_fields(item, rule.fields):
                    where = rule.path + (index, _first_empty(item, rule.fields))
                    break
        found.append(["status", lines.of(where), rule.text()])
        if scopes is not None:
            scopes.append(rule.path)
    return found


def _first_empty(obj: Any, fields: tuple[str, ...]) -> str:
    """The first of ``fields`` that ``obj`` lacks (the line a user should look at)."""
    for name in fields:
        if not isinstance(obj, dict) or is_empty(obj.get(name)):
            return name
    return fields[0]


# ---------------------------------------------------------------- dates

_ROUND_DATES: tuple[Path_, ...] = (
    ("varsling", "rektor", "dato"), ("varsling", "skoleeier", "dato"), ("undersokelse", "startet"),
    ("undersokelse", "avsluttet"), ("barnets_beste", "dato"), ("aktivitetsplan", "dato"), ("avslutning", "dato"),
)
_ROUND_LISTS: tuple[Path_, ...] = (("undersokelse", "aktiviteter"), ("elevens_stemme",))
_FACT_DATES: tuple[Path_, ...] = (("melding", "mottatt"), *_ROUND_DATES)


def _dated(data: dict[str, Any], fixed: tuple[Path_, ...], lists: tuple[Path_, ...]) -> list[tuple[Path_, date]]:
    """The dates at ``fixed`` paths, of the items of ``lists``, and of the plan's tiltak and evaluations."""
    out = [(path, d) for path in fixed if (d := as_date(_get(data, *path)))]
    for base in lists:
        for index, item in enumerate(_list(_get(data, *base))):
            if d := as_date(_get(item, "dato")):
                out.append((base + (index, "dato"), d))
    for t_index, item in enumerate(_list(_get(data, *PLAN_ITEMS))):
        if d := as_date(_get(item, "avsluttet")):
            out.append((PLAN_ITEMS + (t_index, "avsluttet"), d))
        for e_index, evaluation in enumerate(_list(_get(item, "evalueringer"))):
            if d := as_date(_get(evaluation, "dato")):
                out.append((PLAN_ITEMS + (t_index, "evalueringer", e_index, "dato"), d))
    return out


def fact_dates(data: dict[str, Any]) -> list[tuple[Path_, date]]:
    """Every date of something that has happened (not planned dates such as ``evalueres``)."""
    return _dated(data, _FACT_DATES, (*_ROUND_LISTS, ("logg",)))


def latest_fact_date(data: dict[str, Any]) -> str | None:
    """The latest of ``fact_dates`` as ``YYYY-MM-DD`` (ISO dates order as strings)."""
    best = ""
    for path in _FACT_DATES:
        value = _get(data, *path)
        if type(value) is str and value > best and as_date(value):
            best = value
    lists = [_get(data, "undersokelse", "aktiviteter"), data.get("elevens_stemme"), data.get("logg")]
    for item in _list(_get(data, *PLAN_ITEMS)):
        if isinstance(item, dict):
            value = item.get("avsluttet")
            if type(value) is str and value > best and as_date(value):
                best = value
            lists.append(item.get("evalueringer"))
    for entries in lists:
        for entry in _list(entries):
            if isinstance(entry, dict):
                value = entry.get("dato")
                if type(value) is str and value > best and as_date(value):
                    best = value
    return best or None


def order_findings(data: dict[str, Any], lines: Lines) -> list[list[Any]]:
    """Dates in an impossible order."""
    found: list[list[Any]] = []

    def add(path: Path_, message: str) -> None:
        found.append(["dato-rekkefolge", lines.of(path), message])

    received = as_date(_get(data, "melding", "mottatt"))
    started = as_date(_get(data, "undersokelse", "startet"))
    ended = as_date(_get(data, "undersokelse", "avsluttet"))
    if started and ended and ended < started:
        add(("undersokelse", "avsluttet"),
            f"undersokelse.avsluttet ({format_date(ended)}) er før undersokelse.startet ({format_date(started)})")
    plan = as_date(_get(data, "aktivitetsplan", "dato"))
    if plan and received and plan < received:
        add(("aktivitetsplan", "dato"),
            f"aktivitetsplan.dato ({format_date(plan)}) er før meldingen kom ({format_date(received)})")
    closed = as_date(_get(data, "avslutning", "dato"))
    if closed and received and closed < received:
        add(("avslutning", "dato"),
            f"avslutning.dato ({format_date(closed)}) er før meldingen kom ({format_date(received)})")
    for index, item in enumerate(_list(_get(data, *PLAN_ITEMS))):
        label = tiltak_label(item, index)
        start, end = as_date(_get(item, "fra")), as_date(_get(item, "til"))
        if start and end and end < start:
            add(PLAN_ITEMS + (index, "til"), f"{label}: til ({format_date(end)}) er før fra ({format_date(start)})")
        for e_index, evaluation in enumerate(_list(_get(item, "evalueringer"))):
            when = as_date(_get(evaluation, "dato"))
            where = PLAN_ITEMS + (index, "evalueringer", e_index)
            if when and plan and when < plan:
                add(where + ("dato",), f"{label}: evalueringen {format_date(when)} er før aktivitetsplanens "
                                       f"dato ({format_date(plan)})")
            following = as_date(_get(evaluation, "neste_evaluering"))
            if when and following and following < when:
                add(where + ("neste_evaluering",), f"{label}: neste_evaluering ({format_date(following)}) er før "
                                                   f"evalueringen selv ({format_date(when)})")
    return found


def _round_dates(fields: dict[str, Any]) -> list[tuple[Path_, date]]:
    """Every date of something that happened in one round (the log is the whole case's)."""
    return _dated(fields, _ROUND_DATES, _ROUND_LISTS)


# Already dato-rekkefolge's when held against the report (one problem is reported once).
_ORDER_COVERED = frozenset({("aktivitetsplan", "dato"), ("avslutning", "dato")})


def round_findings(data: dict[str, Any], lines: Lines) -> list[list[Any]]:
    """``dato-for-melding``: nothing in a round is dated before the report or reopening that began it;
    ``evaluering-for-start``: no evaluation is dated before its tiltak starts."""
    found: list[list[Any]] = []
    start, kind = rounds.split_start(data)
    current: list[tuple[Path_, dict[str, Any], date | None, str]] = [((), data, start, kind)]
    earlier_start = as_date(_get(data, "melding", "mottatt"))
    earlier_kind = "melding"
    for index, reopening in enumerate(rounds.reopenings(data)):
        frozen = reopening.get("forrige_runde")
        if isinstance(frozen, dict):
            current.append((("gjenapninger", index, "forrige_runde"), frozen, earlier_start, earlier_kind))
        earlier_start, earlier_kind = as_date(reopening.get("dato")), "gjenapning"
    for base, fields, begun, how in current:
        what = "meldingen kom" if how == "melding" else "saken ble gjenåpnet"
        if begun is not None:
            for path, when in _round_dates(fields):
                if when < begun and not (base == () and how == "melding" and path in _ORDER_COVERED):
                    found.append(["dato-for-melding", lines.of(base + path),
                                  f"{format_path(base + path)} ({format_date(when)}) er før {what} "
                                  f"({format_date(begun)})"])
        for index, item in enumerate(_list(_get(fields, *PLAN_ITEMS))):
            starts = as_date(_get(item, "fra"))
            if starts is None:
                continue
            for e_index, evaluation in enumerate(_list(_get(item, "evalueringer"))):
                when = as_date(_get(evaluation, "dato"))
                if when and when < starts:
                    where = base + PLAN_ITEMS + (index, "evalueringer", e_index, "dato")
                    found.append(["evaluering-for-start", lines.of(where),
                                  f"{tiltak_label(item, index)}: evalueringen {format_date(when)} er før tiltaket "
                                  f"starter ({format_date(starts)})"])
    return found


# ---------------------------------------------------------------- deadlines


def evaluation_findings(data: dict[str, Any], lines: Lines) -> list[list[Any]]:
    """``evaluering-mangler-dato``: the deadline engine's missing evaluation dates, reported at once
    (a missing date is missing now, whatever the day)."""
    return [["evaluering-mangler-dato", lines.first(*item.where),
             f"{item.subject} skal fortsette etter evalueringen {format_date(item.start)}, men mangler "
             "dato for neste evaluering (neste_evaluering)"]
            for item in deadlines.evaluation_obligations(data) if item.kind == deadlines.EVALUATION_DATE]


def deadline_facts(data: dict[str, Any], lines: Lines) -> dict[str, Any]:
    """What ``checks.deadlines`` judges against the day: the status, the latest fact date and the
    deadline engine's obligations (``domain.deadlines``), each with the line to point at."""
    status = data.get("status")
    return {"s": status if isinstance(status, str) else None, "max": latest_fact_date(data),
            "o": [obligation_record(item, lines.first(*item.where)) for item in deadlines.obligations(data)]}


# ---------------------------------------------------------------- one file


def _file_findings(rel: str, data: dict[str, Any], lines: Lines) -> list[list[Any]]:
    found: list[list[Any]] = []
    name = rel.rsplit("/", 1)[-1]
    stem, _, suffix = name.rpartition(".")
    case_id = data.get("id")
    if suffix != "yaml":
        found.append(["filnavn", 1, "saksfiler skal ha endelsen .yaml (cases/<saksnummer>.yaml)"])
    elif isinstance(case_id, str) and case_id != stem:
        shown = f"id {case_id}" if CASE_ID.fullmatch(case_id) else "id"
        found.append(["filnavn", lines.first(("id",)), f"{shown} er ikke lik filnavnet; fila skal hete <id>.yaml"])
    seen: dict[str, int] = {}
    for index, item in enumerate(_list(_get(data, *PLAN_ITEMS))):
        value = _get(item, "id")
        if isinstance(value, str) and TILTAK_ID.fullmatch(value):
            if value in seen:
                found.append(["id-unik", lines.of(PLAN_ITEMS + (index, "id")),
                              f"tiltaks-id {value} er brukt før i saken (tiltak nr. {seen[value] + 1}); "
                              "tiltaks-id-er brukes aldri om igjen"])
            else:
                seen[value] = index
    return found


def analyse_text(rel: str, text: str) -> tuple[dict[str, Any] | None, Lines | None, CheckRecord]:
    """Parse and judge one case file; ``(data, lines, record)``."""
    parsed = fastyaml.parse(text)
    if parsed is not None:
        data, mapping = parsed
        lines = Lines(text, mapping)
    else:
        try:
            data = yamlio.load(text)
        except yamlio.YamlProblem as problem:
            return None, None, CheckRecord(id=None, findings=[["schema", problem.line, safe_yaml_message(problem.message)]],
                                             deadlines=None)
        lines = Lines(text)
    if not isinstance(data, dict):
        return None, None, CheckRecord(id=None, findings=[["schema", 1, "fila er ikke en sak (forventet et sett med felt øverst)"]],
                                         deadlines=None)
    scopes: list[Path_] = []
    status_found = status_findings(data, lines, scopes)
    found = [["schema", lines.of(path), message] for path, message, missing in form_errors(data)
             if not (missing and any(path[:len(scope)] == scope for scope in scopes))]
    found += status_found
    found += order_findings(data, lines)
    found += round_findings(data, lines)
    found += evaluation_findings(data, lines)
    found += _file_findings(rel, data, lines)
    archive_found, archive = archive_facts(data, lines.of)
    found += archive_found
    case_id = data.get("id")
    record = CheckRecord(id=case_id if isinstance(case_id, str) else None, id_line=lines.first(("id",)),
                         findings=found, deadlines=deadline_facts(data, lines), archive=archive)
    return data, lines, record


def analyse(rel: str, raw: bytes) -> CheckRecord:
    """The cacheable record of one case file (see the module docstring)."""
    try:
        text = yamlio.decode(raw)
    except yamlio.YamlProblem as problem:
        return CheckRecord(id=None, findings=[["schema", problem.line, problem.message]], deadlines=None)
    return analyse_text(rel, text)[2]


def future_dates(rel: str, raw: bytes, today: date) -> list[tuple[int, str]]:
    """``(line, message)`` for every fact date after ``today`` (the rare, detailed case)."""
    data, lines, _record = analyse_text(rel, yamlio.decode(raw))
    if data is None or lines is None:
        return []
    return [(lines.of(path), f"{format_path(path)}: {format_date(when)} er etter dagens dato ({format_date(today)})")
            for path, when in fact_dates(data) if when > today]
