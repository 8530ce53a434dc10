"""Concurrency (issue 7): eight staff members register cases at the same moment.

Eight driver processes each run the installed ``skm new-case --no-input`` 25 times in a
row, all at once, in one case repository (``SKM_LOCK_TIMEOUT=60``: a writer waits for
the lock rather than fail). Each driver has its own author (``SKM_AV``) and records the
id skm printed for each of its cases. Afterwards:

- the 200 ids are distinct and exactly 2026-0001 … 2026-0200 (union over the drivers);
- there are exactly 201 commits (``skm init`` plus one per case), each touching only its
  own case file, made by the driver that got that id, in increasing id order (ids are
  handed out under the lock);
- every case file is valid and holds what its own driver typed (nothing lost or mixed up);
- ``git fsck --strict`` and ``git status`` are clean, no temp file is left, the lock is free.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import git
from test_crash_safety import (SKM, assert_files_valid, assert_fsck_clean, assert_history_valid,
                               assert_lock_free, skm_env, temp_files)

pytestmark = pytest.mark.skipif(SKM is None, reason="the installed `skm` is not on PATH (pip install .)")

DRIVERS = 8
CASES_EACH = 25

# One staff member: registers ``count`` cases one after the other, prints what it got as JSON.
DRIVER = r"""
import json, os, subprocess, sys, time
skm, repo, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
got = []
for n in range(count):
    args = [skm, "new-case", "--elev", f"Elev {worker}-{n}", "--klasse", f"K{worker}",
            "--under-18", "--sakstype", "elev-elev", "--meldt-av", "ansatt",
            "--mottatt-av", f"Lærer {worker}", "--beskrivelse", f"Melding {n} fra lærer {worker}.",
            "--kategori", "mobbing", "--no-input"]
    started = time.monotonic()
    result = subprocess.run(args, cwd=repo, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        print(json.dumps({"worker": worker, "n": n, "code": result.returncode, "stderr": result.stderr}))
        sys.exit(1)
    got.append({"n": n, "id": result.stdout.strip().splitlines()[-1],
                "seconds": round(time.monotonic() - started, 3)})
print(json.dumps({"worker": worker, "got": got}))
"""


def author(worker: int) -> tuple[str, str]:
    return f"Lærer {worker}", f"laerer{worker}@example.no"


def test_eight_processes_register_25_cases_each_at_once(case_repo: Path) -> None:
    started = time.monotonic()
    drivers = []
    for worker in range(DRIVERS):
        name, email = author(worker)
        env = skm_env(SKM_AV=f"{name} <{email}>", SKM_LOCK_TIMEOUT="60")
        drivers.append(subprocess.Popen(
            [sys.executable, "-c", DRIVER, SKM, str(case_repo), str(worker), str(CASES_EACH)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL))
    reports = []
    for proc in drivers:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, out + err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = time.monotonic() - started

    # Nothing lost, nothing twice: the union of what each process got is exactly 200 ids.
    owner: dict[str, tuple[int, int]] = {}
    for report in reports:
        assert len(report["got"]) == CASES_EACH
        for item in report["got"]:
            assert item["id"] not in owner, f"{item['id']} was handed out twice"
            owner[item["id"]] = (report["worker"], item["n"])
    expected = [f"2026-{n:04d}" for n in range(1, DRIVERS * CASES_EACH + 1)]
    assert sorted(owner) == expected

    # 200 commits plus init, one case file each, by the process that got the id, ids in commit order.
    assert git(case_repo, "rev-list", "--count", "HEAD").strip() == str(DRIVERS * CASES_EACH + 1)
    history = assert_history_valid(case_repo)
    in_order = [history.touched[sha][0][len("cases/"):-len(".yaml")] for sha in history.commits]
    assert in_order == expected, "ids were not handed out in commit order"
    authors = git(case_repo, "log", "--reverse", "--format=%an <%ae>|%s").splitlines()[1:]
    for line, case_id in zip(authors, in_order):
        who, subject = line.split("|", 1)
        name, email = author(owner[case_id][0])
        assert who == f"{name} <{email}>", (case_id, who)
        assert subject == f"{case_id}: melding registrert"

    # Every file valid and holding what its own process typed.
    cases = assert_files_valid(case_repo)
    assert sorted(cases) == expected
    for case_id, (worker, n) in owner.items():
        data = cases[case_id]
        assert data["elev"] == {"navn": f"Elev {worker}-{n}", "klasse": f"K{worker}", "under_18": True}
        assert data["melding"]["beskrivelse"] == f"Melding {n} fra lærer {worker}."
        assert data["logg"][-1]["av"] == author(worker)[0]

    assert_fsck_clean(case_repo)
    assert git(case_repo, "status", "--porcelain=v1", "--untracked-files=all") == ""
    assert temp_files(case_repo) == []
    assert not (case_repo / ".skm" / "journal.json").exists()
    assert list((case_repo / ".skm").glob("index.*")) == []
    assert_lock_free(case_repo)

    waits = sorted(item["seconds"] for report in reports for item in report["got"])
    print("concurrency:", json.dumps({"seconds": round(elapsed, 1), "median_command_s": waits[len(waits) // 2],
                                      "max_command_s": waits[-1]}))
