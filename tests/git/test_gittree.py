"""``gittree.edit_tree`` builds exactly the tree git's own index would (issue 7: fast commits).

Every case is checked against ``git read-tree`` + ``update-index`` + ``write-tree`` on a
private index, the slow way skm used to commit; a hypothesis test does so for random
trees and random changes, including git's awkward ordering of ``a``, ``a.yaml`` and the
folder ``a/``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skolemiljo.errors import GitError
from skolemiljo.storage.gittree import edit_tree, find_slot

ENV = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.no", "GIT_COMMITTER_NAME": "T",
       "GIT_COMMITTER_EMAIL": "t@example.no"}


def run(repo: Path, *args: str, data: bytes | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=repo, input=data, capture_output=True,
                            env={**os.environ, **ENV, **(env or {})}, check=True)
    return result.stdout.decode().strip()


def blob(repo: Path, text: str) -> str:
    return run(repo, "hash-object", "-w", "--stdin", data=text.encode())


def commit_files(repo: Path, files: dict[str, str], executable: frozenset[str] = frozenset()) -> str:
    """A commit holding exactly ``files`` (path -> text), made through a private index."""
    index = repo / ".git" / "test-index"
    env = {"GIT_INDEX_FILE": str(index)}
    index.unlink(missing_ok=True)
    run(repo, "read-tree", "--empty", env=env)
    for path, text in files.items():
        mode = "100755" if path in executable else "100644"
        run(repo, "update-index", "--add", "--cacheinfo", f"{mode},{blob(repo, text)},{path}", env=env)
    tree = run(repo, "write-tree", env=env)
    index.unlink()
    return run(repo, "commit-tree", tree, data=b"test\n")


def tree_by_index(repo: Path, base: str | None, changes: dict[str, str]) -> str:
    """The slow, obviously right way: git's own index."""
    index = repo / ".git" / "test-index"
    env = {"GIT_INDEX_FILE": str(index)}
    index.unlink(missing_ok=True)
    run(repo, "read-tree", *([base] if base else ["--empty"]), env=env)
    for path, oid in changes.items():
        mode = "100644"
        if base:
            listed = run(repo, "ls-tree", base, "--", path).split()
            if listed and listed[0] == "100755":
                mode = "100755"
        run(repo, "update-index", "--add", "--cacheinfo", f"{mode},{oid},{path}", env=env)
    tree = run(repo, "write-tree", env=env)
    index.unlink()
    return tree


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    run(tmp_path, "init", "-q", "-b", "main")
    return tmp_path


def set_head(repo: Path, commit: str) -> None:
    run(repo, "update-ref", "HEAD", commit)


def test_new_case_file_among_many(repo: Path) -> None:
    files = {f"cases/2026-{n:04d}.yaml": f"sak {n}\n" for n in range(1, 60)} | {"skole.yaml": "x\n"}
    head = commit_files(repo, files)
    set_head(repo, head)
    new = blob(repo, "ny sak\n")
    edit = edit_tree(repo, {"cases/2026-0060.yaml": new}, "sha1")
    assert edit.head == head
    assert edit.old_blobs == {"cases/2026-0060.yaml": None}
    assert edit.tree == tree_by_index(repo, head, {"cases/2026-0060.yaml": new})
    run(repo, "fsck", "--strict", "--no-dangling")


def test_changed_file_reports_its_old_blob(repo: Path) -> None:
    head = commit_files(repo, {"cases/2026-0001.yaml": "gammel\n", "cases/2026-0002.yaml": "annen\n"})
    set_head(repo, head)
    new = blob(repo, "ny\n")
    edit = edit_tree(repo, {"cases/2026-0001.yaml": new}, "sha1")
    assert edit.old_blobs == {"cases/2026-0001.yaml": blob(repo, "gammel\n")}
    assert edit.tree == tree_by_index(repo, head, {"cases/2026-0001.yaml": new})


