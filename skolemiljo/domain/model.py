"""The case record: vocabulary, canonical field order, new records.

A case is kept as plain JSON-like data (dicts, lists, strings): exactly what
the YAML file and the JSON Schema describe. Field names and status values
follow the reference record and are the contract with users.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from skolemiljo.domain.legal import cite

STATUSES = ("mottatt", "undersokes", "tiltak", "avsluttet")
OPEN_STATUSES = ("mottatt", "undersokes", "tiltak")
# Status names as people write them, for running text (the stored values stay as above).
STATUS_SHOWN = {"mottatt": "mottatt", "undersokes": "undersøkes", "tiltak": "tiltak", "avsluttet": "avsluttet"}


def shown_status(value: object) -> str:
    """``undersokes`` → ``undersøkes``; anything else as it is."""
    return STATUS_SHOWN.get(value, str(value)) if isinstance(value, str) else str(value)
SAKSTYPER = ("elev-elev", "ansatt-elev", "ledelse-elev", "radikalisering", "annet")
MELDT_AV = ("elev", "foresatt", "ansatt", "anonym", "annen")
AKTIVITET_TYPER = ("samtale", "observasjon", "kartlegging", "dokumentgjennomgang", "annet")
VIDERE = ("fortsett", "endre", "avslutt")
KATEGORIER = (
    "mobbing", "utestenging", "digital-mobbing", "vold", "trusler", "diskriminering",
    "rasisme", "radikalisering", "seksuell-trakassering", "trakassering", "baksnakking", "isolering",
    "krenkende-ord", "annet",
)

SAKSTYPE_TEXT = {
    "elev-elev": f"elev krenker elev ({cite('aktivitetsplikt')})",
    "ansatt-elev": f"ansatt krenker elev ({cite('skjerpa')})",
    "ledelse-elev": f"en i skolens ledelse krenker elev ({cite('skjerpa')})",
    "radikalisering": f"mistanke om radikalisering, meldes direkte til rektor ({cite('radikalisering')})",
    "annet": "annet",
}

# --- the intake routines of the seeds (issue 14, items 11-15) ---
# Who took the report (seed 002: avdelingsleder, ass. rektor, kontaktlærer, tillitselev …).
MOTTATT_ROLLER = ("rektor", "ass-rektor", "avdelingsleder", "kontaktlaerer", "laerer", "tillitselev",
                  "miljoarbeider", "radgiver", "helsesykepleier", "annen")
# Outside contacts (seed 000: PPT, helsesykepleier, barnevern, the police's radicalisation contact, SLT,
# områdedirektør og skolemiljøteamet).
INSTANSER = ("ppt", "helsesykepleier", "barnevern", "politi", "slt", "skolemiljoteam", "omradedirektor", "annen")
# What is recorded about the parents: informed, got the plan, (pupils over 18) consent or not.
FORESATTE_HVA = ("informert", "plan", "samtykke", "ikke-samtykke")
# The meetings that review cases: the weekly lederforum (seed 002) and TRK meetings (seed 000).
MOTE_TYPER = ("lederforum", "trk")

KATEGORI_PATTERN = re.compile(r"[a-zæøå0-9-]+")
CASE_ID = re.compile(r"(?P<year>\d{4})-(?P<seq>\d{4,})")
# The earliest day a melding can have been received: a case id is the year and a number, and
# nothing before this (a mistyped 0001-01-01) is a report skm should register.
EARLIEST_MOTTATT = date(2000, 1, 1)
TILTAK_ID = re.compile(r"T(?P<n>[1-9]\d*)")

SCHEMA_RELATIVE = "../schemas/case.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_RELATIVE}"

# Canonical key order per object kind; unknown keys keep their order after these.
_ORDER: dict[str, tuple[str, ...]] = {
    "case": (
        "id", "status", "sakstype", "alvorlig", "kategorier", "elev", "melding", "varsling",
        "undersokelse", "elevens_stemme", "barnets_beste", "aktivitetsplan", "logg", "avslutning", "gjenapninger", "arkiv",
        # intake routines (issue 14, items 11-15)
        "relaterte_saker", "kontakter", "foresatte",
    ),
    "elev": ("navn", "klasse", "under_18"),
    "melding": ("mottatt", "mottatt_av", "mottatt_rolle", "meldt_av", "beskrivelse"),
    "kontakt": ("dato", "instans", "kontaktperson", "merknad"),
    "foresatte": ("informert", "fikk_planen", "samtykke"),
    "foresatt_kontakt": ("dato", "hvordan"),
    "samtykke": ("dato", "samtykker", "hvordan"),
    "varsling": ("rektor", "skoleeier"),
    "varsel": ("dato", "av", "merknad"),
    "undersokelse": ("startet", "avsluttet", "aktiviteter", "elevens_opplevelse", "konklusjon"),
    "aktivitet": ("dato", "type", "med", "oppsummering"),
    "stemme": ("dato", "synspunkter"),
    "barnets_beste": ("dato", "vurdering"),
    "aktivitetsplan": ("dato", "problem", "tiltak", "revisjoner"),
    "revisjon": ("dato", "av"),
    "tiltak": ("id", "beskrivelse", "fra", "til", "ansvarlig", "evalueres", "avsluttet", "evalueringer"),
    "evaluering": ("dato", "resultat", "elevens_opplevelse", "videre", "neste_evaluering"),
    "logg": ("dato", "av", "hendelse", "status"),
    "avslutning": ("dato", "begrunnelse", "elevens_opplevelse", "oppfolging", "oppfulgt"),
    "oppfulgt": ("dato", "av", "notat"),
    "arkiv": ("saksnummer", "leveranser"),
    "leveranse": ("nummer", "dato", "dokument", "versjon", "commit", "sjekksum", "innholdshash", "fil", "kvittert",
                  "journalnummer", "journalpostnummer", "feilet"),
    "gjenapning": ("dato", "av", "grunn", "forrige_runde", "forrige_avslutning"),
    "runde": ("varsling", "undersokelse", "elevens_stemme", "barnets_beste", "aktivitetsplan", "avslutning"),
}

# Which kind each child holds: (parent kind, key) -> kind; lists map to their item kind.
_CHILD_KIND: dict[tuple[str, str], str] = {
    ("case", "elev"): "elev",
    ("case", "melding"): "melding",
    ("case", "varsling"): "varsling",
    ("varsling", "rektor"): "varsel",
    ("varsling", "skoleeier"): "varsel",
    ("case", "undersokelse"): "undersokelse",
    ("undersokelse", "aktiviteter"): "aktivitet",
    ("case", "elevens_stemme"): "stemme",
    ("case", "barnets_beste"): "barnets_beste",
    ("case", "aktivitetsplan"): "aktivitetsplan",
    ("aktivitetsplan", "tiltak"): "tiltak",
    ("tiltak", "evalueringer"): "evaluering",
    ("case", "logg"): "logg",
    ("case", "avslutning"): "avslutning",
    ("case", "arkiv"): "arkiv",
    ("arkiv", "leveranser"): "leveranse",
    ("case", "gjenapninger"): "gjenapning",
    ("gjenapning", "forrige_avslutning"): "avslutning",
    ("gjenapning", "forrige_runde"): "runde",
    ("runde", "varsling"): "varsling",
    ("runde", "undersokelse"): "undersokelse",
    ("runde", "elevens_stemme"): "stemme",
    ("runde", "barnets_beste"): "barnets_beste",
    ("runde", "aktivitetsplan"): "aktivitetsplan",
    ("runde", "avslutning"): "avslutning",
    ("aktivitetsplan", "revisjoner"): "revisjon",
    ("avslutning", "oppfulgt"): "oppfulgt",
    ("case", "kontakter"): "kontakt",
    ("case", "foresatte"): "foresatte",
    ("foresatte", "informert"): "foresatt_kontakt",
    ("foresatte", "fikk_planen"): "foresatt_kontakt",
    ("foresatte", "samtykke"): "samtykke",
}


def _ordered(value: Any, kind: str | None) -> Any:
    if isinstance(value, dict):
        order = _ORDER.get(kind or "", ())
        keys = [k for k in order if k in value] + [k for k in value if k not in order]
        return {k: _ordered(value[k], _CHILD_KIND.get((kind or "", k))) for k in keys}
    if isinstance(value, list):
        return [_ordered(item, kind) for item in value]
    return value


def canonical(case: dict[str, Any]) -> dict[str, Any]:
    """The same case with its keys in the canonical order (stable diffs)."""
    return _ordered(case, "case")


def new_record(
    *,
    case_id: str,
    sakstype: str,
    alvorlig: bool,
    kategorier: list[str],
    elev_navn: str | None,
    klasse: str | None,
    under_18: bool | None,
    mottatt: str,
    mottatt_av: str,
    meldt_av: str,
    beskrivelse: str,
    mottatt_rolle: str | None = None,
    relaterte_saker: list[str] | None = None,
) -> dict[str, Any]:
    """A freshly registered melding in status ``mottatt``.

    ``elev_navn`` None: a report without an identified pupil (anonymous, a worry about a class);
    ``skm identify`` names the pupil before a plan can be made.
    """
    record = {
        "id": case_id,
        "status": "mottatt",
        "sakstype": sakstype,
        "alvorlig": alvorlig,
        "kategorier": list(kategorier),
        "elev": {"navn": elev_navn, "klasse": klasse, "under_18": under_18},
        "melding": {
            "mottatt": mottatt,
            "mottatt_av": mottatt_av,
            "meldt_av": meldt_av,
            "beskrivelse": beskrivelse,
        },
        "varsling": {"rektor": None, "skoleeier": None},
        "undersokelse": None,
        "elevens_stemme": [],
        "barnets_beste": None,
        "aktivitetsplan": None,
        "logg": [],
        "avslutning": None,
        "arkiv": {"saksnummer": None},
    }
    if mottatt_rolle:
        record["melding"]["mottatt_rolle"] = mottatt_rolle
    if relaterte_saker:
        record["relaterte_saker"] = list(relaterte_saker)
    return canonical(record)


def identified(case: dict[str, Any]) -> bool:
    """The case names its pupil (a report may come in before the pupil is known)."""
    elev = case.get("elev")
    return isinstance(elev, dict) and not is_empty(elev.get("navn"))


def related_cases(case: dict[str, Any]) -> list[str]:
    """The ids of the linked cases that match the id pattern (others are never shown)."""
    found = case.get("relaterte_saker")
    if not isinstance(found, list):
        return []
    return [item for item in found if isinstance(item, str) and CASE_ID.fullmatch(item)]


def is_empty(value: Any) -> bool:
    """Missing for the law's purposes: None, blank text (``"   "`` too), empty list or object."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def is_filled(value: Any) -> bool:
    """Filled in for the law's purposes: the one predicate every rule, check and overview uses."""
    return not is_empty(value)


