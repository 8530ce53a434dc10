"""One skm process writes at a time.

The lock is ``flock`` on ``.skm/lock``: the kernel releases it when the process
dies, so a lock left by a killed process never blocks the next command. A second
process waits up to ``SKM_LOCK_TIMEOUT`` seconds (default 10, at most an hour; ``nan``,
``inf``, a negative number or text is a usage error, never a wait forever), then fails
clearly. A repository that cannot take the lock file (read-only, disk full, ``.skm/lock``
a symlink) is refused before anything is written.

The programs skm runs while it holds the lock (git) inherit the lock's file
descriptor (``held_fds``), so the lock lasts until the last of them has exited: when
skm alone is killed, a git child that is still writing keeps the next skm out until
it is done, and recovery never races with it.
"""

from __future__ import annotations

import fcntl
import math
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from skolemiljo.errors import FileProblem, LockTimeoutError, UsageError

DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 3600.0

_held: list[int] = []


def held_fds() -> tuple[int, ...]:
    """File descriptors of the write locks this process holds (pass them to subprocesses)."""
    return tuple(_held)


def lock_timeout() -> float:
    """``SKM_LOCK_TIMEOUT`` in seconds (default 10); anything but 0–3600 seconds is a usage error."""
    text = os.environ.get("SKM_LOCK_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= MAX_TIMEOUT:
        shown = text if len(text) <= 20 and text.isprintable() else "ugyldig tekst"
        raise UsageError(f"SKM_LOCK_TIMEOUT må være et antall sekunder fra 0 til {MAX_TIMEOUT:.0f} (er «{shown}»).",
                         hint="Sett for eksempel `SKM_LOCK_TIMEOUT=30`, eller fjern variabelen for standarden "
                         f"({DEFAULT_TIMEOUT:.0f} sekunder).")
    return value


def _open_lock_file(state_dir: Path) -> int:
    """The lock file's descriptor; a read-only or full repository is a ``FileProblem``."""
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FileProblem.from_os_error(error, "lage mappen", state_dir,
                                        hint=_hint(error)) from None
    path = state_dir / "lock"
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0),
                       0o644)
    except OSError as error:
        raise FileProblem.from_os_error(error, "låse saksarkivet for skriving med", path, hint=_hint(error)) from None


def _hint(error: OSError) -> str | None:
    import errno

    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ("Saksarkivet kan bare leses her. Les sakene som før (`skm list`, `skm show`, `skm check`); "
                "for å endre dem, bruk en kopi du har skrivetilgang til.")
    return None


@contextmanager
def write_lock(state_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the repository's write lock for the duration of the block."""
    wait = lock_timeout() if timeout is None else timeout
    fd = _open_lock_file(state_dir)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeoutError(
                        "En annen skm-prosess skriver i saksarkivet akkurat nå.",
                        hint="Vent litt og prøv igjen. Skjer det igjen, se etter en skm-kommando som henger.",
                    ) from None
                time.sleep(0.02)
        try:  # who holds it, for a person looking; the flock is the lock
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        _held.append(fd)
        try:
            yield
        finally:
            _held.remove(fd)
    finally:
        os.close(fd)  # closing releases the flock (once no child holds it either)
