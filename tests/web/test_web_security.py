"""``skm serve`` holds confidential records about children: every way in is closed but the one meant.

No session → 403; the login link works once; a wrong Host is refused; a POST without the page's
CSRF token is 403; case text is always inert; a form made from an old version of the case is
refused with the text kept; nothing but skm's own stylesheet is ever served as a file; a shared
server refuses to start without an authenticating proxy, whose header is believed only from the
proxy's own address and names the commit author.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AUTHOR, AUTHOR_TEXT, case_file, commits, make_case, snapshot
from skolemiljo.errors import UsageError
from skolemiljo.web.app import create_app
from skolemiljo.web.security import Sessions, host_values
from skolemiljo.web.server import ServeConfig, check_config
from web_fixtures import (  # noqa: F401  (fixtures)
    BASE,
    PROXY,
    PROXY_HEADERS,
    Web,
    form_named,
    login,
    make_site,
    proxied,
    text_of,
    web,
    web_case,
)

PAGES = ("/", "/ny", "/sak/2026-0001", "/sak/2026-0001/historikk", "/sak/2026-0001/dokumenter",
         "/sak/2026-0001/dokument?dokument=meldingsskjema&format=html", "/arshjul", "/arshjul.ics", "/kontroll",
         "/static/skm.css", "/inn", "/finnes-ikke")


# ---------------------------------------------------------------- login


def test_without_a_session_every_request_is_403(case_repo: Path) -> None:
    make_case(case_repo)
    client = create_app(make_site(case_repo, author=AUTHOR)).test_client()
    for path in PAGES:
        response = client.get(path, base_url=BASE)
        assert response.status_code == 403, path
        body = response.get_data(as_text=True)
        assert "Kari" not in body and "Fjordvik" not in body and "holdt utenfor" not in body, path
    before = snapshot(case_repo)
    for path in ("/ny", "/sak/2026-0001/handling/log"):
        assert client.post(path, data={"hendelse": "x", "elev": "x"}, base_url=BASE).status_code == 403
    assert snapshot(case_repo) == before


def test_the_login_link_works_once_and_gives_a_strict_httponly_cookie(case_repo: Path) -> None:
    site = make_site(case_repo, author=AUTHOR)
    token = site.sessions.login_token()
    first = create_app(site).test_client()
    response = first.get(f"/inn?token={token}", base_url=BASE)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("skm_sesjon=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert token not in cookie
    assert first.get("/", base_url=BASE).status_code == 200
    second = create_app(site).test_client()
    again = second.get(f"/inn?token={token}", base_url=BASE)
    assert again.status_code == 403
    assert "Innloggingslenken er allerede brukt eller feil." in text_of(again.get_data(as_text=True))
    assert second.get("/", base_url=BASE).status_code == 403


@pytest.mark.parametrize("token", ["", "feil", "x" * 43])
def test_a_wrong_token_is_refused(case_repo: Path, token: str) -> None:
    site = make_site(case_repo, author=AUTHOR)
    site.sessions.login_token()
    client = create_app(site).test_client()
    assert client.get(f"/inn?token={token}", base_url=BASE).status_code == 403
    assert client.get("/", base_url=BASE).status_code == 403


def test_a_made_up_session_cookie_is_refused(case_repo: Path) -> None:
    client = create_app(make_site(case_repo, author=AUTHOR)).test_client()
    client.set_cookie("skm_sesjon", "gjettet", domain="127.0.0.1")
    assert client.get("/", base_url=BASE).status_code == 403


def test_a_session_ends_after_its_lifetime(case_repo: Path) -> None:
    now = [1000.0]
    site = make_site(case_repo, author=AUTHOR)
    site.sessions = Sessions(lifetime=60, clock=lambda: now[0])
    client = login(site)
    assert client.get("/", base_url=BASE).status_code == 200
    now[0] += 61
    assert client.get("/", base_url=BASE).status_code == 403


# ---------------------------------------------------------------- Host, CSRF, Origin


@pytest.mark.parametrize("host", ["angriper.example:8765", "127.0.0.1:9999", "127.0.0.1", "localhost",
                                  "127.0.0.1:8765.angriper.example", ""])
def test_a_wrong_host_header_is_refused_even_with_a_session(web: Web, web_case: str, host: str) -> None:
    response = web.get(f"/sak/{web_case}", headers={"Host": host})
    assert response.status_code == 400
    assert "Kari" not in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "LOCALHOST:8765"])
def test_the_bound_address_is_accepted(case_repo: Path, host: str) -> None:
    site = make_site(case_repo, author=AUTHOR)
    client = create_app(site).test_client()
    url = f"http://{host.lower()}"
    assert client.get(f"/inn?token={site.sessions.login_token()}", base_url=url).status_code == 303
    assert client.get("/", base_url=url, headers={"Host": host}).status_code == 200


def test_host_values() -> None:
    assert host_values("127.0.0.1", 8765) == {"127.0.0.1:8765", "localhost:8765"}
    assert host_values("::1", 80) == {"[::1]:80", "[::1]", "localhost:80", "localhost"}
    assert host_values("0.0.0.0", 8080, ("skm.fylke.example",)) == {"0.0.0.0:8080", "skm.fylke.example:8080"}
    assert "skm.fylke.example:443" in host_values("127.0.0.1", 8080, ("skm.fylke.example:443",))


@pytest.mark.parametrize("csrf", [None, "", "feil-token"])
def test_a_post_without_the_pages_csrf_token_is_403_and_changes_nothing(web: Web, web_case: str,
                                                                         csrf: str | None) -> None:
    html = web.page(f"/sak/{web_case}")
    data = {key: values[0] for key, values in form_named(html, "log")["values"].items()}
    data["hendelse"] = "Skal ikke lagres."
    if csrf is None:
        del data["csrf"]
    else:
        data["csrf"] = csrf
    before = snapshot(web.root)
    response = web.post(f"/sak/{web_case}/handling/log", data)
    assert response.status_code == 403
    assert "Skjemaet ble ikke godtatt" in text_of(response.get_data(as_text=True))
    new = web.post("/ny", {"elev": "X", "csrf": csrf or ""})
    assert new.status_code == 403
    assert snapshot(web.root) == before


def test_another_sessions_csrf_token_is_refused(case_repo: Path) -> None:
    case_id = make_case(case_repo)
    site = make_site(case_repo, author=AUTHOR)
    mine, theirs = Web(login(site), site, case_repo), Web(login_again(site), site, case_repo)
    their_form = form_named(theirs.page(f"/sak/{case_id}"), "log")
    data = {key: values[0] for key, values in their_form["values"].items()}
    data["hendelse"] = "Med feil økt."
    before = snapshot(case_repo)
    assert mine.post(f"/sak/{case_id}/handling/log", data).status_code == 403
    assert snapshot(case_repo) == before


def login_again(site):
    client = create_app(site).test_client()
    client.get(f"/inn?token={site.sessions.login_token()}", base_url=BASE)
    return client


def test_a_post_from_another_origin_is_refused(web: Web, web_case: str) -> None:
    html = web.page(f"/sak/{web_case}")
    data = {key: values[0] for key, values in form_named(html, "log")["values"].items()}
    data["hendelse"] = "Fra en annen side."
    before = snapshot(web.root)
    response = web.post(f"/sak/{web_case}/handling/log", data, headers={"Origin": "http://angriper.example"})
    assert response.status_code == 403
    assert snapshot(web.root) == before
    ok = web.post(f"/sak/{web_case}/handling/log", data, headers={"Origin": BASE})
    assert ok.status_code == 303


def test_a_body_larger_than_a_case_file_is_refused(web: Web, web_case: str) -> None:
    response = web.post(f"/sak/{web_case}/handling/log", {"csrf": web.csrf(), "hendelse": "x" * 1_100_000})
    assert response.status_code == 413


# ---------------------------------------------------------------- text is text

PAYLOADS = ('<script>alert("skm")</script>', '"><img src=x onerror=alert(1)>', "{{ 7*7 }}{% raw %}",
            "</textarea><script>alert(2)</script>")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_in_every_free_text_field_is_inert_on_every_page(web: Web, payload: str) -> None:
    report = {"elev": payload, "klasse": payload, "under_18": "ja", "sakstype": "elev-elev", "meldt_av": "elev",
              "mottatt_av": payload, "mottatt": "2026-11-16", "beskrivelse": payload, "csrf": web.csrf()}
    assert web.post("/ny", report).status_code == 303
    case_id = "2026-0001"
    steps = [
        ("notify", {"mottaker": "rektor", "dato": "2026-11-16", "varslet_av": payload, "merknad": payload}),
        ("advance", {"til": "undersokes"}),
        ("investigate", {"type": "samtale", "med": payload, "oppsummering": payload, "dato": "2026-11-17"}),
        ("conclude", {"elevens_opplevelse": payload, "konklusjon": payload, "dato": "2026-11-17"}),
        ("hear", {"synspunkter": payload, "dato": "2026-11-17"}),
        ("best-interests", {"vurdering": payload, "dato": "2026-11-17"}),
        ("plan", {"problem": payload, "dato": "2026-11-17"}),
        ("tiltak-add", {"beskrivelse": payload, "fra": "2026-11-18", "til": "2026-12-18", "ansvarlig": payload,
                        "evalueres": "2026-11-20"}),
        ("advance", {"til": "tiltak"}),
        ("evaluate-T1", {"resultat": payload, "elevens_opplevelse": payload, "videre": "avslutt"}),
        ("close", {"begrunnelse": payload, "elevens_opplevelse": payload, "oppfolging": "2026-12-11"}),
        ("reopen", {"grunn": payload}),
        ("log", {"hendelse": payload}),
    ]
    for form_id, fields in steps:
        assert web.submit(case_id, form_id, fields).status_code == 303, form_id
    # A refusal shows the typed text again: inert there too.
    refused = web.submit(case_id, "conclude", {"elevens_opplevelse": payload, "konklusjon": ""})
    bodies = {"refusal": refused.get_data(as_text=True)}
    for path in ("/?navn=1", f"/sak/{case_id}", f"/sak/{case_id}/historikk", f"/sak/{case_id}/dokumenter",
                 "/arshjul", "/kontroll", f"/sak/{case_id}/dokument?dokument=saksdokumentasjon&format=html"):
        bodies[path] = web.page(path)
    for where, body in bodies.items():
        assert "<script" not in body, where
        assert "<img" not in body, where
    # Shown exactly as typed, as text.
    assert payload in text_of(bodies[f"/sak/{case_id}"])
    assert payload in text_of(bodies["refusal"])


# ---------------------------------------------------------------- two people at once


def test_a_stale_form_is_refused_with_a_clear_message_and_the_text_kept(case_repo: Path) -> None:
    case_id = make_case(case_repo)
    site = make_site(case_repo, author=AUTHOR)
    tone, per = Web(login(site), site, case_repo), Web(login_again(site), site, case_repo)
    tones_page = tone.page(f"/sak/{case_id}")
    # Per records something while Tone's page is open.
    assert per.submit(case_id, "log", {"hendelse": "Per var først."}).status_code == 303
    before = snapshot(case_repo)
    response = tone.submit(case_id, "log", {"hendelse": "Tones notat, skrevet på en gammel side."},
                           page=tones_page)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "Saken er endret siden du åpnet den" in text
    assert ("Sak 2026-0001 er endret etter at skjemaet ble åpnet (av noen andre eller i et annet vindu); "
            "ingenting er lagret.") in text
    assert "Det du skrev, står fortsatt i skjemaet." in text
    assert "Per var først." in text  # the case as it is now
    form = form_named(html, "log")
    assert form["values"]["hendelse"] == ["Tones notat, skrevet på en gammel side."]
    assert snapshot(case_repo) == before
    # Sent again from the page that shows the current case, it is saved: nothing was lost.
    again = tone.submit(case_id, "log", {}, page=html)
    assert again.status_code == 303
    saved = case_file(case_repo, case_id).read_text(encoding="utf-8")
    assert "Per var først." in saved and "Tones notat, skrevet på en gammel side." in saved


def test_writes_from_the_web_wait_for_the_same_lock_as_the_command_line(web: Web, web_case: str) -> None:
    from skolemiljo.storage.lock import write_lock

    before = snapshot(web.root)
    with write_lock(web.repo.state_dir):
        response = web.submit(web_case, "log", {"hendelse": "Mens en annen skriver."})
    assert response.status_code == 422
    text = text_of(response.get_data(as_text=True))
    assert "En annen skm-prosess skriver i saksarkivet akkurat nå." in text
    assert form_named(response.get_data(as_text=True), "log")["values"]["hendelse"] == ["Mens en annen skriver."]
    assert snapshot(web.root) == before


# ---------------------------------------------------------------- files


@pytest.mark.parametrize("path", [
    "/.skm/lock", "/.skm/cache/status.json", "/cases/2026-0001.yaml", "/skole.yaml", "/calendar.yaml",
    "/.git/config", "/templates/stil.css", "/static/../skole.yaml", "/static/%2e%2e/skole.yaml",
    "/static/..%2Fcases%2F2026-0001.yaml", "/static/..%2F..%2Fcases%2F2026-0001.yaml", "/static/skm.css/../../skole.yaml",
    "/static/.skm", "/static/", "/sak/2026-0001/../../cases/2026-0001.yaml", "/sak/2026-0001.yaml",
])
def test_nothing_from_the_repository_is_served_as_a_file(web: Web, web_case: str, path: str) -> None:
    (web.root / ".skm" / "cache").mkdir(parents=True, exist_ok=True)
    response = web.get(path)
    assert response.status_code in (404, 308), path
    body = response.get_data(as_text=True)
    assert "Kari Nordmann" not in body and "holdt utenfor" not in body and "skoleeier:" not in body


def test_only_the_stylesheet_is_a_static_file(web: Web) -> None:
    response = web.get("/static/skm.css")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    assert web.get("/static/app.py").status_code == 404
    assert web.get("/static/texts.py").status_code == 404


# ---------------------------------------------------------------- a shared server


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "skm.fylke.example"])
def test_a_shared_host_without_authentication_refuses_to_start(host: str) -> None:
    with pytest.raises(UsageError) as refused:
        check_config(ServeConfig(host=host, author=AUTHOR))
    assert refused.value.message == (f"skm serve vil ikke lytte på {host} uten innlogging: sakene gjelder barn og "
                                     "er unntatt offentlighet.")
    assert refused.value.exit_code == 2


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_this_computer_needs_no_proxy(host: str) -> None:
    check_config(ServeConfig(host=host, author=AUTHOR))


def test_a_shared_host_with_a_proxy_starts(case_repo: Path) -> None:
    from skolemiljo.storage.repository import CaseRepo
    from skolemiljo.web.security import ProxyAuth
    from skolemiljo.web.server import start

    config = ServeConfig(host="127.0.0.1", port=0, proxy=ProxyAuth(frozenset({"127.0.0.1"})))
    running = start(CaseRepo(case_repo), config)
    try:
        assert running.url == f"http://127.0.0.1:{running.port}/"
    finally:
        running.stop()
    with pytest.raises(UsageError, match="--proxy «proxy.example» er ingen IP-adresse"):
        check_config(ServeConfig(host="0.0.0.0", proxy=ProxyAuth(frozenset({"proxy.example"}))))


def test_the_server_collects_cyclic_garbage(case_repo: Path) -> None:
    """The one-shot commands turn Python's cyclic collector off (cli.app.main); a server runs for days."""
    import gc

    from skolemiljo.storage.repository import CaseRepo
    from skolemiljo.web.server import start

    gc.disable()
    try:
        running = start(CaseRepo(case_repo), ServeConfig(host="127.0.0.1", port=0, author=AUTHOR))
        running.stop()
        assert gc.isenabled()
    finally:
        gc.enable()


