"""Human-readable text for the terminal (``skm show``, the tables of ``list`` and ``status``)."""

from __future__ import annotations

from typing import Any, Callable

from skolemiljo.domain import model, rounds
from skolemiljo.domain.dates import format_date, is_iso_date
from skolemiljo.domain.requirements import missing_for
from skolemiljo.domain.text import for_terminal

NEXT = {
    "mottatt": ("undersokes", "avsluttet"),
    "undersokes": ("tiltak", "avsluttet"),
    "tiltak": ("avsluttet",),
    "avsluttet": (),
}


def text_table(headers: list[str], rows: list[list[str]],
               style: Callable[[int, str], str] | None = None) -> list[str]:
    """Columns separated by two spaces, padded to the widest cell; ``style(column, padded)``
    may colour a cell after padding (so colour codes do not upset the widths). Every cell goes
    through ``text.for_terminal``: a newline in a name cannot forge a row, nor ESC recolour one."""
    headers = [for_terminal(h) for h in headers]
    rows = [[for_terminal(cell) for cell in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)]
        if style is not None:
            cells = [style(column, cell) if cell.strip() else cell for column, cell in enumerate(cells)]
        lines.append("  ".join(cells).rstrip())
    return lines


def _d(value: Any) -> str:
    return format_date(value) if is_iso_date(value) else "–"


def _t(value: Any, empty: str = "–") -> str:
    """A value of the case, one line, safe for the terminal (``text.for_terminal``)."""
    return empty if value is None or value == "" else for_terminal(value)


def _notice(value: Any) -> str:
    if isinstance(value, dict) and is_iso_date(value.get("dato")):
        return f"{_d(value['dato'])} ({_t(value.get('av'), 'ukjent')})"
    return "ikke varslet"


HIDDEN_NAME = "(navnet vises med --navn)"


def _pupil_line(elev: Any, with_name: bool = True) -> str:
    if not isinstance(elev, dict) or model.is_empty(elev.get("navn")):
        klasse = elev.get("klasse") if isinstance(elev, dict) else None
        return (f"Elev:          ikke identifisert ennå ({_t(klasse, 'klasse ukjent')}); "
                "identifiser eleven med `skm identify` før en aktivitetsplan lages")
    age = {True: "under 18", False: "18 eller eldre"}.get(elev.get("under_18"), "alder ukjent")
    name = _t(elev.get('navn', '–')) if with_name else HIDDEN_NAME
    return f"Elev:          {name} ({_t(elev.get('klasse', '–'))}, {age})"


def _intake_lines(case: dict[str, Any]) -> list[str]:
    """Linked cases, parents, outside contacts (issue 14): case numbers and dates, never names."""
    lines = []
    related = model.related_cases(case)
    if related:
        lines.append(f"Relaterte saker: {', '.join(related)}")
    parents = case.get("foresatte")
    if isinstance(parents, dict):
        parts = []
        for key, text in (("informert", "informert"), ("fikk_planen", "fikk planen")):
            entries = [e for e in parents.get(key) or [] if isinstance(e, dict)]
            if entries:
                parts.append(f"{text} {_d(entries[-1].get('dato'))}")
        consent = parents.get("samtykke")
        if isinstance(consent, dict):
            parts.append(("eleven samtykker" if consent.get("samtykker") is True else "eleven samtykker ikke")
                         + f" i at foresatte deltar ({_d(consent.get('dato'))})")
        if parts:
            lines.append(f"Foresatte:     {'; '.join(parts)}")
    contacts = [c for c in case.get("kontakter") or [] if isinstance(c, dict)]
    if contacts:
        shown = ", ".join(f"{c.get('instans') if c.get('instans') in model.INSTANSER else 'annen'} {_d(c.get('dato'))}"
                          for c in contacts)
        lines.append(f"Kontakter:     {shown}")
    return lines


