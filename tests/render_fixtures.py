"""Fixtures for the ``skm render`` tests: isolated git, a case repository, cases with history.

Self-contained (works with or without the shared ``conftest.py``): HOME in a temporary
folder, ``GIT_CONFIG_GLOBAL`` pointing at an empty file, ``GIT_CONFIG_NOSYSTEM=1``, a
fixed author and fixed commit dates, so documents (and their bytes) are reproducible.

Cases are built from the reference record in ``shared/spec/sak-eksempel.yaml`` (fictional
data, copied below so the tests do not depend on the folder beside the repository) and
committed the way skm commits: ``cases.case_document`` + ``audit.GitStore.commit_file``.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from skolemiljo.storage import yamlio
from skolemiljo.domain.author import Author
from skolemiljo.storage.commits import GitStore, commit_message
from skolemiljo.storage.casefiles import case_document
from skolemiljo.services.init import init_repository
from skolemiljo.storage.repository import CaseRepo, Settings

AUTHOR = Author("Tone Berg", "tone.berg@fjordvik.example")
SKOLE = "Fjordvik videregående skole"
CASE_ID = "2026-0007"
PUPIL = "Ingrid Fjeldstad"

# The reference record of shared/spec/sak-eksempel.yaml (fictional), as data.
REFERENCE_YAML = """\
id: 2026-0007
status: tiltak
sakstype: elev-elev
alvorlig: false
kategorier: [utestenging, digital-mobbing]
elev:
  navn: Ingrid Fjeldstad
  klasse: 2STB
  under_18: true
melding:
  mottatt: 2026-10-12
  mottatt_av: Per Haugen (kontaktlærer)
  meldt_av: elev
  beskrivelse: >-
    Eleven forteller at hun blir holdt utenfor i friminuttene og at en gruppechat
    brukes til å gjøre narr av henne.
varsling:
  rektor: {dato: 2026-10-12, av: Per Haugen}
  skoleeier: null
undersokelse:
  startet: 2026-10-13
  avsluttet: 2026-10-16
  aktiviteter:
    - dato: 2026-10-13
      type: samtale
      med: eleven og foresatte
      oppsummering: Eleven beskriver utestenging over flere uker.
    - dato: 2026-10-14
      type: observasjon
      med: miljøarbeider i friminutt
      oppsummering: Bekrefter at eleven står alene i storefri.
  elevens_opplevelse: Eleven opplever ikke skolemiljøet som trygt og godt.
  konklusjon: Eleven har ikke et trygt og godt skolemiljø. Tiltak settes inn.
elevens_stemme:
  - dato: 2026-10-16
    synspunkter: Ønsker ikke å bytte klasse, men vil ha fast makker i friminuttene.
barnets_beste:
  dato: 2026-10-16
  vurdering: Å bli i klassen med støtte er best for eleven; eleven er hørt.
aktivitetsplan:
  dato: 2026-10-16
  problem: Eleven holdes utenfor sosialt i friminutt og i en digital gruppechat.
  tiltak:
    - id: T1
      beskrivelse: Miljøarbeider er til stede i storefri og etablerer makkerordning.
      fra: 2026-10-19
      til: 2026-11-20
      ansvarlig: Miljøarbeider Sara Lunde
      evalueres: 2026-10-30
      evalueringer:
        - dato: 2026-10-30
          resultat: Eleven har fast makker; mindre alene.
          elevens_opplevelse: Bedre, men gruppechatten fortsetter.
          videre: fortsett
    - id: T2
      beskrivelse: Samtaler med elevene i gruppechatten og deres foresatte.
      fra: 2026-10-19
      til: 2026-10-30
      ansvarlig: Avdelingsleder Tone Berg
      evalueres: 2026-11-06
      evalueringer: []
logg:
  - {dato: 2026-10-12, av: Per Haugen, hendelse: Melding mottatt fra eleven og registrert.}
  - {dato: 2026-10-12, av: Per Haugen, hendelse: Rektor varslet.}
avslutning: null
arkiv:
  saksnummer: 26/01234
"""

# The first plan, before it was revised: one tiltak, another person responsible.
FIRST_PLAN_ANSVARLIG = "Kontaktlærer Per Haugen"
FIRST_PLAN_EVALUERES = "2026-10-23"


def reference_case(case_id: str = CASE_ID) -> dict[str, Any]:
    data = yamlio.load(REFERENCE_YAML)
    data["id"] = case_id
    return data


@pytest.fixture
def render_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Isolate git and skm from the machine: HOME, git config, fixed author, SKM_TODAY."""
    home = tmp_path_factory.mktemp("render-home")
    config = home / "gitconfig"
    config.write_text("", encoding="utf-8")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
                 "SKM_AV", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("SKM_TODAY", "2026-11-20")
    return home


