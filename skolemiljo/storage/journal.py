"""Recovery journals in ``.skm/`` are checked before they are trusted.

skm writes two journals: ``journal.json`` while it commits one case file
(``storage.commits.GitStore``) and ``sync.json`` while ``skm sync`` moves the work tree
(``storage.worktree.WorkTree``). After a crash the next command reads them to finish or undo
the write, so they decide what gets overwritten or deleted. A journal skm did not write (one
that came through git, or was planted) must never be used for that: before recovery each
journal is checked for

- the exact shape skm writes (keys and types; nothing missing, nothing unknown);
- paths that stay where the write could have been: the commit journal's inside ``cases/``,
  the sync journal's inside the work tree but never in ``.git/`` or ``.skm/``; no ``..``,
  no absolute paths, no symbolic link on the way;
- well-formed object ids that git has, and agreement with the repository: the commit
  journal's HEAD is the commit it started from or the one it made; the sync journal names
  only paths the sync changed;
- a regular file that git does not track (skm never commits ``.skm/``).

A journal that fails is moved aside (renamed within ``.skm/`` with a timestamp, never
deleted), left unused, and reported once: ``take_notices`` hands the Norwegian notice to the
interface, which prints it. Nothing in the notice comes from the journal's content.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skolemiljo.errors import UntrustedJournal as Untrusted
from skolemiljo.storage.changes import tree_changes
from skolemiljo.storage.git import Git

MAX_JOURNAL_BYTES = 64 * 1024 * 1024  # a sync of every file of a large archive stays far below
OBJECT_ID_LENGTH = {"sha1": 40, "sha256": 64}
COMMIT_KEYS = frozenset({"path", "old", "new", "head"})
SYNC_KEYS = frozenset({"ref", "old", "new", "files", "index"})
FILE_MODES = frozenset({"100644", "100755"})
# git check-ref-format's rules for a branch, without starting git: no control characters, space,
# ~ ^ : ? * [ \ ; no "..", "//", "@{", ".lock" at the end of a part; not ending in "/" or ".".
BRANCH = re.compile(r"refs/heads/(?!\.)(?!.*(?:\.\.|//|@\{|\.lock(?:/|$)|/\.))[^\x00-\x20\x7f~^:?*\[\\]+(?<![/.])")

_NOTICES: list[str] = []


@dataclass(frozen=True)
class SetAside:
    """A journal that was not used, and where it is now."""

    journal: Path
    moved_to: Path
    reason: str

    def notice(self, state_dir: Path) -> str:
        name = f"{state_dir.name}/{self.journal.name}"
        moved = f"{state_dir.name}/{self.moved_to.name}"
        return (f"Advarsel: {name} ble ikke brukt: {self.reason}. skm stoler bare på gjenopprettingsjournaler "
                f"den har skrevet selv. Fila er lagt til side som {moved}, og ingenting er endret etter den.\n"
                "Tips: Har skm nylig stoppet midt i en lagring eller en synkronisering, se etter endringer som ikke "
                "er committet, med `skm check`. Ellers kan fila slettes.")


def take_notices() -> list[str]:
    """The notices of journals set aside since the last call (each is reported once)."""
    found = list(_NOTICES)
    _NOTICES.clear()
    return found


def folder_in_git(toplevel: Path, root: Path, name: str) -> str:
    """``cases/`` or ``.skm/`` of the case repository at ``root`` as git names it (never following a link in it)."""
    rel = root.resolve().relative_to(toplevel.resolve()).as_posix()
    return f"{name}/" if rel == "." else f"{rel}/{name}/"


# ------------------------------------------------------------------ reading


def _read(path: Path) -> Any:
    """The journal's JSON; refused unless it is a regular, reasonably small file."""
    try:
        info = os.lstat(path)
    except OSError:
        raise Untrusted("den kan ikke leses") from None
    if not stat.S_ISREG(info.st_mode):
        raise Untrusted("den er ikke en vanlig fil (en lenke eller noe annet)")
    if info.st_size > MAX_JOURNAL_BYTES:
        raise Untrusted("den er for stor")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_JOURNAL_BYTES + 1)
    except OSError:
        raise Untrusted("den kan ikke leses") from None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Untrusted("den er ikke gyldig JSON") from None


