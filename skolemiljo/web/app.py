"""The Flask application of ``skm serve``: the security gate, the pages and the actions.

Every page reads through the services (``services.overview``, ``checks.runner``,
``render.api``, ``storage.history``) and every action is one call of ``services.cases`` or
``services.workflow`` (``forms``): the same guards, the same write lock and exactly one git
commit, with the person who acted as its author. A refused action shows the service's own
Norwegian reasons beside the form, with everything the user typed kept; a form made from a
version of the case that is no longer the current one is refused the same way (``StaleCaseError``).

Templates are Jinja2 in a ``SandboxedEnvironment`` with autoescaping: every value from a case,
``skole.yaml`` or a proxy header is text, never markup.
"""

from __future__ import annotations

import mimetypes
import threading
import traceback
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, redirect, request
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from skolemiljo.domain import dates
from skolemiljo.domain.author import Author
from skolemiljo.errors import SkmError, StaleCaseError, UsageError
from skolemiljo.storage.repository import CaseRepo, check_case_id
from skolemiljo.web import forms, views
from skolemiljo.web.security import (
    CSRF_FIELD,
    DOCUMENT_CSP,
    HEADERS,
    PAGE_CSP,
    SESSION_COOKIE,
    ProxyAuth,
    Session,
    Sessions,
    host_allowed,
    origin_allowed,
    same_secret,
)
from skolemiljo.web.texts import texts

HERE = Path(__file__).resolve().parent
STATIC_FILES = ("skm.css",)
MAX_BODY = 1_000_000  # bytes: a case file is at most this large, so no form needs more


@dataclass
class Site:
    """One ``skm serve``: the repository, who may connect, and how they are known."""

    repo: CaseRepo
    hosts: frozenset[str]
    sessions: Sessions
    author: Author | None = None  # on this computer: the person who started skm serve
    proxy: ProxyAuth | None = None  # on a shared server: the authenticating proxy

    @cached_property
    def static(self) -> dict[str, tuple[bytes, str]]:
        """The only files skm serves as files: its own stylesheet (read once; nothing from the repository)."""
        out = {}
        for name in STATIC_FILES:
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            out[name] = ((HERE / "static" / name).read_bytes(), f"{kind}; charset=utf-8")
        return out


def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=FileSystemLoader(str(HERE / "templates"), encoding="utf-8"),
                               autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               auto_reload=False)
    env.filters["linjer"] = lambda value: [] if value is None else str(value).splitlines()
    return env


