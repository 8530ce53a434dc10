"""What ``skm sync`` refuses (issue 13, items 5, 8 and 22): deleted cases, ``.skm/`` from git, a failed fetch.

A bare central repository and two clones (Anne, Bjørn), as in ``test_sync.py``. Every
refusal: the exact message, exit code 1, and Bjørn's repository byte-identical (work
tree, index, every ref including the remote-tracking branch, and ``.skm/``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import git, make_case, make_repo, snapshot
from skolemiljo.domain.author import Author

ANNE = Author("Anne Rektor", "anne@example.no")
BJORN = Author("Bjørn Avdelingsleder", "bjorn@example.no")
FETCHING = "Henter fra det sentrale saksarkivet (origin/main) …\n"
NEVER_DELETED = ("Saker skal aldri slettes (dokumentasjonsplikten i opplæringslova § 12-4 fjerde ledd, og "
                 "arkivlova: sakene skal bevares)")
STATE_TEXT = ("Der ligger skm sin lokale tilstand (lås, gjenopprettingsjournaler, mellomlager, utkast); den skal "
              "aldri deles")


@pytest.fixture
def central(tmp_path: Path) -> Path:
    seed = make_repo(tmp_path / "oppsett")
    bare = tmp_path / "sentral.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(seed), str(bare))
    return bare


def clone(central: Path, target: Path, who: Author) -> Path:
    git(central.parent, "clone", "--quiet", str(central), str(target))
    git(target, "config", "user.name", who.name)
    git(target, "config", "user.email", who.email)
    return target.resolve()


@pytest.fixture
def anne(central: Path, tmp_path: Path) -> Path:
    return clone(central, tmp_path / "anne", ANNE)


@pytest.fixture
def bjorn(central: Path, tmp_path: Path) -> Path:
    return clone(central, tmp_path / "bjorn", BJORN)


def whole(repo: Path) -> dict[str, Any]:
    """Everything a refused sync must leave alone, refs and skm's own state included."""
    state = {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted((repo / ".skm").rglob("*"))
             if p.is_file() and p.name != "lock"} if (repo / ".skm").is_dir() else {}
    return {**snapshot(repo), "refs": git(repo, "for-each-ref"), "state": state,
            "index bytes": (repo / ".git" / "index").read_bytes()}


def sha(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "rev-parse", rev).strip()


def short(repo: Path, rev: str = "HEAD") -> str:
    return sha(repo, rev)[:7]


def ok(skm, repo: Path) -> str:
    result = skm("sync", cwd=repo)
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def refused(skm, repo: Path, central: Path, stderr: str) -> None:
    """``skm sync`` in ``repo`` exits 1 with exactly ``stderr`` and changes nothing anywhere."""
    before, before_central = whole(repo), git(central, "for-each-ref")
    result = skm("sync", cwd=repo)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == stderr
    assert whole(repo) == before
    assert git(central, "for-each-ref") == before_central


def shared(skm, anne: Path, bjorn: Path, count: int = 2) -> list[str]:
    ids = [make_case(anne, author=ANNE) for _ in range(count)]
    ok(skm, anne)
    ok(skm, bjorn)
    return ids


# ------------------------------------------------------------ deleted cases (item 5)

def deletion_refused(case_ids: str, revert: str, noun: str = "saken") -> str:
    return (FETCHING
            + f"Feil: Det sentrale saksarkivet har endringer som sletter {noun} {case_ids}. {NEVER_DELETED}; skm "
            "henter ikke disse endringene, og ingenting er endret her.\n"
            f"Tips: Be den som sendte endringene, eller den som drifter det sentrale saksarkivet, gjenopprette "
            f"{noun} der, for eksempel med `git revert {revert}` og `git push`. Kjør så `skm sync` igjen.\n")


def test_a_colleagues_git_rm_is_refused_and_a_revert_is_taken(skm, anne: Path, bjorn: Path,
                                                               central: Path) -> None:
    first, _second = shared(skm, anne, bjorn)
    git(anne, "rm", "--quiet", f"cases/{first}.yaml")
    git(anne, "commit", "--quiet", "-m", "Rydder")
    git(anne, "push", "--quiet", "origin", "main")
    gone = short(anne)

    refused(skm, bjorn, central, deletion_refused(f"{first} (commit {gone})", gone))
    assert (bjorn / "cases" / f"{first}.yaml").is_file()

    git(anne, "revert", "--no-edit", "HEAD")
    git(anne, "push", "--quiet", "origin", "main")
    out = ok(skm, bjorn)
    assert out.startswith("Hentet 2 endringer")
    assert (bjorn / "cases" / f"{first}.yaml").read_bytes() == (anne / "cases" / f"{first}.yaml").read_bytes()


