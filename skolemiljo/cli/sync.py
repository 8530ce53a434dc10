"""``skm sync``: share the work with the others through the central repository (thin: parse, call, print)."""


import shutil
import textwrap
from itertools import zip_longest
from typing import TYPE_CHECKING, Annotated, Any

import typer

from skolemiljo.cli import prompts
from skolemiljo.cli.app import (
    AvOption,
    app,
    author_for,
    command,
    err,
    repo,
)
from skolemiljo.domain.model import TILTAK_ID, shown_id
from skolemiljo.domain.sides import CENTRAL, LOCAL
from skolemiljo.domain.text import for_terminal
from skolemiljo.errors import UsageError

if TYPE_CHECKING:  # skolemiljo.sync and .merge are imported when a sync runs, not at start-up
    from skolemiljo.domain.merge import Choices, Conflict
    from skolemiljo.services.sync import CommitInfo, SyncResult

SIDE_TEXT = {CENTRAL: "sentralt (de andres)", LOCAL: "lokalt (din)"}
MAX_LISTED = 15

__all__ = ["app", "sync_cmd"]


@command("sync")
def sync_cmd(
    ours: Annotated[bool, typer.Option("--ours", help="Ved konflikt: behold dine (lokale) verdier.")] = False,
    theirs: Annotated[
        bool, typer.Option("--theirs", help="Ved konflikt: ta verdiene fra det sentrale saksarkivet (de andres).")
    ] = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Aldri spør; ved konflikt avbrytes synkroniseringen (kode 1).")
    ] = False,
    av: AvOption = None,
) -> None:
    """Del arbeidet med de andre: hent deres endringer, slå sammen og send dine.

    Kjør den når du begynner og når du slutter for dagen. skm henter det de andre har
    sendt til det sentrale saksarkivet, legger dine endringer oppå og sender dem.

    \b
    - Samme saksnummer registrert av to: din sak får neste ledige nummer
      (står i sakens logg og historikk).
    - Ulike deler av samme sak endret: slås sammen av seg selv.
    - Samme felt endret ulikt: skm viser begge verdiene og spør hva som
      gjelder (eller bruk --ours / --theirs).

    Enten blir synkroniseringen fullført, eller så er saksarkivet som før.
    """
    if ours and theirs:
        raise UsageError("Velg enten --ours eller --theirs, ikke begge.")
    case_repo = repo()
    author = author_for(case_repo.root, av)
    ask = prompts.interactive(no_input)
    from skolemiljo.services.sync import sync

    side = LOCAL if ours else CENTRAL if theirs else None
    result = sync(case_repo, author, _resolver(side, ask), interactive=ask, say=err)
    _report(result)


# ------------------------------------------------------------------ conflicts

def _resolver(side: str | None, ask: bool):
    from skolemiljo.errors import ConflictsUnresolvedError

    def resolve(conflicts: "list[Conflict]") -> "Choices":
        if side is not None:
            return {c.key: side for c in conflicts}
        if not ask:
            raise ConflictsUnresolvedError(
                f"{_conflict_summary(conflicts)} Synkroniseringen er avbrutt; ingenting er endret.",
                conflicts,
                hint="Kjør `skm sync` i en terminal for å se verdiene og velge felt for felt, eller velg for alle "
                "med `skm sync --ours` (behold dine verdier) eller `skm sync --theirs` (ta de andres).",
            )
        return _ask_each(conflicts)

    return resolve


def _conflict_summary(conflicts: "list[Conflict]") -> str:
    """Case ids and field names only: no values, safe for any log."""
    from skolemiljo.services.sync import iter_conflict_cases

    parts = [f"sak {case_id} ({', '.join(c.field for c in group)})" for case_id, group in iter_conflict_cases(conflicts)]
    return f"Endret ulikt her og i det sentrale saksarkivet: {'; '.join(parts)}."


def _ask_each(conflicts: "list[Conflict]") -> "Choices":
    from skolemiljo.services.sync import iter_conflict_cases

    choices: "Choices" = {}
    for case_id, group in iter_conflict_cases(conflicts):
        count = "1 felt" if len(group) == 1 else f"{len(group)} felt"
        typer.echo(f"\nSak {case_id} er endret både her og i det sentrale saksarkivet; {count} er endret ulikt.")
        for conflict in group:
            typer.echo("")
            typer.echo(side_by_side(conflict))
            choices[conflict.key] = _ask_side(conflict)
    typer.echo("")
    return choices


