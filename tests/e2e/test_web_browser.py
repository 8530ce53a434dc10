"""``skm serve`` in a real headless Chromium: a person's whole walk, with axe-core on every page.

The installed ``skm serve`` runs as its own process on a throwaway case repository; Debian's
Chromium (``/usr/bin/chromium``), driven by Playwright, does what a member of staff does: opens
the login link, registers a report through Ny melding, takes it through procedure A to closing
(meeting a refusal on the way and finding the typed text still there), records the agreed
follow-up, downloads the PDF and reopens the case. axe-core (vendored in ``tests/e2e/vendor``) checks every page for WCAG 2.1 AA
(and its best practices) with zero violations. Other tests: keyboard only with visible focus,
no JavaScript at all, two tabs on the same case.

On a developer machine without Chromium or Playwright these tests skip with the reason; in CI
(``CI`` set) they fail instead, so a missing browser is never a silent pass.

``SKM_UPDATE_SCREENSHOTS=1`` also writes the screenshots of the overview and a case page to
``docs/`` (fictional data only).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import case_file, commits, make_case, make_repo

CHROMIUM = Path("/usr/bin/chromium")
SKM = shutil.which("skm")
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DOCS = Path(__file__).resolve().parents[2] / "docs"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return "Debian-pakken chromium er ikke installert (/usr/bin/chromium): apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright mangler (pip install 'skolemiljo[test]')"
    if SKM is None:
        return "skm er ikke installert på PATH (pip install '.[web]')"
    try:
        import flask  # noqa: F401
        import waitress  # noqa: F401
    except ImportError:
        return "web-tillegget mangler (pip install '.[web]')"
    return None


MISSING = _missing()
if MISSING and os.environ.get("CI"):
    raise RuntimeError(f"Nettlesertestene kan ikke kjøres i CI: {MISSING}")
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``skm serve`` as a person starts it, in its own process."""

    def __init__(self, root: Path) -> None:
        self.port = _free_port()
        env = {**os.environ, "SKM_TODAY": "2026-11-20", "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen([SKM, "serve", "--port", str(self.port)], cwd=root, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.base = f"http://127.0.0.1:{self.port}"
        self.login_url = self._read_url()

    def _read_url(self) -> str:
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            lines.append(line)
            found = re.search(r"(http://127\.0\.0\.1:\d+/inn\?token=\S+)", line)
            if found:
                return found.group(1)
        self.stop()
        raise AssertionError(f"skm serve skrev ingen lenke: {lines} {self.process.stderr.read()}")  # type: ignore

    def stop(self) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode, self.process.stderr.read()  # type: ignore[union-attr]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "saker")


@pytest.fixture
def server(repo: Path) -> Iterator[Server]:
    running = Server(repo)
    yield running
    code, stderr = running.stop()
    assert code == 0, stderr
    assert "skm serve er stoppet." in stderr


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _page(browser, server: Server, **options: Any):
    context = browser.new_context(**{"accept_downloads": True, "locale": "nb-NO",
                                     "viewport": {"width": 1200, "height": 900}, **options})
    page = context.new_page()
    page.goto(server.login_url)
    assert page.url == f"{server.base}/"
    return page


def axe(page, where: str) -> None:
    """axe-core on the page as it is, and again with every ``<details>`` open: zero violations."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    page.evaluate("() => document.querySelectorAll('details[open]').forEach(d => d.dataset.open = '1')")
    for opened in (False, True):
        if opened:
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
        }""")
        assert result == [], f"axe på {where}{' (alt åpent)' if opened else ''}: {result}"
    page.evaluate("""() => document.querySelectorAll('details').forEach(d => {
        d.open = d.dataset.open === '1'; delete d.dataset.open; })""")


def _open(page, summary: str):
    """Open the action whose heading is ``summary`` (a click on <summary>, as a person does)."""
    page.locator("summary", has_text=summary).first.click()
    return page.locator("details[open]", has=page.locator("summary", has_text=summary)).first


def _starts(label: str) -> re.Pattern[str]:
    """A field's label: its words, then perhaps «(må fylles ut)»."""
    return re.compile("^" + re.escape(label) + r"( \(må fylles ut\))?$")


