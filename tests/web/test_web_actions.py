"""``skm serve``: every action through its form, as one commit by the person who acted, and
every refusal with the services' own reasons beside the form and the typed text kept."""

from __future__ import annotations

import pytest

from conftest import AUTHOR_TEXT, case_file, commits, git, make_case, snapshot
from web_fixtures import Web, form_named, form_named_action, text_of, web, web_case  # noqa: F401  (fixtures)


def _ok(response, case_id: str) -> None:
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    assert response.headers["Location"] == f"/sak/{case_id}"


def _one_commit(web: Web, before: int, subject: str) -> None:
    found = commits(web.root)
    assert len(found) == before + 1
    assert found[-1][0] == subject
    assert found[-1][1] == AUTHOR_TEXT
    assert git(web.root, "status", "--porcelain").strip() == ""


REPORT = {
    "elev": "Kari Nordmann", "klasse": "9B", "under_18": "ja", "sakstype": "elev-elev", "meldt_av": "elev",
    "mottatt_av": "Per Haugen (kontaktlærer)", "mottatt": "2026-11-16",
    "beskrivelse": "Eleven forteller at hun blir holdt utenfor.", "kategorier": ["utestenging", "mobbing"],
}


def test_new_case_form_registers_the_report_and_says_who_to_notify(web: Web) -> None:
    html = web.page("/ny")
    form = form_named_action(html, "/ny")
    assert {"elev", "klasse", "under_18", "sakstype", "alvorlig", "meldt_av", "mottatt_av", "mottatt",
            "beskrivelse", "kategorier", "csrf"} <= set(form["names"])
    assert form["values"]["mottatt"] == ["2026-11-20"] and form["values"]["mottatt_av"] == ["Test Rektor"]
    before = len(commits(web.root))
    response = web.post("/ny", {**REPORT, "csrf": form["values"]["csrf"][0]})
    _ok(response, "2026-0001")
    _one_commit(web, before, "2026-0001: melding registrert")
    text = case_file(web.root, "2026-0001").read_text(encoding="utf-8")
    assert "navn: Kari Nordmann" in text and "mottatt: 2026-11-16" in text
    assert "kategorier:\n- utestenging\n- mobbing\n" in text
    page = text_of(web.page("/sak/2026-0001"))
    assert "Meldingen er registrert som sak 2026-0001." in page
    assert "Prosedyre: A – elev krenker elev (§ 12-4)" in page
    assert ("Dette må gjøres nå: Mangler varsling til rektor (varsling.rektor med dato og av) "
            "(§ 12-4 andre ledd: alle som arbeider på skolen, skal melde fra til rektor)") in page
    # The receipt is shown once.
    assert "Meldingen er registrert" not in text_of(web.page("/sak/2026-0001"))


@pytest.mark.parametrize(("sakstype", "alvorlig", "expected"), [
    ("ansatt-elev", "", ["Mangler varsling til rektor", "Mangler varsling til skoleeier (varsling.skoleeier med "
                         "dato og av) (§ 12-5: skoleeier skal varsles straks når en ansatt krenker en elev)"]),
    ("ledelse-elev", "", ["Mangler varsling til skoleeier (varsling.skoleeier med dato og av) (§ 12-5: når en i "
                          "skolens ledelse krenker en elev, skal det meldes direkte til skoleeier)"]),
    ("elev-elev", "ja", ["Mangler varsling til rektor", "§ 12-4 andre ledd: rektor skal melde fra til skoleeier i "
                         "alvorlige tilfeller"]),
])
def test_the_receipt_follows_the_procedure(web: Web, sakstype: str, alvorlig: str, expected: list[str]) -> None:
    response = web.post("/ny", {**REPORT, "sakstype": sakstype, "alvorlig": alvorlig, "csrf": web.csrf()})
    _ok(response, "2026-0001")
    page = text_of(web.page("/sak/2026-0001"))
    for part in expected:
        assert part in page
    if sakstype == "ledelse-elev":
        assert "Prosedyre: C – en i ledelsen krenker elev (§ 12-5)" in page
        assert "Mangler varsling til rektor" not in page


