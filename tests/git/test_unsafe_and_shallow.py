"""A repository git will not use, and a shallow clone, are said to be exactly that (issue 13.20, 13.21).

- Owned by another user, git refuses the repository ("detected dubious ownership", ``safe.directory``).
  skm says so and how to approve the folder, never "ikke i et git-repository", and ``render`` does not
  make a document without its audit trail. Simulated with git's own switch
  ``GIT_TEST_ASSUME_DIFFERENT_OWNER=1`` (git >= 2.35.2), which the gateway passes on because it can only
  make git stricter.
- A shallow clone has only the newest commits: ``skm history`` and the audit trail in ``render`` would
  present a false history, so both refuse and say ``git fetch --unshallow``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AUTHOR_TEXT, case_file, commits, git, make_case, snapshot

NEW_CASE = ("new-case", "--elev", "Kari Nordmann", "--klasse", "9B", "--under-18", "--sakstype", "elev-elev",
            "--meldt-av", "elev", "--mottatt-av", "Per Haugen", "--beskrivelse", "Holdes utenfor.", "--no-input",
            "--av", AUTHOR_TEXT)
OTHER_OWNER = {"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"}


def unsafe_lines(path: Path) -> list[str]:
    return [f"Feil: git nekter å bruke repositoryet {path}: det eies av en annen bruker enn deg "
            "(git: «detected dubious ownership»).",
            "Tips: Stoler du på den som eier mappa, godkjenn den én gang med "
            f"`git config --global --add safe.directory {path}`; ellers be eieren om å gi deg mappa."]


@pytest.fixture
def repo(case_repo: Path) -> Path:
    make_case(case_repo)
    return case_repo


def test_a_write_in_another_users_repository_says_so_and_how_to_fix_it(skm, repo: Path) -> None:
    before = snapshot(repo)
    history = commits(repo)

    result = skm(*NEW_CASE, cwd=repo, env=OTHER_OWNER)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == unsafe_lines(repo)
    assert snapshot(repo) == before
    assert commits(repo) == history


def test_render_in_another_users_repository_makes_no_document(skm, repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"

    result = skm("render", "2026-0001", "-f", "md", "-o", str(out), cwd=repo, env=OTHER_OWNER)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == unsafe_lines(repo)
    assert result.stdout == ""
    assert not out.exists()


def test_history_and_check_in_another_users_repository(skm, repo: Path) -> None:
    history = skm("history", "2026-0001", cwd=repo, env=OTHER_OWNER)
    assert (history.exit_code, history.stdout) == (1, "")
    assert history.stderr.splitlines() == unsafe_lines(repo)

    check = skm("check", cwd=repo, env=OTHER_OWNER)
    message, tips = (line.split(": ", 1)[1] for line in unsafe_lines(repo))
    assert check.exit_code == 1
    assert f"cases:1: error [ikke-committet] {message} {tips}" in check.stdout.splitlines()
    assert "ikke i et git-repository" not in check.stdout + check.stderr


def test_the_fix_skm_names_works(skm, repo: Path) -> None:
    git(repo, "config", "--global", "--add", "safe.directory", str(repo))  # the test's own global config

    result = skm(*NEW_CASE, cwd=repo, env=OTHER_OWNER)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2026-0002\n"


# ------------------------------------------------------------------ shallow clones

SHALLOW = ["Feil: Saksarkivet er en grunn kopi (shallow clone): git har bare de siste commitene, så historikken "
           "ville være ufullstendig eller gal. skm viser den ikke og lager ikke endringsloggen fra den.",
           "Tips: Hent hele historikken med `git fetch --unshallow`, og prøv igjen."]


@pytest.fixture
def shallow(repo: Path, tmp_path: Path, skm) -> Path:
    """A clone of the last commit of a repository whose case has three commits."""
    for text in ("Samtale med eleven.", "Samtale med foresatte."):
        assert skm("log", "2026-0001", "--hendelse", text, "--no-input", "--av", AUTHOR_TEXT, cwd=repo).exit_code == 0
    clone = tmp_path / "grunn"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    return clone


def test_history_refuses_a_shallow_clone(skm, shallow: Path) -> None:
    result = skm("history", "2026-0001", cwd=shallow)

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == SHALLOW


def test_render_refuses_the_audit_trail_of_a_shallow_clone(skm, shallow: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"

    result = skm("render", "2026-0001", "saksdokumentasjon", "-f", "md", "-o", str(out), cwd=shallow)

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == SHALLOW
    assert not out.exists()


def test_after_unshallow_the_history_is_whole(skm, shallow: Path, repo: Path) -> None:
    git(shallow, "fetch", "-q", "--unshallow")

    result = skm("history", "2026-0001", "--json", cwd=shallow)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == skm("history", "2026-0001", "--json", cwd=repo).stdout
    assert len(result.stdout.split('"commit"')) == 4  # the three commits of the case
    assert case_file(shallow, "2026-0001").read_bytes() == case_file(repo, "2026-0001").read_bytes()
