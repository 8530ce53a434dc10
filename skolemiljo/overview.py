"""The leadership's overview: every open case's pending deadlines, in working days.

``skm status`` (the weekly lederforum) and ``skm calendar`` (what is due) read the
cases through ``load_cases`` and ask ``pending_deadlines`` what each still owes.
Deadlines are counted like ``skm check`` does (``checks.workdays.Workdays`` with the
numbers in ``calendar.yaml``); here they are listed ahead of time, not only when missed.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from . import yamlio
from .cases import quick_load
from .dates import as_date
from .calendar import DEFAULT_DEADLINES, Calendar, load_calendar
from .checks.deadlines import OWNER_SAKSTYPER
from .checks.workdays import Workdays
from .model import OPEN_STATUSES, tiltak_list
from .repository import CaseRepo

RECENTLY_CLOSED_DAYS = 30


@dataclass(frozen=True)
class Deadline:
    """Something a case owes by ``due``; ``what`` names it without case text."""

    case_id: str
    due: date
    what: str

    def as_json(self, today: date) -> dict[str, Any]:
        return {"sak": self.case_id, "frist": self.due.isoformat(), "hva": self.what, "forfalt": self.due < today}


def _filled(obj: Any, *keys: str) -> bool:
    return isinstance(obj, dict) and all(obj.get(k) not in (None, "", [], {}) for k in keys)


def pending_deadlines(case: dict[str, Any], workdays: Workdays, frister: dict[str, int]) -> list[Deadline]:
    """What an open case still owes, each with its last day in time (closed cases: the follow-up)."""
    case_id = str(case.get("id", "?"))
    status = case.get("status")
    if status == "avsluttet":
        follow_up = as_date((case.get("avslutning") or {}).get("oppfolging")) if isinstance(case.get("avslutning"), dict) else None
        return [Deadline(case_id, follow_up, "oppfølging etter avslutning")] if follow_up else []
    if status not in OPEN_STATUSES:
        return []
    melding = case.get("melding") if isinstance(case.get("melding"), dict) else {}
    received = as_date(melding.get("mottatt"))
    varsling = case.get("varsling") if isinstance(case.get("varsling"), dict) else {}
    inv = case.get("undersokelse") if isinstance(case.get("undersokelse"), dict) else {}
    sakstype = case.get("sakstype")
    out: list[Deadline] = []
    if received is not None:
        if sakstype != "ledelse-elev" and not _filled(varsling.get("rektor"), "dato", "av"):
            out.append(Deadline(case_id, workdays.deadline(received, frister["varsle_rektor"]), "varsle rektor"))
        # As `skm check` counts it: skoleeier the same day in § 12-5 cases (alvorlige cases:
        # required before the investigation starts, see `skm advance`).
        if sakstype in OWNER_SAKSTYPER and not _filled(varsling.get("skoleeier"), "dato", "av"):
            out.append(Deadline(case_id, workdays.deadline(received, frister["varsle_skoleeier"]),
                                "varsle skoleeier"))
        if not inv.get("startet"):
            out.append(Deadline(case_id, workdays.deadline(received, frister["start_undersokelse"]),
                                "starte undersøkelsen"))
        if status in ("mottatt", "undersokes"):
            what = "aktivitetsplan (status tiltak)" if inv.get("konklusjon") else "konklusjon og aktivitetsplan"
            out.append(Deadline(case_id, workdays.deadline(received, frister["aktivitetsplan"]), what))
    if status == "tiltak":
        for item in tiltak_list(case):
            if not isinstance(item, dict) or item.get("avsluttet"):
                continue
            label = item.get("id") or "tiltak"
            evaluations = [e for e in item.get("evalueringer") or [] if isinstance(e, dict) and as_date(e.get("dato"))]
            planned = as_date(item.get("evalueres"))
            if evaluations:
                last = max(evaluations, key=lambda e: e["dato"])
                if last.get("videre") == "avslutt":
                    continue
                following = as_date(last.get("neste_evaluering"))
                due = following if following else as_date(last["dato"])
                if planned and planned > as_date(last["dato"]) and (following is None or planned < following):
                    due = planned
                what = f"evaluere {label}" if following else f"ny evalueringsdato for {label}"
                if due:
                    out.append(Deadline(case_id, due, what))
            elif planned:
                out.append(Deadline(case_id, planned, f"evaluere {label}"))
    return sorted(out, key=lambda d: (d.due, d.what))


# ------------------------------------------------------------------- reading


def _load_chunk(paths: list[str]) -> list[dict[str, Any] | None]:
    return [quick_load(p) for p in paths]


def load_cases(repo: CaseRepo) -> list[dict[str, Any]]:
    """Every readable case (unreadable files are for ``skm check`` to report)."""
    paths = [str(repo.case_path(case_id)) for case_id in repo.case_ids()]
    if len(paths) < 400 or (os.cpu_count() or 1) < 2:
        loaded = _load_chunk(paths)
    else:
        from concurrent.futures import ProcessPoolExecutor

        size = 500
        chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
        with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 2, 4)) as pool:
            loaded = [case for part in pool.map(_load_chunk, chunks) for case in part]
    return [case for case in loaded if case is not None]


def load_repo_calendar(repo: CaseRepo) -> Calendar | None:
    """The repository's calendar, or None when it cannot be read (``skm check`` says why)."""
    try:
        return load_calendar(yamlio.load_bytes(repo.calendar_path.read_bytes()))
    except (OSError, ValueError, yamlio.YamlProblem):
        return None


