"""The audit trail: every change to a case is exactly one git commit.

Commits are made with git's plumbing through a private index, so the commit
holds only the one case file and whatever the user had staged stays staged and
outside it. A small journal in ``.skm/`` makes the write-then-commit pair
atomic: after a crash the next skm command either completes the commit's
working-tree side or puts the old file back.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from skolemiljo import __version__
from skolemiljo.errors import DirtyCaseError, GitError
from skolemiljo.storage import activity
from skolemiljo.storage.atomic import remove_stale_temp_files, write_atomic
from skolemiljo.storage.repository import COMMIT_JOURNAL, CaseRepo

if TYPE_CHECKING:
    from skolemiljo.storage.gittree import TreeEdit
from skolemiljo.domain.author import Author
from skolemiljo.storage.git import git_text, run_git

# How long after its journal a crashed skm's git can have taken a lock (a commit takes well under a second).
_CRASH_WINDOW_NS = 120 * 10**9


# How long skm waits for another git command's lock before it refuses.
_GIT_LOCK_WAIT = 2.0


def commit_message(case_id: str, action: str, action_id: str, extra: dict[str, str] | None = None) -> str:
    """``2026-0007: rektor varslet`` plus skm's trailers; never names or case text."""
    trailers = {"Skm-Case": case_id, "Skm-Action": action_id, **(extra or {}), "Skm-Version": __version__}
    lines = "\n".join(f"{key}: {value}" for key, value in trailers.items())
    return f"{case_id}: {action}\n\n{lines}\n"


