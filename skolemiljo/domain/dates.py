"""Dates: the day skm judges by, strict parsing, Norwegian formatting."""

from __future__ import annotations

import os
import re
from datetime import date
from typing import Any

from skolemiljo.errors import UsageError

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # as jsonschema's format: date

MONTHS_NB = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)
# Nynorsk month names are the same as bokmål.
MONTHS = {"nb": MONTHS_NB, "nn": MONTHS_NB}


def parse_date(text: str, what: str = "dato") -> date:
    """Parse ``YYYY-MM-DD`` strictly; an impossible date is a usage error."""
    text = text.strip()
    if not _ISO.fullmatch(text):
        raise UsageError(f"Ugyldig {what}: «{text}». Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2026-10-12.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"Ugyldig {what}: {text} finnes ikke i kalenderen.") from None


_DATES: dict[str, date | None] = {}  # the same few thousand dates recur in every case


def as_date(value: Any) -> date | None:
    """A real ``YYYY-MM-DD`` date, or None."""
    if type(value) is not str or len(value) != 10:
        return None
    found = _DATES.get(value, False)
    if found is not False:
        return found  # type: ignore[return-value]
    day = None
    if _ISO.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
    if len(_DATES) < 100_000:
        _DATES[value] = day
    return day



def is_iso_date(value: object) -> bool:
    """True when ``value`` is a string holding a real ``YYYY-MM-DD`` date."""
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def today() -> date:
    """Today's date, or ``SKM_TODAY`` when set (tests, demos, CI)."""
    pinned = os.environ.get("SKM_TODAY")
    if pinned:
        return parse_date(pinned, "SKM_TODAY")
    return date.today()


def format_date(d: date | str, malform: str = "nb") -> str:
    """``16. oktober 2026``."""
    if isinstance(d, str):
        d = date.fromisoformat(d)
    return f"{d.day}. {MONTHS[malform][d.month - 1]} {d.year}"


def is_date(value: Any) -> bool:
    """The schema's ``format: date``: strict ``YYYY-MM-DD``, a day that exists."""
    return as_date(value) is not None
