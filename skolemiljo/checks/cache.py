"""The warm cache of ``skm check`` in ``.skm/cache/check.json`` (see ``filecache``).

The records are the checks' findings and deadline facts per case file; ``git`` keeps
the walk of the git log between runs. The key covers the checking code and the case
schema, so new rules never meet old results.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..filecache import RACY_NS, FileCache, content_hash, fingerprint as _fingerprint
from ..resources import schema_path

__all__ = ["RACY_NS", "CheckCache", "content_hash", "fingerprint"]

_SOURCES = ("checks/content.py", "checks/fastyaml.py", "checks/schema_check.py", "checks/cache.py",
            "filecache.py", "validation.py", "requirements.py", "yamlio.py", "model.py", "dates.py")


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
