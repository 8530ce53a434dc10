"""``skm render`` without PDF: templates, languages, escaping, plan versions, the command.

The PDF tests are in ``test_render_pdf.py``; everything here runs without WeasyPrint.
"""

from __future__ import annotations

import re
import sys

import jinja2
import pytest
from typer.testing import CliRunner

from render_fixtures import (  # noqa: F401  (fixtures)
    CASE_ID, FIRST_PLAN_ANSVARLIG, PUPIL, SKOLE, build_case_history, commit_case, make_repository,
    reference_case, render_env, render_repo, squash,
)
from skolemiljo.render import api, engine, i18n
from skolemiljo.render.context import build_context
from skolemiljo.storage.repository import CaseRepo

# The plan's five elements in the law's words (DOMAIN.md; opplæringslova § 12-4 tredje ledd).
LAW_NN = ("kva problem tiltaka skal løyse", "kva tiltak skolen har planlagt", "når tiltaka skal gjennomførast",
          "kven som skal gjennomføre tiltaka", "når tiltaka skal evaluerast")
LAW_NB = ("hvilket problem tiltakene skal løse", "hvilke tiltak skolen har planlagt",
          "når tiltakene skal gjennomføres", "hvem som skal gjennomføre tiltakene", "når tiltakene skal evalueres")
MARK_NB = "Unntatt offentlighet, offl. § 13 jf. fvl. § 13 (1)"


def plain(html: str) -> str:
    """The visible text of an HTML document, whitespace collapsed."""
    import html as html_module

    return squash(html_module.unescape(re.sub(r"<[^>]+>", " ", html)))


def render_text(repo: CaseRepo, document: str, fmt: str = "html", malform: str = "nb",
                case_id: str = CASE_ID) -> str:
    data = api.produce(repo, case_id, document, fmt, malform, repo.settings())
    return data.decode("utf-8")


def invoke(repo: CaseRepo, *args: str):
    from skolemiljo.cli.app import app

    return CliRunner().invoke(app, ["-C", str(repo.root), *args], catch_exceptions=False)


# ------------------------------------------------------------------ fixed texts

def test_both_malformer_have_every_text():
    assert set(i18n.TEXT["nb"]) == set(i18n.TEXT["nn"])
    for table in (i18n.SAKSTYPE, i18n.MELDT_AV, i18n.AKTIVITET, i18n.VIDERE, i18n.STATUS):
        assert set(table["nb"]) == set(table["nn"])


def test_plan_headings_are_the_law_s_words():
    for malform, words in (("nb", LAW_NB), ("nn", LAW_NN)):
        t = i18n.text(malform)
        assert tuple(t[f"plan_{letter}"].lower() for letter in "abcde") == words


def test_dates_are_written_the_norwegian_way():
    from datetime import date

    assert i18n.format_date(date(2026, 10, 16), "nb") == "16. oktober 2026"
    assert i18n.format_date(date(2026, 10, 16), "nn") == "16. oktober 2026"
    assert i18n.format_date(date(2027, 3, 1), "nb") == "1. mars 2027"


# ------------------------------------------------------------------ documents

@pytest.mark.parametrize("document", i18n.DOCUMENTS)
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_every_document_renders_with_mark_id_and_school(render_repo, document, fmt):
    text = render_text(render_repo, document, fmt)
    assert MARK_NB in text
    assert CASE_ID in text
    assert SKOLE in text
    assert re.search(r"\b\d{1,2}\. oktober 2026\b", text)  # dates the Norwegian way


def test_document_date_is_the_last_commit_not_the_clock(render_repo, monkeypatch):
    monkeypatch.setenv("SKM_TODAY", "2027-05-17")
    text = plain(render_text(render_repo, "aktivitetsplan"))
    assert "Dokumentdato 30. oktober 2026" in text
    assert "17. mai 2027" not in text
    html = render_text(render_repo, "aktivitetsplan")
    assert 'name="dcterms.modified" content="2026-10-30T13:00:00+01:00"' in html
    assert 'name="dcterms.created" content="2026-10-12T09:15:00+02:00"' in html


