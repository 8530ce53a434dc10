"""``skm sync``: fetch the others' work, integrate it, push ours — or change nothing.

Design: **replay**, not merge commits. The local, unpushed commits are replayed
one by one on top of the fetched upstream commit, keeping their authors, dates
and messages, so history stays linear and every commit still touches one case
file. Replaying a commit is a three-way merge of the file(s) it touches (base:
the file before the commit, central: the file on the new tip, local: the file
after the commit). The last replayed commit of each file gets the whole-range
merge (base: merge-base version, central: upstream version, local: our
version), which is where true conflicts are found and resolved once, field by
field, and then validated.

- **Case id collisions.** A case file *added* by a local commit whose id the
  upstream added too is renamed to the next free id of that year (considering
  both sides): in the replayed commits' paths, contents (``id`` and every mention
  of the old id in the case) and messages, so the case's history is whole under
  its new id; then one more commit records the renumbering in ``logg``. Pushed
  ids never change. Tiltak ids that both sides added to the same case are
  renumbered the same way (the local tiltak gets the next free ``T<n>``).
- **Nothing half-done.** Everything is built as git objects first (no ref,
  index or file touched). Only then the working tree, the index and the branch
  are moved, under a journal in ``.skm/``, and pushed. Any failure — a conflict
  the user will not resolve, an invalid merged case, a rejected push, an
  exception — puts HEAD, the index and the working tree back byte for byte.

Everything runs under the repository's write lock (``cases.writing``).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from skolemiljo.domain import model
from skolemiljo.domain.author import Author
from skolemiljo.domain.merge import (
    CENTRAL,
    LOCAL,
    Choices,
    Conflict,
    data_key,
    merge_case,
)
from skolemiljo.errors import (
    ConflictsUnresolvedError,
    Finding,
    InvalidCaseError,
    NoUpstreamError,
    SkmError,
    SyncFailedError,
    SyncRefusedError,
    UsageError,
)
from skolemiljo.schema.validation import validate_record
from skolemiljo.services.cases import log_entry
from skolemiljo.storage import yamlio
from skolemiljo.storage.casefiles import case_document
from skolemiljo.storage.commits import GitStore, commit_message
from skolemiljo.storage.git import Git, last_line
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.storage.transaction import writing
from skolemiljo.storage.worktree import ZERO, Change, WorkTree


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    subject: str
    author: str
    date: str  # YYYY-MM-DD


@dataclass(frozen=True)
class Renumbering:
    old: str
    new: str


@dataclass(frozen=True)
class TiltakRenumbering:
    case_id: str
    old: str
    new: str


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


def tree_changes(git: Git, old: str, new: str) -> list[Change]:
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


@dataclass
class LocalCommit:
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


def local_commits(git: Git, base: str, head: str) -> list[LocalCommit]:
    if git.out("rev-list", "--min-parents=2", f"{base}..{head}").strip():
        raise SyncRefusedError(
            "Den lokale historikken inneholder en sammenslåing (merge) som skm ikke kan spille av på nytt.",
            hint="Be noen som kan git, om å rydde historikken (git rebase), og kjør `skm sync` igjen.",
        )
    found = []
    for sha in git.out("rev-list", "--reverse", "--topo-order", f"{base}..{head}").split():
        meta = git.out("log", "-1", "--format=%P%x00%an%x00%ae%x00%ad%x00%as%x00%B", "--date=raw", sha)
        parent, name, email, when, day, message = meta.split("\0", 5)
        parent = parent.split()[0]
        found.append(LocalCommit(sha, parent, name, email, when, day, message.rstrip("\n") + "\n",
                                 tree_changes(git, parent, sha)))
    return found


def commit_infos(git: Git, spec: str) -> list[CommitInfo]:
    out = git.out("log", "--reverse", "--no-merges", "--format=%H%x1f%s%x1f%an%x1f%ad%x1e", "--date=short", spec)
    infos = []
    for record in out.split("\x1e"):
        record = record.strip("\n")
        if record:
            sha, subject, author, day = record.split("\x1f")
            infos.append(CommitInfo(sha, subject, author, day))
    return infos


@dataclass(frozen=True)
class Upstream:
    branch_ref: str  # refs/heads/main
    remote: str  # origin
    merge_ref: str  # refs/heads/main on the remote
    tracking_ref: str  # refs/remotes/origin/main

    @property
    def name(self) -> str:
        return f"{self.remote}/{self.merge_ref.removeprefix('refs/heads/')}"


def find_upstream(git: Git) -> Upstream:
    branch_ref = git.run("symbolic-ref", "-q", "HEAD", check=False).stdout.decode().strip()
    if not branch_ref.startswith("refs/heads/"):
        raise UsageError("Saksarkivet står ikke på en gren (HEAD er frakoblet); skm kan ikke synkronisere.",
                         hint="Gå tilbake til hovedgrenen med `git switch main`.")
    branch = branch_ref.removeprefix("refs/heads/")
    remote = git.run("config", f"branch.{branch}.remote", check=False).stdout.decode().strip()
    merge_ref = git.run("config", f"branch.{branch}.merge", check=False).stdout.decode().strip()
    if not remote or not merge_ref or remote == ".":
        remotes = git.out("remote").split()
        if remotes:
            hint = (f"Koble grenen til det sentrale saksarkivet én gang med `git push -u {remotes[0]} {branch}` "
                    f"(eller `git branch --set-upstream-to={remotes[0]}/{branch}`).")
        else:
            hint = (f"Koble til det sentrale saksarkivet én gang: `git remote add origin ADRESSE` og "
                    f"`git push -u origin {branch}` (se «Flere brukere» i README).")
        raise NoUpstreamError(
            f"Saksarkivet er ikke koblet til et sentralt saksarkiv (grenen {branch} har ingen upstream).", hint=hint)
    tracking = git.out("for-each-ref", "--format=%(upstream)", branch_ref).strip()
    if not tracking.startswith("refs/"):
        tracking = f"refs/remotes/{remote}/{merge_ref.removeprefix('refs/heads/')}"
    return Upstream(branch_ref, remote, merge_ref, tracking)


def fetch(git: Git, upstream: Upstream) -> str | None:
    """Fetch the upstream branch; its commit, or None when the central repository is still empty."""
    result = git.run("fetch", "--no-tags", "--quiet", upstream.remote,
                     f"+{upstream.merge_ref}:{upstream.tracking_ref}", check=False)
    if result.returncode != 0:
        detail = last_line(result.stderr)
        if "couldn't find remote ref" in result.stderr.decode("utf-8", "replace"):
            return None
        raise SyncRefusedError(
            f"Kunne ikke hente fra det sentrale saksarkivet ({upstream.remote}): {detail}",
            hint="Sjekk nettverket og at du har tilgang til det sentrale saksarkivet, og kjør `skm sync` igjen. "
            "Ingenting er endret.",
        )
    return git.rev(upstream.tracking_ref)


@dataclass
class Merged:
    content: bytes | None
    data_merged: bool = False
    data: Any = None
    conflicts: list[Conflict] = field(default_factory=list)


class Paths:
    """Which paths are case files, and their ids."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix  # "cases/"

    def case_id(self, path: str) -> str | None:
        if not path.startswith(self.prefix) or not path.endswith(".yaml"):
            return None
        name = path[len(self.prefix):-len(".yaml")]
        return name if model.CASE_ID.fullmatch(name) else None

    def path(self, case_id: str) -> str:
        return f"{self.prefix}{case_id}.yaml"


