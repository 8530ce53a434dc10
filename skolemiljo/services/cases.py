"""Case operations: the plain Python API behind ``skm``.

Every function takes a ``CaseRepo`` and returns data; nothing here prints or
knows about Typer. Each change is one commit made under the write lock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skolemiljo.domain import dates, model
from skolemiljo.errors import Finding, InvalidCaseError, RefusedError, StaleCaseError
from skolemiljo.storage import yamlio
from skolemiljo.storage.repository import CaseRepo

if TYPE_CHECKING:  # git and subprocess: only for the commands that write
    from skolemiljo.domain.author import Author
    from skolemiljo.storage.commits import GitStore
from skolemiljo.storage.casefiles import case_document, case_version, read_case
from skolemiljo.storage.transaction import writing


def log_entry(author: Author, text: str, status: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"dato": dates.today().isoformat(), "av": author.name, "hendelse": text}
    if status:
        entry["status"] = status
    return entry


def save_case(store: GitStore, repo: CaseRepo, data: dict[str, Any], action: str, action_id: str,
              author: Author, *, validate: bool = True, trailers: dict[str, str] | None = None) -> str:
    """Validate, write and commit one case; a refused save changes nothing."""
    case_id = data["id"]
    path = repo.case_path(case_id)
    text = case_document(data)
    if validate:
        from skolemiljo.schema.validation import validate_record

        findings = validate_record(yamlio.load(text), text, repo.rel(path))
        if findings:
            raise InvalidCaseError(f"Endringen ville gjort sak {case_id} ugyldig; ingenting er lagret.", findings)
    from skolemiljo.storage.commits import commit_message

    return store.commit_file(path, text.encode("utf-8"), commit_message(case_id, action, action_id, trailers),
                             author)


@dataclass
class Commit:
    """What ``update_case``'s change function may return to name its commit."""

    action: str
    trailers: dict[str, str] = field(default_factory=dict)


def update_case(repo: CaseRepo, case_id: str, author: Author, action: str, action_id: str,
                change: Any, *, trailers: dict[str, str] | None = None,
                expected_version: str | None = None) -> dict[str, Any]:
    """Read a case under the lock, apply ``change(data)``, save and commit it.

    ``change`` may raise ``SkmError`` to refuse (then nothing is written), and may
    return a ``Commit`` to name the commit from what it found in the case. With
    ``expected_version`` (``case_version`` of the file a form was made from), a case
    that has changed since is refused: nobody's change is silently overwritten.
    """
    with writing(repo) as store:
        case = read_case(repo, case_id)
        store.ensure_clean(case.path, case_id)
        if expected_version is not None and case_version(case.path.read_bytes()) != expected_version:
            raise StaleCaseError(
                f"Sak {case_id} er endret etter at skjemaet ble åpnet (av noen andre eller i et annet vindu); "
                "ingenting er lagret.",
                hint="Se over det som er endret, og lagre på nytt.",
            )
        data = case.data
        named = change(data)
        if isinstance(named, Commit):
            action, trailers = named.action, {**(trailers or {}), **named.trailers}
        save_case(store, repo, data, action, action_id, author, trailers=trailers)
        return data


@dataclass
class NewCase:
    sakstype: str
    elev_navn: str
    klasse: str
    under_18: bool
    meldt_av: str
    mottatt_av: str
    mottatt: str
    beskrivelse: str
    kategorier: list[str] = field(default_factory=list)
    alvorlig: bool = False


def check_report(report: NewCase) -> None:
    """Refuse a report that cannot be registered (the command line and the web alike)."""
    from skolemiljo.errors import UsageError

    for value, option in ((report.elev_navn, "--elev"), (report.klasse, "--klasse"),
                          (report.mottatt_av, "--mottatt-av"), (report.beskrivelse, "--beskrivelse")):
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"{option} kan ikke være tom.")
    if report.sakstype not in model.SAKSTYPER:
        raise UsageError(f"Ukjent sakstype «{report.sakstype}». Velg en av: {', '.join(model.SAKSTYPER)}.")
    if report.meldt_av not in model.MELDT_AV:
        raise UsageError(f"Ukjent verdi for --meldt-av «{report.meldt_av}». Velg en av: {', '.join(model.MELDT_AV)}.")
    received = dates.parse_date(report.mottatt, "--mottatt")
    if received > dates.today():
        raise UsageError(f"--mottatt {received.isoformat()} er fram i tid.")
    for item in report.kategorier:
        if not model.KATEGORI_PATTERN.fullmatch(item):
            raise UsageError(f"Ugyldig kategori «{item}»: bruk små bokstaver og bindestrek, f.eks. digital-mobbing.")


def new_case(repo: CaseRepo, report: NewCase, author: Author) -> str:
    """Register a melding; returns the new case id."""
    check_report(report)
    year = int(report.mottatt[:4])
    with writing(repo) as store:
        case_id = repo.next_case_id(year)
        path = repo.case_path(case_id)
        store.ensure_clean(path, case_id)
        data = model.new_record(
            case_id=case_id, sakstype=report.sakstype, alvorlig=report.alvorlig,
            kategorier=report.kategorier, elev_navn=report.elev_navn, klasse=report.klasse,
            under_18=report.under_18, mottatt=report.mottatt, mottatt_av=report.mottatt_av,
            meldt_av=report.meldt_av, beskrivelse=report.beskrivelse,
        )
        data["logg"].append(log_entry(author, "Melding registrert."))
        # The record is valid by construction (tests prove it against the schema);
        # skipping jsonschema here keeps new-case fast.
        save_case(store, repo, data, "melding registrert", "new-case", author, validate=False)
    return case_id