def test_a_refused_report_keeps_everything_typed(web: Web) -> None:
    before = snapshot(web.root)
    response = web.post("/ny", {**REPORT, "mottatt": "2027-01-05", "csrf": web.csrf()})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "«Datoen meldingen kom» 2027-01-05 er fram i tid." in text_of(html)
    form = form_named_action(html, "/ny")
    assert form["values"]["elev"] == ["Kari Nordmann"]
    assert form["values"]["beskrivelse"] == ["Eleven forteller at hun blir holdt utenfor."]
    assert form["values"]["kategorier"] == ["mobbing", "utestenging"]  # in the form's order
    assert form["values"]["under_18"] == ["ja"] and form["values"]["sakstype"] == ["elev-elev"]
    assert snapshot(web.root) == before


@pytest.mark.parametrize(("field", "value", "message"), [
    ("elev", "  ", "«Elevens navn» kan ikke være tom."),
    ("beskrivelse", "", "«Hva ble meldt?» kan ikke være tom."),
    ("mottatt", "16.11.2026", "Ugyldig datoen meldingen kom: «16.11.2026». Skriv datoen som ÅÅÅÅ-MM-DD"),
    ("under_18", "", "Mangler «Er eleven under 18 år?»."),
    ("sakstype", "", "Ukjent sakstype «». Velg en av: elev-elev, ansatt-elev, ledelse-elev, radikalisering, annet."),
])
def test_each_bad_report_is_refused_with_the_service_message(web: Web, field: str, value: str, message: str) -> None:
    before = snapshot(web.root)
    response = web.post("/ny", {**REPORT, field: value, "csrf": web.csrf()})
    assert response.status_code == 422
    assert message in text_of(response.get_data(as_text=True))
    assert snapshot(web.root) == before


def test_procedure_a_from_report_to_closing_and_reopening(web: Web) -> None:
    """Every action of the case page, each one commit by the person logged in."""
    case_id = make_case(web.root, mottatt="2026-11-16")

    def step(form_id: str, fields: dict[str, str], subject: str) -> None:
        before = len(commits(web.root))
        _ok(web.submit(case_id, form_id, fields), case_id)
        _one_commit(web, before, f"{case_id}: {subject}")

    step("notify", {"mottaker": "rektor", "dato": "2026-11-16", "varslet_av": "Per Haugen",
                    "merknad": "Telefon"}, "rektor varslet")
    step("advance", {"til": "undersokes"}, "mottatt → undersokes")
    step("investigate", {"type": "samtale", "med": "eleven", "oppsummering": "Utestengt i friminuttene.",
                         "dato": "2026-11-17"}, "undersøkelsesaktivitet registrert")
    step("conclude", {"elevens_opplevelse": "Jeg er alene hver dag.", "konklusjon": "Tiltak settes inn.",
                      "dato": "2026-11-18"}, "undersøkelse konkludert")
    step("hear", {"synspunkter": "Vil ha en fast makker.", "dato": "2026-11-18"}, "elevens stemme registrert")
    step("best-interests", {"vurdering": "Best å bli i klassen med støtte.", "dato": "2026-11-18"},
         "elevens beste vurdert")
    step("plan", {"problem": "Eleven holdes utenfor i friminuttene.", "dato": "2026-11-18"},
         "aktivitetsplan oppdatert")
    step("tiltak-add", {"beskrivelse": "Fast makker i friminuttene.", "fra": "2026-11-19", "til": "2026-12-18",
                        "ansvarlig": "Miljøarbeider", "evalueres": "2026-11-20"}, "tiltak T1 lagt til")
    step("advance", {"til": "tiltak"}, "undersokes → tiltak")
    step("tiltak-change-T1", {"ansvarlig": "Kontaktlærer"}, "tiltak T1 endret")
    step("evaluate-T1", {"resultat": "Eleven har noen å være med.", "elevens_opplevelse": "Det er bedre nå.",
                         "videre": "avslutt", "dato": "2026-11-20"}, "tiltak T1 evaluert")
    step("close", {"begrunnelse": "Eleven opplever skolemiljøet som trygt og godt.",
                   "elevens_opplevelse": "Jeg har det bra.", "oppfolging": "2026-12-11", "dato": "2026-11-20"},
         "undersokes → avsluttet" if False else "tiltak → avsluttet")
    step("reopen", {"grunn": "Eleven har meldt fra igjen.", "dato": "2026-11-20"},
         "avsluttet → mottatt (gjenåpnet)")
    step("log", {"hendelse": "Samtale med foresatte.", "dato": "2026-11-20"}, "logg ført")
    text = case_file(web.root, case_id).read_text(encoding="utf-8")
    assert "ansvarlig: Kontaktlærer" in text and "Samtale med foresatte." in text
    assert "merknad: Telefon" in text and "av: Per Haugen" in text
    page = text_of(web.page(f"/sak/{case_id}"))
    assert "Runde 1: melding mottatt 16. november 2026" in page
    assert "Runde 2: gjenåpnet 20. november 2026" in page
    assert "Hvorfor saken ble gjenåpnet: Eleven har meldt fra igjen." in page


