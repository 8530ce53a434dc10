"""Issue 13 under hostile conditions: each item reproduced, each ending in a clear Norwegian
message, the documented exit code and nothing changed (items 1, 3, 4, 6, 14–16, 18, 19, 22).
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from conftest import AUTHOR, AUTHOR_TEXT, case_file, commits, git, make_case, read_only, snapshot

LOG = ("log", "--hendelse", "Samtale med eleven.", "--av", AUTHOR_TEXT)


def temp_litter(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.skm-tmp-*") if ".git" not in p.parts)


# ------------------------------------------------------------ 1: two skm edit on one case

def test_two_edit_sessions_get_their_own_drafts_and_the_stale_save_is_refused(case_repo: Path) -> None:
    from skolemiljo.errors import RefusedError
    from skolemiljo.services.cases import finish_edit, start_edit
    from skolemiljo.storage.repository import CaseRepo

    repo = CaseRepo(case_repo)
    case_id = make_case(repo)
    first, second = start_edit(repo, case_id), start_edit(repo, case_id)
    try:
        assert first.draft != second.draft
        assert (first.draft.name, second.draft.name) == (f"{case_id}.yaml", f"{case_id}-2.yaml")
        first.draft.write_text(first.draft.read_text(encoding="utf-8").replace("klasse: 9B", "klasse: 10A"),
                               encoding="utf-8")
        typed = second.draft.read_text(encoding="utf-8").replace("klasse: 9B", "klasse: 8C")
        second.draft.write_text(typed, encoding="utf-8")
        assert finish_edit(repo, case_id, AUTHOR, first).outcome == "saved"
        saved = snapshot(case_repo)
        with pytest.raises(RefusedError) as refused:
            finish_edit(repo, case_id, AUTHOR, second)
    finally:
        first.close()
        second.close()
    assert refused.value.message == (
        f"Sak {case_id} er endret siden du begynte å redigere (av en annen skm-kommando, en kollega eller en "
        "synkronisering); endringene dine er ikke lagret.")
    kept = re.fullmatch(rf"Det du skrev er tatt vare på i (\.skm/utkast/{case_id}-ikke-lagret-[0-9-]+\.yaml)\. "
                        rf"Se hva som er endret med `skm history {case_id}`, kjør `skm edit {case_id}` og før inn "
                        r"endringene dine på nytt\.", refused.value.hint)
    assert kept, refused.value.hint
    assert (case_repo / kept[1]).read_text(encoding="utf-8") == typed  # nothing typed is lost
    assert snapshot(case_repo) == saved  # the first save stands, the second changed nothing
    assert "klasse: 10A" in case_file(case_repo, case_id).read_text(encoding="utf-8")
    assert sorted(p.name for p in (case_repo / ".skm" / "utkast").iterdir()) == [Path(kept[1]).name]


def test_skm_edit_refuses_when_another_command_changed_the_case_meanwhile(skm, case_repo: Path, editor,
                                                                          monkeypatch) -> None:
    """A real `skm edit` whose editor session overlaps a `skm log` of the same case."""
    case_id = make_case(case_repo)
    import skolemiljo.cli.cases as cli_cases
    from skolemiljo.services.workflow import add_log
    from skolemiljo.storage.repository import CaseRepo

    original = cli_cases._edit_loop

    def meanwhile(case_repo_, case_id_, author, editor_cmd, session):
        add_log(CaseRepo(case_repo), case_id, AUTHOR, "Kollegaen førte en samtale.")  # while the editor is open
        return original(case_repo_, case_id_, author, editor_cmd, session)

    monkeypatch.setattr(cli_cases, "_edit_loop", meanwhile)
    editor.replace((r"^  klasse: 9B$", "  klasse: 10A"))
    result = skm("edit", case_id, cwd=case_repo)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Feil: Sak {case_id} er endret siden du begynte å redigere")
    assert lines[1].startswith("Tips: Det du skrev er tatt vare på i .skm/utkast/")
    assert result.stdout == ""
    assert commits(case_repo)[-1][0] == f"{case_id}: logg ført"
    assert "klasse: 9B" in case_file(case_repo, case_id).read_text(encoding="utf-8")
    # The next edit starts from the case as it is now.
    monkeypatch.setattr(cli_cases, "_edit_loop", original)
    editor.replace((r"^  klasse: 9B$", "  klasse: 10A"))
    again = skm("edit", case_id, cwd=case_repo)
    assert (again.exit_code, again.stdout) == (0, f"Lagret sak {case_id}.\n")


def test_a_leftover_draft_of_an_older_version_is_kept_aside_not_resumed(skm, case_repo: Path, editor) -> None:
    case_id = make_case(case_repo)
    editor.replace((r"^  klasse: 9B$", "  klasse: no"))
    assert skm("edit", case_id, cwd=case_repo).exit_code == 1  # invalid: the draft stays
    assert skm(*LOG[:1], case_id, *LOG[1:], cwd=case_repo).exit_code == 0  # the case moves on
    editor.replace()
    result = skm("edit", case_id, cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert re.fullmatch(r"Utkastet du ikke fikk lagret sist, bygger på en eldre versjon av saken; det er tatt vare "
                        rf"på i \.skm/utkast/{case_id}-ikke-lagret-[0-9-]+\.yaml\. Du redigerer saken slik den er nå\.",
                        first), first
    kept = next((case_repo / ".skm" / "utkast").glob(f"{case_id}-ikke-lagret-*.yaml"))
    assert "  klasse: no" in kept.read_text(encoding="utf-8")


# ------------------------------------------------------------ 3: skm edit on a non-UTF-8 file

def test_edit_refuses_a_non_utf8_file_with_the_validate_message(skm, case_repo: Path, editor) -> None:
    case_id = make_case(case_repo)
    path = case_file(case_repo, case_id)
    path.write_bytes(path.read_text(encoding="utf-8").replace("Kari Nordmann", "Kari Ødegård").encode("latin-1"))
    git(case_repo, "commit", "-q", "-am", "lagret i feil tegnsett")
    before = snapshot(case_repo)
    validate = skm("validate", f"cases/{case_id}.yaml", cwd=case_repo)
    finding = validate.stdout.strip()
    assert finding == f"cases/{case_id}.yaml:9: [yaml] Fila er ikke gyldig UTF-8; lagre den som UTF-8."
    result = skm("edit", case_id, cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Feil: Sak {case_id} kan ikke redigeres med skm edit; ingenting er endret.",
        f"  {finding}",
        "Tips: Rett fila med et vanlig redigeringsprogram (lagre den som UTF-8, for eksempel med "
        "`iconv -f latin1 -t utf-8`), og commit den; deretter virker `skm edit` igjen.",
    ]
    assert editor.opened() == []
    assert snapshot(case_repo) == before
    import subprocess

    history = subprocess.run(["git", "log", "-p"], cwd=case_repo, capture_output=True, check=True).stdout
    assert "\ufffd".encode() not in history  # no replacement character was ever committed


# ------------------------------------------------------ 4: never write what cannot be read back

def test_a_log_entry_that_would_make_the_case_too_large_is_refused_and_kept(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    chunk = "Lang tekst. " * 10_000  # 120 kB, as in the report
    for _ in range(8):
        assert skm("log", case_id, "--hendelse", chunk, "--av", AUTHOR_TEXT, cwd=case_repo).exit_code == 0
    before = snapshot(case_repo)
    result = skm("log", case_id, "--hendelse", chunk + "SISTE", "--av", AUTHOR_TEXT, cwd=case_repo)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"Feil: Saken ville blitt for stor \(1 0\d\d \d\d\d byte; grensen er 1 000 000\), og da kan "
                        r"ingen skm-kommando lese den igjen\. Ingenting er lagret\.", lines[0]), lines[0]
    kept = re.fullmatch(rf"Tips: Hele saken med det du skrev er tatt vare på i (\.skm/utkast/{case_id}-ikke-lagret-"
                        r"[0-9-]+\.yaml)\. Skriv kortere, eller legg lange dokumenter i arkivet og skriv en "
                        r"henvisning i saken\.", lines[1])
    assert kept, lines[1]
    assert (chunk + "SISTE").strip() in (case_repo / kept[1]).read_text(encoding="utf-8").replace("\n    ", " ")
    assert snapshot(case_repo) == before
    assert skm("show", case_id, cwd=case_repo).exit_code == 0  # every command can still read the case


# ------------------------------------------------------------------------- 6: temp files

def test_planted_symlinks_in_a_shared_output_folder_are_never_written_through(skm, case_repo: Path,
                                                                              tmp_path: Path) -> None:
    case_id = make_case(case_repo)
    shared = tmp_path / "delt"
    shared.mkdir()
    victim = tmp_path / "offer.txt"
    victim.write_text("offerets fil\n", encoding="utf-8")
    # Every name the old scheme used (.<name>.skm-tmp-<pid>) for a wide range of pids.
    name = f"{case_id}-meldingsskjema.html"
    for pid in range(max(1, os.getpid() - 150), os.getpid() + 150):
        (shared / f".{name}.skm-tmp-{pid}").symlink_to(victim)
    result = skm("render", case_id, "meldingsskjema", "-f", "html", "-o", str(shared), cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "offerets fil\n"
    assert (shared / name).is_file() and not (shared / name).is_symlink()


def test_temp_names_are_unpredictable_and_a_taken_name_is_never_opened(tmp_path: Path, monkeypatch) -> None:
    import secrets

    from skolemiljo.storage import atomic

    names = {atomic.temp_name("x.yaml") for _ in range(50)}
    assert len(names) == 50
    target = tmp_path / "x.yaml"
    victim = tmp_path / "victim"
    victim.write_text("v", encoding="utf-8")
    tokens = iter(["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"])
    monkeypatch.setattr(secrets, "token_hex", lambda _n: next(tokens))
    (tmp_path / f".x.yaml.skm-tmp-{os.getpid()}-aaaaaaaaaaaaaaaa").symlink_to(victim)
    atomic.write_atomic(target, b"data")
    assert target.read_bytes() == b"data" and victim.read_text(encoding="utf-8") == "v"


def test_stale_temp_files_of_both_name_forms_are_cleaned_and_symlinks_only_unlinked(tmp_path: Path) -> None:
    from skolemiljo.storage.atomic import remove_stale_temp_files

    victim = tmp_path / "victim"
    victim.write_text("v", encoding="utf-8")
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / ".a.yaml.skm-tmp-4242").write_bytes(b"old form")
    (folder / ".b.yaml.skm-tmp-4242-0123456789abcdef").write_bytes(b"new form")
    (folder / ".c.yaml.skm-tmp-4242-ffffffffffffffff").symlink_to(victim)
    (folder / ".d.yaml.skm-tmp-4242-eeeeeeeeeeeeeeee").mkdir()
    removed = remove_stale_temp_files(folder)
    assert sorted(p.name for p in removed) == [".a.yaml.skm-tmp-4242", ".b.yaml.skm-tmp-4242-0123456789abcdef",
                                              ".c.yaml.skm-tmp-4242-ffffffffffffffff"]
    assert victim.read_text(encoding="utf-8") == "v"
    assert (folder / ".d.yaml.skm-tmp-4242-eeeeeeeeeeeeeeee").is_dir()


# --------------------------------------------------------------------------- 14: symlinks

@pytest.fixture
def linked(case_repo: Path) -> tuple[Path, str]:
    """``cases/2026-0002.yaml`` a symlink to a valid case in docs/ (as in the report)."""
    make_case(case_repo)
    (case_repo / "docs").mkdir()
    target = case_repo / "docs" / "x.yaml"
    target.write_text(case_file(case_repo, "2026-0001").read_text(encoding="utf-8").replace(
        "id: 2026-0001", "id: 2026-0002"), encoding="utf-8")
    case_file(case_repo, "2026-0002").symlink_to("../docs/x.yaml")
    git(case_repo, "add", "-A")
    git(case_repo, "commit", "-q", "-m", "lenke")
    return case_repo, "2026-0002"


SYMLINK_FINDING = ("cases/2026-0002.yaml:1: [yaml] Saksfila er en symbolsk lenke; skm leser og skriver bare "
                   "saksfiler som ligger i cases/ selv.")


@pytest.mark.parametrize("command", [["notify", "2026-0002", "rektor", "--dato", "2026-11-20"], list(LOG[:1]) +
                                     ["2026-0002"] + list(LOG[1:]), ["show", "2026-0002"], ["edit", "2026-0002"],
                                     ["history", "2026-0002"], ["render", "2026-0002", "-f", "md"]])
def test_a_symlinked_case_file_is_refused_by_readers_and_writers(skm, linked, editor, command: list[str]) -> None:
    repo, case_id = linked
    before = snapshot(repo)
    result = skm(*command, "--av", AUTHOR_TEXT, cwd=repo) if command[0] in ("notify", "log", "edit") else skm(
        *command, cwd=repo)
    assert result.exit_code == 1, result.stderr
    assert result.stderr.splitlines()[:3] == [
        f"Feil: Sak {case_id} kan ikke leses.", f"  {SYMLINK_FINDING}",
        "Tips: Legg selve saksfila i cases/ i stedet (en vanlig fil, ikke en lenke), og commit den."]
    assert snapshot(repo) == before
    assert editor.opened() == []


def test_validate_and_check_report_a_symlinked_case_the_same_way(skm, linked) -> None:
    repo, _case_id = linked
    validate = skm("validate", cwd=repo)
    assert (validate.exit_code, validate.stdout) == (1, SYMLINK_FINDING + "\n")
    check = skm("check", "schema", cwd=repo)
    assert check.exit_code == 1
    assert check.stdout.splitlines()[0] == SYMLINK_FINDING.replace(" [yaml] ", " error [schema] ")


def test_a_symlinked_cases_folder_is_refused_everywhere(skm, case_repo: Path, tmp_path: Path) -> None:
    make_case(case_repo)
    elsewhere = tmp_path / "andre-saker"
    (case_repo / "cases").rename(elsewhere)
    (case_repo / "cases").symlink_to(elsewhere)
    before = snapshot(case_repo)
    for command in (["list"], ["validate"], ["check"], ["show", "2026-0001"], list(LOG[:1]) + ["2026-0001"] +
                    list(LOG[1:])):
        result = skm(*command, cwd=case_repo)
        assert result.exit_code == 1, command
        assert result.stderr.splitlines()[0] == (
            f"Feil: cases/ i {case_repo} er en symbolsk lenke; skm leser og skriver bare saker som ligger i "
            "saksarkivet selv. Ingenting er endret.")
    assert snapshot(case_repo) == before


# -------------------------------------------------------------------- 15: disk full (ENOSPC)

REAL_WRITE = os.write


def full_disk_write(fd, data):
    """``os.write`` as on a full disk: regular files fail, pipes (to git) and terminals still work."""
    import stat

    if stat.S_ISREG(os.fstat(fd).st_mode):
        raise OSError(errno.ENOSPC, "No space left on device")
    return REAL_WRITE(fd, data)


@pytest.fixture
def disk_full(monkeypatch):
    """Every write of skm's to a file fails as on a full disk (git's own writes are not Python's)."""
    monkeypatch.setattr(os, "write", full_disk_write)


