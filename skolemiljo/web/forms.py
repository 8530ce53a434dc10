"""Every form of the web interface: its fields, and the one service call it makes.

A form is parsed here and nothing more: whether the action is allowed, what it needs and what
it writes is decided by ``services.cases`` and ``services.workflow``, exactly as for the
command line, and their ``SkmError`` messages are what the page shows when they refuse.
``offered`` chooses which forms a case page shows from the case's status (plan and tiltak
after the report is being investigated, evaluations while the case has tiltak, reopening when
it is closed, and the agreed follow-up when it is closed and the follow-up is not recorded yet); a form it shows can still be refused, with the service's reasons.

Field labels and help texts are keys into ``texts`` (bokmål and nynorsk).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Protocol

from skolemiljo.domain import dates, model
from skolemiljo.domain.author import Author
from skolemiljo.domain.requirements import missing_for
from skolemiljo.errors import UsageError
from skolemiljo.storage.repository import CaseRepo

TEXT, TEXTAREA, DATE, SELECT, RADIO, CHECKBOX, CHECKBOXES = (
    "text", "textarea", "date", "select", "radio", "checkbox", "checkboxes")


@dataclass(frozen=True)
class Field:
    """One input. ``option`` is how the services name the value in their messages (``--dato``),
    so a refusal can name the field by its label instead."""

    name: str
    kind: str
    label: str  # texts key
    help: str | None = None  # texts key
    option: str | None = None
    required: bool = False
    choices: tuple[str, ...] = ()
    # Where the choices' words come from: a table of ``render.i18n`` (``STATUS``, ``SAKSTYPE``,
    # ``MELDT_AV``, ``AKTIVITET``, ``VIDERE``, ``KATEGORI``: the documents' own words), or a
    # ``texts`` key prefix (``mottaker_`` + choice).
    choices_from: str | None = None


class Values(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[str]: ...


@dataclass
class Call:
    """One submitted form: who acts on which case, with what the user typed."""

    repo: CaseRepo
    case_id: str
    author: Author
    values: Values
    t: dict[str, str]
    malform: str = "nb"
    version: str | None = None
    tiltak: str | None = None
    fields: tuple[Field, ...] = ()

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return value if isinstance(value, str) else ""

    def optional(self, name: str) -> str | None:
        value = self.text(name)
        return value if value.strip() else None

    def day(self, name: str) -> date | None:
        """A date field; blank is None (the service then takes today where it may)."""
        value = self.text(name).strip()
        return dates.parse_date(value, self._label(name).lower()) if value else None

    def required_day(self, name: str) -> date:
        found = self.day(name)
        if found is None:
            raise UsageError(self.t["mangler_verdi"].format(felt=self._label(name)))
        return found

    def _label(self, name: str) -> str:
        for item in self.fields:
            if item.name == name:
                return self.t[item.label]
        return name


@dataclass(frozen=True)
class Action:
    """One action a case page offers; ``key`` is the service's action id (as in ``Skm-Action``)."""

    key: str
    title: str  # texts key
    intro: str  # texts key: what the action records and the law behind it
    button: str  # texts key
    fields: tuple[Field, ...]
    run: Callable[[Call], str]  # makes the service call; returns the notice shown after it
    per_tiltak: bool = False
    defaults: Callable[[dict[str, Any], str | None], dict[str, Any]] = field(default=lambda data, tiltak: {})


def _dato(help_key: str = "hjelp_dato") -> Field:
    return Field("dato", DATE, "felt_dato", help_key, option="--dato")


# ---------------------------------------------------------------- the service calls


def _notify(c: Call) -> str:
    from skolemiljo.services.workflow import notify

    whom = c.text("mottaker")
    notify(c.repo, c.case_id, c.author, whom, c.day("dato"), c.optional("varslet_av"), c.optional("merknad"),
           expected_version=c.version)
    return c.t["ok_notify"].format(hvem=c.t.get(f"mottaker_{whom}", whom))


def _investigate(c: Call) -> str:
    from skolemiljo.services.workflow import investigate

    investigate(c.repo, c.case_id, c.author, c.text("type"), c.text("oppsummering"), c.optional("med"),
                c.day("dato"), expected_version=c.version)
    return c.t["ok_investigate"]


def _conclude(c: Call) -> str:
    from skolemiljo.services.workflow import conclude

    conclude(c.repo, c.case_id, c.author, c.text("elevens_opplevelse"), c.text("konklusjon"), c.day("dato"),
             expected_version=c.version)
    return c.t["ok_conclude"]


