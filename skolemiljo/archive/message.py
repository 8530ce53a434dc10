"""The ``arkivmelding`` of KS Fiks Arkiv v1 (``no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett``).

One message holds one ``saksmappe`` and one ``journalpost`` with its documents: the
specification's use case "Elevmappe / OpprettMedSaksmappe" (the folder and the journal entry
are sent together; the archive creates the folder when it does not exist, and finds it again by
``referanseEksternNoekkel``). The model below holds exactly the fields skm fills; ``to_xml``
writes them in the order the official XSD demands (``tests/data/fiks-arkiv/``), with the
code values of the Fiks Arkiv code lists (``CODES``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime

NAMESPACE = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
# The Noark metadata catalogue: the children of its types (kode, navn, fagsystem …) live here.
MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
MESSAGE_TYPE = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett"
FILE_NAME = "arkivmelding.xml"

# Code values with their descriptions, from the Fiks Arkiv v1 code lists (Schema/V1/kodelister).
CODES: dict[str, dict[str, str]] = {
    "journalposttype": {"I": "Inngående dokument", "U": "Utgående dokument",
                        "N": "Organinternt dokument for oppfølging", "X": "Organinternt dokument uten oppfølging"},
    "journalstatus": {"J": "Journalført", "F": "Ferdigstilt av saksbehandler"},
    "saksstatus": {"B": "Under behandling", "S": "Avsluttet av saksbehandler", "A": "Avsluttet"},
    "korrespondanseparttype": {"EA": "Avsender", "EM": "Mottaker", "IA": "Intern avsender", "IM": "Intern mottaker"},
    "dokumenttype": {"MELDING": "Melding", "DOKUMENT": "Dokument", "RAPPORT": "Rapport"},
    "dokumentstatus": {"F": "Dokumentet er ferdigstilt"},
    "tilknyttetRegistreringSom": {"H": "Hoveddokument", "V": "Vedlegg"},
    "variantformat": {"A": "Arkivformat"},
    "dokumentmedium": {"E": "Elektronisk arkiv"},
}

# PDF/A as Noark's format field (M701) names it: PRONOM identifiers.
PDFA_FORMATS = {
    "2b": ("fmt/477", "PDF/A-2b", "PDF/A-2b (ISO 19005-2), alle skrifter innebygd"),
    "1b": ("fmt/354", "PDF/A-1b", "PDF/A-1b (ISO 19005-1), alle skrifter innebygd"),
}
CHECKSUM_ALGORITHM = "SHA-256"


@dataclass(frozen=True)
class Code:
    kode: str
    beskrivelse: str | None = None

    @classmethod
    def of(cls, kind: str, kode: str) -> Code:
        return cls(kode, CODES[kind][kode])


@dataclass(frozen=True)
class Shielding:
    """``skjerming``: access restriction and its legal ground."""

    tilgangsrestriksjon: Code
    skjermingshjemmel: str


@dataclass(frozen=True)
class ExternalKey:
    """``referanseEksternNoekkel``: the line-of-business system and its own key."""

    fagsystem: str
    noekkel: str


@dataclass(frozen=True)
class Classification:
    system: str
    klasse: str
    tittel: str | None = None


@dataclass(frozen=True)
class CorrespondencePart:
    """``korrespondansepart``: who sent or received the document (internal parts for N/X)."""

    type: str  # korrespondanseparttype code
    navn: str
    administrativ_enhet: str | None = None
    saksbehandler: str | None = None
    skjermet: bool = True


@dataclass(frozen=True)
class FileObject:
    """``dokumentobjekt``: one file of the package."""

    filnavn: str
    referanse: str  # the file's name in the package
    pdfa: str  # "2b" or "1b"
    sjekksum: str
    storrelse: int
    opprettet: datetime | None = None
    versjon: int = 1


@dataclass(frozen=True)
class Document:
    """``dokumentbeskrivelse`` with its file."""

    tittel: str
    dokumenttype: str
    fil: FileObject
    skjerming: Shielding
    nummer: int = 1
    forfatter: str | None = None
    opprettet: datetime | None = None
    hoveddokument: bool = True


@dataclass(frozen=True)
class CaseFolder:
    """``saksmappe``: the case's folder in the archive."""

    tittel: str
    offentlig_tittel: str
    nokkel: ExternalKey
    skjerming: Shielding
    arkivdel: str
    klassifikasjon: tuple[Classification, ...]
    saksdato: date | None
    administrativ_enhet: str
    saksstatus: str  # B or S
    saksansvarlig: str | None = None
    journalenhet: str | None = None


