"""Case operations: the plain Python API behind ``skm``.

Every function takes a ``CaseRepo`` and returns data; nothing here prints or
knows about Typer. Each change is one commit made under the write lock.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skolemiljo.domain import dates, model
from skolemiljo.errors import Finding, InvalidCaseError, RefusedError, SkmError, StaleCaseError
from skolemiljo.storage import yamlio
from skolemiljo.storage.repository import CaseRepo

if TYPE_CHECKING:  # git and subprocess: only for the commands that write
    from skolemiljo.domain.author import Author
    from skolemiljo.storage.commits import GitStore
from skolemiljo.storage.casefiles import case_document, case_version, read_case
from skolemiljo.storage.transaction import writing


def in_repo_malform(repo: CaseRepo, data: dict[str, Any], action: str, log_from: int | None) -> str:
    """The log entries skm added in this action (``logg[log_from:]``) and the commit's action, in
    the repository's målform (item 16: nynorsk schools get nynorsk). ``None``: nothing to translate."""
    if log_from is None:
        return action
    malform = repo.settings().malform
    if malform == "nb":
        return action
    from skolemiljo.domain.logtext import in_malform

    entries = data.get("logg")
    if isinstance(entries, list):
        for entry in entries[log_from:]:
            if isinstance(entry, dict) and isinstance(entry.get("hendelse"), str):
                entry["hendelse"] = in_malform(entry["hendelse"], malform)
    return in_malform(action, malform)


def log_entry(author: Author, text: str, status: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"dato": dates.today().isoformat(), "av": author.name, "hendelse": text}
    if status:
        entry["status"] = status
    return entry


def save_case(store: GitStore, repo: CaseRepo, data: dict[str, Any], action: str, action_id: str,
              author: Author, *, validate: bool = True, trailers: dict[str, str] | None = None,
              log_from: int | None = None) -> str:
    """Validate, write and commit one case; a refused save changes nothing.

    ``log_from``: the log entries from that index on are skm's own of this action, written in
    bokmål; they and ``action`` are given in the repository's målform (``in_repo_malform``).
    """
    case_id = data["id"]
    action = in_repo_malform(repo, data, action, log_from)
    path = repo.case_path(case_id)
    text = case_document(data)
    encoded = text.encode("utf-8")
    if len(encoded) > yamlio.MAX_FILE_BYTES:
        _refuse_too_large(repo, case_id, encoded)
    if validate:
        from skolemiljo.schema.validation import validate_record

        findings = validate_record(yamlio.load(text), text, repo.rel(path))
        if findings:
            raise InvalidCaseError(f"Endringen ville gjort sak {case_id} ugyldig; ingenting er lagret.", findings)
    from skolemiljo.storage.commits import commit_message

    return store.commit_file(path, encoded, commit_message(case_id, action, action_id, trailers), author)


def _too_large(size: int) -> str:
    size_text, limit = f"{size:,}".replace(",", " "), f"{yamlio.MAX_FILE_BYTES:,}".replace(",", " ")
    return f"Saken ville blitt for stor ({size_text} byte; grensen er {limit}), og da kan ingen skm-kommando lese den igjen."


def _refuse_too_large(repo: CaseRepo, case_id: str, document: bytes) -> None:
    """Refuse a save past the reader's limit; what the user typed is kept as a draft."""
    from skolemiljo.storage.atomic import write_atomic

    kept = None
    try:
        repo.drafts_dir.mkdir(parents=True, exist_ok=True)
        import time

        kept = repo.drafts_dir / f"{case_id}-ikke-lagret-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.yaml"
        write_atomic(kept, document)
    except (OSError, SkmError):
        kept = None
    where = (f"Hele saken med det du skrev er tatt vare på i {repo.rel(kept)}. " if kept else "")
    raise RefusedError(
        f"{_too_large(len(document))} Ingenting er lagret.",
        hint=f"{where}Skriv kortere, eller legg lange dokumenter i arkivet og skriv en henvisning i saken.",
    )


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
        logged = data.get("logg")
        log_from = len(logged) if isinstance(logged, list) else 0
        named = change(data)
        if isinstance(named, Commit):
            action, trailers = named.action, {**(trailers or {}), **named.trailers}
        # A free log entry is the user's own text: never translated.
        save_case(store, repo, data, action, action_id, author, trailers=trailers,
                  log_from=None if action_id == "log" else log_from)
        return data