def _notice(page) -> str:
    return page.locator("[role=status]").first.inner_text()


def test_report_to_closing_through_procedure_a_in_chromium(browser, server: Server, repo: Path,
                                                           tmp_path: Path) -> None:
    page = _page(browser, server)
    axe(page, "Oversikt (tom)")

    # ---- Ny melding, through the menu
    page.get_by_role("link", name="Ny melding").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ny melding"
    axe(page, "Ny melding")
    page.get_by_label("Elevens navn").fill("Sofie Lindqvist")
    page.get_by_label("Klasse eller gruppe").fill("8A")
    page.get_by_label("Ja, under 18 år").check()
    page.get_by_label("Elev krenker elev").check()
    page.get_by_label("Hvem meldte fra?").select_option("foresatt")
    page.get_by_label("Hvem tok imot meldingen?").fill("Per Haugen (kontaktlærer)")
    page.get_by_label("Datoen meldingen kom").fill("2026-11-16")
    page.get_by_label("Hva ble meldt?").fill("Foresatte forteller at Sofie blir holdt utenfor i friminuttene.")
    page.get_by_label("utestenging").check()
    page.get_by_role("button", name="Registrer meldingen").click()
    page.wait_for_url(f"{server.base}/sak/2026-0001")
    receipt = _notice(page)
    assert "Meldingen er registrert som sak 2026-0001." in receipt
    assert "Prosedyre: A – elev krenker elev (§ 12-4)" in receipt
    assert "Mangler varsling til rektor" in receipt
    axe(page, "Sak (ny, med kvittering)")

    # ---- procedure A, one form after another
    def act(summary: str, fill: dict[str, str], button: str, expected: str, check: tuple[str, ...] = (),
            select: dict[str, str] | None = None) -> None:
        form = _open(page, summary)
        for label, value in (select or {}).items():
            form.get_by_label(_starts(label)).select_option(value)
        for label, value in fill.items():
            form.get_by_label(_starts(label)).fill(value)
        for label in check:
            form.get_by_label(label, exact=True).check()
        with page.expect_navigation():
            form.get_by_role("button", name=button).click()
        assert expected in _notice(page), page.content()[:3000]

    act("Varsling av rektor eller skoleeier", {"Hvem varslet?": "Per Haugen", "Dato": "2026-11-16"},
        "Registrer varslingen", "Varslingen av Rektor er registrert.")
    act("Flytt saken videre", {}, "Flytt saken til «undersøkes»", "Saken er flyttet fra «melding mottatt» til «undersøkes».")
    act("Undersøkelse: samtale, observasjon eller kartlegging",
        {"Med hvem?": "Sofie og foresatte", "Hva kom fram?": "Sofie er alene i friminuttene.", "Dato": "2026-11-17"},
        "Lagre", "Undersøkelsesaktiviteten er registrert.", select={"Hva slags aktivitet?": "samtale"})
    act("Konklusjon på undersøkelsen", {"Elevens egen opplevelse": "Jeg gruer meg til friminuttene.",
                                        "Konklusjon": "Sofie har ikke et trygt og godt skolemiljø; tiltak settes inn.",
                                        "Dato": "2026-11-18"}, "Lagre", "Konklusjonen på undersøkelsen er registrert.")
    act("Elevens stemme: eleven er hørt", {"Elevens synspunkter": "Vil ha en fast å være med.",
                                          "Dato": "2026-11-18"}, "Lagre", "Elevens stemme er registrert.")
    act("Vurdering av elevens beste", {"Vurderingen": "Best å bli i klassen med en fast makker.",
                                      "Dato": "2026-11-18"}, "Lagre", "Vurderingen av elevens beste er registrert.")
    act("Aktivitetsplanen: hvilket problem tiltakene skal løse",
        {"Hvilket problem skal tiltakene løse? (bokstav a)": "Sofie holdes utenfor i friminuttene.",
         "Dato": "2026-11-18"}, "Lagre", "Aktivitetsplanen er oppdatert.")
    act("Nytt tiltak i aktivitetsplanen",
        {"Hva skal skolen gjøre? (bokstav b)": "Fast makker og voksen i friminuttene.", "Fra (bokstav c)": "2026-11-19",
         "Til (bokstav c)": "2026-12-18", "Hvem gjennomfører tiltaket? (bokstav d)": "Miljøarbeider",
         "Når evalueres tiltaket? (bokstav e)": "2026-11-20"}, "Legg til tiltaket",
        "Tiltak T1 er lagt til i aktivitetsplanen.")
    act("Flytt saken videre", {}, "Flytt saken til «tiltak er satt inn»",
        "Saken er flyttet fra «undersøkes» til «tiltak er satt inn».")
    axe(page, "Sak (tiltak)")
    act("Evaluer tiltak T1", {"Hva viste evalueringen?": "Sofie har noen å være med.",
                              "Elevens egen opplevelse nå": "Det er mye bedre nå.", "Dato": "2026-11-20"},
        "Lagre", "Evalueringen av tiltak T1 er registrert (Tiltaket avsluttes).", check=("Tiltaket avsluttes",))

    # ---- a refusal, with the typed text kept
    form = _open(page, "Avslutt saken")
    form.get_by_label(_starts("Hvorfor avsluttes saken?")).fill("Sofie opplever skolemiljøet som trygt og godt.")
    form.get_by_label("Elevens egen opplevelse ved avslutning").fill("Jeg har det bra på skolen nå.")
    form.get_by_role("button", name="Avslutt saken").click()
    refused = page.locator("details#close [role=alert]")
    assert "Mangler avtalt dato for oppfølging etter avslutning" in refused.inner_text()
    assert "§ 12-4" in refused.inner_text()
    assert page.locator("details#close").get_attribute("open") is not None
    kept = page.locator("details#close")
    assert kept.get_by_label(_starts("Hvorfor avsluttes saken?")).input_value() == "Sofie opplever skolemiljøet som trygt og godt."
    assert kept.get_by_label("Elevens egen opplevelse ved avslutning").input_value() == "Jeg har det bra på skolen nå."
    axe(page, "Sak (avvist avslutning)")
    page.screenshot(path=str(tmp_path / "avvist.png"), full_page=True)
    kept.get_by_label("Avtalt dato for oppfølging").fill("2026-12-11")
    kept.get_by_role("button", name="Avslutt saken").click()
    assert "Saken er avsluttet." in _notice(page)
    assert page.locator(".merkelapp").inner_text() == "avsluttet"
    axe(page, "Sak (avsluttet, oppfølging avtalt)")

    # ---- the agreed follow-up, after closing
    act("Registrer oppfølging", {"Hva kom fram: har eleven det fortsatt trygt og godt?":
                                 "Sofie har det fortsatt bra i friminuttene.", "Dato": "2026-11-20"},
        "Registrer oppfølgingen", "Oppfølgingen etter avslutningen er registrert.")
    assert page.locator("details#follow-up").count() == 0

    # ---- the documents: the PDF for the archive
    page.get_by_role("link", name="Dokumenter").click()
    axe(page, "Dokumenter")
    page.get_by_label("Saksdokumentasjon").check()
    page.get_by_label("PDF/A (for arkivet)").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Lag dokumentet").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "2026-0001-saksdokumentasjon-nb.pdf"
    assert saved.read_bytes().startswith(b"%PDF-")

    # ---- history
    page.get_by_role("link", name="Historikk").click()
    axe(page, "Historikk")
    history = page.locator("table").inner_text()
    assert "melding registrert" in history and "tiltak → avsluttet" in history

    # ---- reopen
    page.get_by_role("link", name="Saken", exact=True).click()
    act("Gjenåpne saken", {"Hvorfor gjenåpnes saken?": "Foresatte melder at det har begynt igjen.",
                           "Dato": "2026-11-20"}, "Gjenåpne saken", "Saken er gjenåpnet: en ny runde starter i status mottatt.")
    assert page.locator(".merkelapp").inner_text() == "melding mottatt"
    assert "Runde 2: gjenåpnet 20. november 2026" in page.locator("main").inner_text()
    axe(page, "Sak (gjenåpnet)")

    # Every step was one commit by the person at the computer.
    subjects = [subject for subject, author, _files in commits(repo)[1:]]
    assert subjects == [
        "2026-0001: melding registrert", "2026-0001: rektor varslet", "2026-0001: mottatt → undersokes",
        "2026-0001: undersøkelsesaktivitet registrert", "2026-0001: undersøkelse konkludert",
        "2026-0001: elevens stemme registrert", "2026-0001: elevens beste vurdert",
        "2026-0001: aktivitetsplan oppdatert", "2026-0001: tiltak T1 lagt til", "2026-0001: undersokes → tiltak",
        "2026-0001: tiltak T1 evaluert", "2026-0001: tiltak → avsluttet", "2026-0001: oppfølging registrert",
        "2026-0001: avsluttet → mottatt (gjenåpnet)",
    ]
    assert {author for _s, author, _f in commits(repo)} == {"Test Rektor <rektor@example.no>"}

    # ---- the other pages
    for link, name in (("Årshjul", "Årshjul"), ("Kontroll", "Kontroll"), ("Oversikt", "Oversikt")):
        page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name=link).click()
        axe(page, name)
    page.get_by_role("link", name="Vis elevnavn").click()
    assert "Sofie Lindqvist" in page.locator("main").inner_text()
    axe(page, "Oversikt (med navn)")
    with page.expect_download() as calendar:
        page.goto(f"{server.base}/arshjul")
        page.get_by_role("link", name="Last ned kalenderfil (.ics)").click()
    ics = tmp_path / "arshjul.ics"
    calendar.value.save_as(ics)
    assert ics.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert "Sofie" not in ics.read_text(encoding="utf-8")


