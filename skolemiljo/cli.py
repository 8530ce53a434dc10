"""The ``skm`` command line: parse arguments, call the API, print results.

All the work happens in plain modules (``cases``, ``workflow``, ``validation``,
``audit``…). This module only parses and prints, and ``present_error`` is the
one place where exceptions become Norwegian messages and exit codes.
"""


import copy
import enum
import functools
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from . import __version__, dates, model
from .cli_norsk import SkmCommand, SkmGroup
from .errors import EXIT_REFUSED, InvalidCaseError, RequirementsNotMetError, SkmError, UsageError

HELP = """\
skm – saksbehandling for kap. 12-saker (opplæringslova): trygt og godt skolemiljø.

Hver sak er én YAML-fil i cases/, og hver endring er en git-commit, slik at
historikken er dokumentasjonen loven krever (§ 12-4 sjette ledd).

Slik kommer du i gang:  skm init MAPPE --skole "Navn vgs"  →  skm new-case  →  skm show SAKSNR

Utgangskoder: 0 ok · 1 avvist eller ugyldig innhold · 2 feil bruk (ukjent valg, umulig dato,
ukjent sak, ikke i et saksarkiv).
"""

app = typer.Typer(
    help=HELP,
    cls=SkmGroup,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Sakstype = enum.Enum("Sakstype", {v: v for v in model.SAKSTYPER}, type=str)  # type: ignore[misc]
MeldtAv = enum.Enum("MeldtAv", {v: v for v in model.MELDT_AV}, type=str)  # type: ignore[misc]
Status = enum.Enum("Status", {v: v for v in model.STATUSES}, type=str)  # type: ignore[misc]
Malform = enum.Enum("Malform", {"nb": "nb", "nn": "nn"}, type=str)  # type: ignore[misc]

AvOption = Annotated[
    Optional[str],
    typer.Option("--av", help='Hvem som gjør endringen, "Navn <epost>". Ellers SKM_AV eller git user.name/email.'),
]


class _State:
    directory: Path | None = None


STATE = _State()


def err(text: str) -> None:
    typer.echo(text, err=True)


def present_error(error: SkmError) -> int:
    """Print an ``SkmError`` in Norwegian and return its exit code."""
    err(f"Feil: {error.message}")
    if isinstance(error, InvalidCaseError):
        for finding in error.findings:
            err(f"  {finding.format()}")
    if isinstance(error, RequirementsNotMetError):
        for item in error.missing:
            err(f"  - {item}")
    if error.hint:
        err(f"Tips: {error.hint}")
    return error.exit_code


def command(*names: str, on: typer.Typer | None = None, **kwargs: Any) -> Callable:
    """Register a command (on ``app``, or the sub-app ``on``) whose ``SkmError``s become
    messages and exit codes."""

    def register(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kw: Any) -> Any:
            try:
                return func(*args, **kw)
            except SkmError as error:
                raise typer.Exit(present_error(error)) from None
            except KeyboardInterrupt:
                err("Avbrutt; ingenting er endret.")
                raise typer.Exit(130) from None

        (on or app).command(*names, cls=SkmCommand, **kwargs)(wrapper)
        return func

    return register


def repo():  # -> CaseRepo
    """The case repository, with any write a crash interrupted finished or undone first."""
    from .cases import recover_if_interrupted
    from .repository import find_repository

    found = find_repository(STATE.directory)
    recover_if_interrupted(found)
    return found


def author_for(root: Path, explicit: str | None):
    from .audit import resolve_author

    return resolve_author(root, explicit)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"skm {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    directory: Annotated[
        Optional[Path],
        typer.Option("-C", "--katalog", help="Bruk saksarkivet i denne mappen (ellers: leter oppover herfra).",
                     file_okay=False),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Vis versjonen og avslutt.")
    ] = False,
) -> None:
    STATE.directory = directory


def interactive(no_input: bool) -> bool:
    return not no_input and sys.stdin.isatty()


# ---------------------------------------------------------------------- init