def create_app(site: Site) -> Flask:
    app = Flask("skolemiljo.web", static_folder=None, template_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, MAX_FORM_MEMORY_SIZE=MAX_BODY, SECRET_KEY=None,
                      SESSION_COOKIE_NAME="skm_flask_unused")
    env = environment()
    # The overview, the årshjul and the checks read through caches in .skm/cache that one
    # process must not use from two threads at once: they take turns (each is well under 300 ms).
    caches = threading.Lock()
    ics_memo = _IcsMemo()

    # ------------------------------------------------------------ helpers

    def language() -> tuple[str, str, str | None]:
        """(målform, school name, a problem with skole.yaml) for the page furniture."""
        try:
            settings = site.repo.settings()
        except SkmError as error:
            return "nb", "skm", error.message
        return settings.malform, settings.skole, None

    def page(template: str, status: int = 200, **context: Any) -> Response:
        session: Session | None = getattr(g, "session", None)
        notices = []
        if session is not None:
            notices, session.notices[:] = list(session.notices), []
        context.setdefault("side", "")
        body = env.get_template(template).render(
            t=g.t, lang=g.malform, skole=g.skole, innstillingsfeil=g.settings_problem,
            bruker=str(session.author) if session else None, csrf=session.csrf if session else "",
            meldinger=notices, **context)
        return Response(body, status=status, mimetype="text/html")

    def refused(status: int, why: str) -> Response:
        """A request refused at the gate: a plain page that shows nothing from the repository."""
        t = texts("nb")
        body = env.get_template("avvist.html").render(t=t, lang="nb", tittel=t[f"avvist_{why}_tittel"],
                                                      tekst=t[f"avvist_{why}"])
        return Response(body, status=status, mimetype="text/html")

    def not_found(message: str | None = None) -> Response:
        return page("feil.html", 404, tittel=g.t["ikke_funnet"], tekst=message or g.t["ikke_funnet_tekst"],
                    skrevet=[])

    def author() -> Author:
        return g.session.author

    def today():
        return dates.today()

    # ------------------------------------------------------------ the gate

    @app.before_request
    def gate() -> Response | None:
        if not host_allowed(request.headers.get("Host"), site.hosts):
            return refused(400, "vert")
        cookie = request.cookies.get(SESSION_COOKIE)
        if site.proxy is not None:
            person = site.proxy.identity(request.remote_addr, request.headers)
            if person is None:
                return refused(403, "proxy")
            session = site.sessions.get(cookie)
            if session is None or session.author != person:
                session = site.sessions.open(person)
                g.new_cookie = session.id
        else:
            session = site.sessions.get(cookie)
            if session is None:
                if request.path == "/inn" and request.method == "GET":
                    return None  # the one-time token is exchanged there
                return refused(403, "innlogging")
        g.session = session
        if request.method == "POST":
            if not origin_allowed(request.headers.get("Origin"), request.host):
                return refused(403, "csrf")
            if not same_secret(request.form.get(CSRF_FIELD), session.csrf):
                return refused(403, "csrf")
        g.malform, g.skole, g.settings_problem = language()
        g.t = texts(g.malform)
        from skolemiljo.storage.transaction import recover_if_interrupted

        recover_if_interrupted(site.repo)
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        new_cookie = getattr(g, "new_cookie", None)
        if new_cookie:
            response.set_cookie(SESSION_COOKIE, new_cookie, max_age=int(site.sessions.lifetime), httponly=True,
                                samesite="Strict", secure=site.proxy is not None, path="/")
        return response

    @app.errorhandler(Exception)
    def internal(error: Exception) -> Response:
        from werkzeug.exceptions import HTTPException

        if isinstance(error, HTTPException):
            if error.code == 404 and hasattr(g, "t"):
                return not_found()
            return error.get_response()
        log = _log_internal_error(site.repo, error)
        if not hasattr(g, "t"):
            return refused(500, "intern")
        typed = [(key, value) for key, value in request.form.items(multi=True)
                 if key not in (CSRF_FIELD, "versjon", "tiltak") and value.strip()] if request.method == "POST" else []
        return page("feil.html", 500, tittel=g.t["intern_feil"], tekst=g.t["intern_feil_tekst"].format(logg=log),
                    skrevet=typed)

    # ------------------------------------------------------------ login and files

    @app.get("/inn")
    def login() -> Response:
        if getattr(g, "session", None) is not None:
            return redirect("/", code=303)
        session = site.sessions.redeem(request.args.get("token"), site.author) if site.author else None
        if session is None:
            return refused(403, "lenke")
        response = redirect("/", code=303)
        g.new_cookie = session.id
        return response

    @app.get("/static/<name>")
    def static_file(name: str) -> Response:
        found = site.static.get(name)
        if found is None:
            return not_found()
        body, kind = found
        response = Response(body, content_type=kind)
        response.headers["Cache-Control"] = "private, max-age=3600"
        return response

    # ------------------------------------------------------------ Oversikt

    @app.get("/")
    def overview() -> Response:
        names = request.args.get("navn") == "1"
        with caches:
            context = views.overview(site.repo, today(), names, g.malform, g.t)
        return page("oversikt.html", side="oversikt", o=context)

    # ------------------------------------------------------------ Ny melding

    def new_case_page(values: dict[str, Any], refusal: views.Refusal | None = None, status: int = 200) -> Response:
        fields = views.field_views("f-ny", forms.NEW_CASE_FIELDS, values, g.malform, g.t)
        return page("ny.html", status, side="ny", felt=fields, avvisning=refusal)

    @app.get("/ny")
    def new_case_form() -> Response:
        return new_case_page(forms.new_case_defaults(today(), author()))

    @app.post("/ny")
    def new_case() -> Response:
        try:
            case_id = forms.register(site.repo, author(), request.form, g.t)
        except SkmError as error:
            return new_case_page(_kept(request.form, forms.NEW_CASE_FIELDS),
                                 views.refusal(error, forms.NEW_CASE_FIELDS, g.t), 422)
        from skolemiljo.storage.casefiles import read_case

        data = read_case(site.repo, case_id).data
        g.session.notices.append({"type": "ny", "id": case_id, "prosedyre": views.procedure(data.get("sakstype"), g.t),
                                  "varsle": views.notify_now(data)})
        return redirect(f"/sak/{case_id}", code=303)

    # ------------------------------------------------------------ Sak

    def case_or_404(case_id: str) -> str | None:
        try:
            check_case_id(case_id)
            site.repo.existing_case_path(case_id)
        except UsageError:
            return None
        return case_id

    def case_page(case_id: str, status: int = 200, submitted=None) -> Response:
        context = views.case_page(site.repo, case_id, today(), g.malform, g.t, submitted)
        return page("sak.html", status, side="sak", fane="sak", s=context,
                    feilet=next((f for f in context["skjema"] if f.refusal is not None), None))

    @app.get("/sak/<case_id>")
    def show_case(case_id: str) -> Response:
        if case_or_404(case_id) is None:
            return not_found(g.t["ukjent_sak"])
        return case_page(case_id)

    @app.post("/sak/<case_id>/handling/<key>")
    def act(case_id: str, key: str) -> Response:
        action = forms.ACTIONS.get(key)
        if action is None or case_or_404(case_id) is None:
            return not_found()
        tiltak = request.form.get("tiltak") if action.per_tiltak else None
        version = request.form.get("versjon") or ""
        call = forms.Call(site.repo, case_id, author(), request.form, g.t, g.malform, version, tiltak,
                          action.fields)
        try:
            if not version:
                raise StaleCaseError(g.t["uten_versjon"])
            done = action.run(call)
        except SkmError as error:
            kept = _kept(request.form, action.fields)
            refusal = views.refusal(error, action.fields, g.t)
            return case_page(case_id, 409 if refusal.stale else 422, (key, tiltak, kept, refusal))
        g.session.notices.append({"type": "ok", "tekst": done})
        return redirect(f"/sak/{case_id}", code=303)

    @app.get("/sak/<case_id>/historikk")
    def history(case_id: str) -> Response:
        if case_or_404(case_id) is None:
            return not_found(g.t["ukjent_sak"])
        return page("historikk.html", side="sak", fane="historikk", id=case_id,
                    historikk=views.history(site.repo, case_id, g.malform))

    @app.get("/sak/<case_id>/dokumenter")
    def documents(case_id: str) -> Response:
        if case_or_404(case_id) is None:
            return not_found(g.t["ukjent_sak"])
        return documents_page(case_id)

    def documents_page(case_id: str, refusal: views.Refusal | None = None, status: int = 200) -> Response:
        from skolemiljo.render.i18n import DOCUMENTS

        return page("dokumenter.html", status, side="sak", fane="dokumenter", id=case_id, dokumenter=DOCUMENTS,
                    valgt=request.args.get("dokument") or "saksdokumentasjon",
                    format=request.args.get("format") or "pdf", malform_valgt=request.args.get("malform") or g.malform,
                    avvisning=refusal)

    @app.get("/sak/<case_id>/dokument")
    def document(case_id: str) -> Response:
        if case_or_404(case_id) is None:
            return not_found(g.t["ukjent_sak"])
        from skolemiljo.render.api import check_document, check_format, produce, resolve_malform

        try:
            document = check_document(request.args.get("dokument") or "")
            fmt = check_format(request.args.get("format") or "")
            settings = site.repo.settings()
            chosen = resolve_malform(request.args.get("malform") or None, settings)
            body = produce(site.repo, case_id, document, fmt, chosen, settings)
        except SkmError as error:
            return documents_page(case_id, views.refusal(error, (), g.t), 422)
        name = f"{case_id}-{document}-{chosen}.{fmt}"
        kind = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
                "md": "text/markdown; charset=utf-8"}[fmt]
        response = Response(body, content_type=kind)
        # HTML opens in the browser (to read or print); PDF and Markdown are saved as files.
        shown = "inline" if fmt == "html" else "attachment"
        response.headers["Content-Disposition"] = f'{shown}; filename="{name}"'
        response.headers["Content-Security-Policy"] = DOCUMENT_CSP
        return response

    # ------------------------------------------------------------ Årshjul, Kontroll

    @app.get("/arshjul")
    def calendar() -> Response:
        raw = request.args.get("uker") or "6"
        if not raw.isdigit() or not 1 <= int(raw) <= 60:
            return page("feil.html", 422, tittel=g.t["nav_arshjul"], tekst=g.t["ugyldige_uker"], skrevet=[])
        try:
            with caches:
                context = views.calendar(site.repo, today(), int(raw), g.malform)
        except SkmError as error:
            return page("feil.html", 422, tittel=g.t["nav_arshjul"], tekst=error.message, skrevet=[])
        return page("arshjul.html", side="arshjul", k=context)

    @app.get("/arshjul.ics")
    def calendar_file() -> Response:
        try:
            with caches:
                body = ics_memo(site.repo, today())
        except SkmError as error:
            return page("feil.html", 422, tittel=g.t["nav_arshjul"], tekst=error.message, skrevet=[])
        response = Response(body, content_type="text/calendar; charset=utf-8")
        response.headers["Content-Disposition"] = 'attachment; filename="arshjul.ics"'
        return response

    @app.get("/kontroll")
    def checks() -> Response:
        with caches:
            context = views.checks(site.repo, today())
        return page("kontroll.html", side="kontroll", k=context)

    return app


