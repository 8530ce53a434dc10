"""The fast reader of canonical case files agrees with the strict loader, or steps aside.

Contract: whenever ``fastyaml.parse`` returns a result, its data equals ``yamlio.load`` and
its line map equals ``yamlio.line_map``; whenever the strict loader refuses a file, the fast
reader returns ``None`` (so the strict loader's message is used).
"""

from __future__ import annotations

import copy
import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from skolemiljo.storage import yamlio
from skolemiljo.storage.casefiles import case_document
from skolemiljo.storage import fastyaml
from check_fixtures import clean_cases, secret_case

BASE = clean_cases()[2]  # a case in status tiltak: nested maps, lists of maps, empty lists

TRICKY = ["no", "off", "On", "yes", "0150", "12:30", "null", "~", "", " ", "2026-10-12", "2026-02-30", "True",
          "- liste", "a: b", "tekst # ikke kommentar", "#hash", "'sitat'", '"dobbel"', "linje 1\nlinje 2",
          "slutt\n", "\n\nstart", "  innrykk", "mellom  rom ", "æøå ÆØÅ", "|", ">", "[1, 2]", "{a: 1}", "&anker",
          "*alias", "!tag", "%", "@", "`", "C#", "http://x.no/a?b=c", "1e3", ".5", "0x1F", "-", "?", ":", "a:",
          "tab\there", "nul\x00", "\u2028", "emoji 🙂", "\ufeffbom", "\\", "back\\slash", "sluttspace ", "3.14",
          "tekst\n  med innrykk\n", "\n", "x\n\n\n"]

text = st.one_of(st.sampled_from(TRICKY), st.text(alphabet=st.sampled_from(list("abcæø ÆØ:#-'\"\n|>[]{},.0129&*!%@`~?\\\t")),
                                                    max_size=30))


def check_agrees(source: str) -> bool:
    """True when the fast path was taken (and agreed)."""
    fast = fastyaml.parse(source)
    try:
        strict = yamlio.load(source)
    except yamlio.YamlProblem:
        assert fast is None, source
        return False
    if fast is None:
        return False
    data, lines = fast
    assert data == strict, source
    assert lines == yamlio.line_map(source), source
    return True


def test_canonical_cases_take_the_fast_path() -> None:
    for data in [*clean_cases(), secret_case()]:
        assert check_agrees(case_document(data))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(text, min_size=8, max_size=8))
def test_any_text_in_text_fields(values: list[str]) -> None:
    data = copy.deepcopy(BASE)
    data["elev"]["navn"] = values[0]
    data["melding"]["beskrivelse"] = values[1]
    data["undersokelse"]["konklusjon"] = values[2]
    data["aktivitetsplan"]["problem"] = values[3]
    data["aktivitetsplan"]["tiltak"][0]["beskrivelse"] = values[4]
    data["aktivitetsplan"]["tiltak"][0]["evalueringer"][0]["resultat"] = values[5]
    data["logg"][0]["hendelse"] = values[6]
    data["kategorier"] = [values[7], "mobbing"]
    try:
        source = case_document(data)
    except Exception:  # pragma: no cover - a value PyYAML itself cannot write
        return
    check_agrees(source)


def test_ordinary_text_is_read_fast() -> None:
    data = copy.deepcopy(BASE)
    data["melding"]["beskrivelse"] = "Flere linjer.\nMed æøå, kolon: og # tegn.\n\nOg en tom linje."
    data["elev"]["navn"] = "no"
    data["aktivitetsplan"]["problem"] = "0150"
    assert check_agrees(case_document(data))