NEW_CASE = ("new-case", "--elev", "Kari Nordmann", "--klasse", "9B", "--under-18", "--sakstype", "elev-elev",
            "--meldt-av", "elev", "--mottatt-av", "Per Haugen", "--beskrivelse", "Holdes utenfor.", "--no-input",
            "--av", AUTHOR_TEXT)


def test_new_case_on_a_full_disk_says_so_and_changes_nothing(skm, case_repo: Path, disk_full) -> None:
    before = snapshot(case_repo)
    result = skm(*NEW_CASE, cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Feil: Kan ikke skrive .skm/journal.json: disken er full.",
                                          "Tips: Frigjør plass på disken og prøv igjen.", "Ingenting er endret."]
    assert snapshot(case_repo) == before
    assert temp_litter(case_repo) == []


@pytest.mark.parametrize("args,target", [(["status", "--html", "ark.html"], "ark.html"),
                                         (["calendar", "--ics", "k.ics"], "k.ics")])
def test_sheets_and_calendars_on_a_full_disk_say_so(skm, case_repo: Path, disk_full, args, target) -> None:
    before = snapshot(case_repo)
    result = skm(*args, cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Feil: Kan ikke skrive {target}: disken er full.",
                                          "Tips: Frigjør plass på disken og prøv igjen.", "Ingenting er endret."]
    assert snapshot(case_repo) == before
    assert temp_litter(case_repo) == []


