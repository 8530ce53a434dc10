"""The audit-trail checks: git asked once for the whole repository, not per case.

- ``ikke-committet``: one ``git status --porcelain -z -- cases``;
- ``endret-utenom-skm``: the commits without skm's trailer and the files they changed
  (see ``GitQuery``; the result is cached per HEAD commit);
- ``sak-slettet``: from the same walk, the case ids history knows (skm's ``Skm-Case``
  trailers, and the case files the commits without skm's trailer added or deleted) that
  HEAD no longer has;
- ``skjema-kopi``: byte comparison of ``schemas/*.schema.json`` with skm's own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skolemiljo import __version__
from skolemiljo.domain.model import CASE_ID
from skolemiljo.errors import GitError, UnsafeRepositoryError
from skolemiljo.storage.git import Git, GitProcess, git_failure, popen_git, run_git
from skolemiljo.storage.resources import schemas_dir

UNIT = "\x1f"
ACTION, CASE = "Skm-Action", "Skm-Case"
HEX = frozenset("0123456789abcdef")


def _popen(root: Path, *args: str) -> GitProcess | None:
    try:
        return popen_git(root, args)
    except GitError:  # git is not installed
        return None


def _run(root: Path, *args: str) -> tuple[int, str]:
    proc = _popen(root, *args)
    if proc is None:
        return 127, ""
    out, _ = proc.communicate()
    return proc.returncode, out.decode("utf-8", "replace")


@dataclass
class GitFacts:
    """What git says about the case files, paths relative to the case repository."""

    ok: bool = True
    problem: str | None = None
    head: str | None = None
    dirty: dict[str, str] = field(default_factory=dict)  # path -> porcelain XY code
    outside: set[str] = field(default_factory=set)  # paths whose last change was made outside skm
    deleted: dict[str, DeletedCase] = field(default_factory=dict)  # path -> a case file history has, HEAD not


@dataclass(frozen=True)
class DeletedCase:
    """A case file that history has and HEAD has not: where it was last, and which commit removed it."""

    case_id: str
    last_seen: str  # a revision that has the file: a commit id, or one followed by ``^`` (its parent)
    deleted_in: str | None  # the commit that deleted or moved it, when the walk saw it

    def record(self) -> dict[str, str | None]:
        return {"case": self.case_id, "last_seen": self.last_seen, "deleted_in": self.deleted_in}


def _is_sha(text: str) -> bool:
    return len(text) in (40, 64) and set(text) <= HEX


class GitQuery:
    """Starts the git commands early so they run while the cases are parsed.

    "Last changed outside skm" is found without walking every file's history (in a flat
    ``cases/`` of 10,000 files and tens of thousands of commits a ``git log --name-only``
    walk takes half a minute): list every commit with its ``Skm-Action`` trailer (no diffs),
    take the files the few commits *without* it changed (one ``git diff-tree --stdin``),
    and compare each such file's blob at HEAD with its blob in the newest such commit.
    Equal: nothing changed it since, so its last change was made outside skm. Different:
    a later commit changed it, and every later commit touching it carries the trailer.
    (A file that skm changed and then changed back to exactly the same bytes is still
    reported; rare, and only a warning.)

    Deleted cases come from the same walk: every case id an ``Skm-Case`` trailer names, and
    every case file a commit without the trailer added (skm never deletes a case file, so
    only those commits can have deleted one, and their diff says which), less what HEAD
    has (one ``ls-tree``). An id known only from a trailer is confirmed in that commit (or
    its parent) with the same ``cat-file --batch-check``.
    """

    def __init__(self, root: Path, cases_dir: str, want_status: bool, want_log: bool,
                 cached_log: dict[str, Any] | None, want_deleted: bool = False) -> None:
        self.root = root
        self.cases_dir = cases_dir
        self.facts = GitFacts()
        self._status: GitProcess | None = None
        self._status_started = 0  # time.time_ns() when the git status above began
        self._status_read = False
        self._log: GitProcess | None = None
        self.log_reused = False
        try:
            found = run_git(root, ("rev-parse", "--show-prefix"))
        except GitError:  # git is not installed
            found = None
        if found is None or found.returncode != 0:
            self.facts.ok = False
            failure = git_failure(("rev-parse",), found.stderr) if found is not None else None
            if isinstance(failure, UnsafeRepositoryError):
                self.facts.problem = f"{failure.message} {failure.hint}"
            else:
                self.facts.problem = "Saksarkivet er ikke i et git-repository; endringene føres ikke i historikken"
            return
        out = found.stdout.decode("utf-8", "replace")
        self.prefix = out.strip()
        code, out = _run(root, "rev-parse", "-q", "--verify", "HEAD^{commit}")
        self.facts.head = out.strip() if code == 0 and out.strip() else None
        if want_status:
            self._status_started = time.time_ns()
            self._status = _popen(root, "status", "--porcelain=v1", "-z", "--untracked-files=all",
                                  "--ignored=no", "--", cases_dir)
        if (want_log or want_deleted) and self.facts.head:
            reused = _cached_walk(cached_log, self.facts.head)
            if reused is not None:
                self.facts.outside, self.facts.deleted = reused
                self.log_reused = True
            else:
                # one placeholder for both keys: git reads each message's trailers once (as fast as one key)
                self._log = _popen(root, "log", f"--format=%H{UNIT}%(trailers:key={ACTION},key={CASE},separator=%x1f)",
                                   self.facts.head)

    def _read_status(self) -> None:
        if self._status is None or self._status_read:
            return
        self._status_read = True
        out, _ = self._status.communicate()
        if self._status.returncode == 0:
            self._parse_status(out.decode("utf-8", "replace"))
        else:
            self.facts.ok = False
            self.facts.problem = "git status feilet; kan ikke se om sakene er committet"

    def worktree_changes(self) -> tuple[set[str], int] | None:
        """The files under ``cases/`` whose work-tree content differs from git's index, and when the
        ``git status`` that says so started (``filecache.index_blobs``); None without one."""
        if self._status is None:
            return None
        self._read_status()
        if not self.facts.ok:
            return None
        return {rel for rel, code in self.facts.dirty.items() if code[1] != " "}, self._status_started

    def finish(self) -> GitFacts:
        """Collect the results."""
        self._read_status()
        if self._log is not None:
            out, _ = self._log.communicate()
            self._log = None
            self.facts.outside, self.facts.deleted = self._walk(out.decode("utf-8", "replace"))
        return self.facts

    def _strip(self, path: str) -> str:
        return path[len(self.prefix):] if self.prefix and path.startswith(self.prefix) else path

    def _parse_status(self, out: str) -> None:
        parts = out.split("\0")
        i = 0
        while i < len(parts):
            entry = parts[i]
            i += 1
            if len(entry) < 4:
                continue
            code, path = entry[:2], entry[3:]
            if code[0] in "RC":
                i += 1  # the original path follows a rename or copy
            self.facts.dirty[self._strip(path)] = code

    def _walk(self, log: str) -> tuple[set[str], dict[str, DeletedCase]]:
        """Case files last changed outside skm, and case files history has and HEAD has not."""
        foreign: list[str] = []
        named: dict[str, str] = {}  # case id -> the newest commit whose Skm-Case names it
        action_key, case_key = ACTION.lower(), CASE.lower()
        for line in log.splitlines():
            sha, _, rest = line.partition(UNIT)
            if not sha:
                continue
            action = case_id = ""
            for trailer in rest.split(UNIT):  # as skm writes them; git matches keys ignoring case
                key, _, value = trailer.partition(":")
                if key == CASE or (key != ACTION and key.lower() == case_key):
                    case_id = value
                elif key == ACTION or key.lower() == action_key:
                    action = value
            if not action.strip():
                foreign.append(sha)
            case_id = case_id.strip()
            if case_id and case_id not in named:
                named[case_id] = sha  # the id is checked (CASE_ID) only if HEAD lacks it
        newest, seen, removed = self._foreign_changes(foreign)
        outside = self._unchanged_since(newest)
        return outside, self._deleted(named, seen, removed)

    def _foreign_changes(self, foreign: list[str]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """For the commits without ``Skm-Action``: path -> the newest that changed it, that had it, that deleted it."""
        newest: dict[str, str] = {}
        seen: dict[str, str] = {}
        removed: dict[str, str] = {}
        if not foreign:
            return newest, seen, removed
        code, out = _run_input(self.root, "\n".join(foreign) + "\n", "diff-tree", "-r", "--root", "--relative",
                               "--no-renames", "--name-status", "--stdin", "--", self.cases_dir)
        if code != 0:
            return newest, seen, removed
        commit = ""
        for line in out.splitlines():
            if _is_sha(line):
                commit = line
                continue
            status, _, path = line.partition("\t")
            if not (path and commit):
                continue
            newest.setdefault(path, commit)  # the log lists newest first
            if status == "D":
                removed.setdefault(path, commit)
                seen.setdefault(path, f"{commit}^")
            else:
                seen.setdefault(path, commit)
        return newest, seen, removed

    def _unchanged_since(self, newest: dict[str, str]) -> set[str]:
        """The files whose blob at HEAD is the one the newest foreign commit left."""
        files = sorted(path for path in newest)
        if not files:
            return set()
        queries = "".join(f"{self.facts.head}:{self.prefix}{f}\n{newest[f]}:{self.prefix}{f}\n" for f in files)
        code, out = _run_input(self.root, queries, "cat-file", "--batch-check=%(objectname)")
        answers = out.splitlines()
        if code != 0 or len(answers) != 2 * len(files):
            return set()
        return {f for i, f in enumerate(files)
                if answers[2 * i] == answers[2 * i + 1] and not answers[2 * i].endswith("missing")}

    def _deleted(self, named: dict[str, str], seen: dict[str, str], removed: dict[str, str]) -> dict[str, DeletedCase]:
        """Case files history has (``named`` by trailers, ``seen`` in foreign commits) and HEAD has not."""
        folder = f"{self.cases_dir}/"
        known = {f"{folder}{case_id}.yaml": sha for case_id, sha in named.items()}  # ids checked below
        for path, sha in seen.items():
            stem = path[len(folder):-len(".yaml")] if path.startswith(folder) and path.endswith(".yaml") else ""
            if CASE_ID.fullmatch(stem):
                known.setdefault(path, sha)
        if not known:
            return {}
        listed = Git(self.root).run("ls-tree", "-z", "--name-only", "HEAD", "--", folder, check=False)
        if listed.returncode != 0:
            return {}
        at_head = set(listed.stdout.decode("utf-8", "replace").split("\0"))
        gone = sorted(path for path in known if path not in at_head
                      and CASE_ID.fullmatch(path[len(folder):-len(".yaml")]))
        unconfirmed = [path for path in gone if path not in seen]
        confirmed = self._existed(unconfirmed, known)
        found = {}
        for path in gone:
            last = seen.get(path) or confirmed.get(path)
            if last is None:
                continue  # a trailer named an id whose file history never had
            found[path] = DeletedCase(path[len(folder):-len(".yaml")], last, removed.get(path))
        return found

    def _existed(self, paths: list[str], named: dict[str, str]) -> dict[str, str]:
        """Path -> a commit that has it, trying the commit whose trailer named it and that commit's parent."""
        if not paths:
            return {}
        revs = [(path, rev) for path in paths for rev in (named[path], f"{named[path]}^")]
        queries = "".join(f"{rev}:{self.prefix}{path}\n" for path, rev in revs)
        result = Git(self.root).run("cat-file", "--batch-check=%(objecttype)", data=queries.encode("utf-8"),
                                    check=False)
        answers = result.stdout.decode("utf-8", "replace").splitlines()
        if result.returncode != 0 or len(answers) != len(revs):
            return {}
        found: dict[str, str] = {}
        for (path, rev), answer in zip(revs, answers):
            if answer == "blob":
                found.setdefault(path, rev)
        return found

    def log_cache(self) -> dict[str, Any] | None:
        """What to store for the next run (``None``: nothing new)."""
        if self.facts.head is None or self.log_reused:
            return None
        return {"head": self.facts.head, "outside": sorted(self.facts.outside),
                "deleted": {path: found.record() for path, found in sorted(self.facts.deleted.items())}}


