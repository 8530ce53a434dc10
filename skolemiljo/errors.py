"""The typed exception hierarchy.

Every error a user can cause is an ``SkmError`` carrying a Norwegian message and
an exit code. ``skolemiljo.cli.main`` is the one place that turns them into
output and exit codes; nothing else prints tracebacks or calls ``sys.exit``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

EXIT_OK = 0
EXIT_REFUSED = 1  # refused action or invalid content
EXIT_USAGE = 2  # wrong arguments, unknown case, not in a case repository


@dataclass
class Finding:
    """One problem in one file: ``FILE:LINE: [check] message``.

    ``message`` must never contain a pupil's name or free text from a case.
    """

    file: str
    line: int
    check: str
    message: str
    severity: str = "error"

    def format(self) -> str:
        return f"{self.file}:{self.line}: [{self.check}] {self.message}"


class CalendarProblem(ValueError):
    """``calendar.yaml`` content the calendar model cannot use (``domain.schoolyear.load_calendar``).

    ``message`` is Norwegian and names the field; ``path`` is where it is in the document (for
    the line number the storage layer looks up), e.g. ``("arshjul", 3, "hva")``.
    """

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class SkmError(Exception):
    """Base class: a Norwegian message for the user and an exit code."""

    exit_code = EXIT_REFUSED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(SkmError):
    """Wrong arguments: impossible date, unknown option value, bad id."""

    exit_code = EXIT_USAGE


class CaseNotFoundError(UsageError):
    """No case with that id."""


class NotARepositoryError(UsageError):
    """The directory is not inside a case repository."""


class AuthorMissingError(UsageError):
    """Nobody to record as the author of a change."""


class RefusedError(SkmError):
    """An action the rules do not allow in the current state."""


class RepositoryExistsError(RefusedError):
    """``skm init`` on a folder that already is a case repository."""


class LockTimeoutError(RefusedError):
    """Another skm process holds the write lock."""


class GitError(RefusedError):
    """A git operation failed."""


class DirtyCaseError(RefusedError):
    """The case file has changes that are not in the audit trail yet."""


class InvalidCaseError(RefusedError):
    """Case content that does not parse or does not satisfy the schema."""

    def __init__(self, message: str, findings: list[Finding], *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.findings = findings


class RequirementsNotMetError(RefusedError):
    """``skm advance`` refused: the target status lacks required items."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


class NoUpstreamError(UsageError):
    """The branch is not connected to a central repository."""


class SyncRefusedError(RefusedError):
    """The sync cannot go ahead; nothing was changed."""


class ConflictsUnresolvedError(SyncRefusedError):
    """True conflicts that the user did not (or could not) resolve."""

    def __init__(self, message: str, conflicts: list[Any], *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.conflicts = conflicts


class SyncFailedError(RefusedError):
    """The sync failed half way and everything was put back as it was."""


class CaseFailed(SkmError):
    """One case of ``render_all`` could not be made; picklable, so worker processes can report it."""

    def __init__(self, message: str, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.details = list(details)

    def __reduce__(self):
        return (CaseFailed, (self.message, tuple(self.details)))


class TemplateProblem(SkmError):
    """A school's own template (in the case repository's ``templates/``) does not work."""


class PdfUnavailableError(SkmError):
    """WeasyPrint or the system libraries it needs are missing."""


class ProgramError(RefusedError):
    """A program skm hands work to (the county's sending command) could not run or failed."""


class ArchiveGradeError(RefusedError):
    """A document is not archive-grade PDF/A and is not delivered."""
