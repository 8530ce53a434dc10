"""Case builders and the fixture repositories of the ``skm check`` tests.

Cases are plain dicts built from ``skolemiljo.domain.model.new_record`` and filled in the
way staff fill them in (report, notification, investigation, plan, evaluations,
closing), then committed one by one with ``GitStore.commit_file`` and skm's commit
message, exactly like ``skm`` itself does. The judging day is ``conftest.TODAY``
(Friday 20 November 2026).
"""

from __future__ import annotations

import copy
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skolemiljo.domain import archiving, model
from skolemiljo.storage import yamlio
from skolemiljo.storage.commits import GitStore, commit_message
from skolemiljo.storage.casefiles import case_document
from skolemiljo.storage.repository import CaseRepo

from conftest import AUTHOR, git_env, make_repo

Case = dict[str, Any]

# A unique pupil name and unique free text: no finding in any format may contain them.
SECRET_NAME = "Zyxwvåsen Quorthildur-Bjølsen"
SECRET_TEXT = "Xylofonfrokostens hemmelige gruppechat"
RECTOR = "Rektor Tone Berg"
TEACHER = "Per Haugen"


# ------------------------------------------------------------------ case builders


def melding(case_id: str, mottatt: str, *, sakstype: str = "elev-elev", navn: str = "Ola Nordmann",
            klasse: str = "9B", alvorlig: bool = False, beskrivelse: str | None = None) -> Case:
    """A report as ``skm new-case`` registers it (status ``mottatt``)."""
    data = model.new_record(
        case_id=case_id, sakstype=sakstype, alvorlig=alvorlig, kategorier=["utestenging", "digital-mobbing"],
        elev_navn=navn, klasse=klasse, under_18=True, mottatt=mottatt,
        mottatt_av=f"{TEACHER} (kontaktlærer)", meldt_av="elev",
        beskrivelse=beskrivelse or "Eleven forteller at hun blir holdt utenfor i friminuttene og i en gruppechat.",
    )
    log(data, mottatt, "Melding registrert.", TEACHER)
    return data


def log(data: Case, dato: str, hendelse: str, av: str = RECTOR, status: str | None = None) -> Case:
    entry = {"dato": dato, "av": av, "hendelse": hendelse}
    if status:
        entry["status"] = status
    data["logg"].append(entry)
    return data


def varslet(data: Case, rektor: str | None = None, skoleeier: str | None = None) -> Case:
    if rektor:
        data["varsling"]["rektor"] = {"dato": rektor, "av": TEACHER}
        log(data, rektor, "Rektor varslet.", TEACHER)
    if skoleeier:
        data["varsling"]["skoleeier"] = {"dato": skoleeier, "av": RECTOR, "merknad": "Telefon og e-post."}
        log(data, skoleeier, "Skoleeier varslet.")
    return data


def undersokes(data: Case, startet: str, *, konklusjon: str | None = None, avsluttet: str | None = None,
               trygg: bool = False) -> Case:
    """Investigation started (status ``undersokes``); concluded when ``konklusjon`` is given."""
    data["status"] = "undersokes"
    data["undersokelse"] = {
        "startet": startet,
        "avsluttet": avsluttet,
        "aktiviteter": [{"dato": startet, "type": "samtale", "med": "eleven og foresatte",
                         "oppsummering": "Eleven beskriver utestenging over flere uker."}],
        "elevens_opplevelse": ("Eleven opplever skolemiljøet som trygt og godt." if trygg
                               else "Eleven opplever ikke skolemiljøet som trygt og godt."),
        "konklusjon": konklusjon,
    }
    if not konklusjon:
        del data["undersokelse"]["konklusjon"]
        del data["undersokelse"]["elevens_opplevelse"]
    log(data, startet, "Undersøkelse startet.", status="undersokes")
    return data


def tiltak(tid: str, fra: str, til: str, evalueres: str, *evalueringer: dict[str, Any]) -> dict[str, Any]:
    return {"id": tid, "beskrivelse": "Miljøarbeider er til stede i storefri og etablerer makkerordning.",
            "fra": fra, "til": til, "ansvarlig": "Miljøarbeider Sara Lunde", "evalueres": evalueres,
            "evalueringer": list(evalueringer)}


