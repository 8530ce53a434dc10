"""The school calendar ("årshjul"): school year, holidays, case deadlines and yearly routines.

The calendar document is plain data (dicts, lists, str, int, bool; dates as ISO strings) so it
can be written to and read from YAML and validated against ``schemas/calendar.schema.json``.
This module does no file I/O: callers read the YAML and pass the parsed data to
:func:`load_calendar`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DEFAULT_DEADLINES",
    "WEEKDAYS",
    "WHEN_KEYS",
    "Calendar",
    "calendar_to_yaml",
    "default_calendar",
    "easter_sunday",
    "load_calendar",
    "school_year_start_year",
]

#: Case deadlines in working days (used by ``skm check``); missing keys get these values.
DEFAULT_DEADLINES: dict[str, int] = {
    "varsle_rektor": 1,
    "varsle_skoleeier": 0,
    "start_undersokelse": 2,
    "aktivitetsplan": 5,
    "uten_aktivitet": 20,
}

#: Norwegian weekday names accepted in ``nar.ukentlig`` (index = ``date.weekday()``).
WEEKDAYS: tuple[str, ...] = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")

#: Keys of which a routine's ``nar`` object holds exactly one.
WHEN_KEYS: tuple[str, ...] = ("uker", "maneder", "datoer", "ukentlig", "hele_aret")

SCHEMA_COMMENT = "# yaml-language-server: $schema=schemas/calendar.schema.json"


# --------------------------------------------------------------------------- dates


def school_year_start_year(today: dt.date) -> int:
    """Return the autumn year of the school year containing ``today`` (1 August starts a new one)."""
    return today.year if today.month >= 8 else today.year - 1


def easter_sunday(year: int) -> dt.date:
    """Return Easter Sunday for ``year`` (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _iso_week_monday(year: int, week: int) -> dt.date:
    return dt.date.fromisocalendar(year, week, 1)


def _last_weekday_on_or_before(d: dt.date) -> dt.date:
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return d


def _school_year_dates(start_year: int) -> tuple[dt.date, dt.date]:
    """First school day (Monday of ISO week 34) and last school day (weekday on/before 20 June)."""
    start = _iso_week_monday(start_year, 34)
    end = _last_weekday_on_or_before(dt.date(start_year + 1, 6, 20))
    return start, end


def _holidays(start_year: int) -> list[dict[str, str]]:
    autumn = _iso_week_monday(start_year, 40)
    winter = _iso_week_monday(start_year + 1, 8)
    easter = easter_sunday(start_year + 1)
    four_days = dt.timedelta(days=4)
    return [
        {"navn": "Høstferie", "fra": autumn.isoformat(), "til": (autumn + four_days).isoformat()},
        {
            "navn": "Juleferie",
            "fra": dt.date(start_year, 12, 21).isoformat(),
            "til": dt.date(start_year + 1, 1, 2).isoformat(),
        },
        {"navn": "Vinterferie", "fra": winter.isoformat(), "til": (winter + four_days).isoformat()},
        {
            "navn": "Påskeferie",
            "fra": (easter - dt.timedelta(days=6)).isoformat(),
            "til": (easter + dt.timedelta(days=1)).isoformat(),
        },
    ]


# --------------------------------------------------------------------------- the årshjul

# Source labels: one per seed table / list, so each entry can be traced back to the seed rows.
_S_FOREBYGGENDE = "Sandvika vgs, forebyggende tiltak"
_S_AVDEKKE = "Sandvika vgs, 1. rutiner som kan avdekke mobbing og krenkende atferd"
_S_GRIPE_INN = "Sandvika vgs, 2. ansvar for å gripe inn og meldeplikt"
_S_UNDERSOKE = "Sandvika vgs, 3. undersøke"
_S_TILTAK = "Sandvika vgs, 4. sette inn tiltak, evaluere og dokumentere"
_N_RUTINER = "Nord-Østerdal vgs, rutiner for ansatte"
_N_ELEVER = "Nord-Østerdal vgs, elevenes bidrag"
_N_MELDE = "Nord-Østerdal vgs, hvem tar affære og hvem skal en melde fra til"
_N_OPPFOLGING = "Nord-Østerdal vgs, oppfølging"


def _entry(hva: str, nar: dict[str, Any], hvordan: str, ansvar: str, *kilder: str) -> dict[str, Any]:
    return {"hva": hva, "nar": nar, "hvordan": hvordan, "ansvar": ansvar, "kilde": "; ".join(kilder)}


def _arshjul(start: dt.date) -> list[dict[str, Any]]:
    """The yearly routines, in the order of the seed tables (seed 000 first, then seed 002)."""
    week = start.isocalendar().week
    skolestart = [week, week + 1]  # the first two school weeks
    return [
        # --- Sandvika vgs, forebyggende tiltak
        _entry(
            "Vg3-elever er faddere for Vg1-elever",
            {"uker": list(skolestart), "tekst": "Fra skolestart i august, deretter hele året"},
            "Fadderne har faste oppgaver og faste tidspunkter for møter med Vg1-elevene.",
            "Elevtjenesten",
            _S_FOREBYGGENDE,
        ),
        _entry(
            "Makkergrupper og faste plasser (VIP Makkerskap)",
            {"uker": list(skolestart), "tekst": "Fra skolestart, deretter hele året"},
            "Alle elever har faste plasser og faste makkere i alle undervisningstimer. "
            "VIP Makkerskap brukes på Vg1, Vg2 og Vg3.",
            "Kontaktlærer og faglærere",
            _S_FOREBYGGENDE,
            _N_RUTINER,
        ),
        _entry(
            "Gjennomgang av skolereglene og rutinene for å melde fra, utarbeidelse av klasseregler",
            {"uker": list(skolestart), "tekst": "Ved skolestart"},
            "I basistimene går kontaktlærer gjennom skolereglene og klassen lager egne klasseregler. "
            "Alle elever gjøres kjent med skolens rutiner for å forebygge, håndtere og melde fra om "
            "mobbing og krenkelser.",
            "Kontaktlærer",
            _S_FOREBYGGENDE,
            _N_ELEVER,
        ),
        _entry(
            "Møte i elevtjenestens T-team",
            {"ukentlig": "tirsdag", "tekst": "Én gang per uke (fast møtedag i skolens møteplan)"},
            "T-teamet drøfter elevsaker og lager plan for gjennomføring av tiltak.",
            "Leder for elevtjenesten",
            _S_FOREBYGGENDE,
        ),
        _entry(
            "Rådgivning",
            {"hele_aret": True, "tekst": "Gjennom hele året"},
            "Sosialpedagogisk veiledning og karriereveiledning.",
            "Rådgivere",
            _S_FOREBYGGENDE,
        ),
        _entry(
            "Miljøarbeider følger med i elevmiljøet",
            {"hele_aret": True, "tekst": "Gjennom hele året, kontinuerlig"},
            "Miljøarbeideren deltar i aktiviteter med elevene (blant annet i midttimen) og oppholder "
            "seg sammen med elevene i pauser og i kantina: observerer og snakker med elevene.",
            "Miljøarbeider",
            _S_FOREBYGGENDE,
            _S_AVDEKKE,
        ),
        _entry(
            "Elevsamtaler",
            {
                "maneder": [8, 11, 4],
                "tekst": "Ved skolestart, november og april – minimum tre per år, "
                "ellers spontane samtaler ved behov",
            },
            "Møte mellom kontaktlærer og elev, eventuelt med foresatte. Samtalene skal fange opp "
            "mistrivsel. Forteller eleven om mistrivsel, melder den ansatte som får vite det, fra "
            "til rektor.",
            "Kontaktlærer, eller den ansatte eleven forteller det til",
            _S_FOREBYGGENDE,
            _S_AVDEKKE,
        ),
        _entry(
            "«Følg Med!» – arbeid mot utenforskap, hat, rasisme og radikalisering",
            {"hele_aret": True, "tekst": "Gjennom hele året, varierer mellom trinnene"},
            "Et gjennomgripende og langsiktig arbeid over alle tre trinn for å forebygge utenforskap, "
            "hat, rasisme og radikalisering. Elevene skal forstå hvorfor det er viktig å inkludere og "
            "samarbeide med andre uansett bakgrunn, hva de selv kan gjøre for å forebygge "
            "diskriminering og rasisme, og lære å være kildekritiske. Elever og ansatte skal følge "
            "med og melde fra. Elevene deltar aktivt gjennom elevrådet, samarbeidspartnere, "
            "Følg Med!-uka og undervisningsoppleggene.",
            "Ledelsen og alle ansatte, med elevrådet",
            _S_FOREBYGGENDE,
        ),
        _entry(
            "Elevundersøkelsen",
            {"maneder": [11], "tekst": "Høst, årlig (i Utdanningsdirektoratets gjennomføringsperiode)"},
            "Gjennomføres på alle trinn. Resultatene brytes ned på klasser og gjennomgås med "
            "elevrådet, skolemiljøutvalget og personalet. Ved avvik eller spesielle funn "
            "undersøkes det nærmere.",
            "Rektor, trinn- og avdelingsledere",
            _S_FOREBYGGENDE,
            _S_AVDEKKE,
            _N_RUTINER,
        ),
        _entry(
            "Samarbeid skole–hjem i elevsamtalene",
            {"maneder": [8, 11, 4], "tekst": "Sammen med elevsamtalene"},
            "Foresatte inviteres til å delta i elevsamtalene. Er eleven over 18 år, kreves elevens "
            "samtykke.",
            "Kontaktlærer",
            _S_FOREBYGGENDE,
        ),
        _entry(
            "Foreldremøte for Vg1",
            {"uker": list(skolestart), "tekst": "Ved skolestart"},
            "Følg Med! er tema. Møtet tar opp arbeidet for et trygt og godt skolemiljø, forebygging "
            "av mobbing og rutinene for kontakt mellom skole og hjem.",
            "Trinn- og avdelingsleder, kontaktlærer",
            _S_FOREBYGGENDE,
            _N_RUTINER,
        ),
        _entry(
            "Foreldremøte for Vg2",
            {"maneder": [11], "tekst": "I november"},
            "Følg Med! er tema. Møtet tar opp arbeidet for et trygt og godt skolemiljø, forebygging "
            "av mobbing og rutinene for kontakt mellom skole og hjem.",
            "Trinn- og avdelingsleder, kontaktlærer",
            _S_FOREBYGGENDE,
            _N_RUTINER,
        ),
        _entry(
            "Foreldremøte for Vg3 – tema russefeiring",
            {"maneder": [9, 10, 11], "tekst": "Høst"},
            "Russefeiring og Følg Med! er tema. Møtet tar også opp arbeidet for et trygt og godt "
            "skolemiljø, forebygging av mobbing og rutinene for kontakt mellom skole og hjem.",
            "Trinn- og avdelingsleder, kontaktlærer",
            _S_FOREBYGGENDE,
            _N_RUTINER,
        ),
        _entry(
            "Foreldremøte for alle trinn",
            {"maneder": [1, 2], "tekst": "På nyåret"},
            "Følg Med! er tema.",
            "Trinn- og avdelingsleder, kontaktlærer",
            _S_FOREBYGGENDE,
        ),
        _entry(
            "Skolens beredskapsplan og akutte hendelser",
            {"hele_aret": True, "tekst": "Hele året; ved akutte uønskede hendelser"},
            "Beredskapsplanen har rutiner for ulike krisesituasjoner, alvorlige ulykker, brann, "
            "trusler og vold. Ved akutte, farlige eller vanskelig kontrollerbare situasjoner brukes "
            "beredskapsplanen og aktuelle tiltakskort: tilkall forsterkninger (rektor/ledelsen, "
            "kollega i nærheten, miljøarbeider; resepsjonen tilkaller beredskapsteamet) og "
            "registrer avviksmelding.",
            "HMS-ansvarlig; alle ansatte ved akutte hendelser",
            _S_FOREBYGGENDE,
            _S_GRIPE_INN,
        ),
        _entry(
            "Samarbeid med eksterne samarbeidspartnere",
            {"hele_aret": True, "tekst": "Gjennom hele året"},
            "Skolen samarbeider med helsesykepleier, PPT/OT, nærpolitiet og SLT i kommunen.",
            "Ledelsen",
            _S_FOREBYGGENDE,
        ),
        # --- Sandvika vgs, 1. rutiner som kan avdekke mobbing og krenkende atferd
        _entry(
            "Klasselærermøter i IKO-arbeidet",
            {"hele_aret": True, "tekst": "Etter behov, eller i tilknytning til midtveisvurderinger"},
            "Klassens lærere og elevtjenesten kalles inn. Det settes av ca. 30 minutter til "
            "drøfting, og videre tiltak besluttes.",
            "Ledelsen",
            _S_AVDEKKE,
            _N_RUTINER,
        ),
        _entry(
            "TRK-møter (trinnleder, rådgiver, kontaktlærer)",
            {
                "uker": [41, 42, 4, 5, 12, 13, 17, 18],
                "tekst": "Ukene 41–42, 4–5, 12–13 og 17–18, ellers etter behov",
            },
            "Kontaktlærer innhenter på e-post informasjon om sine elever fra aktuelle faglærere før "
            "møtet. Trinnleder kaller inn og skriver referat etter fast referatmal. Kontaktlærer "
            "informerer faglærerne om eventuelle tiltak etter møtet.",
            "Ledelsen (trinnleder kaller inn og skriver referat)",
            _S_AVDEKKE,
        ),
        _entry(
            "Ansatte ser og fanger opp utenforskap, diskriminering og mobbing",
            {"hele_aret": True, "tekst": "Kontinuerlig"},
            "Observasjoner og samtaler med elever.",
            "Alle ansatte",
            _S_AVDEKKE,
        ),
        _entry(
            "Endring i elevers atferd",
            {"hele_aret": True, "tekst": "Kontinuerlig"},
            "Følge med på elever som viser endret atferd: mer utagerende, trekker seg tilbake, "
            "fravær og lignende.",
            "Trinn- og avdelingsleder, kontaktlærer",
            _S_AVDEKKE,
        ),
        _entry(
            "Foresatte tar kontakt og melder fra",
            {"hele_aret": True, "tekst": "Kontinuerlig"},
            "Foresatte melder fra til kontaktlærer, trinn- eller avdelingsleder eller rektor om det "
            "som skjer. Den som tar imot meldingen, melder videre til rektor.",
            "Kontaktlærer, trinn- og avdelingsleder, rektor",
            _S_AVDEKKE,
            _S_GRIPE_INN,
        ),
        _entry(
            "Endringer i klassemiljøet",
            {"hele_aret": True, "tekst": "Kontinuerlig"},
            "Ved mer uro eller sosiale endringer i klassen melder kontaktlærer eller faglærer "
            "bekymring til trinn- eller avdelingsleder og/eller elevtjenesten.",
            "Kontaktlærer, faglærer",
            _S_AVDEKKE,
        ),
        # --- Sandvika vgs, 2. ansvar for å gripe inn og meldeplikt
        _entry(
            "Informere alle ansatte om aktivitetsplikten, meldeplikten og skolens rutiner",
            {"uker": list(skolestart), "tekst": "Ved skolestart og ved nyansettelser"},
            "Rektor informerer alle ansatte om meldeplikten, skolens rutiner og skolereglene ved "
            "starten av hvert skoleår, og vikarer, studenter og nyansatte når de kommer i løpet av "
            "året. Alle skal kjenne til «Veileder for psykisk helse» på fylkeskommunens internside.",
            "Rektor",
            _S_GRIPE_INN,
            _N_RUTINER,
        ),
        _entry(
            "Følge med, gripe inn ved krenkelser og varsle rektor",
            {"hele_aret": True, "tekst": "Kontinuerlig"},
            "Alle ansatte har plikt til å følge med og gripe inn ved krenkelser som mobbing, "
            "hatytringer, utestenging, isolering og baksnakking, så langt det er mulig å gripe inn. "
            "Ansatte skal ikke utsette seg selv for skade eller krenke elever for å stanse "
            "situasjonen, utenom nødrett og nødverge. Fysiske inngrep følger opplæringsloven § 13-4. "
            "Alle hendelser og all mistanke om eller kjennskap til at en elev ikke har et trygt og "
            "godt skolemiljø, skal varsles til rektor.",
            "Alle ansatte: pedagogisk personale, assistenter, miljøarbeidere, rådgivere, "
            "helsesykepleier, kontorpersonale, vaktmester, vikarer, studenter, renholdere og "
            "kantinemedarbeidere",
            _S_GRIPE_INN,
            _N_RUTINER,
        ),
        _entry(
            "Radikalisering og voldelig ekstremisme",
            {
                "hele_aret": True,
                "tekst": "Identifisere ved inntak, deretter løpende gjennom samtaler og observasjoner",
            },
            "Identifisere, risikovurdere og lage handlingsplan. Den som mistenker radikalisering, "
            "melder direkte til rektor. Rektor undersøker saken og følger eventuelt opp med "
            "radikaliseringskontakten i politiet.",
            "Rektor; den som mistenker radikalisering melder fra",
            _S_GRIPE_INN,
        ),
        _entry(
            "Elever melder fra",
            {"hele_aret": True, "tekst": "Kontinuerlig"},
            "Elever melder fra til en voksen på skolen de ønsker å kontakte, til tillitseleven som "
            "tar saken videre, eller til foresatte. Skolens anonyme meldingsboks kan brukes.",
            "Elevene; den ansatte som mottar meldingen",
            _S_GRIPE_INN,
            _N_MELDE,
        ),
        # --- Sandvika vgs, 3. undersøke
        _entry(
            "Ta imot melding fra elev og varsle rektor",
            {"hele_aret": True, "tekst": "Kontinuerlig; umiddelbart når meldingen kommer"},
            "Den som mottar en melding om at en elev ikke har det bra, melder umiddelbart fra til "
            "rektor eller nærmeste leder og bidrar til å undersøke saken nærmere. Meldingen føres i "
            "meldingsskjemaet, og alle dokumenter registreres i arkivsystemet.",
            "Ledelsen, kontaktlærer",
            _S_UNDERSOKE,
            _N_MELDE,
        ),
        _entry(
            "Ansatt eller noen i ledelsen krenker elev (skjerpet plikt, § 12-5)",
            {"hele_aret": True, "tekst": "Straks ved mistanke eller kjennskap"},
            "Den som har mistanke om eller kjennskap til at en som arbeider på skolen krenker en "
            "elev, varsler rektor straks. Rektor varsler skoleeier (områdedirektør og "
            "skolemiljøteamet i fylkeskommunen). Gjelder det noen i skolens ledelse, varsles "
            "skoleeier direkte. Skolen utarbeider en aktivitetsplan.",
            "Rektor; skoleeier når ledelsen er involvert",
            _S_UNDERSOKE,
            _N_MELDE,
        ),
        _entry(
            "Undersøke elevens opplevelse av skolemiljøet",
            {"hele_aret": True, "tekst": "Snarest etter melding"},
            "Undersøkelsen skal få fram fakta om situasjonen og hva som påvirker hvordan eleven "
            "opplever skolemiljøet – ikke skaffe bevis for eller mot at eleven er krenket. "
            "Involverte elever kalles inn til samtale hver for seg, med foresatte hvis eleven er "
            "under 18 år, og deltar i utarbeidelsen av tiltak. Elevens rett til å bli hørt og "
            "elevens beste (opplæringsloven §§ 10-1 og 10-2) skal alltid vurderes og dokumenteres; "
            "mangler vurderingen, er det en saksbehandlingsfeil.",
            "Rektor",
            _S_UNDERSOKE,
        ),
        # --- Sandvika vgs, 4. sette inn tiltak, evaluere og dokumentere
        _entry(
            "Lage aktivitetsplan",
            {"hele_aret": True, "tekst": "Umiddelbart etter at undersøkelsene er gjennomført"},
            "Planen lages i samarbeid med berørte parter og skal vise hvilket problem tiltakene skal "
            "løse, hvilke tiltak skolen har planlagt, når tiltakene skal gjennomføres, hvem som skal "
            "gjennomføre tiltakene og når tiltakene skal evalueres. Planen registreres i "
            "arkivsystemet.",
            "Rektor",
            _S_TILTAK,
            _N_MELDE,
        ),
        _entry(
            "Evaluere tiltak og eventuelt avtale nye tiltak",
            {"hele_aret": True, "tekst": "På tidspunktene som er fastsatt i aktivitetsplanen"},
            "Tiltakene evalueres sammen med eleven. Saken avsluttes først når eleven selv opplever "
            "skolemiljøet som trygt og godt; ellers avtales nye tiltak og planen oppdateres.",
            "Rektor",
            _S_TILTAK,
        ),
        # --- Nord-Østerdal vgs, routines not covered above
        _entry(
            "Kompetanseheving om mobbing på planleggingsdager og temadager",
            {"maneder": [8], "tekst": "Planleggingsdager før skolestart og temadager i løpet av året"},
            "Planleggingsdager og temadager tar opp mobbing som fenomen, hva som oppleves som "
            "mobbing, hvordan den kan forebygges og hvordan en handler når noe har skjedd. Ansatte "
            "deltar også på kurs og konferanser.",
            "Rektor",
            _N_RUTINER,
        ),
        _entry(
            "Klasseteamene tar opp trivsel og mobbing",
            {"ukentlig": "onsdag", "tekst": "På de ukentlige klasseteammøtene"},
            "Trivsel og mobbing er fast tema på klasseteamets møter.",
            "Kontaktlærer og klasseteamet",
            _N_RUTINER,
        ),
        _entry(
            "Trygghet og trivsel i klassen",
            {"hele_aret": True, "tekst": "Gjennom hele året"},
            "Kontaktlærer og alle faglærere arbeider for trygghet i gruppa og et inkluderende og "
            "mobbefritt miljø. Kontaktlærer kartlegger trivsel, trygghet og mobbing i gruppa, for "
            "eksempel sammen med andre evalueringer eller ved at elevene skriver logg, og samarbeider "
            "med klassetillitsvalgte om holdningsskapende arbeid.",
            "Kontaktlærer og faglærere; tillitseleven bidrar",
            _N_RUTINER,
            _N_ELEVER,
        ),
        _entry(
            "VIP-programmet for Vg1",
            {"maneder": [9, 10], "tekst": "Vg1, høst"},
            "Undervisningsopplegg om psykisk helse og betydningen av trivsel og fravær av mobbing.",
            "Kontaktlærere på Vg1",
            _N_RUTINER,
        ),
        _entry(
            "Skolens egen undersøkelse om faglig og sosial trivsel",
            {"maneder": [1, 2], "tekst": "I etterkant av Elevundersøkelsen"},
            "Skolens egen undersøkelse følger opp Elevundersøkelsen. Resultatene gjennomgås på samme "
            "måte.",
            "Rektor",
            _N_RUTINER,
        ),
        _entry(
            "Elevkontakt i fellesområdet",
            {"hele_aret": True, "tekst": "Gjennom hele året"},
            "Elevkontakten har kontor i fellesområdet, følger med og er en trygg voksen for alle "
            "elever, særlig for sårbare elever.",
            "Elevkontakt",
            _N_RUTINER,
        ),
        _entry(
            "Skolemiljøutvalget (SMU) og elevrådet tar opp trivsel og psykososialt miljø",
            {"hele_aret": True, "tekst": "Jevnlig gjennom året"},
            "Trivsel og psykososialt miljø er jevnlig tema i skolemiljøutvalget og elevrådet.",
            "Skolemiljøutvalget og elevrådet",
            _N_ELEVER,
        ),
        _entry(
            "Ledelsen gjennomgår åpne kap. 12-saker i lederforum",
            {"ukentlig": "mandag", "tekst": "Ukentlig i lederforum"},
            "Gjennomgang av hvor hver sak står: om den kan avsluttes, eller hva som er videre arbeid "
            "og oppfølging. «skm check» gir oversikt over åpne saker og frister.",
            "Rektor og ledelsen",
            _N_OPPFOLGING,
        ),
        _entry(
            "Årlig gjennomgang av handlingsplanen og rutinene",
            {"maneder": [6], "tekst": "Hvert år, før nytt skoleår"},
            "Arbeidet mot mobbing er en del av skolens årsplan. Rutinene, handlingsplanen og "
            "årshjulet gjennomgås og oppdateres.",
            "Rektor",
            _N_RUTINER,
        ),
    ]


def default_calendar(start_year: int, skole: str | None = None) -> dict[str, Any]:
    """Return a complete calendar document for the school year ``start_year``/``start_year + 1``.

    All values are plain data; dates are ISO strings. Key order matches the YAML file.
    """
    start, end = _school_year_dates(start_year)
    doc: dict[str, Any] = {}
    if skole is not None:
        doc["skole"] = skole
    doc["skolear"] = {"start": start.isoformat(), "slutt": end.isoformat()}
    doc["ferier"] = _holidays(start_year)
    doc["trekk_fra_ferier"] = True
    doc["frister"] = dict(DEFAULT_DEADLINES)
    doc["arshjul"] = _arshjul(start)
    return doc


# --------------------------------------------------------------------------- loading


def _as_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"ugyldig dato i kalenderen ({where}): {value!r}, forventet ÅÅÅÅ-MM-DD")