def test_a_full_disk_during_the_case_write_is_undone(skm, case_repo: Path, monkeypatch) -> None:
    """The journal is written, then the case file's write fails: the journal is undone before exit."""
    case_id = make_case(case_repo)
    import stat

    calls = []

    def full_after_the_journal(fd, data):
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return REAL_WRITE(fd, data)
        calls.append(fd)
        if len(calls) > 2:  # the lock's pid, the journal, then the case file
            raise OSError(errno.ENOSPC, "No space left on device")
        return REAL_WRITE(fd, data)

    monkeypatch.setattr(os, "write", full_after_the_journal)
    before = snapshot(case_repo)
    result = skm(*LOG[:1], case_id, *LOG[1:], cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"Feil: Kan ikke skrive cases/{case_id}.yaml: disken er full."
    assert result.stderr.splitlines()[-1] == "Ingenting er endret."
    assert snapshot(case_repo) == before
    assert not (case_repo / ".skm" / "journal.json").exists()
    assert temp_litter(case_repo) == []


# ------------------------------------------------------------------ 16: read-only repository

@pytest.mark.parametrize("command", [["notify", "2026-0001", "rektor", "--dato", "2026-11-20"], ["edit", "2026-0001"],
                                     list(LOG[:1]) + ["2026-0001"] + list(LOG[1:])])
def test_a_read_only_repository_refuses_writes_clearly(skm, case_repo: Path, editor, command) -> None:
    make_case(case_repo)
    import shutil

    shutil.rmtree(case_repo / ".skm", ignore_errors=True)
    before = snapshot(case_repo)
    with read_only(case_repo):
        result = skm(*command, "--av", AUTHOR_TEXT, cwd=case_repo) if "--av" not in command else skm(
            *command, cwd=case_repo)
        listed = skm("list", cwd=case_repo)
    assert result.exit_code == 1, result.stderr
    reason = "filsystemet er skrivebeskyttet" if os.geteuid() == 0 else "du har ikke tilgang"
    lines = result.stderr.splitlines()
    assert lines[0] in (f"Feil: Kan ikke lage mappen .skm: {reason}.",
                        f"Feil: Kan ikke lage mappen .skm/utkast: {reason}.")
    assert lines[-1] == "Ingenting er endret."
    assert editor.opened() == []
    assert snapshot(case_repo) == before
    assert listed.exit_code == 0 and listed.stdout.splitlines()[-1] == "1 sak."


# ------------------------------------------------------------------------ 18: output paths

def test_init_on_an_existing_file_is_a_usage_error(skm, tmp_path: Path) -> None:
    existing = tmp_path / "fil.txt"
    existing.write_text("x", encoding="utf-8")
    result = skm("init", str(existing), "--skole", "Fjordvik vgs", "--av", AUTHOR_TEXT, cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"Feil: {existing} finnes og er en fil, ikke en mappe; skm init trenger en mappe som er tom eller ikke "
        "finnes.")
    assert existing.read_text(encoding="utf-8") == "x"


def test_init_where_no_folder_can_be_made_says_why(skm, tmp_path: Path) -> None:
    result = skm("init", "/proc/sys/skm-test", "--skole", "Fjordvik vgs", "--av", AUTHOR_TEXT, cwd=tmp_path)
    assert result.exit_code == 1
    assert re.fullmatch(r"Feil: Kan ikke lage mappen /proc/sys/skm-test: .+\.", result.stderr.splitlines()[0])
    assert "No such file" not in result.stderr and "Errno" not in result.stderr


def test_calendar_ics_into_a_missing_folder_says_so(skm, case_repo: Path) -> None:
    result = skm("calendar", "--ics", "/no/such/dir/k.ics", cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Feil: Kan ikke skrive /no/such/dir/k.ics: mappen /no/such/dir finnes ikke."


@pytest.mark.parametrize("option", ["--html", "--pdf"])
@pytest.mark.parametrize("value,message", [
    ("", "Feil: OPTION må være en fil, ikke en mappe («.»)."),
    (".", "Feil: Ugyldig verdi for OPTION: «.» er en mappe, ikke en fil."),
    ("cases", "Feil: Ugyldig verdi for OPTION: «cases» er en mappe, ikke en fil.")])
def test_status_sheet_to_a_folder_or_nothing_is_a_usage_error(skm, case_repo: Path, option: str, value: str,
                                                              message: str) -> None:
    before = snapshot(case_repo)
    result = skm("status", option, value, cwd=case_repo)
    assert result.exit_code == 2, result.stderr
    assert message.replace("OPTION", option) in result.stderr.splitlines()
    assert snapshot(case_repo) == before


# ---------------------------------------------------------------- 19: SKM_LOCK_TIMEOUT

@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "1e9", "ti"])
def test_an_impossible_lock_timeout_is_a_usage_error_never_a_wait(skm, case_repo: Path, value: str) -> None:
    case_id = make_case(case_repo)
    before = snapshot(case_repo)
    result = skm(*LOG[:1], case_id, *LOG[1:], cwd=case_repo, env={"SKM_LOCK_TIMEOUT": value})
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Feil: SKM_LOCK_TIMEOUT må være et antall sekunder fra 0 til 3600 (er «{value}»).",
        "Tips: Sett for eksempel `SKM_LOCK_TIMEOUT=30`, eller fjern variabelen for standarden (10 sekunder)."]
    assert snapshot(case_repo) == before