def _hear(c: Call) -> str:
    from skolemiljo.services.workflow import hear

    hear(c.repo, c.case_id, c.author, c.text("synspunkter"), c.day("dato"), expected_version=c.version)
    return c.t["ok_hear"]


def _best_interests(c: Call) -> str:
    from skolemiljo.services.workflow import best_interests

    best_interests(c.repo, c.case_id, c.author, c.text("vurdering"), c.day("dato"), expected_version=c.version)
    return c.t["ok_best_interests"]


def _plan(c: Call) -> str:
    from skolemiljo.services.workflow import plan

    plan(c.repo, c.case_id, c.author, c.text("problem"), c.day("dato"), expected_version=c.version)
    return c.t["ok_plan"]


def _tiltak_add(c: Call) -> str:
    from skolemiljo.services.workflow import add_tiltak

    created = add_tiltak(c.repo, c.case_id, c.author, c.text("beskrivelse"), c.required_day("fra"),
                         c.required_day("til"), c.text("ansvarlig"), c.required_day("evalueres"),
                         expected_version=c.version)
    return c.t["ok_tiltak_add"].format(tiltak=created)


def _current_tiltak(c: Call) -> dict[str, Any]:
    from skolemiljo.storage.casefiles import read_case

    for item in model.tiltak_list(read_case(c.repo, c.case_id).data):
        if isinstance(item, dict) and item.get("id") == c.tiltak:
            return item
    return {}


def _tiltak_change(c: Call) -> str:
    """Only what the user changed in the prefilled form is sent, as ``skm tiltak change`` would."""
    from skolemiljo.services.workflow import change_tiltak

    current = _current_tiltak(c)
    changes: dict[str, Any] = {}
    for name, key in (("beskrivelse", "description"), ("ansvarlig", "responsible")):
        value = c.text(name)
        if value.strip() != str(current.get(name) or "").strip():
            changes[key] = value
    for name, key in (("fra", "start"), ("til", "end"), ("evalueres", "evaluate_on")):
        day = c.day(name)
        if day is not None and day.isoformat() != current.get(name):
            changes[key] = day
    change_tiltak(c.repo, c.case_id, c.author, c.tiltak or "", expected_version=c.version, **changes)
    return c.t["ok_tiltak_change"].format(tiltak=c.tiltak)


def _tiltak_end(c: Call) -> str:
    from skolemiljo.services.workflow import end_tiltak

    end_tiltak(c.repo, c.case_id, c.author, c.tiltak or "", c.day("dato"), expected_version=c.version)
    return c.t["ok_tiltak_end"].format(tiltak=c.tiltak)


def _evaluate(c: Call) -> str:
    from skolemiljo.services.workflow import evaluate

    decision = c.text("videre")
    evaluate(c.repo, c.case_id, c.author, c.tiltak or "", c.text("resultat"), c.text("elevens_opplevelse"),
             decision, c.day("neste_evaluering"), c.day("dato"), expected_version=c.version)
    return c.t["ok_evaluate"].format(tiltak=c.tiltak, videre=choice_text("VIDERE", decision, c.malform, c.t))


def _advance(c: Call) -> str:
    from skolemiljo.services.workflow import advance

    result = advance(c.repo, c.case_id, c.author, c.optional("til"), expected_version=c.version)
    return c.t["ok_advance"].format(fra=choice_text("STATUS", result.before, c.malform, c.t),
                                    til=choice_text("STATUS", result.after, c.malform, c.t))


def _close(c: Call) -> str:
    from skolemiljo.services.workflow import close

    close(c.repo, c.case_id, c.author, c.text("begrunnelse"), c.optional("elevens_opplevelse"),
          c.day("oppfolging"), c.day("dato"), expected_version=c.version)
    return c.t["ok_close"]


def _reopen(c: Call) -> str:
    from skolemiljo.services.workflow import reopen

    reopen(c.repo, c.case_id, c.author, c.text("grunn"), c.day("dato"), expected_version=c.version)
    return c.t["ok_reopen"]


def _follow_up(c: Call) -> str:
    from skolemiljo.services.workflow import follow_up

    follow_up(c.repo, c.case_id, c.author, c.text("notat"), c.day("dato"), expected_version=c.version)
    return c.t["ok_follow_up"]