@dataclass
class NewCase:
    sakstype: str
    elev_navn: str | None  # None: no identified pupil yet (anonymous report, a worry about a class)
    klasse: str | None
    under_18: bool | None
    meldt_av: str
    mottatt_av: str
    mottatt: str
    beskrivelse: str
    kategorier: list[str] = field(default_factory=list)
    alvorlig: bool = False
    mottatt_rolle: str | None = None
    relaterte_saker: list[str] = field(default_factory=list)


def unknown_category_message(item: str, known: tuple[str, ...]) -> str:
    """The refusal of a category that is neither skm's nor the school's own (skole.yaml)."""
    import difflib

    close = difflib.get_close_matches(item, known, n=1)
    guess = f" Mente du «{close[0]}»?" if close else ""
    return (f"Ukjent kategori «{item}».{guess} Velg en av: {', '.join(known)}. "
            "Skolen kan legge til egne kategorier under kategorier i skole.yaml.")


def check_report(report: NewCase, known_categories: tuple[str, ...] = model.KATEGORIER) -> None:
    """Refuse a report that cannot be registered (the command line and the web alike)."""
    from skolemiljo.errors import UsageError

    from skolemiljo.domain.text import checked_text

    checked: list[tuple[object, str, bool]] = []
    if report.elev_navn is not None:  # an identified pupil: name and class
        checked += [(report.elev_navn, "--elev", True), (report.klasse, "--klasse", True)]
    elif report.klasse is not None:  # no identified pupil yet: the class, when known
        checked.append((report.klasse, "--klasse", True))
    checked += [(report.mottatt_av, "--mottatt-av", True), (report.beskrivelse, "--beskrivelse", False)]
    for value, option, one_line in checked:
        checked_text(value, option, multiline=not one_line)
    if report.sakstype not in model.SAKSTYPER:
        raise UsageError(f"Ukjent sakstype «{report.sakstype}». Velg en av: {', '.join(model.SAKSTYPER)}.")
    if report.meldt_av not in model.MELDT_AV:
        raise UsageError(f"Ukjent verdi for --meldt-av «{report.meldt_av}». Velg en av: {', '.join(model.MELDT_AV)}.")
    if report.mottatt_rolle is not None and report.mottatt_rolle not in model.MOTTATT_ROLLER:
        raise UsageError(f"Ukjent verdi for --mottatt-rolle «{report.mottatt_rolle}». Velg en av: "
                         f"{', '.join(model.MOTTATT_ROLLER)}.")
    received = dates.parse_date(report.mottatt, "--mottatt")
    if received > dates.today():
        raise UsageError(f"--mottatt {received.isoformat()} er fram i tid.")
    if received < model.EARLIEST_MOTTATT:
        raise UsageError(f"--mottatt {received.isoformat()} er for langt tilbake i tid: skm tar imot meldinger fra "
                         f"og med {dates.format_date(model.EARLIEST_MOTTATT)}.")
    for item in report.kategorier:
        if not model.KATEGORI_PATTERN.fullmatch(item):
            raise UsageError(f"Ugyldig kategori «{item}»: bruk små bokstaver og bindestrek, f.eks. digital-mobbing.")
        if item not in known_categories:
            raise UsageError(unknown_category_message(item, known_categories))


