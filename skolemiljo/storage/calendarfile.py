"""``calendar.yaml`` in and out: a repository's calendar read and judged, a new one written.

Reading: the file's bytes → the strict YAML reader → ``domain.schoolyear.load_calendar``.
Whatever cannot be used comes back as a ``Finding`` with the file and the line of the field
(``calendar.yaml:14: [kalender] arshjul[3].hva: kan ikke ha linjeskift …``), for ``skm check``
to report and for ``skm calendar`` to refuse with. Writing: the packaged årshjul
(``skolemiljo/data/arshjul.yaml``) in a new school year's document, through the canonical
dumper of ``yamlio``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skolemiljo.domain.schoolyear import Calendar, load_calendar, new_calendar
from skolemiljo.errors import CalendarProblem, Finding, InvalidCaseError
from skolemiljo.storage import yamlio
from skolemiljo.storage.repository import CALENDAR_FILE, CaseRepo
from skolemiljo.storage.resources import arshjul_path

CHECK = "kalender"

HEADER = (
    "# yaml-language-server: $schema=schemas/calendar.schema.json\n"
    "# Skolens kalender og årshjul (opplæringslova kap. 12). Frister er i arbeidsdager."
)


def read_calendar(path: Path, rel: str = CALENDAR_FILE) -> tuple[Calendar | None, list[Finding]]:
    """The calendar in ``path``, or None and why not (one finding, at the line of the problem)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None, [Finding(rel, 1, CHECK, "calendar.yaml kan ikke leses")]
    try:
        text = yamlio.decode(raw)
        data = yamlio.load(text)
    except yamlio.YamlProblem as problem:
        return None, [Finding(rel, problem.line, CHECK, problem.message)]
    try:
        return load_calendar(data), []
    except CalendarProblem as problem:
        return None, [Finding(rel, yamlio.line_for(yamlio.line_map(text), problem.path), CHECK, problem.message)]


def repository_calendar(repo: CaseRepo) -> Calendar:
    """The repository's calendar; ``InvalidCaseError`` (exit 1, ``FILE:LINE``) when it cannot be used."""
    calendar, findings = read_calendar(repo.calendar_path, repo.rel(repo.calendar_path))
    if calendar is None:
        raise InvalidCaseError("calendar.yaml kan ikke brukes.", findings,
                               hint="Rett linjen som er nevnt; `skm check kalender` kontrollerer kalenderen.")
    return calendar


def packaged_arshjul() -> list[dict[str, Any]]:
    """The routines ``skm init`` puts in a new calendar (the two schools' action plans)."""
    data = yamlio.load_bytes(arshjul_path().read_bytes())
    return list(data["arshjul"])


def calendar_text(document: dict[str, Any]) -> str:
    """A calendar document as ``calendar.yaml`` text: the schema comment first, lines folded at
    100 columns, week and month lists on one line, dates quoted."""
    return yamlio.dump(document, HEADER, width=100, flow_lists=True, quote_dates=True)


def new_calendar_text(start_year: int, skole: str | None) -> str:
    """``calendar.yaml`` for a new case repository: the school year ``start_year`` and the packaged årshjul."""
    return calendar_text(new_calendar(start_year, packaged_arshjul(), skole))