def test_rendering_twice_gives_identical_bytes(render_repo):
    for fmt in ("html", "md"):
        first = api.produce(render_repo, CASE_ID, "saksdokumentasjon", fmt, "nb", render_repo.settings())
        second = api.produce(render_repo, CASE_ID, "saksdokumentasjon", fmt, "nb", render_repo.settings())
        assert first == second


def test_aktivitetsplan_has_the_five_elements_voice_best_interests_evaluations_and_signature(render_repo):
    text = plain(render_text(render_repo, "aktivitetsplan")).lower()
    for heading in LAW_NB:
        assert heading in text
    assert "miljøarbeider sara lunde" in text  # d) who, current version
    assert "19. oktober 2026 – 20. november 2026" in text  # c) when
    assert "ønsker ikke å bytte klasse" in text  # the pupil's voice
    assert "vurdering av elevens beste" in text and "å bli i klassen med støtte" in text
    assert "eleven har fast makker; mindre alene." in text  # the evaluation so far
    assert "underskrift" in text and "sted og dato" in text and "rektor" in text


def test_meldingsskjema_holds_the_report_and_notifications(render_repo):
    text = plain(render_text(render_repo, "meldingsskjema"))
    for expected in ("Per Haugen (kontaktlærer)", "eleven selv", "Elev krenker elev", "utestenging, digital mobbing",
                     "gruppechat", "12. oktober 2026", "Ikke varslet", PUPIL):
        assert expected in text


def test_saksdokumentasjon_has_every_plan_version_with_its_date(render_repo):
    text = plain(render_text(render_repo, "saksdokumentasjon"))
    assert "Planen har hatt 2 versjoner" in text
    first = text.index("Versjon 1 – lagret 16. oktober 2026 kl. 14.05 av Tone Berg")
    second = text.index("Versjon 2 (gjeldende) – lagret 19. oktober 2026 kl. 08.30 av Tone Berg")
    assert first < second
    # The first version's own content, which the current plan no longer has.
    assert FIRST_PLAN_ANSVARLIG in text[first:second]
    assert "23. oktober 2026" in text[first:second]
    assert "T2" not in text[first:second]
    assert "tiltak T2 er lagt til" in text and "tiltak T1 er endret: hvem (d), evalueringsdato (e)" in text


def test_saksdokumentasjon_is_in_the_order_statsforvaltaren_asks_for(render_repo):
    text = plain(render_text(render_repo, "saksdokumentasjon"))
    body = text[text.index("1 Meldingen", text.index("10 Historikk")):]  # after the table of contents
    order = ["Meldingen", "Varsling", "Undersøkelse", "Elevens stemme", "Vurdering av elevens beste",
             "Aktivitetsplanen og alle versjonene av den", "Evalueringer", "Avslutning av saken", "Logg",
             "Historikk (revisjonsspor)"]
    positions = [body.index(f"{n} {title}") for n, title in enumerate(order, start=1)]
    assert positions == sorted(positions)
    # The audit trail: each commit with date, who and action.
    for when, action in (("12. oktober 2026 kl. 09.15", "melding registrert"),
                         ("16. oktober 2026 kl. 14.05", "aktivitetsplan laget"),
                         ("19. oktober 2026 kl. 08.30", "aktivitetsplan endret"),
                         ("30. oktober 2026 kl. 13.00", "tiltak T1 evaluert")):
        assert f"{when} Tone Berg {action}" in body
    assert "Melding mottatt fra eleven og registrert." in body  # the log
    assert "Saken er ikke avsluttet" in body


def test_evaluations_of_a_removed_tiltak_stay_in_the_record(render_env, tmp_path, monkeypatch):
    repo = make_repository(tmp_path / "saker", monkeypatch)
    final = build_case_history(repo, monkeypatch)
    final["aktivitetsplan"]["tiltak"] = final["aktivitetsplan"]["tiltak"][1:]  # T1 taken out of the plan
    commit_case(repo, final, "tiltak T1 tatt ut", monkeypatch, "2026-11-02T10:00:00+01:00")
    text = plain(render_text(repo, "saksdokumentasjon"))
    assert "Planen har hatt 3 versjoner" in text
    assert "tiltak T1 er tatt ut av planen" in text
    assert "Eleven har fast makker; mindre alene." in text  # T1's evaluation is still documented


