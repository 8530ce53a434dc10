"""Safe YAML in and out.

Reading is strict: duplicate keys, anchors/aliases, custom tags, tabs, non-UTF-8
bytes and oversized files are rejected with a Norwegian message and a line
number, never silently accepted. Dates stay strings (``2026-10-12``) so the
JSON Schema's ``format: date`` can reject ``2026-02-30``; YAML 1.1 booleans and
numbers (``no``, ``0150``, ``12:30``) still resolve to non-strings so that a
value the user meant as text is reported instead of quietly changed.

Writing is canonical: block style, UTF-8 (æøå as themselves), and any string
that would read back as something else is quoted.

PyYAML does the work in ``yamlstrict``, imported on first use: a command that
reads only files skm wrote (``checks.fastyaml``) never loads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skolemiljo.storage.safefile import read_regular, too_large
from skolemiljo.storage.yamlbase import TIMESTAMP_TAG, Path_, YamlProblem  # noqa: F401  (this module's API)

MAX_FILE_BYTES = 1_000_000
"""A case file larger than this is refused, when read and before it is written (a real case is a few kB)."""


def read_file(path: str | Path) -> bytes:
    """A case file's bytes: a regular file, not a symlink, FIFO or folder, within the size limit."""
    return read_regular(path, MAX_FILE_BYTES)


def too_large_message(size: int) -> str:
    return too_large(size, MAX_FILE_BYTES)


def decode(raw: bytes) -> str:
    """Bytes to text: size limit and strict UTF-8."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(too_large_message(len(raw)), 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlProblem("Fila er ikke gyldig UTF-8; lagre den som UTF-8.", line) from None


def load(text: str) -> Any:
    """Parse one YAML document strictly; raises ``YamlProblem``."""
    from skolemiljo.storage import yamlstrict

    return yamlstrict.load(text)


def load_bytes(raw: bytes) -> Any:
    return load(decode(raw))




def line_map(text: str) -> dict[Path_, int]:
    """Map every path in the document to the 1-based line where it is written.

    For a mapping entry the line of its key; for a sequence item the line of
    the item. The root maps to the line of the first key.
    """
    from skolemiljo.storage import yamlstrict

    return yamlstrict.line_map(text)


def line_for(lines: dict[Path_, int], path: Path_) -> int:
    """The line of ``path``, or of its nearest written ancestor."""
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), 1)


def dump(data: Any, header: str | None = None, *, width: int = 10_000, flow_lists: bool = False,
         quote_dates: bool = False) -> str:
    """Serialise ``data`` canonically; ``header`` lines go first as comments.

    Case files keep the defaults: every value on one line, block lists, dates unquoted (skm
    reads them as text). Files that people edit by hand and other YAML tools read
    (``calendar.yaml``) may ask for lines folded at ``width``, short lists in flow style
    (``flow_lists``: ``uker: [41, 42]``) and date strings quoted (``quote_dates``:
    ``'2026-08-17'``, so that a YAML 1.1 reader sees a string, as the schema says). The
    quoting rules are the same either way.
    """
    from skolemiljo.storage import yamlstrict

    return yamlstrict.dump(data, header, width=width, flow_lists=flow_lists, quote_dates=quote_dates)
