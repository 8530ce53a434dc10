"""``skm render --format pdf``: PDF/A, embedded fonts, text, metadata, identical bytes.

Skipped only when WeasyPrint or its system libraries are missing (CI installs them:
``pip install -e '.[pdf,test]'`` and ``apt-get install libpango-1.0-0 libpangoft2-1.0-0
libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core poppler-utils``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from render_fixtures import (  # noqa: F401  (fixtures)
    CASE_ID, PUPIL, SKOLE, build_case_history, make_repository, pdf_text, reference_case, render_env,
    render_repo, run_skm,
)
from skolemiljo.render import api, i18n, pdf

pytestmark = pytest.mark.skipif(
    not pdf.available(),
    reason="WeasyPrint eller systembibliotekene den trenger mangler (pip install 'skolemiljo[pdf]'; "
           "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)",
)
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="poppler-utils (pdftotext, pdffonts) er ikke installert",
)
pikepdf = pytest.importorskip("pikepdf", reason="pikepdf mangler (pip install 'skolemiljo[test]')")

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def render(repo, document="saksdokumentasjon", malform=None, out: Path | None = None) -> Path:
    return api.render_case(repo, CASE_ID, document, "pdf", malform, out or repo.root.parent / "ut")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """Every document of the case as PDF in bokmål, and the plan in nynorsk: made once per module."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("pdf-home")
        (home / "gitconfig").write_text("", encoding="utf-8")
        for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "SKM_AV"):
            patch.delenv(name, raising=False)
        patch.setenv("HOME", str(home))
        patch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        patch.setenv("SKM_TODAY", "2026-11-20")
        repo = make_repository(tmp_path_factory.mktemp("pdf") / "saker", patch)
        build_case_history(repo, patch)
        documents = {document: render(repo, document) for document in i18n.DOCUMENTS}
        documents["aktivitetsplan-nn"] = render(repo, "aktivitetsplan", malform="nn",
                                                out=repo.root.parent / "nn")
    return documents


@pytest.mark.parametrize("document", i18n.DOCUMENTS)
def test_pdf_is_pdf_a_2b(rendered, document):
    with pikepdf.open(rendered[document]) as document_pdf:
        meta = document_pdf.open_metadata()
        assert meta[f"{PDFAID}part"] == "2"
        assert meta[f"{PDFAID}conformance"] == "B"
        intents = document_pdf.Root.OutputIntents
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == "/GTS_PDFA1"
        assert "sRGB" in str(intent.OutputConditionIdentifier)
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3  # an RGB ICC profile is embedded
        assert profile.read_bytes()[36:40] == b"acsp"  # ICC signature
        assert document_pdf.pdf_version == "1.7"
        assert not document_pdf.is_encrypted


def test_pdf_a_1b_when_the_school_says_so(render_env, tmp_path, monkeypatch):
    repo = make_repository(tmp_path / "saker", monkeypatch, pdfa="1b")
    build_case_history(repo, monkeypatch)
    with pikepdf.open(render(repo, "aktivitetsplan")) as document_pdf:
        meta = document_pdf.open_metadata()
        assert meta[f"{PDFAID}part"] == "1"
        assert meta[f"{PDFAID}conformance"] == "B"
        assert document_pdf.pdf_version == "1.4"
        assert document_pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"


def test_metadata_title_case_school_language_dates(rendered):
    with pikepdf.open(rendered["aktivitetsplan"]) as document_pdf:
        info = document_pdf.docinfo
        assert str(info.Title) == f"Aktivitetsplan – sak {CASE_ID}"
        assert str(info.Author) == SKOLE
        assert CASE_ID in str(info.Subject) and CASE_ID in str(info.Keywords)
        assert str(document_pdf.Root.Lang) == "nb"
        # The case's first and last commit, never the clock.
        assert str(info.CreationDate) == "D:20261012091500+02'00"
        assert str(info.ModDate) == "D:20261030130000+01'00"
        meta = document_pdf.open_metadata()
        assert meta["{http://ns.adobe.com/xap/1.0/}ModifyDate"] == "2026-10-30T13:00:00+01:00"
        assert meta["{http://purl.org/dc/elements/1.1/}title"] == f"Aktivitetsplan – sak {CASE_ID}"
        # Metadata is indexed by archives: never the pupil's name there.
        everything = " ".join(str(v) for v in info.values()) + str(meta)
        assert PUPIL not in everything