def describe_case(case: dict[str, Any], *, with_name: bool = True) -> str:
    """A summary of where the case stands and what the next step requires.

    Case text never appears in it; the pupil's name only with ``with_name`` (``skm show --navn``).
    """
    elev = case.get("elev") or {}
    melding = case.get("melding") or {}
    varsling = case.get("varsling") or {}
    lines = [
        f"Sak {model.shown_id(case.get('id'))} – status: {_t(model.shown_status(case.get('status')))}",
        _pupil_line(elev, with_name),
        f"Sakstype:      {model.SAKSTYPE_TEXT.get(case.get('sakstype')) or _t(case.get('sakstype'))}"
        f"{' – alvorlig' if case.get('alvorlig') is True else ''}",
        f"Kategorier:    {_t(', '.join(str(c) for c in case.get('kategorier') or []))}",
        f"Melding:       mottatt {_d(melding.get('mottatt'))} av {_t(melding.get('mottatt_av', '–'))}, "
        f"meldt av {_t(melding.get('meldt_av', '–'))}",
        (f"Varslet:       skoleeier {_notice(varsling.get('skoleeier'))}; rektor varsles ikke (prosedyre C: "
         "meldes direkte til skoleeier)" if case.get("sakstype") == "ledelse-elev" else
         f"Varslet:       rektor {_notice(varsling.get('rektor'))}; skoleeier {_notice(varsling.get('skoleeier'))}"),
    ]
    lines.extend(_intake_lines(case))
    reopened = rounds.reopenings(case)
    if reopened:
        when = "; ".join(f"{_d(r.get('dato'))} av {r.get('av') or 'ukjent'}" for r in reopened)
        lines.insert(5, f"Gjenåpnet:     {when} – dette er runde {len(reopened) + 1}; tidligere runder er bevart "
                        "(se saksdokumentasjonen)")
    inv = case.get("undersokelse")
    if isinstance(inv, dict):
        activities = inv.get("aktiviteter") or []
        concluded = "med konklusjon" if inv.get("konklusjon") else "uten konklusjon ennå"
        lines.append(f"Undersøkelse:  startet {_d(inv.get('startet'))}, {len(activities)} aktivitet(er), {concluded}")
    else:
        lines.append("Undersøkelse:  ikke startet")
    voices = case.get("elevens_stemme") or []
    lines.append(f"Elevens stemme: {len(voices)} gang(er) hørt" + (f", sist {_d(voices[-1].get('dato'))}"
                                                                  if voices and isinstance(voices[-1], dict) else ""))
    best = case.get("barnets_beste")
    lines.append(f"Elevens beste: {'vurdert ' + _d(best.get('dato')) if isinstance(best, dict) else 'ikke vurdert'}")
    plan = case.get("aktivitetsplan")
    if isinstance(plan, dict):
        tiltak = plan.get("tiltak") or []
        revisions = [r for r in plan.get("revisjoner") or [] if isinstance(r, dict)]
        revised = (f" (revidert {len(revisions)} gang(er), sist {_d(revisions[-1].get('dato'))})"
                   if revisions else "")
        lines.append(f"Aktivitetsplan: {_d(plan.get('dato'))}{revised}, {len(tiltak)} tiltak")
        for index, item in enumerate(tiltak):
            if not isinstance(item, dict):
                continue
            evaluations = item.get("evalueringer") or []
            ended = f", avsluttet {_d(item.get('avsluttet'))}" if item.get("avsluttet") else ""
            lines.append(
                f"  {model.tiltak_label(item, index)}: {_d(item.get('fra'))} – {_d(item.get('til'))}, "
                f"ansvarlig {_t(item.get('ansvarlig'))}, evalueres {_d(item.get('evalueres'))}, "
                f"{len(evaluations)} evaluering(er){ended}"
            )
    else:
        lines.append("Aktivitetsplan: ingen")
    closing = case.get("avslutning")
    if isinstance(closing, dict):
        done = closing.get("oppfulgt")
        followed = (f", gjort {_d(done.get('dato'))}" if isinstance(done, dict)
                    else ", ikke registrert ennå" if closing.get("oppfolging") else "")
        lines.append(f"Avsluttet:     {_d(closing.get('dato'))}, oppfølging {_d(closing.get('oppfolging'))}{followed}")
    log = case.get("logg") or []
    if log and isinstance(log[-1], dict):
        lines.append(f"Logg:          {len(log)} oppføring(er), sist {_d(log[-1].get('dato'))}")
    lines.append("")
    lines.extend(next_step_lines(case))
    return "\n".join(lines)


def next_step_lines(case: dict[str, Any]) -> list[str]:
    status = case.get("status")
    targets = NEXT.get(status, ()) if isinstance(status, str) else ()
    if not targets:
        out = ["Saken er avsluttet. Meldes det igjen, gjenåpne den med `skm reopen`."]
        closing = case.get("avslutning")
        if isinstance(closing, dict) and is_iso_date(closing.get("oppfolging")) and closing.get("oppfulgt") is None:
            out.append(f"Oppfølging avtalt {_d(closing['oppfolging'])}: registrer den med "
                       f"`skm follow-up {case.get('id')} --notat …`.")
        return out
    out = []
    for target in targets:
        missing = missing_for(case, target)
        if not missing:
            out.append(f"Klar for {target}: `skm advance {model.shown_id(case.get('id'), label='SAKSNR')} "
                       f"--to {target}`.")
        else:
            out.append(f"Før {target} mangler:")
            out.extend(f"  - {text}" for _rule, text in missing)
    return out
