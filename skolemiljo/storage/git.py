"""The git gateway: the one module that starts git processes.

Every git command skm runs goes through ``run_git`` (wait for it), ``popen_git`` (let it run
while skm does something else) or ``ObjectReader`` (one ``git cat-file --batch`` for many
objects), and gets the same treatment:

- **one environment** (``git_environment``): git's own variables that point it at a repository,
  an index, an object store, a namespace or extra configuration (``GIT_DIR``, ``GIT_WORK_TREE``,
  ``GIT_INDEX_FILE``, ``GIT_OBJECT_DIRECTORY``, ``GIT_ALTERNATE_OBJECT_DIRECTORIES``,
  ``GIT_CONFIG``, ``GIT_CONFIG_PARAMETERS``, ``GIT_NAMESPACE``, ``GIT_AUTHOR_NAME``, ...) are removed,
  so an inherited ``GIT_DIR`` can never send a case to another repository. Kept are only the
  variables in ``_KEPT``: where the user's own configuration lives, how to authenticate to the
  central repository, the commit dates, and those that only make git stricter. What skm sets on
  purpose (its own temporary ``GIT_INDEX_FILE``, the author of a commit) is passed as ``env`` and
  applied on top. ``LC_ALL=C`` (skm reads git's messages), no terminal prompts unless a command is
  interactive, ``GIT_OPTIONAL_LOCKS=0`` (what ``--no-optional-locks`` sets: a read never takes the
  index lock) and ``-c core.quotepath=off`` (paths as they are, not octal escapes);
- **one translation of failures** (``git_failure``): a lock held by another git, a repository that
  belongs to another user (``safe.directory``), not a repository at all, or git's own last
  ``fatal:``/``error:`` line, each as a typed error from ``errors.py``;
- the write lock's descriptor (``lock.held_fds``): while skm holds the lock, git holds it too.

The repository checks every write and every presentation of history needs live here as well:
``repository_state`` (detached HEAD, a rebase/merge/cherry-pick/revert/bisect in progress),
``full_history_head`` (a shallow clone), the commit hooks (``run_hook``) and signing
(``signing_args``). Programs other than git are started by ``storage.programs``.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Sequence

from skolemiljo.domain.author import Author, parse_author
from skolemiljo.errors import (
    AuthorMissingError,
    GitBusyError,
    GitError,
    NoGitRepositoryError,
    ShallowHistoryError,
    UnsafeRepositoryError,
)
from skolemiljo.storage.lock import held_fds

# git's variables that skm's git processes inherit; every other GIT_* variable is removed.
_KEPT = frozenset({
    # where the user's own settings are (identity, safe.directory, signing key, credential helpers)
    "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM",
    # how to reach and authenticate to the central repository
    "GIT_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSH_VARIANT", "GIT_PROXY_COMMAND",
    "GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "GIT_HTTP_PROXY_AUTHMETHOD",
    # where git's own programs are installed
    "GIT_EXEC_PATH",
    # the dates of a commit (reproducible commits, as ``git commit`` honours them)
    "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE",
    # only ever make git stricter: stop looking for a repository further up; treat every repository
    # as owned by someone else (git's own test switch for ``safe.directory``)
    "GIT_CEILING_DIRECTORIES", "GIT_TEST_ASSUME_DIFFERENT_OWNER",
})

# Set for every git process (after the inherited variables, before skm's own ``env``).
_FIXED = {"LC_ALL": "C", "LANGUAGE": "", "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat", "PAGER": "cat"}

_CONFIG = ("-c", "core.quotepath=off")

_NO_GIT = "Fant ikke programmet git. Installer git og prøv igjen."
_GIT_LOCKED = re.compile(r"Unable to create '(?P<path>[^']+\.lock)': File exists")
_DUBIOUS = re.compile(r"detected dubious ownership in repository at '(?P<path>[^'\n]*)'")
_NOT_A_REPOSITORY = "not a git repository"


GitProcess = subprocess.Popen[bytes]  # what ``popen_git`` starts


def git_environment(env: dict[str, str] | None = None, *, interactive: bool = False) -> dict[str, str]:
    """The environment of every git process: see the module's description."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("GIT_") or name in _KEPT}
    clean.update(_FIXED)
    if not interactive:
        clean["GIT_TERMINAL_PROMPT"] = "0"
    clean.update(env or {})
    return clean


def git_argv(args: Sequence[str]) -> list[str]:
    return ["git", *_CONFIG, *args]