@command("init")
def init_cmd(
    directory: Annotated[Path, typer.Argument(help="Mappen saksarkivet skal ligge i (lages om den ikke finnes).")],
    skole: Annotated[str, typer.Option("--skole", help="Skolens navn, slik det skal stå på dokumentene.")],
    skoleeier: Annotated[
        Optional[str], typer.Option("--skoleeier", help="Kommunen/fylkeskommunen som varsles (§ 12-4, § 12-5).")
    ] = None,
    malform: Annotated[Malform, typer.Option("--malform", help="Målform for dokumenter: nb eller nn.")] = Malform.nb,
    av: AvOption = None,
) -> None:
    """Opprett et nytt saksarkiv: cases/, calendar.yaml, skjemaer, skole.yaml – og én commit.

    Eksempel: skm init saker --skole "Fjordvik vgs" --skoleeier "Vestland fylkeskommune"
    """
    from .initrepo import init_repository
    from .repository import Settings

    if not skole.strip():
        raise UsageError("--skole kan ikke være tom.")
    if STATE.directory is not None and not directory.is_absolute():
        directory = STATE.directory / directory  # like git -C: relative to that folder
    author = author_for(directory if directory.is_dir() else Path.cwd(), av)
    settings = Settings(skole=skole.strip(), skoleeier=(skoleeier or "").strip() or None, malform=malform.value)
    created = init_repository(directory, settings, author)
    typer.echo(f"Opprettet saksarkiv i {created.root}")
    typer.echo("Neste steg: registrer en melding med `skm new-case`.")


# ------------------------------------------------------------------ new-case

def _ask(value: str | None, prompt: str, option: str, ask: bool) -> str:
    if value is not None and value.strip():
        return value.strip()
    if value is not None:
        raise UsageError(f"{option} kan ikke være tom.")
    if not ask:
        raise UsageError(f"Mangler {option} ({prompt.lower()}).",
                         hint="Oppgi alle verdiene som valg, eller kjør kommandoen i en terminal for å bli spurt.")
    while True:
        answer = typer.prompt(prompt).strip()
        if answer:
            return answer
        err("Svaret kan ikke være tomt.")


def _ask_choice(value: enum.Enum | None, prompt: str, option: str, choices: tuple[str, ...], ask: bool) -> str:
    if value is not None:
        return value.value
    if not ask:
        raise UsageError(f"Mangler {option} ({prompt.lower()}: {', '.join(choices)}).")
    while True:
        answer = typer.prompt(f"{prompt} ({', '.join(choices)})").strip()
        if answer in choices:
            return answer
        err(f"Velg en av: {', '.join(choices)}.")


@command("new-case")
def new_case_cmd(
    elev: Annotated[Optional[str], typer.Option("--elev", help="Elevens navn.")] = None,
    klasse: Annotated[Optional[str], typer.Option("--klasse", help="Klasse eller gruppe, f.eks. 2STB.")] = None,
    under_18: Annotated[
        Optional[bool], typer.Option("--under-18/--over-18", help="Er eleven under 18? Da deltar foresatte.")
    ] = None,
    sakstype: Annotated[
        Optional[Sakstype],
        typer.Option("--sakstype", help="elev-elev (§ 12-4), ansatt-elev (§ 12-5), ledelse-elev (§ 12-5) eller annet."),
    ] = None,
    meldt_av: Annotated[
        Optional[MeldtAv], typer.Option("--meldt-av", help="Hvem som meldte: elev, foresatt, ansatt, anonym, annen.")
    ] = None,
    mottatt_av: Annotated[
        Optional[str], typer.Option("--mottatt-av", help="Hvem som tok imot meldingen, f.eks. «Per Haugen (kontaktlærer)».")
    ] = None,
    mottatt: Annotated[
        Optional[str], typer.Option("--mottatt", help="Datoen meldingen kom, ÅÅÅÅ-MM-DD (standard: i dag).")
    ] = None,
    beskrivelse: Annotated[Optional[str], typer.Option("--beskrivelse", help="Hva som ble meldt.")] = None,
    kategori: Annotated[
        Optional[list[str]], typer.Option("--kategori", help="Hva meldingen gjelder; kan gis flere ganger.")
    ] = None,
    alvorlig: Annotated[
        bool, typer.Option("--alvorlig", help="Alvorlig tilfelle: skoleeier skal varsles (§ 12-4 andre ledd).")
    ] = False,
    no_input: Annotated[bool, typer.Option("--no-input", help="Aldri spør; manglende verdier er en feil.")] = False,
    av: AvOption = None,
) -> None:
    """Registrer en ny melding (status mottatt). Skriver saksnummeret på siste linje.

    I en terminal blir du spurt om det som mangler. Eksempel:

      skm new-case --elev "Kari Nordmann" --klasse 9B --under-18 --sakstype elev-elev
      --meldt-av elev --mottatt-av "Per Haugen (kontaktlærer)" --beskrivelse "..." --no-input
    """
    from .cases import NewCase, new_case

    case_repo = repo()
    author = author_for(case_repo.root, av)
    ask = interactive(no_input)
    received = dates.parse_date(mottatt, "--mottatt") if mottatt else dates.today()
    if received > dates.today():
        raise UsageError(f"--mottatt {received.isoformat()} er fram i tid.")
    categories = [k.strip() for k in (kategori or [])]
    for item in categories:
        if not model.KATEGORI_PATTERN.fullmatch(item):
            raise UsageError(f"Ugyldig kategori «{item}»: bruk små bokstaver og bindestrek, f.eks. digital-mobbing.")
    report = NewCase(
        elev_navn=_ask(elev, "Elevens navn", "--elev", ask),
        klasse=_ask(klasse, "Klasse", "--klasse", ask),
        under_18=under_18 if under_18 is not None else _ask_under_18(ask),
        sakstype=_ask_choice(sakstype, "Sakstype", "--sakstype", model.SAKSTYPER, ask),
        meldt_av=_ask_choice(meldt_av, "Meldt av", "--meldt-av", model.MELDT_AV, ask),
        mottatt_av=_ask(mottatt_av, "Mottatt av", "--mottatt-av", ask),
        mottatt=received.isoformat(),
        beskrivelse=_ask(beskrivelse, "Hva ble meldt", "--beskrivelse", ask),
        kategorier=list(dict.fromkeys(categories)),
        alvorlig=alvorlig,
    )
    case_id = new_case(case_repo, report, author)
    typer.echo(f"Registrerte melding som sak {case_id} (status mottatt).", err=True)
    typer.echo(case_id)


