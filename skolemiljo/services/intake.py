"""The seeds' routines around a case (issue 14, items 13-15): the parents, outside contacts, and the
meetings that review cases (the weekly lederforum, TRK meetings).

Parents and contacts are recorded in the case file (one commit each, with a log entry). A meeting is
one file of its own, ``moter/<dato>-<type>.yaml``, committed like every other change: it names the
cases it reviewed by case number only, with the decision per case, and who attended. Names (parents,
contact persons, attendees) never go into a commit message, a log line or terminal output without
``--navn``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from skolemiljo.domain import dates, model
from skolemiljo.domain.author import Author
from skolemiljo.errors import RefusedError, UsageError
from skolemiljo.services.cases import Commit, log_entry, update_case
from skolemiljo.storage.repository import CaseRepo

MEETINGS_DIR = "moter"


def _day(value: date | None, option: str = "--dato") -> str:
    day = value or dates.today()
    if day > dates.today():
        raise UsageError(f"{option} {day.isoformat()} er fram i tid.")
    return day.isoformat()


def _text(value: str | None, option: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{option} kan ikke være tom.")
    return value.strip()


def _not_before_report(data: dict[str, Any], day: str) -> None:
    received = (data.get("melding") or {}).get("mottatt") if isinstance(data.get("melding"), dict) else None
    if isinstance(received, str) and day < received:
        raise UsageError(f"--dato {day} er før meldingen kom ({received}).")


# ------------------------------------------------------------------ parents (item 13)

def parents(repo: CaseRepo, case_id: str, author: Author, what: str, how: str | None = None,
            when: date | None = None, *, expected_version: str | None = None) -> None:
    """Record that the parents were informed / got the plan, or (pupils over 18) the consent."""
    if what not in model.FORESATTE_HVA:
        raise UsageError(f"Ukjent valg «{what}». Velg en av: {', '.join(model.FORESATTE_HVA)}.")
    day = _day(when)
    how_text = _text(how, "--hvordan") if what in ("informert", "plan") else (how or "").strip() or None

    def change(data: dict[str, Any]) -> Commit:
        _not_before_report(data, day)
        elev = data.get("elev") if isinstance(data.get("elev"), dict) else {}
        under_18 = elev.get("under_18")
        consent = data.get("foresatte", {}).get("samtykke") if isinstance(data.get("foresatte"), dict) else None
        if what in ("samtykke", "ikke-samtykke"):
            if under_18 is None:
                raise RefusedError(f"Sak {case_id} har ingen identifisert elev ennå, så alderen er ikke kjent; "
                                   f"identifiser eleven først (`skm identify {case_id}`).")
            if under_18 is True:
                raise RefusedError(f"Eleven i sak {case_id} er under 18 år: foresatte tar del uten samtykke. "
                                   "Samtykke registreres bare for elever over 18.")
        else:
            if under_18 is False and not (isinstance(consent, dict) and consent.get("samtykker") is True):
                raise RefusedError(f"Eleven i sak {case_id} er over 18 år og har ikke samtykket i at foresatte tar "
                                   f"del; registrer samtykket først (`skm parents {case_id} samtykke`).")
        if what == "plan":
            plan = data.get("aktivitetsplan")
            if not isinstance(plan, dict) or not plan.get("dato"):
                raise RefusedError(f"Sak {case_id} har ingen aktivitetsplan ennå; foresatte kan ikke ha fått den.")
        record = data.get("foresatte") if isinstance(data.get("foresatte"), dict) else {}
        if what in ("informert", "plan"):
            key = "informert" if what == "informert" else "fikk_planen"
            entries = record.get(key) if isinstance(record.get(key), list) else []
            entries.append({"dato": day, "hvordan": how_text})
            record[key] = entries
            text = f"Foresatte informert {day}." if what == "informert" else f"Foresatte fikk aktivitetsplanen {day}."
            action = "foresatte informert" if what == "informert" else "foresatte fikk planen"
        else:
            agreed = what == "samtykke"
            record["samtykke"] = {"dato": day, "samtykker": agreed, **({"hvordan": how_text} if how_text else {})}
            text = (f"Eleven (over 18) samtykker {'' if agreed else 'ikke '}i at foresatte deltar ({day}).")
            action = "samtykke registrert"
        data["foresatte"] = record
        data.setdefault("logg", []).append(log_entry(author, text))
        return Commit(action)

    update_case(repo, case_id, author, "foresatte", "parents", change, expected_version=expected_version)


# ------------------------------------------------------------ outside contacts (item 14)

def contact(repo: CaseRepo, case_id: str, author: Author, instans: str, when: date | None = None,
            person: str | None = None, note: str | None = None, *, expected_version: str | None = None) -> None:
    """Record a contact with PPT, helsesykepleier, barnevern, the police, SLT …"""
    if instans not in model.INSTANSER:
        raise UsageError(f"Ukjent instans «{instans}». Velg en av: {', '.join(model.INSTANSER)}.")
    day = _day(when)

    def change(data: dict[str, Any]) -> None:
        _not_before_report(data, day)
        entry: dict[str, Any] = {"dato": day, "instans": instans}
        if person and person.strip():
            entry["kontaktperson"] = person.strip()
        if note and note.strip():
            entry["merknad"] = note.strip()
        contacts = data.get("kontakter") if isinstance(data.get("kontakter"), list) else []
        contacts.append(entry)
        data["kontakter"] = contacts
        data.setdefault("logg", []).append(log_entry(author, f"Kontakt med {instans} registrert {day}."))

    update_case(repo, case_id, author, f"kontakt med {instans} registrert", "contact", change,
                expected_version=expected_version)


# -------------------------------------------------------------------- meetings (item 15)

@dataclass
class Meeting:
    kind: str  # lederforum | trk
    day: date
    attendees: list[str]
    decisions: list[tuple[str, str]]  # (case id, decision)
    note: str | None = None


@dataclass
class MeetingSummary:
    kind: str
    day: str
    path: str
    cases: list[str] = field(default_factory=list)


def meeting_path(repo: CaseRepo, kind: str, day: str) -> Path:
    """``moter/<dato>-<type>.yaml``, ``-2``, ``-3`` … when that meeting already has a file."""
    folder = repo.root / MEETINGS_DIR
    for number in range(1, 100):
        path = folder / (f"{day}-{kind}.yaml" if number == 1 else f"{day}-{kind}-{number}.yaml")
        if not path.exists() and not path.is_symlink():
            return path
    raise RefusedError(f"For mange møter av typen {kind} {day}.")


def record_meeting(repo: CaseRepo, meeting: Meeting, author: Author) -> tuple[str, Path]:
    """Write the meeting's file and commit it (one commit); returns the commit and the path."""
    from skolemiljo.storage import yamlio
    from skolemiljo.storage.casefiles import read_case
    from skolemiljo.storage.repository import check_case_id
    from skolemiljo.storage.transaction import writing

    if meeting.kind not in model.MOTE_TYPER:
        raise UsageError(f"Ukjent møtetype «{meeting.kind}». Velg en av: {', '.join(model.MOTE_TYPER)}.")
    day = _day(meeting.day)
    attendees = [_text(a, "--deltaker") for a in meeting.attendees]
    if not attendees:
        raise UsageError("Oppgi hvem som deltok: --deltaker (kan gis flere ganger).")
    if not meeting.decisions:
        raise UsageError("Oppgi minst én sak med beslutning: --sak SAKSNR=BESLUTNING.")
    seen: list[str] = []
    for case_id, decision in meeting.decisions:
        check_case_id(case_id)
        if case_id in seen:
            raise UsageError(f"Sak {case_id} er oppgitt to ganger; skriv én beslutning per sak.")
        seen.append(case_id)
        _text(decision, f"--sak {case_id}")
    with writing(repo) as store:
        for case_id, _decision in meeting.decisions:
            data = read_case(repo, case_id).data
            if meeting.kind == "lederforum" and data.get("sakstype") == "ledelse-elev":
                raise RefusedError(
                    f"Sak {case_id} gjelder en i skolens ledelse (prosedyre C) og behandles av skoleeier, ikke i "
                    "lederforum; ingenting er lagret.")
        path = meeting_path(repo, meeting.kind, day)
        record: dict[str, Any] = {
            "type": meeting.kind,
            "dato": day,
            "deltakere": attendees,
            "saker": [{"sak": case_id, "beslutning": decision.strip()} for case_id, decision in meeting.decisions],
        }
        if meeting.note and meeting.note.strip():
            record["merknad"] = meeting.note.strip()
        header = ("# Møte som gjennomgikk kap. 12-saker (skm meeting). Sakene står med saksnummer;\n"
                  "# navn på elever skrives ikke her.")
        text = yamlio.dump(record, header)
        path.parent.mkdir(exist_ok=True)
        ids = ", ".join(seen)
        from skolemiljo import __version__

        subject = f"{meeting.kind} {day}: møte registrert"  # the same words in nynorsk
        message = (f"{subject}\n\nSkm-Action: meeting\nSkm-Meeting: {meeting.kind} {day}\nSkm-Cases: {ids}\n"
                   f"Skm-Version: {__version__}\n")
        store.ensure_clean(path, path.stem)
        commit = store.commit_file(path, text.encode("utf-8"), message, author)
    return commit, path


