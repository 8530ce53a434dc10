"""docs/architecture.md stays true: one line for every module, the layers of the import contract."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def modules() -> set[str]:
    return {path.relative_to(ROOT).as_posix() for path in (ROOT / "skolemiljo").rglob("*.py")}


def test_every_module_has_its_line() -> None:
    lines = re.findall(r"^- `(skolemiljo/[\w/]+\.py)` – \S", DOC, flags=re.MULTILINE)
    assert len(lines) == len(set(lines)), "a module described twice"
    assert sorted(modules() - set(lines)) == [], "modules without a line in docs/architecture.md"
    assert sorted(set(lines) - modules()) == [], "lines for modules that no longer exist"


def test_the_layers_are_those_of_the_import_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    drawn = DOC.split("## Lagene", 1)[1].split("```", 2)[1]
    wanted = [" | ".join(part.strip().removeprefix("skolemiljo.") for part in layer.split("|"))
              for layer in contract["layers"]]
    assert [" | ".join(re.findall(r"[a-z]+", line.split("  ")[0])) for line in drawn.strip().splitlines()] == wanted


def test_every_path_the_doc_names_exists() -> None:
    for name in set(re.findall(r"`((?:cli|web|services|checks|render|archive|schema|storage|domain)/\w+\.py)`", DOC)):
        assert (ROOT / "skolemiljo" / name).is_file(), name
