"""Recovery journals are checked before they are trusted (issue 13, item 8).

A journal skm did not write (planted, or come through git) is set aside within ``.skm/``
with a timestamp, reported once in Norwegian, and never used: every command keeps working
and nothing is written or deleted because of it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import git, make_case, snapshot
from skolemiljo.errors import UntrustedJournal
from skolemiljo.storage import journal
from skolemiljo.storage.commits import GitStore
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.storage.worktree import recover_interrupted_sync

CASE = "2026-0001"
TIPS = ("Tips: Har skm nylig stoppet midt i en lagring eller en synkronisering, se etter endringer som ikke er "
        "committet, med `skm check`. Ellers kan fila slettes.\n")


@pytest.fixture(autouse=True)
def no_old_notices() -> None:
    journal.take_notices()


@pytest.fixture
def repo(case_repo: Path) -> Path:
    make_case(case_repo)
    make_case(case_repo, elev_navn="Ola Hansen")
    return case_repo


def rev(repo: Path, name: str = "HEAD") -> str:
    return git(repo, "rev-parse", name).strip()


def blob(repo: Path, path: str, rev_: str = "HEAD") -> str:
    return git(repo, "rev-parse", f"{rev_}:{path}").strip()


def plant(repo: Path, name: str, entry: Any) -> Path:
    target = repo / ".skm" / name
    target.write_text(entry if isinstance(entry, str) else json.dumps(entry), encoding="utf-8")
    return target


def notice(name: str, reason: str, moved: str) -> str:
    return (f"Advarsel: .skm/{name} ble ikke brukt: {reason}. skm stoler bare på gjenopprettingsjournaler den har "
            f"skrevet selv. Fila er lagt til side som .skm/{moved}, og ingenting er endret etter den.\n" + TIPS)


def set_aside_as(repo: Path, name: str) -> str:
    found = sorted(p.name for p in (repo / ".skm").iterdir() if p.name.startswith(f"{name}.avvist-"))
    assert len(found) == 1, found
    return found[0]


def refused_once(skm, repo: Path, name: str, reason: str, content: bytes) -> None:
    """``skm list`` works, says once why the journal was not used, keeps it aside; nothing else changes."""
    before = snapshot(repo)
    result = skm("list", cwd=repo)
    assert result.exit_code == 0, result.stderr
    moved = set_aside_as(repo, name)
    assert result.stderr == notice(name, reason, moved)
    assert (repo / ".skm" / moved).read_bytes() == content  # kept, byte for byte
    assert not (repo / ".skm" / name).exists()
    assert snapshot(repo) == before
    again = skm("list", cwd=repo)
    assert (again.exit_code, again.stderr) == (0, "")
    assert skm("log", CASE, "--hendelse", "Samtale.", cwd=repo).exit_code == 0  # writing works too


def commit_journal(repo: Path, **changes: Any) -> dict[str, Any]:
    """A journal as skm writes it just before committing a change of CASE (consistent with HEAD)."""
    path = f"cases/{CASE}.yaml"
    entry = {"path": path, "old": blob(repo, path), "new": blob(repo, "cases/2026-0002.yaml"), "head": rev(repo)}
    return {**entry, **changes}


# --------------------------------------------------------------- the commit journal

@pytest.mark.parametrize(("changes", "reason"), [
    ({"path": "../utenfor.yaml"}, "en sti i den går ut av mappen sin (.. eller en absolutt sti)"),
    ({"path": "cases/../skole.yaml"}, "en sti i den går ut av mappen sin (.. eller en absolutt sti)"),
    ({"path": "/etc/passwd"}, "en sti i den går ut av mappen sin (.. eller en absolutt sti)"),
    ({"path": "skole.yaml"}, "en sti i den ligger utenfor cases/"),
    ({"sti": "x"}, "den har ukjente felt"),
    ({"new": "../../x"}, "en objekt-id i den er ugyldig"),
    ({"new": "1" * 40}, "den nevner innhold som ikke finnes i git"),
])
def test_a_bad_commit_journal_is_set_aside(skm, repo: Path, changes: dict[str, Any], reason: str) -> None:
    entry = commit_journal(repo, **changes)
    target = plant(repo, "journal.json", entry)
    refused_once(skm, repo, "journal.json", reason, target.read_bytes())
    assert not (repo.parent / "utenfor.yaml").exists()


def test_missing_keys_and_bad_json_are_set_aside_not_deleted(skm, repo: Path) -> None:
    entry = commit_journal(repo)
    del entry["head"]
    target = plant(repo, "journal.json", entry)
    refused_once(skm, repo, "journal.json", "det mangler felt i den", target.read_bytes())
    (repo / ".skm" / set_aside_as(repo, "journal.json")).unlink()
    target = plant(repo, "journal.json", '{"path": "cas')
    refused_once(skm, repo, "journal.json", "den er ikke gyldig JSON", target.read_bytes())


def test_the_attack_a_journal_that_recovers_by_deleting_a_case(skm, repo: Path) -> None:
    """The shape is right, but it does not describe the last write: the case stays."""
    entry = commit_journal(repo, old=None)  # "the case was new": recovery would delete the file
    target = plant(repo, "journal.json", entry)
    refused_once(skm, repo, "journal.json", "den stemmer ikke med siste commit (den er ikke fra siste lagring)",
                 target.read_bytes())
    assert (repo / "cases" / f"{CASE}.yaml").is_file()


def test_a_journal_tracked_by_git_is_not_trusted(skm, repo: Path) -> None:
    path = f"cases/{CASE}.yaml"
    entry = {"path": path, "old": blob(repo, path, "HEAD~1"), "new": blob(repo, path), "head": rev(repo)}
    target = plant(repo, "journal.json", entry)
    git(repo, "add", "--force", ".skm/journal.json")
    git(repo, "commit", "-q", "-m", "journal")  # HEAD^ is the journal's head: otherwise consistent
    content = target.read_bytes()
    result = skm("list", cwd=repo)
    assert result.exit_code == 0
    moved = set_aside_as(repo, "journal.json")
    assert result.stderr == notice("journal.json", "den er lagt inn i git, og skm lager den bare lokalt", moved)
    assert (repo / ".skm" / moved).read_bytes() == content
    assert git(repo, "status", "--porcelain").strip() == "D .skm/journal.json"  # the user sees it left git


def test_links_are_not_followed(skm, repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "journal.json"
    elsewhere.write_text(json.dumps(commit_journal(repo)), encoding="utf-8")
    (repo / ".skm" / "journal.json").symlink_to(elsewhere)
    result = skm("list", cwd=repo)
    assert result.exit_code == 0
    moved = set_aside_as(repo, "journal.json")
    assert result.stderr == notice("journal.json", "den er ikke en vanlig fil (en lenke eller noe annet)", moved)
    assert (repo / ".skm" / moved).is_symlink() and elsewhere.is_file()

    (repo / ".skm" / moved).unlink()
    (repo / "cases" / "lenke.yaml").symlink_to(repo / "skole.yaml")
    content = plant(repo, "journal.json", commit_journal(repo, path="cases/lenke.yaml")).read_bytes()
    before = (repo / "skole.yaml").read_bytes()
    result = skm("list", cwd=repo)
    moved = set_aside_as(repo, "journal.json")
    assert result.stderr.startswith(notice("journal.json", "en sti i den går gjennom en symbolsk lenke", moved))
    assert (repo / "skole.yaml").read_bytes() == before and (repo / ".skm" / moved).read_bytes() == content


def test_a_genuine_journal_is_still_recovered(repo: Path) -> None:
    """skm's own journal (before the commit): the old file comes back, as before."""
    path = repo / "cases" / f"{CASE}.yaml"
    old = path.read_bytes()
    entry = commit_journal(repo)
    plant(repo, "journal.json", entry)
    path.write_bytes(b"halvskrevet\n")
    assert GitStore(CaseRepo(repo)).recover()
    assert path.read_bytes() == old and journal.take_notices() == []
    assert not (repo / ".skm" / "journal.json").exists()