def test_the_refused_gate_page_is_accessible_too(browser, server: Server) -> None:
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(f"{server.base}/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Du er ikke logget inn"
    axe(page, "403")


def test_keyboard_only_with_visible_focus(browser, server: Server, repo: Path) -> None:
    page = _page(browser, server)

    def focused() -> dict[str, str]:
        return page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, id: e.id, text: (e.innerText || e.value || '').trim(),
                    outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }""")

    def tab_to(test, limit: int = 60) -> dict[str, str]:
        for _ in range(limit):
            page.keyboard.press("Tab")
            found = focused()
            if test(found):
                assert found["outline"] != "none" and float(found["width"].rstrip("px")) >= 2, found
                return found
        raise AssertionError("nådde ikke fram med Tab")

    first = tab_to(lambda f: True)
    assert first["text"] == "Hopp til innholdet"
    tab_to(lambda f: f["tag"] == "A" and f["text"] == "Ny melding")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.base}/ny")
    for field, value in (("f-ny-elev", "Jonas Berntsen"), ("f-ny-klasse", "10C")):
        tab_to(lambda f, field=field: f["id"] == field)
        page.keyboard.type(value)
    tab_to(lambda f: f["id"] == "f-ny-under_18-ja")
    page.keyboard.press("Space")
    tab_to(lambda f: f["id"].startswith("f-ny-sakstype-"))
    page.keyboard.press("Space")  # the first choice: elev krenker elev
    tab_to(lambda f: f["id"] == "f-ny-meldt_av")
    page.keyboard.press("ArrowDown")  # eleven selv
    tab_to(lambda f: f["id"] == "f-ny-beskrivelse")
    page.keyboard.type("Jonas forteller om stygge meldinger i klassechatten.")
    tab_to(lambda f: f["tag"] == "BUTTON")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.base}/sak/2026-0001")
    assert "Meldingen er registrert som sak 2026-0001." in _notice(page)
    # An action opened and sent with the keyboard alone.
    tab_to(lambda f: f["tag"] == "SUMMARY" and f["text"].startswith("Loggføring"))
    page.keyboard.press("Enter")
    tab_to(lambda f: f["id"] == "f-log-hendelse")
    page.keyboard.type("Ringte foresatte.")
    tab_to(lambda f: f["tag"] == "BUTTON" and f["text"] == "Før i loggen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Loggføringen er lagret." in _notice(page)
    assert "Ringte foresatte." in case_file(repo, "2026-0001").read_text(encoding="utf-8")


def test_everything_works_without_javascript(browser, server: Server, repo: Path) -> None:
    page = _page(browser, server, java_script_enabled=False)
    page.get_by_role("link", name="Ny melding").click()
    page.get_by_label("Elevens navn").fill("Emma Solheim")
    page.get_by_label("Klasse eller gruppe").fill("9C")
    page.get_by_label("Nei, 18 år eller eldre").check()
    page.get_by_label("Ansatt krenker elev").check()
    page.get_by_label("Hvem meldte fra?").select_option("elev")
    page.get_by_label("Hva ble meldt?").fill("Emma sier at en lærer har kalt henne dum foran klassen.")
    page.get_by_role("button", name="Registrer meldingen").click()
    receipt = _notice(page)
    assert "Prosedyre: B – ansatt krenker elev (§ 12-5)" in receipt
    assert "Mangler varsling til skoleeier" in receipt
    form = _open(page, "Varsling av rektor eller skoleeier")
    form.get_by_label("Rektor", exact=True).check()
    form.get_by_role("button", name="Registrer varslingen").click()
    assert "Varslingen av Rektor er registrert." in _notice(page)
    assert [s for s, _a, _f in commits(repo)][-1] == "2026-0001: rektor varslet"


def test_two_tabs_on_one_case_never_overwrite_each_other(browser, server: Server, repo: Path) -> None:
    case_id = make_case(repo)
    first = _page(browser, server)
    first.goto(f"{server.base}/sak/{case_id}")
    second = first.context.new_page()
    second.goto(f"{server.base}/sak/{case_id}")
    form = _open(second, "Loggføring")
    form.get_by_label(_starts("Hva ble gjort?")).fill("Samtale med Kari (fane 2).")
    form.get_by_role("button", name="Før i loggen").click()
    assert "Loggføringen er lagret." in _notice(second)
    form = _open(first, "Loggføring")
    form.get_by_label(_starts("Hva ble gjort?")).fill("Notat skrevet i fane 1.")
    form.get_by_role("button", name="Før i loggen").click()
    alert = first.locator("details#log [role=alert]").inner_text()
    assert "Saken er endret siden du åpnet den" in alert
    assert "ingenting er lagret" in alert
    assert first.locator("details#log").get_by_label(_starts("Hva ble gjort?")).input_value() == "Notat skrevet i fane 1."
    assert "Samtale med Kari (fane 2)." in first.locator("main").inner_text()
    axe(first, "Sak (endret av en annen)")
    first.locator("details#log").get_by_role("button", name="Før i loggen").click()
    assert "Loggføringen er lagret." in _notice(first)
    text = case_file(repo, case_id).read_text(encoding="utf-8")
    assert "Samtale med Kari (fane 2)." in text and "Notat skrevet i fane 1." in text


def test_screenshots_of_the_overview_and_a_case(browser, repo: Path, tmp_path: Path) -> None:
    """Fictional cases in several states; the screenshots in docs/ are made here."""
    from case_fixtures import commit_case_file, complete_case

    make_case(repo, elev_navn="Kari Nordmann", mottatt="2026-11-02")
    make_case(repo, elev_navn="Ola Hansen", klasse="10A", sakstype="ansatt-elev", mottatt="2026-11-18",
              beskrivelse="Ola forteller at en voksen har ropt til ham i gymtimen.")
    closed = complete_case(status="avsluttet")
    closed["id"] = "2026-0003"
    commit_case_file(repo, closed)
    active = complete_case(status="tiltak")
    active["id"] = "2026-0004"
    active["elev"]["navn"] = "Sofie Lindqvist"
    active["aktivitetsplan"]["tiltak"][1]["evalueringer"] = []
    active["aktivitetsplan"]["tiltak"][1].pop("avsluttet", None)
    commit_case_file(repo, active)
    server = Server(repo)
    try:
        page = _page(browser, server, viewport={"width": 1280, "height": 900})
        overview = tmp_path / "web-oversikt.png"
        page.screenshot(path=str(overview), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 1500})
        page.goto(f"{server.base}/sak/2026-0004")
        case = tmp_path / "web-sak.png"
        page.screenshot(path=str(case), full_page=False)
        assert overview.stat().st_size > 10_000 and case.stat().st_size > 10_000
        if os.environ.get("SKM_UPDATE_SCREENSHOTS") == "1":
            shutil.copyfile(overview, DOCS / "web-oversikt.png")
            shutil.copyfile(case, DOCS / "web-sak.png")
    finally:
        code, stderr = server.stop()
    assert code == 0, stderr
