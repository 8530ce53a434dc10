"""End to end with the installed `skm` executable in a real git repository (issue 2, "Done when"):
init → new-case --no-input → edit (EDITOR is a script) → history, asserting commits, authors,
messages and file contents.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import AUTHOR_TEXT, SKOLE, SKOLEEIER, commit_message, commits, git
from skolemiljo import __version__
from skolemiljo.storage import yamlio
from skolemiljo.storage.casefiles import case_document

SKM = shutil.which("skm")
pytestmark = pytest.mark.skipif(SKM is None, reason="the `skm` executable is not installed on PATH "
                                "(run `pip install -e .` in the virtual environment first)")

SARA = "Sara Lunde <sara@example.no>"


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    assert SKM is not None
    return subprocess.run([SKM, *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **env},
                          timeout=60)


def at(moment: str) -> dict[str, str]:
    """Pin git's commit time so history lines are exact."""
    return {"GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment}


def test_init_new_case_edit_history(tmp_path: Path, editor) -> None:
    # --- init, from a folder outside the project (the schemas must come from the installation)
    init = run(["init", "saker", "--skole", SKOLE, "--skoleeier", SKOLEEIER, "--av", AUTHOR_TEXT], tmp_path,
               **at("2026-11-20T08:00:00+01:00"))
    assert init.returncode == 0, init.stderr
    repo = (tmp_path / "saker").resolve()
    assert init.stdout.splitlines()[0] == f"Opprettet saksarkiv i {repo}"
    assert json.loads((repo / "schemas" / "case.schema.json").read_text(encoding="utf-8"))["$schema"] == (
        "https://json-schema.org/draft/2020-12/schema")

    # --- new-case, every value given, no questions
    new = run(["new-case", "--elev", "Åse Ødegård", "--klasse", "no", "--under-18", "--sakstype", "elev-elev",
               "--meldt-av", "foresatt", "--mottatt-av", "Per Haugen (kontaktlærer)", "--mottatt", "2026-11-18",
               "--beskrivelse", "Mor forteller at datteren holdes utenfor.", "--kategori", "utestenging",
               "--no-input", "--av", AUTHOR_TEXT], repo, **at("2026-11-20T09:15:00+01:00"))
    assert new.returncode == 0, new.stderr
    assert new.stdout.splitlines()[-1] == "2026-0001"
    assert new.stderr == "Registrerte melding som sak 2026-0001 (status mottatt).\n"

    # --- edit with a script as EDITOR; the author comes from SKM_AV this time
    editor.replace((r"^  rektor: null$", "  rektor:\n    dato: 2026-11-18\n    av: Per Haugen"),
                   (r"^status: mottatt$", "status: undersokes"))
    edit = run(["edit", "2026-0001"], repo, SKM_AV=SARA, **editor.env(), **at("2026-11-20T10:30:00+01:00"))
    assert edit.returncode == 0, edit.stderr
    assert edit.stdout == "Lagret sak 2026-0001.\n"
    assert editor.opened() == [str(repo / ".skm" / "utkast" / "2026-0001.yaml")]

    # --- an invalid edit changes nothing and keeps the draft
    editor.replace((r"^  klasse: 'no'$", "  klasse: no"))
    bad = run(["edit", "2026-0001"], repo, SKM_AV=SARA, **editor.env())
    assert bad.returncode == 1
    assert bad.stderr.splitlines()[-2] == "Det du skrev er tatt vare på i .skm/utkast/2026-0001.yaml."
    assert "Traceback" not in bad.stderr

    # --- history: date, who, what
    history = run(["history", "2026-0001"], repo)
    assert history.returncode == 0, history.stderr
    assert history.stdout.splitlines() == [
        "2026-11-20 09:15  Test Rektor  melding registrert",
        "2026-11-20 10:30  Sara Lunde  redigert, mottatt → undersokes",
    ]

    # --- the commits, their authors, files and messages
    case = "cases/2026-0001.yaml"
    assert commits(repo) == [
        ("Saksarkiv opprettet", AUTHOR_TEXT, (".github/workflows/skm-check.yml", ".gitignore", ".gitlab-ci.yml",
                                              "README.md", "calendar.yaml", "cases/.gitkeep",
                                              "schemas/calendar.schema.json", "schemas/case.schema.json",
                                              "skole.yaml")),
        ("2026-0001: melding registrert", AUTHOR_TEXT, (case,)),
        ("2026-0001: redigert, mottatt → undersokes", SARA, (case,)),
    ]
    assert commit_message(repo, "HEAD~1") == (
        f"2026-0001: melding registrert\n\nSkm-Case: 2026-0001\nSkm-Action: new-case\nSkm-Version: {__version__}\n")
    assert commit_message(repo) == (
        "2026-0001: redigert, mottatt → undersokes\n\nSkm-Case: 2026-0001\nSkm-Action: edit\n"
        f"Skm-Status: mottatt → undersokes\nSkm-Version: {__version__}\n")
    for rev in ("HEAD", "HEAD~1"):
        message = commit_message(repo, rev)
        assert "Ødegård" not in message and "Per Haugen" not in message
    assert git(repo, "status", "--porcelain=v1").splitlines() == []  # the draft lives in ignored .skm/

    # --- the file: exactly what skm wrote, canonical, readable by skm show
    text = (repo / case).read_text(encoding="utf-8")
    assert text == (
        "# yaml-language-server: $schema=../schemas/case.schema.json\n"
        "id: 2026-0001\nstatus: undersokes\nsakstype: elev-elev\nalvorlig: false\n"
        "kategorier:\n- utestenging\n"
        "elev:\n  navn: Åse Ødegård\n  klasse: 'no'\n  under_18: true\n"
        "melding:\n  mottatt: 2026-11-18\n  mottatt_av: Per Haugen (kontaktlærer)\n  meldt_av: foresatt\n"
        "  beskrivelse: Mor forteller at datteren holdes utenfor.\n"
        "varsling:\n  rektor:\n    dato: 2026-11-18\n    av: Per Haugen\n  skoleeier: null\n"
        "undersokelse: null\nelevens_stemme: []\nbarnets_beste: null\naktivitetsplan: null\n"
        "logg:\n- dato: 2026-11-20\n  av: Test Rektor\n  hendelse: Melding registrert.\n"
        "avslutning: null\narkiv:\n  saksnummer: null\n"
    )
    assert text == case_document(yamlio.load(text))
    shown = run(["show", "2026-0001", "--json", "--navn"], repo)
    assert shown.returncode == 0
    assert json.loads(shown.stdout) == yamlio.load(text)
    validated = run(["validate"], repo)
    assert (validated.returncode, validated.stdout, validated.stderr) == (0, "", "Saken er gyldig.\n")


def test_usage_errors_exit_2_without_a_traceback(tmp_path: Path) -> None:
    outside = run(["list"], tmp_path)
    assert outside.returncode == 2
    assert outside.stderr.startswith("Feil: Du står ikke i et saksarkiv")
    init = run(["init", "saker", "--skole", SKOLE, "--av", AUTHOR_TEXT], tmp_path)
    assert init.returncode == 0, init.stderr
    repo = tmp_path / "saker"
    for args in (["show", "../etc/passwd"], ["show", "2026-0099"],
                 ["new-case", "--mottatt", "2026-02-30", "--no-input", "--av", AUTHOR_TEXT],
                 ["new-case", "--sakstype", "ukjent", "--no-input"], ["ukjent-kommando"]):
        result = run(args, repo)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr, args
        assert "Feil: " in result.stderr, args
    again = run(["init", "saker", "--skole", SKOLE, "--av", AUTHOR_TEXT], tmp_path)
    assert again.returncode == 1
    assert len(commits(repo)) == 1


def test_version_and_help_work_from_anywhere(tmp_path: Path) -> None:
    version = run(["--version"], tmp_path)
    assert (version.returncode, version.stdout) == (0, f"skm {__version__}\n")
    helped = run(["--help"], tmp_path)
    assert helped.returncode == 0
    for command in ("init", "new-case", "edit", "show", "list", "validate", "history"):
        assert command in helped.stdout


def test_concurrent_new_cases_get_distinct_ids_and_one_commit_each(tmp_path: Path) -> None:
    assert SKM is not None
    init = run(["init", "saker", "--skole", SKOLE, "--av", AUTHOR_TEXT], tmp_path)
    assert init.returncode == 0, init.stderr
    repo = tmp_path / "saker"
    args = [SKM, "new-case", "--elev", "Kari Nordmann", "--klasse", "9B", "--under-18", "--sakstype", "elev-elev",
            "--meldt-av", "elev", "--mottatt-av", "Per Haugen", "--beskrivelse", "Holdes utenfor.", "--no-input",
            "--av", AUTHOR_TEXT]
    env = {**os.environ, "SKM_LOCK_TIMEOUT": "60"}
    processes = [subprocess.Popen(args, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 4, outputs
    ids = sorted(out.splitlines()[-1] for out, _err in outputs)
    assert ids == ["2026-0001", "2026-0002", "2026-0003", "2026-0004"]
    assert sorted(commits(repo)[1:]) == [(f"{i}: melding registrert", AUTHOR_TEXT, (f"cases/{i}.yaml",)) for i in ids]
    assert git(repo, "status", "--porcelain=v1", "--untracked-files=all") == ""
    for case_id in ids:
        assert yamlio.load((repo / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8"))["id"] == case_id
