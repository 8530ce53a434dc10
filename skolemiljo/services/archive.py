"""``skm archive``: deliver a case's documents to the Noark archive as KS Fiks Arkiv packages,
record what was delivered, and record the archive's receipt.

The flow of one case:

1. read the case (it must be valid and committed) and its history;
2. find the document versions not delivered before (``pending_documents``): the meldingsskjema as
   it is now, every version of the aktivitetsplan, and the saksdokumentasjon of a closed case;
3. make each one as PDF/A from the commit it belongs to, check that the file is archive-grade, and
   write one package per version: ``<id>-levering-<n>`` with ``arkivmelding.xml`` and the PDF;
4. under the write lock: hand each package to the county's sending command (``skole.yaml``
   ``arkiv.sending``, approved on this machine), then record every package that was handed over in
   ``arkiv.leveranser``, in one commit. A package whose sending failed, and every one after it,
   is not recorded: the next run delivers it again.

Without a sending command the package in the output folder is the handover (the archivist picks it
up), and it is recorded as soon as it is written.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from skolemiljo.domain import archiving, dates
from skolemiljo.domain.author import Author
from skolemiljo.domain.text import for_terminal
from skolemiljo.errors import (
    ArchiveGradeError,
    InvalidCaseError,
    ProgramError,
    RefusedError,
    SkmError,
    UsageError,
)
from skolemiljo.storage.repository import CaseRepo, Settings, check_case_id
from skolemiljo.domain.legal import cite

PACKAGE_DIR = "arkiv"  # under .skm/: the default output folder, never in git
SEND_TIMEOUT = 600.0  # seconds the county's sending command may take per package
APPROVAL_KEY = "skm.arkivsending"  # local git config: the sending command approved on this machine
PACKAGE_PLACEHOLDER = "{pakke}"


@dataclass(frozen=True)
class PendingDocument:
    """A document version that has not been delivered: made from ``commit`` (``index`` in the history)."""

    document: str
    version: int
    index: int
    commit: str
    when: datetime
    author: str
    content_hash: str


@dataclass(frozen=True)
class Package:
    """One package: one journal entry with one document."""

    number: int
    pending: PendingDocument
    path: Path
    file_name: str
    checksum: str
    size: int


@dataclass
class ArchiveResult:
    """What ``archive_case`` did for one case."""

    case_id: str
    pending: list[PendingDocument] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)  # built
    recorded: list[Package] = field(default_factory=list)  # handed over and recorded
    commit: str | None = None
    sent: bool = False  # handed to a sending command (not just written)
    error: SkmError | None = None


# ---------------------------------------------------------------- what is not delivered


def _parse(raw: bytes | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    from skolemiljo.storage import yamlio
    from skolemiljo.storage.casefiles import parse_case_text

    try:
        data = parse_case_text(yamlio.decode(raw))
    except yamlio.YamlProblem:
        return None
    return data if isinstance(data, dict) else None


def pending_documents(versions: list[Any], snapshots: list[dict[str, Any] | None],
                      current: dict[str, Any]) -> list[PendingDocument]:
    """The document versions of the history that ``current``'s ``arkiv.leveranser`` lacks, oldest first.

    ``versions`` are the committed versions of the case file (``render.versions.CaseVersion``),
    ``snapshots`` their parsed data. The meldingsskjema and the saksdokumentasjon are delivered as
    they are now (made from the first commit that shows the current content); the aktivitetsplan in
    every version, numbered as the rendered documents number them.
    """
    found: list[PendingDocument] = []

    def pending(document: str, version: int, index: int, content: str) -> PendingDocument:
        entry = versions[index]
        return PendingDocument(document, version, index, entry.commit, entry.when, entry.author, content)

    for document in ("meldingsskjema", "saksdokumentasjon"):
        now = archiving.content_hash(document, current)
        if now is None:
            continue
        latest = archiving.latest_delivery(current, document)
        if latest is not None and latest[1].get("innholdshash") == now:
            continue
        index = len(snapshots) - 1
        while index > 0 and snapshots[index - 1] is not None \
                and archiving.content_hash(document, snapshots[index - 1]) == now:
            index -= 1
        version = len(archiving.delivered(current, document)) + 1
        found.append(pending(document, version, index, now))
    done = {(record.get("versjon"), record.get("innholdshash"))
            for _index, record in archiving.delivered(current, "aktivitetsplan")}
    last: str | None = None
    number = 0
    for index, snapshot in enumerate(snapshots):
        key = archiving.content_hash("aktivitetsplan", snapshot) if snapshot is not None else None
        if key is None or key == last:
            continue
        last = key
        number += 1
        if (number, key) not in done:
            found.append(pending("aktivitetsplan", number, index, key))
    order = {document: position for position, document in enumerate(archiving.DOCUMENTS)}
    found.sort(key=lambda item: (item.index, order[item.document], item.version))
    return found


# ---------------------------------------------------------------- the sending command


def send_command(settings: Settings) -> tuple[str, ...] | None:
    return settings.arkiv.sending


def approved_command(repo: CaseRepo) -> tuple[str, ...] | None:
    """The sending command approved on this machine (local git config: never from ``sync``)."""
    from skolemiljo.storage.git import git_text

    value = git_text(repo.root, "config", "--local", "--get", APPROVAL_KEY, check=False).strip()
    if not value:
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return tuple(parsed) if isinstance(parsed, list) and all(isinstance(p, str) for p in parsed) else None


def shown_command(command: tuple[str, ...]) -> str:
    """The command as the user checks it: each argument quoted, control characters visible."""
    import shlex

    return for_terminal(" ".join(shlex.quote(part) for part in command))


def approve_command(repo: CaseRepo) -> tuple[str, ...]:
    """Approve the sending command ``skole.yaml`` names, on this machine only."""
    from skolemiljo.storage.git import git_text

    command = send_command(repo.settings())
    if command is None:
        raise UsageError("skole.yaml har ingen sendekommando (arkiv.sending); det er ingenting å godkjenne.")
    git_text(repo.root, "config", "--local", APPROVAL_KEY, json.dumps(list(command), ensure_ascii=False))
    return command


def check_sending(repo: CaseRepo) -> None:
    """Refuse at once when ``skole.yaml`` names a sending command this machine has not approved."""
    command = send_command(repo.settings())
    if command is not None:
        _require_approval(repo, command)


def _require_approval(repo: CaseRepo, command: tuple[str, ...]) -> None:
    if approved_command(repo) != command:
        raise RefusedError(
            f"skole.yaml ber skm kjøre sendekommandoen «{shown_command(command)}», men den er ikke godkjent "
            "på denne maskinen; ingenting er levert.",
            hint="skole.yaml kommer fra det sentrale saksarkivet og kan endres av andre. Kontroller kommandoen, "
            "og godkjenn den med `skm archive --godkjenn-sending`.",
        )


def _argv(command: tuple[str, ...], package: Path) -> list[str]:
    path = str(package.resolve())
    if any(PACKAGE_PLACEHOLDER in part for part in command):
        return [part.replace(PACKAGE_PLACEHOLDER, path) for part in command]
    return [*command, path]


# ---------------------------------------------------------------- building packages


def package_name(case_id: str, number: int) -> str:
    """``2026-0007-levering-003``: the case id and the delivery number, never a name."""
    return f"{check_case_id(case_id)}-levering-{number:03d}"


def file_name(case_id: str, pending: PendingDocument) -> str:
    return f"{case_id}-{pending.document}-versjon-{pending.version}.pdf"


def _document_pdf(repo: CaseRepo, source: Any, pending: PendingDocument, snapshot: dict[str, Any],
                  current: dict[str, Any], settings: Settings) -> bytes:
    from skolemiljo.render.api import produce_from, source_at

    data = copy.deepcopy(snapshot)
    data["arkiv"] = copy.deepcopy(current.get("arkiv"))  # the archive's case number, once known
    return produce_from(repo, source_at(source, pending.index, data), pending.document, "pdf", settings.malform,
                        settings)


def _check_grade(case_id: str, pending: PendingDocument, pdf: bytes, settings: Settings) -> None:
    from skolemiljo.archive.pdfa import problems

    found = problems(pdf, settings.pdfa)
    if found:
        raise ArchiveGradeError(
            f"{pending.document} versjon {pending.version} i sak {case_id} er ikke arkivklar PDF/A: "
            f"{'; '.join(found)}. Ingenting er levert.",
            hint="Lag dokumentet med skm sine egne maler, eller rett skolens maler i templates/ "
            "(`skm render` viser resultatet).",
        )


def _build(repo: CaseRepo, case_id: str, source: Any, snapshots: list[dict[str, Any] | None],
           current: dict[str, Any], pending: list[PendingDocument], settings: Settings, author: Author,
           out_dir: Path, as_zip: bool, today: date) -> list[Package]:
    from skolemiljo.archive import message, noark
    from skolemiljo.render import i18n
    from skolemiljo.storage.packages import write_package

    texts = i18n.text(settings.malform)
    number = archiving.next_delivery_number(current)
    built = []
    for item in pending:
        snapshot = snapshots[item.index]
        assert snapshot is not None
        pdf = _document_pdf(repo, source, item, snapshot, current, settings)
        _check_grade(case_id, item, pdf, settings)
        name = file_name(case_id, item)
        checksum = hashlib.sha256(pdf).hexdigest()
        version = noark.DocumentVersion(item.document, item.version, item.commit, item.when, item.author,
                                        texts[f"{item.document}_tittel"])
        file = message.FileObject(name, name, settings.pdfa, checksum, len(pdf), item.when)
        xml = message.to_xml(noark.archive_message(case_id, version, current, settings, file,
                                                   delivered_by=author.name, today=today))
        path = write_package(out_dir, package_name(case_id, number), {message.FILE_NAME: xml, name: pdf},
                             as_zip=as_zip, date_time=(today.year, today.month, today.day, 0, 0, 0))
        built.append(Package(number, item, path, name, checksum, len(pdf)))
        number += 1
    return built


# ---------------------------------------------------------------- one case


def _record(package: Package, today: date) -> dict[str, Any]:
    item = package.pending
    return {"nummer": package.number, "dato": today.isoformat(), "dokument": item.document, "versjon": item.version,
            "commit": item.commit, "sjekksum": package.checksum, "innholdshash": item.content_hash,
            "fil": package.file_name}


def _numbers(packages: list[Package]) -> str:
    first, last = packages[0].number, packages[-1].number
    return f"levering {first}" if first == last else f"levering {first}–{last}"


def _unresolved_failure(data: dict[str, Any]) -> bool:
    """A delivery the archive refused that no later delivery of the same version replaced."""
    records = archiving.deliveries(data)
    for position, record in enumerate(records):
        if archiving.is_failed(record) and not any(
                later.get("dokument") == record.get("dokument") and later.get("versjon") == record.get("versjon")
                and not archiving.is_failed(later) for later in records[position + 1:]):
            return True
    return False


def default_out_dir(repo: CaseRepo) -> Path:
    return repo.state_dir / PACKAGE_DIR


def archive_case(repo: CaseRepo, case_id: str, author: Author, out_dir: Path | None = None, *,
                 as_zip: bool | None = None, dry_run: bool = False, today: date | None = None) -> ArchiveResult:
    """Deliver what is new or changed in one case; see the module docstring."""
    from skolemiljo.render.api import load_source
    from skolemiljo.schema.validation import validate_record
    from skolemiljo.storage.casefiles import read_case
    from skolemiljo.storage.commits import GitStore

    check_case_id(case_id)
    settings = repo.settings()
    today = today or dates.today()
    command = send_command(settings)
    if command is not None and not dry_run:
        _require_approval(repo, command)
    zipped = settings.arkiv.pakke == "zip" if as_zip is None else as_zip
    out_dir = out_dir if out_dir is not None else default_out_dir(repo)

    case = read_case(repo, case_id)
    GitStore(repo).ensure_clean(case.path, case_id)
    findings = validate_record(case.data, case.text, repo.rel(case.path))
    if findings:
        raise InvalidCaseError(f"Sak {case_id} har feil og leveres ikke til arkivet før de er rettet.", findings,
                               hint=f"Rett saken med `skm edit {case_id}`.")
    result = ArchiveResult(case_id)
    current = case.data
    if archiving.up_to_date(current) and not _unresolved_failure(current):
        return result
    source = load_source(repo, case_id)
    if not source.versions or not source.committed:
        raise RefusedError(f"Sak {case_id} er ikke ført i historikken (ikke committet); ingenting er levert.")
    snapshots = [_parse(version.raw) for version in source.versions]
    result.pending = pending_documents(list(source.versions), snapshots, current)
    if dry_run or not result.pending:
        return result
    from skolemiljo.archive.noark import responsible_unit

    if responsible_unit(current, settings) is None:
        raise RefusedError(
            f"Sak {case_id} gjelder en i skolens ledelse (prosedyre C, {cite('skjerpa')}): skoleeier er ansvarlig enhet i "
            "arkivet, men skole.yaml sier ikke hvem skoleeier er; ingenting er levert.",
            hint="Sett skoleeier (eller arkiv.skoleeier_enhet) i skole.yaml.",
        )
    from skolemiljo.render.pdf import load_weasyprint

    load_weasyprint()
    result.packages = _build(repo, case_id, source, snapshots, current, result.pending, settings, author, out_dir,
                             zipped, today)
    _hand_over(repo, case_id, case.text, result, command, author, today)
    return result


def _hand_over(repo: CaseRepo, case_id: str, text_before: str, result: ArchiveResult,
               command: tuple[str, ...] | None, author: Author, today: date) -> None:
    """Send (when a command is set) and record, under the write lock, in one commit."""
    from skolemiljo.services.cases import save_case
    from skolemiljo.storage.casefiles import read_case
    from skolemiljo.storage.programs import run_program
    from skolemiljo.storage.transaction import writing

    with writing(repo) as store:
        case = read_case(repo, case_id)
        store.ensure_clean(case.path, case_id)
        if case.text != text_before:
            raise RefusedError(f"Sak {case_id} ble endret mens arkivpakkene ble laget; ingenting er levert.",
                               hint=f"Kjør `skm archive {case_id}` på nytt.")
        failure: SkmError | None = None
        handed: list[Package] = []
        for package in result.packages:
            if command is not None:
                env = {"SKM_SAK": case_id, "SKM_LEVERING": str(package.number),
                       "SKM_ARKIVPAKKE": str(package.path.resolve())}
                try:
                    outcome = run_program(_argv(command, package.path), cwd=repo.root, timeout=SEND_TIMEOUT,
                                          extra_env=env)
                except ProgramError as error:
                    failure = error
                    break
                if outcome.returncode != 0:
                    failure = ProgramError(f"Sendekommandoen avsluttet med kode {outcome.returncode} for levering "
                                           f"{package.number}.")
                    break
            handed.append(package)
        if handed:
            data = case.data
            arkiv = data.get("arkiv") if isinstance(data.get("arkiv"), dict) else {"saksnummer": None}
            records = arkiv.get("leveranser") if isinstance(arkiv.get("leveranser"), list) else []
            records.extend(_record(package, today) for package in handed)
            arkiv["leveranser"] = records
            data["arkiv"] = arkiv
            result.commit = save_case(store, repo, data, f"levert til arkivet ({_numbers(handed)})", "archive",
                                      author)
            result.recorded = handed
            result.sent = command is not None
        if failure is not None:
            left = [package for package in result.packages if package not in handed]
            kept = f" {_numbers(handed).capitalize()} er registrert som levert." if handed else ""
            raise ProgramError(
                f"{failure.message} {_numbers(left).capitalize()} i sak {case_id} er ikke registrert som levert."
                f"{kept}",
                hint=(failure.hint + " " if failure.hint else "") + "Pakkene ligger i "
                f"{left[0].path.parent}; neste `skm archive {case_id}` leverer dem på nytt.",
            )


# ---------------------------------------------------------------- many cases


def archive_all(repo: CaseRepo, author: Author, out_dir: Path | None = None, *, status: str | None = None,
                as_zip: bool | None = None, dry_run: bool = False, today: date | None = None,
                progress: Callable[[ArchiveResult], None] | None = None) -> list[ArchiveResult]:
    """``archive_case`` for every case (of ``status``); one case's error does not stop the others."""
    from skolemiljo.render.api import select_cases

    settings = repo.settings()
    command = send_command(settings)
    if command is not None and not dry_run:
        _require_approval(repo, command)  # refuse once, before any case
    results = []
    for case_id in select_cases(repo, status):
        try:
            outcome = archive_case(repo, case_id, author, out_dir, as_zip=as_zip, dry_run=dry_run, today=today)
        except SkmError as error:
            outcome = ArchiveResult(case_id, error=error)
        results.append(outcome)
        if progress is not None:
            progress(outcome)
    return results


