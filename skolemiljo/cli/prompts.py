"""Asking for missing values in a terminal (never with ``--no-input`` or when stdin is not a terminal)."""

import enum
import sys
from datetime import date

import typer

from skolemiljo.cli.app import err
from skolemiljo.cli.norsk import choose
from skolemiljo.errors import (
    UsageError,
)

YES = ("j", "ja", "y", "yes")
NO = ("n", "nei", "no")


def interactive(no_input: bool) -> bool:
    """Ask for missing values: in a terminal, unless ``--no-input``."""
    return not no_input and sys.stdin.isatty()


def ask_text(value: str | None, prompt: str, option: str, ask: bool) -> str:
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


def ask_choice(value: enum.Enum | None, prompt: str, option: str, choices: tuple[str, ...], ask: bool) -> str:
    if value is not None:
        return value.value
    if not ask:
        raise UsageError(f"Mangler {option} ({prompt.lower()}: {', '.join(choices)}).")
    return choose(prompt, choices)


def yes_no(prompt: str, default: bool) -> bool:
    """A yes/no question in Norwegian: j/ja/n/nei (y/yes/no too); Enter gives the default."""
    shown = "[J/n]" if default else "[j/N]"
    while True:
        answer = typer.prompt(f"{prompt} {shown}", default="", show_default=False).strip().lower()
        if not answer:
            return default
        if answer in YES:
            return True
        if answer in NO:
            return False
        err("Svar j (ja) eller n (nei).")


def ask_under_18(ask: bool) -> bool:
    if not ask:
        raise UsageError("Mangler --under-18 eller --over-18.")
    return yes_no("Er eleven under 18 år?", default=True)


def ask_date(prompt: str, option: str, default: date) -> date:
    """A date, with ``default`` shown; asked again until it is a real date."""
    from skolemiljo.domain import dates
    from skolemiljo.errors import SkmError

    while True:
        answer = typer.prompt(f"{prompt} (ÅÅÅÅ-MM-DD)", default=default.isoformat()).strip()
        try:
            return dates.parse_date(answer, option)
        except SkmError as problem:
            err(problem.message)


def ask_categories(known: tuple[str, ...]) -> list[str]:
    """Categories from the known list, comma-separated; asked again until every one is known."""
    typer.echo(f"Kategorier: {', '.join(known)}")
    while True:
        answer = typer.prompt("Hva gjelder meldingen (en eller flere, skilt med komma)").strip()
        chosen = [part.strip() for part in answer.split(",") if part.strip()]
        unknown = [item for item in chosen if item not in known]
        if chosen and not unknown:
            return list(dict.fromkeys(chosen))
        if unknown:
            err(f"Ukjent kategori «{unknown[0]}». Velg blant kategoriene over.")
        else:
            err("Velg minst én kategori (annet finnes).")


def ask_optional_choice(prompt: str, choices: tuple[str, ...]) -> str | None:
    """One of ``choices``, or None when the answer is empty."""
    while True:
        answer = typer.prompt(f"{prompt} ({', '.join(choices)}; Enter: ikke oppgitt)", default="",
                              show_default=False).strip()
        if not answer:
            return None
        if answer in choices:
            return answer
        err(f"Velg en av: {', '.join(choices)}.")
