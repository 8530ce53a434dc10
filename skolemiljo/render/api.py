"""``skm render`` as a plain Python API.

``render_case`` writes one document of one case; ``render_all`` writes one
document for every case (optionally of one status), for archiving a school
year at once. Files are named ``<id>-<document>.<ext>`` (the id only: never a
name) and written atomically.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from skolemiljo.domain import dates
from skolemiljo.errors import CaseFailed, NoGitRepositoryError, SkmError, UsageError
from skolemiljo.render.i18n import DOCUMENTS, MALFORMER
from skolemiljo.storage.atomic import write_atomic
from skolemiljo.storage.repository import CaseRepo, Settings, check_case_id

FORMATS = ("pdf", "html", "md")


EXTENSIONS = {"pdf": "pdf", "html": "html", "md": "md"}


DEFAULT_DOCUMENT = "saksdokumentasjon"


# Below this many documents a worker pool costs more than it saves.
_PARALLEL_FROM = 6


@dataclass
class Outcome:
    """What ``render_all`` did for one case: the file written, or the error."""

    case_id: str
    path: Path | None = None
    error: CaseFailed | None = None


def check_document(document: str) -> str:
    if document not in DOCUMENTS:
        raise UsageError(f"Ukjent dokument «{document}». Velg et av: {', '.join(DOCUMENTS)}.")
    return document


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"Ukjent format «{fmt}». Velg et av: {', '.join(FORMATS)}.")
    return fmt


def resolve_malform(malform: str | None, settings: Settings) -> str:
    chosen = malform or settings.malform
    if chosen not in MALFORMER:
        raise UsageError(f"Ukjent målform «{chosen}». Velg nb (bokmål) eller nn (nynorsk).")
    return chosen


def output_path(out_dir: Path, case_id: str, document: str, fmt: str) -> Path:
    return out_dir / f"{case_id}-{document}.{EXTENSIONS[fmt]}"


def load_source(repo: CaseRepo, case_id: str):  # -> CaseSource
    """Read a case, its audit trail and every committed version of it."""
    from skolemiljo.render.context import CaseSource
    from skolemiljo.render.versions import read_versions
    from skolemiljo.storage.casefiles import read_case
    from skolemiljo.storage.history import case_history

    case = read_case(repo, check_case_id(case_id))
    try:
        history = case_history(repo, case.path)
    except NoGitRepositoryError:
        history = []  # not in git: the document is made, and marked as not in the history
    # a repository git will not use (another user's) or a shallow clone is refused: no document
    # without its audit trail, nor with a false one
    versions = read_versions(repo, case.path, history)
    return CaseSource(case_id=case_id, data=case.data, raw=case.text.encode("utf-8"), history=history,
                      versions=versions, today=dates.today())


def produce(repo: CaseRepo, case_id: str, document: str, fmt: str, malform: str, settings: Settings) -> bytes:
    """The bytes of one document of one case."""
    if fmt == "pdf":
        from skolemiljo.render.pdf import load_weasyprint

        load_weasyprint()  # fail before any work when PDF is not possible
    return produce_from(repo, load_source(repo, case_id), document, fmt, malform, settings)


def produce_from(repo: CaseRepo, source, document: str, fmt: str, malform: str,  # source: CaseSource
                 settings: Settings) -> bytes:
    """The bytes of one document made from ``source`` (the case now, or as a commit left it)."""
    from skolemiljo.render import engine
    from skolemiljo.render.context import build_context

    context = build_context(source, document, fmt, malform, settings)
    kind = "md" if fmt == "md" else "html"
    text = engine.render(repo.root, document, kind, context)
    if fmt != "pdf":
        return text.encode("utf-8")
    from skolemiljo.render.pdf import html_to_pdf

    return html_to_pdf(text, pdfa=settings.pdfa, folders=engine.search_path(repo.root))


def source_at(source, index: int, data: dict) -> object:  # (CaseSource, …) -> CaseSource
    """``source`` as the commit ``source.versions[index]`` left the case, with ``data`` as its content.

    The document made from it is the one that commit would have given: its date is that
    commit's, its history ends there, its plan versions are those up to it. ``data`` is the case
    as that commit has it; the caller may put today's ``arkiv`` section in, so a document
    delivered after the archive's receipt carries the archive's case number.
    """
    from skolemiljo.render.context import CaseSource

    version = source.versions[index]
    commit = version.commit
    history = list(source.history)
    cut = next(i for i, entry in enumerate(history) if entry.commit == commit) + 1
    return CaseSource(case_id=source.case_id, data=data, raw=version.raw or b"", history=history[:cut],
                      versions=list(source.versions[:index + 1]), today=source.today)


def _prepare(repo: CaseRepo, document: str, fmt: str, malform: str | None) -> tuple[Settings, str]:
    check_document(document)
    check_format(fmt)
    settings = repo.settings()
    return settings, resolve_malform(malform, settings)


def _make_dir(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SkmError(f"Kan ikke lage mappen {out_dir}: {error.strerror}.") from None
    if not out_dir.is_dir():
        raise UsageError(f"{out_dir} er ikke en mappe.")


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as error:
        raise SkmError(f"Kan ikke skrive {path}: {error.strerror}.") from None


def render_case(repo: CaseRepo, case_id: str, document: str = DEFAULT_DOCUMENT, fmt: str = "pdf",
                malform: str | None = None, out_dir: Path = Path(".")) -> Path:
    """Write ``<out_dir>/<id>-<document>.<ext>`` and return its path."""
    settings, chosen = _prepare(repo, document, fmt, malform)
    repo.existing_case_path(check_case_id(case_id))
    data = produce(repo, case_id, document, fmt, chosen, settings)
    _make_dir(out_dir)
    path = output_path(out_dir, case_id, document, fmt)
    _write(path, data)
    return path


def uncommitted(repo: CaseRepo, case_id: str) -> bool:
    """The case file has changes that are not in its history (the document says UTKAST)."""
    from skolemiljo.storage.git import run_git

    path = repo.case_path(case_id)
    result = run_git(repo.root, ("status", "--porcelain=v1", "--", str(path)))
    return result.returncode != 0 or bool(result.stdout.strip())


def select_cases(repo: CaseRepo, status: str | None) -> list[str]:
    """Ids of every case, or of those with ``status`` (unreadable files are kept: they fail visibly)."""
    if status is None:
        return repo.case_ids()
    from skolemiljo.storage import yamlio

    chosen = []
    for case_id in repo.case_ids():
        try:
            data = yamlio.load_bytes(repo.case_path(case_id).read_bytes())
        except yamlio.YamlProblem:
            chosen.append(case_id)
            continue
        if not isinstance(data, dict) or data.get("status") == status:
            chosen.append(case_id)
    return chosen


def _failed(error: SkmError) -> CaseFailed:
    findings = getattr(error, "findings", None) or []
    return CaseFailed(error.message, [finding.format() for finding in findings])


def _one(args: tuple) -> tuple[str, bytes | None, CaseFailed | None]:
    repo, case_id, document, fmt, malform, settings = args
    try:
        return case_id, produce(repo, case_id, document, fmt, malform, settings), None
    except SkmError as error:
        return case_id, None, _failed(error)


def render_all(repo: CaseRepo, document: str = DEFAULT_DOCUMENT, fmt: str = "pdf", malform: str | None = None,
               out_dir: Path = Path("."), status: str | None = None,
               progress: Callable[[Outcome], None] | None = None, jobs: int | None = None,
               case_ids: Sequence[str] | None = None) -> list[Outcome]:
    """Write one document per case; one case's error does not stop the others.

    PDFs of many cases are made by a pool of worker processes (``jobs``, by
    default one per CPU): WeasyPrint's layout is CPU-bound Python.
    """
    settings, chosen = _prepare(repo, document, fmt, malform)
    if fmt == "pdf":
        from skolemiljo.render.pdf import load_weasyprint

        load_weasyprint()  # also loaded before the workers fork, so they start warm
    ids = list(case_ids) if case_ids is not None else select_cases(repo, status)
    _make_dir(out_dir)
    work = [(repo, case_id, document, fmt, chosen, settings) for case_id in ids]
    outcomes: list[Outcome] = []

    def finish(case_id: str, data: bytes | None, error: CaseFailed | None) -> None:
        outcome = Outcome(case_id, error=error)
        if data is not None:
            path = output_path(out_dir, case_id, document, fmt)
            try:
                _write(path, data)
                outcome.path = path
            except SkmError as write_error:
                outcome.error = _failed(write_error)
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)

    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if fmt == "pdf" and workers > 1 and len(work) >= _PARALLEL_FROM:
        # The first document is made here: it loads Jinja, Babel and the font
        # configuration once, and the forked workers inherit them warm.
        finish(*_one(work[0]))
        for case_id, data, error in _parallel(work[1:], workers):
            finish(case_id, data, error)
    else:
        for item in work:
            finish(*_one(item))
    outcomes.sort(key=lambda o: o.case_id)
    return outcomes


def _parallel(work: list[tuple], workers: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # fork: the workers inherit the imported WeasyPrint instead of importing it again.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=min(workers, len(work)), mp_context=context) as pool:
        futures = [pool.submit(_one, item) for item in work]
        for future in as_completed(futures):
            yield future.result()
