"""The aktivitetsplikt workflow: status changes with the law's guards, and the
small recording actions (notify, investigate, hear, assess, plan, evaluate,
close, reopen, log) that each make one commit with a log entry.

Everything here is plain Python over ``CaseRepo``; the CLI and the web interface only parse
input. Every action takes ``expected_version`` (``casefiles.case_version`` of the file a form was
made from): when given and the case has changed since, the action is refused (``StaleCaseError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from skolemiljo.domain import dates, model, rounds
from skolemiljo.domain.author import Author
from skolemiljo.domain.requirements import missing_for
from skolemiljo.domain.text import checked_text
from skolemiljo.errors import RefusedError, RequirementsNotMetError, UsageError
from skolemiljo.services.cases import Commit, log_entry, update_case
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.domain.legal import cite, ground_text

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "mottatt": ("undersokes", "avsluttet"),
    "undersokes": ("tiltak", "avsluttet"),
    "tiltak": ("avsluttet",),
    "avsluttet": (),
}


@dataclass(frozen=True)
class Transition:
    case_id: str
    before: str
    after: str


def _past_or_today(value: date | None, what: str) -> str:
    day = value or dates.today()
    if day > dates.today():
        raise UsageError(f"{what} {day.isoformat()} er fram i tid.")
    return day.isoformat()


def _not_before_round(data: dict[str, Any], day: str, option: str = "--dato") -> None:
    """No action of a round is dated before the report (or the reopening) that began it."""
    start, kind = rounds.round_start(data)
    if start is not None and day < start.isoformat():
        what = "meldingen kom" if kind == "melding" else "saken ble gjenåpnet"
        raise RefusedError(
            f"{option} {day} er før {what} ({start.isoformat()}): ingenting i sak {model.shown_id(data.get('id'))} "
            f"kan dateres før {'meldingen' if kind == 'melding' else 'gjenåpningen'} det hører til.")


def _procedure_c(data: dict[str, Any]) -> bool:
    return data.get("sakstype") == "ledelse-elev"


def _text(value: str, option: str, *, one_line: bool = False) -> str:
    """Typed text as the case keeps it (``text.checked_text``: not empty, no control characters,
    no line break in a one-line field)."""
    return checked_text(value, option, multiline=not one_line)  # type: ignore[return-value]


def _optional(value: str | None, option: str, *, one_line: bool = False) -> str | None:
    return checked_text(value, option, multiline=not one_line, required=False)


def _guard(data: dict[str, Any], target: str) -> None:
    missing = [text for _rule, text in missing_for(data, target)]
    if missing:
        raise RequirementsNotMetError(
            f"Sak {model.shown_id(data.get('id'))} kan ikke gå til status {model.shown_status(target)}: dette mangler "
            f"({len(missing)} {'punkt' if len(missing) == 1 else 'punkter'}).",
            missing,
        )


def _check_transition(data: dict[str, Any], target: str) -> str:
    current = data.get("status")
    if current not in TRANSITIONS:
        raise RefusedError(f"Sak {model.shown_id(data.get('id'))} har ukjent status; rett den med `skm edit`.")
    if target == current:
        raise RefusedError(f"Sak {model.shown_id(data.get('id'))} har allerede status {model.shown_status(target)}.")
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(TRANSITIONS[current]) or "ingen (bruk `skm reopen` for å gjenåpne)"
        raise RefusedError(
            f"Sak {model.shown_id(data.get('id'))} kan ikke gå fra {model.shown_status(current)} til {model.shown_status(target)}. Mulige neste steg: {allowed}."
        )
    return current


def advance(repo: CaseRepo, case_id: str, author: Author, to: str | None = None, *,
            expected_version: str | None = None) -> Transition:
    """Move a case to its next status when everything the law requires is documented."""
    result: dict[str, str] = {}

    def change(data: dict[str, Any]) -> Commit:
        current = data.get("status")
        default = (TRANSITIONS.get(current) or (None,))[0] if isinstance(current, str) else None
        target = to or default
        if target is None:
            raise RefusedError(f"Sak {case_id} er avsluttet; bruk `skm reopen` hvis eleven melder igjen.")
        before = _check_transition(data, target)
        data["status"] = target
        _guard(data, target)
        data.setdefault("logg", []).append(log_entry(author, f"Status endret: {before} → {target}.", target))
        result.update(before=before, after=target)
        return Commit(f"{before} → {target}", {"Skm-Status": f"{before} → {target}"})

    update_case(repo, case_id, author, "status endret", "advance", change, expected_version=expected_version)
    return Transition(case_id, result["before"], result["after"])


# ---------------------------------------------------------- recording actions

def notify(repo: CaseRepo, case_id: str, author: Author, whom: str, when: date | None = None,
           by: str | None = None, note: str | None = None, *, expected_version: str | None = None) -> None:
    """Record that rektor or skoleeier was notified (legal: melde, skjerpa)."""
    if whom not in ("rektor", "skoleeier"):
        raise UsageError("Varsel kan gis til rektor eller skoleeier.")
    day = _past_or_today(when, "--dato")
    by = _optional(by, "--varslet-av", one_line=True)
    note = _optional(note, "--merknad")

    def change(data: dict[str, Any]) -> None:
        _require_open(data)
        if whom == "rektor" and _procedure_c(data):
            raise RefusedError(
                f"Sak {case_id} gjelder en i skolens ledelse (prosedyre C, {ground_text('skjerpa_ledelse')}): "
                f"meldingen går ikke til rektor. Registrer varselet til skoleeier: `skm notify {case_id} skoleeier`.")
        _not_before_round(data, day)
        varsling = data.get("varsling") if isinstance(data.get("varsling"), dict) else {}
        notice: dict[str, Any] = {"dato": day, "av": (by or author.name).strip()}
        if note:
            notice["merknad"] = note
        varsling[whom] = notice
        data["varsling"] = varsling
        data.setdefault("logg", []).append(log_entry(author, f"{whom.capitalize()} varslet {day}."))

    update_case(repo, case_id, author, f"{whom} varslet", "notify", change, expected_version=expected_version)


def _investigation(data: dict[str, Any]) -> dict[str, Any]:
    inv = data.get("undersokelse")
    if not isinstance(inv, dict):
        inv = {"startet": None, "avsluttet": None, "aktiviteter": [], "elevens_opplevelse": None,
               "konklusjon": None}
        data["undersokelse"] = inv
    if not isinstance(inv.get("aktiviteter"), list):
        inv["aktiviteter"] = []
    return inv


def investigate(repo: CaseRepo, case_id: str, author: Author, kind: str, summary: str,
                with_whom: str | None = None, when: date | None = None, *,
                expected_version: str | None = None) -> None:
    """Add an investigation activity; the first one also marks the investigation started."""
    if kind not in model.AKTIVITET_TYPER:
        raise UsageError(f"Ukjent aktivitetstype «{kind}». Velg en av: {', '.join(model.AKTIVITET_TYPER)}.")
    day = _past_or_today(when, "--dato")
    summary = _text(summary, "--oppsummering")
    with_whom = _optional(with_whom, "--med", one_line=True)

    def change(data: dict[str, Any]) -> None:
        _require_open(data)
        _not_before_round(data, day)
        inv = _investigation(data)
        if not inv.get("startet"):
            inv["startet"] = day
        activity: dict[str, Any] = {"dato": day, "type": kind}
        if with_whom:
            activity["med"] = with_whom
        activity["oppsummering"] = summary
        inv["aktiviteter"].append(activity)
        data.setdefault("logg", []).append(log_entry(author, f"Undersøkelse: {kind} {day} registrert."))

    update_case(repo, case_id, author, "undersøkelsesaktivitet registrert", "investigate", change,
                expected_version=expected_version)


def conclude(repo: CaseRepo, case_id: str, author: Author, experience: str, conclusion: str,
             when: date | None = None, *, expected_version: str | None = None) -> None:
    """Record the pupil's own experience and the investigation's conclusion."""
    day = _past_or_today(when, "--dato")
    experience = _text(experience, "--elevens-opplevelse")
    conclusion = _text(conclusion, "--konklusjon")

    def change(data: dict[str, Any]) -> None:
        _require_open(data)
        _not_before_round(data, day)
        inv = _investigation(data)
        if not inv.get("startet"):
            raise RefusedError(
                f"Undersøkelsen i sak {case_id} er ikke startet; registrer minst én aktivitet først "
                f"(`skm investigate {case_id} …`).")
        if day < str(inv.get("startet")):
            raise RefusedError(f"--dato {day} er før undersøkelsen startet ({inv.get('startet')}).")
        inv["elevens_opplevelse"] = experience
        inv["konklusjon"] = conclusion
        inv["avsluttet"] = day
        data.setdefault("logg", []).append(log_entry(author, f"Undersøkelsen konkludert {day}."))

    update_case(repo, case_id, author, "undersøkelse konkludert", "conclude", change,
                expected_version=expected_version)


def hear(repo: CaseRepo, case_id: str, author: Author, views: str, when: date | None = None, *,
         expected_version: str | None = None) -> None:
    """Record the pupil's voice (legal: medvirkning)."""
    day = _past_or_today(when, "--dato")
    views = _text(views, "--synspunkter")

    def change(data: dict[str, Any]) -> None:
        _require_open(data)
        _not_before_round(data, day)
        voices = data.get("elevens_stemme") if isinstance(data.get("elevens_stemme"), list) else []
        voices.append({"dato": day, "synspunkter": views})
        data["elevens_stemme"] = voices
        data.setdefault("logg", []).append(log_entry(author, f"Eleven hørt {day}."))

    update_case(repo, case_id, author, "elevens stemme registrert", "hear", change, expected_version=expected_version)


