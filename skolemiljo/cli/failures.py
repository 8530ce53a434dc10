"""The one place where an exception becomes a message and an exit code.

``exit_code_for`` decides, for every exception that ends a command:

* ``SkmError``: its Norwegian message (findings, missing items, hint) and its exit code (1 or 2);
* Click's usage errors: the usage line and the Norwegian message, exit 2;
* ``KeyboardInterrupt``: "Avbrutt", exit 130;
* an ``OSError`` of the machine's (disk full, read-only, no access): a Norwegian ``FileProblem``, exit 1;
* anything else is a bug in skm: "Intern feil i skm (TypeName)", exit 3, and the traceback in a
  log file (``storage.crashlog``). The terminal never gets the exception's text, which may hold
  case text, only its type and where the log is.

Each message ends by saying what the command changed (``storage.activity``): "ingenting er
endret" only when that is true. ``SkmGroup.main`` (the top-level command group) and the
``command`` wrapper in ``cli.app`` both send every exception here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from skolemiljo.cli.norsk import NorwegianGroup, translate_error
from skolemiljo.errors import (
    EXIT_INTERNAL,
    EXIT_REFUSED,
    FileProblem,
    InvalidCaseError,
    RequirementsNotMetError,
    SkmError,
    os_reason,
)
from skolemiljo.storage import activity

# Exceptions that are Click's and Typer's own way of ending a command (typer.Exit is one).
CLI_FLOW = (typer.Exit, typer.Abort, typer.TyperException)

class _Run:
    """What this run of skm was asked: the ``-C`` folder and the command (set by ``cli.app``)."""

    directory: Path | None = None
    command: str | None = None


STATE = _Run()


def err(text: str) -> None:
    """Print ``text`` on standard error; whatever it quotes cannot steer the terminal (``for_terminal``)."""
    from skolemiljo.domain.text import for_terminal

    try:
        typer.echo(for_terminal(text, multiline=True), err=True)
    except (OSError, ValueError):
        pass  # stderr closed or full: the exit code still tells


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
    note = changes_note()
    if note:
        err(note)
    elif isinstance(error, FileProblem):  # the machine said no: say that skm left everything as it was
        err("Ingenting er endret.")
    return error.exit_code


def changes_note() -> str | None:
    """What the command changed before it ended, when that is not obvious from the message.

    None when nothing changed and no write was under way (a refusal already says so).
    """
    done = activity.CURRENT
    parts = []
    if done.commits:
        cases = sorted({case for case, _commit in done.commits if case})
        last = done.commits[-1][1][:10]
        if len(done.commits) == 1:
            what = f"sak {cases[0]}" if cases else "saksarkivet"
            parts.append(f"Endringen av {what} ble lagret før feilen (commit {last}).")
        else:
            parts.append(f"{len(done.commits)} endringer ble lagret før feilen (siste commit {last}).")
    if done.interrupted:
        parts.append("Feilen kom midt i en skriving; neste skm-kommando fullfører eller angrer den.")
    if done.files:
        shown = ", ".join(str(path) for path in done.files[:5]) + (" …" if len(done.files) > 5 else "")
        parts.append(f"Disse filene ble skrevet før feilen: {shown}.")
    return " ".join(parts) or None


def nothing_changed() -> bool:
    return not activity.changed_anything()


def exit_code_for(error: BaseException) -> int:
    """The message and exit code for any exception that ends a command (see the module docstring)."""
    if isinstance(error, SkmError):
        return present_error(error)
    if isinstance(error, (KeyboardInterrupt, typer.Abort)):
        err("Avbrutt; ingenting er endret." if nothing_changed() else f"Avbrutt. {changes_note()}")
        return 130 if isinstance(error, KeyboardInterrupt) else EXIT_REFUSED
    if isinstance(error, typer.Exit):
        return error.exit_code
    if isinstance(error, typer.TyperException):  # Click's errors, through Typer's public base class
        if getattr(error, "exit_code", 1) == 2:  # a usage error (Click's UsageError and its kinds)
            _show_usage_error(error)
        else:
            err(f"Feil: {translate_error(_message_of(error))}")
        return getattr(error, "exit_code", 1)
    if (isinstance(error, OSError) and error.filename is None and error.errno in _OUTPUT_ERRNOS
            and (_raised_while_printing(error) or _stdout_broken())):
        return output_failure(error, 0)  # writing the answer to stdout failed
    if isinstance(error, OSError) and os_reason(error) is not None:
        return present_error(FileProblem.from_os_error(error, _doing(error)))
    return internal_error(error)


def _raised_while_printing(error: BaseException) -> bool:
    """True when ``error`` came out of Click's ``echo`` (Typer's printing), not from a file skm wrote.

    Click prints through a text wrapper of its own, so after a failed write ``sys.stdout``
    may have nothing left to flush; the traceback says where the error came from.
    """
    frame = error.__traceback__
    while frame is not None:
        code = frame.tb_frame.f_code
        if code.co_name == "echo" and "click" in code.co_filename.replace("\\", "/"):
            return True
        frame = frame.tb_next
    return False


def _stdout_broken() -> bool:
    """True when stdout cannot take its buffered output (the error came from there, not a pipe to git)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def _output_errnos() -> frozenset[int]:
    import errno

    return frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EBADF, errno.EFBIG})


