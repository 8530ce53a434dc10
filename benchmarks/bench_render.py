"""Benchmark ``skm render`` (issue 5's speed targets).

* one case to PDF, including start-up: ``skm render CASE DOCUMENT -o DIR`` in a fresh
  process, wall time (target: under 1 s);
* ``skm render --all``: documents per second over many cases (target: at least 20/s),
  for each format.

Runs in a throw-away case repository under a temporary folder, with its own HOME and
git config; every case has a history of four commits and a plan that changed once.

    python benchmarks/bench_render.py [--cases 40] [--runs 5]

Prints a table; the numbers depend on the machine (and on how busy it is: run it alone).
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CASE = {
    "id": None, "status": "tiltak", "sakstype": "elev-elev", "alvorlig": False,
    "kategorier": ["utestenging", "digital-mobbing"],
    "elev": {"navn": "Ingrid Fjeldstad", "klasse": "2STB", "under_18": True},
    "melding": {"mottatt": "2026-10-12", "mottatt_av": "Per Haugen (kontaktlærer)", "meldt_av": "elev",
                "beskrivelse": "Eleven forteller at hun blir holdt utenfor i friminuttene og at en gruppechat "
                               "brukes til å gjøre narr av henne."},
    "varsling": {"rektor": {"dato": "2026-10-12", "av": "Per Haugen"}, "skoleeier": None},
    "undersokelse": {
        "startet": "2026-10-13", "avsluttet": "2026-10-16",
        "aktiviteter": [
            {"dato": "2026-10-13", "type": "samtale", "med": "eleven og foresatte",
             "oppsummering": "Eleven beskriver utestenging over flere uker."},
            {"dato": "2026-10-14", "type": "observasjon", "med": "miljøarbeider i friminutt",
             "oppsummering": "Bekrefter at eleven står alene i storefri."},
        ],
        "elevens_opplevelse": "Eleven opplever ikke skolemiljøet som trygt og godt.",
        "konklusjon": "Eleven har ikke et trygt og godt skolemiljø. Tiltak settes inn.",
    },
    "elevens_stemme": [{"dato": "2026-10-16",
                        "synspunkter": "Ønsker ikke å bytte klasse, men vil ha fast makker i friminuttene."}],
    "barnets_beste": {"dato": "2026-10-16", "vurdering": "Å bli i klassen med støtte er best for eleven."},
    "aktivitetsplan": {
        "dato": "2026-10-16",
        "problem": "Eleven holdes utenfor sosialt i friminutt og i en digital gruppechat.",
        "tiltak": [
            {"id": "T1", "beskrivelse": "Miljøarbeider er til stede i storefri og etablerer makkerordning.",
             "fra": "2026-10-19", "til": "2026-11-20", "ansvarlig": "Miljøarbeider Sara Lunde",
             "evalueres": "2026-10-30", "evalueringer": [
                 {"dato": "2026-10-30", "resultat": "Eleven har fast makker; mindre alene.",
                  "elevens_opplevelse": "Bedre, men gruppechatten fortsetter.", "videre": "fortsett"}]},
            {"id": "T2", "beskrivelse": "Samtaler med elevene i gruppechatten og deres foresatte.",
             "fra": "2026-10-19", "til": "2026-10-30", "ansvarlig": "Avdelingsleder Tone Berg",
             "evalueres": "2026-11-06", "evalueringer": []},
        ],
    },
    "logg": [{"dato": "2026-10-12", "av": "Per Haugen", "hendelse": "Melding mottatt og registrert."}],
    "avslutning": None,
    "arkiv": {"saksnummer": None},
}


def build_repository(target: Path, cases: int) -> Path:
    from skolemiljo.domain.author import Author
    from skolemiljo.storage.commits import GitStore, commit_message
    from skolemiljo.storage.casefiles import case_document
    from skolemiljo.services.init import init_repository
    from skolemiljo.storage.repository import Settings

    author = Author("Tone Berg", "tone.berg@fjordvik.example")
    repo = init_repository(target, Settings(skole="Fjordvik videregående skole"), author)
    store = GitStore(repo)
    for n in range(1, cases + 1):
        final = copy.deepcopy(CASE)
        final["id"] = case_id = f"2026-{n:04d}"
        first = copy.deepcopy(final)
        first.update(status="mottatt", undersokelse=None, elevens_stemme=[], barnets_beste=None, aktivitetsplan=None)
        second = copy.deepcopy(final)
        second["aktivitetsplan"]["tiltak"] = second["aktivitetsplan"]["tiltak"][:1]
        second["aktivitetsplan"]["tiltak"][0]["evalueringer"] = []
        third = copy.deepcopy(final)
        third["aktivitetsplan"]["tiltak"][0]["evalueringer"] = []
        for version, action in ((first, "melding registrert"), (second, "aktivitetsplan laget"),
                                (third, "aktivitetsplan endret"), (final, "tiltak T1 evaluert")):
            store.commit_file(repo.case_path(case_id), case_document(version).encode("utf-8"),
                              commit_message(case_id, action, "edit"), author)
    return repo.root


def skm_command() -> list[str]:
    script = Path(sys.executable).with_name("skm")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from skolemiljo.cli import main; main()"]


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="skm-bench-render-"))
    env = dict(os.environ)
    home = work / "home"
    home.mkdir()
    (home / "gitconfig").write_text("", encoding="utf-8")
    env.update(HOME=str(home), GIT_CONFIG_GLOBAL=str(home / "gitconfig"), GIT_CONFIG_NOSYSTEM="1",
               SKM_TODAY="2026-11-20")
    os.environ.update({k: env[k] for k in ("HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "SKM_TODAY")})
    try:
        root = build_repository(work / "saker", args.cases)
        skm = skm_command()
        print(f"skm render benchmark: {args.cases} cases, {args.runs} runs each, {os.cpu_count()} CPUs")
        print(f"{'what':58} {'median':>9} {'best':>9}")

        def report(label: str, times: list[float], unit: str = "s") -> None:
            print(f"{label:58} {statistics.median(times):8.3f}{unit} {min(times):8.3f}{unit}")

        # Warm-up: Jinja's bytecode cache, the OS file cache, fontconfig's cache.
        timed(skm + ["render", "2026-0001", "-o", str(work / "warm")], root, env)
        for document in ("meldingsskjema", "aktivitetsplan", "saksdokumentasjon"):
            for fmt in ("pdf", "html"):
                times = [timed(skm + ["render", "2026-0001", document, "-f", fmt, "-o", str(work / "one")], root, env)
                         for _ in range(args.runs)]
                report(f"one case to {fmt.upper()}, {document} (incl. start-up)", times)
        times = [timed(skm + ["--help"], root, env) for _ in range(args.runs)]
        report("skm --help (start-up alone)", times)

        for fmt in ("md", "html", "pdf"):
            runs = max(1, args.runs // 2)
            times = [timed(skm + ["render", "--all", "-f", fmt, "-o", str(work / f"all-{fmt}")], root, env)
                     for _ in range(runs)]
            best = min(times)
            print(f"{f'--all, {fmt.upper()}, saksdokumentasjon ({args.cases} documents)':58} "
                  f"{statistics.median(times):8.3f}s {best:8.3f}s   {args.cases / best:6.1f} documents/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
