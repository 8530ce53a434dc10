"""What each page shows, made from the services' data (no rule is decided here).

Every function returns plain data for a template: dates already written the Norwegian way in
the repository's målform, codes turned into words with the documents' own tables
(``render.i18n``), and free text from cases left as text (the templates escape it).
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from skolemiljo.domain import dates, model
from skolemiljo.errors import InvalidCaseError, RequirementsNotMetError, SkmError
from skolemiljo.render import i18n
from skolemiljo.storage.repository import CaseRepo
from skolemiljo.web import forms


def day(value: Any, malform: str) -> str | None:
    """``20. november 2026``; a value that is not a date is shown as written."""
    found = value if isinstance(value, date) else dates.as_date(value)
    if found is not None:
        return dates.format_date(found, malform)
    return None if value in (None, "") else str(value)


def procedure(sakstype: Any, t: dict[str, str]) -> str:
    """``A – elev krenker elev (<hjemmel>)``: the procedure the seeds name, from the sakstype."""
    return t.get(f"prosedyre_{sakstype}", str(sakstype or "–"))


def status_text(status: Any, malform: str) -> str:
    return i18n.label(i18n.STATUS, malform, status) or "–"


# ---------------------------------------------------------------- refusals


@dataclass
class Refusal:
    """An ``SkmError`` as a page shows it, beside the form that was refused."""

    message: list[tuple[str, bool]]  # (text, is_code) pieces: `skm …` in the message is shown as code
    hint: list[tuple[str, bool]] | None
    details: list[str] = field(default_factory=list)
    stale: bool = False


_OPTION = re.compile(r"--[a-z0-9][a-z0-9-]*")


def _pieces(text: str, fields: tuple[forms.Field, ...], t: dict[str, str]) -> list[tuple[str, bool]]:
    """Split ``text`` at backticks; outside them, an option the services name (``--dato``) becomes
    the field's label on this form (``«Dato»``)."""
    labels = {item.option: t[item.label] for item in fields if item.option}

    def named(match: re.Match[str]) -> str:
        label = labels.get(match.group(0))
        return f"«{label}»" if label else match.group(0)

    out = []
    for index, part in enumerate(text.split("`")):
        if part:
            out.append((part, True) if index % 2 else (_OPTION.sub(named, part), False))
    return out


def refusal(error: SkmError, fields: tuple[forms.Field, ...], t: dict[str, str]) -> Refusal:
    from skolemiljo.errors import StaleCaseError

    details: list[str] = []
    if isinstance(error, InvalidCaseError):
        details = [finding.format() for finding in error.findings]
    if isinstance(error, RequirementsNotMetError):
        details = list(error.missing)
    return Refusal(_pieces(error.message, fields, t), _pieces(error.hint, fields, t) if error.hint else None,
                   details, isinstance(error, StaleCaseError))


# ---------------------------------------------------------------- Oversikt