def _parse_case(content: bytes, path: str) -> Any:
    try:
        data = yamlio.load_bytes(content)
    except yamlio.YamlProblem as problem:
        raise SyncRefusedError(
            f"{path} er endret både her og i det sentrale saksarkivet, men den ene versjonen kan ikke leses "
            f"(linje {problem.line}); skm kan ikke slå dem sammen.",
            hint="Rett saken med `skm edit` slik at den er gyldig, og kjør `skm sync` igjen. Ingenting er endret.",
        ) from None
    if not isinstance(data, dict):
        raise SyncRefusedError(f"{path} er ikke en sak; skm kan ikke slå den sammen.")
    return data


def merge_text(git: Git, path: str, base: bytes, central: bytes, local: bytes, scratch: Path) -> bytes:
    """Line-based three-way merge for files that are not cases (calendar.yaml, README…)."""
    scratch.mkdir(parents=True, exist_ok=True)
    files = []
    for name, content in (("lokal", local), ("base", base), ("sentral", central)):
        target = scratch / f"merge-{os.getpid()}-{name}"
        target.write_bytes(content)
        files.append(str(target))
    try:
        result = git.run("merge-file", "-p", "-q", *files, check=False)
    finally:
        for name in files:
            Path(name).unlink(missing_ok=True)
    if result.returncode != 0:
        raise SyncRefusedError(
            f"{path} er endret både her og i det sentrale saksarkivet på samme sted; skm kan ikke slå "
            "endringene sammen.",
            hint="Be noen som kan git, om hjelp til å slå sammen denne fila. Ingenting er endret.",
        )
    return result.stdout


