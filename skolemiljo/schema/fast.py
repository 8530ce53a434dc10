"""The ``schema`` check: every form error of a case file, with lines.

The case schema holds two kinds of rules: the *form* of a case (fields, types,
real dates) and the *status rules* (``allOf`` entries generated from
``requirements.RULES``, marked ``$comment: skm-regel …``). ``skm check``
reports the form here, under ``schema``, and the status rules under ``status``
(``checks.content``), each problem once. Together they cover exactly what
``skm validate`` reports.

Speed: a case that is valid is recognised by ``jsonschema-rs`` (a compiled validator,
about 25× faster than ``jsonschema`` and 5× faster than ``fastjsonschema``, which skm used
before); only an invalid case is run through ``jsonschema`` to get every error with the
Norwegian messages of ``schema.messages``. The fast validator only ever says yes or no, and it
is at least as strict as ``jsonschema`` (differential tests on a corpus of broken cases and on
the values where the two libraries could differ: non-ASCII digits, dates, numbers), so it can
never hide an error: a "no" only sends the case to ``jsonschema``.
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


@cache
def form_schema() -> dict[str, Any]:
    """The case schema without the generated status rules."""
    full = messages.case_schema()
    schema = {k: v for k, v in full.items() if k != "allOf"}
    others = [e for e in full.get("allOf", []) if not str(e.get("$comment", "")).startswith(RULE_MARK)]
    if others:
        schema["allOf"] = others
    return schema


@cache
def fast_validator(full: bool = False) -> Callable[[Any], bool] | None:
    """``is_valid`` of a compiled validator for the form schema (``full``: the whole case schema,
    status rules included), or None when jsonschema-rs is missing or cannot compile it."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - dependency missing: jsonschema alone
        return None
    schema = messages.case_schema() if full else form_schema()
    try:
        # format: date as skm and jsonschema read it (RFC 3339 alone would allow year 0000)
        return jsonschema_rs.validator_for(schema, validate_formats=True, formats={"date": is_date}).is_valid
    except Exception:  # pragma: no cover - a schema it cannot compile: jsonschema alone
        return None


@cache
def slow_validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(form_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def is_valid_fast(data: Any, full: bool = False) -> bool:
    """True when the fast validator accepts ``data`` (False: ask jsonschema); ``full``: against the
    whole case schema. A value JSON has no type for (a YAML date, a set) is a "no"."""
    fast = fast_validator(full)
    if fast is None:
        return False
    try:
        return bool(fast(data))
    except Exception:
        return False


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