def evaluering(dato: str, videre: str = "fortsett", neste: str | None = None) -> dict[str, Any]:
    item = {"dato": dato, "resultat": "Eleven har fast makker; mindre alene.",
            "elevens_opplevelse": "Bedre, men ikke helt trygt ennå.", "videre": videre}
    if neste:
        item["neste_evaluering"] = neste
    return item


def planlagt(data: Case, dato: str, *items: dict[str, Any]) -> Case:
    """The pupil heard, best interests assessed, a complete plan: status ``tiltak``."""
    data["status"] = "tiltak"
    data["elevens_stemme"] = [{"dato": dato, "synspunkter": "Vil ha fast makker i friminuttene."}]
    data["barnets_beste"] = {"dato": dato, "vurdering": "Å bli i klassen med støtte er best for eleven."}
    data["aktivitetsplan"] = {"dato": dato, "problem": "Eleven holdes utenfor sosialt i friminutt og digitalt.",
                              "tiltak": list(items)}
    log(data, dato, "Aktivitetsplan laget.", status="tiltak")
    return data


def avsluttet(data: Case, dato: str, oppfolging: str) -> Case:
    data["status"] = "avsluttet"
    data["avslutning"] = {"dato": dato, "begrunnelse": "Tiltakene har virket.",
                          "elevens_opplevelse": "Eleven opplever skolemiljøet som trygt og godt.",
                          "oppfolging": oppfolging}
    log(data, dato, "Saken avsluttet.", status="avsluttet")
    return data


# -------------------------------------------------------------------- committing


def case_path(root: Path, name: str) -> Path:
    return root / "cases" / name


def commit_case(repo: CaseRepo, data: Case, *, name: str | None = None, action: str = "redigert",
                action_id: str = "edit") -> Path:
    """Write and commit one case the way skm does (one commit, skm trailers)."""
    path = case_path(repo.root, name or f"{data['id']}.yaml")
    store = GitStore(repo)
    store.commit_file(path, case_document(data).encode("utf-8"), commit_message(data["id"], action, action_id),
                      AUTHOR)
    return path


def plain_commit(repo: CaseRepo, path: Path, content: str, message: str = "Rettet skrivefeil") -> None:
    """A commit made with plain git, outside skm (no trailers)."""
    path.write_text(content, encoding="utf-8")
    env = git_env()
    subprocess.run(["git", "add", "--", str(path)], cwd=repo.root, check=True, env=env, capture_output=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo.root, check=True, env=env, capture_output=True)


def plain_remove(repo: CaseRepo, path: Path, message: str = "Rydder") -> str:
    """``git rm`` and commit with plain git; returns the commit."""
    env = git_env()
    subprocess.run(["git", "rm", "-q", "--", str(path)], cwd=repo.root, check=True, env=env, capture_output=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo.root, check=True, env=env, capture_output=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo.root, check=True, env=env, capture_output=True,
                          text=True).stdout.strip()


# ----------------------------------------------------------------- the repositories


