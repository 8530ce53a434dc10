"""``expected_version``: a change made from a form read before the case changed is refused.

The web interface sends ``case_version`` of the file it rendered its form from; every
workflow action passes it to ``update_case``, which compares it under the write lock.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import AUTHOR, make_case, snapshot
from skolemiljo.errors import StaleCaseError
from skolemiljo.services import workflow
from skolemiljo.storage.casefiles import case_version
from skolemiljo.storage.repository import CaseRepo

DAY = date(2026, 11, 20)

# Every action, called as the web calls it; each would succeed on a fresh case were it not stale
# (or is refused for staleness before any of its own rules are looked at).
ACTIONS = {
    "advance": lambda repo, cid, v: workflow.advance(repo, cid, AUTHOR, expected_version=v),
    "notify": lambda repo, cid, v: workflow.notify(repo, cid, AUTHOR, "rektor", DAY, expected_version=v),
    "investigate": lambda repo, cid, v: workflow.investigate(repo, cid, AUTHOR, "samtale", "Samtale.", None, DAY,
                                                             expected_version=v),
    "conclude": lambda repo, cid, v: workflow.conclude(repo, cid, AUTHOR, "Utrygg.", "Tiltak.", DAY,
                                                       expected_version=v),
    "hear": lambda repo, cid, v: workflow.hear(repo, cid, AUTHOR, "Vil ha makker.", DAY, expected_version=v),
    "best_interests": lambda repo, cid, v: workflow.best_interests(repo, cid, AUTHOR, "Bli i klassen.", DAY,
                                                                   expected_version=v),
    "plan": lambda repo, cid, v: workflow.plan(repo, cid, AUTHOR, "Problem.", DAY, expected_version=v),
    "add_tiltak": lambda repo, cid, v: workflow.add_tiltak(repo, cid, AUTHOR, "Makker.", DAY, DAY, "Lærer", DAY,
                                                           expected_version=v),
    "change_tiltak": lambda repo, cid, v: workflow.change_tiltak(repo, cid, AUTHOR, "T1", description="Ny.",
                                                                 expected_version=v),
    "end_tiltak": lambda repo, cid, v: workflow.end_tiltak(repo, cid, AUTHOR, "T1", DAY, expected_version=v),
    "evaluate": lambda repo, cid, v: workflow.evaluate(repo, cid, AUTHOR, "T1", "Bedre.", "Bedre.", "avslutt",
                                                       None, DAY, expected_version=v),
    "close": lambda repo, cid, v: workflow.close(repo, cid, AUTHOR, "Trygg.", "Trygg.", None, DAY,
                                                 expected_version=v),
    "reopen": lambda repo, cid, v: workflow.reopen(repo, cid, AUTHOR, "Meldt igjen.", DAY, expected_version=v),
    "add_log": lambda repo, cid, v: workflow.add_log(repo, cid, AUTHOR, "Samtale med foresatte.", DAY,
                                                     expected_version=v),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_refuses_a_stale_version_and_changes_nothing(case_repo: Path, action: str) -> None:
    repo = CaseRepo(case_repo)
    case_id = make_case(case_repo)
    before = snapshot(case_repo)
    with pytest.raises(StaleCaseError) as refused:
        ACTIONS[action](repo, case_id, "0" * 64)
    assert refused.value.message == (
        f"Sak {case_id} er endret etter at skjemaet ble åpnet (av noen andre eller i et annet vindu); "
        "ingenting er lagret.")
    assert refused.value.exit_code == 1
    assert snapshot(case_repo) == before


def test_the_current_version_is_accepted(case_repo: Path) -> None:
    repo = CaseRepo(case_repo)
    case_id = make_case(case_repo)
    path = repo.case_path(case_id)
    version = case_version(path.read_bytes())
    workflow.add_log(repo, case_id, AUTHOR, "Første.", DAY, expected_version=version)
    assert "Første." in path.read_text(encoding="utf-8")
    # The form was made from the version before that change: now it is stale.
    with pytest.raises(StaleCaseError):
        workflow.add_log(repo, case_id, AUTHOR, "Andre.", DAY, expected_version=version)
    assert "Andre." not in path.read_text(encoding="utf-8")
    workflow.add_log(repo, case_id, AUTHOR, "Andre.", DAY, expected_version=case_version(path.read_bytes()))
    assert "Andre." in path.read_text(encoding="utf-8")


def test_without_a_version_nothing_is_compared(case_repo: Path) -> None:
    repo = CaseRepo(case_repo)
    case_id = make_case(case_repo)
    workflow.add_log(repo, case_id, AUTHOR, "Uten versjon.", DAY)
    assert "Uten versjon." in repo.case_path(case_id).read_text(encoding="utf-8")
