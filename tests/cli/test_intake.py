"""Issue 14, items 10-16: categories, reports without an identified pupil, linked cases, parents,
outside contacts, the radicalisation route, meetings, and texts in the repository's målform."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AUTHOR_NAME, TODAY, case_file, commit_message, commits, make_case, make_repo, snapshot, trailers
from skolemiljo.storage import yamlio

NEW = ["new-case", "--klasse", "9B", "--sakstype", "elev-elev", "--meldt-av", "elev",
       "--mottatt-av", "Per Haugen", "--beskrivelse", "Holdes utenfor i friminuttene.", "--mottatt", "2026-11-18",
       "--no-input"]
PUPIL = ["--elev", "Kari Nordmann", "--under-18"]


def load(repo: Path, case_id: str) -> dict:
    return yamlio.load(case_file(repo, case_id).read_text(encoding="utf-8"))


def refused(skm, repo: Path, args: list[str], message: str, code: int = 1) -> None:
    """Refused with exactly ``message`` (the first line on stderr), the exit code, and nothing changed."""
    before = snapshot(repo)
    result = skm(*args, cwd=repo)
    assert result.exit_code == code, result.stdout + result.stderr
    assert result.stderr.splitlines()[0] == f"Feil: {message}", result.stderr
    assert snapshot(repo) == before


# ------------------------------------------------------------------ item 10: categories

def test_an_unknown_category_is_refused_with_the_known_list(skm, case_repo: Path) -> None:
    refused(skm, case_repo, [*NEW, *PUPIL, "--kategori", "utestengning"],
            "Ukjent kategori «utestengning». Mente du «utestenging»? Velg en av: mobbing, utestenging, "
            "digital-mobbing, vold, trusler, diskriminering, rasisme, radikalisering, seksuell-trakassering, "
            "trakassering, baksnakking, isolering, krenkende-ord, annet. Skolen kan legge til egne kategorier under "
            "kategorier i skole.yaml.", code=2)


def test_the_school_adds_its_own_categories_in_skole_yaml(skm, case_repo: Path) -> None:
    settings = case_repo / "skole.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "kategorier: [skolevei]\n", encoding="utf-8")
    result = skm(*NEW, *PUPIL, "--kategori", "skolevei", cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    assert load(case_repo, "2026-0001")["kategorier"] == ["skolevei"]


def test_a_broken_category_list_in_skole_yaml_is_refused(skm, case_repo: Path) -> None:
    settings = case_repo / "skole.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "kategorier: [Skole Vei]\n", encoding="utf-8")
    result = skm(*NEW, *PUPIL, cwd=case_repo)
    assert result.exit_code == 1
    assert "kategorier: hver kategori skrives med små bokstaver, tall og bindestrek, f.eks. skolevei" in result.stderr
    assert not case_file(case_repo, "2026-0001").exists()


# ------------------------------------------------- item 11: no identified pupil yet

def test_a_report_without_an_identified_pupil_is_registered(skm, case_repo: Path) -> None:
    result = skm(*NEW, "--uten-elev", "--meldt-av", "anonym", cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2026-0001\n"
    assert ("Eleven er ikke identifisert: kjør `skm identify 2026-0001 --elev …` før en aktivitetsplan lages."
            in result.stderr)
    data = load(case_repo, "2026-0001")
    assert data["elev"] == {"navn": None, "klasse": "9B", "under_18": None}
    assert data["melding"]["meldt_av"] == "anonym"
    assert skm("validate", cwd=case_repo).exit_code == 0
    shown = skm("show", "2026-0001", cwd=case_repo).stdout
    assert ("Elev:          ikke identifisert ennå (9B); identifiser eleven med `skm identify` før en "
            "aktivitetsplan lages") in shown


def test_uten_elev_with_a_name_is_a_usage_error(skm, case_repo: Path) -> None:
    refused(skm, case_repo, [*NEW, *PUPIL, "--uten-elev"], "--uten-elev kan ikke brukes sammen med --elev eller --som.",
            code=2)


def _investigated_anonymous(skm, repo: Path) -> str:
    assert skm(*NEW, "--uten-elev", cwd=repo).exit_code == 0
    for args in (["notify", "2026-0001", "rektor"], ["advance", "2026-0001"],
                 ["investigate", "2026-0001", "--type", "observasjon", "--oppsummering", "Klassen observert."],
                 ["conclude", "2026-0001", "--elevens-opplevelse", "Ikke kjent ennå.", "--konklusjon", "Følges opp."]):
        result = skm(*args, cwd=repo)
        assert result.exit_code == 0, result.stderr
    return "2026-0001"


def test_no_plan_before_the_pupil_is_identified(skm, case_repo: Path) -> None:
    case_id = _investigated_anonymous(skm, case_repo)
    message = (f"Sak {case_id} gjelder ingen identifisert elev ennå; en aktivitetsplan er per elev "
               f"(§ 12-4 tredje ledd). Identifiser eleven med `skm identify {case_id} --elev …`, eller avslutt saken "
               "med en begrunnelse (`skm close`).")
    refused(skm, case_repo, ["plan", case_id, "--problem", "Utestenging."], message)
    refused(skm, case_repo, ["tiltak", "add", case_id, "--beskrivelse", "Makker.", "--fra", TODAY, "--til", TODAY,
                             "--ansvarlig", "Miljøarbeider", "--evalueres", TODAY], message)


def test_identify_names_the_pupil_in_one_commit_without_the_name(skm, case_repo: Path) -> None:
    case_id = _investigated_anonymous(skm, case_repo)
    before = len(commits(case_repo))
    result = skm("identify", case_id, "--elev", "Kari Nordmann", "--klasse", "9B", "--over-18", cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Sak {case_id}: eleven er identifisert.\n"
    assert len(commits(case_repo)) == before + 1
    assert commits(case_repo)[-1][0] == f"{case_id}: eleven identifisert"
    assert "Kari" not in commit_message(case_repo)
    data = load(case_repo, case_id)
    assert data["elev"] == {"navn": "Kari Nordmann", "klasse": "9B", "under_18": False}
    assert data["logg"][-1]["hendelse"] == "Eleven identifisert."
    assert skm("plan", case_id, "--problem", "Utestenging.", cwd=case_repo).exit_code == 0
    refused(skm, case_repo, ["identify", case_id, "--elev", "Ola", "--klasse", "9B", "--under-18"],
            f"Eleven i sak {case_id} er alt identifisert; rett navnet med `skm edit {case_id}`.")


def test_advancing_to_tiltak_needs_an_identified_pupil(skm, case_repo: Path) -> None:
    from skolemiljo.domain.requirements import RULES_BY_ID

    assert RULES_BY_ID["elev-identifisert"].text() == (
        "Mangler identifisert elev: meldingen kom inn uten navngitt elev (elev.navn og elev.under_18); identifiser "
        "eleven med skm identify (§ 12-4 tredje ledd: én aktivitetsplan per elev: eleven må være identifisert)")
    case_id = _investigated_anonymous(skm, case_repo)
    before = snapshot(case_repo)
    result = skm("advance", case_id, cwd=case_repo)
    assert result.exit_code == 1
    assert RULES_BY_ID["elev-identifisert"].text() in result.stderr
    assert snapshot(case_repo) == before


def test_a_report_without_a_pupil_can_be_closed_with_a_reason(skm, case_repo: Path) -> None:
    case_id = _investigated_anonymous(skm, case_repo)
    result = skm("close", case_id, "--begrunnelse", "Ingen elev kunne identifiseres; klassen følges i TRK.",
                 cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    assert load(case_repo, case_id)["status"] == "avsluttet"
    assert skm("validate", cwd=case_repo).exit_code == 0
    from skolemiljo.domain.requirements import missing_for

    named = load(case_repo, case_id) | {"elev": {"navn": "Kari Nordmann", "klasse": "9B", "under_18": True}}
    assert {rule for rule, _text in missing_for(named, "avsluttet")} == {
        "avslutning-elevens-opplevelse", "avslutning-elevens-stemme", "avslutning-barnets-beste"}


# ------------------------------------------------------------------ item 12: linked cases

def test_som_opens_a_linked_case_for_another_pupil_from_the_same_report(skm, case_repo: Path) -> None:
    first = make_case(case_repo, kategorier=["vold"], alvorlig=True)
    before = len(commits(case_repo))
    result = skm("new-case", "--som", first, "--elev", "Ola Nordmann", "--klasse", "9C", "--under-18", "--no-input",
                 cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2026-0002\n"
    assert "Registrerte melding som sak 2026-0002 (status mottatt, lenket til sak 2026-0001)." in result.stderr
    old, new = load(case_repo, first), load(case_repo, "2026-0002")
    assert new["melding"] == old["melding"]
    assert (new["sakstype"], new["alvorlig"], new["kategorier"]) == (old["sakstype"], True, ["vold"])
    assert new["elev"] == {"navn": "Ola Nordmann", "klasse": "9C", "under_18": True}
    assert new["relaterte_saker"] == [first] and old["relaterte_saker"] == ["2026-0002"]
    assert new["logg"][-1]["hendelse"] == f"Opprettet fra samme melding som {first}."
    assert old["logg"][-1]["hendelse"] == "Relatert sak 2026-0002 opprettet fra samme melding."
    made = commits(case_repo)[before:]
    assert [(subject, files) for subject, _author, files in made] == [
        ("2026-0002: melding registrert", ("cases/2026-0002.yaml",)),
        (f"{first}: relatert sak 2026-0002", (f"cases/{first}.yaml",))]
    assert trailers(case_repo)["Skm-Action"] == "link"
    assert "Kari" not in skm("show", "2026-0002", cwd=case_repo).stdout
    assert "Relaterte saker: 2026-0001" in skm("show", "2026-0002", cwd=case_repo).stdout
    assert skm("validate", cwd=case_repo).exit_code == 0


def test_documents_show_linked_cases_by_case_number_only(skm, case_repo: Path, tmp_path: Path) -> None:
    first = make_case(case_repo)
    assert skm("new-case", "--som", first, "--elev", "Ola Nordmann", "--klasse", "9C", "--under-18", "--no-input",
               cwd=case_repo).exit_code == 0
    assert skm("contact", first, "ppt", "--kontaktperson", "Petra PPT", cwd=case_repo).exit_code == 0
    result = skm("render", first, "meldingsskjema", "--format", "md", "-o", str(tmp_path / "ut"), cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "ut" / f"{first}-meldingsskjema.md").read_text(encoding="utf-8")
    assert "| Relaterte saker (samme melding) | 2026-0002 |" in text
    assert "| Kontakt utenfor skolen | PPT 20. november 2026 |" in text
    assert "Ola" not in text and "Petra" not in text


def test_som_with_an_unknown_case_is_refused(skm, case_repo: Path) -> None:
    before = snapshot(case_repo)
    result = skm("new-case", "--som", "2026-0009", *PUPIL, "--klasse", "9C", "--no-input", cwd=case_repo)
    assert result.exit_code == 2
    assert result.stderr.startswith("Feil: Fant ingen sak med saksnummer 2026-0009 i cases/.")
    assert snapshot(case_repo) == before


# ---------------------------------------------------------------- item 13: parents

def test_parents_informed_and_got_the_plan(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    result = skm("parents", case_id, "informert", "--hvordan", "telefon", "--dato", TODAY, cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Sak {case_id}: foresatte er informert.\n"
    assert commits(case_repo)[-1][0] == f"{case_id}: foresatte informert"
    data = load(case_repo, case_id)
    assert data["foresatte"] == {"informert": [{"dato": TODAY, "hvordan": "telefon"}]}
    assert data["logg"][-1]["hendelse"] == f"Foresatte informert {TODAY}."
    refused(skm, case_repo, ["parents", case_id, "plan", "--hvordan", "utdelt"],
            f"Sak {case_id} har ingen aktivitetsplan ennå; foresatte kan ikke ha fått den.")
    refused(skm, case_repo, ["parents", case_id, "informert"], "--hvordan kan ikke være tom.", code=2)


def test_consent_is_only_for_pupils_over_18(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    refused(skm, case_repo, ["parents", case_id, "samtykke"],
            f"Eleven i sak {case_id} er under 18 år: foresatte tar del uten samtykke. Samtykke registreres bare for "
            "elever over 18.")


def test_parents_of_a_pupil_over_18_are_informed_only_with_consent(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, under_18=False)
    refused(skm, case_repo, ["parents", case_id, "informert", "--hvordan", "telefon"],
            f"Eleven i sak {case_id} er over 18 år og har ikke samtykket i at foresatte tar del; registrer samtykket "
            f"først (`skm parents {case_id} samtykke`).")
    assert skm("parents", case_id, "samtykke", "--hvordan", "muntlig i samtale", cwd=case_repo).exit_code == 0
    assert load(case_repo, case_id)["foresatte"]["samtykke"] == {"dato": TODAY, "samtykker": True,
                                                                 "hvordan": "muntlig i samtale"}
    assert skm("parents", case_id, "informert", "--hvordan", "telefon", cwd=case_repo).exit_code == 0
    assert "Foresatte:     informert 20. november 2026; eleven samtykker i at foresatte deltar (20. november 2026)" \
        in skm("show", case_id, cwd=case_repo).stdout


# ---------------------------------------------- item 14: who received, contacts, route

def test_who_received_the_report_is_structured(skm, case_repo: Path) -> None:
    result = skm(*NEW, *PUPIL, "--mottatt-rolle", "tillitselev", cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    assert load(case_repo, "2026-0001")["melding"]["mottatt_rolle"] == "tillitselev"
    result = skm(*NEW, *PUPIL, "--mottatt-rolle", "vaktmester", cwd=case_repo)
    assert result.exit_code == 2
    assert "Ugyldig verdi for --mottatt-rolle: «vaktmester»." in result.stderr


def test_outside_contacts_are_structured_and_names_are_not_shown(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    result = skm("contact", case_id, "helsesykepleier", "--kontaktperson", "Hilde Helse", "--merknad", "Samtale avtalt.",
                 "--dato", TODAY, cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Sak {case_id}: kontakt med helsesykepleier registrert.\n"
    assert commits(case_repo)[-1][0] == f"{case_id}: kontakt med helsesykepleier registrert"
    assert load(case_repo, case_id)["kontakter"] == [
        {"dato": TODAY, "instans": "helsesykepleier", "kontaktperson": "Hilde Helse", "merknad": "Samtale avtalt."}]
    shown = skm("show", case_id, cwd=case_repo).stdout
    assert "Kontakter:     helsesykepleier 20. november 2026" in shown and "Hilde" not in shown
    assert "Hilde" not in commit_message(case_repo)
    refused(skm, case_repo, ["contact", case_id, "helsesykepleier", "--dato", "2026-01-01"],
            "--dato 2026-01-01 er før meldingen kom (2026-11-20).", code=2)


def test_radicalisation_goes_straight_to_rektor(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, sakstype="radikalisering")
    before = snapshot(case_repo)
    result = skm("advance", case_id, cwd=case_repo)
    assert result.exit_code == 1
    assert ("Mangler varsling til rektor (varsling.rektor med dato og av) (§ 12-4 andre ledd: alle som arbeider på "
            "skolen, skal melde fra til rektor)") in result.stderr
    assert snapshot(case_repo) == before
    assert skm("notify", case_id, "rektor", cwd=case_repo).exit_code == 0
    assert skm("contact", case_id, "politi", "--merknad", "Radikaliseringskontakten orientert.",
               cwd=case_repo).exit_code == 0
    assert skm("advance", case_id, cwd=case_repo).exit_code == 0
    assert "mistanke om radikalisering, meldes direkte til rektor" in skm("show", case_id, cwd=case_repo).stdout


# ---------------------------------------------------------------- item 15: meetings

def test_a_lederforum_meeting_is_one_file_and_one_commit(skm, case_repo: Path) -> None:
    first, second = make_case(case_repo), make_case(case_repo)
    before = len(commits(case_repo))
    result = skm("meeting", "lederforum", "--dato", TODAY, "--deltaker", "Rektor Rita Rektorsen",
                 "--deltaker", "avdelingsleder", "--sak", f"{first}=Tiltakene fortsetter.",
                 "--sak", f"{second}=Undersøkelsen fortsetter.", cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Registrerte lederforum {TODAY} (2 saker) i moter/{TODAY}-lederforum.yaml.\n"
    assert "Rita" not in result.stdout + result.stderr
    made = commits(case_repo)[before:]
    assert [(s, f) for s, _a, f in made] == [(f"lederforum {TODAY}: møte registrert",
                                              (f"moter/{TODAY}-lederforum.yaml",))]
    assert trailers(case_repo)["Skm-Action"] == "meeting"
    assert trailers(case_repo)["Skm-Cases"] == f"{first}, {second}"
    assert "Rita" not in commit_message(case_repo)
    data = yamlio.load((case_repo / "moter" / f"{TODAY}-lederforum.yaml").read_text(encoding="utf-8"))
    assert data == {"type": "lederforum", "dato": TODAY, "deltakere": ["Rektor Rita Rektorsen", "avdelingsleder"],
                    "saker": [{"sak": first, "beslutning": "Tiltakene fortsetter."},
                              {"sak": second, "beslutning": "Undersøkelsen fortsetter."}]}
    status = skm("status", "--today", TODAY, cwd=case_repo).stdout
    assert status.splitlines()[-1] == "Siste lederforum: 20. november 2026; siste TRK-møte: ingen registrert."
    assert skm("meeting", "trk", "--deltaker", "kontaktlærer", "--sak", f"{first}=Følges opp.",
               cwd=case_repo).exit_code == 0
    assert (case_repo / "moter" / f"{TODAY}-trk.yaml").is_file()
    assert skm("status", "--json", cwd=case_repo).stdout.count(f'"trk": "{TODAY}"') == 1


@pytest.mark.parametrize("args,message,code", [
    (["--sak", "2026-0001=Fortsetter."], "Oppgi hvem som deltok: --deltaker (kan gis flere ganger).", 2),
    (["--deltaker", "rektor"], "Oppgi minst én sak med beslutning: --sak SAKSNR=BESLUTNING.", 2),
    (["--deltaker", "rektor", "--sak", "2026-0001"],
     "--sak må skrives SAKSNR=BESLUTNING, f.eks. 2026-0007=Tiltakene fortsetter (fikk en verdi uten =).", 2),
    (["--deltaker", "rektor", "--sak", "2026-0001=Ja", "--sak", "2026-0001=Nei"],
     "Sak 2026-0001 er oppgitt to ganger; skriv én beslutning per sak.", 2),
    (["--deltaker", "rektor", "--sak", "2026-0001= "], "--sak 2026-0001 kan ikke være tom.", 2),
])
def test_a_meeting_without_what_it_needs_is_refused(skm, case_repo: Path, args, message, code) -> None:
    make_case(case_repo)
    refused(skm, case_repo, ["meeting", "lederforum", *args], message, code)


def test_procedure_c_is_not_reviewed_in_lederforum(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo, sakstype="ledelse-elev")
    refused(skm, case_repo, ["meeting", "lederforum", "--deltaker", "rektor", "--sak", f"{case_id}=Fortsetter."],
            f"Sak {case_id} gjelder en i skolens ledelse (prosedyre C) og behandles av skoleeier, ikke i lederforum; "
            "ingenting er lagret.")


# ------------------------------------------------------ item 16: the repository's målform

def test_a_nynorsk_repository_gets_nynorsk_log_and_commit_texts(skm, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "saker", malform="nn")
    case_id = make_case(repo)
    assert skm("notify", case_id, "rektor", "--dato", TODAY, cwd=repo).exit_code == 0
    assert skm("advance", case_id, cwd=repo).exit_code == 0
    assert skm("log", case_id, "--hendelse", "Rektor varslet 2026-11-20.", cwd=repo).exit_code == 0
    texts = [entry["hendelse"] for entry in load(repo, case_id)["logg"]]
    # The user's own text (skm log) stays as typed.
    assert texts == ["Melding registrert.", f"Rektor varsla {TODAY}.", "Status endra: mottatt → undersokes.",
                     "Rektor varslet 2026-11-20."]
    assert [s for s, _a, _f in commits(repo)][-3:-1] == [f"{case_id}: rektor varsla",
                                                         f"{case_id}: mottatt → undersokes"]
    assert load(repo, case_id)["status"] == "undersokes"  # stored values stay


def test_every_phrase_skm_logs_is_in_the_nynorsk_table() -> None:
    from skolemiljo.domain.logtext import in_malform, known

    for text in ("Melding registrert.", "Status endret: tiltak → avsluttet.", "Tiltak T3 evaluert 2026-11-20 (endre).",
                 "Saken gjenåpnet og undersøkes på nytt (se gjenapninger).", "Foresatte informert 2026-11-20.",
                 "Kontakt med ppt registrert 2026-11-20.", "Relatert sak 2026-0002 opprettet fra samme melding.",
                 "Aktivitetsplanen revidert 2026-11-20 (laget 2026-11-02).",
                 "Saken gjenåpnet 2026-11-20: runde 2 starter (se gjenapninger).",
                 "Oppfølging etter avslutning gjort 2026-11-20."):
        assert known(text), text
    assert in_malform("Tiltak T3 endret.", "nn") == "Tiltak T3 endra."
    assert in_malform("Saken gjenåpnet 2026-11-20: runde 2 starter (se gjenapninger).", "nn") == (
        "Saka opna att 2026-11-20: runde 2 startar (sjå gjenapninger).")
    assert in_malform("Tiltak T3 endret.", "nb") == "Tiltak T3 endret."
    assert in_malform("Noe en bruker skrev.", "nn") == "Noe en bruker skrev."


def test_the_status_sheet_follows_the_malform(skm, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "saker", malform="nn")
    case_id = make_case(repo)
    assert skm("notify", case_id, "rektor", cwd=repo).exit_code == 0
    assert skm("advance", case_id, cwd=repo).exit_code == 0
    sheet = tmp_path / "ark.html"
    result = skm("status", "--html", str(sheet), cwd=repo)
    assert result.exit_code == 0, result.stderr
    html = sheet.read_text(encoding="utf-8")
    assert '<html lang="nn">' in html
    assert "Opne saker (1)" in html and "Siste leiarforum: ikkje registrert" in html
    assert f"<td>{case_id}</td><td>blir undersøkt</td>" in html


def test_status_names_are_shown_with_their_letters(skm, case_repo: Path) -> None:
    case_id = make_case(case_repo)
    assert skm("notify", case_id, "rektor", cwd=case_repo).exit_code == 0
    result = skm("advance", case_id, cwd=case_repo)
    assert result.stdout == f"Sak {case_id}: mottatt → undersøkes.\n"
    assert skm("show", case_id, cwd=case_repo).stdout.startswith(f"Sak {case_id} – status: undersøkes\n")
    assert load(case_repo, case_id)["status"] == "undersokes"
    assert trailers(case_repo)["Skm-Status"] == "mottatt → undersokes"
    assert AUTHOR_NAME in commits(case_repo)[-1][1]


def test_typed_texts_are_trimmed_and_a_blank_one_is_refused(skm, case_repo: Path) -> None:
    args = ["new-case", "--elev", "Kari Nordmann", "--klasse", "9B", "--under-18", "--sakstype", "elev-elev",
            "--meldt-av", "elev", "--no-input"]
    refused(skm, case_repo, [*args, "--mottatt-av", "Per", "--beskrivelse", "   "], "--beskrivelse kan ikke være tom.",
            code=2)
    refused(skm, case_repo, [*args, "--mottatt-av", " ", "--beskrivelse", "Ble dyttet."], "--mottatt-av kan ikke være tom.",
            code=2)
    result = skm(*args, "--mottatt-av", "  Per Haugen ", "--beskrivelse", "  Ble dyttet.  ", cwd=case_repo)
    assert result.exit_code == 0, result.stderr
    melding = load(case_repo, "2026-0001")["melding"]
    assert (melding["mottatt_av"], melding["beskrivelse"]) == ("Per Haugen", "Ble dyttet.")
