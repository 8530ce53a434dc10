"""The template context: a case, its history and the school, ready to print.

Every value a template reads is here, normalised: texts are ``str`` or
``None``, dates are already written the Norwegian way, codes are translated.
Templates therefore never meet a missing key in case data (a case in status
``mottatt`` simply has ``None`` where the plan would be), and ``StrictUndefined``
only fires for real template bugs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Sequence

from skolemiljo import __version__
from skolemiljo.domain import rounds
from skolemiljo.domain.dates import is_iso_date
from skolemiljo.render import i18n
from skolemiljo.render.i18n import Text
from skolemiljo.render.versions import (
    CaseVersion,
    Evaluation,
    PlanVersion,
    all_evaluations,
    plan_versions,
)
from skolemiljo.storage.history import HistoryEntry
from skolemiljo.storage.repository import Settings
from skolemiljo.domain.legal import sakstype_citation


@dataclass(frozen=True)
class CaseSource:
    """Everything read from the repository for one case."""

    case_id: str
    data: dict[str, Any]
    raw: bytes
    history: Sequence[HistoryEntry]
    versions: Sequence[CaseVersion]
    today: date  # used only when the case has no commit yet

    @property
    def committed(self) -> bool:
        """The file is exactly as its last commit left it."""
        return bool(self.versions) and self.versions[-1].raw == self.raw

    @property
    def first_commit(self) -> datetime | None:
        return self.versions[0].when if self.versions else None

    @property
    def last_commit(self) -> datetime | None:
        return self.versions[-1].when if self.versions else None


class _Fmt:
    """Formatting helpers bound to one målform."""

    def __init__(self, malform: str) -> None:
        self.malform = malform

    def text(self, value: Any) -> str | None:
        if value is None or isinstance(value, (dict, list)):
            return None
        if isinstance(value, bool):
            return "ja" if value else "nei"
        out = str(value).strip()
        return out or None

    def date(self, value: Any) -> str | None:
        if isinstance(value, date):
            return i18n.format_date(value, self.malform)
        if is_iso_date(value):
            return i18n.format_date(date.fromisoformat(value), self.malform)
        return self.text(value)  # as written: the schema check reports it, the document shows it

    def period(self, start: Any, end: Any) -> str | None:
        t = i18n.text(self.malform)
        first, last = self.date(start), self.date(end)
        if first and last:
            text = f"{first} – {last}"
        elif first:
            text = f"{t['fra'].capitalize()} {first}"
        elif last:
            text = f"{t['til'].capitalize()} {last}"
        else:
            return None
        generated = isinstance(first or Text(), Text) and isinstance(last or Text(), Text)
        return Text(text) if generated else text


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _notice(f: _Fmt, value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    return {"dato": f.date(value.get("dato")), "av": f.text(value.get("av")),
            "merknad": f.text(value.get("merknad"))}


def _tiltak(f: _Fmt, item: dict[str, Any], index: int) -> dict[str, Any]:
    return {
        "id": f.text(item.get("id")) or f"{index + 1}",
        "beskrivelse": f.text(item.get("beskrivelse")),
        "fra": f.date(item.get("fra")),
        "til": f.date(item.get("til")),
        "periode": f.period(item.get("fra"), item.get("til")),
        "ansvarlig": f.text(item.get("ansvarlig")),
        "evalueres": f.date(item.get("evalueres")),
        "avsluttet": f.date(item.get("avsluttet")),
    }


def _plan(f: _Fmt, plan: Any) -> dict[str, Any] | None:
    if not isinstance(plan, dict):
        return None
    return {
        "dato": f.date(plan.get("dato")),
        "problem": f.text(plan.get("problem")),
        "tiltak": [_tiltak(f, item, i) for i, item in enumerate(_list(plan.get("tiltak")))],
        "revisjoner": [{"dato": f.date(r.get("dato")), "av": f.text(r.get("av"))} for r in _list(plan.get("revisjoner"))],
    }


def _evaluation(f: _Fmt, malform: str, evaluation: Evaluation) -> dict[str, Any]:
    data = evaluation.data
    return {
        "tiltak": evaluation.tiltak,
        "dato": f.date(data.get("dato")),
        "resultat": f.text(data.get("resultat")),
        "elevens_opplevelse": f.text(data.get("elevens_opplevelse")),
        "videre": i18n.label(i18n.VIDERE, malform, f.text(data.get("videre"))),
        "neste_evaluering": f.date(data.get("neste_evaluering")),
    }


def _changes(malform: str, version: PlanVersion) -> str:
    """``Endringer fra versjon 2: tiltak T3 er lagt til; tiltak T1 er endret: når (c)``."""
    t = i18n.text(malform)
    parts = []
    for code, *args in version.changes:
        if code == "first":
            return t["endring_first"]
        if code == "changed":
            fields = list(dict.fromkeys(t[f"felt_{name}"] for name in args[1:]))
            parts.append(t["endring_changed"].format(id=args[0], fields=", ".join(fields)))
        elif args:
            parts.append(t[f"endring_{code}"].format(id=args[0]))
        else:
            parts.append(t[f"endring_{code}"])
    return f"{t['endringer_fra'].format(n=version.number - 1)}: {'; '.join(parts)}"


def _plan_version(f: _Fmt, malform: str, version: PlanVersion) -> dict[str, Any]:
    return {
        "endringer": _changes(malform, version),
        "nummer": version.number,
        "lagret": i18n.format_datetime(version.when, malform) if version.when else None,
        "av": version.author,
        "versjon": version.commit[:10] if version.commit else None,
        "gjeldende": version.current,
        "plan": _plan(f, version.plan),
    }


def _history(malform: str, entry: HistoryEntry) -> dict[str, Any]:
    return {
        "tidspunkt": i18n.format_datetime(datetime.fromisoformat(entry.when), malform),
        "hvem": entry.author,
        "handling": entry.action,
        "versjon": entry.commit[:10],
        "utenom_skm": entry.action_id is None,
    }


def _w3c(value: datetime) -> str:
    """``2026-10-16T14:05:00+02:00``: the form WeasyPrint's date metadata takes."""
    return value.isoformat(timespec="seconds")