def best_interests(repo: CaseRepo, case_id: str, author: Author, assessment: str,
                   when: date | None = None, *, expected_version: str | None = None) -> None:
    """Record the best-interests assessment (legal: elevens_beste); a new one replaces the old in the file."""
    day = _past_or_today(when, "--dato")
    assessment = _text(assessment, "--vurdering")

    def change(data: dict[str, Any]) -> None:
        _require_open(data)
        _not_before_round(data, day)
        data["barnets_beste"] = {"dato": day, "vurdering": assessment}
        data.setdefault("logg", []).append(log_entry(author, f"Elevens beste vurdert {day}."))

    update_case(repo, case_id, author, "elevens beste vurdert", "best-interests", change,
                expected_version=expected_version)


def _plan(data: dict[str, Any]) -> dict[str, Any]:
    plan = data.get("aktivitetsplan")
    if not isinstance(plan, dict):
        plan = {"dato": None, "problem": None, "tiltak": []}
        data["aktivitetsplan"] = plan
    if not isinstance(plan.get("tiltak"), list):
        plan["tiltak"] = []
    return plan


def _require_open(data: dict[str, Any]) -> None:
    if data.get("status") == "avsluttet":
        raise RefusedError(
            f"Sak {model.shown_id(data.get('id'))} er avsluttet. Gjenåpne den med `skm reopen {model.shown_id(data.get('id'), label='SAKSNR')} --grunn …` "
            "hvis eleven melder igjen."
        )