def test_git_order_of_file_folder_and_dotted_names(repo: Path) -> None:
    # git sorts the folder "a" as "a/": after "a.yaml" and "a-b", before "a0".
    head = commit_files(repo, {"a-b": "1\n", "a.yaml": "2\n", "a/x": "3\n", "a0": "4\n", "b/c/d": "5\n"})
    set_head(repo, head)
    new = blob(repo, "ny\n")
    for changes in ({"a/y": new}, {"a.b": new}, {"a/x": new, "b/c/e": new, "b/c0": new},
                    {"aa/b/c": new}, {"0": new}, {"zz": new}):
        edit = edit_tree(repo, changes, "sha1")
        assert edit.tree == tree_by_index(repo, head, changes), changes
    # Without the folder, a file "a" goes first of them all; a folder "a" after "a.yaml".
    head = commit_files(repo, {"a-b": "1\n", "a.yaml": "2\n", "a0": "4\n"})
    set_head(repo, head)
    for changes in ({"a": new}, {"a/ny": new}):
        edit = edit_tree(repo, changes, "sha1")
        assert edit.tree == tree_by_index(repo, head, changes), changes


def test_executable_bit_is_kept(repo: Path) -> None:
    head = commit_files(repo, {"scripts/run.sh": "echo\n"}, executable=frozenset({"scripts/run.sh"}))
    set_head(repo, head)
    new = blob(repo, "echo hei\n")
    edit = edit_tree(repo, {"scripts/run.sh": new}, "sha1")
    assert run(repo, "ls-tree", edit.tree, "scripts/run.sh").split()[0] == "100755"
    assert edit.tree == tree_by_index(repo, head, {"scripts/run.sh": new})


def test_a_new_repository_starts_from_the_empty_tree(repo: Path) -> None:
    new = blob(repo, "første\n")
    edit = edit_tree(repo, {"skole.yaml": new, "cases/.gitkeep": new}, "sha1")
    assert edit.head is None
    assert edit.old_blobs == {"skole.yaml": None, "cases/.gitkeep": None}
    assert edit.tree == tree_by_index(repo, None, {"skole.yaml": new, "cases/.gitkeep": new})
    assert edit_tree(repo, {}, "sha1").tree == run(repo, "hash-object", "-t", "tree", "--stdin", data=b"")


def test_a_folder_in_the_way_is_refused(repo: Path) -> None:
    head = commit_files(repo, {"cases/2026-0001.yaml/x": "1\n", "fil": "2\n"})
    set_head(repo, head)
    new = blob(repo, "ny\n")
    with pytest.raises(GitError, match="ikke en vanlig fil"):
        edit_tree(repo, {"cases/2026-0001.yaml": new}, "sha1")
    with pytest.raises(GitError, match="er en fil i git, ikke en mappe"):
        edit_tree(repo, {"fil/under": new}, "sha1")


def test_sha256_repositories(tmp_path: Path) -> None:
    run(tmp_path, "init", "-q", "--object-format=sha256", "-b", "main")
    head = commit_files(tmp_path, {"cases/2026-0001.yaml": "1\n", "skole.yaml": "2\n"})
    set_head(tmp_path, head)
    new = blob(tmp_path, "ny\n")
    edit = edit_tree(tmp_path, {"cases/2026-0002.yaml": new}, "sha256")
    assert len(edit.tree) == 64
    assert edit.tree == tree_by_index(tmp_path, head, {"cases/2026-0002.yaml": new})


def test_find_slot_refuses_a_truncated_tree() -> None:
    with pytest.raises(GitError, match="ødelagt"):
        find_slot(b"100644 a\0" + b"x" * 5, b"b", 20, folder=False)


NAMES = st.sampled_from(["a", "a.yaml", "a-b", "a0", "b", "2026-0001.yaml", "2026-0010.yaml", "æ", "Z", "a b"])
PATHS = st.lists(NAMES, min_size=1, max_size=3).map("/".join)


def _consistent(paths: list[str]) -> bool:
    """No path is both a file and a folder."""
    found = set(paths)
    return not any(other.startswith(path + "/") for path in found for other in found)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(existing=st.lists(PATHS, min_size=0, max_size=8, unique=True),
       changed=st.lists(PATHS, min_size=1, max_size=3, unique=True))
def test_any_edit_matches_git_write_tree(existing: list[str], changed: list[str]) -> None:
    if not _consistent(existing + changed):
        return
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        run(repo, "init", "-q", "-b", "main")
        head = commit_files(repo, {path: f"{path}\n" for path in existing}) if existing else None
        if head:
            set_head(repo, head)
        new = blob(repo, "endret\n")
        changes = {path: new for path in changed}
        edit = edit_tree(repo, changes, "sha1")
        assert edit.tree == tree_by_index(repo, head, changes)
        assert edit.old_blobs == {path: (blob(repo, f"{path}\n") if path in existing else None)
                                  for path in changed}
        run(repo, "fsck", "--strict", "--no-dangling")
