"""``skm archive`` in real git repositories, with real PDF/A documents.

The case is the reference record with the history of ``render_fixtures.build_case_history``:
registered, a first plan, the plan revised, an evaluation. Every ``arkivmelding.xml`` written is
validated against the official Fiks Arkiv XSD, every receipt against the receipt XSD.
Skipped only when WeasyPrint or its system libraries are missing (CI installs them).
"""

from __future__ import annotations

import hashlib
import json
import sys
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

import pytest

from archive_fixtures import MDK, NS, copy_repo, receipt_xml, validate_message
from conftest import commits, git, snapshot
from render_fixtures import AUTHOR, CASE_ID, PUPIL, build_case_history, make_repository
from skolemiljo.domain import archiving
from skolemiljo.errors import ArchiveGradeError, DirtyCaseError, ProgramError, RefusedError, UsageError
from skolemiljo.render import pdf
from skolemiljo.services import archive, workflow
from skolemiljo.storage import yamlio
from skolemiljo.storage.repository import CaseRepo

pytestmark = pytest.mark.skipif(not pdf.available(), reason="WeasyPrint eller systembibliotekene den trenger mangler")
pikepdf = pytest.importorskip("pikepdf", reason="pikepdf mangler (pip install 'skm[pdf]')")


def _isolate(mp: pytest.MonkeyPatch, home: Path) -> None:
    (home / "gitconfig").write_text("", encoding="utf-8")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "SKM_AV",
                 "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        mp.delenv(name, raising=False)
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
    mp.setenv("SKM_TODAY", "2026-11-20")


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two repositories made once: the case before any delivery, and right after the first one."""
    mp = pytest.MonkeyPatch()
    try:
        _isolate(mp, tmp_path_factory.mktemp("archive-home"))
        fresh = make_repository(tmp_path_factory.mktemp("fresh") / "saker", mp)
        build_case_history(fresh, mp)
        mp.delenv("GIT_AUTHOR_DATE")
        mp.delenv("GIT_COMMITTER_DATE")
        delivered = CaseRepo(copy_repo(fresh.root, tmp_path_factory.mktemp("delivered") / "saker"))
        archive.archive_case(delivered, CASE_ID, AUTHOR)
    finally:
        mp.undo()
    return {"fresh": fresh.root, "delivered": delivered.root}


@pytest.fixture
def fresh(bases, tmp_path: Path) -> CaseRepo:
    return CaseRepo(copy_repo(bases["fresh"], tmp_path / "ny" / "saker"))


@pytest.fixture
def delivered(bases, tmp_path: Path) -> CaseRepo:
    return CaseRepo(copy_repo(bases["delivered"], tmp_path / "levert" / "saker"))


def case_data(repo: CaseRepo, case_id: str = CASE_ID) -> dict:
    return yamlio.load(repo.case_path(case_id).read_text(encoding="utf-8"))


def xml_of(package: Path) -> bytes:
    if package.suffix == ".zip":
        with zipfile.ZipFile(package) as archive_file:
            return archive_file.read("arkivmelding.xml")
    return (package / "arkivmelding.xml").read_bytes()


def values(xml: bytes, path: str) -> list[str]:
    return [(e.text or "") for e in ET.fromstring(xml).findall(path, {"a": NS, "m": MDK})]


def test_first_delivery(fresh: CaseRepo) -> None:
    before = commits(fresh)
    result = archive.archive_case(fresh, CASE_ID, AUTHOR)
    # One package per journal entry: the meldingsskjema and both versions of the plan.
    got = [(p.number, p.pending.document, p.pending.version, p.path.name) for p in result.recorded]
    assert got == [(1, "meldingsskjema", 1, "2026-0007-levering-001"), (2, "aktivitetsplan", 1, "2026-0007-levering-002"),
                   (3, "aktivitetsplan", 2, "2026-0007-levering-003")]
    assert [p.path.parent for p in result.recorded] == [fresh.state_dir / "arkiv"] * 3
    history = [line.split() for line in git(fresh, "log", "--reverse", "--format=%H %s").splitlines()]
    for package in result.recorded:
        xml = xml_of(package.path)
        validate_message(xml)
        files = sorted(p.name for p in package.path.iterdir())
        assert files == sorted(["arkivmelding.xml", package.file_name])
        data = (package.path / package.file_name).read_bytes()
        obj = ".//a:dokumentobjekt/"
        assert values(xml, obj + "a:referanseDokumentfil") == [package.file_name]
        assert values(xml, obj + "a:sjekksum") == [hashlib.sha256(data).hexdigest()]
        assert values(xml, obj + "a:filstoerrelse") == [str(len(data))]
        with pikepdf.open(package.path / package.file_name) as document:
            meta = document.open_metadata()
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
            assert not document.is_encrypted
        # Never the pupil's name in a path or in the public title; in the shielded title, yes.
        assert PUPIL not in str(package.path) and PUPIL.split()[0] not in package.file_name
        assert all(PUPIL not in title for title in values(xml, ".//a:offentligTittel"))
        assert PUPIL in values(xml, "a:registrering/a:tittel")[0]
    # Recorded in the case, one commit that changes only the case file.
    assert commits(fresh) == before + [("2026-0007: levert til arkivet (levering 1–3)", "Tone Berg <tone.berg@fjordvik"
                                        ".example>", ("cases/2026-0007.yaml",))]
    records = case_data(fresh)["arkiv"]["leveranser"]
    assert [(r["nummer"], r["dato"], r["dokument"], r["versjon"]) for r in records] == [
        (1, "2026-11-20", "meldingsskjema", 1), (2, "2026-11-20", "aktivitetsplan", 1),
        (3, "2026-11-20", "aktivitetsplan", 2)]
    # Made from the commits the versions came from: the plan at "laget" and at "endret".
    by_subject = {subject: sha for sha, *rest in history for subject in [" ".join(rest)]}
    assert records[1]["commit"] == by_subject["2026-0007: aktivitetsplan laget"]
    assert records[2]["commit"] == by_subject["2026-0007: aktivitetsplan endret"]
    for record, package in zip(records, result.recorded):
        assert record["sjekksum"] == package.checksum and record["fil"] == package.file_name
    assert git(fresh, "log", "-1", "--format=%(trailers:key=Skm-Action,valueonly)").strip() == "archive"
    assert git(fresh, "status", "--porcelain").strip() == ""


def test_a_second_run_delivers_nothing(delivered: CaseRepo) -> None:
    before = snapshot(delivered)
    result = archive.archive_case(delivered, CASE_ID, AUTHOR)
    assert result.pending == [] and result.recorded == [] and result.commit is None
    assert snapshot(delivered) == before


def test_the_same_version_gives_the_same_bytes(delivered: CaseRepo, tmp_path: Path) -> None:
    """A document made again from its commit is the document that was delivered."""
    records = case_data(delivered)["arkiv"]["leveranser"]
    data = case_data(delivered)
    data["arkiv"]["leveranser"] = []
    from skolemiljo.render.api import load_source

    source = load_source(delivered, CASE_ID)
    snapshots = [archive._parse(v.raw) for v in source.versions]  # noqa: PLC2701  (the test reaches in)
    pending = archive.pending_documents(list(source.versions), snapshots, data)
    assert [(p.document, p.version, p.commit) for p in pending] == [
        (r["dokument"], r["versjon"], r["commit"]) for r in records]
    # The plan versions are those the rendered documents number (render.versions).
    from skolemiljo.render.versions import plan_versions

    rendered = [(v.number, v.commit) for v in plan_versions(source.versions, case_data(delivered)) if v.commit]
    assert rendered == [(p.version, p.commit) for p in pending if p.document == "aktivitetsplan"]
    from skolemiljo.render.api import produce_from, source_at

    item = pending[1]
    arkiv = {"saksnummer": case_data(delivered)["arkiv"]["saksnummer"]}  # what the case had when delivered
    again = produce_from(delivered, source_at(source, item.index, {**snapshots[item.index], "arkiv": arkiv}),
                         item.document, "pdf", "nb", delivered.settings())
    assert hashlib.sha256(again).hexdigest() == records[1]["sjekksum"]


def test_a_new_plan_version_delivers_one_new_journal_entry(delivered: CaseRepo) -> None:
    workflow.add_tiltak(delivered, CASE_ID, AUTHOR, "Faste samtaler med kontaktlærer hver fredag.",
                        date(2026, 11, 20), date(2026, 12, 18), "Kontaktlærer Ole Dahl", date(2026, 12, 4))
    data = case_data(delivered)
    assert archiving.document_state(data, "aktivitetsplan") == archiving.CHANGED
    result = archive.archive_case(delivered, CASE_ID, AUTHOR)
    assert [(p.number, p.pending.document, p.pending.version) for p in result.recorded] == [(4, "aktivitetsplan", 3)]
    xml = xml_of(result.recorded[0].path)
    validate_message(xml)
    assert values(xml, "a:registrering/a:referanseEksternNoekkel/m:noekkel") == ["2026-0007/aktivitetsplan/3"]
    assert values(xml, "a:registrering/a:offentligTittel") == ["Aktivitetsplan, versjon 3 – ***** – sak 2026-0007"]
    assert archiving.up_to_date(case_data(delivered))
    assert commits(delivered)[-1][0] == "2026-0007: levert til arkivet (levering 4)"


def test_a_receipt_is_recorded_and_shows_on_every_document(delivered: CaseRepo, tmp_path: Path) -> None:
    path = tmp_path / "kvittering.xml"
    path.write_bytes(receipt_xml(entry_key="2026-0007/aktivitetsplan/2", journalpostnummer=3))
    result = archive.record_receipt(delivered, AUTHOR, path)
    assert (result.case_id, result.number, result.saksnummer, result.journalpost, result.changed) == (
        CASE_ID, 3, "26/01234", "26/01234-3", True)
    data = case_data(delivered)
    assert data["arkiv"]["saksnummer"] == "26/01234"
    assert data["arkiv"]["leveranser"][2] | {} == {**data["arkiv"]["leveranser"][2], "kvittert": "2026-11-20",
                                                   "journalnummer": "2026/4512", "journalpostnummer": 3}
    assert commits(delivered)[-1] == ("2026-0007: arkivkvittering registrert (levering 3)",
                                      "Tone Berg <tone.berg@fjordvik.example>", ("cases/2026-0007.yaml",))
    # The same receipt again changes nothing.
    head = git(delivered, "rev-parse", "HEAD")
    assert archive.record_receipt(delivered, AUTHOR, path).changed is False
    assert git(delivered, "rev-parse", "HEAD") == head
    # Recording it is not a change to any document: nothing to deliver.
    assert archive.archive_case(delivered, CASE_ID, AUTHOR).pending == []
    from skolemiljo.render.api import render_case

    for document in archiving.DOCUMENTS:
        html = render_case(delivered, CASE_ID, document, "html", None, tmp_path / "ut").read_text(encoding="utf-8")
        assert "<th>Arkivsaksnummer</th><td>26/01234</td>" in html, document


def test_a_failed_entry_in_the_receipt_is_delivered_again(delivered: CaseRepo, tmp_path: Path) -> None:
    path = tmp_path / "kvittering.xml"
    path.write_bytes(receipt_xml(failed="F-2026-117"))  # a failed entry has no key: the user names the delivery
    with pytest.raises(UsageError) as caught:
        archive.record_receipt(delivered, AUTHOR, path)
    assert caught.value.hint == "Oppgi leveringen: `skm archive 2026-0007 --kvittering FIL --levering N`."
    result = archive.record_receipt(delivered, AUTHOR, path, number=1)
    assert (result.number, result.failed) == (1, "F-2026-117")
    assert commits(delivered)[-1][0] == "2026-0007: arkivet meldte feil (levering 1)"
    again = archive.archive_case(delivered, CASE_ID, AUTHOR)
    assert [(p.number, p.pending.document, p.pending.version) for p in again.recorded] == [(4, "meldingsskjema", 1)]


def _sending(repo: CaseRepo, script: str, tmp_path: Path) -> Path:
    program = tmp_path / "send.py"
    program.write_text(textwrap.dedent(script), encoding="utf-8")
    log = tmp_path / "sendt.log"
    settings = repo.settings_path.read_text(encoding="utf-8")
    command = json.dumps([sys.executable, str(program), "{pakke}", str(log)])
    repo.settings_path.write_text(settings + f"arkiv:\n  sending: {command}\n", encoding="utf-8")
    return log


def test_an_unapproved_sending_command_is_refused_before_anything(fresh: CaseRepo, tmp_path: Path) -> None:
    _sending(fresh, "raise SystemExit(0)\n", tmp_path)
    before = snapshot(fresh)
    with pytest.raises(RefusedError) as caught:
        archive.archive_case(fresh, CASE_ID, AUTHOR)
    assert "ikke godkjent på denne maskinen" in caught.value.message
    assert "`skm archive --godkjenn-sending`" in caught.value.hint
    assert snapshot(fresh) == before and not (fresh.state_dir / "arkiv").exists()


def test_a_sending_command_gets_each_package(fresh: CaseRepo, tmp_path: Path) -> None:
    log = _sending(fresh, """\
        import os, sys
        with open(sys.argv[2], "a") as out:
            out.write(f"{sys.argv[1]} {os.environ['SKM_LEVERING']} {'GIT_DIR' in os.environ}\\n")
        """, tmp_path)
    archive.approve_command(fresh)
    result = archive.archive_case(fresh, CASE_ID, AUTHOR)
    assert result.sent and [p.number for p in result.recorded] == [1, 2, 3]
    assert log.read_text().splitlines() == [f"{p.path.resolve()} {p.number} False" for p in result.recorded]


def test_a_failing_sending_command_records_nothing(fresh: CaseRepo, tmp_path: Path) -> None:
    _sending(fresh, "raise SystemExit(3)\n", tmp_path)
    archive.approve_command(fresh)
    before = snapshot(fresh)
    with pytest.raises(ProgramError) as caught:
        archive.archive_case(fresh, CASE_ID, AUTHOR)
    assert caught.value.message == ("Sendekommandoen avsluttet med kode 3 for levering 1. Levering 1–3 i sak "
                                    "2026-0007 er ikke registrert som levert.")
    assert snapshot(fresh) == before  # no commit, the case file untouched
    assert "levert" not in json.dumps(case_data(fresh).get("arkiv"))


def test_sending_that_fails_half_way_records_what_was_handed_over(fresh: CaseRepo, tmp_path: Path) -> None:
    _sending(fresh, "import sys; raise SystemExit(0 if sys.argv[1].endswith('001') else 1)\n", tmp_path)
    archive.approve_command(fresh)
    with pytest.raises(ProgramError) as caught:
        archive.archive_case(fresh, CASE_ID, AUTHOR)
    assert "Levering 2–3 i sak 2026-0007 er ikke registrert som levert. Levering 1 er registrert" \
           in caught.value.message
    assert [r["nummer"] for r in case_data(fresh)["arkiv"]["leveranser"]] == [1]


def test_procedure_c_delivers_with_skoleeier_as_the_responsible_unit(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repository(tmp_path / "saker", monkeypatch)

    def leadership(data: dict) -> None:
        data["sakstype"] = "ledelse-elev"
        data["varsling"] = {"rektor": None, "skoleeier": {"dato": "2026-10-12", "av": "Per Haugen"}}

    build_case_history(repo, monkeypatch, mutate=leadership)
    result = archive.archive_case(repo, CASE_ID, AUTHOR)
    assert len(result.recorded) == 3
    for package in result.recorded:
        xml = xml_of(package.path)
        validate_message(xml)
        assert values(xml, "a:mappe/a:administrativEnhet/m:navn") == ["Fjordvik fylkeskommune"]
    meld = xml_of(result.recorded[0].path)
    assert values(meld, "a:registrering/a:korrespondansepart/a:korrespondansepartNavn")[1] == "Fjordvik fylkeskommune"


def test_a_closed_case_delivers_its_documentation_as_zip(delivered: CaseRepo) -> None:
    data = case_data(delivered)
    for item in data["aktivitetsplan"]["tiltak"]:
        if not item["evalueringer"]:
            item["evalueringer"].append({"dato": "2026-11-06", "resultat": "Samtalene er gjennomført.",
                                         "elevens_opplevelse": "Bedre.", "videre": "avslutt"})
    from skolemiljo.storage.casefiles import case_document
    from skolemiljo.storage.commits import GitStore, commit_message

    GitStore(delivered).commit_file(delivered.case_path(CASE_ID), case_document(data).encode(),
                                    commit_message(CASE_ID, "tiltak T2 evaluert", "evaluate"), AUTHOR)
    workflow.close(delivered, CASE_ID, AUTHOR, "Eleven opplever skolemiljøet som trygt og godt.", "Trygg nå.",
                   date(2026, 12, 18))
    result = archive.archive_case(delivered, CASE_ID, AUTHOR, as_zip=True)
    assert [(p.number, p.pending.document) for p in result.recorded] == [(4, "saksdokumentasjon")]
    package = result.recorded[0].path
    assert package.name == "2026-0007-levering-004.zip"
    with zipfile.ZipFile(package) as archive_file:
        assert archive_file.namelist() == ["arkivmelding.xml", "2026-0007-saksdokumentasjon-versjon-1.pdf"]
    xml = xml_of(package)
    validate_message(xml)
    assert values(xml, "a:registrering/a:journalposttype/m:kode") == ["X"]
    assert values(xml, "a:mappe/a:saksstatus/m:kode") == ["S"]


def test_a_case_with_uncommitted_changes_is_refused(delivered: CaseRepo) -> None:
    path = delivered.case_path(CASE_ID)
    path.write_text(path.read_text(encoding="utf-8").replace("2STB", "2STC"), encoding="utf-8")
    before = snapshot(delivered)
    with pytest.raises(DirtyCaseError):
        archive.archive_case(delivered, CASE_ID, AUTHOR)
    assert snapshot(delivered) == before


def test_a_pdf_that_is_not_archive_grade_is_never_delivered(fresh: CaseRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    from skolemiljo.render import api

    monkeypatch.setattr(api, "produce_from", lambda *args, **kw: weasyprint.HTML(string="<p>x</p>").write_pdf())
    before = snapshot(fresh)
    with pytest.raises(ArchiveGradeError) as caught:
        archive.archive_case(fresh, CASE_ID, AUTHOR)
    assert caught.value.message.startswith("meldingsskjema versjon 1 i sak 2026-0007 er ikke arkivklar PDF/A: fila er "
                                           "ikke merket som PDF/A")
    assert snapshot(fresh) == before and not (fresh.state_dir / "arkiv").exists()


def test_unembedded_fonts_and_encryption_are_found(tmp_path: Path) -> None:
    from skolemiljo.archive.pdfa import problems
    from skolemiljo.render.pdf import html_to_pdf
    from skolemiljo.storage.resources import templates_dir

    good = html_to_pdf("<p>Hei</p>", pdfa="2b", folders=[templates_dir()])
    assert problems(good, "2b") == []
    assert problems(good, "1b") == ["fila er merket som PDF/A-2b, men skole.yaml krever PDF/A-1b"]
    (tmp_path / "god.pdf").write_bytes(good)
    with pikepdf.open(tmp_path / "god.pdf") as document:
        font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                  BaseFont=pikepdf.Name.Helvetica)
        document.pages[0].Resources.Font = pikepdf.Dictionary(F9=font)
        out = tmp_path / "font.pdf"
        document.save(out)
        assert problems(out.read_bytes(), "2b") == ["skrifter er ikke innebygd: Helvetica"]
        document.save(tmp_path / "kryptert.pdf", encryption=pikepdf.Encryption(owner="a", user="b"))
    assert problems((tmp_path / "kryptert.pdf").read_bytes(), "2b") == ["fila er kryptert (passordbeskyttet)"]


def test_the_archive_checks(delivered: CaseRepo, fresh: CaseRepo) -> None:
    from skolemiljo.checks.runner import run

    fresh.settings_path.write_text(fresh.settings_path.read_text(encoding="utf-8") + "arkiv:\n  frist: 5\n",
                                   encoding="utf-8")
    report = run(fresh, ["ikke-arkivert", "arkiv-endret"], date(2026, 11, 20), use_cache=False)
    assert [(f.check, f.message) for f in report.findings] == [(
        "ikke-arkivert", "Aktivitetsplanen er fra 16. oktober 2026, men meldingsskjemaet og aktivitetsplanen er ikke "
                         "levert til arkivet (frist 5 arbeidsdager; skm archive)")]
    assert run(fresh, ["ikke-arkivert"], date(2026, 10, 22), use_cache=False).findings == []  # within 5 days
    # Delivered: silent; then the report is corrected, and the delivered meldingsskjema is out of date.
    assert run(delivered, ["ikke-arkivert", "arkiv-endret"], date(2026, 11, 20), use_cache=False).findings == []
    workflow.notify(delivered, CASE_ID, AUTHOR, "skoleeier")
    found = run(delivered, ["arkiv-endret"], date(2026, 11, 20), use_cache=False).findings
    assert [(f.file, f.check, f.message) for f in found] == [(
        "cases/2026-0007.yaml", "arkiv-endret", "Meldingsskjemaet er endret etter levering nr. 1 (20. november 2026); den "
                                                "nye versjonen er ikke levert til arkivet (skm archive)")]
    result = archive.archive_case(delivered, CASE_ID, AUTHOR)
    assert [(p.pending.document, p.pending.version) for p in result.recorded] == [("meldingsskjema", 2)]
    assert run(delivered, ["arkiv-endret"], date(2026, 11, 20), use_cache=False).findings == []