def _require_investigated(data: dict[str, Any], why: str) -> None:
    """Plan and tiltak belong to an open case that is past ``mottatt``."""
    _require_open(data)
    if data.get("status") == "mottatt":
        raise RefusedError(
            f"Sak {model.shown_id(data.get('id'))} er ikke under undersøkelse ennå; {why} (`skm advance {model.shown_id(data.get('id'), label='SAKSNR')}`)."
        )


def _require_identified(data: dict[str, Any]) -> None:
    """A plan is per pupil (issue 14, item 11): a report without an identified pupil gets none."""
    if not model.identified(data):
        raise RefusedError(
            f"Sak {model.shown_id(data.get('id'))} gjelder ingen identifisert elev ennå; en aktivitetsplan er per elev "
            f"({cite('plan_per_elev')}). Identifiser eleven med `skm identify {model.shown_id(data.get('id'), label='SAKSNR')} --elev …`, "
            "eller avslutt saken med en begrunnelse (`skm close`)."
        )


def plan(repo: CaseRepo, case_id: str, author: Author, problem: str | None = None,
         when: date | None = None, *, expected_version: str | None = None) -> None:
    """Write the plan's problem (a); the plan's date is the day it was first made.

    Rewording a plan that has a date keeps that date and records a revision (``revisjoner``: date
    and who; the history holds every version), so evaluations made under the plan stay valid.
    """
    day = _past_or_today(when, "--dato")
    new_problem = _text(problem, "--problem") if problem is not None else None

    def change(data: dict[str, Any]) -> None:
        _require_investigated(data, "aktivitetsplanen skrives etter at saken er undersøkt")
        _not_before_round(data, day)
        _require_identified(data)
        target = _plan(data)
        made = target.get("dato")
        if made and new_problem is None:
            raise RefusedError(
                f"Aktivitetsplanen i sak {case_id} ble laget {made}; datoen står. Oppgi --problem for å revidere "
                "planen, eller rett datoen med `skm edit`.")
        if made:
            if day < str(made):
                raise RefusedError(f"--dato {day} er før aktivitetsplanen ble laget ({made}).")
            target["problem"] = new_problem
            revisions = target.get("revisjoner") if isinstance(target.get("revisjoner"), list) else []
            revisions.append({"dato": day, "av": author.name})
            target["revisjoner"] = revisions
            text = f"Aktivitetsplanen revidert {day} (laget {made})."
        else:
            target["dato"] = day
            if new_problem is not None:
                target["problem"] = new_problem
            text = f"Aktivitetsplanen oppdatert {day}."
        data.setdefault("logg", []).append(log_entry(author, text))

    update_case(repo, case_id, author, "aktivitetsplan oppdatert", "plan", change, expected_version=expected_version)


