"""The log of an internal error: the traceback, kept where only this machine's users see it.

``write_report`` creates ``.skm/logg/intern-feil-<time>.txt`` in the case repository
(``.skm/`` is never committed), exclusively and never through a symlink. When there is no
case repository, or it cannot be written (read-only, disk full, ``.skm`` a link), the log
goes to ``skm-<uid>/`` in the user's temp folder instead (mode 0700, checked to be the
user's own folder, not a link). The terminal only learns where the log is.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path

LOG_DIR = "logg"

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _own_folder(folder: Path, *, make: bool) -> bool:
    """``folder`` is a real folder (not a link) this user owns and may write, made when missing."""
    if make:
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return False
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and os.access(folder, os.W_OK | os.X_OK))


def _repository_folder(root: Path) -> Path | None:
    state = root / ".skm"
    if not _own_folder(state, make=True):
        return None
    folder = state / LOG_DIR
    return folder if _own_folder(folder, make=True) else None


def fallback_folder() -> Path | None:
    """``<temp>/skm-<uid>``: the user's own, private folder for logs when the repository cannot have them."""
    folder = Path(tempfile.gettempdir()) / f"skm-{os.getuid()}"
    if not _own_folder(folder, make=True):
        return None
    try:
        if stat.S_IMODE(os.lstat(folder).st_mode) & 0o077:
            os.chmod(folder, 0o700)
    except OSError:
        return None
    return folder


def _create(folder: Path, text: str) -> Path | None:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    data = text.encode("utf-8", "replace")
    for attempt in range(100):
        name = f"intern-feil-{stamp}{'' if attempt == 0 else f'-{attempt + 1}'}.txt"
        path = folder / name
        try:
            fd = os.open(path, _CREATE, 0o600)
        except FileExistsError:
            continue
        except OSError:
            return None
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except OSError:
            os.close(fd)
            try:
                os.unlink(path)
            except OSError:
                pass
            return None
        os.close(fd)
        return path
    return None


def write_report(text: str, root: Path | None) -> Path | None:
    """Write ``text`` to a new log file; the path, or None when no place would take it."""
    if root is not None:
        folder = _repository_folder(root)
        if folder is not None:
            path = _create(folder, text)
            if path is not None:
                return path
    folder = fallback_folder()
    return _create(folder, text) if folder is not None else None