class _IcsMemo:
    """The .ics made once per content: what it is made of (calendar.yaml, the school's name, the
    day, every deadline) is cheap to read; writing 3,000 events with icalendar is not (~1 s)."""

    def __init__(self) -> None:
        self._known: tuple[Any, bytes] | None = None

    def __call__(self, repo: CaseRepo, day) -> bytes:
        from skolemiljo.services.overview import all_deadlines, calendar_ics

        try:
            calendar_bytes = repo.calendar_path.read_bytes()
        except OSError:
            calendar_bytes = b""
        key = (calendar_bytes, repo.settings().skole, day, tuple(all_deadlines(repo)))
        if self._known is not None and self._known[0] == key:
            return self._known[1]
        body = calendar_ics(repo, day)
        self._known = (key, body)
        return body


def _kept(form, fields: tuple[forms.Field, ...]) -> dict[str, Any]:
    """What the user typed into a form, to show it again after a refusal (nothing is thrown away)."""
    kept: dict[str, Any] = {}
    for item in fields:
        kept[item.name] = form.getlist(item.name) if item.kind == forms.CHECKBOXES else form.get(item.name, "")
    return kept


def _log_internal_error(repo: CaseRepo, error: Exception) -> str:
    """The traceback goes to a file under ``.skm/`` (never to the page or the terminal); returns its name."""
    folder = repo.state_dir / "logg"
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    text = f"{stamp} skm serve {request.method} {request.path}\n{''.join(traceback.format_exception(error))}\n"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "serve-feil.log", "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        pass
    return repo.rel(folder / "serve-feil.log")