MUTATIONS = [
    lambda s, r: s.replace("\n", "\n ", 1),
    lambda s, r: s.replace("  ", "   ", 1),
    lambda s, r: s.replace("  ", " ", 1),
    lambda s, r: s.replace(": ", ":", 1),
    lambda s, r: s.replace("\n- ", "\n-  ", 1),
    lambda s, r: s.replace("\n  - ", "\n    - ", 1),
    lambda s, r: s.replace("status: tiltak", "status: tiltak # endret"),
    lambda s, r: s.replace("status: tiltak", "status: tiltak\nstatus: avsluttet"),
    lambda s, r: s.replace("status: tiltak", "status: &a tiltak"),
    lambda s, r: s.replace("status: tiltak", "status: !!str tiltak"),
    lambda s, r: s.replace("status: tiltak", "status: {}"),
    lambda s, r: s.replace("status: tiltak", "status: [tiltak]"),
    lambda s, r: s.replace("status: tiltak", "status:\n  tiltak"),
    lambda s, r: s.replace("status: tiltak", "status: 'tiltak'"),
    lambda s, r: s.replace("status: tiltak", 'status: "tiltak"'),
    lambda s, r: s.replace("status: tiltak", "status: 'til''tak'"),
    lambda s, r: s.replace("status: tiltak", "status: 'tiltak"),
    lambda s, r: s.replace("status: tiltak", "status: tiltak\n\n# kommentar\n"),
    lambda s, r: s.replace("status: tiltak", "status: |\n  tiltak"),
    lambda s, r: s.replace("status: tiltak", "status: |-\n  tiltak\n\n  mer"),
    lambda s, r: s.replace("status: tiltak", "status: >\n  tiltak"),
    lambda s, r: s.replace("status: tiltak", "status:\ttiltak"),
    lambda s, r: s.replace("status: tiltak", "status : tiltak"),
    lambda s, r: s.replace("status: tiltak", "? status\n: tiltak"),
    lambda s, r: s.replace("status: tiltak", "status: tiltak\n---\na: b"),
    lambda s, r: s.replace("status: tiltak", "no: tiltak"),
    lambda s, r: s.replace("status: tiltak", "status: 12"),
    lambda s, r: s.replace("status: tiltak", "status: null"),
    lambda s, r: s.replace("status: tiltak", "status:"),
    lambda s, r: s.replace("status: tiltak", "status: ~"),
    lambda s, r: s.replace("alvorlig: false", "alvorlig: off"),
    lambda s, r: s.rstrip("\n"),
    lambda s, r: s + "\n\n",
    lambda s, r: s + "...\n",
    lambda s, r: s.replace("\n", "\r\n"),
    lambda s, r: "\ufeff" + s,
    lambda s, r: "---\n" + s,
    lambda s, r: "  " + s,
    lambda s, r: s.replace("kategorier:\n- ", "kategorier:\n  - "),
    lambda s, r: s.replace("kategorier:\n- ", "kategorier: \n- "),
    lambda s, r: s.replace("evalueringer: []", "evalueringer: [ ]"),
    lambda s, r: s.replace("evalueringer: []", "evalueringer:\n    -"),
    lambda s, r: s.replace("evalueringer: []", "evalueringer:\n    - - a"),
    lambda s, r: s.replace("evalueringer: []", "evalueringer:\n    - a\n      b"),
    lambda s, r: s.replace("evalueringer: []", "evalueringer:\n    - |\n      a"),
]


@pytest.mark.parametrize("index", range(len(MUTATIONS)))
def test_mutations_agree_or_step_aside(index: int) -> None:
    source = case_document(BASE)
    check_agrees(MUTATIONS[index](source, None))


@settings(max_examples=400, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_random_edits_agree_or_step_aside(seed: int) -> None:
    rng = random.Random(seed)
    lines = case_document(BASE).split("\n")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        op = rng.randrange(6)
        line = lines[i]
        if op == 0 and line:
            j = rng.randrange(len(line))
            lines[i] = line[:j] + line[j + 1:]
        elif op == 1:
            lines.insert(i, line)
        elif op == 2:
            lines[i] = " " + line
        elif op == 3:
            lines[i] = line.replace(" ", "", 1)
        elif op == 4:
            j = rng.randrange(len(line) + 1)
            lines[i] = line[:j] + rng.choice(list(":#-'\"|>{}[]&*!? \t")) + line[j:]
        else:
            del lines[i]
    check_agrees("\n".join(lines))


def test_the_resolver_table_is_pyyaml_s() -> None:
    """The fast reader's copy of PyYAML's implicit resolvers (so it need not import PyYAML) is
    the strict loader's table: same first characters, tags in the same order, same patterns."""
    import re

    from skolemiljo.storage.yamlstrict import StrictLoader

    def table(resolvers: dict) -> dict:
        return {first: [(tag, re.sub(r"\s+", "", rx.pattern) if rx.flags & re.X else rx.pattern, rx.flags)
                        for tag, rx in entries] for first, entries in resolvers.items()}

    assert table(fastyaml._RESOLVERS) == table(StrictLoader.yaml_implicit_resolvers)


def test_reading_a_canonical_case_does_not_import_pyyaml(tmp_path) -> None:
    import subprocess
    import sys

    from skolemiljo.storage.casefiles import case_document

    path = tmp_path / "2026-0001.yaml"
    path.write_text(case_document(BASE), encoding="utf-8")
    code = ("import sys; from skolemiljo.storage.casefiles import quick_load; "
            f"case = quick_load({str(path)!r}); assert case == {BASE!r}; print('yaml' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_awkward_characters_are_those_pyyaml_refuses_or_breaks_lines_at() -> None:
    """``_AWKWARD`` lists the complement of what the fast reader takes as it is (every code point)."""
    import re

    allowed = re.compile("[\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
    for code in range(0x110000):
        char = chr(code)
        assert bool(fastyaml._AWKWARD.match(char)) != bool(allowed.match(char)), hex(code)
