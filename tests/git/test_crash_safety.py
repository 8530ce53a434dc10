"""Crash safety (issue 7): SIGKILL the installed ``skm`` at random moments and prove that
nothing is half-written, nothing committed is lost, and the next command just works.

The torture test runs 200 write operations (``new-case --no-input``, ``notify``,
``log --hendelse``, ``investigate``) as real subprocesses of the installed ``skm`` in a
real case repository, two at a time (this machine has two cores), and kills most of them
with SIGKILL after a seeded random delay spread over the command's measured run time,
weighted towards its last part, where the lock is held and the file and the commit are
written; some exactly when their own commit has moved HEAD and the journal is still there
(skm exits a few ms after its commit, a window random delays hit only by luck). Most kills
take the whole process group (a crash: skm and the git it runs die together); some kill
only skm's own process (its git child may outlive it).

Afterwards, and after one more skm command (which recovers from the last crash):
- every case file parses and validates, and so does every case file in every commit's
  tree (each distinct blob is validated once, so no sampling is needed);
- every commit after ``skm init`` touches exactly one case file, and its subject and
  ``Skm-Case`` trailer name that case;
- ``git fsck --strict`` is clean, ``git status --porcelain`` is clean, no temp file
  (``.*.skm-tmp-*``) or private index is left, the journal is gone, the lock is free;
- every operation that reported success is in the final files (nothing lost), and a
  killed operation is either wholly committed or wholly absent;
- the next skm commands (``log``, ``list``, ``validate``, ``new-case``) work.

The direct tests cover a stale ``.skm/lock`` from a dead process, a lock held by a live
process (wait, then exit 1 with the Norwegian message), git children that keep the lock
while they outlive skm, hand-made journals for a crash after and before the commit
(including an uncommitted new file that must be kept as a draft in
``.skm/utkast/gjenopprettet-*.yaml``, and git lock files left by the killed git), repeated
recovery, a git lock of someone's running git (waited for briefly, then refused with
nothing changed), and a read command right after a crash.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import AUTHOR, git, make_case, snapshot
from skolemiljo.storage import yamlio
from skolemiljo.storage.commits import GitStore, commit_message
from skolemiljo.storage.casefiles import case_document, read_case
from skolemiljo.storage.gittree import edit_tree
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.schema.validation import validate_bytes

SKM = shutil.which("skm")
pytestmark = pytest.mark.skipif(SKM is None, reason="the installed `skm` is not on PATH (pip install .)")

SEED = int(os.environ.get("SKM_CRASH_SEED", "20261120"))
OPERATIONS = 200
WORKERS = 2  # this machine has two cores; more workers only queue on the lock
TEMP_FILE = re.compile(r"^\..+\.skm-tmp-\d+(-[0-9a-f]{16})?$")
SKM_AV = "Kari Krasj <kari.krasj@example.no>"

# Fictional, realistic values; some free texts are YAML traps that must stay text.
NAMES = ("Ola Nordmann", "Kari Nordmann", "Aisha Rahimi", "Jonas Ødegård", "Emilie Aasen",
         "Mohammed Ali", "Sander Bø", "Ingrid Økland", "Lukas Wiśniewski", "Nora Å. Haugen")
CLASSES = ("8A", "9B", "10C", "1STA", "2STB", "VG3", "Vg2 elektro")
KINDS = ("elev-elev", "ansatt-elev", "ledelse-elev", "annet")
REPORTERS = ("elev", "foresatt", "ansatt", "anonym", "annen")
RECEIVERS = ("Per Haugen (kontaktlærer)", "Rektor Sølvi Dahl", "Miljøarbeider Tor Ås")
TEXTS = ("Eleven forteller at hun blir holdt utenfor i friminuttene.",
         "Foresatte melder om krenkende meldinger på Snapchat.",
         "no", "12:30", "0150", "off", "Ja: «sitat» – med tankestrek & <b>HTML</b>",
         "Flere linjer:\nførste\nandre", "  Mellomrom rundt  ")
ACTIVITIES = ("samtale", "observasjon", "kartlegging", "dokumentgjennomgang", "annet")


# Byte-code for the skm subprocesses: an editable install under PYTHONDONTWRITEBYTECODE=1 would
# compile every module in every one of the hundreds of runs (~100 ms each). Python writes .pyc
# files atomically, so a kill cannot leave a broken one.
PYCACHE = Path(tempfile.gettempdir()) / f"skm-tests-pycache-{os.getuid()}"


def skm_env(**extra: str) -> dict[str, str]:
    """The (already isolated) test environment plus what the installed skm needs."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({"SKM_AV": SKM_AV, "SKM_TODAY": "2026-11-20", "SKM_LOCK_TIMEOUT": "60",
                "PYTHONPYCACHEPREFIX": str(PYCACHE)})
    env.update(extra)
    return env


