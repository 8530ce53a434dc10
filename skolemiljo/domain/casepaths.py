"""Which paths of a repository are case files, and the case id each one holds."""

from __future__ import annotations

from skolemiljo.domain import model


class CasePaths:
    """Case files are ``<prefix><id>.yaml`` (prefix ``cases/``, relative to git's top level)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def case_id(self, path: str) -> str | None:
        """The case id of ``path``, or None when it is not a case file."""
        if not path.startswith(self.prefix) or not path.endswith(".yaml"):
            return None
        name = path[len(self.prefix):-len(".yaml")]
        return name if model.CASE_ID.fullmatch(name) else None

    def path(self, case_id: str) -> str:
        return f"{self.prefix}{case_id}.yaml"
