"""``skm check``: the CI gate for complete plans and legal deadlines (issue 4).

Registered on the shared Typer app; the work is in ``skolemiljo.checks``.
"""


import os
from typing import Annotated, Optional

import typer

from skolemiljo.cli.app import app, command, repo  # noqa: F401  (app: the command registers on it)
from skolemiljo.errors import UsageError

FORMAT_NAMES = ("text", "json", "github", "junit")


@command("check")
def check_cmd(
    ids: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="[KONTROLL]...", help="Kjør bare disse kontrollene (standard: alle)."),
    ] = None,
    ignore: Annotated[
        Optional[list[str]], typer.Option("--ignore", metavar="KONTROLL", help="Hopp over en kontroll; kan gis flere ganger.")
    ] = None,
    list_checks: Annotated[bool, typer.Option("--list", help="List alle kontrollene og avslutt.")] = False,
    fmt: Annotated[
        Optional[str],
        typer.Option("--format", metavar="FORMAT",
                     help="text, json, github eller junit (github er standard når GITHUB_ACTIONS=true)."),
    ] = None,
    today: Annotated[
        Optional[str], typer.Option("--today", metavar="DATO", help="Dagen fristene vurderes mot, ÅÅÅÅ-MM-DD (ellers SKM_TODAY eller i dag).")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Advarsler gir også utgangskode 1.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ikke bruk eller skriv mellomlageret i .skm/cache.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", hidden=True, min=1)] = None,
) -> None:
    """Kontroller alle saker: skjema, statuskrav, frister i arbeidsdager, datoer og historikk.

    Skriver én linje per funn, FIL:LINJE: error|warning [kontroll] melding, og til slutt en
    oppsummering. Utdata nevner saksnummer, tiltak, felt og datoer – aldri elevens navn eller
    tekst fra saken. Utgangskoder: 0 ingen feil (advarsler er lov), 1 feil (eller advarsler med
    --strict), 2 feil bruk. Se docs/checks.md for hver kontroll.

    Eksempler: skm check · skm check evaluering-forfalt status · skm check --ignore uten-aktivitet
    """
    from skolemiljo.checks import registry
    from skolemiljo.domain import dates

    name = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if name not in FORMAT_NAMES:
        raise UsageError(f"Ukjent format «{name}». Velg text, json, github eller junit.")
    if list_checks:
        from skolemiljo.checks.reporters import check_list

        typer.echo(check_list("json" if name == "json" else "text"), nl=False)
        return
    selected = registry.select(ids, ignore)
    day = dates.parse_date(today, "--today") if today else dates.today()
    case_repo = repo()

    from skolemiljo.checks.reporters import render
    from skolemiljo.checks.runner import run

    report = run(case_repo, selected, day, use_cache=not no_cache, jobs=jobs)
    typer.echo(render(report, name, strict), nl=False)
    if os.environ.get("SKM_CHECK_STATS"):
        typer.echo(f"statistikk: {report.stats}", err=True)
    raise typer.Exit(report.exit_code(strict))
