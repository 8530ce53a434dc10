"""worktree: moved from sync.py."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass

from skolemiljo.errors import (
    SyncRefusedError,
)
from skolemiljo.storage.atomic import write_atomic
from skolemiljo.storage.commits import GitStore
from skolemiljo.storage.git import Git
from skolemiljo.storage.repository import SYNC_JOURNAL

ZERO = "0" * 40


JOURNAL = SYNC_JOURNAL


INDEX_BACKUP = "sync-index"


@dataclass(frozen=True)
class Change:
    """One path a commit changed: mode/blob after (None when deleted)."""

    path: str
    status: str
    mode: str | None
    blob: str | None


class WorkTree:
    """Moves branch, index and files from one commit to another; journaled, reversible."""

    def __init__(self, git: Git, store: GitStore, branch_ref: str) -> None:
        self.git, self.store, self.branch_ref = git, store, branch_ref
        self.journal_path = store.repo.state_dir / JOURNAL
        self.index_backup = store.repo.state_dir / INDEX_BACKUP
        self.index_path = store.git_dir / "index"

    def ensure_clean(self, paths: list[str]) -> None:
        dirty: list[str] = []
        for start in range(0, len(paths), 200):
            out = self.git.out("--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
                               *[f":(literal){p}" for p in paths[start:start + 200]])
            dirty += [item[3:] for item in out.split("\0") if len(item) > 3 and item[2] == " "]
        if dirty:
            shown = ", ".join(sorted(dirty)[:10]) + (" …" if len(dirty) > 10 else "")
            raise SyncRefusedError(
                f"Disse filene har endringer som ikke er ført i historikken, og synkroniseringen må endre dem: "
                f"{shown}",
                hint="Lagre endringene (for eksempel med `skm edit` eller `git commit`) eller forkast dem "
                "(`git checkout -- FIL`), og kjør `skm sync` igjen. Ingenting er endret.",
            )

    def check(self, changes: list[Change]) -> None:
        """Refuse before anything is written: only plain files, none with unsaved changes, git not busy."""
        self.store.ensure_unlocked()
        for change in changes:
            if change.mode not in (None, "100644", "100755"):
                raise SyncRefusedError(f"{change.path} er en lenke eller undermodul; skm kan ikke oppdatere den.")
        self.ensure_clean([c.path for c in changes])

    def move(self, old: str, new: str, changes: list[Change]) -> None:
        """Journal, write files, update the index, then move the branch (last)."""
        saved = [[c.path, *self._save(c.path)] for c in changes]
        self.store.repo.state_dir.mkdir(parents=True, exist_ok=True)
        if self.index_path.is_file():
            shutil.copyfile(self.index_path, self.index_backup)
        write_atomic(self.journal_path, json.dumps(
            {"ref": self.branch_ref, "old": old, "new": new, "files": saved,
             "index": self.index_path.is_file()}).encode())
        for change in changes:
            self._write(change.path, change.mode, self.git.blob(change.blob) if change.blob else None)
        lines = [f"0 {ZERO}\t{c.path}" if c.blob is None else f"{c.mode} {c.blob}\t{c.path}" for c in changes]
        if lines:
            self.git.run("update-index", "--index-info", data=("\n".join(lines) + "\n").encode("utf-8"))
        self.git.run("update-ref", "-m", "skm sync", self.branch_ref, new, old)

    def _save(self, path: str) -> tuple[str | None, str | None]:
        target = self.git.toplevel / path
        if not target.is_file():
            return None, None
        mode = "100755" if os.access(target, os.X_OK) else "100644"
        return mode, self.git.hash_blob(target.read_bytes())

    def _write(self, path: str, mode: str | None, content: bytes | None) -> None:
        target = self.git.toplevel / path
        if content is None:
            target.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, content)
        os.chmod(target, 0o755 if mode == "100755" else 0o644)

    def done(self) -> None:
        self.journal_path.unlink(missing_ok=True)
        self.index_backup.unlink(missing_ok=True)

    def restore(self) -> None:
        """Put branch, files and index back as the journal says they were.

        The branch goes back first: should this be interrupted too, the journal is
        still there and the branch is old, so the next ``recover`` restores again.
        """
        if not self.journal_path.is_file():
            return
        entry = json.loads(self.journal_path.read_text(encoding="utf-8"))
        current = self.git.rev(entry["ref"])
        if current == entry["new"] and entry["new"] != entry["old"]:
            self.git.run("update-ref", "-m", "skm sync: tilbakestilt", entry["ref"], entry["old"], entry["new"])
        for path, mode, blob in entry["files"]:
            self._write(path, mode, self.git.blob(blob) if blob else None)
        if entry.get("index") and self.index_backup.is_file():
            tmp = self.index_path.with_name("index.skm-restore")
            shutil.copyfile(self.index_backup, tmp)
            os.replace(tmp, self.index_path)
        self.done()

    def recover(self) -> bool:
        """After a crash: keep a completed move (branch moved), undo an incomplete one."""
        if not self.journal_path.is_file():
            return False
        try:
            entry = json.loads(self.journal_path.read_text(encoding="utf-8"))
            ref, old, new = entry["ref"], entry["old"], entry["new"]
        except (ValueError, KeyError, TypeError):
            self.done()
            return False
        current = self.git.rev(ref)
        if current == new:
            self.done()
        elif current == old:
            self.restore()
        else:
            self.done()
        return True


def recover_interrupted_sync(store: GitStore) -> bool:
    """Finish or undo a sync killed while it moved the work tree. Call under the write lock.

    Cheap when there is nothing to do (one ``stat``), so every writing command may call it.
    """
    if not (store.repo.state_dir / JOURNAL).is_file():
        return False
    return WorkTree(Git(store.toplevel), store, "HEAD").recover()
