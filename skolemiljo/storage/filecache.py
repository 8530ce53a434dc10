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

A long-running process (``skm serve``) does not parse the cache file again while its bytes are
those it last read or wrote (same content hash): the records it holds are those in the file. Callers in
several threads must not use one cache file at the same time (the web interface takes turns).

``read_records`` does the reading for both commands: from the cache where it can,
else by parsing, in a fork-started process pool when there are many files. A file
whose stamp changed but whose content did not (a fresh clone in CI with the cache
restored, a ``git checkout``) is only read and hashed, not parsed again; and with ``index``
(``index_blobs``: git's own view of the work tree) not even read: a file's hash *is* its git blob
id, so a file that git reports unchanged from its index entry, whose blob id the cache has a record
for, takes that record after one ``stat`` (see ``read_records``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

from skolemiljo import __version__
from skolemiljo.storage.git import run_git
from skolemiljo.storage.safefile import kind_problem

_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

FORMAT = 3  # 3: a file's hash is its git blob id
# An entry of ``FileCache.files`` is a JSON array (compact: 50,000 of them are loaded on every run):
STAMP, TRUSTED, HASH, RECORD = slice(0, 4), 4, 5, 6  # [mtime_ns, size, ino, ctime_ns], bool, blob id, record
RACY_NS = 1_000_000_000
INDEX_MIN = 50  # at least this many known files with a new stamp: ask git's index before reading them
PARALLEL_MIN = 150  # below this many files to parse, a process pool costs more than it saves
CHUNK = 250

PACKAGE = Path(__file__).resolve().parent.parent  # skolemiljo/

# The cache files this process last read or wrote: path -> (content hash, key, files, extra).
_LOADED: dict[Path, tuple[str, str, dict[str, list[Any]], dict[str, Any]]] = {}
_LOADED_LOCK = threading.Lock()


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def blob_id(raw: bytes) -> str:
    """git's id of a file with these bytes (``git hash-object``): the hash of a file's record."""
    return hashlib.sha1(b"blob %d\0%s" % (len(raw), raw)).hexdigest()


def plain_encode(value: Any) -> Any:
    """The strict YAML reader's values as tagged JSON, losslessly (a mapping with string keys, a list,
    a date, a plain scalar); ``TypeError`` for anything else (then nothing is cached)."""
    from datetime import date, datetime

    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return {"v": value}
    if isinstance(value, datetime):
        raise TypeError("datetime")
    if isinstance(value, date):
        return {"t": value.isoformat()}
    if isinstance(value, list):
        return {"l": [plain_encode(item) for item in value]}
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"d": {key: plain_encode(item) for key, item in value.items()}}
    raise TypeError(type(value).__name__)


def plain_decode(value: Any) -> Any:
    """The value ``plain_encode`` encoded; ``ValueError``/``TypeError``/``AttributeError`` when damaged."""
    from datetime import date

    (tag, inner), = value.items()
    if tag == "v":
        return inner
    if tag == "t":
        return date.fromisoformat(inner)
    if tag == "l":
        return [plain_decode(item) for item in inner]
    if tag == "d":
        return {key: plain_decode(item) for key, item in inner.items()}
    raise ValueError(tag)


class IndexBlobs(NamedTuple):
    """What git says of the work tree: ``rel -> blob id`` of the files unchanged from its index."""

    blobs: dict[str, str]
    # git compared the work tree at or after this time (``time.time_ns``); None: after every stat
    # ``read_records`` took, which ``index_blobs`` guarantees by running git when it is asked.
    compared_from_ns: int | None = None


def index_blobs(root: Path, folder: str, changed: Callable[[], tuple[set[str], int] | None] | None = None
                ) -> IndexBlobs:
    """The regular files under ``folder`` that git finds unchanged from its index, with their blob ids.

    ``git ls-files -s -v`` names each tracked file's blob; ``git diff-files`` lists the tracked files
    whose work-tree content differs from the index (git's stat check, with its own rule for racily
    clean entries). ``changed``, when it answers, gives that list instead, from a ``git status``
    already running (``checks.audit_checks.GitQuery``: in a fresh clone every entry is racily clean,
    and each of the two would hash every file), with the time that git started. Left out: files git
    does not compare (``assume-unchanged``, ``skip-worktree``), conflicts, symlinks and submodules.
    Any failure: an empty answer (every file is read).
    """
    listed = run_git(root, ("ls-files", "-z", "-s", "-v", "--", f"{folder}/"))
    known = changed() if changed is not None else None
    compared_from: int | None = None
    if known is not None:
        differing, compared_from = known
    else:
        found = run_git(root, ("diff-files", "-z", "--name-only", "--relative", "--", f"{folder}/"))
        if found.returncode != 0:
            return IndexBlobs({})
        differing = set(found.stdout.decode("utf-8", "surrogateescape").split("\0"))
    if listed.returncode != 0:
        return IndexBlobs({})
    blobs: dict[str, str] = {}
    conflicted: set[str] = set()
    for item in listed.stdout.decode("utf-8", "surrogateescape").split("\0"):
        meta, tab, rel = item.partition("\t")
        parts = meta.split(" ")
        if not tab or len(parts) != 4:
            continue
        tag, mode, sha, stage = parts
        if stage != "0":
            conflicted.add(rel)
        elif tag == "H" and mode in ("100644", "100755"):
            blobs[rel] = sha
    for rel in differing | conflicted:
        blobs.pop(rel, None)
    return IndexBlobs(blobs, compared_from)


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
            raw = self.path.read_bytes()
        except OSError:
            return
        digest = content_hash(raw)
        with _LOADED_LOCK:
            known = _LOADED.get(self.path)
        if known is not None and known[0] == digest and known[1] == self.key:
            self.files, self.extra = known[2], known[3]
            return
        try:
            data = json.loads(raw)
        except ValueError:
            return
        if not isinstance(data, dict) or data.get("key") != self.key:
            return
        files, extra = data.get("files"), data.get("extra")
        self.files = files if isinstance(files, dict) else {}
        self.extra = extra if isinstance(extra, dict) else {}
        self._remember(digest)

    def _remember(self, digest: str) -> None:
        with _LOADED_LOCK:
            _LOADED[self.path] = (digest, self.key, self.files, self.extra)

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
        from skolemiljo.errors import FileProblem
        from skolemiljo.storage.atomic import write_atomic  # only when the cache changed

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, payload)  # a temp file of its own, never through a planted link
        except (OSError, FileProblem):
            return  # a read-only checkout still gets its answer, only slower next time
        self._remember(content_hash(payload))


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
    digest = blob_id(raw)
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
                 index: Callable[[], IndexBlobs] | None = None) -> tuple[dict[str, Any], int]:
    """Every file's record (``files``: ``(path, rel, entry)``), from the cache when unchanged.

    ``index``: ``rel -> blob id`` of the files git finds unchanged from its index (``index_blobs``),
    asked only when at least ``INDEX_MIN`` files the cache knows have a new stamp (a fresh clone with
    the cache restored, a ``git checkout``). Such a file whose blob id has a record is not read: its
    stamp is taken *before* git compares it, so a change after the ``stat`` gives a new stamp next
    time, and a change before git looks makes git list it. When git compared earlier (a ``git
    status`` started first, ``IndexBlobs.compared_from_ns``), only a file whose status last changed
    before git started is taken (its ``ctime``, which no program can set back): git saw what the
    stamp describes.

    Returns ``(records by rel, number of files parsed)``.
    """
    records: dict[str, Any] = {}
    misses: list[tuple[str, str, str | None]] = []
    stats: dict[str, tuple[os.stat_result, int]] = {}
    for path, rel, entry in files:
        old = cache.files.get(rel)
        if old is not None:
            before = time.time_ns()
            try:
                st = entry.stat(follow_symlinks=False)  # a symlink is described, never followed
            except OSError:
                st = None
            if st is not None and old[TRUSTED] and old[STAMP] == [st.st_mtime_ns, st.st_size, st.st_ino,
                                                                  st.st_ctime_ns]:
                records[rel] = old[RECORD]
                continue
            if st is not None and index is not None:
                stats[rel] = (st, before)
        misses.append((path, rel, old[HASH] if old is not None else None))
    if index is not None and len(stats) >= INDEX_MIN:
        misses = _from_index(misses, stats, index(), cache, records)
    parsed = 0
    for rel, stamp, trusted, digest, record, reused in (_read_all(misses, analysis, worker_count(jobs), before_fork)
                                                        if misses else ()):
        if reused:
            record = cache.files[rel][RECORD]  # touched or checked out anew, not changed
        else:
            parsed += 1
        cache.files[rel] = [*stamp, trusted, digest, record]
        cache.dirty = True
        records[rel] = record
    return records, parsed


def _from_index(misses: list[tuple[str, str, str | None]], stats: dict[str, tuple[os.stat_result, int]],
                index: IndexBlobs, cache: FileCache, records: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """The records of the misses that git finds unchanged with a known blob id; the other misses."""
    import stat as stat_module

    clean = index.blobs
    # git compared before our stat: only files unchanged since before git started (with the margin
    # of a coarse file-system clock) are what git saw
    changed_by = None if index.compared_from_ns is None else index.compared_from_ns - RACY_NS
    left = []
    for path, rel, known in misses:
        found = stats.get(rel)
        if known is None or found is None or clean.get(rel) != known or not stat_module.S_ISREG(found[0].st_mode) \
                or (changed_by is not None and max(found[0].st_ctime_ns, found[0].st_mtime_ns) >= changed_by):
            left.append((path, rel, known))
            continue
        st, before = found
        record = cache.files[rel][RECORD]
        trusted = max(st.st_mtime_ns, st.st_ctime_ns) < before - RACY_NS
        cache.files[rel] = [st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns, trusted, known, record]
        cache.dirty = True
        records[rel] = record
    return left
