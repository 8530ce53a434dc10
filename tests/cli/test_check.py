"""``skm check``: the fixture repository with one of each fault, in all four formats."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from skolemiljo.checks import registry
from check_fixtures import (
    SECRET_NAME, SECRET_TEXT, build_clean, build_faulty, commit_case, secret_case, with_typos,
)

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<severity>error|warning) \[(?P<check>[a-z-]+)\] (?P<message>.+)$")


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[tuple[str, int, str, str]]]:
    """The fault repository, built once; expected findings as ``(file, line, severity, check)``."""
    # Module-scoped fixtures run outside the function-scoped isolation: isolate here too.
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("home-check")
    (home / "gitconfig").write_text("", encoding="utf-8")
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
    mp.setenv("SKM_TODAY", "2026-11-20")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "SKM_AV",
                 "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        mp.delenv(name, raising=False)
    try:
        repo, expected = build_faulty(tmp_path_factory.mktemp("faulty") / "saker")
        wanted = {(e.file, e.line(repo.root), registry.severity(e.check), e.check) for e in expected}
    finally:
        mp.undo()
    return repo.root, wanted


def parse_text(out: str) -> tuple[list[tuple[str, int, str, str]], str]:
    lines = out.rstrip("\n").splitlines()
    found = []
    for text in lines[:-1]:
        match = LINE.match(text)
        assert match, f"not a finding line: {text!r}"
        found.append((match["file"], int(match["line"]), match["severity"], match["check"]))
    return found, lines[-1]


def test_faulty_repository_text(skm, faulty) -> None:
    root, wanted = faulty
    result = skm("check", "--no-cache", cwd=root)
    found, summary = parse_text(result.stdout)
    assert sorted(found) == sorted(wanted)
    assert len(found) == len(wanted)  # each fault exactly once
    errors = sum(1 for f in wanted if f[2] == "error")
    warnings = len(wanted) - errors
    cases = len({f[0] for f in wanted if f[0].startswith("cases/") and (root / f[0]).exists()})
    assert summary == f"{errors} feil, {warnings} advarsler i {cases} av 23 saker"
    assert result.exit_code == 1


def test_faulty_repository_json(skm, faulty) -> None:
    root, wanted = faulty
    result = skm("check", "--format", "json", cwd=root)
    doc = json.loads(result.stdout)
    found = {(f["file"], f["line"], f["severity"], f["check"]) for f in doc["findings"]}
    assert found == wanted and len(doc["findings"]) == len(wanted)
    assert doc["format"] == 1 and doc["today"] == "2026-11-20" and doc["checks"] == list(registry.IDS)
    assert doc["summary"]["errors"] == sum(1 for f in wanted if f[2] == "error")
    assert doc["summary"]["cases"] == 23 and doc["summary"]["exit_code"] == 1
    by_file = {f["file"]: f["case"] for f in doc["findings"]}
    assert by_file["cases/2026-0016.yaml"] == "2026-0016" and by_file["schemas/case.schema.json"] is None
    assert result.exit_code == 1


def test_faulty_repository_github(skm, faulty) -> None:
    root, wanted = faulty
    result = skm("check", cwd=root, env={"GITHUB_ACTIONS": "true"})
    lines = result.stdout.rstrip("\n").splitlines()
    pattern = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),title=([a-z-]+)::(.+)$")
    found = set()
    for text in lines[:-1]:
        match = pattern.match(text)
        assert match, text
        found.add((match[2], int(match[3]), match[1], match[4]))
    assert found == wanted and len(lines) - 1 == len(wanted)
    assert lines[-1].endswith("av 23 saker")
    # --format wins over the environment
    assert skm("check", "--format", "text", cwd=root, env={"GITHUB_ACTIONS": "true"}).stdout.startswith("cases/")


def test_faulty_repository_junit(skm, faulty) -> None:
    root, wanted = faulty
    result = skm("check", "--format", "junit", cwd=root)
    tree = ET.fromstring(result.stdout.split("\n", 1)[1])
    cases = tree.findall(".//testcase")
    found = set()
    passed = set()
    for case in cases:
        failure = case.find("failure")
        if failure is None:
            passed.add(case.get("name"))
            continue
        check = case.get("classname").removeprefix("skm.check.")
        found.add((case.get("file"), int(case.get("line")), failure.get("type"), check))
        assert failure.get("message") and failure.text.startswith(f"{case.get('file')}:{case.get('line')}: ")
    assert found == wanted
    fired = {f[3] for f in wanted}
    assert passed == set(registry.IDS) - fired  # every check that found nothing is a passing test
    assert tree.get("failures") == str(len(wanted)) and tree.get("tests") == str(len(cases))


def test_clean_repository_exits_0(skm, tmp_path) -> None:
    root = build_clean(tmp_path / "saker").root
    result = skm("check", cwd=root)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "0 feil, 0 advarsler i 0 av 5 saker\n"
    for fmt in ("json", "github", "junit"):
        assert skm("check", "--format", fmt, cwd=root).exit_code == 0


def test_warnings_pass_unless_strict(skm, faulty) -> None:
    root, wanted = faulty
    warning_checks = sorted({f[3] for f in wanted if f[2] == "warning"})
    assert warning_checks == ["arkiv-endret", "endret-utenom-skm", "skjema-kopi", "uten-aktivitet"]
    result = skm("check", *warning_checks, cwd=root)
    assert result.exit_code == 0
    assert result.stdout.rstrip().endswith("0 feil, 4 advarsler i 3 av 23 saker")
    assert skm("check", "--strict", *warning_checks, cwd=root).exit_code == 1


def test_named_checks_and_ignore(skm, faulty) -> None:
    root, wanted = faulty
    result = skm("check", "evaluering-forfalt", "filnavn", cwd=root)
    found, _ = parse_text(result.stdout)
    assert {f[3] for f in found} == {"evaluering-forfalt", "filnavn"}
    result = skm("check", "--ignore", "status", "--ignore", "schema", cwd=root)
    found, _ = parse_text(result.stdout)
    assert {f[3] for f in found} == {f[3] for f in wanted} - {"status", "schema"}


def test_list(skm, tmp_path) -> None:
    result = skm("check", "--list", cwd=tmp_path)  # needs no case repository
    assert result.exit_code == 0
    rows = result.stdout.splitlines()
    assert [r.split()[0] for r in rows] == list(registry.IDS)
    assert rows[0].split()[1] == "feil" and "advarsel" in next(r for r in rows if r.startswith("uten-aktivitet"))
    listed = json.loads(skm("check", "--list", "--format", "json", cwd=tmp_path).stdout)
    assert [c["id"] for c in listed] == list(registry.IDS)
    assert all(c["description"] and c["severity"] in ("error", "warning") for c in listed)


@pytest.mark.parametrize("args", [
    ("check", "finnes-ikke"),
    ("check", "--ignore", "evaluering"),
    ("check", "--today", "2026-02-30"),
    ("check", "--today", "i morgen"),
    ("check", "--format", "xml"),
])
def test_usage_errors_exit_2(skm, faulty, args) -> None:
    root, _ = faulty
    result = skm(*args, cwd=root)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Feil: ")


def test_outside_a_case_repository_exits_2(skm, tmp_path) -> None:
    assert skm("check", cwd=tmp_path).exit_code == 2


def test_today_option_and_env(skm, tmp_path) -> None:
    root = build_clean(tmp_path / "saker").root
    # Two weeks later T1 and T2 of 2026-0003 are overdue and the new reports are late.
    late = skm("check", "--today", "2026-12-04", cwd=root)
    assert "cases/2026-0003.yaml" in late.stdout and late.exit_code == 1
    same = skm("check", cwd=root, env={"SKM_TODAY": "2026-12-04"})
    assert same.stdout == late.stdout
    # --today wins over SKM_TODAY
    assert skm("check", "--today", "2026-11-20", cwd=root, env={"SKM_TODAY": "2026-12-04"}).exit_code == 0


def test_no_name_or_free_text_in_any_format(skm, tmp_path) -> None:
    repo = build_clean(tmp_path / "saker")
    commit_case(repo, secret_case("2026-0030"))
    broken = with_typos(secret_case("2026-0031"))
    path = repo.root / "cases" / "2026-0031.yaml"
    from skolemiljo.storage import yamlio
    from skolemiljo.domain.model import MODELINE

    path.write_text(yamlio.dump(broken, MODELINE), encoding="utf-8")  # uncommitted, hand-broken
    (repo.root / "cases" / f"{SECRET_NAME.split()[0]}.yaml").write_text("elev: [\n", encoding="utf-8")
    words = [SECRET_NAME, *SECRET_NAME.replace("-", " ").split(), SECRET_TEXT, *SECRET_TEXT.split(),
             "Sara Lunde", "Tone Berg", "Per Haugen", "makker", "Kontrollert", "Samtale med"]
    outputs = {}
    for fmt in ("text", "json", "github", "junit"):
        result = skm("check", "--format", fmt, "--no-cache", cwd=repo.root)
        assert result.exit_code == 1
        outputs[fmt] = result.stdout + result.stderr
    text = outputs["text"]
    assert "cases/2026-0030.yaml" in text and "cases/2026-0031.yaml" in text
    assert "[evaluering-forfalt]" in text and "[schema]" in text and "[dato-fram-i-tid]" in text
    misnamed = f"cases/{SECRET_NAME.split()[0]}.yaml"
    for fmt, out in outputs.items():
        out = out.replace(misnamed, "cases/<fil>.yaml")  # a misnamed file is found by its path, nothing else
        for word in words:
            assert word not in out, (fmt, word)


def test_project_example_cases_stay_meaningful(skm) -> None:
    """The bundled example repository (the README's first command) passes on its demo day."""
    if not (ROOT / "cases").is_dir() or not any((ROOT / "cases").glob("*.yaml")):
        pytest.skip("no bundled example cases")
    result = skm("-C", str(ROOT), "check", "--no-cache", "schema", "status", "dato-rekkefolge", "id-unik", "filnavn")
    assert result.exit_code == 0, result.stdout


def test_cache_in_state_dir_and_reused(skm, tmp_path) -> None:
    root = build_clean(tmp_path / "saker").root
    first = skm("check", cwd=root)
    cache = root / ".skm" / "cache" / "check.json"
    assert cache.is_file()
    assert skm("check", cwd=root).stdout == first.stdout
    shutil.rmtree(root / ".skm" / "cache")
    assert skm("check", cwd=root).stdout == first.stdout
