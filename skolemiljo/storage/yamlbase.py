"""What the YAML reader (``yamlio``) and its PyYAML half (``yamlstrict``) share."""

from __future__ import annotations

from skolemiljo.errors import YamlProblem  # noqa: F401  (the readers' error; defined in errors.py)

Path_ = tuple[str | int, ...]

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