def _log(c: Call) -> str:
    from skolemiljo.services.workflow import add_log

    add_log(c.repo, c.case_id, c.author, c.text("hendelse"), c.day("dato"), expected_version=c.version)
    return c.t["ok_log"]


# ---------------------------------------------------------------- defaults


def _who_to_notify(data: dict[str, Any], _tiltak: str | None) -> dict[str, Any]:
    """Preselect whom the law still wants notified (the requirement table decides)."""
    missing = {rule for rule, _text in missing_for(data, "undersokes")}
    if "varsling-rektor" in missing:
        return {"mottaker": "rektor"}
    if any(rule.startswith("varsling-skoleeier") for rule in missing):
        return {"mottaker": "skoleeier"}
    return {"mottaker": "rektor"}


def _plan_now(data: dict[str, Any], _tiltak: str | None) -> dict[str, Any]:
    plan = data.get("aktivitetsplan") if isinstance(data.get("aktivitetsplan"), dict) else {}
    return {"problem": plan.get("problem") or ""}


def _tiltak_now(data: dict[str, Any], tiltak: str | None) -> dict[str, Any]:
    for item in model.tiltak_list(data):
        if isinstance(item, dict) and item.get("id") == tiltak:
            return {key: str(item.get(key) or "") for key in ("beskrivelse", "fra", "til", "ansvarlig", "evalueres")}
    return {}


# ---------------------------------------------------------------- the forms

