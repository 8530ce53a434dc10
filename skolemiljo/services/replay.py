"""The replay of ``skm sync``: local commits made again, as git objects, on the central tip.

Each local commit is replayed with its author, date and message, so history stays linear
and every commit still touches one case file. Replaying a commit is a three-way merge of
the file(s) it touches (base: the file before the commit, central: the file on the new tip,
local: the file after it). The last replayed commit of each file gets the whole-range merge
(base: merge-base version, central: upstream version, local: our version), which is where
true conflicts are found, resolved once field by field, and validated. Renumbered cases
and tiltak (``domain.renumbering``) get one more commit each that records it in ``logg``.

Only objects are written: no ref, index or work-tree file is touched here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skolemiljo.domain import renumbering
from skolemiljo.domain.author import Author
from skolemiljo.domain.casepaths import CasePaths
from skolemiljo.domain.merge import CENTRAL, LOCAL, Choices, Conflict
from skolemiljo.domain.renumbering import Renumbering, TiltakRenumbering
from skolemiljo.errors import Finding, InvalidCaseError, SyncRefusedError
from skolemiljo.schema.validation import validate_record
from skolemiljo.services.cases import log_entry
from skolemiljo.services.filemerge import Merged, merge_file, parse_case
from skolemiljo.storage import yamlio
from skolemiljo.storage.casefiles import case_document
from skolemiljo.storage.changes import (
    CommitDetails,
    CommitInfo,
    commit_details,
    commit_infos,
    has_merges,
    tree_changes,
)
from skolemiljo.storage.commits import commit_message, signing_failed
from skolemiljo.storage.git import Git, git_failure, signing_args
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.storage.changes import ZERO


def local_commits(git: Git, base: str, head: str) -> list[CommitDetails]:
    """The local commits to replay; refused when they hold a merge."""
    if has_merges(git, base, head):
        raise SyncRefusedError(
            "Den lokale historikken inneholder en sammenslåing (merge) som skm ikke kan spille av på nytt.",
            hint="Be noen som kan git, om å rydde historikken (git rebase), og kjør `skm sync` igjen.",
        )
    return commit_details(git, base, head)


def case_renumbering(git: Git, paths: CasePaths, base: str, upstream: str, head: str,
                     commits: list[CommitDetails]) -> dict[str, str]:
    """Old id -> new id for cases added locally whose id the upstream also added."""
    ids_in = {rev: {i for p in git.names(rev, paths.prefix) if (i := paths.case_id(p))}
              for rev in (base, upstream, head)}
    added = [cid for c in commits for ch in c.changes if ch.status == "A" and (cid := paths.case_id(ch.path))]
    return renumbering.case_renumbering(added, ids_in[base], ids_in[upstream], ids_in[head])


def plan_tiltak(git: Git, paths: CasePaths, base: str, upstream: str, head: str, commits: list[CommitDetails],
                renumbered: dict[str, str]) -> tuple[dict[str, dict[str, str]], dict[str, list[Any]]]:
    """Tiltak id clashes in cases changed on both sides; and those cases' log at the merge base."""
    local_paths = {ch.path for c in commits for ch in c.changes if paths.case_id(ch.path) not in renumbered}
    central_paths = {ch.path for ch in tree_changes(git, base, upstream)}
    renames, base_logs = {}, {}
    for path in sorted(local_paths & central_paths):
        case_id = paths.case_id(path)
        versions = [git.read(rev, path) for rev in (base, upstream, head)]
        if case_id is None or any(v is None for v in versions[1:]):
            continue
        try:
            data = [yamlio.load_bytes(v) if v is not None else None for v in versions]
        except yamlio.YamlProblem:
            continue  # reported by the merge itself
        if not all(isinstance(d, dict) for d in data[1:]):
            continue
        mapping = renumbering.tiltak_renumbering(data[0] if isinstance(data[0], dict) else {}, data[1], data[2])
        if mapping:
            renames[case_id] = mapping
            base_logs[case_id] = list((data[0] or {}).get("logg") or []) if isinstance(data[0], dict) else []
    return renames, base_logs


def check_case(repo: CaseRepo, toplevel: Path, paths: CasePaths, path: str, content: bytes) -> list[Finding]:
    """Schema and rule findings for one case content; the id must match the file name."""
    rel = repo.rel(toplevel / path)
    text = content.decode("utf-8", "replace")
    try:
        data = yamlio.load(text)
    except yamlio.YamlProblem as problem:
        return [Finding(rel, problem.line, "yaml", problem.message)]
    findings = validate_record(data, text, rel)
    expected = paths.case_id(path)
    if isinstance(data, dict) and data.get("id") != expected:
        findings.append(Finding(rel, 1, "schema", f"id: skal være {expected} (lik filnavnet)"))
    return findings


@dataclass
class Plan:
    """Everything decided before anything is written."""

    base: str
    upstream: str
    head: str
    commits: list[CommitDetails]
    renumber: dict[str, str]
    tiltak: dict[str, dict[str, str]]  # case id -> local tiltak id -> new id
    base_logs: dict[str, list[Any]]
    upstream_name: str = "origin/main"
    finals: dict[str, Merged] = field(default_factory=dict)  # target path -> whole-range merge


