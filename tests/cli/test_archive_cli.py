"""``skm archive`` on the command line: exit codes, messages, what goes to stdout and stderr."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from archive_fixtures import receipt_xml, validate_message
from conftest import commits, make_case, snapshot
from render_fixtures import CASE_ID, PUPIL, build_case_history, make_repository
from skolemiljo.render import pdf

needs_pdf = pytest.mark.skipif(not pdf.available(), reason="WeasyPrint eller systembibliotekene den trenger mangler")


@pytest.mark.parametrize("args,message", [
    ([], "Feil: Mangler saksnummer."),
    (["2026-0001", "--status", "tiltak"], "Feil: --status kan bare brukes sammen med --all."),
    (["2026-0001", "--all"], "Feil: Bruk enten et saksnummer eller --all, ikke begge."),
    (["2026-0001", "--levering", "2"], "Feil: --levering kan bare brukes sammen med --kvittering."),
    (["--kvittering", "k.xml", "--all"], "Feil: --kvittering kan ikke brukes sammen med --all, --vis, -o eller --zip."),
    (["2026-0099"], "Feil: Fant ingen sak med saksnummer 2026-0099 i cases/."),
    (["../etc"], "Feil: Ugyldig saksnummer «../etc». Et saksnummer er årstall og løpenummer, for eksempel 2026-0007."),
    (["--godkjenn-sending"], "Feil: skole.yaml har ingen sendekommando (arkiv.sending); det er ingenting å godkjenne."),
    (["--kvittering", "finnes-ikke.xml"], "Feil: Kan ikke lese kvitteringen finnes-ikke.xml: No such file or directory."),
])
def test_usage_errors_exit_2_and_change_nothing(skm, case_repo: Path, args: list[str], message: str) -> None:
    make_case(case_repo)
    before = snapshot(case_repo)
    result = skm("archive", *args, cwd=case_repo)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr.splitlines()
    assert result.stdout == "" and snapshot(case_repo) == before


def test_a_bad_receipt_is_refused_with_exit_2(skm, case_repo: Path) -> None:
    (case_repo.parent / "k.xml").write_text("<arkivmelding/>", encoding="utf-8")
    result = skm("archive", "--kvittering", str(case_repo.parent / "k.xml"), cwd=case_repo)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith("Feil: Fila er ikke en kvittering på en arkivmelding")


def test_an_invalid_case_is_not_delivered(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    path = case_repo / "cases" / f"{case_id}.yaml"
    from conftest import git

    path.write_text(path.read_text(encoding="utf-8").replace("meldt_av: elev", "meldt_av: nabo"), encoding="utf-8")
    git(case_repo, "commit", "-qam", "hand edit")
    result = skm("archive", case_id, cwd=case_repo)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (f"Feil: Sak {case_id} har feil og leveres ikke til arkivet før de er "
                                             "rettet.")


@pytest.fixture
def pdf_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    repo = make_repository(tmp_path / "saker", monkeypatch)
    build_case_history(repo, monkeypatch)
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    return repo


@needs_pdf
def test_archive_show_deliver_again_and_record_the_receipt(skm, pdf_repo, tmp_path: Path) -> None:
    root = pdf_repo.root
    shown = skm("archive", CASE_ID, "--vis", cwd=root)
    assert shown.exit_code == 0 and shown.stdout == ""
    lines = shown.stderr.splitlines()
    assert lines[0] == "Sak 2026-0007: 3 dokumenter er ikke levert:"
    assert [line.split(" (fra ")[0] for line in lines[1:]] == [
        "  meldingsskjema versjon 1", "  aktivitetsplan versjon 1", "  aktivitetsplan versjon 2"]

    out = tmp_path / "inngang"
    result = skm("archive", CASE_ID, "-o", str(out), "--zip", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(out / f"2026-0007-levering-00{n}.zip") for n in (1, 2, 3)]
    assert result.stderr == "Sak 2026-0007: 3 dokumenter klar for arkivet (levering 1–3), registrert i saken.\n"
    for text in (result.stdout, result.stderr, shown.stderr, commits(root)[-1][0]):
        assert PUPIL not in text and PUPIL.split()[0] not in text
    again = skm("archive", CASE_ID, cwd=root)
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "Sak 2026-0007: ingenting nytt å levere; alt er "
                                                                    "levert.\n")
    receipt = tmp_path / "kvittering.xml"
    receipt.write_bytes(receipt_xml(entry_key="2026-0007/meldingsskjema/1", journalpostnummer=1))
    recorded = skm("archive", "--kvittering", str(receipt), cwd=root)
    assert recorded.exit_code == 0, recorded.stderr
    assert recorded.stderr == ("Sak 2026-0007: kvittering for levering 1 registrert (arkivsaksnummer 26/01234, "
                               "journalpost 26/01234-1).\n")
    twice = skm("archive", CASE_ID, "--kvittering", str(receipt), cwd=root)
    assert twice.stderr == "Sak 2026-0007: kvitteringen for levering 1 er registrert fra før.\n"
    other = skm("archive", "2026-0001", "--kvittering", str(receipt), cwd=root)
    assert other.exit_code == 2 and other.stderr.splitlines()[0] == ("Feil: Kvitteringen gjelder sak 2026-0007, "
                                                                      "ikke sak 2026-0001.")


@needs_pdf
def test_archive_all_and_a_refused_sending(skm, pdf_repo, tmp_path: Path) -> None:
    root = pdf_repo.root
    make_case(pdf_repo, mottatt="2026-11-19")
    settings = (root / "skole.yaml").read_text(encoding="utf-8")
    program = tmp_path / "send.py"
    program.write_text("import sys; sys.exit(1)\n", encoding="utf-8")
    command = json.dumps([sys.executable, str(program)])
    (root / "skole.yaml").write_text(settings + f"arkiv:\n  sending: {command}\n", encoding="utf-8")
    refused = skm("archive", "--all", cwd=root)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0].startswith("Feil: skole.yaml ber skm kjøre sendekommandoen «")
    approved = skm("archive", "--godkjenn-sending", cwd=root)
    assert approved.exit_code == 0 and approved.stderr.startswith("Sendekommandoen er godkjent på denne maskinen: ")
    before = snapshot(root)
    failed = skm("archive", "--all", cwd=root)
    assert failed.exit_code == 1
    assert "Feil i sak 2026-0007: Sendekommandoen avsluttet med kode 1 for levering 1. Levering 1–3 i sak 2026-0007 " \
           "er ikke registrert som levert." in failed.stderr.splitlines()
    assert failed.stderr.splitlines()[-1] == "2 saker kunne ikke leveres."
    assert snapshot(root) == before
    (root / "skole.yaml").write_text(settings, encoding="utf-8")
    delivered = skm("archive", "--all", cwd=root)
    assert delivered.exit_code == 0, delivered.stderr
    assert delivered.stderr.splitlines()[-1] == "Leverte 4 dokumenter fra 2 saker."
    for path in delivered.stdout.splitlines():
        validate_message(Path(path) / "arkivmelding.xml")