_TILTAK_MENTION = re.compile(r"\bT([1-9]\d*)\b")


def next_tiltak_id(data: dict[str, Any]) -> str:
    """``T<n+1>`` where n is the highest tiltak number ever used in the case (never reused)."""
    highest = 0
    for item in [*model.tiltak_list(data), *rounds.tiltak_of_earlier_rounds(data)]:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            match = model.TILTAK_ID.fullmatch(item["id"])
            if match:
                highest = max(highest, int(match["n"]))
    for entry in data.get("logg") or []:
        if isinstance(entry, dict) and isinstance(entry.get("hendelse"), str):
            for match in _TILTAK_MENTION.finditer(entry["hendelse"]):
                highest = max(highest, int(match.group(1)))
    return f"T{highest + 1}"


def _find_tiltak(data: dict[str, Any], tiltak_id: str) -> dict[str, Any]:
    for item in model.tiltak_list(data):
        if isinstance(item, dict) and item.get("id") == tiltak_id:
            return item
    raise UsageError(f"Sak {model.shown_id(data.get('id'))} har ikke noe tiltak {tiltak_id}.")


def _period(start: date, end: date) -> None:
    if end < start:
        raise UsageError(f"--til kan ikke være før --fra ({cite('plan_c')}).")


def add_tiltak(repo: CaseRepo, case_id: str, author: Author, description: str, start: date, end: date,
               responsible: str, evaluate_on: date, *, expected_version: str | None = None) -> str:
    """Add a tiltak with all five plan elements; returns its id (T1, T2, …)."""
    description = _text(description, "--beskrivelse")
    responsible = _text(responsible, "--ansvarlig", one_line=True)
    _period(start, end)
    created: dict[str, str] = {}

    def change(data: dict[str, Any]) -> Commit:
        _require_investigated(data, "tiltak settes inn etter undersøkelsen")
        _require_identified(data)
        target = _plan(data)
        if not target.get("dato"):
            target["dato"] = dates.today().isoformat()
        tiltak_id = next_tiltak_id(data)
        target["tiltak"].append({
            "id": tiltak_id, "beskrivelse": description, "fra": start.isoformat(), "til": end.isoformat(),
            "ansvarlig": responsible, "evalueres": evaluate_on.isoformat(), "evalueringer": [],
        })
        data.setdefault("logg", []).append(log_entry(author, f"Tiltak {tiltak_id} lagt til i aktivitetsplanen."))
        created["id"] = tiltak_id
        return Commit(f"tiltak {tiltak_id} lagt til")

    update_case(repo, case_id, author, "tiltak lagt til", "tiltak-add", change, expected_version=expected_version)
    return created["id"]


