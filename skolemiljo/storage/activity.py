"""What this process has changed so far, so an error message can say it truthfully.

The one error handler (``cli.failures``) says "ingenting er endret" only when it is true.
It asks this record: which commits skm made (``committed``), whether a write under the
lock was under way when the error came and whether it was undone (``transaction.writing``
undoes an interrupted write before it lets go of the lock), and which files outside
``.skm/`` were written (documents, the meeting sheet, the ``.ics``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Activity:
    commits: list[tuple[str, str]] = field(default_factory=list)  # (case id or "", commit id)
    files: list[Path] = field(default_factory=list)  # written outside a write under the lock
    writing: int = 0  # depth of transaction.writing() blocks now open
    interrupted: bool = False  # an error left a write under the lock that could not be undone
    undone: bool = False  # an error interrupted a write under the lock, and it was undone


CURRENT = Activity()


def reset() -> None:
    """Forget everything (one process runs one command; tests run many)."""
    global CURRENT
    CURRENT = Activity()


def committed(case_id: str, commit: str) -> None:
    CURRENT.commits.append((case_id, commit))


def wrote(path: Path) -> None:
    """A file written by ``write_atomic``; inside a write under the lock the journal covers it."""
    if not CURRENT.writing and ".skm" not in path.parts:  # drafts, logs, caches: skm's own state
        CURRENT.files.append(path)


def changed_anything() -> bool:
    return bool(CURRENT.commits or CURRENT.files or CURRENT.interrupted)
