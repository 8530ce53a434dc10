"""The case commands of ``skm``: init, new-case, edit (the editor loop), show, list, validate and history."""

import enum
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from skolemiljo.cli import prompts
from skolemiljo.cli.app import (
    STATE,
    AvOption,
    Malform,
    MeldtAv,
    Sakstype,
    Status,
    author_for,
    command,
    err,
    repo,
)
from skolemiljo.cli.prompts import ask_text, ask_choice, ask_under_18
from skolemiljo.domain import dates, model
from skolemiljo.domain.text import for_terminal, json_for_terminal
from skolemiljo.errors import EXIT_REFUSED, SkmError, UsageError
from skolemiljo.domain.legal import cite


@command("init")
def init_cmd(
    directory: Annotated[Path, typer.Argument(help="Mappen saksarkivet skal ligge i (lages om den ikke finnes).")],
    skole: Annotated[str, typer.Option("--skole", help="Skolens navn, slik det skal stå på dokumentene.")],
    skoleeier: Annotated[
        Optional[str], typer.Option("--skoleeier", help=f"Kommunen/fylkeskommunen som varsles ({cite('aktivitetsplikt')}, {cite('skjerpa')}).")
    ] = None,
    malform: Annotated[Malform, typer.Option("--malform", help="Målform for dokumenter: nb eller nn.")] = Malform.nb,
    skm_kilde: Annotated[
        Optional[str], typer.Option("--skm-kilde", help="Hvor CI installerer skm fra, med fast versjon: "
                                    "git+https://…/skm.git@v0.1.0 (eller @<commit>), eller skolemiljo==0.1.0 med "
                                    "--skm-indeks.")
    ] = None,
    skm_indeks: Annotated[
        Optional[str], typer.Option("--skm-indeks", help="Skoleeiers egen pakkeindeks (https://…) for skolemiljo==VERSJON.")
    ] = None,
    av: AvOption = None,
) -> None:
    """Opprett et nytt saksarkiv: cases/, calendar.yaml, skjemaer, skole.yaml, CI-oppsett – og én commit.

    CI-oppsettet (.gitlab-ci.yml, .github/workflows/skm-check.yml) installerer skm fra kilden i
    skole.yaml (skm_kilde); uten den stopper CI med en melding om hva som skal fylles inn.

    Eksempel: skm init saker --skole "Fjordvik vgs" --skoleeier "Vestland fylkeskommune"
    --skm-kilde git+https://git.vestland.no/verktoy/skm.git@v0.1.0
    """
    from skolemiljo.services.init import init_repository
    from skolemiljo.storage.repository import Settings, check_install_source

    if not skole.strip():
        raise UsageError("--skole kan ikke være tom.")
    if STATE.directory is not None and not directory.is_absolute():
        directory = STATE.directory / directory  # like git -C: relative to that folder
    author = author_for(directory if directory.is_dir() else Path.cwd(), av)
    settings = Settings(skole=skole.strip(), skoleeier=(skoleeier or "").strip() or None, malform=malform.value,
                        skm_kilde=(skm_kilde or "").strip() or None, skm_indeks=(skm_indeks or "").strip() or None)
    check_install_source(settings)
    created = init_repository(directory, settings, author)
    typer.echo(f"Opprettet saksarkiv i {created.root}")
    typer.echo("Neste steg: registrer en melding med `skm new-case`.")


MottattRolle = enum.Enum("MottattRolle", {v: v for v in model.MOTTATT_ROLLER}, type=str)  # type: ignore[misc]


