"""A case file's history: the commits that changed it, read from git.

In a flat ``cases/`` of tens of thousands of files, ``git log -- cases/<id>.yaml`` has to diff
every commit's ``cases/`` tree: without git's commit-graph (with changed-path Bloom filters) that is
13 s at 10,000 cases, and writing the graph in a fresh clone grows as N^1.8 (90 s at 50,000 cases).
``case_history`` therefore first tries a walk that diffs nothing (``_trailer_history``): skm names the
case of every commit it makes in the ``Skm-Case`` trailer, so one ``git log`` of the trailers, plus a
``git diff-tree`` of the few commits *without* skm's trailers, gives the candidates. The candidates
are then *proven* against the file's blobs (``git cat-file --batch-check``): in a linear history every
candidate must change the file, each candidate's parent must hold the blob the next older candidate
left, HEAD must hold the blob of the newest one, and the oldest one's parent must not have the file
(or have the blob of ``since``). When anything does not line up (a merge, a commit whose trailer
names another case but changed this file, a renamed file) the exact ``git log -- path`` walk runs
instead, with the commit-graph as before. A commit that changed the file and a later one that
changed it back to the same bytes, both under another case's trailer, would not be seen by the fast
walk; skm never makes such commits, and ``endret-utenom-skm`` judges trailers the same way.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from skolemiljo.errors import FileProblem
from skolemiljo.storage.atomic import write_atomic
from skolemiljo.storage.git import full_history_head, git_failure, run_git
from skolemiljo.storage.repository import CaseRepo


UNIT = "\x1f"
RECORD = "\x1e"
ACTION, CASE = "Skm-Action", "Skm-Case"


@dataclass(frozen=True)
class HistoryEntry:
    commit: str
    when: str  # ISO 8601 with time zone
    author: str
    action: str
    action_id: str | None
    status_change: str | None


def refresh_commit_graph(root: Path) -> bool:
    """Bring git's commit-graph, with changed-path Bloom filters, up to date (best effort).

    ``git log -- cases/2026-0007.yaml`` must otherwise diff every commit's 10,000-entry
    ``cases/`` tree: 13 s in an archive of 10,000 cases and 20,000 commits, 0.7 s with
    the filters. The first call writes the graph for the whole history (seconds, once);
    later calls add a layer for the new commits only (milliseconds). Like ``git gc``, it
    changes no commit and no file; a failure (a read-only or shallow clone, another git
    writing it) just leaves the walk slower. Only the exact walk (``exact_history``) needs it.
    """
    result = run_git(root, ("commit-graph", "write", "--reachable", "--changed-paths", "--split", "--no-progress"))
    return result.returncode == 0


def head_commit(root: Path) -> str | None:
    """The commit HEAD names, or None (no commit yet, not a repository)."""
    result = run_git(root, ("rev-parse", "--verify", "--quiet", "HEAD^{commit}"))
    if result.returncode != 0:
        return None
    return result.stdout.decode("ascii", "replace").strip() or None


def descends_from(root: Path, older: str, newer: str) -> bool:
    """``newer`` has ``older`` in its history (a history that grew, not one that was rewritten)."""
    return run_git(root, ("merge-base", "--is-ancestor", older, newer)).returncode == 0


def case_history(repo: CaseRepo, path: Path, since: str | None = None) -> list[HistoryEntry]:
    """Every commit that touched ``path``, oldest first; with ``since``, only those after that commit.

    Refused (``ShallowHistoryError``) in a shallow clone, whose cut-off history would attribute
    other commits to the case; ``NoGitRepositoryError`` outside git.
    """
    if full_history_head(repo.root) is None:
        return []
    located = _locate(repo.root, path)
    if located is None:
        return []
    head, gitpath = located
    commits = _trailer_history(repo.root, head, gitpath, since, repo.state_dir)
    if commits is None:
        return exact_history(repo, path, since)
    return _entries(repo.root, commits)


def _locate(root: Path, path: Path) -> tuple[str, str] | None:
    """``(HEAD commit, path relative to the top of the work tree)``, or None without a commit."""
    result = run_git(root, ("rev-parse", "--show-toplevel", "--verify", "--quiet", "HEAD^{commit}"))
    lines = result.stdout.decode("utf-8", "replace").splitlines()
    if result.returncode != 0 or len(lines) != 2 or not lines[1].strip():
        return None
    top = Path(lines[0])
    return lines[1].strip(), path.resolve().relative_to(top.resolve()).as_posix()


Walk = list[tuple[str, str, bool]]  # newest first: (commit, its Skm-Case, whether it has Skm-Action)
WALK_FORMAT = 1


def _trailer_history(root: Path, head: str, gitpath: str, since: str | None,
                     state_dir: Path | None = None) -> list[str] | None:
    """The commits that changed ``gitpath``, newest first, without diffing skm's commits; None: not proven."""
    name = gitpath.rsplit("/", 1)[-1]
    case_id = name[:-len(".yaml")] if name.endswith(".yaml") else None
    walk = _walk_from_cache(root, head, state_dir) if state_dir is not None else _walk(root, head, None)
    if walk is None:
        return None
    if since:
        position = next((i for i, (sha, _case, _action) in enumerate(walk) if sha == since), None)
        if position is None:
            return None  # not in the (linear) history of HEAD: the exact walk decides
        walk = walk[:position]
    candidates = {sha for sha, case, action in walk if action and case_id is not None and case == case_id}
    foreign = [sha for sha, _case, action in walk if not action]
    if foreign:
        diff = run_git(root, ("-c", "core.quotepath=off", "diff-tree", "-r", "--root", "--no-renames",
                              "--name-only", "--stdin", "--", gitpath), data=("\n".join(foreign) + "\n").encode())
        if diff.returncode != 0:
            return None
        shas = set(foreign)
        commit = ""
        for line in diff.stdout.decode("utf-8", "replace").splitlines():
            if line in shas:
                commit = line
            elif line == gitpath and commit:
                candidates.add(commit)
    chain = [sha for sha, _case, _action in walk if sha in candidates]  # newest first
    return _proven(root, head, gitpath, chain, since)


