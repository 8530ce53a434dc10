"""The case schema and jsonschema's errors in Norwegian: field paths and legal grounds, never values.

``validation`` (every finding of a case) and ``fast`` (the ``schema`` check) both word their
messages here, so a problem reads the same in ``skm validate`` and ``skm check``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from skolemiljo.domain.model import FIELD_NAME, format_path
from skolemiljo.domain.text import ONE_LINE_PATTERN, TEXT_PATTERN
from skolemiljo.storage.resources import schema_path

_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")

_TYPE_NAMES = {
    "string": "tekst",
    "object": "et sett med felt",
    "array": "en liste",
    "boolean": "ja/nei (true/false)",
    "null": "tom (null)",
    "integer": "et heltall",
    "number": "et tall",
}


@cache
def case_schema() -> dict[str, Any]:
    with open(schema_path(), encoding="utf-8") as handle:
        return json.load(handle)


@cache
def validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(case_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        merged = dict(case_schema()["$defs"][ref.rsplit("/", 1)[1]])
        merged.update({k: v for k, v in schema.items() if k != "$ref"})
        return merged
    return schema


def _subschema(path: tuple[Any, ...]) -> dict[str, Any] | None:
    """The base schema's subschema describing ``path`` (None when unknown)."""
    schema: dict[str, Any] = case_schema()
    for part in path:
        schema = _resolve(schema)
        if isinstance(part, int):
            schema = schema.get("items")
        else:
            schema = schema.get("properties", {}).get(part)
        if not isinstance(schema, dict):
            return None
    return _resolve(schema)


def hjemmel_for(path: tuple[Any, ...]) -> str | None:
    """The legal ground (``x-hjemmel``) of the field at ``path``, if it has one."""
    schema = _subschema(path)
    return schema.get("x-hjemmel") if schema else None


def _missing(path: tuple[Any, ...], extra: str = "") -> str:
    ground = hjemmel_for(path)
    text = f"{format_path(path)}: mangler{extra}"
    return f"{text} ({ground})" if ground else text


def _type_message(error: Any) -> str:
    expected = error.validator_value
    expected = expected if isinstance(expected, list) else [expected]
    names = " eller ".join(_TYPE_NAMES.get(t, t) for t in expected if t != "null")
    instance = error.instance
    path = format_path(tuple(error.absolute_path))
    if "string" in expected and isinstance(instance, bool):
        return (f"{path}: forventet tekst, men YAML leste en ja/nei-verdi "
                "(yes/no/on/off/true/false); sett teksten i anførselstegn")
    if "string" in expected and isinstance(instance, (int, float)):
        return (f"{path}: forventet tekst, men YAML leste et tall "
                "(for eksempel 0150 eller 12:30); sett teksten i anførselstegn")
    if instance is None:
        return _missing(tuple(error.absolute_path))
    return f"{path}: forventet {names}"


def error_messages(error: Any, in_rule: bool) -> list[tuple[tuple[Any, ...], str]]:
    """``(path, message)`` pairs for one jsonschema error."""
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        return [(path, _missing(path + (name,))) for name in error.validator_value if name not in present]
    if in_rule:
        if kind == "minItems":
            return [(path, _missing(path, " (minst én)"))]
        return [(path, _missing(path))]
    if kind == "type":
        return [(path, _type_message(error))]
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return [(path, f"{format_path(path)}: ugyldig verdi; lovlige verdier er {allowed}")]
    if kind == "format" and error.validator_value == "date":
        if isinstance(error.instance, str) and _DATE_SHAPE.fullmatch(error.instance):
            return [(path, f"{format_path(path)}: {error.instance} er ikke en gyldig dato")]
        # Not date-shaped: never echo it (it may be a name); the pattern error says the same.
        return [(path, f"{format_path(path)}: datoen må skrives som ÅÅÅÅ-MM-DD")]
    if kind == "pattern":
        if error.validator_value == ONE_LINE_PATTERN:
            return [(path, f"{format_path(path)}: kan ikke ha linjeskift eller kontrolltegn (feltet står på én linje)")]
        if error.validator_value == TEXT_PATTERN:
            return [(path, f"{format_path(path)}: har et kontrolltegn; fjern det")]
        if error.validator_value.startswith("^\\d{4}-\\d{2}"):
            return [(path, f"{format_path(path)}: datoen må skrives som ÅÅÅÅ-MM-DD")]
        if path and path[-1] == "id" and len(path) > 1:
            return [(path, f"{format_path(path)}: tiltaks-id må være T1, T2, …")]
        if path == ("id",):
            return [(path, "id: må være årstall og løpenummer, for eksempel 2026-0007")]
        return [(path, f"{format_path(path)}: ugyldig verdi")]
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        unknown = sorted(str(k) for k in error.instance if k not in allowed)
        # A key that does not look like a field name may be case text (a name): name only its line.
        return [(path + (name,), f"{format_path(path + (name,))}: ukjent felt (skrivefeil?)")
                if FIELD_NAME.fullmatch(name) else
                (path + (name,), f"{format_path(path)}: ukjent felt på denne linjen (skrivefeil?)")
                for name in unknown]
    if kind == "uniqueItems":
        return [(path, f"{format_path(path)}: samme verdi står flere ganger")]
    if kind == "minItems":
        return [(path, f"{format_path(path)}: må ha minst {error.validator_value}")]
    if kind == "anyOf":
        return [(path, f"{format_path(path)}: må være en gyldig dato (ÅÅÅÅ-MM-DD) eller null")]
    return [(path, f"{format_path(path)}: ugyldig verdi")]


def flatten_errors(errors: list[Any]) -> list[Any]:
    """Replace ``anyOf`` errors on dates with their most useful child."""
    out = []
    for error in errors:
        if error.validator == "anyOf" and error.context:
            useful = [e for e in error.context if e.validator in ("format", "pattern")]
            out.extend(useful[:1] or [error])
        else:
            out.append(error)
    return out
