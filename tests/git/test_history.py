"""A case's history without git's commit-graph (issue 17): the trailer walk, proven against the blobs.

``case_history`` first lists the commits by their ``Skm-Case`` trailers (no diffs) and proves the
list with the file's blobs; when the proof fails it runs the exact ``git log -- path`` walk. Each
test compares the answer with the exact walk (``exact_history``) and says which path answered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from skolemiljo.storage import history
from skolemiljo.storage.repository import CaseRepo
from conftest import case_file, git, make_case


def _both(root: Path, case_id: str, since: str | None = None) -> tuple[list, list, bool]:
    """``(case_history, the exact walk, whether the trailer walk answered)``."""
    repo = CaseRepo(root)
    path = case_file(root, case_id)
    head, gitpath = history._locate(root, path)
    fast = history._trailer_history(root, head, gitpath, since)
    return history.case_history(repo, path, since), history.exact_history(repo, path, since), fast is not None


def _graph(root: Path) -> bool:
    info = root / ".git" / "objects" / "info"
    return (info / "commit-graph").exists() or (info / "commit-graphs").exists()


def _hand_commit(root: Path, rel: str, text: str, message: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    git(root, "add", rel)
    git(root, "commit", "-q", "--no-verify", "-m", message)


def test_skm_commits_come_from_the_trailers_and_no_commit_graph_is_written(case_repo: Path) -> None:
    first = make_case(case_repo)
    second = make_case(case_repo)
    make_case(case_repo)
    history.case_history(CaseRepo(case_repo), case_file(case_repo, first))
    assert not _graph(case_repo)  # the exact walk (below) writes it
    answer, exact, fast = _both(case_repo, first)
    assert fast and answer == exact
    assert [e.action for e in answer] == ["melding registrert"]
    assert _both(case_repo, second)[0] == _both(case_repo, second)[1]


def test_a_commit_without_skm_s_trailer_is_found_by_its_diff(case_repo: Path) -> None:
    first = make_case(case_repo)
    make_case(case_repo)
    _hand_commit(case_repo, f"cases/{first}.yaml", "# merknad\n", "Rettet for hånd")
    make_case(case_repo)
    answer, exact, fast = _both(case_repo, first)
    assert fast and answer == exact
    assert [(e.action, e.action_id) for e in answer] == [("melding registrert", "new-case"), ("Rettet for hånd", None)]


def test_a_trailer_naming_another_case_cannot_hide_a_change(case_repo: Path) -> None:
    """A commit that says ``Skm-Case: <other>`` but changes this file: the blobs do not line up."""
    first = make_case(case_repo)
    second = make_case(case_repo)
    _hand_commit(case_repo, f"cases/{first}.yaml", "# skjult\n",
                 f"{second}: redigert\n\nSkm-Case: {second}\nSkm-Action: edit\n")
    answer, exact, fast = _both(case_repo, first)
    assert not fast  # not proven: the exact walk answered
    assert answer == exact and [e.action_id for e in answer] == ["new-case", "edit"]


def test_a_trailer_on_a_commit_that_did_not_change_the_file_is_left_out(case_repo: Path) -> None:
    first = make_case(case_repo)
    git(case_repo, "commit", "-q", "--allow-empty", "--no-verify", "-m",
        f"{first}: tomt\n\nSkm-Case: {first}\nSkm-Action: edit\n")
    answer, exact, fast = _both(case_repo, first)
    assert fast and answer == exact and len(answer) == 1


def test_a_merge_takes_the_exact_walk(case_repo: Path) -> None:
    first = make_case(case_repo)
    git(case_repo, "checkout", "-q", "-b", "side")
    _hand_commit(case_repo, f"cases/{first}.yaml", "# side\n", "På sidegreina")
    git(case_repo, "checkout", "-q", "-")
    make_case(case_repo)
    git(case_repo, "merge", "-q", "--no-edit", "--no-ff", "side")
    answer, exact, fast = _both(case_repo, first)
    assert not fast and answer == exact
    assert [e.action for e in answer] == ["melding registrert", "På sidegreina"]


@pytest.mark.parametrize("extra_commits", [0, 1, 2])
def test_since_gives_only_the_newer_commits(case_repo: Path, extra_commits: int) -> None:
    first = make_case(case_repo)
    since = git(case_repo, "rev-parse", "HEAD").strip()
    for number in range(extra_commits):
        _hand_commit(case_repo, f"cases/{first}.yaml", f"# {number}\n", f"Endring {number}")
        make_case(case_repo)
    answer, exact, fast = _both(case_repo, first, since)
    assert fast and answer == exact and len(answer) == extra_commits


def test_a_deleted_and_restored_file(case_repo: Path) -> None:
    first = make_case(case_repo)
    text = case_file(case_repo, first).read_text(encoding="utf-8")
    git(case_repo, "rm", "-q", f"cases/{first}.yaml")
    git(case_repo, "commit", "-q", "--no-verify", "-m", "Slettet")
    case_file(case_repo, first).write_text(text, encoding="utf-8")
    git(case_repo, "add", f"cases/{first}.yaml")
    git(case_repo, "commit", "-q", "--no-verify", "-m", "Gjenopprettet")
    answer, exact, fast = _both(case_repo, first)
    assert fast and answer == exact
    assert [e.action for e in answer] == ["melding registrert", "Slettet", "Gjenopprettet"]


def _cache(root: Path) -> Path:
    return root / ".skm" / "cache" / "history.json"


def test_the_walk_is_kept_per_head_and_extended_by_the_new_commits(case_repo: Path) -> None:
    import json

    first = make_case(case_repo)
    repo = CaseRepo(case_repo)
    history.case_history(repo, case_file(case_repo, first))
    saved = json.loads(_cache(case_repo).read_text(encoding="utf-8"))
    assert saved["head"] == git(case_repo, "rev-parse", "HEAD").strip()
    _hand_commit(case_repo, f"cases/{first}.yaml", "# ny\n", "Rettet for hånd")
    make_case(case_repo)
    answer = history.case_history(repo, case_file(case_repo, first))
    assert answer == history.exact_history(repo, case_file(case_repo, first))
    assert [e.action for e in answer] == ["melding registrert", "Rettet for hånd"]
    extended = json.loads(_cache(case_repo).read_text(encoding="utf-8"))
    assert extended["head"] == git(case_repo, "rev-parse", "HEAD").strip()
    assert extended["commits"][2:] == saved["commits"]


def test_a_cache_that_leaves_out_a_commit_cannot_hide_it(case_repo: Path) -> None:
    """The cache only names candidates: the blobs prove or refute them."""
    import json

    first = make_case(case_repo)
    _hand_commit(case_repo, f"cases/{first}.yaml", "# ny\n", "Rettet for hånd")
    repo = CaseRepo(case_repo)
    history.case_history(repo, case_file(case_repo, first))
    saved = json.loads(_cache(case_repo).read_text(encoding="utf-8"))
    saved["commits"] = saved["commits"][1:]  # the hand commit left out
    _cache(case_repo).write_text(json.dumps(saved), encoding="utf-8")
    answer = history.case_history(repo, case_file(case_repo, first))
    assert [e.action for e in answer] == ["melding registrert", "Rettet for hånd"]
    _cache(case_repo).write_text("{ikke json", encoding="utf-8")
    assert history.case_history(repo, case_file(case_repo, first)) == answer


def test_no_walk_cache_when_git_tracks_the_state_folder(case_repo: Path) -> None:
    first = make_case(case_repo)
    (case_repo / ".skm").mkdir(exist_ok=True)
    (case_repo / ".skm" / "spor").write_text("x", encoding="utf-8")
    git(case_repo, "add", "-f", ".skm/spor")
    git(case_repo, "commit", "-q", "--no-verify", "-m", "Sporer .skm")
    repo = CaseRepo(case_repo)
    answer = history.case_history(repo, case_file(case_repo, first))
    assert [e.action for e in answer] == ["melding registrert"]
    assert not _cache(case_repo).exists()
