"""The warm cache and the process pool: faster, never different, never hiding a change."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from skolemiljo.storage import filecache, yamlio
from skolemiljo.storage.casefiles import case_document
from skolemiljo.checks import registry, runner
from skolemiljo.storage.repository import CaseRepo
from check_fixtures import build_faulty, plain_commit

TODAY = __import__("datetime").date(2026, 11, 20)


@pytest.fixture
def faulty_repo(tmp_path: Path) -> CaseRepo:
    return build_faulty(tmp_path / "saker")[0]


def run(repo: CaseRepo, **kw) -> runner.Report:
    return runner.run(repo, list(registry.IDS), TODAY, **kw)


def test_warm_run_reads_nothing_and_agrees(faulty_repo: CaseRepo) -> None:
    cold = run(faulty_repo, use_cache=False)
    first = run(faulty_repo)
    assert first.findings == cold.findings
    # A file written less than a second before it was read is never trusted by its stamp.
    fresh = faulty_repo.cases_dir / "2026-0003.yaml"
    fresh.write_bytes(fresh.read_bytes())
    run(faulty_repo)
    assert json.loads((faulty_repo.state_dir / "cache" / "check.json").read_text())["files"][
        "cases/2026-0003.yaml"][4] is False
    old = 10**9 * 1_700_000_000
    for path in faulty_repo.cases_dir.glob("*.yaml"):
        os.utime(path, ns=(old, old))
    run(faulty_repo)  # re-stamps (content unchanged: hashes match, nothing parsed)
    warm = run(faulty_repo)
    assert warm.findings == cold.findings
    assert warm.stats["parsed"] == 0 and warm.stats["cache_hits"] == warm.cases


def test_a_change_is_never_hidden(faulty_repo: CaseRepo) -> None:
    run(faulty_repo)
    path = faulty_repo.cases_dir / "2026-0016.yaml"
    text = path.read_text(encoding="utf-8")
    st = os.stat(path)
    # Same size, same mtime: only the content (and ctime) differ.
    changed = text.replace("evalueres: 2026-11-06", "evalueres: 2026-11-27")
    assert len(changed) == len(text)
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    report = run(faulty_repo)
    assert not [f for f in report.findings if f.file == "cases/2026-0016.yaml" and f.check == "evaluering-forfalt"]
    assert report.findings == run(faulty_repo, use_cache=False).findings


def test_damaged_or_foreign_cache_is_rebuilt(faulty_repo: CaseRepo) -> None:
    expected = run(faulty_repo, use_cache=False).findings
    cache = faulty_repo.state_dir / "cache" / "check.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("{nope", encoding="utf-8")
    assert run(faulty_repo).findings == expected
    data = json.loads(cache.read_text())
    data["key"] = "old-version"
    for entry in data["files"].values():
        entry[6] = {"id": None, "f": [["schema", 1, "falsk"]], "d": None}
    cache.write_text(json.dumps(data))
    assert run(faulty_repo).findings == expected


def test_no_cache_writes_nothing(faulty_repo: CaseRepo) -> None:
    run(faulty_repo, use_cache=False)
    assert not (faulty_repo.state_dir / "cache").exists()


def test_the_log_walk_follows_new_commits(faulty_repo: CaseRepo) -> None:
    assert [f.file for f in run(faulty_repo).findings if f.check == "endret-utenom-skm"] == ["cases/2026-0025.yaml"]
    path = faulty_repo.cases_dir / "2026-0016.yaml"
    data = yamlio.load(path.read_text(encoding="utf-8"))
    data["aktivitetsplan"]["problem"] = "Eleven holdes utenfor i friminuttene."
    plain_commit(faulty_repo, path, case_document(data))
    found = [f.file for f in run(faulty_repo).findings if f.check == "endret-utenom-skm"]
    assert found == ["cases/2026-0016.yaml", "cases/2026-0025.yaml"]


def test_process_pool_gives_the_same_report(faulty_repo: CaseRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = run(faulty_repo, use_cache=False, jobs=1)
    monkeypatch.setattr(filecache, "PARALLEL_MIN", 2)
    parallel = run(faulty_repo, use_cache=False, jobs=2)
    assert parallel.findings == serial.findings and parallel.cases == serial.cases


def test_deleted_case_file_is_reported(faulty_repo: CaseRepo) -> None:
    (faulty_repo.cases_dir / "2026-0001.yaml").unlink()
    report = run(faulty_repo)
    deleted = [f for f in report.findings if f.file == "cases/2026-0001.yaml"]
    assert [(f.check, f.line) for f in deleted] == [("ikke-committet", 1)]
    assert "slettet" in deleted[0].message


def _outside(repo: CaseRepo) -> list[str]:
    return [f.file for f in run(repo, use_cache=False).findings if f.check == "endret-utenom-skm"]


def test_outside_skm_then_skm_again_is_fine(faulty_repo: CaseRepo) -> None:
    from check_fixtures import commit_case

    path = faulty_repo.cases_dir / "2026-0025.yaml"
    data = yamlio.load(path.read_text(encoding="utf-8"))
    data["logg"].append({"dato": "2026-11-20", "av": "Rektor", "hendelse": "Kontrollert."})
    commit_case(faulty_repo, data)  # skm commits after the plain one
    assert _outside(faulty_repo) == []


def test_one_plain_commit_of_two_files(faulty_repo: CaseRepo) -> None:
    from check_fixtures import commit_case
    from conftest import git

    for name in ("2026-0001.yaml", "2026-0003.yaml"):
        path = faulty_repo.cases_dir / name
        path.write_text(path.read_text(encoding="utf-8").replace("Eleven forteller", "Eleven sier"), encoding="utf-8")
    git(faulty_repo.root, "commit", "-q", "-m", "Rettet ordlyd", "--", "cases/2026-0001.yaml", "cases/2026-0003.yaml")
    assert _outside(faulty_repo) == ["cases/2026-0001.yaml", "cases/2026-0003.yaml", "cases/2026-0025.yaml"]
    data = yamlio.load((faulty_repo.cases_dir / "2026-0003.yaml").read_text(encoding="utf-8"))
    data["logg"].append({"dato": "2026-11-20", "av": "Rektor", "hendelse": "Kontrollert."})
    commit_case(faulty_repo, data)
    assert _outside(faulty_repo) == ["cases/2026-0001.yaml", "cases/2026-0025.yaml"]


def test_case_repository_inside_a_larger_git_repository(tmp_path: Path, skm) -> None:
    from check_fixtures import build_clean
    from conftest import git

    top = tmp_path / "kommune"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    (top / "LESMEG.md").write_text("Kommunens arkiv\n", encoding="utf-8")
    git(top, "add", "LESMEG.md")
    git(top, "commit", "-q", "-m", "Start")
    repo = build_clean(top / "skole" / "saker")
    assert (repo.root / ".git").exists() is False
    path = repo.cases_dir / "2026-0003.yaml"
    plain_commit(repo, path, path.read_text(encoding="utf-8").replace("Eleven forteller", "Eleven sier"))
    changed = repo.cases_dir / "2026-0001.yaml"
    changed.write_text(changed.read_text(encoding="utf-8") + "# merknad\n", encoding="utf-8")
    result = skm("check", "endret-utenom-skm", "ikke-committet", cwd=repo.root)
    assert result.stdout.splitlines()[:2] == [
        "cases/2026-0001.yaml:1: error [ikke-committet] Saksfila har endringer som ikke er committet "
        "(ikke ført i historikken)",
        "cases/2026-0003.yaml:1: warning [endret-utenom-skm] Siste commit av saksfila er ikke gjort med skm "
        "(mangler Skm-Action); se `skm history` og kontroller endringen",
    ]


def test_not_a_git_repository(tmp_path: Path, skm) -> None:
    from check_fixtures import build_clean
    import shutil as _shutil

    repo = build_clean(tmp_path / "saker")
    _shutil.rmtree(repo.root / ".git")
    result = skm("check", "ikke-committet", "endret-utenom-skm", cwd=repo.root)
    assert result.exit_code == 1
    assert result.stdout.startswith("cases:1: error [ikke-committet] Saksarkivet er ikke i et git-repository")


def test_a_fresh_clone_with_the_cache_restored_parses_only_what_differs(faulty_repo: CaseRepo,
                                                                       tmp_path: Path) -> None:
    """CI restores ``.skm/cache`` into a new clone: every stamp differs, most contents do not."""
    import shutil
    import subprocess

    run(faulty_repo)
    clone = tmp_path / "klon"
    subprocess.run(["git", "clone", "-q", str(faulty_repo.root), str(clone)], check=True)
    shutil.copytree(faulty_repo.state_dir / "cache", clone / ".skm" / "cache")
    cloned = CaseRepo(clone)
    differing = [p.name for p in faulty_repo.cases_dir.glob("*.y*ml")
                 if not (clone / "cases" / p.name).is_file()
                 or (clone / "cases" / p.name).read_bytes() != p.read_bytes()]
    report = run(cloned)
    assert report.stats["parsed"] == len([p for p in cloned.cases_dir.glob("*.y*ml") if p.name in differing])
    assert report.stats["parsed"] < report.cases
    assert report.findings == run(cloned, use_cache=False).findings


def test_git_s_index_spares_reading_unchanged_files_and_hides_no_change(faulty_repo: CaseRepo, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A file's hash is its git blob id: in a fresh clone with the cache restored, a file that
    ``git diff-files`` finds unchanged from the index, with a blob id the cache knows, is not read.
    Changed files are read however git is told to look away (assume-unchanged, skip-worktree) or
    whatever the index says (a change that is staged)."""
    import shutil
    import subprocess

    run(faulty_repo)
    clone = tmp_path / "klon"
    subprocess.run(["git", "clone", "-q", str(faulty_repo.root), str(clone)], check=True)
    cloned = CaseRepo(clone)
    names = sorted(p.name for p in cloned.cases_dir.glob("2026-*.yaml"))
    hidden, skipped, staged, dirty = (clone / "cases" / name for name in names[:4])
    for path in (hidden, skipped, staged, dirty):
        path.write_text(path.read_text(encoding="utf-8").replace("status:", "status: ugyldig\nx:", 1),
                        encoding="utf-8")
    git = ["git", "-C", str(clone)]
    subprocess.run([*git, "update-index", "--assume-unchanged", f"cases/{hidden.name}"], check=True)
    subprocess.run([*git, "update-index", "--skip-worktree", f"cases/{skipped.name}"], check=True)
    subprocess.run([*git, "add", f"cases/{staged.name}"], check=True)
    shutil.copytree(faulty_repo.state_dir / "cache", clone / ".skm" / "cache")
    time.sleep(1.1)  # CI checks a clone made seconds ago; a file changed within a second is always read
    differing = {f"cases/{p.name}" for p in cloned.cases_dir.glob("*.y*ml")
                 if not (faulty_repo.cases_dir / p.name).is_file()
                 or (faulty_repo.cases_dir / p.name).read_bytes() != p.read_bytes()}
    read: list[str] = []
    real = filecache._read

    def counted(path: str, rel: str, known: str | None, analysis: filecache.Analysis) -> filecache.Read:
        read.append(rel)
        return real(path, rel, known, analysis)

    monkeypatch.setattr(filecache, "INDEX_MIN", 1)
    monkeypatch.setattr(filecache, "_read", counted)
    report = run(cloned)
    assert set(read) == differing  # the four changed files and those the clone has otherwise
    assert {f"cases/{p.name}" for p in (hidden, skipped, staged, dirty)} <= set(read)
    assert report.findings == run(cloned, use_cache=False).findings
    read.clear()
    assert run(cloned).findings == report.findings
    # then warm by stamp, but for the files written less than a second before they were read
    assert set(read) <= {f"cases/{p.name}" for p in (hidden, skipped, staged, dirty)}


