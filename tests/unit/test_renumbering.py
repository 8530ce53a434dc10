"""The renumbering rules of ``skm sync`` (``domain.renumbering``), without git."""

from __future__ import annotations

from skolemiljo.domain import renumbering
from skolemiljo.domain.casepaths import CasePaths


def test_a_colliding_new_case_gets_the_next_id_free_on_both_sides() -> None:
    mapping = renumbering.case_renumbering(
        ["2026-0003", "2026-0004", "2026-0003"], base={"2026-0001", "2026-0002"},
        central={"2026-0001", "2026-0002", "2026-0003", "2026-0005"}, local={"2026-0001", "2026-0002", "2026-0004"})
    assert mapping == {"2026-0003": "2026-0006"}  # 0004 is only local: kept; 0005 is taken centrally


def test_ids_of_other_years_and_pushed_ids_are_left_alone() -> None:
    mapping = renumbering.case_renumbering(["2025-0009", "2026-0001"], base={"2026-0001"},
                                           central={"2026-0001", "2025-0009"}, local={"2026-0001", "2025-0009"})
    assert mapping == {"2025-0009": "2025-0010"}


def test_ids_are_rewritten_as_whole_ids_only() -> None:
    pattern = renumbering.case_id_pattern(["2026-0001"])
    text = "Sak 2026-0001, ikke 2026-00012 eller X2026-0001."
    assert renumbering.rewrite_ids(text, pattern, {"2026-0001": "2026-0002"}) == (
        "Sak 2026-0002, ikke 2026-00012 eller X2026-0001.")


def plan(*tiltak: dict) -> dict:
    return {"aktivitetsplan": {"tiltak": list(tiltak)}, "logg": []}


def test_tiltak_both_sides_added_get_a_new_local_id() -> None:
    base = plan({"id": "T1", "ansvarlig": "A"})
    central = plan({"id": "T1", "ansvarlig": "A"}, {"id": "T2", "ansvarlig": "B"})
    local = plan({"id": "T1", "ansvarlig": "A"}, {"id": "T2", "ansvarlig": "C"})
    local["logg"] = [{"hendelse": "Tiltak T2 lagt til; se også T3."}]
    assert renumbering.tiltak_renumbering(base, central, local) == {"T2": "T4"}  # T3 is mentioned: not free
    same = plan({"id": "T1", "ansvarlig": "A"}, {"id": "T2", "ansvarlig": "B"})
    assert renumbering.tiltak_renumbering(base, central, same) == {}  # the same tiltak: no clash


def test_rename_tiltak_rewrites_only_the_entries_added_since_the_base() -> None:
    old_entry = {"hendelse": "T2 ble vurdert."}
    data = plan({"id": "T2", "ansvarlig": "C"})
    data["logg"] = [dict(old_entry), {"hendelse": "Tiltak T2 lagt til."}]
    renamed = renumbering.rename_tiltak(data, {"T2": "T4"}, [old_entry])
    assert renamed["aktivitetsplan"]["tiltak"][0]["id"] == "T4"
    assert [e["hendelse"] for e in renamed["logg"]] == ["T2 ble vurdert.", "Tiltak T4 lagt til."]


def test_case_paths() -> None:
    paths = CasePaths("skole/cases/")
    assert paths.case_id("skole/cases/2026-0007.yaml") == "2026-0007"
    assert paths.case_id("skole/cases/notat.yaml") is None and paths.case_id("cases/2026-0007.yaml") is None
    assert paths.path("2026-0007") == "skole/cases/2026-0007.yaml"
