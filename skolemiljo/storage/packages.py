"""Archive packages on disk: a folder, or a zip file, written so that a crash never leaves half
of one under its final name.

A folder is built under a temporary name beside its final place (every file fsynced) and
renamed into place; a zip is written to a temporary file and renamed. A package of the same
name that is already there (a package that was built but never recorded as delivered, for
example because sending failed) is replaced. Names are chosen by the caller from the case id
and the delivery number only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from skolemiljo.errors import SkmError, UsageError
from skolemiljo.storage.atomic import fsync_dir


def _safe_name(name: str) -> str:
    if not name or "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise ValueError(f"not a package member name: {name!r}")
    return name


def prepare_folder(out_dir: Path) -> None:
    """Make ``out_dir`` (private to the user: packages hold the pupil's name)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise SkmError(f"Kan ikke lage mappen {out_dir}: {error.strerror}.") from None
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise UsageError(f"{out_dir} er ikke en mappe.")


def write_package(out_dir: Path, name: str, files: dict[str, bytes], *, as_zip: bool,
                  date_time: tuple[int, int, int, int, int, int] = (2026, 1, 1, 0, 0, 0)) -> Path:
    """Write ``files`` (member name → bytes, in order) as ``out_dir/name`` or ``out_dir/name.zip``."""
    prepare_folder(out_dir)
    members = [(_safe_name(member), data) for member, data in files.items()]
    try:
        if as_zip:
            return _write_zip(out_dir, name, members, date_time)
        return _write_folder(out_dir, name, members)
    except OSError as error:
        raise SkmError(f"Kan ikke skrive arkivpakken {out_dir / name}: {error.strerror}.") from None


def _write_folder(out_dir: Path, name: str, members: list[tuple[str, bytes]]) -> Path:
    target = out_dir / name
    building = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=out_dir))
    try:
        for member, data in members:
            fd = os.open(building / member, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(building)
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{name}.gammel.", dir=out_dir))
            os.replace(target, old / name)
            shutil.rmtree(old)
        os.replace(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    fsync_dir(out_dir)
    return target


def _write_zip(out_dir: Path, name: str, members: list[tuple[str, bytes]],
               date_time: tuple[int, int, int, int, int, int]) -> Path:
    target = out_dir / f"{name}.zip"
    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".zip", dir=out_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for member, data in members:
                    info = zipfile.ZipInfo(member, date_time=date_time)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o600 << 16
                    archive.writestr(info, data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_dir(out_dir)
    return target
