"""author: moved from audit.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

from skolemiljo.errors import UsageError



_AUTHOR = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>\s*$")


@dataclass(frozen=True)
class Author:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def parse_author(text: str) -> Author:
    match = _AUTHOR.match(text)
    if not match:
        raise UsageError(f"Ugyldig forfatter «{text}». Skriv den som \"Navn <epost@skole.no>\".")
    return Author(match["name"], match["email"])
