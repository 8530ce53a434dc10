"""Shared fixtures: an isolated git/skm environment, case repositories and helpers.

Every test runs with
- ``HOME`` in a temporary folder, ``GIT_CONFIG_GLOBAL`` pointing at an empty file and
  ``GIT_CONFIG_NOSYSTEM=1``, so the developer's git identity and settings never leak in;
- no ``GIT_AUTHOR_*``/``GIT_COMMITTER_*``, ``SKM_AV``, ``EDITOR``/``VISUAL`` from outside;
- ``SKM_TODAY=2026-11-20`` and a short ``SKM_LOCK_TIMEOUT``.

Reusable by every suite (foundation, workflow, check):
- ``case_repo``: a fresh case repository made by ``skm init`` (the Python API) whose local git
  config names the fixed author ``Test Rektor <rektor@example.no>``;
- ``runner`` (a Typer ``CliRunner``) and ``skm`` (invoke ``skolemiljo.cli.app`` in a folder);
- ``editor``: ``EDITOR`` set to a small script that applies regex replacements;
- plain helpers ``git``, ``commits``, ``commit_message``, ``trailers``, ``make_case``,
  ``snapshot``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable

import pytest
from typer.testing import CliRunner, Result

from skolemiljo.domain.author import Author
from skolemiljo.services.cases import NewCase, new_case
from skolemiljo.services.init import init_repository
from skolemiljo.storage.repository import CaseRepo, Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"
# A copy of ../shared/spec/sak-eksempel.yaml, so the suite runs in a clone without ../shared
# (test_validation.py checks the copy is identical whenever the original is there).
REFERENCE_CASE = DATA / "sak-eksempel.yaml"
SHARED_REFERENCE_CASE = SHARED / "spec" / "sak-eksempel.yaml"

TODAY = "2026-11-20"
AUTHOR_NAME = "Test Rektor"
AUTHOR_EMAIL = "rektor@example.no"
AUTHOR_TEXT = f"{AUTHOR_NAME} <{AUTHOR_EMAIL}>"
AUTHOR = Author(AUTHOR_NAME, AUTHOR_EMAIL)
SKOLE = "Fjordvik videregående skole"
SKOLEEIER = "Vestland fylkeskommune"

# Variables from the developer's shell that would change what git or skm do.
_UNSET = (
    "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE",
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX", "GIT_EDITOR",
    "GIT_CONFIG", "GIT_CONFIG_COUNT", "GIT_CONFIG_PARAMETERS", "XDG_CONFIG_HOME", "EMAIL",
    "SKM_AV", "EDITOR", "VISUAL", "SKM_TEST_EDIT", "SKM_TEST_EDIT_EXIT", "SKM_TEST_EDIT_LOG",
)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Isolate git and skm from the developer's machine; returns the temporary HOME."""
    home = tmp_path_factory.mktemp("home")
    global_config = home / "gitconfig-global"
    global_config.write_text("", encoding="utf-8")
    for name in _UNSET:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # Never let git walk up out of the temporary folders into a repository around them.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(Path(str(tmp_path_factory.getbasetemp())).parent))
    monkeypatch.setenv("SKM_TODAY", TODAY)
    monkeypatch.setenv("SKM_LOCK_TIMEOUT", "0.5")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    return home


# ---------------------------------------------------------------------- git helpers

def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GIT_AUTHOR_NAME": AUTHOR_NAME, "GIT_AUTHOR_EMAIL": AUTHOR_EMAIL,
        "GIT_COMMITTER_NAME": AUTHOR_NAME, "GIT_COMMITTER_EMAIL": AUTHOR_EMAIL,
    })
    env.update(extra or {})
    return env


def git(repo: Path | CaseRepo, *args: str, check: bool = True) -> str:
    """Run git in ``repo`` (commits made here get the fixed test author); returns stdout."""
    root = repo.root if isinstance(repo, CaseRepo) else Path(repo)
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=git_env())
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result.stdout


