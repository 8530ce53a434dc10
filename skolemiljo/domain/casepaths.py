"""Which paths of a repository are case files, and the case id each one holds."""

from __future__ import annotations

from skolemiljo.domain import model


CASES_PREFIX = "cases/"


def case_id_of(path: str, prefix: str = CASES_PREFIX) -> str | None:
    """The case id of ``path`` (``cases/2026-0007.yaml`` → ``2026-0007``), or None when it is not a
    case file: the one rule for "case id from a path" (string work; fast at 50,000 files)."""
    if not path.startswith(prefix) or not path.endswith(".yaml"):
        return None
    name = path[len(prefix):-len(".yaml")]
    return name if model.CASE_ID.fullmatch(name) else None


class CasePaths:
    """Case files are ``<prefix><id>.yaml`` (prefix ``cases/``, relative to git's top level)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def case_id(self, path: str) -> str | None:
        """The case id of ``path``, or None when it is not a case file (``case_id_of``)."""
        return case_id_of(path, self.prefix)

    def path(self, case_id: str) -> str:
        return f"{self.prefix}{case_id}.yaml"