@dataclass
class Replayed:
    """The new tip and the commits made to reach it."""

    tip: str
    outgoing: list[CommitInfo] = field(default_factory=list)
    skipped: list[CommitInfo] = field(default_factory=list)  # local commits that changed nothing any more
    renumbered: list[Renumbering] = field(default_factory=list)
    tiltak_renumbered: list[TiltakRenumbering] = field(default_factory=list)


class Replay:
    """Builds the new history as git objects; touches no ref, index or work-tree file."""

    def __init__(self, git: Git, repo: CaseRepo, paths: CasePaths, plan: Plan, author: Author) -> None:
        self.git, self.repo, self.paths, self.plan, self.author = git, repo, paths, plan, author
        self._sign: list[str] | None = None  # ["-S"] when commit.gpgsign is on (asked once)
        self.scratch = repo.state_dir
        self.choices: Choices = {}
        self._id_re = renumbering.case_id_pattern(plan.renumber) if plan.renumber else None

    # --------------------------------------------------------- local side

    def target(self, path: str) -> str:
        """Where the local file ``path`` ends up (a renumbered case moves)."""
        case_id = self.paths.case_id(path)
        if case_id in self.plan.renumber:
            return self.paths.path(self.plan.renumber[case_id])
        return path

    def localize(self, path: str, content: bytes | None) -> bytes | None:
        """A local version of ``path`` with the renumberings applied."""
        if content is None:
            return None
        case_id = self.paths.case_id(path)
        if self._id_re and case_id in self.plan.renumber:
            text = content.decode("utf-8", "replace")
            content = renumbering.rewrite_ids(text, self._id_re, self.plan.renumber).encode("utf-8")
        if case_id in self.plan.tiltak:
            data = parse_case(content, path)
            data = renumbering.rename_tiltak(data, self.plan.tiltak[case_id], self.plan.base_logs.get(case_id, []))
            content = case_document(data).encode("utf-8")
        return content

    def message(self, commit: CommitDetails) -> str:
        """The commit's message with the renumberings applied."""
        text = commit.message
        if self._id_re:
            text = renumbering.rewrite_ids(text, self._id_re, self.plan.renumber)
        for case_id, mapping in self.plan.tiltak.items():
            if any(self.paths.case_id(ch.path) == case_id for ch in commit.changes):
                subject, _, rest = text.partition("\n")
                subject = renumbering.rewrite_ids(subject, renumbering.tiltak_id_pattern(mapping), mapping)
                text = f"{subject}\n{rest}"
        return text

    # ---------------------------------------------------------- analysis

    def whole_range(self, choices: Choices) -> list[Conflict]:
        """Merge every locally changed file from the merge base; the conflicts left."""
        plan, git = self.plan, self.git
        touched = list(dict.fromkeys(ch.path for c in plan.commits for ch in c.changes))
        conflicts: list[Conflict] = []
        plan.finals = {}
        for path in touched:
            target = self.target(path)
            merged = merge_file(git, self.paths, target, git.read(plan.base, path),
                                git.read(plan.upstream, target), self.localize(path, git.read(plan.head, path)),
                                choices, CENTRAL, self.scratch)
            plan.finals[target] = merged
            conflicts += merged.conflicts
        return conflicts

    def validate(self) -> None:
        """Every case whose final content skm wrote (merged or renumbered) must be valid."""
        renamed = {self.paths.path(n) for n in self.plan.renumber.values()}
        renamed |= {self.paths.path(c) for c in self.plan.tiltak}
        findings: list[Finding] = []
        bad: list[str] = []
        for target, merged in self.plan.finals.items():
            if merged.content is None or not (merged.data_merged or target in renamed):
                continue
            found = check_case(self.repo, self.git.toplevel, self.paths, target, merged.content)
            if found:
                findings += found
                bad.append(target)
        if findings:
            first = bad[0]
            raise InvalidCaseError(
                "Sammenslåingen ville gitt en ugyldig sak: hver side er gyldig alene, men ikke sammen. "
                "Ingenting er endret.", findings,
                hint=f"Rett saken her med `skm edit {self.paths.case_id(first)}` slik at den passer med de andres "
                f"endringer (den sentrale versjonen: `git show {self.plan.upstream_name}:{first}`), og kjør "
                "`skm sync` igjen.",
            )

    # ------------------------------------------------------------- build

    def build(self) -> Replayed:
        """Replay the local commits, then the renumbering commits."""
        plan = self.plan
        last_touch = {ch.path: n for n, c in enumerate(plan.commits) for ch in c.changes}
        index = self.scratch / f"index.sync-{os.getpid()}"  # GitStore.recover removes stale ones
        self.scratch.mkdir(parents=True, exist_ok=True)
        env = {"GIT_INDEX_FILE": str(index)}
        done = Replayed(plan.upstream)
        try:
            self.git.run("read-tree", done.tip, env=env)
            for n, commit in enumerate(plan.commits):
                entries = self._replayed_entries(commit, done.tip, n, last_touch)
                if not entries:
                    done.skipped.append(CommitInfo(commit.sha, self.message(commit).splitlines()[0],
                                                   commit.author_name, commit.day))
                    continue
                done.tip = self._commit(done.tip, entries, self.message(commit), env, commit)
                done.outgoing.append(self._info(done.tip))
            for old, new in plan.renumber.items():
                self._renumber_commit(done, old, new, env)
            for case_id, mapping in plan.tiltak.items():
                self._tiltak_commit(done, case_id, mapping, env)
        finally:
            index.unlink(missing_ok=True)
        return done

    def _replayed_entries(self, commit: CommitDetails, tip: str, n: int,
                          last_touch: dict[str, int]) -> dict[str, tuple[str, bytes | None]]:
        """Target path -> (mode, content or None) that differ from ``tip``."""
        git, entries = self.git, {}
        for change in commit.changes:
            target = self.target(change.path)
            if last_touch[change.path] == n:
                content = self.plan.finals[target].content
            else:
                content = merge_file(git, self.paths, target, self.localize(change.path, git.read(commit.parent,
                                     change.path)), git.read(tip, target),
                                     self.localize(change.path, git.read(commit.sha, change.path)),
                                     self.choices, LOCAL, self.scratch).content
            if content != git.read(tip, target):
                entries[target] = (change.mode or "100644", content)
        return entries

    def _commit(self, tip: str, entries: dict[str, tuple[str, bytes | None]], message: str,
                env: dict[str, str], original: CommitDetails | None = None) -> str:
        lines = []
        for path, (mode, content) in entries.items():
            if content is None:
                lines.append(f"0 {ZERO}\t{path}")
            else:
                lines.append(f"{mode} {self.git.hash_blob(content)}\t{path}")
        self.git.run("update-index", "--index-info", data=("\n".join(lines) + "\n").encode("utf-8"), env=env)
        tree = self.git.out("write-tree", env=env).strip()
        who = {"GIT_COMMITTER_NAME": self.author.name, "GIT_COMMITTER_EMAIL": self.author.email}
        if original is not None:
            who |= {"GIT_AUTHOR_NAME": original.author_name, "GIT_AUTHOR_EMAIL": original.author_email,
                    "GIT_AUTHOR_DATE": original.author_date}
        else:
            who |= {"GIT_AUTHOR_NAME": self.author.name, "GIT_AUTHOR_EMAIL": self.author.email}
        if self._sign is None:
            self._sign = signing_args(self.git.toplevel)
        args = ("commit-tree", *self._sign, tree, "-p", tip)
        result = self.git.run(*args, env=who, data=message.encode("utf-8"), check=False)
        if result.returncode != 0:
            raise signing_failed(result.stderr) if self._sign else git_failure(args, result.stderr)
        return result.stdout.decode("ascii", "replace").strip()

    def _info(self, sha: str) -> CommitInfo:
        return commit_infos(self.git, f"{sha}^!")[0]

    def _append_log(self, tip: str, case_id: str, text: str) -> tuple[str, bytes] | None:
        path = self.paths.path(case_id)
        found = self.git.entry(tip, path)
        if found is None:
            return None
        data = parse_case(self.git.blob(found[1]), path)
        data.setdefault("logg", []).append(log_entry(self.author, text))
        content = case_document(data).encode("utf-8")
        findings = check_case(self.repo, self.git.toplevel, self.paths, path, content)
        if findings:
            raise InvalidCaseError(f"Sak {case_id} ville blitt ugyldig; ingenting er endret.", findings)
        return path, content

    def _renumber_commit(self, done: Replayed, old: str, new: str, env: dict[str, str]) -> None:
        written = self._append_log(
            done.tip, new, f"Saksnummeret er endret fra {old} til {new} fordi {old} allerede var brukt i det "
            "sentrale saksarkivet (skm sync).")
        done.renumbered.append(Renumbering(old, new))
        if written is None:
            return
        message = commit_message(new, f"saksnummer endret fra {old}", "renumber", {"Skm-Renumbered-From": old})
        done.tip = self._commit(done.tip, {written[0]: ("100644", written[1])}, message, env)
        done.outgoing.append(self._info(done.tip))

    def _tiltak_commit(self, done: Replayed, case_id: str, mapping: dict[str, str], env: dict[str, str]) -> None:
        texts = [f"Tiltak {old} som ble lagt til her, har fått nummer {new} fordi {old} allerede var brukt "
                 "i det sentrale saksarkivet (skm sync)." for old, new in mapping.items()]
        written = self._append_log(done.tip, case_id, " ".join(texts))
        done.tiltak_renumbered += [TiltakRenumbering(case_id, o, n) for o, n in mapping.items()]
        if written is None:
            return
        pairs = ", ".join(f"{o} → {n}" for o, n in mapping.items())
        message = commit_message(case_id, f"tiltak omnummerert ({pairs})", "renumber-tiltak")
        done.tip = self._commit(done.tip, {written[0]: ("100644", written[1])}, message, env)
        done.outgoing.append(self._info(done.tip))