def commits(repo: Path | CaseRepo) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every commit on HEAD, oldest first, as ``(subject, "Name <email>", files changed)``."""
    root = repo.root if isinstance(repo, CaseRepo) else Path(repo)
    if not git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip():
        return []
    out = git(root, "log", "--reverse", "--no-renames", "--format=%x00%s%x1f%an <%ae>", "--name-only")
    found = []
    for block in out.split("\x00")[1:]:
        header, _, rest = block.partition("\n")
        subject, author = header.split("\x1f")
        files = tuple(sorted(line for line in rest.splitlines() if line.strip()))
        found.append((subject, author, files))
    return found


def commit_message(repo: Path | CaseRepo, rev: str = "HEAD") -> str:
    """The full message of one commit."""
    return git(repo, "log", "-1", "--format=%B", rev).rstrip("\n") + "\n"


def trailers(repo: Path | CaseRepo, rev: str = "HEAD") -> dict[str, str]:
    """The ``Skm-*`` trailers of one commit, as git itself parses them."""
    out = git(repo, "log", "-1", "--format=%(trailers:only,unfold)", rev)
    found = {}
    for line in out.splitlines():
        if ": " in line:
            key, value = line.split(": ", 1)
            found[key] = value
    return found


def status_porcelain(repo: Path | CaseRepo) -> str:
    return git(repo, "status", "--porcelain=v1", "--untracked-files=all")


def snapshot(repo: Path | CaseRepo) -> dict[str, Any]:
    """Everything a refused command must leave alone: HEAD, index, status and every file's bytes."""
    root = repo.root if isinstance(repo, CaseRepo) else Path(repo)
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts and rel.parts[0] in (".git", ".skm"):
            continue
        if path.is_file():
            files[rel.as_posix()] = path.read_bytes()
    return {
        "head": git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip(),
        "index": git(root, "ls-files", "--stage"),
        "status": status_porcelain(root),
        "files": files,
    }


# ---------------------------------------------------------------- case repository

def make_repo(target: Path, *, configure_author: bool = True, skole: str = SKOLE,
              skoleeier: str | None = SKOLEEIER, malform: str = "nb") -> Path:
    """A fresh case repository made by ``skm init`` (the Python API) at ``target``."""
    init_repository(target, Settings(skole=skole, skoleeier=skoleeier, malform=malform), AUTHOR)
    if configure_author:
        git(target, "config", "user.name", AUTHOR_NAME)
        git(target, "config", "user.email", AUTHOR_EMAIL)
    return target.resolve()


@pytest.fixture
def case_repo(tmp_path: Path) -> Path:
    """A fresh case repository (one init commit); its git config names the fixed author."""
    return make_repo(tmp_path / "saker")


DEFAULT_CASE: dict[str, Any] = {
    "sakstype": "elev-elev",
    "elev_navn": "Kari Nordmann",
    "klasse": "9B",
    "under_18": True,
    "meldt_av": "elev",
    "mottatt_av": "Per Haugen (kontaktlærer)",
    "mottatt": TODAY,
    "beskrivelse": "Eleven forteller at hun blir holdt utenfor i friminuttene.",
    "kategorier": ["utestenging"],
    "alvorlig": False,
}


def make_case(repo: Path | CaseRepo, *, author: Author = AUTHOR, **overrides: Any) -> str:
    """Register a case through the real API (``skolemiljo.services.cases.new_case``); returns its id.

    ``overrides`` are ``NewCase`` fields: ``sakstype``, ``elev_navn``, ``klasse``, ``under_18``,
    ``meldt_av``, ``mottatt_av``, ``mottatt``, ``beskrivelse``, ``kategorier``, ``alvorlig``.
    """
    unknown = set(overrides) - set(DEFAULT_CASE)
    if unknown:
        raise TypeError(f"make_case: unknown fields {sorted(unknown)}")
    case_repo = repo if isinstance(repo, CaseRepo) else CaseRepo(Path(repo).resolve())
    return new_case(case_repo, NewCase(**{**DEFAULT_CASE, **overrides}), author)


def case_file(repo: Path | CaseRepo, case_id: str) -> Path:
    root = repo.root if isinstance(repo, CaseRepo) else Path(repo)
    return root / "cases" / f"{case_id}.yaml"


# ------------------------------------------------------------------------- the CLI

@pytest.fixture
def runner() -> CliRunner:
    """Typer's CliRunner; in Typer 0.29 ``result.stdout`` and ``result.stderr`` are separate."""
    return CliRunner()


SkmRunner = Callable[..., Result]


