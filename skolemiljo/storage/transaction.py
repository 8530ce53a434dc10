"""Writing under the lock: hold ``.skm/lock``, and first finish or undo what a crash interrupted."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from skolemiljo.storage.lock import write_lock
from skolemiljo.storage.repository import COMMIT_JOURNAL, SYNC_JOURNAL, CaseRepo

if TYPE_CHECKING:  # git and subprocess: only for the commands that write
    from skolemiljo.storage.commits import GitStore


@contextmanager
def writing(repo: CaseRepo) -> Iterator[GitStore]:
    """Hold the write lock, finish any interrupted write, and give the git store."""
    from skolemiljo.storage.commits import GitStore

    with write_lock(repo.state_dir):
        store = GitStore(repo)
        store.recover()
        if (repo.state_dir / SYNC_JOURNAL).is_file():
            from skolemiljo.storage.worktree import recover_interrupted_sync  # git: only when needed

            recover_interrupted_sync(store)
        yield store


def recover_if_interrupted(repo: CaseRepo) -> bool:
    """Before any command reads: finish or undo a write a crash interrupted (one stat when none)."""
    if not ((repo.state_dir / COMMIT_JOURNAL).is_file() or (repo.state_dir / SYNC_JOURNAL).is_file()):
        return False
    with writing(repo):
        return True
