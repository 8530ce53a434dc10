"""git: moved from audit.py."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

from skolemiljo.errors import AuthorMissingError, GitError
from skolemiljo.storage.lock import held_fds

from skolemiljo.domain.author import Author, parse_author

_GIT_LOCKED = re.compile(r"Unable to create '(?P<path>[^']+\.lock)': File exists")


def run_git(cwd: Path, args: tuple[str, ...], env: dict[str, str] | None = None,
             data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run git; while skm holds the write lock, git holds it too (see ``lock.held_fds``)."""
    full_env = {**os.environ, **env} if env else None
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, env=full_env,
                              check=False, pass_fds=held_fds())
    except FileNotFoundError:
        raise GitError("Fant ikke programmet git. Installer git og prøv igjen.") from None


def git_text(cwd: Path, *args: str, env: dict[str, str] | None = None, data: bytes | None = None,
         check: bool = True) -> str:
    result = run_git(cwd, args, env, data)
    if check and result.returncode != 0:
        command = next((arg for arg in args if not arg.startswith("-")), args[0])
        stderr = result.stderr.decode("utf-8", "replace")
        locked = _GIT_LOCKED.search(stderr)
        if locked:
            raise GitError(
                f"git {command} feilet: git-repositoryet er låst av en annen git-kommando "
                f"(fila {locked['path']} finnes).",
                hint="Vent til den andre git-kommandoen er ferdig og prøv igjen. Kjører ingen git-kommando, "
                "er låsen etterlatt av et program som krasjet: slett fila og prøv igjen.",
            )
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith(("fatal:", "error:"))]
        detail = (errors or lines or ["ukjent feil"])[-1]
        raise GitError(f"git {command} feilet: {detail}")
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
        full_env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "", **(env or {})}
        if not self.interactive:
            full_env["GIT_TERMINAL_PROMPT"] = "0"
        stdin = None if data is not None or self.interactive else subprocess.DEVNULL
        try:
            # git inherits the write lock (see lock.held_fds): a git child outliving skm keeps others out
            result = subprocess.run(["git", *args], cwd=self.toplevel, input=data, stdin=stdin,
                                    capture_output=True, env=full_env, check=False, pass_fds=held_fds())
        except FileNotFoundError:
            raise GitError("Fant ikke programmet git. Installer git og prøv igjen.") from None
        if check and result.returncode != 0:
            raise GitError(f"git {args[0]} feilet: {last_line(result.stderr)}")
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
