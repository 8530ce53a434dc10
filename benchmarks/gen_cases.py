"""Generate a case repository of N fictional, schema-valid cases for benchmarks.

    python benchmarks/gen_cases.py DIR --count 1000 [--seed 7] [--check] [--history]

The repository is made by ``skm init`` (the Python API); the cases are written with
``skolemiljo.storage.casefiles.case_document`` (skm's canonical file text) and committed in one
``git add -A && git commit``, which is fast even for 10,000 cases; ``--history`` makes
skm-style commits per case instead (``git fast-import``, still seconds). The cases are
realistic: reports from the last school years (ids ``YYYY-NNNN`` per year), all four
sakstyper, and statuses spread as a school's archive looks (most old cases closed,
the recent ones open): ``mottatt``, ``undersokes``, ``tiltak`` (complete plan, some
evaluations) and ``avsluttet`` (with and without tiltak), each with exactly the content
its status requires, so ``skm validate`` finds nothing. Names and texts are fictional.

From Python: ``generate(target, count, seed=...)`` returns the ``CaseRepo``;
``case_for(case_id, mottatt, rng, today=...)`` builds one case.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from skolemiljo.domain import model  # noqa: E402
from skolemiljo.domain.author import Author  # noqa: E402
from skolemiljo.storage.casefiles import case_document  # noqa: E402
from skolemiljo.services.init import init_repository  # noqa: E402
from skolemiljo.storage.repository import CaseRepo, Settings  # noqa: E402

TODAY = date(2026, 11, 20)
AUTHOR = Author("Benk Rektor", "rektor@fjordvik.example.no")
SETTINGS = Settings(skole="Fjordvik videregående skole", skoleeier="Vestland fylkeskommune")

FIRST = ("Ola", "Kari", "Aisha", "Jonas", "Emilie", "Mohammed", "Sander", "Ingrid", "Lukas", "Nora",
         "Emma", "Filip", "Sofie", "Yusuf", "Maja", "Oskar", "Leah", "Elias", "Hedda", "Tobias",
         "Amina", "Henrik", "Thea", "Noah", "Ida", "Aksel", "Sara", "Magnus", "Live", "Johannes")
LAST = ("Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
        "Kristiansen", "Jensen", "Karlsen", "Haugen", "Ødegård", "Aasen", "Bø", "Økland", "Dahl",
        "Rahimi", "Ali", "Wiśniewski", "Berg", "Hagen", "Eide", "Solberg", "Lie", "Strand")
CLASSES = ("8A", "8B", "9A", "9B", "10A", "10C", "1STA", "1STB", "2STA", "2STB", "3STA", "VG1 elektro",
           "VG2 helse", "VG1 bygg")
STAFF = ("Per Haugen", "Sølvi Dahl", "Tor Ås", "Hilde Berg", "Anders Lie", "Marte Solberg")
RECTOR = "Rektor Tone Berg"
REPORTS = (
    "Eleven forteller at hun blir holdt utenfor i friminuttene.",
    "Foresatte melder om krenkende meldinger i en gruppechat på Snapchat.",
    "En ansatt har sett at eleven blir dyttet og kalt stygge ting i garderoben.",
    "Eleven sier hun gruer seg til å gå på skolen og har vært borte flere dager.",
    "Medelever har delt bilder av eleven uten samtykke.",
    "Eleven opplever at en lærer snakker nedsettende til ham foran klassen.",
    "Anonym melding om rasistiske kommentarer i klassen.",
)
CATEGORIES = ("mobbing", "utestenging", "digital-mobbing", "vold", "trusler", "rasisme",
              "trakassering", "krenkende-ord", "isolering")
MEASURES = ("Fast makker i friminuttene.", "Ukentlige samtaler med kontaktlærer.",
            "Voksen til stede i garderoben.", "Klassemiljøtiltak med sosiallærer.",
            "Oppfølging av gruppechatten sammen med foresatte.", "Endret plassering i klasserommet.")
# Status by the age of the report in days, as a school that keeps its deadlines has them: a report
# is investigated within days and has a plan within a week; old cases are mostly closed.
STATUS_BY_AGE = (
    (2, {"mottatt": 50, "undersokes": 50}),
    (6, {"undersokes": 70, "tiltak": 30}),
    (120, {"tiltak": 65, "avsluttet": 35}),
    (365, {"tiltak": 8, "avsluttet": 92}),
    (None, {"tiltak": 1, "avsluttet": 99}),  # a case open for years is rare (and its file long)
)
NEGLECTED = 0.04  # share of open cases with tiltak whose evaluations stopped (overdue, as in real life)
# Days a report must be old to have come this far (so no date is after today).
MINIMUM_AGE = {"mottatt": 0, "undersokes": 2, "tiltak": 7, "avsluttet": 25}


def _d(day: date) -> str:
    return day.isoformat()


def _capped(day: date, today: date) -> date:
    return min(day, today)


def case_for(case_id: str, mottatt: date, rng: random.Random, *, today: date = TODAY,
             status: str | None = None) -> dict[str, Any]:
    """One fictional case with exactly what its status requires (dates never after ``today``)."""
    age = (today - mottatt).days
    if status is None:
        weights = next(w for limit, w in STATUS_BY_AGE if limit is None or age <= limit)
        status = rng.choices(list(weights), weights=list(weights.values()))[0]
    order = list(MINIMUM_AGE)
    while age < MINIMUM_AGE[status]:  # a report from yesterday cannot be closed yet
        status = order[order.index(status) - 1]
    sakstype = rng.choices(("elev-elev", "ansatt-elev", "ledelse-elev", "annet"), weights=(80, 10, 3, 7))[0]
    alvorlig = rng.random() < 0.08
    staff = rng.choice(STAFF)
    data = model.new_record(
        case_id=case_id, sakstype=sakstype, alvorlig=alvorlig,
        kategorier=sorted(set(rng.sample(CATEGORIES, rng.randint(1, 2)))),
        elev_navn=f"{rng.choice(FIRST)} {rng.choice(LAST)}", klasse=rng.choice(CLASSES),
        under_18=rng.random() < 0.85, mottatt=_d(mottatt), mottatt_av=f"{staff} (kontaktlærer)",
        meldt_av=rng.choice(model.MELDT_AV), beskrivelse=rng.choice(REPORTS),
    )
    log = data["logg"]
    log.append({"dato": _d(mottatt), "av": staff, "hendelse": "Melding registrert."})
    if sakstype != "ledelse-elev":
        data["varsling"]["rektor"] = {"dato": _d(mottatt), "av": staff}
        log.append({"dato": _d(mottatt), "av": staff, "hendelse": "Rektor varslet."})
    if sakstype in ("ansatt-elev", "ledelse-elev") or alvorlig:
        data["varsling"]["skoleeier"] = {"dato": _d(mottatt), "av": RECTOR, "merknad": "telefon"}
        log.append({"dato": _d(mottatt), "av": RECTOR, "hendelse": "Skoleeier varslet."})
    if status == "mottatt":
        return data

    # Investigation (undersokes and later).
    started = mottatt + timedelta(days=1)
    data["status"] = "undersokes"
    log.append({"dato": _d(mottatt), "av": RECTOR, "hendelse": "Status endret: mottatt → undersokes.",
                "status": "undersokes"})
    activities = [{"dato": _d(started), "type": "samtale", "med": "eleven",
                   "oppsummering": "Eleven beskriver situasjonen med egne ord."}]
    if rng.random() < 0.6:
        activities.append({"dato": _d(_capped(started + timedelta(days=1), today)), "type": "observasjon",
                           "oppsummering": "Observasjon i friminutt og i klasserommet."})
    concluded = status in ("tiltak", "avsluttet") or rng.random() < 0.4
    data["undersokelse"] = {
        "startet": _d(started),
        "avsluttet": _d(_capped(started + timedelta(days=3), today)) if concluded else None,
        "aktiviteter": activities,
        "elevens_opplevelse": "Eleven opplever ikke skolemiljøet som trygt og godt." if concluded else None,
        "konklusjon": "Skolen setter inn tiltak." if concluded else None,
    }
    for activity in activities:
        log.append({"dato": activity["dato"], "av": staff, "hendelse": f"Undersøkelse: {activity['type']}."})
    if status == "undersokes":
        return data

    close_without_plan = status == "avsluttet" and rng.random() < 0.25
    planned = started + timedelta(days=3)
    if not close_without_plan:
        data["elevens_stemme"] = [{"dato": _d(planned), "synspunkter": "Vil ha en voksen å gå til."}]
        data["barnets_beste"] = {"dato": _d(planned), "vurdering": "Best for eleven å bli i klassen med tiltak."}
        measures = []
        for number in range(1, rng.randint(1, 3) + 1):
            start = planned + timedelta(days=2)
            measures.append({"id": f"T{number}", "beskrivelse": rng.choice(MEASURES), "fra": _d(start),
                             "til": _d(start + timedelta(days=rng.choice((28, 42, 56)))),
                             "ansvarlig": rng.choice(STAFF), "evalueres": _d(start + timedelta(days=14)),
                             "evalueringer": []})
        data["aktivitetsplan"] = {"dato": _d(planned), "problem": "Eleven holdes utenfor og krenkes.",
                                  "tiltak": measures}
        data["status"] = "tiltak"
        log.append({"dato": _d(planned), "av": RECTOR, "hendelse": "Status endret: undersokes → tiltak.",
                    "status": "tiltak"})
        neglected = status == "tiltak" and rng.random() < NEGLECTED
        for measure in measures:
            due = date.fromisoformat(measure["evalueres"])
            if status == "avsluttet":
                when = _capped(due, today)
                measure["evalueringer"].append({
                    "dato": _d(when), "resultat": "Tiltaket virker.", "elevens_opplevelse": "Bedre enn før.",
                    "videre": "avslutt"})
                measure["avsluttet"] = _d(when)
                continue
            # Evaluated every two or three weeks until today (the next one is ahead), unless neglected.
            stop = today - timedelta(days=45) if neglected else today
            while due <= stop:
                following = due + timedelta(days=rng.choice((14, 21)))
                measure["evalueringer"].append({
                    "dato": _d(due), "resultat": "Tiltaket virker.", "elevens_opplevelse": "Bedre enn før.",
                    "videre": "fortsett", "neste_evaluering": _d(following)})
                log.append({"dato": _d(due), "av": measure["ansvarlig"], "hendelse": f"Tiltak {measure['id']} evaluert."})
                due = following
        if status == "tiltak":
            log.sort(key=lambda entry: entry["dato"])  # stable: same-day entries keep their order
            return data
    else:
        data["elevens_stemme"] = [{"dato": _d(planned), "synspunkter": "Har det bra og trenger ingen tiltak."}]
        data["barnets_beste"] = {"dato": _d(planned), "vurdering": "Eleven har det trygt; ingen tiltak trengs."}

    closed = _capped(planned + timedelta(days=rng.choice((20, 35, 50))), today)
    before = data["status"]
    data["status"] = "avsluttet"
    data["avslutning"] = {"dato": _d(closed), "begrunnelse": "Eleven opplever nå skolemiljøet som trygt og godt.",
                          "elevens_opplevelse": "Trygg.", "oppfolging": _d(closed + timedelta(days=30))}
    log.append({"dato": _d(closed), "av": RECTOR, "hendelse": f"Status endret: {before} → avsluttet.",
                "status": "avsluttet"})
    follow_up = closed + timedelta(days=30)
    if follow_up <= today and rng.random() < 0.97:  # most schools record the agreed follow-up (skm follow-up)
        data["avslutning"]["oppfulgt"] = {"dato": _d(follow_up), "av": RECTOR, "notat": "Eleven har det fortsatt bra."}
        log.append({"dato": _d(follow_up), "av": RECTOR, "hendelse": f"Oppfølging etter avslutning gjort {_d(follow_up)}."})
    return data


def report_dates(count: int, rng: random.Random, today: date = TODAY) -> list[date]:
    """``count`` report dates over the last school years, oldest first (more recent = denser)."""
    first = date(today.year - 3, 8, 15)
    span = (today - first).days
    days = sorted(first + timedelta(days=int(span * (rng.random() ** 0.8))) for _ in range(count))
    return days


def registered_snapshot(data: dict[str, Any]) -> dict[str, Any]:
    """The case as ``skm new-case`` first wrote it (status ``mottatt``, first log entry)."""
    return {**data, "status": "mottatt", "varsling": {"rektor": None, "skoleeier": None},
            "undersokelse": None, "elevens_stemme": [], "barnets_beste": None, "aktivitetsplan": None,
            "logg": data["logg"][:1], "avslutning": None}


def _skm_message(case_id: str, action: str, action_id: str) -> str:
    from skolemiljo import __version__

    return f"{case_id}: {action}\n\nSkm-Case: {case_id}\nSkm-Action: {action_id}\nSkm-Version: {__version__}\n"


def _timestamp(day: str, minute: int) -> str:
    when = date.fromisoformat(day)
    seconds = int(time.mktime((when.year, when.month, when.day, 8, 0, 0, 0, 0, -1))) + minute * 60
    return f"{seconds} +0100"


def _fast_import_history(repo: CaseRepo, documents: dict[str, tuple[dict[str, Any], str]],
                         env: dict[str, str]) -> None:
    """One skm-style commit per step (registered, then its current state), in date order."""
    events = []
    for case_id, (data, text) in documents.items():
        first = case_document(registered_snapshot(data))
        events.append((data["melding"]["mottatt"], case_id, 0, first, "melding registrert", "new-case"))
        if first != text:
            last_day = max(entry["dato"] for entry in data["logg"])
            events.append((last_day, case_id, 1, text, "redigert", "edit"))
    events.sort()
    branch = subprocess.run(["git", "symbolic-ref", "HEAD"], cwd=repo.root, capture_output=True, text=True,
                            check=True).stdout.strip()
    parent = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo.root, capture_output=True, text=True,
                            check=True).stdout.strip()
    chunks: list[bytes] = []
    who = f"{AUTHOR.name} <{AUTHOR.email}>"
    for number, (day, case_id, step, text, action, action_id) in enumerate(events):
        message = _skm_message(case_id, action, action_id).encode("utf-8")
        content = text.encode("utf-8")
        stamp = _timestamp(day, number % 600)
        chunks.append(f"commit {branch}\nauthor {who} {stamp}\ncommitter {who} {stamp}\n".encode("utf-8"))
        chunks.append(b"data %d\n%s\n" % (len(message), message))
        if number == 0:
            chunks.append(f"from {parent}\n".encode())
        chunks.append(f"M 100644 inline cases/{case_id}.yaml\n".encode())
        chunks.append(b"data %d\n%s\n" % (len(content), content))
    subprocess.run(["git", "fast-import", "--quiet", "--force"], cwd=repo.root, input=b"".join(chunks),
                   env=env, check=True)
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=repo.root, env=env, check=True)


def generate(target: Path, count: int, *, seed: int = 7, today: date = TODAY,
             check: bool = False, history: bool = False) -> CaseRepo:
    """A new case repository at ``target`` with ``count`` cases.

    By default all cases come in one commit (fast). With ``history`` every case gets
    skm-style commits instead (``melding registrert`` and, when it has moved on, its
    current state), in date order, written with ``git fast-import``.
    """
    os.environ.setdefault("SKM_TODAY", today.isoformat())
    rng = random.Random(seed)
    repo = init_repository(target, SETTINGS, AUTHOR)
    per_year: dict[int, int] = {}
    cases_dir = repo.cases_dir
    documents: dict[str, tuple[dict[str, Any], str]] = {}
    for mottatt in report_dates(count, rng, today):
        per_year[mottatt.year] = per_year.get(mottatt.year, 0) + 1
        case_id = f"{mottatt.year}-{per_year[mottatt.year]:04d}"
        data = case_for(case_id, mottatt, rng, today=today)
        text = case_document(data)
        documents[case_id] = (data, text)
        if check:
            from skolemiljo.storage import yamlio
            from skolemiljo.schema.validation import validate_record

            findings = validate_record(yamlio.load(text), text, f"cases/{case_id}.yaml")
            if findings:
                raise AssertionError("\n".join(f.format() for f in findings))
    env = {**os.environ, "GIT_AUTHOR_NAME": AUTHOR.name, "GIT_AUTHOR_EMAIL": AUTHOR.email,
           "GIT_COMMITTER_NAME": AUTHOR.name, "GIT_COMMITTER_EMAIL": AUTHOR.email}
    if history:
        _fast_import_history(repo, documents, env)
        return repo
    for case_id, (_data, text) in documents.items():
        (cases_dir / f"{case_id}.yaml").write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo.root, env=env, check=True)
    message = f"Importerte {count} saker (benchmark)\n\nSkm-Action: import\n"
    subprocess.run(["git", "commit", "-q", "--no-verify", "-m", message], cwd=repo.root, env=env, check=True)
    return repo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="new folder for the case repository")
    parser.add_argument("--count", "-n", type=int, default=1000, help="number of cases (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="validate every case while generating (slower)")
    parser.add_argument("--history", action="store_true",
                        help="skm-style commits per case (registered, current state) instead of one import commit")
    args = parser.parse_args(argv)
    started = time.monotonic()
    repo = generate(args.target, args.count, seed=args.seed, check=args.check, history=args.history)
    print(f"{args.count} saker i {repo.root} ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
