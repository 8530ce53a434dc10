"""``skm status``, ``skm check`` and ``skm calendar`` count deadlines with one engine (issue 12.3).

The probe of the issue: ``varsling.rektor: {dato: 2026-11-02, av: null}`` in a case still in
``mottatt``. Before the engine, ``skm check`` said nothing and ``skm status`` listed "varsle rektor".
"""

from __future__ import annotations

import json
from pathlib import Path

from skolemiljo.storage.repository import CaseRepo

from check_fixtures import commit_case, melding
from conftest import make_repo


def test_probe_check_output_is_pinned(skm, tmp_path: Path) -> None:
    repo = CaseRepo(make_repo(tmp_path / "saker"))
    case = melding("2026-0070", "2026-11-02")
    case["varsling"]["rektor"] = {"dato": "2026-11-02", "av": None}
    commit_case(repo, case)
    result = skm("check", "--today", "2026-11-20", cwd=repo.root)
    assert (result.exit_code, result.stdout.splitlines()) == (1, [
        "cases/2026-0070.yaml:21: error [schema] varsling.rektor.av: mangler (§ 12-4 andre ledd)",
        "cases/2026-0070.yaml:23: error [undersokelse-frist] Undersøkelsen er ikke startet (undersokelse.startet); "
        "fristen var 4. november 2026",
        "cases/2026-0070.yaml:23: error [aktivitetsplan-frist] Undersøkelsen er ikke konkludert "
        "(undersokelse.konklusjon); fristen for konklusjon og aktivitetsplan var 9. november 2026",
        "3 feil, 0 advarsler i 1 av 1 sak",
    ])
    status = json.loads(skm("status", "--json", "--today", "2026-11-20", cwd=repo.root).stdout)
    assert [d["hva"] for d in status["apne_saker"][0]["forfalt"]] == [
        "varsle rektor", "starte undersøkelsen", "konklusjon og aktivitetsplan"]