ACTIONS: dict[str, Action] = {action.key: action for action in (
    # One button per status the case can go to (closing has its own form).
    Action("advance", "skjema_advance", "intro_advance", "knapp_advance", (), _advance),
    Action("notify", "skjema_notify", "intro_notify", "knapp_notify", (
        Field("mottaker", RADIO, "felt_mottaker", required=True, choices=("rektor", "skoleeier"),
              choices_from="mottaker_"),
        _dato(),
        Field("varslet_av", TEXT, "felt_varslet_av", "hjelp_varslet_av", option="--varslet-av"),
        Field("merknad", TEXT, "felt_merknad", "hjelp_merknad", option="--merknad"),
    ), _notify, defaults=_who_to_notify),
    Action("investigate", "skjema_investigate", "intro_investigate", "knapp_lagre", (
        Field("type", SELECT, "felt_type", option="--type", required=True, choices=model.AKTIVITET_TYPER,
              choices_from="AKTIVITET"),
        Field("med", TEXT, "felt_med", "hjelp_med", option="--med"),
        Field("oppsummering", TEXTAREA, "felt_oppsummering", "hjelp_oppsummering", option="--oppsummering",
              required=True),
        _dato(),
    ), _investigate),
    Action("conclude", "skjema_conclude", "intro_conclude", "knapp_lagre", (
        Field("elevens_opplevelse", TEXTAREA, "felt_elevens_opplevelse", "hjelp_elevens_opplevelse",
              option="--elevens-opplevelse", required=True),
        Field("konklusjon", TEXTAREA, "felt_konklusjon", "hjelp_konklusjon", option="--konklusjon", required=True),
        _dato(),
    ), _conclude),
    Action("hear", "skjema_hear", "intro_hear", "knapp_lagre", (
        Field("synspunkter", TEXTAREA, "felt_synspunkter", "hjelp_synspunkter", option="--synspunkter",
              required=True),
        _dato(),
    ), _hear),
    Action("best-interests", "skjema_best_interests", "intro_best_interests", "knapp_lagre", (
        Field("vurdering", TEXTAREA, "felt_vurdering", "hjelp_vurdering", option="--vurdering", required=True),
        _dato(),
    ), _best_interests),
    Action("plan", "skjema_plan", "intro_plan", "knapp_lagre", (
        Field("problem", TEXTAREA, "felt_problem", "hjelp_problem", option="--problem", required=True),
        _dato("hjelp_plan_dato"),
    ), _plan, defaults=_plan_now),
    Action("tiltak-add", "skjema_tiltak_add", "intro_tiltak_add", "knapp_tiltak_add", (
        Field("beskrivelse", TEXTAREA, "felt_tiltak_beskrivelse", "hjelp_tiltak_beskrivelse",
              option="--beskrivelse", required=True),
        Field("fra", DATE, "felt_fra", "hjelp_fra", option="--fra", required=True),
        Field("til", DATE, "felt_til_dato", "hjelp_til_dato", option="--til", required=True),
        Field("ansvarlig", TEXT, "felt_ansvarlig", "hjelp_ansvarlig", option="--ansvarlig", required=True),
        Field("evalueres", DATE, "felt_evalueres", "hjelp_evalueres", option="--evalueres", required=True),
    ), _tiltak_add),
    Action("evaluate", "skjema_evaluate", "intro_evaluate", "knapp_lagre", (
        Field("resultat", TEXTAREA, "felt_resultat", "hjelp_resultat", option="--resultat", required=True),
        Field("elevens_opplevelse", TEXTAREA, "felt_elevens_opplevelse_na", "hjelp_elevens_opplevelse_na",
              option="--elevens-opplevelse", required=True),
        Field("videre", RADIO, "felt_videre", option="--videre", required=True, choices=model.VIDERE,
              choices_from="VIDERE"),
        Field("neste_evaluering", DATE, "felt_neste_evaluering", "hjelp_neste_evaluering",
              option="--neste-evaluering"),
        _dato(),
    ), _evaluate, per_tiltak=True),
    Action("tiltak-change", "skjema_tiltak_change", "intro_tiltak_change", "knapp_tiltak_change", (
        Field("beskrivelse", TEXTAREA, "felt_tiltak_beskrivelse", option="--beskrivelse", required=True),
        Field("fra", DATE, "felt_fra", option="--fra"),
        Field("til", DATE, "felt_til_dato", option="--til"),
        Field("ansvarlig", TEXT, "felt_ansvarlig", option="--ansvarlig", required=True),
        Field("evalueres", DATE, "felt_evalueres", option="--evalueres"),
    ), _tiltak_change, per_tiltak=True, defaults=_tiltak_now),
    Action("tiltak-end", "skjema_tiltak_end", "intro_tiltak_end", "knapp_tiltak_end", (
        _dato(),
    ), _tiltak_end, per_tiltak=True),
    Action("close", "skjema_close", "intro_close", "knapp_close", (
        Field("begrunnelse", TEXTAREA, "felt_begrunnelse", "hjelp_begrunnelse", option="--begrunnelse",
              required=True),
        Field("elevens_opplevelse", TEXTAREA, "felt_elevens_opplevelse_slutt", "hjelp_elevens_opplevelse_slutt",
              option="--elevens-opplevelse"),
        Field("oppfolging", DATE, "felt_oppfolging", "hjelp_oppfolging", option="--oppfolging"),
        _dato(),
    ), _close),
    Action("reopen", "skjema_reopen", "intro_reopen", "knapp_reopen", (
        Field("grunn", TEXTAREA, "felt_grunn", "hjelp_grunn", option="--grunn", required=True),
        _dato(),
    ), _reopen),
    Action("follow-up", "skjema_follow_up", "intro_follow_up", "knapp_follow_up", (
        Field("notat", TEXTAREA, "felt_notat_oppfolging", "hjelp_notat_oppfolging", option="--notat",
              required=True),
        _dato("hjelp_dato_oppfolging"),
    ), _follow_up),
    Action("log", "skjema_log", "intro_log", "knapp_log", (
        Field("hendelse", TEXTAREA, "felt_hendelse", "hjelp_hendelse", option="--hendelse", required=True),
        _dato(),
    ), _log),
)}


@dataclass(frozen=True)
class Offer:
    """A form on a case page: an action, for one tiltak when it is per tiltak."""

    action: Action
    tiltak: str | None = None
    targets: tuple[str, ...] = ()  # advance: the statuses it can go to

    @property
    def form_id(self) -> str:
        return f"{self.action.key}-{self.tiltak}" if self.tiltak else self.action.key