def run_git(cwd: Path, args: Sequence[str], env: dict[str, str] | None = None, data: bytes | None = None,
            *, interactive: bool = False) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``cwd`` and wait; its output is captured, its standard input is ``data`` (or closed).

    ``interactive``: git may ask for a password on the terminal (``skm sync`` at a terminal).
    """
    stdin = None if data is not None or interactive else subprocess.DEVNULL
    try:
        return subprocess.run(git_argv(args), cwd=cwd, input=data, stdin=stdin, capture_output=True,
                              env=git_environment(env, interactive=interactive), check=False, pass_fds=held_fds())
    except FileNotFoundError:
        raise GitError(_NO_GIT) from None


def popen_git(cwd: Path, args: Sequence[str], *, stdin: int | IO[Any] | None = subprocess.DEVNULL,
              stdout: int | IO[Any] | None = subprocess.PIPE, stderr: int | IO[Any] | None = subprocess.DEVNULL,
              env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start git in ``cwd`` without waiting (the caller reads its output and waits)."""
    try:
        return subprocess.Popen(git_argv(args), cwd=cwd, stdin=stdin, stdout=stdout, stderr=stderr,
                                env=git_environment(env), pass_fds=held_fds())
    except FileNotFoundError:
        raise GitError(_NO_GIT) from None


def git_failure(args: Sequence[str], stderr: bytes) -> GitError:
    """The one translation of a failed git command into a typed error with a Norwegian message."""
    command = command_name(args)
    text = stderr.decode("utf-8", "replace")
    unsafe = _DUBIOUS.search(text)
    if unsafe:
        return unsafe_repository(unsafe["path"])
    locked = _GIT_LOCKED.search(text)
    if locked:
        return GitError(
            f"git {command} feilet: git-repositoryet er låst av en annen git-kommando "
            f"(fila {locked['path']} finnes).",
            hint="Vent til den andre git-kommandoen er ferdig og prøv igjen. Kjører ingen git-kommando, "
            "er låsen etterlatt av et program som krasjet: slett fila og prøv igjen.",
        )
    if _NOT_A_REPOSITORY in text:
        return NoGitRepositoryError("Saksarkivet er ikke i et git-repository.",
                                    hint="Kjør `git init` eller `skm init`.")
    lines = [line for line in text.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("fatal:", "error:"))]
    detail = (errors or lines or ["ukjent feil"])[-1].strip()
    return GitError(f"git {command} feilet: {detail}")


def command_name(args: Sequence[str]) -> str:
    """The git command of ``args`` (``log`` in ``-c log.follow=false log -z``)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-c", "-C"):
            skip = True
        elif not arg.startswith("-"):
            return arg
    return args[0] if args else ""


def unsafe_repository(path: str) -> UnsafeRepositoryError:
    shown = path if path.isprintable() else repr(path)
    return UnsafeRepositoryError(
        f"git nekter å bruke repositoryet {shown}: det eies av en annen bruker enn deg "
        "(git: «detected dubious ownership»).",
        hint=f"Stoler du på den som eier mappa, godkjenn den én gang med "
        f"`git config --global --add safe.directory {shown}`; ellers be eieren om å gi deg mappa.",
    )


def git_text(cwd: Path, *args: str, env: dict[str, str] | None = None, data: bytes | None = None,
             check: bool = True) -> str:
    """git's standard output as text; a failure is a typed error (``check=False``: the output anyway)."""
    result = run_git(cwd, args, env, data)
    if check and result.returncode != 0:
        raise git_failure(args, result.stderr)
    return result.stdout.decode("utf-8", "replace")


def resolve_author(root: Path, explicit: str | None) -> Author:
    """``--av``, then ``SKM_AV``, then git's ``user.name``/``user.email``."""
    if explicit:
        return parse_author(explicit)
    from_env = os.environ.get("SKM_AV")
    if from_env:
        return parse_author(from_env)
    name = git_text(root, "config", "user.name", check=False).strip()
    email = git_text(root, "config", "user.email", check=False).strip()
    if name and email:
        return Author(name, email)
    raise AuthorMissingError(
        "Vet ikke hvem som gjør endringen: skm må føre det i historikken.",
        hint='Bruk --av "Navn <epost>", sett SKM_AV, eller sett git config user.name og user.email.',
    )


