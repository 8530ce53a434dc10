"""``skm init``: a new case repository for one school."""

from __future__ import annotations

from pathlib import Path

from skolemiljo import __version__
from skolemiljo.domain import dates
from skolemiljo.domain.author import Author
from skolemiljo.domain.schoolyear import school_year_start_year
from skolemiljo.domain.text import text_problem
from skolemiljo.errors import FileProblem, RepositoryExistsError, UsageError
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
from skolemiljo.domain.legal import fill

STAFF_README = """\
# Saksarkiv for kap. 12-saker – {skole}

Her ligger skolens saker etter opplæringslova kapittel 12, én fil per sak i `cases/`.
Hver endring er en git-commit: historikken er dokumentasjonen loven krever ([hjemmel:dokumentasjon]).

**Personvern:** sakene er taushetsbelagte ([hjemmel:unntatt]). Skriv aldri elevens navn
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

# The install step of both CI recipes (POSIX sh): skm comes from where skole.yaml says (skm_kilde,
# skm_indeks), pinned, as `skm` itself checks them (repository.PINNED_GIT / PINNED_VERSION); with no
# source set, or one without a fixed version, the job stops before anything is installed.
INSTALL_SKM = r"""verdi() { sed -n "s/^$1:[[:space:]]*//p" skole.yaml | head -n 1 | sed "s/[[:space:]]*\$//; s/^'\(.*\)'\$/\1/; s/^\"\(.*\)\"\$/\1/"; }
kilde=$(verdi skm_kilde); indeks=$(verdi skm_indeks)
if [ -z "$kilde" ] || [ "$kilde" = null ]; then
  echo "skm_kilde er ikke satt i skole.yaml. Skriv inn hvor skoleeier har skm, med fast versjon, for eksempel" >&2
  echo "  skm_kilde: git+https://git.kommune.no/verktoy/skm.git@v0.1.0" >&2
  echo "(eller skm_kilde: skolemiljo==0.1.0 og skm_indeks: https://... for skoleeiers egen pakkeindeks)." >&2
  echo "CI installerer aldri skm fra et navn uten fast versjon; ingenting er installert." >&2
  exit 1
elif printf '%s\n' "$kilde" | grep -Eqx 'git\+https://[^[:space:]@]+@([0-9a-f]{40}|[0-9a-f]{64}|v?[0-9]+(\.[0-9]+)+)'; then
  pip install "skolemiljo @ $kilde"
elif printf '%s\n' "$kilde" | grep -Eqx 'skolemiljo==[0-9]+(\.[0-9]+)+' && printf '%s\n' "$indeks" | grep -Eqx 'https://[^[:space:]]+'; then
  pip install --index-url "$indeks" "$kilde"
else
  echo "skm_kilde i skole.yaml har ikke fast versjon (git-URL med @v0.1.0 eller @<commit>, eller" >&2
  echo "skolemiljo==VERSJON sammen med skm_indeks); ingenting er installert." >&2
  exit 1
fi"""


def _indented(text: str, spaces: int) -> str:
    return "\n".join((" " * spaces + line) if line else line for line in text.splitlines())


GITLAB_CI = """\
# skm check på hver push: stopper ufullstendige planer og oversittede frister.
# Funnene nevner bare saksnummer, aldri elevens navn. skm installeres fra kilden i skole.yaml
# (skm_kilde), med fast versjon.
skm-check:
  image: python:3.12
  variables:
    GIT_DEPTH: "0"   # hele historikken: kontrollen endret-utenom-skm trenger den
  cache:             # skm sitt mellomlager: uendrede saker leses ikke på nytt (aldri fasit)
    key: skm-check
    paths:
      - .skm/cache/
  script:
    - |
""" + _indented(INSTALL_SKM, 6) + """
    - skm check --format junit > skm-check.xml
  artifacts:
    when: always
    reports:
      junit: skm-check.xml
"""

GITHUB_CI = """\
# skm check på hver push: stopper ufullstendige planer og oversittede frister.
# Funnene nevner bare saksnummer, aldri elevens navn. skm installeres fra kilden i skole.yaml
# (skm_kilde), med fast versjon.
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
          key: skm-check-${{ github.sha }}
          restore-keys: skm-check-
      - name: Installer skm fra kilden i skole.yaml
        run: |
""" + _indented(INSTALL_SKM, 10) + """
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
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} finnes og er en fil, ikke en mappe; skm init trenger en mappe som er tom "
                         "eller ikke finnes.", hint="Velg et annet navn på saksarkivet.")
    planned = {
        SETTINGS_FILE: settings_document(settings).encode("utf-8"),
        CALENDAR_FILE: new_calendar_text(school_year_start_year(dates.today()), settings.skole).encode("utf-8"),
        ".gitignore": GITIGNORE.encode("utf-8"),
        ".gitlab-ci.yml": GITLAB_CI.encode("utf-8"),
        ".github/workflows/skm-check.yml": GITHUB_CI.encode("utf-8"),
        "README.md": fill(STAFF_README).format(skole=settings.skole, version=__version__).encode("utf-8"),
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
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FileProblem.from_os_error(error, "lage mappen", target,
                                        hint="Velg en mappe du har skrivetilgang til.") from None
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
