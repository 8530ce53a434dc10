"""skolemiljo.storage.yamlio: strict, safe reading and canonical writing of case files."""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skolemiljo.storage import yamlio
from skolemiljo.storage.yamlio import YamlProblem


def problem(text: str) -> tuple[int, str]:
    with pytest.raises(YamlProblem) as caught:
        yamlio.load(text)
    return caught.value.line, caught.value.message


# ------------------------------------------------------------------------- reading

def test_dates_stay_text_so_the_schema_can_check_them() -> None:
    assert yamlio.load("a: 2026-10-12\nb: 2026-02-30\nc: 2026-10-12 10:00:00\n") == {
        "a": "2026-10-12", "b": "2026-02-30", "c": "2026-10-12 10:00:00"}


@pytest.mark.parametrize("text,value", [
    ("no", False), ("off", False), ("yes", True), ("On", True), ("true", True),
    ("0150", 104), ("12:30", 750), ("1.5", 1.5), ("~", None), ("null", None), ("", None),
    ("'no'", "no"), ('"0150"', "0150"), ("'12:30'", "12:30"), ("2STB", "2STB"),
])
def test_yaml_1_1_scalars_are_not_silently_text(text: str, value: object) -> None:
    """A value meant as text but typed bare is *not* turned into text: the schema then reports it."""
    assert yamlio.load(f"a: {text}\n") == {"a": value}


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    assert problem("id: 2026-0001\nstatus: mottatt\nsakstype: annet\nstatus: tiltak\n") == (
        4, "Feltet «status» står to ganger (linje 2 og 4); bare ett kan gjelde.")


def test_duplicate_keys_are_refused_when_nested() -> None:
    assert problem("elev:\n  navn: a\n  klasse: b\n  klasse: c\n") == (
        4, "Feltet «klasse» står to ganger (linje 3 og 4); bare ett kan gjelde.")


def test_a_duplicate_key_that_may_be_a_name_is_not_repeated() -> None:
    assert problem("Kari Nordmann: 1\nKari Nordmann: 2\n") == (
        2, "Et felt står to ganger (linje 1 og 2); bare ett kan gjelde.")


@pytest.mark.parametrize("text,line", [
    ("elev:\n\tnavn: a\n", 2),
    ("elev:\n  navn: a\n\tklasse: b\n", 3),
    ("elev:\n  navn: a\n  \tklasse: b\n", 3),
    ("a:\n  - x\n\t- y\n", 3),
])
def test_tabs_are_refused(text: str, line: int) -> None:
    assert problem(text) == (line, "Ugyldig YAML: tabulator (tab) er brukt; bruk mellomrom til innrykk.")


ALIAS = "YAML-ankre og -aliaser (& og *) er ikke tillatt i saksfiler; skriv verdien ut på nytt."


@pytest.mark.parametrize("text,line", [
    ("a: &x hei\nb: *x\n", 1),
    ("a: &x [1, 2]\nb: *x\n", 1),
    ("a:\n  b: &x {k: 1}\nc: *x\n", 2),
    ("logg:\n- &l {dato: 2026-10-12}\n- *l\n", 2),
])
def test_anchors_and_aliases_are_refused(text: str, line: int) -> None:
    assert problem(text) == (line, ALIAS)


def test_an_unused_anchor_is_harmless() -> None:
    assert yamlio.load("a: &x hei\n") == {"a": "hei"}


def test_merge_keys_are_refused() -> None:
    assert problem("a: &x {k: 1}\nb:\n  <<: {k: 2}\n") == (3, "YAML-fletting (<<) er ikke tillatt i saksfiler.")


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_fails_fast() -> None:
    started = time.perf_counter()
    assert problem(billion_laughs()) == (1, ALIAS)
    assert time.perf_counter() - started < 0.5
    # And line_map (used for messages) does not expand it either.
    started = time.perf_counter()
    yamlio.line_map(billion_laughs())
    assert time.perf_counter() - started < 0.5


def test_deep_nesting_fails_cleanly() -> None:
    line, message = problem("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert (line, message) == (1, "Fila er nøstet for dypt til å være en saksfil.")


@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system ['echo pwned']\n",
    "a: !!python/object:builtins.dict {}\n",
    "a: !!python/name:os.system\n",
    "a: !lokal x\n",
    "a: !<tag:example.com,2000:x> y\n",
])
def test_unsafe_and_unknown_tags_are_refused(text: str) -> None:
    assert problem(text) == (1, "Ugyldig YAML: ukjent eller usikker YAML-tagg er ikke tillatt.")


@pytest.mark.parametrize("tag,value", [("timestamp", "2026-10-12"), ("binary", "aGVp"), ("set", "{a, b}"),
                                       ("omap", "[b: 1]"), ("pairs", "[b: 1]")])
def test_yaml_types_json_cannot_hold_are_refused(tag: str, value: str) -> None:
    assert problem(f"id: x\na: !!{tag} {value}\n") == (2, f"Ugyldig YAML: taggen !!{tag} er ikke tillatt i saksfiler.")


def test_explicit_str_tag_is_text() -> None:
    assert yamlio.load("a: !!str 0150\n") == {"a": "0150"}


def test_nul_bytes_are_refused_with_their_line() -> None:
    assert problem("a: 1\nb: x\x00y\n") == (2, "Fila inneholder binære data (NUL-tegn).")


@pytest.mark.parametrize("char", ["\x01", "\x07", "\x1b", "\x7f", "\ufffe"])
def test_control_characters_are_refused(char: str) -> None:
    assert problem(f"a: 1\nb: x{char}y\n") == (2, "Ugyldig YAML: fila inneholder kontrolltegn eller binære data.")


