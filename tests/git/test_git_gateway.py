"""The git gateway (issue 12.2, 13.12): only ``storage/git.py`` starts git, always with one clean
environment, so an inherited ``GIT_DIR`` can never send a case to another repository."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AUTHOR_TEXT, commits, git, snapshot
from skolemiljo.errors import GitError, NoGitRepositoryError, UnsafeRepositoryError
from skolemiljo.storage.git import git_environment, git_failure, git_text

PACKAGE = Path(__file__).resolve().parents[2] / "skolemiljo"
GATEWAY = "storage/git.py"
# Modules that start programs other than git, and which programs: nothing else may use subprocess.
NOT_GIT = {
    "storage/programs.py": "the county's sending program (skm archive)",
    "cli/cases.py": "the user's editor (skm edit)",
}

_SUBPROCESS = re.compile(r"^\s*(import subprocess\b|from subprocess import)|\bos\.(system|popen|spawn\w*|exec\w*)\(",
                         re.MULTILINE)
_GITPYTHON = re.compile(r"^\s*(import git\b|from git(\.\w+)* import)", re.MULTILINE)
_GIT_ARGV = re.compile(r"""(?<![\w\])])\[\s*["']git["']\s*[,\]]|\(\s*["']git["']\s*,""")  # ["git", ...], ("git", ...)


def violations(relative: str, source: str) -> list[str]:
    """What in one module of the package starts git (or any program) outside the gateway."""
    if relative == GATEWAY:
        return []
    found = []
    if _GITPYTHON.search(source):
        found.append(f"{relative}: GitPython (only the gateway talks to git)")
    if _GIT_ARGV.search(source):
        found.append(f"{relative}: a git command line (use skolemiljo.storage.git)")
    if _SUBPROCESS.search(source) and relative not in NOT_GIT:
        found.append(f"{relative}: starts a program (git goes through storage/git.py, other programs through "
                     "storage/programs.py)")
    return found


def test_only_the_gateway_starts_git() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        found += violations(relative, path.read_text(encoding="utf-8"))
    assert found == []
    for relative in NOT_GIT:  # the allow-list names modules that exist and do start a program
        assert _SUBPROCESS.search((PACKAGE / relative).read_text(encoding="utf-8")), relative


@pytest.mark.parametrize(("source", "expected"), [
    ("import subprocess\n", "starts a program"),
    ("    from subprocess import run\n", "starts a program"),
    ("os.system('ls')\n", "starts a program"),
    ("from git import Repo\n", "GitPython"),
    ("    import git\n", "GitPython"),
    ("from git.exc import GitError\n", "GitPython"),
    ("run_program(['git', 'status'])\n", "a git command line"),
    ('x = ("git",)\n', "a git command line"),
    ('argv = ["git"]\n', "a git command line"),
])
def test_the_scan_finds_each_kind_of_violation(source: str, expected: str) -> None:
    found = violations("render/api.py", source)
    assert len(found) == 1 and expected in found[0]
    assert violations(GATEWAY, source) == []


def test_the_scan_lets_ordinary_code_pass() -> None:
    source = ('from skolemiljo.storage.git import run_git\nimport gitlab_like\nname = "git"\n'
              'help = "git config user.name"\nmark("git")\ncache.get("git")\nextra["git"] = 1\n')
    assert violations("services/x.py", source) == []


def test_the_environment_removes_what_points_git_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    inherited = {
        "GIT_DIR": "/other/.git", "GIT_WORK_TREE": "/other", "GIT_INDEX_FILE": "/other/index",
        "GIT_OBJECT_DIRECTORY": "/other/objects", "GIT_ALTERNATE_OBJECT_DIRECTORIES": "/other/objects",
        "GIT_COMMON_DIR": "/other/.git", "GIT_NAMESPACE": "x", "GIT_CONFIG": "/other/config",
        "GIT_CONFIG_PARAMETERS": "'core.hookspath'='/x'", "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "a.b",
        "GIT_CONFIG_VALUE_0": "c", "GIT_AUTHOR_NAME": "Someone", "GIT_COMMITTER_EMAIL": "x@y",
        "GIT_SHALLOW_FILE": "/x", "GIT_GRAFT_FILE": "/x", "GIT_REPLACE_REF_BASE": "refs/x/",
        "GIT_QUARANTINE_PATH": "/x", "GIT_PREFIX": "sub/", "GIT_TRACE": "1",
        "GIT_DISCOVERY_ACROSS_FILESYSTEM": "1",
    }
    kept = {
        "GIT_CONFIG_GLOBAL": "/home/x/.gitconfig", "GIT_CONFIG_NOSYSTEM": "1", "GIT_SSH_COMMAND": "ssh -i k",
        "GIT_ASKPASS": "/usr/bin/askpass", "GIT_AUTHOR_DATE": "2026-11-20T09:00:00+01:00",
        "GIT_CEILING_DIRECTORIES": "/tmp", "GIT_EXEC_PATH": "/usr/lib/git-core",
    }
    for name, value in {**inherited, **kept}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LC_ALL", "nb_NO.UTF-8")
    monkeypatch.setenv("SSH_ASKPASS", "/usr/bin/ssh-askpass")

    env = git_environment()
    assert not set(inherited) & set(env)
    assert {name: env[name] for name in kept} == kept
    assert env["SSH_ASKPASS"] == "/usr/bin/ssh-askpass"
    assert (env["LC_ALL"], env["LANGUAGE"], env["GIT_TERMINAL_PROMPT"], env["GIT_OPTIONAL_LOCKS"]) == ("C", "", "0", "0")
    # what skm sets on purpose comes on top: its own temporary index, a commit's author
    own = git_environment({"GIT_INDEX_FILE": "/repo/.skm/index.x", "GIT_AUTHOR_NAME": "Test Rektor"})
    assert (own["GIT_INDEX_FILE"], own["GIT_AUTHOR_NAME"]) == ("/repo/.skm/index.x", "Test Rektor")
    assert "GIT_TERMINAL_PROMPT" not in git_environment(interactive=True)


def test_git_runs_with_quotepath_off_and_without_the_inherited_repository(case_repo: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    (case_repo / "cases" / "nøkkel.txt").write_text("x", encoding="utf-8")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    assert git_text(case_repo, "rev-parse", "--show-toplevel").strip() == str(case_repo)
    assert git_text(case_repo, "status", "--porcelain", "--", "cases").strip() == "?? cases/nøkkel.txt"
    assert not (case_repo / ".git" / "index.lock").exists()


def test_failures_become_typed_errors() -> None:
    locked = git_failure(("update-index",), b"fatal: Unable to create '/r/.git/index.lock': File exists.\n")
    assert locked.message == ("git update-index feilet: git-repositoryet er låst av en annen git-kommando "
                              "(fila /r/.git/index.lock finnes).")
    unsafe = git_failure(("status",), b"fatal: detected dubious ownership in repository at '/srv/saker'\n"
                         b"To add an exception for this directory, call:\n\n"
                         b"\tgit config --global --add safe.directory /srv/saker\n")
    assert isinstance(unsafe, UnsafeRepositoryError)
    assert unsafe.hint == ("Stoler du på den som eier mappa, godkjenn den én gang med "
                           "`git config --global --add safe.directory /srv/saker`; ellers be eieren om å gi deg mappa.")
    outside = git_failure(("log",), b"fatal: not a git repository (or any of the parent directories): .git\n")
    assert isinstance(outside, NoGitRepositoryError)
    other = git_failure(("-c", "x=y", "log", "-1"), b"warning: w\nfatal: bad revision 'x'\nhint: h\n")
    assert type(other) is GitError and other.message == "git log feilet: fatal: bad revision 'x'"


# ------------------------------------------------------------------ 13.12, end to end

SKM = [sys.executable, "-c", "import sys; from skolemiljo.cli import main; sys.exit(main())"]
NEW_CASE = ["new-case", "--elev", "Kari Nordmann", "--klasse", "9B", "--under-18", "--sakstype", "elev-elev",
            "--meldt-av", "elev", "--mottatt-av", "Per Haugen", "--beskrivelse", "Holdes utenfor.", "--no-input",
            "--av", AUTHOR_TEXT]


def _every_file(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_an_inherited_git_dir_does_not_send_the_case_to_another_repository(case_repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    (other / "notes.txt").write_text("andre ting\n", encoding="utf-8")
    git(other, "add", "notes.txt")
    git(other, "commit", "-q", "-m", "other")
    before_other = _every_file(other)
    before = commits(case_repo)
    env = {**os.environ, "GIT_DIR": str(other / ".git"), "GIT_WORK_TREE": str(other),
           "GIT_INDEX_FILE": str(other / ".git" / "index"), "GIT_OBJECT_DIRECTORY": str(other / ".git" / "objects")}

    result = subprocess.run([*SKM, *NEW_CASE], cwd=case_repo, env=env, capture_output=True, text=True, timeout=60)

    assert (result.returncode, result.stdout) == (0, "2026-0001\n"), result.stderr
    assert _every_file(other) == before_other  # not one object, ref, index entry or log line
    assert commits(case_repo) == [*before, ("2026-0001: melding registrert", AUTHOR_TEXT, ("cases/2026-0001.yaml",))]
    assert git(case_repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert snapshot(case_repo)["index"] == git(case_repo, "ls-files", "--stage")
