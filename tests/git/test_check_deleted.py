"""``skm check`` flags a case that history has and ``cases/`` lost (``sak-slettet``, issue 13 item 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from check_fixtures import build_clean, commit_case, log, plain_remove
from conftest import git
from skolemiljo.storage import yamlio
from skolemiljo.checks.registry import IDS
from skolemiljo.checks.runner import run
from skolemiljo.storage.repository import CaseRepo

TODAY = "2026-11-20"


@pytest.fixture
def repo(tmp_path: Path) -> CaseRepo:
    return build_clean(tmp_path / "saker")


def deleted(skm, root: Path, *extra: str) -> tuple[int, str]:
    result = skm("check", "sak-slettet", *extra, cwd=root, env={"SKM_TODAY": TODAY})
    return result.exit_code, result.stdout


def message(case_id: str, commit: str) -> str:
    short = commit[:7]
    return (f"cases/{case_id}.yaml:1: error [sak-slettet] Saken {case_id} finnes i historikken, men saksfila er "
            f"slettet eller flyttet i commit {short} (saker skal bevares); gjenopprett den med `git revert {short}`")


def test_git_rm_is_flagged_with_the_commit(skm, repo: CaseRepo) -> None:
    commit = plain_remove(repo, repo.cases_dir / "2026-0003.yaml")
    assert deleted(skm, repo.root) == (1, message("2026-0003", commit) + "\n1 feil, 0 advarsler i 0 av 4 saker\n")


def test_renamed_away_is_flagged(skm, repo: CaseRepo) -> None:
    (repo.root / "arkiv").mkdir()
    git(repo.root, "mv", "cases/2026-0002.yaml", "arkiv/2026-0002.yaml")
    git(repo.root, "commit", "-q", "-m", "Flyttet")
    commit = git(repo.root, "rev-parse", "HEAD").strip()
    code, out = deleted(skm, repo.root)
    assert (code, out.splitlines()[0]) == (1, message("2026-0002", commit))


def test_a_reverted_deletion_is_fine(skm, repo: CaseRepo) -> None:
    plain_remove(repo, repo.cases_dir / "2026-0003.yaml")
    assert deleted(skm, repo.root)[0] == 1
    git(repo.root, "revert", "--no-edit", "HEAD")
    assert deleted(skm, repo.root) == (0, "0 feil, 0 advarsler i 0 av 5 saker\n")


def test_restored_but_not_committed_is_ikke_committet_only(skm, repo: CaseRepo) -> None:
    commit = plain_remove(repo, repo.cases_dir / "2026-0003.yaml")
    git(repo.root, "checkout", f"{commit}^", "--", "cases/2026-0003.yaml")
    git(repo.root, "reset", "-q", "--", "cases/2026-0003.yaml")
    result = skm("check", "sak-slettet", "ikke-committet", cwd=repo.root, env={"SKM_TODAY": TODAY})
    assert result.stdout.splitlines()[0] == ("cases/2026-0003.yaml:1: error [ikke-committet] Saksfila er ikke "
                                             "committet: den er ny og ikke ført i historikken")
    assert "sak-slettet" not in result.stdout


def amend_with_removal(repo: CaseRepo, case_id: str) -> str:
    """skm changes the case, then ``git rm`` + ``git commit --amend --no-edit``: the trailer stays; the commit."""
    path = repo.cases_dir / f"{case_id}.yaml"
    data = yamlio.load(path.read_text(encoding="utf-8"))
    log(data, "2026-11-20", "Samtale med eleven.")
    commit_case(repo, data)
    git(repo.root, "rm", "-q", f"cases/{case_id}.yaml")
    git(repo.root, "commit", "-q", "--amend", "--no-edit")
    assert git(repo.root, "log", "-1", "--format=%(trailers:key=Skm-Action,valueonly)").strip() == "edit"
    return git(repo.root, "rev-parse", "HEAD").strip()


def hidden(case_id: str, commit: str) -> str:
    last = f"{commit[:7]}^"
    return (f"cases/{case_id}.yaml:1: error [sak-slettet] Saken {case_id} finnes i historikken, men saksfila er "
            f"borte (sist i commit {last}; saker skal bevares); gjenopprett den med "
            f"`git checkout {last} -- cases/{case_id}.yaml` og commit")


def test_deletion_hidden_in_an_amended_skm_commit(skm, repo: CaseRepo) -> None:
    """Found from the ``Skm-Case`` trailer; the deleting commit is not known, the last one that had it is."""
    amended = amend_with_removal(repo, "2026-0003")
    code, out = deleted(skm, repo.root)
    assert (code, out.splitlines()[0]) == (1, hidden("2026-0003", amended))


def test_a_case_whose_first_commit_removed_it_never_existed(skm, repo: CaseRepo) -> None:
    git(repo.root, "rm", "-q", "cases/2026-0005.yaml")  # HEAD is the commit that added it
    git(repo.root, "commit", "-q", "--amend", "--no-edit", "--allow-empty")
    assert deleted(skm, repo.root) == (0, "0 feil, 0 advarsler i 0 av 4 saker\n")


def test_a_trailer_naming_a_case_that_never_was_is_not_flagged(skm, repo: CaseRepo) -> None:
    git(repo.root, "commit", "-q", "--allow-empty", "-m", "2026-0999: notat\n\nSkm-Case: 2026-0999\nSkm-Action: edit")
    assert deleted(skm, repo.root) == (0, "0 feil, 0 advarsler i 0 av 5 saker\n")


def test_the_walk_is_cached_per_head_and_a_damaged_record_is_redone(repo: CaseRepo) -> None:
    from datetime import date

    commit = plain_remove(repo, repo.cases_dir / "2026-0003.yaml")
    cold = run(repo, list(IDS), date(2026, 11, 20))
    cache = repo.state_dir / "cache" / "check.json"
    stored = json.loads(cache.read_text(encoding="utf-8"))["extra"]["git"]
    assert stored["head"] == commit
    assert stored["deleted"] == {"cases/2026-0003.yaml": {"case": "2026-0003", "last_seen": f"{commit}^",
                                                          "deleted_in": commit}}
    warm = run(repo, list(IDS), date(2026, 11, 20))
    assert warm.findings == cold.findings
    document = json.loads(cache.read_text(encoding="utf-8"))
    document["extra"]["git"]["deleted"]["cases/2026-0003.yaml"]["deleted_in"] = "; rm -rf /"
    cache.write_text(json.dumps(document), encoding="utf-8")
    assert run(repo, list(IDS), date(2026, 11, 20)).findings == cold.findings


def test_case_repository_inside_a_larger_git_repository(skm, tmp_path: Path) -> None:
    top = tmp_path / "kommune"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    (top / "LESMEG.md").write_text("Kommunens arkiv\n", encoding="utf-8")
    git(top, "add", "LESMEG.md")
    git(top, "commit", "-q", "-m", "Start")
    repo = build_clean(top / "skole" / "saker")
    removed = plain_remove(repo, repo.cases_dir / "2026-0001.yaml")
    amended = amend_with_removal(repo, "2026-0004")
    assert deleted(skm, repo.root) == (1, "\n".join([
        message("2026-0001", removed), hidden("2026-0004", amended), "2 feil, 0 advarsler i 0 av 3 saker\n"]))
