"""What the YAML reader (``yamlio``) and its PyYAML half (``yamlstrict``) share."""

from __future__ import annotations


Path_ = tuple[str | int, ...]

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class YamlProblem(Exception):
    """A file that cannot be read as a case document; ``line`` is 1-based."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
