"""CI is reproducible (issue 13 item 23): `.ci/run` installs every dependency, of every extra CI
uses, at the exact version and hash of `.ci/requirements.lock`; `scripts/test-newest.sh` runs the
suite against the newest versions. And PyYAML's two ways of refusing deep nesting are both handled.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def locked() -> dict[str, str]:
    text = (ROOT / ".ci" / "requirements.lock").read_text(encoding="utf-8")
    return {name.lower().replace("_", "-"): version
            for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==([^ ;\\\n]+)", text, re.M)}


def test_every_dependency_and_extra_ci_uses_is_locked_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"],
              *project["optional-dependencies"]["pdf"], "hatchling"]
    pins = locked()
    for requirement in wanted:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement)[0].lower().replace("_", "-")
        assert name in pins, f"{name} is not in .ci/requirements.lock (run scripts/lock.sh)"
    text = (ROOT / ".ci" / "requirements.lock").read_text(encoding="utf-8")
    blocks = [b for b in re.split(r"\n(?=[A-Za-z0-9])", text) if re.match(r"[A-Za-z0-9]", b)]
    assert blocks and all("--hash=sha256:" in block for block in blocks)


def test_ci_installs_from_the_lock_and_a_script_tries_the_newest_versions() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "--require-hashes --no-deps -r .ci/requirements.lock" in run
    assert '--no-deps --no-build-isolation ".[test,pdf]"' in run
    newest = (ROOT / "scripts" / "test-newest.sh").read_text(encoding="utf-8")
    assert "--upgrade --upgrade-strategy eager" in newest and "pytest" in newest


def test_the_distribution_is_ours_and_the_command_is_skm() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "skolemiljo"
    assert project["scripts"] == {"skm": "skolemiljo.cli:main"}


@pytest.mark.parametrize("depth", [200, 5000])
def test_deep_nesting_is_a_clean_problem_with_any_pyyaml(depth: int) -> None:
    from skolemiljo.storage import yamlio

    with pytest.raises(yamlio.YamlProblem):
        yamlio.load("a: " + "[" * depth + "]" * depth + "\n")
