"""Internal errors (issue 12 item 6): a bug in skm exits 3 with a Norwegian message that says
truthfully what changed, never the exception's text (it may hold case text), and leaves the
traceback in ``.skm/logg/intern-feil-*.txt`` (or the user's temp folder when the repository
cannot take it). Every exception goes through one handler, ``cli.failures.exit_code_for``.
"""

from __future__ import annotations

import errno
import re
import tempfile
from pathlib import Path

import pytest

from conftest import AUTHOR_TEXT, case_file, commits, git, make_case, read_only, snapshot
from skolemiljo.errors import EXIT_INTERNAL

SECRET = "Kari Nordmann"
LOG_LINE = re.compile(r"^Detaljene står i (?P<path>/\S+/intern-feil-\d{8}-\d{6}(?:-\d+)?\.txt)\. Meld feilen til "
                      r"den som drifter skm, og legg ved fila: den kan inneholde opplysninger fra saker, så send "
                      r"den bare på en trygg måte\.$")


def boom(*_args, **_kwargs):
    raise RuntimeError(f"noe gikk galt med {SECRET}")


def log_of(result) -> Path:
    match = LOG_LINE.match(result.stderr.splitlines()[-1])
    assert match, result.stderr
    return Path(match["path"])


@pytest.fixture
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_bug_in_a_read_command_exits_3_and_logs_the_traceback(skm, case_repo: Path, monkeypatch) -> None:
    make_case(case_repo, elev_navn=SECRET)
    import skolemiljo.services.overview as overview

    monkeypatch.setattr(overview, "case_summaries", boom)
    before = snapshot(case_repo)
    result = skm("list", cwd=case_repo)
    assert result.exit_code == EXIT_INTERNAL == 3
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "Intern feil i skm (RuntimeError); ingenting er endret."
    assert len(lines) == 2
    log = log_of(result)
    assert log.parent == case_repo / ".skm" / "logg"
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last):" in text and f"RuntimeError: noe gikk galt med {SECRET}" in text
    assert "Kommando: skm list " in text
    assert log.stat().st_mode & 0o777 == 0o600
    assert SECRET not in result.stderr
    assert snapshot(case_repo) == before
    assert git(case_repo, "status", "--porcelain", "--ignored", "--", ".skm").strip() == "!! .skm/"


def test_a_bug_before_the_commit_undoes_the_write_and_says_nothing_changed(skm, case_repo: Path, monkeypatch) -> None:
    case_id = make_case(case_repo)
    from skolemiljo.storage.commits import GitStore

    monkeypatch.setattr(GitStore, "_commit", boom)  # after the journal and the file are written
    before = snapshot(case_repo)
    result = skm("log", case_id, "--hendelse", "Samtale med eleven.", "--av", AUTHOR_TEXT, cwd=case_repo)
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == "Intern feil i skm (RuntimeError); ingenting er endret."
    assert snapshot(case_repo) == before
    assert not (case_repo / ".skm" / "journal.json").exists()


def test_a_bug_after_the_commit_says_what_was_saved(skm, case_repo: Path, monkeypatch) -> None:
    case_id = make_case(case_repo)
    from skolemiljo.storage.commits import GitStore

    original = GitStore._sync_index
    calls = []

    def fail_once(self, gitpath, blob):
        calls.append(gitpath)
        if len(calls) == 1:
            raise RuntimeError(SECRET)
        return original(self, gitpath, blob)

    monkeypatch.setattr(GitStore, "_sync_index", fail_once)
    result = skm("log", case_id, "--hendelse", "Samtale med eleven.", "--av", AUTHOR_TEXT, cwd=case_repo)
    assert result.exit_code == 3
    head = git(case_repo, "rev-parse", "HEAD").strip()
    assert result.stderr.splitlines()[0] == (
        f"Intern feil i skm (RuntimeError). Endringen av sak {case_id} ble lagret før feilen (commit {head[:10]}).")
    assert commits(case_repo)[-1][0] == f"{case_id}: logg ført"
    # The write was finished before the lock was let go: file, index and HEAD agree.
    assert git(case_repo, "status", "--porcelain").strip() == ""
    assert "Samtale med eleven." in case_file(case_repo, case_id).read_text(encoding="utf-8")


