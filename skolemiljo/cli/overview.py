"""``skm status`` (the weekly lederforum) and ``skm calendar`` (what is due, .ics export)."""


from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from skolemiljo.cli.app import command, repo
from skolemiljo.domain import dates
from skolemiljo.domain.text import json_for_terminal

TodayOpt = Annotated[
    Optional[str], typer.Option("--today", help="Dagen oversikten gjelder, ÅÅÅÅ-MM-DD (standard: i dag / SKM_TODAY).")
]


def _today(value: str | None) -> date:
    return dates.parse_date(value, "--today") if value else dates.today()


@command("status")
def status_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Skriv oversikten som JSON.")] = False,
    navn: Annotated[bool, typer.Option("--navn", help="Ta med elevens navn (ellers bare saksnummer og klasse).")] = False,
    html: Annotated[Optional[Path], typer.Option("--html", help="Skriv et utskriftsark for møtet som HTML hit.", dir_okay=False)] = None,
    pdf: Annotated[Optional[Path], typer.Option("--pdf", help="Skriv utskriftsarket som PDF/A hit (krever skolemiljo[pdf]).", dir_okay=False)] = None,
    prosedyre_c: Annotated[bool, typer.Option(
        "--prosedyre-c", help="Ta med saker etter prosedyre C (en i ledelsen krenker elev), aldri med navn.")] = False,
    today: TodayOpt = None,
) -> None:
    """Oversikt for ukentlig lederforum: åpne saker med neste frist, forfalte frister først.

    Saker etter prosedyre C (en i skolens ledelse krenker en elev, [hjemmel:skjerpa_ledelse]) følges opp
    av skoleeier og vises ikke i skolens egen oversikt uten --prosedyre-c; da vises de uten navn.
    En avsluttet sak med avtalt oppfølging som er passert, står med de åpne sakene til oppfølgingen
    er registrert (`skm follow-up`).

    Viser åpne saker etter status og sakstype, arbeidsdager åpen og neste frist, saker avsluttet
    de siste 30 dagene, og antall saker per kategori og sakstype dette skoleåret.
    Elevnavn vises bare med --navn.
    """
    from skolemiljo.services.overview import status_overview

    from skolemiljo.storage.atomic import output_file

    html = output_file(html, "--html") if html is not None else None
    pdf = output_file(pdf, "--pdf") if pdf is not None else None
    case_repo = repo()
    overview = status_overview(case_repo, _today(today), with_names=navn, include_c=prosedyre_c)
    if html is not None or pdf is not None:
        from skolemiljo.services.overview import write_sheet

        for path in write_sheet(case_repo, overview, with_names=navn, html=html, pdf=pdf):
            typer.echo(str(path))
        return
    if as_json:
        typer.echo(json_for_terminal(overview.as_json()))
        return
    _print_status(overview, navn)