def workdays_for(calendar: Calendar | None) -> tuple[Workdays, dict[str, int]]:
    frister = dict(calendar.deadlines) if calendar else dict(DEFAULT_DEADLINES)
    return Workdays(calendar), frister


# -------------------------------------------------------------------- status


@dataclass
class Overview:
    today: date
    open: list[dict[str, Any]] = field(default_factory=list)
    recently_closed: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"dato": self.today.isoformat(), "apne_saker": self.open,
                "avsluttet_siste_30_dager": self.recently_closed, "skolearet": self.counts}


_OPEN_MEMO: dict[tuple[int, date, date], int] = {}


def _days_open(workdays: Workdays, received: date, today: date) -> int:
    """Working days since the report (memoised: many cases share a report date)."""
    key = (id(workdays), received, today)
    if key not in _OPEN_MEMO:
        _OPEN_MEMO[key] = workdays.count(received, today)
    return _OPEN_MEMO[key]


def _row(case: dict[str, Any], deadlines: list[Deadline], workdays: Workdays, today: date,
         with_names: bool) -> dict[str, Any]:
    elev = case.get("elev") if isinstance(case.get("elev"), dict) else {}
    received = as_date((case.get("melding") or {}).get("mottatt")) if isinstance(case.get("melding"), dict) else None
    overdue = [d for d in deadlines if d.due < today]
    upcoming = [d for d in deadlines if d.due >= today]
    row: dict[str, Any] = {
        "id": case.get("id"),
        "status": case.get("status"),
        "sakstype": case.get("sakstype"),
        "klasse": elev.get("klasse"),
        "mottatt": received.isoformat() if received else None,
        "arbeidsdager_apen": _days_open(workdays, received, today) if received and received <= today else 0,
        "forfalt": [d.as_json(today) for d in overdue],
        "neste_frist": upcoming[0].as_json(today) if upcoming else None,
    }
    if with_names:
        row["navn"] = elev.get("navn")
    return row


