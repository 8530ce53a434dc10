"""The audit-trail checks: git asked once for the whole repository, not per case.

- ``ikke-committet``: one ``git status --porcelain -z -- cases``;
- ``endret-utenom-skm``: the commits without skm's trailer and the files they changed
  (see ``GitQuery``; the result is cached per HEAD commit);
- ``skjema-kopi``: byte comparison of ``schemas/*.schema.json`` with skm's own.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skolemiljo import __version__
from skolemiljo.storage.resources import schemas_dir

UNIT = "\x1f"


def _popen(root: Path, *args: str) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(["git", "-c", "core.quotepath=off", *args], cwd=root,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    except OSError:
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
    """

    def __init__(self, root: Path, cases_dir: str, want_status: bool, want_log: bool,
                 cached_log: dict[str, Any] | None) -> None:
        self.root = root
        self.cases_dir = cases_dir
        self.facts = GitFacts()
        self._status: subprocess.Popen[bytes] | None = None
        self._log: subprocess.Popen[bytes] | None = None
        self.log_reused = False
        code, out = _run(root, "rev-parse", "--show-prefix")
        if code != 0:
            self.facts.ok = False
            self.facts.problem = "Saksarkivet er ikke i et git-repository; endringene føres ikke i historikken"
            return
        self.prefix = out.strip()
        code, out = _run(root, "rev-parse", "-q", "--verify", "HEAD^{commit}")
        self.facts.head = out.strip() if code == 0 and out.strip() else None
        if want_status:
            self._status = _popen(root, "status", "--porcelain=v1", "-z", "--untracked-files=all",
                                  "--ignored=no", "--", cases_dir)
        if want_log and self.facts.head:
            if cached_log and cached_log.get("head") == self.facts.head and isinstance(cached_log.get("outside"), list):
                self.facts.outside = set(cached_log["outside"])
                self.log_reused = True
            else:
                self._log = _popen(root, "log", f"--format=%H{UNIT}%(trailers:key=Skm-Action,valueonly,separator=%x2C)",
                                   self.facts.head)

    def finish(self) -> GitFacts:
        """Collect the results."""
        if self._status is not None:
            out, _ = self._status.communicate()
            if self._status.returncode == 0:
                self._parse_status(out.decode("utf-8", "replace"))
            else:
                self.facts.ok = False
                self.facts.problem = "git status feilet; kan ikke se om sakene er committet"
        if self._log is not None:
            out, _ = self._log.communicate()
            self._log = None
            self.facts.outside = self._outside_skm(out.decode("utf-8", "replace"))
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

    def _outside_skm(self, log: str) -> set[str]:
        """Case files whose last change was made by a commit without ``Skm-Action``."""
        foreign = [line.partition(UNIT)[0] for line in log.splitlines()
                   if line and not line.partition(UNIT)[2].strip()]
        if not foreign:
            return set()
        code, out = _run_input(self.root, "\n".join(foreign) + "\n", "diff-tree", "-r", "--root", "--relative",
                               "--no-renames", "--name-only", "--stdin", "--", self.cases_dir)
        if code != 0:
            return set()
        newest: dict[str, str] = {}
        commit = ""
        for line in out.splitlines():
            if len(line) == 40 and all(c in "0123456789abcdef" for c in line):
                commit = line
            elif line and commit and line not in newest:
                newest[line] = commit  # the log lists newest first
        if not newest:
            return set()
        files = sorted(newest)
        queries = "".join(f"{self.facts.head}:{self.prefix}{f}\n{newest[f]}:{self.prefix}{f}\n" for f in files)
        code, out = _run_input(self.root, queries, "cat-file", "--batch-check=%(objectname)")
        answers = out.splitlines()
        if code != 0 or len(answers) != 2 * len(files):
            return set()
        return {f for i, f in enumerate(files)
                if answers[2 * i] == answers[2 * i + 1] and not answers[2 * i].endswith("missing")}

    def log_cache(self) -> dict[str, Any] | None:
        """What to store for the next run (``None``: nothing new)."""
        if self.facts.head is None or self.log_reused:
            return None
        return {"head": self.facts.head, "outside": sorted(self.facts.outside)}


def _run_input(root: Path, data: str, *args: str) -> tuple[int, str]:
    try:
        result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=root, input=data.encode("utf-8"),
                                capture_output=True)
    except OSError:
        return 127, ""
    return result.returncode, result.stdout.decode("utf-8", "replace")


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
