"""``skm archive``: deliver case documents to the Noark archive (KS Fiks Arkiv) and record the receipt.

Registered on the main Typer app by importing this module (``skolemiljo.cli``). Rendering
and WeasyPrint are imported only inside the command.
"""


import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from skolemiljo.cli.app import AvOption, Status, author_for, command, err, repo
from skolemiljo.errors import EXIT_REFUSED, UsageError


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _report(outcome) -> None:  # ArchiveResult
    """Paths on standard output, what happened on standard error (ids and numbers only)."""
    for package in outcome.recorded or outcome.packages:
        typer.echo(str(package.path))
    if outcome.recorded:
        numbers = [package.number for package in outcome.recorded]
        span = str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
        how = "sendt til arkivet" if outcome.sent else "klar for arkivet"
        err(f"Sak {outcome.case_id}: {_plural(len(numbers), 'dokument', 'dokumenter')} {how} "
            f"(levering {span}), registrert i saken.")
    elif not outcome.pending:
        err(f"Sak {outcome.case_id}: ingenting nytt å levere; alt er levert.")


def _show_pending(outcome) -> None:
    if not outcome.pending:
        err(f"Sak {outcome.case_id}: ingenting nytt å levere.")
        return
    err(f"Sak {outcome.case_id}: {_plural(len(outcome.pending), 'dokument', 'dokumenter')} er ikke levert:")
    for item in outcome.pending:
        err(f"  {item.document} versjon {item.version} (fra {item.commit[:10]}, {item.when.date().isoformat()})")