def clean_cases() -> list[Case]:
    """One case in every status, nothing due or wrong on Friday 20 November 2026."""
    mottatt = varslet(melding("2026-0001", "2026-11-19"), rektor="2026-11-19")
    undersok = undersokes(varslet(melding("2026-0002", "2026-11-16", sakstype="ansatt-elev"),
                                  rektor="2026-11-16", skoleeier="2026-11-16"), "2026-11-17")
    tiltak_case = planlagt(
        undersokes(varslet(melding("2026-0003", "2026-10-12"), rektor="2026-10-12"), "2026-10-13",
                   konklusjon="Eleven har ikke et trygt og godt skolemiljø. Tiltak settes inn.", avsluttet="2026-10-16"),
        "2026-10-16",
        tiltak("T1", "2026-10-19", "2026-12-18", "2026-10-30", evaluering("2026-10-30", "fortsett", "2026-11-27")),
        tiltak("T2", "2026-10-19", "2026-11-30", "2026-11-27"),
    )
    log(tiltak_case, "2026-11-13", "Samtale med foresatte.")
    closed = avsluttet(planlagt(
        undersokes(varslet(melding("2026-0004", "2026-09-01", sakstype="ledelse-elev"), skoleeier="2026-09-01"),
                   "2026-09-02", konklusjon="Eleven har ikke et trygt og godt skolemiljø.", avsluttet="2026-09-04"),
        "2026-09-07",
        tiltak("T1", "2026-09-08", "2026-10-16", "2026-09-25", evaluering("2026-09-25", "avslutt")),
    ), "2026-10-16", "2026-12-04")
    safe = undersokes(varslet(melding("2026-0005", "2026-10-05", sakstype="annet"), rektor="2026-10-05"),
                      "2026-10-06", konklusjon="Eleven har et trygt og godt skolemiljø.", avsluttet="2026-10-08",
                      trygg=True)
    safe["status"] = "avsluttet"
    safe["elevens_stemme"] = [{"dato": "2026-10-08", "synspunkter": "Eleven trives og ønsker ikke tiltak."}]
    safe["barnets_beste"] = {"dato": "2026-10-08", "vurdering": "Best for eleven at saken avsluttes uten tiltak."}
    safe["avslutning"] = {"dato": "2026-10-08", "begrunnelse": "Eleven opplever skolemiljøet som trygt og godt.",
                          "elevens_opplevelse": "Eleven opplever skolemiljøet som trygt og godt."}
    log(safe, "2026-10-08", "Saken avsluttet.", status="avsluttet")
    return [mottatt, undersok, tiltak_case, closed, safe]


def build_clean(root: Path) -> CaseRepo:
    make_repo(root)
    repo = CaseRepo(root.resolve())
    for data in clean_cases():
        commit_case(repo, data)
    return repo


@dataclass(frozen=True)
class Expected:
    """One expected finding: the line is that of ``path`` in the file as written."""

    file: str
    path: tuple[Any, ...] | int
    check: str

    def line(self, root: Path) -> int:
        if isinstance(self.path, int):
            return self.path
        return yamlio.line_for(yamlio.line_map((root / self.file).read_text(encoding="utf-8")), self.path)