@dataclass(frozen=True)
class JournalEntry:
    """``journalpost``: one registration with its documents."""

    tittel: str
    offentlig_tittel: str
    nokkel: ExternalKey
    journalposttype: str
    skjerming: Shielding
    dokumenter: tuple[Document, ...]
    journaldato: date
    dokumentets_dato: date | None
    korrespondanseparter: tuple[CorrespondencePart, ...] = ()
    forfatter: str | None = None
    opprettet_av: str | None = None
    journalstatus: str = "J"
    offentlighetsvurdert: date | None = None
    journalenhet: str | None = None


@dataclass(frozen=True)
class ArchiveMessage:
    system: str
    mappe: CaseFolder
    journalpost: JournalEntry
    regel: str | None = None

    @property
    def antall_filer(self) -> int:
        return sum(1 for _document in self.journalpost.dokumenter)


# ---------------------------------------------------------------- XML


def _q(name: str, namespace: str = NAMESPACE) -> str:
    return f"{{{namespace}}}{name}"


def _add(parent: ET.Element, name: str, text: object | None = None, namespace: str = NAMESPACE) -> ET.Element:
    element = ET.SubElement(parent, _q(name, namespace))
    if text is not None:
        element.text = _text(text)
    return element


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _maybe(parent: ET.Element, name: str, value: object | None) -> None:
    if value is not None:
        _add(parent, name, value)


def _code(parent: ET.Element, name: str, code: Code) -> None:
    element = _add(parent, name)
    _add(element, "kode", code.kode, MDK)
    if code.beskrivelse:
        _add(element, "beskrivelse", code.beskrivelse, MDK)


def _key(parent: ET.Element, name: str, key: ExternalKey, namespace: str = NAMESPACE) -> None:
    element = _add(parent, name, namespace=namespace)
    _add(element, "fagsystem", key.fagsystem, MDK)
    _add(element, "noekkel", key.noekkel, MDK)


def _shielding(parent: ET.Element, shielding: Shielding) -> None:
    element = _add(parent, "skjerming")
    _code(element, "tilgangsrestriksjon", shielding.tilgangsrestriksjon)
    _add(element, "skjermingshjemmel", shielding.skjermingshjemmel)


def _unit(parent: ET.Element, name: str, navn: str) -> None:
    _add(_add(parent, name), "navn", navn, MDK)


def _folder(root: ET.Element, folder: CaseFolder) -> None:
    mappe = _add(root, "mappe")
    mappe.set(f"{{{XSI}}}type", "saksmappe")
    _add(mappe, "tittel", folder.tittel)
    _add(mappe, "offentligTittel", folder.offentlig_tittel)
    _code(mappe, "dokumentmedium", Code.of("dokumentmedium", "E"))
    _code(mappe, "arkivdel", Code(folder.arkivdel))
    _shielding(mappe, folder.skjerming)
    for item in folder.klassifikasjon:
        klass = _add(mappe, "klassifikasjon")
        _add(klass, "klassifikasjonssystemID", item.system)
        _add(klass, "klasseID", item.klasse)
        _maybe(klass, "tittel", item.tittel)
    _key(mappe, "referanseEksternNoekkel", folder.nokkel)
    _maybe(mappe, "saksdato", folder.saksdato)
    _unit(mappe, "administrativEnhet", folder.administrativ_enhet)
    if folder.saksansvarlig:
        _unit(mappe, "saksansvarlig", folder.saksansvarlig)
    _maybe(mappe, "journalenhet", folder.journalenhet)
    _code(mappe, "saksstatus", Code.of("saksstatus", folder.saksstatus))


