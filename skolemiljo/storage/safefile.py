"""Reading a case file that may be hostile: never through a symlink, never a FIFO or a folder.

A file that arrives through ``sync`` or a careless copy can be a symlink (to ``../docs/x.yaml``
or outside the repository), a FIFO (whose ``open`` blocks forever) or a folder named like a
case. ``read_regular`` opens with ``O_NOFOLLOW|O_NONBLOCK`` and checks ``fstat`` before it
reads a byte, so each of them becomes a ``YamlProblem`` with the same Norwegian message in
``skm validate``, ``skm check``, ``show``, ``edit`` and every writer.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from skolemiljo.errors import os_reason
from skolemiljo.storage.yamlbase import YamlProblem

_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

SYMLINK = "Saksfila er en symbolsk lenke; skm leser og skriver bare saksfiler som ligger i cases/ selv."


def too_large(size: int, limit: int) -> str:
    """The message for a file over the size limit (``1 000 001 byte``)."""
    return f"Fila er for stor ({size:,} byte; grensen er {limit:,}).".replace(",", " ")


def kind_problem(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is no case file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return SYMLINK
    if stat.S_ISDIR(mode):
        return "Dette er en mappe, ikke en saksfil."
    if stat.S_ISFIFO(mode):
        return "Dette er en navngitt rørledning (FIFO), ikke en saksfil; skm leser den ikke."
    return "Dette er ikke en vanlig fil (men en sokkel eller en enhet); skm leser den ikke."


def problem_of(path: str | Path) -> str | None:
    """``kind_problem`` of ``path`` itself (``lstat``: a symlink is not followed); None when regular or missing."""
    try:
        return kind_problem(os.lstat(path).st_mode)
    except OSError:
        return None


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``; at most ``limit`` (more is a ``YamlProblem``)."""
    try:
        fd = os.open(path, _OPEN)
    except OSError as error:
        problem = problem_of(path)
        if problem is not None:  # a symlink (ELOOP) or a special file
            raise YamlProblem(problem, 1) from None
        raise YamlProblem(f"Fila kan ikke leses: {os_reason(error) or error.strerror}.", 1) from None
    try:
        info = os.fstat(fd)
        problem = kind_problem(info.st_mode)
        if problem is not None:
            raise YamlProblem(problem, 1)
        if info.st_size > limit:
            raise YamlProblem(too_large(info.st_size, limit), 1)
        os.set_blocking(fd, True)
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as error:
        raise YamlProblem(f"Fila kan ikke leses: {os_reason(error) or error.strerror}.", 1) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:  # grew while it was read
        raise YamlProblem(too_large(len(raw), limit), 1)
    return raw
