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


def remove_stale_temp_files(directory: Path) -> list[Path]:
    """Delete temp files left by a writer that died (call only under the write lock)."""
    removed = []
    if directory.is_dir():
        for entry in directory.iterdir():
            if TMP_MARK in entry.name and entry.name.startswith("."):
                entry.unlink(missing_ok=True)
                removed.append(entry)
    return removed
