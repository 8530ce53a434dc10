"""No writes on a detached HEAD or while a git operation waits to be finished (issue 13.2).

A commit made in the middle of a rebase, merge, cherry-pick, revert or bisect (or on a detached
HEAD) is lost, or mixed into the operation, when the user finishes or aborts it. skm refuses
every write then, says what to do, exits 1 and changes nothing; reading stays possible.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AUTHOR_TEXT, case_file, commits, git, make_case, snapshot

NEW_CASE = ("new-case", "--elev", "Kari Nordmann", "--klasse", "9B", "--under-18", "--sakstype", "elev-elev",
            "--meldt-av", "elev", "--mottatt-av", "Per Haugen", "--beskrivelse", "Holdes utenfor.", "--no-input",
            "--av", AUTHOR_TEXT)
LOG = ("log", "2026-0001", "--hendelse", "Samtale med eleven.", "--dato", "2026-11-19", "--no-input",
       "--av", AUTHOR_TEXT)

BUSY = ("Feil: Git-repositoryet er midt i {what}; skm skriver ikke mens den pågår (en commit nå kunne gå tapt "
        "eller bli blandet inn i den). Ingenting er endret.")
TIPS = "Tips: Fullfør eller avbryt den først (`{finish}`), og prøv igjen."


def _commit_notes(repo: Path, text: str, message: str) -> str:
    (repo / "notater.txt").write_text(text, encoding="utf-8")
    git(repo, "add", "notater.txt")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(case_repo: Path) -> Path:
    """A case repository with one case, and a side branch whose notes conflict with main's."""
    make_case(case_repo)
    base = _commit_notes(case_repo, "1\n", "notater 1")
    git(case_repo, "switch", "-q", "-c", "side")
    _commit_notes(case_repo, "side\n", "notater side")
    git(case_repo, "switch", "-q", "main")
    git(case_repo, "tag", "base", base)
    _commit_notes(case_repo, "2\n", "notater 2")
    _commit_notes(case_repo, "3\n", "notater 3")
    return case_repo


def _stop(repo: Path, *args: str) -> None:
    """Run a git operation that stops half way on a conflict."""
    git(repo, *args, check=False)  # fails on the conflict; the test checks the state it leaves


STATES = {
    "merge": (("merge", "side"), "MERGE_HEAD", "en sammenslåing (merge)",
              "git merge --continue` eller `git merge --abort"),
    "rebase": (("rebase", "--merge", "side"), "rebase-merge", "en rebase",
               "git rebase --continue` eller `git rebase --abort"),
    "rebase --apply": (("rebase", "--apply", "side"), "rebase-apply", "en rebase eller `git am`",
                       "git rebase --continue` / `git am --continue` eller `git rebase --abort` / `git am --abort"),
    "cherry-pick": (("cherry-pick", "side"), "CHERRY_PICK_HEAD", "en cherry-pick",
                    "git cherry-pick --continue` eller `git cherry-pick --abort"),
    "revert": (("revert", "--no-edit", "HEAD~1"), "REVERT_HEAD", "en revert",
               "git revert --continue` eller `git revert --abort"),
    "bisect": (("bisect", "start"), "BISECT_LOG", "en bisect", "git bisect reset"),
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("command", [NEW_CASE, LOG], ids=["new-case", "log"])
def test_no_write_while_a_git_operation_is_in_progress(skm, repo: Path, state: str, command: tuple) -> None:
    args, marker, what, finish = STATES[state]
    _stop(repo, *args)
    assert (repo / git(repo, "rev-parse", "--git-path", marker).strip()).exists()
    before = snapshot(repo)
    history = commits(repo)
    case_before = case_file(repo, "2026-0001").read_bytes()

    result = skm(*command, cwd=repo)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [BUSY.format(what=what), TIPS.format(finish=finish)]
    assert result.stdout == ""
    assert snapshot(repo) == before
    assert commits(repo) == history
    assert case_file(repo, "2026-0001").read_bytes() == case_before
    assert not case_file(repo, "2026-0002").exists()


@pytest.mark.parametrize("command", [NEW_CASE, LOG], ids=["new-case", "log"])
def test_no_write_on_a_detached_head(skm, repo: Path, command: tuple) -> None:
    git(repo, "switch", "-q", "--detach", "HEAD")
    before = snapshot(repo)
    history = commits(repo)

    result = skm(*command, cwd=repo)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Feil: Git-repositoryet står ikke på en gren (HEAD er frakoblet); skm skriver ikke nå (en commit her hører "
        "ikke til noen gren og går tapt ved neste `git switch`). Ingenting er endret.",
        "Tips: Gå tilbake til hovedgrenen med `git switch main` (eller grenen dere bruker), og prøv igjen.",
    ]
    assert snapshot(repo) == before
    assert commits(repo) == history


def test_reading_still_works_and_writing_works_again_after_the_abort(skm, repo: Path) -> None:
    _stop(repo, "merge", "side")
    assert skm("show", "2026-0001", cwd=repo).exit_code == 0
    assert skm(*LOG, cwd=repo).exit_code == 1

    git(repo, "merge", "--abort")
    result = skm(*LOG, cwd=repo)

    assert result.exit_code == 0, result.stderr
    assert commits(repo)[-1] == ("2026-0001: logg ført", AUTHOR_TEXT, ("cases/2026-0001.yaml",))


def test_edit_is_refused_before_the_editor_opens(skm, repo: Path, editor) -> None:
    _stop(repo, "rebase", "--merge", "side")
    before = snapshot(repo)

    result = skm("edit", "2026-0001", "--av", AUTHOR_TEXT, cwd=repo)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [BUSY.format(what="en rebase"),
                                          TIPS.format(finish="git rebase --continue` eller `git rebase --abort")]
    assert editor.opened() == []
    assert snapshot(repo) == before
