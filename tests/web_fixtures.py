"""Fixtures for the web interface: the Flask app of ``skm serve`` on a throwaway case repository.

``web`` is a logged-in browser made of Flask's test client: it has spent the one-time login
token, holds the session cookie, and sends the page's CSRF token and the case version the way
the pages' own forms do (``web.submit``). ``forms_of`` reads the forms of a page as a browser
sees them (hidden fields, typed values), so tests send exactly what a page offers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import AUTHOR, make_case
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.web.app import Site, create_app
from skolemiljo.web.security import ProxyAuth, Sessions, host_values

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


class _Forms(HTMLParser):
    """Every ``<form>`` of a page: its action, method, the id of the ``<details>`` around it, and
    the values a browser would send unchanged (hidden inputs, text, textareas, checked boxes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._details: list[str | None] = []
        self._form: dict[str, Any] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "details":
            self._details.append(a.get("id"))
        elif tag == "form":
            self._form = {"action": a.get("action"), "method": a.get("method", "get"),
                          "id": self._details[-1] if self._details else None, "values": {}, "names": []}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "button"):
            name = a.get("name")
            if not name:
                return
            self._form["names"].append(name)
            kind = a.get("type", "text")
            if tag == "input" and (kind in ("hidden", "text", "date", "number")
                                   or (kind in ("radio", "checkbox") and "checked" in a)):
                self._form["values"].setdefault(name, []).append(a.get("value", ""))
        elif self._form is not None and tag == "textarea":
            self._textarea = a.get("name")
            self._form["names"].append(self._textarea)
            self._form["values"][self._textarea] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self._details:
            self._details.pop()
        elif tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form["values"][self._textarea][0] += data


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_named(html: str, form_id: str) -> dict[str, Any]:
    for form in forms_of(html):
        if form["id"] == form_id:
            return form
    raise AssertionError(f"no form {form_id} on the page: {[f['id'] for f in forms_of(html)]}")


def text_of(html: str) -> str:
    """The page's text as a person reads it (tags removed, entities decoded, spaces collapsed)."""
    import html as html_module

    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


@dataclass
class Web:
    client: Any
    site: Site
    root: Path

    @property
    def repo(self) -> CaseRepo:
        return self.site.repo

    def get(self, path: str, **kwargs: Any):
        return self.client.get(path, base_url=BASE, **kwargs)

    def post(self, path: str, data: dict[str, Any], **kwargs: Any):
        return self.client.post(path, data=data, base_url=BASE, **kwargs)

    def page(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:2000])
        return response.get_data(as_text=True)

    def submit(self, case_id: str, form_id: str, fields: dict[str, Any] | None = None, *,
               page: str | None = None):
        """Fill in the form ``form_id`` of the case page (as it is now, or ``page``) and send it."""
        html = page if page is not None else self.page(f"/sak/{case_id}")
        form = form_named(html, form_id)
        data: dict[str, Any] = {key: values if len(values) > 1 else values[0]
                                for key, values in form["values"].items()}
        data.update(fields or {})
        return self.post(form["action"], data)

    def csrf(self) -> str:
        html = self.page("/ny")
        return form_named_action(html, "/ny")["values"]["csrf"][0]


def form_named_action(html: str, action: str) -> dict[str, Any]:
    for form in forms_of(html):
        if form["action"] == action:
            return form
    raise AssertionError(f"no form posting to {action}")


def make_site(root: Path, **kwargs: Any) -> Site:
    return Site(CaseRepo(root), host_values("127.0.0.1", PORT), Sessions(), **kwargs)


def login(site: Site):
    """A test client that has spent the one-time token and holds the session cookie."""
    client = create_app(site).test_client()
    response = client.get(f"/inn?token={site.sessions.login_token()}", base_url=BASE)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    return client


@pytest.fixture
def web(case_repo: Path) -> Web:
    site = make_site(case_repo, author=AUTHOR)
    return Web(login(site), site, case_repo)


@pytest.fixture
def web_case(web: Web) -> str:
    return make_case(web.root)


PROXY = "10.9.8.7"
PROXY_HEADERS = {"X-Forwarded-Email": "tone.berg@fylke.example.no", "X-Forwarded-Preferred-Username": "Tone Berg"}


@pytest.fixture
def proxied(case_repo: Path):
    """The app behind an authenticating proxy at ``PROXY`` (a shared server)."""
    site = make_site(case_repo, proxy=ProxyAuth(frozenset({PROXY})))
    return site, create_app(site).test_client()
