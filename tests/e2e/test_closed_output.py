"""Closed or full standard output with the installed ``skm`` (issue 13 item 17).

* ``skm list >&-``: refused before anything is done (exit 1), never a traceback; ``/dev/null``
  takes fd 1, so no file skm opens can become "stdout".
* ``skm list >/dev/full``: "svaret kunne ikke skrives …: disken er full", exit 1.
* ``skm new-case … >&-``: refused before the case is registered (exit 1, no commit), so a
  script that retries registers it once.
* ``skm new-case … >/dev/full``: the case is committed before the id can be written. skm cannot
  take a commit back (the audit trail), so it exits 0 and says on stderr which case was saved:
  a script that retries on failure must not register it twice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import AUTHOR_TEXT, commits, make_case, snapshot

SKM = shutil.which("skm")
pytestmark = pytest.mark.skipif(SKM is None, reason="the `skm` executable is not installed on PATH")

NEW_CASE = ("new-case --elev 'Kari Nordmann' --klasse 9B --under-18 --sakstype elev-elev --meldt-av elev "
            "--mottatt-av 'Per Haugen' --beskrivelse 'Holdes utenfor.' --no-input")


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SKM_AV": AUTHOR_TEXT}
    return subprocess.run(["bash", "-c", command.replace("skm ", f"{SKM} ", 1)], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=60)


CLOSED = ["Feil: standard utdata er lukket, så skm har ingen steder å skrive svaret; ingenting er gjort.",
          "Tips: Send utdata til en fil eller /dev/null (`skm … > fil`) i stedet for å lukke den."]


def test_list_with_stdout_closed_is_refused_cleanly(case_repo: Path) -> None:
    make_case(case_repo)
    result = shell("skm list >&-", case_repo)
    assert (result.returncode, result.stderr.splitlines()) == (1, CLOSED)


def test_list_to_a_full_device_says_so(case_repo: Path) -> None:
    make_case(case_repo)
    result = shell("skm list >/dev/full", case_repo)
    assert result.returncode == 1
    assert result.stderr == "Feil: svaret kunne ikke skrives til standard utdata: disken er full.\n"


def test_list_into_a_closed_pipe_is_quiet(case_repo: Path) -> None:
    for _ in range(3):
        make_case(case_repo)
    result = shell("skm list | head -c0; exit ${PIPESTATUS[0]}", case_repo)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1)


def test_new_case_with_stdout_closed_registers_nothing(case_repo: Path) -> None:
    before = snapshot(case_repo)
    result = shell(f"skm {NEW_CASE} >&-", case_repo)
    assert (result.returncode, result.stderr.splitlines()) == (1, CLOSED)
    assert snapshot(case_repo) == before


def test_new_case_to_a_full_device_is_registered_once_and_says_which(case_repo: Path) -> None:
    result = shell(f"skm {NEW_CASE} >/dev/full", case_repo)
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert lines[0] == "Registrerte melding som sak 2026-0001 (status mottatt)."
    head = commits(case_repo)[-1]
    assert head[0] == "2026-0001: melding registrert"
    assert lines[1].startswith("Svaret kunne ikke skrives til standard utdata (disken er full). "
                               "Endringen av sak 2026-0001 ble lagret før feilen (commit ")
    assert lines[1].endswith("). Ikke gjør det samme en gang til.")
    assert len(lines) == 2
    assert len(commits(case_repo)) == 2


def test_stderr_closed_too_still_exits_with_the_right_code(case_repo: Path) -> None:
    result = shell("skm list >&- 2>&-", case_repo)
    assert result.returncode == 1