def new_case(repo: CaseRepo, report: NewCase, author: Author) -> str:
    """Register a melding; returns the new case id.

    With ``relaterte_saker`` (``skm new-case --som``) the new case is linked to those cases, and
    each of them gets the new id in its own ``relaterte_saker``: one commit per case file, all
    under one lock (the new case first).
    """
    check_report(report, repo.settings().known_categories)
    year = int(report.mottatt[:4])
    with writing(repo) as store:
        linked_cases = []
        for other in report.relaterte_saker:
            store.ensure_clean(repo.existing_case_path(other), other)
            linked_cases.append(read_case(repo, other).data)  # refused here, before anything is written
        case_id = repo.next_case_id(year)
        path = repo.case_path(case_id)
        store.ensure_clean(path, case_id)
        data = model.new_record(
            case_id=case_id, sakstype=report.sakstype, alvorlig=report.alvorlig,
            kategorier=report.kategorier, elev_navn=report.elev_navn, klasse=report.klasse,
            under_18=report.under_18, mottatt=report.mottatt, mottatt_av=report.mottatt_av,
            meldt_av=report.meldt_av, beskrivelse=report.beskrivelse, mottatt_rolle=report.mottatt_rolle,
            relaterte_saker=report.relaterte_saker,
        )
        data["logg"].append(log_entry(author, "Melding registrert."))
        if report.relaterte_saker:
            data["logg"].append(log_entry(author, f"Opprettet fra samme melding som {', '.join(report.relaterte_saker)}."))
        # The record is valid by construction (tests prove it against the schema);
        # skipping jsonschema here keeps new-case fast.
        save_case(store, repo, data, "melding registrert", "new-case", author, validate=False, log_from=0)
        for linked in linked_cases:
            links = [x for x in linked.get("relaterte_saker") or [] if x != case_id]
            linked["relaterte_saker"] = [*links, case_id]
            logged = linked.setdefault("logg", [])
            log_from = len(logged)
            logged.append(log_entry(author, f"Relatert sak {case_id} opprettet fra samme melding."))
            save_case(store, repo, linked, f"relatert sak {case_id}", "link", author, validate=False,
                      log_from=log_from)
    return case_id


def report_from(repo: CaseRepo, case_id: str) -> dict[str, Any]:
    """The report facts of ``case_id`` for a linked case (``--som``): never the pupil."""
    data = read_case(repo, case_id).data
    melding = data.get("melding") if isinstance(data.get("melding"), dict) else {}
    kategorier = data.get("kategorier") if isinstance(data.get("kategorier"), list) else []
    return {
        "sakstype": data.get("sakstype"), "alvorlig": data.get("alvorlig") is True,
        "kategorier": [k for k in kategorier if isinstance(k, str)],
        "mottatt": melding.get("mottatt"), "mottatt_av": melding.get("mottatt_av"),
        "mottatt_rolle": melding.get("mottatt_rolle"), "meldt_av": melding.get("meldt_av"),
        "beskrivelse": melding.get("beskrivelse"),
    }


def identify(repo: CaseRepo, case_id: str, author: Author, name: str, klasse: str, under_18: bool, *,
             expected_version: str | None = None) -> None:
    """Name the pupil of a report that came in without one (item 11): one commit, no name in it."""
    from skolemiljo.errors import UsageError

    for value, option in ((name, "--elev"), (klasse, "--klasse")):
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"{option} kan ikke være tom.")

    def change(data: dict[str, Any]) -> None:
        if model.identified(data):
            raise RefusedError(f"Eleven i sak {case_id} er alt identifisert; rett navnet med `skm edit {case_id}`.")
        if data.get("status") == "avsluttet":
            raise RefusedError(f"Sak {case_id} er avsluttet; gjenåpne den først (`skm reopen {case_id} --grunn …`).")
        data["elev"] = {"navn": name.strip(), "klasse": klasse.strip(), "under_18": under_18}
        data.setdefault("logg", []).append(log_entry(author, "Eleven identifisert."))

    update_case(repo, case_id, author, "eleven identifisert", "identify", change, expected_version=expected_version)


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