# ----------------------------------------------------------------- the sync journal

def sync_journal(repo: Path, **changes: Any) -> dict[str, Any]:
    """A journal of a move from HEAD~1 to HEAD (the second case added)."""
    entry = {"ref": "refs/heads/main", "old": rev(repo, "HEAD~1"), "new": rev(repo),
             "files": [["cases/2026-0002.yaml", None, None]], "index": False}
    return {**entry, **changes}


@pytest.mark.parametrize(("changes", "reason"), [
    ({"files": [["../x.yaml", "100644", None]]}, "en sti i den går ut av mappen sin (.. eller en absolutt sti)"),
    ({"files": [[".skm/journal.json", None, None]]}, "en sti i den peker inn i .git/ eller .skm/"),
    ({"files": [[".git/config", None, None]]}, "en sti i den peker inn i .git/ eller .skm/"),
    ({"files": [[f"cases/{CASE}.yaml", None, None]]}, "den nevner filer som synkroniseringen ikke endret"),
    ({"files": [["cases/2026-0002.yaml", "120000", "0" * 40]]}, "et felt i den har feil type"),
    ({"ref": "refs/heads/../../config"}, "grenen den nevner, er ugyldig"),
    ({"index": "ja"}, "et felt i den har feil type"),
    ({"extra": 1}, "den har ukjente felt"),
])
def test_a_bad_sync_journal_is_set_aside(skm, repo: Path, changes: dict[str, Any], reason: str) -> None:
    target = plant(repo, "sync.json", sync_journal(repo, **changes))
    refused_once(skm, repo, "sync.json", reason, target.read_bytes())


