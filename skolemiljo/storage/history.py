"""A case's history read from git: its commits with date, author and skm trailers, and the commit-graph that keeps that fast."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from skolemiljo.storage.git import full_history_head, git_failure, run_git
from skolemiljo.storage.repository import CaseRepo

_UNIT = "\x1f"


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
    writing it) just leaves the walk slower.
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
    if since is None:
        refresh_commit_graph(repo.root)
    rel = os.path.relpath(path.resolve(), repo.root.resolve())
    args = ("-c", "log.follow=false", "log", "-z", "--no-show-signature", f"--format=%H{_UNIT}%aI{_UNIT}%an{_UNIT}%B",
            f"{since}..HEAD" if since else "HEAD", "--", f":(literal){Path(rel).as_posix()}")
    result = run_git(repo.root, args)
    if result.returncode != 0:
        raise git_failure(args, result.stderr)
    entries = []
    for record in result.stdout.decode("utf-8", "replace").split("\0"):
        if not record:
            continue
        commit, when, author, message = record.lstrip("\n").split(_UNIT, 3)
        subject = message.split("\n", 1)[0]
        trailers = _trailers(message)
        action = subject.split(": ", 1)[1] if ": " in subject and trailers.get("Skm-Case") else subject
        entries.append(HistoryEntry(
            commit=commit,
            when=datetime.fromisoformat(when).isoformat(timespec="minutes"),
            author=author,
            action=action,
            action_id=trailers.get("Skm-Action"),
            status_change=trailers.get("Skm-Status"),
        ))
    entries.reverse()
    return entries


def _trailers(message: str) -> dict[str, str]:
    trailers = {}
    for line in message.strip().splitlines()[1:]:
        if ": " in line and line.split(": ", 1)[0].startswith("Skm-"):
            key, value = line.split(": ", 1)
            trailers[key] = value.strip()
    return trailers
