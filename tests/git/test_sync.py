"""Several staff, one central repository (issue 8): ``skm sync``.

A bare "central" repository and two clones on this machine (Anne the rektor,
Bjørn the avdelingsleder) play the stories through: colliding case ids,
parallel edits of different cases and of the same case (mergeable and
conflicting), interrupted syncs. Every refusal leaves the clone byte-identical.
"""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import commits, git, make_case, make_repo, snapshot, trailers
from skolemiljo.cli import prompts, sync as cli_sync
from skolemiljo.domain import merge
from skolemiljo.services import sync as sync_module, workflow
from skolemiljo.storage import yamlio
from skolemiljo.domain.author import Author
from skolemiljo.domain.merge import CENTRAL, LOCAL, MISSING, Item, Region, merge_case
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.storage.commits import GitStore
from skolemiljo.storage.worktree import recover_interrupted_sync

ANNE = Author("Anne Rektor", "anne@example.no")
BJORN = Author("Bjørn Avdelingsleder", "bjorn@example.no")
ANNE_TEXT = f"{ANNE.name} <{ANNE.email}>"
BJORN_TEXT = f"{BJORN.name} <{BJORN.email}>"
CASE = "2026-0001"
CASE_FILE = f"cases/{CASE}.yaml"


# ------------------------------------------------------------------ set-up

@pytest.fixture
def central(tmp_path: Path) -> Path:
    """A bare central repository holding one freshly initialised case repository."""
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


def repo_of(path: Path) -> CaseRepo:
    return CaseRepo(path)