def change_tiltak(repo: CaseRepo, case_id: str, author: Author, tiltak_id: str, *,
                  description: str | None = None, start: date | None = None, end: date | None = None,
                  responsible: str | None = None, evaluate_on: date | None = None,
                  expected_version: str | None = None) -> None:
    """Change fields of a tiltak; the plan must stay complete while the case is in ``tiltak``."""
    if all(v is None for v in (description, start, end, responsible, evaluate_on)):
        raise UsageError("Oppgi minst ett felt som skal endres (--beskrivelse, --fra, --til, --ansvarlig, --evalueres).")

    def change(data: dict[str, Any]) -> None:
        _require_open(data)
        item = _find_tiltak(data, tiltak_id)
        if description is not None:
            item["beskrivelse"] = _text(description, "--beskrivelse")
        if responsible is not None:
            item["ansvarlig"] = _text(responsible, "--ansvarlig", one_line=True)
        for key, value in (("fra", start), ("til", end), ("evalueres", evaluate_on)):
            if value is not None:
                item[key] = value.isoformat()
        try:
            _period(date.fromisoformat(item["fra"]), date.fromisoformat(item["til"]))
        except (KeyError, TypeError, ValueError):
            pass
        data.setdefault("logg", []).append(log_entry(author, f"Tiltak {tiltak_id} endret."))

    update_case(repo, case_id, author, f"tiltak {tiltak_id} endret", "tiltak-change", change,
                expected_version=expected_version)


def end_tiltak(repo: CaseRepo, case_id: str, author: Author, tiltak_id: str, when: date | None = None, *,
               expected_version: str | None = None) -> None:
    """Mark a tiltak as ended (it stays in the plan: nothing is erased)."""
    day = _past_or_today(when, "--dato")

    def change(data: dict[str, Any]) -> None:
        _require_open(data)
        item = _find_tiltak(data, tiltak_id)
        if item.get("avsluttet"):
            raise RefusedError(f"Tiltak {tiltak_id} i sak {case_id} er allerede avsluttet.")
        _not_before_round(data, day)
        item["avsluttet"] = day
        data.setdefault("logg", []).append(log_entry(author, f"Tiltak {tiltak_id} avsluttet {day}."))

    update_case(repo, case_id, author, f"tiltak {tiltak_id} avsluttet", "tiltak-end", change,
                expected_version=expected_version)


