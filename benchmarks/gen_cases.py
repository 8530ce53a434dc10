"""Generate a case repository of N fictional, schema-valid cases for benchmarks.

    python benchmarks/gen_cases.py DIR --count 1000 [--seed 7] [--check] [--history]

The repository is made by ``skm init`` (the Python API); the cases are written with
``skolemiljo.storage.casefiles.case_document`` (skm's canonical file text) and committed in one
``git add -A && git commit``, which is fast even for 10,000 cases; ``--history`` makes
skm-style commits per case instead, about two per case. Those are written straight into one
pack file with its index (``_pack_history``): each commit changes one entry of the flat
``cases`` tree, so every new tree is stored as an exact, hand-made delta against the previous
one (a full tree every ``DELTA_CHAIN``, and HEAD's in full). ``git fast-import``, which wrote
the same commits before (``_fast_import_history``, kept for the test that compares the two),
searches for each delta itself and needed more than an hour for 50,000 cases; the pack
writer takes minutes for 100,000. The cases are
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
import hashlib
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

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


HistoryWriter = Callable[[CaseRepo, dict[str, tuple[dict[str, Any], str]], dict[str, str]], None]


def _history_events(documents: dict[str, tuple[dict[str, Any], str]]) -> list[tuple[str, str, int, str, str, str]]:
    """The skm-style steps of every case (registered, then its current state), in date order."""
    events = []
    for case_id, (data, text) in documents.items():
        first = case_document(registered_snapshot(data))
        events.append((data["melding"]["mottatt"], case_id, 0, first, "melding registrert", "new-case"))
        if first != text:
            last_day = max(entry["dato"] for entry in data["logg"])
            events.append((last_day, case_id, 1, text, "redigert", "edit"))
    events.sort()
    return events


def _git_out(repo: CaseRepo, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo.root, capture_output=True, check=True).stdout


def _fast_import_history(repo: CaseRepo, documents: dict[str, tuple[dict[str, Any], str]],
                         env: dict[str, str]) -> None:
    """The history written by ``git fast-import`` (the old way, slow for big archives: kept for
    the test that compares it with ``_pack_history``)."""
    events = _history_events(documents)
    branch = _git_out(repo, "symbolic-ref", "HEAD").decode().strip()
    parent = _git_out(repo, "rev-parse", "HEAD").decode().strip()
    chunks: list[bytes] = []
    who = f"{AUTHOR.name} <{AUTHOR.email}>"
    for number, (day, case_id, _step, text, action, action_id) in enumerate(events):
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


# ---------------------------------------------------------------- the pack writer

DELTA_CHAIN = 100  # a full cases tree every this many, so no delta chain is longer (git allows 4095)
_OBJ_COMMIT, _OBJ_TREE, _OBJ_BLOB, _OBJ_OFS_DELTA = 1, 2, 3, 6
_TYPE_NAMES = {_OBJ_COMMIT: b"commit", _OBJ_TREE: b"tree", _OBJ_BLOB: b"blob"}
_MAX_COPY = 0xFFFFFF  # the largest size one delta copy instruction holds


def _object_id(kind: int, content: bytes | bytearray) -> bytes:
    digest = hashlib.sha1(b"%s %d\0" % (_TYPE_NAMES[kind], len(content)))
    digest.update(content)  # a bytearray is hashed in place, not copied
    return digest.digest()


def _tree_entries(raw: bytes) -> list[tuple[bytes, bytes, bytes]]:
    """``(mode, name, id)`` of each entry of a tree object's content, in its order."""
    entries = []
    position = 0
    while position < len(raw):
        space = raw.index(b" ", position)
        nul = raw.index(b"\0", space)
        entries.append((raw[position:space], raw[space + 1:nul], raw[nul + 1:nul + 21]))
        position = nul + 21
    return entries


def _sort_key(mode: bytes, name: bytes) -> bytes:
    """Git orders a tree's entries by name, a folder's name as if it ended in ``/``."""
    return name + b"/" if mode == b"40000" else name