def _ask_side(conflict: "Conflict") -> str:
    from skolemiljo.errors import ConflictsUnresolvedError

    while True:
        answer = typer.prompt(f"Hva skal gjelde for {conflict.field}? s = sentralt, l = lokalt, a = avbryt")
        answer = answer.strip().lower()
        if answer in ("s", "sentralt", "sentral"):
            return CENTRAL
        if answer in ("l", "lokalt", "lokal"):
            return LOCAL
        if answer in ("a", "avbryt"):
            raise ConflictsUnresolvedError("Avbrutt; ingenting er endret.", [conflict],
                                           hint="Kjør `skm sync` igjen når du vet hva som skal gjelde.")
        err("Svar s, l eller a.")


def show_value(value: Any) -> str:
    """A field value as a person reads it."""
    from skolemiljo.domain.merge import MISSING
    from skolemiljo.storage import yamlio

    if value is MISSING:
        return "(finnes ikke / fjernet)"
    if value is None:
        return "(tomt)"
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, (dict, list)):
        return for_terminal(yamlio.dump(value).rstrip("\n"), multiline=True) if value else "(tomt)"
    return for_terminal(value, multiline=True)


def side_by_side(conflict: "Conflict", width: int | None = None) -> str:
    """The field, its old value, and the two new values in two columns."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    column = max(20, (width - 5) // 2)
    lines = [f"  {conflict.field}   (før: {_one_line(show_value(conflict.base))})"]
    left = _wrap(show_value(conflict.central), column)
    right = _wrap(show_value(conflict.local), column)
    lines.append(f"  {'Sentralt (de andres)'.ljust(column)} │ Lokalt (din endring)")
    lines.append(f"  {'─' * column}─┼─{'─' * min(column, 24)}")
    for a, b in zip_longest(left, right, fillvalue=""):
        lines.append(f"  {a.ljust(column)} │ {b}".rstrip())
    return "\n".join(lines)


def _one_line(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _wrap(text: str, width: int) -> list[str]:
    out: list[str] = []
    for line in text.splitlines() or [""]:
        out += textwrap.wrap(line, width, subsequent_indent="  " if line.startswith(" ") else "") or [""]
    return out


# --------------------------------------------------------------------- report

def _plural(n: int) -> str:
    return "1 endring" if n == 1 else f"{n} endringer"


def _listing(commits: "list[CommitInfo]") -> None:
    for info in commits[:MAX_LISTED]:
        typer.echo(f"  {for_terminal(info.date)}  {for_terminal(info.subject)}  ({for_terminal(info.author)})")
    if len(commits) > MAX_LISTED:
        typer.echo(f"  … og {len(commits) - MAX_LISTED} til (se `skm history SAKSNR`).")


def _report(result: "SyncResult") -> None:
    if result.up_to_date:
        typer.echo(f"Alt er oppdatert: saksarkivet ditt er likt det sentrale ({result.upstream}).")
        return
    if result.incoming:
        typer.echo(f"Hentet {_plural(len(result.incoming))} fra det sentrale saksarkivet ({result.upstream}):")
        _listing(result.incoming)
    if result.outgoing:
        where = " (det sentrale saksarkivet var tomt)" if result.first_push else ""
        typer.echo(f"Sendte {_plural(len(result.outgoing))}{where}:")
        _listing(result.outgoing)
    for item in result.renumbered:
        typer.echo(f"Nytt saksnummer: saken du registrerte som {item.old}, heter nå {item.new}, fordi {item.old} "
                   f"allerede var brukt i det sentrale saksarkivet. Bruk {item.new} fra nå av.")
    for item in result.tiltak_renumbered:
        old = shown_id(item.old, TILTAK_ID, "(ugyldig tiltaks-id)")
        typer.echo(f"Nytt tiltaksnummer i sak {item.case_id}: tiltaket du la til som {old}, heter nå "
                   f"{item.new}, fordi {old} allerede var brukt.")
    for case_id in result.merged_cases:
        typer.echo(f"Slått sammen: sak {case_id} var endret både her og sentralt; endringene er slått sammen "
                   "felt for felt.")
    for conflict, side in result.resolved:
        typer.echo(f"Avgjort: sak {conflict.case_id} {conflict.field} = verdien {SIDE_TEXT[side]}.")
    for info in result.skipped:
        typer.echo(f"Ikke sendt: «{for_terminal(info.subject)}» endret ingenting etter sammenslåingen.")
    typer.echo(f"Ferdig: saksarkivet ditt og det sentrale ({result.upstream}) er like.")
