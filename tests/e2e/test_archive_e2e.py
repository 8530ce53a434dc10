"""The real ``skm archive`` in a fresh process: start-up, entry point, exit codes, stdout/stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_fixtures import validate_message
from render_fixtures import CASE_ID, PUPIL, build_case_history, make_repository, run_skm
from skolemiljo.render import pdf


@pytest.mark.skipif(not pdf.available(), reason="WeasyPrint eller systembibliotekene den trenger mangler")
def test_installed_skm_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repository(tmp_path / "saker", monkeypatch)
    build_case_history(repo, monkeypatch)
    unknown = run_skm("archive", "2026-0999", cwd=repo.root)
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.splitlines()[0] == "Feil: Fant ingen sak med saksnummer 2026-0999 i cases/."
    done = run_skm("archive", CASE_ID, "--av", "Anne Arkivar <anne@example.no>", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    paths = [Path(line) for line in done.stdout.splitlines()]
    assert [p.name for p in paths] == [f"{CASE_ID}-levering-00{n}" for n in (1, 2, 3)]
    for path in paths:
        validate_message(path / "arkivmelding.xml")
    assert PUPIL not in done.stdout + done.stderr and "Traceback" not in done.stderr
