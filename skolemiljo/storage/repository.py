"""The case repository: where it is, its settings, its case files.

A case repository is a folder with ``cases/`` and ``calendar.yaml`` at its root,
inside a git repository. School settings live in ``skole.yaml`` beside them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from skolemiljo.domain.casepaths import case_id_of
from skolemiljo.domain.model import CASE_ID, KATEGORI_PATTERN, KATEGORIER
from skolemiljo.domain.text import text_problem
from skolemiljo.errors import (
    CaseNotFoundError,
    Finding,
    InvalidCaseError,
    NotARepositoryError,
    RefusedError,
    UsageError,
)
from skolemiljo.storage import fastyaml, yamlio
from skolemiljo.storage.safefile import problem_of
from skolemiljo.domain.legal import cite

SETTINGS_FILE = "skole.yaml"
CALENDAR_FILE = "calendar.yaml"
CASES_DIR = "cases"
STATE_DIR = ".skm"
# Recovery journals in STATE_DIR: a commit in progress (storage.commits) and a sync moving the
# work tree (storage.worktree). Every command looks for them first (storage.transaction).
COMMIT_JOURNAL = "journal.json"
SYNC_JOURNAL = "sync.json"
MALFORMER = ("nb", "nn")
PDFA_PARTS = ("1b", "2b")


PACKAGE_FORMS = ("mappe", "zip")
SHIELDING_GROUND = f"{cite('skjerming')}"


@dataclass(frozen=True)
class ArchiveSettings:
    """The ``arkiv:`` section of ``skole.yaml``: how ``skm archive`` fills the Noark fields.

    Every value has a default that gives a valid ``arkivmelding``; the archivist sets the
    archive's own codes. ``configured`` says whether ``skole.yaml`` has the section at all
    (the check ``ikke-arkivert`` runs only for schools that deliver with ``skm archive``).
    """

    configured: bool = False
    system: str = "skm"  # arkivmelding/system: the sending system
    regel: str | None = None  # arkivmelding/regel: the archive's rule set for default values
    arkivdel: str = "ELEV"  # mappe/arkivdel
    klassifikasjonssystem: str = "K-kodar"  # klassifikasjon/klassifikasjonssystemID
    klasse: str = "B"  # klassifikasjon/klasseID (K-kodar B: opplærings- og elevforhold)
    klassetittel: str | None = "Opplærings- og elevforhold"
    administrativ_enhet: str | None = None  # None: the school's name
    skoleeier_enhet: str | None = None  # procedure C's responsible unit; None: skoleeier
    journalenhet: str | None = None  # None: left to the archive
    saksansvarlig: str | None = None  # None: left to the archive
    tilgangskode: str = "13"  # skjerming/tilgangsrestriksjon
    skjermingshjemmel: str = SHIELDING_GROUND
    frist: int = 5  # working days before ``ikke-arkivert`` reports a document not delivered
    pakke: str = "mappe"  # mappe (a folder) or zip
    sending: tuple[str, ...] | None = None  # the county's command; gets the package path
# Where the CI recipes that `skm init` writes install skm from (skole.yaml: skm_kilde, skm_indeks):
# a git URL pinned to a commit or a version tag, or an exact version from the school's own index.
# Never an unpinned public name: `skm` on the public index is somebody else's package.
DISTRIBUTION = "skolemiljo"
PINNED_GIT = re.compile(r"git\+https://[^\s@]+@(?:[0-9a-f]{40}|[0-9a-f]{64}|v?[0-9]+(?:\.[0-9]+)+)")
PINNED_VERSION = re.compile(rf"{DISTRIBUTION}==[0-9]+(?:\.[0-9]+)+")
INDEX_URL = re.compile(r"https://\S+")


@dataclass(frozen=True)
class Settings:
    """The school's settings from ``skole.yaml``."""

    skole: str
    skoleeier: str | None = None
    malform: str = "nb"
    pdfa: str = "2b"
    arkiv: ArchiveSettings = field(default_factory=ArchiveSettings)
    skm_kilde: str | None = None  # PINNED_GIT, or PINNED_VERSION together with skm_indeks
    skm_indeks: str | None = None  # the school's own package index (INDEX_URL)
    kategorier: tuple[str, ...] = ()  # the school's own categories, besides model.KATEGORIER

    @property
    def known_categories(self) -> tuple[str, ...]:
        """Every category a new report may have: skm's list and the school's own (skole.yaml)."""
        return tuple(dict.fromkeys((*KATEGORIER, *self.kategorier)))