def _ask_under_18(ask: bool) -> bool:
    if not ask:
        raise UsageError("Mangler --under-18 eller --over-18.")
    return typer.confirm("Er eleven under 18 år?", default=True)


# ---------------------------------------------------------------------- edit

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
    from .cases import finish_edit, start_edit

    case_repo = repo()
    author = author_for(case_repo.root, av)
    editor = _editor()
    draft, resumed = start_edit(case_repo, case_id)
    if resumed:
        err(f"Fortsetter med utkastet du ikke fikk lagret sist: {case_repo.rel(draft)}")
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
        result = finish_edit(case_repo, case_id, author)
        if result.outcome != "invalid":
            break
        err(f"Sak {case_id} er ikke lagret: innholdet har feil.")
        for finding in result.findings:
            err(f"  {finding.format()}")
        if sys.stdin.isatty() and typer.confirm("Vil du redigere igjen?", default=True):
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


# ---------------------------------------------------------------- show, list

@command("show")
def show_cmd(
    case_id: Annotated[str, typer.Argument(metavar="SAKSNR", help="Saksnummeret, f.eks. 2026-0007.")],
    as_json: Annotated[bool, typer.Option("--json", help="Skriv hele saken som JSON.")] = False,
) -> None:
    """Vis en sak: hvor den står, og hva neste trinn krever."""
    from .cases import read_case
    from .presentation import describe_case

    case = read_case(repo(), case_id)
    if as_json:
        typer.echo(json.dumps(case.data, ensure_ascii=False, indent=2))
        return
    typer.echo(describe_case(case.data))


@command("list")
def list_cmd(
    status: Annotated[Optional[Status], typer.Option("--status", help="Bare saker med denne statusen.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv listen som JSON.")] = False,
    navn: Annotated[bool, typer.Option("--navn", help="Ta med elevens navn (ikke i delte logger!).")] = False,
) -> None:
    """List sakene: saksnummer, status, sakstype, klasse og mottatt-dato."""
    from .overview import case_summaries

    rows = case_summaries(repo(), status.value if status else None, with_names=navn)
    if as_json:
        out = []
        for row in rows:
            item = {"id": row.id, "status": row.status, "sakstype": row.sakstype, "klasse": row.klasse,
                    "mottatt": row.mottatt}
            if navn:
                item["navn"] = row.navn
            out.append(item)
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("Ingen saker." if status is None else f"Ingen saker med status {status.value}.")
        return
    from .presentation import text_table

    headers = ["Saksnr", "Status", "Sakstype", "Klasse", "Mottatt"] + (["Navn"] if navn else [])
    table = [[r.id, r.status, r.sakstype, r.klasse, r.mottatt] + ([r.navn] if navn else []) for r in rows]
    typer.echo("\n".join(text_table(headers, table)))
    typer.echo(f"{len(rows)} saker." if len(rows) != 1 else "1 sak.")


