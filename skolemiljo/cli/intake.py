"""``skm parents``, ``skm contact`` and ``skm meeting``: the seeds' routines around a case
(issue 14, items 13-15). Thin: parse, call ``services.intake``, print (never a name)."""

import enum
from typing import Annotated, Optional

import typer

from skolemiljo.cli.app import AvOption, author_for, command, repo
from skolemiljo.domain import dates, model

CaseArg = Annotated[str, typer.Argument(metavar="SAKSNR", help="Saksnummeret, f.eks. 2026-0007.")]
DateOpt = Annotated[Optional[str], typer.Option("--dato", help="Datoen det skjedde, ÅÅÅÅ-MM-DD (standard: i dag).")]

ForesatteHva = enum.Enum("ForesatteHva", {v: v for v in model.FORESATTE_HVA}, type=str)  # type: ignore[misc]
Instans = enum.Enum("Instans", {v: v for v in model.INSTANSER}, type=str)  # type: ignore[misc]
MoteType = enum.Enum("MoteType", {v: v for v in model.MOTE_TYPER}, type=str)  # type: ignore[misc]


def _day(value: str | None):
    return dates.parse_date(value, "--dato") if value else None


@command("parents")
def parents_cmd(
    case_id: CaseArg,
    hva: Annotated[ForesatteHva, typer.Argument(metavar="HVA", help="informert (foresatte er informert), plan "
                                                "(foresatte har fått aktivitetsplanen), samtykke eller ikke-samtykke "
                                                "(elever over 18: samtykker eleven i at foresatte tar del?).")],
    hvordan: Annotated[Optional[str], typer.Option("--hvordan", help="Hvordan: telefon, møte, brev, e-post … "
                                                   "(påkrevd for informert og plan).")] = None,
    dato: DateOpt = None,
    av: AvOption = None,
) -> None:
    """Registrer at foresatte er informert eller har fått planen, eller (over 18) elevens samtykke.

    Eksempel: skm parents 2026-0007 plan --hvordan "utdelt på møte" --dato 2026-10-16
    For en elev over 18 må samtykket registreres før foresatte informeres.
    """
    from skolemiljo.services.intake import parents

    case_repo = repo()
    parents(case_repo, case_id, author_for(case_repo.root, av), hva.value, hvordan, _day(dato))
    done = {"informert": "foresatte er informert", "plan": "foresatte har fått aktivitetsplanen",
            "samtykke": "eleven samtykker i at foresatte tar del",
            "ikke-samtykke": "eleven samtykker ikke i at foresatte tar del"}[hva.value]
    typer.echo(f"Sak {case_id}: {done}.")


@command("contact")
def contact_cmd(
    case_id: CaseArg,
    instans: Annotated[Instans, typer.Argument(metavar="INSTANS", help=", ".join(model.INSTANSER) + ".")],
    kontaktperson: Annotated[Optional[str], typer.Option("--kontaktperson", help="Hvem hos instansen (vises bare med "
                                                         "--navn).")] = None,
    merknad: Annotated[Optional[str], typer.Option("--merknad", help="Hva kontakten gjaldt, kort.")] = None,
    dato: DateOpt = None,
    av: AvOption = None,
) -> None:
    """Registrer kontakt med en instans utenfor skolen: PPT, helsesykepleier, barnevern, politiet
    (radikaliseringskontakten), SLT, skolemiljøteamet, områdedirektør.

    Eksempel: skm contact 2026-0007 helsesykepleier --dato 2026-10-14
    """
    from skolemiljo.services.intake import contact

    case_repo = repo()
    contact(case_repo, case_id, author_for(case_repo.root, av), instans.value, _day(dato), kontaktperson, merknad)
    typer.echo(f"Sak {case_id}: kontakt med {instans.value} registrert.")


@command("meeting")
def meeting_cmd(
    type_: Annotated[MoteType, typer.Argument(metavar="TYPE", help="lederforum (ukentlig gjennomgang i ledelsen) "
                                              "eller trk (trinn–rådgiver–kontaktlærer).")],
    sak: Annotated[Optional[list[str]], typer.Option("--sak", metavar="SAKSNR=BESLUTNING",
                                                     help="En sak som ble gjennomgått, og beslutningen; kan gis "
                                                     "flere ganger.")] = None,
    deltaker: Annotated[Optional[list[str]], typer.Option("--deltaker", help="Hvem som deltok (navn eller rolle); "
                                                          "kan gis flere ganger.")] = None,
    merknad: Annotated[Optional[str], typer.Option("--merknad", help="Merknad til møtet (uten elevnavn).")] = None,
    dato: DateOpt = None,
    av: AvOption = None,
) -> None:
    """Registrer at lederforum eller et TRK-møte er holdt: hvem som deltok og en beslutning per sak.

    Møtet blir én fil, moter/<dato>-<type>.yaml, og én commit. Sakene står med saksnummer.
    `skm status` viser datoen for siste lederforum og siste TRK-møte.

    Eksempel: skm meeting lederforum --deltaker rektor --deltaker avdelingsleder
    --sak "2026-0007=Tiltakene fortsetter; ny evaluering 30. oktober"
    """
    from skolemiljo.errors import UsageError
    from skolemiljo.services.intake import Meeting, record_meeting

    decisions = []
    for item in sak or []:
        case_id, sep, decision = item.partition("=")
        if not sep:
            raise UsageError("--sak må skrives SAKSNR=BESLUTNING, f.eks. 2026-0007=Tiltakene fortsetter "
                             "(fikk en verdi uten =).")
        decisions.append((case_id.strip(), decision))
    case_repo = repo()
    day = _day(dato) or dates.today()
    _commit, path = record_meeting(case_repo, Meeting(type_.value, day, list(deltaker or []), decisions, merknad),
                                   author_for(case_repo.root, av))
    count = len(decisions)
    typer.echo(f"Registrerte {type_.value} {day.isoformat()} ({count} {'sak' if count == 1 else 'saker'}) i "
               f"{case_repo.rel(path)}.")