def evaluate(repo: CaseRepo, case_id: str, author: Author, tiltak_id: str, result: str, experience: str,
             decision: str, next_date: date | None = None, when: date | None = None, *,
             expected_version: str | None = None) -> None:
    """Record an evaluation of a tiltak with the pupil's experience (legal: plan_e, medvirkning)."""
    if decision not in model.VIDERE:
        raise UsageError(f"--videre må være en av: {', '.join(model.VIDERE)}.")
    day = _past_or_today(when, "--dato")
    result = _text(result, "--resultat")
    experience = _text(experience, "--elevens-opplevelse")
    if decision in ("fortsett", "endre") and next_date is None:
        raise UsageError("Et tiltak som fortsetter, må ha en ny evalueringsdato: oppgi --neste-evaluering.")
    if decision == "avslutt" and next_date is not None:
        raise UsageError("--neste-evaluering gir ikke mening når tiltaket avsluttes (--videre avslutt).")
    if next_date is not None and next_date.isoformat() <= day:
        raise UsageError("--neste-evaluering må være etter evalueringsdatoen.")

    def change(data: dict[str, Any]) -> None:
        _require_open(data)
        if data.get("status") != "tiltak":
            raise RefusedError(f"Sak {case_id} har status {model.shown_status(data.get('status'))}; tiltak evalueres i status tiltak.")
        item = _find_tiltak(data, tiltak_id)
        if item.get("avsluttet"):
            raise RefusedError(f"Tiltak {tiltak_id} i sak {case_id} er avsluttet og kan ikke evalueres.")
        _not_before_round(data, day)
        if isinstance(item.get("fra"), str) and day < item["fra"]:
            raise RefusedError(
                f"Tiltak {tiltak_id} starter {item['fra']}; evalueringen (--dato {day}) kan ikke være før "
                f"tiltaket starter ({cite('plan_e')}).")
        evaluation: dict[str, Any] = {"dato": day, "resultat": result, "elevens_opplevelse": experience,
                                      "videre": decision}
        if next_date is not None:
            evaluation["neste_evaluering"] = next_date.isoformat()
        if not isinstance(item.get("evalueringer"), list):
            item["evalueringer"] = []
        item["evalueringer"].append(evaluation)
        if decision == "avslutt":
            item["avsluttet"] = day
        data.setdefault("logg", []).append(log_entry(author, f"Tiltak {tiltak_id} evaluert {day} ({decision})."))

    update_case(repo, case_id, author, f"tiltak {tiltak_id} evaluert", "evaluate", change,
                expected_version=expected_version)


def close(repo: CaseRepo, case_id: str, author: Author, reason: str, experience: str | None = None,
          follow_up: date | None = None, when: date | None = None, *,
          expected_version: str | None = None) -> Transition:
    """Record the closing and move the case to ``avsluttet`` in one commit, if the law allows."""
    day = _past_or_today(when, "--dato")
    reason = _text(reason, "--begrunnelse")
    experience = _optional(experience, "--elevens-opplevelse")
    if follow_up is not None and follow_up.isoformat() < day:
        raise UsageError("--oppfolging kan ikke være før avslutningsdatoen.")
    result: dict[str, str] = {}

    def change(data: dict[str, Any]) -> Commit:
        before = _check_transition(data, "avsluttet")
        _not_before_round(data, day)
        closing: dict[str, Any] = {"dato": day, "begrunnelse": reason}
        if experience:
            closing["elevens_opplevelse"] = experience
        if follow_up is not None:
            closing["oppfolging"] = follow_up.isoformat()
        data["avslutning"] = closing
        data["status"] = "avsluttet"
        _guard(data, "avsluttet")
        data.setdefault("logg", []).append(log_entry(author, f"Status endret: {before} → avsluttet.", "avsluttet"))
        result.update(before=before)
        return Commit(f"{before} → avsluttet", {"Skm-Status": f"{before} → avsluttet"})

    update_case(repo, case_id, author, "avsluttet", "close", change, expected_version=expected_version)
    return Transition(case_id, result["before"], "avsluttet")