def test_a_stale_sync_journal_is_set_aside(skm, repo: Path) -> None:
    """Well-formed, but the branch is at neither of its commits: not about this state."""
    make_case(repo, elev_navn="Per Olsen")
    target = plant(repo, "sync.json", sync_journal(repo, old=rev(repo, "HEAD~2"), new=rev(repo, "HEAD~1"),
                                                   files=[["cases/2026-0002.yaml", None, None]]))
    content = target.read_bytes()
    assert recover_interrupted_sync(GitStore(CaseRepo(repo)))
    moved = set_aside_as(repo, "sync.json")
    assert journal.take_notices() == [notice(
        "sync.json", "grenen den nevner, har flyttet seg siden (den er ikke fra siste synkronisering)",
        moved).rstrip("\n")]
    assert (repo / ".skm" / moved).read_bytes() == content
    assert (repo / "cases" / "2026-0002.yaml").is_file()


def test_a_bad_index_backup_is_not_copied_over_the_index(skm, repo: Path) -> None:
    """A move from HEAD~1 to HEAD that "did not happen yet": restoring would copy the backup over the index."""
    entry = sync_journal(repo, index=True)
    git(repo, "update-ref", "refs/heads/main", entry["old"])
    index = (repo / ".git" / "index").read_bytes()
    (repo / ".skm" / "sync-index").write_bytes(b"not an index")
    content = plant(repo, "sync.json", entry).read_bytes()
    result = skm("list", cwd=repo)
    moved = set_aside_as(repo, "sync.json")
    assert result.stderr == notice("sync.json", "sikkerhetskopien av git-indeksen er ikke en git-indeks", moved)
    assert (repo / ".git" / "index").read_bytes() == index
    assert (repo / ".skm" / moved).read_bytes() == content
    assert rev(repo) == entry["old"]


# ------------------------------------------------------------------ the checks alone

def test_safe_path_rules(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "lenke").symlink_to(tmp_path / "cases")
    assert journal.safe_path("cases/2026-0001.yaml", tmp_path, inside="cases/") == "cases/2026-0001.yaml"
    assert journal.safe_path("templates/ny/mal.md", tmp_path, never=(".skm/",)) == "templates/ny/mal.md"
    for bad in ("", "cases/", "cases//x", "cases/./x", "cases\\x", "cases/x\0", 7, None, "lenke/x.yaml"):
        with pytest.raises(UntrustedJournal):
            journal.safe_path(bad, tmp_path, inside="cases/" if bad != "lenke/x.yaml" else None)


def test_set_aside_never_overwrites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal.time, "strftime", lambda _fmt: "20261120T101500")
    for text in ("a", "b", "c"):
        (tmp_path / "sync.json").write_text(text, encoding="utf-8")
        journal.set_aside(tmp_path / "sync.json", "grunn")
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        "sync.json.avvist-20261120T101500": "a", "sync.json.avvist-20261120T101500-2": "b",
        "sync.json.avvist-20261120T101500-3": "c"}
    assert len(journal.take_notices()) == 3 and journal.take_notices() == []
    assert not os.path.lexists(tmp_path / "sync.json")


# --------------------------------------------------------- a cache that came through git

def test_a_cache_tracked_by_git_is_not_trusted(skm, tmp_path: Path) -> None:
    """A forged ``.skm/cache/check.json`` in git (as a clone or CI gets it) cannot hide a finding."""
    from check_fixtures import build_clean, plain_commit
    from skolemiljo.checks.cache import content_hash

    repo = build_clean(tmp_path / "saker")
    assert skm("check", cwd=repo.root, env={"SKM_TODAY": "2026-11-20"}).exit_code == 0
    path = repo.cases_dir / "2026-0001.yaml"
    bad = path.read_text(encoding="utf-8").replace("status: mottatt", "status: glemt")
    plain_commit(repo, path, bad)
    cache = repo.state_dir / "cache" / "check.json"
    document = json.loads(cache.read_text(encoding="utf-8"))
    entry = document["files"]["cases/2026-0001.yaml"]
    entry[:4], entry[5] = [0, 0, 0, 0], content_hash(bad.encode("utf-8"))  # "this content has no findings"
    cache.write_text(json.dumps(document), encoding="utf-8")
    git(repo.root, "add", "--force", ".skm/cache/check.json")
    git(repo.root, "commit", "-q", "-m", "mellomlager")
    result = skm("check", "schema", cwd=repo.root, env={"SKM_TODAY": "2026-11-20"})
    assert result.exit_code == 1
    assert result.stdout.startswith("cases/2026-0001.yaml:")
    assert "[schema]" in result.stdout
