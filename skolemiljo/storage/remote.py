"""The central repository: which remote branch is upstream, fetch, push and ls-remote."""

from __future__ import annotations

import re
from dataclasses import dataclass

from skolemiljo.errors import FetchFailedError, NoUpstreamError, SyncRefusedError, UsageError
from skolemiljo.storage.git import Git, last_line


@dataclass(frozen=True)
class Upstream:
    """The branch skm syncs and where it syncs it to."""

    branch_ref: str  # refs/heads/main
    remote: str  # origin
    merge_ref: str  # refs/heads/main on the remote
    tracking_ref: str  # refs/remotes/origin/main

    @property
    def name(self) -> str:
        return f"{self.remote}/{self.merge_ref.removeprefix('refs/heads/')}"


def find_upstream(git: Git) -> Upstream:
    """The current branch's upstream; refused on a detached HEAD or a branch without one."""
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
        text = result.stderr.decode("utf-8", "replace")
        if "couldn't find remote ref" in text:
            return None
        raise fetch_failed(upstream.remote, text)
    return git.rev(upstream.tracking_ref)


# What git's messages say went wrong, in the order they are tried: (words in git's output, why, what to do).
_FETCH_FAILURES = (
    (("could not resolve host", "connection refused", "connection timed out", "timed out", "network is unreachable",
      "no route to host", "failed to connect", "connection reset", "could not connect"),
     "maskinen fikk ikke kontakt med serveren",
     "Sjekk nettverksforbindelsen (og VPN, om kommunen krever det), og kjør `skm sync` igjen."),
    (("permission denied", "authentication failed", "could not read username", "could not read password",
      "terminal prompts disabled", "host key verification failed", "access denied", "the requested url returned "
      "error: 401", "the requested url returned error: 403"),
     "du fikk ikke tilgang",
     "Sjekk at du er logget inn: kjør `git fetch {remote}` selv (da kan git spørre etter passord eller nøkkel), "
     "eller be den som drifter det sentrale saksarkivet, om tilgang. Kjør så `skm sync` igjen."),
    (("does not appear to be a git repository", "repository not found", "not found", "no such file or directory",
      "not a git repository"),
     "fant ikke det sentrale saksarkivet på adressen",
     "Se adressen med `git remote -v` og rett den med `git remote set-url {remote} ADRESSE`, og kjør "
     "`skm sync` igjen."),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")
MAX_GIT_LINES = 6


def git_lines(stderr: str) -> list[str]:
    """git's non-empty output lines, safe to print: no control characters, no passwords in addresses."""
    lines = []
    for line in stderr.splitlines():
        line = _CREDENTIALS.sub("…@", _CONTROL.sub("?", line.replace("\r", ""))).strip()
        if line and not line.startswith("hint:"):
            lines.append(line)
    return lines[-MAX_GIT_LINES:]


def fetch_failed(remote: str, stderr: str) -> FetchFailedError:
    """A full Norwegian message for a failed ``git fetch``: what failed, which remote, git's lines, what to do."""
    lowered = stderr.lower()
    why, what = "git fetch feilet", ("Sjekk nettverket og tilgangen din til det sentrale saksarkivet, og kjør "
                                     "`skm sync` igjen.")
    for words, reason, advice in _FETCH_FAILURES:
        if any(word in lowered for word in words):
            why, what = reason, advice
            break
    shown = _CONTROL.sub("?", remote)
    lines = git_lines(stderr) or ["(git sa ingenting om hvorfor)"]
    said = "\n".join(f"  {line}" for line in lines)
    return FetchFailedError(
        f"Kunne ikke hente endringene fra det sentrale saksarkivet (fjernarkivet «{shown}»): {why}. "
        f"git fetch svarte:\n{said}",
        hint=f"{what.format(remote=shown)} Ingenting er endret.")


def push(git: Git, upstream: Upstream, new: str) -> None:
    """Push ``new`` to the upstream branch (never forced)."""
    result = git.run("push", "--porcelain", "--quiet", upstream.remote, f"{new}:{upstream.merge_ref}",
                     check=False)
    if result.returncode != 0:
        if remote_has(git, upstream, new):
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


def remote_has(git: Git, upstream: Upstream, sha: str) -> bool:
    """Whether the upstream branch on the remote is at ``sha`` (a push that did land)."""
    result = git.run("ls-remote", upstream.remote, upstream.merge_ref, check=False)
    return result.returncode == 0 and result.stdout.decode().split()[:1] == [sha]
