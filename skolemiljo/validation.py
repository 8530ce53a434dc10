"""Schema validation of case records, with Norwegian messages and line numbers.

Every error is reported (not only the first) as a ``Finding``:
``cases/2026-0007.yaml:23: [schema] aktivitetsplan.tiltak[0].evalueres: mangler (§ 12-4 tredje ledd bokstav e)``.
Messages name fields and legal grounds, never a value typed into a text field:
the output is safe for CI logs.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from . import requirements, yamlio
from .errors import Finding
from .resources import schema_path

_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")

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
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(case_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def format_path(path: tuple[Any, ...] | list[Any]) -> str:
    """``aktivitetsplan.tiltak[0].evalueres``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(saken)"


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


def _message(error: Any, in_rule: bool) -> list[tuple[tuple[Any, ...], str]]:
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
                if _FIELD_NAME.fullmatch(name) else
                (path + (name,), f"{format_path(path)}: ukjent felt på denne linjen (skrivefeil?)")
                for name in unknown]
    if kind == "uniqueItems":
        return [(path, f"{format_path(path)}: samme verdi står flere ganger")]
    if kind == "minItems":
        return [(path, f"{format_path(path)}: må ha minst {error.validator_value}")]
    if kind == "anyOf":
        return [(path, f"{format_path(path)}: må være en gyldig dato (ÅÅÅÅ-MM-DD) eller null")]
    return [(path, f"{format_path(path)}: ugyldig verdi")]


def surely_valid(data: dict[str, Any]) -> bool:
    """True when the fast validators find nothing; then jsonschema finds nothing either.

    The case schema is the form (``checks.schema_check.form_schema``, which ``fastjsonschema``
    checks at least as strictly as jsonschema) plus status rules generated from
    ``requirements`` (the ``in_schema`` rules, evaluated here in Python). Tests prove the shortcut on
    every single-place breakage of the example cases. ~20× faster than jsonschema, which is
    then asked only for the messages of a case that has errors.
    """
    from .checks.schema_check import is_valid_fast

    status = data.get("status")
    if not is_valid_fast(data) or not isinstance(status, str):
        return False
    return not any(rule.in_schema and rule.applies(data, status) and requirements.violations(rule, data)
                   for rule in requirements.EFFECTIVE_RULES)


def schema_findings(data: Any, text: str, file: str) -> list[Finding]:
    """Every schema error in ``data`` as findings with lines."""
    if not isinstance(data, dict):
        return [Finding(file, 1, "schema", "fila er ikke en sak (forventet et sett med felt øverst)")]
    if surely_valid(data):
        return []
    errors = list(_validator().iter_errors(data))
    if not errors:
        return []
    lines = yamlio.line_map(text)
    seen: set[tuple[int, str]] = set()
    findings: list[Finding] = []
    for error in _flatten(errors):
        schema_path = list(error.schema_path)
        in_rule = bool(schema_path) and schema_path[0] == "allOf"
        for path, message in _message(error, in_rule):
            line = yamlio.line_for(lines, path)
            if (line, message) not in seen:
                seen.add((line, message))
                findings.append(Finding(file, line, "schema", message))
    findings.sort(key=lambda f: (f.line, f.message))
    return findings


def _flatten(errors: list[Any]) -> list[Any]:
    """Replace ``anyOf`` errors on dates with their most useful child."""
    out = []
    for error in errors:
        if error.validator == "anyOf" and error.context:
            useful = [e for e in error.context if e.validator in ("format", "pattern")]
            out.extend(useful[:1] or [error])
        else:
            out.append(error)
    return out


def rule_findings(data: dict[str, Any], text: str, file: str) -> list[Finding]:
    """Status rules that only Python can check (dates in order)."""
    status = data.get("status")
    findings = []
    lines: dict | None = None
    for rule in requirements.EFFECTIVE_RULES:
        if rule.in_schema or not isinstance(status, str) or not rule.applies(data, status):
            continue
        items = requirements._at(data, rule.path)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if requirements.violations(rule, {**data, "aktivitetsplan": {"tiltak": [item]}}):
                lines = lines if lines is not None else yamlio.line_map(text)
                where = rule.path + (index, "til")
                findings.append(Finding(file, yamlio.line_for(lines, where), "schema",
                                        f"{format_path(where)}: er før fra ({rule.ground})"))
    return findings


def validate_record(data: Any, text: str, file: str) -> list[Finding]:
    """Schema errors plus the Python-only status rules."""
    findings = schema_findings(data, text, file)
    if isinstance(data, dict):
        findings += rule_findings(data, text, file)
        findings.sort(key=lambda f: (f.line, f.message))
    return findings


def validate_text(text: str, file: str) -> tuple[Any, list[Finding]]:
    """Parse and validate one case document; ``(data or None, findings)``."""
    try:
        data = yamlio.load(text)
    except yamlio.YamlProblem as problem:
        return None, [Finding(file, problem.line, "yaml", problem.message)]
    return data, validate_record(data, text, file)


def validate_bytes(raw: bytes, file: str) -> tuple[Any, list[Finding]]:
    try:
        text = yamlio.decode(raw)
    except yamlio.YamlProblem as problem:
        return None, [Finding(file, problem.line, "yaml", problem.message)]
    return validate_text(text, file)