@command("archive")
def archive_cmd(
    case_id: Annotated[
        Optional[str], typer.Argument(metavar="[SAKSNR]", help="Saksnummeret, f.eks. 2026-0007 (ikke med --all).")
    ] = None,
    out_dir: Annotated[
        Optional[Path], typer.Option("-o", "--ut", metavar="MAPPE",
                                     help="Mappen pakkene skrives til (standard: .skm/arkiv/ i saksarkivet).",
                                     file_okay=False)
    ] = None,
    all_cases: Annotated[
        bool, typer.Option("--all", "--alle", help="Lever det som er nytt i alle saker.")
    ] = False,
    status: Annotated[
        Optional[Status], typer.Option("--status", help="Med --all: bare saker med denne statusen.")
    ] = None,
    as_zip: Annotated[
        Optional[bool], typer.Option("--zip/--mappe",
                                     help="Pakken som zip-fil eller mappe (standard: arkiv.pakke i skole.yaml).")
    ] = None,
    show: Annotated[
        bool, typer.Option("--vis", help="Vis hva som ikke er levert, uten å lage pakker eller registrere noe.")
    ] = False,
    receipt: Annotated[
        Optional[Path], typer.Option("--kvittering", metavar="FIL",
                                     help="Registrer arkivets kvittering (arkivmelding.opprett.kvittering).",
                                     dir_okay=False)
    ] = None,
    delivery: Annotated[
        Optional[int], typer.Option("--levering", metavar="N", min=1,
                                    help="Med --kvittering: leveringen kvitteringen gjelder, når den ikke sier det.")
    ] = None,
    approve: Annotated[
        bool, typer.Option("--godkjenn-sending",
                           help="Godkjenn sendekommandoen i skole.yaml (arkiv.sending) på denne maskinen.")
    ] = False,
    av: AvOption = None,
) -> None:
    """Lever sakens dokumenter til Noark-arkivet som KS Fiks Arkiv-pakker.

    Hver pakke er én journalpost med ett dokument: arkivmelding.xml og PDF/A-fila,
    i mappen (eller zip-fila) <saksnr>-levering-<nr>. Med første kjøring kommer
    meldingsskjemaet og hver versjon av aktivitetsplanen; saksdokumentasjonen
    kommer når saken er avsluttet. Neste kjøring leverer bare det som er nytt
    eller endret. Det som er levert, registreres i saken (arkiv.leveranser) i én
    commit. Har skole.yaml en sendekommando (arkiv.sending), får den hver pakke;
    feiler den, registreres ingenting som levert for den pakken og de etter.

    Eksempler:

      skm archive 2026-0007

      skm archive --all --status avsluttet -o /mnt/arkivinngang

      skm archive --kvittering kvittering.xml
    """
    if approve:
        if case_id is not None or all_cases or receipt is not None:
            raise UsageError("--godkjenn-sending brukes alene.")
        from skolemiljo.services.archive import approve_command, shown_command

        command = approve_command(repo())
        err(f"Sendekommandoen er godkjent på denne maskinen: {shown_command(command)}")
        return
    if receipt is not None:
        if all_cases or show or out_dir is not None or as_zip is not None:
            raise UsageError("--kvittering kan ikke brukes sammen med --all, --vis, -o eller --zip.")
        _receipt(case_id, receipt, delivery, av)
        return
    if delivery is not None:
        raise UsageError("--levering kan bare brukes sammen med --kvittering.")
    if all_cases:
        if case_id is not None:
            raise UsageError("Bruk enten et saksnummer eller --all, ikke begge.")
    else:
        if case_id is None:
            raise UsageError("Mangler saksnummer.",
                             hint="Skriv `skm archive SAKSNR`, `skm archive --all` eller `skm archive --kvittering FIL`.")
        if status is not None:
            raise UsageError("--status kan bare brukes sammen med --all.")
    case_repo = repo()
    author = author_for(case_repo.root, av)
    from skolemiljo.services import archive

    if not all_cases:
        from skolemiljo.storage.repository import check_case_id

        case_repo.existing_case_path(check_case_id(case_id))
        outcome = archive.archive_case(case_repo, case_id, author, out_dir, as_zip=as_zip, dry_run=show)
        _show_pending(outcome) if show else _report(outcome)
        return
    if not show:
        archive.check_sending(case_repo)  # before the progress bar: one clear refusal, nothing done
    with typer.progressbar(length=len(_selected(case_repo, status)), label="Leverer til arkivet", file=sys.stderr,
                           show_pos=True) as bar:
        outcomes = archive.archive_all(case_repo, author, out_dir, status=status.value if status else None,
                                       as_zip=as_zip, dry_run=show, progress=lambda _o: bar.update(1))
    failed = [o for o in outcomes if o.error is not None]
    for outcome in outcomes:
        if outcome.error is None:
            _show_pending(outcome) if show else (_report(outcome) if outcome.recorded or outcome.pending else None)
    for outcome in failed:
        err(f"Feil i sak {outcome.case_id}: {outcome.error.message}")
        for finding in getattr(outcome.error, "findings", []) or []:
            err(f"  {finding.format()}")
    if not show:
        delivered = sum(len(o.recorded) for o in outcomes)
        err(f"Leverte {_plural(delivered, 'dokument', 'dokumenter')} fra "
            f"{_plural(sum(1 for o in outcomes if o.recorded), 'sak', 'saker')}.")
    if failed:
        err(f"{_plural(len(failed), 'sak', 'saker')} kunne ikke leveres.")
        raise typer.Exit(EXIT_REFUSED)


def _selected(case_repo, status) -> list[str]:
    from skolemiljo.render.api import select_cases

    return select_cases(case_repo, status.value if status else None)


def _receipt(case_id: str | None, path: Path, delivery: int | None, av: str | None) -> None:
    from skolemiljo.services.archive import record_receipt

    case_repo = repo()
    author = author_for(case_repo.root, av)
    outcome = record_receipt(case_repo, author, path, case_id, delivery)
    if not outcome.changed:
        err(f"Sak {outcome.case_id}: kvitteringen for levering {outcome.number} er registrert fra før.")
    elif outcome.failed:
        err(f"Sak {outcome.case_id}: arkivet meldte feil for levering {outcome.number} (feil-id "
            f"{outcome.failed}); neste `skm archive {outcome.case_id}` leverer dokumentet på nytt.")
    else:
        parts = [f"arkivsaksnummer {outcome.saksnummer}"] if outcome.saksnummer else []
        if outcome.journalpost:
            parts.append(f"journalpost {outcome.journalpost}")
        err(f"Sak {outcome.case_id}: kvittering for levering {outcome.number} registrert"
            + (f" ({', '.join(parts)})." if parts else "."))