def _print_status(overview, navn: bool) -> None:
    """The overview as plain text tables (``--json`` for programs, ``--html``/``--pdf`` for print)."""
    from skolemiljo.domain.presentation import text_table

    lines = []
    if overview.open:
        headers = ["Saksnr", "Status", "Sakstype", "Klasse", *(["Navn"] if navn else []), "Arb.dager",
                   "Forfalt", "Neste frist"]
        overdue_column = headers.index("Forfalt")
        rows = []
        for row in overview.open:
            overdue = "; ".join(f"{d['hva']} ({dates.format_date(d['frist'])})" for d in row["forfalt"])
            upcoming = row["neste_frist"]
            next_text = f"{upcoming['hva']} ({dates.format_date(upcoming['frist'])})" if upcoming else "–"
            rows.append([str(row["id"]), str(row["status"]), str(row["sakstype"]), str(row["klasse"] or "–"),
                         *([str(row.get("navn") or "–")] if navn else []), str(row["arbeidsdager_apen"]),
                         overdue or "–", next_text])

        def red_when_overdue(column: int, cell: str) -> str:
            # Colour only in a terminal: typer.echo drops it in files and CI logs.
            return typer.style(cell, fg="red", bold=True) if column == overdue_column and cell.strip() != "–" else cell

        lines += [f"Åpne saker {dates.format_date(overview.today)}", *text_table(headers, rows, red_when_overdue)]
    else:
        lines.append("Ingen åpne saker.")
    if overview.recently_closed:
        headers = ["Saksnr", "Sakstype", "Klasse", *(["Navn"] if navn else []), "Avsluttet", "Oppfølging"]
        rows = [[str(row["id"]), str(row["sakstype"]), str(row["klasse"] or "–"),
                 *([str(row.get("navn") or "–")] if navn else []), dates.format_date(row["avsluttet"]),
                 dates.format_date(row["oppfolging"]) if row["oppfolging"] else "–"]
                for row in overview.recently_closed]
        lines += ["", "Avsluttet de siste 30 dagene", *text_table(headers, rows)]
    counts = overview.counts
    kinds = ", ".join(f"{k} {v}" for k, v in counts["sakstyper"].items()) or "ingen"
    categories = ", ".join(f"{k} {v}" for k, v in counts["kategorier"].items()) or "ingen"
    overdue_total = sum(len(r["forfalt"]) for r in overview.open)
    lines += ["", f"Skoleåret ({dates.format_date(counts['fra'])} – {dates.format_date(counts['til'])}): "
              f"sakstyper: {kinds}; kategorier: {categories}.",
              f"{len(overview.open)} åpne saker, {overdue_total} forfalte frister.",
              meetings_line(overview.last_meetings)]
    typer.echo("\n".join(lines))


def meetings_line(last: dict) -> str:
    """``Siste lederforum: 2. desember 2026; siste TRK-møte: ingen registrert.``"""
    def when(kind: str) -> str:
        return dates.format_date(last[kind]) if last.get(kind) else "ingen registrert"

    return f"Siste lederforum: {when('lederforum')}; siste TRK-møte: {when('trk')}."


@command("calendar")
def calendar_cmd(
    uker: Annotated[int, typer.Option("--uker", min=1, max=60, help="Hvor mange uker framover (standard 2).")] = 2,
    ics: Annotated[
        Optional[Path], typer.Option("--ics", help="Eksporter hele skoleåret som iCalendar-fil (.ics) hit.", dir_okay=False)
    ] = None,
    today: TodayOpt = None,
) -> None:
    """Hva skjer de neste ukene: årshjulets rutiner og sakenes frister, uke for uke.

    Med --ics FIL skrives hele skoleåret (årshjul og frister) som en kalenderfil som kan
    abonneres på i Outlook eller Google Kalender. Frister nevner bare saksnummer.
    """
    from skolemiljo.services.overview import calendar_ics, calendar_view
    from skolemiljo.storage.atomic import output_file

    ics = output_file(ics, "--ics") if ics is not None else None
    case_repo = repo()
    day = _today(today)
    if ics is not None:
        from skolemiljo.storage.atomic import write_atomic

        write_atomic(ics, calendar_ics(case_repo, day))
        typer.echo(str(ics))
        return
    view = calendar_view(case_repo, day, uker)
    if view.overdue:
        typer.echo("Forfalt:")
        for item in view.overdue:
            typer.echo(f"  {dates.format_date(item.due)}  {item.case_id}: {item.what}")
        typer.echo("")
    for week in view.weeks:
        typer.echo(f"Uke {week.number} ({dates.format_date(week.first)} – {dates.format_date(week.last)})")
        if not week.routines and not week.deadlines:
            typer.echo("  –")
        for item in week.routines:
            when = f"hver {item.weekly}" if item.weekly else (
                dates.format_date(item.first) if item.first == item.last
                else f"{dates.format_date(item.first)} – {dates.format_date(item.last)}")
            typer.echo(f"  {item.title} ({when}; {item.who})" if item.who else f"  {item.title} ({when})")
        for item in week.deadlines:
            typer.echo(f"  Frist {dates.format_date(item.due)}: {item.case_id}: {item.what}")
        typer.echo("")
    if view.all_year:
        typer.echo("Hele året: " + "; ".join(view.all_year))
