"""Privacy (issue 7): a pupil with a unique name goes through every command; the name never
appears in commit messages, file names, `skm check` output in any format, the .ics export,
`skm status`/`skm list` without --navn, or `skm validate`."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import git

NAME = "Quillonja Vestrebråthen"
TEXT = "Unik-fritekst-7731 om hendelsen"


def test_the_name_never_leaks(skm, case_repo: Path, tmp_path: Path) -> None:
    outputs: list[str] = []

    def run(*args: str, code: int = 0) -> str:
        result = skm(*args, cwd=case_repo)
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        outputs.append(result.stdout + result.stderr)
        return result.stdout

    case_id = run("new-case", "--elev", NAME, "--klasse", "9B", "--under-18", "--sakstype", "ansatt-elev",
                  "--meldt-av", "elev", "--mottatt-av", "Per", "--mottatt", "2026-11-02",
                  "--beskrivelse", TEXT, "--no-input").strip().splitlines()[-1]
    run("notify", case_id, "rektor", "--dato", "2026-11-02")
    run("advance", case_id, code=1)  # refused: skoleeier missing; the message names no one
    run("notify", case_id, "skoleeier", "--dato", "2026-11-02")
    run("advance", case_id)
    run("investigate", case_id, "--type", "samtale", "--oppsummering", TEXT, "--dato", "2026-11-03")
    run("conclude", case_id, "--elevens-opplevelse", TEXT, "--konklusjon", TEXT, "--dato", "2026-11-04")
    run("hear", case_id, "--synspunkter", TEXT, "--dato", "2026-11-04")
    run("best-interests", case_id, "--vurdering", TEXT, "--dato", "2026-11-04")
    run("plan", case_id, "--problem", TEXT, "--dato", "2026-11-05")
    run("tiltak", "add", case_id, "--beskrivelse", TEXT, "--fra", "2026-11-06", "--til", "2026-12-04",
        "--ansvarlig", "Miljøarbeider", "--evalueres", "2026-11-13")
    run("advance", case_id)
    run("log", case_id, "--hendelse", TEXT)
    run("validate")
    run("history", case_id)
    run("list")
    run("list", "--json")
    run("status")
    run("status", "--json")
    run("calendar", "--uker", "4")
    # The overdue evaluation of T1 (due 13 Nov) makes check report, in every format.
    for fmt in ("text", "json", "github", "junit"):
        out = run("check", "--format", fmt, code=1)
        assert "evaluering-forfalt" in out
    ics = tmp_path / "kalender.ics"
    run("calendar", "--ics", str(ics))

    for out in outputs:
        assert NAME not in out and "Quillonja" not in out
        assert TEXT not in out
    assert NAME.encode() not in ics.read_bytes() and TEXT.encode() not in ics.read_bytes()
    log = git(case_repo, "log", "--format=%B")
    assert NAME not in log and TEXT not in log and "Quillonja" not in log
    names = git(case_repo, "ls-files") + "\n".join(p.name for p in case_repo.rglob("*"))
    assert "Quillonja" not in names
    # With --navn the leadership can see the name – only when asked.
    assert NAME in skm("status", "--navn", cwd=case_repo).stdout
    assert NAME in json.dumps(json.loads(skm("list", "--json", "--navn", cwd=case_repo).stdout),
                              ensure_ascii=False)