def set_commit_date(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    """Commits made from now on get this date (skm's git calls inherit the environment)."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", when)
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)


def make_repository(path: Path, monkeypatch: pytest.MonkeyPatch, *, malform: str = "nb",
                    pdfa: str = "2b") -> CaseRepo:
    set_commit_date(monkeypatch, "2026-08-14T08:00:00+02:00")
    settings = Settings(skole=SKOLE, skoleeier="Fjordvik fylkeskommune", malform=malform, pdfa=pdfa)
    repo = init_repository(path, settings, AUTHOR)
    for key, value in (("user.name", AUTHOR.name), ("user.email", AUTHOR.email)):
        subprocess.run(["git", "config", key, value], cwd=path, check=True)
    return repo


def commit_case(repo: CaseRepo, data: dict[str, Any], action: str, monkeypatch: pytest.MonkeyPatch,
                when: str, author: Author = AUTHOR) -> str:
    set_commit_date(monkeypatch, when)
    text = case_document(data)
    message = commit_message(data["id"], action, "edit")
    return GitStore(repo).commit_file(repo.case_path(data["id"]), text.encode("utf-8"), message, author)


def build_case_history(repo: CaseRepo, monkeypatch: pytest.MonkeyPatch, case_id: str = CASE_ID,
                       mutate: Any = None) -> dict[str, Any]:
    """Commit a case in five steps; its plan changes in two of them.

    1. 12 Oct: the report (status mottatt)
    2. 16 Oct: investigation, voice, best interests and the first plan (one tiltak, T1 with
       ``FIRST_PLAN_ANSVARLIG``, evaluated ``FIRST_PLAN_EVALUERES``)
    3. 19 Oct: the plan revised: T1 gets another person and date, T2 is added
    4. 30 Oct: T1 evaluated (not a new plan version)
    Returns the final record.
    """
    final = reference_case(case_id)
    if mutate is not None:
        mutate(final)
    first = copy.deepcopy(final)
    first.update(status="mottatt", undersokelse=None, elevens_stemme=[], barnets_beste=None,
                 aktivitetsplan=None, logg=final["logg"][:1])
    first["varsling"] = {"rektor": None, "skoleeier": None}
    commit_case(repo, first, "melding registrert", monkeypatch, "2026-10-12T09:15:00+02:00")

    second = copy.deepcopy(final)
    plan = second["aktivitetsplan"]
    plan["tiltak"] = [copy.deepcopy(plan["tiltak"][0])]
    plan["tiltak"][0].update(ansvarlig=FIRST_PLAN_ANSVARLIG, evalueres=FIRST_PLAN_EVALUERES, evalueringer=[])
    commit_case(repo, second, "aktivitetsplan laget", monkeypatch, "2026-10-16T14:05:00+02:00")

    third = copy.deepcopy(final)
    for item in third["aktivitetsplan"]["tiltak"]:
        item["evalueringer"] = []
    commit_case(repo, third, "aktivitetsplan endret", monkeypatch, "2026-10-19T08:30:00+02:00")

    commit_case(repo, final, "tiltak T1 evaluert", monkeypatch, "2026-10-30T13:00:00+01:00")
    return final


@pytest.fixture
def render_repo(render_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CaseRepo:
    """A case repository holding case 2026-0007 with the history of ``build_case_history``."""
    repo = make_repository(tmp_path / "saker", monkeypatch)
    build_case_history(repo, monkeypatch)
    return repo


def pdf_tools() -> bool:
    return bool(shutil.which("pdftotext") and shutil.which("pdffonts"))


def pdf_text(path: Path) -> str:
    """The text of a PDF (pdftotext), whitespace collapsed."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(out.decode("utf-8").split())


def squash(text: str) -> str:
    return " ".join(text.split())


def run_skm(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the real ``skm`` in a fresh process (start-up, entry point, exit codes)."""
    import sys

    import skolemiljo

    env = dict(os.environ)
    # The same skolemiljo as this test process (a source tree or the installed wheel).
    source = str(Path(skolemiljo.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([source, *filter(None, [env.get("PYTHONPATH")])])
    return subprocess.run([sys.executable, "-c", "from skolemiljo.cli import main; main()", *args], cwd=cwd,
                          capture_output=True, text=True, env=env)