def reopen(repo: CaseRepo, case_id: str, author: Author, reason: str, when: date | None = None, *,
           expected_version: str | None = None) -> Transition:
    """A closed case whose pupil reports again starts a new round in ``mottatt``; nothing is erased.

    The closed round (notification, investigation, the pupil's voice, best interests, plan and
    closing) is kept as it was in ``gjenapninger[-1].forrige_runde``; the new round starts empty, so
    it needs its own notification, investigation, hearing and assessment before a plan, and its
    deadlines count from the reopening (``domain.rounds``).
    """
    day = _past_or_today(when, "--dato")
    reason = _text(reason, "--grunn")

    def change(data: dict[str, Any]) -> None:
        if data.get("status") != "avsluttet":
            raise RefusedError(f"Sak {case_id} er ikke avsluttet (status {model.shown_status(data.get('status'))}); den er åpen alt.")
        closing = data.get("avslutning") if isinstance(data.get("avslutning"), dict) else {}
        closed = closing.get("dato")
        if isinstance(closed, str) and day < closed:
            raise RefusedError(f"--dato {day} er før saken ble avsluttet ({closed}).")
        reopenings = data.get("gjenapninger") if isinstance(data.get("gjenapninger"), list) else []
        reopenings.append({"dato": day, "av": author.name, "grunn": reason, "forrige_runde": rounds.freeze(data)})
        data["gjenapninger"] = reopenings
        rounds.start_new_round(data)
        data["status"] = "mottatt"
        data.setdefault("logg", []).append(log_entry(
            author, f"Saken gjenåpnet {day}: runde {len(reopenings) + 1} starter (se gjenapninger).", "mottatt"))

    subject = "avsluttet → mottatt (gjenåpnet)"
    update_case(repo, case_id, author, subject, "reopen", change,
                trailers={"Skm-Status": "avsluttet → mottatt"}, expected_version=expected_version)
    return Transition(case_id, "avsluttet", "mottatt")


def follow_up(repo: CaseRepo, case_id: str, author: Author, note: str, when: date | None = None, *,
              expected_version: str | None = None) -> None:
    """Record the follow-up agreed at closing (``avslutning.oppfulgt``)."""
    day = _past_or_today(when, "--dato")
    note = _text(note, "--notat")

    def change(data: dict[str, Any]) -> None:
        closing = data.get("avslutning")
        if data.get("status") != "avsluttet" or not isinstance(closing, dict):
            raise RefusedError(f"Sak {case_id} er ikke avsluttet; oppfølging etter avslutning registreres "
                               "når saken er avsluttet.")
        if isinstance(closing.get("oppfulgt"), dict):
            raise RefusedError(f"Oppfølgingen i sak {case_id} er registrert alt "
                               f"({closing['oppfulgt'].get('dato')}); før nye opplysninger i loggen (`skm log`).")
        closed = closing.get("dato")
        if isinstance(closed, str) and day < closed:
            raise RefusedError(f"--dato {day} er før saken ble avsluttet ({closed}).")
        closing["oppfulgt"] = {"dato": day, "av": author.name, "notat": note}
        data.setdefault("logg", []).append(log_entry(author, f"Oppfølging etter avslutning gjort {day}."))

    update_case(repo, case_id, author, "oppfølging registrert", "follow-up", change,
                expected_version=expected_version)


def add_log(repo: CaseRepo, case_id: str, author: Author, event: str, when: date | None = None, *,
            expected_version: str | None = None) -> None:
    """A free log entry: what was done, when, by whom (legal: dokumentasjon)."""
    day = _past_or_today(when, "--dato")
    event = _text(event, "--hendelse")

    def change(data: dict[str, Any]) -> None:
        # A free log entry may record what happened before the report (what the pupil told about);
        # the case's actions cannot (``_not_before_round``).
        entry = log_entry(author, event)
        entry["dato"] = day
        data.setdefault("logg", []).append(entry)

    update_case(repo, case_id, author, "logg ført", "log", change, expected_version=expected_version)
