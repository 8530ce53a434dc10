"""Which Noark fields skm fills, with which codes, and from where: a case and one document
version become one ``arkivmelding`` (``message``). The README's archive section describes these
same choices for the archivist.

Noark practice for the three documents:

- **meldingsskjema**: the school's own written record of a report that must be followed up
  (investigated, legal: undersoke): journalposttype **N** (organinternt dokument for oppfølging).
  Internal sender (IA) is whoever received the report (``melding.mottatt_av``); internal recipient
  (IM) is rektor, or skoleeier in procedure C (legal: skjerpa_ledelse: the report goes directly to skoleeier).
- **aktivitetsplan**, each version: the school's written plan, followed up by its evaluations
  (legal: plan): **N**, internal sender the responsible unit with the person who saved the
  version as saksbehandler. (The letter that sends the plan to the pupil and parents is the
  school's own outgoing document, not part of skm's delivery.)
- **saksdokumentasjon**, at closing: the documentation of the whole case for the archive and
  statsforvaltaren, nothing left to follow up: **X** (organinternt dokument uten oppfølging).

Every journal entry is ``journalstatus`` **J** (journalført) with ``journaldato`` and
``offentlighetsvurdertDato`` the delivery day and ``dokumentetsDato`` the date the document
carries (the commit it was made from). The folder is ``saksstatus`` **B** (under behandling) while
the case is open and **S** (avsluttet av saksbehandler) when it is closed: the archive closes the
folder itself. Folder, journal entry and document are all shielded (``skjerming``) with the
school's access code and legal ground; ``tittel`` holds the pupil's name, ``offentligTittel``
never does, and no national identity number is ever sent (skm does not have one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from skolemiljo.archive.message import (
    ArchiveMessage,
    CaseFolder,
    Classification,
    Code,
    CorrespondencePart,
    Document,
    ExternalKey,
    FileObject,
    JournalEntry,
    Shielding,
)
from skolemiljo.domain.dates import as_date
from skolemiljo.storage.repository import Settings
from skolemiljo.domain.legal import cite

FAGSYSTEM = "skm"
MASK = "*****"  # stands for the shielded name in offentligTittel, as archive systems print it

JOURNALPOSTTYPE = {"meldingsskjema": "N", "aktivitetsplan": "N", "saksdokumentasjon": "X"}
DOKUMENTTYPE = {"meldingsskjema": "MELDING", "aktivitetsplan": "DOKUMENT", "saksdokumentasjon": "DOKUMENT"}
TILGANG = {"13": f"Taushetsplikt ({cite('taushetsplikt')})"}

WORDS = {
    "nb": {"mappe": "Skolemiljøsak", "sak": "sak", "versjon": "versjon", "uten_navn": "elev ikke identifisert",
           "rektor": "Rektor", "ukjent": "ikke oppgitt"},
    "nn": {"mappe": "Skolemiljøsak", "sak": "sak", "versjon": "versjon", "uten_navn": "elev ikkje identifisert",
           "rektor": "Rektor", "ukjent": "ikkje oppgitt"},
}


@dataclass(frozen=True)
class DocumentVersion:
    """One version of one document, as ``services.archive`` found it in the history."""

    document: str
    version: int
    commit: str
    when: datetime
    author: str
    title: str  # the document's title in the case repository's målform ("Aktivitetsplan")


def procedure_c(data: dict[str, Any]) -> bool:
    """Someone in the school's leadership violated the pupil (procedure C): skoleeier is responsible."""
    return data.get("sakstype") == "ledelse-elev"


def responsible_unit(data: dict[str, Any], settings: Settings) -> str | None:
    """The administrative unit: the school, or skoleeier in procedure C (None: not configured)."""
    arkiv = settings.arkiv
    if procedure_c(data):
        return arkiv.skoleeier_enhet or settings.skoleeier
    return arkiv.administrativ_enhet or settings.skole


def case_key(case_id: str) -> ExternalKey:
    return ExternalKey(FAGSYSTEM, case_id)


def entry_key(case_id: str, document: str, version: int) -> ExternalKey:
    """The journal entry's own key: the same document version always has the same key."""
    return ExternalKey(FAGSYSTEM, f"{case_id}/{document}/{version}")


def parse_entry_key(key: str) -> tuple[str, str, int] | None:
    """``(case id, document, version)`` of a key made by ``entry_key``."""
    parts = key.split("/")
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    return parts[0], parts[1], int(parts[2])


