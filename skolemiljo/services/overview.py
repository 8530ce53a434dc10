"""The leadership's overview: every open case's pending deadlines, in working days.

``skm status`` (the weekly lederforum) and ``skm calendar`` (what is due) read the
cases through ``case_facts``: per case file the few facts they show and what the
deadline engine (``domain.deadlines``, the one ``skm check`` judges with) says the case
still owes; here they are listed ahead of time, not only when missed.

The facts are kept in ``.skm/cache/status.json`` (``filecache``: reused only for an
unchanged file, keyed on the code and ``calendar.yaml``), so a weekly run over tens
of thousands of cases parses only what changed. Pupils' names are not kept there:
``--navn`` reads them from the case files of the rows it shows.
"""

from __future__ import annotations

import functools
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator

from skolemiljo.domain import rounds
from skolemiljo.domain.dates import as_date
from skolemiljo.domain.deadlines import Deadline, deadlines
from skolemiljo.domain.model import CASE_ID, KATEGORI_PATTERN, OPEN_STATUSES, SAKSTYPER, STATUSES, shown_id
from skolemiljo.domain.schoolyear import DEFAULT_DEADLINES, Calendar, load_calendar
from skolemiljo.domain.workdays import Workdays
from skolemiljo.storage import yamlio
from skolemiljo.storage.casefiles import parse_case_text, quick_load
from skolemiljo.storage.filecache import (Analysis, FileCache, fingerprint, index_blobs, plain_decode, plain_encode,
                                         read_records)
from skolemiljo.storage.repository import CASES_DIR, CaseRepo, case_stem

RECENTLY_CLOSED_DAYS = 30
PROCEDURE_C = "ledelse-elev"


def pending_deadlines(case: dict[str, Any], workdays: Workdays, frister: dict[str, int]) -> list[Deadline]:
    """What a case still owes, each with its last day in time (``domain.deadlines``, the engine
    ``skm check`` judges with too)."""
    return deadlines(case, workdays, frister)


# ------------------------------------------------------------------- reading

_SOURCES = ("services/overview.py", "storage/filecache.py", "storage/casefiles.py", "storage/fastyaml.py",
            "domain/workdays.py", "domain/deadlines.py", "domain/requirements.py", "domain/schoolyear.py", "storage/yamlio.py",
            "domain/model.py", "domain/dates.py", "domain/holidays.py", "domain/rounds.py")


def _facts_of(data: Any, workdays: Workdays, frister: dict[str, int]) -> dict[str, Any] | None:
    """What status and calendar show of one case (JSON for the cache; no names, no case text)."""
    if not isinstance(data, dict):
        return None
    elev = data.get("elev") if isinstance(data.get("elev"), dict) else {}
    melding = data.get("melding") if isinstance(data.get("melding"), dict) else {}
    closing = data.get("avslutning") if isinstance(data.get("avslutning"), dict) else {}
    received, closed, follow_up = as_date(melding.get("mottatt")), as_date(closing.get("dato")), \
        as_date(closing.get("oppfolging"))
    categories = data.get("kategorier")
    return {
        # Only what may be printed: an id of the id pattern, a status and sakstype of the vocabulary,
        # categories of the category pattern (a hand-typed value may be a name).
        "id": shown_id(data.get("id")), "status": _choice(data.get("status"), STATUSES),
        "sakstype": _choice(data.get("sakstype"), SAKSTYPER), "klasse": elev.get("klasse"),
        "mottatt": received.isoformat() if received else None,
        "kategorier": [shown_id(c, KATEGORI_PATTERN, "(ugyldig kategori)") for c in categories]
        if isinstance(categories, list) else [],
        "avsluttet": closed.isoformat() if closed else None,
        "oppfolging": follow_up.isoformat() if follow_up else None,
        "oppfulgt": isinstance(closing.get("oppfulgt"), dict),
        "gjenapnet": len(rounds.reopenings(data)),
        "frister": [[d.due.isoformat(), d.what, d.kind] for d in pending_deadlines(data, workdays, frister)],
    }


def _choice(value: Any, choices: tuple[str, ...]) -> str | None:
    """``value`` when it is one of ``choices``; None when missing; else a neutral label."""
    return None if value is None else value if value in choices else "(ugyldig verdi)"


def _analyse(rel: str, raw: bytes, workdays: Workdays, frister: dict[str, int]) -> dict[str, Any] | None:
    try:
        data = parse_case_text(yamlio.decode(raw))
    except yamlio.YamlProblem:
        return None  # `skm check` says why
    return _facts_of(data, workdays, frister)