@dataclass
class EditSession:
    """One ``skm edit``: its own draft, the digest of the case as it read it, and a lock.

    Two edits of one case never share a draft: each takes the first free *slot*
    (``<id>.yaml``, then ``<id>-2.yaml`` …), free meaning no live session holds the slot's
    lock (``.<name>.lock``, an ``flock`` the kernel drops when skm dies). A free slot with a
    draft left by an earlier session is resumed, so typed text is never lost, unless the case
    has changed since that draft was made: then the draft is kept aside (``moved_aside``) and
    the edit starts from the case as it is now. Unpacks as ``(draft, resumed)``.
    """

    case_id: str
    draft: Path
    base: Path
    resumed: bool
    moved_aside: Path | None = None
    lock_fd: int | None = None

    def __iter__(self):
        return iter((self.draft, self.resumed))

    @property
    def lock_path(self) -> Path:
        return self.draft.with_name(f".{self.draft.stem}.lock")

    def close(self) -> None:
        """Let go of the slot (its lock file goes, unless another session took it meanwhile)."""
        if self.lock_fd is None:
            return
        try:
            if _same_file(self.lock_fd, self.lock_path):
                self.lock_path.unlink(missing_ok=True)
        finally:
            os.close(self.lock_fd)
            self.lock_fd = None
            _SESSIONS.pop(self.case_id, None)


_SESSIONS: dict[str, EditSession] = {}  # this process's open sessions, for finish_edit without one


def _same_file(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.lstat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _take_slot(repo: CaseRepo, case_id: str) -> tuple[Path, int]:
    """The draft path of the first slot no live session holds, and the slot's lock."""
    import fcntl

    from skolemiljo.errors import FileProblem

    for number in range(1, 1000):
        draft = repo.drafts_dir / (f"{case_id}.yaml" if number == 1 else f"{case_id}-{number}.yaml")
        lock = draft.with_name(f".{draft.stem}.lock")
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0),
                         0o600)
        except OSError as error:
            raise FileProblem.from_os_error(error, "lage utkastet", draft) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue  # another skm edit of this case is open right now
        if not _same_file(fd, lock):  # its session ended and removed the file as we opened it
            os.close(fd)
            return _take_slot(repo, case_id)
        return draft, fd
    raise RefusedError(f"For mange åpne redigeringer av sak {case_id}.")


def _aside(repo: CaseRepo, case_id: str, draft: Path) -> Path:
    """Move a draft that cannot be saved out of the way, keeping what was typed."""
    import time

    stamp = time.strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        keep = repo.drafts_dir / f"{case_id}-ikke-lagret-{stamp}{'' if number == 1 else f'-{number}'}.yaml"
        if not os.path.lexists(keep):
            os.replace(draft, keep)
            return keep
    raise RefusedError(f"For mange utkast av sak {case_id} som ikke er lagret; rydd i {repo.rel(repo.drafts_dir)}/.")


def _read_editable(repo: CaseRepo, case_id: str, path: Path) -> bytes:
    """The case file's bytes, refused (as `skm validate` reports it) when an editor would damage it."""
    try:
        raw = yamlio.read_file(path)
        yamlio.decode(raw)  # strict UTF-8, size: replacement characters would be committed as text
    except yamlio.YamlProblem as problem:
        raise InvalidCaseError(
            f"Sak {case_id} kan ikke redigeres med skm edit; ingenting er endret.",
            [Finding(repo.rel(path), problem.line, "yaml", problem.message)],
            hint="Rett fila med et vanlig redigeringsprogram (lagre den som UTF-8, for eksempel med "
            "`iconv -f latin1 -t utf-8`), og commit den; deretter virker `skm edit` igjen.",
        ) from None
    return raw


