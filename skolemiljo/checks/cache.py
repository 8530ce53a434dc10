"""The warm cache of ``skm check`` in ``.skm/cache/check.json`` (see ``filecache``).

The records are the checks' findings and deadline facts per case file; ``git`` keeps
the walk of the git log between runs. The key covers the checking code and the case
schema, so new rules never meet old results.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skolemiljo.storage.filecache import RACY_NS, FileCache, content_hash
from skolemiljo.storage.filecache import fingerprint as _fingerprint
from skolemiljo.storage.resources import schema_path

__all__ = ["RACY_NS", "CheckCache", "content_hash", "fingerprint"]

_SOURCES = ("checks/content.py", "checks/archive_checks.py", "domain/archiving.py", "storage/fastyaml.py", "schema/fast.py", "checks/cache.py",
            "storage/filecache.py", "schema/validation.py", "domain/requirements.py", "storage/yamlio.py",
            "domain/model.py", "domain/dates.py", "domain/deadlines.py", "checks/deadlines.py",
            "domain/legal.py", "domain/rounds.py")


def fingerprint() -> str:
    """Changes whenever the code or the schema that produced cached results changes."""
    return _fingerprint(_SOURCES, [schema_path().read_bytes()])


class CheckCache(FileCache):
    """Records of ``checks.content.analyse``, plus the git log walk in ``git``."""

    def __init__(self, directory: Path, enabled: bool = True) -> None:
        super().__init__(directory / "check.json", fingerprint() if enabled else "", enabled)

    @property
    def git(self) -> dict[str, Any] | None:
        found = self.extra.get("git")
        return found if isinstance(found, dict) else None

    @git.setter
    def git(self, value: dict[str, Any] | None) -> None:
        self.extra["git"] = value
