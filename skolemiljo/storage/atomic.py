"""Atomic file writes: temp file in the same folder, fsync, replace, fsync folder.

The temp file is ``.<name>.skm-tmp-<pid>-<random>`` in the destination's own folder
(so the replace never crosses a file system), created with ``O_CREAT|O_EXCL|O_NOFOLLOW``:
a name planted in advance (a symlink to a victim's file in a shared folder) makes the
create fail instead of being written through, and 64 random bits make the name
impossible to plant in the first place. Should anything fail (disk full, read-only), the
temp file is removed and a ``FileProblem`` says why in Norwegian; the destination is
untouched. The pid in the name lets ``remove_stale_temp_files`` tell a dead writer's
leftovers from a live writer's file.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from skolemiljo.errors import FileProblem, shown
from skolemiljo.storage import activity

TMP_MARK = ".skm-tmp-"

# Room for the mark, pid and random part within a file system's 255-byte names.
_MAX_BASE = 120

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def temp_name(name: str) -> str:
    """An unpredictable temp file name for ``name`` (its folder is the destination's)."""
    base = name.encode("utf-8")[:_MAX_BASE].decode("utf-8", "ignore")
    return f".{base}{TMP_MARK}{os.getpid()}-{secrets.token_hex(8)}"


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file, whole.

    Raises ``FileProblem`` (nothing changed, no temp file left) when the file cannot be written.
    """
    directory = path.parent
    fd, tmp = _create_temp(path, mode)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as error:
        _discard(tmp)
        raise FileProblem.from_os_error(error, "skrive", path) from None
    except BaseException:
        _discard(tmp)
        raise
    activity.wrote(path)
    try:
        fsync_dir(directory)
    except OSError:
        pass  # the file is in place; only its durability across a power cut is less certain


def _create_temp(path: Path, mode: int) -> tuple[int, Path]:
    """A new temp file beside ``path``; a name that is taken (planted) is never opened."""
    for _attempt in range(8):
        tmp = path.parent / temp_name(path.name)
        try:
            return os.open(tmp, _CREATE, mode), tmp
        except FileExistsError:
            continue
        except (FileNotFoundError, NotADirectoryError):
            raise FileProblem(f"Kan ikke skrive {shown(path)}: mappen {shown(path.parent)} finnes ikke.",
                              hint="Lag mappen først, eller skriv til en mappe som finnes.") from None
        except OSError as error:
            raise FileProblem.from_os_error(error, "skrive", path) from None
    raise FileProblem(f"Kan ikke skrive {path}: mappen er full av filer med skm sine midlertidige navn.",
                      hint="Noen har lagt dem der med vilje; se etter hvem, og slett dem.")


def _discard(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


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


def writer_pid(name: str) -> int | None:
    """The pid in a temp file's name (``.x.skm-tmp-<pid>-<random>``, or the older ``…-<pid>``)."""
    pid = name.rsplit(TMP_MARK, 1)[1].split("-", 1)[0]
    return int(pid) if pid.isascii() and pid.isdigit() else None


def remove_stale_temp_files(directory: Path, *, only_dead_writers: bool = False) -> list[Path]:
    """Delete temp files left by a writer that died (call only under the write lock).

    In a folder that only lock holders write to, every temp file is stale. Elsewhere
    (``only_dead_writers``) a temp file is removed only when the process named in its
    name is gone, so a writer that does not take the lock is never disturbed. Only
    regular files and symlinks named like temp files are removed (unlinking a link never
    touches what it points to); a folder of that name is left alone.
    """
    removed: list[Path] = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        if not name.startswith(".") or TMP_MARK not in name:
            continue
        entry = directory / name
        try:
            kind = os.lstat(entry).st_mode
        except OSError:
            continue
        if not (stat.S_ISREG(kind) or stat.S_ISLNK(kind)):
            continue
        if only_dead_writers:
            pid = writer_pid(name)
            if pid is None or pid == os.getpid() or _alive(pid):
                continue
        try:
            os.unlink(entry)
        except FileNotFoundError:
            continue
        except OSError:
            continue  # read-only: the next writer that can, will
        removed.append(entry)
    return removed


def output_file(path: Path, option: str) -> Path:
    """A file the user named for output (``--html``, ``--ics``): never a folder, never nothing.

    Typer turns ``--html ""`` into ``.``, which would replace the repository folder itself.
    """
    from skolemiljo.errors import UsageError

    text = str(path)
    if text in ("", ".", "..") or text.endswith(os.sep) or os.path.isdir(path):
        raise UsageError(f"{option} må være en fil, ikke en mappe («{text}»).",
                         hint=f"Skriv et filnavn, for eksempel {option} oversikt.{option.lstrip('-')}.")
    return path
