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
