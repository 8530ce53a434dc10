"""What changed between commits, read from git: tree diffs and the commits of a range."""

from __future__ import annotations

from dataclasses import dataclass

from skolemiljo.storage.git import Git

ZERO = "0" * 40  # the object id git uses for "no object" (update-index: remove the path)


@dataclass(frozen=True)
class Change:
    """One path a commit changed: mode/blob after (None when deleted)."""

    path: str
    status: str
    mode: str | None
    blob: str | None


@dataclass(frozen=True)
class CommitInfo:
    """A commit as ``skm sync`` reports it."""

    sha: str
    subject: str
    author: str
    date: str  # YYYY-MM-DD


@dataclass
class CommitDetails:
    """A commit with everything needed to make it again on another parent."""

    sha: str
    parent: str
    author_name: str
    author_email: str
    author_date: str  # raw: "<unix> <tz>"
    day: str  # YYYY-MM-DD
    message: str
    changes: list[Change]

    @property
    def subject(self) -> str:
        return self.message.splitlines()[0] if self.message else ""


def tree_changes(git: Git, old: str, new: str) -> list[Change]:
    """Every path that differs between commits ``old`` and ``new`` (renames as delete + add)."""
    raw = git.out("diff-tree", "-r", "-z", "--no-renames", "--raw", old, new)
    parts = raw.split("\0")
    changes = []
    for meta, path in zip(parts[0::2], parts[1::2]):
        if not meta.startswith(":"):
            continue
        _old_mode, new_mode, _old_sha, new_sha, status = meta[1:].split()
        deleted = status == "D"
        changes.append(Change(path, status, None if deleted else new_mode, None if deleted else new_sha))
    return changes


def has_merges(git: Git, base: str, head: str) -> bool:
    """Whether ``base..head`` holds a merge commit."""
    return bool(git.out("rev-list", "--min-parents=2", f"{base}..{head}").strip())


def commit_details(git: Git, base: str, head: str) -> list[CommitDetails]:
    """The commits of ``base..head``, oldest first (a linear range: first parents only)."""
    found = []
    for sha in git.out("rev-list", "--reverse", "--topo-order", f"{base}..{head}").split():
        meta = git.out("log", "-1", "--format=%P%x00%an%x00%ae%x00%ad%x00%as%x00%B", "--date=raw", sha)
        parent, name, email, when, day, message = meta.split("\0", 5)
        parent = parent.split()[0]
        found.append(CommitDetails(sha, parent, name, email, when, day, message.rstrip("\n") + "\n",
                                   tree_changes(git, parent, sha)))
    return found


def commit_infos(git: Git, spec: str) -> list[CommitInfo]:
    """The commits ``git log SPEC`` lists (merges left out), oldest first."""
    out = git.out("log", "--reverse", "--no-merges", "--format=%H%x1f%s%x1f%an%x1f%ad%x1e", "--date=short", spec)
    infos = []
    for record in out.split("\x1e"):
        record = record.strip("\n")
        if record:
            sha, subject, author, day = record.split("\x1f")
            infos.append(CommitInfo(sha, subject, author, day))
    return infos


def files_under(git: Git, rev: str, prefix: str) -> list[str]:
    """Every file path in commit ``rev`` under the folder ``prefix`` (``.skm/``), recursively."""
    out = git.out("ls-tree", "-r", "-z", "--name-only", rev, "--", prefix)
    return [p for p in out.split("\0") if p]


def commits_changing(git: Git, base: str, tip: str, paths: list[str], diff_filter: str, *,
                     merges: bool = False) -> dict[str, list[str]]:
    """Path -> the commits of ``base..tip`` (oldest first) whose change to it ``diff_filter`` selects.

    ``paths`` are git pathspecs (a folder: ``.skm/``). ``diff_filter`` is git's ``--diff-filter``
    (``D``: deleted; ``AMT``: added or changed). Renames count as a deletion and an addition.
    Merge commits are only looked at with ``merges`` (each compared with each parent).
    """
    out = git.out("log", "--reverse", *(["-m"] if merges else []), "--format=%x00%H", f"--diff-filter={diff_filter}",
                  "--no-renames", "--name-only", f"{base}..{tip}", "--", *paths)
    found: dict[str, list[str]] = {}
    for record in out.split("\0"):
        lines = [line for line in record.splitlines() if line]
        if not lines:
            continue
        sha, paths = lines[0], lines[1:]
        for path in paths:
            commits = found.setdefault(path, [])
            if sha not in commits:
                commits.append(sha)
    return found


def deleted_files(git: Git, base: str, tip: str, prefix: str) -> dict[str, list[str]]:
    """Files under ``prefix`` that a commit of ``base..tip`` deleted (or renamed away) and ``tip`` lacks.

    Path -> the deleting commits, oldest first. A file deleted and then restored in the
    range is not listed; one added and deleted again in the range is.
    """
    deleted = commits_changing(git, base, tip, [prefix], "D")
    net = git.out("diff-tree", "-r", "-z", "--no-renames", "--diff-filter=D", "--name-only", base, tip, "--", prefix)
    by_merge = [path for path in net.split("\0") if path and path not in deleted]
    if by_merge:  # deleted by a merge commit itself: name the merge
        deleted |= commits_changing(git, base, tip, by_merge, "D", merges=True)
        deleted |= {path: [] for path in by_merge if path not in deleted}
    if not deleted:
        return {}
    still_there = set(files_under(git, tip, prefix))
    return {path: commits for path, commits in deleted.items() if path not in still_there}
