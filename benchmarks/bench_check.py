"""Benchmark ``skm check`` (cold and warm) against ``check-jsonschema`` on the same cases.

    python benchmarks/bench_check.py [--sizes 1000 10000] [--runs 5] [--history]
                                     [--workdir /tmp/skm-bench] [--no-check-jsonschema]

For each size a repository is generated once with ``benchmarks/gen_cases.py`` (kept in
``--workdir`` for later runs). ``skm check`` is then run as a user runs it, as a fresh
process: *cold* with ``.skm/cache`` removed first (a CI job in a fresh clone), *warm* a
second time with nothing changed. Each number is the median of ``--runs`` runs; the CPU
column is user+system time of the process and its children (the process pool, git), which
stays meaningful on a busy machine where wall time does not. ``check-jsonschema`` with
skm's case schema is run on the same files in the same run (once; it is slow) when
installed (``pip install check-jsonschema``).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from gen_cases import TODAY, generate  # noqa: E402


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """``(wall seconds, cpu seconds, exit code)`` of one run."""
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, _children_cpu() - cpu, result.returncode


def skm_command() -> list[str]:
    found = shutil.which("skm")
    return [found] if found else [sys.executable, "-m", "skolemiljo.cli"]


def repository(workdir: Path, size: int, history: bool) -> Path:
    target = workdir / f"check-{size}{'-history' if history else ''}"
    if not (target / "cases").is_dir() or len(list((target / "cases").glob("*.yaml"))) != size:
        shutil.rmtree(target, ignore_errors=True)
        print(f"genererer {size} saker i {target} …", file=sys.stderr, flush=True)
        generate(target, size, history=history)
    return target


def median_runs(command: list[str], cwd: Path, env: dict[str, str], runs: int,
                before: callable = lambda: None) -> tuple[float, float, int]:
    walls, cpus, code = [], [], 0
    for _ in range(runs):
        before()
        wall, cpu, code = timed(command, cwd, env)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus), code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--history", action="store_true", help="repositories with one skm commit per step")
    parser.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "skm-bench")
    parser.add_argument("--no-check-jsonschema", action="store_true")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SKM_TODAY": TODAY.isoformat()}
    env.pop("GITHUB_ACTIONS", None)
    skm = [*skm_command(), "check", "--format", "json"]
    validator = shutil.which("check-jsonschema")
    rows = []
    for size in args.sizes:
        repo = repository(args.workdir, size, args.history)
        cache = repo / ".skm" / "cache"
        cold = median_runs(skm, repo, env, args.runs, lambda: shutil.rmtree(cache, ignore_errors=True))
        timed(skm, repo, env)  # make sure the cache is current
        warm = median_runs(skm, repo, env, args.runs)
        other = None
        if validator and not args.no_check_jsonschema:
            files = sorted(str(p.relative_to(repo)) for p in (repo / "cases").glob("*.yaml"))
            other = timed([validator, "--schemafile", str(repo / "schemas" / "case.schema.json"), *files], repo, env)
        rows.append((size, cold, warm, other))

    print(f"skm check, median av {args.runs} kjøringer; maskin: {os.cpu_count()} kjerner, "
          f"Python {sys.version.split()[0]}, lastsnitt {os.getloadavg()[0]:.1f}")
    print(f"{'saker':>7} {'kald':>8} {'(cpu)':>8} {'varm':>8} {'(cpu)':>8} {'check-jsonschema':>17} {'kald ×':>7}")
    for size, cold, warm, other in rows:
        other_text = f"{other[0]:16.2f}s" if other else f"{'–':>17}"
        ratio = f"{other[0] / cold[0]:6.1f}×" if other else f"{'–':>7}"
        print(f"{size:>7} {cold[0]:7.2f}s {cold[1]:7.2f}s {warm[0]:7.2f}s {warm[1]:7.2f}s {other_text} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