def run_skm(repo: Path, *args: str, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SKM, *args], cwd=repo, env=env or skm_env(), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=timeout)


# --------------------------------------------------------------------- the checks

def temp_files(repo: Path) -> list[str]:
    """Temp files of ``write_atomic`` anywhere outside ``.git``."""
    found = []
    for path in repo.rglob(".*"):
        if ".git" not in path.relative_to(repo).parts and TEMP_FILE.match(path.name):
            found.append(path.relative_to(repo).as_posix())
    return found


def assert_lock_free(repo: Path) -> None:
    fd = os.open(repo / ".skm" / "lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError when held
    finally:
        os.close(fd)


def assert_fsck_clean(repo: Path) -> None:
    result = subprocess.run(["git", "fsck", "--strict", "--no-dangling", "--no-progress"], cwd=repo,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout
    problems = [line for line in result.stderr.splitlines() if line.strip()]
    assert problems == [], problems


def assert_files_valid(repo: Path) -> dict[str, dict[str, Any]]:
    """Every case file in the working tree parses and validates; returns them by id."""
    cases = {}
    for path in sorted((repo / "cases").glob("*.yaml")):
        data, findings = validate_bytes(path.read_bytes(), f"cases/{path.name}")
        assert findings == [], [f.format() for f in findings]
        assert data["id"] == path.stem
        cases[path.stem] = data
    return cases


@dataclass
class History:
    commits: list[str]  # oldest first, without the init commit
    subjects: dict[str, str]
    touched: dict[str, list[str]]
    blobs: dict[str, bytes] = field(default_factory=dict)


def assert_history_valid(repo: Path) -> History:
    """Every commit after init touches one case file; every case file in every tree is valid."""
    log = git(repo, "log", "--reverse", "--no-renames", "--format=%x00%H%x1f%P%x1f%s%x1f%(trailers:key=Skm-Case,valueonly)",
              "--name-only")
    history = History([], {}, {})
    blocks = log.split("\x00")[1:]
    assert blocks, "no commits"
    init = blocks[0].split("\x1f")
    assert init[2] == "Saksarkiv opprettet" and init[1] == ""
    for block in blocks[1:]:
        header, _, files = block.partition("\n")
        sha, parents, subject, trailer = header.split("\x1f")
        changed = [line for line in files.splitlines() if line.strip()]
        assert len(parents.split()) == 1, f"{sha}: not a single-parent commit"
        assert len(changed) == 1 and re.fullmatch(r"cases/\d{4}-\d{4}\.yaml", changed[0]), (sha, changed)
        case_id = changed[0][len("cases/"):-len(".yaml")]
        assert subject.startswith(f"{case_id}: "), (sha, subject)
        assert trailer.strip() == case_id, (sha, trailer)
        history.commits.append(sha)
        history.subjects[sha] = subject
        history.touched[sha] = changed
    # Each commit's tree: collect (path, blob) for every case file, then validate each distinct blob once.
    seen: dict[str, str] = {}  # blob -> one path it had
    for sha in history.commits:
        for line in git(repo, "ls-tree", "-r", sha, "--", "cases/").splitlines():
            meta, path = line.split("\t", 1)
            mode, kind, blob = meta.split()
            if path.endswith(".gitkeep"):
                continue
            assert (mode, kind) == ("100644", "blob"), line
            previous = seen.setdefault(blob, path)
            assert previous == path, f"the same content under two names: {previous}, {path}"
    batch = subprocess.run(["git", "cat-file", "--batch"], cwd=repo, input="\n".join(seen).encode() + b"\n",
                           capture_output=True, check=True).stdout
    offset = 0
    while offset < len(batch):
        header_end = batch.index(b"\n", offset)
        blob, _kind, size = batch[offset:header_end].decode().split()
        content = batch[header_end + 1:header_end + 1 + int(size)]
        offset = header_end + 1 + int(size) + 1
        history.blobs[blob] = content
    assert set(history.blobs) == set(seen)
    for blob, path in seen.items():
        data, findings = validate_bytes(history.blobs[blob], path)
        assert findings == [], (path, blob, [f.format() for f in findings])
        assert data["id"] == Path(path).stem
    return history


def assert_recovered(repo: Path) -> None:
    """What must hold once the next write command has run."""
    assert git(repo, "status", "--porcelain=v1", "--untracked-files=all") == ""
    assert temp_files(repo) == []
    assert not (repo / ".skm" / "journal.json").exists()
    assert list((repo / ".skm").glob("index.*")) == []
    assert_lock_free(repo)


# ------------------------------------------------------------------ the torture run

@dataclass
class Op:
    index: int
    kind: str
    args: list[str]
    marker: str | None  # unique text the op writes (log, investigate), or None
    case_id: str | None
    delay: float | None  # seconds; None = let it finish
    group_kill: bool
    after_commit: bool = False  # kill as soon as its commit moved HEAD (journal still there)
    outcome: str = ""  # "ok", "killed", "failed"
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    elapsed: float = 0.0


class Torture:
    """Runs the operations on ``WORKERS`` threads; each thread runs one skm at a time."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.env = skm_env()
        self.lock = threading.Lock()
        self.next_index = 0
        self.ops: list[Op] = []
        # Run time per command kind, measured as we go (start values from a first unkilled run).
        self.runtime: dict[str, float] = {}
        # Kills after which a journal was left behind with nobody holding the lock: the kill
        # landed between the journal and its removal (file write, commit, index update).
        self.journals_left = 0
        # Kills that left one of git's own lock files behind (git killed along with skm).
        self.git_locks_left = 0

    def observe_after_kill(self) -> None:
        """Peek (briefly holding the write lock) whether the dead process left a journal."""
        fd = os.open(self.repo / ".skm" / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # a live skm holds the lock (it may be recovering right now)
        else:
            journal = (self.repo / ".skm" / "journal.json").exists()
            git_dir = self.repo / ".git"
            git_lock = any(p.exists() for p in (git_dir / "index.lock", git_dir / "HEAD.lock",
                                                 git_dir / "refs" / "heads" / "main.lock"))
            with self.lock:
                self.journals_left += journal
                self.git_locks_left += git_lock
        finally:
            os.close(fd)

    def committed_ids(self) -> list[str]:
        out = subprocess.run(["git", "ls-tree", "--name-only", "HEAD", "--", "cases/"], cwd=self.repo,
                             capture_output=True, text=True, env=self.env).stdout
        return sorted(Path(p).stem for p in out.split() if p.endswith(".yaml"))

    def plan(self, index: int) -> Op:
        rng = random.Random(SEED * 1000 + index)
        ids = self.committed_ids()
        calibrating = index < 4 * WORKERS  # first runs of each kind are not killed: they measure it
        kinds = ("new-case", "notify", "log", "investigate")
        kind = kinds[index % 4] if calibrating else rng.choices(kinds, weights=(3, 2, 3, 2))[0]
        if not ids:
            kind = "new-case"
        case_id = None if kind == "new-case" else rng.choice(ids)
        marker = None
        if kind == "new-case":
            args = ["new-case", "--elev", rng.choice(NAMES), "--klasse", rng.choice(CLASSES),
                    rng.choice(("--under-18", "--over-18")), "--sakstype", rng.choice(KINDS),
                    "--meldt-av", rng.choice(REPORTERS), "--mottatt-av", rng.choice(RECEIVERS),
                    "--mottatt", f"2026-11-{rng.randint(2, 20):02d}", "--beskrivelse", rng.choice(TEXTS),
                    "--kategori", rng.choice(("mobbing", "utestenging", "digital-mobbing")), "--no-input"]
            if rng.random() < 0.2:
                args.append("--alvorlig")
        elif kind == "notify":
            # Valid for the case (issue 14): never before its report, never rektor in procedure C.
            text = (self.repo / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8", errors="replace")
            received = int(text.split("mottatt: 2026-11-", 1)[1][:2]) if "mottatt: 2026-11-" in text else 20
            whom = "skoleeier" if "sakstype: ledelse-elev" in text else rng.choice(("rektor", "skoleeier"))
            args = ["notify", case_id, whom, "--dato", f"2026-11-{rng.randint(received, 20):02d}",
                    "--merknad", rng.choice(("telefon", "e-post", "no"))]
        elif kind == "log":
            marker = f"Samtale med kontaktlærer, operasjon {index}: {rng.choice(TEXTS)}"
            args = ["log", case_id, "--hendelse", marker, "--dato", f"2026-11-{rng.randint(2, 20):02d}"]
        else:
            marker = f"Undersøkelse nr. {index}: {rng.choice(TEXTS)}"
            args = ["investigate", case_id, "--type", rng.choice(ACTIVITIES), "--oppsummering", marker,
                    "--med", "eleven", "--no-input"]
        delay = None
        group_kill = rng.random() < 0.8
        if not calibrating and rng.random() >= 0.12:
            # Spread over the run time, weighted towards the end (lock held, file and commit written).
            fraction = rng.uniform(0.0, 1.0) if rng.random() < 0.35 else rng.uniform(0.55, 1.05)
            delay = fraction * self.runtime.get(kind, 0.7)
        # Some writes are killed at one exact moment: just after their own commit moved HEAD, before
        # the journal is gone (a window of a few ms that random delays hit only by luck).
        after_commit = not calibrating and marker is not None and rng.random() < 0.12
        if after_commit:
            delay = None
        return Op(index, kind, args, marker.strip() if marker else None, case_id, delay, group_kill, after_commit)

    def wait_for_own_commit(self, op: Op, proc: subprocess.Popen[bytes]) -> bool:
        """True once ``op``'s write is committed but not finished: the journal names its case
        file, the file holds its marker, and HEAD is no longer the journal's ``head``."""
        case_file = self.repo / "cases" / f"{op.case_id}.yaml"
        journal = self.repo / ".skm" / "journal.json"
        branch = self.repo / ".git" / (self.repo / ".git" / "HEAD").read_text().split(": ", 1)[1].strip()
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                entry = json.loads(journal.read_text(encoding="utf-8"))
                if (entry.get("path") == f"cases/{op.case_id}.yaml"
                        and op.marker in case_file.read_text(encoding="utf-8", errors="replace")
                        and branch.read_text().strip() != entry.get("head")):
                    return True
            except (OSError, ValueError, AttributeError):
                pass
            time.sleep(0.0002)
        return False

    def run_one(self, op: Op) -> None:
        start = time.monotonic()
        proc = subprocess.Popen([SKM, *op.args], cwd=self.repo, env=self.env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        killed = False
        if op.after_commit and self.wait_for_own_commit(op, proc):
            try:
                os.killpg(proc.pid, signal.SIGKILL) if op.group_kill else os.kill(proc.pid, signal.SIGKILL)
                killed = True
            except ProcessLookupError:
                pass
        if op.delay is not None:
            pidfd = os.pidfd_open(proc.pid)
            try:
                ready, _, _ = select.select([pidfd], [], [], op.delay)
            finally:
                os.close(pidfd)
            if not ready:
                try:
                    if op.group_kill:
                        os.killpg(proc.pid, signal.SIGKILL)
                    else:
                        os.kill(proc.pid, signal.SIGKILL)
                    killed = True
                except ProcessLookupError:
                    pass
        out, err = proc.communicate(timeout=120)
        op.elapsed = time.monotonic() - start
        op.returncode, op.stdout, op.stderr = proc.returncode, out.decode(), err.decode()
        if killed and proc.returncode == -signal.SIGKILL:
            op.outcome = "killed"
            self.observe_after_kill()
        elif proc.returncode == 0:
            op.outcome = "ok"
            with self.lock:
                old = self.runtime.get(op.kind)
                self.runtime[op.kind] = op.elapsed if old is None else 0.7 * old + 0.3 * op.elapsed
        else:
            op.outcome = "failed"

    def worker(self) -> None:
        while True:
            with self.lock:
                index = self.next_index
                if index >= OPERATIONS:
                    return
                self.next_index += 1
            op = self.plan(index)
            self.run_one(op)
            with self.lock:
                self.ops.append(op)

    def run(self) -> list[Op]:
        threads = [threading.Thread(target=self.worker) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sorted(self.ops, key=lambda op: op.index)


def texts_in(data: dict[str, Any]) -> set[str]:
    found = {entry.get("hendelse") for entry in data.get("logg") or []}
    inv = data.get("undersokelse") or {}
    found |= {activity.get("oppsummering") for activity in inv.get("aktiviteter") or []}
    return {t for t in found if t}


def test_sigkill_at_random_moments_loses_nothing(case_repo: Path) -> None:
    started = time.monotonic()
    torture = Torture(case_repo)
    ops = torture.run()
    assert len(ops) == OPERATIONS
    failed = [(op.args, op.returncode, op.stderr) for op in ops if op.outcome == "failed"]
    assert failed == [], failed  # an operation that was not killed must succeed
    killed = [op for op in ops if op.outcome == "killed"]
    succeeded = [op for op in ops if op.outcome == "ok"]
    assert len(killed) >= OPERATIONS // 2, "too few operations were actually killed"

    # The next skm command recovers from whatever the last kill left, and works.
    first_id = torture.committed_ids()[0]
    result = run_skm(case_repo, "log", first_id, "--hendelse", "Første kommando etter krasjene.")
    assert result.returncode == 0, result.stderr
    assert_recovered(case_repo)

    assert_fsck_clean(case_repo)
    cases = assert_files_valid(case_repo)
    history = assert_history_valid(case_repo)

    # Nothing lost: every success is in the files; every new-case id printed is a committed case.
    for op in succeeded:
        if op.kind == "new-case":
            case_id = op.stdout.strip().splitlines()[-1]
            assert case_id in cases, op.args
            assert cases[case_id]["melding"]["beskrivelse"] == op.args[op.args.index("--beskrivelse") + 1].strip()
        elif op.marker:
            assert op.marker in texts_in(cases[op.case_id]), (op.index, op.args)
    # A killed op is wholly committed or wholly absent, and appears at most once.
    for op in killed:
        if op.marker:
            count = sum(1 for data in cases.values() for text in texts_in(data) if text == op.marker)
            assert count <= 1, op.args
    # One commit per success (plus killed ones that got as far as the commit, plus the last log).
    n_commits = len(history.commits)
    assert len(succeeded) + 1 <= n_commits <= len(succeeded) + len(killed) + 1
    ids = sorted(cases)
    assert ids == [f"2026-{n:04d}" for n in range(1, len(ids) + 1)], "case ids are not consecutive"

    # Drafts kept by recovery are whole case documents.
    drafts = sorted((case_repo / ".skm" / "utkast").glob("gjenopprettet-*.yaml"))
    for draft in drafts:
        data, findings = validate_bytes(draft.read_bytes(), draft.name)
        assert findings == [], [f.format() for f in findings]

    # The kills must have hit the interesting moments, or this test proves little.
    committed_markers = {t for data in cases.values() for t in texts_in(data)}
    killed_but_committed = [op for op in killed if op.marker and op.marker in committed_markers]
    assert killed_but_committed, "no kill landed after the commit (between update-ref and exit)"
    assert torture.journals_left >= 3, "too few kills landed while the journal was open"

    # The next commands work.
    for args in (["list"], ["validate"], ["show", ids[-1]]):
        result = run_skm(case_repo, *args)
        assert result.returncode == 0, (args, result.stderr)
    result = run_skm(case_repo, "new-case", "--elev", "Siste Elev", "--klasse", "9B", "--under-18",
                     "--sakstype", "elev-elev", "--meldt-av", "elev", "--mottatt-av", "Rektor",
                     "--beskrivelse", "Etter krasjene.", "--no-input")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"2026-{len(ids) + 1:04d}"
    assert_recovered(case_repo)

    elapsed = time.monotonic() - started
    summary = {
        "ops": len(ops), "killed": len(killed), "succeeded": len(succeeded),
        "killed_group": sum(op.group_kill for op in killed),
        "killed_but_committed": len(killed_but_committed), "journals_left": torture.journals_left, "git_locks_left": torture.git_locks_left, "recovery_drafts": len(drafts),
        "commits": n_commits, "cases": len(ids), "seconds": round(elapsed, 1),
        "runtime_estimates": {k: round(v, 3) for k, v in torture.runtime.items()},
    }
    print("crash-safety:", json.dumps(summary))


# -------------------------------------------------------------------- the write lock

def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


LOG_ARGS = ("--hendelse", "Samtale med eleven.", "--dato", "2026-11-19")


def test_stale_lock_file_of_a_dead_process_does_not_block(case_repo: Path) -> None:
    case_id = make_case(case_repo)
    lock = case_repo / ".skm" / "lock"
    pid = dead_pid()
    lock.write_text(f"{pid}\n", encoding="utf-8")
    started = time.monotonic()
    result = run_skm(case_repo, "log", case_id, *LOG_ARGS, env=skm_env(SKM_LOCK_TIMEOUT="10"))
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 5, "skm waited for a lock nobody holds"
    assert lock.read_text(encoding="utf-8").strip() != str(pid)


def test_lock_of_a_killed_process_is_released(case_repo: Path) -> None:
    """A process that held the flock and died by SIGKILL leaves no lock behind."""
    case_id = make_case(case_repo)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\nos.write(fd, b'%d\\n' % os.getpid())\n"
         "print('held', flush=True)\ntime.sleep(60)\n", str(case_repo / ".skm" / "lock")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        holder.kill()
        holder.wait()
        started = time.monotonic()
        result = run_skm(case_repo, "log", case_id, *LOG_ARGS, env=skm_env(SKM_LOCK_TIMEOUT="10"))
        assert result.returncode == 0, result.stderr
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()


def test_lock_held_by_a_live_process_makes_skm_wait_then_fail(case_repo: Path) -> None:
    case_id = make_case(case_repo)
    before = snapshot(case_repo)
    fd = os.open(case_repo / ".skm" / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        started = time.monotonic()
        result = run_skm(case_repo, "log", case_id, *LOG_ARGS, env=skm_env(SKM_LOCK_TIMEOUT="1.5"))
        elapsed = time.monotonic() - started
    finally:
        os.close(fd)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Feil: En annen skm-prosess skriver i saksarkivet akkurat nå." in result.stderr
    assert "Tips: Vent litt og prøv igjen." in result.stderr
    assert "Traceback" not in result.stderr
    assert 1.5 <= elapsed < 1.5 + 5, f"waited {elapsed:.2f} s with SKM_LOCK_TIMEOUT=1.5"
    assert snapshot(case_repo) == before


def test_live_lock_released_while_waiting_lets_skm_finish(case_repo: Path) -> None:
    case_id = make_case(case_repo)
    fd = os.open(case_repo / ".skm" / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    proc = subprocess.Popen([SKM, "log", case_id, *LOG_ARGS], cwd=case_repo, env=skm_env(SKM_LOCK_TIMEOUT="20"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    time.sleep(1.5)
    assert proc.poll() is None, "skm did not wait for the lock"
    os.close(fd)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert out.strip() == f"Sak {case_id}: loggoppføring lagret."


def test_git_children_hold_the_lock_until_they_exit(case_repo: Path) -> None:
    """A git child that outlives skm (skm alone was killed) keeps the lock: recovery never races it."""
    from skolemiljo.storage.git import git_text
    from skolemiljo.storage.lock import write_lock

    lock = case_repo / ".skm" / "lock"
    with write_lock(case_repo / ".skm"):
        # A git alias that leaves a process running after git itself has returned.
        git_text(case_repo, "-c", "alias.bakgrunn=!sleep 30 >/dev/null 2>&1 &", "bakgrunn")
    fd = os.open(lock, os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)
    holders = [pid for pid in os.listdir("/proc") if pid.isdigit() and _holds(int(pid), lock)]
    assert holders, "no process holds the lock file open"
    for pid in holders:
        os.kill(int(pid), signal.SIGKILL)
    deadline = time.monotonic() + 5
    while True:
        fd = os.open(lock, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            assert time.monotonic() < deadline, "the lock was not released when its holders died"
            time.sleep(0.02)
        finally:
            os.close(fd)


def _holds(pid: int, path: Path) -> bool:
    """Whether process ``pid`` (not this one) has ``path`` open."""
    if pid == os.getpid():
        return False
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
        except OSError:
            continue
    return False


# ----------------------------------------------------------------- journal recovery

def _extra_case_bytes(repo: Path, case_id: str, new_id: str | None = None) -> bytes:
    """The bytes skm would write: the case with one more log entry (or a copy under ``new_id``)."""
    data = read_case(CaseRepo(repo), case_id).data
    if new_id:
        data["id"] = new_id
    else:
        data["logg"].append({"dato": "2026-11-20", "av": "Kari Krasj", "hendelse": "Skrevet rett før krasjet."})
    return case_document(data).encode("utf-8")


def simulate_crash(repo: Path, case_id: str, content: bytes, *, written: bool, committed: bool) -> dict[str, Any]:
    """Leave by hand what ``GitStore.commit_file`` leaves when killed at a given point.

    ``written``: the case file was replaced; ``committed``: HEAD was moved (the index not yet
    synced, the journal not yet removed). Also left: a private index, temp files of the case
    file and of the journal, and the git lock of the step that was running.
    """
    store = GitStore(CaseRepo(repo))
    gitpath = f"cases/{case_id}.yaml"
    path = repo / gitpath
    head = store.head()
    old_blob = store.blob_at(head, gitpath)
    new_blob = store.git("hash-object", "-w", "--stdin", data=content).strip()
    state = repo / ".skm"
    journal = {"path": gitpath, "old": old_blob, "new": new_blob, "head": head}
    (state / "journal.json").write_text(json.dumps(journal), encoding="utf-8")
    time.sleep(0.02)  # git's locks below are taken after the journal
    (state / f"index.{dead_pid()}").write_bytes(b"DIRC partial")  # a private index (older skm made one per commit)
    (state / ".journal.json.skm-tmp-4242").write_bytes(b'{"path": "cas')
    (repo / "cases" / f".{case_id}.yaml.skm-tmp-4242").write_bytes(content[: len(content) // 2])
    if written:
        path.write_bytes(content)
    edit = edit_tree(repo, {gitpath: new_blob}, store.object_format)
    assert (edit.head, edit.old_blobs[gitpath]) == (head, old_blob)
    commit = store._commit(edit, commit_message(case_id, "logg ført", "log"), AUTHOR)
    if committed:
        git(repo, "update-ref", "HEAD", commit, head)
        (repo / ".git" / "index.lock").write_bytes(b"DIRC partial")  # killed in update-index
    else:
        (repo / ".git" / "refs" / "heads" / "main.lock").write_text(commit + "\n")  # killed in update-ref
    return {"old_blob": old_blob, "new_blob": new_blob, "commit": commit, "head": head}


def drafts(repo: Path) -> dict[str, bytes]:
    folder = repo / ".skm" / "utkast"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("gjenopprettet-*.yaml"))} if folder.is_dir() else {}


def test_journal_after_the_commit_is_completed(case_repo: Path) -> None:
    """Killed after update-ref: the commit stands, the file and the index are made to agree with it."""
    case_id, other = make_case(case_repo), make_case(case_repo)
    content = _extra_case_bytes(case_repo, case_id)
    crash = simulate_crash(case_repo, case_id, content, written=True, committed=True)
    assert git(case_repo, "status", "--porcelain=v1") != ""

    result = run_skm(case_repo, "log", other, *LOG_ARGS)
    assert result.returncode == 0, result.stderr
    assert_recovered(case_repo)
    assert git(case_repo, "rev-parse", "HEAD~1").strip() == crash["commit"]
    assert (case_repo / "cases" / f"{case_id}.yaml").read_bytes() == content
    assert drafts(case_repo) == {}  # nothing uncommitted was thrown away
    assert not (case_repo / ".git" / "index.lock").exists()
    assert_fsck_clean(case_repo)
    assert_history_valid(case_repo)


def test_journal_before_the_commit_restores_the_file_and_keeps_a_draft(case_repo: Path) -> None:
    """Killed between writing the file and update-ref: the old file is back, the new text is a draft."""
    case_id, other = make_case(case_repo), make_case(case_repo)
    old = (case_repo / "cases" / f"{case_id}.yaml").read_bytes()
    head = git(case_repo, "rev-parse", "HEAD").strip()
    content = _extra_case_bytes(case_repo, case_id)
    crash = simulate_crash(case_repo, case_id, content, written=True, committed=False)

    result = run_skm(case_repo, "log", other, *LOG_ARGS)
    assert result.returncode == 0, result.stderr
    assert_recovered(case_repo)
    assert git(case_repo, "rev-parse", "HEAD~1").strip() == head
    assert (case_repo / "cases" / f"{case_id}.yaml").read_bytes() == old
    assert drafts(case_repo) == {f"gjenopprettet-{case_id}-{crash['new_blob'][:8]}.yaml": content}
    assert not (case_repo / ".git" / "refs" / "heads" / "main.lock").exists()
    assert_fsck_clean(case_repo)


def test_journal_before_the_file_was_written_changes_nothing(case_repo: Path) -> None:
    case_id, other = make_case(case_repo), make_case(case_repo)
    old = (case_repo / "cases" / f"{case_id}.yaml").read_bytes()
    simulate_crash(case_repo, case_id, _extra_case_bytes(case_repo, case_id), written=False, committed=False)

    result = run_skm(case_repo, "log", other, *LOG_ARGS)
    assert result.returncode == 0, result.stderr
    assert_recovered(case_repo)
    assert (case_repo / "cases" / f"{case_id}.yaml").read_bytes() == old
    assert drafts(case_repo) == {}


def test_uncommitted_new_case_is_kept_as_a_draft(case_repo: Path) -> None:
    """Killed in new-case before the commit: the file goes (its id is free again), its text is kept."""
    first = make_case(case_repo)
    new_id = "2026-0002"
    content = _extra_case_bytes(case_repo, first, new_id=new_id)
    crash = simulate_crash(case_repo, new_id, content, written=True, committed=False)
    assert crash["old_blob"] is None
    assert f"?? cases/{new_id}.yaml" in git(case_repo, "status", "--porcelain=v1", "--untracked-files=all")

    result = run_skm(case_repo, "new-case", "--elev", "Ny Elev", "--klasse", "9B", "--under-18",
                     "--sakstype", "elev-elev", "--meldt-av", "elev", "--mottatt-av", "Rektor",
                     "--beskrivelse", "Etter krasjet.", "--no-input")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == new_id  # the id was never committed, so it is reused
    assert_recovered(case_repo)
    kept = drafts(case_repo)
    assert list(kept) == [f"gjenopprettet-{new_id}-{crash['new_blob'][:8]}.yaml"]
    assert kept[f"gjenopprettet-{new_id}-{crash['new_blob'][:8]}.yaml"] == content
    data, findings = validate_bytes(content, "utkast")
    assert findings == [] and data["id"] == new_id
    assert yamlio.load_bytes((case_repo / "cases" / f"{new_id}.yaml").read_bytes())["elev"]["navn"] == "Ny Elev"
    assert_fsck_clean(case_repo)
    assert_history_valid(case_repo)


def test_recovery_is_idempotent_when_killed_again(case_repo: Path) -> None:
    """Recovery itself may be interrupted; running it twice gives the same result."""
    case_id, other = make_case(case_repo), make_case(case_repo)
    content = _extra_case_bytes(case_repo, case_id)
    simulate_crash(case_repo, case_id, content, written=True, committed=False)
    store = GitStore(CaseRepo(case_repo))
    journal = (case_repo / ".skm" / "journal.json").read_bytes()
    assert store.recover()
    first = (drafts(case_repo), (case_repo / "cases" / f"{case_id}.yaml").read_bytes())
    (case_repo / ".skm" / "journal.json").write_bytes(journal)  # as if killed before removing it
    assert store.recover()
    assert (drafts(case_repo), (case_repo / "cases" / f"{case_id}.yaml").read_bytes()) == first
    assert git(case_repo, "status", "--porcelain=v1", "--untracked-files=all") == ""
    result = run_skm(case_repo, "log", other, *LOG_ARGS)
    assert result.returncode == 0, result.stderr


def test_git_lock_of_a_running_git_is_respected(case_repo: Path) -> None:
    """Without a journal, a git lock belongs to someone's running git: skm refuses, changes nothing."""
    case_id = make_case(case_repo)
    index_lock = case_repo / ".git" / "index.lock"
    index_lock.write_bytes(b"")
    before = snapshot(case_repo)
    head = git(case_repo, "rev-parse", "HEAD").strip()
    result = run_skm(case_repo, "log", case_id, *LOG_ARGS)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Git-repositoryet er låst av en annen git-kommando" in result.stderr
    assert str(index_lock) in result.stderr and "Traceback" not in result.stderr
    assert index_lock.exists()
    assert git(case_repo, "rev-parse", "HEAD").strip() == head
    assert not (case_repo / ".skm" / "journal.json").exists()
    index_lock.unlink()
    assert snapshot(case_repo) == before



def test_a_brief_git_lock_is_waited_for(case_repo: Path) -> None:
    """git holds its locks for milliseconds (a user's `git status`): skm waits instead of failing."""
    case_id = make_case(case_repo)
    index_lock = case_repo / ".git" / "index.lock"
    index_lock.write_bytes(b"")
    proc = subprocess.Popen([SKM, "log", case_id, *LOG_ARGS], cwd=case_repo, env=skm_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not (case_repo / ".skm" / "lock").read_text().strip() == str(proc.pid):
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    time.sleep(0.3)
    index_lock.unlink()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert git(case_repo, "status", "--porcelain=v1", "--untracked-files=all") == ""


def test_a_read_command_after_a_crash_recovers_first(case_repo: Path) -> None:
    """`skm list` right after a crash must not show (or leave) the half-written state."""
    first = make_case(case_repo)
    new_id = "2026-0002"
    simulate_crash(case_repo, new_id, _extra_case_bytes(case_repo, first, new_id=new_id), written=True,
                   committed=False)
    result = run_skm(case_repo, "list")
    assert result.returncode == 0, result.stderr
    assert new_id not in result.stdout, "an uncommitted case is listed"
    assert git(case_repo, "status", "--porcelain=v1", "--untracked-files=all") == ""
