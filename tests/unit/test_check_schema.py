"""The ``schema``/``status`` split: the fast validator never hides an error, and together the
checks report what ``skm validate`` reports."""

from __future__ import annotations

import copy
from typing import Any, Iterator

import pytest

from skolemiljo.domain import requirements
from skolemiljo.schema import messages, validation
from skolemiljo.storage import yamlio
from skolemiljo.storage.casefiles import case_document
from skolemiljo.schema import fast as schema_check
from skolemiljo.checks.content import analyse
from check_fixtures import clean_cases, secret_case

BAD_VALUES: list[Any] = [None, "", " ", 12, 1.5, True, [], {}, "2026-02-30", "2026-2-3", "tekst", ["x"], {"a": 1}]


def _paths(node: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


def _set(data: Any, path: tuple, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _delete(data: Any, path: tuple) -> None:
    for key in path[:-1]:
        data = data[key]
    del data[path[-1]]


def _places() -> Iterator[tuple[dict, tuple]]:
    """``(clean case, path)`` for every place in every clean case."""
    for base in [*clean_cases(), secret_case()]:
        for path in list(_paths(base)):
            if path:
                yield base, path


def _with_values(base: dict, path: tuple, values: list[Any]) -> Iterator[dict]:
    for value in values:
        broken = copy.deepcopy(base)
        _set(broken, path, value)
        yield broken


def mutants() -> Iterator[dict]:
    """Every clean case broken in every single place: wrong values, missing keys, unknown keys."""
    for base, path in _places():
        yield from _with_values(base, path, BAD_VALUES)
        broken = copy.deepcopy(base)
        _delete(broken, path)
        yield broken
        parent = copy.deepcopy(base)
        target = parent
        for key in path[:-1]:
            target = target[key]
        if isinstance(target, dict):
            target["ukjent_felt"] = "x"
            yield parent


MUTANTS = list(mutants())

# Where jsonschema (Python's re, datetime) and jsonschema-rs (Rust) could judge differently: digits
# and white space outside ASCII (Python's \d and \s are Unicode-wide, \x1c–\x1f are "space" only
# to Python), dates RFC 3339 allows and Python does not (year 0000), leap days, lengths in code
# points, integral floats and huge integers.
EDGE_VALUES: list[Any] = ["\x1c", "\x1f", "\xa0", "\ufeff", "\u3000", " \u2028", "ø", "٢٠٢٦-٠١-٠١",
                          "２０２６-01-01", "0000-01-01", "2024-02-29", "2023-02-29", "2026-01-01\n", "T١", "T1",
                          "2026-٠٠٠١", "2026-0001", 1.0, 2 ** 70, -1, "fortsett", "avsluttet"]


def edge_mutants() -> Iterator[dict]:
    for base, path in _places():
        yield from _with_values(base, path, EDGE_VALUES)


def test_fast_validator_is_in_use() -> None:
    assert schema_check.fast_validator() is not None
    for data in clean_cases():
        assert schema_check.is_valid_fast(data)


def test_fast_validator_never_accepts_what_jsonschema_rejects() -> None:
    slow = schema_check.slow_validator()
    checked = rejected = 0
    for data in MUTANTS:
        slow_errors = list(slow.iter_errors(data))
        if slow_errors:
            rejected += 1
            assert not schema_check.is_valid_fast(data), [e.message for e in slow_errors]
        checked += 1
    assert checked > 2000 and rejected > 1000


@pytest.mark.parametrize("full", [False, True], ids=["form", "hele-skjemaet"])
def test_fast_validator_agrees_with_jsonschema_where_the_libraries_differ(full: bool) -> None:
    """jsonschema-rs says valid only when jsonschema does (a "no" only costs time): every clean case
    with each edge value in every place, against the form schema and the whole case schema."""
    slow = messages.validator() if full else schema_check.slow_validator()
    accepted = rejected = 0
    for data in edge_mutants():
        fast = schema_check.is_valid_fast(data, full)
        valid = not any(True for _ in slow.iter_errors(data))
        assert not fast or valid, [e.message for e in slow.iter_errors(data)]
        accepted += fast
        rejected += not valid
    assert accepted > 100 and rejected > 1000


def test_form_schema_has_no_status_rules() -> None:
    entries = schema_check.form_schema().get("allOf", [])
    assert not any(str(e.get("$comment", "")).startswith("skm-regel") for e in entries)
    assert len(messages.case_schema()["allOf"]) == len([r for r in requirements.EFFECTIVE_RULES if r.in_schema])


def _lines(findings: list[list[Any]], checks: set[str]) -> set[int]:
    return {line for check, line, _message in findings if check in checks}


@pytest.mark.parametrize("start", range(0, len(MUTANTS), max(1, len(MUTANTS) // 8)))
def test_schema_and_status_report_what_validate_reports(start: int) -> None:
    """Same lines as ``skm validate`` (dato-rekkefolge may add "til før fra" in early statuses)."""
    step = max(1, len(MUTANTS) // 8)
    for data in MUTANTS[start:start + step:7]:
        try:
            text = case_document(data)
        except Exception:
            continue
        parsed = yamlio.load(text)
        validate_lines = {f.line for f in validation.validate_record(parsed, text, "x.yaml")}
        record = analyse(f"cases/{data.get('id') if isinstance(data.get('id'), str) else 'x'}.yaml", text.encode())
        ours = _lines(record["findings"], {"schema", "status"})
        with_order = ours | _lines(record["findings"], {"dato-rekkefolge"})
        assert validate_lines <= with_order, (validate_lines - with_order, text)
        assert ours <= validate_lines, (ours - validate_lines, text)


def test_no_double_report_between_schema_and_status() -> None:
    """A case in tiltak whose tiltak lacks evalueres: one finding, under status."""
    data = copy.deepcopy(clean_cases()[2])
    del data["aktivitetsplan"]["tiltak"][1]["evalueres"]
    record = analyse("cases/2026-0003.yaml", case_document(data).encode())
    assert [f[0] for f in record["findings"]] == ["status"]
    assert record["findings"][0][2] == "T2 mangler når tiltaket skal evalueres (evalueres) (§ 12-4 tredje ledd bokstav e)"


def test_messages_never_quote_values() -> None:
    data = copy.deepcopy(clean_cases()[2])
    data["barnets_beste"]["dato"] = "Kari Nordmann"
    data["aktivitetsplan"]["tiltak"][0]["Kari"] = "Nordmann"
    data["aktivitetsplan"]["tiltak"][0]["id"] = "Kari"
    record = analyse("cases/2026-0003.yaml", case_document(data).encode())
    text = "\n".join(m for _c, _l, m in record["findings"])
    assert "Kari" not in text and "Nordmann" not in text
    assert "barnets_beste.dato: er ikke en gyldig dato" in text
    assert "aktivitetsplan.tiltak[0]: ukjent felt på denne linjen (skrivefeil?)" in text


def test_duplicate_key_message_hides_unknown_keys() -> None:
    source = case_document(clean_cases()[0]).replace("status: mottatt", "status: mottatt\nKari: a\nKari: b")
    record = analyse("cases/2026-0001.yaml", source.encode())
    assert record["findings"][0][0] == "schema" and "Kari" not in record["findings"][0][2]
    source = case_document(clean_cases()[0]).replace("status: mottatt", "status: mottatt\nstatus: tiltak")
    assert "«status»" in analyse("cases/2026-0001.yaml", source.encode())["findings"][0][2]


def test_validate_s_shortcut_never_hides_an_error() -> None:
    """``validation.surely_valid`` (jsonschema-rs on the whole case schema) says valid only
    when jsonschema with the whole case schema agrees, for every single-place breakage."""
    checked = skipped = 0
    for broken in mutants():
        if validation.surely_valid(broken):
            assert list(messages.validator().iter_errors(broken)) == [], broken
            checked += 1
        else:
            skipped += 1
    for data in [*clean_cases(), secret_case()]:
        assert validation.surely_valid(data)
    assert checked > 50 and skipped > 500  # both sides of the shortcut were exercised