def load(repo: Path, case_id: str = CASE) -> dict[str, Any]:
    return yamlio.load((repo / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8"))


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def central_head(central: Path) -> str:
    return git(central, "rev-parse", "refs/heads/main").strip()


def ok(result) -> None:
    assert result.exit_code == 0, result.stdout + result.stderr


def synced(skm, repo: Path, *args: str) -> str:
    result = skm("sync", *args, cwd=repo)
    ok(result)
    return result.stdout


def shared_case(skm, anne: Path, bjorn: Path, **fields: Any) -> str:
    """Anne registers a case and shares it; Bjørn fetches it."""
    case_id = make_case(anne, author=ANNE, **fields)
    synced(skm, anne)
    synced(skm, bjorn)
    assert load(bjorn, case_id) == load(anne, case_id)
    return case_id


def refused_unchanged(skm, repo: Path, central: Path, args: list[str], *needles: str, code: int = 1):
    """A refused sync: exit code, reasons named, clone and central untouched."""
    before, before_central = snapshot(repo), central_head(central)
    result = skm(*args, cwd=repo)
    assert result.exit_code == code, result.stdout + result.stderr
    for needle in needles:
        assert needle in result.stderr, f"{needle!r} not in:\n{result.stderr}"
    assert snapshot(repo) == before
    assert central_head(central) == before_central
    assert not (repo / ".skm" / "sync.json").exists()
    return result


# ------------------------------------------------------------ simple cases

def test_nothing_to_do_says_so_and_changes_nothing(skm, anne: Path) -> None:
    before = snapshot(anne)
    out = synced(skm, anne)
    assert out.startswith("Alt er oppdatert")
    assert snapshot(anne) == before


def test_no_upstream_is_a_usage_error(skm, case_repo: Path) -> None:
    before = snapshot(case_repo)
    result = skm("sync", cwd=case_repo)
    assert result.exit_code == 2
    assert "ikke koblet til et sentralt saksarkiv" in result.stderr
    assert "git remote add origin" in result.stderr
    assert snapshot(case_repo) == before


def test_remote_without_upstream_names_the_push_command(skm, anne: Path) -> None:
    git(anne, "branch", "--unset-upstream")
    result = skm("sync", cwd=anne)
    assert result.exit_code == 2
    assert "git push -u origin main" in result.stderr


def test_first_push_to_an_empty_central_repository(skm, tmp_path: Path) -> None:
    bare = tmp_path / "tom.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(bare))
    work = tmp_path / "saker"
    git(tmp_path, "clone", "--quiet", str(bare), str(work))
    make_repo(work)
    out = synced(skm, work)
    assert "det sentrale saksarkivet var tomt" in out
    assert central_head(bare) == head(work)
    assert synced(skm, work).startswith("Alt er oppdatert")


def test_only_incoming_fast_forwards(skm, anne: Path, bjorn: Path, central: Path) -> None:
    make_case(anne, author=ANNE)
    synced(skm, anne)
    out = synced(skm, bjorn)
    assert "Hentet 1 endring" in out and f"{CASE}: melding registrert" in out and ANNE.name in out
    assert head(bjorn) == head(anne) == central_head(central)
    assert git(bjorn, "status", "--porcelain") == ""
    assert git(bjorn, "ls-files", "--stage") == git(anne, "ls-files", "--stage")


def test_unrelated_central_history_is_refused(skm, anne: Path, tmp_path: Path) -> None:
    other = make_repo(tmp_path / "annet", skole="Annen skole")
    bare = tmp_path / "annet.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(other), str(bare))
    git(anne, "remote", "set-url", "origin", str(bare))
    make_case(anne, author=ANNE)
    refused_unchanged(skm, anne, bare, ["sync"], "ikke henger sammen", "uten README")


# ------------------------------------------------------ colliding case ids

def test_parallel_new_cases_with_colliding_ids(skm, anne: Path, bjorn: Path, central: Path) -> None:
    a = make_case(anne, author=ANNE, elev_navn="Kari Nordmann", klasse="9B")
    b = make_case(bjorn, author=BJORN, elev_navn="Ola Hansen", klasse="10A")
    assert a == b == CASE
    ok(skm("log", b, "--hendelse", f"Foresatte ringt; møtenotat arkiveres på sak {b}.", cwd=bjorn))
    original_date = git(bjorn, "log", "-1", "--format=%aI", "HEAD").strip()  # the log entry
    synced(skm, anne)
    anne_file = (anne / CASE_FILE).read_bytes()

    out = synced(skm, bjorn)

    assert f"saken du registrerte som {CASE}, heter nå 2026-0002" in out
    assert "Sendte 3 endringer" in out and "Hentet 1 endring" in out
    assert (bjorn / CASE_FILE).read_bytes() == anne_file  # pushed ids never change
    mine = load(bjorn, "2026-0002")
    assert mine["id"] == "2026-0002" and mine["elev"]["navn"] == "Ola Hansen"
    assert mine["logg"][1]["hendelse"] == "Foresatte ringt; møtenotat arkiveres på sak 2026-0002."
    assert mine["logg"][-1]["hendelse"].startswith(f"Saksnummeret er endret fra {CASE} til 2026-0002")
    assert mine["logg"][-1]["av"] == BJORN.name
    assert commits(bjorn)[1:] == [
        (f"{CASE}: melding registrert", ANNE_TEXT, (CASE_FILE,)),
        ("2026-0002: melding registrert", BJORN_TEXT, ("cases/2026-0002.yaml",)),
        ("2026-0002: logg ført", BJORN_TEXT, ("cases/2026-0002.yaml",)),
        (f"2026-0002: saksnummer endret fra {CASE}", BJORN_TEXT, ("cases/2026-0002.yaml",)),
    ]
    assert trailers(bjorn) == {"Skm-Case": "2026-0002", "Skm-Action": "renumber",
                               "Skm-Renumbered-From": CASE, "Skm-Version": trailers(bjorn)["Skm-Version"]}
    assert trailers(bjorn, "HEAD~1")["Skm-Case"] == "2026-0002"
    assert git(bjorn, "log", "-1", "--format=%aI", "HEAD~1").strip() == original_date  # author date kept
    assert central_head(central) == head(bjorn)
    assert git(bjorn, "status", "--porcelain") == ""

    history = skm("history", "2026-0002", cwd=bjorn)
    ok(history)
    assert [line.split("  ", 2)[2] for line in history.stdout.splitlines()] == [
        "melding registrert", "logg ført", f"saksnummer endret fra {CASE}"]

    synced(skm, anne)
    assert load(anne, "2026-0002") == mine and head(anne) == head(bjorn)
    ok(skm("validate", cwd=anne))


def test_renumbering_takes_the_next_id_free_on_both_sides(skm, anne: Path, bjorn: Path) -> None:
    make_case(anne, author=ANNE, elev_navn="Kari Nordmann")
    first = make_case(bjorn, author=BJORN, elev_navn="Ola Hansen")
    second = make_case(bjorn, author=BJORN, elev_navn="Per Olsen")
    assert (first, second) == (CASE, "2026-0002")
    synced(skm, anne)
    out = synced(skm, bjorn)
    assert f"saken du registrerte som {CASE}, heter nå 2026-0003" in out
    assert load(bjorn, "2026-0002")["elev"]["navn"] == "Per Olsen"  # no collision: unchanged
    assert load(bjorn, "2026-0003")["elev"]["navn"] == "Ola Hansen"
    assert load(bjorn, CASE)["elev"]["navn"] == "Kari Nordmann"


# -------------------------------------------- parallel edits, different cases

def test_parallel_edits_of_different_cases(skm, anne: Path, bjorn: Path, central: Path) -> None:
    make_case(anne, author=ANNE)
    make_case(anne, author=ANNE, elev_navn="Ola Hansen")
    synced(skm, anne)
    synced(skm, bjorn)
    ok(skm("notify", CASE, "rektor", cwd=anne))
    ok(skm("log", "2026-0002", "--hendelse", "Samtale med kontaktlærer.", cwd=bjorn))
    synced(skm, anne)

    out = synced(skm, bjorn)

    assert "Hentet 1 endring" in out and "Sendte 1 endring" in out and "Slått sammen" not in out
    assert commits(bjorn)[-2:] == [
        (f"{CASE}: rektor varslet", ANNE_TEXT, (CASE_FILE,)),
        ("2026-0002: logg ført", BJORN_TEXT, ("cases/2026-0002.yaml",)),
    ]
    assert git(bjorn, "rev-list", "--min-parents=2", "HEAD") == ""  # linear history
    synced(skm, anne)
    assert head(anne) == head(bjorn) == central_head(central)
    for case_id in (CASE, "2026-0002"):
        assert load(anne, case_id) == load(bjorn, case_id)


# ------------------------------------------------- parallel edits, same case

def test_same_case_different_parts_merge_without_asking(skm, anne: Path, bjorn: Path, central: Path) -> None:
    shared_case(skm, anne, bjorn)
    ok(skm("log", CASE, "--hendelse", "Anne snakket med foresatte.", cwd=anne))
    ok(skm("notify", CASE, "rektor", "--varslet-av", "Per Haugen", cwd=anne))
    synced(skm, anne)
    ok(skm("log", CASE, "--hendelse", "Bjørn snakket med kontaktlærer.", cwd=bjorn))
    ok(skm("investigate", CASE, "--type", "samtale", "--med", "eleven",
           "--oppsummering", "Eleven forteller om utestenging.", cwd=bjorn))

    out = synced(skm, bjorn, "--no-input")

    assert f"Slått sammen: sak {CASE}" in out
    data = load(bjorn)
    assert data["varsling"]["rektor"]["av"] == "Per Haugen"
    assert [a["oppsummering"] for a in data["undersokelse"]["aktiviteter"]] == ["Eleven forteller om utestenging."]
    assert [e["hendelse"] for e in data["logg"]] == [
        "Melding registrert.", "Anne snakket med foresatte.", "Rektor varslet 2026-11-20.",
        "Bjørn snakket med kontaktlærer.", "Undersøkelse: samtale 2026-11-20 registrert."]
    assert commits(bjorn)[-2:] == [
        (f"{CASE}: logg ført", BJORN_TEXT, (CASE_FILE,)),
        (f"{CASE}: undersøkelsesaktivitet registrert", BJORN_TEXT, (CASE_FILE,)),
    ]
    # The replayed intermediate commit already stands on Anne's work.
    middle = yamlio.load(git(bjorn, "show", f"HEAD~1:{CASE_FILE}"))
    assert middle["varsling"]["rektor"]["av"] == "Per Haugen" and middle["undersokelse"] is None
    ok(skm("validate", cwd=bjorn))
    synced(skm, anne)
    assert load(anne) == data


def conflicting_edits(skm, editor, anne: Path, bjorn: Path) -> None:
    """Anne moves the pupil to 9C and shares it; Bjørn, offline, to 9D and logs a call."""
    shared_case(skm, anne, bjorn)
    editor.replace((r"klasse: 9B", "klasse: 9C"))
    ok(skm("edit", CASE, cwd=anne))
    synced(skm, anne)
    editor.replace((r"klasse: 9B", "klasse: 9D"))
    ok(skm("edit", CASE, cwd=bjorn))
    ok(skm("log", CASE, "--hendelse", "Ringte foresatte.", cwd=bjorn))


def test_conflict_refused_with_no_input_leaves_everything(skm, editor, anne: Path, bjorn: Path,
                                                          central: Path) -> None:
    conflicting_edits(skm, editor, anne, bjorn)
    result = refused_unchanged(skm, bjorn, central, ["sync", "--no-input"],
                               f"sak {CASE} (elev.klasse)", "ingenting er endret", "--theirs")
    assert "9C" not in result.stderr and "9D" not in result.stderr  # no case content in the message
    assert load(bjorn)["elev"]["klasse"] == "9D"


def test_conflict_resolved_with_theirs(skm, editor, anne: Path, bjorn: Path, central: Path) -> None:
    conflicting_edits(skm, editor, anne, bjorn)
    out = synced(skm, bjorn, "--theirs")
    data = load(bjorn)
    assert data["elev"]["klasse"] == "9C"
    assert data["logg"][-1]["hendelse"] == "Ringte foresatte."
    assert f"Avgjort: sak {CASE} elev.klasse = verdien sentralt" in out
    assert f"Ikke sendt: «{CASE}: redigert» endret ingenting" in out
    assert commits(bjorn)[-2:] == [(f"{CASE}: redigert", ANNE_TEXT, (CASE_FILE,)),
                                   (f"{CASE}: logg ført", BJORN_TEXT, (CASE_FILE,))]
    assert central_head(central) == head(bjorn)
    assert "<<<<<<<" not in (bjorn / CASE_FILE).read_text(encoding="utf-8")


def test_conflict_resolved_with_ours(skm, editor, anne: Path, bjorn: Path) -> None:
    conflicting_edits(skm, editor, anne, bjorn)
    synced(skm, bjorn, "--ours")
    assert load(bjorn)["elev"]["klasse"] == "9D"
    assert [c[0] for c in commits(bjorn)[-3:]] == [f"{CASE}: redigert", f"{CASE}: redigert", f"{CASE}: logg ført"]
    synced(skm, anne)
    assert load(anne)["elev"]["klasse"] == "9D"


def test_ours_and_theirs_together_is_a_usage_error(skm, anne: Path) -> None:
    assert skm("sync", "--ours", "--theirs", cwd=anne).exit_code == 2


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend stdin is a terminal (the CliRunner's is not)."""
    monkeypatch.setattr(prompts, "interactive", lambda no_input: not no_input)


def test_conflict_resolved_by_prompting(skm, editor, anne: Path, bjorn: Path, terminal) -> None:
    conflicting_edits(skm, editor, anne, bjorn)
    result = skm("sync", cwd=bjorn, input="x\nl\n")
    ok(result)
    assert "Sentralt (de andres)" in result.stdout and "Lokalt (din endring)" in result.stdout
    table = [line for line in result.stdout.splitlines() if "│" in line]
    assert any("9C" in line and "9D" in line for line in table)  # side by side
    assert "(før: 9B)" in result.stdout
    assert "Svar s, l eller a." in result.stderr
    assert load(bjorn)["elev"]["klasse"] == "9D"


def test_conflict_prompt_abort_changes_nothing(skm, editor, anne: Path, bjorn: Path, central: Path,
                                               terminal) -> None:
    conflicting_edits(skm, editor, anne, bjorn)
    before, before_central = snapshot(bjorn), central_head(central)
    result = skm("sync", cwd=bjorn, input="a\n")
    assert result.exit_code == 1 and "Avbrutt; ingenting er endret." in result.stderr
    assert snapshot(bjorn) == before and central_head(central) == before_central


def test_merged_case_is_validated_before_anything_is_committed(skm, editor, anne: Path, bjorn: Path,
                                                               central: Path) -> None:
    """Each side is valid alone; together they are not: the case is refused, nothing changes."""
    shared_case(skm, anne, bjorn)
    ok(skm("notify", CASE, "rektor", cwd=anne))
    synced(skm, anne)
    synced(skm, bjorn)
    ok(skm("advance", CASE, cwd=anne))  # undersokes requires rektor notified
    synced(skm, anne)
    editor.replace((r"^  rektor:\n    dato: .*\n    av: .*\n", "  rektor: null\n"))
    ok(skm("edit", CASE, cwd=bjorn))  # still valid in status mottatt
    result = refused_unchanged(skm, bjorn, central, ["sync"], "ugyldig sak", "Ingenting er endret",
                               f"cases/{CASE}.yaml:")
    assert "varsling.rektor" in result.stderr


def test_parallel_tiltak_get_distinct_ids(skm, anne: Path, bjorn: Path) -> None:
    case_id = make_case(anne, author=ANNE, mottatt="2026-11-02")
    repo = repo_of(anne)
    workflow.notify(repo, case_id, ANNE, "rektor", date(2026, 11, 2))
    workflow.advance(repo, case_id, ANNE)
    synced(skm, anne)
    synced(skm, bjorn)
    workflow.add_tiltak(repo, case_id, ANNE, "Fast makker i storefri.", date(2026, 11, 23), date(2026, 12, 18),
                        "Miljøarbeider", date(2026, 12, 4))
    synced(skm, anne)
    assert workflow.add_tiltak(repo_of(bjorn), case_id, BJORN, "Samtaler med klassen.", date(2026, 11, 23),
                               date(2026, 12, 4), "Kontaktlærer", date(2026, 12, 4)) == "T1"

    out = synced(skm, bjorn)

    assert f"Nytt tiltaksnummer i sak {case_id}: tiltaket du la til som T1, heter nå T2" in out
    plan = load(bjorn)["aktivitetsplan"]["tiltak"]
    assert [(t["id"], t["ansvarlig"]) for t in plan] == [("T1", "Miljøarbeider"), ("T2", "Kontaktlærer")]
    logg = [e["hendelse"] for e in load(bjorn)["logg"]]
    assert "Tiltak T2 lagt til i aktivitetsplanen." in logg
    assert logg[-1].startswith("Tiltak T1 som ble lagt til her, har fått nummer T2")
    assert [c[0] for c in commits(bjorn)[-2:]] == [f"{case_id}: tiltak T2 lagt til",
                                                   f"{case_id}: tiltak omnummerert (T1 → T2)"]
    assert workflow.next_tiltak_id(load(bjorn)) == "T3"


def test_non_case_files_merge_by_line(skm, anne: Path, bjorn: Path) -> None:
    readme = (anne / "README.md").read_text(encoding="utf-8").splitlines(keepends=True)
    (anne / "README.md").write_text("# Anne\n" + "".join(readme[1:]), encoding="utf-8")
    git(anne, "commit", "--quiet", "-am", "README: tittel")
    synced(skm, anne)
    (bjorn / "README.md").write_text("".join(readme) + "Bjørn\n", encoding="utf-8")
    git(bjorn, "commit", "--quiet", "-am", "README: slutt")
    synced(skm, bjorn)
    text = (bjorn / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# Anne\n") and text.endswith("Bjørn\n")


# --------------------------------------------------------- refusals, failures

def test_uncommitted_change_to_an_incoming_case_is_refused(skm, anne: Path, bjorn: Path,
                                                           central: Path) -> None:
    shared_case(skm, anne, bjorn)
    ok(skm("log", CASE, "--hendelse", "Notat.", cwd=anne))
    synced(skm, anne)
    path = bjorn / CASE_FILE
    path.write_text(path.read_text(encoding="utf-8") + "# halvferdig\n", encoding="utf-8")
    refused_unchanged(skm, bjorn, central, ["sync"], CASE_FILE, "ikke er ført i historikken")


def diverged(skm, anne: Path, bjorn: Path) -> None:
    """Both clones have work the other lacks (a replay is needed)."""
    shared_case(skm, anne, bjorn)
    ok(skm("log", CASE, "--hendelse", "Anne sitt notat.", cwd=anne))
    synced(skm, anne)
    make_case(bjorn, author=BJORN, elev_navn="Ola Hansen")
    ok(skm("log", CASE, "--hendelse", "Bjørn sitt notat.", cwd=bjorn))


def test_push_rejected_by_the_central_repository_restores_everything(skm, anne: Path, bjorn: Path,
                                                                     central: Path) -> None:
    diverged(skm, anne, bjorn)
    hook = central / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'skm check feilet: sak mangler plan' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    refused_unchanged(skm, bjorn, central, ["sync"], "tok ikke imot", "skm check feilet",
                      "saksarkivet er som før")
    hook.unlink()
    synced(skm, bjorn)
    assert central_head(central) == head(bjorn)
    assert [e["hendelse"] for e in load(bjorn)["logg"]][-2:] == ["Anne sitt notat.", "Bjørn sitt notat."]


def test_someone_pushing_during_the_sync_restores_everything(skm, anne: Path, bjorn: Path, central: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    diverged(skm, anne, bjorn)
    real_push = sync_module.push

    def racing_push(git_, upstream, new):
        make_case(anne, author=ANNE, elev_navn="Per Olsen")
        git(anne, "push", "--quiet", "origin", "main")
        return real_push(git_, upstream, new)

    monkeypatch.setattr(sync_module, "push", racing_push)
    before = snapshot(bjorn)
    result = skm("sync", cwd=bjorn)
    assert result.exit_code == 1
    assert "Noen andre sendte endringer" in result.stderr and "skm sync` igjen" in result.stderr
    assert snapshot(bjorn) == before
    monkeypatch.setattr(sync_module, "push", real_push)
    synced(skm, bjorn)
    assert central_head(central) == head(bjorn)


def test_exception_between_steps_restores_everything(skm, anne: Path, bjorn: Path, central: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    diverged(skm, anne, bjorn)

    def broken_push(*_args):
        raise RuntimeError("nettverket forsvant")

    monkeypatch.setattr(sync_module, "push", broken_push)
    refused_unchanged(skm, bjorn, central, ["sync"], "uventet feil", "ingenting er endret")


def test_failure_while_writing_files_restores_everything(skm, anne: Path, bjorn: Path, central: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    diverged(skm, anne, bjorn)
    make_case(anne, author=ANNE, elev_navn="Per Olsen")
    synced(skm, anne)  # two incoming files: the failure comes after the first is written
    real_write = sync_module.WorkTree._write
    calls = {"n": 0}

    def failing_write(self, path, mode, content):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disken er full")
        return real_write(self, path, mode, content)

    monkeypatch.setattr(sync_module.WorkTree, "_write", failing_write)
    refused_unchanged(skm, bjorn, central, ["sync"], "uventet feil")
    assert calls["n"] > 2  # the restore rewrote what had been written


def test_a_sync_killed_half_way_is_undone_by_the_next_one(skm, anne: Path, bjorn: Path, central: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    diverged(skm, anne, bjorn)
    before = snapshot(bjorn)
    real_write = sync_module.WorkTree._write

    def killed(self, path, mode, content):
        real_write(self, path, mode, content)
        raise SystemExit(137)  # the process dies after writing one file

    monkeypatch.setattr(sync_module.WorkTree, "_write", killed)
    monkeypatch.setattr(sync_module.WorkTree, "restore", lambda self: None)  # a dead process restores nothing
    with pytest.raises(SystemExit):
        sync_module.sync(repo_of(bjorn), BJORN, lambda conflicts: {})
    assert snapshot(bjorn) != before and (bjorn / ".skm" / "sync.json").exists()
    monkeypatch.undo()

    assert recover_interrupted_sync(GitStore(repo_of(bjorn)))
    assert snapshot(bjorn) == before
    synced(skm, bjorn)
    assert central_head(central) == head(bjorn)


# ---------------------------------------------------------- the merge itself

def test_merge_keeps_both_sides_additions_in_lists() -> None:
    base = {"logg": [{"hendelse": "a"}], "kategorier": ["mobbing", "vold"]}
    central = {"logg": [{"hendelse": "a"}, {"hendelse": "c"}], "kategorier": ["mobbing", "vold", "trusler"]}
    local = {"logg": [{"hendelse": "a"}, {"hendelse": "d"}], "kategorier": ["mobbing", "isolering"]}
    merged, conflicts = merge_case(CASE, base, central, local)
    assert conflicts == []
    assert merged["logg"] == [{"hendelse": "a"}, {"hendelse": "c"}, {"hendelse": "d"}]
    assert merged["kategorier"] == ["mobbing", "trusler", "isolering"]


def test_merge_tiltak_by_id_and_fields_independently() -> None:
    t1 = {"id": "T1", "ansvarlig": "A", "evalueringer": []}
    base = {"aktivitetsplan": {"tiltak": [t1]}}
    central = {"aktivitetsplan": {"tiltak": [{**t1, "ansvarlig": "B"}]}}
    local = {"aktivitetsplan": {"tiltak": [{**t1, "evalueringer": [{"dato": "2026-11-20"}]},
                                           {"id": "T2", "ansvarlig": "C"}]}}
    merged, conflicts = merge_case(CASE, base, central, local)
    assert conflicts == []
    assert merged["aktivitetsplan"]["tiltak"] == [
        {"id": "T1", "ansvarlig": "B", "evalueringer": [{"dato": "2026-11-20"}]}, {"id": "T2", "ansvarlig": "C"}]


def test_merge_reports_true_conflicts_and_applies_choices() -> None:
    base = {"elev": {"klasse": "9B"}, "aktivitetsplan": {"tiltak": [{"id": "T1", "ansvarlig": "A"}]},
            "alvorlig": False}
    central = {"elev": {"klasse": "9C"}, "aktivitetsplan": {"tiltak": [{"id": "T1", "ansvarlig": "B"}]},
               "alvorlig": False}
    local = {"elev": {"klasse": "9D"}, "aktivitetsplan": {"tiltak": [{"id": "T1", "ansvarlig": "C"}]}}
    merged, conflicts = merge_case(CASE, base, central, local)
    assert [c.field for c in conflicts] == ["elev.klasse", "aktivitetsplan.tiltak[T1].ansvarlig"]
    assert conflicts[0].path == ("elev", "klasse") and conflicts[1].path[2] == Item("T1")
    assert "alvorlig" not in merged  # removed locally, unchanged centrally
    choices = {conflicts[0].key: LOCAL, conflicts[1].key: CENTRAL}
    merged, left = merge_case(CASE, base, central, local, choices)
    assert left == []
    assert merged["elev"]["klasse"] == "9D" and merged["aktivitetsplan"]["tiltak"][0]["ansvarlig"] == "B"


def test_merge_list_edits_of_the_same_entry() -> None:
    entry = {"dato": "2026-11-20", "av": "A", "hendelse": "x"}
    base = {"logg": [entry]}
    central = {"logg": [{**entry, "av": "B"}]}
    local = {"logg": [{**entry, "hendelse": "y"}, {"dato": "2026-11-21", "av": "A", "hendelse": "z"}]}
    merged, conflicts = merge_case(CASE, base, central, local)
    assert conflicts == []
    assert merged["logg"] == [{"dato": "2026-11-20", "av": "B", "hendelse": "y"},
                              {"dato": "2026-11-21", "av": "A", "hendelse": "z"}]
    local = {"logg": []}
    merged, conflicts = merge_case(CASE, base, central, local)  # deleted here, changed there
    assert [c.path for c in conflicts] == [("logg", Region(1))] and conflicts[0].field == "logg (del 1)"


def test_side_by_side_shows_both_values() -> None:
    conflict = merge.Conflict(CASE, ("elev", "klasse"), "9B", "9C", "9D")
    text = cli_sync.side_by_side(conflict, width=60)
    assert "elev.klasse" in text and "(før: 9B)" in text
    row = [line for line in text.splitlines() if "9C" in line][0]
    assert "9D" in row
    assert cli_sync.show_value(MISSING) == "(finnes ikke / fjernet)" and cli_sync.show_value(True) == "ja"


def test_sync_api_is_plain_python(anne: Path, bjorn: Path) -> None:
    make_case(anne, author=ANNE)
    result = sync_module.sync(repo_of(anne), ANNE, lambda conflicts: {})
    assert [c.subject for c in result.outgoing] == [f"{CASE}: melding registrert"]
    result = sync_module.sync(repo_of(bjorn), BJORN, lambda conflicts: {})
    assert [c.author for c in result.incoming] == [ANNE.name] and not result.outgoing
    assert sync_module.sync(repo_of(bjorn), BJORN, lambda conflicts: {}).up_to_date
    assert not (bjorn / ".skm" / "sync.json").exists() and not (bjorn / ".skm" / "sync-index").exists()


def test_cli_sides_are_merges_sides() -> None:
    """cli_sync names the sides (domain.sides, one definition) without importing the merge at start-up."""
    from skolemiljo.domain import sides

    assert (cli_sync.CENTRAL, cli_sync.LOCAL) == (merge.CENTRAL, merge.LOCAL) == (sides.CENTRAL, sides.LOCAL)
    assert cli_sync.CENTRAL is sides.CENTRAL