@dataclass(frozen=True)
class CaseRepo:
    root: Path

    @property
    def cases_dir(self) -> Path:
        return self.root / CASES_DIR

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def drafts_dir(self) -> Path:
        return self.state_dir / "utkast"

    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def calendar_path(self) -> Path:
        return self.root / CALENDAR_FILE

    def rel(self, path: Path) -> str:
        """``cases/2026-0007.yaml``: a path as shown to users (a symlink's own name, not its target's)."""
        path = Path(path)
        try:
            return (path.parent.resolve() / path.name).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def case_path(self, case_id: str) -> Path:
        return self.cases_dir / f"{check_case_id(case_id)}.yaml"

    def existing_case_path(self, case_id: str) -> Path:
        """The path of an existing case file; a symlink, FIFO or folder in its place is refused.

        Every reader and writer of one case comes here first, so none of them follows a link
        out of ``cases/`` (a write through ``cases/X.yaml -> ../docs/x.yaml`` would commit
        ``docs/x.yaml``) or blocks on a FIFO.
        """
        path = self.case_path(case_id)
        if not os.path.lexists(path):
            raise CaseNotFoundError(
                f"Fant ingen sak med saksnummer {case_id} i {CASES_DIR}/.",
                hint="`skm list` viser sakene som finnes.",
            )
        problem = problem_of(path)
        if problem is not None:
            raise InvalidCaseError(
                f"Sak {case_id} kan ikke leses.", [Finding(f"{CASES_DIR}/{path.name}", 1, "yaml", problem)],
                hint=f"Legg selve saksfila i {CASES_DIR}/ i stedet (en vanlig fil, ikke en lenke), og commit den.",
            )
        return path

    def case_ids(self) -> list[str]:
        """Ids of every case file, sorted."""
        return [case_stem(rel) for _path, rel, _entry in self.case_entries()]  # case_entries: ids only

    def case_entries(self) -> list[tuple[str, str, os.DirEntry[str]]]:
        """``(path, rel, entry)`` of the files named like a case (``<id>.yaml``), by id."""
        return [(path, rel, entry) for path, rel, entry in self.case_file_entries()
                if case_id_of(rel) is not None]

    def case_file_entries(self) -> list[tuple[str, str, os.DirEntry[str]]]:
        """``(path, rel, entry)`` of every case file (``*.yaml``, and misnamed ``*.yml``), by name."""
        found = []
        try:
            with os.scandir(self.cases_dir) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith(".") or not (name.endswith(".yaml") or name.endswith(".yml")):
                        continue
                    # Every kind of entry: a symlink, FIFO or folder named like a case file is
                    # reported by the readers (safefile), never skipped in silence.
                    found.append((entry.path, f"{CASES_DIR}/{name}", entry))
        except FileNotFoundError:
            return []
        found.sort(key=lambda item: item[1])
        return found

    def case_files(self) -> list[Path]:
        """Every ``*.yaml`` in ``cases/`` of any kind (also misnamed ones, which checks report)."""
        if not self.cases_dir.is_dir():
            return []
        return sorted(p for p in self.cases_dir.iterdir() if p.suffix == ".yaml" and not p.name.startswith("."))

    def next_case_id(self, year: int) -> str:
        """The next free id of ``year`` (call under the write lock)."""
        prefix = f"{year:04d}-"
        highest = 0
        names = os.listdir(self.cases_dir) if self.cases_dir.is_dir() else []
        for name in names:
            # Cheap tests first: a county's archive has tens of thousands of files.
            if name.startswith(prefix) and name.endswith(".yaml"):
                number = name[len(prefix):-5]
                if number.isascii() and number.isdigit() and CASE_ID.fullmatch(name[:-5]):
                    highest = max(highest, int(number))
        return f"{year}-{highest + 1:04d}"

    def settings(self) -> Settings:
        return load_settings(self.settings_path)