@dataclass(frozen=True)
class Calendar:
    """A parsed school calendar."""

    start: dt.date
    end: dt.date
    holidays: list[tuple[str, dt.date, dt.date]] = field(default_factory=list)
    subtract_holidays: bool = True
    deadlines: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DEADLINES))
    routines: list[dict[str, Any]] = field(default_factory=list)

    def holiday_name(self, d: dt.date) -> str | None:
        """Return the name of the school holiday containing ``d``, or ``None``."""
        for name, first, last in self.holidays:
            if first <= d <= last:
                return name
        return None

    def is_school_holiday(self, d: dt.date) -> bool:
        """True if ``d`` lies in one of the calendar's holidays (``ferier``), both ends included.

        Weekends and public holidays are not considered here.
        """
        return self.holiday_name(d) is not None

    def in_school_year(self, d: dt.date) -> bool:
        """True if ``d`` lies between the first and last school day, both included."""
        return self.start <= d <= self.end


def load_calendar(data: dict[str, Any]) -> Calendar:
    """Build a :class:`Calendar` from a parsed calendar document; missing deadlines get defaults.

    Accepts dates as ISO strings or ``date`` objects (as ``yaml.safe_load`` gives for unquoted
    dates). Raises ``ValueError`` with a Norwegian message on invalid content.
    """
    if not isinstance(data, dict):
        raise ValueError("kalenderen må være et YAML-objekt (nøkkel: verdi)")
    year = data.get("skolear")
    if not isinstance(year, dict) or "start" not in year or "slutt" not in year:
        raise ValueError("kalenderen mangler 'skolear' med 'start' og 'slutt'")
    start = _as_date(year["start"], "skolear.start")
    end = _as_date(year["slutt"], "skolear.slutt")
    if end < start:
        raise ValueError("skolear.slutt kan ikke være før skolear.start")

    holidays: list[tuple[str, dt.date, dt.date]] = []
    for n, item in enumerate(data.get("ferier") or []):
        where = f"ferier[{n}]"
        if not isinstance(item, dict):
            raise ValueError(f"{where} må ha 'navn', 'fra' og 'til'")
        first = _as_date(item.get("fra"), f"{where}.fra")
        last = _as_date(item.get("til"), f"{where}.til")
        if last < first:
            raise ValueError(f"{where}: 'til' kan ikke være før 'fra'")
        holidays.append((str(item.get("navn", "")), first, last))

    deadlines = dict(DEFAULT_DEADLINES)
    for key, value in (data.get("frister") or {}).items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"frister.{key} må være et heltall (arbeidsdager) ≥ 0, fikk {value!r}")
        deadlines[str(key)] = value

    subtract = data.get("trekk_fra_ferier", True)
    if not isinstance(subtract, bool):
        raise ValueError("trekk_fra_ferier må være true eller false")

    return Calendar(
        start=start,
        end=end,
        holidays=holidays,
        subtract_holidays=subtract,
        deadlines=deadlines,
        routines=[dict(r) for r in data.get("arshjul") or []],
    )


# --------------------------------------------------------------------------- YAML output


def calendar_to_yaml(data: dict[str, Any]) -> str:
    """Serialise a calendar document to YAML text with the schema comment as first line.

    Lists of scalars (``uker``, ``maneder``, ``datoer``) are written in flow style. PyYAML is
    imported lazily. Regenerate the repository's ``calendar.yaml`` with::

        python -c "from skolemiljo.calendar import *; \\
            print(calendar_to_yaml(default_calendar(2026, 'Fjordvik videregående skole')), end='')" \\
            > calendar.yaml
    """
    import yaml

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
        flow = bool(value) and all(isinstance(v, (int, str)) for v in value)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    _Dumper.add_representer(list, _represent_list)
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    header = [
        SCHEMA_COMMENT,
        "# Skolens kalender og årshjul (opplæringslova kap. 12). Frister er i arbeidsdager.",
    ]
    return "\n".join(header) + "\n" + body