def merge_file(git: Git, paths: Paths, path: str, base: bytes | None, central: bytes | None,
               local: bytes | None, choices: Choices, default: str, scratch: Path) -> Merged:
    """Three-way merge of one file's bytes; cases are merged field by field."""
    if central == local:
        return Merged(central)
    if base == central:
        return Merged(local)
    if base == local:
        return Merged(central)
    if central is None or local is None:
        raise SyncRefusedError(
            f"{path} er slettet på den ene siden og endret på den andre; skm kan ikke avgjøre hva som gjelder.",
            hint="Saksdokumenter skal ikke slettes. Be noen som kan git, om hjelp. Ingenting er endret.",
        )
    case_id = paths.case_id(path)
    if case_id is None:
        return Merged(merge_text(git, path, base or b"", central, local, scratch))
    data_base = _parse_case(base, path) if base is not None else None
    data, conflicts = merge_case(case_id, data_base, _parse_case(central, path), _parse_case(local, path),
                                 choices, default)
    return Merged(case_document(data).encode("utf-8"), True, data, conflicts)


def _id_pattern(ids: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![0-9A-Za-z-])(" + "|".join(re.escape(i) for i in ids) + r")(?![0-9])")


def _tiltak_pattern(ids: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(i) for i in ids) + r")\b")


def case_renumbering(git: Git, paths: Paths, base: str, upstream: str, head: str,
                     commits: list[LocalCommit]) -> dict[str, str]:
    """Old id -> new id for cases added locally whose id the upstream also added."""
    ids_in = {rev: {i for p in git.names(rev, paths.prefix) if (i := paths.case_id(p))}
              for rev in (base, upstream, head)}
    added = [cid for c in commits for ch in c.changes if ch.status == "A" and (cid := paths.case_id(ch.path))]
    colliding = [cid for cid in dict.fromkeys(added) if cid in ids_in[upstream] and cid not in ids_in[base]]
    used = ids_in[base] | ids_in[upstream] | ids_in[head] | set(added)
    mapping = {}
    for old in colliding:
        year = old[:4]
        highest = max(int(i[5:]) for i in used if i.startswith(f"{year}-"))
        new = f"{year}-{highest + 1:04d}"
        used.add(new)
        mapping[old] = new
    return mapping


def _tiltak_ids(data: Any) -> dict[str, Any]:
    return {t["id"]: t for t in model.tiltak_list(data) if isinstance(t, dict) and isinstance(t.get("id"), str)}


def _mentioned_tiltak(data: Any) -> set[int]:
    found = set()
    for entry in data.get("logg") or [] if isinstance(data, dict) else []:
        if isinstance(entry, dict) and isinstance(entry.get("hendelse"), str):
            found |= {int(n) for n in re.findall(r"\bT([1-9]\d*)\b", entry["hendelse"])}
    return found


def tiltak_renumbering(base: Any, central: Any, local: Any) -> dict[str, str]:
    """Local tiltak id -> new id for tiltak both sides added under the same id."""
    in_base, in_central, in_local = _tiltak_ids(base), _tiltak_ids(central), _tiltak_ids(local)
    clashes = [t for t in in_local if t in in_central and t not in in_base
               and data_key(in_local[t]) != data_key(in_central[t])]
    if not clashes:
        return {}
    used = {int(m["n"]) for i in (*in_base, *in_central, *in_local) if (m := model.TILTAK_ID.fullmatch(i))}
    used |= _mentioned_tiltak(central) | _mentioned_tiltak(local)
    mapping = {}
    for old in clashes:
        new_n = max(used) + 1
        used.add(new_n)
        mapping[old] = f"T{new_n}"
    return mapping


def rename_tiltak(data: dict[str, Any], mapping: dict[str, str], base_log: list[Any]) -> dict[str, Any]:
    """Give local tiltak their new ids, also in the log entries added here."""
    pattern = _tiltak_pattern(list(mapping))
    for item in model.tiltak_list(data):
        if isinstance(item, dict) and item.get("id") in mapping:
            item["id"] = mapping[item["id"]]
    old_entries = Counter(data_key(e) for e in base_log)
    for entry in data.get("logg") or []:
        key = data_key(entry)
        if old_entries[key]:
            old_entries[key] -= 1
        elif isinstance(entry, dict) and isinstance(entry.get("hendelse"), str):
            entry["hendelse"] = pattern.sub(lambda m: mapping[m.group(1)], entry["hendelse"])
    return data