@pytest.fixture
def skm(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> SkmRunner:
    """``skm(*args, cwd=..., input=..., env=...)``: invoke skm's app in ``cwd``.

    As the ``skm`` program does: ``app_for(args)``, the app with only the command run.
    Exceptions that are not a clean exit propagate, so a traceback fails the test.
    """
    from skolemiljo.cli.app import app_for

    def invoke(*args: str, cwd: Path | None = None, input: str | None = None,
               env: dict[str, str | None] | None = None, color: bool = False) -> Result:
        with monkeypatch.context() as patch:
            if cwd is not None:
                patch.chdir(cwd)
            argv = [str(a) for a in args]
            return runner.invoke(app_for(argv), argv, input=input, env=env, catch_exceptions=False, color=color)

    return invoke


def stdout_lines(result: Result) -> list[str]:
    return result.stdout.splitlines()


def stderr_lines(result: Result) -> list[str]:
    return result.stderr.splitlines()


# -------------------------------------------------------------------------- editor

EDITOR_SCRIPT = textwrap.dedent('''\
    """Test editor: apply the regex replacements in SKM_TEST_EDIT to the file, then exit."""
    import json, os, re, sys

    path = sys.argv[1]
    log = os.environ.get("SKM_TEST_EDIT_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(path + "\\n")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    for pattern, replacement in json.loads(os.environ.get("SKM_TEST_EDIT", "[]")):
        new = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
        if new == text:
            sys.stderr.write("test editor: pattern not found: " + pattern + "\\n")
            sys.exit(99)
        text = new
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    sys.exit(int(os.environ.get("SKM_TEST_EDIT_EXIT", "0")))
''')


class Editor:
    """Controls the test editor that ``EDITOR`` points at."""

    def __init__(self, directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.script = directory / "test_editor.py"
        self.script.write_text(EDITOR_SCRIPT, encoding="utf-8")
        self.log = directory / "editor.log"
        self.command = f"{shlex.quote(sys.executable)} {shlex.quote(str(self.script))}"
        self._monkeypatch = monkeypatch
        monkeypatch.setenv("EDITOR", self.command)
        monkeypatch.setenv("SKM_TEST_EDIT_LOG", str(self.log))
        self.replace()

    def replace(self, *pairs: tuple[str, str], exit_code: int = 0) -> None:
        """Next runs apply each ``(regex, replacement)`` once (multiline mode), then exit with ``exit_code``."""
        self._monkeypatch.setenv("SKM_TEST_EDIT", json.dumps([list(p) for p in pairs]))
        self._monkeypatch.setenv("SKM_TEST_EDIT_EXIT", str(exit_code))

    def env(self) -> dict[str, str]:
        """The variables a subprocess needs to use this editor."""
        return {name: os.environ[name] for name in ("EDITOR", "SKM_TEST_EDIT", "SKM_TEST_EDIT_EXIT",
                                                     "SKM_TEST_EDIT_LOG")}

    def opened(self) -> list[str]:
        """The files the editor was started on, in order."""
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []


@pytest.fixture
def editor(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Editor:
    return Editor(tmp_path_factory.mktemp("editor"), monkeypatch)


# ------------------------------------------------------------- hostile conditions

@contextlib.contextmanager
def read_only(path: Path):
    """``path`` (a folder) read-only for skm while the block runs.

    As root, permissions do not stop a write, so the folder is bind-mounted read-only onto
    itself (``EROFS``); as another user its write bits are taken away (``EACCES``). Skips the
    test when neither can be done.
    """
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [path, *path.rglob("*")] if not p.is_symlink()}
        for p in modes:
            p.chmod(modes[p] & ~0o222)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    mounted = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount {path} read-only: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        remount = subprocess.run(["mount", "-o", "remount,ro,bind", str(path)], capture_output=True)
        if remount.returncode != 0:
            pytest.skip("cannot remount read-only")
        yield
    finally:
        subprocess.run(["umount", str(path)], capture_output=True, check=True)


@contextlib.contextmanager
def tiny_filesystem(path: Path, size: str = "256k"):
    """A small tmpfs mounted at ``path`` (a real ENOSPC when it fills up); skips without root."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=True)


def fill_up(folder: Path) -> None:
    """Fill the file system ``folder`` is on until not one more byte fits."""
    with open(folder / "fyll", "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        except OSError:
            pass
        for _ in range(64):
            try:
                handle.write(b"\0")
                handle.flush()
            except OSError:
                break
