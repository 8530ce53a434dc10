"""Atomic file writes: temp file in the same folder, fsync, replace, fsync folder."""

from __future__ import annotations

import os
from pathlib import Path

TMP_MARK = ".skm-tmp-"


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file, whole."""
    directory = path.parent
    tmp = directory / f".{path.name}{TMP_MARK}{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(directory)


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temp_files(directory: Path, *, only_dead_writers: bool = False) -> list[Path]:
    """Delete temp files left by a writer that died (call only under the write lock).

    In a folder that only lock holders write to, every temp file is stale. Elsewhere
    (``only_dead_writers``) a temp file is removed only when the process named in its
    name is gone, so a writer that does not take the lock is never disturbed.
    """
    removed = []
    if directory.is_dir():
        for name in os.listdir(directory):
            if not name.startswith(".") or TMP_MARK not in name:
                continue
            entry = directory / name
            if not entry.is_file():
                continue
            if only_dead_writers:
                pid = name.rsplit(TMP_MARK, 1)[1]
                if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
                    continue
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed
