"""``skm`` commands for the aktivitetsplikt workflow (thin: parse, call ``workflow``, print)."""


import enum
from datetime import date
from typing import Annotated, Optional

import typer

from skolemiljo.cli import prompts
from skolemiljo.cli.app import (
    AvOption,
    Status,
    app,
    author_for,
    command,
    repo,
)
from skolemiljo.cli.failures import SkmGroup
from skolemiljo.cli.prompts import ask_text
from skolemiljo.domain import dates, model
from skolemiljo.domain.legal import cite

CaseArg = Annotated[str, typer.Argument(metavar="SAKSNR", help="Saksnummeret, f.eks. 2026-0007.")]
DateOpt = Annotated[Optional[str], typer.Option("--dato", help="Datoen det skjedde, ÅÅÅÅ-MM-DD (standard: i dag).")]
NoInput = Annotated[bool, typer.Option("--no-input", help="Aldri spør; manglende verdier er en feil.")]

Aktivitet = enum.Enum("Aktivitet", {v: v for v in model.AKTIVITET_TYPER}, type=str)  # type: ignore[misc]
Videre = enum.Enum("Videre", {v: v for v in model.VIDERE}, type=str)  # type: ignore[misc]
Mottaker = enum.Enum("Mottaker", {"rektor": "rektor", "skoleeier": "skoleeier"}, type=str)  # type: ignore[misc]

tiltak_app = typer.Typer(
    help=f"Tiltak i aktivitetsplanen: legg til, endre og avslutt ({cite('plan')}).",
    rich_markup_mode=None, no_args_is_help=True, cls=SkmGroup,
)
app.add_typer(tiltak_app, name="tiltak")


def _day(value: str | None, option: str) -> date | None:
    return dates.parse_date(value, option) if value else None


def _required_day(value: str | None, option: str, prompt: str, ask: bool) -> date:
    return dates.parse_date(ask_text(value, prompt, option, ask), option)


def _done(text: str) -> None:
    typer.echo(text)


# -------------------------------------------------------------------- status

@command("advance")
def advance_cmd(
    case_id: CaseArg,
    to: Annotated[Optional[Status], typer.Option("--to", help="Ny status (standard: neste trinn).")] = None,
    av: AvOption = None,
) -> None:
    """Flytt saken til neste status når alt loven krever er dokumentert.

    mottatt → undersokes → tiltak → avsluttet. Fra mottatt eller undersokes kan saken gå rett til
    avsluttet når undersøkelsen viser at eleven selv opplever skolemiljøet som trygt og godt.
    Mangler noe, avvises endringen (kode 1) med en liste over hva som mangler og hjemmelen.
    """
    from skolemiljo.services.workflow import advance

    case_repo = repo()
    result = advance(case_repo, case_id, author_for(case_repo.root, av), to.value if to else None)
    _done(f"Sak {result.case_id}: {model.shown_status(result.before)} → {model.shown_status(result.after)}.")


# ------------------------------------------------------------------ varsling

@command("notify")
def notify_cmd(
    case_id: CaseArg,
    mottaker: Annotated[Mottaker, typer.Argument(help="Hvem som ble varslet: rektor eller skoleeier.")],
    dato: DateOpt = None,
    varslet_av: Annotated[Optional[str], typer.Option("--varslet-av", help="Hvem som varslet (standard: deg).")] = None,
    merknad: Annotated[Optional[str], typer.Option("--merknad", help="Hvordan: telefon, e-post, møte …")] = None,
    av: AvOption = None,
) -> None:
    """Registrer at rektor eller skoleeier er varslet ([hjemmel:melde], [hjemmel:skjerpa]).

    Eksempel: skm notify 2026-0007 rektor --dato 2026-10-12 --varslet-av "Per Haugen"
    """
    from skolemiljo.services.workflow import notify

    case_repo = repo()
    notify(case_repo, case_id, author_for(case_repo.root, av), mottaker.value, _day(dato, "--dato"),
           varslet_av, merknad)
    _done(f"Sak {case_id}: {mottaker.value} varslet.")


# -------------------------------------------------------------- undersøkelse

@command("investigate")
def investigate_cmd(
    case_id: CaseArg,
    type_: Annotated[Aktivitet, typer.Option("--type", help="samtale, observasjon, kartlegging, dokumentgjennomgang, annet.")],
    oppsummering: Annotated[Optional[str], typer.Option("--oppsummering", help="Hva som kom fram.")] = None,
    med: Annotated[Optional[str], typer.Option("--med", help="Hvem aktiviteten var med, f.eks. «eleven og foresatte».")] = None,
    dato: DateOpt = None,
    no_input: NoInput = False,
    av: AvOption = None,
) -> None:
    """Registrer en undersøkelsesaktivitet ([hjemmel:undersoke]). Den første markerer at undersøkelsen startet."""
    from skolemiljo.services.workflow import investigate

    case_repo = repo()
    author = author_for(case_repo.root, av)
    summary = ask_text(oppsummering, "Oppsummering", "--oppsummering", prompts.interactive(no_input))
    investigate(case_repo, case_id, author, type_.value, summary, med, _day(dato, "--dato"))
    _done(f"Sak {case_id}: undersøkelsesaktivitet registrert.")


@command("conclude")
def conclude_cmd(
    case_id: CaseArg,
    elevens_opplevelse: Annotated[Optional[str], typer.Option("--elevens-opplevelse", help="Elevens egen opplevelse – den er avgjørende.")] = None,
    konklusjon: Annotated[Optional[str], typer.Option("--konklusjon", help="Har eleven et trygt og godt skolemiljø? Hva skjer videre?")] = None,
    dato: DateOpt = None,
    no_input: NoInput = False,
    av: AvOption = None,
) -> None:
    """Registrer elevens egen opplevelse og konklusjonen på undersøkelsen ([hjemmel:elevens_opplevelse])."""
    from skolemiljo.services.workflow import conclude

    case_repo = repo()
    author = author_for(case_repo.root, av)
    ask = prompts.interactive(no_input)
    experience = ask_text(elevens_opplevelse, "Elevens egen opplevelse", "--elevens-opplevelse", ask)
    conclusion = ask_text(konklusjon, "Konklusjon", "--konklusjon", ask)
    conclude(case_repo, case_id, author, experience, conclusion, _day(dato, "--dato"))
    _done(f"Sak {case_id}: undersøkelsen er konkludert.")


@command("hear")
def hear_cmd(
    case_id: CaseArg,
    synspunkter: Annotated[Optional[str], typer.Option("--synspunkter", help="Elevens synspunkter, gjerne med egne ord.")] = None,
    dato: DateOpt = None,
    no_input: NoInput = False,
    av: AvOption = None,
) -> None:
    """Registrer elevens stemme: eleven er hørt ([hjemmel:medvirkning]). Før planen og ved hver evaluering."""
    from skolemiljo.services.workflow import hear

    case_repo = repo()
    author = author_for(case_repo.root, av)
    views = ask_text(synspunkter, "Elevens synspunkter", "--synspunkter", prompts.interactive(no_input))
    hear(case_repo, case_id, author, views, _day(dato, "--dato"))
    _done(f"Sak {case_id}: elevens stemme er registrert.")


@command("best-interests")
def best_interests_cmd(
    case_id: CaseArg,
    vurdering: Annotated[Optional[str], typer.Option("--vurdering", help="Vurderingen av hva som er best for eleven.")] = None,
    dato: DateOpt = None,
    no_input: NoInput = False,
    av: AvOption = None,
) -> None:
    """Registrer vurderingen av elevens beste ([hjemmel:elevens_beste]). Mangler den, er det en saksbehandlingsfeil."""
    from skolemiljo.services.workflow import best_interests

    case_repo = repo()
    author = author_for(case_repo.root, av)
    assessment = ask_text(vurdering, "Vurdering av elevens beste", "--vurdering", prompts.interactive(no_input))
    best_interests(case_repo, case_id, author, assessment, _day(dato, "--dato"))
    _done(f"Sak {case_id}: elevens beste er vurdert.")


# -------------------------------------------------------------------- plan

@command("plan")
def plan_cmd(
    case_id: CaseArg,
    problem: Annotated[Optional[str], typer.Option("--problem", help="Hvilket problem tiltakene skal løse (bokstav a).")] = None,
    dato: DateOpt = None,
    no_input: NoInput = False,
    av: AvOption = None,
) -> None:
    """Skriv aktivitetsplanens problembeskrivelse og dato ([hjemmel:plan_a]).

    Tiltakene (bokstav b–e) legges til med `skm tiltak add`. Planen kan skrives som utkast mens
    saken undersøkes, men må være komplett før `skm advance SAKSNR --to tiltak`.
    """
    from skolemiljo.services.workflow import plan

    case_repo = repo()
    author = author_for(case_repo.root, av)
    text = ask_text(problem, "Hvilket problem skal tiltakene løse", "--problem", prompts.interactive(no_input))
    plan(case_repo, case_id, author, text, _day(dato, "--dato"))
    _done(f"Sak {case_id}: aktivitetsplanen er oppdatert.")


@command("add", on=tiltak_app)
def tiltak_add_cmd(
    case_id: CaseArg,
    beskrivelse: Annotated[Optional[str], typer.Option("--beskrivelse", help="Hva skolen skal gjøre (bokstav b).")] = None,
    fra: Annotated[Optional[str], typer.Option("--fra", help="Når tiltaket starter, ÅÅÅÅ-MM-DD (bokstav c).")] = None,
    til: Annotated[Optional[str], typer.Option("--til", help="Når tiltaket slutter, ÅÅÅÅ-MM-DD (bokstav c).")] = None,
    ansvarlig: Annotated[Optional[str], typer.Option("--ansvarlig", help="Hvem som gjennomfører tiltaket (bokstav d).")] = None,
    evalueres: Annotated[Optional[str], typer.Option("--evalueres", help="Når tiltaket evalueres, ÅÅÅÅ-MM-DD (bokstav e).")] = None,
    no_input: NoInput = False,
    av: AvOption = None,
) -> None:
    """Legg til et tiltak med alle lovens elementer; får neste ledige id (T1, T2, …)."""
    from skolemiljo.services.workflow import add_tiltak

    case_repo = repo()
    author = author_for(case_repo.root, av)
    ask = prompts.interactive(no_input)
    description = ask_text(beskrivelse, "Hva skal skolen gjøre", "--beskrivelse", ask)
    start = _required_day(fra, "--fra", "Fra dato (ÅÅÅÅ-MM-DD)", ask)
    end = _required_day(til, "--til", "Til dato (ÅÅÅÅ-MM-DD)", ask)
    responsible = ask_text(ansvarlig, "Hvem gjennomfører tiltaket", "--ansvarlig", ask)
    evaluate_on = _required_day(evalueres, "--evalueres", "Evalueres (ÅÅÅÅ-MM-DD)", ask)
    tiltak_id = add_tiltak(case_repo, case_id, author, description, start, end, responsible, evaluate_on)
    _done(f"Sak {case_id}: tiltak {tiltak_id} er lagt til.")


@command("change", on=tiltak_app)
def tiltak_change_cmd(
    case_id: CaseArg,
    tiltak_id: Annotated[str, typer.Argument(metavar="TILTAK", help="Tiltakets id, f.eks. T1.")],
    beskrivelse: Annotated[Optional[str], typer.Option("--beskrivelse", help="Ny beskrivelse.")] = None,
    fra: Annotated[Optional[str], typer.Option("--fra", help="Ny startdato.")] = None,
    til: Annotated[Optional[str], typer.Option("--til", help="Ny sluttdato.")] = None,
    ansvarlig: Annotated[Optional[str], typer.Option("--ansvarlig", help="Ny ansvarlig.")] = None,
    evalueres: Annotated[Optional[str], typer.Option("--evalueres", help="Ny evalueringsdato.")] = None,
    av: AvOption = None,
) -> None:
    """Endre et tiltak. Planen må fortsatt være komplett mens saken har status tiltak."""
    from skolemiljo.services.workflow import change_tiltak

    case_repo = repo()
    change_tiltak(case_repo, case_id, author_for(case_repo.root, av), tiltak_id, description=beskrivelse,
                  start=_day(fra, "--fra"), end=_day(til, "--til"), responsible=ansvarlig,
                  evaluate_on=_day(evalueres, "--evalueres"))
    _done(f"Sak {case_id}: tiltak {tiltak_id} er endret.")


@command("end", on=tiltak_app)
def tiltak_end_cmd(
    case_id: CaseArg,
    tiltak_id: Annotated[str, typer.Argument(metavar="TILTAK", help="Tiltakets id, f.eks. T1.")],
    dato: DateOpt = None,
    av: AvOption = None,
) -> None:
    """Avslutt et tiltak. Det blir stående i planen med sluttdato; ingenting slettes."""
    from skolemiljo.services.workflow import end_tiltak

    case_repo = repo()
    end_tiltak(case_repo, case_id, author_for(case_repo.root, av), tiltak_id, _day(dato, "--dato"))
    _done(f"Sak {case_id}: tiltak {tiltak_id} er avsluttet.")


# --------------------------------------------------------------- evaluering

@command("evaluate")
def evaluate_cmd(
    case_id: CaseArg,
    tiltak_id: Annotated[str, typer.Argument(metavar="TILTAK", help="Tiltakets id, f.eks. T1.")],
    resultat: Annotated[Optional[str], typer.Option("--resultat", help="Hva evalueringen viste.")] = None,
    elevens_opplevelse: Annotated[Optional[str], typer.Option("--elevens-opplevelse", help=f"Elevens egen opplevelse nå ({cite('medvirkning')}).")] = None,
    videre: Annotated[Optional[Videre], typer.Option("--videre", help="fortsett, endre eller avslutt.")] = None,
    neste_evaluering: Annotated[Optional[str], typer.Option("--neste-evaluering", help="Neste evalueringsdato når tiltaket fortsetter.")] = None,
    dato: DateOpt = None,
    no_input: NoInput = False,
    av: AvOption = None,
) -> None:
    """Registrer en evaluering av et tiltak, med elevens opplevelse ([hjemmel:plan_e], [hjemmel:medvirkning]).

    Fortsetter tiltaket (fortsett/endre), kreves --neste-evaluering. Med avslutt avsluttes tiltaket.
    """
    from skolemiljo.services.workflow import evaluate

    case_repo = repo()
    author = author_for(case_repo.root, av)
    ask = prompts.interactive(no_input)
    result = ask_text(resultat, "Hva viste evalueringen", "--resultat", ask)
    experience = ask_text(elevens_opplevelse, "Elevens egen opplevelse", "--elevens-opplevelse", ask)
    if videre is None:
        from skolemiljo.cli.prompts import ask_choice

        decision = ask_choice(None, "Videre", "--videre", model.VIDERE, ask)
    else:
        decision = videre.value
    evaluate(case_repo, case_id, author, tiltak_id, result, experience, decision,
             _day(neste_evaluering, "--neste-evaluering"), _day(dato, "--dato"))
    _done(f"Sak {case_id}: tiltak {tiltak_id} er evaluert ({decision}).")


# ---------------------------------------------------- avslutning, gjenåpning

@command("close")
def close_cmd(
    case_id: CaseArg,
    begrunnelse: Annotated[Optional[str], typer.Option("--begrunnelse", help="Hvorfor saken avsluttes.")] = None,
    elevens_opplevelse: Annotated[Optional[str], typer.Option("--elevens-opplevelse", help="Elevens egen opplevelse ved avslutning.")] = None,
    oppfolging: Annotated[Optional[str], typer.Option("--oppfolging", help="Avtalt dato for oppfølging, ÅÅÅÅ-MM-DD.")] = None,
    dato: DateOpt = None,
    no_input: NoInput = False,
    av: AvOption = None,
) -> None:
    """Avslutt saken: registrer avslutningen og sett status avsluttet i én commit.

    Avsluttes bare når eleven selv opplever skolemiljøet som trygt og godt. Har saken tiltak,
    må hvert tiltak være evaluert, og elevens opplevelse og en oppfølgingsdato må være med.
    """
    from skolemiljo.services.workflow import close

    case_repo = repo()
    author = author_for(case_repo.root, av)
    reason = ask_text(begrunnelse, "Begrunnelse", "--begrunnelse", prompts.interactive(no_input))
    result = close(case_repo, case_id, author, reason, elevens_opplevelse, _day(oppfolging, "--oppfolging"),
                   _day(dato, "--dato"))
    _done(f"Sak {result.case_id}: {model.shown_status(result.before)} → avsluttet.")


@command("reopen")
def reopen_cmd(
    case_id: CaseArg,
    grunn: Annotated[Optional[str], typer.Option("--grunn", help="Hvorfor saken gjenåpnes (eleven har meldt igjen …).")] = None,
    dato: DateOpt = None,
    no_input: NoInput = False,
    av: AvOption = None,
) -> None:
    """Gjenåpne en avsluttet sak: en ny runde starter i status mottatt.

    Runden som ble avsluttet (varsling, undersøkelse, elevens stemme, elevens beste, plan og
    avslutning) bevares slik den var. Den nye runden trenger egen varsling, undersøkelse med elevens
    egen opplevelse, elevens stemme og vurdering av elevens beste før en ny plan; fristene regnes fra
    gjenåpningen.
    """
    from skolemiljo.services.workflow import reopen

    case_repo = repo()
    author = author_for(case_repo.root, av)
    reason = ask_text(grunn, "Hvorfor gjenåpnes saken", "--grunn", prompts.interactive(no_input))
    reopen(case_repo, case_id, author, reason, _day(dato, "--dato"))
    _done(f"Sak {case_id}: avsluttet → mottatt (gjenåpnet, ny runde).")


@command("follow-up")
def follow_up_cmd(
    case_id: CaseArg,
    notat: Annotated[Optional[str], typer.Option("--notat", help="Hva som kom fram: har eleven det fortsatt trygt og godt?")] = None,
    dato: DateOpt = None,
    no_input: NoInput = False,
    av: AvOption = None,
) -> None:
    """Registrer oppfølgingen som ble avtalt ved avslutningen ([hjemmel:oppfolging]).

    Eksempel: skm follow-up 2026-0007 --notat "Eleven har det fortsatt bra." --dato 2027-03-04
    """
    from skolemiljo.services.workflow import follow_up

    case_repo = repo()
    author = author_for(case_repo.root, av)
    note = ask_text(notat, "Hva kom fram i oppfølgingen", "--notat", prompts.interactive(no_input))
    follow_up(case_repo, case_id, author, note, _day(dato, "--dato"))
    _done(f"Sak {case_id}: oppfølgingen er registrert.")


@command("log")
def log_cmd(
    case_id: CaseArg,
    hendelse: Annotated[Optional[str], typer.Option("--hendelse", help="Hva som ble gjort.")] = None,
    dato: DateOpt = None,
    no_input: NoInput = False,
    av: AvOption = None,
) -> None:
    """Før en fri loggoppføring: hva som ble gjort, når og av hvem ([hjemmel:dokumentasjon])."""
    from skolemiljo.services.workflow import add_log

    case_repo = repo()
    author = author_for(case_repo.root, av)
    event = ask_text(hendelse, "Hva ble gjort", "--hendelse", prompts.interactive(no_input))
    add_log(case_repo, case_id, author, event, _day(dato, "--dato"))
    _done(f"Sak {case_id}: loggoppføring lagret.")
