"""The archive's receipt (``no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.kvittering``).

The receipt answers one ``arkivmelding``: the folder (``mappeKvittering`` with the archive's case
number, or ``mappeFeilet``) and the journal entry (``registreringKvittering`` with the journal
numbers, or ``registreringFeilet``). Both carry the ``referanseEksternNoekkel`` skm sent when
the archive echoes it; that is how a receipt finds its case and delivery.

The file comes from outside: it is parsed without DTDs or external entities (ElementTree never
fetches any), and a file that is too large or not a receipt is refused with a Norwegian message.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from skolemiljo.errors import UsageError

NAMESPACE = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/kvittering/v1"
MESSAGE_TYPE = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.kvittering"
MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"
MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class FolderReceipt:
    key: str | None  # referanseEksternNoekkel/noekkel: the case id skm sent
    saksnummer: str | None  # the archive's case number (mappeID, else saksaar/sakssekvensnummer)
    created: bool | None  # Opprettet (True) or Eksisterende (False)


@dataclass(frozen=True)
class EntryReceipt:
    key: str | None  # referanseEksternNoekkel/noekkel: "<case id>/<document>/<version>"
    journalnummer: str | None  # journalaar/journalsekvensnummer
    journalpostnummer: int | None
    registrerings_id: str | None


@dataclass(frozen=True)
class Failure:
    feil_id: str


@dataclass(frozen=True)
class Receipt:
    folder: FolderReceipt | None
    folder_failed: Failure | None
    entry: EntryReceipt | None
    entry_failed: Failure | None

    @property
    def keys(self) -> tuple[str | None, str | None]:
        return (self.folder.key if self.folder else None, self.entry.key if self.entry else None)


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _text(element: ET.Element | None, *path: str) -> str | None:
    """The text at ``path``; below ``referanseEksternNoekkel`` the names are the metadata catalogue's."""
    namespace = NAMESPACE
    for name in path:
        if element is None:
            return None
        element = element.find(f"{{{namespace}}}{name}")
        if name == "referanseEksternNoekkel":
            namespace = MDK
    if element is None or element.text is None:
        return None
    value = element.text.strip()
    return value or None


def _int(element: ET.Element | None, name: str) -> int | None:
    value = _text(element, name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"Kvitteringen har et ugyldig tall i {name}.") from None


def case_number(saksaar: int | None, sekvens: int | None) -> str | None:
    """``26/01234``: the case number written the way the archive systems show it."""
    if saksaar is None or sekvens is None:
        return None
    return f"{saksaar % 100:02d}/{sekvens:05d}"


def parse_receipt(raw: bytes) -> Receipt:
    """Read a receipt; anything that is not one is a ``UsageError`` that says what is wrong."""
    if len(raw) > MAX_BYTES:
        raise UsageError("Kvitteringsfila er for stor til å være en arkivkvittering.")
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise UsageError("Kvitteringsfila har en DOCTYPE eller ENTITY; skm leser ikke slike filer.")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as error:
        raise UsageError(f"Kvitteringsfila er ikke gyldig XML (linje {error.position[0]}).") from None
    if root.tag != _q("arkivmeldingKvittering"):
        raise UsageError("Fila er ikke en kvittering på en arkivmelding (forventet arkivmeldingKvittering "
                         f"i navnerommet {NAMESPACE}).")
    folder_element = root.find(_q("mappeKvittering"))
    entry_element = root.find(_q("registreringKvittering"))
    folder = None
    if folder_element is not None:
        mappe_id = _text(folder_element, "mappeID")
        created = _text(folder_element, "opprettetEllerEksisterende")
        folder = FolderReceipt(
            key=_text(folder_element, "referanseEksternNoekkel", "noekkel"),
            saksnummer=mappe_id or case_number(_int(folder_element, "saksaar"),
                                               _int(folder_element, "sakssekvensnummer")),
            created=None if created is None else created == "Opprettet",
        )
    entry = None
    if entry_element is not None:
        year, sequence = _int(entry_element, "journalaar"), _int(entry_element, "journalsekvensnummer")
        entry = EntryReceipt(
            key=_text(entry_element, "referanseEksternNoekkel", "noekkel"),
            journalnummer=f"{year}/{sequence}" if year is not None and sequence is not None else None,
            journalpostnummer=_int(entry_element, "journalpostnummer"),
            registrerings_id=_text(entry_element, "registreringsID"),
        )

    def failure(name: str) -> Failure | None:
        element = root.find(_q(name))
        if element is None:
            return None
        feil_id = None
        for child in element:
            if child.tag.endswith("}feilId") and child.text:
                feil_id = child.text.strip()
        return Failure(feil_id or "ukjent")

    receipt = Receipt(folder, failure("mappeFeilet"), entry, failure("registreringFeilet"))
    if receipt.folder is None and receipt.entry is None and not receipt.folder_failed and not receipt.entry_failed:
        raise UsageError("Kvitteringen er tom: den sier verken at mappen og journalposten ble arkivert eller "
                         "at de feilet.")
    return receipt
