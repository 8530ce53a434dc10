"""Norwegian for the parts of the command line that Typer and Click write themselves:
help headings, the usage line, the help option, and usage errors.

Typer formats headings through ``gettext`` (bound in ``typer.core`` as ``_``) and
writes errors in English. We give ``typer.core`` a Norwegian ``_``, and
``translate_error`` gives usage errors in Norwegian to ``cli.failures`` — the one
place they reach the user.
``tests/test_cli_norsk.py`` fails if a Typer upgrade changes what this relies on.
"""

from __future__ import annotations

import re
from typing import Any

import typer.core

HEADINGS = {
    "Options": "Valg",
    "Arguments": "Argumenter",
    "Commands": "Kommandoer",
    "required": "påkrevd",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljøvariabel: {var}",
    "(dynamic)": "(dynamisk)",
    "Aborted!": "Avbrutt.",
    "Missing command.": "Mangler kommando.",
    "No such command {name!r}.": "Ukjent kommando {name!r}.",
}

HELP_OPTION_TEXT = "Vis denne hjelpeteksten og avslutt."

_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^No such option: (\S+) Did you mean (.*)\?$", r"Ukjent valg: \1. Ligner på: \2."),
        (r"^No such option: (\S+) \(Possible options: (.*)\)$", r"Ukjent valg: \1. Ligner på: \2."),
        (r"^No such option: (\S+)", r"Ukjent valg: \1."),
        (r"^Missing option '([^']+)'\. Choose from:\s*(.*)$", r"Mangler valget \1. Velg en av: \2."),
        (r"^Missing option '([^']+)'\.(.*)$", r"Mangler valget \1.\2"),
        (r"^Missing argument '([^']+)'\.(.*)$", r"Mangler argumentet \1.\2"),
        (r"^Missing parameter: (.*)$", r"Mangler \1."),
        (r"^Option '([^']+)' requires an argument\.$", r"Valget \1 må ha en verdi."),
        (r"^Option '([^']+)' does not take a value\.$", r"Valget \1 tar ingen verdi."),
        (r"^Got unexpected extra arguments? \((.*)\)$", r"Uventet argument: \1."),
        (r"^No such command '([^']+)'\.$", r"Ukjent kommando: \1."),
        (r"^Missing command\.$", "Mangler kommando."),
        (r"^Invalid value for '([^']+)': (?:Value error, )?'([^']*)' is not one of (.*)\.$", r"Ugyldig verdi for \1: «\2». Velg en av \3."),
        (r"^Invalid value for '([^']+)': (.*)$", r"Ugyldig verdi for \1: \2"),
        (r"^Invalid value for '([^']+)' / '([^']+)': (.*)$", r"Ugyldig verdi for \1 / \2: \3"),
        (r"^Invalid value: (.*)$", r"Ugyldig verdi: \1"),
    )
)


# What Click says about a value (after "Invalid value for '--x': "), in Norwegian.
_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^(?:File|Directory|Path) '(.*)' is a file\.$", r"«\1» er en fil, ikke en mappe."),
        (r"^(?:File|Directory|Path) '(.*)' is a directory\.$", r"«\1» er en mappe, ikke en fil."),
        (r"^(?:File|Directory|Path) '(.*)' does not exist\.$", r"«\1» finnes ikke."),
        (r"^(?:File|Directory|Path) '(.*)' is not readable\.$", r"«\1» kan ikke leses (mangler tilgang)."),
        (r"^(?:File|Directory|Path) '(.*)' is not writable\.$", r"«\1» kan ikke skrives (mangler tilgang)."),
        (r"^(\S+) is not in the range (-?[\d.]+)<=?x<=?(-?[\d.]+)\.$", r"\1 er ikke mellom \2 og \3."),
        (r"^(\S+) is not in the range x>=?(-?[\d.]+)\.$", r"\1 er mindre enn \2."),
        (r"^(\S+) is not in the range x<=?(-?[\d.]+)\.$", r"\1 er større enn \2."),
        (r"^'(.*)' is not a valid integer\.$", r"«\1» er ikke et heltall."),
        (r"^'(.*)' is not a valid float\.$", r"«\1» er ikke et tall."),
    )
)

_INVALID_VALUE = re.compile(r"^(Invalid value for '[^']+'(?: / '[^']+')?: )(.*)$", re.DOTALL)