def _walk(root: Path, head: str, since: str | None) -> Walk | None:
    """Every commit of ``since..head`` with its trailers (no diffs); None at a merge or when git fails."""
    result = run_git(root, ("log", "--no-show-signature", f"--format=%H{UNIT}%P{UNIT}%(trailers:key={ACTION},key={CASE},separator=%x1f)",
                            f"{since}..{head}" if since else head))
    if result.returncode != 0:
        return None
    walk: Walk = []
    action_key, case_key = ACTION.lower(), CASE.lower()
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        sha, _, rest = line.partition(UNIT)
        parents, _, trailers = rest.partition(UNIT)
        if not sha:
            continue
        if len(parents.split()) > 1:
            return None  # a merge: the exact walk decides what it brought
        action = case = ""
        for trailer in trailers.split(UNIT):  # git matches trailer keys ignoring case
            key, _, value = trailer.partition(":")
            if key.lower() == case_key:
                case = value.strip()
            elif key.lower() == action_key:
                action = value.strip()
        walk.append((sha, case, bool(action)))
    return walk


def _walk_from_cache(root: Path, head: str, state_dir: Path) -> Walk | None:
    """The walk of ``head``, from ``.skm/cache/history.json`` plus the commits made since (saved again).

    The cache only names candidates: every answer is still proven against the blobs (``_proven``), so
    a damaged or foreign cache can at worst send the question to the exact walk. Not used when git
    tracks anything under ``.skm/``.
    """
    path = state_dir / "cache" / "history.json"
    cached: Walk | None = None
    try:
        data = json.loads(path.read_bytes())
        if isinstance(data, dict) and data.get("format") == WALK_FORMAT and isinstance(data.get("head"), str):
            cached = [(str(sha), str(case), bool(action)) for sha, case, action in data["commits"]]
            cached_head = data["head"]
    except (OSError, ValueError, TypeError, KeyError):
        cached = None
    if cached is not None and _tracked_state(root):
        return _walk(root, head, None)
    if cached is not None and cached_head == head:
        return cached
    if cached is not None and cached and cached[0][0] == cached_head and descends_from(root, cached_head, head):
        newer = _walk(root, head, cached_head)
        walk = None if newer is None else newer + cached
    else:
        walk = _walk(root, head, None)
    if walk is not None and not _tracked_state(root):
        payload = json.dumps({"format": WALK_FORMAT, "head": head, "commits": walk}, separators=(",", ":"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, payload.encode("utf-8"))
        except (OSError, FileProblem):
            pass  # a read-only checkout: the walk is only slower next time
    return walk


def _tracked_state(root: Path) -> bool:
    """Whether git tracks files under ``.skm/`` (then nothing there is trusted)."""
    found = run_git(root, ("ls-files", "-z", "--", ".skm/"))
    return found.returncode != 0 or bool(found.stdout.strip(b"\0"))


def _proven(root: Path, head: str, gitpath: str, chain: list[str], since: str | None) -> list[str] | None:
    """``chain`` without the candidates that did not change the file, if the blobs prove it complete."""
    revs = [head, *(f"{sha}{suffix}" for sha in chain for suffix in ("", "~1"))]
    if since:
        revs.append(since)
    queries = "".join(f"{rev}:{gitpath}\n" for rev in revs)
    result = run_git(root, ("cat-file", "--batch-check=%(objectname)"), data=queries.encode("utf-8"))
    answers: list[str | None] = [None if line.endswith(" missing") else line
                                 for line in result.stdout.decode("utf-8", "replace").splitlines()]
    if result.returncode != 0 or len(answers) != len(revs):
        return None
    base = answers[-1] if since else None  # the blob before the range (None: the file was not there)
    changed: list[tuple[str, str | None, str | None]] = []
    for index, sha in enumerate(chain):
        after, before = answers[1 + 2 * index], answers[2 + 2 * index]
        if after != before:  # a candidate that did not change the file is no part of its history
            changed.append((sha, after, before))
    expected = answers[0]
    for _sha, after, before in changed:
        if after != expected:
            return None
        expected = before
    if expected != base:
        return None
    return [sha for sha, _after, _before in changed]


def _entries(root: Path, commits: list[str]) -> list[HistoryEntry]:
    """The entries of ``commits`` (newest first), oldest first."""
    if not commits:
        return []
    result = run_git(root, ("log", "--no-show-signature", "--no-walk=unsorted", f"--format=%H{UNIT}%aI{UNIT}%an{UNIT}%B{RECORD}", "--stdin"),
                     data=("\n".join(commits) + "\n").encode())
    entries = []
    for record in result.stdout.decode("utf-8", "replace").split(RECORD):
        sha, _, rest = record.strip("\n").partition(UNIT)
        when, _, rest = rest.partition(UNIT)
        author, _, message = rest.partition(UNIT)
        if not sha:
            continue
        entries.append(_entry(sha, datetime.fromisoformat(when).isoformat(timespec="minutes"), author, message))
    entries.reverse()
    return entries


def _entry(sha: str, when: str, author: str, message: str) -> HistoryEntry:
    subject = message.strip().split("\n", 1)[0] if message.strip() else ""
    trailers = _trailers(message)
    action = subject.split(": ", 1)[1] if ": " in subject and trailers.get("Skm-Case") else subject
    return HistoryEntry(commit=sha, when=when, author=author, action=action,
                        action_id=trailers.get("Skm-Action"), status_change=trailers.get("Skm-Status"))


def exact_history(repo: CaseRepo, path: Path, since: str | None = None) -> list[HistoryEntry]:
    """The exact walk: ``git log -- path``, with the commit-graph written first."""
    if since is None:
        refresh_commit_graph(repo.root)
    rel = os.path.relpath(path.resolve(), repo.root.resolve())
    args = ("-c", "log.follow=false", "log", "-z", "--no-show-signature", f"--format=%H{UNIT}%aI{UNIT}%an{UNIT}%B",
            f"{since}..HEAD" if since else "HEAD", "--", f":(literal){Path(rel).as_posix()}")
    result = run_git(repo.root, args)
    if result.returncode != 0:
        raise git_failure(args, result.stderr)
    entries = []
    for record in result.stdout.decode("utf-8", "replace").split("\0"):
        if not record:
            continue
        commit, when, author, message = record.lstrip("\n").split(UNIT, 3)
        entries.append(_entry(commit, datetime.fromisoformat(when).isoformat(timespec="minutes"), author, message))
    entries.reverse()
    return entries


def _trailers(message: str) -> dict[str, str]:
    trailers = {}
    for line in message.strip().splitlines()[1:]:
        if ": " in line and line.split(": ", 1)[0].startswith("Skm-"):
            key, value = line.split(": ", 1)
            trailers[key] = value.strip()
    return trailers
