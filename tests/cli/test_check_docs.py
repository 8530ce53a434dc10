"""The error catalogue documents every check, and a fixture makes every check fire."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from skolemiljo.checks import registry
from check_fixtures import build_faulty

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
ERRORS = CATALOGUE.split("\n## Feilkatalogen\n", 1)[1].split("\n## ", 1)[0]


def test_every_check_id_is_documented() -> None:
    headings = re.findall(r"^### `([a-z-]+)`$", ERRORS, flags=re.MULTILINE)
    assert headings == list(registry.IDS)  # every id, once, in catalogue order, and nothing else
    for check in registry.CHECKS:
        section = ERRORS.split(f"### `{check.id}`", 1)[1].split("\n### ", 1)[0]
        severity = "feil" if check.severity == registry.ERROR else "advarsel"
        assert f"**Alvorlighet:** {severity}" in section, check.id
        for part in ("**Betyr:**", "**Hjemmel:**", "**Slik retter du:**"):
            assert part in section, (check.id, part)


def test_every_check_has_a_norwegian_description() -> None:
    for check in registry.CHECKS:
        assert check.description and "\n" not in check.description and len(check.description) < 120
        assert check.severity in (registry.ERROR, registry.WARNING)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", check.id)


def test_json_format_is_documented() -> None:
    for key in ("format", "today", "strict", "checks", "summary.errors", "summary.warnings", "summary.cases",
                "summary.cases_with_findings", "summary.exit_code", "findings[].file", "findings[].line",
                "findings[].severity", "findings[].check", "findings[].case", "findings[].message"):
        assert f"`{key}`" in CATALOGUE, key


def test_every_check_fires_in_a_fixture(skm, tmp_path: Path) -> None:
    repo, expected = build_faulty(tmp_path / "saker")
    fired = {finding["check"] for finding in json.loads(skm("check", "--format", "json", cwd=repo.root).stdout)["findings"]}
    assert {e.check for e in expected} == fired
    repo.calendar_path.write_text("frister: {varsle_rektor: -1}\n", encoding="utf-8")
    result = json.loads(skm("check", "kalender", "--format", "json", cwd=repo.root).stdout)
    fired |= {finding["check"] for finding in result["findings"]}
    # ikke-arkivert speaks for schools that deliver with `skm archive` (an arkiv: section in skole.yaml).
    repo.settings_path.write_text(repo.settings_path.read_text(encoding="utf-8") + "arkiv: {}\n", encoding="utf-8")
    result = json.loads(skm("check", "ikke-arkivert", "--format", "json", cwd=repo.root).stdout)
    fired |= {finding["check"] for finding in result["findings"]}
    assert fired == set(registry.IDS)


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "skm-check")
    assert hook["entry"].startswith("skm check") and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    ignored = re.findall(r"--ignore (\S+)", hook["entry"])
    assert set(ignored) <= set(registry.IDS)
    assert "skm-check" in CATALOGUE
