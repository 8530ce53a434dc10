"""A school's own templates arrive through ``skm sync``: they may change the layout and nothing
else (issue 13 item 7). Jinja2's ImmutableSandboxedEnvironment refuses every way out to Python;
the refusal is Norwegian, exit 1, no document is written and nothing of the payload runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_case, snapshot

PAYLOADS = {
    "cycler-globals": '{{ cycler.__init__.__globals__.os.popen("touch MARKER").read() }}',
    "lipsum-globals": '{{ lipsum.__globals__["os"].system("touch MARKER") }}',
    "joiner-globals": '{{ joiner.__init__.__globals__.os.system("touch MARKER") }}',
    "class-mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "format-string": '{{ "{0.__class__.__mro__}".format(sak) }}',
    "mutate-case": "{% set _ = sak.elev.update({'navn': 'x'}) %}{{ sak.elev }}",
}


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_a_hostile_template_is_refused_and_nothing_runs(skm, case_repo: Path, tmp_path: Path, payload: str) -> None:
    case_id = make_case(case_repo)
    marker = tmp_path / "pwned"
    (case_repo / "templates").mkdir()
    (case_repo / "templates" / "meldingsskjema.md").write_text(
        "# Meldingsskjema\n\n" + payload.replace("MARKER", str(marker)) + "\n", encoding="utf-8")
    out = tmp_path / "ut"
    before = snapshot(case_repo)
    result = skm("render", case_id, "meldingsskjema", "-f", "md", "-o", str(out), cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Feil: Malen templates/meldingsskjema.md prøver på linje 3 å bruke noe maler ikke har lov til (skjulte "
        "attributter, Python-moduler eller å endre saken); skm kjører ikke kode fra maler, og ingen dokumenter er "
        "laget.",
        "Tips: Fjern det fra malen, eller fjern templates/meldingsskjema.md for å bruke skm sin standardmal. Kom "
        "malen med `skm sync`, si fra til den som har ansvaret for det sentrale saksarkivet."]
    assert not marker.exists()
    assert not out.exists() or list(out.iterdir()) == []
    assert snapshot(case_repo) == before


def test_the_status_sheet_template_is_sandboxed_too(skm, case_repo: Path, tmp_path: Path) -> None:
    make_case(case_repo)
    marker = tmp_path / "pwned"
    (case_repo / "templates").mkdir()
    (case_repo / "templates" / "statusoversikt.html").write_text(
        PAYLOADS["cycler-globals"].replace("MARKER", str(marker)), encoding="utf-8")
    result = skm("status", "--html", str(tmp_path / "ark.html"), cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr.startswith("Feil: Malen templates/statusoversikt.html prøver på linje 1 å bruke noe maler")
    assert not marker.exists() and not (tmp_path / "ark.html").exists()


def test_a_school_template_may_still_change_the_layout(skm, case_repo: Path, tmp_path: Path) -> None:
    case_id = make_case(case_repo)
    (case_repo / "templates").mkdir()
    (case_repo / "templates" / "meldingsskjema.md").write_text(
        "# Vår egen mal\n\nKlasse: {{ sak.elev.klasse }}\n{% for k in sak.kategorier %}- {{ k }}\n{% endfor %}",
        encoding="utf-8")
    result = skm("render", case_id, "meldingsskjema", "-f", "md", "-o", str(tmp_path), cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / f"{case_id}-meldingsskjema.md").read_text(encoding="utf-8").startswith(
        "# Vår egen mal\n\nKlasse: 9B\n")


def test_case_text_is_escaped_in_html_documents(skm, case_repo: Path, tmp_path: Path) -> None:
    case_id = make_case(case_repo, beskrivelse="<script>alert(1)</script>")
    result = skm("render", case_id, "meldingsskjema", "-f", "html", "-o", str(tmp_path), cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    html = (tmp_path / f"{case_id}-meldingsskjema.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_symlinked_template_is_not_loaded(skm, case_repo: Path, tmp_path: Path, what: str) -> None:
    case_id = make_case(case_repo)
    secret = tmp_path / "hemmelig"
    secret.mkdir()
    (secret / "meldingsskjema.md").write_text("HEMMELIG {{ elev.klasse }}", encoding="utf-8")
    if what == "file":
        (case_repo / "templates").mkdir()
        (case_repo / "templates" / "meldingsskjema.md").symlink_to(secret / "meldingsskjema.md")
        expected = ("Feil: Malen meldingsskjema.md er en symbolsk lenke; skm bruker bare maler som ligger i "
                    "malmappen selv.")
    else:
        (case_repo / "templates").symlink_to(secret)
        expected = ("Feil: templates/ i saksarkivet er en symbolsk lenke; skm bruker bare maler som ligger i "
                    "saksarkivet selv.")
    out = tmp_path / "ut"
    result = skm("render", case_id, "meldingsskjema", "-f", "md", "-o", str(out), cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == expected
    assert not out.exists() or list(out.iterdir()) == []
