"""Run the selected checks over a case repository: one pass per file, git once.

The flow: start git (status, log) in the background; list ``cases/``; take every
unchanged file's record from the warm cache; parse the rest (in parallel when
there are many); judge the deadlines against the day; add the cross-file, git,
schema-copy and calendar findings; save the cache.
"""

from __future__ import annotations

import copy
import functools
import os
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from skolemiljo.checks import archive_checks, registry
from skolemiljo.checks.audit_checks import GitQuery, deleted_message, dirty_message, schema_copy_findings
from skolemiljo.checks.cache import CheckCache, CheckRecord
from skolemiljo.checks.content import analyse, future_dates
from skolemiljo.checks.deadlines import judge
from skolemiljo.domain.casepaths import case_id_of
from skolemiljo.domain.model import CASE_ID
from skolemiljo.domain.schoolyear import Calendar, load_calendar
from skolemiljo.domain.workdays import Workdays
from skolemiljo.errors import CalendarProblem, Finding, SkmError
from skolemiljo.storage import yamlio
from skolemiljo.storage.calendarfile import read_calendar
from skolemiljo.storage.filecache import Analysis, blob_id, index_blobs, read_records
from skolemiljo.storage.git import Git
from skolemiljo.storage.repository import CASES_DIR, STATE_DIR, CaseRepo


@dataclass
class Report:
    """The outcome of one ``skm check`` run."""

    findings: list[Finding]
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


def _oversize(rel: str, size: int) -> dict[str, Any]:
    return _refused(rel, yamlio.too_large_message(size))


def _refused(rel: str, message: str) -> dict[str, Any]:
    """The record of a file that is no case file to read (a symlink, a FIFO, a folder): one finding."""
    return CheckRecord(id=None, findings=[["schema", 1, message]], deadlines=None)


ANALYSIS = Analysis(analyse, _oversize, yamlio.MAX_FILE_BYTES, _refused)


def _compile_validator() -> None:
    from skolemiljo.schema.fast import fast_validator

    fast_validator()


# ---------------------------------------------------------------- calendar


def _calendar(repo: CaseRepo, cache: CheckCache | None = None) -> tuple[Calendar | None, list[Finding]]:
    """The calendar, from the cache when ``calendar.yaml`` has the same bytes (the strict YAML reader
    and its import cost 0.1–0.3 s on every run); a calendar with findings is never cached."""
    if cache is not None and cache.enabled:
        try:
            raw = repo.calendar_path.read_bytes()
        except OSError:
            raw = None
        if raw is not None:
            data = cache.calendar_data(blob_id(raw))
            if data is not None:
                try:
                    return load_calendar(data), []
                except CalendarProblem:
                    pass  # read again below: the finding needs the file's lines
            else:
                try:
                    data = yamlio.load(yamlio.decode(raw))
                    kept = copy.deepcopy(data)  # as read, whatever load_calendar does with it
                    calendar = load_calendar(data)
                except (yamlio.YamlProblem, CalendarProblem):
                    pass
                else:
                    cache.remember_calendar(blob_id(raw), kept)
                    return calendar, []
    calendar, problems = read_calendar(repo.calendar_path, repo.rel(repo.calendar_path))
    return calendar, [registry.finding(p.file, p.line, p.check, p.message) for p in problems]


# ---------------------------------------------------------------- the run


def _records(repo: CaseRepo, files: list[tuple[str, str, os.DirEntry[str]]], cache: CheckCache,
             jobs: int | None, git: GitQuery | None) -> tuple[dict[str, dict[str, Any]], int]:
    """Every case file's record, from the cache when unchanged (by stamp, or by git blob id when git finds
    the file unchanged from its index: the ``git status`` of ``ikke-committet`` says which, when it runs);
    ``(records, files parsed)``."""
    changed = git.worktree_changes if git is not None else None
    return read_records(files, cache, ANALYSIS, jobs=jobs, before_fork=_compile_validator,
                        index=functools.partial(index_blobs, repo.root, CASES_DIR, changed))


