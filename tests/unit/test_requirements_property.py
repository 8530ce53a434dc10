"""One source of truth, checked broadly: for random combinations of missing items, status,
sakstype and seriousness, the JSON Schema rejects a case exactly when the guards of
``skm advance`` (``requirements.missing_for``) find something missing."""

from __future__ import annotations

import copy
from typing import Any, Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from skolemiljo.domain import requirements
from skolemiljo.storage import yamlio
from skolemiljo.storage.casefiles import case_document
from skolemiljo.schema.validation import schema_findings
from case_fixtures import complete_case


def _set(path: tuple, value: Any) -> Callable[[dict], None]:
    def apply(case: dict) -> None:
        target = case
        for key in path[:-1]:
            if not isinstance(target, (dict, list)):
                return
            try:
                target = target[key]
            except (KeyError, IndexError, TypeError):
                return
        if isinstance(target, dict) and path[-1] in target:
            target[path[-1]] = value
    return apply


def _drop(path: tuple) -> Callable[[dict], None]:
    def apply(case: dict) -> None:
        target = case
        for key in path[:-1]:
            try:
                target = target[key]
            except (KeyError, IndexError, TypeError):
                return
        if isinstance(target, dict):
            target.pop(path[-1], None)
    return apply


REMOVALS: list[Callable[[dict], None]] = [
    _set(("varsling", "rektor"), None),
    _set(("varsling", "skoleeier"), None),
    _set(("undersokelse", "startet"), None),
    _set(("undersokelse", "elevens_opplevelse"), None),
    _set(("undersokelse", "konklusjon"), None),
    _set(("undersokelse", "aktiviteter"), []),
    _set(("elevens_stemme",), []),
    _set(("barnets_beste",), None),
    _set(("aktivitetsplan", "dato"), None),
    _set(("aktivitetsplan", "problem"), None),
    _set(("aktivitetsplan", "tiltak"), []),
    _set(("aktivitetsplan",), None),
    _set(("avslutning",), None),
    _set(("avslutning", "begrunnelse"), None),
    _set(("avslutning", "elevens_opplevelse"), None),
    _set(("avslutning", "oppfolging"), None),
]
for index in (0, 1):
    for field in ("beskrivelse", "fra", "til", "ansvarlig", "evalueres"):
        REMOVALS.append(_set(("aktivitetsplan", "tiltak", index, field), None))
    REMOVALS.append(_set(("aktivitetsplan", "tiltak", index, "evalueringer"), []))
    REMOVALS.append(_drop(("aktivitetsplan", "tiltak", index, "evalueringer", 0, "elevens_opplevelse")))


@settings(max_examples=300, deadline=None)
@given(
    status=st.sampled_from(["mottatt", "undersokes", "tiltak", "avsluttet"]),
    sakstype=st.sampled_from(["elev-elev", "ansatt-elev", "ledelse-elev", "annet"]),
    alvorlig=st.booleans(),
    removals=st.lists(st.integers(0, len(REMOVALS) - 1), max_size=5, unique=True),
)
def test_schema_rejects_exactly_what_the_guards_refuse(status: str, sakstype: str, alvorlig: bool,
                                                       removals: list[int]) -> None:
    case = copy.deepcopy(complete_case(sakstype, alvorlig, "avsluttet"))
    case["status"] = status
    for index in removals:
        REMOVALS[index](case)
    text = case_document(case)
    errors = schema_findings(yamlio.load(text), text, "x.yaml")
    missing = [rule_id for rule_id, _ in requirements.missing_for(case, status)
               if requirements.RULES_BY_ID[rule_id].in_schema]
    assert bool(errors) == bool(missing), (missing, [e.message for e in errors])
