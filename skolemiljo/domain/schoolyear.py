"""The school calendar: the school year, its holidays, the case deadlines and the årshjul.

The calendar document (``calendar.yaml``) is plain data (dicts, lists, str, int, bool; dates
as ISO strings), validated against ``schemas/calendar.schema.json`` by editors.
``load_calendar`` turns a parsed document into a :class:`Calendar`, refusing what the model
cannot use (with the field's place, for a ``FILE:LINE`` message); ``new_calendar`` makes the
document ``skm init`` writes. No I/O here: ``storage.calendarfile`` reads and writes the file
and the packaged årshjul (``skolemiljo/data/arshjul.yaml``); the holidays that move with the
year are in ``domain.holidays``.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from skolemiljo.domain.holidays import school_holidays, school_year_dates
from skolemiljo.domain.text import text_problem
from skolemiljo.errors import CalendarProblem

__all__ = [
    "DEFAULT_DEADLINES",
    "WEEKDAYS",
    "WHEN_KEYS",
    "Calendar",
    "load_calendar",
    "new_calendar",
    "school_year_start_year",
]

#: Case deadlines in working days (used by ``skm check``); missing keys get these values.
DEFAULT_DEADLINES: dict[str, int] = {
    "varsle_rektor": 1,
    "varsle_skoleeier": 0,
    "start_undersokelse": 2,
    "aktivitetsplan": 5,
    "uten_aktivitet": 20,
}

#: Norwegian weekday names accepted in ``nar.ukentlig`` (index = ``date.weekday()``).
WEEKDAYS: tuple[str, ...] = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")

#: Keys of which a routine's ``nar`` object holds exactly one.
WHEN_KEYS: tuple[str, ...] = ("uker", "maneder", "datoer", "ukentlig", "hele_aret")

Path_ = tuple[str | int, ...]


def school_year_start_year(today: dt.date) -> int:
    """Return the autumn year of the school year containing ``today`` (1 August starts a new one)."""
    return today.year if today.month >= 8 else today.year - 1


def new_calendar(start_year: int, arshjul: Iterable[dict[str, Any]], skole: str | None = None) -> dict[str, Any]:
    """The calendar document of the school year ``start_year``/``start_year + 1`` with the routines ``arshjul``.

    The usual school days and holidays (``domain.holidays``), the default deadlines, and a copy
    of ``arshjul``. Plain data; dates are ISO strings; key order as in the YAML file.
    """
    start, end = school_year_dates(start_year)
    doc: dict[str, Any] = {}
    if skole is not None:
        doc["skole"] = skole
    doc["skolear"] = {"start": start.isoformat(), "slutt": end.isoformat()}
    doc["ferier"] = [{"navn": name, "fra": first.isoformat(), "til": last.isoformat()}
                     for name, first, last in school_holidays(start_year)]
    doc["trekk_fra_ferier"] = True
    doc["frister"] = dict(DEFAULT_DEADLINES)
    doc["arshjul"] = copy.deepcopy(list(arshjul))
    return doc


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Calendar:
    """A parsed school calendar."""

    start: dt.date
    end: dt.date
    holidays: list[tuple[str, dt.date, dt.date]] = field(default_factory=list)
    subtract_holidays: bool = True
    deadlines: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DEADLINES))
    routines: list[dict[str, Any]] = field(default_factory=list)

    def holiday_name(self, d: dt.date) -> str | None:
        """Return the name of the school holiday containing ``d``, or ``None``."""
        for name, first, last in self.holidays:
            if first <= d <= last:
                return name
        return None

    def is_school_holiday(self, d: dt.date) -> bool:
        """True if ``d`` lies in one of the calendar's holidays (``ferier``), both ends included.

        Weekends and public holidays are not considered here.
        """
        return self.holiday_name(d) is not None

    def in_school_year(self, d: dt.date) -> bool:
        """True if ``d`` lies between the first and last school day, both included."""
        return self.start <= d <= self.end


# --------------------------------------------------------------------------- loading


def _where(path: Path_) -> str:
    """``("ferier", 0, "fra")`` → ``ferier[0].fra``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _as_date(value: Any, path: Path_) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CalendarProblem(f"ugyldig dato i kalenderen ({_where(path)}): {value!r}, forventet ÅÅÅÅ-MM-DD", path)


def _text(value: Any, path: Path_, *, multiline: bool = False) -> None:
    """Refuse a line break (in a one-line field) or a control character in a text field."""
    if isinstance(value, str):
        problem = text_problem(value, multiline=multiline)
        if problem:
            raise CalendarProblem(f"{_where(path)}: {problem}", path)


def _numbers(value: Any, path: Path_, low: int, high: int, what: str) -> None:
    if not isinstance(value, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and low <= n <= high for n in value):
        raise CalendarProblem(f"{_where(path)} må være en liste med {what} ({low}–{high})", path)


