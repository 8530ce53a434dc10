"""The PyYAML half of ``yamlio``: the strict loader, line numbers and the canonical dumper.

Imported only when a file leaves the fast reader's canonical subset or a file is written
(PyYAML's import costs ~15 ms at every start of a read command such as ``skm show``).
Use it through ``yamlio``.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from skolemiljo.storage.yamlbase import TIMESTAMP_TAG, Path_, YamlProblem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _without_timestamps(resolvers: dict) -> dict:
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag != TIMESTAMP_TAG]
        for first, entries in resolvers.items()
    }


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader without timestamps, duplicate keys or aliases."""

    yaml_implicit_resolvers = _without_timestamps(_BaseLoader.yaml_implicit_resolvers)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise YamlProblem(
                "YAML-ankre og -aliaser (& og *) er ikke tillatt i saksfiler; skriv verdien ut på nytt.",
                node.start_mark.line + 1,
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem("YAML-fletting (<<) er ikke tillatt i saksfiler.", key_node.start_mark.line + 1)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                # Name the field only when it looks like one: a key may be case text (a name).
                named = f"Feltet «{key}»" if isinstance(key, str) and _FIELD_NAME.fullmatch(key) else "Et felt"
                raise YamlProblem(
                    f"{named} står to ganger (linje {seen[key]} og {line}); bare ett kan gjelde.", line
                )
            seen[key] = line
        return super().construct_mapping(node, deep=True)


def _refuse_tag(loader: StrictLoader, node: yaml.Node) -> Any:
    """YAML 1.1 types a case never holds and JSON cannot show (``!!binary``, ``!!timestamp``, ``!!set``…)."""
    raise YamlProblem(
        f"Ugyldig YAML: taggen {node.tag.replace('tag:yaml.org,2002:', '!!')} er ikke tillatt i saksfiler.",
        node.start_mark.line + 1,
    )


for _tag in ("binary", "timestamp", "set", "omap", "pairs"):
    StrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


class _LineLoader(StrictLoader):
    """Used only to compose nodes for line numbers."""


NESTED_TOO_DEEP = "Fila er nøstet for dypt til å være en saksfil."

_PROBLEM_TRANSLATIONS = (
    ("could not determine a constructor for the tag", "ukjent eller usikker YAML-tagg er ikke tillatt"),
    ("found duplicate anchor", "YAML-ankre er ikke tillatt"),
    ("found undefined alias", "YAML-aliaser er ikke tillatt"),
    ("mapping values are not allowed", "kolon på feil sted; sett teksten i anførselstegn"),
    ("could not find expected ':'", "mangler kolon etter et feltnavn"),
    ("did not find expected key", "feil innrykk eller et felt uten navn"),
    ("found unexpected end of stream", "fila slutter midt i en verdi (mangler avsluttende anførselstegn?)"),
    ("found unexpected ':'", "kolon på feil sted; sett teksten i anførselstegn"),
    ("special characters are not allowed", "fila inneholder kontrolltegn eller binære data"),
    ("unacceptable character", "fila inneholder kontrolltegn eller binære data"),
    ("expected <block end>", "feil innrykk"),
    ("while scanning a simple key", "feil innrykk eller et felt uten kolon"),
    ("did not find expected", "ugyldig YAML-struktur"),
)


def _translate(error: yaml.YAMLError, text: str) -> YamlProblem:
    if isinstance(error, yaml.reader.ReaderError):
        line = text[: error.position].count("\n") + 1
        return YamlProblem("Ugyldig YAML: fila inneholder kontrolltegn eller binære data.", line)
    problem = getattr(error, "problem", None) or ""
    context = getattr(error, "context", None) or ""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    written = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "\t" in written and ("cannot start any token" in problem or "\\t" in problem or "tab character" in problem):
        return YamlProblem("Ugyldig YAML: tabulator (tab) er brukt; bruk mellomrom til innrykk.", line)
    if "nesting depth" in problem:  # PyYAML ≥ 6.0.3 stops deep nesting itself (older versions: RecursionError)
        return YamlProblem(NESTED_TOO_DEEP, 1)
    text = f"{context} {problem}"
    for needle, norwegian in _PROBLEM_TRANSLATIONS:
        if needle in text:
            return YamlProblem(f"Ugyldig YAML: {norwegian}.", line)
    return YamlProblem("Ugyldig YAML: fila kan ikke leses (se linjen som er nevnt).", line)


def load(text: str) -> Any:
    """Parse one YAML document strictly; raises ``YamlProblem``."""
    if "\x00" in text:
        raise YamlProblem("Fila inneholder binære data (NUL-tegn).", text[: text.index("\x00")].count("\n") + 1)
    loader = StrictLoader(text)
    try:
        return loader.get_single_data()
    except YamlProblem:
        raise
    except yaml.YAMLError as error:
        raise _translate(error, text) from None
    except RecursionError:
        raise YamlProblem(NESTED_TOO_DEEP, 1) from None
    finally:
        loader.dispose()


def line_map(text: str) -> dict[Path_, int]:
    """Map every path in the document to the 1-based line where it is written.

    For a mapping entry the line of its key; for a sequence item the line of
    the item. The root maps to the line of the first key.
    """
    loader = _LineLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return {}
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    if root is None:
        return lines
    lines[()] = root.start_mark.line + 1
    stack: list[tuple[Path_, yaml.Node]] = [((), root)]
    visited: set[int] = set()  # an alias repeats a node: walk it once (no "billion laughs")
    while stack:
        path, node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                child = path + (key_node.value,)
                lines[child] = key_node.start_mark.line + 1
                stack.append((child, value_node))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = path + (index,)
                lines[child] = item.start_mark.line + 1
                stack.append((child, item))
    return lines


class CanonicalDumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Block style; dates unquoted; anything ambiguous quoted; never an anchor (the reader refuses them)."""

    yaml_implicit_resolvers = _without_timestamps(_BaseDumper.yaml_implicit_resolvers)

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _DatesQuotedDumper(CanonicalDumper):
    """Also quotes a string that YAML 1.1 reads as a date, such as ``'2026-08-17'``."""

    yaml_implicit_resolvers = _BaseDumper.yaml_implicit_resolvers


# Numbers in YAML 1.2 (what editors' yaml-language-server reads) that YAML 1.1 reads as text,
# such as ``1e3`` and ``0o17``: quoted too, so an editor does not flag a text field as a number.
_YAML12_NUMBER = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if _YAML12_NUMBER.fullmatch(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_list_in_flow(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    """``[41, 42]`` on one line when the list holds only numbers and strings."""
    flow = bool(value) and all(isinstance(v, (int, str)) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


CanonicalDumper.add_representer(str, _represent_str)

_DUMPERS: dict[tuple[bool, bool], type] = {}


def _dumper(flow_lists: bool, quote_dates: bool) -> type:
    """CanonicalDumper, or a subclass with the layout options (made once)."""
    if not flow_lists and not quote_dates:
        return CanonicalDumper
    key = (flow_lists, quote_dates)
    if key not in _DUMPERS:
        dumper = type("LayoutDumper", (_DatesQuotedDumper if quote_dates else CanonicalDumper,), {})
        if flow_lists:
            dumper.add_representer(list, _represent_list_in_flow)
        _DUMPERS[key] = dumper
    return _DUMPERS[key]


def dump(data: Any, header: str | None = None, *, width: int = 10_000, flow_lists: bool = False,
         quote_dates: bool = False) -> str:
    """Serialise ``data`` canonically; ``header`` lines go first as comments (see ``yamlio.dump``)."""
    body = yaml.dump(
        data,
        Dumper=_dumper(flow_lists, quote_dates),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=width,
        indent=2,
    )
    if header:
        return header.rstrip("\n") + "\n" + body
    return body
