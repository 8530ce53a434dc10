"""The Typer application, the command wrapper and the console entry point.

Every command module (``cli.cases``, ``cli.workflow``, …) registers its commands on
``app`` with ``command``; ``cli.failures.exit_code_for`` is the one place where an
exception becomes a Norwegian message and an exit code.
"""

import copy
import enum
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from skolemiljo import __version__
from skolemiljo.cli.failures import STATE, SkmGroup, err, exit_code_for, guarded, present_error
from skolemiljo.cli.norsk import SkmCommand
from skolemiljo.domain import model
from skolemiljo.domain.legal import fill

HELP = """\
skm – saksbehandling for kap. 12-saker (opplæringslova): trygt og godt skolemiljø.

Hver sak er én YAML-fil i cases/, og hver endring er en git-commit, slik at
historikken er dokumentasjonen loven krever ([hjemmel:dokumentasjon]).

Slik kommer du i gang:  skm init MAPPE --skole "Navn vgs"  →  skm new-case  →  skm show SAKSNR

Utgangskoder: 0 ok · 1 avvist, ugyldig innhold eller ikke mulig å skrive (disken er full,
skrivebeskyttet) · 2 feil bruk (ukjent valg, umulig dato, ukjent sak, ikke i et saksarkiv) ·
3 intern feil i skm (detaljene i en loggfil under .skm/logg/).
"""


app = typer.Typer(
    help=fill(HELP),
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


__all__ = ["STATE", "app", "command", "err", "exit_code_for", "present_error", "repo"]


def command(*names: str, on: typer.Typer | None = None, **kwargs: Any) -> Callable:
    """Register a command (on ``app``, or the sub-app ``on``) whose exceptions become
    messages and exit codes (``cli.failures``)."""

    def register(func: Callable) -> Callable:
        if func.__doc__:
            func.__doc__ = fill(func.__doc__)
        (on or app).command(*names, cls=SkmCommand, **kwargs)(guarded(func))
        return func

    return register


def repo():  # -> CaseRepo
    """The case repository, with any write a crash interrupted finished or undone first."""
    from skolemiljo.storage.repository import find_repository
    from skolemiljo.storage.transaction import recover_if_interrupted

    found = find_repository(STATE.directory)
    if recover_if_interrupted(found):
        from skolemiljo.storage.journal import take_notices

        for notice in take_notices():  # a journal skm did not trust was set aside: say so, once
            err(notice)
    return found


def author_for(root: Path, explicit: str | None):
    from skolemiljo.storage.git import resolve_author

    return resolve_author(root, explicit)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"skm {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
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
    STATE.command = ctx.invoked_subcommand



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

    Standard streams that are closed (``skm list >&-``) are opened on ``/dev/null`` first, so
    no file skm opens can take their place; a closed stdout is refused before anything is
    done, since the answer (a new case's id) would be lost. Output that cannot be written at
    the end (``>/dev/full``) is reported by ``failures.output_failure``.

    skm has finished all its work when the command returns: files are written and
    fsynced, commits made, locks and git processes closed. So it ends with
    ``os._exit`` after flushing its output, skipping the interpreter's teardown of
    every imported module (~10 ms of each command's start-up budget), unless a
    profiler or coverage tool is watching.

    A command lives for a fraction of a second and its data has no reference cycles worth
    collecting, so Python's cyclic garbage collector is off (``gc.disable``): it otherwise scans
    every cached record again and again while a command builds its answer (warm ``skm status``
    at 10,000 cases: 466 → 288 ms). Memory is still freed by reference counting. ``skm serve``,
    which runs for days, turns it on again (``web.server.start``).
    """
    import gc

    gc.disable()
    from skolemiljo.cli.failures import closed_standard_streams, output_failure, refuse_closed_stdout

    closed = closed_standard_streams()
    if 1 in closed:
        code = refuse_closed_stdout()
    else:
        try:
            app_for(sys.argv[1:])(prog_name="skm")
            code = 0
        except SystemExit as stop:
            if stop.code is None or isinstance(stop.code, int):
                code = stop.code or 0
            else:
                err(str(stop.code))
                code = 1
        except BaseException as error:  # noqa: BLE001 - outside the command group: still one handler
            code = exit_code_for(error)
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError) as error:
        code = output_failure(error, code)
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say anything; the exit code still tells
    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)  # a profiler or coverage wants its report at the normal exit
    os._exit(code)


if __name__ == "__main__":
    main()