def test_a_case_renamed_away_is_refused(skm, anne: Path, bjorn: Path, central: Path) -> None:
    first, _second = shared(skm, anne, bjorn)
    git(anne, "mv", f"cases/{first}.yaml", "cases/gammel-sak.yaml")
    git(anne, "commit", "--quiet", "-m", "Nytt navn")
    git(anne, "push", "--quiet", "origin", "main")
    moved = short(anne)
    refused(skm, bjorn, central, deletion_refused(f"{first} (commit {moved})", moved))


def test_deletions_are_refused_also_when_both_sides_have_work(skm, anne: Path, bjorn: Path,
                                                              central: Path) -> None:
    """Two cases deleted in two commits, a case added and deleted again; Bjørn has local work."""
    first, second = shared(skm, anne, bjorn)
    third = make_case(anne, author=ANNE)
    for case_id in (first, second, third):
        git(anne, "rm", "--quiet", f"cases/{case_id}.yaml")
        git(anne, "commit", "--quiet", "-m", f"Fjerner {case_id}")
    git(anne, "push", "--quiet", "origin", "main")
    ok_log = skm("log", first, "--hendelse", "Samtale med eleven.", cwd=bjorn)
    assert ok_log.exit_code == 0
    c1, c2, c3 = short(anne, "HEAD~2"), short(anne, "HEAD~1"), short(anne)
    refused(skm, bjorn, central, deletion_refused(
        f"{first} (commit {c1}), {second} (commit {c2}), {third} (commit {c3})", f"{c3} {c2} {c1}", "sakene"))


def test_an_outgoing_deletion_is_refused(skm, anne: Path, bjorn: Path, central: Path) -> None:
    first, _second = shared(skm, anne, bjorn)
    git(bjorn, "rm", "--quiet", f"cases/{first}.yaml")
    git(bjorn, "commit", "--quiet", "-m", "Rydder")
    gone = short(bjorn)
    refused(skm, bjorn, central, FETCHING + (
        f"Feil: Du har slettet saken {first} (commit {gone}) her. {NEVER_DELETED}; skm sender ikke slettingen, "
        "og ingenting er endret.\n"
        f"Tips: Gjenopprett saken med `git revert {gone}`, og kjør `skm sync` igjen.\n"))


# --------------------------------------------------------------- .skm/ from git (item 8)

def hostile_journal(repo: Path, case_id: str) -> dict[str, Any]:
    """The journal of the attack: 'recover' the case file to 'no file' (deletes it)."""
    path = f"cases/{case_id}.yaml"
    return {"path": path, "old": None, "new": "0" * 40, "head": sha(repo)}


def test_a_pushed_skm_journal_is_refused(skm, anne: Path, bjorn: Path, central: Path) -> None:
    first, _second = shared(skm, anne, bjorn)
    (anne / ".skm").mkdir(exist_ok=True)
    (anne / ".skm" / "journal.json").write_text(json.dumps(hostile_journal(anne, first)), encoding="utf-8")
    git(anne, "add", "--force", ".skm/journal.json")
    git(anne, "commit", "--quiet", "-m", "Journal")
    git(anne, "push", "--quiet", "origin", "main")
    (anne / ".skm" / "journal.json").unlink()
    pushed = short(anne)
    refused(skm, bjorn, central, FETCHING + (
        f"Feil: Det sentrale saksarkivet har endringer som legger filer under .skm/ i git (commit {pushed}). "
        f"{STATE_TEXT}, og en journal derfra kunne fått skm til å slette en sak. skm henter ikke disse "
        "endringene, og ingenting er endret her.\n"
        "Tips: Be den som drifter det sentrale saksarkivet, fjerne dem der: `git rm -r --cached .skm/`, "
        "`git commit` og `git push`. Kjør så `skm sync` igjen.\n"))
    assert not (bjorn / ".skm" / "journal.json").exists()
    assert (bjorn / "cases" / f"{first}.yaml").is_file()

    git(anne, "rm", "-r", "--quiet", "--cached", ".skm/")
    git(anne, "commit", "--quiet", "-m", "Lokal tilstand ut av git")
    git(anne, "push", "--quiet", "origin", "main")
    ok(skm, bjorn)  # history holds the journal, the tip does not: taken
    assert not (bjorn / ".skm" / "journal.json").exists()
    assert (bjorn / "cases" / f"{first}.yaml").is_file()
    assert git(bjorn, "ls-files", ".skm") == ""


