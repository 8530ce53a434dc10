"""The typed exception hierarchy.

Every error a user can cause is an ``SkmError`` carrying a Norwegian message and
an exit code. ``skolemiljo.cli.failures.exit_code_for`` is the one place that turns
them (and every other exception) into output and exit codes; nothing else prints
tracebacks or calls ``sys.exit``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

EXIT_OK = 0
EXIT_REFUSED = 1  # refused action or invalid content
EXIT_USAGE = 2  # wrong arguments, unknown case, not in a case repository
EXIT_INTERNAL = 3  # a bug in skm: Norwegian message, traceback in a log under .skm/logg/


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file: ``FILE:LINE: [check] message``; the one finding type of skm.

    ``skm check`` (``checks.registry.finding``: severity from the check's registry entry),
    validation, ``skm edit`` and the settings readers all report with it. ``case`` is the case
    id taken from the file name (None for files that are not case files). ``message`` must never
    contain a pupil's name or free text from a case.
    """

    file: str
    line: int
    check: str
    message: str
    case: str | None = None
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


class YamlProblem(Exception):
    """A file that cannot be read as a case document (``storage.yamlio``); ``line`` is 1-based.

    Not an ``SkmError``: the reader that meets it says what it means (a finding of ``skm check``,
    ``InvalidCaseError`` for a command).
    """

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


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


class StaleCaseError(RefusedError):
    """The case changed after the form the change was made from was read (nothing is written)."""


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


class IncomingRefusedError(SyncRefusedError):
    """The central repository holds commits skm will not take (a deleted case, files under ``.skm/``)."""


class OutgoingRefusedError(SyncRefusedError):
    """Local commits skm will not send (a deleted case, files under ``.skm/``)."""


class FetchFailedError(SyncRefusedError):
    """``git fetch`` from the central repository failed (network, access, address); nothing was changed."""


class ConflictsUnresolvedError(SyncRefusedError):
    """True conflicts that the user did not (or could not) resolve."""

    def __init__(self, message: str, conflicts: list[Any], *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.conflicts = conflicts


class SyncFailedError(RefusedError):
    """The sync failed half way and everything was put back as it was."""


class UntrustedJournal(SkmError):
    """A recovery journal in ``.skm/`` skm will not use (``reason``: Norwegian, nothing from the journal).

    Raised and caught inside ``storage.journal``, which sets the journal aside; never reaches the user.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
# errno → why, in Norwegian ("disken er full"): the reasons a file operation fails that are the
# machine's, not skm's. ``FileProblem`` says them; anything else is an internal error.
_OS_REASONS = {
    "ENOSPC": "disken er full",
    "EDQUOT": "diskkvoten er brukt opp",
    "EFBIG": "fila blir større enn filsystemet tillater",
    "EROFS": "filsystemet er skrivebeskyttet",
    "EACCES": "du har ikke tilgang",
    "EPERM": "du har ikke lov",
    "ENOENT": "finnes ikke",
    "ENOTDIR": "en del av stien er ikke en mappe",
    "EISDIR": "er en mappe",
    "EEXIST": "finnes allerede",
    "ELOOP": "er en symbolsk lenke (skm følger ikke lenker)",
    "ENAMETOOLONG": "navnet er for langt",
    "EIO": "lese- eller skrivefeil på disken",
    "ENXIO": "er ikke en vanlig fil",
    "EBUSY": "er i bruk",
    "EMFILE": "for mange åpne filer",
    "ENFILE": "for mange åpne filer",
    "ETXTBSY": "er i bruk",
    "EXDEV": "ligger på et annet filsystem",
    "EPIPE": "mottakeren er lukket",
    "EBADF": "er lukket",
}


def os_reason(error: OSError) -> str | None:
    """Why ``error`` happened, in Norwegian, or None when it is not one of the machine's reasons."""
    import errno

    name = errno.errorcode.get(error.errno or 0)
    return _OS_REASONS.get(name) if name else None


def shown(path: object) -> str | None:
    """A path as the user wants to read it: relative to where they stand when it is below it."""
    import os

    if path is None or path == "":
        return None
    text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else str(path)
    try:
        relative = os.path.relpath(text)
    except ValueError:
        return text
    return relative if not relative.startswith("..") and os.path.isabs(text) else text


class FileProblem(RefusedError):
    """A file could not be read or written for a reason of the machine's: disk full, read-only,
    no access, a path that does not exist."""

    def __init__(self, message: str, *, hint: str | None = None, errno: int | None = None) -> None:
        super().__init__(message, hint=hint)
        self.errno = errno

    @classmethod
    def from_os_error(cls, error: OSError, doing: str = "skrive", path: object = None,
                      hint: str | None = None) -> "FileProblem":
        """``Kan ikke skrive /x/y: disken er full.`` (``doing``: skrive, lese, lage mappen …)."""
        where = shown(path if path is not None else error.filename)
        reason = os_reason(error) or (error.strerror or "ukjent feil")
        text = f"Kan ikke {doing} {where}: {reason}." if where not in (None, "") else f"Kan ikke {doing}: {reason}."
        if hint is None and error.errno is not None:
            import errno as errnos

            if error.errno in (errnos.ENOSPC, errnos.EDQUOT):
                hint = "Frigjør plass på disken og prøv igjen."
            elif error.errno in (errnos.EROFS, errnos.EACCES, errnos.EPERM):
                hint = "Kjør skm der du har skrivetilgang, eller be den som drifter maskinen om tilgang."
        return cls(text, hint=hint, errno=error.errno)