def _cached_walk(cached: dict[str, Any] | None, head: str) -> tuple[set[str], dict[str, DeletedCase]] | None:
    """The walk stored for ``head``, or None when there is none (or it is damaged)."""
    if not cached or cached.get("head") != head:
        return None
    outside, deleted = cached.get("outside"), cached.get("deleted")
    if not isinstance(outside, list) or not isinstance(deleted, dict):
        return None
    found = {}
    for path, record in deleted.items():
        if not (isinstance(record, dict) and set(record) == {"case", "last_seen", "deleted_in"}):
            return None
        case_id, last_seen, deleted_in = record["case"], record["last_seen"], record["deleted_in"]
        if not (isinstance(case_id, str) and CASE_ID.fullmatch(case_id) and isinstance(last_seen, str)
                and _is_sha(last_seen.removesuffix("^")) and (deleted_in is None or (isinstance(deleted_in, str) and _is_sha(deleted_in)))):
            return None
        found[path] = DeletedCase(case_id, last_seen, deleted_in)
    return {p for p in outside if isinstance(p, str)}, found


def _run_input(root: Path, data: str, *args: str) -> tuple[int, str]:
    try:
        result = run_git(root, args, data=data.encode("utf-8"))
    except GitError:  # git is not installed
        return 127, ""
    return result.returncode, result.stdout.decode("utf-8", "replace")