def case_stem(rel: str) -> str:
    """``cases/2026-0007.yaml`` → ``2026-0007`` (string work: pathlib costs ~5 µs a file at 50,000 files)."""
    start = rel.rfind("/") + 1
    end = rel.rfind(".")
    return rel[start:end] if end > start else rel[start:]


def check_case_id(case_id: str) -> str:
    """Accept only ``YYYY-NNNN``: no paths, no ``..``."""
    if not isinstance(case_id, str) or not CASE_ID.fullmatch(case_id):
        raise UsageError(
            f"Ugyldig saksnummer «{case_id}». Et saksnummer er årstall og løpenummer, for eksempel 2026-0007."
        )
    return case_id


def is_case_repository(path: Path) -> bool:
    return (path / CASES_DIR).is_dir() and (path / CALENDAR_FILE).is_file()


def find_repository(explicit: Path | None = None, start: Path | None = None) -> CaseRepo:
    """The case repository named by ``-C`` or found by walking up from ``start``."""
    if explicit is not None:
        if not explicit.is_dir():
            raise NotARepositoryError(f"Mappen {explicit} finnes ikke.")
        if not is_case_repository(explicit):
            raise NotARepositoryError(
                f"{explicit} er ikke et saksarkiv (mangler {CASES_DIR}/ eller {CALENDAR_FILE}).",
                hint="Opprett et med `skm init MAPPE --skole NAVN`.",
            )
        return _checked(CaseRepo(explicit.resolve()))
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if is_case_repository(candidate):
            return _checked(CaseRepo(candidate))
    raise NotARepositoryError(
        "Du står ikke i et saksarkiv (fant ingen mappe med cases/ og calendar.yaml her eller over).",
        hint="Gå til saksarkivet, bruk `skm -C MAPPE …`, eller opprett et med `skm init MAPPE --skole NAVN`.",
    )


def _checked(repo: CaseRepo) -> CaseRepo:
    """Refuse a repository whose ``cases/`` is a symlink: its cases would live somewhere else."""
    if repo.cases_dir.is_symlink():
        raise RefusedError(
            f"{CASES_DIR}/ i {repo.root} er en symbolsk lenke; skm leser og skriver bare saker som ligger i "
            "saksarkivet selv. Ingenting er endret.",
            hint=f"Erstatt lenken med selve mappen (flytt sakene inn i {CASES_DIR}/ og commit dem).",
        )
    return repo


def load_settings(path: Path) -> Settings:
    """Read ``skole.yaml``; a missing file gives defaults, a broken one an error at the line of the field.

    The one-line settings (``skole``, ``skoleeier``, ``skm_kilde``, ``skm_indeks``, the texts of
    ``arkiv``) may hold no line break and no control character: they go into documents, the
    ``.ics``, the archive's XML, CI logs and the terminal.
    """
    if not path.is_file():
        return Settings(skole="(skolens navn er ikke satt)")
    text = path.read_text(encoding="utf-8")
    file = path.name
    parsed = fastyaml.parse(text)  # what the strict loader reads, or None; spares importing PyYAML
    try:
        data: Any = parsed[0] if parsed is not None else yamlio.load(text)
    except yamlio.YamlProblem as problem:
        raise InvalidCaseError("Skoleinnstillingene kan ikke leses.",
                               [Finding(file, problem.line, "yaml", problem.message)]) from None

    def invalid(key: str, message: str) -> InvalidCaseError:
        line = yamlio.line_for(yamlio.line_map(text), (key,))
        return InvalidCaseError("Skoleinnstillingene er ugyldige.", [Finding(file, line, "innstillinger", message)])

    if not isinstance(data, dict) or not isinstance(data.get("skole"), str):
        raise invalid("skole", "skole: mangler skolens navn")
    for key in ("skole", "skoleeier", "skm_kilde", "skm_indeks"):
        problem = text_problem(data[key]) if isinstance(data.get(key), str) else None
        if problem:
            raise invalid(key, f"{key}: {problem}")
    malform = data.get("malform", "nb")
    if malform not in MALFORMER:
        raise invalid("malform", "malform: må være nb eller nn")
    pdfa = str(data.get("pdfa", "2b"))
    if pdfa not in PDFA_PARTS:
        raise invalid("pdfa", "pdfa: må være 2b eller 1b")
    skoleeier = data.get("skoleeier")
    arkiv = _archive_settings(data.get("arkiv"), "arkiv" in data, text, file)
    source, index = _install_source(data, file)
    categories = _own_categories(data.get("kategorier"), invalid)
    return Settings(skole=data["skole"], skoleeier=skoleeier if isinstance(skoleeier, str) else None,
                    malform=malform, pdfa=pdfa, arkiv=arkiv, skm_kilde=source, skm_indeks=index,
                    kategorier=categories)


