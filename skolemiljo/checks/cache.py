"""The warm cache of ``skm check`` in ``.skm/cache/check.json`` (see ``filecache``).

The records are the checks' findings and deadline facts per case file; ``git`` keeps
the walk of the git log between runs. The key covers the checking code and the case
schema, so new rules never meet old results.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from skolemiljo.storage.filecache import RACY_NS, FileCache, content_hash, plain_decode, plain_encode
from skolemiljo.storage.filecache import fingerprint as _fingerprint
from skolemiljo.storage.resources import schema_path

__all__ = ["RACY_NS", "CheckCache", "CheckRecord", "content_hash", "fingerprint"]


class CheckRecord(TypedDict, total=False):
    """What ``checks.content.analyse`` keeps of one case file (JSON in ``check.json``; no case text).

    ``findings``: ``[check, line, message]`` that do not depend on the day; ``deadlines``: the facts
    ``checks.deadlines.judge`` weighs against the day (None: nothing to judge); ``archive``: the facts
    of ``ikke-arkivert``; ``id`` and ``id_line``: for ``id-unik`` across files.
    """

    id: str | None
    id_line: int
    findings: list[list[Any]]
    deadlines: dict[str, Any] | None
    archive: dict[str, Any] | None

_SOURCES = ("checks/content.py", "checks/archive_checks.py", "domain/archiving.py", "storage/fastyaml.py", "schema/fast.py", "checks/cache.py",
            "storage/filecache.py", "schema/validation.py", "domain/requirements.py", "storage/yamlio.py",
            "domain/model.py", "domain/dates.py", "domain/deadlines.py", "checks/deadlines.py",
            "storage/calendarfile.py", "domain/schoolyear.py", "domain/legal.py", "domain/rounds.py")


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

    def calendar_data(self, digest: str) -> Any:
        """The parsed ``calendar.yaml`` whose blob id is ``digest``, when the cache has it (else None)."""
        found = self.extra.get("calendar")
        if not isinstance(found, dict) or found.get("hash") != digest:
            return None
        try:
            return plain_decode(found["data"])
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def remember_calendar(self, digest: str, data: Any) -> None:
        """Keep a calendar that was read without findings (only plain YAML values: else nothing is kept)."""
        try:
            encoded = plain_encode(data)
        except TypeError:
            return
        if self.extra.get("calendar") != {"hash": digest, "data": encoded}:
            self.extra["calendar"] = {"hash": digest, "data": encoded}
            self.dirty = True

