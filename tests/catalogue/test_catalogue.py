"""The error catalogue (issue 12 item 7): every check id and every refusal, reproduced, exact output.

The entries are data (``tests/catalogue/entries/*.yaml``, format in ``catalogue_lib``); this
file runs each one in a real throwaway case repository through the CLI (``CliRunner``) and
proves the catalogue complete: a new check id, a new error class that exits 1, a new guard in
``services/workflow.py`` or a new status rule without an entry fails here.
``SKM_UPDATE_CATALOGUE=1 pytest tests/catalogue`` rewrites the expected output after a deliberate
change of a message; ``python tests/catalogue/catalogue_lib.py`` regenerates ``docs/errors.md``.
"""

from __future__ import annotations

import ast
import copy
import shutil
import inspect
import sys
from pathlib import Path
from typing import Any

import pytest

import catalogue_lib as lib
from case_fixtures import complete_case
from check_fixtures import SECRET_NAME, SECRET_TEXT, commit_case
from conftest import DEFAULT_CASE, Editor, git, make_case, make_repo, snapshot
from skolemiljo import errors
from skolemiljo.cli import failures
from skolemiljo.checks import registry
from skolemiljo.domain import archiving, requirements
from skolemiljo.storage.repository import CaseRepo

ENTRIES = lib.load_entries()

# Fictional names and free text the fixtures put in cases: never in output without --navn.
PRIVATE = ("Kari Nordmann", "Ola Nordmann", "Nordmann", SECRET_NAME, SECRET_TEXT, "Holdes utenfor",
           DEFAULT_CASE["beskrivelse"], "Per Haugen")

# Error classes that exit 1 but never reach a user's terminal as themselves, and why.
NOT_SHOWN = {
    "UntrustedJournal": "raised and caught inside storage.journal, which sets the journal aside",
    "ArchiveGradeError": "needs a PDF that is not PDF/A from a renderer skm does not ship; "
                         "tests/git/test_archive.py covers it",
    "StaleCaseError": "only the web interface sends the version a form was read at; "
                      "tests/git/test_expected_version.py and tests/web cover it",
}


# Workflow guards no command line reaches (the CLI and the web form always pass the value the guard
# asks for), and where they are proved instead.
API_ONLY_GUARDS = {"plan#1": "services.workflow.plan with problem=None (the Python API): "
                             "test_api_only_guards below"}


# Error classes a command prints itself (one line per case) instead of ending with them.
PRINTED_BY_COMMAND = {"CaseFailed": "cli/render.py: `Feil i sak …` for each case `render --all` could not make"}


# ------------------------------------------------------------------ running an entry

def _set(data: Any, dotted: str, value: Any, *, remove: bool = False) -> None:
    *parents, last = [int(p) if p.isdigit() else p for p in str(dotted).split(".")]
    for part in parents:
        data = data[part]
    if remove:
        del data[last]
    else:
        data[last] = value


def _case(repo: CaseRepo, spec: dict[str, Any]) -> None:
    data = complete_case(spec.get("sakstype", "elev-elev"), spec.get("alvorlig", False), spec.get("status", "tiltak"))
    for dotted, value in (spec.get("set") or {}).items():
        _set(data, dotted, copy.deepcopy(value))
    for dotted in spec.get("unset") or []:
        _set(data, dotted, None, remove=True)
    if spec.get("delivered"):  # delivered to the archive as it is now, then changed by ``after``
        data["arkiv"] = {"saksnummer": None, "leveranser": [
            {"nummer": number, "dato": "2026-11-16", "dokument": document, "versjon": 1, "commit": "c" * 40,
             "sjekksum": "a" * 64, "innholdshash": archiving.content_hash(document, data)}
            for number, document in enumerate(spec["delivered"], start=1)]}
    for dotted, value in (spec.get("after") or {}).items():
        _set(data, dotted, copy.deepcopy(value))
    commit_case(repo, data, name=spec.get("file"))


