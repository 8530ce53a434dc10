"""Measure the installed ``skm`` from the outside: wall-clock medians of real subprocesses.

    python benchmarks/bench_cli.py              # 1,000 cases
    python benchmarks/bench_cli.py --big        # also 10,000 cases
    python benchmarks/bench_cli.py --runs 11 --keep /tmp/skm-bench   # reuse generated repositories
    python benchmarks/bench_cli.py --importtime # also: where start-up time goes

For each size a case repository is generated with ``benchmarks/gen_cases.py`` (cases in
all statuses, one commit) and each command is run once to warm the file cache, then
``--runs`` times (3 times when the warm-up took over 5 s, once over 30 s); the table shows
the median (and the fastest and slowest run) in ms.
Byte-code is cached in a private folder unless ``--no-pyc`` (an editable install under
``PYTHONDONTWRITEBYTECODE=1`` otherwise compiles every module on every start). Each row
also shows the median CPU time (user+sys of skm and its git children), which a busy
machine inflates less than wall time; the load average is printed with the table.
Targets (this 2-core machine): ``skm --help`` and ``skm show`` under 150 ms (issue 2);
``skm new-case`` under 400 ms at 1,000 cases (issue 2) and under 300 ms (issue 7, also at
10,000). ``list`` and ``validate`` have no target and are shown for scale.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_cases import generate  # noqa: E402

TODAY = "2026-11-20"
SLOW_S = 5.0  # a warm-up longer than this: at most 3 measured runs
VERY_SLOW_S = 30.0  # longer than this: 1 measured run
AUTHOR = "Benk Rektor <rektor@fjordvik.example.no>"


@dataclass
class Row:
    cases: int
    command: str
    median_ms: float
    min_ms: float
    max_ms: float
    target_ms: int | None
    target_note: str = ""
    cpu_ms: float = 0.0  # median user+sys time of skm and its git children

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return "–"
        return "ok" if self.median_ms < self.target_ms else "IKKE OK"


def bench_env(home: Path, pycache: Path | None) -> dict[str, str]:
    """A clean environment; with ``pycache``, byte-code is cached there (as an installed wheel has it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "SKM_"))}
    env.update({"SKM_TODAY": TODAY, "SKM_AV": AUTHOR, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C.UTF-8"})
    if pycache is not None:
        # PYTHONDONTWRITEBYTECODE (set in some sandboxes) makes an editable install compile every
        # module on every start (~100 ms); a user's `pip install` has byte-code. Cache it privately.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """``(wall s, cpu s, result)`` of one run; cpu is user+sys of skm and the git it ran."""
    cpu = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr.decode()}")
    return elapsed, _children_cpu() - cpu, result


def measure(argv: list[str], cwd: Path, env: dict[str, str], runs: int, *,
            warmup: int = 1) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of ``runs`` runs (after ``warmup`` unmeasured runs); a failure aborts."""
    walls, cpus = [], []
    index = 0
    while index < warmup + runs:
        wall, cpu, _result = run_once(argv, cwd, env)
        if index >= warmup:
            walls.append(wall)
            cpus.append(cpu)
        elif wall > SLOW_S:
            # A command that takes many seconds: fewer runs (its first run already warmed the cache).
            runs = min(runs, 3) if wall < VERY_SLOW_S else 1
        index += 1
    return walls, cpus


def new_case_argv(skm: str, number: int) -> list[str]:
    return [skm, "new-case", "--elev", f"Benk Elev {number}", "--klasse", "9B", "--under-18",
            "--sakstype", "elev-elev", "--meldt-av", "elev", "--mottatt-av", "Per Haugen (kontaktlærer)",
            "--beskrivelse", "Eleven forteller at hun blir holdt utenfor.", "--kategori", "utestenging",
            "--no-input"]


def pick_case(repo: Path, status: str = "tiltak") -> str:
    for path in sorted((repo / "cases").glob("*.yaml"), reverse=True):
        if f"\nstatus: {status}\n" in path.read_text(encoding="utf-8"):
            return path.stem
    raise SystemExit(f"no case with status {status} in {repo}")


def repository(size: int, keep: Path | None, scratch: Path) -> Path:
    """A generated repository of ``size`` cases (reused from ``keep`` when it is there)."""
    base = keep or scratch
    target = base / f"saker-{size}"
    marker = target / ".bench-complete"
    if keep and marker.is_file():
        subprocess.run(["git", "reset", "-q", "--hard", "bench-start"], cwd=target, check=True)
        subprocess.run(["git", "clean", "-q", "-fdx", "cases"], cwd=target, check=True)
        return target
    if target.exists():
        shutil.rmtree(target)
    started = time.monotonic()
    generate(target, size)
    subprocess.run(["git", "tag", "-f", "bench-start"], cwd=target, check=True, capture_output=True)
    marker.write_text("ok\n")
    print(f"  generated {size} cases in {time.monotonic() - started:.1f} s ({target})", file=sys.stderr)
    return target


def run_size(skm: str, size: int, runs: int, env: dict[str, str], keep: Path | None,
             scratch: Path) -> tuple[list[Row], Path]:
    repo = repository(size, keep, scratch)
    show_id = pick_case(repo)
    rows = []

    def record(name: str, walls: list[float], cpus: list[float], targets: list[tuple[int | None, str]]) -> None:
        median = statistics.median(walls) * 1000
        for target, note in targets:
            rows.append(Row(size, name, median, min(walls) * 1000, max(walls) * 1000, target, note,
                            statistics.median(cpus) * 1000))
        print(f"  {size:>6}  {name:<28} {median:8.0f} ms wall {statistics.median(cpus) * 1000:8.0f} ms cpu",
              file=sys.stderr, flush=True)

    def add(name: str, argv: list[str], target: int | None, note: str = "", n: int = runs) -> None:
        walls, cpus = measure(argv, repo, env, n)
        record(name, walls, cpus, [(target, note)])

    add("skm --help", [skm, "--help"], 150, "issue 2")
    add(f"skm show {show_id}", [skm, "show", show_id], 150, "issue 2")
    # Each new-case adds a case (ids keep counting up); a kept repository is reset before reuse.
    walls, cpus = [], []
    for number in range(1 + runs):
        wall, cpu, _result = run_once(new_case_argv(skm, number), repo, env)
        if number:
            walls.append(wall)
            cpus.append(cpu)
    targets: list[tuple[int | None, str]] = [(300, "issue 7")]
    if size == 1000:
        targets.insert(0, (400, "issue 2 (at 1,000)"))
    record("skm new-case --no-input", walls, cpus, targets)
    add("skm list", [skm, "list"], None)
    add("skm validate", [skm, "validate"], None)
    return rows, repo


def table(rows: list[Row]) -> str:
    headers = ("saker", "kommando", "median ms", "min–maks ms", "cpu ms", "mål ms", "", "")
    body = [(f"{r.cases:,}".replace(",", " "), r.command, f"{r.median_ms:.0f}", f"{r.min_ms:.0f}–{r.max_ms:.0f}",
             f"{r.cpu_ms:.0f}", f"< {r.target_ms}" if r.target_ms else "–", r.verdict, r.target_note)
            for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in body)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in body]
    return "\n".join(lines)


def _parse_importtime(stderr: str) -> list[tuple[int, int, int, str]]:
    """``(cumulative us, self us, depth, module)`` for each line of ``-X importtime``."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        name = parts[2][1:]  # one space, then two per nesting level
        depth = (len(name) - len(name.lstrip(" "))) // 2
        rows.append((int(parts[1]), int(parts[0]), depth, name.strip()))
    return rows


def importtime(skm: str, repo: Path, env: dict[str, str], top: int = 12) -> str:
    """Where the start-up time of ``import skolemiljo.cli`` and of ``skm show`` goes."""
    out = []
    show_id = pick_case(repo)
    first_line = Path(skm).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    python = first_line[2:].strip() if first_line.startswith("#!") else sys.executable
    for title, argv in (("import skolemiljo.cli", [python, "-X", "importtime", "-c", "import skolemiljo.cli"]),
                        (f"skm show {show_id}", [python, "-X", "importtime", skm, "show", show_id])):
        started = time.perf_counter()
        result = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True)
        wall = (time.perf_counter() - started) * 1000
        rows = _parse_importtime(result.stderr)
        total = sum(cumulative for cumulative, _self, depth, _name in rows if depth == 0)
        out.append(f"\n-X importtime: {title}: {total / 1000:.0f} ms of imports (wall {wall:.0f} ms, "
                   "with the import-time overhead)")
        out.append("  top-level imports by cumulative time:")
        for cumulative, own, _depth, name in sorted((r for r in rows if r[2] == 0), reverse=True)[:top]:
            out.append(f"    {cumulative / 1000:7.1f} ms  {name}")
        biggest = max((r for r in rows if r[2] == 0), default=None)
        if biggest is not None:
            # -X importtime prints children before their parent: the depth-1 lines just above it.
            position = rows.index(biggest)
            children = []
            for row in reversed(rows[:position]):
                if row[2] == 0:
                    break
                if row[2] == 1:
                    children.append(row)
            out.append(f"  inside {biggest[3]}, by cumulative time:")
            for cumulative, _own, _depth, name in sorted(children, reverse=True)[:top]:
                out.append(f"    {cumulative / 1000:7.1f} ms  {name}")
        out.append("  modules by own (self) time:")
        for own, cumulative, _depth, name in sorted(((r[1], r[0], r[2], r[3]) for r in rows), reverse=True)[:top]:
            out.append(f"    {own / 1000:7.1f} ms  {name}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", action="store_true", help="also 10,000 cases")
    parser.add_argument("--runs", type=int, default=7, help="measured runs per command (default 7)")
    parser.add_argument("--sizes", type=int, nargs="*", help="case counts (default 1000, and 10000 with --big)")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the generated repositories here")
    parser.add_argument("--skm", default=shutil.which("skm"), help="the skm to measure (default: on PATH)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--importtime", action="store_true", help="also show where start-up time goes")
    parser.add_argument("--no-pyc", action="store_true",
                        help="keep the environment's byte-code settings (default: cache byte-code like an install)")
    args = parser.parse_args(argv)
    if not args.skm:
        parser.error("found no `skm` on PATH; install skm (pip install .) or give --skm")
    sizes = args.sizes or ([1000, 10_000] if args.big else [1000])
    with tempfile.TemporaryDirectory(prefix="skm-bench-") as scratch_name:
        scratch = Path(scratch_name)
        home = scratch / "home"
        home.mkdir()
        env = bench_env(home, None if args.no_pyc else scratch / "pycache")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        load_before = os.getloadavg()[0]
        print(f"skm: {args.skm}; {os.cpu_count()} CPU; median of {args.runs} runs after one warm-up; "
              f"load average {load_before:.1f}", file=sys.stderr, flush=True)
        rows: list[Row] = []
        repos = []
        for size in sizes:
            size_rows, repo = run_size(args.skm, size, args.runs, env, args.keep, scratch)
            rows += size_rows
            repos.append(repo)
        print(table(rows))
        load_after = os.getloadavg()[0]
        print(f"(wall = median wall clock; cpu = median user+sys of skm and its git children; "
              f"load average {load_before:.1f} before, {load_after:.1f} after on {os.cpu_count()} CPUs"
              + ("; the machine was busy, wall times are inflated" if max(load_before, load_after) > 1.0 else "")
              + ")")
        if args.json:
            args.json.write_text(json.dumps([asdict(r) | {"verdict": r.verdict} for r in rows], indent=2,
                                            ensure_ascii=False) + "\n", encoding="utf-8")
        if args.importtime:
            print(importtime(args.skm, repos[0], env))
    return 0 if all(r.verdict != "IKKE OK" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
