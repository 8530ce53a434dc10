"""One table of legal grounds (issue 14.8): no citation in skm comes from anywhere else.

- Source (skolemiljo/**/*.py, templates/*): no "§ 1…" and no "ledd" outside skolemiljo/domain/legal.py;
  every text there gets its citation from the table.
- Generated and documented text (schemas/*.json, docs/checks.md, README.md, skolemiljo/data/*.yaml, and
  every fixed text of the documents and the web pages): every citation is one of the table's.
- The 1998 numbering ("femte ledd", "sjette ledd") appears nowhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skolemiljo.domain import legal

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "skolemiljo"
TABLE_MODULE = PACKAGE / "domain" / "legal.py"

_LEDD = r"(?:første|andre|tredje|fjerde|femte|sjette|sjuande|sjuende) ledd"
CITATION = re.compile(rf"§ 1\d-\d+(?: {_LEDD})?(?: bokstav [a-z])?")
ANY_LEDD = re.compile(r"\bledd\b", re.IGNORECASE)


def _source_files() -> list[Path]:
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".html", ".md", ".txt", ".css")]
    files += [p for p in (ROOT / "templates").rglob("*") if p.is_file()]
    return sorted(p for p in files if p != TABLE_MODULE and "__pycache__" not in p.parts)


def _generated_files() -> list[Path]:
    return sorted([*(ROOT / "schemas").glob("*.json"), ROOT / "docs" / "checks.md", ROOT / "README.md",
                   *(PACKAGE / "data").glob("*.yaml")])


def test_the_table_follows_the_2023_law() -> None:
    cites = legal.citations()
    assert "§ 12-4 tredje ledd" in cites and "§ 12-4 fjerde ledd" in cites
    assert not [c for c in cites if "femte" in c or "sjette" in c]
    assert legal.cite("plan") == "§ 12-4 tredje ledd"
    assert legal.cite("dokumentasjon") == "§ 12-4 fjerde ledd"
    assert legal.cite("plan_e") == "§ 12-4 tredje ledd bokstav e"
    assert legal.cite_law("plan", "nn") == "opplæringslova § 12-4 tredje ledd"
    assert legal.cite_law("plan", "nb") == "opplæringsloven § 12-4 tredje ledd"
    assert legal.cite("melde", "skjerpa") == "§ 12-4 andre ledd, § 12-5"
    assert legal.cite("melde", "undersoke") == "§ 12-4 andre ledd"
    assert legal.cite_and("plan_e", "medvirkning") == "§ 12-4 tredje ledd bokstav e og § 10-2"
    assert legal.ground_text("undersoke", "nn") == "§ 12-4 andre ledd: skolen skal snarast undersøkje saka"
    assert legal.fill("Plan ([hjemmel:plan]), [lov:medvirkning]", "nn") == \
        "Plan (§ 12-4 tredje ledd), opplæringslova § 10-2"
    with pytest.raises(KeyError):
        legal.fill("[hjemmel:finnes_ikke]")
    for ground in legal.GROUNDS.values():
        assert ground.nb and ground.nn


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_citation_outside_the_table(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [m.group(0) for m in re.finditer(r"§\s*1\d", text)] + [m.group(0) for m in ANY_LEDD.finditer(text)]
    assert found == [], f"{path.relative_to(ROOT)}: citations must come from skolemiljo.domain.legal"


def _foreign(text: str) -> list[str]:
    cites = legal.citations()
    text = re.sub(r"\s+", " ", text)  # a citation wrapped over two lines is still one citation
    bad = [m.group(0) for m in CITATION.finditer(text) if m.group(0) not in cites]
    # A "ledd" that is not part of a table citation ("og sjette ledd", "femte ledd").
    stripped = CITATION.sub("", text)
    stripped = stripped.replace("Offl. § 13 jf. fvl. § 13 første ledd nr. 1", "")
    bad += [m.group(0) for m in re.finditer(r"\b\w+ ledd\b", stripped)]
    return bad


@pytest.mark.parametrize("path", _generated_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_generated_and_documented_citations_are_the_tables(path: Path) -> None:
    assert _foreign(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("malform", ["nb", "nn"])
def test_document_and_web_texts_cite_the_table(malform: str) -> None:
    from skolemiljo.render import i18n
    from skolemiljo.web import texts

    values = [*i18n.text(malform).values(), *texts.texts(malform).values()]
    assert [v for v in values if _foreign(str(v))] == []
    assert any(legal.cite("plan") in str(v) for v in values)


def test_the_check_catalogue_and_rules_cite_the_table() -> None:
    from skolemiljo.checks.registry import CHECKS
    from skolemiljo.domain.requirements import RULES

    assert [c.id for c in CHECKS if _foreign(c.ground)] == []
    assert [r.id for r in RULES if _foreign(r.ground) or not CITATION.search(r.ground)] == []


def test_the_foreign_detector_can_fail() -> None:
    assert _foreign("§ 12-4 sjette ledd") == ["§ 12-4 sjette ledd"]
    assert _foreign("§ 12-4 andre ledd og sjette ledd") == ["sjette ledd"]
    assert _foreign("§ 12-4 tredje ledd bokstav e") == []