def case_view(data: dict[str, Any], malform: str) -> dict[str, Any]:
    """The case's own fields, normalised for templates."""
    f = _Fmt(malform)
    elev = _obj(data.get("elev"))
    melding = _obj(data.get("melding"))
    varsling = _obj(data.get("varsling"))
    inv = data.get("undersokelse")
    best = data.get("barnets_beste")
    closing = data.get("avslutning")
    sakstype = f.text(data.get("sakstype"))
    under_18 = elev.get("under_18")
    t = i18n.text(malform)
    skoleeier_required = data.get("alvorlig") is True or sakstype in ("ansatt-elev", "ledelse-elev")
    return {
        "id": f.text(data.get("id")),
        "status": i18n.label(i18n.STATUS, malform, f.text(data.get("status"))),
        "status_kode": f.text(data.get("status")),
        "sakstype": i18n.label(i18n.SAKSTYPE, malform, sakstype),
        "hjemmel": Text(f"{t['lov']} {sakstype_citation(sakstype)}"),
        "alvorlig": data.get("alvorlig") is True,
        "kategorier": [i18n.kategori(malform, k) for k in data.get("kategorier") or [] if k is not None]
        if isinstance(data.get("kategorier"), list) else [],
        "elev": {
            "navn": f.text(elev.get("navn")),
            "klasse": f.text(elev.get("klasse")),
            "under_18": (Text(t["under_18_ja"]) if under_18 is True else Text(t["under_18_nei"])
                         if under_18 is False else None),
        },
        "melding": {
            "mottatt": f.date(melding.get("mottatt")),
            "mottatt_av": f.text(melding.get("mottatt_av")),
            "meldt_av": i18n.label(i18n.MELDT_AV, malform, f.text(melding.get("meldt_av"))),
            "beskrivelse": f.text(melding.get("beskrivelse")),
        },
        "varsling": {
            "rektor": _notice(f, varsling.get("rektor")),
            "skoleeier": _notice(f, varsling.get("skoleeier")),
            "skoleeier_paakrevd": skoleeier_required,
            # Procedure C (legal: skjerpa_ledelse): when someone in the leadership violates a pupil, the report
            # goes directly to skoleeier, not to rektor.
            "rektor_paakrevd": sakstype != "ledelse-elev",
        },
        "undersokelse": None if not isinstance(inv, dict) else {
            "startet": f.date(inv.get("startet")),
            "avsluttet": f.date(inv.get("avsluttet")),
            "aktiviteter": [
                {"dato": f.date(a.get("dato")),
                 "type": i18n.label(i18n.AKTIVITET, malform, f.text(a.get("type"))),
                 "med": f.text(a.get("med")), "oppsummering": f.text(a.get("oppsummering"))}
                for a in _list(inv.get("aktiviteter"))
            ],
            "elevens_opplevelse": f.text(inv.get("elevens_opplevelse")),
            "konklusjon": f.text(inv.get("konklusjon")),
        },
        "elevens_stemme": [{"dato": f.date(v.get("dato")), "synspunkter": f.text(v.get("synspunkter"))}
                           for v in _list(data.get("elevens_stemme"))],
        "barnets_beste": None if not isinstance(best, dict) else {
            "dato": f.date(best.get("dato")), "vurdering": f.text(best.get("vurdering"))},
        "aktivitetsplan": _plan(f, data.get("aktivitetsplan")),
        "logg": [{"dato": f.date(e.get("dato")), "av": f.text(e.get("av")), "hendelse": f.text(e.get("hendelse")),
                  "status": i18n.label(i18n.STATUS, malform, f.text(e.get("status")))}
                 for e in _list(data.get("logg"))],
        "avslutning": None if not isinstance(closing, dict) else {
            "dato": f.date(closing.get("dato")),
            "begrunnelse": f.text(closing.get("begrunnelse")),
            "elevens_opplevelse": f.text(closing.get("elevens_opplevelse")),
            "oppfolging": f.date(closing.get("oppfolging")),
            "oppfulgt": None if not isinstance(closing.get("oppfulgt"), dict) else {
                "dato": f.date(closing["oppfulgt"].get("dato")), "av": f.text(closing["oppfulgt"].get("av")),
                "notat": f.text(closing["oppfulgt"].get("notat"))},
        },
        "arkiv_saksnummer": f.text(_obj(data.get("arkiv")).get("saksnummer")),
        **_intake_view(f, malform, data),
    }


