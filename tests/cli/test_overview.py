"""``skm status`` and ``skm calendar`` (issue 6): exact rows, overdue first, the .ics export."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import make_case
from case_fixtures import commit_case_file, complete_case

UNIQUE = "Zyxwenna Qorvathsdottir"


@pytest.fixture
def status_repo(case_repo: Path) -> Path:
    """Cases in every open status, one with an overdue evaluation, one closed recently."""
    # 2026-0001: tiltak, T1 evaluated and continuing (next 2026-11-27), T2 never evaluated (due 2026-11-06).
    case = complete_case("elev-elev", status="tiltak")
    case["elev"]["navn"] = UNIQUE
    t1, t2 = case["aktivitetsplan"]["tiltak"]
    t1["evalueringer"][0].update(videre="fortsett", neste_evaluering="2026-11-27")
    t2["evalueringer"] = []
    commit_case_file(case_repo, case)
    # 2026-0002: mottatt on Thursday 2026-11-19, nothing done yet.
    make_case(case_repo, sakstype="ansatt-elev", mottatt="2026-11-19", elev_navn=UNIQUE, klasse="1STA",
              kategorier=["krenkende-ord"])
    # 2026-0003: closed on 2026-11-02 with follow-up 2026-12-01.
    closed = complete_case("elev-elev", status="avsluttet")
    closed.update(id="2026-0003")
    closed["avslutning"].update(dato="2026-11-02", oppfolging="2026-12-01")
    commit_case_file(case_repo, closed)
    return case_repo


def test_status_json_has_exactly_the_expected_rows(skm, status_repo: Path) -> None:
    result = skm("status", "--json", "--today", "2026-11-20", cwd=status_repo)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["dato"] == "2026-11-20"
    assert data["apne_saker"] == [
        {"id": "2026-0001", "status": "tiltak", "sakstype": "elev-elev", "klasse": "9B",
         "mottatt": "2026-10-12", "arbeidsdager_apen": 29,
         "forfalt": [{"sak": "2026-0001", "frist": "2026-11-06", "hva": "evaluere T2", "forfalt": True},
                     {"sak": "2026-0001", "frist": "2026-11-09", "hva": "loggføre i saken", "forfalt": True}],
         "neste_frist": {"sak": "2026-0001", "frist": "2026-11-27", "hva": "evaluere T1", "forfalt": False}},
        {"id": "2026-0002", "status": "mottatt", "sakstype": "ansatt-elev", "klasse": "1STA",
         "mottatt": "2026-11-19", "arbeidsdager_apen": 1,
         "forfalt": [{"sak": "2026-0002", "frist": "2026-11-19", "hva": "varsle skoleeier", "forfalt": True}],
         "neste_frist": {"sak": "2026-0002", "frist": "2026-11-20", "hva": "varsle rektor", "forfalt": False}},
    ]
    assert data["avsluttet_siste_30_dager"] == [
        {"id": "2026-0003", "sakstype": "elev-elev", "klasse": "9B", "avsluttet": "2026-11-02",
         "oppfolging": "2026-12-01"}]
    assert data["skolearet"]["sakstyper"] == {"ansatt-elev": 1, "elev-elev": 2}
    assert data["skolearet"]["kategorier"] == {"krenkende-ord": 1, "utestenging": 2}
    assert UNIQUE not in result.stdout


def test_status_text_is_plain_aligned_tables(skm, status_repo: Path) -> None:
    result = skm("status", "--today", "2026-11-20", cwd=status_repo)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Åpne saker 20. november 2026",
        "Saksnr     Status   Sakstype     Klasse  Arb.dager  Forfalt                                                              Neste frist",
        "2026-0001  tiltak   elev-elev    9B      29         evaluere T2 (6. november 2026); loggføre i saken (9. november 2026)  "
        "evaluere T1 (27. november 2026)",
        "2026-0002  mottatt  ansatt-elev  1STA    1          varsle skoleeier (19. november 2026)                                 "
        "varsle rektor (20. november 2026)",
        "",
        "Avsluttet de siste 30 dagene",
        "Saksnr     Sakstype   Klasse  Avsluttet         Oppfølging",
        "2026-0003  elev-elev  9B      2. november 2026  1. desember 2026",
        "",
        "Skoleåret (17. august 2026 – 18. juni 2027): sakstyper: ansatt-elev 1, elev-elev 2; "
        "kategorier: krenkende-ord 1, utestenging 2.",
        "2 åpne saker, 3 forfalte frister.",
        "Siste lederforum: ingen registrert; siste TRK-møte: ingen registrert.",
    ]


def test_status_text_marks_overdue_deadlines_red_only_in_a_terminal(skm, status_repo: Path) -> None:
    coloured = skm("status", "--today", "2026-11-20", cwd=status_repo, color=True)
    assert "\x1b[31m\x1b[1mevaluere T2 (6. november 2026)" in coloured.stdout
    assert "\x1b[" not in skm("status", "--today", "2026-11-20", cwd=status_repo).stdout


def test_status_shows_names_only_when_asked(skm, status_repo: Path) -> None:
    plain = skm("status", "--today", "2026-11-20", cwd=status_repo)
    assert plain.exit_code == 0
    assert UNIQUE not in plain.stdout
    assert "2026-0001" in plain.stdout and "evaluere T2" in plain.stdout
    named = skm("status", "--json", "--navn", "--today", "2026-11-20", cwd=status_repo)
    assert [row["navn"] for row in json.loads(named.stdout)["apne_saker"]] == [UNIQUE, UNIQUE]


def test_status_counts_working_days_over_a_school_holiday(skm, case_repo: Path) -> None:
    # Høstferie 2026 is week 40 (28 Sep – 2 Oct): a report on Friday 25 Sep is 1 working day old on Monday 5 Oct.
    make_case(case_repo, mottatt="2026-09-25")
    data = json.loads(skm("status", "--json", "--today", "2026-10-05", cwd=case_repo).stdout)
    row = data["apne_saker"][0]
    assert row["arbeidsdager_apen"] == 1
    assert row["forfalt"] == []
    assert row["neste_frist"] == {"sak": "2026-0001", "frist": "2026-10-05", "hva": "varsle rektor",
                                  "forfalt": False}


def test_bad_today_is_a_usage_error(skm, case_repo: Path) -> None:
    result = skm("status", "--today", "2026-02-30", cwd=case_repo)
    assert result.exit_code == 2
    assert "finnes ikke i kalenderen" in result.stderr


def test_calendar_lists_routines_and_deadlines_by_week(skm, status_repo: Path) -> None:
    result = skm("calendar", "--uker", "1", "--today", "2026-10-06", cwd=status_repo)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Uke 41 (5. oktober 2026 – 11. oktober 2026)"
    assert ("  TRK-møter (trinnleder, rådgiver, kontaktlærer) (5. oktober 2026 – 16. oktober 2026; "
            "Ledelsen (trinnleder kaller inn og skriver referat))") in lines
    assert UNIQUE not in result.stdout


def test_ics_export_parses_has_trk_weeks_and_no_names(skm, status_repo: Path, tmp_path: Path) -> None:
    from icalendar import Calendar

    target = tmp_path / "arshjul.ics"
    result = skm("calendar", "--ics", str(target), "--today", "2026-11-20", cwd=status_repo)
    assert result.exit_code == 0, result.stderr
    raw = target.read_bytes()
    assert UNIQUE.encode() not in raw
    doc = Calendar.from_ical(raw)
    events = [c for c in doc.walk("VEVENT")]
    trk = sorted((e.decoded("dtstart"), e.decoded("dtend")) for e in events if str(e["summary"]).startswith("TRK"))
    assert trk == [(date(2026, 10, 5), date(2026, 10, 17)), (date(2027, 1, 25), date(2027, 2, 6)),
                   (date(2027, 3, 22), date(2027, 4, 3)), (date(2027, 4, 26), date(2027, 5, 8))]
    summaries = {str(e["summary"]) for e in events}
    assert "2026-0001: evaluere T1" in summaries and "2026-0002: varsle rektor" in summaries
    # Re-exporting gives the same bytes (stable UIDs, stamp from the day).
    skm("calendar", "--ics", str(target), "--today", "2026-11-20", cwd=status_repo)
    assert target.read_bytes() == raw


def test_printable_sheet_for_the_meeting(skm, status_repo: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "lederforum.html"
    result = skm("status", "--html", str(sheet), "--today", "2026-11-20", cwd=status_repo)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(sheet)
    text = sheet.read_text(encoding="utf-8")
    assert "Oversikt over kap. 12-saker" in text and "Unntatt offentlighet, offl. § 13 jf. fvl. § 13 (1)" in text
    assert '<span class="forfalt">evaluere T2 (6. november 2026)</span>' in text
    assert text.index("2026-0001") < text.index("2026-0002")  # overdue first
    assert UNIQUE not in text
    named = tmp_path / "med-navn.html"
    skm("status", "--html", str(named), "--navn", "--today", "2026-11-20", cwd=status_repo)
    assert UNIQUE in named.read_text(encoding="utf-8")


# ------------------------------------------------------------- the status cache (issue 7)

def _status_json(skm, repo: Path) -> dict:
    result = skm("status", "--json", "--today", "2026-11-20", cwd=repo)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_status_cache_holds_no_names_or_case_text(skm, status_repo: Path) -> None:
    first = _status_json(skm, status_repo)
    cache = status_repo / ".skm" / "cache" / "status.json"
    text = cache.read_text(encoding="utf-8")
    assert "2026-0001" in text
    assert UNIQUE not in text and "Kari Nordmann" not in text and "beskrivelse" not in text
    assert _status_json(skm, status_repo) == first  # the warm run answers the same
    named = skm("status", "--json", "--navn", "--today", "2026-11-20", cwd=status_repo)
    assert [row["navn"] for row in json.loads(named.stdout)["apne_saker"]] == [UNIQUE, UNIQUE]
    assert UNIQUE not in cache.read_text(encoding="utf-8")


def test_status_cache_never_hides_a_change(skm, status_repo: Path) -> None:
    before = _status_json(skm, status_repo)
    assert before["apne_saker"][1]["forfalt"][0]["hva"] == "varsle skoleeier"
    # Written in the same second as the cache (racily clean): the content hash still sees it.
    assert skm("notify", "2026-0002", "skoleeier", "--dato", "2026-11-20", cwd=status_repo).exit_code == 0
    after = _status_json(skm, status_repo)
    assert after["apne_saker"][1]["id"] == "2026-0002" and after["apne_saker"][1]["forfalt"] == []


def test_status_cache_follows_calendar_yaml(skm, status_repo: Path) -> None:
    before = _status_json(skm, status_repo)
    assert before["apne_saker"][1]["neste_frist"]["frist"] == "2026-11-20"  # varsle rektor: 1 working day
    calendar = status_repo / "calendar.yaml"
    calendar.write_text(calendar.read_text(encoding="utf-8").replace("  varsle_rektor: 1\n", "  varsle_rektor: 0\n"),
                        encoding="utf-8")
    after = _status_json(skm, status_repo)
    assert [(d["hva"], d["frist"]) for d in after["apne_saker"][1]["forfalt"]] == [
        ("varsle rektor", "2026-11-19"), ("varsle skoleeier", "2026-11-19")]


def test_a_damaged_status_cache_is_rebuilt(skm, status_repo: Path) -> None:
    before = _status_json(skm, status_repo)
    cache = status_repo / ".skm" / "cache" / "status.json"
    for damage in (b"{nope", b"[]", json.dumps({"key": "x", "files": {}}).encode()):
        cache.write_bytes(damage)
        assert _status_json(skm, status_repo) == before
    data = json.loads(cache.read_text(encoding="utf-8"))
    for entry in data["files"].values():
        entry[6] = {**entry[6], "status": "avsluttet"}  # a stale record: other stamp, other content
        entry[0] += 1
        entry[5] = "0" * 32
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert _status_json(skm, status_repo) == before
