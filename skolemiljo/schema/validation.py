"""Schema validation of case records, with Norwegian messages and line numbers.

Every error is reported (not only the first) as a ``Finding``:
``cases/2026-0007.yaml:23: [schema] aktivitetsplan.tiltak[0].evalueres: mangler (<hjemmel>)``.
Messages name fields and legal grounds, never a value typed into a text field:
the output is safe for CI logs.
"""

from __future__ import annotations

from typing import Any

from skolemiljo.domain import requirements
from skolemiljo.errors import Finding
from skolemiljo.storage import yamlio
from skolemiljo.schema.fast import is_valid_fast
from skolemiljo.domain.model import format_path
from skolemiljo.schema.messages import error_messages, flatten_errors, validator
from skolemiljo.schema.messages import case_schema, hjemmel_for  # noqa: F401  (part of this module's API)

def surely_valid(data: dict[str, Any]) -> bool:
    """True when the fast validators find nothing; then jsonschema finds nothing either.

    The case schema is the form (``checks.schema_check.form_schema``, which ``fastjsonschema``
    checks at least as strictly as jsonschema) plus status rules generated from
    ``requirements`` (the ``in_schema`` rules, evaluated here in Python). Tests prove the shortcut on
    every single-place breakage of the example cases. ~20× faster than jsonschema, which is
    then asked only for the messages of a case that has errors.
    """
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
    errors = list(validator().iter_errors(data))
    if not errors:
        return []
    lines = yamlio.line_map(text)
    seen: set[tuple[int, str]] = set()
    findings: list[Finding] = []
    for error in flatten_errors(errors):
        schema_path = list(error.schema_path)
        in_rule = bool(schema_path) and schema_path[0] == "allOf"
        for path, message in error_messages(error, in_rule):
            line = yamlio.line_for(lines, path)
            if (line, message) not in seen:
                seen.add((line, message))
                findings.append(Finding(file, line, "schema", message))
    findings.sort(key=lambda f: (f.line, f.message))
    return findings


def rule_findings(data: dict[str, Any], text: str, file: str) -> list[Finding]:
    """Status rules that only Python can check (dates in order)."""
    status = data.get("status")
    findings = []
    lines: dict | None = None
    for rule in requirements.EFFECTIVE_RULES:
        if rule.in_schema or not isinstance(status, str) or not rule.applies(data, status):
            continue
        items = requirements.value_at(data, rule.path)
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


def validate_file(path: Any, file: str) -> tuple[Any, list[Finding]]:
    """Read (never through a symlink, never a FIFO or a folder) and validate one case file."""
    try:
        raw = yamlio.read_file(path)
    except yamlio.YamlProblem as problem:
        return None, [Finding(file, problem.line, "yaml", problem.message)]
    return validate_bytes(raw, file)


def validate_bytes(raw: bytes, file: str) -> tuple[Any, list[Finding]]:
    try:
        text = yamlio.decode(raw)
    except yamlio.YamlProblem as problem:
        return None, [Finding(file, problem.line, "yaml", problem.message)]
    return validate_text(text, file)