def test_the_hash_of_a_file_is_its_git_blob_id(tmp_path: Path) -> None:
    import subprocess

    path = tmp_path / "f.yaml"
    path.write_bytes(b"id: 2026-0001\n\xc3\xa6\n")
    expected = subprocess.run(["git", "hash-object", str(path)], capture_output=True, text=True, check=True).stdout
    assert filecache.blob_id(path.read_bytes()) == expected.strip()


def test_the_calendar_is_kept_by_its_blob_id_and_a_change_is_read(faulty_repo: CaseRepo) -> None:
    from skolemiljo.checks.cache import CheckCache
    from skolemiljo.storage.calendarfile import read_calendar

    first = run(faulty_repo)
    cache = CheckCache(faulty_repo.state_dir / "cache")
    raw = faulty_repo.calendar_path.read_bytes()
    assert cache.extra["calendar"]["hash"] == filecache.blob_id(raw)
    cached, findings = runner._calendar(faulty_repo, cache)
    assert findings == [] and cached == read_calendar(faulty_repo.calendar_path)[0]
    assert run(faulty_repo).findings == first.findings
    faulty_repo.calendar_path.write_bytes(raw.replace(b"frister:", b"frister: [\n", 1))
    broken = run(faulty_repo)
    assert [f.check for f in broken.findings if f.file == "calendar.yaml"] == ["kalender"]
    assert broken.findings == run(faulty_repo, use_cache=False).findings
    faulty_repo.calendar_path.write_bytes(raw)
    assert run(faulty_repo).findings == first.findings


