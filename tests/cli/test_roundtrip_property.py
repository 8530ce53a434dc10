"""Property tests (issue 7): any valid case survives write → read unchanged, and any text typed
into a free-text field survives new-case → show → render."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_case
from skolemiljo.storage import yamlio
from skolemiljo.storage.casefiles import case_document
from skolemiljo.storage.repository import CaseRepo
from case_fixtures import complete_case

# Text a person can type: any printable character (YAML cannot hold most control characters,
# and a case file refuses them), with spaces and line breaks inside.
TYPED = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff"),
    min_size=1, max_size=80,
).map(str.strip).filter(bool)


@settings(max_examples=200, deadline=None)
@given(text=TYPED, status=st.sampled_from(["mottatt", "undersokes", "tiltak", "avsluttet"]))
def test_any_valid_case_survives_write_and_read(text: str, status: str) -> None:
    case = complete_case(status=status)
    case["melding"]["beskrivelse"] = text
    case["elev"]["klasse"] = text
    case["aktivitetsplan"]["problem"] = text + "\n" + text
    written = case_document(case)
    assert yamlio.load(written) == case
    assert case_document(yamlio.load(written)) == written  # stable: a second write is identical


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TYPED)
def test_typed_text_survives_new_case_show_and_render(skm, case_repo: Path, tmp_path: Path, text: str) -> None:
    case_id = make_case(case_repo, beskrivelse=text)
    shown = json.loads(skm("show", case_id, "--json", "--navn", cwd=case_repo).stdout)
    assert shown["melding"]["beskrivelse"] == text
    from skolemiljo.render.api import render_case

    out = render_case(CaseRepo(case_repo), case_id, "meldingsskjema", "html", out_dir=tmp_path)
    parser = _Text()
    parser.feed(out.read_text(encoding="utf-8"))
    assert _squash(text) in _squash(html.unescape("".join(parser.parts)))
