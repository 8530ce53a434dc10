"""Three-way merge of one file's bytes for ``skm sync``: cases field by field, other files by line."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skolemiljo.domain.casepaths import CasePaths
from skolemiljo.domain.merge import Choices, Conflict, merge_case
from skolemiljo.errors import SyncRefusedError
from skolemiljo.storage import yamlio
from skolemiljo.storage.casefiles import case_document
from skolemiljo.storage.git import Git


@dataclass
class Merged:
    """The merged content (None: the file is gone) and, for a case merged field by field, its data."""

    content: bytes | None
    data_merged: bool = False
    data: Any = None
    conflicts: list[Conflict] = field(default_factory=list)


def parse_case(content: bytes, path: str) -> dict[str, Any]:
    """A case's data for merging; refused when it cannot be read."""
    try:
        data = yamlio.load_bytes(content)
    except yamlio.YamlProblem as problem:
        raise SyncRefusedError(
            f"{path} er endret både her og i det sentrale saksarkivet, men den ene versjonen kan ikke leses "
            f"(linje {problem.line}); skm kan ikke slå dem sammen.",
            hint="Rett saken med `skm edit` slik at den er gyldig, og kjør `skm sync` igjen. Ingenting er endret.",
        ) from None
    if not isinstance(data, dict):
        raise SyncRefusedError(f"{path} er ikke en sak; skm kan ikke slå den sammen.")
    return data


def merge_text(git: Git, path: str, base: bytes, central: bytes, local: bytes, scratch: Path) -> bytes:
    """Line-based three-way merge for files that are not cases (calendar.yaml, README…)."""
    scratch.mkdir(parents=True, exist_ok=True)
    files = []
    for name, content in (("lokal", local), ("base", base), ("sentral", central)):
        target = scratch / f"merge-{os.getpid()}-{name}"
        target.write_bytes(content)
        files.append(str(target))
    try:
        result = git.run("merge-file", "-p", "-q", *files, check=False)
    finally:
        for name in files:
            Path(name).unlink(missing_ok=True)
    if result.returncode != 0:
        raise SyncRefusedError(
            f"{path} er endret både her og i det sentrale saksarkivet på samme sted; skm kan ikke slå "
            "endringene sammen.",
            hint="Be noen som kan git, om hjelp til å slå sammen denne fila. Ingenting er endret.",
        )
    return result.stdout


def merge_file(git: Git, paths: CasePaths, path: str, base: bytes | None, central: bytes | None,
               local: bytes | None, choices: Choices, default: str, scratch: Path) -> Merged:
    """Three-way merge of one file's bytes; cases are merged field by field.

    ``default`` is the side a true conflict takes when ``choices`` does not decide it.
    """
    if central == local:
        return Merged(central)
    if base == central:
        return Merged(local)
    if base == local:
        return Merged(central)
    if central is None or local is None:
        raise SyncRefusedError(
            f"{path} er slettet på den ene siden og endret på den andre; skm kan ikke avgjøre hva som gjelder.",
            hint="Saksdokumenter skal ikke slettes. Be noen som kan git, om hjelp. Ingenting er endret.",
        )
    case_id = paths.case_id(path)
    if case_id is None:
        return Merged(merge_text(git, path, base or b"", central, local, scratch))
    data_base = parse_case(base, path) if base is not None else None
    data, conflicts = merge_case(case_id, data_base, parse_case(central, path), parse_case(local, path),
                                 choices, default)
    return Merged(case_document(data).encode("utf-8"), True, data, conflicts)
