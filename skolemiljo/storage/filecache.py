"""Per-file records kept between runs in ``.skm/cache/``; never the source of truth.

``skm check`` and ``skm status`` read every case file, and between two runs nearly
all of them are unchanged. A ``FileCache`` keeps, per file, what a command derived
from it (its *record*), so the next run parses only what changed.

When a record may be reused: its file's content hash matches; the hash is skipped
only when the file's stamp (mtime, ctime, size, inode) is unchanged *and* the file
was already older than one second when it was read (git's rule against "racily
clean" files: a change written in the same clock tick is still seen). Every cache
has a key made from skm's version, the code that derives the records and whatever
else they depend on (the case schema, ``calendar.yaml``), so records made by other
rules are never used. A missing, stale or damaged cache is rebuilt silently, and a
read-only checkout just runs without one.

``read_records`` does the reading for both commands: from the cache where it can,
else by parsing, in a fork-started process pool when there are many files. A file
whose stamp changed but whose content did not (a fresh clone in CI with the cache
restored, a ``git checkout``) is only read and hashed, not parsed again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from skolemiljo import __version__
from skolemiljo.storage.safefile import kind_problem

_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

FORMAT = 2
RACY_NS = 1_000_000_000
PARALLEL_MIN = 150  # below this many files to parse, a process pool costs more than it saves
CHUNK = 250

PACKAGE = Path(__file__).resolve().parent.parent  # skolemiljo/


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def fingerprint(sources: Iterable[str], extra: Iterable[bytes] = ()) -> str:
    """A key that changes with skm's version, the named package ``sources`` and ``extra``."""
    digest = hashlib.blake2b(f"{FORMAT}:{__version__}".encode(), digest_size=16)
    for name in sources:
        try:
            digest.update((PACKAGE / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    for part in extra:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class FileCache:
    """``files``: rel -> ``[mtime_ns, size, ino, ctime_ns, trusted, hash, record]``; ``extra``: anything else."""

    def __init__(self, path: Path, key: str, enabled: bool = True) -> None:
        self.path = path
        self.enabled = enabled
        self.key = key
        self.files: dict[str, list[Any]] = {}
        self.extra: dict[str, Any] = {}
        self.dirty = False
        if enabled:
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("key") != self.key:
            return
        files, extra = data.get("files"), data.get("extra")
        self.files = files if isinstance(files, dict) else {}
        self.extra = extra if isinstance(extra, dict) else {}

    def save(self, current: set[str]) -> None:
        """Write the cache (only entries of files in ``current``) when anything changed."""
        if not self.enabled:
            return
        stale = self.files.keys() - current
        if not self.dirty and not stale:
            return
        for path in stale:
            del self.files[path]
        payload = json.dumps({"key": self.key, "files": self.files, "extra": self.extra},
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(payload)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout still gets its answer, only slower next time


@dataclass(frozen=True)
class Analysis:
    """How one command derives a record from a file (module-level functions: they go to workers).

    ``analyse(rel, raw)`` for a file that can be read; ``oversize(rel, size)`` for one over
    ``max_bytes``, which is never read into memory; ``refused(rel, message)`` for a name that is
    no file to read (a symlink, a FIFO, a folder: ``safefile``), which is never opened for reading.
    """

    analyse: Callable[[str, bytes], Any]
    oversize: Callable[[str, int], Any]
    max_bytes: int
    refused: Callable[[str, str], Any]


Read = tuple[str, list[int], bool, str, Any, bool]  # rel, stamp, trusted, hash, record, reused


def _read(path: str, rel: str, known: str | None, analysis: Analysis) -> Read:
    """``(rel, stamp, trusted, hash, record, reused)`` of one file.

    A file whose content hash is ``known`` (the cache has its record, but not its stamp:
    a fresh clone, a ``git checkout``) is not analysed again: ``reused`` is True and the
    record None.
    """
    before = time.time_ns()
    try:
        fd = os.open(path, _OPEN)
    except OSError:
        st = os.lstat(path)  # a symlink (ELOOP): described, never followed
        return _refused(rel, st, before, analysis, kind_problem(st.st_mode) or "Fila kan ikke leses.")
    st = os.fstat(fd)
    problem = kind_problem(st.st_mode)
    if problem is not None:  # a FIFO or a folder: opened without blocking, never read
        os.close(fd)
        return _refused(rel, st, before, analysis, problem)
    with os.fdopen(fd, "rb") as handle:
        raw = b"" if st.st_size > analysis.max_bytes else handle.read()
    digest = content_hash(raw)
    stamp = [st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns]
    trusted = max(st.st_mtime_ns, st.st_ctime_ns) < before - RACY_NS
    if digest == known and st.st_size <= analysis.max_bytes:
        return rel, stamp, trusted, digest, None, True
    record = analysis.oversize(rel, st.st_size) if st.st_size > analysis.max_bytes else analysis.analyse(rel, raw)
    return rel, stamp, trusted, digest, record, False


def _refused(rel: str, st: os.stat_result, before: int, analysis: Analysis, problem: str) -> Read:
    stamp = [st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns]
    trusted = max(st.st_mtime_ns, st.st_ctime_ns) < before - RACY_NS
    return rel, stamp, trusted, f"{st.st_mode:o}", analysis.refused(rel, problem), False


def _read_chunk(items: list[tuple[str, str, str | None]], analysis: Analysis) -> list[Read]:
    return [_read(path, rel, known, analysis) for path, rel, known in items]


def worker_count(requested: int | None = None) -> int:
    if requested:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _read_all(items: list[tuple[str, str, str | None]], analysis: Analysis, jobs: int,
              before_fork: Callable[[], None] | None) -> list[Read]:
    """Read ``items`` (``(path, rel, known hash)``), in a fork-started process pool when there are many."""
    import multiprocessing

    if jobs <= 1 or len(items) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return _read_chunk(items, analysis)
    if before_fork is not None:
        before_fork()  # e.g. compile once, so that every worker inherits it
    size = max(20, min(CHUNK, len(items) // (jobs * 4) or 1))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    out: list[Read] = []
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for part in pool.imap_unordered(functools.partial(_read_chunk, analysis=analysis), chunks):
            out.extend(part)
    return out


def read_records(files: list[tuple[str, str, os.DirEntry[str]]], cache: FileCache, analysis: Analysis, *,
                 jobs: int | None = None, before_fork: Callable[[], None] | None = None,
                 ) -> tuple[dict[str, Any], int]:
    """Every file's record (``files``: ``(path, rel, entry)``), from the cache when unchanged.

    Returns ``(records by rel, number of files parsed)``.
    """
    records: dict[str, Any] = {}
    misses: list[tuple[str, str, str | None]] = []
    for path, rel, entry in files:
        old = cache.files.get(rel)
        if old is not None and old[4]:
            try:
                st = entry.stat(follow_symlinks=False)  # a symlink is described, never followed
            except OSError:
                st = None
            if st is not None and old[:4] == [st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns]:
                records[rel] = old[6]
                continue
        misses.append((path, rel, old[5] if old is not None else None))
    parsed = 0
    for rel, stamp, trusted, digest, record, reused in (_read_all(misses, analysis, worker_count(jobs), before_fork)
                                                        if misses else ()):
        if reused:
            record = cache.files[rel][6]  # touched or checked out anew, not changed
        else:
            parsed += 1
        cache.files[rel] = [*stamp, trusted, digest, record]
        cache.dirty = True
        records[rel] = record
    return records, parsed