def _keys(entry: Any, wanted: frozenset[str]) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise Untrusted("den har ikke formen skm skriver")
    if set(entry) - wanted:
        raise Untrusted("den har ukjente felt")
    if wanted - set(entry):
        raise Untrusted("det mangler felt i den")
    return entry


def _object_id(value: Any, length: int, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not (isinstance(value, str) and len(value) == length and re.fullmatch(r"[0-9a-f]+", value)):
        raise Untrusted("en objekt-id i den er ugyldig")
    return value


def safe_path(value: Any, toplevel: Path, *, inside: str | None = None, never: Iterable[str] = ()) -> str:
    """A work-tree path from a journal: relative, no ``..``, no link on the way; else ``Untrusted``.

    ``inside``: a folder prefix (``cases/``) the path must be in; ``never``: prefixes it must
    not be in (``.git/``, ``.skm/``).
    """
    if not isinstance(value, str) or not value or "\0" in value or "\\" in value:
        raise Untrusted("en sti i den er ugyldig")
    parts = value.split("/")
    if value.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise Untrusted("en sti i den går ut av mappen sin (.. eller en absolutt sti)")
    if inside is not None and not (value.startswith(inside) and len(value) > len(inside)):
        raise Untrusted(f"en sti i den ligger utenfor {inside}")
    if parts[0] == ".git" or any(value.startswith(prefix) for prefix in never):
        raise Untrusted("en sti i den peker inn i .git/ eller .skm/")
    current = toplevel
    for part in parts:
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            break  # nothing further down exists: no link either
        except OSError:
            raise Untrusted("en sti i den kan ikke kontrolleres") from None
        if stat.S_ISLNK(info.st_mode):
            raise Untrusted("en sti i den går gjennom en symbolsk lenke")
    return value


def _untracked(git: Git, path: Path) -> None:
    try:
        rel = path.resolve().relative_to(git.toplevel.resolve()).as_posix()
    except (OSError, ValueError):
        return
    listed = git.run("ls-files", "-z", "--", f":(literal){rel}", check=False)
    if listed.returncode == 0 and listed.stdout.strip(b"\0"):
        raise Untrusted("den er lagt inn i git, og skm lager den bare lokalt")


def _objects_exist(git: Git, ids: list[tuple[str, str]]) -> None:
    """Each ``(object id, type)`` is in git with that type."""
    if not ids:
        return
    queries = "".join(f"{oid}\n" for oid, _kind in ids).encode("ascii")
    result = git.run("cat-file", "--batch-check=%(objecttype)", data=queries, check=False)
    answers = result.stdout.decode("utf-8", "replace").splitlines()
    if result.returncode != 0 or len(answers) != len(ids):
        raise Untrusted("git kunne ikke kontrollere innholdet den nevner")
    if any(answer != kind for answer, (_oid, kind) in zip(answers, ids)):
        raise Untrusted("den nevner innhold som ikke finnes i git")


# ------------------------------------------------------------------ the two journals


def check_commit_journal(entry: Any, toplevel: Path, cases_prefix: str, object_format: str) -> dict[str, Any]:
    """The commit journal's entry, or ``Untrusted``: ``{"path", "old", "new", "head"}`` as ``GitStore`` writes."""
    entry = _keys(entry, COMMIT_KEYS)
    length = OBJECT_ID_LENGTH.get(object_format, 40)
    safe_path(entry["path"], toplevel, inside=cases_prefix)
    _object_id(entry["old"], length, optional=True)
    _object_id(entry["new"], length)
    _object_id(entry["head"], length, optional=True)
    return entry


def check_sync_journal(entry: Any, toplevel: Path, state_prefix: str, object_format: str) -> dict[str, Any]:
    """The sync journal's entry, or ``Untrusted``: ``{"ref", "old", "new", "files", "index"}`` as ``WorkTree`` writes."""
    entry = _keys(entry, SYNC_KEYS)
    length = OBJECT_ID_LENGTH.get(object_format, 40)
    if not (isinstance(entry["ref"], str) and BRANCH.fullmatch(entry["ref"])):
        raise Untrusted("grenen den nevner, er ugyldig")
    _object_id(entry["old"], length)
    _object_id(entry["new"], length)
    if not isinstance(entry["index"], bool) or not isinstance(entry["files"], list):
        raise Untrusted("et felt i den har feil type")
    for item in entry["files"]:
        if not (isinstance(item, list) and len(item) == 3):
            raise Untrusted("et felt i den har feil type")
        path, mode, blob = item
        safe_path(path, toplevel, never=(state_prefix,))
        if (mode is None) != (blob is None) or (mode is not None and mode not in FILE_MODES):
            raise Untrusted("et felt i den har feil type")
        _object_id(blob, length, optional=True)
    return entry


def set_aside(path: Path, reason: str) -> SetAside:
    """Rename the journal within its folder with a timestamp (never over another file); record the notice."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.avvist-{stamp}")
    number = 1
    while os.path.lexists(target):
        number += 1
        target = path.with_name(f"{path.name}.avvist-{stamp}-{number}")
    os.rename(path, target)
    aside = SetAside(path, target, reason)
    _NOTICES.append(aside.notice(path.parent))
    return aside


def trusted_commit_journal(path: Path, toplevel: Path, cases_prefix: str, object_format: str) -> dict[str, Any] | None:
    """The commit journal at ``path`` when skm can trust it; otherwise it is set aside and None returned."""
    git = Git(toplevel)
    try:
        entry = check_commit_journal(_read(path), toplevel, cases_prefix, object_format)
        _untracked(git, path)
        _objects_exist(git, [(oid, "blob") for oid in (entry["old"], entry["new"]) if oid]
                       + ([(entry["head"], "commit")] if entry["head"] else []))
        _matches_head(git, entry)
    except Untrusted as problem:
        set_aside(path, problem.reason)
        return None
    return entry


def _matches_head(git: Git, entry: dict[str, Any]) -> None:
    """A commit journal describes the last write: HEAD is the commit it started from, or the one it made."""
    head = git.rev("HEAD")
    listed = git.out("ls-tree", "-z", head, "--", f":(literal){entry['path']}").rstrip("\0") if head else ""
    blob = listed.split("\t", 1)[0].split()[2] if listed else None
    made = blob == entry["new"] and (git.rev(f"{head}^") if head else None) == entry["head"]
    if not (made or (head == entry["head"] and blob == entry["old"])):
        raise Untrusted("den stemmer ikke med siste commit (den er ikke fra siste lagring)")


def trusted_sync_journal(path: Path, git: Git, state_prefix: str, object_format: str,
                         index_backup: Path) -> dict[str, Any] | None:
    """The sync journal at ``path`` when skm can trust it; otherwise it is set aside and None returned.

    Beyond its shape: both commits exist, every file it names is one the move from ``old``
    to ``new`` changed, every blob exists, and the index backup it relies on is an index.
    """
    try:
        entry = check_sync_journal(_read(path), git.toplevel, state_prefix, object_format)
        _untracked(git, path)
        _objects_exist(git, [(entry["old"], "commit"), (entry["new"], "commit")]
                       + [(blob, "blob") for _path, _mode, blob in entry["files"] if blob])
        changed = {change.path for change in tree_changes(git, entry["old"], entry["new"])}
        if any(item[0] not in changed for item in entry["files"]):
            raise Untrusted("den nevner filer som synkroniseringen ikke endret")
        if entry["index"]:
            _index_backup(index_backup)
    except Untrusted as problem:
        set_aside(path, problem.reason)
        return None
    return entry


def _index_backup(path: Path) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return  # restore then leaves the index alone, as before
    except OSError:
        raise Untrusted("sikkerhetskopien av git-indeksen kan ikke leses") from None
    if not stat.S_ISREG(info.st_mode):
        raise Untrusted("sikkerhetskopien av git-indeksen er ikke en vanlig fil")
    with open(path, "rb") as handle:
        if handle.read(4) != b"DIRC":
            raise Untrusted("sikkerhetskopien av git-indeksen er ikke en git-indeks")