@command("new-case")
def new_case_cmd(
    elev: Annotated[Optional[str], typer.Option("--elev", help="Elevens navn.")] = None,
    klasse: Annotated[Optional[str], typer.Option("--klasse", help="Klasse eller gruppe, f.eks. 2STB.")] = None,
    under_18: Annotated[
        Optional[bool], typer.Option("--under-18/--over-18", help="Er eleven under 18? Da deltar foresatte.")
    ] = None,
    uten_elev: Annotated[
        bool, typer.Option("--uten-elev", help="Meldingen gjelder ingen navngitt elev ennå (anonym melding, "
                           "bekymring for en klasse). Identifiser eleven med `skm identify` før en plan lages.")
    ] = False,
    som: Annotated[
        Optional[str], typer.Option("--som", metavar="SAKSNR", help="Ny sak for en annen elev fra samme melding "
                                    "som SAKSNR: meldingen kopieres (ikke eleven), og sakene lenkes (relaterte_saker).")
    ] = None,
    sakstype: Annotated[
        Optional[Sakstype],
        typer.Option("--sakstype", help=f"elev-elev ({cite('aktivitetsplikt')}), ansatt-elev ({cite('skjerpa')}), "
                     f"ledelse-elev ({cite('skjerpa')}), radikalisering (meldes direkte til rektor) eller annet."),
    ] = None,
    meldt_av: Annotated[
        Optional[MeldtAv], typer.Option("--meldt-av", help="Hvem som meldte: elev, foresatt, ansatt, anonym, annen.")
    ] = None,
    mottatt_av: Annotated[
        Optional[str], typer.Option("--mottatt-av", help="Hvem som tok imot meldingen, f.eks. «Per Haugen (kontaktlærer)».")
    ] = None,
    mottatt_rolle: Annotated[
        Optional[MottattRolle], typer.Option("--mottatt-rolle", help="Rollen til den som tok imot meldingen: "
                                             + ", ".join(model.MOTTATT_ROLLER) + ".")
    ] = None,
    mottatt: Annotated[
        Optional[str], typer.Option("--mottatt", help="Datoen meldingen kom, ÅÅÅÅ-MM-DD (standard: i dag).")
    ] = None,
    beskrivelse: Annotated[Optional[str], typer.Option("--beskrivelse", help="Hva som ble meldt.")] = None,
    kategori: Annotated[
        Optional[list[str]], typer.Option("--kategori", help="Hva meldingen gjelder; kan gis flere ganger. Kjente "
                                          "kategorier og skolens egne (kategorier i skole.yaml).")
    ] = None,
    alvorlig: Annotated[
        Optional[bool], typer.Option("--alvorlig/--ikke-alvorlig",
                                     help=f"Alvorlig tilfelle: skoleeier skal varsles ({cite('melde')}). "
                                     "Standard uten terminal: ikke alvorlig.")
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Aldri spør; manglende verdier er en feil.")] = False,
    av: AvOption = None,
) -> None:
    """Registrer en ny melding (status mottatt). Skriver saksnummeret på siste linje.

    I en terminal blir du spurt om det som mangler, også mottatt-dato (i dag som standard),
    kategorier og om saken er alvorlig. Eksempel:

      skm new-case --elev "Kari Nordmann" --klasse 9B --under-18 --sakstype elev-elev
      --meldt-av elev --mottatt-av "Per Haugen (kontaktlærer)" --beskrivelse "..." --no-input

    Flere elever i samme hendelse: skm new-case --som 2026-0007 --elev "…" --klasse 9B --under-18
    """
    from skolemiljo.services.cases import NewCase, new_case, report_from

    case_repo = repo()
    author = author_for(case_repo.root, av)
    ask = prompts.interactive(no_input)
    known = case_repo.settings().known_categories
    copied: dict = {}
    if som is not None:
        from skolemiljo.storage.repository import check_case_id

        copied = report_from(case_repo, check_case_id(som))
    if uten_elev and (elev is not None or som is not None):
        raise UsageError("--uten-elev kan ikke brukes sammen med --elev eller --som.")
    if uten_elev:
        name, klasse_value, young = None, (klasse.strip() if klasse and klasse.strip() else None), under_18
    else:
        name = ask_text(elev, "Elevens navn", "--elev", ask)
        klasse_value = ask_text(klasse, "Klasse", "--klasse", ask)
        young = under_18 if under_18 is not None else ask_under_18(ask)

    def pick(value, key, asked):
        return value.value if isinstance(value, enum.Enum) else value if value is not None else (
            copied[key] if copied.get(key) is not None else asked())

    kind = pick(sakstype, "sakstype", lambda: ask_choice(None, "Sakstype", "--sakstype", model.SAKSTYPER, ask))
    reporter = pick(meldt_av, "meldt_av", lambda: ask_choice(None, "Meldt av", "--meldt-av", model.MELDT_AV, ask))
    receiver = pick(None if mottatt_av is None else ask_text(mottatt_av, "Mottatt av", "--mottatt-av", ask),
                    "mottatt_av", lambda: ask_text(None, "Mottatt av", "--mottatt-av", ask))
    role = pick(mottatt_rolle, "mottatt_rolle",
                lambda: prompts.ask_optional_choice("Rollen til den som tok imot", model.MOTTATT_ROLLER) if ask else None)
    if mottatt:
        received = dates.parse_date(mottatt, "--mottatt")
    elif copied.get("mottatt"):
        received = dates.parse_date(copied["mottatt"], "--mottatt")
    else:
        received = prompts.ask_date("Datoen meldingen kom", "--mottatt", dates.today()) if ask else dates.today()
    text = pick(None if beskrivelse is None else ask_text(beskrivelse, "Hva ble meldt", "--beskrivelse", ask),
                "beskrivelse", lambda: ask_text(None, "Hva ble meldt", "--beskrivelse", ask))
    if kategori is not None:
        categories = [k.strip() for k in kategori]
    elif som is not None:
        categories = copied["kategorier"]
    else:
        categories = prompts.ask_categories(known) if ask else []
    if alvorlig is not None:
        serious = alvorlig
    elif som is not None:
        serious = copied["alvorlig"]
    else:
        serious = prompts.yes_no("Er dette et alvorlig tilfelle (skoleeier skal varsles)?", default=False) if ask else False
    report = NewCase(
        elev_navn=name, klasse=klasse_value, under_18=young, sakstype=kind, meldt_av=reporter,
        mottatt_av=receiver, mottatt=received.isoformat(), beskrivelse=text,
        kategorier=list(dict.fromkeys(categories)), alvorlig=serious, mottatt_rolle=role,
        relaterte_saker=[som] if som is not None else [],
    )
    case_id = new_case(case_repo, report, author)
    linked = f", lenket til sak {som}" if som is not None else ""
    typer.echo(f"Registrerte melding som sak {case_id} (status mottatt{linked}).", err=True)
    if uten_elev:
        typer.echo(f"Eleven er ikke identifisert: kjør `skm identify {case_id} --elev …` før en aktivitetsplan lages.",
                   err=True)
    typer.echo(case_id)


@command("identify")
def identify_cmd(
    case_id: Annotated[str, typer.Argument(metavar="SAKSNR", help="Saksnummeret, f.eks. 2026-0007.")],
    elev: Annotated[Optional[str], typer.Option("--elev", help="Elevens navn.")] = None,
    klasse: Annotated[Optional[str], typer.Option("--klasse", help="Klasse eller gruppe, f.eks. 2STB.")] = None,
    under_18: Annotated[
        Optional[bool], typer.Option("--under-18/--over-18", help="Er eleven under 18? Da deltar foresatte.")
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Aldri spør; manglende verdier er en feil.")] = False,
    av: AvOption = None,
) -> None:
    """Identifiser eleven i en sak som kom inn uten navngitt elev (anonym melding, en klasse).

    En aktivitetsplan er per elev: planen kan først lages når eleven er identifisert. Finnes det
    ingen elev å identifisere, avsluttes saken med en begrunnelse (`skm close`).
    """
    from skolemiljo.services.cases import identify

    case_repo = repo()
    author = author_for(case_repo.root, av)
    ask = prompts.interactive(no_input)
    name = ask_text(elev, "Elevens navn", "--elev", ask)
    klasse_value = ask_text(klasse, "Klasse", "--klasse", ask)
    young = under_18 if under_18 is not None else ask_under_18(ask)
    identify(case_repo, case_id, author, name, klasse_value, young)
    typer.echo(f"Sak {case_id}: eleven er identifisert.")


def _editor() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError("Fant ikke noe redigeringsprogram.", hint="Sett EDITOR, for eksempel `export EDITOR=nano`.")
    import shlex

    return shlex.split(editor)


@command("edit")
def edit_cmd(
    case_id: Annotated[str, typer.Argument(metavar="SAKSNR", help="Saksnummeret, f.eks. 2026-0007.")],
    av: AvOption = None,
) -> None:
    """Rediger en sak i $VISUAL/$EDITOR. Gyldig innhold blir én commit.

    Er innholdet ugyldig, vises feilene (fil:linje). I en terminal kan du redigere igjen;
    ellers avsluttes skm med kode 1, saken er uendret og det du skrev ligger i et utkast.
    """
    from skolemiljo.services.cases import start_edit

    case_repo = repo()
    author = author_for(case_repo.root, av)
    editor = _editor()
    session = start_edit(case_repo, case_id)
    draft = session.draft
    if session.moved_aside is not None:
        err(f"Utkastet du ikke fikk lagret sist, bygger på en eldre versjon av saken; det er tatt vare på i "
            f"{case_repo.rel(session.moved_aside)}. Du redigerer saken slik den er nå.")
    if session.resumed:
        err(f"Fortsetter med utkastet du ikke fikk lagret sist: {case_repo.rel(draft)}")
    try:
        _edit_loop(case_repo, case_id, author, editor, session)
    finally:
        session.close()


def _edit_loop(case_repo, case_id: str, author, editor: list[str], session) -> None:
    from skolemiljo.services.cases import finish_edit

    draft = session.draft
    import subprocess

    while True:
        try:
            code = subprocess.call([*editor, str(draft)])
        except OSError:
            raise UsageError(f"Kunne ikke starte redigeringsprogrammet «{editor[0]}».",
                             hint=f"Utkastet ligger i {case_repo.rel(draft)}.") from None
        if code != 0:
            raise SkmError(f"Redigeringsprogrammet avsluttet med feil (kode {code}); saken er uendret.",
                           hint=f"Utkastet ligger i {case_repo.rel(draft)}.")
        result = finish_edit(case_repo, case_id, author, session)
        if result.outcome != "invalid":
            break
        err(f"Sak {case_id} er ikke lagret: innholdet har feil.")
        for finding in result.findings:
            err(f"  {finding.format()}")
        if sys.stdin.isatty() and prompts.yes_no("Vil du redigere igjen?", default=True):
            continue
        err(f"Det du skrev er tatt vare på i {case_repo.rel(draft)}.")
        err(f"Kjør `skm edit {case_id}` for å fortsette der du slapp.")
        raise typer.Exit(EXIT_REFUSED)
    if result.outcome == "unchanged":
        typer.echo(f"Ingen endringer i sak {case_id}.")
    else:
        typer.echo(f"Lagret sak {case_id}.")
    if result.kept_comments and result.draft:
        err("Merk: kommentarer (#) lagres ikke i saken. Skriv det som skal dokumenteres i loggen.")
        err(f"Teksten din med kommentarene er tatt vare på i {case_repo.rel(result.draft)}.")


@command("show")
def show_cmd(
    case_id: Annotated[str, typer.Argument(metavar="SAKSNR", help="Saksnummeret, f.eks. 2026-0007.")],
    as_json: Annotated[bool, typer.Option(
        "--json", help="Skriv hele saken som JSON (med navn og sakstekst: krever --navn).")] = False,
    navn: Annotated[bool, typer.Option("--navn", help="Ta med elevens navn (ikke i delte logger!).")] = False,
) -> None:
    """Vis en sak: hvor den står, og hva neste trinn krever.

    Uten --navn viser skm klassen, men ikke elevens navn; sakstekst vises aldri her (bruk
    `skm render` eller `skm edit`). `--json --navn` skriver hele saksfila som JSON.
    """
    from skolemiljo.domain.presentation import describe_case
    from skolemiljo.storage.casefiles import read_case

    if as_json and not navn:
        raise UsageError("skm show --json skriver hele saken, med elevens navn og sakstekst: legg til --navn.")
    case = read_case(repo(), case_id)
    if as_json:
        typer.echo(json_for_terminal(case.data))
        return
    typer.echo(describe_case(case.data, with_name=navn))


@command("list")
def list_cmd(
    status: Annotated[Optional[Status], typer.Option("--status", help="Bare saker med denne statusen.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv listen som JSON.")] = False,
    navn: Annotated[bool, typer.Option("--navn", help="Ta med elevens navn (ikke i delte logger!).")] = False,
) -> None:
    """List sakene: saksnummer, status, sakstype, klasse og mottatt-dato."""
    from skolemiljo.services.overview import case_summaries

    rows = case_summaries(repo(), status.value if status else None, with_names=navn)
    if as_json:
        out = []
        for row in rows:
            item = {"id": row.id, "status": row.status, "sakstype": row.sakstype, "klasse": row.klasse,
                    "mottatt": row.mottatt}
            if navn:
                item["navn"] = row.navn
            out.append(item)
        typer.echo(json_for_terminal(out))
        return
    if not rows:
        typer.echo("Ingen saker." if status is None else f"Ingen saker med status {status.value}.")
        return
    from skolemiljo.domain.presentation import text_table

    headers = ["Saksnr", "Status", "Sakstype", "Klasse", "Mottatt"] + (["Navn"] if navn else [])
    table = [[r.id, r.status, r.sakstype, r.klasse, r.mottatt] + ([r.navn] if navn else []) for r in rows]
    typer.echo("\n".join(text_table(headers, table)))
    typer.echo(f"{len(rows)} saker." if len(rows) != 1 else "1 sak.")


@command("validate")
def validate_cmd(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(metavar="[STI]...", help="Saksfiler som skal kontrolleres (standard: alle).")
    ] = None,
) -> None:
    """Kontroller saker mot skjemaet og rapporter alle feil som FIL:LINJE: [kontroll] melding.

    Utdata nevner felt og lovhjemmel, aldri elevens navn eller tekst fra saken.
    """
    from skolemiljo.schema.validation import validate_files

    case_repo = repo()
    files = [p for p in paths] if paths else case_repo.case_files()
    for path in files:
        if not os.path.lexists(path):
            raise UsageError(f"Fant ikke fila {path}.")
    total = 0
    bad = 0
    # A symlink, a FIFO or a folder is one finding, like any file that cannot be read.
    for findings in validate_files([(str(path), case_repo.rel(path)) for path in files]):
        total += 1
        if findings:
            bad += 1
            for finding in findings:
                typer.echo(finding.format())
    if bad:
        typer.echo(f"{'1 sak' if bad == 1 else f'{bad} saker'} av {total} har feil.", err=True)
        raise typer.Exit(EXIT_REFUSED)
    typer.echo(f"Alle {total} saker er gyldige." if total != 1 else "Saken er gyldig.", err=True)


@command("history")
def history_cmd(
    case_id: Annotated[str, typer.Argument(metavar="SAKSNR", help="Saksnummeret, f.eks. 2026-0007.")],
    as_json: Annotated[bool, typer.Option("--json", help="Skriv historikken som JSON.")] = False,
) -> None:
    """Vis sakens historikk fra git: dato, hvem og hva – hver endring er en commit."""
    from dataclasses import asdict

    from skolemiljo.storage.history import case_history

    case_repo = repo()
    entries = case_history(case_repo, case_repo.existing_case_path(case_id))
    if as_json:
        typer.echo(json_for_terminal([asdict(e) for e in entries]))
        return
    if not entries:
        typer.echo(f"Sak {case_id} har ingen historikk ennå (ikke committet).")
        return
    for entry in entries:
        when = entry.when[:16].replace("T", " ")
        mark = "" if entry.action_id else "  (endret utenom skm)"
        typer.echo(f"{for_terminal(when)}  {for_terminal(entry.author)}  {for_terminal(entry.action)}{mark}")