class Git:
    """git in one work tree; English messages (parsed), no prompts unless interactive."""

    def __init__(self, toplevel: Path, interactive: bool = False) -> None:
        self.toplevel = toplevel
        self.interactive = interactive

    def run(self, *args: str, data: bytes | None = None, env: dict[str, str] | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
        result = run_git(self.toplevel, args, env, data, interactive=self.interactive)
        if check and result.returncode != 0:
            raise git_failure(args, result.stderr)
        return result

    def out(self, *args: str, **kwargs: Any) -> str:
        return self.run(*args, **kwargs).stdout.decode("utf-8", "replace")

    def rev(self, name: str) -> str | None:
        found = self.run("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False)
        return found.stdout.decode().strip() or None

    def blob(self, sha: str) -> bytes:
        return self.run("cat-file", "blob", sha).stdout

    def entry(self, rev: str, path: str) -> tuple[str, str] | None:
        """``(mode, blob)`` of ``path`` in ``rev``, or None."""
        line = self.out("ls-tree", "-z", rev, "--", path).rstrip("\0")
        if not line:
            return None
        meta, _path = line.split("\t", 1)
        mode, _kind, sha = meta.split()
        return mode, sha

    def read(self, rev: str | None, path: str) -> bytes | None:
        if rev is None:
            return None
        found = self.entry(rev, path)
        return self.blob(found[1]) if found else None

    def names(self, rev: str, prefix: str) -> list[str]:
        out = self.out("ls-tree", "-z", "--name-only", rev, "--", prefix)
        return [p for p in out.split("\0") if p]

    def hash_blob(self, content: bytes) -> str:
        return self.out("hash-object", "-w", "--stdin", data=content).strip()


def last_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1] if lines else "ukjent feil"


# ------------------------------------------------------------------ objects


class ObjectReader:
    """One ``git cat-file --batch`` process for reading several objects."""

    def __init__(self, cwd: Path, env: dict[str, str] | None = None) -> None:
        self._process = popen_git(cwd, ("cat-file", "--batch"), stdin=subprocess.PIPE, env=env)

    def read(self, name: str) -> tuple[str, str, bytes] | None:
        """``(id, type, body)`` of the object ``name`` (any revision expression), or None when missing."""
        assert self._process.stdin is not None
        self._process.stdin.write(name.encode("utf-8") + b"\n")
        self._process.stdin.flush()
        return self._answer()

    def read_many(self, names: Iterable[str]) -> list[tuple[str, str, bytes] | None]:
        """``read`` for each of ``names``, in order, asked all at once (a thread writes the questions)."""
        request = "".join(f"{name}\n" for name in names).encode("utf-8")
        count = request.count(b"\n")
        stdin = self._process.stdin
        assert stdin is not None

        def ask() -> None:
            try:
                stdin.write(request)
                stdin.flush()
            except (BrokenPipeError, ValueError):
                pass  # git stopped: the reading side reports it

        writer = threading.Thread(target=ask, daemon=True)
        writer.start()
        try:
            return [self._answer() for _ in range(count)]
        finally:
            writer.join()

    def _answer(self) -> tuple[str, str, bytes] | None:
        assert self._process.stdout is not None
        header = self._process.stdout.readline().decode("utf-8", "replace").split()
        if len(header) != 3:
            if not header:
                raise GitError("git cat-file stoppet uventet.")
            return None  # "<name> missing" or "<name> ambiguous"
        oid, kind, size = header
        body = self._process.stdout.read(int(size) + 1)[:-1]  # each body ends in a newline
        return oid, kind, body

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        if self._process.stdout:
            self._process.stdout.close()
        self._process.wait()

    def __enter__(self) -> ObjectReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ------------------------------------------------------------------ the repository's state

# What git leaves in the git folder while an operation waits for the user to finish it.
_IN_PROGRESS = (
    ("rebase-merge", "en rebase", "git rebase --continue` eller `git rebase --abort"),
    ("rebase-apply", "en rebase eller `git am`", "git rebase --continue` / `git am --continue` eller "
                                                 "`git rebase --abort` / `git am --abort"),
    ("MERGE_HEAD", "en sammenslåing (merge)", "git merge --continue` eller `git merge --abort"),
    ("CHERRY_PICK_HEAD", "en cherry-pick", "git cherry-pick --continue` eller `git cherry-pick --abort"),
    ("REVERT_HEAD", "en revert", "git revert --continue` eller `git revert --abort"),
    ("BISECT_LOG", "en bisect", "git bisect reset"),
)


@dataclass(frozen=True)
class RepositoryState:
    """Where the repository is and what it is doing, from one ``git rev-parse``."""

    toplevel: Path
    git_dir: Path
    common_dir: Path
    object_format: str  # sha1 or sha256, as hashlib names them
    hooks_dir: Path  # honours core.hooksPath
    operation: tuple[str, str] | None  # (what, how to finish it) while an operation is in progress
    detached: bool

    def ensure_writable(self) -> None:
        """Refuse a write while HEAD is detached or a git operation waits to be finished."""
        if self.operation is not None:
            what, finish = self.operation
            raise GitBusyError(
                f"Git-repositoryet er midt i {what}; skm skriver ikke mens den pågår (en commit nå kunne gå "
                "tapt eller bli blandet inn i den). Ingenting er endret.",
                hint=f"Fullfør eller avbryt den først (`{finish}`), og prøv igjen.",
            )
        if self.detached:
            raise GitBusyError(
                "Git-repositoryet står ikke på en gren (HEAD er frakoblet); skm skriver ikke nå (en commit her "
                "hører ikke til noen gren og går tapt ved neste `git switch`). Ingenting er endret.",
                hint="Gå tilbake til hovedgrenen med `git switch main` (eller grenen dere bruker), og prøv igjen.",
            )


def repository_state(root: Path) -> RepositoryState:
    """The repository ``root`` is in; ``NoGitRepositoryError`` or ``UnsafeRepositoryError`` when none."""
    paths = ("hooks", *(name for name, _what, _finish in _IN_PROGRESS))
    args = ["rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir", "--show-object-format"]
    for name in paths:
        args += ["--git-path", name]
    found = run_git(root, args)
    lines = found.stdout.decode("utf-8", "replace").splitlines()
    if found.returncode != 0 or len(lines) != 4 + len(paths):
        error = git_failure(args, found.stderr)
        if isinstance(error, UnsafeRepositoryError):
            raise error
        raise NoGitRepositoryError(f"{root} er ikke i et git-repository. Kjør `git init` eller `skm init`.")
    toplevel = Path(lines[0])
    git_dir = Path(lines[1])
    common = Path(lines[2])

    def absolute(text: str) -> Path:
        path = Path(text)
        return path if path.is_absolute() else (root / path).resolve()

    located = [absolute(line) for line in lines[4:]]
    operation = next(((what, finish) for (name, what, finish), path in zip(_IN_PROGRESS, located[1:])
                      if path.exists()), None)
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        head = ""
    return RepositoryState(toplevel, git_dir, absolute(str(common)) if not common.is_absolute() else common,
                           lines[3], located[0], operation, detached=not head.startswith("ref: "))


def full_history_head(root: Path) -> str | None:
    """The commit HEAD names (None: no commit yet), from a repository with its whole history.

    A shallow clone is refused (``ShallowHistoryError``): its oldest commits are cut off, so
    history read from it would be incomplete or attribute other commits to a case.
    """
    args = ("rev-parse", "--is-shallow-repository", "--verify", "--quiet", "HEAD^{commit}")
    found = run_git(root, args)
    lines = found.stdout.decode("ascii", "replace").split()
    if not lines:
        raise git_failure(args, found.stderr)
    if lines[0] == "true":
        raise ShallowHistoryError(
            "Saksarkivet er en grunn kopi (shallow clone): git har bare de siste commitene, så historikken "
            "ville være ufullstendig eller gal. skm viser den ikke og lager ikke endringsloggen fra den.",
            hint="Hent hele historikken med `git fetch --unshallow`, og prøv igjen.",
        )
    return lines[1] if found.returncode == 0 and len(lines) == 2 else None


# ------------------------------------------------------------------ hooks and signing


def hook_path(state: RepositoryState, name: str) -> Path | None:
    """The repository's ``name`` hook when there is one git would run (an executable file)."""
    path = state.hooks_dir / name
    return path if path.is_file() and os.access(path, os.X_OK) else None


def run_hook(state: RepositoryState, name: str, *args: str, env: dict[str, str] | None = None) -> \
        subprocess.CompletedProcess[bytes]:
    """Run the hook ``name`` as ``git commit`` would (``git hook run``, in the top of the work tree)."""
    return run_git(state.toplevel, ("hook", "run", "--ignore-missing", name, "--", *args), env)


def signing_args(root: Path) -> list[str]:
    """``["-S"]`` when the repository asks for signed commits (``commit.gpgsign``), else ``[]``.

    ``git commit-tree`` does not read ``commit.gpgsign`` itself; with ``-S`` it signs with
    ``user.signingkey`` in the format ``gpg.format`` names, as ``git commit`` would.
    """
    found = run_git(root, ("config", "--type=bool", "--get", "commit.gpgsign"))
    return ["-S"] if found.returncode == 0 and found.stdout.strip() == b"true" else []
