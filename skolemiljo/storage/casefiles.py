"""Case files: read one (never through a symlink), parse its text, write its canonical form."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skolemiljo.domain import model
from skolemiljo.errors import Finding, InvalidCaseError
from skolemiljo.storage import yamlio
from skolemiljo.storage.repository import CaseRepo



@dataclass
class LoadedCase:
    id: str
    path: Path
    text: str
    data: dict[str, Any]


def read_case(repo: CaseRepo, case_id: str) -> LoadedCase:
    """Load a case; a file that is not YAML is refused with its line."""
    path = repo.existing_case_path(case_id)
    rel = repo.rel(path)
    try:
        text = yamlio.decode(yamlio.read_file(path))
        data = parse_case_text(text)
    except yamlio.YamlProblem as problem:
        raise InvalidCaseError(
            f"Sak {case_id} kan ikke leses.", [Finding(rel, problem.line, "yaml", problem.message)],
            hint=f"Rett fila med `skm edit {case_id}`.",
        ) from None
    if not isinstance(data, dict):
        raise InvalidCaseError(f"Sak {case_id} kan ikke leses.",
                               [Finding(rel, 1, "schema", "fila er ikke en sak")])
    return LoadedCase(case_id, path, text, data)


def case_document(data: dict[str, Any]) -> str:
    """The canonical file text of a case, modeline first."""
    return yamlio.dump(model.canonical(data), model.MODELINE)


def parse_case_text(text: str) -> Any:
    """A case file's data: the fast reader for files as skm writes them, else the strict loader
    (which raises ``yamlio.YamlProblem`` for what is not YAML)."""
    from skolemiljo.storage.fastyaml import parse

    fast = parse(text)
    return fast[0] if fast is not None else yamlio.load(text)


def quick_load(path: str | Path) -> dict[str, Any] | None:
    """A case for reading only (``parse_case_text``); None when the file cannot be read
    (``skm validate``/``check`` say why)."""
    try:
        data = parse_case_text(yamlio.decode(yamlio.read_file(path)))
    except yamlio.YamlProblem:
        return None
    return data if isinstance(data, dict) else None
