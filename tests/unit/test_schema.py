"""schemas/case.schema.json: generated, valid draft 2020-12, usable with plain ``jsonschema``.

"Plain" means: nothing from skm is involved in validating. Case files are read with PyYAML's
SafeLoader minus the YAML 1.1 timestamp type, which is how an editor's YAML 1.2 parser sees
them (YAML 1.2 has no timestamp type, so ``2026-10-12`` is a string, as the schema says).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import REFERENCE_CASE, make_case
from skolemiljo.domain import requirements
from skolemiljo.schema import schemagen
from skolemiljo.storage.resources import schema_path
from skolemiljo.schema.validation import hjemmel_for

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "schemas" / "case.schema.json"


class Yaml12ishLoader(yaml.SafeLoader):
    """SafeLoader without timestamps: dates stay strings, as in a YAML 1.2 editor."""


Yaml12ishLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def plain_load(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12ishLoader)  # noqa: S506 - a SafeLoader subclass


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(validator: Draft202012Validator, data: Any) -> list[str]:
    """``path: keyword`` of every error, sorted, each once (several status rules may hit one path)."""
    return sorted({f"{'/'.join(map(str, e.absolute_path))}: {e.validator}" for e in validator.iter_errors(data)})


def walk(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema (dict) with its JSON pointer."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


# ------------------------------------------------------------------ the schema file

def test_schema_file_is_up_to_date_with_schemagen() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schemagen.render(), (
        "schemas/case.schema.json is out of date: run `python -m skolemiljo.schema.schemagen`")


def test_skm_reads_the_same_schema_file() -> None:
    assert schema_path().read_bytes() == SCHEMA_FILE.read_bytes()


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_status_rule_is_in_the_schema(schema: dict[str, Any]) -> None:
    in_schema = [rule for rule in requirements.EFFECTIVE_RULES if rule.in_schema]
    comments = [entry["$comment"] for entry in schema["allOf"]]
    assert comments == [f"skm-regel {rule.id}" for rule in in_schema]
    for entry in schema["allOf"]:
        assert "§" in entry["description"], entry["$comment"]
        assert set(entry) == {"$comment", "description", "if", "then"}
    assert {s for rule in in_schema for s in rule.statuses} == {"undersokes", "tiltak", "avsluttet"}


def test_every_property_with_a_hjemmel_cites_it_in_its_description(schema: dict[str, Any]) -> None:
    lacking = [pointer for pointer, node in walk(schema)
               if "x-hjemmel" in node and "§" not in node.get("description", "")]
    assert lacking == []


def test_every_hjemmel_is_a_paragraph_and_has_a_description(schema: dict[str, Any]) -> None:
    with_hjemmel = [(pointer, node) for pointer, node in walk(schema) if "x-hjemmel" in node]
    assert len(with_hjemmel) >= 25
    for pointer, node in with_hjemmel:
        assert node["x-hjemmel"].startswith("§ "), pointer
        assert node.get("description", "").strip(), pointer


def test_plan_fields_cite_the_laws_letters(schema: dict[str, Any]) -> None:
    plan = schema["properties"]["aktivitetsplan"]["properties"]
    tiltak = plan["tiltak"]["items"]["properties"]
    cited = {
        "a": plan["problem"], "b": tiltak["beskrivelse"], "c": tiltak["fra"], "d": tiltak["ansvarlig"],
        "e": tiltak["evalueres"],
    }
    for letter, node in cited.items():
        assert node["x-hjemmel"] == f"§ 12-4 tredje ledd bokstav {letter}"
        assert f"§ 12-4 tredje ledd bokstav {letter}" in node["description"]


def _required_paths() -> list[tuple[str, tuple]]:
    """Every field a status rule demands, as (rule id, path with 0 for list items)."""
    found: dict[tuple, str] = {}
    for rule in requirements.RULES:
        if not rule.in_schema:
            continue
        p = rule.path
        if rule.kind == "object":
            paths = [p] + [p + (f,) for f in rule.fields]
        elif rule.kind == "present":
            paths = [p]
        elif rule.kind == "items":
            paths = [p] + [p + (0, f) for f in rule.fields]
        elif rule.kind == "each":
            paths = [p + (0, f) for f in rule.fields]
        else:  # each_items
            paths = [p + (0, rule.fields[0])] + [p + (0, rule.fields[0], 0, f) for f in rule.fields[1:]]
        for path in paths:
            found.setdefault(path, rule.id)
    return [(rule_id, path) for path, rule_id in found.items()]


def test_every_field_a_status_requires_has_a_hjemmel() -> None:
    lacking = [f"{rule_id}: {'.'.join(map(str, path))}" for rule_id, path in _required_paths()
               if hjemmel_for(path) is None]
    assert lacking == []


# ------------------------------------------------------ validating with plain jsonschema

def test_a_case_written_by_skm_validates_with_plain_jsonschema(case_repo: Path, validator) -> None:
    ids = [make_case(case_repo),
           make_case(case_repo, sakstype="ledelse-elev", alvorlig=True, kategorier=[], under_18=False,
                     elev_navn="Åse Ødegård", klasse="no", mottatt_av="0150", beskrivelse="12:30\nyes"),
           make_case(case_repo, mottatt="2025-12-01", meldt_av="anonym", klasse="1e3")]
    for case_id in ids:
        data = plain_load((case_repo / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8"))
        assert errors(validator, data) == [], case_id
    assert plain_load((case_repo / "cases" / f"{ids[1]}.yaml").read_text(encoding="utf-8"))["elev"]["klasse"] == "no"


def test_the_reference_record_validates_with_plain_jsonschema(validator) -> None:
    data = plain_load(REFERENCE_CASE.read_text(encoding="utf-8"))
    assert data["status"] == "tiltak"
    assert errors(validator, data) == []


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "2026-00-10", "2025-02-29", "2026-2-3", "12.10.2026",
                                   "2026-10-12T10:00:00"])
def test_impossible_dates_are_rejected(validator, value: str) -> None:
    data = plain_load(REFERENCE_CASE.read_text(encoding="utf-8"))
    data["melding"]["mottatt"] = value
    assert errors(validator, data) != []
    assert all(e.startswith("melding/mottatt: ") for e in errors(validator, data))


def test_a_real_leap_day_is_accepted(validator) -> None:
    data = plain_load(REFERENCE_CASE.read_text(encoding="utf-8"))
    data["melding"]["mottatt"] = "2028-02-29"
    assert errors(validator, data) == []


@pytest.mark.parametrize("value", [False, 150, 12.5])
def test_a_boolean_or_number_is_not_text(validator, value: Any) -> None:
    data = plain_load(REFERENCE_CASE.read_text(encoding="utf-8"))
    data["elev"]["klasse"] = value
    assert errors(validator, data) == ["elev/klasse: type"]


def test_a_report_without_an_identified_pupil_is_valid_until_the_plan(validator) -> None:
    data = plain_load(REFERENCE_CASE.read_text(encoding="utf-8"))
    data["elev"] = {"navn": None, "klasse": None, "under_18": None}
    data["status"] = "undersokes"
    for key in ("aktivitetsplan", "elevens_stemme", "barnets_beste"):
        data.pop(key, None)
    assert errors(validator, data) == []
    data["status"] = "tiltak"
    data = plain_load(REFERENCE_CASE.read_text(encoding="utf-8")) | {"elev": {"navn": None, "klasse": "2STB",
                                                                              "under_18": True}}
    assert errors(validator, data) != []


def test_the_schema_alone_says_what_each_status_lacks(case_repo: Path, validator) -> None:
    case_id = make_case(case_repo)
    mottatt = plain_load((case_repo / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8"))
    assert errors(validator, mottatt) == []
    undersokes = {**copy.deepcopy(mottatt), "status": "undersokes"}
    assert errors(validator, undersokes) == ["varsling/rektor: type"]
    undersokes["varsling"]["rektor"] = {"dato": "2026-11-20", "av": "Test Rektor"}
    assert errors(validator, undersokes) == []
    tiltak = {**copy.deepcopy(undersokes), "status": "tiltak"}
    assert errors(validator, tiltak) == ["aktivitetsplan: type", "barnets_beste: type",
                                         "elevens_stemme: minItems", "undersokelse: type"]
    reference = plain_load(REFERENCE_CASE.read_text(encoding="utf-8"))
    avsluttet = {**reference, "status": "avsluttet"}
    # T2 has no evaluation and there is no avslutning yet.
    assert errors(validator, avsluttet) == ["aktivitetsplan/tiltak/1/evalueringer: minItems", "avslutning: type"]
    for status in requirements.AFTER_MOTTATT:
        assert errors(validator, {**mottatt, "status": status}) != [], status


def test_additional_properties_are_refused_everywhere(validator) -> None:
    data = plain_load(REFERENCE_CASE.read_text(encoding="utf-8"))
    for target in (data, data["elev"], data["melding"], data["aktivitetsplan"]["tiltak"][0],
                   data["aktivitetsplan"]["tiltak"][0]["evalueringer"][0], data["logg"][0]):
        target["skrivefeil"] = "x"
    assert errors(validator, data) == [": additionalProperties",
                                       "aktivitetsplan/tiltak/0/evalueringer/0: additionalProperties",
                                       "aktivitetsplan/tiltak/0: additionalProperties",
                                       "elev: additionalProperties", "logg/0: additionalProperties",
                                       "melding: additionalProperties"]