def test_the_calendar_encoding_is_lossless() -> None:
    from datetime import date

    value = {"a": [1, 1.5, True, None, "x", date(2026, 8, 17)], "b": {"c": []}, "d": "2026-08-17"}
    assert filecache.plain_decode(filecache.plain_encode(value)) == value
    assert type(filecache.plain_decode(filecache.plain_encode(True))) is bool
    with pytest.raises(TypeError):
        filecache.plain_encode({1: "int key"})


def test_status_keeps_the_parsed_calendar_under_a_key_of_its_bytes(faulty_repo: CaseRepo) -> None:
    from skolemiljo.services.overview import case_facts

    with case_facts(faulty_repo, use_cache=False) as fresh:
        expected = (fresh.calendar, fresh.entries)
    with case_facts(faulty_repo) as first:
        assert (first.calendar, first.entries) == expected
    saved = json.loads((faulty_repo.state_dir / "cache" / "status.json").read_text(encoding="utf-8"))
    assert "calendar" in saved["extra"]
    with case_facts(faulty_repo) as second:
        assert (second.calendar, second.entries) == expected


def test_a_change_after_git_status_looked_and_before_the_stat_is_read(faulty_repo: CaseRepo, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The blob ids come from the ``git status`` that ``ikke-committet`` starts before the files are
    listed. A file written after git compared it and before skm took its stamp: git calls it clean,
    the stamp is new; it is read all the same (its ctime is after git started)."""
    import shutil
    import subprocess

    from skolemiljo.checks import audit_checks

    run(faulty_repo)
    clone = tmp_path / "klon"
    subprocess.run(["git", "clone", "-q", str(faulty_repo.root), str(clone)], check=True)
    shutil.copytree(faulty_repo.state_dir / "cache", clone / ".skm" / "cache")
    time.sleep(1.1)
    cloned = CaseRepo(clone)
    target = sorted(cloned.cases_dir.glob("2026-*.yaml"))[0]
    asked: list[bool] = []

    class LateWriter(audit_checks.GitQuery):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            if asked:
                return  # the comparison run below
            asked.append(self.worktree_changes() is not None)  # git has looked: the file is clean
            target.write_text(target.read_text(encoding="utf-8").replace("status:", "status: ugyldig\nx:", 1),
                              encoding="utf-8")

    monkeypatch.setattr(filecache, "INDEX_MIN", 1)
    monkeypatch.setattr(runner, "GitQuery", LateWriter)
    report = run(cloned)
    assert asked == [True]
    rel = f"cases/{target.name}"
    assert any(f.file == rel and f.check == "schema" for f in report.findings)
    # the same findings as reading every file, but ikke-committet: git looked before the write
    cold = [f for f in run(cloned, use_cache=False).findings if f.check != "ikke-committet" or f.file != rel]
    assert report.findings == cold