def _varint(value: int) -> bytes:
    """A delta header size: 7 bits a byte, least significant first."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _delta_copy(out: bytearray, offset: int, size: int) -> None:
    """Copy instructions for ``size`` bytes at ``offset`` of the base (never a zero-size copy)."""
    while size > 0:
        step = min(size, _MAX_COPY)
        command = 0x80
        args = bytearray()
        for bit in range(4):
            byte = (offset >> (8 * bit)) & 0xFF
            if byte:
                command |= 1 << bit
                args.append(byte)
        for bit in range(3):
            byte = (step >> (8 * bit)) & 0xFF
            if byte:
                command |= 0x10 << bit
                args.append(byte)
        out.append(command)
        out += args
        offset += step
        size -= step


def _splice_delta(base_size: int, offset: int, removed: int, inserted: bytes) -> bytes:
    """The delta that turns a base into base[:offset] + inserted + base[offset + removed:]."""
    out = bytearray(_varint(base_size))
    out += _varint(base_size - removed + len(inserted))
    _delta_copy(out, 0, offset)
    for start in range(0, len(inserted), 127):
        chunk = inserted[start:start + 127]
        out.append(len(chunk))
        out += chunk
    _delta_copy(out, offset + removed, base_size - offset - removed)
    return bytes(out)


class _Fenwick:
    """Prefix sums of entry lengths by final slot: the byte offset of an entry in the cases tree."""

    def __init__(self, size: int) -> None:
        self.tree = [0] * (size + 1)

    def add(self, slot: int, value: int) -> None:
        slot += 1
        tree = self.tree
        while slot < len(tree):
            tree[slot] += value
            slot += slot & -slot

    def before(self, slot: int) -> int:
        total = 0
        tree = self.tree
        while slot > 0:
            total += tree[slot]
            slot -= slot & -slot
        return total


class _PackWriter:
    """Streams objects into a version 2 pack and writes its version 2 index (no ``git index-pack``)."""

    def __init__(self, pack_dir: Path, count: int) -> None:
        self.pack_dir = pack_dir
        fd, name = tempfile.mkstemp(prefix="tmp_pack_", dir=pack_dir)
        self.temp = Path(name)
        self.file = os.fdopen(fd, "wb", buffering=1 << 20)
        self.digest = hashlib.sha1()
        self.count = count
        self.written = 0
        self.entries: list[tuple[bytes, int, int]] = []  # (id, offset, crc32)
        self.offset = 0
        self._write(b"PACK" + struct.pack(">II", 2, count))

    def _write(self, data: bytes) -> None:
        self.file.write(data)
        self.digest.update(data)
        self.offset += len(data)

    def _entry(self, object_id: bytes, kind: int, size: int, prefix: bytes, body: bytes) -> int:
        header = bytearray()
        byte = (kind << 4) | (size & 0x0F)
        size >>= 4
        while size:
            header.append(byte | 0x80)
            byte = size & 0x7F
            size >>= 7
        header.append(byte)
        header += prefix
        start = self.offset
        self.entries.append((object_id, start, zlib.crc32(body, zlib.crc32(header))))
        self._write(bytes(header))
        self._write(body)
        self.written += 1
        return start

    def full(self, kind: int, content: bytes | bytearray, object_id: bytes | None = None) -> tuple[bytes, int]:
        """Write a whole object; its id and pack offset."""
        object_id = object_id or _object_id(kind, content)
        return object_id, self._entry(object_id, kind, len(content), b"", zlib.compress(content, 1))

    def delta(self, object_id: bytes, base_offset: int, delta: bytes) -> int:
        """Write an object as a delta against the object at ``base_offset`` (OFS_DELTA)."""
        distance = self.offset - base_offset
        encoded = bytearray([distance & 0x7F])
        distance >>= 7
        while distance:
            distance -= 1
            encoded.insert(0, 0x80 | (distance & 0x7F))
            distance >>= 7
        return self._entry(object_id, _OBJ_OFS_DELTA, len(delta), bytes(encoded), zlib.compress(delta, 1))

    def finish(self) -> Path:
        """Close the pack, write its index and move both into place; the pack's path."""
        if self.written != self.count:
            raise AssertionError(f"pack header says {self.count} objects, {self.written} written")
        checksum = self.digest.digest()
        self.file.write(checksum)
        self.file.close()
        entries = sorted(self.entries)
        for before, after in zip(entries, entries[1:]):
            if before[0] == after[0]:
                raise AssertionError(f"object {before[0].hex()} twice in the pack")
        fanout = [0] * 256
        for object_id, _offset, _crc in entries:
            fanout[object_id[0]] += 1
        running = 0
        for index in range(256):
            running += fanout[index]
            fanout[index] = running
        small = []
        large = []
        for _object_id, offset, _crc in entries:
            if offset < 0x80000000:
                small.append(offset)
            else:
                small.append(0x80000000 | len(large))
                large.append(offset)
        index_data = b"".join((
            b"\377tOc", struct.pack(">I", 2), struct.pack(">256I", *fanout),
            b"".join(entry[0] for entry in entries),
            struct.pack(f">{len(entries)}I", *(entry[2] for entry in entries)),
            struct.pack(f">{len(small)}I", *small),
            struct.pack(f">{len(large)}Q", *large),
            checksum,
        ))
        index_data += hashlib.sha1(index_data).digest()
        fd, name = tempfile.mkstemp(prefix="tmp_idx_", dir=self.pack_dir)
        with os.fdopen(fd, "wb") as handle:
            handle.write(index_data)
        pack = self.pack_dir / f"pack-{checksum.hex()}.pack"
        for temp in (self.temp, Path(name)):
            os.chmod(temp, 0o444)
        os.replace(self.temp, pack)
        os.replace(name, pack.with_suffix(".idx"))  # git looks for packs by their index: last
        return pack

    def abandon(self) -> None:
        self.file.close()
        self.temp.unlink(missing_ok=True)


