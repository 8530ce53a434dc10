"""Asking for missing values in a terminal (never with ``--no-input`` or when stdin is not a terminal)."""

import enum
import sys

import typer

from skolemiljo.cli.app import err
from skolemiljo.errors import (
    UsageError,
)


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
    while True:
        answer = typer.prompt(f"{prompt} ({', '.join(choices)})").strip()
        if answer in choices:
            return answer
        err(f"Velg en av: {', '.join(choices)}.")


def ask_under_18(ask: bool) -> bool:
    if not ask:
        raise UsageError("Mangler --under-18 eller --over-18.")
    return typer.confirm("Er eleven under 18 år?", default=True)