def test_the_identity_header_is_believed_only_from_the_proxy(proxied, case_repo: Path) -> None:
    site, client = proxied
    case_id = make_case(case_repo)
    elsewhere = {"REMOTE_ADDR": "10.9.8.8"}
    assert client.get("/", base_url=BASE, headers=PROXY_HEADERS, environ_base=elsewhere).status_code == 403
    assert client.get("/", base_url=BASE, environ_base={"REMOTE_ADDR": PROXY}).status_code == 403
    bad = {**PROXY_HEADERS, "X-Forwarded-Email": "ikke en adresse"}
    assert client.get("/", base_url=BASE, headers=bad, environ_base={"REMOTE_ADDR": PROXY}).status_code == 403
    https = "https://127.0.0.1:8765"
    ok = client.get("/", base_url=https, headers=PROXY_HEADERS, environ_base={"REMOTE_ADDR": PROXY})
    assert ok.status_code == 200
    cookie = ok.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Du er logget inn som Tone Berg <tone.berg@fylke.example.no>" in text_of(ok.get_data(as_text=True))
    # The person the proxy names is the author of the commit.
    page = client.get(f"/sak/{case_id}", base_url=https, headers=PROXY_HEADERS,
                      environ_base={"REMOTE_ADDR": PROXY}).get_data(as_text=True)
    data = {key: values[0] for key, values in form_named(page, "log")["values"].items()}
    data["hendelse"] = "Ført bak proxyen."
    response = client.post(f"/sak/{case_id}/handling/log", data=data, base_url=https, headers=PROXY_HEADERS,
                           environ_base={"REMOTE_ADDR": PROXY})
    assert response.status_code == 303
    assert commits(case_repo)[-1][1] == "Tone Berg <tone.berg@fylke.example.no>"
    assert "av: Tone Berg" in case_file(case_repo, case_id).read_text(encoding="utf-8")
    # The same session with another person in the header is another person: a new session.
    other = {**PROXY_HEADERS, "X-Forwarded-Email": "per@fylke.example.no", "X-Forwarded-Preferred-Username": "Per"}
    again = client.post(f"/sak/{case_id}/handling/log", data=data, base_url=https, headers=other,
                        environ_base={"REMOTE_ADDR": PROXY})
    assert again.status_code == 403
    assert commits(case_repo)[-1][1] == "Tone Berg <tone.berg@fylke.example.no>"