@dataclass
class Plan:
    """Everything decided before anything is written."""

    base: str
    upstream: str
    head: str
    commits: list[LocalCommit]
    renumber: dict[str, str]
    tiltak: dict[str, dict[str, str]]  # case id -> local tiltak id -> new id
    base_logs: dict[str, list[Any]]
    upstream_name: str = "origin/main"
    finals: dict[str, Merged] = field(default_factory=dict)  # target path -> whole-range merge


class Replay:
    """Builds the new history as git objects; touches no ref, index or work-tree file."""

    def __init__(self, git: Git, repo: CaseRepo, paths: Paths, plan: Plan, author: Author) -> None:
        self.git, self.repo, self.paths, self.plan, self.author = git, repo, paths, plan, author
        self.scratch = repo.state_dir
        self.choices: Choices = {}
        self._id_re = _id_pattern(list(plan.renumber)) if plan.renumber else None

    # --------------------------------------------------------- local side

    def target(self, path: str) -> str:
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
            content = self._id_re.sub(lambda m: self.plan.renumber[m.group(1)], text).encode("utf-8")
        if case_id in self.plan.tiltak:
            data = _parse_case(content, path)
            data = rename_tiltak(data, self.plan.tiltak[case_id], self.plan.base_logs.get(case_id, []))
            content = case_document(data).encode("utf-8")
        return content

    def message(self, commit: LocalCommit) -> str:
        text = commit.message
        if self._id_re:
            text = self._id_re.sub(lambda m: self.plan.renumber[m.group(1)], text)
        for case_id, mapping in self.plan.tiltak.items():
            if any(self.paths.case_id(ch.path) == case_id for ch in commit.changes):
                subject, _, rest = text.partition("\n")
                subject = _tiltak_pattern(list(mapping)).sub(lambda m: mapping[m.group(1)], subject)
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

    def build(self, result: SyncResult) -> str:
        """Replay the local commits, then the renumbering commits; returns the new tip."""
        plan = self.plan
        last_touch = {ch.path: n for n, c in enumerate(plan.commits) for ch in c.changes}
        index = self.scratch / f"index.sync-{os.getpid()}"  # GitStore.recover removes stale ones
        self.scratch.mkdir(parents=True, exist_ok=True)
        env = {"GIT_INDEX_FILE": str(index)}
        tip = plan.upstream
        try:
            self.git.run("read-tree", tip, env=env)
            for n, commit in enumerate(plan.commits):
                entries = self._replayed_entries(commit, tip, n, last_touch)
                if not entries:
                    result.skipped.append(CommitInfo(commit.sha, self.message(commit).splitlines()[0],
                                                     commit.author_name, commit.day))
                    continue
                tip = self._commit(tip, entries, self.message(commit), env, commit)
                result.outgoing.append(self._info(tip))
            for old, new in plan.renumber.items():
                tip = self._renumber_commit(tip, old, new, env, result)
            for case_id, mapping in plan.tiltak.items():
                tip = self._tiltak_commit(tip, case_id, mapping, env, result)
        finally:
            index.unlink(missing_ok=True)
        return tip

    def _replayed_entries(self, commit: LocalCommit, tip: str, n: int,
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
                env: dict[str, str], original: LocalCommit | None = None) -> str:
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
        return self.git.out("commit-tree", tree, "-p", tip, env=who, data=message.encode("utf-8")).strip()

    def _info(self, sha: str) -> CommitInfo:
        return commit_infos(self.git, f"{sha}^!")[0]

    def _append_log(self, tip: str, case_id: str, text: str) -> tuple[str, bytes] | None:
        path = self.paths.path(case_id)
        found = self.git.entry(tip, path)
        if found is None:
            return None
        data = _parse_case(self.git.blob(found[1]), path)
        data.setdefault("logg", []).append(log_entry(self.author, text))
        content = case_document(data).encode("utf-8")
        findings = check_case(self.repo, self.git.toplevel, self.paths, path, content)
        if findings:
            raise InvalidCaseError(f"Sak {case_id} ville blitt ugyldig; ingenting er endret.", findings)
        return path, content

    def _renumber_commit(self, tip: str, old: str, new: str, env: dict[str, str], result: SyncResult) -> str:
        written = self._append_log(
            tip, new, f"Saksnummeret er endret fra {old} til {new} fordi {old} allerede var brukt i det "
            "sentrale saksarkivet (skm sync).")
        result.renumbered.append(Renumbering(old, new))
        if written is None:
            return tip
        message = commit_message(new, f"saksnummer endret fra {old}", "renumber", {"Skm-Renumbered-From": old})
        tip = self._commit(tip, {written[0]: ("100644", written[1])}, message, env)
        result.outgoing.append(self._info(tip))
        return tip

    def _tiltak_commit(self, tip: str, case_id: str, mapping: dict[str, str], env: dict[str, str],
                       result: SyncResult) -> str:
        texts = [f"Tiltak {old} som ble lagt til her, har fått nummer {new} fordi {old} allerede var brukt "
                 "i det sentrale saksarkivet (skm sync)." for old, new in mapping.items()]
        written = self._append_log(tip, case_id, " ".join(texts))
        result.tiltak_renumbered += [TiltakRenumbering(case_id, o, n) for o, n in mapping.items()]
        if written is None:
            return tip
        pairs = ", ".join(f"{o} → {n}" for o, n in mapping.items())
        message = commit_message(case_id, f"tiltak omnummerert ({pairs})", "renumber-tiltak")
        tip = self._commit(tip, {written[0]: ("100644", written[1])}, message, env)
        result.outgoing.append(self._info(tip))
        return tip