def test_tiltak_end(web: Web) -> None:
    case_id = make_case(web.root)
    web.submit(case_id, "notify", {"mottaker": "rektor"})
    web.submit(case_id, "advance", {"til": "undersokes"})
    web.submit(case_id, "tiltak-add", {"beskrivelse": "Samtaler.", "fra": "2026-11-20", "til": "2026-12-20",
                                       "ansvarlig": "Rådgiver", "evalueres": "2026-12-01"})
    before = len(commits(web.root))
    _ok(web.submit(case_id, "tiltak-end-T1", {"dato": "2026-11-20"}), case_id)
    _one_commit(web, before, f"{case_id}: tiltak T1 avsluttet")
    page = web.page(f"/sak/{case_id}")
    assert 'id="tiltak-end-T1"' not in page  # an ended tiltak offers no more forms
    assert "Tiltak T1 (avsluttet 20. november 2026)" in text_of(page)


def test_forms_offered_follow_the_status(web: Web) -> None:
    case_id = make_case(web.root)
    ids = [f["id"] for f in _case_forms(web, case_id)]
    assert ids == ["advance", "notify", "investigate", "conclude", "hear", "best-interests", "close", "log"]


def _case_forms(web: Web, case_id: str):
    from web_fixtures import forms_of

    return [f for f in forms_of(web.page(f"/sak/{case_id}")) if f["method"] == "post"]


# ---------------------------------------------------------------- refusals


def _refused(response, status: int = 422) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_advance_without_notification_shows_what_is_missing(web: Web, web_case: str) -> None:
    before = snapshot(web.root)
    html = _refused(web.submit(web_case, "advance", {"til": "undersokes"}))
    text = text_of(html)
    assert "Ikke lagret" in text
    assert ("Sak 2026-0001 kan ikke gå til status undersøkes: dette mangler (1 punkt). Mangler varsling til "
            "rektor (varsling.rektor med dato og av) (§ 12-4 andre ledd: alle som arbeider på skolen, skal "
            "melde fra til rektor)") in text
    assert 'id="advance" open' in html
    assert snapshot(web.root) == before


def test_conclude_before_any_activity_is_refused_and_the_text_kept(web: Web, web_case: str) -> None:
    before = snapshot(web.root)
    html = _refused(web.submit(web_case, "conclude", {"elevens_opplevelse": "Jeg er redd <i>hver</i> dag.",
                                                      "konklusjon": "Må undersøkes mer."}))
    assert ("Undersøkelsen i sak 2026-0001 er ikke startet; registrer minst én aktivitet først "
            "( skm investigate 2026-0001 … ).") in text_of(html)
    assert "<code>skm investigate 2026-0001 …</code>" in html
    form = form_named(html, "conclude")
    assert form["values"]["elevens_opplevelse"] == ["Jeg er redd <i>hver</i> dag."]
    assert form["values"]["konklusjon"] == ["Må undersøkes mer."]
    assert "Jeg er redd &lt;i&gt;hver&lt;/i&gt; dag." in html
    assert snapshot(web.root) == before