def _step(step: dict[str, Any], tmp: Path, skm) -> None:
    where = tmp / step.get("in", "saker")
    kind = next(k for k in step if k != "in")
    value = step[kind]
    if kind == "case":
        _case(CaseRepo(where), value)
    elif kind == "register":
        make_case(where, **(value or {}))
    elif kind == "skm":
        result = skm(*value, cwd=where)
        assert result.exit_code == 0, (value, result.stdout, result.stderr)
    elif kind == "git":
        git(where, *[str(v) for v in value])
    elif kind in ("write", "append"):
        target = where / value["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (target.read_text(encoding="utf-8") if kind == "append" else "") + value["text"]
        target.write_text(text, encoding="utf-8")
        if "mode" in value:
            target.chmod(int(str(value["mode"]), 8))
    elif kind == "replace":
        target = where / value["path"]
        text = target.read_text(encoding="utf-8")
        assert value["old"] in text, (target, value["old"])
        target.write_text(text.replace(value["old"], value["new"], 1), encoding="utf-8")
    elif kind == "remove":
        target = where / value
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    elif kind == "central":
        git(tmp, "clone", "--quiet", "--bare", str(where), str(tmp / "sentral.git"))
        git(where, "remote", "add", "origin", str(tmp / "sentral.git"))
        git(where, "fetch", "--quiet", "origin")
        git(where, "branch", "--quiet", "--set-upstream-to=origin/main")
    elif kind == "clone":
        target = tmp / value["name"]
        git(tmp, "clone", "--quiet", str(tmp / "sentral.git"), str(target))
        git(target, "config", "user.name", "Test Rektor")
        git(target, "config", "user.email", "rektor@example.no")
    else:
        raise AssertionError(f"unknown setup step {kind!r}")


def run_entry(entry: dict[str, Any], tmp: Path, skm, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Build the entry's repository, run its command; the normalised outcome."""
    import contextlib

    from skolemiljo.storage.lock import write_lock

    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    make_repo(tmp / "saker")
    for name in entry.get("missing_modules") or []:  # as if the package were not installed
        monkeypatch.setitem(sys.modules, name, None)
        if name == "weasyprint":
            from skolemiljo.render import pdf

            monkeypatch.setattr(pdf, "_weasyprint", None)  # forget an import made by an earlier test
    if entry.get("editor"):
        Editor(tmp, monkeypatch).replace(*[tuple(pair) for pair in entry["editor"]])
    for step in entry.get("setup") or []:
        _step(step, tmp, skm)
    where = tmp / entry.get("run_in", "saker")
    before = snapshot(tmp / "saker")
    held = write_lock(CaseRepo(tmp / "saker").state_dir) if entry.get("lock") else contextlib.nullcontext()
    raised: list[str] = []
    present = failures.present_error

    def recording(error: errors.SkmError) -> int:
        raised.append(type(error).__name__)
        return present(error)

    monkeypatch.setattr(failures, "present_error", recording)
    with held:
        result = skm(*[str(a) for a in entry["run"]], cwd=where, input=entry.get("input"), env=entry.get("env"))
    return {"exit": result.exit_code, "stdout": lib.normalise(result.stdout, tmp),
            "stderr": lib.normalise(result.stderr, tmp), "unchanged": snapshot(tmp / "saker") == before,
            "raised": raised,
            "raw": result.stdout + result.stderr, "before": before, "after": snapshot(tmp / "saker")}


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_entry(entry: dict[str, Any], tmp_path: Path, skm, monkeypatch: pytest.MonkeyPatch) -> None:
    outcome = run_entry(entry, tmp_path, skm, monkeypatch)
    if lib.UPDATE:
        entry.update(exit=outcome["exit"], stdout=outcome["stdout"], stderr=outcome["stderr"])
        lib.save(entry)
    assert (outcome["exit"], outcome["stdout"], outcome["stderr"]) == (entry["exit"], entry["stdout"],
                                                                        entry["stderr"])
    # Privacy: no fictional pupil's name or case text in the output unless --navn asked for it.
    if "--navn" not in entry["run"]:
        for private in PRIVATE:
            assert private not in outcome["raw"], (entry["id"], private)
    # A refusal changes nothing (checks change nothing either: they only read).
    if entry["exit"] != 0:
        changed = {k: (outcome["before"][k], outcome["after"][k]) for k in outcome["before"]
                   if outcome["before"][k] != outcome["after"][k]}
        assert outcome["unchanged"], (entry["id"], changed)
    # The entry shows what it claims to cover.
    if entry["kind"] == "check":
        for check_id in entry["covers"]:
            assert f"[{check_id}]" in outcome["raw"], (entry["id"], check_id)
    if entry["kind"] == "rule":
        for rule_id in set(entry["covers"]) & set(requirements.RULES_BY_ID):
            message = requirements.RULES_BY_ID[rule_id].message.split("{tiltak}")[-1].strip()
            assert message in outcome["raw"], (entry["id"], rule_id)
    if entry["kind"] in ("refusal", "rule"):
        # The error class the entry names is the one the command ended with.
        if outcome["raised"]:
            assert outcome["raised"][-1] in entry["covers"], (entry["id"], outcome["raised"])
        else:
            assert set(entry["covers"]) & set(PRINTED_BY_COMMAND), entry["id"]
        assert any(line.startswith(("Feil: ", "Feil i sak ")) for line in outcome["stderr"]), entry["id"]


# ------------------------------------------------------------------------ completeness

def covered() -> set[str]:
    return {c for e in ENTRIES for c in e["covers"]}


def refusal_classes() -> set[str]:
    """Every exception class in errors.py that ends a command with exit code 1."""
    return {name for name, cls in vars(errors).items()
            if inspect.isclass(cls) and issubclass(cls, errors.SkmError) and cls.exit_code == errors.EXIT_REFUSED}


def workflow_guards() -> set[str]:
    """``function#n``: the n-th refusal raised in each function of services/workflow.py."""
    from skolemiljo.services import workflow

    tree = ast.parse(Path(workflow.__file__).read_text(encoding="utf-8"))
    found = set()
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        count = 0
        for node in ast.walk(function):
            if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and isinstance(node.exc.func, ast.Name)
                    and node.exc.func.id in ("RefusedError", "RequirementsNotMetError")):
                count += 1
                found.add(f"{function.name}#{count}")
    return found


def test_entries_are_well_formed() -> None:
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids))
    for entry in ENTRIES:
        assert entry["_path"].stem == entry["id"]
        assert entry["kind"] in lib.KINDS, entry["id"]
        assert entry["covers"] and entry["description"].strip() and entry["fix"].strip(), entry["id"]
        assert "\n" not in entry["description"], entry["id"]
        assert isinstance(entry["run"], list) and entry["run"], entry["id"]
        lib.dump(entry)  # no unknown fields