def _case_findings(repo: CaseRepo, files: list[tuple[str, str, os.DirEntry[str]]],
                   records: dict[str, dict[str, Any]], wanted: frozenset[str], today: date,
                   workdays: Workdays, frister: dict[str, int], add: Callable[[str, int, str, str], None],
                   archive_frist: int | None = None) -> None:
    """The cached findings, the deadlines as of ``today``, and ids used twice.

    ``archive_frist``: the working days of ``ikke-arkivert`` (None: the school does not deliver
    with ``skm archive``, so the check says nothing)."""
    by_id: dict[str, list[str]] = {}
    for _path, rel, _entry in files:
        record = records.get(rel)
        if record is None:
            continue
        for check, line, message in record["findings"]:
            if check in wanted:
                add(rel, line, check, message)
        facts = record.get("deadlines")
        if facts:
            judge(facts, today, workdays, frister, wanted, lambda c, n, m, rel=rel: add(rel, n, c, m))
            if "dato-fram-i-tid" in wanted and facts.get("max") and facts["max"] > today.isoformat():
                try:
                    raw = yamlio.read_file(repo.root / rel)
                except yamlio.YamlProblem:
                    continue  # replaced since it was read: the next run sees what it is now
                for line, message in future_dates(rel, raw, today):
                    add(rel, line, "dato-fram-i-tid", message)
        if archive_frist is not None and record.get("archive"):
            archive_checks.judge(record["archive"], today, workdays, archive_frist,
                                 lambda c, n, m, rel=rel: add(rel, n, c, m))
        if record.get("id") is not None:
            by_id.setdefault(record["id"], []).append(rel)
    if "id-unik" in wanted:
        for case_id, rels in by_id.items():
            shown = f"Saksnummeret {case_id}" if CASE_ID.fullmatch(case_id) else "Saksnummeret"
            for rel in rels if len(rels) > 1 else ():
                others = ", ".join(r for r in rels if r != rel)
                add(rel, records[rel].get("id_line", 1), "id-unik", f"{shown} brukes også i {others}")


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
    if "sak-slettet" in wanted:
        for rel, gone in sorted(facts.deleted.items()):
            if rel not in case_rels:  # back in the work tree, not committed yet: ikke-committet says so
                add(rel, 1, "sak-slettet", deleted_message(gone, rel))
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
    cache = CheckCache(repo.state_dir / "cache", enabled=use_cache and not _state_from_git(repo))
    git = None
    if wanted & registry.GIT_CHECKS:  # started first: git works while the cases are parsed
        git = GitQuery(repo.root, CASES_DIR, "ikke-committet" in wanted, "endret-utenom-skm" in wanted, cache.git,
                       want_deleted="sak-slettet" in wanted)
    files = repo.case_file_entries()
    case_rels = {rel for _p, rel, _e in files}
    mark("listed")
    records, parsed = _records(repo, files, cache, jobs, git) if wanted & registry.CONTENT_CHECKS else ({}, 0)
    mark("parsed")

    findings: list[Finding] = []

    def add(rel: str, line: int, check: str, message: str) -> None:
        findings.append(registry.finding(rel, line, check, message, case_id_of(rel)))

    calendar = None
    if wanted & registry.CALENDAR_CHECKS:
        calendar, calendar_findings = _calendar(repo, cache)
        if "kalender" in wanted:
            findings.extend(calendar_findings)
    workdays = Workdays(calendar)
    frister = dict(calendar.deadlines) if calendar else _default_deadlines()
    _case_findings(repo, files, records, wanted, today, workdays, frister, add, _archive_frist(repo, wanted))
    mark("judged")
    if git is not None:
        _git_findings(git, case_rels, wanted, cache, add)
    mark("git")
    if "skjema-kopi" in wanted:
        findings.extend(registry.finding(rel, line, "skjema-kopi", message)
                        for rel, line, message in schema_copy_findings(repo.root))
    cache.save(case_rels if records else set(cache.files))
    order = {check: index for index, check in enumerate(registry.IDS)}
    findings.sort(key=lambda f: (f.file, f.line, order[f.check], f.message))
    mark("done")
    stats = {"files": len(files), "parsed": parsed, "cache_hits": len(records) - parsed,
             "seconds": round(time.perf_counter() - started, 3), "marks": marks}
    flagged = len({f.file for f in findings} & case_rels)
    return Report(findings, len(files), list(checks), today, flagged, stats)


def _state_from_git(repo: CaseRepo) -> bool:
    """Whether git tracks files under ``.skm/``: then the cache there is not trusted (it could hide findings)."""
    if not (repo.state_dir / "cache" / "check.json").exists():
        return False  # nothing to trust: no question to git
    found = Git(repo.root).run("ls-files", "-z", "--", f"{STATE_DIR}/", check=False)
    return found.returncode == 0 and bool(found.stdout.strip(b"\0"))


def _archive_frist(repo: CaseRepo, wanted: frozenset[str]) -> int | None:
    """``arkiv.frist`` when ``ikke-arkivert`` runs and ``skole.yaml`` has an ``arkiv:`` section."""
    if "ikke-arkivert" not in wanted or not repo.settings_path.is_file():
        return None
    try:
        archive = repo.settings().arkiv
    except SkmError:  # a broken skole.yaml: every command that needs it says so
        return None
    return archive.frist if archive.configured else None


def _default_deadlines() -> dict[str, int]:
    from skolemiljo.domain.schoolyear import DEFAULT_DEADLINES

    return dict(DEFAULT_DEADLINES)