def _unreadable(rel: str, why: Any) -> None:
    return None  # too large, a symlink, a FIFO: `skm check` says why


@dataclass
class CaseFacts:
    """The facts of every case file (``_facts_of``; None when it cannot be read), by id, and the
    working days they were counted with."""

    entries: list[tuple[str, dict[str, Any] | None]]
    workdays: Workdays
    calendar: Calendar | None

    @property
    def cases(self) -> list[dict[str, Any]]:
        """The readable cases (``skm check`` reports the others)."""
        return [facts for _case_id, facts in self.entries if facts is not None]


@contextmanager
def case_facts(repo: CaseRepo, *, use_cache: bool = True) -> Iterator[CaseFacts]:
    """The facts of every case file, from ``.skm/cache/status.json`` where the file is unchanged.

    The cache is saved when the block ends, with the public holidays the block looked up.
    """
    try:
        calendar_bytes = repo.calendar_path.read_bytes()
    except OSError:
        calendar_bytes = b""
    key = fingerprint(_SOURCES, [calendar_bytes]) if use_cache else ""
    cache = FileCache(repo.state_dir / "cache" / "status.json", key, use_cache)
    calendar = _cached_calendar(cache, calendar_bytes)
    workdays = Workdays(calendar)
    frister = dict(calendar.deadlines) if calendar else dict(DEFAULT_DEADLINES)
    files = repo.case_entries()
    analysis = Analysis(functools.partial(_analyse, workdays=workdays, frister=frister), _unreadable,
                        yamlio.MAX_FILE_BYTES, _unreadable)
    records, _parsed = read_records(files, cache, analysis, index=functools.partial(index_blobs, repo.root, CASES_DIR))
    yield CaseFacts([(case_stem(rel), records.get(rel)) for _path, rel, _entry in files], workdays, calendar)
    cache.save({rel for _path, rel, _entry in files})