def test_every_check_id_has_an_entry() -> None:
    assert {c for e in ENTRIES if e["kind"] == "check" for c in e["covers"]} == set(registry.IDS)


def test_every_refusal_class_has_an_entry() -> None:
    classes = covered() & refusal_classes()
    assert refusal_classes() - set(NOT_SHOWN) == classes
    assert set(NOT_SHOWN) <= refusal_classes()


def test_every_workflow_guard_has_an_entry() -> None:
    guards = {c for c in covered() if "#" in c}
    assert guards | set(API_ONLY_GUARDS) == workflow_guards()
    assert not guards & set(API_ONLY_GUARDS)


def test_api_only_guards(tmp_path: Path) -> None:
    """``plan#1``: a plan that has a date keeps it; without a new problem there is nothing to revise."""
    from conftest import AUTHOR
    from skolemiljo.services.workflow import plan

    make_repo(tmp_path / "saker")
    repo = CaseRepo(tmp_path / "saker")
    commit_case(repo, complete_case())
    before = snapshot(repo)
    with pytest.raises(errors.RefusedError) as raised:
        plan(repo, "2026-0001", AUTHOR, None)
    assert str(raised.value) == ("Aktivitetsplanen i sak 2026-0001 ble laget 2026-10-16; datoen står. Oppgi "
                                 "--problem for å revidere planen, eller rett datoen med `skm edit`.")
    assert snapshot(repo) == before


def test_every_status_rule_has_an_entry() -> None:
    assert covered() & set(requirements.RULES_BY_ID) == set(requirements.RULES_BY_ID)


def test_covers_name_real_things() -> None:
    known = set(registry.IDS) | refusal_classes() | workflow_guards() | set(requirements.RULES_BY_ID)
    for entry in ENTRIES:
        assert set(entry["covers"]) <= known, entry["id"]


def test_errors_doc_is_up_to_date() -> None:
    expected = lib.render_doc(ENTRIES)
    if lib.UPDATE:
        lib.DOC.write_text(lib.render_doc(lib.load_entries()), encoding="utf-8")
        return
    assert lib.DOC.read_text(encoding="utf-8") == expected, "run `python tests/catalogue/catalogue_lib.py`"


@pytest.mark.parametrize("run", [
    ["notify", "2026-0001", "rektor", "--dato", "2026-10-01"],  # _not_before_round#1
    ["plan", "2026-0001", "--problem", "Holdes utenfor.", "--no-input"],  # _require_identified#1
])
def test_refusals_print_no_hostile_id(run: list[str], tmp_path: Path, skm, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hand-edited ``id`` holding a name is never printed: the refusal says «(ugyldig saksnummer)»."""
    status = "mottatt" if run[0] == "notify" else "undersokes"
    entry = {"setup": [{"case": {"status": status, "set": {"id": "Kari Nordmann"},
                                 "unset": [] if run[0] == "notify" else ["elev", "aktivitetsplan"],
                                 "file": "2026-0001.yaml"}}], "run": run}
    outcome = run_entry(entry, tmp_path, skm, monkeypatch)
    assert outcome["exit"] == 1 and outcome["unchanged"], outcome["stderr"]
    assert "Kari Nordmann" not in outcome["raw"]
    assert "(ugyldig saksnummer)" in outcome["stderr"][0], outcome["stderr"]
