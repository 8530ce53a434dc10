"""The one table of legal grounds: every citation skm prints, writes or documents comes from here.

The law is opplæringslova 2023 (LOV-2023-06-09-30, in force 1 August 2024) as ``shared/DOMAIN.md``
gives it. Its § 12-4 has four paragraphs ("ledd"): første (følge med, gripe inn), andre (melde fra,
undersøke, tiltak, skoleeier in serious cases), tredje (the written plan, letters a–e) and fjerde
(documentation). The 1998 law's numbering ("femte ledd", "sjette ledd") must never appear; a test
(tests/unit/test_legal.py) proves that no citation outside this module exists in the package, the
templates, the schemas or docs/checks.md, and that every citation there is one of this table's.

Each entry is a *duty* (what the law asks), not only a paragraph: several duties share a citation
(§ 12-4 andre ledd holds the duty to report, to investigate and to put in measures), and each has a
short description in bokmål (nb) and nynorsk (nn) for messages and documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LAW = {"nb": "opplæringsloven", "nn": "opplæringslova"}


@dataclass(frozen=True)
class Ground:
    """One legal ground: the citation and what it asks, in both written standards."""

    key: str
    citation: str  # "§ 12-4 tredje ledd": within opplæringslova unless ``law`` says otherwise
    nb: str
    nn: str
    law: str = "opplæringslova"  # "" when the citation names its own law (offl., fvl.)

    def text(self, malform: str = "nb") -> str:
        return self.nn if malform == "nn" else self.nb


_L3 = "§ 12-4 tredje ledd"

_TABLE: tuple[Ground, ...] = (
    Ground("trygt", "§ 12-2", "retten til et trygt og godt skolemiljø", "retten til eit trygt og godt skolemiljø"),
    Ground("forebygge", "§ 12-3", "nulltoleranse og forebyggende arbeid", "nulltoleranse og førebyggjande arbeid"),
    Ground("aktivitetsplikt", "§ 12-4", "aktivitetsplikten og dokumentasjonsplikten",
           "aktivitetsplikta og dokumentasjonsplikta"),
    Ground("elevens_opplevelse", "§ 12-4 andre ledd", "elevens egen opplevelse er avgjørende",
           "eleven si eiga oppleving er avgjerande"),
    Ground("folge_med", "§ 12-4 første ledd",
           "alle som arbeider på skolen, skal følge med og gripe inn",
           "alle som arbeider på skolen, skal følgje med og gripe inn"),
    Ground("melde", "§ 12-4 andre ledd", "alle som arbeider på skolen, skal melde fra til rektor",
           "alle som arbeider på skolen, skal melde frå til rektor"),
    Ground("undersoke", "§ 12-4 andre ledd", "skolen skal snarest undersøke saken",
           "skolen skal snarast undersøkje saka"),
    Ground("konklusjon", "§ 12-4 andre ledd",
           "undersøkelsen skal avklare om eleven har et trygt og godt skolemiljø",
           "undersøkinga skal avklare om eleven har eit trygt og godt skolemiljø"),
    Ground("tiltak", "§ 12-4 andre ledd",
           "skolen skal rette opp situasjonen med egnede tiltak så lenge eleven ikke har det trygt og godt",
           "skolen skal rette opp situasjonen med eigna tiltak så lenge eleven ikkje har det trygt og godt"),
    Ground("oppfolging", "§ 12-4 andre ledd",
           "følge opp at eleven har det trygt og godt",
           "følgje opp at eleven har det trygt og godt"),
    Ground("melde_skoleeier", "§ 12-4 andre ledd", "rektor skal melde fra til skoleeier i alvorlige tilfeller",
           "rektor skal melde frå til skoleeigaren i alvorlege tilfelle"),
    Ground("plan", _L3, "skriftlig plan for tiltakene", "skriftleg plan for tiltaka"),
    Ground("plan_per_elev", _L3, "én aktivitetsplan per elev: eleven må være identifisert",
           "éin aktivitetsplan per elev: eleven må vere identifisert"),
    Ground("radikalisering", "§ 12-4 andre ledd", "mistanke om radikalisering meldes direkte til rektor",
           "mistanke om radikalisering blir meld direkte til rektor"),
    Ground("plan_a", f"{_L3} bokstav a", "hvilket problem tiltakene skal løse", "kva problem tiltaka skal løyse"),
    Ground("plan_b", f"{_L3} bokstav b", "hvilke tiltak skolen har planlagt", "kva tiltak skolen har planlagt"),
    Ground("plan_c", f"{_L3} bokstav c", "når tiltakene skal gjennomføres", "når tiltaka skal gjennomførast"),
    Ground("plan_d", f"{_L3} bokstav d", "hvem som skal gjennomføre tiltakene", "kven som skal gjennomføre tiltaka"),
    Ground("plan_e", f"{_L3} bokstav e", "når tiltakene skal evalueres", "når tiltaka skal evaluerast"),
    Ground("dokumentasjon", "§ 12-4 fjerde ledd", "skolen skal dokumentere hva som blir gjort",
           "skolen skal dokumentere kva som blir gjort"),
    Ground("skjerpa", "§ 12-5", "skjerpet plikt når en som arbeider på skolen, krenker en elev",
           "skjerpa plikt når ein som arbeider på skolen, krenkjer ein elev"),
    Ground("skjerpa_ansatt", "§ 12-5", "skoleeier skal varsles straks når en ansatt krenker en elev",
           "skoleeigaren skal varslast straks når ein tilsett krenkjer ein elev"),
    Ground("skjerpa_ledelse", "§ 12-5",
           "når en i skolens ledelse krenker en elev, skal det meldes direkte til skoleeier",
           "når ein i leiinga på skolen krenkjer ein elev, skal det meldast direkte til skoleeigaren"),
    Ground("statsforvaltaren", "§ 12-6", "statsforvalteren håndhever aktivitetsplikten i enkeltsaker",
           "statsforvaltaren handhevar aktivitetsplikta i enkeltsaker"),
    Ground("elevens_beste", "§ 10-1", "elevens beste skal vurderes og dokumenteres",
           "kva som er best for eleven, skal vurderast og dokumenterast"),
    Ground("medvirkning", "§ 10-2", "eleven har rett til å bli hørt", "eleven har rett til å bli høyrd"),
    Ground("fysisk_inngripen", "§ 13-4", "fysiske inngrep for å avverge skade", "fysiske inngrep for å avverje skade"),
    Ground("unntatt", "offl. § 13 jf. fvl. § 13 (1)", "unntatt offentlighet", "unnateke offentlegheit", law=""),
    Ground("taushetsplikt", "offl. § 13", "taushetsplikt", "teieplikt", law=""),
    Ground("skjerming", "Offl. § 13 jf. fvl. § 13 første ledd nr. 1", "skjermingshjemmel i arkivet",
           "skjermingsheimel i arkivet", law=""),
)

GROUNDS: dict[str, Ground] = {g.key: g for g in _TABLE}

# Which ground each sakstype (procedure A, B, C) stands on.
SAKSTYPE_GROUND = {"elev-elev": "aktivitetsplikt", "ansatt-elev": "skjerpa", "ledelse-elev": "skjerpa",
                   "radikalisering": "radikalisering", "annet": "aktivitetsplikt"}


def cite(*keys: str) -> str:
    """``§ 12-4 andre ledd, § 12-5``: the citations of ``keys``, each once, in order."""
    return ", ".join(dict.fromkeys(GROUNDS[k].citation for k in keys))


def cite_and(*keys: str) -> str:
    """``§ 12-4 tredje ledd bokstav e og § 10-2``."""
    parts = list(dict.fromkeys(GROUNDS[k].citation for k in keys))
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} og {parts[-1]}"


def cite_law(key: str, malform: str = "nb") -> str:
    """``opplæringsloven § 12-4 tredje ledd`` (nb) / ``opplæringslova …`` (nn)."""
    ground = GROUNDS[key]
    if not ground.law:
        return ground.citation
    return f"{LAW['nn' if malform == 'nn' else 'nb']} {ground.citation}"


def ground_text(key: str, malform: str = "nb") -> str:
    """``§ 12-4 andre ledd: skolen skal snarest undersøke saken``: citation and what it asks."""
    ground = GROUNDS[key]
    return f"{ground.citation}: {ground.text(malform)}"


def sakstype_citation(sakstype: str | None) -> str:
    return GROUNDS[SAKSTYPE_GROUND.get(sakstype or "", "aktivitetsplikt")].citation


def citations() -> frozenset[str]:
    """Every citation text in the table (for the test that no other exists)."""
    return frozenset(g.citation for g in _TABLE)


_MARK = re.compile(r"\[(hjemmel|lov):([a-z_]+)\]")


def fill(text: str, malform: str = "nb") -> str:
    """Replace ``[hjemmel:plan]`` with the citation and ``[lov:plan]`` with the law's name and citation.

    For texts that cannot call a function where they are written (command docstrings, which Typer
    shows as help); an unknown key is a programming error (KeyError), caught by the tests.
    """
    def one(match: re.Match[str]) -> str:
        kind, key = match.groups()
        return cite(key) if kind == "hjemmel" else cite_law(key, malform)

    return _MARK.sub(one, text)
