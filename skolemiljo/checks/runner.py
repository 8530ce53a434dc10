"""Run the selected checks over a case repository: one pass per file, git once.

The flow: start git (status, log) in the background; list ``cases/``; take every
unchanged file's record from the warm cache; parse the rest (in parallel when
there are many); judge the deadlines against the day; add the cross-file, git,
schema-copy and calendar findings; save the cache.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from .. import yamlio
from ..calendar import Calendar, load_calendar
from ..model import CASE_ID
from ..repository import CASES_DIR, CaseRepo
from . import registry
from .audit_checks import GitQuery, dirty_message, schema_copy_findings
from .cache import RACY_NS, CheckCache, content_hash
from .content import analyse, future_dates
from .deadlines import judge
from .registry import CheckFinding
from .workdays import Workdays

PARALLEL_MIN = 150  # below this many files to parse, a process pool costs more than it saves
CHUNK = 250


@dataclass
class Report:
    """The outcome of one ``skm check`` run."""

    findings: list[CheckFinding]
    cases: int
    checks: list[str]
    today: date
    flagged: int = 0  # case files with at least one finding
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == registry.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == registry.WARNING)

    @property
    def cases_with_findings(self) -> int:
        return self.flagged

    def exit_code(self, strict: bool = False) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0


# ---------------------------------------------------------------- reading files


def _read(path: str, rel: str) -> tuple[str, list[int], bool, str, dict[str, Any]]:
    """``(rel, stamp, trusted, hash, record)`` of one case file."""
    before = time.time_ns()
    with open(path, "rb") as handle:
        st = os.fstat(handle.fileno())
        if st.st_size > yamlio.MAX_FILE_BYTES:
            raw = b""
            record = {"id": None, "f": [["schema", 1, f"Fila er for stor ({st.st_size:,} byte; grensen er "
                                                      f"{yamlio.MAX_FILE_BYTES:,}).".replace(",", " ")]], "d": None}
        else:
            raw = handle.read()
            record = analyse(rel, raw)
    stamp = [st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns]
    trusted = max(st.st_mtime_ns, st.st_ctime_ns) < before - RACY_NS
    return rel, stamp, trusted, content_hash(raw), record


def _read_chunk(items: list[tuple[str, str]]) -> list[tuple[str, list[int], bool, str, dict[str, Any]]]:
    return [_read(path, rel) for path, rel in items]


def _jobs(requested: int | None) -> int:
    if requested:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _read_all(items: list[tuple[str, str]], jobs: int) -> list[tuple[str, list[int], bool, str, dict[str, Any]]]:
    """Parse ``items`` (``(path, rel)``), in a fork-started process pool when there are many."""
    import multiprocessing

    if jobs <= 1 or len(items) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return _read_chunk(items)
    from .schema_check import fast_validator

    fast_validator()  # compile once, before the fork, so every worker inherits it
    size = max(20, min(CHUNK, len(items) // (jobs * 4) or 1))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    out: list[tuple[str, list[int], bool, str, dict[str, Any]]] = []
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for part in pool.imap_unordered(_read_chunk, chunks):
            out.extend(part)
    return out


def case_files(repo: CaseRepo) -> list[tuple[str, str, os.DirEntry[str]]]:
    """``(path, rel, entry)`` of every case file (``*.yaml``, and misnamed ``*.yml``)."""
    found = []
    try:
        with os.scandir(repo.cases_dir) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith(".") or not (name.endswith(".yaml") or name.endswith(".yml")):
                    continue
                if entry.is_file():
                    found.append((entry.path, f"{CASES_DIR}/{name}", entry))
    except FileNotFoundError:
        return []
    found.sort(key=lambda item: item[1])
    return found


# ---------------------------------------------------------------- calendar


def _calendar(repo: CaseRepo) -> tuple[Calendar | None, list[CheckFinding]]:
    rel = repo.rel(repo.calendar_path)
    try:
        data = yamlio.load(yamlio.decode(repo.calendar_path.read_bytes()))
        return load_calendar(data), []
    except yamlio.YamlProblem as problem:
        return None, [CheckFinding(rel, problem.line, "kalender", problem.message)]
    except OSError:
        return None, [CheckFinding(rel, 1, "kalender", "calendar.yaml kan ikke leses")]
    except ValueError as error:
        return None, [CheckFinding(rel, 1, "kalender", f"calendar.yaml: {error}")]


def _holiday_key() -> str | None:
    """Identifies the installed ``holidays`` package without importing it (slow)."""
    import importlib.util

    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.origin:
        return None
    try:
        return f"{spec.origin}:{os.stat(spec.origin).st_mtime_ns}"
    except OSError:
        return None


def _workdays(calendar: Calendar | None, cache: CheckCache) -> Workdays:
    key = _holiday_key()
    stored = cache.extra.get("holidays")
    if key and isinstance(stored, dict) and stored.get("key") == key:
        years = {int(y) for y in stored.get("years", {})}
        public = {date.fromisoformat(d) for days in stored.get("years", {}).values() for d in days}
        return Workdays(calendar, public, years)
    return Workdays(calendar)


def _remember_holidays(workdays: Workdays, cache: CheckCache) -> None:
    key = _holiday_key()
    stored = cache.extra.get("holidays")
    years = workdays.years_loaded
    if not key or (isinstance(stored, dict) and stored.get("key") == key
                   and {int(y) for y in stored.get("years", {})} == years):
        return
    days = workdays.public_days
    cache.extra["holidays"] = {"key": key, "years": {
        str(y): sorted(d.isoformat() for d in days if d.year == y) for y in sorted(years)}}
    cache.dirty = True


# ---------------------------------------------------------------- the run


def _records(files: list[tuple[str, str, os.DirEntry[str]]], cache: CheckCache,
             jobs: int | None) -> tuple[dict[str, dict[str, Any]], int]:
    """Every case file's record, from the cache when unchanged; ``(records, files parsed)``."""
    records: dict[str, dict[str, Any]] = {}
    misses: list[tuple[str, str]] = []
    for path, rel, entry in files:
        old = cache.files.get(rel)
        if old is not None and old[4]:
            try:
                st = entry.stat()
            except OSError:
                st = None
            if st is not None and old[:4] == [st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns]:
                records[rel] = old[6]
                continue
        misses.append((path, rel))
    parsed = 0
    for rel, stamp, trusted, digest, record in _read_all(misses, _jobs(jobs)) if misses else ():
        old = cache.files.get(rel)
        if old is not None and old[5] == digest:
            record = old[6]  # touched, not changed
        else:
            parsed += 1
        cache.files[rel] = [*stamp, trusted, digest, record]
        cache.dirty = True
        records[rel] = record
    return records, parsed