_OUTPUT_ERRNOS = _output_errnos()


def output_failure(error: BaseException, code: int) -> int:
    """The answer could not be written to stdout (``>/dev/full``, ``| head``); the exit code.

    The exit code tells what happened to the action, not to its printout: a command that
    committed its change exits 0 (a retry would register the case twice) and says on stderr
    what was saved; one that changed nothing exits 1. A closed pipe (``skm list | head``) is
    not worth a message.
    """
    import errno

    _silence_stdout()
    reason = (os_reason(error) if isinstance(error, OSError) else None) or "utdata er lukket"
    if activity.CURRENT.commits:
        err(f"Svaret kunne ikke skrives til standard utdata ({reason}). {changes_note()} "
            "Ikke gjør det samme en gang til.")
        return code
    if isinstance(error, OSError) and error.errno == errno.EPIPE:
        return code or EXIT_REFUSED
    err(f"Feil: svaret kunne ikke skrives til standard utdata: {reason}.")
    return code or EXIT_REFUSED


def _silence_stdout() -> None:
    """Drop what is still buffered for stdout: it cannot be written, and must not be retried at exit."""
    import os

    try:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until the process ends
    except OSError:
        pass


def closed_standard_streams() -> set[int]:
    """Open ``/dev/null`` on each of fds 0–2 that is closed; the ones that were.

    Otherwise the next file skm opens (the lock, a case file) would get that number, and
    anything written to "stdout" would land in it.
    """
    import os

    closed = set()
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.add(fd)
    for fd in sorted(closed):
        opened = os.open(os.devnull, os.O_RDWR)
        if opened != fd:  # pragma: no cover - lower fds are open, so the kernel gives this one
            os.dup2(opened, fd)
            os.close(opened)
    if 2 in closed:
        sys.stderr = None  # type: ignore[assignment]  # nothing to say, nowhere to say it
    return closed


def refuse_closed_stdout() -> int:
    """``skm … >&-``: nowhere to write the answer (a new case's id), so nothing is done."""
    err("Feil: standard utdata er lukket, så skm har ingen steder å skrive svaret; ingenting er gjort.")
    err("Tips: Send utdata til en fil eller /dev/null (`skm … > fil`) i stedet for å lukke den.")
    return EXIT_REFUSED


def _doing(error: OSError) -> str:
    import errno

    return "lese" if error.errno in (errno.ENOENT, errno.EISDIR, errno.ENOTDIR) else "bruke"


def internal_error(error: BaseException) -> int:
    """A bug: a Norwegian message without the exception's text, the traceback in a log file."""
    from skolemiljo.storage.crashlog import write_report

    log = write_report(_report(error), _repository_root())
    kind = type(error).__name__
    if nothing_changed():
        err(f"Intern feil i skm ({kind}); ingenting er endret.")
    else:
        err(f"Intern feil i skm ({kind}). {changes_note()}")
    if log is not None:
        err(f"Detaljene står i {log}. Meld feilen til den som drifter skm, og legg ved fila: "
            "den kan inneholde opplysninger fra saker, så send den bare på en trygg måte.")
    else:
        err("Detaljene kunne ikke skrives til noen loggfil (disken er full eller skrivebeskyttet).")
    return EXIT_INTERNAL


def _repository_root() -> Path | None:
    from skolemiljo.storage.repository import find_repository

    try:
        return find_repository(STATE.directory).root
    except (SkmError, OSError):
        return None


def _report(error: BaseException) -> str:
    import platform
    import traceback
    from datetime import datetime

    from skolemiljo import __version__

    done = activity.CURRENT
    lines = [
        "Intern feil i skm",
        f"Tid: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"skm {__version__}, Python {platform.python_version()}, {platform.platform()}",
        f"Kommando: skm {STATE.command or '?'} (argumentene er utelatt: de kan inneholde navn)",
        f"Commits laget: {', '.join(c for _case, c in done.commits) or 'ingen'}; "
        f"skriving avbrutt: {'ja, ikke rullet tilbake' if done.interrupted else 'nei'}",
        "",
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    ]
    return "\n".join(lines)


def _message_of(error: Exception) -> str:
    format_message = getattr(error, "format_message", None)
    return format_message() if callable(format_message) else str(error)


def _show_usage_error(error: Exception) -> None:
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        err(ctx.get_usage())
        err(f"Se '{ctx.command_path} --help' for hjelp.\n")
    err(f"Feil: {translate_error(_message_of(error))}")


def guarded(func: Any) -> Any:
    """``func`` with every exception but Click's own flow turned into ``typer.Exit(code)``.

    Inside a command, so that ``KeyboardInterrupt`` and ``OSError`` are seen before Typer
    turns them into its own exits.
    """
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kw: Any) -> Any:
        try:
            return func(*args, **kw)
        except CLI_FLOW:
            raise
        except (Exception, KeyboardInterrupt) as error:
            raise typer.Exit(exit_code_for(error)) from None

    return wrapper


class SkmGroup(NorwegianGroup):
    """The top-level group: every exception through ``exit_code_for``; Norwegian usage errors."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        activity.reset()
        STATE.directory = STATE.command = None
        try:
            result = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                  standalone_mode=False, **extra)
        except (Exception, KeyboardInterrupt) as error:
            code = exit_code_for(error)
        else:
            code = result if isinstance(result, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code
