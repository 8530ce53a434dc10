"""``skm serve``: every page, in the repository's målform, from the same services as the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_case
from skolemiljo.domain.presentation import describe_case
from skolemiljo.render import pdf
from skolemiljo.storage.casefiles import read_case
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.web.texts import TEXT
from web_fixtures import Web, form_named, login, make_site, text_of, web, web_case  # noqa: F401  (fixtures)


def test_both_malformer_have_the_same_texts() -> None:
    assert set(TEXT["nb"]) == set(TEXT["nn"])
    assert all(value.strip() for texts in TEXT.values() for value in texts.values())


def test_overview_lists_open_cases_without_names_until_asked(web: Web) -> None:
    make_case(web.root, elev_navn="Kari Nordmann", mottatt="2026-11-02")
    make_case(web.root, elev_navn="Ola Hansen", klasse="10A", sakstype="ansatt-elev")
    html = web.page("/")
    text = text_of(html)
    assert "Oversikt over sakene" in text
    assert "Åpne saker (2)" in text
    assert "Kari Nordmann" not in text and "Ola Hansen" not in text
    assert "Elevenes navn er skjult. Vis elevnavn" in text
    # Overdue first: 2026-0001 came on 2 November and rektor was never notified.
    first, second = html.index('href="/sak/2026-0001"'), html.index('href="/sak/2026-0002"')
    assert first < second
    assert "2026-0001 melding mottatt A – elev krenker elev (§ 12-4) 9B 14 Forfalt: varsle rektor" in text
    assert "B – ansatt krenker elev (§ 12-5)" in text
    assert "Skoleåret 17. august 2026 – 18. juni 2027" in text
    named = text_of(web.page("/?navn=1"))
    assert "Kari Nordmann" in named and "Ola Hansen" in named
    assert "Elevenes navn vises. Skjul elevnavn" in named


def test_overview_lists_cases_closed_in_the_last_30_days(web: Web) -> None:
    from case_fixtures import commit_case_file, complete_case

    commit_case_file(web.root, complete_case(status="avsluttet"))
    text = text_of(web.page("/"))
    assert "Avsluttet de siste 30 dagene (1)" in text
    assert "2026-0001 A – elev krenker elev (§ 12-4) 9B 19. november 2026 10. desember 2026" in text


def test_case_page_shows_what_skm_show_shows(web: Web, web_case: str) -> None:
    html = web.page(f"/sak/{web_case}")
    described = describe_case(read_case(CaseRepo(web.root), web_case).data)
    summary = described.split("\n\nFør undersokes mangler:")[0]
    import html as html_module

    assert html_module.escape(summary, quote=False) in html
    text = text_of(html)
    assert "Neste steg Før undersokes mangler: Mangler varsling til rektor" in text
    assert "Hva som ble meldt Eleven forteller at hun blir holdt utenfor i friminuttene." in text
    assert "Runde 1: melding mottatt 20. november 2026" in text


def test_history_page_is_the_audit_trail(web: Web, web_case: str) -> None:
    web.submit(web_case, "notify", {"mottaker": "rektor"})
    text = text_of(web.page(f"/sak/{web_case}/historikk"))
    assert "Historikk" in text
    assert "Test Rektor melding registrert" in text
    assert "Test Rektor rektor varslet" in text


def test_history_kept_between_requests_is_the_whole_history(web: Web, web_case: str) -> None:
    from skolemiljo.storage.history import case_history

    path = web.root / "cases" / f"{web_case}.yaml"
    web.page(f"/sak/{web_case}/historikk")
    make_case(web.root)  # HEAD moves on with another case
    web.submit(web_case, "log", {"hendelse": "Etterpå."})
    from skolemiljo.web.views import HISTORIES

    assert HISTORIES.of(CaseRepo(web.root), path) == case_history(CaseRepo(web.root), path)
    text = text_of(web.page(f"/sak/{web_case}/historikk"))
    assert text.count("Test Rektor <rektor@example.no>") == 1 and text.count("Test Rektor") == 3  # header + 2
    assert "logg ført" in text


def test_history_marks_changes_made_outside_skm(web: Web, web_case: str) -> None:
    from conftest import case_file, git

    path = case_file(web.root, web_case)
    path.write_text(path.read_text(encoding="utf-8").replace("klasse: 9B", "klasse: 9C"), encoding="utf-8")
    git(web.root, "commit", "-qam", "klasse rettet")
    assert "klasse rettet (endret utenom skm)" in text_of(web.page(f"/sak/{web_case}/historikk"))


def test_documents_page_offers_every_document_format_and_malform(web: Web, web_case: str) -> None:
    html = web.page(f"/sak/{web_case}/dokumenter")
    form = form_named_action_get(html, f"/sak/{web_case}/dokument")
    assert form["values"] == {"dokument": ["saksdokumentasjon"], "format": ["pdf"], "malform": ["nb"]}
    text = text_of(html)
    for label in ("Meldingsskjema", "Aktivitetsplan", "Saksdokumentasjon", "PDF/A (for arkivet)",
                  "HTML (vis i nettleseren)", "Bokmål", "Nynorsk"):
        assert label in text


def form_named_action_get(html: str, action: str):
    from web_fixtures import forms_of

    return next(f for f in forms_of(html) if f["action"] == action)


@pytest.mark.parametrize("malform", ["nb", "nn"])
@pytest.mark.parametrize("document", ["meldingsskjema", "aktivitetsplan", "saksdokumentasjon"])
def test_html_documents_in_both_malformer(web: Web, web_case: str, document: str, malform: str) -> None:
    response = web.get(f"/sak/{web_case}/dokument?dokument={document}&format=html&malform={malform}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'inline; filename="{web_case}-{document}-{malform}.html"'
    assert "sandbox" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert f'<html lang="{malform}">' in html
    from skolemiljo.render.i18n import text

    assert f"<h1>{text(malform)[f'{document}_tittel']}</h1>" in html
    assert text(malform)["mark"] in html


@pytest.mark.skipif(not pdf.available(), reason="WeasyPrint mangler (pip install 'skolemiljo[pdf]')")
def test_pdf_document_is_a_download_named_by_id_only(web: Web, web_case: str) -> None:
    response = web.get(f"/sak/{web_case}/dokument?dokument=saksdokumentasjon&format=pdf&malform=nn")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{web_case}-saksdokumentasjon-nn.pdf"'
    assert response.get_data().startswith(b"%PDF-")


@pytest.mark.parametrize(("query", "message"), [
    ("dokument=brev&format=pdf", "Ukjent dokument «brev». Velg et av: meldingsskjema, aktivitetsplan, "
                                 "saksdokumentasjon."),
    ("dokument=aktivitetsplan&format=docx", "Ukjent format «docx». Velg et av: pdf, html, md."),
    ("dokument=aktivitetsplan&format=html&malform=se", "Ukjent målform «se». Velg nb (bokmål) eller nn (nynorsk)."),
])
def test_document_refusals_are_the_renderers_own(web: Web, web_case: str, query: str, message: str) -> None:
    response = web.get(f"/sak/{web_case}/dokument?{query}")
    assert response.status_code == 422
    assert message in text_of(response.get_data(as_text=True))


def test_calendar_page_and_ics(web: Web) -> None:
    make_case(web.root, mottatt="2026-11-02")
    text = text_of(web.page("/arshjul?uker=2"))
    assert "Årshjul og frister" in text
    assert "Uke 47 (16. november 2026 – 22. november 2026)" in text
    assert "Uke 48 (23. november 2026 – 29. november 2026)" in text
    assert "Forfalte frister" in text and "2026-0001 : varsle rektor" in text
    response = web.get("/arshjul.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="arshjul.ics"'
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR") and "SUMMARY:2026-0001: varsle rektor" in body
    assert "Kari" not in body


@pytest.mark.parametrize("weeks", ["0", "61", "to", "-1"])
def test_calendar_refuses_a_bad_number_of_weeks(web: Web, weeks: str) -> None:
    response = web.get(f"/arshjul?uker={weeks}")
    assert response.status_code == 422
    assert "Antall uker må være et tall fra 1 til 60." in text_of(response.get_data(as_text=True))


def test_checks_page_links_each_finding_to_its_case(web: Web) -> None:
    make_case(web.root, mottatt="2026-11-02")
    html = web.page("/kontroll")
    text = text_of(html)
    assert "Kontroll" in text
    assert "3 feil, 0 advarsler i 1 av 1 sak" in text
    assert ("2026-0001 Feil varsling-rektor-frist Rektor er ikke varslet (varsling.rektor); fristen var "
            "3. november 2026 cases/2026-0001.yaml:18") in text
    assert '<a href="/sak/2026-0001">2026-0001</a>' in html
    assert "varsling-rektor-frist" in text


def test_pages_follow_the_repository_malform(case_repo: Path) -> None:
    settings = case_repo / "skole.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("malform: nb", "malform: nn"), encoding="utf-8")
    from conftest import AUTHOR, git

    git(case_repo, "commit", "-qam", "nynorsk")
    make_case(case_repo)
    site = make_site(case_repo, author=AUTHOR)
    web = Web(login(site), site, case_repo)
    html = web.page("/")
    assert '<html lang="nn">' in html
    text = text_of(html)
    assert "Opne saker (1)" in text and "Namna til elevane er skjulte." in text
    case = text_of(web.page("/sak/2026-0001"))
    assert "Registrer i saka" in case and "Varsling av rektor eller skoleeigar" in case
    assert "Ny melding" in text_of(web.page("/ny"))


def test_every_page_carries_the_security_headers(web: Web, web_case: str) -> None:
    for path in ("/", "/ny", f"/sak/{web_case}", f"/sak/{web_case}/historikk", f"/sak/{web_case}/dokumenter",
                 "/arshjul", "/kontroll", "/static/skm.css", "/arshjul.ics"):
        response = web.get(path)
        assert response.status_code == 200, path
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "http" not in csp, path
        if path != "/static/skm.css":
            assert headers["Cache-Control"] == "no-store", path


def test_pages_use_no_external_resources_and_no_inline_script(web: Web, web_case: str) -> None:
    import re

    for path in ("/", "/ny", f"/sak/{web_case}", f"/sak/{web_case}/historikk", f"/sak/{web_case}/dokumenter",
                 "/arshjul", "/kontroll"):
        html = web.page(path)
        assert "<script" not in html, path
        assert " style=" not in html and "<style" not in html, path
        for attr in re.findall(r'(?:src|href|action)="([^"]*)"', html):
            assert attr.startswith(("/", "#")), (path, attr)
    css = web.get("/static/skm.css").get_data(as_text=True)
    assert "url(" not in css and "@import" not in css


def test_every_form_field_has_a_label(web: Web, web_case: str) -> None:
    import re

    web.submit(web_case, "notify", {"mottaker": "rektor"})
    web.submit(web_case, "advance", {"til": "undersokes"})
    for path in ("/ny", f"/sak/{web_case}", f"/sak/{web_case}/dokumenter", "/arshjul"):
        html = web.page(path)
        ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html)
        assert ids, path
        for found in ids:
            assert f'<label for="{found}">' in html, (path, found)
        assert len(ids) == len(set(ids)), path
        controls = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*>', html)
        assert all(' id="' in control for control in controls), path


def test_the_case_form_carries_the_version_of_the_file(web: Web, web_case: str) -> None:
    from skolemiljo.storage.casefiles import case_version

    html = web.page(f"/sak/{web_case}")
    expected = case_version((web.root / "cases" / f"{web_case}.yaml").read_bytes())
    assert form_named(html, "log")["values"]["versjon"] == [expected]
