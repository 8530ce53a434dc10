"""One ``skm serve``: its settings, checked before it starts, and the waitress server.

On this computer (the default, ``127.0.0.1``) the person who starts ``skm serve`` is the author
of every change, and the browser logs in with a one-time link. On a shared server (any other
``--host``) skm refuses to start unless authentication is configured: an authenticating
reverse proxy at a given address, whose header names the person who acts. That configuration
comes from the command line (or the systemd unit), never from the case repository, which
arrives through ``skm sync`` and is not trusted.
"""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass
from typing import Callable

from skolemiljo.domain.author import Author
from skolemiljo.errors import UsageError
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.web.security import ProxyAuth, Sessions, host_values, is_loopback

__all__ = ["DEFAULT_PORT", "ProxyAuth", "Running", "ServeConfig", "check_config", "serve_forever", "start",
           "warm_up"]

DEFAULT_PORT = 8765
THREADS = 4


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    author: Author | None = None  # on this computer: who acts
    proxy: ProxyAuth | None = None  # on a shared server: who logs people in
    extra_hosts: tuple[str, ...] = ()  # Host names the proxy may forward (its public name)


def check_config(config: ServeConfig) -> None:
    """Refuse a configuration that would put the cases on a network without authentication."""
    if not 0 <= config.port <= 65535:
        raise UsageError(f"Ugyldig port {config.port}: bruk et tall fra 1 til 65535 (0: en ledig port).")
    if config.proxy is None and not is_loopback(config.host):
        raise UsageError(
            f"skm serve vil ikke lytte på {config.host} uten innlogging: sakene gjelder barn og er "
            "unntatt offentlighet.",
            hint="På denne maskinen: la --host være (127.0.0.1). På en delt tjener: sett en innloggende "
            "proxy foran skm og oppgi adressen dens med --proxy (se README, «Nettleser»).",
        )
    if config.proxy is not None:
        for address in config.proxy.addresses:
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise UsageError(f"--proxy «{address}» er ingen IP-adresse (for eksempel 127.0.0.1).") from None
        for header in (config.proxy.email_header, config.proxy.name_header):
            if header is not None and (not header or not all(c.isalnum() or c == "-" for c in header)):
                raise UsageError(f"Ugyldig navn på HTTP-felt «{header}».")
    elif config.author is None:
        raise UsageError("skm serve må vite hvem som gjør endringene.",
                         hint='Bruk --av "Navn <epost>", sett SKM_AV, eller sett git config user.name og user.email.')


@dataclass
class Running:
    """A started server: its URL and how to stop it."""

    url: str
    port: int
    server: object
    sessions: Sessions

    def stop(self) -> None:
        self.server.close()  # type: ignore[attr-defined]


def start(repo: CaseRepo, config: ServeConfig) -> Running:
    """Bind the address and build the application; ``serve_forever`` then answers requests.

    The cyclic garbage collector, which the one-shot commands turn off (``cli.app.main``), is on:
    a server runs for days."""
    import gc

    from waitress.server import create_server

    gc.enable()

    from skolemiljo.web.app import Site, create_app

    check_config(config)
    sessions = Sessions()
    site = Site(repo, frozenset(), sessions, author=config.author, proxy=config.proxy)
    app = create_app(site)
    try:
        server = create_server(app, host=config.host, port=config.port, threads=THREADS, ident="skm",
                               clear_untrusted_proxy_headers=True, expose_tracebacks=False,
                               max_request_body_size=2_000_000)
    except OSError as error:
        raise UsageError(f"Kan ikke lytte på {config.host}:{config.port}: {error.strerror or error}.",
                         hint="Velg en annen port med --port.") from None
    port = server.effective_port  # type: ignore[union-attr]
    site.hosts = host_values(config.host, port, config.extra_hosts)
    shown = f"[{config.host}]" if ":" in config.host else config.host
    base = f"http://{shown}:{port}"
    url = f"{base}/inn?token={sessions.login_token()}" if config.proxy is None else f"{base}/"
    return Running(url, port, server, sessions)


def warm_up(repo: CaseRepo) -> None:
    """Before the first request (and before any request thread exists): fill the status cache, and
    import what the pages use, so that no person waits for either."""
    import importlib

    from skolemiljo.domain import dates
    from skolemiljo.services.overview import status_overview

    for module in ("skolemiljo.web.views", "skolemiljo.render.context", "skolemiljo.render.engine",
                   "skolemiljo.checks.runner", "skolemiljo.checks.reporters", "skolemiljo.storage.history",
                   "skolemiljo.domain.presentation", "skolemiljo.services.workflow", "icalendar", "babel.dates"):
        importlib.import_module(module)
    try:
        status_overview(repo, dates.today())
    except Exception:  # a broken case or calendar is shown on the page, not here
        pass


def serve_forever(running: Running, opened: Callable[[str], object] | None = None) -> None:
    if opened is not None:
        threading.Timer(0.3, opened, args=(running.url,)).start()
    running.server.run()  # type: ignore[attr-defined]