@needs_poppler
@pytest.mark.parametrize("document", i18n.DOCUMENTS)
def test_every_font_is_embedded(rendered, document):
    import subprocess

    out = subprocess.run(["pdffonts", str(rendered[document])], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        # name type encoding emb sub uni object-id: "emb" is the third column from the right end's group.
        columns = row.split()
        emb = columns[-5]
        assert emb == "yes", row


@needs_poppler
def test_text_holds_the_id_the_five_plan_headings_and_aeoeaa(rendered):
    text = pdf_text(rendered["aktivitetsplan"])
    assert CASE_ID in text
    for letter in "abcde":
        assert f"{letter}) {i18n.text('nb')[f'plan_{letter}']}" in text
    assert "æ" in text and "ø" in text and "å" in text
    assert "Unntatt offentlighet, offl. § 13 jf. fvl. § 13 (1)" in text
    assert re.search(r"Side 1 av 2", text)
    assert "Dokumentdato 30. oktober 2026" in text


@needs_poppler
def test_nynorsk_pdf_text(rendered):
    text = pdf_text(rendered["aktivitetsplan-nn"])
    for letter in "abcde":
        assert f"{letter}) {i18n.text('nn')[f'plan_{letter}']}" in text
    assert "Hvilket problem" not in text
    assert "Unnateke offentlegheit" in text
    with pikepdf.open(rendered["aktivitetsplan-nn"]) as document_pdf:
        assert str(document_pdf.Root.Lang) == "nn"


@needs_poppler
def test_every_page_has_the_mark_and_page_numbers(rendered):
    import subprocess

    path = rendered["saksdokumentasjon"]
    with pikepdf.open(path) as document_pdf:
        pages = len(document_pdf.pages)
    assert pages >= 2
    for page in range(1, pages + 1):
        out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                             capture_output=True, check=True).stdout.decode("utf-8")
        flat = " ".join(out.split())
        assert "Unntatt offentlighet, offl. § 13 jf. fvl. § 13 (1)" in flat
        assert f"Side {page} av {pages}" in flat
        assert f"Sak {CASE_ID}" in flat


@needs_poppler
def test_saksdokumentasjon_pdf_holds_every_plan_version(rendered):
    text = pdf_text(rendered["saksdokumentasjon"])
    assert "Versjon 1 – lagret 16. oktober 2026 kl. 14.05 av Tone Berg" in text
    assert "Versjon 2 (gjeldende) – lagret 19. oktober 2026 kl. 08.30 av Tone Berg" in text


def test_rendering_again_gives_identical_bytes(render_repo, tmp_path):
    first = render(render_repo, "saksdokumentasjon", out=tmp_path / "a").read_bytes()
    second = render(render_repo, "saksdokumentasjon", out=tmp_path / "b").read_bytes()
    assert first == second
    # In a fresh process too (no shared font configuration or caches).
    result = run_skm("render", CASE_ID, "-o", str(tmp_path / "c"), cwd=render_repo.root)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "c" / f"{CASE_ID}-saksdokumentasjon.pdf").read_bytes() == first


def test_render_all_pdf_in_parallel_matches_single_renders(render_env, tmp_path, monkeypatch):
    repo = make_repository(tmp_path / "saker", monkeypatch)
    ids = [f"2026-{n:04d}" for n in range(7, 14)]
    for case_id in ids:
        build_case_history(repo, monkeypatch, case_id=case_id)
    broken = "2026-0099"
    repo.case_path(broken).write_text("id: 2026-0099\nstatus: [\n", encoding="utf-8")
    seen = []
    outcomes = api.render_all(repo, "meldingsskjema", "pdf", None, tmp_path / "alle", jobs=2,
                              progress=lambda outcome: seen.append(outcome.case_id))
    assert [o.case_id for o in outcomes] == ids + [broken]
    assert all(o.error is None for o in outcomes[:-1])
    failure = outcomes[-1].error
    assert failure is not None and broken in failure.message
    assert failure.details and failure.details[0].startswith("cases/2026-0099.yaml:")
    assert sorted(seen) == ids + [broken]
    single = api.render_case(repo, ids[3], "meldingsskjema", "pdf", None, tmp_path / "en")
    assert (tmp_path / "alle" / single.name).read_bytes() == single.read_bytes()


def test_cli_pdf(render_repo, tmp_path):
    from skolemiljo.cli.app import app

    result = CliRunner().invoke(app, ["-C", str(render_repo.root), "render", CASE_ID, "aktivitetsplan",
                                      "-o", str(tmp_path / "arkiv")], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path == tmp_path / "arkiv" / f"{CASE_ID}-aktivitetsplan.pdf"
    assert path.read_bytes().startswith(b"%PDF-1.7")