def meetings(repo: CaseRepo) -> list[MeetingSummary]:
    """Every meeting file that can be read, oldest first; files that cannot be read are left out
    (they arrived through sync and are hostile: never followed as links, never trusted)."""
    from skolemiljo.storage import yamlio

    folder = repo.root / MEETINGS_DIR
    if folder.is_symlink() or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yamlio.load_bytes(yamlio.read_file(path))
        except (yamlio.YamlProblem, OSError):
            continue
        if not isinstance(data, dict) or data.get("type") not in model.MOTE_TYPER:
            continue
        day = data.get("dato")
        if not isinstance(day, str) or dates.as_date(day) is None:
            continue
        cases = [item.get("sak") for item in data.get("saker") or [] if isinstance(item, dict)]
        found.append(MeetingSummary(data["type"], day, f"{MEETINGS_DIR}/{path.name}",
                                    [c for c in cases if isinstance(c, str) and model.CASE_ID.fullmatch(c)]))
    found.sort(key=lambda m: (m.day, m.path))
    return found


def last_meetings(repo: CaseRepo, today: date | None = None) -> dict[str, str | None]:
    """The date of the last lederforum and the last TRK meeting (on or before ``today``)."""
    limit = (today or dates.today()).isoformat()
    last: dict[str, str | None] = {kind: None for kind in model.MOTE_TYPER}
    for item in meetings(repo):
        if item.day <= limit:
            last[item.kind] = item.day
    return last