def has_fields(obj: Any, fields: tuple[str, ...] | list[str]) -> bool:
    """``obj`` is an object with every one of ``fields`` filled in (``is_filled``)."""
    return isinstance(obj, dict) and all(is_filled(obj.get(f)) for f in fields)


# ------------------------------------------------------------------ ids in output

UNKNOWN_CASE = "(ugyldig saksnummer)"
UNKNOWN_FIELD = "ukjent felt"
#: What a field name looks like; a key that does not may be case text (a name) and is never printed.
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


def shown_id(value: Any, pattern: re.Pattern[str] = CASE_ID, label: str = UNKNOWN_CASE) -> str:
    """An id as every output may print it: ``value`` when it matches ``pattern``, else ``label``.

    An id field is typed by hand (``skm edit``) and may hold a pupil's name; only text of the id
    pattern reaches a terminal, a cache, a calendar or a CI log.
    """
    return value if isinstance(value, str) and pattern.fullmatch(value) else label


def format_path(path: tuple[Any, ...] | list[Any], whole: str = "(saken)") -> str:
    """``aktivitetsplan.tiltak[0].evalueres``: a field's place for a message (``whole`` when empty).

    A key is printed only when it looks like a field name (``FIELD_NAME``), else as
    ``ukjent felt``; a step of another kind (the merge's ``Item``, ``Region``) prints itself.
    """
    out = ""
    for step in path:
        if isinstance(step, str):
            out += ("." if out else "") + shown_id(step, FIELD_NAME, UNKNOWN_FIELD)
        elif isinstance(step, int):
            out += f"[{step}]"
        else:
            out += str(step)
    return out or whole


def tiltak_label(tiltak: Any, index: int) -> str:
    """``T2``; ``tiltak nr. 3`` (the position) when the id is missing or not a tiltak id."""
    return shown_id(tiltak.get("id") if isinstance(tiltak, dict) else None, TILTAK_ID, f"tiltak nr. {index + 1}")


def tiltak_list(case: dict[str, Any]) -> list[Any]:
    plan = case.get("aktivitetsplan")
    if isinstance(plan, dict) and isinstance(plan.get("tiltak"), list):
        return plan["tiltak"]
    return []


def has_tiltak(case: dict[str, Any]) -> bool:
    """The case has a plan with at least one tiltak (it has been in ``tiltak``)."""
    return bool(tiltak_list(case))