# ------------------------------------------------------------------ validate

@command("validate")
def validate_cmd(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(metavar="[STI]...", help="Saksfiler som skal kontrolleres (standard: alle).")
    ] = None,
) -> None:
    """Kontroller saker mot skjemaet og rapporter alle feil som FIL:LINJE: [kontroll] melding.

    Utdata nevner felt og lovhjemmel, aldri elevens navn eller tekst fra saken.
    """
    from .validation import validate_bytes

    case_repo = repo()
    files = [p for p in paths] if paths else case_repo.case_files()
    for path in files:
        if not path.is_file():
            raise UsageError(f"Fant ikke fila {path}.")
    total = 0
    bad = 0
    for path in files:
        _data, findings = validate_bytes(path.read_bytes(), case_repo.rel(path))
        total += 1
        if findings:
            bad += 1
            for finding in findings:
                typer.echo(finding.format())
    if bad:
        typer.echo(f"{'1 sak' if bad == 1 else f'{bad} saker'} av {total} har feil.", err=True)
        raise typer.Exit(EXIT_REFUSED)
    typer.echo(f"Alle {total} saker er gyldige." if total != 1 else "Saken er gyldig.", err=True)


# ------------------------------------------------------------------- history

@command("history")
def history_cmd(
    case_id: Annotated[str, typer.Argument(metavar="SAKSNR", help="Saksnummeret, f.eks. 2026-0007.")],
    as_json: Annotated[bool, typer.Option("--json", help="Skriv historikken som JSON.")] = False,
) -> None:
    """Vis sakens historikk fra git: dato, hvem og hva – hver endring er en commit."""
    from dataclasses import asdict

    from .audit import case_history

    case_repo = repo()
    entries = case_history(case_repo, case_repo.existing_case_path(case_id))
    if as_json:
        typer.echo(json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        typer.echo(f"Sak {case_id} har ingen historikk ennå (ikke committet).")
        return
    for entry in entries:
        when = entry.when[:16].replace("T", " ")
        mark = "" if entry.action_id else "  (endret utenom skm)"
        typer.echo(f"{when}  {entry.author}  {entry.action}{mark}")


def command_named(args: list[str]) -> str | None:
    """The command ``args`` run (``skm -C saker show 2026-0007`` → ``show``), or None."""
    position = 0
    while position < len(args):
        arg = args[position]
        if arg in ("-C", "--katalog"):
            position += 2
        elif arg.startswith(("--katalog=", "-C")):
            position += 1
        elif arg.startswith("-"):
            return None  # --help, --version or a mistake: the whole app answers
        else:
            return arg
    return None


def app_for(args: list[str]) -> typer.Typer:
    """``app`` with only the command ``args`` run.

    Typer inspects every command's signature when it builds the command line (~15 ms
    for skm's commands); one command is enough to run one. ``skm --help``, a mistyped
    command and anything unusual get the whole app, so the messages stay the same.
    """
    name = command_named(args)
    commands = [info for info in app.registered_commands if info.name == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not commands and not groups:
        return app
    slim = copy.copy(app)
    slim.registered_commands = commands
    slim.registered_groups = groups
    return slim


def main() -> None:
    """Console entry point.

    skm has finished all its work when the command returns: files are written and
    fsynced, commits made, locks and git processes closed. So it ends with
    ``os._exit`` after flushing its output, skipping the interpreter's teardown of
    every imported module (~10 ms of each command's start-up budget), unless a
    profiler or coverage tool is watching.
    """
    try:
        app_for(sys.argv[1:])(prog_name="skm")
        code = 0
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (`skm list | head`): nothing more to say
        code = code or 1
    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)  # a profiler or coverage wants its report at the normal exit
    os._exit(code)


if __name__ == "__main__":
    main()


from . import cli_workflow  # noqa: E402,F401  (registers the workflow commands)

from . import cli_render  # noqa: E402,F401

from . import cli_check  # noqa: E402,F401  (registers skm check)

from . import cli_sync  # noqa: E402,F401

from . import cli_overview  # noqa: E402,F401  (registers skm status and skm calendar)
