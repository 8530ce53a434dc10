"""The warm cache of ``skm check`` in ``.skm/cache/check.json``.

Never the source of truth: it only saves re-parsing a case file whose content has
not changed. An entry is reused when the file's content hash matches; the hash is
only skipped when the file's stamp (mtime, ctime, size, inode) is unchanged *and*
the file was already older than one second when it was read (git's rule against
"racily clean" files, so a change written in the same clock tick is still seen).
The cache is keyed on skm's version and a hash of the checking code and the case
schema, so new rules never meet old results. A missing, stale or damaged cache is
rebuilt silently.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..resources import schema_path

FORMAT = 1
RACY_NS = 1_000_000_000
_SOURCES = ("checks/content.py", "checks/fastyaml.py", "checks/schema_check.py", "checks/cache.py",
            "validation.py", "requirements.py", "yamlio.py", "model.py", "dates.py")


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def fingerprint() -> str:
    """Changes whenever the code or the schema that produced cached results changes."""
    digest = hashlib.blake2b(f"{FORMAT}:{__version__}".encode(), digest_size=16)
    package = Path(__file__).resolve().parent.parent
    for name in _SOURCES:
        try:
            digest.update((package / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    digest.update(schema_path().read_bytes())
    return digest.hexdigest()


class CheckCache:
    """``files``: path -> ``[mtime_ns, size, ino, ctime_ns, trusted, hash, record]``; ``git``: the log walk."""

    def __init__(self, directory: Path, enabled: bool = True) -> None:
        self.path = directory / "check.json"
        self.enabled = enabled
        self.key = fingerprint() if enabled else ""
        self.files: dict[str, list[Any]] = {}
        self.git: dict[str, Any] | None = None
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
        files, git, extra = data.get("files"), data.get("git"), data.get("extra")
        self.files = files if isinstance(files, dict) else {}
        self.git = git if isinstance(git, dict) else None
        self.extra = extra if isinstance(extra, dict) else {}

    def save(self, current: set[str]) -> None:
        """Write the cache (only entries of files that still exist) when anything changed."""
        if not self.enabled:
            return
        stale = self.files.keys() - current
        if not self.dirty and not stale:
            return
        for path in stale:
            del self.files[path]
        payload = json.dumps({"key": self.key, "files": self.files, "git": self.git, "extra": self.extra},
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(payload)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout still gets its check, only slower next time