def _case_findings(repo: CaseRepo, files: list[tuple[str, str, os.DirEntry[str]]],
                   records: dict[str, dict[str, Any]], wanted: frozenset[str], today: date,
                   workdays: Workdays, frister: dict[str, int], add: Callable[[str, int, str, str], None]) -> None:
    """The cached findings, the deadlines as of ``today``, and ids used twice."""
    by_id: dict[str, list[str]] = {}
    for _path, rel, _entry in files:
        record = records.get(rel)
        if record is None:
            continue
        for check, line, message in record["f"]:
            if check in wanted:
                add(rel, line, check, message)
        facts = record.get("d")
        if facts:
            judge(facts, today, workdays, frister, wanted, lambda c, n, m, rel=rel: add(rel, n, c, m))
            if "dato-fram-i-tid" in wanted and facts.get("max") and facts["max"] > today.isoformat():
                for line, message in future_dates(rel, (repo.root / rel).read_bytes(), today):
                    add(rel, line, "dato-fram-i-tid", message)
        if record.get("id") is not None:
            by_id.setdefault(record["id"], []).append(rel)
    if "id-unik" in wanted:
        for case_id, rels in by_id.items():
            shown = f"Saksnummeret {case_id}" if CASE_ID.fullmatch(case_id) else "Saksnummeret"
            for rel in rels if len(rels) > 1 else ():
                others = ", ".join(r for r in rels if r != rel)
                add(rel, records[rel].get("il", 1), "id-unik", f"{shown} brukes også i {others}")