def translate_error(message: str) -> str:
    """A Click usage error in Norwegian (unknown forms pass through unchanged)."""
    found = _INVALID_VALUE.match(message)
    if found:
        for pattern, replacement in _DETAILS:
            if pattern.search(found[2]):
                message = found[1] + pattern.sub(replacement, found[2])
                break
    if message.startswith("Missing option '") and "Choose from:" in message:  # choices one per line
        head, _, choices = message.partition("Choose from:")
        message = f"{head}Choose from: {' '.join(c.strip() for c in choices.split())}".rstrip(",")
    for pattern, replacement in _ERRORS:
        if pattern.search(message):
            text = pattern.sub(replacement, message)
            return text.replace(" is not a valid integer", " er ikke et heltall").replace(" or ", " eller ")
    return message


def _norwegian_gettext(message: str) -> str:
    return HEADINGS.get(message, message)


typer.core._ = _norwegian_gettext  # type: ignore[attr-defined]


_METAVARS = (("{", ""), ("}", ""), (" <str>", " TEKST"), (" <dir>", " MAPPE"), (" <path>", " STI"),
             (" <int>", " TALL"), ("[OPTIONS]", "[VALG]"), ("COMMAND [ARGS]...", "KOMMANDO [ARG]..."))


class _Norwegian:
    """Mixin: Norwegian usage line, metavars and help option for commands and groups."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        super().format_help(ctx, formatter)  # type: ignore[misc]
        text = re.sub(r"(\s[A-ZÆØÅ_]+) <\w+>", r"\1", "".join(formatter.buffer))
        for old, new in _METAVARS:
            text = text.replace(old, new)
        formatter.buffer[:] = [text]

    def get_usage(self, ctx: Any) -> str:
        text = super().get_usage(ctx)  # type: ignore[misc]
        for old, new in _METAVARS:
            text = text.replace(old, new)
        return text

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Bruk: ")

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option


def interactive(no_input: bool) -> bool:
    """Ask for missing values: in a terminal, unless ``--no-input``."""
    import sys

    return not no_input and sys.stdin.isatty()


def say(text: str) -> None:
    """A line on stderr (a prompt's complaint); nothing when stderr is gone."""
    try:
        typer.echo(text, err=True)
    except (OSError, ValueError):
        pass


def choose(prompt: str, choices: tuple[str, ...]) -> str:
    """Ask until the answer is one of ``choices``."""
    while True:
        answer = typer.prompt(f"{prompt} ({', '.join(choices)})").strip()
        if answer in choices:
            return answer
        say(f"Velg en av: {', '.join(choices)}.")


def ask_nonempty(prompt: str) -> str:
    while True:
        answer = typer.prompt(prompt).strip()
        if answer:
            return answer
        say("Svaret kan ikke være tomt.")


def _given(option: Any, args: list[str]) -> bool:
    names = [*option.opts, *option.secondary_opts]
    for arg in args:
        if arg == "--":
            return False
        if arg in names or any(arg.startswith(f"{name}=") for name in names if name.startswith("--")):
            return True
    return False


def ask_missing_options(command: Any, args: list[str]) -> list[str]:
    """In a terminal, ask for each required option ``args`` lacks (instead of Click's refusal).

    Not with ``--no-input``, ``--help``, or when stdin is not a terminal: then Click refuses as
    before (in Norwegian, ``translate_error``), exit 2.
    """
    if any(arg in ("--help", "-h") for arg in args) or not interactive("--no-input" in args):
        return args
    extra: list[str] = []
    for param in command.params:
        if getattr(param, "param_type_name", "") != "option" or not param.required or _given(param, args):
            continue
        option = param.opts[0]
        if getattr(param.type, "choices", None):
            value = choose(option, tuple(str(c) for c in param.type.choices))
        else:
            value = ask_nonempty(option)
        extra += [option, value]
    return [*extra, *args]


class SkmCommand(_Norwegian, typer.core.TyperCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not ctx.resilient_parsing:
            args = ask_missing_options(self, list(args))
        return super().parse_args(ctx, args)


class NorwegianGroup(_Norwegian, typer.core.TyperGroup):
    """A command group with Norwegian help; ``cli.failures.SkmGroup`` adds the error handling."""