def test_proxy_identity_decodes_utf8_and_falls_back_to_the_mail_name(proxied, case_repo: Path) -> None:
    from skolemiljo.web.security import ProxyAuth

    auth = ProxyAuth(frozenset({PROXY}))
    latin1 = "Åse Ødegård".encode("utf-8").decode("latin-1")
    assert str(auth.identity(PROXY, {"X-Forwarded-Email": "ase@x.no", "X-Forwarded-Preferred-Username": latin1})) \
        == "Åse Ødegård <ase@x.no>"
    assert str(auth.identity(PROXY, {"X-Forwarded-Email": "ase@x.no"})) == "ase <ase@x.no>"
    assert str(auth.identity(PROXY, {"X-Forwarded-Email": "ase@x.no",
                                     "X-Forwarded-Preferred-Username": "Evil\nName <e@x.no>"})) == "ase <ase@x.no>"
    assert auth.identity("10.0.0.1", {"X-Forwarded-Email": "ase@x.no"}) is None
    assert auth.identity(None, {"X-Forwarded-Email": "ase@x.no"}) is None


def test_the_local_author_is_the_commit_author(web: Web, web_case: str) -> None:
    web.submit(web_case, "log", {"hendelse": "Ført lokalt."})
    assert commits(web.root)[-1][1] == AUTHOR_TEXT
