"""The aktivitetsplikt workflow (issue 3): advance with the law's guards, the recording
commands, closing and reopening — through the CLI, with commits and history asserted."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from case_fixtures import commit_case_file, complete_case
from conftest import AUTHOR_TEXT, commits, git, make_case, snapshot, trailers
from skolemiljo.domain import requirements
from skolemiljo.storage import yamlio
from skolemiljo.storage.casefiles import case_document

A, B, C = "elev-elev", "ansatt-elev", "ledelse-elev"


def load(repo: Path, case_id: str) -> dict[str, Any]:
    return yamlio.load((repo / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8"))


def refused(result, *needles: str, code: int = 1) -> None:
    assert result.exit_code == code, result.stdout + result.stderr
    for needle in needles:
        assert needle in result.stderr, f"{needle!r} not in:\n{result.stderr}"


def accepted(result, stdout: str) -> None:
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == stdout


def step(skm, repo, before_commits: int, args: list[str], stdout: str, subject: str) -> int:
    """Run one accepted command: exactly one commit, touching only the case file."""
    result = skm(*args, cwd=repo)
    accepted(result, stdout)
    after = commits(repo)
    assert len(after) == before_commits + 1
    case_id = args[1] if args[0] != "tiltak" else args[2]
    assert after[-1] == (subject, AUTHOR_TEXT, (f"cases/{case_id}.yaml",))
    assert trailers(repo)["Skm-Case"] == case_id
    return len(after)


def refuse(skm, repo, args: list[str], *needles: str, code: int = 1) -> None:
    """Run one refused command: exit ``code``, the reasons named, nothing changed."""
    before = snapshot(repo)
    refused(skm(*args, cwd=repo), *needles, code=code)
    assert snapshot(repo) == before


@pytest.mark.parametrize("sakstype", [A, B, C])
def test_three_procedures_walk_every_step(skm, case_repo: Path, sakstype: str) -> None:
    case_id = make_case(case_repo, sakstype=sakstype, mottatt="2026-11-02")
    n = len(commits(case_repo))

    # → undersokes: the notifications each procedure requires.
    if sakstype == A:
        refuse(skm, case_repo, ["advance", case_id],
               "kan ikke gå til status undersøkes", "Mangler varsling til rektor")
        n = step(skm, case_repo, n, ["notify", case_id, "rektor", "--dato", "2026-11-02"],
                 f"Sak {case_id}: rektor varslet.", f"{case_id}: rektor varslet")
    elif sakstype == B:
        refuse(skm, case_repo, ["advance", case_id], "Mangler varsling til rektor",
               "Mangler varsling til skoleeier (varsling.skoleeier med dato og av) "
               "(§ 12-5: skoleeier skal varsles straks når en ansatt krenker en elev)")
        n = step(skm, case_repo, n, ["notify", case_id, "rektor", "--dato", "2026-11-02"],
                 f"Sak {case_id}: rektor varslet.", f"{case_id}: rektor varslet")
        refuse(skm, case_repo, ["advance", case_id], "§ 12-5: skoleeier skal varsles straks")
        n = step(skm, case_repo, n, ["notify", case_id, "skoleeier", "--dato", "2026-11-02"],
                 f"Sak {case_id}: skoleeier varslet.", f"{case_id}: skoleeier varslet")
    else:
        result = skm("advance", case_id, cwd=case_repo)
        refused(result, "§ 12-5: når en i skolens ledelse krenker en elev, skal det meldes direkte til skoleeier")
        assert "varsling til rektor" not in result.stderr  # procedure C goes to skoleeier, not rektor
        n = step(skm, case_repo, n, ["notify", case_id, "skoleeier", "--dato", "2026-11-02"],
                 f"Sak {case_id}: skoleeier varslet.", f"{case_id}: skoleeier varslet")
    n = step(skm, case_repo, n, ["advance", case_id], f"Sak {case_id}: mottatt → undersøkes.",
             f"{case_id}: mottatt → undersokes")
    assert trailers(case_repo)["Skm-Status"] == "mottatt → undersokes"

    # → tiltak: investigation, pupil heard, best interests, complete plan.
    refuse(skm, case_repo, ["advance", case_id, "--to", "tiltak"],
           "Mangler dato for når undersøkelsen startet", "Mangler elevens stemme",
           "Mangler vurdering av elevens beste", "Mangler tiltak i aktivitetsplanen")
    n = step(skm, case_repo, n, ["investigate", case_id, "--type", "samtale", "--med", "eleven og foresatte",
                                 "--oppsummering", "Eleven beskriver utestenging.", "--dato", "2026-11-03"],
             f"Sak {case_id}: undersøkelsesaktivitet registrert.", f"{case_id}: undersøkelsesaktivitet registrert")
    n = step(skm, case_repo, n, ["conclude", case_id, "--elevens-opplevelse", "Ikke trygt.",
                                 "--konklusjon", "Tiltak settes inn.", "--dato", "2026-11-04"],
             f"Sak {case_id}: undersøkelsen er konkludert.", f"{case_id}: undersøkelse konkludert")
    n = step(skm, case_repo, n, ["hear", case_id, "--synspunkter", "Vil ha fast makker.", "--dato", "2026-11-04"],
             f"Sak {case_id}: elevens stemme er registrert.", f"{case_id}: elevens stemme registrert")
    n = step(skm, case_repo, n, ["best-interests", case_id, "--vurdering", "Best å bli i klassen.",
                                 "--dato", "2026-11-04"],
             f"Sak {case_id}: elevens beste er vurdert.", f"{case_id}: elevens beste vurdert")
    refuse(skm, case_repo, ["advance", case_id], "Mangler hvilket problem tiltakene skal løse",
           "(§ 12-4 tredje ledd bokstav a)")
    n = step(skm, case_repo, n, ["plan", case_id, "--problem", "Holdes utenfor.", "--dato", "2026-11-05"],
             f"Sak {case_id}: aktivitetsplanen er oppdatert.", f"{case_id}: aktivitetsplan oppdatert")
    n = step(skm, case_repo, n, ["tiltak", "add", case_id, "--beskrivelse", "Makkerordning i friminutt.",
                                 "--fra", "2026-11-06", "--til", "2026-12-04", "--ansvarlig", "Miljøarbeider",
                                 "--evalueres", "2026-11-13"],
             f"Sak {case_id}: tiltak T1 er lagt til.", f"{case_id}: tiltak T1 lagt til")
    n = step(skm, case_repo, n, ["advance", case_id], f"Sak {case_id}: undersøkes → tiltak.",
             f"{case_id}: undersokes → tiltak")

    # The plan must stay complete in tiltak: blanking an element is refused.
    refuse(skm, case_repo, ["tiltak", "change", case_id, "T1", "--ansvarlig", " "], "--ansvarlig kan ikke være tom",
           code=2)

    # → avsluttet: every tiltak evaluated with the pupil's experience, closing with follow-up.
    refuse(skm, case_repo, ["close", case_id, "--begrunnelse", "Trygg nå.", "--elevens-opplevelse", "Trygg.",
                            "--oppfolging", "2026-12-10"],
           "T1 er ikke evaluert med elevens opplevelse")
    n = step(skm, case_repo, n, ["evaluate", case_id, "T1", "--resultat", "Har fast makker.",
                                 "--elevens-opplevelse", "Bedre.", "--videre", "avslutt", "--dato", "2026-11-13"],
             f"Sak {case_id}: tiltak T1 er evaluert (avslutt).", f"{case_id}: tiltak T1 evaluert")
    refuse(skm, case_repo, ["close", case_id, "--begrunnelse", "Trygg nå."],
           "Mangler elevens egen opplevelse ved avslutning", "Mangler avtalt dato for oppfølging")
    n = step(skm, case_repo, n, ["close", case_id, "--begrunnelse", "Trygg nå.", "--elevens-opplevelse",
                                 "Trygg.", "--oppfolging", "2026-12-10", "--dato", "2026-11-19"],
             f"Sak {case_id}: tiltak → avsluttet.", f"{case_id}: tiltak → avsluttet")
    data = load(case_repo, case_id)
    assert data["status"] == "avsluttet"
    assert data["avslutning"] == {"dato": "2026-11-19", "begrunnelse": "Trygg nå.",
                                  "elevens_opplevelse": "Trygg.", "oppfolging": "2026-12-10"}
    refuse(skm, case_repo, ["hear", case_id, "--synspunkter", "x"], "er avsluttet")

    # History: every step, in order, with who.
    result = skm("history", case_id, cwd=case_repo)
    assert result.exit_code == 0
    actions = [line.split("  ", 2)[2] for line in result.stdout.splitlines()]
    assert actions[0] == "melding registrert"
    assert "mottatt → undersokes" in actions and "undersokes → tiltak" in actions
    assert actions[-1] == "tiltak → avsluttet"
    assert all("  Test Rektor  " in line for line in result.stdout.splitlines())
    assert len(actions) == len([c for c in commits(case_repo) if c[2] == (f"cases/{case_id}.yaml",)])


def test_reopen_keeps_the_earlier_round(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, mottatt="2026-11-02")
    for args in (["notify", case_id, "rektor"], ["advance", case_id],
                 ["investigate", case_id, "--type", "samtale", "--oppsummering", "Samtale med eleven."],
                 ["conclude", case_id, "--elevens-opplevelse", "Trygg.", "--konklusjon", "Trygt og godt."],
                 ["hear", case_id, "--synspunkter", "Har det bra."],
                 ["best-interests", case_id, "--vurdering", "Best å avslutte."]):
        assert skm(*args, cwd=case_repo).exit_code == 0, args
    result = skm("close", case_id, "--begrunnelse", "Eleven opplever skolemiljøet som trygt.",
                 "--elevens-opplevelse", "Trygg.", cwd=case_repo)
    assert result.stdout.strip() == f"Sak {case_id}: undersøkes → avsluttet."
    closed = load(case_repo, case_id)
    refuse(skm, case_repo, ["reopen", case_id, "--grunn", " "], "--grunn kan ikke være tom", code=2)
    result = skm("reopen", case_id, "--grunn", "Eleven melder igjen.", cwd=case_repo)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"Sak {case_id}: avsluttet → mottatt (gjenåpnet, ny runde)."
    data = load(case_repo, case_id)
    assert data["status"] == "mottatt"
    frozen = {key: closed[key] for key in ("varsling", "undersokelse", "elevens_stemme", "barnets_beste",
                                           "aktivitetsplan", "avslutning")}
    assert data["gjenapninger"] == [{"dato": "2026-11-20", "av": "Test Rektor", "grunn": "Eleven melder igjen.",
                                     "forrige_runde": frozen}]
    # The new round starts empty: its own notification, investigation, hearing and assessment.
    assert data["varsling"] == {"rektor": None, "skoleeier": None}
    assert (data["undersokelse"], data["elevens_stemme"], data["barnets_beste"], data["aktivitetsplan"],
            data["avslutning"]) == (None, [], None, None, None)
    assert data["melding"] == closed["melding"]
    assert data["logg"][-1] == {"dato": "2026-11-20", "av": "Test Rektor",
                                "hendelse": "Saken gjenåpnet 2026-11-20: runde 2 starter (se gjenapninger).",
                                "status": "mottatt"}
    assert commits(case_repo)[-1][0] == f"{case_id}: avsluttet → mottatt (gjenåpnet)"
    history = skm("history", case_id, cwd=case_repo).stdout
    assert "undersokes → avsluttet" in history and "avsluttet → mottatt (gjenåpnet)" in history
    refuse(skm, case_repo, ["reopen", case_id, "--grunn", "igjen"], "er ikke avsluttet")
    # A second conclusion does not overwrite the first round's.
    refuse(skm, case_repo, ["advance", case_id], "Mangler varsling til rektor")
    assert skm("notify", case_id, "rektor", cwd=case_repo).exit_code == 0
    assert skm("advance", case_id, cwd=case_repo).exit_code == 0
    refuse(skm, case_repo, ["advance", case_id, "--to", "tiltak"], "Mangler dato for når undersøkelsen startet",
           "Mangler elevens egen opplevelse i undersøkelsen", "Mangler elevens stemme", "Mangler vurdering av elevens beste")
    for args in (["investigate", case_id, "--type", "samtale", "--oppsummering", "Ny samtale."],
                 ["conclude", case_id, "--elevens-opplevelse", "Utrygg igjen.", "--konklusjon", "Tiltak trengs."]):
        assert skm(*args, cwd=case_repo).exit_code == 0, args
    data = load(case_repo, case_id)
    assert data["undersokelse"]["konklusjon"] == "Tiltak trengs."
    assert data["gjenapninger"][0]["forrige_runde"]["undersokelse"]["konklusjon"] == "Trygt og godt."


def test_a_reopened_round_is_not_dated_before_the_reopening(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, mottatt="2026-11-02")
    for args in (["notify", case_id, "rektor", "--dato", "2026-11-02"], ["advance", case_id],
                 ["investigate", case_id, "--type", "samtale", "--oppsummering", "Samtale.", "--dato", "2026-11-03"],
                 ["conclude", case_id, "--elevens-opplevelse", "Trygg.", "--konklusjon", "Trygt.", "--dato", "2026-11-03"],
                 ["hear", case_id, "--synspunkter", "Bra.", "--dato", "2026-11-03"],
                 ["best-interests", case_id, "--vurdering", "Avslutte.", "--dato", "2026-11-03"],
                 ["close", case_id, "--begrunnelse", "Trygt.", "--elevens-opplevelse", "Trygg.", "--dato", "2026-11-04"]):
        assert skm(*args, cwd=case_repo).exit_code == 0, args
    refuse(skm, case_repo, ["reopen", case_id, "--grunn", "Igjen.", "--dato", "2026-11-03"],
           "--dato 2026-11-03 er før saken ble avsluttet (2026-11-04).")
    assert skm("reopen", case_id, "--grunn", "Igjen.", "--dato", "2026-11-16", cwd=case_repo).exit_code == 0
    refuse(skm, case_repo, ["notify", case_id, "rektor", "--dato", "2026-11-10"],
           f"Feil: --dato 2026-11-10 er før saken ble gjenåpnet (2026-11-16): ingenting i sak {case_id} kan "
           "dateres før gjenåpningen det hører til.")


def test_impossible_transitions_are_refused(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    refuse(skm, case_repo, ["advance", case_id, "--to", "tiltak"], "kan ikke gå fra mottatt til tiltak")
    refuse(skm, case_repo, ["advance", case_id, "--to", "mottatt"], "har allerede status mottatt")
    before = snapshot(case_repo)
    result = skm("advance", case_id, "--to", "ferdig", cwd=case_repo)
    assert result.exit_code == 2
    assert snapshot(case_repo) == before


def test_tiltak_ids_are_never_reused(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    for args in (["notify", case_id, "rektor"], ["advance", case_id]):
        assert skm(*args, cwd=case_repo).exit_code == 0
    add = ["--fra", "2026-11-23", "--til", "2026-12-18", "--ansvarlig", "Kontaktlærer", "--evalueres", "2026-12-04"]
    assert skm("tiltak", "add", case_id, "--beskrivelse", "En", *add, cwd=case_repo).stdout.strip().endswith("T1 er lagt til.")
    assert skm("tiltak", "add", case_id, "--beskrivelse", "To", *add, cwd=case_repo).stdout.strip().endswith("T2 er lagt til.")
    # Someone removes T2 by hand; the next tiltak is still T3 (the log remembers T2).
    data = load(case_repo, case_id)
    data["aktivitetsplan"]["tiltak"].pop()
    path = case_repo / "cases" / f"{case_id}.yaml"
    path.write_text(case_document(data), encoding="utf-8")
    git(case_repo, "commit", "-qam", f"{case_id}: hand edit")
    assert skm("tiltak", "add", case_id, "--beskrivelse", "Tre", *add, cwd=case_repo).stdout.strip().endswith("T3 er lagt til.")
    before = snapshot(case_repo)
    result = skm("tiltak", "add", case_id, "--beskrivelse", "Fire", "--fra", "2026-12-01", "--til", "2026-11-30",
                 "--ansvarlig", "X", "--evalueres", "2026-12-04", cwd=case_repo)
    assert result.exit_code == 2
    assert "--til kan ikke være før --fra" in result.stderr
    assert snapshot(case_repo) == before
    result = skm("tiltak", "end", case_id, "T1", cwd=case_repo)
    assert result.exit_code == 0
    item = load(case_repo, case_id)["aktivitetsplan"]["tiltak"][0]
    assert item["id"] == "T1" and item["avsluttet"] == "2026-11-20"


def test_evaluation_rules(skm, case_repo: Path) -> None:
    case_id = _case_in_tiltak(case_repo)
    base = ["evaluate", case_id, "T1", "--resultat", "Bedre.", "--elevens-opplevelse", "Litt bedre."]
    before = snapshot(case_repo)
    result = skm(*base, "--videre", "fortsett", cwd=case_repo)
    assert result.exit_code == 2
    assert "--neste-evaluering" in result.stderr
    assert snapshot(case_repo) == before
    result = skm(*base, "--videre", "fortsett", "--neste-evaluering", "2026-12-04", cwd=case_repo)
    assert result.exit_code == 0
    evaluation = load(case_repo, case_id)["aktivitetsplan"]["tiltak"][0]["evalueringer"][-1]
    assert evaluation == {"dato": "2026-11-20", "resultat": "Bedre.", "elevens_opplevelse": "Litt bedre.",
                          "videre": "fortsett", "neste_evaluering": "2026-12-04"}
    result = skm("evaluate", case_id, "T9", "--resultat", "x", "--elevens-opplevelse", "y", "--videre", "avslutt",
                 cwd=case_repo)
    assert result.exit_code == 2 and "har ikke noe tiltak T9" in result.stderr


def test_future_dates_are_usage_errors(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    before = snapshot(case_repo)
    result = skm("notify", case_id, "rektor", "--dato", "2026-11-21", cwd=case_repo)
    assert result.exit_code == 2 and "fram i tid" in result.stderr
    result = skm("notify", case_id, "rektor", "--dato", "2026-02-30", cwd=case_repo)
    assert result.exit_code == 2 and "finnes ikke i kalenderen" in result.stderr
    assert snapshot(case_repo) == before


def test_missing_text_without_a_terminal_is_a_usage_error(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    before = snapshot(case_repo)
    result = skm("log", case_id, cwd=case_repo)
    assert result.exit_code == 2
    assert "Mangler --hendelse" in result.stderr
    assert snapshot(case_repo) == before
    result = skm("log", case_id, "--hendelse", "Ringte foresatte.", cwd=case_repo)
    assert result.exit_code == 0
    assert load(case_repo, case_id)["logg"][-1] == {"dato": "2026-11-20", "av": "Test Rektor",
                                                    "hendelse": "Ringte foresatte."}
    assert commits(case_repo)[-1][0] == f"{case_id}: logg ført"


def test_show_tells_what_the_next_step_requires(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, sakstype=B)
    out = skm("show", case_id, cwd=case_repo).stdout
    assert "Før undersokes mangler:" in out
    assert "§ 12-5: skoleeier skal varsles straks" in out
    skm("notify", case_id, "rektor", cwd=case_repo)
    skm("notify", case_id, "skoleeier", cwd=case_repo)
    out = skm("show", case_id, cwd=case_repo).stdout
    assert f"Klar for undersokes: `skm advance {case_id} --to undersokes`." in out


# ----------------------------------------------------------------- every guard

def _blank(case: dict[str, Any], path: tuple, field: str | None) -> None:
    """Remove exactly one required item."""
    target: Any = case
    for key in path[:-1]:
        target = target[key]
    last = path[-1]
    if field is None:
        target[last] = None if not isinstance(target[last], list) else []
    elif isinstance(target[last], list):
        item = target[last][-1]
        if field.startswith("evalueringer."):
            del item["evalueringer"][0][field.split(".", 1)[1]]
        else:
            del item[field]
    else:
        del target[last][field]


def _guard_cases() -> list[tuple[str, str, dict[str, Any], str]]:
    """(rule id, from status, case with exactly that item removed, target status)."""
    out = []
    for rule in requirements.RULES:
        target = sorted(rule.statuses, key=["undersokes", "tiltak", "avsluttet"].index)[0]
        sakstype = rule.when.sakstyper[0] if rule.when.sakstyper else A
        case = complete_case(sakstype, alvorlig=rule.when.alvorlig is True, status=target)
        case["status"] = {"undersokes": "mottatt", "tiltak": "undersokes", "avsluttet": "tiltak"}[target]
        if rule.kind == "period":
            case["aktivitetsplan"]["tiltak"][-1]["til"] = "2026-10-01"
        elif rule.kind == "object":
            _blank(case, rule.path, rule.fields[-1])
        elif rule.kind == "each_items":
            _blank(case, rule.path, "evalueringer.elevens_opplevelse")
        elif rule.kind == "each":
            _blank(case, rule.path, rule.fields[-1])
        elif rule.kind == "items":
            _blank(case, rule.path, None)
        else:
            _blank(case, rule.path[:-1] if len(rule.path) > 1 else rule.path,
                   rule.path[-1] if len(rule.path) > 1 else None)
        out.append((rule.id, case["status"], case, target))
    return out


@pytest.mark.parametrize("rule_id,start,case,target", _guard_cases(), ids=[c[0] for c in _guard_cases()])
def test_every_guard_names_what_is_missing(skm, case_repo: Path, rule_id: str, start: str,
                                           case: dict[str, Any], target: str) -> None:
    complete = complete_case(case["sakstype"], case["alvorlig"], target)
    assert not requirements.missing_for(complete, target), "the complete fixture must pass"
    assert [rid for rid, _ in requirements.missing_for({**case, "status": target}, target)] == [rule_id]
    commit_case_file(case_repo, case)
    rule = requirements.RULES_BY_ID[rule_id]
    expected = rule.text("T2") if "{tiltak}" in rule.message else rule.text()
    before = snapshot(case_repo)
    result = skm("advance", "2026-0001", "--to", target, cwd=case_repo)
    refused(result, expected)
    assert snapshot(case_repo) == before


# ------------------------------------------------------- one source of truth

def _schema_errors(case: dict[str, Any]) -> list[str]:
    from skolemiljo.schema.validation import schema_findings

    text = case_document(case)
    return [f.message for f in schema_findings(yamlio.load(text), text, "x.yaml")]


@pytest.mark.parametrize("rule_id,start,case,target", _guard_cases(), ids=[c[0] for c in _guard_cases()])
def test_schema_and_guards_agree(rule_id: str, start: str, case: dict[str, Any], target: str) -> None:
    """A case the guards refuse for a status is rejected by the schema at that status (and
    a complete one is accepted by both), except the rules JSON Schema cannot express."""
    rule = requirements.RULES_BY_ID[rule_id]
    at_target = copy.deepcopy({**case, "status": target})
    complete = complete_case(case["sakstype"], case["alvorlig"], target)
    assert _schema_errors(complete) == []
    if rule.in_schema:
        assert _schema_errors(at_target), f"schema accepts a case that {rule_id} refuses"
    else:
        assert _schema_errors(at_target) == []
    # In the status it came from, schema and guards agree too.
    assert bool(_schema_errors(case)) == bool(requirements.missing_for(case, start))


def test_a_case_advance_accepts_validates_for_its_new_status(skm, case_repo: Path) -> None:
    case = complete_case(B, status="tiltak")
    case["status"] = "undersokes"
    commit_case_file(case_repo, case)
    assert skm("advance", "2026-0001", cwd=case_repo).exit_code == 0
    assert skm("validate", cwd=case_repo).exit_code == 0
    data = load(case_repo, "2026-0001")
    assert data["status"] == "tiltak"
    assert _schema_errors(data) == []


def _case_in_tiltak(repo: Path) -> str:
    case = complete_case(A, status="tiltak")
    for item in case["aktivitetsplan"]["tiltak"]:
        item["evalueringer"] = []
    commit_case_file(repo, case)
    return case["id"]
