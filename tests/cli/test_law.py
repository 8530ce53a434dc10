"""The law at every step (issue 14, items 1–7): rounds of a reopened case, closing with the pupil
heard, dates in order, the plan's date, procedure C and the follow-up after closing.

Every refusal: the exact Norwegian message, exit 1, nothing changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import make_case, snapshot
from skolemiljo.storage import yamlio
from skolemiljo.storage.casefiles import case_document

C = "ledelse-elev"


def load(repo: Path, case_id: str) -> dict[str, Any]:
    return yamlio.load((repo / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8"))


def ok(skm, repo: Path, *args: str) -> str:
    result = skm(*args, cwd=repo)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def refused(skm, repo: Path, args: list[str], message: str) -> None:
    """Exit 1, exactly ``message`` on stderr (after ``Feil: ``), nothing changed."""
    before = snapshot(repo)
    result = skm(*args, cwd=repo)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.splitlines()[0] == f"Feil: {message}", result.stderr
    assert snapshot(repo) == before


def hand_edit(repo: Path, case_id: str, change) -> None:
    path = repo / "cases" / f"{case_id}.yaml"
    data = load(repo, case_id)
    change(data)
    path.write_text(case_document(data), encoding="utf-8")


def first_round(skm, repo: Path, case_id: str, *, close: str = "2026-10-30", follow_up: str = "2026-11-13") -> None:
    """Round 1 with a plan: notified, investigated, heard, assessed, planned, evaluated, closed."""
    for args in (["notify", case_id, "rektor", "--dato", "2026-10-12"], ["advance", case_id],
                 ["investigate", case_id, "--type", "samtale", "--oppsummering", "Første samtale.", "--dato", "2026-10-13"],
                 ["conclude", case_id, "--elevens-opplevelse", "Utrygg i friminuttene.", "--konklusjon",
                  "Første konklusjon: tiltak trengs.", "--dato", "2026-10-14"],
                 ["hear", case_id, "--synspunkter", "Vil ha en makker.", "--dato", "2026-10-14"],
                 ["best-interests", case_id, "--vurdering", "Makker er best.", "--dato", "2026-10-14"],
                 ["plan", case_id, "--problem", "Eleven er alene i friminuttene.", "--dato", "2026-10-15"],
                 ["tiltak", "add", case_id, "--beskrivelse", "Fast makker.", "--fra", "2026-10-16", "--til",
                  "2026-10-30", "--ansvarlig", "Kontaktlærer", "--evalueres", "2026-10-23"],
                 ["advance", case_id, "--to", "tiltak"],
                 ["evaluate", case_id, "T1", "--resultat", "Virker.", "--elevens-opplevelse", "Trygg nå.",
                  "--videre", "avslutt", "--dato", "2026-10-23"],
                 ["close", case_id, "--begrunnelse", "Første avslutning.", "--elevens-opplevelse", "Trygg.",
                  "--oppfolging", follow_up, "--dato", close]):
        ok(skm, repo, *args)


# ------------------------------------------------------------------ 1, 2: rounds


def test_a_reopened_case_keeps_every_round_in_its_documents(skm, case_repo: Path, tmp_path: Path) -> None:
    case_id = make_case(case_repo, mottatt="2026-10-12")
    first_round(skm, case_repo, case_id)
    ok(skm, case_repo, "reopen", case_id, "--grunn", "Eleven melder igjen om utestenging.", "--dato", "2026-11-09")
    show = ok(skm, case_repo, "show", case_id)
    assert ("Gjenåpnet:     9. november 2026 av Test Rektor – dette er runde 2; tidligere runder er bevart "
            "(se saksdokumentasjonen)") in show.splitlines()
    assert show.splitlines()[0] == f"Sak {case_id} – status: mottatt"
    for args in (["notify", case_id, "rektor", "--dato", "2026-11-09"], ["advance", case_id],
                 ["investigate", case_id, "--type", "samtale", "--oppsummering", "Ny samtale.", "--dato", "2026-11-10"],
                 ["conclude", case_id, "--elevens-opplevelse", "Utrygg igjen.", "--konklusjon", "Andre konklusjon.",
                  "--dato", "2026-11-11"],
                 ["hear", case_id, "--synspunkter", "Vil bytte gruppe.", "--dato", "2026-11-11"],
                 ["best-interests", case_id, "--vurdering", "Ny gruppe er best.", "--dato", "2026-11-11"],
                 ["close", case_id, "--begrunnelse", "Andre avslutning.", "--elevens-opplevelse", "Trygg igjen.",
                  "--dato", "2026-11-12"]):
        ok(skm, case_repo, *args)
    data = load(case_repo, case_id)
    earlier = data["gjenapninger"][0]["forrige_runde"]
    assert earlier["undersokelse"]["konklusjon"] == "Første konklusjon: tiltak trengs."
    assert earlier["avslutning"]["oppfolging"] == "2026-11-13"
    assert data["undersokelse"]["konklusjon"] == "Andre konklusjon."
    out = tmp_path / "ut"
    for malform, texts in (("nb", ("Sakens runder", "Runde 1: meldingen kom 12. oktober 2026",
                                   "Runde 2: gjenåpnet 9. november 2026 av Test Rektor (gjeldende runde)")),
                           ("nn", ("Rundane i saka", "Runde 1: meldinga kom 12. oktober 2026",
                                   "Runde 2: gjenopna 9. november 2026 av Test Rektor (gjeldande runde)"))):
        ok(skm, case_repo, "render", case_id, "saksdokumentasjon", "-f", "md", "--malform", malform, "-o",
           str(out / malform))
        [document] = list((out / malform).glob("*.md"))
        text = document.read_text(encoding="utf-8")
        order = [text.index(part) for part in (
            texts[0], texts[1], "Første konklusjon: tiltak trengs.", "Første avslutning.", "13. november 2026",
            texts[2], "Eleven melder igjen om utestenging.", "Andre konklusjon.", "Andre avslutning.")]
        assert order == sorted(order), malform


def test_a_reopening_starts_a_new_round_with_its_own_deadlines(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, mottatt="2026-10-12")
    first_round(skm, case_repo, case_id)
    ok(skm, case_repo, "follow-up", case_id, "--notat", "Har det bra.", "--dato", "2026-11-13")
    ok(skm, case_repo, "reopen", case_id, "--grunn", "Melder igjen.", "--dato", "2026-11-19")
    # Deadlines count from the reopening: nothing is overdue the day after.
    result = skm("check", "--today", "2026-11-20", cwd=case_repo)
    assert result.exit_code == 0, result.stdout
    result = skm("check", "varsling-rektor-frist", "--today", "2026-11-23", cwd=case_repo)
    assert result.exit_code == 1
    assert "fristen var 20. november 2026" in result.stdout
    # The new round needs its own notification, investigation, hearing and assessment before a plan.
    refused(skm, case_repo, ["advance", case_id],
            f"Sak {case_id} kan ikke gå til status undersøkes: dette mangler (1 punkt).")
    ok(skm, case_repo, "notify", case_id, "rektor", "--dato", "2026-11-19")
    ok(skm, case_repo, "advance", case_id)
    refused(skm, case_repo, ["advance", case_id, "--to", "tiltak"],
            f"Sak {case_id} kan ikke gå til status tiltak: dette mangler (9 punkter).")
    # Tiltak ids of the earlier round are never used again.
    out = ok(skm, case_repo, "tiltak", "add", case_id, "--beskrivelse", "Ny gruppe.", "--fra", "2026-11-23",
             "--til", "2026-12-18", "--ansvarlig", "Rådgiver", "--evalueres", "2026-12-04")
    assert out.strip().endswith("T2 er lagt til.")


# ------------------------------------------------------------------ 3: every closing


def test_every_closing_needs_the_pupil_heard_best_interests_and_own_experience(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, mottatt="2026-11-16")
    for args in (["notify", case_id, "rektor"], ["advance", case_id],
                 ["investigate", case_id, "--type", "samtale", "--oppsummering", "Samtale."],
                 ["conclude", case_id, "--elevens-opplevelse", "Trygg.", "--konklusjon", "Trygt og godt."]):
        ok(skm, case_repo, *args)
    before = snapshot(case_repo)
    result = skm("close", case_id, "--begrunnelse", "Trygt.", cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Feil: Sak {case_id} kan ikke gå til status avsluttet: dette mangler (3 punkter).\n"
        "  - Mangler elevens egen opplevelse ved avslutning (avslutning.elevens_opplevelse) "
        "(§ 12-4 andre ledd: elevens egen opplevelse er avgjørende)\n"
        "  - Mangler elevens stemme før avslutningen: eleven er ikke hørt (elevens_stemme med dato og synspunkter) "
        "(§ 10-2: eleven har rett til å bli hørt)\n"
        "  - Mangler vurdering av elevens beste (barnets_beste med dato og vurdering) "
        "(§ 10-1: elevens beste skal vurderes og dokumenteres)\n")
    assert snapshot(case_repo) == before
    # From mottatt too.
    other = make_case(case_repo, mottatt="2026-11-16")
    result = skm("close", other, "--begrunnelse", "Feilregistrert.", "--elevens-opplevelse", "Trygg.", cwd=case_repo)
    assert result.exit_code == 1
    assert "Mangler elevens stemme før avslutningen" in result.stderr
    assert "Mangler vurdering av elevens beste" in result.stderr
    for args in (["hear", case_id, "--synspunkter", "Har det bra."],
                 ["best-interests", case_id, "--vurdering", "Best å avslutte."],
                 ["close", case_id, "--begrunnelse", "Trygt.", "--elevens-opplevelse", "Trygg."]):
        ok(skm, case_repo, *args)
    assert load(case_repo, case_id)["status"] == "avsluttet"


# ------------------------------------------------------------------ 4: dates in order


def test_no_action_is_dated_before_the_report(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, mottatt="2026-11-16")
    before_report = (f"--dato 2026-08-03 er før meldingen kom (2026-11-16): ingenting i sak {case_id} kan dateres "
                     "før meldingen det hører til.")
    refused(skm, case_repo, ["notify", case_id, "rektor", "--dato", "2026-08-03"], before_report)
    ok(skm, case_repo, "notify", case_id, "rektor", "--dato", "2026-11-16")
    ok(skm, case_repo, "advance", case_id)
    for args in (["investigate", case_id, "--type", "samtale", "--oppsummering", "Samtale.", "--dato", "2026-08-03"],
                 ["hear", case_id, "--synspunkter", "X.", "--dato", "2026-08-03"],
                 ["best-interests", case_id, "--vurdering", "X.", "--dato", "2026-08-03"]):
        refused(skm, case_repo, args, before_report)
    ok(skm, case_repo, "investigate", case_id, "--type", "samtale", "--oppsummering", "Samtale.", "--dato", "2026-11-17")
    refused(skm, case_repo, ["conclude", case_id, "--elevens-opplevelse", "X.", "--konklusjon", "Y.", "--dato",
                             "2026-11-16"], "--dato 2026-11-16 er før undersøkelsen startet (2026-11-17).")
    ok(skm, case_repo, "tiltak", "add", case_id, "--beskrivelse", "Makker.", "--fra", "2026-11-19", "--til",
       "2026-12-18", "--ansvarlig", "Kontaktlærer", "--evalueres", "2026-11-27")
    for args in (["conclude", case_id, "--elevens-opplevelse", "Utrygg.", "--konklusjon", "Tiltak."],
                 ["hear", case_id, "--synspunkter", "Vil ha makker."], ["best-interests", case_id, "--vurdering", "Makker."],
                 ["plan", case_id, "--problem", "Alene i friminutt."], ["advance", case_id, "--to", "tiltak"]):
        ok(skm, case_repo, *args)
    refused(skm, case_repo, ["evaluate", case_id, "T1", "--resultat", "X.", "--elevens-opplevelse", "Y.", "--videre",
                             "avslutt", "--dato", "2026-11-18"],
            "Tiltak T1 starter 2026-11-19; evalueringen (--dato 2026-11-18) kan ikke være før tiltaket starter "
            "(§ 12-4 tredje ledd bokstav e).")


def test_check_flags_hand_edited_dates_out_of_order(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, mottatt="2026-11-16")
    ok(skm, case_repo, "notify", case_id, "rektor", "--dato", "2026-11-16")
    ok(skm, case_repo, "advance", case_id)
    ok(skm, case_repo, "tiltak", "add", case_id, "--beskrivelse", "Makker.", "--fra", "2026-11-19", "--til",
       "2026-12-18", "--ansvarlig", "Kontaktlærer", "--evalueres", "2026-11-27")

    def edit(data: dict[str, Any]) -> None:
        data["varsling"]["rektor"]["dato"] = "2026-08-03"
        data["aktivitetsplan"]["tiltak"][0]["evalueringer"] = [
            {"dato": "2026-11-18", "resultat": "X.", "elevens_opplevelse": "Y.", "videre": "fortsett",
             "neste_evaluering": "2026-12-04"}]

    hand_edit(case_repo, case_id, edit)
    result = skm("check", "dato-for-melding", "evaluering-for-start", "--no-cache", cwd=case_repo)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ", 1)[1] for line in lines[:-1]] == [
        "error [dato-for-melding] varsling.rektor.dato (3. august 2026) er før meldingen kom (16. november 2026)",
        "error [evaluering-for-start] T1: evalueringen 18. november 2026 er før tiltaket starter (19. november 2026)",
    ]


# ------------------------------------------------------------------ 5: the plan's date


def test_rewording_the_plan_keeps_its_date_and_records_a_revision(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, mottatt="2026-10-12")
    for args in (["notify", case_id, "rektor", "--dato", "2026-10-12"], ["advance", case_id],
                 ["investigate", case_id, "--type", "samtale", "--oppsummering", "S.", "--dato", "2026-10-13"],
                 ["conclude", case_id, "--elevens-opplevelse", "U.", "--konklusjon", "K.", "--dato", "2026-10-13"],
                 ["hear", case_id, "--synspunkter", "V.", "--dato", "2026-10-13"],
                 ["best-interests", case_id, "--vurdering", "B.", "--dato", "2026-10-13"],
                 ["plan", case_id, "--problem", "Første ordlyd.", "--dato", "2026-10-14"],
                 ["tiltak", "add", case_id, "--beskrivelse", "Makker.", "--fra", "2026-10-15", "--til", "2026-12-18",
                  "--ansvarlig", "Kontaktlærer", "--evalueres", "2026-10-23"],
                 ["advance", case_id, "--to", "tiltak"],
                 ["evaluate", case_id, "T1", "--resultat", "R.", "--elevens-opplevelse", "E.", "--videre", "fortsett",
                  "--neste-evaluering", "2026-12-04", "--dato", "2026-10-23"]):
        ok(skm, case_repo, *args)
    ok(skm, case_repo, "plan", case_id, "--problem", "Ny ordlyd.")
    plan = load(case_repo, case_id)["aktivitetsplan"]
    assert (plan["dato"], plan["problem"], plan["revisjoner"]) == (
        "2026-10-14", "Ny ordlyd.", [{"dato": "2026-11-20", "av": "Test Rektor"}])
    assert load(case_repo, case_id)["logg"][-1]["hendelse"] == "Aktivitetsplanen revidert 2026-11-20 (laget 2026-10-14)."
    result = skm("check", "dato-rekkefolge", "--no-cache", cwd=case_repo)
    assert result.exit_code == 0, result.stdout
    assert "Aktivitetsplan: 14. oktober 2026 (revidert 1 gang(er), sist 20. november 2026), 1 tiltak" in \
        ok(skm, case_repo, "show", case_id)
    refused(skm, case_repo, ["plan", case_id, "--problem", "X.", "--dato", "2026-10-13"],
            "--dato 2026-10-13 er før aktivitetsplanen ble laget (2026-10-14).")


# ------------------------------------------------------------------ 6: procedure C


def test_procedure_c_goes_directly_to_skoleeier(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, sakstype=C, mottatt="2026-11-16", elev_navn="Kari Fiktiv")
    refused(skm, case_repo, ["notify", case_id, "rektor"],
            f"Sak {case_id} gjelder en i skolens ledelse (prosedyre C, § 12-5: når en i skolens ledelse krenker en "
            "elev, skal det meldes direkte til skoleeier): meldingen går ikke til rektor. Registrer varselet til "
            f"skoleeier: `skm notify {case_id} skoleeier`.")
    ok(skm, case_repo, "notify", case_id, "skoleeier")
    assert ("Varslet:       skoleeier 20. november 2026 (Test Rektor); rektor varsles ikke (prosedyre C: meldes "
            "direkte til skoleeier)") in ok(skm, case_repo, "show", case_id).splitlines()
    other = make_case(case_repo, mottatt="2026-11-19", elev_navn="Ola Fiktiv")
    # The school's own overview leaves C out; with --prosedyre-c it shows it, never with the name.
    status = ok(skm, case_repo, "status", "--navn")
    assert other in status and case_id not in status and "ledelse-elev" not in status
    status = ok(skm, case_repo, "status", "--navn", "--prosedyre-c")
    assert case_id in status and "Kari Fiktiv" not in status and "Ola Fiktiv" in status
    import json
    rows = json.loads(ok(skm, case_repo, "status", "--json", "--prosedyre-c"))["apne_saker"]
    assert [r["id"] for r in rows if r["sakstype"] == C] == [case_id]
    assert json.loads(ok(skm, case_repo, "status", "--json"))["skolearet"]["sakstyper"] == {"elev-elev": 1}


# ------------------------------------------------------------------ 7: follow-up


def test_a_missed_follow_up_is_flagged_and_kept_on_the_overview(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, mottatt="2026-10-12")
    first_round(skm, case_repo, case_id, close="2026-10-30", follow_up="2026-11-13")
    result = skm("check", "oppfolging-forfalt", "--today", "2026-11-13", cwd=case_repo)
    assert result.exit_code == 0, result.stdout
    result = skm("check", "--today", "2026-11-20", cwd=case_repo)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].split(": ", 1)[1] == (
        "error [oppfolging-forfalt] Oppfølgingen etter avslutningen skulle vært gjort 13. november 2026 og er ikke "
        "registrert (avslutning.oppfulgt)")
    status = ok(skm, case_repo, "status")
    assert status.startswith("Åpne saker 20. november 2026\n")
    assert case_id in status.split("Avsluttet de siste 30 dagene")[0]
    assert "oppfølging etter avslutning (13. november 2026)" in status
    refused(skm, case_repo, ["follow-up", case_id, "--notat", "X.", "--dato", "2026-10-29"],
            "--dato 2026-10-29 er før saken ble avsluttet (2026-10-30).")
    ok(skm, case_repo, "follow-up", case_id, "--notat", "Eleven har det fortsatt bra.")
    assert load(case_repo, case_id)["avslutning"]["oppfulgt"] == {
        "dato": "2026-11-20", "av": "Test Rektor", "notat": "Eleven har det fortsatt bra."}
    assert skm("check", "--today", "2026-11-20", cwd=case_repo).exit_code == 0
    assert ok(skm, case_repo, "status").startswith("Ingen åpne saker.")
    refused(skm, case_repo, ["follow-up", case_id, "--notat", "Igjen."],
            f"Oppfølgingen i sak {case_id} er registrert alt (2026-11-20); før nye opplysninger i loggen (`skm log`).")
    open_case = make_case(case_repo, mottatt="2026-11-19")
    refused(skm, case_repo, ["follow-up", open_case, "--notat", "X."],
            f"Sak {open_case} er ikke avsluttet; oppfølging etter avslutning registreres når saken er avsluttet.")
