"""``benchmarks/gen_cases.py --history`` writes its pack itself: a valid repository, the history
``git fast-import`` made (the same commit ids), and a HEAD holding exactly the generated texts."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COUNT = 150


@pytest.fixture(scope="module")
def gen_cases():
    spec = importlib.util.spec_from_file_location("gen_cases", ROOT / "benchmarks" / "gen_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_pack_history_is_valid_and_holds_every_event(gen_cases, tmp_path: Path) -> None:
    repo = gen_cases.generate(tmp_path / "saker", COUNT, seed=11, history=True).root
    subprocess.run(["git", "fsck", "--full", "--strict"], cwd=repo, capture_output=True, check=True)
    rng = gen_cases.random.Random(11)
    documents = {}
    per_year: dict[int, int] = {}
    for mottatt in gen_cases.report_dates(COUNT, rng, gen_cases.TODAY):  # as generate makes them
        per_year[mottatt.year] = per_year.get(mottatt.year, 0) + 1
        case_id = f"{mottatt.year}-{per_year[mottatt.year]:04d}"
        data = gen_cases.case_for(case_id, mottatt, rng, today=gen_cases.TODAY)
        documents[case_id] = (data, gen_cases.case_document(data))
    events = gen_cases._history_events(documents)
    assert int(git(repo, "rev-list", "--count", "HEAD")) == len(events) + 1  # + skm init's commit
    files = git(repo, "ls-tree", "-r", "--name-only", "HEAD", "--", "cases").split()
    assert sorted(files) == sorted(["cases/.gitkeep", *(f"cases/{case_id}.yaml" for case_id in documents)])
    for case_id, (_data, text) in documents.items():
        assert git(repo, "cat-file", "blob", f"HEAD:cases/{case_id}.yaml") == text
    assert git(repo, "status", "--porcelain") == ""
    # The packed trees are deltas (chains of at most DELTA_CHAIN) and HEAD's cases tree is whole.
    pack = next((repo / ".git" / "objects" / "pack").glob("pack-*.idx"))
    verified = git(repo, "verify-pack", "-v", str(pack))
    assert "chain length = 1:" in verified
    head_cases = git(repo, "rev-parse", "HEAD:cases").strip()
    line = next(row for row in verified.splitlines() if row.startswith(head_cases))
    assert len(line.split()) == 5  # id, type, size, packed size, offset: no delta base


def test_pack_history_makes_the_commits_fast_import_made(gen_cases, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", "1790000000 +0100")  # skm init's commit: the same in both
    monkeypatch.setenv("GIT_COMMITTER_DATE", "1790000000 +0100")
    packed = gen_cases.generate(tmp_path / "pack", COUNT, seed=3, history=True).root
    imported = gen_cases.generate(tmp_path / "import", COUNT, seed=3, history=True,
                                  write_history=gen_cases._fast_import_history).root
    log = git(packed, "log", "--format=%H %T")
    assert log.count("\n") > COUNT
    assert log == git(imported, "log", "--format=%H %T")


def test_delta_copies_are_split_and_never_empty(gen_cases) -> None:
    delta = bytearray()
    gen_cases._delta_copy(delta, 0x1000000, 0xFFFFFF + 0x10000)
    # 0xFFFFFF at 0x1000000, then 0x10000 at 0x1FFFFFF with its size byte spelled out
    assert bytes(delta) == bytes([0x80 | 0x08 | 0x70, 0x01, 0xFF, 0xFF, 0xFF, 0x80 | 0x0F | 0x40,
                                  0xFF, 0xFF, 0xFF, 0x01, 0x01])
    empty = bytearray()
    gen_cases._delta_copy(empty, 5, 0)
    assert empty == b""
