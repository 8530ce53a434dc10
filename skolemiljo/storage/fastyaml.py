"""A fast reader for case files in skm's canonical YAML form.

``yamlio.load`` (PyYAML's strict loader) costs about 1 ms for a typical case;
at 10,000 cases that alone breaks ``skm check``'s time budget. Nearly every case
file is written by skm itself (``cases.case_document``): block style, two-space
indentation, plain or single-quoted scalars, ``|`` for multi-line text. This
module reads exactly that subset about ten times faster and returns ``None``
for anything outside it (flow collections, anchors, tags, numbers, escapes,
comments after values, odd indentation, tabs, duplicate keys, ...); the caller
then falls back to the strict loader, which produces the same data or the
proper error message.

The contract, proved by tests (including property tests): whenever
``parse(text)`` returns a result, its data equals ``yamlio.load(text)`` and its
line map equals ``yamlio.line_map(text)``.
"""

from __future__ import annotations

import re
from typing import Any

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_BOOL_VALUES = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
# PyYAML's implicit resolvers (yaml/resolver.py, YAML 1.1) in the order PyYAML adds them, without
# timestamps, as ``yamlstrict.StrictLoader`` has them; a test proves the tables equal. A copy, so
# that reading a canonical file does not import PyYAML (~15 ms at every start of `skm show`).
_RESOLVER_TABLE: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    (_BOOL, r"""^(?:yes|Yes|YES|no|No|NO
                    |true|True|TRUE|false|False|FALSE
                    |on|On|ON|off|Off|OFF)$""", re.X, tuple("yYnNtTfFoO")),
    ("tag:yaml.org,2002:float", r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""", re.X, tuple("-+0123456789.")),
    ("tag:yaml.org,2002:int", r"""^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""", re.X, tuple("-+0123456789")),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", 0, ("<",)),
    (_NULL, r"""^(?: ~
                    |null|Null|NULL
                    | )$""", re.X, ("~", "n", "N", "")),
    ("tag:yaml.org,2002:value", r"^(?:=)$", 0, ("=",)),
    ("tag:yaml.org,2002:yaml", r"^(?:!|&|\*)$", 0, tuple("!&*")),
)
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _flags, _firsts in _RESOLVER_TABLE:
    for _first in _firsts:
        _RESOLVERS.setdefault(_first, []).append((_tag, re.compile(_pattern, _flags)))
# Characters PyYAML refuses or treats as line breaks: leave such files to it.
# Written as the few characters that are awkward, not as the many that are fine: the same set
# (a test compares every code point), but compiled in 1 ms instead of 7.
_AWKWARD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_PLAIN_FIRST_BAD = frozenset("-?:,[]{}#&*!|>'\"%@`")


class _Bail(Exception):
    """The text leaves the canonical subset."""


def resolve(value: str) -> str:
    """The tag PyYAML's strict loader gives a plain scalar ``value``."""
    for tag, regexp in _RESOLVERS.get(value[:1] if value else "", ()):
        if regexp.match(value):
            return tag
    return _STR


# One line: indent, "- ", key (with its colon), and the rest.
_LINE = re.compile(r"^( *)(- +)?(?:([A-Za-z_][A-Za-z0-9_]*):(?: +|$))?(.*)$", re.M)
# First characters of a plain scalar that can only be read as text: no indicator, no resolver.
_NOT_TEXT_FIRST = frozenset(_PLAIN_FIRST_BAD | set(_RESOLVERS) | {" "})
_KEY_TAGS: dict[str, str] = {}
_SCALAR_TAGS: dict[str, str] = {}  # short plain scalars (dates, enum words) repeat across files


def _key_tag(key: str) -> str:
    tag = _KEY_TAGS[key] = resolve(key)
    return tag


class _Reader:
    """Recursive descent over pre-split lines: ``(indent, dash, key, rest)`` each."""

    __slots__ = ("text", "tok", "n", "raw", "lines")

    def __init__(self, text: str, tok: list[tuple[str, str, str, str]]) -> None:
        self.text = text
        self.tok = tok
        self.n = len(tok)
        self.raw: list[str] | None = None
        self.lines: dict[Path_, int] = {}

    def skip(self, i: int) -> int:
        """Index of the next significant line (not blank, not a comment)."""
        tok, n = self.tok, self.n
        while i < n:
            _indent, dash, key, rest = tok[i]
            if dash or key or (rest and rest[0] != "#"):
                return i
            i += 1
        return i

    def mapping(self, col: int, path: Path_, i: int, inline: bool) -> tuple[dict[str, Any], int]:
        tok, n, lines = self.tok, self.n, self.lines
        not_text_first = _NOT_TEXT_FIRST
        result: dict[str, Any] = {}
        while True:
            if inline:
                _indent, _dash, key, rest = tok[i]
                inline = False
            else:
                while i < n:
                    indent_s, dash, key, rest = tok[i]
                    if dash or key or (rest and rest[0] != "#"):
                        break
                    i += 1
                else:
                    return result, i
                indent = len(indent_s)
                if indent < col:
                    return result, i
                if indent > col or dash or not key:
                    raise _Bail
            if key in result or (_KEY_TAGS.get(key) or _key_tag(key)) != _STR:
                raise _Bail
            child = path + (key,)
            lines[child] = i + 1
            if rest:
                if (rest[0] not in not_text_first and rest[-1] != " " and rest[-1] != ":"
                        and ": " not in rest and " #" not in rest):
                    result[key] = rest  # the common case: plain text that can only be text
                    i += 1
                else:
                    result[key], i = self.scalar(rest, col, i + 1)
            else:
                result[key], i = self.nested(col, child, i + 1)

    def nested(self, col: int, path: Path_, i: int) -> tuple[Any, int]:
        """The value of ``key:`` with nothing after the colon."""
        j = self.skip(i)
        if j >= self.n:
            return None, j
        indent_s, dash, _key, _rest = self.tok[j]
        indent = len(indent_s)
        if indent > col:
            return self.sequence(indent, path, j) if dash else self.mapping(indent, path, j, False)
        if indent == col and dash:
            return self.sequence(col, path, j)
        return None, j

    def sequence(self, col: int, path: Path_, i: int) -> tuple[list[Any], int]:
        tok, n, lines = self.tok, self.n, self.lines
        result: list[Any] = []
        while True:
            i = self.skip(i)
            if i >= n:
                return result, i
            indent_s, dash, key, rest = tok[i]
            indent = len(indent_s)
            if indent != col or not dash:
                if indent > col:
                    raise _Bail
                return result, i
            child = path + (len(result),)
            lines[child] = i + 1
            if key:
                value, i = self.mapping(col + len(dash), child, i, True)
            else:
                if not rest or rest[0] == "|":
                    raise _Bail
                value, i = self.scalar(rest, col, i + 1)
            result.append(value)

    def scalar(self, text: str, col: int, i: int) -> tuple[Any, int]:
        """A scalar written after ``key: `` or ``- ``; ``i`` is the next line's index."""
        first = text[0]
        if first == "'":
            parts = []
            start = 1
            while True:
                end = text.find("'", start)
                if end == -1:
                    raise _Bail
                if text[end + 1:end + 2] == "'":
                    parts.append(text[start:end + 1])
                    start = end + 2
                    continue
                parts.append(text[start:end])
                if text[end + 1:].strip(" "):
                    raise _Bail
                return "".join(parts), i
        if first == '"':
            end = text.find('"', 1)
            if end == -1 or "\\" in text or text[end + 1:].strip(" "):
                raise _Bail
            return text[1:end], i
        if first in _PLAIN_FIRST_BAD:
            if text == "[]" or text == "{}":
                return ([] if text == "[]" else {}), i
            if first == "|":
                return self.block(text.rstrip(" "), col, i)
            raise _Bail
        if ": " in text or " #" in text:
            raise _Bail
        value = text.rstrip(" ")
        if value[-1] == ":":
            raise _Bail
        if first not in _RESOLVERS:
            return value, i
        tag = _SCALAR_TAGS.get(value)
        if tag is None:
            tag = resolve(value)
            if len(value) <= 12:
                if len(_SCALAR_TAGS) > 100_000:
                    _SCALAR_TAGS.clear()
                _SCALAR_TAGS[value] = tag
        if tag == _STR:
            return value, i
        if tag == _NULL:
            return None, i
        if tag == _BOOL:
            return _BOOL_VALUES[value.lower()], i
        raise _Bail

    def block(self, header: str, col: int, j: int) -> tuple[str, int]:
        """A literal block scalar (``|``, ``|-``, ``|+``) under a key at column ``col``."""
        chomp = header[1:]
        if chomp not in ("", "-", "+"):
            raise _Bail
        raw = self.raw
        if raw is None:
            raw = self.raw = self.text.split("\n")
        n = self.n
        if j >= n:
            raise _Bail
        first = raw[j]
        stripped = first.lstrip(" ")
        width = len(first) - len(stripped)
        if not stripped or width <= col:
            raise _Bail
        parts: list[str] = []
        while j < n:
            line = raw[j]
            stripped = line.lstrip(" ")
            if not stripped:
                if len(line) > width:
                    raise _Bail
                parts.append("")
                j += 1
                continue
            indent = len(line) - len(stripped)
            if indent < width:
                if indent > col:
                    raise _Bail
                break
            parts.append(line[width:])
            j += 1
        trailing = 0
        while parts and parts[-1] == "":
            parts.pop()
            trailing += 1
        body = "\n".join(parts)
        if chomp == "-":
            return body, j
        if chomp == "+":
            return body + "\n" + "\n" * trailing, j
        return body + "\n", j


def parse(text: str) -> tuple[dict[str, Any], dict[Path_, int]] | None:
    """``(data, line map)`` for a canonical case file, or ``None`` to use the strict loader."""
    if not text.endswith("\n") or _AWKWARD.search(text):
        return None
    body = text[:-1]
    tok = _LINE.findall(body)
    if len(tok) != body.count("\n") + 1:
        return None
    reader = _Reader(body, tok)
    try:
        first = reader.skip(0)
        if first >= reader.n or tok[first][0] or tok[first][1] or not tok[first][2]:
            return None
        data, end = reader.mapping(0, (), first, False)
        if reader.skip(end) < reader.n or not data:
            return None
    except _Bail:
        return None
    reader.lines[()] = first + 1
    return data, reader.lines
