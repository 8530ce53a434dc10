"""The arkivmelding skm writes, the receipts it reads, and the archive facts of a case: no git, no PDF.

Every message is validated against the official Fiks Arkiv XSD (``tests/data/fiks-arkiv``).
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from archive_fixtures import DATA, MDK, NS, SHARED, receipt_xml, validate_message
from render_fixtures import PUPIL, reference_case
from skolemiljo.archive import message, noark
from skolemiljo.archive.receipt import parse_receipt
from skolemiljo.domain import archiving
from skolemiljo.errors import InvalidCaseError, UsageError
from skolemiljo.storage.repository import ArchiveSettings, Settings, load_settings

WHEN = datetime(2026, 10, 16, 14, 5, tzinfo=timezone(timedelta(hours=2)))
SETTINGS = Settings(skole="Fjordvik videregående skole", skoleeier="Fjordvik fylkeskommune")


def build(document: str, data: dict | None = None, settings: Settings = SETTINGS, version: int = 1) -> bytes:
    data = data or reference_case()
    item = noark.DocumentVersion(document, version, "c" * 40, WHEN, "Tone Berg", document.capitalize())
    name = f"2026-0007-{document}-versjon-{version}.pdf"
    file = message.FileObject(name, name, settings.pdfa, "ab" * 32, 23456, WHEN)
    return message.to_xml(noark.archive_message("2026-0007", item, data, settings, file, delivered_by="Anne Arkivar",
                                                today=date(2026, 11, 20)))


def find(xml: bytes, path: str) -> list[str]:
    root = ET.fromstring(xml)
    return [(e.text or "") for e in root.findall(path, {"a": NS, "m": MDK})]


@pytest.mark.parametrize("document", archiving.DOCUMENTS)
@pytest.mark.parametrize("pdfa", ["2b", "1b"])
def test_every_message_is_valid_by_the_official_xsd(document: str, pdfa: str) -> None:
    data = reference_case()
    if document == "saksdokumentasjon":
        data.update(status="avsluttet", avslutning={"dato": "2026-11-20", "begrunnelse": "Trygg."})
    xml = build(document, data, Settings(skole="Fjordvik vgs", skoleeier="Fjordvik fk", pdfa=pdfa))
    validate_message(xml)
    assert xml.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<arkivmelding xmlns="' + NS.encode())
    code, name = {"2b": ("fmt/477", "PDF/A-2b"), "1b": ("fmt/354", "PDF/A-1b")}[pdfa]
    assert find(xml, ".//a:dokumentobjekt/a:format/m:kode") == [code]
    assert find(xml, ".//a:dokumentobjekt/a:format/m:beskrivelse") == [name]


def test_the_fields_skm_fills_for_the_plan() -> None:
    xml = build("aktivitetsplan", version=2)
    assert find(xml, "a:system") == ["skm"] and find(xml, "a:antallFiler") == ["1"]
    # The folder: Elevmappe / OpprettMedSaksmappe, found again by the case id.
    assert find(xml, "a:mappe/a:referanseEksternNoekkel/m:fagsystem") == ["skm"]
    assert find(xml, "a:mappe/a:referanseEksternNoekkel/m:noekkel") == ["2026-0007"]
    assert find(xml, "a:registrering/a:referanseForelderMappe/m:referanseEksternNoekkel/m:noekkel") == ["2026-0007"]
    assert find(xml, "a:registrering/a:referanseEksternNoekkel/m:noekkel") == ["2026-0007/aktivitetsplan/2"]
    assert find(xml, "a:mappe/a:arkivdel/m:kode") == ["ELEV"]
    assert find(xml, "a:mappe/a:klassifikasjon/a:klassifikasjonssystemID") == ["K-kodar"]
    assert find(xml, "a:mappe/a:klassifikasjon/a:klasseID") == ["B"]
    assert find(xml, "a:mappe/a:saksdato") == ["2026-10-12"]
    assert find(xml, "a:mappe/a:administrativEnhet/m:navn") == ["Fjordvik videregående skole"]
    assert find(xml, "a:mappe/a:saksstatus/m:kode") == ["B"]
    # The journal entry: N, journalført, dated by the delivery and by the document.
    assert find(xml, "a:registrering/a:journalposttype/m:kode") == ["N"]
    assert find(xml, "a:registrering/a:journalstatus/m:kode") == ["J"]
    assert find(xml, "a:registrering/a:journaldato") == ["2026-11-20"]
    assert find(xml, "a:registrering/a:dokumentetsDato") == ["2026-10-16"]
    assert find(xml, "a:registrering/a:offentlighetsvurdertDato") == ["2026-11-20"]
    assert find(xml, "a:registrering/a:opprettetAv") == ["Anne Arkivar"]
    assert find(xml, "a:registrering/a:korrespondansepart/a:korrespondanseparttype/m:kode") == ["IA"]
    assert find(xml, "a:registrering/a:korrespondansepart/a:saksbehandler/m:navn") == ["Tone Berg"]
    # The document: archive format, checksum, size.
    obj = ".//a:dokumentbeskrivelse/a:dokumentobjekt/"
    assert find(xml, obj + "a:variantformat/m:kode") == ["A"]
    assert find(xml, obj + "a:variantformat/m:beskrivelse") == ["Arkivformat"]
    assert find(xml, obj + "a:filnavn") == find(xml, obj + "a:referanseDokumentfil") == [
        "2026-0007-aktivitetsplan-versjon-2.pdf"]
    assert find(xml, obj + "a:sjekksum") == ["ab" * 32] and find(xml, obj + "a:sjekksumAlgoritme") == ["SHA-256"]
    assert find(xml, obj + "a:filstoerrelse") == ["23456"]
    assert find(xml, ".//a:dokumentbeskrivelse/a:tilknyttetRegistreringSom/m:kode") == ["H"]


def test_the_name_is_in_tittel_and_never_in_offentlig_tittel() -> None:
    xml = build("meldingsskjema")
    titles = find(xml, ".//a:tittel")
    public = find(xml, ".//a:offentligTittel")
    assert any(PUPIL in title for title in titles)
    assert public == ["Skolemiljøsak – ***** – sak 2026-0007", "Meldingsskjema – ***** – sak 2026-0007"]
    assert all(PUPIL not in text and PUPIL.split()[0] not in text for text in public)
    for where in ("a:mappe/a:skjerming", "a:registrering/a:skjerming", ".//a:dokumentbeskrivelse/a:skjerming"):
        assert find(xml, where + "/a:tilgangsrestriksjon/m:kode") == ["13"], where
        assert find(xml, where + "/a:skjermingshjemmel") == ["Offl. § 13 jf. fvl. § 13 første ledd nr. 1"], where
    assert set(find(xml, ".//a:korrespondansepart/a:erSkjermet")) == {"true"}
    assert b"personid" not in xml.lower() and b"fodselsnummer" not in xml.lower()


def test_a_report_is_internal_from_who_received_it_to_rektor() -> None:
    xml = build("meldingsskjema")
    assert find(xml, "a:registrering/a:journalposttype/m:kode") == ["N"]
    assert find(xml, ".//a:dokumentbeskrivelse/a:dokumenttype/m:kode") == ["MELDING"]
    parts = find(xml, "a:registrering/a:korrespondansepart/a:korrespondanseparttype/m:kode")
    names = find(xml, "a:registrering/a:korrespondansepart/a:korrespondansepartNavn")
    assert list(zip(parts, names)) == [("IA", "Per Haugen (kontaktlærer)"), ("IM", "Rektor")]


def test_procedure_c_makes_skoleeier_the_responsible_unit() -> None:
    data = reference_case()
    data["sakstype"] = "ledelse-elev"
    for document in ("meldingsskjema", "aktivitetsplan"):
        xml = build(document, data)
        validate_message(xml)
        assert find(xml, "a:mappe/a:administrativEnhet/m:navn") == ["Fjordvik fylkeskommune"]
        assert set(find(xml, "a:registrering/a:korrespondansepart/a:administrativEnhet/m:navn")) == {
            "Fjordvik fylkeskommune"}
    xml = build("meldingsskjema", data)
    names = find(xml, "a:registrering/a:korrespondansepart/a:korrespondansepartNavn")
    assert names == ["Per Haugen (kontaktlærer)", "Fjordvik fylkeskommune"]  # not rektor
    own = Settings(skole="Fjordvik vgs", skoleeier="Fjordvik fk",
                   arkiv=ArchiveSettings(skoleeier_enhet="Skolemiljøteamet, Fjordvik fk"))
    assert find(build("aktivitetsplan", data, own), "a:mappe/a:administrativEnhet/m:navn") == [
        "Skolemiljøteamet, Fjordvik fk"]


def test_closing_documentation_is_x_and_the_folder_closed_by_the_case_handler() -> None:
    data = reference_case()
    data.update(status="avsluttet", avslutning={"dato": "2026-11-20", "begrunnelse": "Trygg."})
    xml = build("saksdokumentasjon", data)
    assert find(xml, "a:registrering/a:journalposttype/m:kode") == ["X"]
    assert find(xml, "a:mappe/a:saksstatus/m:kode") == ["S"]


def test_the_archive_settings_reach_the_message(tmp_path: Path) -> None:
    path = tmp_path / "skole.yaml"
    path.write_text(
        "skole: Fjordvik vgs\nskoleeier: Fjordvik fk\npdfa: 1b\narkiv:\n  system: skm-fjordvik\n  regel: elevmappe\n"
        "  arkivdel: ELEVARKIV\n  klassifikasjonssystem: KKODE\n  klasse: B31\n  klassetittel: null\n"
        "  administrativ_enhet: Fjordvik vgs, rektor\n  journalenhet: SENTRAL\n  saksansvarlig: Rektor Anne Berg\n"
        "  tilgangskode: UO\n  skjermingshjemmel: Offl. § 13 jf. fvl. § 13 første ledd nr. 1 og § 13 b\n"
        "  frist: 10\n  pakke: zip\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.arkiv.configured and settings.arkiv.frist == 10 and settings.arkiv.pakke == "zip"
    xml = build("aktivitetsplan", settings=settings)
    validate_message(xml)
    assert find(xml, "a:system") == ["skm-fjordvik"] and find(xml, "a:regel") == ["elevmappe"]
    assert find(xml, "a:mappe/a:arkivdel/m:kode") == ["ELEVARKIV"]
    assert find(xml, "a:mappe/a:klassifikasjon/a:klasseID") == ["B31"]
    assert find(xml, "a:mappe/a:klassifikasjon/a:tittel") == []
    assert find(xml, "a:mappe/a:administrativEnhet/m:navn") == ["Fjordvik vgs, rektor"]
    assert find(xml, "a:mappe/a:saksansvarlig/m:navn") == ["Rektor Anne Berg"]
    assert find(xml, "a:mappe/a:journalenhet") == find(xml, "a:registrering/a:journalenhet") == ["SENTRAL"]
    assert find(xml, "a:registrering/a:skjerming/a:tilgangsrestriksjon/m:kode") == ["UO"]
    assert find(xml, ".//a:dokumentobjekt/a:format/m:kode") == ["fmt/354"]


def test_defaults_without_an_arkiv_section_validate(tmp_path: Path) -> None:
    path = tmp_path / "skole.yaml"
    path.write_text("skole: Fjordvik vgs\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.arkiv == ArchiveSettings() and not settings.arkiv.configured
    validate_message(build("meldingsskjema", settings=settings))


@pytest.mark.parametrize("section,line,message", [
    ("arkiv: ja\n", 2, "arkiv: må være et sett med innstillinger (arkivdel, klasse, …)"),
    ("arkiv:\n  arkivdel: ''\n", 3, "arkiv.arkivdel: må være en tekst (ikke tom)"),
    ("arkiv:\n  frist: fem\n", 3, "arkiv.frist: må være et helt antall arbeidsdager (0 eller mer)"),
    ("arkiv:\n  pakke: tar\n", 3, "arkiv.pakke: må være mappe eller zip"),
    ("arkiv:\n  sending: send.sh {pakke}\n", 3,
     'arkiv.sending: må være en liste med programmet og argumentene, for eksempel [fiks-arkiv-send, "{pakke}"]'),
    ("arkiv:\n  klasse: B\n  fagsystem: x\n", 4, "arkiv.fagsystem: ukjent innstilling; kjente er administrativ_enhet, "
     "arkivdel, frist, journalenhet, klasse, klassetittel, klassifikasjonssystem, pakke, regel, saksansvarlig, "
     "sending, skjermingshjemmel, skoleeier_enhet, system, tilgangskode"),
])
def test_a_bad_arkiv_section_names_its_line(tmp_path: Path, section: str, line: int, message: str) -> None:
    path = tmp_path / "skole.yaml"
    path.write_text("skole: Fjordvik vgs\n" + section, encoding="utf-8")
    with pytest.raises(InvalidCaseError) as caught:
        load_settings(path)
    assert [f.format() for f in caught.value.findings] == [f"skole.yaml:{line}: [innstillinger] {message}"]


# ---------------------------------------------------------------- receipts


def test_a_receipt_gives_the_case_number_and_the_journal_numbers() -> None:
    receipt = parse_receipt(receipt_xml())
    assert receipt.keys == ("2026-0007", "2026-0007/aktivitetsplan/2")
    assert receipt.folder.saksnummer == "26/01234" and receipt.folder.created is True
    assert receipt.entry.journalnummer == "2026/4512" and receipt.entry.journalpostnummer == 2
    assert parse_receipt(receipt_xml(mappe_id="2026/1234")).folder.saksnummer == "2026/1234"
    failed = parse_receipt(receipt_xml(failed="F-42"))
    assert failed.entry is None and failed.entry_failed.feil_id == "F-42"


@pytest.mark.parametrize("raw,message", [
    (b"<nope", "Kvitteringsfila er ikke gyldig XML (linje 1)."),
    (b"<arkivmelding/>", "Fila er ikke en kvittering på en arkivmelding"),
    (b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "Kvitteringsfila har en DOCTYPE eller ENTITY"),
])
def test_what_is_not_a_receipt_is_refused(raw: bytes, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_receipt(raw)
    assert caught.value.message.startswith(message)


# ---------------------------------------------------------------- the archive facts of a case


def test_the_arkiv_section_is_never_part_of_a_documents_content() -> None:
    data = reference_case()
    before = {document: archiving.content_hash(document, data) for document in archiving.DOCUMENTS}
    data["arkiv"] = {"saksnummer": "26/09999", "leveranser": []}
    assert {document: archiving.content_hash(document, data) for document in archiving.DOCUMENTS} == before
    assert before["saksdokumentasjon"] is None  # open case: no closing documentation yet
    assert archiving.due_documents(data) == ["meldingsskjema", "aktivitetsplan"]


def test_an_evaluation_is_not_a_new_plan_version_but_a_new_tiltak_is() -> None:
    data = reference_case()
    plan = archiving.content_hash("aktivitetsplan", data)
    evaluated = copy.deepcopy(data)
    evaluated["aktivitetsplan"]["tiltak"][1]["evalueringer"].append({"dato": "2026-11-06", "resultat": "Bra.",
                                                                     "videre": "avslutt"})
    assert archiving.content_hash("aktivitetsplan", evaluated) == plan
    assert archiving.content_hash("meldingsskjema", evaluated) == archiving.content_hash("meldingsskjema", data)
    revised = copy.deepcopy(data)
    revised["aktivitetsplan"]["tiltak"].append({"id": "T3", "beskrivelse": "Ny."})
    assert archiving.content_hash("aktivitetsplan", revised) != plan


def test_document_state_follows_the_deliveries() -> None:
    data = reference_case()
    assert archiving.document_state(data, "meldingsskjema") == archiving.NEVER
    record = {"nummer": 1, "dato": "2026-11-20", "dokument": "meldingsskjema", "versjon": 1, "commit": "c" * 40,
              "sjekksum": "a" * 64, "innholdshash": archiving.content_hash("meldingsskjema", data)}
    data["arkiv"] = {"saksnummer": None, "leveranser": [record]}
    assert archiving.document_state(data, "meldingsskjema") == archiving.CURRENT
    assert archiving.next_delivery_number(data) == 2
    data["varsling"]["skoleeier"] = {"dato": "2026-11-19", "av": "Rektor"}
    assert archiving.document_state(data, "meldingsskjema") == archiving.CHANGED
    record["feilet"] = "F-1"
    assert archiving.document_state(data, "meldingsskjema") == archiving.NEVER
    assert archiving.next_delivery_number(data) == 2  # numbers are never reused


def test_the_xsd_copies_are_the_official_ones() -> None:
    names = sorted(p.name for p in DATA.iterdir() if p.suffix in (".xsd", "") and p.name != "README.md")
    assert names == ["LICENSE", "feilmeldingBase.xsd", "metadatakatalog.xsd",
                     "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.kvittering.xsd",
                     "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"]
    assert "MIT License" in (DATA / "LICENSE").read_text(encoding="utf-8")
    if not SHARED.is_dir():
        pytest.skip("../shared/fiks-arkiv finnes ikke i denne klonen")
    for name in names:
        assert (DATA / name).read_bytes() == (SHARED / name).read_bytes(), name
