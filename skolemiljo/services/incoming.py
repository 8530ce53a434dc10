"""What ``skm sync`` refuses to take from the central repository, or to send to it.

- **Cases are never deleted** (legal ground ``dokumentasjon``: the documentation duty; arkivlova: the
  records are kept): commits that delete a case file, or rename it away, are refused in
  both directions, naming the case ids and the commits.
- **Nothing under ``.skm/`` is ever tracked** (skm's lock, journals, caches and drafts are
  local state, and a journal from elsewhere could make skm "recover" by deleting a case):
  a tree with files there is refused in both directions.

Both are decided before anything is written; the caller puts the remote-tracking branch
back, so a refusal changes nothing.
"""

from __future__ import annotations

from skolemiljo.domain.casepaths import CasePaths
from skolemiljo.errors import IncomingRefusedError, OutgoingRefusedError
from skolemiljo.storage.changes import commits_changing, deleted_files, files_under
from skolemiljo.storage.git import Git
from skolemiljo.domain.legal import cite, cite_law

SHORT = 7  # characters of a commit id shown to the user
MAX_SHOWN = 10


def short(sha: str) -> str:
    return sha[:SHORT]


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_SHOWN])
    return shown + (f" og {len(items) - MAX_SHOWN} til" if len(items) > MAX_SHOWN else "")


def deleted_cases(git: Git, paths: CasePaths, base: str, tip: str) -> dict[str, list[str]]:
    """Case id -> the commits of ``base..tip`` that deleted (or renamed away) its file, for cases ``tip`` lacks."""
    found = {}
    for path, commits in sorted(deleted_files(git, base, tip, paths.prefix).items()):
        case_id = paths.case_id(path)
        if case_id is not None:
            found[case_id] = commits
    return found


def _deletion_text(deleted: dict[str, list[str]]) -> tuple[str, list[str]]:
    """``2026-0003 (commit abc1234)`` … and every commit named, oldest first."""
    parts, named = [], []
    for case_id, commits in deleted.items():
        named += [c for c in commits if c not in named]
        where = f" (commit {', '.join(short(c) for c in commits)})" if commits else ""
        parts.append(f"{case_id}{where}")
    return _listed(parts), named


def refuse_deleted_cases(git: Git, paths: CasePaths, base: str, remote: str, head: str) -> None:
    """Refuse incoming or outgoing commits that delete a case file or rename it away."""
    incoming = deleted_cases(git, paths, base, remote)
    if incoming:
        text, commits = _deletion_text(incoming)
        noun = "saken" if len(incoming) == 1 else "sakene"
        shas = " ".join(short(c) for c in reversed(commits)) or "SHA"  # newest first, as git revert wants
        raise IncomingRefusedError(
            f"Det sentrale saksarkivet har endringer som sletter {noun} {text}. Saker skal aldri slettes "
            f"(dokumentasjonsplikten i {cite_law('dokumentasjon', 'nn')}, og arkivlova: sakene skal bevares); "
            "skm henter ikke disse endringene, og ingenting er endret her.",
            hint=f"Be den som sendte endringene, eller den som drifter det sentrale saksarkivet, gjenopprette "
            f"{noun} der, for eksempel med `git revert {shas}` og `git push`. Kjør så `skm sync` igjen.",
        )
    outgoing = deleted_cases(git, paths, base, head)
    if outgoing:
        text, commits = _deletion_text(outgoing)
        noun = "saken" if len(outgoing) == 1 else "sakene"
        shas = " ".join(short(c) for c in reversed(commits)) or "SHA"
        raise OutgoingRefusedError(
            f"Du har slettet {noun} {text} her. Saker skal aldri slettes (dokumentasjonsplikten i opplæringslova "
            f"{cite('dokumentasjon')}, og arkivlova: sakene skal bevares); skm sender ikke slettingen, og ingenting "
            "er endret.",
            hint=f"Gjenopprett {noun} med `git revert {shas}`, og kjør `skm sync` igjen.",
        )


def refuse_state_files(git: Git, state_prefix: str, base: str | None, remote: str | None, head: str) -> None:
    """Refuse a central or local tip that tracks files under ``.skm/`` (``state_prefix``)."""
    if remote is not None and base is not None and files_under(git, remote, state_prefix):
        changed = commits_changing(git, base, remote, [state_prefix], "AMT")
        commits = list(dict.fromkeys(c for found in changed.values() for c in found))
        if commits:
            raise IncomingRefusedError(
                f"Det sentrale saksarkivet har endringer som legger filer under {state_prefix} i git (commit "
                f"{_listed([short(c) for c in commits])}). Der ligger skm sin lokale tilstand (lås, "
                "gjenopprettingsjournaler, mellomlager, utkast); den skal aldri deles, og en journal derfra kunne "
                "fått skm til å slette en sak. skm henter ikke disse endringene, og ingenting er endret her.",
                hint=f"Be den som drifter det sentrale saksarkivet, fjerne dem der: "
                f"`git rm -r --cached {state_prefix}`, `git commit` og `git push`. Kjør så `skm sync` igjen.",
            )
    if files_under(git, head, state_prefix):
        raise OutgoingRefusedError(
            f"Saksarkivet ditt har filer under {state_prefix} i git. Der ligger skm sin lokale tilstand (lås, "
            "gjenopprettingsjournaler, mellomlager, utkast); den skal aldri deles. skm sender ikke, og ingenting "
            "er endret.",
            hint=f"Ta dem ut av git (filene blir liggende): `git rm -r --cached {state_prefix}` og "
            f"`git commit -m \"Lokal tilstand ut av git\"`. Kjør så `skm sync` igjen.",
        )
