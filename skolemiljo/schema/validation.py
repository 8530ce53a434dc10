"""Schema validation of case records, with Norwegian messages and line numbers.

Every error is reported (not only the first) as a ``Finding``:
``cases/2026-0007.yaml:23: [schema] aktivitetsplan.tiltak[0].evalueres: mangler (<hjemmel>)``.
Messages name fields and legal grounds, never a value typed into a text field:
the output is safe for CI logs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from skolemiljo.domain import requirements
from skolemiljo.errors import Finding
from skolemiljo.storage import fastyaml, yamlio
from skolemiljo.schema.fast import is_valid_fast
from skolemiljo.domain.model import format_path
from skolemiljo.schema.messages import error_messages, flatten_errors, validator
from skolemiljo.schema.messages import case_schema, hjemmel_for  # noqa: F401  (part of this module's API)

def surely_valid(data: dict[str, Any]) -> bool:
    """True when jsonschema-rs finds nothing against the whole case schema (form and status rules);
    then jsonschema finds nothing either (``schema.fast``: tests prove it on every single-place
    breakage of the example cases). ~25× faster than jsonschema, which is then asked only for the
    messages of a case that has errors."""
    return isinstance(data.get("status"), str) and is_valid_fast(data, full=True)


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
    """Parse and validate one case document; ``(data or None, findings)``.

    A valid file is read by the fast reader (``fastyaml``, which reads what skm writes exactly as
    the strict loader does, or declines) and judged by the fast validators, without a line map.
    Only a file with findings, or one the fast reader declines, is read again by the strict loader,
    which gives the lines of the messages.
    """
    parsed = fastyaml.parse(text)
    if parsed is not None and isinstance(parsed[0], dict) and surely_valid(parsed[0]) \
            and not rule_findings(parsed[0], text, file):
        return parsed[0], []
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


PARALLEL_MIN = 200  # fewer files: a process pool costs more than it saves


def _findings_of(items: list[tuple[str, str]]) -> list[list[Finding]]:
    return [validate_file(path, file)[1] for path, file in items]


def validate_files(items: list[tuple[str, str]], jobs: int | None = None) -> Iterator[list[Finding]]:
    """The findings of each ``(path, file)``, in order; many files in a fork-started process pool."""
    import multiprocessing
    import os

    if jobs is None:
        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not Linux
            jobs = os.cpu_count() or 1
    if jobs <= 1 or len(items) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        for path, file in items:
            yield validate_file(path, file)[1]
        return
    from skolemiljo.schema.fast import fast_validator

    fast_validator(full=True)  # compiled once, before the fork: every worker inherits it
    size = max(20, min(250, len(items) // (jobs * 4) or 1))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for part in pool.imap(_findings_of, chunks):
            yield from part