def _file(parent: ET.Element, item: FileObject) -> None:
    obj = _add(parent, "dokumentobjekt")
    _add(obj, "versjonsnummer", item.versjon)
    _code(obj, "variantformat", Code.of("variantformat", "A"))
    kode, beskrivelse, details = PDFA_FORMATS[item.pdfa]
    _code(obj, "format", Code(kode, beskrivelse))
    _add(obj, "formatDetaljer", details)
    _add(obj, "mimeType", "application/pdf")
    _maybe(obj, "opprettetDato", item.opprettet)
    _add(obj, "filnavn", item.filnavn)
    _add(obj, "referanseDokumentfil", item.referanse)
    _add(obj, "sjekksum", item.sjekksum)
    _add(obj, "sjekksumAlgoritme", CHECKSUM_ALGORITHM)
    _add(obj, "filstoerrelse", item.storrelse)


def _document(parent: ET.Element, document: Document) -> None:
    element = _add(parent, "dokumentbeskrivelse")
    _code(element, "dokumenttype", Code.of("dokumenttype", document.dokumenttype))
    _code(element, "dokumentstatus", Code.of("dokumentstatus", "F"))
    _add(element, "tittel", document.tittel)
    _maybe(element, "forfatter", document.forfatter)
    _maybe(element, "opprettetDato", document.opprettet)
    _code(element, "dokumentmedium", Code.of("dokumentmedium", "E"))
    _code(element, "tilknyttetRegistreringSom",
          Code.of("tilknyttetRegistreringSom", "H" if document.hoveddokument else "V"))
    _add(element, "dokumentnummer", document.nummer)
    _shielding(element, document.skjerming)
    _file(element, document.fil)


def _part(parent: ET.Element, part: CorrespondencePart) -> None:
    element = _add(parent, "korrespondansepart")
    _code(element, "korrespondanseparttype", Code.of("korrespondanseparttype", part.type))
    _add(element, "korrespondansepartNavn", part.navn)
    if part.administrativ_enhet:
        _unit(element, "administrativEnhet", part.administrativ_enhet)
    if part.saksbehandler:
        _unit(element, "saksbehandler", part.saksbehandler)
    _add(element, "erSkjermet", part.skjermet)


def _entry(root: ET.Element, entry: JournalEntry, folder: CaseFolder) -> None:
    post = _add(root, "registrering")
    post.set(f"{{{XSI}}}type", "journalpost")
    _maybe(post, "opprettetAv", entry.opprettet_av)
    parent = _add(post, "referanseForelderMappe")
    _key(parent, "referanseEksternNoekkel", folder.nokkel, MDK)
    _shielding(post, entry.skjerming)
    for document in entry.dokumenter:
        _document(post, document)
    _add(post, "tittel", entry.tittel)
    _add(post, "offentligTittel", entry.offentlig_tittel)
    _maybe(post, "forfatter", entry.forfatter)
    _code(post, "dokumentmedium", Code.of("dokumentmedium", "E"))
    for part in entry.korrespondanseparter:
        _part(post, part)
    _key(post, "referanseEksternNoekkel", entry.nokkel)
    _code(post, "journalposttype", Code.of("journalposttype", entry.journalposttype))
    _code(post, "journalstatus", Code.of("journalstatus", entry.journalstatus))
    _add(post, "journaldato", entry.journaldato)
    _maybe(post, "dokumentetsDato", entry.dokumentets_dato)
    _maybe(post, "offentlighetsvurdertDato", entry.offentlighetsvurdert)
    _add(post, "antallVedlegg", sum(1 for document in entry.dokumenter if not document.hoveddokument))
    _maybe(post, "journalenhet", entry.journalenhet)


def to_xml(message: ArchiveMessage) -> bytes:
    """The message as ``arkivmelding.xml``: UTF-8, indented, the same bytes for the same message."""
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("n5mdk", MDK)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(_q("arkivmelding"))
    _add(root, "system", message.system)
    _maybe(root, "regel", message.regel)
    _add(root, "antallFiler", message.antall_filer)
    _folder(root, message.mappe)
    _entry(root, message.journalpost, message.mappe)
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"