def test_evaluate_without_next_date_names_the_field(web: Web) -> None:
    case_id = _case_in_tiltak(web)
    before = snapshot(web.root)
    html = _refused(web.submit(case_id, "evaluate-T1", {"resultat": "Litt bedre.", "elevens_opplevelse": "Bedre.",
                                                        "videre": "fortsett"}))
    assert ("Et tiltak som fortsetter, må ha en ny evalueringsdato: oppgi «Neste evaluering»."
            in text_of(html))
    form = form_named(html, "evaluate-T1")
    assert form["values"]["resultat"] == ["Litt bedre."] and form["values"]["videre"] == ["fortsett"]
    assert snapshot(web.root) == before


def test_closing_with_tiltak_without_follow_up_is_refused_with_the_law(web: Web) -> None:
    case_id = _case_in_tiltak(web)
    web.submit(case_id, "evaluate-T1", {"resultat": "Bra.", "elevens_opplevelse": "Trygg.", "videre": "avslutt"})
    before = snapshot(web.root)
    html = _refused(web.submit(case_id, "close", {"begrunnelse": "Eleven er trygg nå.",
                                                  "elevens_opplevelse": "Jeg har det fint."}))
    text = text_of(html)
    assert ("Mangler avtalt dato for oppfølging etter avslutning (avslutning.oppfolging) (§ 12-4 andre ledd: "
            "følge opp at eleven har det trygt og godt)") in text
    form = form_named(html, "close")
    assert form["values"]["begrunnelse"] == ["Eleven er trygg nå."]
    assert form["values"]["elevens_opplevelse"] == ["Jeg har det fint."]
    assert snapshot(web.root) == before


def test_a_refused_form_that_the_case_no_longer_offers_still_keeps_the_text(web: Web) -> None:
    case_id = _case_in_tiltak(web)
    page = web.page(f"/sak/{case_id}")
    web.submit(case_id, "tiltak-end-T1", {})
    html = _refused(web.submit(case_id, "evaluate-T1", {"resultat": "Skrevet før noen avsluttet tiltaket.",
                                                        "elevens_opplevelse": "Bra.", "videre": "avslutt"},
                               page=page), 409)
    assert "Saken er endret siden du åpnet den" in text_of(html)
    assert form_named(html, "evaluate-T1")["values"]["resultat"] == ["Skrevet før noen avsluttet tiltaket."]


def test_unknown_case_and_action(web: Web, web_case: str) -> None:
    assert web.get("/sak/2026-0099").status_code == 404
    assert "Fant ingen sak med dette saksnummeret." in text_of(web.get("/sak/2026-0099").get_data(as_text=True))
    assert web.get("/sak/..%2F..%2Fskole").status_code == 404
    response = web.post(f"/sak/{web_case}/handling/slett", {"csrf": web.csrf(), "versjon": "x"})
    assert response.status_code == 404


def test_a_post_without_version_is_refused(web: Web, web_case: str) -> None:
    before = snapshot(web.root)
    html = _refused(web.post(f"/sak/{web_case}/handling/log", {"csrf": web.csrf(), "hendelse": "Uten versjon."}),
                    409)
    assert "Skjemaet sier ikke hvilken versjon av saken det ble laget fra; ingenting er lagret." in text_of(html)
    assert form_named(html, "log")["values"]["hendelse"] == ["Uten versjon."]
    assert snapshot(web.root) == before