def _name(data: dict[str, Any]) -> str | None:
    elev = data.get("elev")
    name = elev.get("navn") if isinstance(elev, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else None


def titles(base: str, case_id: str, data: dict[str, Any], malform: str) -> tuple[str, str]:
    """``(tittel, offentligTittel)``: the name only in the first."""
    words = WORDS[malform]
    name = _name(data)
    tittel = f"{base} – {name} – {words['sak']} {case_id}" if name else f"{base} – {words['sak']} {case_id} " \
                                                                       f"({words['uten_navn']})"
    return tittel, f"{base} – {MASK} – {words['sak']} {case_id}"


def shielding(settings: Settings) -> Shielding:
    arkiv = settings.arkiv
    return Shielding(Code(arkiv.tilgangskode, TILGANG.get(arkiv.tilgangskode)), arkiv.skjermingshjemmel)


def case_folder(case_id: str, data: dict[str, Any], settings: Settings) -> CaseFolder:
    arkiv = settings.arkiv
    unit = responsible_unit(data, settings)
    if unit is None:
        raise ValueError("no responsible unit")
    tittel, offentlig = titles(WORDS[settings.malform]["mappe"], case_id, data, settings.malform)
    melding = data.get("melding") if isinstance(data.get("melding"), dict) else {}
    return CaseFolder(
        tittel=tittel,
        offentlig_tittel=offentlig,
        nokkel=case_key(case_id),
        skjerming=shielding(settings),
        arkivdel=arkiv.arkivdel,
        klassifikasjon=(Classification(arkiv.klassifikasjonssystem, arkiv.klasse, arkiv.klassetittel),),
        saksdato=as_date(melding.get("mottatt")),
        administrativ_enhet=unit,
        saksstatus="S" if data.get("status") == "avsluttet" else "B",
        saksansvarlig=arkiv.saksansvarlig,
        journalenhet=arkiv.journalenhet,
    )


def _parts(version: DocumentVersion, data: dict[str, Any], settings: Settings, unit: str) -> tuple:
    words = WORDS[settings.malform]
    if version.document == "meldingsskjema":
        melding = data.get("melding") if isinstance(data.get("melding"), dict) else {}
        received_by = melding.get("mottatt_av")
        sender = received_by.strip() if isinstance(received_by, str) and received_by.strip() else words["ukjent"]
        recipient = unit if procedure_c(data) else words["rektor"]
        return (CorrespondencePart("IA", sender, administrativ_enhet=unit),
                CorrespondencePart("IM", recipient, administrativ_enhet=unit))
    return (CorrespondencePart("IA", unit, administrativ_enhet=unit, saksbehandler=version.author or None),)


def journal_entry(case_id: str, version: DocumentVersion, data: dict[str, Any], settings: Settings,
                  file: FileObject, *, delivered_by: str, today: date) -> JournalEntry:
    """The journal entry of one document version; ``data`` is the case at the time of delivery."""
    unit = responsible_unit(data, settings)
    if unit is None:
        raise ValueError("no responsible unit")
    words = WORDS[settings.malform]
    base = version.title
    if version.document == "aktivitetsplan" or version.version > 1:
        base = f"{base}, {words['versjon']} {version.version}"
    tittel, offentlig = titles(base, case_id, data, settings.malform)
    author = version.author or None
    if version.document == "meldingsskjema":
        melding = data.get("melding") if isinstance(data.get("melding"), dict) else {}
        received_by = melding.get("mottatt_av")
        author = received_by.strip() if isinstance(received_by, str) and received_by.strip() else author
    document = Document(
        tittel=tittel,
        dokumenttype=DOKUMENTTYPE[version.document],
        fil=file,
        skjerming=shielding(settings),
        forfatter=author,
        opprettet=version.when,
    )
    return JournalEntry(
        tittel=tittel,
        offentlig_tittel=offentlig,
        nokkel=entry_key(case_id, version.document, version.version),
        journalposttype=JOURNALPOSTTYPE[version.document],
        skjerming=shielding(settings),
        dokumenter=(document,),
        journaldato=today,
        dokumentets_dato=version.when.date(),
        korrespondanseparter=_parts(version, data, settings, unit),
        forfatter=author,
        opprettet_av=delivered_by,
        offentlighetsvurdert=today,
        journalenhet=settings.arkiv.journalenhet,
    )


def archive_message(case_id: str, version: DocumentVersion, data: dict[str, Any], settings: Settings,
                    file: FileObject, *, delivered_by: str, today: date) -> ArchiveMessage:
    """The whole ``arkivmelding`` for one document version of one case."""
    return ArchiveMessage(
        system=settings.arkiv.system,
        regel=settings.arkiv.regel,
        mappe=case_folder(case_id, data, settings),
        journalpost=journal_entry(case_id, version, data, settings, file, delivered_by=delivered_by, today=today),
    )