def test_a_case_with_no_plan_yet_renders_every_document(render_env, tmp_path, monkeypatch):
    repo = make_repository(tmp_path / "saker", monkeypatch)
    data = reference_case()
    data.update(status="mottatt", undersokelse=None, elevens_stemme=[], barnets_beste=None, aktivitetsplan=None,
                logg=[], arkiv={"saksnummer": None})
    commit_case(repo, data, "melding registrert", monkeypatch, "2026-10-12T09:15:00+02:00")
    for document in i18n.DOCUMENTS:
        for fmt in ("html", "md"):
            text = render_text(repo, document, fmt)
            assert CASE_ID in text
    assert "Det er ikke laget noen aktivitetsplan i saken." in render_text(repo, "aktivitetsplan")
    assert "Undersøkelsen er ikke startet." in render_text(repo, "saksdokumentasjon")


def test_uncommitted_changes_are_marked_as_draft(render_repo):
    path = render_repo.case_path(CASE_ID)
    path.write_text(path.read_text(encoding="utf-8").replace("Sara Lunde", "Sara Lunde-Hansen"), encoding="utf-8")
    html = render_text(render_repo, "saksdokumentasjon")
    assert "UTKAST" in html
    assert "ikke lagret i historikken ennå" in html  # the working-tree plan is a further version
    assert "Sara Lunde-Hansen" in html
    result = invoke(render_repo, "render", CASE_ID, "-f", "html", "-o", str(render_repo.root / "ut"))
    assert result.exit_code == 0
    assert "UTKAST" in result.stderr


# ------------------------------------------------------------------ bokmål and nynorsk

@pytest.mark.parametrize("document", i18n.DOCUMENTS)
def test_nynorsk_and_bokmal_differ_where_the_language_differs(render_repo, document):
    nb = plain(render_text(render_repo, document, malform="nb"))
    nn = plain(render_text(render_repo, document, malform="nn"))
    assert nb != nn
    assert '<html lang="nn">' in render_text(render_repo, document, malform="nn")
    pairs = {
        "meldingsskjema": [("Melding om at en elev ikke har et trygt og godt skolemiljø",
                            "Melding om at ein elev ikkje har eit trygt og godt skolemiljø"),
                           ("Hva som ble meldt", "Kva som vart meldt"), ("Skoleeier", "Skoleeigar"),
                           ("Elev krenker elev", "Elev krenkjer elev"), ("Navn", "Namn")],
        "aktivitetsplan": [(heading, law) for heading, law in zip(
            [i18n.text("nb")[f"plan_{x}"] for x in "abcde"], [i18n.text("nn")[f"plan_{x}"] for x in "abcde"])]
        + [("opplæringsloven § 10-2", "opplæringslova § 10-2"), ("Elevens synspunkter", "Synspunkta til eleven")],
        "saksdokumentasjon": [("Undersøkelse", "Undersøking"), ("Evalueringer", "Evalueringar"),
                              ("Hendelse", "Hending"), ("Saken er ikke avsluttet", "Saka er ikkje avslutta"),
                              ("Planen har hatt 2 versjoner", "Planen har hatt 2 versjonar")],
    }
    for bokmal, nynorsk in pairs[document]:
        assert bokmal in nb, bokmal
        assert nynorsk in nn, nynorsk
        if bokmal not in nynorsk:
            assert bokmal not in nn, bokmal
    # Case text is the same in both: only skm's own words change.
    assert "Ingrid Fjeldstad" in nb and "Ingrid Fjeldstad" in nn


def test_malform_defaults_to_the_school_setting(render_env, tmp_path, monkeypatch):
    repo = make_repository(tmp_path / "saker", monkeypatch, malform="nn")
    build_case_history(repo, monkeypatch)
    out = tmp_path / "ut"
    assert invoke(repo, "render", CASE_ID, "aktivitetsplan", "-f", "html", "-o", str(out)).exit_code == 0
    assert "Kva problem tiltaka skal løyse" in (out / f"{CASE_ID}-aktivitetsplan.html").read_text(encoding="utf-8")
    assert invoke(repo, "render", CASE_ID, "aktivitetsplan", "-f", "html", "--malform", "nb", "-o",
                  str(out)).exit_code == 0
    assert "Hvilket problem tiltakene skal løse" in (out / f"{CASE_ID}-aktivitetsplan.html").read_text("utf-8")