def _git_findings(git: GitQuery, case_rels: set[str], wanted: frozenset[str], cache: CheckCache,
                  add: Callable[[str, int, str, str], None]) -> None:
    facts = git.finish()
    if not facts.ok:
        add(CASES_DIR, 1, "ikke-committet", facts.problem or "git svarte ikke")
        return
    if "ikke-committet" in wanted:
        for rel, code in facts.dirty.items():
            if rel in case_rels or (rel.startswith(f"{CASES_DIR}/") and rel.endswith((".yaml", ".yml"))):
                add(rel, 1, "ikke-committet", dirty_message(code))
    if "endret-utenom-skm" in wanted:
        for rel in sorted(case_rels & facts.outside):
            add(rel, 1, "endret-utenom-skm", "Siste commit av saksfila er ikke gjort med skm (mangler Skm-Action); "
                                             "se `skm history` og kontroller endringen")
    log = git.log_cache()
    if log is not None:
        cache.git = log
        cache.dirty = True


def run(repo: CaseRepo, checks: list[str], today: date, *, use_cache: bool = True,
        jobs: int | None = None) -> Report:
    """Run ``checks`` (ids from the registry) on ``repo`` as of ``today``."""
    started = time.perf_counter()
    marks: dict[str, float] = {}

    def mark(name: str) -> None:
        marks[name] = round(time.perf_counter() - started, 3)

    wanted = frozenset(checks)
    cache = CheckCache(repo.state_dir / "cache", enabled=use_cache)
    git = None
    if wanted & registry.GIT_CHECKS:  # started first: git works while the cases are parsed
        git = GitQuery(repo.root, CASES_DIR, "ikke-committet" in wanted, "endret-utenom-skm" in wanted, cache.git)
    files = case_files(repo)
    case_rels = {rel for _p, rel, _e in files}
    mark("listed")
    records, parsed = _records(files, cache, jobs) if wanted & registry.CONTENT_CHECKS else ({}, 0)
    mark("parsed")

    findings: list[CheckFinding] = []

    def add(rel: str, line: int, check: str, message: str) -> None:
        findings.append(CheckFinding(rel, line, check, message, _case_of(rel)))

    calendar = None
    if wanted & registry.CALENDAR_CHECKS:
        calendar, calendar_findings = _calendar(repo)
        if "kalender" in wanted:
            findings.extend(calendar_findings)
    workdays = _workdays(calendar, cache)
    frister = dict(calendar.deadlines) if calendar else _default_deadlines()
    _case_findings(repo, files, records, wanted, today, workdays, frister, add)
    _remember_holidays(workdays, cache)
    mark("judged")
    if git is not None:
        _git_findings(git, case_rels, wanted, cache, add)
    mark("git")
    if "skjema-kopi" in wanted:
        findings.extend(CheckFinding(rel, line, "skjema-kopi", message, None)
                        for rel, line, message in schema_copy_findings(repo.root))
    cache.save(case_rels if records else set(cache.files))
    order = {check: index for index, check in enumerate(registry.IDS)}
    findings.sort(key=lambda f: (f.file, f.line, order[f.check], f.message))
    mark("done")
    stats = {"files": len(files), "parsed": parsed, "cache_hits": len(records) - parsed,
             "seconds": round(time.perf_counter() - started, 3), "marks": marks}
    flagged = len({f.file for f in findings} & case_rels)
    return Report(findings, len(files), list(checks), today, flagged, stats)


def _case_of(rel: str) -> str | None:
    if not rel.startswith(f"{CASES_DIR}/"):
        return None
    stem = rel[len(CASES_DIR) + 1:].rsplit(".", 1)[0]
    return stem if CASE_ID.fullmatch(stem) else None


def _default_deadlines() -> dict[str, int]:
    from ..calendar import DEFAULT_DEADLINES

    return dict(DEFAULT_DEADLINES)