def start_edit(repo: CaseRepo, case_id: str) -> EditSession:
    """Prepare this session's draft (see ``EditSession``); refused before the editor opens."""
    path = repo.existing_case_path(case_id)
    # Refuse before the editor opens: typing into a case skm will not save loses the user's time.
    from skolemiljo.storage.commits import GitStore

    store = GitStore(repo)
    store.ensure_writable()  # not in the middle of a rebase or merge, not on a detached HEAD
    store.ensure_clean(path, case_id)
    raw = _read_editable(repo, case_id, path)
    from skolemiljo.errors import FileProblem
    from skolemiljo.storage.atomic import write_atomic

    try:
        repo.drafts_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FileProblem.from_os_error(error, "lage mappen", repo.drafts_dir) from None
    draft, fd = _take_slot(repo, case_id)
    session = EditSession(case_id, draft, draft.with_suffix(".base"), False, lock_fd=fd)
    try:
        if os.path.lexists(draft):
            base = session.base.read_text(encoding="utf-8").strip() if session.base.is_file() else None
            if base == _digest(raw):
                session.resumed = True
                _SESSIONS[case_id] = session
                return session
            session.moved_aside = _aside(repo, case_id, draft)  # made from an older version of the case
        text = raw.decode("utf-8")
        if text.startswith(model.MODELINE):
            text = DRAFT_MODELINE + text[len(model.MODELINE):]
        write_atomic(draft, text.encode("utf-8"))
        write_atomic(session.base, _digest(raw).encode())
    except BaseException:
        session.close()
        raise
    _SESSIONS[case_id] = session
    return session


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


def finish_edit(repo: CaseRepo, case_id: str, author: Author, session: EditSession | None = None) -> EditResult:
    """Validate the session's draft; commit it when valid. The draft stays when it is not.

    Refused, with the draft kept aside, when the case changed since this session read it.
    The session ends (``close``) unless the outcome is "invalid": then the caller may let the
    user edit again, and closes it when done.
    """
    session = session or _SESSIONS.get(case_id) or EditSession(case_id, draft_path(repo, case_id),
                                                               draft_path(repo, case_id).with_suffix(".base"), False)
    draft, base_file = session.draft, session.base
    from skolemiljo.schema.validation import validate_bytes

    raw = draft.read_bytes()
    data, findings = validate_bytes(raw, repo.rel(draft))
    if data is not None and isinstance(data, dict) and data.get("id") != case_id:
        line = yamlio.line_for(yamlio.line_map(raw.decode("utf-8")), ("id",))
        findings.append(Finding(repo.rel(draft), line, "schema", f"id: kan ikke endres (saken er {case_id})"))
        findings.sort(key=lambda f: (f.line, f.message))
    new_text = case_document(data) if not findings else ""
    if not findings and len(new_text.encode("utf-8")) > yamlio.MAX_FILE_BYTES:
        findings = [Finding(repo.rel(draft), 1, "yaml", _too_large(len(new_text.encode("utf-8"))))]
    if findings:
        return EditResult("invalid", findings, draft)  # the session stays open: the user may edit again
    text = raw.decode("utf-8")
    kept = _has_comments(text)
    with writing(repo) as store:
        # Not read_case: `skm edit` is how a user repairs a case file that no longer parses.
        path = repo.existing_case_path(case_id)
        store.ensure_clean(path, case_id)
        try:
            current: bytes | None = yamlio.read_file(path)
        except yamlio.YamlProblem:
            current = None
        base = base_file.read_text(encoding="utf-8").strip() if base_file.is_file() else None
        if current is None or (base is not None and base != _digest(current)):
            keep = _aside(repo, case_id, draft)
            base_file.unlink(missing_ok=True)
            session.close()
            raise RefusedError(
                f"Sak {case_id} er endret siden du begynte å redigere (av en annen skm-kommando, en kollega "
                "eller en synkronisering); endringene dine er ikke lagret.",
                hint=f"Det du skrev er tatt vare på i {repo.rel(keep)}. Se hva som er endret med "
                f"`skm history {case_id}`, kjør `skm edit {case_id}` og før inn endringene dine på nytt.",
            )
        try:
            old_data = yamlio.load_bytes(current)
        except yamlio.YamlProblem:
            old_data = None
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
            session.close()
            return EditResult(outcome, [], keep, kept_comments=True)
        draft.unlink(missing_ok=True)
        session.close()
        return EditResult(outcome)