def _own_categories(value: Any, invalid: Any) -> tuple[str, ...]:
    """``kategorier:`` in skole.yaml: the school's own categories (small letters, digits, hyphen)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise invalid("kategorier", "kategorier: må være en liste, f.eks. [russetid, skolevei]")
    for item in value:
        if not isinstance(item, str) or not KATEGORI_PATTERN.fullmatch(item):
            raise invalid("kategorier", "kategorier: hver kategori skrives med små bokstaver, tall og bindestrek, "
                          "f.eks. skolevei")
    return tuple(dict.fromkeys(value))


_ARCHIVE_TEXTS = ("system", "arkivdel", "klassifikasjonssystem", "klasse", "tilgangskode", "skjermingshjemmel")
_ARCHIVE_OPTIONAL = ("regel", "klassetittel", "administrativ_enhet", "skoleeier_enhet", "journalenhet",
                     "saksansvarlig")


def _archive_settings(section: Any, present: bool, text: str, file: str) -> ArchiveSettings:
    """The ``arkiv:`` section, checked key by key; a problem names its line."""
    if section is None:
        return ArchiveSettings(configured=present)

    def invalid(key: str | None, message: str) -> InvalidCaseError:
        lines = yamlio.line_map(text)
        line = yamlio.line_for(lines, ("arkiv", key) if key else ("arkiv",))
        return InvalidCaseError("Skoleinnstillingene er ugyldige.",
                                [Finding(file, line, "innstillinger", message)])

    if not isinstance(section, dict):
        raise invalid(None, "arkiv: må være et sett med innstillinger (arkivdel, klasse, …)")
    known = {f.name for f in fields(ArchiveSettings)} - {"configured"}
    for key in section:
        if key not in known:
            raise invalid(str(key), f"arkiv.{key}: ukjent innstilling; kjente er {', '.join(sorted(known))}")
    values: dict[str, Any] = {"configured": True}
    for key in _ARCHIVE_TEXTS:
        if key in section:
            value = section[key]
            if not isinstance(value, str) or not value.strip():
                raise invalid(key, f"arkiv.{key}: må være en tekst (ikke tom)")
            if problem := text_problem(value):
                raise invalid(key, f"arkiv.{key}: {problem}")
            values[key] = value.strip()
    for key in _ARCHIVE_OPTIONAL:
        if key in section:
            value = section[key]
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise invalid(key, f"arkiv.{key}: må være en tekst eller null")
            if isinstance(value, str) and (problem := text_problem(value)):
                raise invalid(key, f"arkiv.{key}: {problem}")
            values[key] = value.strip() if isinstance(value, str) else None
    if "frist" in section:
        value = section["frist"]
        if type(value) is not int or value < 0:
            raise invalid("frist", "arkiv.frist: må være et helt antall arbeidsdager (0 eller mer)")
        values["frist"] = value
    if "pakke" in section:
        if section["pakke"] not in PACKAGE_FORMS:
            raise invalid("pakke", "arkiv.pakke: må være mappe eller zip")
        values["pakke"] = section["pakke"]
    if "sending" in section:
        value = section["sending"]
        if value is not None:
            if (not isinstance(value, list) or not value
                    or not all(isinstance(part, str) and part and "\0" not in part for part in value)):
                raise invalid("sending", "arkiv.sending: må være en liste med programmet og argumentene, "
                                         "for eksempel [fiks-arkiv-send, \"{pakke}\"]")
            value = tuple(value)
        values["sending"] = value
    return ArchiveSettings(**values)


def check_install_source(settings: Settings) -> None:
    """``skm init --skm-kilde``: the same rule as ``skole.yaml`` (a usage error here)."""
    try:
        _install_source({"skm_kilde": settings.skm_kilde, "skm_indeks": settings.skm_indeks}, SETTINGS_FILE)
    except InvalidCaseError as error:
        raise UsageError(error.findings[0].message.replace("skm_kilde:", "--skm-kilde:", 1)
                         .replace("skm_indeks:", "--skm-indeks:", 1)) from None


def _install_source(data: dict[str, Any], file: str) -> tuple[str | None, str | None]:
    """``skm_kilde``/``skm_indeks``: pinned, or an error (the CI recipes refuse the same values)."""
    source, index = data.get("skm_kilde"), data.get("skm_indeks")
    problems = []
    if source is not None and not (isinstance(source, str) and (PINNED_GIT.fullmatch(source)
                                                                  or PINNED_VERSION.fullmatch(source))):
        problems.append("skm_kilde: må være en git-URL med fast versjon (git+https://…/skm.git@v0.1.0 eller "
                        f"…@<commit>) eller {DISTRIBUTION}==VERSJON sammen med skm_indeks")
    elif isinstance(source, str) and PINNED_VERSION.fullmatch(source) and index is None:
        problems.append(f"skm_indeks: mangler; {DISTRIBUTION}==VERSJON installeres bare fra skolens egen pakkeindeks")
    if index is not None and not (isinstance(index, str) and INDEX_URL.fullmatch(index)):
        problems.append("skm_indeks: må være en https-adresse til skolens egen pakkeindeks")
    if problems:
        raise InvalidCaseError("Skoleinnstillingene er ugyldige.",
                               [Finding(file, 1, "innstillinger", problem) for problem in problems])
    return source, index


def settings_document(settings: Settings) -> str:
    """``skole.yaml`` as ``skm init`` writes it."""
    header = (
        "# Skolens innstillinger for skm.\n"
        "# skole: skolens navn (står på alle dokumenter)\n"
        f"# skoleeier: kommunen eller fylkeskommunen som varsles etter {cite('aktivitetsplikt')} og {cite('skjerpa')}\n"
        "# malform: nb (bokmål) eller nn (nynorsk) for dokumenter\n"
        "# pdfa: 2b (standard) eller 1b for arkiv som bare tar imot PDF/A-1\n"
        "# arkiv: levering til Noark-arkivet med `skm archive` (arkivdel, klasse, skjerming, sending);\n"
        "#   se README-avsnittet «skm archive» for hver innstilling og standardverdiene\n"
        "# skm_kilde: hvor CI installerer skm fra, med fast versjon: en git-URL som\n"
        "#   git+https://git.kommune.no/verktoy/skm.git@v0.1.0 (eller @<commit>), eller\n"
        f"#   {DISTRIBUTION}==0.1.0 sammen med skm_indeks: https://… (skoleeiers egen pakkeindeks).\n"
        "#   Aldri bare «skm»: det navnet tilhører en annen pakke på den offentlige pakkeindeksen."
    )
    data = {"skole": settings.skole, "skoleeier": settings.skoleeier, "malform": settings.malform,
            "pdfa": settings.pdfa, "skm_kilde": settings.skm_kilde, "skm_indeks": settings.skm_indeks}
    return yamlio.dump(data, header)