def deleted_message(gone: DeletedCase, rel: str) -> str:
    """``sak-slettet``: which case, the commit that removed it, and how to restore it (ids and commit ids only)."""
    if gone.deleted_in:
        commit = gone.deleted_in[:7]
        return (f"Saken {gone.case_id} finnes i historikken, men saksfila er slettet eller flyttet i commit {commit} "
                f"(saker skal bevares); gjenopprett den med `git revert {commit}`")
    last = gone.last_seen[:7] + ("^" if gone.last_seen.endswith("^") else "")
    return (f"Saken {gone.case_id} finnes i historikken, men saksfila er borte (sist i commit {last}; saker skal "
            f"bevares); gjenopprett den med `git checkout {last} -- {rel}` og commit")


def dirty_message(code: str) -> str:
    if code == "??":
        return "Saksfila er ikke committet: den er ny og ikke ført i historikken"
    if "D" in code:
        return "Saksfila er slettet, men slettingen er ikke committet (saker skal bevares)"
    return "Saksfila har endringer som ikke er committet (ikke ført i historikken)"


def schema_copy_findings(root: Path) -> list[tuple[str, int, str]]:
    """``(file, line, message)`` for each schema copy that is missing or differs."""
    found = []
    packaged = schemas_dir()
    for source in sorted(packaged.glob("*.schema.json")):
        copy = root / "schemas" / source.name
        rel = f"schemas/{source.name}"
        try:
            if copy.resolve() == source.resolve():
                continue
            current = copy.read_bytes()
        except FileNotFoundError:
            found.append((rel, 1, f"{rel} mangler; redigeringsprogrammet kan ikke kontrollere feltene"))
            continue
        except OSError:
            found.append((rel, 1, f"{rel} kan ikke leses"))
            continue
        if current != source.read_bytes():
            found.append((rel, 1, f"{rel} er ikke lik skjemaet i skm {__version__}; oppdater kopien"))
    return found