def status_overview(repo: CaseRepo, today: date, *, with_names: bool = False) -> Overview:
    """Open cases (overdue first), cases closed in the last 30 days, and the school year's counts."""
    calendar = load_repo_calendar(repo)
    workdays, frister = workdays_for(calendar)
    cases = load_cases(repo)
    overview = Overview(today)
    open_rows = []
    for case in cases:
        if case.get("status") in OPEN_STATUSES:
            deadlines = pending_deadlines(case, workdays, frister)
            open_rows.append(_row(case, deadlines, workdays, today, with_names))
    def order(row: dict[str, Any]) -> tuple:
        first_overdue = row["forfalt"][0]["frist"] if row["forfalt"] else None
        upcoming = row["neste_frist"]["frist"] if row["neste_frist"] else "9999-12-31"
        return (0 if first_overdue else 1, first_overdue or upcoming, str(row["id"]))
    overview.open = sorted(open_rows, key=order)
    since = today - timedelta(days=RECENTLY_CLOSED_DAYS)
    for case in cases:
        closing = case.get("avslutning") if isinstance(case.get("avslutning"), dict) else {}
        closed = as_date(closing.get("dato"))
        if case.get("status") == "avsluttet" and closed and since <= closed <= today:
            elev = case.get("elev") if isinstance(case.get("elev"), dict) else {}
            row = {"id": case.get("id"), "sakstype": case.get("sakstype"), "klasse": elev.get("klasse"),
                   "avsluttet": closed.isoformat(),
                   "oppfolging": closing.get("oppfolging") if as_date(closing.get("oppfolging")) else None}
            if with_names:
                row["navn"] = elev.get("navn")
            overview.recently_closed.append(row)
    overview.recently_closed.sort(key=lambda r: (r["avsluttet"], str(r["id"])))
    start, end = (calendar.start, calendar.end) if calendar else (date(today.year - (today.month < 8), 8, 1), today)
    categories: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for case in cases:
        received = as_date((case.get("melding") or {}).get("mottatt")) if isinstance(case.get("melding"), dict) else None
        if received and start <= received <= end:
            kinds[str(case.get("sakstype"))] += 1
            for category in case.get("kategorier") or []:
                categories[str(category)] += 1
    overview.counts = {"sakstyper": dict(sorted(kinds.items())), "kategorier": dict(sorted(categories.items())),
                       "fra": start.isoformat(), "til": end.isoformat()}
    return overview


def all_deadlines(repo: CaseRepo, calendar: Calendar | None) -> list[Deadline]:
    """Every pending deadline of every case (for ``skm calendar`` and the .ics export)."""
    workdays, frister = workdays_for(calendar)
    out = [d for case in load_cases(repo) for d in pending_deadlines(case, workdays, frister)]
    return sorted(out, key=lambda d: (d.due, d.case_id, d.what))


def write_sheet(repo: CaseRepo, overview: Overview, *, with_names: bool, html: Path | None,
                pdf: Path | None) -> list[Path]:
    """The printable meeting sheet (``templates/statusoversikt.html``), as HTML and/or PDF/A."""
    from .dates import format_date
    from .fsutil import write_atomic
    from .render import engine, i18n

    counts = overview.counts
    context = {
        "t": i18n.text("nb"),
        "skole": repo.settings().skole,
        "dato": format_date(overview.today),
        "navn": with_names,
        "apne": [_formatted(row) for row in overview.open],
        "avsluttet": [{**row, "avsluttet": format_date(row["avsluttet"]),
                       "oppfolging": format_date(row["oppfolging"]) if row["oppfolging"] else None}
                      for row in overview.recently_closed],
        "fra": format_date(counts["fra"]), "til": format_date(counts["til"]),
        "sakstyper": sorted(counts["sakstyper"].items()), "kategorier": sorted(counts["kategorier"].items()),
    }
    text = engine.render(repo.root, "statusoversikt", "html", context)
    written = []
    if html is not None:
        write_atomic(html.resolve(), text.encode("utf-8"))
        written.append(html)
    if pdf is not None:
        from .render.pdf import html_to_pdf

        write_atomic(pdf.resolve(), html_to_pdf(text, pdfa=repo.settings().pdfa,
                                                folders=engine.search_path(repo.root)))
        written.append(pdf)
    return written


def _formatted(row: dict[str, Any]) -> dict[str, Any]:
    from .dates import format_date

    def one(deadline: dict[str, Any]) -> dict[str, Any]:
        return {**deadline, "frist": format_date(deadline["frist"])}

    return {**row, "forfalt": [one(d) for d in row["forfalt"]],
            "neste_frist": one(row["neste_frist"]) if row["neste_frist"] else None,
            "navn": row.get("navn")}