def test_local_skm_files_in_git_are_not_sent(skm, anne: Path, bjorn: Path, central: Path) -> None:
    shared(skm, anne, bjorn)
    make_case(bjorn, author=BJORN)
    (bjorn / ".skm" / "notat.txt").write_text("lokalt\n", encoding="utf-8")
    git(bjorn, "add", "--force", ".skm/notat.txt")
    git(bjorn, "commit", "--quiet", "-m", "Notat")
    refused(skm, bjorn, central, FETCHING + (
        f"Feil: Saksarkivet ditt har filer under .skm/ i git. {STATE_TEXT}. skm sender ikke, og ingenting er "
        "endret.\n"
        "Tips: Ta dem ut av git (filene blir liggende): `git rm -r --cached .skm/` og "
        "`git commit -m \"Lokal tilstand ut av git\"`. Kjør så `skm sync` igjen.\n"))


# ------------------------------------------------------------- a failed fetch (item 22)

def test_a_failed_fetch_says_what_git_said_and_what_to_do(skm, anne: Path, central: Path, tmp_path: Path) -> None:
    gone = tmp_path / "flyttet.git"
    git(anne, "remote", "set-url", "origin", str(gone))
    make_case(anne, author=ANNE)
    before = whole(anne)
    result = skm("sync", cwd=anne)
    assert result.exit_code == 1
    assert result.stderr == FETCHING + (
        "Feil: Kunne ikke hente endringene fra det sentrale saksarkivet (fjernarkivet «origin»): fant ikke det "
        "sentrale saksarkivet på adressen. git fetch svarte:\n"
        f"  fatal: '{gone}' does not appear to be a git repository\n"
        "  fatal: Could not read from remote repository.\n"
        "  Please make sure you have the correct access rights\n"
        "  and the repository exists.\n"
        "Tips: Se adressen med `git remote -v` og rett den med `git remote set-url origin ADRESSE`, og kjør "
        "`skm sync` igjen. Ingenting er endret.\n")
    assert whole(anne) == before


def test_fetch_failures_are_told_apart() -> None:
    from skolemiljo.storage.remote import fetch_failed

    network = fetch_failed("origin", "fatal: unable to access 'https://kari:hemmelig@git.example.no/s.git/': "
                                     "Could not resolve host: git.example.no\n")
    assert network.message == (
        "Kunne ikke hente endringene fra det sentrale saksarkivet (fjernarkivet «origin»): maskinen fikk ikke "
        "kontakt med serveren. git fetch svarte:\n"
        "  fatal: unable to access 'https://…@git.example.no/s.git/': Could not resolve host: git.example.no")
    assert network.hint == ("Sjekk nettverksforbindelsen (og VPN, om kommunen krever det), og kjør `skm sync` "
                            "igjen. Ingenting er endret.")
    access = fetch_failed("sentral", "remote: \x1b[31mHTTP Basic: Access denied\x1b[0m\n"
                                     "fatal: Authentication failed for 'https://git.example.no/s.git/'\n")
    assert "du fikk ikke tilgang" in access.message and "\x1b" not in access.message
    assert "  remote: ?[31mHTTP Basic: Access denied?[0m\n" in access.message
    assert access.hint.startswith("Sjekk at du er logget inn: kjør `git fetch sentral` selv")
    other = fetch_failed("origin", "")
    assert other.message.endswith("git fetch feilet. git fetch svarte:\n  (git sa ingenting om hvorfor)")


def test_a_journal_with_dotdot_no_longer_breaks_sync(skm, anne: Path, bjorn: Path) -> None:
    """The journal is set aside with a notice, and the sync goes ahead."""
    shared(skm, anne, bjorn)
    make_case(anne, author=ANNE)
    ok(skm, anne)
    planted = {"path": "../../utenfor.yaml", "old": None, "new": "0" * 40, "head": sha(bjorn)}
    (bjorn / ".skm" / "journal.json").write_text(json.dumps(planted), encoding="utf-8")
    result = skm("sync", cwd=bjorn)
    assert result.exit_code == 0, result.stderr
    moved = [p.name for p in (bjorn / ".skm").iterdir() if p.name.startswith("journal.json.avvist-")]
    assert len(moved) == 1
    assert result.stderr == (
        "Advarsel: .skm/journal.json ble ikke brukt: en sti i den går ut av mappen sin (.. eller en absolutt sti). "
        "skm stoler bare på gjenopprettingsjournaler den har skrevet selv. Fila er lagt til side som "
        f".skm/{moved[0]}, og ingenting er endret etter den.\n"
        "Tips: Har skm nylig stoppet midt i en lagring eller en synkronisering, se etter endringer som ikke er "
        "committet, med `skm check`. Ellers kan fila slettes.\n" + FETCHING)
    assert result.stdout.startswith("Hentet 1 endring")
    assert sha(bjorn) == sha(anne)
