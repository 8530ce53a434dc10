"""Each rule is defined once (issue 12.3 and 12.5): a copy that could drift is a test failure."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "skolemiljo"


def _modules() -> dict[str, ast.Module]:
    return {str(path.relative_to(PACKAGE)): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))}


def _defined(name_pattern: str) -> dict[str, list[str]]:
    """Module-level functions, classes and assignments whose name matches, by name."""
    found: dict[str, list[str]] = {}
    for rel, tree in _modules().items():
        for node in tree.body:
            names = []
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                names += [e.id for t in node.targets if isinstance(t, ast.Tuple) for e in t.elts
                          if isinstance(e, ast.Name)]
            for name in names:
                if re.fullmatch(name_pattern, name):
                    found.setdefault(name, []).append(rel)
    return found


def test_every_exception_is_defined_in_errors_py() -> None:
    outside = []
    for rel, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and rel != "errors.py":
                bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                if bases & {"Exception", "ValueError", "RuntimeError", "OSError", "SkmError", "RefusedError",
                            "UsageError", "YamlProblem"} and not node.name.startswith("_"):
                    outside.append(f"{rel}:{node.name}")
    # A private control-flow signal that never leaves its module (fastyaml._Bail) is no error type.
    assert outside == []


def test_one_definition_of_each_shared_rule() -> None:
    defined = _defined(r"OPEN_STATUSES|_?OPEN|tiltak_label|format_path|is_empty|is_filled|_filled|CENTRAL|LOCAL"
                       r"|_case_of|case_id_of|Finding|CheckFinding|Deadline|pending_deadlines|OWNER_SAKSTYPER")
    assert defined.pop("format_path") == ["domain/merge.py", "domain/model.py"]  # merge's delegates to model's
    assert defined.pop("_OPEN", None) in (None, ["storage/filecache.py", "storage/safefile.py"])  # os.open flags
    assert defined == {
        "OPEN_STATUSES": ["domain/model.py"], "tiltak_label": ["domain/model.py"], "is_empty": ["domain/model.py"],
        "is_filled": ["domain/model.py"], "CENTRAL": ["domain/sides.py"], "LOCAL": ["domain/sides.py"],
        "case_id_of": ["domain/casepaths.py"], "Finding": ["errors.py"], "Deadline": ["domain/deadlines.py"],
        "OWNER_SAKSTYPER": ["domain/deadlines.py"], "pending_deadlines": ["services/overview.py"],
    }