def _intake_view(f: _Fmt, malform: str, data: dict[str, Any]) -> dict[str, Any]:
    """Issue 14: linked cases (by case number only), who took the report, outside contacts (the body and
    the date, never the contact person), the parents."""
    from skolemiljo.domain.model import INSTANSER, related_cases

    t = i18n.text(malform)
    melding = _obj(data.get("melding"))
    parents = _obj(data.get("foresatte"))
    consent = _obj(parents.get("samtykke"))
    foresatte = [Text(f"{t['foresatte_informert']} {f.date(e.get('dato'))}") for e in _list(parents.get("informert"))
                 if f.date(e.get("dato"))]
    foresatte += [Text(f"{t['foresatte_fikk_planen']} {f.date(e.get('dato'))}")
                  for e in _list(parents.get("fikk_planen")) if f.date(e.get("dato"))]
    if isinstance(consent.get("samtykker"), bool) and f.date(consent.get("dato")):
        foresatte.append(Text(f"{t['samtykke_ja' if consent['samtykker'] else 'samtykke_nei']} "
                              f"({f.date(consent.get('dato'))})"))
    return {
        "relaterte_saker": [Text(i) for i in related_cases(data)],
        "mottatt_rolle": i18n.label(i18n.MOTTATT_ROLLE, malform, f.text(melding.get("mottatt_rolle"))),
        "kontakter": [Text(f"{i18n.label(i18n.INSTANS, malform, c.get('instans'))} {f.date(c.get('dato'))}")
                      for c in _list(data.get("kontakter")) if c.get("instans") in INSTANSER and f.date(c.get("dato"))],
        "foresatte": foresatte,
    }