class Names:
    """Pupils' names for the overview's name switch, read from the case files (``pupil_name``) and
    kept in this process's memory only, per file as long as the file is unchanged. Names are
    never written to any cache on disk."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[int, int, int, int], Any]] = {}
        self._lock = threading.Lock()

    def of(self, repo: CaseRepo, case_id: Any) -> Any:
        from skolemiljo.services.overview import pupil_name

        if not isinstance(case_id, str) or not model.CASE_ID.fullmatch(case_id):
            return None
        path = repo.case_path(case_id)
        try:
            st = os.stat(path)
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
        key = str(path)
        with self._lock:
            known = self._known.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
        name = pupil_name(repo, case_id)
        with self._lock:
            self._known[key] = (stamp, name)
        return name


NAMES = Names()


def overview(repo: CaseRepo, today: date, names: bool, malform: str, t: dict[str, str]) -> dict[str, Any]:
    from skolemiljo.services.overview import status_overview

    found = status_overview(repo, today)
    if names:
        for row in found.open + found.recently_closed:
            row["navn"] = NAMES.of(repo, row["id"])

    def deadline(item: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if item is None else {"hva": item["hva"], "frist": day(item["frist"], malform)}

    open_rows = [{
        "id": row["id"], "status": status_text(row["status"], malform), "prosedyre": procedure(row["sakstype"], t),
        "klasse": row["klasse"], "navn": row.get("navn"), "arbeidsdager": row["arbeidsdager_apen"],
        "forfalt": [deadline(d) for d in row["forfalt"]], "neste": deadline(row["neste_frist"]),
        "lenke": _case_link(row["id"]),
    } for row in found.open]
    closed_rows = [{
        "id": row["id"], "prosedyre": procedure(row["sakstype"], t), "klasse": row["klasse"],
        "navn": row.get("navn"), "avsluttet": day(row["avsluttet"], malform),
        "oppfolging": day(row["oppfolging"], malform), "lenke": _case_link(row["id"]),
    } for row in found.recently_closed]
    counts = found.counts
    return {
        "dato": day(today, malform), "navn": names, "apne": open_rows, "avsluttet": closed_rows,
        "forfalt_totalt": sum(len(row["forfalt"]) for row in found.open),
        "fra": day(counts["fra"], malform), "til": day(counts["til"], malform),
        "sakstyper": [(procedure(kind, t), n) for kind, n in counts["sakstyper"].items()],
        "kategorier": [(i18n.kategori(malform, kind), n) for kind, n in counts["kategorier"].items()],
    }


def _case_link(case_id: Any) -> str | None:
    """Links only to ids that are ids: a hand-typed ``id:`` never becomes part of a URL."""
    return f"/sak/{case_id}" if isinstance(case_id, str) and model.CASE_ID.fullmatch(case_id) else None


# ---------------------------------------------------------------- Sak


def read_with_version(repo: CaseRepo, case_id: str):  # -> tuple[LoadedCase, str]
    """The case and the version of exactly the bytes it was read from (the forms carry it)."""
    from skolemiljo.storage.casefiles import case_version, read_case

    path = repo.existing_case_path(case_id)
    for _attempt in range(5):
        before = path.read_bytes()
        case = read_case(repo, case_id)
        if path.read_bytes() == before:
            return case, case_version(before)
    return case, case_version(path.read_bytes())


def summary(data: dict[str, Any]) -> tuple[str, list[str]]:
    """Where the case stands and what the next step requires: the text of ``skm show``."""
    from skolemiljo.domain.presentation import describe_case, next_step_lines

    text = describe_case(data)
    steps = next_step_lines(data)
    tail = "\n".join(steps)
    if tail and text.endswith(tail):
        text = text[: -len(tail)].rstrip("\n")
    return text, steps


def rounds(data: dict[str, Any], malform: str, t: dict[str, str]) -> list[dict[str, Any]]:
    """The case round by round: the report, then each reopening, each with its closing and its log."""
    melding = data.get("melding") if isinstance(data.get("melding"), dict) else {}
    reopenings = [r for r in data.get("gjenapninger") or [] if isinstance(r, dict)]
    starts: list[dict[str, Any]] = [{"start": melding.get("mottatt"), "hva": t["runde_melding"], "grunn": None,
                                     "av": melding.get("mottatt_av")}]
    starts += [{"start": r.get("dato"), "hva": t["runde_gjenapnet"], "grunn": r.get("grunn"), "av": r.get("av")}
               for r in reopenings]
    closings = [(r["forrige_runde"].get("avslutning") if isinstance(r.get("forrige_runde"), dict)
                 else r.get("forrige_avslutning")) for r in reopenings] + [data.get("avslutning")]
    log = [e for e in data.get("logg") or [] if isinstance(e, dict)]
    out = []
    for index, start in enumerate(starts):
        begins = str(start["start"] or "")
        ends = str(starts[index + 1]["start"] or "") if index + 1 < len(starts) else None
        entries = [e for e in log if (index == 0 or str(e.get("dato") or "") >= begins)
                   and (ends is None or str(e.get("dato") or "") < ends)]
        closing = closings[index] if isinstance(closings[index], dict) else None
        out.append({
            "nummer": index + 1, "hva": start["hva"], "start": day(start["start"], malform), "av": start["av"],
            "grunn": start["grunn"],
            "avslutning": None if closing is None else {
                "dato": day(closing.get("dato"), malform), "begrunnelse": closing.get("begrunnelse"),
                "elevens_opplevelse": closing.get("elevens_opplevelse"),
                "oppfolging": day(closing.get("oppfolging"), malform),
                "oppfulgt": _followed_up(closing.get("oppfulgt"), malform)},
            "logg": [{"dato": day(e.get("dato"), malform), "av": e.get("av"), "hendelse": e.get("hendelse"),
                      "status": status_text(e["status"], malform) if e.get("status") else None} for e in entries],
        })
    return out


def _followed_up(done: Any, malform: str) -> dict[str, Any] | None:
    """The follow-up recorded after closing (``avslutning.oppfulgt``), if any."""
    if not isinstance(done, dict):
        return None
    return {"dato": day(done.get("dato"), malform), "av": done.get("av"), "notat": done.get("notat")}


def evaluations(data: dict[str, Any], malform: str) -> list[list[dict[str, Any]]]:
    """Each tiltak's evaluations, in the order of the plan's tiltak (as ``case_view`` lists them)."""
    return [[{
        "dato": day(e.get("dato"), malform), "resultat": e.get("resultat"),
        "elevens_opplevelse": e.get("elevens_opplevelse"),
        "videre": i18n.label(i18n.VIDERE, malform, e.get("videre")),
        "neste_evaluering": day(e.get("neste_evaluering"), malform),
    } for e in item.get("evalueringer") or [] if isinstance(e, dict)]
        for item in model.tiltak_list(data) if isinstance(item, dict)]


class _Named(dict):
    """``str.format_map`` values where a missing name is left empty."""

    def __missing__(self, key: str) -> str:
        return ""


# A refused form: (action key, tiltak id or None, what the user typed, the refusal).
Submitted = tuple[str, "str | None", dict[str, Any], Refusal]


@dataclass
class FormView:
    """One form on a page: where it posts, its fields with their values, and a refusal if any."""

    id: str
    action: str
    title: str
    intro: str
    button: str
    fields: list[dict[str, Any]]
    tiltak: str | None = None
    targets: list[tuple[str, str]] = field(default_factory=list)
    refusal: Refusal | None = None
    open: bool = False


def field_views(prefix: str, fields: tuple[forms.Field, ...], values: dict[str, Any], malform: str,
                t: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for item in fields:
        value = values.get(item.name, "")
        out.append({
            "name": item.name, "kind": item.kind, "id": f"{prefix}-{item.name}", "label": t[item.label],
            "help": t[item.help] if item.help else None, "required": item.required,
            "value": value if item.kind != forms.CHECKBOXES else None,
            "selected": list(value) if item.kind == forms.CHECKBOXES and isinstance(value, (list, tuple)) else [],
            "choices": [(choice, forms.choice_text(item.choices_from, choice, malform, t),
                         t.get(f"hint_{item.name}_{choice}")) for choice in item.choices],
        })
    return out


def form_views(case_id: str, data: dict[str, Any], today: date, malform: str, t: dict[str, str],
               submitted: Submitted | None = None) -> list[FormView]:
    """Every form the case page offers now; the refused one keeps what the user typed (shown first
    when the case no longer offers it, so nothing typed disappears)."""
    offers = forms.offered(data)
    if submitted is not None:
        wanted = forms.Offer(forms.ACTIONS[submitted[0]], submitted[1])
        if all(o.form_id != wanted.form_id for o in offers):
            offers.insert(0, wanted)
    out = []
    for offer in offers:
        action = offer.action
        values: dict[str, Any] = {item.name: today.isoformat() for item in action.fields if item.name == "dato"}
        values.update(action.defaults(data, offer.tiltak))
        refused = None
        if submitted is not None and (submitted[0], submitted[1]) == (action.key, offer.tiltak):
            values, refused = submitted[2], submitted[3]
        out.append(FormView(
            id=offer.form_id, action=f"/sak/{case_id}/handling/{action.key}",
            title=t[action.title].format_map(_Named(tiltak=offer.tiltak or "")), intro=t[action.intro],
            button=t[action.button].format_map(_Named(tiltak=offer.tiltak or "")),
            fields=field_views(f"f-{offer.form_id}", action.fields, values, malform, t), tiltak=offer.tiltak,
            targets=[(target, t["knapp_advance"].format(til=status_text(target, malform)))
                     for target in offer.targets],
            refusal=refused, open=refused is not None,
        ))
    return out


def case_page(repo: CaseRepo, case_id: str, today: date, malform: str, t: dict[str, str],
              submitted: Submitted | None = None) -> dict[str, Any]:
    from skolemiljo.render.context import case_view

    case, version = read_with_version(repo, case_id)
    data = case.data
    text, steps = summary(data)
    return {
        "id": case_id, "versjon": version, "status_kode": data.get("status"),
        "status": status_text(data.get("status"), malform), "prosedyre": procedure(data.get("sakstype"), t),
        "sammendrag": text, "neste": steps, "sak": case_view(data, malform),
        "runder": rounds(data, malform, t), "evalueringer": evaluations(data, malform),
        "skjema": form_views(case_id, data, today, malform, t, submitted),
        "dt": i18n.text(malform),
    }


def notify_now(data: dict[str, Any]) -> list[str]:
    """Who must be notified now, in the words of the requirement table (after Ny melding)."""
    from skolemiljo.domain.requirements import missing_for

    return [text for rule, text in missing_for(data, "undersokes") if rule.startswith("varsling-")]


# ---------------------------------------------------------------- Historikk, Årshjul, Kontroll


class Histories:
    """Each case's audit trail, kept in this process while HEAD stays; when HEAD has moved on, only
    the commits since are walked (git's walk of the whole history is the slow part)."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, list[Any]]] = {}
        self._lock = threading.Lock()

    def of(self, repo: CaseRepo, path) -> list[Any]:
        from skolemiljo.storage.history import case_history, descends_from, head_commit

        head = head_commit(repo.root)
        key = str(path)
        with self._lock:
            known = self._known.get(key)
        if head is None:
            return case_history(repo, path)
        if known is not None and known[0] == head:
            return known[1]
        if known is not None and descends_from(repo.root, known[0], head):
            entries = known[1] + case_history(repo, path, since=known[0])
        else:
            entries = case_history(repo, path)
        with self._lock:
            self._known[key] = (head, entries)
        return entries


HISTORIES = Histories()


def history(repo: CaseRepo, case_id: str, malform: str) -> list[dict[str, Any]]:
    from datetime import datetime

    entries = HISTORIES.of(repo, repo.existing_case_path(case_id))
    return [{"nar": i18n.format_datetime(datetime.fromisoformat(e.when), malform), "hvem": e.author,
             "hva": e.action, "utenom_skm": e.action_id is None, "versjon": e.commit[:10]} for e in entries]


def calendar(repo: CaseRepo, today: date, weeks: int, malform: str) -> dict[str, Any]:
    from skolemiljo.services.overview import calendar_view

    view = calendar_view(repo, today, weeks)

    def deadline(d) -> dict[str, Any]:
        return {"dato": day(d.due, malform), "sak": d.case_id, "hva": d.what, "lenke": _case_link(d.case_id)}

    def routine(item) -> dict[str, Any]:
        if item.weekly:
            when = item.weekly
        elif item.first == item.last:
            when = day(item.first, malform)
        else:
            when = f"{day(item.first, malform)} – {day(item.last, malform)}"
        return {"hva": item.title, "nar": when, "ukentlig": bool(item.weekly), "hvem": item.who,
                "hvordan": item.how}

    return {
        "dato": day(today, malform), "uker_antall": weeks,
        "forfalt": [deadline(d) for d in view.overdue],
        "uker": [{"nummer": w.number, "fra": day(w.first, malform), "til": day(w.last, malform),
                  "rutiner": [routine(r) for r in w.routines], "frister": [deadline(d) for d in w.deadlines]}
                 for w in view.weeks],
        "hele_aret": view.all_year,
    }


def checks(repo: CaseRepo, today: date) -> dict[str, Any]:
    from skolemiljo.checks.registry import select
    from skolemiljo.checks.reporters import summary as check_summary
    from skolemiljo.checks.runner import run

    report = run(repo, select(None, None), today, jobs=1)
    rows = [{"fil": f.file, "linje": f.line, "kontroll": f.check, "alvor": f.severity, "melding": f.message,
             "sak": f.case if isinstance(f.case, str) and model.CASE_ID.fullmatch(f.case) else None,
             "lenke": _case_link(f.case)} for f in report.findings]
    return {"funn": rows, "oppsummering": check_summary(report), "feil": report.errors,
            "advarsler": report.warnings}