# -------------------------------------------------------------- 22: wrong or unclear messages

@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_fifo_or_folder_named_like_a_case_is_one_finding_in_validate_and_check(skm, case_repo: Path,
                                                                                 kind: str) -> None:
    make_case(case_repo)
    path = case_file(case_repo, "2026-0002")
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    message = ("Dette er en navngitt rørledning (FIFO), ikke en saksfil; skm leser den ikke." if kind == "fifo"
               else "Dette er en mappe, ikke en saksfil.")
    validate = skm("validate", cwd=case_repo)
    assert (validate.exit_code, validate.stdout) == (1, f"cases/2026-0002.yaml:1: [yaml] {message}\n")
    assert validate.stderr == "1 sak av 2 har feil.\n"
    check = skm("check", "schema", cwd=case_repo)
    assert check.exit_code == 1
    assert check.stdout.splitlines()[0] == f"cases/2026-0002.yaml:1: error [schema] {message}"
    listed = skm("list", cwd=case_repo)
    assert listed.stdout.splitlines()[2].split() == ["2026-0002", "(ugyldig)"]


def test_mottatt_long_ago_is_a_clear_usage_error(skm, case_repo: Path) -> None:
    before = snapshot(case_repo)
    result = skm(*NEW_CASE, "--mottatt", "0001-01-01", cwd=case_repo)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Feil: --mottatt 0001-01-01 er for langt tilbake i tid: skm tar imot meldinger fra og med 1. januar 2000."]
    assert snapshot(case_repo) == before