def _check_when(when: Any, path: Path_) -> None:
    """What the årshjul (``domain.arshjul``) needs of a routine's ``nar``."""
    if when is None:
        return
    if not isinstance(when, dict):
        raise CalendarProblem(f"{_where(path)} må være et objekt med én av {', '.join(WHEN_KEYS)}", path)
    _text(when.get("tekst"), (*path, "tekst"))
    if when.get("uker") is not None:
        _numbers(when["uker"], (*path, "uker"), 1, 53, "ukenumre")
    if when.get("maneder") is not None:
        _numbers(when["maneder"], (*path, "maneder"), 1, 12, "månedsnumre")
    if when.get("datoer") is not None:
        if not isinstance(when["datoer"], list):
            raise CalendarProblem(f"{_where((*path, 'datoer'))} må være en liste med datoer", (*path, "datoer"))
        for n, value in enumerate(when["datoer"]):
            _as_date(value, (*path, "datoer", n))
    weekday = when.get("ukentlig")
    if weekday is not None and weekday not in WEEKDAYS:
        _text(weekday, (*path, "ukentlig"))
        raise CalendarProblem(f"{_where((*path, 'ukentlig'))} må være en ukedag ({', '.join(WEEKDAYS)}), "
                              f"fikk {weekday!r}", (*path, "ukentlig"))


def _routine(item: Any, path: Path_) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise CalendarProblem(f"{_where(path)} må være et objekt med hva, nar, hvordan og ansvar", path)
    for key in ("hva", "ansvar", "kilde"):
        _text(item.get(key), (*path, key))
    _text(item.get("hvordan"), (*path, "hvordan"), multiline=True)
    _check_when(item.get("nar"), (*path, "nar"))
    return dict(item)


def load_calendar(data: Any) -> Calendar:
    """Build a :class:`Calendar` from a parsed calendar document; missing deadlines get defaults.

    Accepts dates as ISO strings or ``date`` objects (as ``yaml.safe_load`` gives for unquoted
    dates). Raises ``CalendarProblem`` (a ``ValueError``) with a Norwegian message and the
    field's path on content the calendar cannot use, including a line break or a control
    character in a text field.
    """
    if not isinstance(data, dict):
        raise CalendarProblem("kalenderen må være et YAML-objekt (nøkkel: verdi)")
    _text(data.get("skole"), ("skole",))
    year = data.get("skolear")
    if not isinstance(year, dict) or "start" not in year or "slutt" not in year:
        raise CalendarProblem("kalenderen mangler 'skolear' med 'start' og 'slutt'", ("skolear",))
    start = _as_date(year["start"], ("skolear", "start"))
    end = _as_date(year["slutt"], ("skolear", "slutt"))
    if end < start:
        raise CalendarProblem("skolear.slutt kan ikke være før skolear.start", ("skolear", "slutt"))

    items = data.get("ferier") or []
    if not isinstance(items, list):
        raise CalendarProblem("ferier må være en liste med 'navn', 'fra' og 'til'", ("ferier",))
    holidays: list[tuple[str, dt.date, dt.date]] = []
    for n, item in enumerate(items):
        path: Path_ = ("ferier", n)
        if not isinstance(item, dict):
            raise CalendarProblem(f"{_where(path)} må ha 'navn', 'fra' og 'til'", path)
        _text(item.get("navn"), (*path, "navn"))
        first = _as_date(item.get("fra"), (*path, "fra"))
        last = _as_date(item.get("til"), (*path, "til"))
        if last < first:
            raise CalendarProblem(f"{_where(path)}: 'til' kan ikke være før 'fra'", (*path, "til"))
        holidays.append((str(item.get("navn", "")), first, last))

    frister = data.get("frister") or {}
    if not isinstance(frister, dict):
        raise CalendarProblem("frister må være et objekt (frist: arbeidsdager)", ("frister",))
    deadlines = dict(DEFAULT_DEADLINES)
    for key, value in frister.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CalendarProblem(f"frister.{key} må være et heltall (arbeidsdager) ≥ 0, fikk {value!r}",
                                  ("frister", key))
        deadlines[str(key)] = value

    subtract = data.get("trekk_fra_ferier", True)
    if not isinstance(subtract, bool):
        raise CalendarProblem("trekk_fra_ferier må være true eller false", ("trekk_fra_ferier",))

    routines = data.get("arshjul") or []
    if not isinstance(routines, list):
        raise CalendarProblem("arshjul må være en liste med rutiner", ("arshjul",))
    return Calendar(
        start=start,
        end=end,
        holidays=holidays,
        subtract_holidays=subtract,
        deadlines=deadlines,
        routines=[_routine(item, ("arshjul", n)) for n, item in enumerate(routines)],
    )