def check_case(repo: CaseRepo, toplevel: Path, paths: Paths, path: str, content: bytes) -> list[Finding]:
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


def plan_tiltak(git: Git, paths: Paths, base: str, upstream: str, head: str, commits: list[LocalCommit],
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
        mapping = tiltak_renumbering(data[0] if isinstance(data[0], dict) else {}, data[1], data[2])
        if mapping:
            renames[case_id] = mapping
            base_logs[case_id] = list((data[0] or {}).get("logg") or []) if isinstance(data[0], dict) else []
    return renames, base_logs


def push(git: Git, upstream: Upstream, new: str) -> None:
    """Push ``new`` to the upstream branch (never forced)."""
    result = git.run("push", "--porcelain", "--quiet", upstream.remote, f"{new}:{upstream.merge_ref}",
                     check=False)
    if result.returncode != 0:
        if _remote_has(git, upstream, new):
            return
        text = (result.stderr + result.stdout).decode("utf-8", "replace")
        if "non-fast-forward" in text or "fetch first" in text:
            raise SyncRefusedError(
                "Noen andre sendte endringer til det sentrale saksarkivet akkurat nå.",
                hint="Kjør `skm sync` igjen; da kommer deres endringer med.")
        remote_says = [line[len("remote:"):].strip() for line in text.splitlines()
                       if line.startswith("remote:") and line[len("remote:"):].strip()]
        detail = "; ".join(remote_says[-3:]) or last_line(result.stderr or result.stdout)
        raise SyncRefusedError(
            f"Det sentrale saksarkivet tok ikke imot endringene: {detail}",
            hint="Sjekk nettverket og tilgangen din, og kjør `skm sync` igjen. Avviser sentralarkivet endringene "
            "(for eksempel fordi `skm check` feiler der), rett det som står over først.")
    git.run("update-ref", upstream.tracking_ref, new, check=False)


def _remote_has(git: Git, upstream: Upstream, sha: str) -> bool:
    result = git.run("ls-remote", upstream.remote, upstream.merge_ref, check=False)
    return result.returncode == 0 and result.stdout.decode().split()[:1] == [sha]


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
        remote = fetch(git, upstream)
        result = SyncResult(upstream.name)
        if remote is None:
            return _first_push(git, upstream, head, result, say)
        if remote == head:
            return result
        return _integrate(repo, store, git, tree, upstream, head, remote, author, resolve, result, say)


def _first_push(git: Git, upstream: Upstream, head: str, result: SyncResult, say: Say) -> SyncResult:
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
    result.incoming = commit_infos(git, f"{head}..{remote}")
    if base == head:  # only incoming: fast-forward
        _move(tree, head, remote, None)
        return result
    if base == remote:  # only outgoing
        result.outgoing = commit_infos(git, f"{remote}..{head}")
        say("Sender endringene dine …")
        push(git, upstream, head)
        return result
    new = _replay(repo, tree, base, remote, head, author, resolve, result)
    say("Sender endringene dine …")
    _move(tree, head, new, upstream)
    return result


def _replay(repo: CaseRepo, tree: WorkTree, base: str, remote: str, head: str, author: Author,
            resolve: Resolver, result: SyncResult) -> str:
    """Plan, resolve, validate and build; returns the new tip (only objects written)."""
    git = tree.git
    paths = Paths(tree.store.path_in_git(repo.cases_dir) + "/")
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
    return replay.build(result)


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
