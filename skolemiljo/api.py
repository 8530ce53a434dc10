"""skm's public Python API: everything the ``skm`` command does, as plain functions.

Each function takes a ``CaseRepo`` (``find_repository``) and returns data; writes are
one git commit each, under the repository's write lock. Errors are ``SkmError``s with a
Norwegian message (``skolemiljo.errors``). The command line (``skolemiljo.cli``) and the
web interface are thin layers over exactly these functions.

    from skolemiljo import api

    repo = api.find_repository(Path("saker"))
    author = api.resolve_author(repo.root, "Tone Berg <tone.berg@skole.no>")
    case_id = api.new_case(repo, api.NewCase(...), author)
    api.advance(repo, case_id, author)
    report = api.run_checks(repo, api.all_checks(), date.today())
"""

from __future__ import annotations

from skolemiljo.checks.registry import select as select_checks
from skolemiljo.checks.runner import Report
from skolemiljo.checks.runner import run as run_checks
from skolemiljo.domain.author import Author, parse_author
from skolemiljo.domain.presentation import describe_case
from skolemiljo.domain.schoolyear import Calendar
from skolemiljo.errors import SkmError
from skolemiljo.render.api import render_all, render_case
from skolemiljo.services.archive import ArchiveResult, ReceiptResult, archive_all, archive_case, record_receipt
from skolemiljo.schema.validation import validate_bytes, validate_record
from skolemiljo.services.cases import EditResult, NewCase, finish_edit, new_case, start_edit
from skolemiljo.services.init import init_repository
from skolemiljo.services.overview import Overview, all_deadlines, case_summaries, status_overview
from skolemiljo.services.sync import SyncResult, sync
from skolemiljo.services.workflow import (
    Transition,
    add_log,
    add_tiltak,
    advance,
    best_interests,
    change_tiltak,
    close,
    conclude,
    end_tiltak,
    evaluate,
    hear,
    investigate,
    notify,
    plan,
    reopen,
)
from skolemiljo.storage.calendarfile import repository_calendar
from skolemiljo.storage.casefiles import LoadedCase, read_case
from skolemiljo.storage.git import resolve_author
from skolemiljo.storage.history import HistoryEntry, case_history
from skolemiljo.storage.repository import CaseRepo, Settings, find_repository


def all_checks() -> list[str]:
    """The ids of every check ``skm check`` runs by default."""
    return select_checks(None, None)


__all__ = [
    "ArchiveResult", "Author", "Calendar", "CaseRepo", "EditResult", "HistoryEntry", "LoadedCase", "NewCase", "Overview",
    "ReceiptResult", "Report", "Settings",
    "SkmError", "SyncResult", "Transition",
    "add_log", "add_tiltak", "advance", "archive_all", "archive_case", "all_checks", "all_deadlines", "best_interests", "case_history",
    "case_summaries", "change_tiltak", "close", "conclude", "describe_case", "end_tiltak", "evaluate",
    "find_repository", "finish_edit", "hear", "init_repository", "investigate", "new_case", "notify",
    "parse_author", "plan", "read_case", "record_receipt", "render_all", "render_case", "reopen", "repository_calendar",
    "resolve_author", "run_checks",
    "start_edit", "status_overview", "sync", "validate_bytes", "validate_record",
]
