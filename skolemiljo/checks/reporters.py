"""Output formats of ``skm check``: text, json, github, junit (chosen by name).

Every format carries the same findings: file, line, severity, check id, case id
and a message that holds only ids, tiltak ids, field paths and dates.
"""

from __future__ import annotations

import json
from typing import Callable

from skolemiljo.checks import registry
from skolemiljo.checks.runner import Report
from skolemiljo.errors import Finding

FORMATS = ("text", "json", "github", "junit")
JSON_FORMAT_VERSION = 1


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary(report: Report) -> str:
    """``3 feil, 1 advarsel i 2 av 40 saker``."""
    total = "sak" if report.cases == 1 else "saker"
    return (f"{report.errors} feil, {_plural(report.warnings, 'advarsel', 'advarsler')} "
            f"i {report.cases_with_findings} av {report.cases} {total}")


def line(finding: Finding) -> str:
    return f"{finding.file}:{finding.line}: {finding.severity} [{finding.check}] {finding.message}"


def text(report: Report, strict: bool = False) -> str:
    return "".join(f"{line(f)}\n" for f in report.findings) + summary(report) + "\n"


def as_json(report: Report, strict: bool = False) -> str:
    doc = {
        "format": JSON_FORMAT_VERSION,
        "today": report.today.isoformat(),
        "strict": strict,
        "checks": report.checks,
        "summary": {
            "errors": report.errors,
            "warnings": report.warnings,
            "cases": report.cases,
            "cases_with_findings": report.cases_with_findings,
            "exit_code": report.exit_code(strict),
        },
        "findings": [
            {"file": f.file, "line": f.line, "severity": f.severity, "check": f.check, "case": f.case,
             "message": f.message}
            for f in report.findings
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def github(report: Report, strict: bool = False) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on its line."""
    out = []
    for f in report.findings:
        level = "error" if f.severity == registry.ERROR else "warning"
        out.append(f"::{level} file={_gh_property(f.file)},line={f.line},title={_gh_property(f.check)}::"
                   f"{_gh_data(f.message)}\n")
    return "".join(out) + summary(report) + "\n"


def junit(report: Report, strict: bool = False) -> str:
    """JUnit XML: one passing test per clean check, one failing test per finding."""
    from xml.etree import ElementTree as ET

    suites = ET.Element("testsuites", name="skm check")
    suite = ET.SubElement(suites, "testsuite", name="skm check")
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="today", value=report.today.isoformat())
    ET.SubElement(props, "property", name="summary", value=summary(report))
    by_check: dict[str, list[Finding]] = {c: [] for c in report.checks}
    for f in report.findings:
        by_check.setdefault(f.check, []).append(f)
    tests = failures = 0
    for check, found in by_check.items():
        if not found:
            ET.SubElement(suite, "testcase", classname="skm.check", name=check)
            tests += 1
            continue
        for f in found:
            case = ET.SubElement(suite, "testcase", classname=f"skm.check.{check}", name=f"{f.file}:{f.line}",
                                 file=f.file, line=str(f.line))
            failure = ET.SubElement(case, "failure", type=f.severity, message=f.message)
            failure.text = line(f)
            tests += 1
            failures += 1
    for element in (suites, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", "0")
    suite.set("skipped", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


RENDERERS: dict[str, Callable[[Report, bool], str]] = {
    "text": text, "json": as_json, "github": github, "junit": junit,
}


def render(report: Report, fmt: str, strict: bool = False) -> str:
    return RENDERERS[fmt](report, strict)


def check_list(fmt: str) -> str:
    """``skm check --list``."""
    if fmt == "json":
        return json.dumps([{"id": c.id, "severity": c.severity, "description": c.description, "ground": c.ground}
                           for c in registry.CHECKS], ensure_ascii=False, indent=2) + "\n"
    width = max(len(c.id) for c in registry.CHECKS)
    rows = [f"{c.id.ljust(width)}  {'feil' if c.severity == registry.ERROR else 'advarsel':8s}  {c.description}"
            for c in registry.CHECKS]
    return "\n".join(rows) + "\n"
