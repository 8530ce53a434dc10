"""Where skm's own files are: schemas, templates and the årshjul ``skm init`` writes.

Installed from a wheel, schemas and templates live in ``skolemiljo/_data``; in a source
checkout (editable install, tests) they are read from the repository's top level, where
the repository's own cases use them too. The årshjul is skm's alone: it lives in the
package (``skolemiljo/data/arshjul.yaml``) either way.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # skolemiljo/


@cache
def data_root() -> Path:
    packaged = _PACKAGE / "_data"
    if (packaged / "schemas").is_dir():
        return packaged
    return _PACKAGE.parent


def schema_path(name: str = "case.schema.json") -> Path:
    return data_root() / "schemas" / name


def schemas_dir() -> Path:
    return data_root() / "schemas"


def templates_dir() -> Path:
    return data_root() / "templates"


def arshjul_path() -> Path:
    """The two schools' routines that ``skm init`` puts in a new ``calendar.yaml``."""
    return _PACKAGE / "data" / "arshjul.yaml"