def _cached_calendar(cache: FileCache, raw: bytes) -> Calendar | None:
    """The calendar, parsed from the status cache (its key covers ``calendar.yaml``'s bytes) when it is
    there: the strict YAML reader and its import cost ≈ 0.1 s on every run."""
    found = cache.extra.get("calendar")
    if cache.enabled and isinstance(found, dict):
        try:
            return load_calendar(plain_decode(found["data"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # damaged: read again
    try:
        data = yamlio.load_bytes(raw)
        encoded = plain_encode(data)
        calendar = load_calendar(data)
    except (ValueError, TypeError, yamlio.YamlProblem):
        return _calendar_of(raw)
    if cache.enabled:
        cache.extra["calendar"] = {"data": encoded}
        cache.dirty = True
    return calendar


def _calendar_of(raw: bytes) -> Calendar | None:
    try:
        return load_calendar(yamlio.load_bytes(raw))
    except (ValueError, yamlio.YamlProblem):
        return None


# -------------------------------------------------------------------- list


def pupil_name(repo: CaseRepo, case_id: str) -> Any:
    """``--navn``: the pupil's name, read from the case file itself (names are never cached)."""
    data = quick_load(repo.case_path(case_id)) if CASE_ID.fullmatch(case_id) else None
    elev = data.get("elev") if data and isinstance(data.get("elev"), dict) else {}
    return elev.get("navn")


@dataclass
class CaseSummary:
    id: str
    status: str
    sakstype: str
    klasse: str
    mottatt: str
    navn: str = ""
    readable: bool = True


def case_summaries(repo: CaseRepo, status: str | None = None, *, with_names: bool = False) -> list[CaseSummary]:
    """One line per case (``skm list``); unreadable files are listed as such, not skipped."""
    out = []
    with case_facts(repo) as facts:
        for case_id, case in facts.entries:
            if case is None:
                out.append(CaseSummary(case_id, "(ugyldig)", "", "", "", readable=False))
                continue
            summary = CaseSummary(case_id, *("" if case[key] is None else str(case[key])
                                             for key in ("status", "sakstype", "klasse", "mottatt")))
            if status is None or summary.status == status:
                out.append(summary)
    if with_names:
        for summary in out:
            name = pupil_name(repo, summary.id) if summary.readable else None
            summary.navn = "" if name is None else str(name)
    return out


# -------------------------------------------------------------------- status


@dataclass
class Overview:
    today: date
    open: list[dict[str, Any]] = field(default_factory=list)
    recently_closed: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    # The last lederforum and TRK meeting recorded with `skm meeting` (issue 14, item 15).
    last_meetings: dict[str, str | None] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"dato": self.today.isoformat(), "apne_saker": self.open,
                "avsluttet_siste_30_dager": self.recently_closed, "skolearet": self.counts,
                "siste_moter": self.last_meetings}


def _deadlines(case: dict[str, Any]) -> list[Deadline]:
    return [Deadline(case["id"], date.fromisoformat(due), what, kind) for due, what, kind in case["frister"]]


def _open_row(case: dict[str, Any], workdays: Workdays, today: date) -> dict[str, Any]:
    owed = _deadlines(case)
    received = as_date(case["mottatt"])
    return {
        "id": case["id"],
        "status": case["status"],
        "sakstype": case["sakstype"],
        "klasse": case["klasse"],
        "mottatt": case["mottatt"],
        "arbeidsdager_apen": workdays.count(received, today) if received and received <= today else 0,
        "forfalt": [d.as_json(today) for d in owed if d.due < today],
        "neste_frist": next((d.as_json(today) for d in owed if d.due >= today), None),
    }


def _follow_up_due(case: dict[str, Any], today: date) -> bool:
    """A closed case whose agreed follow-up is due and not recorded stays on the overview."""
    due = as_date(case.get("oppfolging"))
    return case["status"] == "avsluttet" and due is not None and due <= today and not case.get("oppfulgt")


def status_overview(repo: CaseRepo, today: date, *, with_names: bool = False,
                    include_c: bool = False) -> Overview:
    """Open cases (overdue first), cases closed in the last 30 days, and the school year's counts.

    Closed cases whose follow-up is due and not recorded are listed with the open ones until it is.
    Procedure C cases (someone in the leadership violated the pupil: skoleeier handles them) are left
    out of the school's own overview unless ``include_c``; even then their rows never carry the name.
    """
    overview = Overview(today)
    with case_facts(repo) as facts:
        cases = [case for case in facts.cases if include_c or case["sakstype"] != PROCEDURE_C]
        open_rows = [_open_row(case, facts.workdays, today) for case in cases
                     if case["status"] in OPEN_STATUSES or _follow_up_due(case, today)]

    def order(row: dict[str, Any]) -> tuple:
        first_overdue = row["forfalt"][0]["frist"] if row["forfalt"] else None
        upcoming = row["neste_frist"]["frist"] if row["neste_frist"] else "9999-12-31"
        return (0 if first_overdue else 1, first_overdue or upcoming, str(row["id"]))

    overview.open = sorted(open_rows, key=order)
    since = today - timedelta(days=RECENTLY_CLOSED_DAYS)
    for case in cases:
        closed = as_date(case["avsluttet"])
        if case["status"] == "avsluttet" and closed and since <= closed <= today:
            overview.recently_closed.append({"id": case["id"], "sakstype": case["sakstype"], "klasse": case["klasse"],
                                             "avsluttet": case["avsluttet"], "oppfolging": case["oppfolging"]})
    overview.recently_closed.sort(key=lambda r: (r["avsluttet"], str(r["id"])))
    if with_names:
        for row in overview.open + overview.recently_closed:
            row["navn"] = None if row["sakstype"] == PROCEDURE_C else pupil_name(repo, str(row["id"]))
    calendar = facts.calendar
    start, end = (calendar.start, calendar.end) if calendar else (date(today.year - (today.month < 8), 8, 1), today)
    categories: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for case in cases:
        received = as_date(case["mottatt"])
        if received and start <= received <= end:
            kinds[str(case["sakstype"])] += 1
            categories.update(case["kategorier"])
    overview.counts = {"sakstyper": dict(sorted(kinds.items())), "kategorier": dict(sorted(categories.items())),
                       "fra": start.isoformat(), "til": end.isoformat()}
    from skolemiljo.services.intake import last_meetings

    overview.last_meetings = last_meetings(repo, today)
    return overview


def all_deadlines(repo: CaseRepo) -> list[Deadline]:
    """Every pending deadline of every case (for ``skm calendar`` and the .ics export)."""
    with case_facts(repo) as facts:
        out = [d for case in facts.cases for d in _deadlines(case)]
    return sorted(out, key=lambda d: (d.due, d.case_id, d.what))


# -------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class CalendarWeek:
    """One ISO week of ``skm calendar``: the routines that touch it (each title once) and the deadlines due."""

    number: int
    first: date
    last: date
    routines: list[Any]  # domain.arshjul.Occurrence
    deadlines: list[Deadline]


@dataclass
class CalendarView:
    """What ``skm calendar`` and the web's Årshjul show from ``today`` on."""

    today: date
    overdue: list[Deadline]
    weeks: list[CalendarWeek]
    all_year: list[str]  # the routines that run all year, by title


def repo_calendar(repo: CaseRepo) -> Calendar:
    """The repository's calendar; ``InvalidCaseError`` (exit 1, ``FILE:LINE``) when it cannot be used."""
    from skolemiljo.storage.calendarfile import repository_calendar

    return repository_calendar(repo)


def calendar_view(repo: CaseRepo, today: date, weeks: int) -> CalendarView:
    """The årshjul's routines and the cases' deadlines, week by week for ``weeks`` weeks from ``today``."""
    from skolemiljo.domain.arshjul import all_year, monday, occurrences

    calendar = repo_calendar(repo)
    found = all_deadlines(repo)
    routines = occurrences(calendar)
    # A closing's follow-up stays owed until it is recorded (`skm follow-up`).
    overdue = [d for d in found if d.due < today]
    start = monday(today)
    shown = [d for d in found if today <= d.due < start + timedelta(weeks=weeks)]
    out = []
    for week in range(weeks):
        first = start + timedelta(weeks=week)
        last = first + timedelta(days=6)
        seen: set[str] = set()
        items = []
        for item in routines:
            if item.overlaps(first, last) and item.title not in seen:
                seen.add(item.title)
                items.append(item)
        due = [d for d in shown if first <= d.due <= last]
        out.append(CalendarWeek(first.isocalendar()[1], first, last, items, due))
    return CalendarView(today, overdue, out, [str(r.get("hva")) for r in all_year(calendar)])


def calendar_ics(repo: CaseRepo, today: date) -> bytes:
    """The whole school year (årshjul and the deadlines in it) as iCalendar; deadlines name case ids only."""
    from datetime import datetime, time, timezone

    from skolemiljo.domain.arshjul import Occurrence, occurrences
    from skolemiljo.render.ics import to_ics

    calendar = repo_calendar(repo)
    owed = [Occurrence(d.due, d.due, f"{d.case_id}: {d.what}", kind="frist") for d in all_deadlines(repo)]
    in_year = [d for d in owed if calendar.start <= d.first <= calendar.end]
    stamp = datetime.combine(today, time(0, 0), tzinfo=timezone.utc)
    return to_ics(calendar, occurrences(calendar) + in_year, repo.settings().skole, stamp)


def write_sheet(repo: CaseRepo, overview: Overview, *, with_names: bool, html: Path | None,
                pdf: Path | None) -> list[Path]:
    """The printable meeting sheet (``templates/statusoversikt.html``), as HTML and/or PDF/A."""
    from skolemiljo.render import engine, i18n
    from skolemiljo.storage.atomic import write_atomic

    counts = overview.counts
    malform = repo.settings().malform  # the sheet follows the school's målform (issue 14, item 16)

    def format_date(value: Any) -> str:
        return i18n.format_date(as_date(value), malform) if as_date(value) else str(value)

    last = overview.last_meetings
    context = {
        "t": i18n.text(malform),
        "lang": malform,
        "skole": repo.settings().skole,
        "dato": format_date(overview.today.isoformat()),
        "navn": with_names,
        "apne": [{**_formatted(row, format_date), "status_vist": i18n.label(i18n.STATUS_SHOWN, malform, row["status"])}
                 for row in overview.open],
        "avsluttet": [{**row, "avsluttet": format_date(row["avsluttet"]),
                       "oppfolging": format_date(row["oppfolging"]) if row["oppfolging"] else None}
                      for row in overview.recently_closed],
        "siste_lederforum": format_date(last["lederforum"]) if last.get("lederforum") else None,
        "siste_trk": format_date(last["trk"]) if last.get("trk") else None,
        "fra": format_date(counts["fra"]), "til": format_date(counts["til"]),
        "sakstyper": sorted(counts["sakstyper"].items()), "kategorier": sorted(counts["kategorier"].items()),
    }
    text = engine.render(repo.root, "statusoversikt", "html", context)
    written = []
    if html is not None:
        write_atomic(html, text.encode("utf-8"))
        written.append(html)
    if pdf is not None:
        from skolemiljo.render.pdf import html_to_pdf

        write_atomic(pdf, html_to_pdf(text, pdfa=repo.settings().pdfa,
                                                folders=engine.search_path(repo.root)))
        written.append(pdf)
    return written


def _formatted(row: dict[str, Any], format_date: Any = None) -> dict[str, Any]:
    if format_date is None:
        from skolemiljo.domain.dates import format_date

    def one(deadline: dict[str, Any]) -> dict[str, Any]:
        return {**deadline, "frist": format_date(deadline["frist"])}

    return {**row, "forfalt": [one(d) for d in row["forfalt"]],
            "neste_frist": one(row["neste_frist"]) if row["neste_frist"] else None,
            "navn": row.get("navn")}