def build_faulty(root: Path) -> tuple[CaseRepo, list[Expected]]:
    """The clean cases plus one case for each fault; returns the expected findings."""
    repo = build_clean(root)
    expected: list[Expected] = []

    def add(data: Case, *findings: tuple[tuple[Any, ...] | int, str], name: str | None = None) -> Path:
        path = commit_case(repo, data, name=name)
        for where, check in findings:
            expected.append(Expected(f"cases/{path.name}", where, check))
        return path

    tp = ("aktivitetsplan", "tiltak")
    concluded = "Eleven har ikke et trygt og godt skolemiljø."

    def in_tiltak(case_id: str, *items: dict[str, Any], mottatt: str = "2026-10-12", plan: str = "2026-10-16",
                  **kw: Any) -> Case:
        data = planlagt(undersokes(varslet(melding(case_id, mottatt, **kw), rektor=mottatt), plan,
                                   konklusjon=concluded, avsluttet=plan), plan, *items)
        log(data, "2026-11-16", "Samtale med eleven.")
        return data

    future_eval = ("T1", "2026-10-19", "2026-12-18", "2026-11-27")

    # schema: an impossible date, typed by hand.
    data = in_tiltak("2026-0010", tiltak(*future_eval))
    data["elevens_stemme"][0]["dato"] = "2026-02-30"
    add(data, (("elevens_stemme", 0, "dato"), "schema"))
    # status: "tiltak" set by hand while the plan lacks when to evaluate (§ 12-4 third paragraph e).
    data = in_tiltak("2026-0011", tiltak(*future_eval))
    del data["aktivitetsplan"]["tiltak"][0]["evalueres"]
    add(data, ((*tp, 0, "evalueres"), "status"))
    # varsling-rektor-frist: reported Wednesday, rektor not told by Thursday.
    add(melding("2026-0012", "2026-11-18"), (("varsling", "rektor"), "varsling-rektor-frist"))
    # varsling-skoleeier-frist: an employee case reported Thursday, skoleeier not told that day.
    add(varslet(melding("2026-0013", "2026-11-19", sakstype="ansatt-elev"), rektor="2026-11-19"),
        (("varsling", "skoleeier"), "varsling-skoleeier-frist"))
    # undersokelse-frist: reported Monday, no investigation by Wednesday.
    add(varslet(melding("2026-0014", "2026-11-16"), rektor="2026-11-16"), (("undersokelse",), "undersokelse-frist"))
    # aktivitetsplan-frist: concluded "not safe" a fortnight ago, still no plan.
    add(undersokes(varslet(melding("2026-0015", "2026-11-05"), rektor="2026-11-05"), "2026-11-06",
                   konklusjon=concluded), (("aktivitetsplan",), "aktivitetsplan-frist"))
    # evaluering-forfalt: T2 should have been evaluated on 6 November.
    add(in_tiltak("2026-0016", tiltak(*future_eval), tiltak("T2", "2026-10-19", "2026-10-30", "2026-11-06")),
        ((*tp, 1, "evalueres"), "evaluering-forfalt"))
    # evaluering-mangler-dato: T1 continues after its evaluation, with no next date.
    add(in_tiltak("2026-0017", tiltak("T1", "2026-10-19", "2026-12-18", "2026-10-30",
                                      evaluering("2026-10-30", "fortsett"))),
        ((*tp, 0, "evalueringer", 0, "videre"), "evaluering-mangler-dato"))
    # uten-aktivitet: nothing logged since the first day of the autumn holiday week.
    data = planlagt(undersokes(varslet(melding("2026-0018", "2026-09-21"), rektor="2026-09-21"), "2026-09-22",
                               konklusjon=concluded, avsluttet="2026-09-25"), "2026-10-01",
                    tiltak("T1", "2026-10-05", "2026-12-18", "2026-11-27"))
    add(data, (("logg", len(data["logg"]) - 1), "uten-aktivitet"))
    # dato-fram-i-tid: a log entry dated next month.
    data = in_tiltak("2026-0019", tiltak(*future_eval))
    log(data, "2026-12-01", "Møte med foresatte.")
    add(data, (("logg", len(data["logg"]) - 1, "dato"), "dato-fram-i-tid"))
    # dato-rekkefolge: a tiltak that ends before it starts. And arkiv-endret: its meldingsskjema was
    # delivered to the archive, then the report was corrected.
    data = in_tiltak("2026-0020", tiltak("T1", "2026-12-18", "2026-10-19", "2026-11-27"))
    record = {"nummer": 1, "dato": "2026-11-16", "dokument": "meldingsskjema", "versjon": 1, "commit": "c" * 40,
              "sjekksum": "a" * 64, "innholdshash": archiving.content_hash("meldingsskjema", data)}
    data["arkiv"] = {"saksnummer": None, "leveranser": [record]}
    data["melding"]["mottatt_av"] = "Avdelingsleder Tone Berg"
    add(data, ((*tp, 0, "til"), "dato-rekkefolge"), (("arkiv", "leveranser", 0), "arkiv-endret"))
    # dato-for-melding: rektor "notified" before the report came (typed by hand).
    data = in_tiltak("2026-0027", tiltak(*future_eval))
    data["varsling"]["rektor"]["dato"] = "2026-10-01"
    add(data, (("varsling", "rektor", "dato"), "dato-for-melding"))
    # evaluering-for-start: T1 evaluated before it starts.
    add(in_tiltak("2026-0028", tiltak("T1", "2026-10-19", "2026-12-18", "2026-10-30",
                                      evaluering("2026-10-16", "fortsett", "2026-11-27"))),
        ((*tp, 0, "evalueringer", 0, "dato"), "evaluering-for-start"))
    # oppfolging-forfalt: closed with a follow-up on 13 November, not recorded.
    add(avsluttet(in_tiltak("2026-0029", tiltak("T1", "2026-10-19", "2026-10-30", "2026-10-30",
                                                evaluering("2026-10-30", "avslutt"))), "2026-10-30", "2026-11-13"),
        (("avslutning", "oppfolging"), "oppfolging-forfalt"))
    # id-unik: tiltak id T1 used twice in one case.
    add(in_tiltak("2026-0021", tiltak(*future_eval), tiltak(*future_eval)), ((*tp, 1, "id"), "id-unik"))
    # filnavn: the file name is not the case's id.
    add(in_tiltak("2026-0023", tiltak(*future_eval)), (("id",), "filnavn"), name="2026-0022.yaml")
    # ikke-committet: a valid change saved but not committed.
    path = add(in_tiltak("2026-0024", tiltak(*future_eval)), (1, "ikke-committet"))
    data = yamlio.load(path.read_text(encoding="utf-8"))
    log(data, "2026-11-19", "Samtale med kontaktlærer.")
    path.write_text(case_document(data), encoding="utf-8")
    # endret-utenom-skm: the last change was committed with plain git.
    path = add(in_tiltak("2026-0025", tiltak(*future_eval)), (1, "endret-utenom-skm"))
    data = yamlio.load(path.read_text(encoding="utf-8"))
    data["aktivitetsplan"]["problem"] = "Eleven holdes utenfor i friminutt og i en digital gruppechat."
    plain_commit(repo, path, case_document(data))
    # sak-slettet: a case registered with skm, then removed with plain git (`git rm` and commit).
    gone = commit_case(repo, in_tiltak("2026-0026", tiltak(*future_eval)))
    plain_remove(repo, gone)
    expected.append(Expected("cases/2026-0026.yaml", 1, "sak-slettet"))
    # skjema-kopi: the editors' copy of the case schema has drifted.
    schema = root / "schemas" / "case.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace("Saksnummer:", "Saksnr.:", 1), encoding="utf-8")
    expected.append(Expected("schemas/case.schema.json", 1, "skjema-kopi"))
    return repo, expected