class GitStore:
    """Commits single files of one case repository."""

    def __init__(self, repo: CaseRepo) -> None:
        self.repo = repo
        self.root = repo.root
        found = run_git(self.root, ("rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir",
                                     "--show-object-format"))
        lines = found.stdout.decode("utf-8", "replace").splitlines()
        if found.returncode != 0 or len(lines) != 4:
            raise GitError(f"{self.root} er ikke i et git-repository. Kjør `git init` eller `skm init`.")
        self.toplevel = Path(lines[0])
        self.git_dir = Path(lines[1])
        common = Path(lines[2])
        self.object_format = lines[3]  # sha1 or sha256, as hashlib names them
        self.common_dir = common if common.is_absolute() else (self.root / common).resolve()
        self.journal_path = repo.state_dir / COMMIT_JOURNAL

    def git_locks(self) -> list[Path]:
        """The lock files of what skm's commit changes in git: the user's index, HEAD and its branch."""
        index = os.environ.get("GIT_INDEX_FILE")
        index_path = Path(index) if index else self.git_dir / "index"
        if not index_path.is_absolute():
            index_path = self.toplevel / index_path
        locks = [index_path.with_name(index_path.name + ".lock"), self.git_dir / "HEAD.lock"]
        try:
            head = (self.git_dir / "HEAD").read_text(encoding="utf-8").strip()
        except OSError:
            head = ""
        if head.startswith("ref: refs/"):
            locks.append(self.common_dir / (head[len("ref: "):] + ".lock"))
        return locks

    def ensure_unlocked(self, wait: float = _GIT_LOCK_WAIT) -> None:
        """Refuse before changing anything while another git command holds a lock skm needs.

        git holds these locks for milliseconds (a user's `git status`), so skm waits a moment first.
        """
        deadline = time.monotonic() + wait
        for lock in self.git_locks():
            while lock.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            if lock.exists():
                raise GitError(
                    f"Git-repositoryet er låst av en annen git-kommando (fila {lock} finnes); ingenting er endret.",
                    hint="Vent til den andre git-kommandoen er ferdig og prøv igjen. Kjører ingen git-kommando, "
                    "er låsen etterlatt av et program som krasjet: slett fila og prøv igjen.",
                )

    def git(self, *args: str, **kwargs) -> str:
        return git_text(self.toplevel, *args, **kwargs)

    def path_in_git(self, path: Path) -> str:
        return path.resolve().relative_to(self.toplevel.resolve()).as_posix()

    def head(self) -> str | None:
        out = self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip()
        return out or None

    def blob_at(self, rev: str | None, gitpath: str) -> str | None:
        if rev is None:
            return None
        out = self.git("ls-tree", rev, "--", gitpath).strip()
        return out.split()[2] if out else None

    def ensure_clean(self, path: Path, case_id: str) -> None:
        """Refuse when the case file has changes that are not in the audit trail."""
        gitpath = self.path_in_git(path)
        # --no-optional-locks: a plain `git status` may take .git/index.lock to save refreshed
        # stat data; killed there, it would leave a lock outside the journal's window.
        status = self.git("--no-optional-locks", "status", "--porcelain=v1", "--untracked-files=all", "--",
                          gitpath).strip()
        if status:
            raise DirtyCaseError(
                f"Sak {case_id} har endringer som ikke er ført i historikken (ikke committet).",
                hint=f"Lagre dem med `git commit {self.repo.rel(path)}` eller forkast dem med "
                f"`git checkout -- {self.repo.rel(path)}`; skm endrer ikke saken før det er gjort.",
            )

    # ---------------------------------------------------------------- commit

    def commit_file(self, path: Path, content: bytes, message: str, author: Author) -> str:
        """Write ``path`` atomically and commit exactly that file. Call under the write lock."""
        gitpath = self.path_in_git(path)
        self.ensure_unlocked()
        from skolemiljo.storage.gittree import (
            edit_tree,  # hashlib and all: only when committing
        )

        new_blob = self.git("hash-object", "-w", "--stdin", data=content).strip()
        edit = edit_tree(self.toplevel, {gitpath: new_blob}, self.object_format)
        self._write_journal({"path": gitpath, "old": edit.old_blobs[gitpath], "new": new_blob, "head": edit.head})
        write_atomic(path, content)
        commit = self._commit(edit, message, author)
        self.git("update-ref", "-m", f"skm: {message.splitlines()[0]}", "HEAD", commit, edit.head or "0" * 40)
        activity.committed(path.stem, commit)
        self._sync_index(gitpath, new_blob)
        self.journal_path.unlink(missing_ok=True)
        return commit

    def commit_new_files(self, paths: list[Path], message: str, author: Author) -> str:
        """Commit files already written (``skm init``), and only those."""
        from skolemiljo.storage.gittree import edit_tree

        blobs = self.git("hash-object", "-w", "--", *(str(path) for path in paths)).split()
        changes = {self.path_in_git(path): blob for path, blob in zip(paths, blobs, strict=True)}
        edit = edit_tree(self.toplevel, changes, self.object_format)
        commit = self._commit(edit, message, author)
        self.git("update-ref", "HEAD", commit, edit.head or "0" * 40)
        activity.committed("", commit)
        for gitpath, blob in changes.items():
            self._sync_index(gitpath, blob)
        return commit

    def _commit(self, edit: TreeEdit, message: str, author: Author) -> str:
        """A commit object of the edited tree on top of the commit it was made from."""
        ident = {
            "GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email,
            "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email,
        }
        args = ["commit-tree", edit.tree] + (["-p", edit.head] if edit.head else [])
        return self.git(*args, env=ident, data=message.encode("utf-8")).strip()

    def _sync_index(self, gitpath: str, blob: str | None) -> None:
        """Make the user's index agree with HEAD for this one path."""
        if blob:
            self.git("update-index", "--add", "--cacheinfo", f"100644,{blob},{gitpath}")
        else:
            self.git("update-index", "--force-remove", "--", gitpath)

    def _write_journal(self, entry: dict) -> None:
        self.repo.state_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(self.journal_path, json.dumps(entry).encode())

    def _keep_orphan(self, target: Path, wanted: str | None) -> bool:
        """Copy an uncommitted file to the drafts folder before recovery replaces it.

        True when the file already is ``wanted`` (a write that failed before its replace, as on
        a full disk): then recovery need not write it at all.
        """
        if not target.is_file() or target.is_symlink():
            return False
        current = self.git("hash-object", "--", str(target)).strip()
        if current == wanted:
            return True
        drafts = self.repo.drafts_dir
        drafts.mkdir(parents=True, exist_ok=True)
        write_atomic(drafts / f"gjenopprettet-{target.stem}-{current[:8]}.yaml", target.read_bytes())
        return False

    def _remove_stale_git_locks(self, since_ns: int) -> list[Path]:
        """Remove lock files that git left when it was killed along with a crashed skm.

        Between writing the journal and removing it, skm's git commands take exactly
        these locks: the user's index (``update-index``) and HEAD and its branch
        (``update-ref``). A lock created after the journal (mtime not older) was
        taken by the crashed command's git: a git child that survived its skm still
        holds the write lock, so under the lock none of them can be alive. A lock
        made long after the journal (a user's own git, running now, after a crash
        long ago) is left alone.
        """
        removed = []
        for lock in self.git_locks():
            try:
                stamp = lock.stat().st_mtime_ns
            except FileNotFoundError:
                continue
            if since_ns <= stamp <= since_ns + _CRASH_WINDOW_NS:
                lock.unlink(missing_ok=True)
                removed.append(lock)
        return removed

    def recover(self) -> bool:
        """Finish or undo a write interrupted by a crash. Call under the write lock."""
        remove_stale_temp_files(self.repo.cases_dir)
        remove_stale_temp_files(self.repo.state_dir)  # the journal's own temp file
        remove_stale_temp_files(self.repo.drafts_dir, only_dead_writers=True)  # drafts are written unlocked
        for stale in self.repo.state_dir.glob("index.*"):
            stale.unlink(missing_ok=True)
        if not self.journal_path.is_file():
            return False
        self._remove_stale_git_locks(self.journal_path.stat().st_mtime_ns)
        try:
            entry = json.loads(self.journal_path.read_text(encoding="utf-8"))
            gitpath, old, new = entry["path"], entry["old"], entry["new"]
        except (ValueError, KeyError, TypeError):
            self.journal_path.unlink(missing_ok=True)
            return False
        head_blob = self.blob_at(self.head(), gitpath)
        wanted = new if head_blob == new else old
        target = self.toplevel / gitpath
        if self._keep_orphan(target, wanted):
            pass  # already as it should be
        elif wanted:
            result = run_git(self.toplevel, ("cat-file", "blob", wanted))
            if result.returncode != 0:
                raise GitError(f"Fant ikke innholdet {wanted[:8]} i git; saken {gitpath} kan ikke gjenopprettes.")
            write_atomic(target, result.stdout)
        else:
            target.unlink(missing_ok=True)
        self._sync_index(gitpath, head_blob)
        self.journal_path.unlink(missing_ok=True)
        return True
