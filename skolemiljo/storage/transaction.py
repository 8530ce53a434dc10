"""Writing under the lock: hold ``.skm/lock``, first finish or undo what a crash interrupted,
and undo what an error interrupts."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from skolemiljo.storage import activity
from skolemiljo.storage.lock import write_lock
from skolemiljo.storage.repository import COMMIT_JOURNAL, SYNC_JOURNAL, CaseRepo

if TYPE_CHECKING:  # git and subprocess: only for the commands that write
    from skolemiljo.storage.commits import GitStore


@contextmanager
def writing(repo: CaseRepo) -> Iterator[GitStore]:
    """Hold the write lock, finish any interrupted write, and give the git store.

    When the block ends in an exception (a refusal, disk full, a bug), a write it left half
    done is finished or undone before the lock is let go, just as after a crash: the next
    command finds the repository whole, and ``activity`` knows whether anything changed.
    """
    from skolemiljo.storage.commits import GitStore

    with write_lock(repo.state_dir):
        store = GitStore(repo)
        store.ensure_writable()  # not on a detached HEAD, not in the middle of a rebase or merge
        _recover(store)
        activity.CURRENT.writing += 1
        try:
            yield store
        except BaseException:
            _undo_after_error(store)
            raise
        finally:
            activity.CURRENT.writing -= 1


def _recover(store: GitStore) -> bool:
    recovered = store.recover()
    if (store.repo.state_dir / SYNC_JOURNAL).is_file():
        from skolemiljo.storage.worktree import recover_interrupted_sync  # git: only when needed

        recovered = recover_interrupted_sync(store) or recovered
    return recovered


def _undo_after_error(store: GitStore) -> None:
    """Put a write an exception interrupted back in order; remember whether that worked."""
    interrupted = store.journal_path.is_file() or (store.repo.state_dir / SYNC_JOURNAL).is_file()
    try:
        _recover(store)
    except Exception:  # noqa: BLE001 - the original error is the one to report
        activity.CURRENT.interrupted = True
        return
    if interrupted:
        activity.CURRENT.undone = True


def recover_if_interrupted(repo: CaseRepo) -> bool:
    """Before any command reads: finish or undo a write a crash interrupted (one stat when none)."""
    if not ((repo.state_dir / COMMIT_JOURNAL).is_file() or (repo.state_dir / SYNC_JOURNAL).is_file()):
        return False
    with writing(repo):
        return True
