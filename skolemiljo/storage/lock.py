"""One skm process writes at a time.

The lock is ``flock`` on ``.skm/lock``: the kernel releases it when the process
dies, so a lock left by a killed process never blocks the next command. A second
process waits up to ``SKM_LOCK_TIMEOUT`` seconds (default 10), then fails clearly.

The programs skm runs while it holds the lock (git) inherit the lock's file
descriptor (``held_fds``), so the lock lasts until the last of them has exited: when
skm alone is killed, a git child that is still writing keeps the next skm out until
it is done, and recovery never races with it. The list of held locks is per thread: in
``skm serve`` each request runs in its own thread, and only the thread that holds the lock
hands it to its git children.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from skolemiljo.errors import LockTimeoutError

DEFAULT_TIMEOUT = 10.0

_local = threading.local()


def _held() -> list[int]:
    if not hasattr(_local, "held"):
        _local.held = []
    return _local.held


def held_fds() -> tuple[int, ...]:
    """File descriptors of the write locks this thread holds (pass them to subprocesses)."""
    return tuple(_held())


def _timeout() -> float:
    try:
        return float(os.environ.get("SKM_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


@contextmanager
def write_lock(state_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the repository's write lock for the duration of the block."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / "lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + (_timeout() if timeout is None else timeout)
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
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        _held().append(fd)
        try:
            yield
        finally:
            _held().remove(fd)
    finally:
        os.close(fd)  # closing releases the flock (once no child holds it either)