def _case_in_tiltak(web: Web) -> str:
    case_id = make_case(web.root, mottatt="2026-11-16")
    for form_id, fields in (
        ("notify", {"mottaker": "rektor", "dato": "2026-11-16"}),
        ("advance", {"til": "undersokes"}),
        ("investigate", {"type": "samtale", "oppsummering": "Samtale.", "dato": "2026-11-17"}),
        ("conclude", {"elevens_opplevelse": "Utrygg.", "konklusjon": "Tiltak.", "dato": "2026-11-17"}),
        ("hear", {"synspunkter": "Makker.", "dato": "2026-11-17"}),
        ("best-interests", {"vurdering": "Bli i klassen.", "dato": "2026-11-17"}),
        ("plan", {"problem": "Utenfor.", "dato": "2026-11-17"}),
        ("tiltak-add", {"beskrivelse": "Makker.", "fra": "2026-11-18", "til": "2026-12-18", "ansvarlig": "Lærer",
                        "evalueres": "2026-11-20"}),
        ("advance", {"til": "tiltak"}),
    ):
        _ok(web.submit(case_id, form_id, fields), case_id)
    return case_id


# ---------------------------------------------------------------- the follow-up after closing


def _closed_case(web: Web) -> str:
    """A case closed through its forms on 2026-11-20, with a follow-up agreed for 2026-12-11."""
    case_id = _case_in_tiltak(web)
    for form_id, fields in (
        ("evaluate-T1", {"resultat": "Bra.", "elevens_opplevelse": "Trygg.", "videre": "avslutt",
                         "dato": "2026-11-20"}),
        ("close", {"begrunnelse": "Eleven er trygg nå.", "elevens_opplevelse": "Jeg har det fint.",
                   "oppfolging": "2026-12-11", "dato": "2026-11-20"}),
    ):
        _ok(web.submit(case_id, form_id, fields), case_id)
    return case_id


def test_follow_up_form_records_the_agreed_follow_up(web: Web) -> None:
    import difflib

    case_id = _closed_case(web)
    html = web.page(f"/sak/{case_id}")
    assert [f["id"] for f in _case_forms(web, case_id)] == ["follow-up", "reopen", "log"]
    form = form_named(html, "follow-up")
    assert form["action"] == f"/sak/{case_id}/handling/follow-up"
    assert {"notat", "dato", "csrf", "versjon"} <= set(form["names"])
    assert form["values"]["dato"] == ["2026-11-20"]  # today
    assert '<label for="f-follow-up-notat">Hva kom fram: har eleven det fortsatt trygt og godt?' in html
    assert '<label for="f-follow-up-dato">Dato' in html
    path = case_file(web.root, case_id)
    old = path.read_text(encoding="utf-8")
    before = len(commits(web.root))
    _ok(web.submit(case_id, "follow-up", {"notat": "Eleven har det fortsatt bra i friminuttene."}), case_id)
    _one_commit(web, before, f"{case_id}: oppfølging registrert")
    assert commits(web.root)[-1][2] == (f"cases/{case_id}.yaml",)
    new = path.read_text(encoding="utf-8")
    added = [line[1:] for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
             if line.startswith("+") and not line.startswith("+++")]
    removed = [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
               if line.startswith("-") and not line.startswith("---")]
    assert removed == []
    assert added == [  # a log entry, then the follow-up under avslutning (the file's key order)
        "- dato: 2026-11-20", "  av: Test Rektor", "  hendelse: Oppfølging etter avslutning gjort 2026-11-20.",
        "  oppfulgt:", "    dato: 2026-11-20", "    av: Test Rektor",
        "    notat: Eleven har det fortsatt bra i friminuttene.",
    ]
    page = web.page(f"/sak/{case_id}")
    text = text_of(page)
    assert "Oppfølgingen etter avslutningen er registrert." in text
    assert ("Oppfølging gjort 20. november 2026 (Test Rektor): Eleven har det fortsatt bra i friminuttene."
            in text)
    assert 'id="follow-up"' not in page  # recorded once: the form is gone
    assert [f["id"] for f in _case_forms(web, case_id)] == ["reopen", "log"]


@pytest.mark.parametrize(("closing", "expected"), [
    ({"dato": "2026-11-20", "oppfolging": "2026-12-11"}, ["follow-up", "reopen", "log"]),
    ({"dato": "2026-11-20"}, ["reopen", "log"]),  # no follow-up was agreed
    ({"dato": "2026-11-20", "oppfolging": "2026-12-11",
      "oppfulgt": {"dato": "2026-12-11", "av": "Rektor", "notat": "Bra."}}, ["reopen", "log"]),
])
def test_the_follow_up_form_is_offered_while_the_agreed_follow_up_is_not_recorded(
        closing: dict, expected: list[str]) -> None:
    from skolemiljo.web.forms import offered

    assert [o.form_id for o in offered({"status": "avsluttet", "avslutning": closing})] == expected


