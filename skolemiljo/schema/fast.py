"""The ``schema`` check: every form error of a case file, with lines.

The case schema holds two kinds of rules: the *form* of a case (fields, types,
real dates) and the *status rules* (``allOf`` entries generated from
``requirements.RULES``, marked ``$comment: skm-regel …``). ``skm check``
reports the form here, under ``schema``, and the status rules under ``status``
(``checks.content``), each problem once. Together they cover exactly what
``skm validate`` reports.

Speed: a case that is valid is recognised by ``fastjsonschema`` (about 20×
faster than ``jsonschema``); only an invalid case is run through ``jsonschema``
to get every error with the Norwegian messages of ``skolemiljo.validation``.
The fast validator is used only when it supports every keyword in the schema,
and it is at least as strict as ``jsonschema`` (tests prove it on a corpus of
broken cases), so it can never hide an error.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Callable

from skolemiljo.domain.dates import is_date
from skolemiljo.domain.model import format_path
from skolemiljo.schema import messages

RULE_MARK = "skm-regel"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
# Keywords the fast validator handles with jsonschema's meaning for this schema.
_FAST_KEYWORDS = frozenset({
    "$schema", "$defs", "$ref", "$comment", "title", "description", "x-hjemmel", "type", "properties",
    "additionalProperties", "required", "items", "enum", "const", "pattern", "format", "anyOf", "allOf",
    "oneOf", "not", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "examples", "default",
})


@cache
def form_schema() -> dict[str, Any]:
    """The case schema without the generated status rules."""
    full = messages.case_schema()
    schema = {k: v for k, v in full.items() if k != "allOf"}
    others = [e for e in full.get("allOf", []) if not str(e.get("$comment", "")).startswith(RULE_MARK)]
    if others:
        schema["allOf"] = others
    return schema


def _keywords(node: Any, out: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(key)
            if key in ("properties", "$defs"):
                for sub in value.values():
                    _keywords(sub, out)
            elif key not in ("enum", "const", "required", "examples", "default", "description", "title"):
                _keywords(value, out)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, out)


_ANNOTATIONS = ("description", "title", "x-hjemmel", "$comment", "examples")


def _strip(node: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    """The schema without annotations and with local ``$ref``s written out.

    fastjsonschema calls a function per ``$ref`` and builds its error path with
    ``locals()`` even on success; inlining makes the common valid case ~3× faster.
    """
    if depth > 50:
        raise RecursionError("recursive $ref")
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs:
            merged = {**defs[ref[8:]], **{k: v for k, v in node.items() if k != "$ref"}}
            return _strip(merged, defs, depth + 1)
        out = {}
        for key, value in node.items():
            if key in _ANNOTATIONS or key == "$defs":
                continue
            if key == "properties":
                out[key] = {name: _strip(sub, defs, depth + 1) for name, sub in value.items()}
            else:
                out[key] = _strip(value, defs, depth + 1)
        return out
    if isinstance(node, list):
        return [_strip(v, defs, depth + 1) for v in node]
    return node


@cache
def fast_validator() -> Callable[[Any], Any] | None:
    """A compiled validator for the form schema, or None when it cannot be trusted."""
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - dependency missing: jsonschema alone
        return None
    schema = form_schema()
    used: set[str] = set()
    _keywords(schema, used)
    if not used <= _FAST_KEYWORDS:
        return None
    try:

        return fastjsonschema.compile(_strip(schema, schema.get("$defs", {})), formats={"date": is_date})
    except Exception:  # pragma: no cover - a schema it cannot compile: jsonschema alone
        return None


@cache
def slow_validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(form_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def is_valid_fast(data: Any) -> bool:
    """True when the fast validator accepts ``data`` (False: ask jsonschema)."""
    fast = fast_validator()
    if fast is None:
        return False
    try:
        fast(data)
    except Exception:
        return False
    return True


@cache
def field_names() -> frozenset[str]:
    """Every field name the case schema knows: the only keys a message may quote."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    names.update(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(messages.case_schema())
    return frozenset(names)


def _safe(error: Any, path: tuple[Any, ...], message: str) -> tuple[tuple[Any, ...], str]:
    """Keep user-typed values out of messages: only known field names, paths and dates."""
    if error.validator == "format":
        instance = error.instance
        if not (isinstance(instance, str) and _ISO.fullmatch(instance)):
            return path, f"{format_path(path)}: er ikke en gyldig dato"
    if error.validator == "additionalProperties" and path and path[-1] not in field_names():
        return path, f"{format_path(path[:-1])}: ukjent felt på denne linjen (skrivefeil?)"
    return path, message


def form_errors(data: Any) -> list[tuple[tuple[Any, ...], str, bool]]:
    """``(path, message, missing)`` for every form error of ``data``; empty when valid.

    ``missing`` marks "the field is empty" errors (null where a value belongs, a missing
    required field), which the ``status`` check may already report.
    """
    if not isinstance(data, dict):
        return [((), "fila er ikke en sak (forventet et sett med felt øverst)", False)]
    if is_valid_fast(data):
        return []
    errors = list(slow_validator().iter_errors(data))
    found: list[tuple[tuple[Any, ...], str, bool]] = []
    for error in messages.flatten_errors(errors):
        missing = error.validator == "required" or (error.validator == "type" and error.instance is None)
        for path, message in messages.error_messages(error, False):
            found.append((*_safe(error, tuple(path), message), missing))
    return found


_QUOTED = re.compile(r"«([^»]*)»")


def safe_yaml_message(message: str) -> str:
    """A YAML error message without quoted user text (duplicate keys name the key)."""
    return _QUOTED.sub(lambda m: m.group(0) if m.group(1) in field_names() else "«…»", message)