def secret_case(case_id: str = "2026-0030") -> Case:
    """A case whose pupil has a unique name and whose text is unique, with many faults."""
    data = planlagt(
        undersokes(varslet(melding(case_id, "2026-10-12", navn=SECRET_NAME, beskrivelse=SECRET_TEXT),
                           rektor="2026-10-12"), "2026-10-13", konklusjon=SECRET_TEXT, avsluttet="2026-10-16"),
        "2026-10-16",
        tiltak("T1", "2026-10-19", "2026-10-01", "2026-10-30", evaluering("2026-10-30", "fortsett")),
        tiltak("T2", "2026-10-19", "2026-11-30", "2026-11-06"),
    )
    data["aktivitetsplan"]["problem"] = SECRET_TEXT
    data["aktivitetsplan"]["tiltak"][1]["beskrivelse"] = SECRET_TEXT
    data["aktivitetsplan"]["tiltak"][1]["ansvarlig"] = SECRET_NAME
    data["elevens_stemme"][0]["synspunkter"] = f"{SECRET_NAME}: {SECRET_TEXT}"
    log(data, "2026-12-24", f"Samtale med {SECRET_NAME}.")
    return data


def with_typos(data: Case) -> Case:
    """The secret case broken by hand in ways that put the name where a value belongs."""
    data = copy.deepcopy(data)
    data["barnets_beste"]["dato"] = SECRET_NAME  # a name in a date field
    data["elev"]["klasse"] = 12  # a number where text belongs
    data["aktivitetsplan"]["tiltak"][0]["id"] = SECRET_NAME  # a name as tiltak id
    data["aktivitetsplan"]["tiltak"][0][SECRET_NAME.split()[0]] = SECRET_TEXT  # an unknown field
    data["status"] = SECRET_TEXT  # free text as status
    data["id"] = SECRET_NAME  # and as id
    return data
