"""The named checks of ``skm check``: stable ids, severity, description, legal ground.

The ids are a public contract (CI configurations name them in ``--ignore``);
never rename one. ``docs/checks.md`` documents every id, and a test proves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from skolemiljo.domain.archiving import GROUND as ARCHIVE_GROUND
from skolemiljo.domain.legal import cite, cite_and
from skolemiljo.errors import Finding, UsageError

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Check:
    """One named check."""

    id: str
    severity: str
    description: str  # one line, Norwegian
    ground: str  # the legal ground or the reason, Norwegian
    group: str  # content | deadline | date | file | audit | archive


CHECKS: tuple[Check, ...] = (
    Check("schema", ERROR, "Saksfila kan leses og følger skjemaet (felt, typer, gyldige datoer)",
          f"{cite('dokumentasjon')} (dokumentasjonsplikt)", "content"),
    Check("status", ERROR, "Saken har alt som statusen krever (varsling, undersøkelse, plan, evaluering, avslutning)",
          cite("aktivitetsplikt", "skjerpa", "elevens_beste", "medvirkning"), "content"),
    Check("varsling-rektor-frist", ERROR, "Rektor er varslet senest arbeidsdagen etter at meldingen kom",
          cite("melde"), "deadline"),
    Check("varsling-skoleeier-frist", ERROR, "Skoleeier er varslet samme dag når en ansatt eller ledelsen krenker en elev",
          cite("skjerpa"), "deadline"),
    Check("undersokelse-frist", ERROR, "Undersøkelsen er startet innen 2 arbeidsdager etter meldingen",
          f"{cite('undersoke')} (snarest)", "deadline"),
    Check("aktivitetsplan-frist", ERROR,
          "Saken er konkludert og har aktivitetsplan (eller er avsluttet) innen 5 arbeidsdager etter meldingen",
          cite_and("plan", "statsforvaltaren"), "deadline"),
    Check("evaluering-forfalt", ERROR, "Ingen tiltak har passert evalueringsdatoen uten å være evaluert",
          cite("plan_e"), "deadline"),
    Check("evaluering-mangler-dato", ERROR, "Et tiltak som fortsetter etter en evaluering, har dato for neste evaluering",
          cite("plan_e"), "deadline"),
    Check("uten-aktivitet", WARNING, "En åpen sak har en loggføring de siste 20 arbeidsdagene",
          cite_and("tiltak", "dokumentasjon"), "deadline"),
    Check("oppfolging-forfalt", ERROR,
          "En avsluttet sak med avtalt oppfølging har registrert oppfølgingen (avslutning.oppfulgt) innen datoen",
          cite_and("oppfolging", "dokumentasjon"), "deadline"),
    Check("dato-fram-i-tid", ERROR, "Ingen datoer for noe som har skjedd, ligger fram i tid",
          f"{cite('dokumentasjon')} (riktig dokumentasjon)", "date"),
    Check("dato-rekkefolge", ERROR, "Datoene kommer i mulig rekkefølge (til etter fra, evaluering etter plan …)",
          cite_and("plan", "dokumentasjon"), "date"),
    Check("dato-for-melding", ERROR,
          "Ingenting i en runde er datert før meldingen eller gjenåpningen som startet runden",
          cite_and("dokumentasjon", "undersoke"), "date"),
    Check("evaluering-for-start", ERROR, "Ingen evaluering er datert før tiltaket starter (fra)",
          cite("plan_e"), "date"),
    Check("id-unik", ERROR, "Saksnummer er unike i arkivet og tiltaks-id-er unike i saken",
          f"{cite('dokumentasjon')} (sporbar dokumentasjon)", "file"),
    Check("filnavn", ERROR, "Filnavnet er saksnummeret (cases/<id>.yaml)",
          "personvern: aldri navn i filnavn", "file"),
    Check("ikke-committet", ERROR, "Alle endringer i saksfilene er ført i historikken (committet)",
          f"{cite('dokumentasjon')} (dokumentasjonsplikt)", "audit"),
    Check("endret-utenom-skm", WARNING, "Siste endring i hver saksfil er gjort med skm (har Skm-Action)",
          f"{cite('dokumentasjon')} (sporbar dokumentasjon)", "audit"),
    Check("sak-slettet", ERROR, "Ingen sak som finnes i historikken, er slettet fra cases/ eller flyttet bort",
          f"{cite('dokumentasjon')} (dokumentasjonsplikt) og arkivlova (sakene skal bevares)", "audit"),
    Check("skjema-kopi", WARNING, "Skjemakopiene i schemas/ er lik skjemaene i denne versjonen av skm",
          "redigeringsprogrammet kontrollerer mot kopiene", "audit"),
    Check("kalender", ERROR, "calendar.yaml kan leses (skoleår, ferier og frister)",
          "fristene regnes i arbeidsdager etter skolens kalender", "file"),
    Check("ikke-arkivert", WARNING,
          "Dokumentene i en avsluttet sak, og en aktivitetsplan eldre enn fristen, er levert til arkivet",
          ARCHIVE_GROUND, "archive"),
    Check("arkiv-endret", WARNING, "Et dokument som er levert til arkivet, er ikke endret siden (ny journalpost)",
          ARCHIVE_GROUND, "archive"),
)

BY_ID: dict[str, Check] = {check.id: check for check in CHECKS}
IDS: tuple[str, ...] = tuple(BY_ID)


def finding(file: str, line: int, check: str, message: str, case: str | None = None) -> Finding:
    """A finding of the check ``check``, with that check's severity."""
    return Finding(file, line, check, message, case, BY_ID[check].severity)

CONTENT_CHECKS = (frozenset(c.id for c in CHECKS if c.group in ("content", "deadline", "date", "archive"))
                  | {"id-unik", "filnavn"})
GIT_CHECKS = frozenset({"ikke-committet", "endret-utenom-skm", "sak-slettet"})
CALENDAR_CHECKS = frozenset(c.id for c in CHECKS if c.group == "deadline") | {"kalender"}


def severity(check_id: str) -> str:
    return BY_ID[check_id].severity


def select(names: list[str] | None, ignore: list[str] | None) -> list[str]:
    """The check ids to run, in catalogue order; unknown ids are a usage error."""
    unknown = [n for n in [*(names or []), *(ignore or [])] if n not in BY_ID]
    if unknown:
        raise UsageError(
            f"Ukjent kontroll: {', '.join(dict.fromkeys(unknown))}.",
            hint="`skm check --list` viser alle kontrollene.",
        )
    wanted = set(names) if names else set(IDS)
    skipped = set(ignore or [])
    return [i for i in IDS if i in wanted and i not in skipped]