def _pack_history(repo: CaseRepo, documents: dict[str, tuple[dict[str, Any], str]],
                  env: dict[str, str]) -> None:
    """The same history as ``_fast_import_history`` (the same commit ids), written as one pack.

    ``git fast-import`` deltifies every new ``cases`` tree against the previous one by searching
    it, which takes hours for 100,000 commits of a flat tree of megabytes. Here each commit adds
    or replaces one entry of ``cases``, so the delta is known exactly: copy, insert the entry,
    copy. The cases tree lives in a bytearray in git's tree format; an entry's byte offset is a
    prefix sum over its slot among all the names it will ever hold.
    """
    events = _history_events(documents)
    if not events:
        return
    branch = _git_out(repo, "symbolic-ref", "HEAD").decode().strip()
    parent = _git_out(repo, "rev-parse", "HEAD").decode().strip()
    root_id = _git_out(repo, "rev-parse", "HEAD^{tree}").decode().strip()
    root = _tree_entries(_git_out(repo, "cat-file", "tree", root_id))
    cases_entry = next((entry for entry in root if entry[1] == b"cases"), None)
    if cases_entry is not None and cases_entry[0] != b"40000":
        raise AssertionError("cases in the starting commit is not a folder")
    cases = bytearray(_git_out(repo, "cat-file", "tree", cases_entry[2].hex()) if cases_entry else b"")
    existing = _tree_entries(bytes(cases))
    if cases_entry is None:  # the root gets a cases folder where git sorts it
        root.append((b"40000", b"cases", b"\0" * 20))
        root.sort(key=lambda entry: _sort_key(entry[0], entry[1]))
    where = [name for _mode, name, _id in root].index(b"cases")
    root_before = b"".join(mode + b" " + name + b"\0" + oid for mode, name, oid in root[:where]) + b"40000 cases\0"
    root_after = b"".join(mode + b" " + name + b"\0" + oid for mode, name, oid in root[where + 1:])
    # Every name the cases tree will hold, in git's order: an entry's slot never changes.
    modes = {name: mode for mode, name, _id in existing}
    current = {name: oid for _mode, name, oid in existing}
    for _day, case_id, *_rest in events:
        modes.setdefault(f"{case_id}.yaml".encode(), b"100644")
    if any(modes[f"{case_id}.yaml".encode()] != b"100644" for _d, case_id, *_r in events):
        raise AssertionError("a case file in the starting commit is not a plain file")
    keys = sorted(modes, key=lambda name: _sort_key(modes[name], name))
    slot = {name: index for index, name in enumerate(keys)}
    offsets = _Fenwick(len(keys))
    for mode, name, _id in existing:
        offsets.add(slot[name], len(mode) + len(name) + 22)

    # What the pack will hold, known before it is written (its header counts the objects).
    blobs: list[bytes] = []  # the id of each event's blob (its text is encoded again when written)
    seen: set[bytes] = set()
    changes = []
    state = dict(current)
    count = 0
    for _day, case_id, _step, text, *_rest in events:
        content = text.encode("utf-8")
        blob_id = _object_id(_OBJ_BLOB, content)
        blobs.append(blob_id)
        name = f"{case_id}.yaml".encode()
        changed = state.get(name) != blob_id
        state[name] = blob_id
        changes.append(changed)
        count += 1 + (blob_id not in seen) + 2 * changed  # commit, blob, cases tree and root tree
        seen.add(blob_id)
    last_change = max((number for number, changed in enumerate(changes) if changed), default=-1)

    pack_dir = Path(_git_out(repo, "rev-parse", "--git-path", "objects/pack").decode().strip())
    if not pack_dir.is_absolute():
        pack_dir = repo.root / pack_dir
    writer = _PackWriter(pack_dir, count)
    try:
        who = f"{AUTHOR.name} <{AUTHOR.email}>".encode("utf-8")
        written: set[bytes] = set()
        trees: set[bytes] = set()
        base_offset = -1  # the previous cases tree in this pack
        depth = 0
        head_root = bytes.fromhex(root_id)
        commit_id = bytes.fromhex(parent)
        for number, (day, case_id, _step, text, action, action_id) in enumerate(events):
            blob_id = blobs[number]
            if blob_id not in written:
                writer.full(_OBJ_BLOB, text.encode("utf-8"), blob_id)
                written.add(blob_id)
            if changes[number]:
                name = f"{case_id}.yaml".encode()
                entry = b"100644 " + name + b"\0" + blob_id
                where = slot[name]
                offset = offsets.before(where)
                removed = len(entry) if name in current else 0
                base_size = len(cases)
                cases[offset:offset + removed] = entry
                if not removed:
                    offsets.add(where, len(entry))
                current[name] = blob_id
                tree_id = _object_id(_OBJ_TREE, cases)
                if tree_id in trees:
                    raise AssertionError("a cases tree repeats")  # would make a duplicate pack entry
                trees.add(tree_id)
                if base_offset < 0 or depth >= DELTA_CHAIN - 1 or number == last_change:
                    _, base_offset = writer.full(_OBJ_TREE, cases, tree_id)
                    depth = 0
                else:
                    base_offset = writer.delta(tree_id, base_offset, _splice_delta(base_size, offset, removed, entry))
                    depth += 1
                root_tree = root_before + tree_id + root_after
                head_root, _ = writer.full(_OBJ_TREE, root_tree)
            stamp = _timestamp(day, number % 600).encode()
            commit = b"".join((
                b"tree ", head_root.hex().encode(), b"\nparent ", commit_id.hex().encode(),
                b"\nauthor ", who, b" ", stamp, b"\ncommitter ", who, b" ", stamp, b"\n\n",
                _skm_message(case_id, action, action_id).encode("utf-8"),
            ))
            commit_id, _ = writer.full(_OBJ_COMMIT, commit)
        writer.finish()
    except BaseException:
        writer.abandon()
        raise
    subprocess.run(["git", "update-ref", "-m", "gen_cases: history", branch, commit_id.hex(), parent],
                   cwd=repo.root, env=env, check=True)
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=repo.root, env=env, check=True)


def generate(target: Path, count: int, *, seed: int = 7, today: date = TODAY,
             check: bool = False, history: bool = False,
             write_history: HistoryWriter | None = None) -> CaseRepo:
    """A new case repository at ``target`` with ``count`` cases.

    By default all cases come in one commit (fast). With ``history`` every case gets
    skm-style commits instead (``melding registrert`` and, when it has moved on, its
    current state), in date order, written as one pack by ``_pack_history``
    (``write_history``: another writer of the same history, e.g. ``_fast_import_history``).
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
        (write_history or _pack_history)(repo, documents, env)
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
