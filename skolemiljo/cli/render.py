"""``skm render``: case documents for the archive and for statsforvaltaren.

Registered on the main Typer app by importing this module (the last line of
``skolemiljo.cli``). Jinja2, Babel and WeasyPrint are imported only
inside the command, so ``skm --help`` stays fast.
"""


import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from skolemiljo.cli.app import Malform, Status, command, err, repo
from skolemiljo.errors import EXIT_REFUSED, UsageError


@command("render")
def render_cmd(
    case_id: Annotated[
        Optional[str], typer.Argument(metavar="[SAKSNR]", help="Saksnummeret, f.eks. 2026-0007 (ikke med --all).")
    ] = None,
    document: Annotated[
        Optional[str],
        typer.Argument(metavar="[DOKUMENT]",
                       help="meldingsskjema, aktivitetsplan eller saksdokumentasjon (standard: saksdokumentasjon)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="<pdf|html|md>", help="pdf (PDF/A for arkivet), html eller md.")
    ] = "pdf",
    malform: Annotated[
        Optional[Malform], typer.Option("--malform", help="nb (bokmål) eller nn (nynorsk); standard fra skole.yaml.")
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("-o", "--ut", metavar="MAPPE",
                           help="Mappen dokumentene skrives til (lages om den ikke finnes).", file_okay=False)
    ] = Path("."),
    all_cases: Annotated[
        bool, typer.Option("--all", "--alle", help="Lag dokumentet for alle saker (f.eks. et helt skoleår).")
    ] = False,
    status: Annotated[
        Optional[Status], typer.Option("--status", help="Med --all: bare saker med denne statusen.")
    ] = None,
) -> None:
    """Lag et saksdokument som PDF/A, HTML eller Markdown: DIR/<saksnr>-<dokument>.<ending>.

    Dokumentene: meldingsskjema, aktivitetsplan og saksdokumentasjon (hele saken i
    rekkefølge med alle versjoner av planen og historikken, slik statsforvalteren ber om den).

    Eksempler:

      skm render 2026-0007 aktivitetsplan -o arkiv

      skm render --all --status avsluttet -o arkiv/2026-2027
    """
    from skolemiljo.render.api import DEFAULT_DOCUMENT, check_document, check_format
    from skolemiljo.render.i18n import DOCUMENTS

    fmt = check_format(fmt.strip().lower())

    if all_cases:
        if case_id is not None and document is None and case_id in DOCUMENTS:
            case_id, document = None, case_id
        if case_id is not None:
            raise UsageError("Bruk enten et saksnummer eller --all, ikke begge.")
    else:
        if case_id is None:
            raise UsageError("Mangler saksnummer.",
                             hint="Skriv `skm render SAKSNR [DOKUMENT] -o MAPPE`, eller `skm render --all -o MAPPE`.")
        if status is not None:
            raise UsageError("--status kan bare brukes sammen med --all.")
    chosen = check_document(document or DEFAULT_DOCUMENT)
    case_repo = repo()
    language = malform.value if malform else None
    if not all_cases:
        from skolemiljo.render.api import render_case, uncommitted

        path = render_case(case_repo, case_id, chosen, fmt, language, out_dir)
        if uncommitted(case_repo, case_id):
            err(f"Merk: sak {case_id} har endringer som ikke er ført i historikken; dokumentet er merket UTKAST "
                "og skal ikke arkiveres før endringene er lagret.")
        typer.echo(str(path))
        return
    _render_all(case_repo, chosen, fmt, language, out_dir, status.value if status else None)


def _render_all(case_repo, document: str, fmt: str, malform: str | None, out_dir: Path,
                status: str | None) -> None:
    from skolemiljo.render.api import render_all, select_cases

    if fmt == "pdf":
        from skolemiljo.render.pdf import load_weasyprint

        load_weasyprint()  # a missing PDF library fails before the progress bar starts
    ids = select_cases(case_repo, status)
    if not ids:
        err("Ingen saker å lage dokumenter for." if status is None else f"Ingen saker med status {status}.")
        return
    with typer.progressbar(length=len(ids), label=f"Lager {document} ({fmt})", file=sys.stderr,
                           show_pos=True) as bar:
        outcomes = render_all(case_repo, document, fmt, malform, out_dir, case_ids=ids,
                              progress=lambda _outcome: bar.update(1))
    failed = [o for o in outcomes if o.error is not None]
    for outcome in outcomes:
        if outcome.path is not None:
            typer.echo(str(outcome.path))
    for outcome in failed:
        err(f"Feil i sak {outcome.case_id}: {outcome.error.message}")
        for detail in outcome.error.details:
            err(f"  {detail}")
    written = len(outcomes) - len(failed)
    err(f"Skrev {written} {'dokument' if written == 1 else 'dokumenter'} til {out_dir}.")
    if failed:
        err(f"{len(failed)} {'sak' if len(failed) == 1 else 'saker'} kunne ikke lages.")
        raise typer.Exit(EXIT_REFUSED)
