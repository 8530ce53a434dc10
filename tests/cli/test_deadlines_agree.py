"""``skm status``, ``skm check`` and ``skm calendar`` count deadlines with one engine (issue 12.3).

The probe of the issue: ``varsling.rektor: {dato: 2026-11-02, av: null}`` in a case still in
``mottatt``. Before the engine, ``skm check`` said nothing and ``skm status`` listed "varsle rektor".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skolemiljo.domain import deadlines
from skolemiljo.storage.repository import CaseRepo

from check_fixtures import avsluttet, commit_case, evaluering, log, melding, planlagt, tiltak, undersokes, varslet
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
    # Before the engine: ["varsle rektor", "starte undersøkelsen", "konklusjon og aktivitetsplan"].
    # Decided: rektor was told on 2 November (the date is what the deadline asks); the missing
    # `av` is documentation, which `skm check` reports as [schema] (and `skm advance` refuses).
    assert [d["hva"] for d in status["apne_saker"][0]["forfalt"]] == [
        "starte undersøkelsen", "konklusjon og aktivitetsplan"]


# ------------------------------------------------------------------ every kind, both ways

TODAY = "2026-11-20"  # Friday


def _plan(case_id: str, *items: dict) -> dict:
    case = undersokes(varslet(melding(case_id, "2026-10-12"), rektor="2026-10-12"), "2026-10-13",
                      konklusjon="Eleven har ikke et trygt og godt skolemiljø.")
    case = planlagt(case, "2026-10-16", *items)
    log(case, "2026-11-19", "Samtale med eleven.")
    return case


def _scenarios() -> dict[str, tuple[dict, set[str]]]:
    """case id -> (case, the deadline kinds overdue on TODAY)."""
    out: dict[str, tuple[dict, set[str]]] = {}

    def add(case: dict, *kinds: str) -> None:
        out[case["id"]] = (case, set(kinds))

    # Rektor, skoleeier, investigation and plan, in mottatt: each deadline checks' own finding.
    add(melding("2026-0101", "2026-11-12"), deadlines.RECTOR, deadlines.INVESTIGATION, deadlines.PLAN)
    add(varslet(melding("2026-0102", "2026-11-19"), rektor="2026-11-19"))  # nothing due yet
    add(varslet(melding("2026-0103", "2026-11-18", sakstype="ansatt-elev"), rektor="2026-11-18"), deadlines.OWNER)
    add(melding("2026-0104", "2026-11-18", sakstype="ledelse-elev"), deadlines.OWNER)
    add(varslet(melding("2026-0105", "2026-11-18", sakstype="ansatt-elev"), rektor="2026-11-18",
                skoleeier="2026-11-18"))
    # In undersokes the status rules demand the notifications: reported by [status].
    add(undersokes(melding("2026-0106", "2026-11-17"), "2026-11-18"), deadlines.RECTOR)
    add(undersokes(melding("2026-0107", "2026-11-17", sakstype="ansatt-elev"), "2026-11-18"),
        deadlines.RECTOR, deadlines.OWNER)
    # Plan deadline: concluded or not, five working days after the report.
    add(undersokes(varslet(melding("2026-0108", "2026-11-10"), rektor="2026-11-10"), "2026-11-11"), deadlines.PLAN)
    add(undersokes(varslet(melding("2026-0109", "2026-11-10"), rektor="2026-11-10"), "2026-11-11",
                   konklusjon="Eleven har ikke et trygt og godt skolemiljø."), deadlines.PLAN)
    add(undersokes(varslet(melding("2026-0110", "2026-11-16"), rektor="2026-11-16"), "2026-11-17"))
    # In tiltak without a start date: the status rule demands it.
    started_late = _plan("2026-0111", tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-27"))
    del started_late["undersokelse"]["startet"]
    add(started_late, deadlines.INVESTIGATION)
    # Evaluations: overdue, on time, continued without a next date, ended.
    add(_plan("2026-0112", tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06")), deadlines.EVALUATION)
    add(_plan("2026-0113", tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06",
                                  evaluering("2026-11-06", "fortsett", "2026-11-27"))))
    add(_plan("2026-0114", tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06",
                                  evaluering("2026-11-06", "fortsett"))), deadlines.EVALUATION_DATE)
    add(_plan("2026-0115", tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06",
                                  evaluering("2026-11-06", "fortsett", "2026-11-13"))), deadlines.EVALUATION)
    add(_plan("2026-0116", tiltak("T1", "2026-10-19", "2026-12-18", "2026-11-06",
                                  evaluering("2026-11-06", "avslutt"))))
    # A hand-typed tiltak id is never printed: "tiltak nr. 1".
    add(_plan("2026-0117", tiltak("Jonas Berntsen", "2026-10-19", "2026-12-18", "2026-11-06")), deadlines.EVALUATION)
    # No log entry for more than 20 working days.
    quiet = _plan("2026-0118", tiltak("T1", "2026-10-19", "2027-01-29", "2027-01-15"))
    quiet["logg"] = quiet["logg"][:-1]
    add(quiet, deadlines.INACTIVE)
    # Closed, follow-up agreed and passed, not recorded: a finding and an overdue row until it is
    # (issue 14.7); recorded (skm follow-up): nothing.
    add(avsluttet(_plan("2026-0119", tiltak("T1", "2026-10-19", "2026-11-13", "2026-11-06",
                                            evaluering("2026-11-06", "avslutt"))), "2026-11-09", "2026-11-16"),
        deadlines.FOLLOW_UP)
    followed = avsluttet(_plan("2026-0121", tiltak("T1", "2026-10-19", "2026-11-13", "2026-11-06",
                                                   evaluering("2026-11-06", "avslutt"))), "2026-11-09", "2026-11-16")
    followed["avslutning"]["oppfulgt"] = {"dato": "2026-11-16", "av": "Rektor Tone Berg", "notat": "Har det bra."}
    add(followed)
    # The probe of issue 12.3.
    probe = melding("2026-0120", "2026-11-19")
    probe["varsling"]["rektor"] = {"dato": "2026-11-19", "av": None}
    add(probe)
    return out


# The [status] finding that reports a deadline's item where the status already demands it.
_STATUS_MESSAGE = {
    "Mangler varsling til rektor": deadlines.RECTOR,
    "Mangler varsling til skoleeier": deadlines.OWNER,
    "Mangler dato for når undersøkelsen startet": deadlines.INVESTIGATION,
}
# What `skm status` prints for each kind.
_STATUS_WHAT = {
    "varsle rektor": deadlines.RECTOR, "varsle skoleeier": deadlines.OWNER,
    "starte undersøkelsen": deadlines.INVESTIGATION, "konklusjon og aktivitetsplan": deadlines.PLAN,
    "aktivitetsplan (status tiltak)": deadlines.PLAN, "loggføre i saken": deadlines.INACTIVE,
    "oppfølging etter avslutning": deadlines.FOLLOW_UP,
}


def _kind_of_what(what: str) -> str:
    if what.startswith("evaluere "):
        return deadlines.EVALUATION
    if what.startswith("ny evalueringsdato for "):
        return deadlines.EVALUATION_DATE
    return _STATUS_WHAT[what]


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[dict, set[str]]]]:
    scenarios = _scenarios()
    repo = CaseRepo(make_repo(tmp_path_factory.mktemp("every-kind") / "saker"))
    for case, _kinds in scenarios.values():
        commit_case(repo, case)
    return repo.root, scenarios


def test_status_and_check_agree_for_every_deadline_kind(skm, every_kind) -> None:
    root, scenarios = every_kind
    # Every kind the engine knows is exercised, and met in some case.
    assert set().union(*(kinds for _case, kinds in scenarios.values())) == set(deadlines.KINDS)
    check = json.loads(skm("check", "--format", "json", "--today", TODAY, cwd=root).stdout)
    # --prosedyre-c: the school's own overview shows procedure C cases only when asked (issue 14.6).
    status = json.loads(skm("status", "--json", "--prosedyre-c", "--today", TODAY, cwd=root).stdout)
    from_check: dict[str, set[str]] = {case_id: set() for case_id in scenarios}
    for finding in check["findings"]:
        if finding["check"] in deadlines.KINDS:
            from_check[finding["case"]].add(finding["check"])
        elif finding["check"] == "status":
            kind = next((k for text, k in _STATUS_MESSAGE.items() if finding["message"].startswith(text)), None)
            if kind:
                from_check[finding["case"]].add(kind)
    from_status = {case_id: set() for case_id in scenarios}
    for row in status["apne_saker"]:
        from_status[row["id"]] = {_kind_of_what(d["hva"]) for d in row["forfalt"]}
    expected = {case_id: kinds for case_id, (_case, kinds) in scenarios.items()}
    assert from_check == expected
    assert from_status == expected


def test_calendar_and_ics_list_the_engines_deadlines(skm, every_kind, tmp_path: Path) -> None:
    root, _scenarios = every_kind
    shown = skm("calendar", "--uker", "1", "--today", TODAY, cwd=root).stdout.splitlines()
    overdue = shown[1:shown.index("")]
    assert "  6. november 2026  2026-0117: evaluere tiltak nr. 1" in overdue
    assert "  16. november 2026  2026-0119: oppfølging etter avslutning" in overdue  # not recorded
    assert not any("2026-0121" in line or "Jonas" in line for line in overdue)  # recorded
    assert "  13. november 2026  2026-0115: evaluere T1" in overdue
    assert "  6. november 2026  2026-0114: ny evalueringsdato for T1" in overdue
    assert "  Frist 27. november 2026: 2026-0113: evaluere T1" not in shown  # next week
    target = tmp_path / "k.ics"
    assert skm("calendar", "--ics", str(target), "--today", TODAY, cwd=root).exit_code == 0
    raw = target.read_text(encoding="utf-8")
    assert "2026-0119: oppfølging etter avslutning" in raw and "2026-0117: evaluere tiltak nr. 1" in raw
    assert "Jonas" not in raw