# ---------------------------------------------------------------- the receipt


@dataclass
class ReceiptResult:
    case_id: str
    number: int
    saksnummer: str | None
    journalpost: str | None  # "26/01234-3"
    failed: str | None  # the archive's error id
    changed: bool
    commit: str | None = None


def _target(records: list[dict[str, Any]], key: tuple[str, str, int] | None, number: int | None) -> dict[str, Any]:
    if number is not None:
        found = [record for record in records if record.get("nummer") == number]
    elif key is not None:
        found = [record for record in records if (record.get("dokument"), record.get("versjon")) == key[1:]]
    else:
        found = []
    if not found:
        what = f"levering {number}" if number is not None else (f"{key[1]} versjon {key[2]}" if key else "leveringen")
        raise RefusedError(f"Fant ingen {what} i sakens arkivregistreringer; kvitteringen er ikke registrert.",
                           hint="`skm archive SAKSNR --vis` viser hva som er levert.")
    return found[-1]


def record_receipt(repo: CaseRepo, author: Author, path: Path, case_id: str | None = None,
                   number: int | None = None, today: date | None = None) -> ReceiptResult:
    """Record the archive's receipt: the case number, the journal numbers, or that it failed."""
    from skolemiljo.archive.noark import parse_entry_key
    from skolemiljo.archive.receipt import parse_receipt
    from skolemiljo.services.cases import save_case
    from skolemiljo.storage.casefiles import read_case
    from skolemiljo.storage.transaction import writing

    today = today or dates.today()
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"Kan ikke lese kvitteringen {path}: {error.strerror}.") from None
    receipt = parse_receipt(raw)
    folder_key, entry_key_text = receipt.keys
    key = parse_entry_key(entry_key_text) if entry_key_text else None
    named = key[0] if key else folder_key
    if named is not None:
        from skolemiljo.domain.model import CASE_ID

        if not CASE_ID.fullmatch(named):
            raise UsageError("Kvitteringen gjelder ikke en sak fra skm (ukjent referanseEksternNoekkel).")
        if case_id is not None and case_id != named:
            raise UsageError(f"Kvitteringen gjelder sak {named}, ikke sak {case_id}.")
        case_id = named
    if case_id is None:
        raise UsageError("Kvitteringen sier ikke hvilken sak den gjelder.",
                         hint="Oppgi saken og leveringen: `skm archive SAKSNR --kvittering FIL --levering N`.")
    check_case_id(case_id)
    if key is None and number is None:
        raise UsageError("Kvitteringen sier ikke hvilken levering den gjelder.",
                         hint=f"Oppgi leveringen: `skm archive {case_id} --kvittering FIL --levering N`.")
    with writing(repo) as store:
        case = read_case(repo, case_id)
        store.ensure_clean(case.path, case_id)
        data = case.data
        before = copy.deepcopy(data)
        arkiv = data.get("arkiv") if isinstance(data.get("arkiv"), dict) else {"saksnummer": None}
        records = arkiv.get("leveranser") if isinstance(arkiv.get("leveranser"), list) else []
        target = _target(records, key, number)
        saksnummer = receipt.folder.saksnummer if receipt.folder else None
        if saksnummer:
            known = arkiv.get("saksnummer")
            if known and known != saksnummer:
                raise RefusedError(f"Sak {case_id} har arkivsaksnummer {known}, men kvitteringen sier {saksnummer}; "
                                   "kvitteringen er ikke registrert.",
                                   hint="Kontroller med arkivet hvilken mappe saken ligger i.")
            arkiv["saksnummer"] = saksnummer
        failed = receipt.entry_failed or (receipt.folder_failed if receipt.entry is None else None)
        if failed is not None:
            target["feilet"] = failed.feil_id
            for name in ("journalnummer", "journalpostnummer"):
                target.pop(name, None)
        elif receipt.entry is not None:
            target.pop("feilet", None)
            if receipt.entry.journalnummer:
                target["journalnummer"] = receipt.entry.journalnummer
            if receipt.entry.journalpostnummer is not None:
                target["journalpostnummer"] = receipt.entry.journalpostnummer
        if data != before:
            target["kvittert"] = today.isoformat()
        changed = data != before
        commit = None
        if changed:
            what = "arkivet meldte feil" if failed else "arkivkvittering registrert"
            commit = save_case(store, repo, data, f"{what} (levering {target.get('nummer')})", "archive-receipt",
                               author)
        number_text = arkiv.get("saksnummer")
        journalpost = (f"{number_text}-{target['journalpostnummer']}"
                       if number_text and isinstance(target.get("journalpostnummer"), int) else None)
        return ReceiptResult(case_id, target.get("nummer"), arkiv.get("saksnummer"), journalpost,
                             target.get("feilet"), changed, commit)