def _round_view(f: _Fmt, malform: str, data: dict[str, Any], found: rounds.Round) -> dict[str, Any]:
    """One round for the documents: how it began and its own notification … closing."""
    view = case_view({**data, **found.fields}, malform)
    opened = found.reopening
    evaluations = []
    plan = found.fields.get("aktivitetsplan")
    for index, item in enumerate(_list(plan.get("tiltak")) if isinstance(plan, dict) else []):
        for entry in _list(item.get("evalueringer")):
            evaluations.append({
                "tiltak": f.text(item.get("id")) or f"{index + 1}", "dato": f.date(entry.get("dato")),
                "resultat": f.text(entry.get("resultat")), "elevens_opplevelse": f.text(entry.get("elevens_opplevelse")),
                "videre": i18n.label(i18n.VIDERE, malform, f.text(entry.get("videre"))),
                "neste_evaluering": f.date(entry.get("neste_evaluering"))})
    return {
        "nummer": found.number,
        "start": f.date(found.start),
        "gjenapning": None if opened is None else {"dato": f.date(opened.get("dato")), "av": f.text(opened.get("av")),
                                                   "grunn": f.text(opened.get("grunn"))},
        "bare_avslutning": found.legacy,
        **{key: view[key] for key in ("varsling", "undersokelse", "elevens_stemme", "barnets_beste",
                                      "aktivitetsplan", "avslutning")},
        "evalueringer": evaluations,
    }


def build_context(source: CaseSource, document: str, fmt: str, malform: str,
                  settings: Settings) -> dict[str, Any]:
    """The whole template context for one document of one case."""
    t = i18n.for_procedure(i18n.text(malform), source.data.get("sakstype"))
    f = _Fmt(malform)
    sak = case_view(source.data, malform)
    sak["id"] = source.case_id  # the file name is the id (a wrong id field is a schema error)
    last = source.last_commit
    first = source.first_commit
    if last is not None:
        document_date = last.date()
        created, modified = _w3c(first or last), _w3c(last)
    else:
        document_date = source.today
        created = modified = document_date.isoformat()
    evaluations = all_evaluations(source.versions, source.data)
    return {
        "t": t,
        "lang": malform,
        "format": fmt,
        "dokument": {
            "navn": document,
            "tittel": t[f"{document}_tittel"],
            "undertittel": t[f"{document}_undertittel"],
            "metadata_tittel": f"{t[f'{document}_tittel']} – {t['sak'].lower()} {sak['id']}",
            "emne": t["metadata_emne"].format(id=sak["id"]),
            "nokkelord": [sak["id"] or "", t[f"{document}_tittel"], f"{t['lov']} kapittel 12"],
            "dato": f.date(document_date),
            "opprettet": created,
            "endret": modified,
            "utkast": not source.committed,
            "generator": f"skm {__version__}",
        },
        "skole": {"navn": settings.skole, "skoleeier": settings.skoleeier},
        "sak": sak,
        # A reopened case: every earlier round as it was, then the current one (the chapters below).
        "runder": [_round_view(f, malform, source.data, r) for r in rounds.all_rounds(source.data)[:-1]],
        "gjeldende_runde": _round_view(f, malform, source.data, rounds.all_rounds(source.data)[-1]),
        "planversjoner": [_plan_version(f, malform, v) for v in plan_versions(source.versions, source.data)],
        "evalueringer": [_evaluation(f, malform, e) for e in evaluations],
        "historikk": [_history(malform, e) for e in source.history],
        # The case exactly as stored, for a school's own templates.
        "raw": source.data,
    }
