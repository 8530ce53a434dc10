"""The author of a change: ``Navn <epost>``, on one line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from skolemiljo.errors import UsageError



_AUTHOR = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>\s*$")


def _unsafe(text: str) -> bool:
    """A line break or another control character: git and the case log would store it differently."""
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


_UNSAFE = "Ugyldig forfatter: navnet eller e-postadressen har linjeskift eller andre kontrolltegn."
_UNSAFE_HINT = 'Skriv forfatteren på én linje, som "Navn <epost@skole.no>".'


@dataclass(frozen=True)
class Author:
    """Who makes a change: one line each, as git's author and the case log's ``av`` must agree."""

    name: str
    email: str

    def __post_init__(self) -> None:
        if _unsafe(self.name) or _unsafe(self.email):
            raise UsageError(_UNSAFE, hint=_UNSAFE_HINT)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def parse_author(text: str) -> Author:
    if _unsafe(text):  # never echoed: it could move the cursor or forge a line
        raise UsageError(_UNSAFE, hint=_UNSAFE_HINT)
    match = _AUTHOR.match(text)
    if not match:
        raise UsageError(f"Ugyldig forfatter «{text}». Skriv den som \"Navn <epost@skole.no>\".")
    return Author(match["name"], match["email"])
