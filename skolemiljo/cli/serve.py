"""``skm serve``: start the web interface on this case repository (thin: parse, check, start)."""


import sys
from typing import Annotated, Optional

import typer

from skolemiljo.cli.app import AvOption, author_for, command, err, repo
from skolemiljo.errors import UsageError


def _web_extra_missing(missing: str) -> UsageError:
    return UsageError(
        f"skm serve trenger tilleggspakken for nettleseren (mangler {missing}).",
        hint="Installer den med `pip install \"skolemiljo[web]\"` (eller pipx: `pipx install \"skolemiljo[web]\"`).",
    )


@command("serve")
def serve_cmd(
    port: Annotated[int, typer.Option("--port", help="Porten skm lytter på (0: en ledig port).")] = 8765,
    host: Annotated[
        str, typer.Option("--host", help="Adressen skm lytter på. Standard 127.0.0.1: bare denne maskinen.")
    ] = "127.0.0.1",
    open_browser: Annotated[bool, typer.Option("--open", help="Åpne nettleseren med innloggingslenken.")] = False,
    proxy: Annotated[
        Optional[list[str]],
        typer.Option("--proxy", metavar="IP",
                     help="Adressen til den innloggende proxyen foran skm (delt tjener). Bare forespørsler "
                     "derfra godtas, og brukeren den oppgir, står som forfatter av endringene."),
    ] = None,
    email_header: Annotated[
        str, typer.Option("--proxy-epost", metavar="HTTP-FELT", help="Feltet proxyen oppgir e-postadressen i.")
    ] = "X-Forwarded-Email",
    name_header: Annotated[
        str, typer.Option("--proxy-navn", metavar="HTTP-FELT", help="Feltet proxyen oppgir navnet i.")
    ] = "X-Forwarded-Preferred-Username",
    allowed_host: Annotated[
        Optional[list[str]],
        typer.Option("--tillat-vert", metavar="NAVN",
                     help="Et vertsnavn proxyen sender videre (for eksempel skm.fylke.no), i tillegg til adressen "
                     "skm lytter på."),
    ] = None,
    av: AvOption = None,
) -> None:
    """Vis saksarkivet i nettleseren: oversikt, ny melding, saker, dokumenter, årshjul og kontroll.

    Uten valg lytter skm bare på denne maskinen (127.0.0.1) og skriver ut en lenke som logger
    deg inn én gang; alt du gjør i nettleseren, lagres med deg som forfatter, akkurat som på
    kommandolinjen. Stopp med Ctrl+C.

    På en delt tjener (--host 0.0.0.0 eller en annen adresse) starter skm bare bak en proxy som
    logger brukerne inn (for eksempel oauth2-proxy med Feide eller Entra ID): oppgi proxyens
    adresse med --proxy. Se README, «Nettleser».

    Eksempel: skm serve --open
    """
    try:
        import flask  # noqa: F401
        import waitress  # noqa: F401
    except ImportError as missing:
        raise _web_extra_missing(missing.name or "flask") from None
    from skolemiljo.web.server import ProxyAuth, ServeConfig, serve_forever, start, warm_up

    case_repo = repo()
    auth = ProxyAuth(frozenset(proxy), email_header, name_header or None) if proxy else None
    author = None if auth is not None else author_for(case_repo.root, av)
    config = ServeConfig(host=host, port=port, author=author, proxy=auth, extra_hosts=tuple(allowed_host or ()))
    running = start(case_repo, config)
    settings_name = case_repo.settings().skole
    warm_up(case_repo)
    if auth is None:
        typer.echo(f"skm serve: {settings_name}")
        typer.echo("Åpne denne lenken i nettleseren (den virker én gang):")
        typer.echo(f"  {running.url}")
        typer.echo(f"Endringene lagres med {author} som forfatter. Stopp med Ctrl+C.")
    else:
        typer.echo(f"skm serve: {settings_name} på {running.url} bak proxyen {', '.join(sorted(auth.addresses))}.")
        typer.echo("Stopp med Ctrl+C.")
    sys.stdout.flush()  # the link must reach whoever reads it (a terminal, a test, systemd's journal) now
    opener = None
    if open_browser:
        import webbrowser

        opener = webbrowser.open
    try:
        serve_forever(running, opener)  # until Ctrl+C (waitress ends its loop on it)
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    err("skm serve er stoppet.")