def offered(data: dict[str, Any]) -> list[Offer]:
    """The forms a case page shows now, in the order of the work."""
    from skolemiljo.services.workflow import TRANSITIONS

    status = data.get("status")
    if status == "avsluttet":
        closing = data.get("avslutning") if isinstance(data.get("avslutning"), dict) else {}
        due = closing.get("oppfolging") and not isinstance(closing.get("oppfulgt"), dict)
        return [Offer(ACTIONS[key]) for key in (("follow-up",) if due else ()) + ("reopen", "log")]
    if status not in model.OPEN_STATUSES:
        return [Offer(ACTIONS["log"])]  # an unknown status: `skm edit` repairs it
    out = []
    targets = tuple(t for t in TRANSITIONS.get(status, ()) if t != "avsluttet")
    if targets:
        out.append(Offer(ACTIONS["advance"], targets=targets))
    out += [Offer(ACTIONS[key]) for key in ("notify", "investigate", "conclude", "hear", "best-interests")]
    if status != "mottatt":
        out += [Offer(ACTIONS["plan"]), Offer(ACTIONS["tiltak-add"])]
        for item in model.tiltak_list(data):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) \
                    or not model.TILTAK_ID.fullmatch(item["id"]) or item.get("avsluttet"):
                continue
            if status == "tiltak":
                out.append(Offer(ACTIONS["evaluate"], item["id"]))
            out += [Offer(ACTIONS["tiltak-change"], item["id"]), Offer(ACTIONS["tiltak-end"], item["id"])]
    out += [Offer(ACTIONS["close"]), Offer(ACTIONS["log"])]
    return out


# ---------------------------------------------------------------- Ny melding

NEW_CASE_FIELDS: tuple[Field, ...] = (
    Field("elev", TEXT, "felt_elev", "hjelp_elev", option="--elev", required=True),
    Field("klasse", TEXT, "felt_klasse", "hjelp_klasse", option="--klasse", required=True),
    Field("under_18", RADIO, "felt_under_18", "hjelp_under_18", required=True, choices=("ja", "nei"),
          choices_from="under_18_"),
    Field("sakstype", RADIO, "felt_sakstype", "hjelp_sakstype", option="--sakstype", required=True,
          choices=model.SAKSTYPER, choices_from="SAKSTYPE"),
    Field("alvorlig", CHECKBOX, "felt_alvorlig", "hjelp_alvorlig", option="--alvorlig"),
    Field("meldt_av", SELECT, "felt_meldt_av", "hjelp_meldt_av", option="--meldt-av", required=True,
          choices=model.MELDT_AV, choices_from="MELDT_AV"),
    Field("mottatt_av", TEXT, "felt_mottatt_av", "hjelp_mottatt_av", option="--mottatt-av", required=True),
    Field("mottatt", DATE, "felt_mottatt", "hjelp_mottatt", option="--mottatt", required=True),
    Field("beskrivelse", TEXTAREA, "felt_beskrivelse", "hjelp_beskrivelse", option="--beskrivelse", required=True),
    Field("kategorier", CHECKBOXES, "felt_kategorier", "hjelp_kategorier", option="--kategori",
          choices=model.KATEGORIER, choices_from="KATEGORI"),
)


def new_case_defaults(today: date, author: Author) -> dict[str, Any]:
    return {"mottatt": today.isoformat(), "mottatt_av": author.name, "meldt_av": "", "kategorier": []}


def register(repo: CaseRepo, author: Author, values: Values, t: dict[str, str]) -> str:
    """``new-case`` from the Ny melding form; returns the new case id."""
    from skolemiljo.services.cases import NewCase, new_case

    call = Call(repo, "", author, values, t, fields=NEW_CASE_FIELDS)
    under_18 = call.text("under_18")
    if under_18 not in ("ja", "nei"):
        raise UsageError(t["mangler_verdi"].format(felt=t["felt_under_18"]))
    received = call.day("mottatt") or dates.today()
    report = NewCase(
        sakstype=call.text("sakstype"), elev_navn=call.text("elev").strip(), klasse=call.text("klasse").strip(),
        under_18=under_18 == "ja", meldt_av=call.text("meldt_av"), mottatt_av=call.text("mottatt_av").strip(),
        mottatt=received.isoformat(), beskrivelse=call.text("beskrivelse").strip(),
        kategorier=list(dict.fromkeys(k.strip() for k in values.getlist("kategorier") if k.strip())),
        alvorlig=call.text("alvorlig") == "ja",
    )
    return new_case(repo, report, author)


def choice_text(source: str | None, value: str, malform: str, t: dict[str, str]) -> str:
    """The words for one choice of a field (see ``Field.choices_from``)."""
    from skolemiljo.render import i18n

    if source == "KATEGORI":
        return i18n.kategori(malform, value)
    if source and source.isupper():
        return i18n.label(getattr(i18n, source), malform, value) or value
    return t.get(f"{source}{value}", value) if source else value


def field_named(fields: tuple[Field, ...], option: str) -> Field | None:
    for item in fields:
        if item.option == option:
            return item
    return None
