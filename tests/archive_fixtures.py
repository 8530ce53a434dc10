"""Fixtures for the ``skm archive`` tests: the official Fiks Arkiv XSDs, receipts, repositories.

The XSDs are the copies in ``tests/data/fiks-arkiv/`` (MIT, KS), so the suite runs in a clone
without ``../shared``. ``receipt_xml`` writes the archive's receipt the way an archive system
does; every receipt a test uses is validated against the receipt XSD first.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent / "data" / "fiks-arkiv"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "fiks-arkiv"
MESSAGE_XSD = DATA / "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"
RECEIPT_XSD = DATA / "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.kvittering.xsd"
NS = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"
KV = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/kvittering/v1"

xmlschema = pytest.importorskip("xmlschema", reason="xmlschema mangler (pip install 'skm[test]')")


@functools.cache
def message_schema() -> Any:
    return xmlschema.XMLSchema(str(MESSAGE_XSD))


@functools.cache
def receipt_schema() -> Any:
    return xmlschema.XMLSchema(str(RECEIPT_XSD))


def validate_message(xml: bytes | str | Path) -> None:
    """Raise unless ``xml`` is a valid ``arkivmelding`` by the official XSD."""
    text = xml.read_bytes() if isinstance(xml, Path) else xml
    message_schema().validate(text.decode("utf-8") if isinstance(text, bytes) else text)


def receipt_xml(*, case_key: str | None = "2026-0007", entry_key: str | None = "2026-0007/aktivitetsplan/2",
                saksaar: int = 2026, sekvens: int = 1234, mappe_id: str | None = None, journalaar: int = 2026,
                journalsekvens: int = 4512, journalpostnummer: int = 2, failed: str | None = None,
                folder_failed: str | None = None) -> bytes:
    """A receipt for one arkivmelding, valid by the official receipt XSD (checked here)."""
    def key(value: str | None) -> str:
        if value is None:
            return ""
        return (f"<referanseEksternNoekkel><n5mdk:fagsystem>skm</n5mdk:fagsystem>"
                f"<n5mdk:noekkel>{value}</n5mdk:noekkel></referanseEksternNoekkel>")

    system_id = "3f2b7a1e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
    if folder_failed:
        folder = (f"<mappeFeilet><feilmelding:feilId>{folder_failed}</feilmelding:feilId>"
                  "<feilmelding:feilmelding>Mappen kunne ikke opprettes</feilmelding:feilmelding></mappeFeilet>")
    else:
        folder = (f'<mappeKvittering xsi:type="saksmappeKvittering"><systemID>{system_id}</systemID>'
                  + (f"<mappeID>{mappe_id}</mappeID>" if mappe_id else "")
                  + f"{key(case_key)}<opprettetEllerEksisterende>Opprettet</opprettetEllerEksisterende>"
                  f"<saksaar>{saksaar}</saksaar><sakssekvensnummer>{sekvens}</sakssekvensnummer></mappeKvittering>")
    if failed:
        entry = (f"<registreringFeilet><feilmelding:feilId>{failed}</feilmelding:feilId>"
                 "<feilmelding:feilmelding>Journalposten ble avvist</feilmelding:feilmelding></registreringFeilet>")
    else:
        entry = (f'<registreringKvittering xsi:type="journalpostKvittering">'
                 f"<systemID>9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d</systemID>{key(entry_key)}"
                 "<opprettetEllerEksisterende>Opprettet</opprettetEllerEksisterende>"
                 f"<journalaar>{journalaar}</journalaar><journalsekvensnummer>{journalsekvens}</journalsekvensnummer>"
                 f"<journalpostnummer>{journalpostnummer}</journalpostnummer></registreringKvittering>")
    text = (f'<?xml version="1.0" encoding="utf-8"?>\n<arkivmeldingKvittering xmlns="{KV}" xmlns:n5mdk="{MDK}" '
            'xmlns:feilmelding="https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/feil/feilmelding/v1" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{folder}{entry}</arkivmeldingKvittering>\n')
    receipt_schema().validate(text)
    return text.encode("utf-8")


def copy_repo(source: Path, target: Path) -> Path:
    """A copy of a whole case repository (work tree, git, .skm) for one test."""
    shutil.copytree(source, target, symlinks=True)
    return target