# ------------------------------------------------------------------ escaping

HOSTILE = "<script>alert('x')</script> & <b>fet</b> *stjerne* _under_ [lenke](http://x) | rør"


def _hostile(data):
    data["melding"]["beskrivelse"] = HOSTILE + "\n# Ikke en overskrift\n- ikke en liste\n1. ikke nummerert"
    data["aktivitetsplan"]["problem"] = "<img src=x onerror=alert(1)>"
    data["elev"]["klasse"] = "2STB | <i>"


@pytest.fixture
def hostile_repo(render_env, tmp_path, monkeypatch) -> CaseRepo:
    repo = make_repository(tmp_path / "saker", monkeypatch)
    build_case_history(repo, monkeypatch, mutate=_hostile)
    return repo


@pytest.mark.parametrize("document", i18n.DOCUMENTS)
def test_html_escapes_markup_from_the_case(hostile_repo, document):
    html = render_text(hostile_repo, document)
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>fet" not in html
    if document != "aktivitetsplan":
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;" in html
    if document != "meldingsskjema":
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("document", i18n.DOCUMENTS)
def test_markdown_escapes_case_text(hostile_repo, document):
    md = render_text(hostile_repo, document, "md")
    unescaped_tag = re.compile(r"(?<!\\)<(script|img|i>)")
    assert not unescaped_tag.search(md)
    if document != "aktivitetsplan":
        assert r"\<script\>alert('x')\</script\> \& \<b\>fet\</b\> \*stjerne\* \_under\_ \[lenke\](http://x) \| rør" in md
        assert "\n\\# Ikke en overskrift" in md
        assert "\n\\- ikke en liste" in md
        assert "\n1\\. ikke nummerert" in md
    assert r"2STB \| \<i\>" in md  # in a table cell: the pipe does not split the row
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in html and "<img" not in html and "<i>" not in html
    assert "<h1>Ikke en overskrift" not in html and "<li>ikke en liste" not in html
    if document != "aktivitetsplan":
        assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html.replace("&#39;", "'")


def test_md_escape_units():
    assert engine.md_escape("a*b_c") == r"a\*b\_c"
    assert engine.md_escape("# x") == r"\# x"
    assert engine.md_escape("12. mai") == r"12\. mai"
    assert engine.md_escape("linje 1\nlinje 2") == "linje 1\\\nlinje 2"
    assert engine.md_escape("avsnitt 1\n\navsnitt 2") == "avsnitt 1\n\navsnitt 2"
    assert engine.md_escape(", ") == ", "
    assert engine.md_cell("a | b\nc") == r"a \| b<br>c"


# ------------------------------------------------------------------ templates

def test_repository_templates_override_the_packaged_ones(render_repo):
    own = render_repo.root / "templates"
    own.mkdir()
    (own / "aktivitetsplan.html").write_text(
        '{% extends "_base.html" %}{% block logo %}<p class="logo">SKOLELOGO</p>{% endblock %}'
        "{% block innhold %}<p>Egen plan for {{ sak.elev.navn }}: {{ sak.aktivitetsplan.problem }}</p>{% endblock %}",
        encoding="utf-8")
    (own / "stil.css").write_text("body { color: #000000; } /* egen stil */", encoding="utf-8")
    html = render_text(render_repo, "aktivitetsplan")
    assert "SKOLELOGO" in html and f"Egen plan for {PUPIL}" in html
    assert "/* egen stil */" in html
    assert MARK_NB in html  # the packaged _base.html still frames it
    # Other documents fall back to the packaged templates (with the school's stylesheet).
    assert "Meldingsskjema" in render_text(render_repo, "meldingsskjema")


def test_an_undefined_variable_in_a_school_template_is_a_clear_error(render_repo):
    own = render_repo.root / "templates"
    own.mkdir()
    (own / "meldingsskjema.md").write_text("# Skjema\n\n{{ sak.finnes_ikke }}\n", encoding="utf-8")
    with pytest.raises(engine.TemplateProblem) as caught:
        render_text(render_repo, "meldingsskjema", "md")
    assert "templates/meldingsskjema.md" in caught.value.message and "linje 3" in caught.value.message
    result = invoke(render_repo, "render", CASE_ID, "meldingsskjema", "-f", "md", "-o", str(render_repo.root / "ut"))
    assert result.exit_code == 1
    assert "templates/meldingsskjema.md" in result.stderr