def test_without_a_repository_the_log_goes_to_the_private_temp_folder(skm, tmp_path: Path, private_temp: Path,
                                                                      monkeypatch) -> None:
    import skolemiljo.services.init as init

    monkeypatch.setattr(init, "init_repository", boom)
    result = skm("init", str(tmp_path / "saker"), "--skole", "Fjordvik vgs", "--av", AUTHOR_TEXT, cwd=tmp_path)
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == "Intern feil i skm (RuntimeError); ingenting er endret."
    log = log_of(result)
    assert log.parent == private_temp / f"skm-{__import__('os').getuid()}"
    assert log.parent.stat().st_mode & 0o777 == 0o700
    assert SECRET in log.read_text(encoding="utf-8")
    assert not (tmp_path / "saker").exists()


def test_a_read_only_repository_logs_to_the_temp_folder(skm, case_repo: Path, private_temp: Path,
                                                        monkeypatch) -> None:
    make_case(case_repo)
    import skolemiljo.services.overview as overview

    monkeypatch.setattr(overview, "case_summaries", boom)
    import shutil

    shutil.rmtree(case_repo / ".skm", ignore_errors=True)
    with read_only(case_repo):
        result = skm("list", cwd=case_repo)
    assert result.exit_code == 3
    assert log_of(result).parent.parent == private_temp
    assert not (case_repo / ".skm").exists()


def test_a_symlinked_log_folder_is_not_written_through(skm, case_repo: Path, private_temp: Path, tmp_path: Path,
                                                       monkeypatch) -> None:
    import skolemiljo.services.overview as overview

    monkeypatch.setattr(overview, "case_summaries", boom)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (case_repo / ".skm").mkdir(exist_ok=True)
    (case_repo / ".skm" / "logg").symlink_to(elsewhere)
    result = skm("list", cwd=case_repo)
    assert result.exit_code == 3
    assert log_of(result).parent.parent == private_temp
    assert list(elsewhere.iterdir()) == []


def test_two_internal_errors_in_the_same_second_get_two_logs(skm, case_repo: Path, monkeypatch) -> None:
    import time

    import skolemiljo.services.overview as overview

    monkeypatch.setattr(overview, "case_summaries", boom)
    monkeypatch.setattr(time, "strftime", lambda _format: "20261120-101112")
    first, second = skm("list", cwd=case_repo), skm("list", cwd=case_repo)
    assert log_of(first).name == "intern-feil-20261120-101112.txt"
    assert log_of(second).name == "intern-feil-20261120-101112-2.txt"


def test_keyboard_interrupt_exits_130_and_says_nothing_changed(skm, case_repo: Path, monkeypatch) -> None:
    import skolemiljo.services.overview as overview

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(overview, "case_summaries", interrupted)
    result = skm("list", cwd=case_repo)
    assert (result.exit_code, result.stderr) == (130, "Avbrutt; ingenting er endret.\n")


def test_an_os_error_of_the_machine_is_a_norwegian_refusal_not_a_bug(skm, case_repo: Path, monkeypatch) -> None:
    import skolemiljo.services.overview as overview

    def no_access(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(case_repo / "cases"))

    monkeypatch.setattr(overview, "case_summaries", no_access)
    result = skm("list", cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Feil: Kan ikke bruke cases: du har ikke tilgang.",
        "Tips: Kjør skm der du har skrivetilgang, eller be den som drifter maskinen om tilgang.",
        "Ingenting er endret."]


def test_help_and_readme_document_exit_code_3(skm) -> None:
    result = skm("--help")
    assert "3 intern feil i skm (detaljene i en loggfil under .skm/logg/)" in " ".join(result.stdout.split())
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "| 3 | Intern feil i skm" in readme


def test_one_handler_maps_exceptions_to_exit_codes() -> None:
    """The command wrapper and the command group send every exception to the same function."""
    import importlib
    import inspect

    from skolemiljo.cli import failures

    source = inspect.getsource(importlib.import_module("skolemiljo.cli.app"))
    assert "except SkmError" not in source and "present_error(error)" not in source
    assert "exit_code_for(error)" in inspect.getsource(failures.SkmGroup.main)
    assert "exit_code_for(error)" in inspect.getsource(failures.guarded)
