"""Complete case records for tests: a case that satisfies every requirement of a status."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skolemiljo.domain.author import Author
from skolemiljo.storage.casefiles import case_document
from skolemiljo.storage.commits import GitStore, commit_message
from skolemiljo.storage.repository import CaseRepo

A, B, C = "elev-elev", "ansatt-elev", "ledelse-elev"


def complete_case(sakstype: str = A, alvorlig: bool = False, status: str = "tiltak") -> dict[str, Any]:
    """A case that satisfies every requirement of ``status`` (and of closing with tiltak)."""
    case = {
        "id": "2026-0001", "status": status, "sakstype": sakstype, "alvorlig": alvorlig,
        "kategorier": ["utestenging"],
        "elev": {"navn": "Kari Nordmann", "klasse": "9B", "under_18": True},
        "melding": {"mottatt": "2026-10-12", "mottatt_av": "Per Haugen", "meldt_av": "elev",
                    "beskrivelse": "Holdes utenfor."},
        "varsling": {"rektor": {"dato": "2026-10-12", "av": "Per Haugen"},
                     "skoleeier": {"dato": "2026-10-12", "av": "Rektor"}},
        "undersokelse": {"startet": "2026-10-13", "avsluttet": "2026-10-16",
                         "aktiviteter": [{"dato": "2026-10-13", "type": "samtale", "med": "eleven",
                                          "oppsummering": "Utestenging over flere uker."}],
                         "elevens_opplevelse": "Ikke trygt.", "konklusjon": "Tiltak settes inn."},
        "elevens_stemme": [{"dato": "2026-10-16", "synspunkter": "Vil ha fast makker."}],
        "barnets_beste": {"dato": "2026-10-16", "vurdering": "Best å bli i klassen."},
        "aktivitetsplan": {"dato": "2026-10-16", "problem": "Holdes utenfor.", "tiltak": [
            {"id": "T1", "beskrivelse": "Makker.", "fra": "2026-10-19", "til": "2026-11-20",
             "ansvarlig": "Miljøarbeider", "evalueres": "2026-10-30",
             "evalueringer": [{"dato": "2026-10-30", "resultat": "Bedre.", "elevens_opplevelse": "Bedre.",
                               "videre": "avslutt"}]},
            {"id": "T2", "beskrivelse": "Samtaler.", "fra": "2026-10-19", "til": "2026-10-30",
             "ansvarlig": "Avdelingsleder", "evalueres": "2026-11-06",
             "evalueringer": [{"dato": "2026-11-06", "resultat": "Ferdig.", "elevens_opplevelse": "Trygg.",
                               "videre": "avslutt"}]}]},
        "logg": [{"dato": "2026-10-12", "av": "Per Haugen", "hendelse": "Melding registrert."}],
        "avslutning": {"dato": "2026-11-19", "begrunnelse": "Trygg nå.", "elevens_opplevelse": "Trygg.",
                       "oppfolging": "2026-12-10"} if status == "avsluttet" else None,
    }
    if sakstype == C:
        case["varsling"]["rektor"] = None
    return case


def commit_case_file(repo: Path, case: dict[str, Any]) -> None:
    case_repo = CaseRepo(repo)
    store = GitStore(case_repo)
    text = case_document(case)
    store.commit_file(case_repo.case_path(case["id"]), text.encode("utf-8"),
                      commit_message(case["id"], "fixture", "edit"), Author("Test Rektor", "rektor@example.no"))
