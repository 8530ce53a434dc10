"""The CI recipes `skm init` writes (issue 13 item 24) install skm only from the source the school
set in ``skole.yaml`` (``skm_kilde``, ``skm_indeks``), pinned; never the public name ``skm``
(somebody else's package). With no source, or an unpinned one, the job stops before anything
is installed and says what to fill in. The install step is run here with bash and a fake ``pip``.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import AUTHOR_TEXT, SKOLE
from skolemiljo.errors import InvalidCaseError
from skolemiljo.storage import yamlio
from skolemiljo.storage.repository import load_settings

COMMIT = "0123456789abcdef0123456789abcdef01234567"
GIT = "git+https://git.kommune.no/verktoy/skm.git"
INDEX = "https://pakker.kommune.no/simple/"


def recipes(root: Path) -> dict[str, str]:
    gitlab = yamlio.load((root / ".gitlab-ci.yml").read_text(encoding="utf-8"))["skm-check"]["script"][0]
    github = yamlio.load((root / ".github" / "workflows" / "skm-check.yml").read_text(encoding="utf-8"))
    step = next(s for s in github["jobs"]["check"]["steps"] if s.get("name") == "Installer skm fra kilden i skole.yaml")
    return {"gitlab": gitlab, "github": step["run"]}


def run_install(root: Path, script: str, tmp_path: Path) -> tuple[int, str, list[str]]:
    """Run the install step in ``root`` with a ``pip`` that only records its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "pip.log"
    log.unlink(missing_ok=True)
    pip = bin_dir / "pip"
    pip.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {log}\n', encoding="utf-8")
    pip.chmod(pip.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}
    done = subprocess.run(["bash", "-e", "-c", script], cwd=root, capture_output=True, text=True, env=env)
    return done.returncode, done.stderr, log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@pytest.fixture
def initialised(skm, tmp_path: Path) -> Path:
    assert skm("init", "saker", "--skole", SKOLE, "--av", AUTHOR_TEXT, cwd=tmp_path).exit_code == 0
    return tmp_path / "saker"


def set_source(root: Path, kilde: str | None, indeks: str | None = None) -> None:
    text = (root / "skole.yaml").read_text(encoding="utf-8")
    text = text.replace("skm_kilde: null", f"skm_kilde: {kilde}" if kilde else "skm_kilde: null")
    text = text.replace("skm_indeks: null", f"skm_indeks: {indeks}" if indeks else "skm_indeks: null")
    (root / "skole.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("recipe", ["gitlab", "github"])
def test_without_a_source_the_recipe_says_what_to_fill_in_and_installs_nothing(initialised: Path, tmp_path: Path,
                                                                                recipe: str) -> None:
    code, stderr, pip = run_install(initialised, recipes(initialised)[recipe], tmp_path)
    assert code == 1 and pip == []
    assert stderr.splitlines()[0] == ("skm_kilde er ikke satt i skole.yaml. Skriv inn hvor skoleeier har skm, med "
                                      "fast versjon, for eksempel")
    assert stderr.splitlines()[-1] == "CI installerer aldri skm fra et navn uten fast versjon; ingenting er installert."


@pytest.mark.parametrize("recipe", ["gitlab", "github"])
@pytest.mark.parametrize("kilde,indeks,expected", [
    (f"{GIT}@v0.1.0", None, ["install", f"skolemiljo @ {GIT}@v0.1.0"]),
    (f"'{GIT}@{COMMIT}'", None, ["install", f"skolemiljo @ {GIT}@{COMMIT}"]),
    ("skolemiljo==0.1.0", INDEX, ["install", "--index-url", INDEX, "skolemiljo==0.1.0"]),
])
def test_a_pinned_source_is_what_pip_installs(initialised: Path, tmp_path: Path, recipe: str, kilde: str,
                                              indeks: str | None, expected: list[str]) -> None:
    set_source(initialised, kilde, indeks)
    load_settings(initialised / "skole.yaml")  # skm accepts what the recipe accepts
    code, stderr, pip = run_install(initialised, recipes(initialised)[recipe], tmp_path)
    assert (code, pip) == (0, expected), stderr


@pytest.mark.parametrize("recipe", ["gitlab", "github"])
@pytest.mark.parametrize("kilde,indeks", [
    ("skm", None), ("skm==0.1.0", None), ("skolemiljo", None), (f"{GIT}", None), (f"{GIT}@main", None),
    ("skolemiljo==0.1.0", None), ("skolemiljo==0.1.0", "http://pakker.kommune.no/simple/"),
    ("https://evil.example/skm.tar.gz", None), (f"{GIT}@v0.1.0; rm -rf /", None),
])
def test_an_unpinned_source_is_refused_by_the_recipe_and_by_skm(initialised: Path, tmp_path: Path, recipe: str,
                                                               kilde: str, indeks: str | None) -> None:
    set_source(initialised, f"'{kilde}'", indeks)
    code, stderr, pip = run_install(initialised, recipes(initialised)[recipe], tmp_path)
    assert code == 1 and pip == []
    assert "ingenting er installert" in stderr
    with pytest.raises(InvalidCaseError) as caught:
        load_settings(initialised / "skole.yaml")
    assert caught.value.message == "Skoleinnstillingene er ugyldige."


def test_init_takes_the_source_and_refuses_an_unpinned_one(skm, tmp_path: Path) -> None:
    ok = skm("init", "a", "--skole", SKOLE, "--skm-kilde", f"{GIT}@v0.1.0", "--av", AUTHOR_TEXT, cwd=tmp_path)
    assert ok.exit_code == 0, ok.stderr
    assert load_settings(tmp_path / "a" / "skole.yaml").skm_kilde == f"{GIT}@v0.1.0"
    code, _stderr, pip = run_install(tmp_path / "a", recipes(tmp_path / "a")["gitlab"], tmp_path)
    assert (code, pip) == (0, ["install", f"skolemiljo @ {GIT}@v0.1.0"])
    bad = skm("init", "b", "--skole", SKOLE, "--skm-kilde", "skm", "--av", AUTHOR_TEXT, cwd=tmp_path)
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Feil: --skm-kilde: må være en git-URL med fast versjon")
    assert not (tmp_path / "b").exists()


def test_no_recipe_or_document_names_the_public_skm_package() -> None:
    from skolemiljo.services import init

    root = Path(__file__).resolve().parents[2]
    for text in (init.GITLAB_CI, init.GITHUB_CI, (root / "README.md").read_text(encoding="utf-8"),
                 (root / "docs" / "checks.md").read_text(encoding="utf-8")):
        for line in text.splitlines():
            if "aldri" in line:  # the warning itself
                continue
            assert "pip install skm" not in line and '"skm==' not in line and "install 'skm" not in line, line
    assert 'name = "skolemiljo"' in (root / "pyproject.toml").read_text(encoding="utf-8")