def test_an_undefined_variable_in_skm_s_own_templates_fails_loudly(render_repo, tmp_path, monkeypatch):
    packaged = tmp_path / "pakket"
    packaged.mkdir()
    (packaged / "meldingsskjema.md").write_text("{{ sak.skrivefeil }}\n", encoding="utf-8")
    monkeypatch.setattr(engine, "templates_dir", lambda: packaged)
    with pytest.raises(jinja2.UndefinedError):
        render_text(render_repo, "meldingsskjema", "md")


def test_the_context_has_what_the_templates_use(render_repo):
    source = api.load_source(render_repo, CASE_ID)
    context = build_context(source, "aktivitetsplan", "html", "nb", render_repo.settings())
    assert context["sak"]["id"] == CASE_ID
    assert [v["nummer"] for v in context["planversjoner"]] == [1, 2]
    assert context["dokument"]["dato"] == "30. oktober 2026"
    assert context["dokument"]["utkast"] is False


# ------------------------------------------------------------------ the command

def test_render_writes_the_file_and_prints_its_path(render_repo, tmp_path):
    out = tmp_path / "ny" / "mappe"
    result = invoke(render_repo, "render", CASE_ID, "aktivitetsplan", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    path = out / f"{CASE_ID}-aktivitetsplan.html"
    assert result.stdout.strip() == str(path)
    assert path.is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_render_defaults_to_saksdokumentasjon(render_repo, tmp_path):
    result = invoke(render_repo, "render", CASE_ID, "-f", "md", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / f"{CASE_ID}-saksdokumentasjon.md").is_file()


@pytest.mark.parametrize("args", [
    (CASE_ID, "brev"),                       # unknown document
    (CASE_ID, "-f", "docx"),                 # unknown format
    (CASE_ID, "--malform", "se"),            # unknown målform
    ("2026-9999",),                          # unknown case
    ("../etc/passwd",),                      # not a case id
    (),                                      # no case
    (CASE_ID, "--all"),                      # both
    (CASE_ID, "--status", "tiltak"),         # --status without --all
])
def test_usage_errors_exit_2_and_write_nothing(render_repo, tmp_path, args):
    out = tmp_path / "ut"
    result = invoke(render_repo, "render", *args, "-o", str(out))
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert not out.exists() or not list(out.iterdir())


def test_render_all_with_status_and_progress(render_env, tmp_path, monkeypatch):
    repo = make_repository(tmp_path / "saker", monkeypatch)
    build_case_history(repo, monkeypatch, case_id="2026-0007")
    build_case_history(repo, monkeypatch, case_id="2026-0008")
    other = reference_case("2026-0009")
    other.update(status="mottatt", undersokelse=None, aktivitetsplan=None)
    commit_case(repo, other, "melding registrert", monkeypatch, "2026-11-01T10:00:00+01:00")
    out = tmp_path / "arkiv"
    result = invoke(repo, "render", "--all", "--status", "tiltak", "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == [str(out / "2026-0007-saksdokumentasjon.html"),
                                     str(out / "2026-0008-saksdokumentasjon.html")]
    assert "Skrev 2 dokumenter" in result.stderr
    result = invoke(repo, "render", "--all", "aktivitetsplan", "-f", "md", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.glob("*-aktivitetsplan.md")) == [
        "2026-0007-aktivitetsplan.md", "2026-0008-aktivitetsplan.md", "2026-0009-aktivitetsplan.md"]


def test_render_all_reports_a_broken_case_and_renders_the_rest(render_repo, tmp_path):
    broken = render_repo.case_path("2026-0010")
    broken.write_text("id: 2026-0010\nstatus: [\n", encoding="utf-8")
    out = tmp_path / "arkiv"
    result = invoke(render_repo, "render", "--all", "-f", "html", "-o", str(out))
    assert result.exit_code == 1
    assert (out / f"{CASE_ID}-saksdokumentasjon.html").is_file()
    assert "Feil i sak 2026-0010" in result.stderr
    assert "  cases/2026-0010.yaml:3: [yaml]" in result.stderr
    assert PUPIL not in result.stderr


def test_file_names_and_messages_never_hold_names(render_repo, tmp_path):
    result = invoke(render_repo, "render", CASE_ID, "-f", "html", "-o", str(tmp_path))
    assert PUPIL not in result.stdout + result.stderr
    assert all("Ingrid" not in p.name for p in tmp_path.iterdir())


# ------------------------------------------------------------------ without WeasyPrint

@pytest.fixture
def no_weasyprint(monkeypatch):
    """Simulate a machine without WeasyPrint: importing it fails."""
    from skolemiljo.render import pdf

    monkeypatch.setattr(pdf, "_weasyprint", None)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` raises ImportError


def test_pdf_without_weasyprint_says_what_to_install_and_html_still_works(render_repo, tmp_path, no_weasyprint):
    tmp_path = tmp_path / "ut"
    result = invoke(render_repo, "render", CASE_ID, "aktivitetsplan", "-f", "pdf", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "pip install 'skolemiljo[pdf]'" in result.stderr
    assert "apt-get install" in result.stderr and "libpango-1.0-0" in result.stderr
    assert "Traceback" not in result.stderr
    assert not tmp_path.exists()
    result = invoke(render_repo, "render", CASE_ID, "aktivitetsplan", "-f", "html", "-o", str(tmp_path))
    assert result.exit_code == 0
    result = invoke(render_repo, "render", "--all", "-o", str(tmp_path / "alle"))  # default format is pdf
    assert result.exit_code == 1 and "skolemiljo[pdf]" in result.stderr


def test_pdf_without_system_libraries_says_what_to_install(render_repo, tmp_path, monkeypatch):
    from skolemiljo.render import pdf

    def missing_library():
        raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")

    monkeypatch.setattr(pdf, "_weasyprint", None)
    monkeypatch.setattr(pdf, "_import", missing_library)
    result = invoke(render_repo, "render", CASE_ID, "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "systembibliotekene" in result.stderr and "libharfbuzz-subset0" in result.stderr
    assert "pip install 'skolemiljo[pdf]'" in result.stderr


def test_who_must_be_notified_follows_the_procedure(render_env, tmp_path, monkeypatch):
    """Procedure B/C (§ 12-5): skoleeier must be notified; in C the report goes past rektor."""
    repo = make_repository(tmp_path / "saker", monkeypatch)
    for case_id, sakstype in (("2026-0001", "ansatt-elev"), ("2026-0002", "ledelse-elev")):
        data = reference_case(case_id)
        data.update(sakstype=sakstype, varsling={"rektor": None, "skoleeier": None})
        commit_case(repo, data, "melding registrert", monkeypatch, "2026-10-12T09:15:00+02:00")
    b = plain(render_text(repo, "meldingsskjema", case_id="2026-0001"))
    assert "Rektor Ikke varslet – Skal varsles (opplæringsloven § 12-5)" in b
    assert "Skoleeier Ikke varslet – Skal varsles (opplæringsloven § 12-5)" in b
    c = plain(render_text(repo, "meldingsskjema", case_id="2026-0002"))
    # Procedure C: the report goes directly to skoleeier; no rektor row, skoleeier's case handler signs.
    assert "Rektor Ikke varslet" not in c and "Rektor skal varsles straks" not in c
    assert ("Saken gjelder en i skolens ledelse (prosedyre C, § 12-5): meldingen går direkte til skoleeier, "
            "ikke til rektor. Skoleeier har ansvaret for saken, og skoleeiers saksbehandler signerer dokumentene.") in c
    assert "Skoleeier Ikke varslet – Skal varsles (opplæringsloven § 12-5)" in c
    assert c.endswith("Mottatt og registrert av Sted og dato Skoleeiers saksbehandler")
    assert b.endswith("Mottatt og registrert av Sted og dato Rektor")
    for document in ("aktivitetsplan", "saksdokumentasjon"):
        text = plain(render_text(repo, document, case_id="2026-0002"))
        assert "Skoleeiers saksbehandler" in text and "Sted og dato Rektor" not in text
    assert "En i skolens ledelse krenker elev" in c
