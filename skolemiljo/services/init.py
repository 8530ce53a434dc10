"""``skm init``: a new case repository for one school."""

from __future__ import annotations

from pathlib import Path

from skolemiljo import __version__
from skolemiljo.domain import dates
from skolemiljo.domain.author import Author
from skolemiljo.domain.schoolyear import school_year_start_year
from skolemiljo.domain.text import text_problem
from skolemiljo.errors import RepositoryExistsError, UsageError
from skolemiljo.storage.atomic import write_atomic
from skolemiljo.storage.calendarfile import new_calendar_text
from skolemiljo.storage.commits import GitStore
from skolemiljo.storage.git import git_text
from skolemiljo.storage.repository import (
    CALENDAR_FILE,
    CASES_DIR,
    SETTINGS_FILE,
    CaseRepo,
    Settings,
    settings_document,
)
from skolemiljo.storage.resources import schemas_dir

STAFF_README = """\
# Saksarkiv for kap. 12-saker – {skole}

Her ligger skolens saker etter opplæringslova kapittel 12, én fil per sak i `cases/`.
Hver endring er en git-commit: historikken er dokumentasjonen loven krever (§ 12-4 sjette ledd).

**Personvern:** sakene er taushetsbelagte (offl. § 13 jf. fvl. § 13). Skriv aldri elevens navn
eller saksopplysninger i filnavn, commit-meldinger eller andre steder enn i saksfilene.

Vanlige kommandoer (kjør dem i denne mappen):

    skm new-case                 registrer en ny melding
    skm list                     vis sakene
    skm show 2026-0001           vis én sak og hva neste trinn krever
    skm edit 2026-0001           rediger saken i redigeringsprogrammet ditt
    skm validate                 kontroller alle saker mot skjemaet
    skm history 2026-0001        vis sakens historikk (hvem gjorde hva, når)

Skoleinnstillinger (skolens navn, skoleeier, målform) står i `skole.yaml`.
Skoleåret, feriene, fristene og årshjulet står i `calendar.yaml`.
Skjemaene i `schemas/` er kopier som redigeringsprogrammet bruker; de oppdateres av skm.

Laget med skm {version}.
"""

GITLAB_CI = """\
# skm check på hver push: stopper ufullstendige planer og oversittede frister.
# Funnene nevner bare saksnummer, aldri elevens navn. Pek pip til der skoleeier har skm.
skm-check:
  image: python:3.12
  variables:
    GIT_DEPTH: "0"   # hele historikken: kontrollen endret-utenom-skm trenger den
  cache:             # skm sitt mellomlager: uendrede saker leses ikke på nytt (aldri fasit)
    key: skm-check
    paths:
      - .skm/cache/
  script:
    - pip install "skm=={version}"
    - skm check --format junit > skm-check.xml
  artifacts:
    when: always
    reports:
      junit: skm-check.xml
"""

GITHUB_CI = """\
# skm check på hver push: stopper ufullstendige planer og oversittede frister.
# Funnene nevner bare saksnummer, aldri elevens navn. Pek pip til der skoleeier har skm.
name: skm check
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - uses: actions/cache@v4   # skm sitt mellomlager: uendrede saker leses ikke på nytt (aldri fasit)
        with:
          path: .skm/cache
          key: skm-check-${{{{ github.sha }}}}
          restore-keys: skm-check-
      - run: pip install "skm=={version}"
      - run: skm check
"""

GITIGNORE = """\
# skm sin lokale tilstand: lås, mellomlager og utkast. Aldri kilden til sannheten.
.skm/
"""


def init_repository(target: Path, settings: Settings, author: Author) -> CaseRepo:
    """Create a case repository in ``target`` and make one commit."""
    for what, value in (("Skolens navn", settings.skole), ("Skoleeieren", settings.skoleeier)):
        problem = text_problem(value) if value else None
        if problem:
            raise UsageError(f"{what} {problem}.")
    target = target.resolve()
    planned = {
        SETTINGS_FILE: settings_document(settings).encode("utf-8"),
        CALENDAR_FILE: new_calendar_text(school_year_start_year(dates.today()), settings.skole).encode("utf-8"),
        ".gitignore": GITIGNORE.encode("utf-8"),
        ".gitlab-ci.yml": GITLAB_CI.format(version=__version__).encode("utf-8"),
        ".github/workflows/skm-check.yml": GITHUB_CI.format(version=__version__).encode("utf-8"),
        "README.md": STAFF_README.format(skole=settings.skole, version=__version__).encode("utf-8"),
        f"{CASES_DIR}/.gitkeep": b"",
    }
    for schema in sorted(schemas_dir().glob("*.schema.json")):
        planned[f"schemas/{schema.name}"] = schema.read_bytes()
    existing = [name for name in (*planned, CASES_DIR) if (target / name).exists()]
    if existing:
        raise RepositoryExistsError(
            f"{target} inneholder allerede {', '.join(sorted(existing))}; skm init endrer ikke noe som finnes.",
            hint="Velg en tom mappe, eller bruk saksarkivet som allerede er der.",
        )
    created_dir = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    git_created = False
    try:
        if not git_text(target, "rev-parse", "--show-toplevel", check=False).strip():
            from git import Repo  # heavy import: only here

            Repo.init(target, initial_branch="main").close()
            git_created = True
        for name, content in planned.items():
            path = target / name
            for parent in reversed(path.relative_to(target).parents[:-1]):
                if not (target / parent).exists():
                    created.append(target / parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, content)
            created.append(path)
        repo = CaseRepo(target)
        message = f"Saksarkiv opprettet\n\nSkm-Action: init\nSkm-Version: {__version__}\n"
        GitStore(repo).commit_new_files([target / name for name in planned], message, author)
    except BaseException:
        _undo(target, created, git_created, created_dir)
        raise
    return repo


def _undo(target: Path, created: list[Path], git_created: bool, created_dir: bool) -> None:
    """Remove what a failed init made, so a refused init changes nothing."""
    import shutil

    for path in reversed(created):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    shutil.rmtree(target / ".skm", ignore_errors=True)
    if git_created:
        shutil.rmtree(target / ".git", ignore_errors=True)
    if created_dir:
        try:
            target.rmdir()
        except OSError:
            pass