def test_a_second_follow_up_is_refused_and_the_text_kept(web: Web) -> None:
    case_id = _closed_case(web)
    page = web.page(f"/sak/{case_id}")  # opened before the first follow-up was recorded
    _ok(web.submit(case_id, "follow-up", {"notat": "Først."}), case_id)
    # From the page as it is now (the form is not offered), so the version is current.
    fresh = form_named(web.page(f"/sak/{case_id}"), "log")
    before = snapshot(web.root)
    html = _refused(web.post(f"/sak/{case_id}/handling/follow-up", {
        "csrf": fresh["values"]["csrf"][0], "versjon": fresh["values"]["versjon"][0],
        "notat": "Andre gang <b>igjen</b>.", "dato": "2026-11-20"}))
    text = text_of(html)
    assert (f"Oppfølgingen i sak {case_id} er registrert alt (2026-11-20); før nye opplysninger i loggen "
            f"( skm log ).") in text
    assert "<code>skm log</code>" in html
    assert form_named(html, "follow-up")["values"]["notat"] == ["Andre gang <b>igjen</b>."]
    assert 'id="follow-up" open' in html
    assert "Andre gang &lt;b&gt;igjen&lt;/b&gt;." in html
    assert snapshot(web.root) == before
    # The stale page's form is refused as stale, with the text kept too.
    html = _refused(web.submit(case_id, "follow-up", {"notat": "Fra en gammel side."}, page=page), 409)
    assert form_named(html, "follow-up")["values"]["notat"] == ["Fra en gammel side."]
    assert snapshot(web.root) == before


def test_follow_up_on_an_open_case_is_refused(web: Web, web_case: str) -> None:
    form = form_named(web.page(f"/sak/{web_case}"), "log")
    before = snapshot(web.root)
    html = _refused(web.post(f"/sak/{web_case}/handling/follow-up", {
        "csrf": form["values"]["csrf"][0], "versjon": form["values"]["versjon"][0],
        "notat": "Eleven har det bra.", "dato": "2026-11-20"}))
    assert ("Sak 2026-0001 er ikke avsluttet; oppfølging etter avslutning registreres når saken er avsluttet."
            in text_of(html))
    assert form_named(html, "follow-up")["values"]["notat"] == ["Eleven har det bra."]
    assert snapshot(web.root) == before


@pytest.mark.parametrize(("fields", "message"), [
    ({"notat": "  "}, "«Hva kom fram: har eleven det fortsatt trygt og godt?» kan ikke være tom."),
    ({"notat": "Bra.", "dato": "2026-11-19"}, "«Dato» 2026-11-19 er før saken ble avsluttet (2026-11-20)."),
    ({"notat": "Bra.", "dato": "2026-11-21"}, "«Dato» 2026-11-21 er fram i tid."),
])
def test_bad_follow_up_input_names_the_field(web: Web, fields: dict[str, str], message: str) -> None:
    case_id = _closed_case(web)
    before = snapshot(web.root)
    html = _refused(web.submit(case_id, "follow-up", fields))
    assert message in text_of(html)
    assert form_named(html, "follow-up")["values"]["notat"] == [fields["notat"]]
    assert snapshot(web.root) == before


def test_follow_up_without_csrf_is_refused(web: Web) -> None:
    case_id = _closed_case(web)
    form = form_named(web.page(f"/sak/{case_id}"), "follow-up")
    before = snapshot(web.root)
    response = web.post(f"/sak/{case_id}/handling/follow-up", {
        "versjon": form["values"]["versjon"][0], "notat": "Eleven har det bra.", "dato": "2026-11-20"})
    assert response.status_code == 403
    assert "Skjemaet ble ikke godtatt" in text_of(response.get_data(as_text=True))
    assert snapshot(web.root) == before