@pytest.mark.parametrize("args,expected", [
    (["-C", "FILE", "list"], "Feil: Ugyldig verdi for -C / --katalog: «FILE» er en fil, ikke en mappe."),
    (["calendar", "--uker", "0"], "Feil: Ugyldig verdi for --uker: 0 er ikke mellom 1 og 60."),
    (["calendar", "--uker", "61"], "Feil: Ugyldig verdi for --uker: 61 er ikke mellom 1 og 60."),
    (["validate", "cases/2026-0099.yaml"], "Feil: Fant ikke fila cases/2026-0099.yaml."),
])
def test_english_fragments_are_norwegian(skm, case_repo: Path, args: list[str], expected: str) -> None:
    (case_repo / "fil.txt").write_text("x", encoding="utf-8")
    args = [str(case_repo / "fil.txt") if a == "FILE" else a for a in args]
    result = skm(*args, cwd=case_repo)
    assert result.exit_code == 2
    assert expected.replace("FILE", str(case_repo / "fil.txt")) in result.stderr.splitlines()
    for english in ("is a file", "No such file", "is not in the range", "Errno"):
        assert english not in result.stderr


@pytest.mark.parametrize("author", ["Evil\nName <e@x.no>", "Evil\rName <e@x.no>", "Evil <e@x.no>\n",
                                    "Evil\x1b[31m <e@x.no>", "Evil\u2028Name <e@x.no>"])
def test_an_author_with_a_line_break_or_control_character_is_refused(skm, case_repo: Path, author: str) -> None:
    case_id = make_case(case_repo)
    before = snapshot(case_repo)
    result = skm("log", case_id, "--hendelse", "Samtale.", "--av", author, cwd=case_repo)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Feil: Ugyldig forfatter: navnet eller e-postadressen har linjeskift eller andre kontrolltegn.",
        "Tips: Skriv forfatteren på én linje, som \"Navn <epost@skole.no>\"."]
    assert snapshot(case_repo) == before
    assert commits(case_repo)[-1][1] == AUTHOR_TEXT


def test_an_author_from_git_config_with_a_line_break_is_refused_too(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    (case_repo / ".git" / "config").open("a", encoding="utf-8").write('[user]\n\tname = "Evil\\nName"\n')
    before = snapshot(case_repo)
    result = skm("log", case_id, "--hendelse", "Samtale.", cwd=case_repo)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "Feil: Ugyldig forfatter: navnet eller e-postadressen har linjeskift eller andre kontrolltegn.")
    assert snapshot(case_repo) == before

