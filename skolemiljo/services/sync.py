"""``skm sync``: fetch the others' work, integrate it, push ours — or change nothing.

The orchestration; the jobs live in their own modules:

- ``storage.remote``: the upstream branch, fetch, push (the central repository);
- ``services.replay``: local commits made again on the central tip (replay, not merge
  commits: history stays linear), with ``services.filemerge`` merging each file and
  ``domain.renumbering`` deciding which case and tiltak ids change;
- ``storage.worktree``: the journaled move of branch, index and files.

**Nothing half-done.** Everything is built as git objects first (no ref, index or file
touched). Only then the working tree, the index and the branch are moved, under a journal
in ``.skm/``, and pushed. Any failure — a conflict the user will not resolve, an invalid
merged case, a rejected push, an exception — puts HEAD, the index and the working tree
back byte for byte. Everything runs under the repository's write lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

from skolemiljo.domain.author import Author
from skolemiljo.domain.casepaths import CasePaths
from skolemiljo.domain.merge import CENTRAL, LOCAL, Choices, Conflict
from skolemiljo.domain.renumbering import Renumbering, TiltakRenumbering
from skolemiljo.errors import (
    ConflictsUnresolvedError,
    IncomingRefusedError,
    SkmError,
    SyncFailedError,
    SyncRefusedError,
    UsageError,
)
from skolemiljo.services.incoming import refuse_deleted_cases, refuse_state_files
from skolemiljo.services.replay import Plan, Replay, Replayed, case_renumbering, local_commits, plan_tiltak
from skolemiljo.storage.changes import CommitInfo, commit_infos, tree_changes
from skolemiljo.storage.commits import GitStore
from skolemiljo.storage.git import Git
from skolemiljo.storage.journal import folder_in_git
from skolemiljo.storage.remote import Upstream, fetch, find_upstream, push
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.storage.transaction import writing
from skolemiljo.storage.worktree import WorkTree

__all__ = ["CommitInfo", "Renumbering", "Resolver", "SyncResult", "TiltakRenumbering", "iter_conflict_cases",
           "sync"]


@dataclass
class SyncResult:
    """What came in, what went out, and what skm had to do about it."""

    upstream: str
    incoming: list[CommitInfo] = field(default_factory=list)
    outgoing: list[CommitInfo] = field(default_factory=list)
    renumbered: list[Renumbering] = field(default_factory=list)
    tiltak_renumbered: list[TiltakRenumbering] = field(default_factory=list)
    merged_cases: list[str] = field(default_factory=list)
    resolved: list[tuple[Conflict, str]] = field(default_factory=list)
    skipped: list[CommitInfo] = field(default_factory=list)
    first_push: bool = False

    @property
    def up_to_date(self) -> bool:
        return not self.incoming and not self.outgoing and not self.skipped


Resolver = Callable[[list[Conflict]], Choices]


Say = Callable[[str], None]


def sync(repo: CaseRepo, author: Author, resolve: Resolver, *, interactive: bool = False,
         say: Say | None = None) -> SyncResult:
    """Fetch, integrate and push under the write lock; on failure nothing changes.

    ``resolve`` is called with the true conflicts (if any) and returns a side
    (``merge.LOCAL`` or ``merge.CENTRAL``) per conflict key; it may raise an
    ``SkmError`` to refuse, which leaves everything as it was.
    """
    say = say or (lambda _text: None)
    with writing(repo) as store:
        git = Git(store.toplevel, interactive)
        upstream = find_upstream(git)
        tree = WorkTree(git, store, upstream.branch_ref)
        tree.recover()
        head = git.rev(upstream.branch_ref)
        if head is None:
            raise UsageError("Saksarkivet har ingen commits ennå; opprett det med `skm init`.")
        say(f"Henter fra det sentrale saksarkivet ({upstream.name}) …")
        tracked = git.rev(upstream.tracking_ref)
        remote = fetch(git, upstream)
        result = SyncResult(upstream.name)
        if remote is None:
            return _first_push(store, git, upstream, head, result, say)
        if remote == head:
            return result
        try:
            return _integrate(repo, store, git, tree, upstream, head, remote, author, resolve, result, say)
        except IncomingRefusedError:
            _put_back_tracking(git, upstream, tracked)  # the refused commits are not even seen locally
            raise


def _put_back_tracking(git: Git, upstream: Upstream, old: str | None) -> None:
    if old is None:
        git.run("update-ref", "-d", upstream.tracking_ref, check=False)
    else:
        git.run("update-ref", upstream.tracking_ref, old, check=False)


def _state_prefix(store: GitStore) -> str:
    return folder_in_git(store.toplevel, store.root, store.repo.state_dir.name)


def _case_paths(repo: CaseRepo, store: GitStore) -> CasePaths:
    return CasePaths(folder_in_git(store.toplevel, repo.root, repo.cases_dir.name))


def _first_push(store: GitStore, git: Git, upstream: Upstream, head: str, result: SyncResult,
                say: Say) -> SyncResult:
    refuse_state_files(git, _state_prefix(store), None, None, head)
    say("Det sentrale saksarkivet er tomt; sender hele saksarkivet …")
    result.outgoing = commit_infos(git, head)
    result.first_push = True
    push(git, upstream, head)
    return result


def _integrate(repo: CaseRepo, store: GitStore, git: Git, tree: WorkTree, upstream: Upstream, head: str,
               remote: str, author: Author, resolve: Resolver, result: SyncResult, say: Say) -> SyncResult:
    base = git.out("merge-base", head, remote, check=False).strip()
    if not base:
        raise SyncRefusedError(
            "Det sentrale saksarkivet har en historikk som ikke henger sammen med dette saksarkivet.",
            hint="Det sentrale prosjektet må være opprettet tomt (uten README). Se «Flere brukere» i README. "
            "Ingenting er endret.")
    refuse_deleted_cases(git, _case_paths(repo, store), base, remote, head)
    refuse_state_files(git, _state_prefix(store), base, remote, head)
    result.incoming = commit_infos(git, f"{head}..{remote}")
    if base == head:  # only incoming: fast-forward
        _move(tree, head, remote, None)
        return result
    if base == remote:  # only outgoing
        result.outgoing = commit_infos(git, f"{remote}..{head}")
        say("Sender endringene dine …")
        push(git, upstream, head)
        return result
    replayed = _replay(repo, tree, base, remote, head, author, resolve, result)
    result.outgoing, result.skipped = replayed.outgoing, replayed.skipped
    result.renumbered, result.tiltak_renumbered = replayed.renumbered, replayed.tiltak_renumbered
    say("Sender endringene dine …")
    _move(tree, head, replayed.tip, upstream)
    return result


def _replay(repo: CaseRepo, tree: WorkTree, base: str, remote: str, head: str, author: Author,
            resolve: Resolver, result: SyncResult) -> Replayed:
    """Plan, resolve, validate and build the new history (only objects written)."""
    git = tree.git
    paths = _case_paths(repo, tree.store)
    commits = local_commits(git, base, head)
    renumber = case_renumbering(git, paths, base, remote, head, commits)
    tiltak, base_logs = plan_tiltak(git, paths, base, remote, head, commits, renumber)
    plan = Plan(base, remote, head, commits, renumber, tiltak, base_logs, result.upstream)
    replay = Replay(git, repo, paths, plan, author)
    tree.ensure_clean(
        [c.path for c in tree_changes(git, head, remote)] + [paths.path(n) for n in renumber.values()])
    conflicts = replay.whole_range({})
    choices: Choices = {}
    if conflicts:
        choices = resolve(conflicts)
        missing = [c for c in conflicts if choices.get(c.key) not in (LOCAL, CENTRAL)]
        if missing:
            raise ConflictsUnresolvedError("Ikke alle konfliktene er avgjort; ingenting er endret.", missing)
        result.resolved = [(c, choices[c.key]) for c in conflicts]
        replay.whole_range(choices)
    replay.choices = choices
    result.merged_cases = sorted(paths.case_id(t) for t, m in plan.finals.items()
                                 if m.data_merged and paths.case_id(t))
    replay.validate()
    return replay.build()


def _move(tree: WorkTree, old: str, new: str, push_to: Upstream | None) -> None:
    """Move the work tree and branch to ``new`` and push; on any failure put everything back."""
    changes = tree_changes(tree.git, old, new)
    tree.check(changes)
    try:
        tree.move(old, new, changes)
        if push_to is not None:
            push(tree.git, push_to, new)
    except BaseException as error:
        tree.restore()
        if isinstance(error, SkmError):
            raise SyncFailedError(
                f"{error.message} Synkroniseringen er avbrutt, og saksarkivet er som før; ingenting er endret.",
                hint=error.hint or "Kjør `skm sync` igjen.") from None
        if isinstance(error, Exception):
            raise SyncFailedError(
                f"Synkroniseringen ble avbrutt av en uventet feil ({type(error).__name__}); saksarkivet er satt "
                "tilbake som det var, ingenting er endret.",
                hint="Kjør `skm sync` igjen. Skjer det igjen, meld feilen til den som drifter skm.") from error
        raise
    tree.done()


def iter_conflict_cases(conflicts: list[Conflict]) -> Iterator[tuple[str, list[Conflict]]]:
    """Conflicts grouped by case, in order."""
    groups: dict[str, list[Conflict]] = {}
    for conflict in conflicts:
        groups.setdefault(conflict.case_id, []).append(conflict)
    yield from groups.items()
