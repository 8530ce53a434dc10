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
from skolemiljo.errors import DirtyCaseError, GitError, HookRefusedError, SigningFailedError
from skolemiljo.storage import activity
from skolemiljo.storage.atomic import remove_stale_temp_files, write_atomic
from skolemiljo.storage.journal import folder_in_git, trusted_commit_journal
from skolemiljo.storage.repository import COMMIT_JOURNAL, CaseRepo

if TYPE_CHECKING:
    from skolemiljo.storage.gittree import TreeEdit
from skolemiljo.domain.author import Author
from skolemiljo.domain.text import for_terminal
from skolemiljo.storage.git import git_failure, git_text, hook_path, repository_state, run_git, run_hook, signing_args

# How long after its journal a crashed skm's git can have taken a lock (a commit takes well under a second).
_CRASH_WINDOW_NS = 120 * 10**9


# How long skm waits for another git command's lock before it refuses.
_GIT_LOCK_WAIT = 2.0


def author_env(author: Author) -> dict[str, str]:
    """The author and committer of a commit skm makes."""
    return {"GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email,
            "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email}


def signing_failed(stderr: bytes) -> SigningFailedError:
    """``commit.gpgsign`` is on and git could not sign: refused, never an unsigned commit instead."""
    lines = [for_terminal(line.strip()) for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return SigningFailedError(
        "Commiten kunne ikke signeres (commit.gpgsign er slått på); skm lager ikke en usignert commit i "
        "stedet, og ingenting er endret.",
        hint=("git sa: «" + " / ".join(lines[-3:]) + "». " if lines else "")
        + "Kontroller user.signingkey og gpg.format (og at nøkkelen er tilgjengelig), eller slå av signering "
        "med `git config commit.gpgsign false`.",
    )


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
        self.state = repository_state(self.root)  # refuses a folder outside git, or one git will not use
        self.toplevel = self.state.toplevel
        self.git_dir = self.state.git_dir
        self.object_format = self.state.object_format  # sha1 or sha256, as hashlib names them
        self.common_dir = self.state.common_dir
        self.journal_path = repo.state_dir / COMMIT_JOURNAL
        self._sign: list[str] | None = None  # ["-S"] when commit.gpgsign is on; asked at the first commit

    def signing(self) -> list[str]:
        if self._sign is None:
            self._sign = signing_args(self.toplevel)
        return self._sign

    def ensure_writable(self) -> None:
        """Refuse to write while HEAD is detached or a rebase/merge/cherry-pick/revert/bisect is in progress."""
        self.state.ensure_writable()

    def git_locks(self) -> list[Path]:
        """The lock files of what skm's commit changes in git: the index, HEAD and its branch.

        skm's git never uses an inherited ``GIT_INDEX_FILE`` (the gateway removes it): the index is git's own.
        """
        index_path = self.git_dir / "index"
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
        self.ensure_writable()
        self.ensure_unlocked()
        from skolemiljo.storage.gittree import (
            edit_tree,  # hashlib and all: only when committing
        )

        new_blob = self.git("hash-object", "-w", "--stdin", data=content).strip()
        edit = edit_tree(self.toplevel, {gitpath: new_blob}, self.object_format)
        hooks = self._hooks()
        sign = self.signing()
        # what to put back if a hook or the signature refuses the commit after the file is written
        previous = path.read_bytes() if (hooks or sign) and path.is_file() else None
        self._write_journal({"path": gitpath, "old": edit.old_blobs[gitpath], "new": new_blob, "head": edit.head})
        write_atomic(path, content)
        try:
            message = self._run_commit_hooks(hooks, edit, message, author)
            commit = self._commit(edit, message, author, sign)
        except (HookRefusedError, SigningFailedError):
            # refused before any commit: put the file back as it was, and leave no journal behind
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, previous)
            self.journal_path.unlink(missing_ok=True)
            raise
        self.git("update-ref", "-m", f"skm: {message.splitlines()[0]}", "HEAD", commit, edit.head or "0" * 40)
        activity.committed(path.stem, commit)
        self._sync_index(gitpath, new_blob)
        self.journal_path.unlink(missing_ok=True)
        self._post_commit(hooks)
        return commit

    def commit_new_files(self, paths: list[Path], message: str, author: Author) -> str:
        """Commit files already written (``skm init``), and only those."""
        from skolemiljo.storage.gittree import edit_tree

        self.ensure_writable()
        blobs = self.git("hash-object", "-w", "--", *(str(path) for path in paths)).split()
        changes = {self.path_in_git(path): blob for path, blob in zip(paths, blobs, strict=True)}
        edit = edit_tree(self.toplevel, changes, self.object_format)
        hooks = self._hooks()
        message = self._run_commit_hooks(hooks, edit, message, author)
        commit = self._commit(edit, message, author, self.signing())
        self.git("update-ref", "HEAD", commit, edit.head or "0" * 40)
        activity.committed("", commit)
        for gitpath, blob in changes.items():
            self._sync_index(gitpath, blob)
        self._post_commit(hooks)
        return commit

    def _commit(self, edit: TreeEdit, message: str, author: Author, sign: list[str] | None = None) -> str:
        """A commit object of the edited tree on top of the commit it was made from, signed (``sign``:
        ``["-S"]``) when the repository asks for it (``commit.gpgsign``)."""
        if sign is None:
            sign = self.signing()
        args = ["commit-tree", *sign, edit.tree] + (["-p", edit.head] if edit.head else [])
        result = run_git(self.toplevel, args, author_env(author), message.encode("utf-8"))
        if result.returncode != 0:
            if sign:
                raise signing_failed(result.stderr)
            raise git_failure(args, result.stderr)
        return result.stdout.decode("ascii", "replace").strip()

    # ---------------------------------------------------------------- hooks

    _COMMIT_HOOKS = ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit")

    def _hooks(self) -> set[str]:
        """The commit hooks this repository has (usually none: then a commit costs nothing extra)."""
        return {name for name in self._COMMIT_HOOKS if hook_path(self.state, name) is not None}

    def _run_commit_hooks(self, hooks: set[str], edit: TreeEdit, message: str, author: Author) -> str:
        """Run ``pre-commit``, ``prepare-commit-msg`` and ``commit-msg`` as ``git commit`` would; the
        message as the hooks left it. A hook that fails stops the commit (``HookRefusedError``).

        The hooks see the commit to be made as the index (a temporary one in ``.skm/``, as
        ``git commit <file>`` gives its hooks) and the file already written in the work tree.
        """
        if not hooks & {"pre-commit", "prepare-commit-msg", "commit-msg"}:
            return message
        self.repo.state_dir.mkdir(parents=True, exist_ok=True)
        index = self.repo.state_dir / f"index.hook-{os.getpid()}"
        message_file = self.repo.state_dir / "COMMIT_EDITMSG"
        env = {"GIT_INDEX_FILE": str(index), "GIT_EDITOR": ":", **author_env(author)}
        try:
            self.git("read-tree", edit.tree, env=env)
            self._hook(hooks, "pre-commit", env=env)
            write_atomic(message_file, message.encode("utf-8"))
            self._hook(hooks, "prepare-commit-msg", str(message_file), "message", env=env)
            self._hook(hooks, "commit-msg", str(message_file), env=env)
            final = message_file.read_bytes().decode("utf-8", "replace")
        finally:
            index.unlink(missing_ok=True)
            message_file.unlink(missing_ok=True)
        if not final.strip():
            raise HookRefusedError("En commit-krok tømte commit-meldingen; skm har ikke laget noen commit, og "
                                   "ingenting er endret.", hint="Se på krokene i git-repositoryet.")
        return final if final.endswith("\n") else final + "\n"

    def _hook(self, hooks: set[str], name: str, *args: str, env: dict[str, str]) -> None:
        if name not in hooks:
            return
        result = run_hook(self.state, name, *args, env=env)
        if result.returncode != 0:
            said = [for_terminal(line.strip()) for line in
                    (result.stdout + result.stderr).decode("utf-8", "replace").splitlines() if line.strip()]
            raise HookRefusedError(
                f"Git-kroken {name} stoppet commiten (avslutningskode {result.returncode}); skm har ikke laget "
                "noen commit, og ingenting er endret.",
                hint=("Kroken skrev: «" + " / ".join(said[-5:]) + "». " if said else "")
                + f"Rett det kroken klager over og prøv igjen (kroken ligger i {self.state.hooks_dir}).",
            )

    def _post_commit(self, hooks: set[str]) -> None:
        """``post-commit`` runs after the commit; like git, skm does not let its result undo it."""
        if "post-commit" in hooks:
            run_hook(self.state, "post-commit")

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
        entry = trusted_commit_journal(self.journal_path, self.toplevel,
                                       folder_in_git(self.toplevel, self.root, self.repo.cases_dir.name),
                                       self.object_format)
        if entry is None:  # set aside and reported: never used to write or delete anything
            return False
        self._remove_stale_git_locks(self.journal_path.stat().st_mtime_ns)
        gitpath, old, new = entry["path"], entry["old"], entry["new"]
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