DRAFT_MODELINE = "# yaml-language-server: $schema=../../schemas/case.schema.json"


@dataclass
class EditResult:
    outcome: str  # "unchanged" | "saved" | "invalid"
    findings: list[Finding] = field(default_factory=list)
    draft: Path | None = None
    kept_comments: bool = False


def _digest(raw: bytes) -> str:
    return case_version(raw)


def draft_path(repo: CaseRepo, case_id: str) -> Path:
    return repo.drafts_dir / f"{case_id}.yaml"


def start_edit(repo: CaseRepo, case_id: str) -> tuple[Path, bool]:
    """Prepare the draft the editor opens; ``(path, resumed)``.

    An earlier draft that was not saved is resumed, so typed text is never lost.
    """
    path = repo.existing_case_path(case_id)
    # Refuse before the editor opens: typing into a case skm will not save loses the user's time.
    from skolemiljo.storage.commits import GitStore

    GitStore(repo).ensure_clean(path, case_id)
    draft = draft_path(repo, case_id)
    base = draft.with_suffix(".base")
    if draft.is_file() and base.is_file():
        return draft, True
    raw = path.read_bytes()
    text = raw.decode("utf-8", "replace")
    if text.startswith(model.MODELINE):
        text = DRAFT_MODELINE + text[len(model.MODELINE):]
    repo.drafts_dir.mkdir(parents=True, exist_ok=True)
    from skolemiljo.storage.atomic import write_atomic

    write_atomic(draft, text.encode("utf-8"))
    write_atomic(base, _digest(raw).encode())
    return draft, False


def _has_comments(text: str) -> bool:
    """True when ``text`` has a comment other than the modeline, also at the end of a line.

    A ``#`` is a comment when it lies outside every scalar the YAML scanner found
    (``'a # b'`` and block text keep theirs). Call only on text that parses.
    """
    import yaml

    spans = [(token.start_mark.index, token.end_mark.index)
             for token in yaml.scan(text, Loader=yaml.SafeLoader) if isinstance(token, yaml.ScalarToken)]
    for match in re.finditer("#", text):
        at = match.start()
        if any(start <= at < end for start, end in spans):
            continue
        end = text.find("\n", at)
        if "yaml-language-server" not in (text[at:] if end < 0 else text[at:end]):
            return True
    return False


def finish_edit(repo: CaseRepo, case_id: str, author: Author) -> EditResult:
    """Validate the draft; commit it when valid. The draft stays when it is not."""
    draft = draft_path(repo, case_id)
    base_file = draft.with_suffix(".base")
    from skolemiljo.schema.validation import validate_bytes

    raw = draft.read_bytes()
    data, findings = validate_bytes(raw, repo.rel(draft))
    if data is not None and isinstance(data, dict) and data.get("id") != case_id:
        line = yamlio.line_for(yamlio.line_map(raw.decode("utf-8")), ("id",))
        findings.append(Finding(repo.rel(draft), line, "schema", f"id: kan ikke endres (saken er {case_id})"))
        findings.sort(key=lambda f: (f.line, f.message))
    if findings:
        return EditResult("invalid", findings, draft)
    text = raw.decode("utf-8")
    kept = _has_comments(text)
    with writing(repo) as store:
        # Not read_case: `skm edit` is how a user repairs a case file that no longer parses.
        path = repo.existing_case_path(case_id)
        store.ensure_clean(path, case_id)
        current = path.read_bytes()
        try:
            old_data = yamlio.load_bytes(current)
        except yamlio.YamlProblem:
            old_data = None
        if base_file.is_file() and base_file.read_text().strip() != _digest(current):
            raise RefusedError(
                f"Sak {case_id} er endret av noen andre mens du redigerte; endringene dine er ikke lagret.",
                hint=f"Utkastet ditt ligger i {repo.rel(draft)}. Flytt det vekk, kjør `skm edit {case_id}` "
                "på nytt og før inn endringene dine.",
            )
        new_text = case_document(data)
        if new_text.encode("utf-8") == current:
            outcome = "unchanged"
        else:
            old_status = old_data.get("status") if isinstance(old_data, dict) else None
            new_status = data.get("status")
            action, trailers = "redigert", {}
            if isinstance(old_status, str) and old_status != new_status:
                action = f"redigert, {old_status} → {new_status}"
                trailers = {"Skm-Status": f"{old_status} → {new_status}"}
            save_case(store, repo, data, action, "edit", author, validate=False, trailers=trailers)
            outcome = "saved"
        base_file.unlink(missing_ok=True)
        if kept:
            keep = draft.with_name(f"{case_id}-med-kommentarer.yaml")
            draft.replace(keep)
            return EditResult(outcome, [], keep, kept_comments=True)
        draft.unlink(missing_ok=True)
        return EditResult(outcome)
