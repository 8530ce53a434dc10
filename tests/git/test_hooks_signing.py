"""The repository's commit hooks and ``commit.gpgsign`` are honoured (issue 13.13).

skm commits with git's plumbing (``commit-tree``), which runs no hook and does not read
``commit.gpgsign``; so skm runs ``pre-commit``, ``prepare-commit-msg``, ``commit-msg`` and
``post-commit`` itself (``git hook run``) and signs with ``commit-tree -S``. A hook that fails or
a signature that cannot be made stops the write: exit 1, a Norwegian message, nothing changed.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import AUTHOR_EMAIL, AUTHOR_TEXT, case_file, commit_message, commits, git, make_case, snapshot

NEW_CASE = ("new-case", "--elev", "Kari Nordmann", "--klasse", "9B", "--under-18", "--sakstype", "elev-elev",
            "--meldt-av", "elev", "--mottatt-av", "Per Haugen", "--beskrivelse", "Holdes utenfor.", "--no-input",
            "--av", AUTHOR_TEXT)
LOG = ("log", "2026-0001", "--hendelse", "Samtale med eleven.", "--dato", "2026-11-19", "--no-input",
       "--av", AUTHOR_TEXT)


def hook(repo: Path, name: str, body: str, folder: str = ".git/hooks") -> Path:
    path = repo / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def refused(name: str, code: int, said: str, hooks: Path) -> list[str]:
    return [f"Feil: Git-kroken {name} stoppet commiten (avslutningskode {code}); skm har ikke laget noen commit, "
            "og ingenting er endret.",
            f"Tips: Kroken skrev: «{said}». Rett det kroken klager over og prøv igjen (kroken ligger i {hooks})."]


@pytest.mark.parametrize("name", ["pre-commit", "commit-msg"])
def test_a_failing_hook_stops_a_new_case(skm, case_repo: Path, name: str) -> None:
    hook(case_repo, name, "echo 'stoppet av skolens regel' >&2\nexit 1")
    before = snapshot(case_repo)
    history = commits(case_repo)

    result = skm(*NEW_CASE, cwd=case_repo)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == refused(name, 1, "stoppet av skolens regel", case_repo / ".git" / "hooks")
    assert snapshot(case_repo) == before
    assert commits(case_repo) == history
    assert not case_file(case_repo, "2026-0001").exists()
    assert not (case_repo / ".skm" / "journal.json").exists()
    assert sorted(p.name for p in (case_repo / ".skm").iterdir() if p.name.startswith("index")) == []


def test_a_failing_pre_commit_hook_leaves_an_existing_case_as_it_was(skm, case_repo: Path) -> None:
    make_case(case_repo)
    hook(case_repo, "pre-commit", "exit 3")
    before = snapshot(case_repo)
    text = case_file(case_repo, "2026-0001").read_bytes()

    result = skm(*LOG, cwd=case_repo)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Feil: Git-kroken pre-commit stoppet commiten (avslutningskode 3); skm har ikke laget noen commit, og "
        "ingenting er endret.",
        f"Tips: Rett det kroken klager over og prøv igjen (kroken ligger i {case_repo / '.git' / 'hooks'}).",
    ]
    assert snapshot(case_repo) == before
    assert case_file(case_repo, "2026-0001").read_bytes() == text
    # and the next skm command has nothing to recover: the refusal was complete
    assert skm("show", "2026-0001", cwd=case_repo).stderr == ""


def test_the_hooks_see_exactly_the_commit_skm_makes(skm, case_repo: Path, tmp_path: Path) -> None:
    seen = tmp_path / "seen.txt"
    hook(case_repo, "pre-commit", f'git diff --cached --name-status > "{seen}"\n'
         f'test -f cases/2026-0001.yaml && echo "fila finnes" >> "{seen}"')
    hook(case_repo, "commit-msg", 'printf "\\nReviewed-by: Skolens krok\\n" >> "$1"')
    marker = tmp_path / "post-commit.txt"
    hook(case_repo, "post-commit", f'git rev-parse HEAD > "{marker}"\nexit 1')
    (case_repo / "egen.txt").write_text("brukerens egen fil\n", encoding="utf-8")
    git(case_repo, "add", "egen.txt")  # staged by the user: neither in skm's commit nor in its hooks' index

    result = skm(*NEW_CASE, cwd=case_repo)

    assert result.exit_code == 0, result.stderr
    assert seen.read_text(encoding="utf-8") == "A\tcases/2026-0001.yaml\nfila finnes\n"
    assert commits(case_repo)[-1] == ("2026-0001: melding registrert", AUTHOR_TEXT, ("cases/2026-0001.yaml",))
    message = commit_message(case_repo)
    assert message.startswith("2026-0001: melding registrert\n\nSkm-Case: 2026-0001\nSkm-Action: new-case\n")
    assert message.endswith("\nReviewed-by: Skolens krok\n")
    assert marker.read_text(encoding="utf-8").strip() == git(case_repo, "rev-parse", "HEAD").strip()
    assert git(case_repo, "diff", "--cached", "--name-only") == "egen.txt\n"
    assert git(case_repo, "status", "--porcelain") == "A  egen.txt\n"


def test_core_hookspath_is_honoured(skm, case_repo: Path) -> None:
    hook(case_repo, "pre-commit", "echo nei >&2\nexit 1", folder="kroker")
    git(case_repo, "config", "core.hooksPath", "kroker")
    before = commits(case_repo)

    result = skm(*NEW_CASE, cwd=case_repo)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == refused("pre-commit", 1, "nei", case_repo / "kroker")
    assert commits(case_repo) == before


def test_a_hook_that_is_not_executable_is_not_run(skm, case_repo: Path) -> None:
    path = hook(case_repo, "pre-commit", "exit 1")
    path.chmod(0o644)  # as git: a hook without the executable bit is ignored
    assert skm(*NEW_CASE, cwd=case_repo).exit_code == 0


# ------------------------------------------------------------------ signing

SSH_KEYGEN = shutil.which("ssh-keygen")
needs_ssh_keygen = pytest.mark.skipif(SSH_KEYGEN is None, reason="ssh-keygen mangler (apt-get install openssh-client)")


@pytest.fixture
def ssh_key(tmp_path: Path) -> Path:
    key = tmp_path / "nokkel"
    subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", str(key)], check=True)
    return key


def _verify(repo: Path, key: Path) -> str:
    allowed = key.with_name("allowed_signers")
    allowed.write_text(f"{AUTHOR_EMAIL} {key.with_suffix('.pub').read_text(encoding='utf-8')}", encoding="utf-8")
    return git(repo, "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "-1", "--format=%G?%x1f%GS").rstrip("\n")


@needs_ssh_keygen
def test_commits_are_signed_when_the_repository_asks_for_it(skm, case_repo: Path, ssh_key: Path) -> None:
    assert _verify(case_repo, ssh_key) == "N\x1f"  # skm init's commit, before signing was turned on
    git(case_repo, "config", "gpg.format", "ssh")
    git(case_repo, "config", "user.signingkey", str(ssh_key.with_suffix(".pub")))
    git(case_repo, "config", "commit.gpgsign", "true")

    result = skm(*NEW_CASE, cwd=case_repo)

    assert result.exit_code == 0, result.stderr
    assert _verify(case_repo, ssh_key) == f"G\x1f{AUTHOR_EMAIL}"


@needs_ssh_keygen
def test_a_commit_that_cannot_be_signed_is_refused(skm, case_repo: Path, tmp_path: Path) -> None:
    make_case(case_repo)
    git(case_repo, "config", "gpg.format", "ssh")
    git(case_repo, "config", "user.signingkey", str(tmp_path / "finnes-ikke.pub"))
    git(case_repo, "config", "commit.gpgsign", "true")
    before = snapshot(case_repo)
    text = case_file(case_repo, "2026-0001").read_bytes()

    result = skm(*LOG, cwd=case_repo)

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == ("Feil: Commiten kunne ikke signeres (commit.gpgsign er slått på); skm lager ikke en "
                        "usignert commit i stedet, og ingenting er endret.")
    assert lines[1].startswith("Tips: git sa: ")
    assert lines[1].endswith("Kontroller user.signingkey og gpg.format (og at nøkkelen er tilgjengelig), eller slå "
                             "av signering med `git config commit.gpgsign false`.")
    assert len(lines) == 2
    assert snapshot(case_repo) == before
    assert case_file(case_repo, "2026-0001").read_bytes() == text