def test_decode_refuses_non_utf8_with_its_line() -> None:
    with pytest.raises(YamlProblem) as caught:
        yamlio.decode("a: 1\nb: Ødegård\n".encode("latin-1"))
    assert (caught.value.line, caught.value.message) == (2, "Fila er ikke gyldig UTF-8; lagre den som UTF-8.")


def test_decode_refuses_a_file_over_the_limit() -> None:
    raw = b"a: " + b"x" * yamlio.MAX_FILE_BYTES
    with pytest.raises(YamlProblem) as caught:
        yamlio.decode(raw)
    assert (caught.value.line, caught.value.message) == (
        1, f"Fila er for stor ({len(raw):,} byte; grensen er {yamlio.MAX_FILE_BYTES:,}).".replace(",", " "))
    assert yamlio.decode(b"a: " + b"x" * (yamlio.MAX_FILE_BYTES - 3)).startswith("a: x")


@pytest.mark.parametrize("text,line,message", [
    ("a: b: c\n", 1, "Ugyldig YAML: kolon på feil sted; sett teksten i anførselstegn."),
    ("a: 'uten slutt\n", 2, "Ugyldig YAML: fila slutter midt i en verdi (mangler avsluttende anførselstegn?)."),
    ("elev:\n  navn: a\n klasse: b\n", 3, "Ugyldig YAML: feil innrykk eller et felt uten navn."),
])
def test_syntax_errors_are_norwegian_with_a_line(text: str, line: int, message: str) -> None:
    assert problem(text) == (line, message)


# ------------------------------------------------------------------------ line_map

def test_line_map_gives_the_line_of_every_key_and_item() -> None:
    text = "# kommentar\nid: 1\nelev:\n  navn: a\nlogg:\n- dato: x\n  av: y\n- dato: z\n"
    lines = yamlio.line_map(text)
    assert lines[()] == 2
    assert lines[("id",)] == 2
    assert lines[("elev", "navn")] == 4
    assert lines[("logg", 0)] == 6 and lines[("logg", 0, "av")] == 7 and lines[("logg", 1)] == 8
    assert yamlio.line_for(lines, ("elev", "klasse")) == 3  # missing: its parent
    assert yamlio.line_for(lines, ("logg", 1, "av")) == 8
    assert yamlio.line_for(lines, ("mangler", "helt")) == 2
    assert yamlio.line_map("a: [") == {}


# ------------------------------------------------------------------------- writing

def test_dump_is_canonical_block_style_utf8() -> None:
    data = {"id": "2026-0001", "kategorier": ["mobbing", "vold"], "elev": {"navn": "Åse Ødegård", "under_18": True},
            "tom": [], "ingen": None, "dato": "2026-10-12", "flere": "linje 1\nlinje 2\n"}
    assert yamlio.dump(data, "# modeline") == (
        "# modeline\n"
        "id: 2026-0001\n"
        "kategorier:\n- mobbing\n- vold\n"
        "elev:\n  navn: Åse Ødegård\n  under_18: true\n"
        "tom: []\n"
        "ingen: null\n"
        "dato: 2026-10-12\n"
        "flere: |\n  linje 1\n  linje 2\n"
    )


@pytest.mark.parametrize("value", ["no", "off", "yes", "on", "true", "False", "null", "~", "0150", "12:30",
                                   "1.5", "1e3", "0o17", "0x1F", ".inf", "-", "1_000", "", " ledende", "# ikke kommentar",
                                   "a: b", "[liste]", "{map}", "&anker", "*alias", "!tag", "@", "`", "%", "'", '"'])
def test_text_that_would_read_back_as_something_else_is_quoted(value: str) -> None:
    text = yamlio.dump({"a": value})
    assert yamlio.load(text) == {"a": value}
    assert text != f"a: {value}\n"
    # An editor's YAML 1.2 parser (no timestamps, no sexagesimal, 1e3 is a number) reads it as text too.
    assert isinstance(yaml.load(text, Loader=yaml.BaseLoader)["a"], str)


@pytest.mark.parametrize("value", ["2STB", "9B", "Per Haugen (kontaktlærer)", "Åse", "2026-10-12", "2026-0007"])
def test_plain_text_stays_unquoted(value: str) -> None:
    assert yamlio.dump({"a": value}) == f"a: {value}\n"


# Text values from st.text(): any Unicode scalar value except surrogates (st.text() never yields
# them; they cannot be encoded as UTF-8 at all, so no case file can hold one). Control characters,
# NUL, U+FEFF, U+2028, NEL, trailing spaces and newlines are all included: the dumper must quote or
# escape whatever YAML could not hold as plain text, and the strict loader must not refuse its own
# escapes. Nothing had to be filtered out.
texts = st.text()


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(texts, texts))
def test_any_dict_of_text_survives_dump_and_load(data: dict[str, str]) -> None:
    assert yamlio.load(yamlio.dump(data)) == data


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.recursive(texts | st.booleans() | st.none(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
                    max_leaves=12))
def test_nested_case_like_data_survives_dump_and_load(data: object) -> None:
    document = {"root": data}
    assert yamlio.load(yamlio.dump(document, "# yaml-language-server: $schema=x")) == document


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(texts, texts, max_size=5))
def test_dump_is_stable(data: dict[str, str]) -> None:
    once = yamlio.dump(data)
    assert yamlio.dump(yamlio.load(once)) == once
