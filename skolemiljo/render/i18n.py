"""Every fixed text of the rendered documents, in bokmål (nb) and nynorsk (nn).

Templates read these through the ``t`` variable (``{{ t.plan_a }}``); both
languages have exactly the same keys (a test checks it), so a template that
works in one works in the other. The plan's five elements use the law's own
words (the plan's letters a–e, ``legal.GROUNDS['plan_a']`` …; the law is written in nynorsk).

Dates are written the Norwegian way with Babel: ``16. oktober 2026``.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any
from skolemiljo.domain.legal import cite, cite_law

MALFORMER = ("nb", "nn")


class Text(str):
    """Text skm generated itself (a formatted date, a translated code).

    It needs no Markdown escaping; HTML autoescaping still applies to it like
    to any ``str``. Text from a case is never ``Text``.
    """


# The document names users type (``skm render CASE DOCUMENT``).
DOCUMENTS = ("meldingsskjema", "aktivitetsplan", "saksdokumentasjon")

TEXT: dict[str, dict[str, str]] = {
    "nb": {
        # Page furniture
        "mark": f"Unntatt offentlighet, {cite('unntatt')}",
        "side": "Side",
        "av_sider": "av",
        "sak": "Sak",
        "saksnummer": "Saksnummer",
        "arkivsak": "Arkivsaksnummer",
        "dokumentdato": "Dokumentdato",
        "skole": "Skole",
        "skoleeier": "Skoleeier",
        "utkast": "UTKAST – saken har endringer som ikke er ført i historikken. "
                  "Dokumentet kan ikke arkiveres før endringene er lagret.",
        "ikke_fylt_ut": "ikke fylt ut",
        "ja": "Ja",
        "nei": "Nei",
        "lov": "opplæringsloven",
        # Document titles
        "meldingsskjema_tittel": "Meldingsskjema",
        "meldingsskjema_undertittel": "Melding om at en elev ikke har et trygt og godt skolemiljø",
        "aktivitetsplan_tittel": "Aktivitetsplan",
        "aktivitetsplan_undertittel": f"Skriftlig plan etter {cite_law('plan')}",
        "saksdokumentasjon_tittel": "Saksdokumentasjon",
        "saksdokumentasjon_undertittel": "Hele saken i kronologisk rekkefølge – opplæringsloven kapittel 12",
        "metadata_emne": "Sak {id} etter opplæringsloven kapittel 12",
        # The pupil
        "eleven": "Eleven",
        "elev": "Elev",
        "navn": "Navn",
        "klasse": "Klasse",
        "under_18": "Under 18 år",
        "under_18_ja": "Ja – foresatte tar del i samtalene",
        "under_18_nei": "Nei – 18 år eller eldre",
        # The report
        "meldingen": "Meldingen",
        "mottatt_dato": "Dato mottatt",
        "mottatt_av": "Mottatt av",
        "meldt_av": "Meldt av",
        "sakstype": "Sakstype",
        "alvorlig": "Alvorlig tilfelle",
        "kategorier": "Gjelder",
        "beskrivelse": "Hva som ble meldt",
        "status": "Status",
        "hjemmel": "Hjemmel",
        # Notifications
        "varsling": "Varsling",
        "varsling_intro": "Rektor skal varsles straks. Skoleeier skal varsles i alvorlige tilfeller "
                          f"({cite('melde')}) og alltid når en ansatt eller en i skolens ledelse "
                          f"krenker en elev ({cite('skjerpa')}).",
        "hvem_varslet": "Hvem ble varslet",
        "dato": "Dato",
        "varslet_av": "Varslet av",
        "merknad": "Merknad",
        "rektor": "Rektor",
        "ikke_varslet": "Ikke varslet",
        "skal_varsles": "Skal varsles",
        # Investigation
        "undersokelse": "Undersøkelse",
        "undersokelse_startet": "Startet",
        "undersokelse_avsluttet": "Avsluttet",
        "undersokelse_ikke_startet": "Undersøkelsen er ikke startet.",
        "aktiviteter": "Samtaler, observasjoner og kartlegginger",
        "ingen_aktiviteter": "Ingen aktiviteter er registrert.",
        "type": "Type",
        "med": "Med",
        "oppsummering": "Hva som kom fram",
        "elevens_opplevelse": "Elevens egen opplevelse",
        "konklusjon": "Konklusjon",
        # Voice and best interests
        "elevens_stemme": "Elevens stemme",
        "elevens_stemme_hjemmel": f"{cite_law('medvirkning')}",
        "elevens_stemme_intro": "Eleven har rett til å bli hørt i alle spørsmål som gjelder eleven, "
                                "før planen lages og når tiltakene evalueres.",
        "synspunkter": "Elevens synspunkter",
        "ikke_registrert": "Ikke registrert.",
        "barnets_beste": "Vurdering av elevens beste",
        "barnets_beste_hjemmel": f"{cite_law('elevens_beste')}",
        "vurdert": "Vurdert",
        "vurdering": "Vurdering",
        # The plan
        "plan_a": "Hvilket problem tiltakene skal løse",
        "plan_b": "Hvilke tiltak skolen har planlagt",
        "plan_c": "Når tiltakene skal gjennomføres",
        "plan_d": "Hvem som skal gjennomføre tiltakene",
        "plan_e": "Når tiltakene skal evalueres",
        "plan_dato": "Planen er laget",
        "plan_intro": "Når skolen setter inn tiltak, skal den lage en skriftlig plan. Planen skal si "
                      "hvilket problem tiltakene skal løse, hvilke tiltak skolen har planlagt, når "
                      "tiltakene skal gjennomføres, hvem som skal gjennomføre dem og når de skal evalueres.",
        "ingen_plan": "Det er ikke laget noen aktivitetsplan i saken.",
        "ingen_tiltak": "Planen har ingen tiltak.",
        "tiltak": "Tiltak",
        "nr": "Nr.",
        "fra": "fra",
        "til": "til",
        "tiltak_avsluttet": "Avsluttet",
        "statsforvalteren": "Mener eleven eller foreldrene at skolen ikke har gjort det den skal, kan de "
                            "melde saken til statsforvalteren når det har gått en uke etter at saken ble "
                            f"tatt opp med rektor ({cite_law('statsforvaltaren')}).",
        # Plan versions
        "planversjoner": "Aktivitetsplanen og alle versjonene av den",
        "planversjoner_intro_en": "Planen har hatt én versjon. Den er hentet fra sakens historikk.",
        "planversjoner_intro": "Planen har hatt {n} versjoner. Alle er hentet fra sakens historikk, "
                               "eldste først. Den siste er planen som gjelder.",
        "versjon": "Versjon",
        "lagret": "lagret",
        "gjeldende": "gjeldende",
        "ikke_lagret": "ikke lagret i historikken ennå",
        "av": "av",
        "endringer_fra": "Endringer fra versjon {n}",
        "endring_first": "Første versjon av planen",
        "endring_problem": "problemet (a) er endret",
        "endring_dato": "plandatoen er endret",
        "endring_added": "tiltak {id} er lagt til",
        "endring_removed": "tiltak {id} er tatt ut av planen",
        "endring_ended": "tiltak {id} er avsluttet",
        "endring_changed": "tiltak {id} er endret: {fields}",
        "endring_other": "andre endringer",
        "felt_beskrivelse": "hva (b)",
        "felt_fra": "når (c)",
        "felt_til": "når (c)",
        "felt_ansvarlig": "hvem (d)",
        "felt_evalueres": "evalueringsdato (e)",
        # Evaluations
        "evalueringer": "Evalueringer",
        "ingen_evalueringer": "Tiltakene er ikke evaluert ennå.",
        "resultat": "Resultat",
        "videre": "Videre",
        "neste_evaluering": "Neste evaluering",
        # Closing
        "avslutning": "Avslutning av saken",
        "avsluttet_dato": "Saken ble avsluttet",
        "begrunnelse": "Begrunnelse",
        "elevens_opplevelse_avslutning": "Elevens opplevelse ved avslutning",
        "oppfolging": "Avtalt oppfølging",
        "ikke_avsluttet": "Saken er ikke avsluttet. Status: {status}.",
        # Log and audit trail
        "logg": "Logg",
        "logg_intro": f"Hva som er gjort, når og av hvem (dokumentasjonsplikten, {cite_law('aktivitetsplikt')}).",
        "ingen_logg": "Loggen er tom.",
        "hendelse": "Hendelse",
        "historikk": "Historikk (revisjonsspor)",
        "historikk_intro": "Hver endring av saken er lagret som en egen versjon i saksarkivet. "
                           "Tabellen viser når endringen ble gjort, hvem som gjorde den og hva den var.",
        "ingen_historikk": "Saken er ikke lagret i historikken ennå.",
        "tidspunkt": "Tidspunkt",
        "hvem": "Hvem",
        "handling": "Handling",
        "utenom_skm": "endret utenom skm",
        # Signatures
        "underskrift": "Underskrift",
        "sted_dato": "Sted og dato",
        "underskrift_rektor": "Rektor",
        "underskrift_ansvarlig": "Rektor",
        "underskrift_skoleeier": "Skoleeiers saksbehandler",
        "varsling_intro_c": f"Saken gjelder en i skolens ledelse (prosedyre C, {cite('skjerpa_ledelse')}): "
                            "meldingen går direkte til skoleeier, ikke til rektor. Skoleeier har ansvaret for "
                            "saken, og skoleeiers saksbehandler signerer dokumentene.",
        "runde": "Runde",
        "runder": "Sakens runder",
        "runder_intro": "Saken er gjenåpnet. Hver runde (melding eller gjenåpning → undersøkelse → plan → "
                        "evalueringer → avslutning) står her slik den var; den gjeldende runden følger i "
                        "kapitlene under.",
        "runde_melding": "meldingen kom",
        "runde_gjenapnet": "gjenåpnet",
        "runde_gjeldende": "gjeldende runde",
        "grunn": "Grunn",
        "plan_revidert": "Revidert",
        "oppfulgt": "Oppfølging gjort",
        "underskrift_mottatt": "Mottatt og registrert av",
        "underskrift_gjort_kjent": "Gjort kjent for eleven / foresatte (dato)",
        "bekreftelse": "Saksdokumentasjonen er satt sammen fra saksarkivet og er fullstendig per dokumentdatoen.",
        "innhold": "Innhold",
        "kl": "kl.",
        # the lederforum sheet (skm status --html/--pdf)
        "so_tittel": "Oversikt over kap. 12-saker",
        "so_undertittel": "Til ukentlig gjennomgang i lederforum",
        "so_sidefot": "Lederforum · kap. 12-saker",
        "so_apne": "Åpne saker",
        "so_saksnr": "Saksnr",
        "so_status": "Status",
        "so_sakstype": "Sakstype",
        "so_klasse": "Klasse",
        "so_elev": "Elev",
        "so_arbeidsdager": "Arb.dager åpen",
        "so_forfalt": "Forfalt",
        "so_neste_frist": "Neste frist",
        "so_gjennomgatt": "Gjennomgått / merknad",
        "so_ingen_apne": "Ingen åpne saker.",
        "so_avsluttet_30": "Avsluttet de siste 30 dagene",
        "so_avsluttet": "Avsluttet",
        "so_oppfolging": "Oppfølging",
        "so_ingen": "Ingen.",
        "so_skolearet": "Skoleåret",
        "so_antall": "Antall",
        "so_kategori": "Kategori",
        "so_ingen_saker": "Ingen saker",
        "so_ingen_kategorier": "Ingen kategorier",
        "so_siste_lederforum": "Siste lederforum",
        "so_siste_trk": "Siste TRK-møte",
        "so_ikke_registrert": "ikke registrert",
        # intake (issue 14): linked cases, outside contacts, parents
        "relaterte_saker": "Relaterte saker (samme melding)",
        "mottatt_rolle": "Rollen til den som tok imot",
        "kontakter": "Kontakt utenfor skolen",
        "foresatte": "Foresatte",
        "foresatte_informert": "informert",
        "foresatte_fikk_planen": "fikk aktivitetsplanen",
        "samtykke_ja": "eleven (over 18) samtykker i at foresatte tar del",
        "samtykke_nei": "eleven (over 18) samtykker ikke i at foresatte tar del",
    },
    "nn": {
        "mark": f"Unnateke offentlegheit, {cite('unntatt')}",
        "side": "Side",
        "av_sider": "av",
        "sak": "Sak",
        "saksnummer": "Saksnummer",
        "arkivsak": "Arkivsaksnummer",
        "dokumentdato": "Dokumentdato",
        "skole": "Skole",
        "skoleeier": "Skoleeigar",
        "utkast": "UTKAST – saka har endringar som ikkje er førte i historikken. "
                  "Dokumentet kan ikkje arkiverast før endringane er lagra.",
        "ikke_fylt_ut": "ikkje fylt ut",
        "ja": "Ja",
        "nei": "Nei",
        "lov": "opplæringslova",
        "meldingsskjema_tittel": "Meldingsskjema",
        "meldingsskjema_undertittel": "Melding om at ein elev ikkje har eit trygt og godt skolemiljø",
        "aktivitetsplan_tittel": "Aktivitetsplan",
        "aktivitetsplan_undertittel": f"Skriftleg plan etter {cite_law('plan', 'nn')}",
        "saksdokumentasjon_tittel": "Saksdokumentasjon",
        "saksdokumentasjon_undertittel": "Heile saka i kronologisk rekkjefølgje – opplæringslova kapittel 12",
        "metadata_emne": "Sak {id} etter opplæringslova kapittel 12",
        "eleven": "Eleven",
        "elev": "Elev",
        "navn": "Namn",
        "klasse": "Klasse",
        "under_18": "Under 18 år",
        "under_18_ja": "Ja – føresette tek del i samtalane",
        "under_18_nei": "Nei – 18 år eller eldre",
        "meldingen": "Meldinga",
        "mottatt_dato": "Dato motteke",
        "mottatt_av": "Motteke av",
        "meldt_av": "Meldt av",
        "sakstype": "Sakstype",
        "alvorlig": "Alvorleg tilfelle",
        "kategorier": "Gjeld",
        "beskrivelse": "Kva som vart meldt",
        "status": "Status",
        "hjemmel": "Heimel",
        "varsling": "Varsling",
        "varsling_intro": "Rektor skal varslast straks. Skoleeigaren skal varslast i alvorlege tilfelle "
                          f"({cite('melde')}) og alltid når ein tilsett eller ein i leiinga på skolen "
                          f"krenkjer ein elev ({cite('skjerpa')}).",
        "hvem_varslet": "Kven vart varsla",
        "dato": "Dato",
        "varslet_av": "Varsla av",
        "merknad": "Merknad",
        "rektor": "Rektor",
        "ikke_varslet": "Ikkje varsla",
        "skal_varsles": "Skal varslast",
        "undersokelse": "Undersøking",
        "undersokelse_startet": "Starta",
        "undersokelse_avsluttet": "Avslutta",
        "undersokelse_ikke_startet": "Undersøkinga er ikkje starta.",
        "aktiviteter": "Samtalar, observasjonar og kartleggingar",
        "ingen_aktiviteter": "Ingen aktivitetar er registrerte.",
        "type": "Type",
        "med": "Med",
        "oppsummering": "Kva som kom fram",
        "elevens_opplevelse": "Eleven si eiga oppleving",
        "konklusjon": "Konklusjon",
        "elevens_stemme": "Eleven si stemme",
        "elevens_stemme_hjemmel": f"{cite_law('medvirkning', 'nn')}",
        "elevens_stemme_intro": "Eleven har rett til å bli høyrd i alle spørsmål som gjeld eleven, "
                                "før planen blir laga og når tiltaka blir evaluerte.",
        "synspunkter": "Synspunkta til eleven",
        "ikke_registrert": "Ikkje registrert.",
        "barnets_beste": "Vurdering av kva som er best for eleven",
        "barnets_beste_hjemmel": f"{cite_law('elevens_beste', 'nn')}",
        "vurdert": "Vurdert",
        "vurdering": "Vurdering",
        "plan_a": "Kva problem tiltaka skal løyse",
        "plan_b": "Kva tiltak skolen har planlagt",
        "plan_c": "Når tiltaka skal gjennomførast",
        "plan_d": "Kven som skal gjennomføre tiltaka",
        "plan_e": "Når tiltaka skal evaluerast",
        "plan_dato": "Planen er laga",
        "plan_intro": "Når skolen set inn tiltak, skal han lage ein skriftleg plan. Planen skal seie "
                      "kva problem tiltaka skal løyse, kva tiltak skolen har planlagt, når tiltaka "
                      "skal gjennomførast, kven som skal gjennomføre dei og når dei skal evaluerast.",
        "ingen_plan": "Det er ikkje laga nokon aktivitetsplan i saka.",
        "ingen_tiltak": "Planen har ingen tiltak.",
        "tiltak": "Tiltak",
        "nr": "Nr.",
        "fra": "frå",
        "til": "til",
        "tiltak_avsluttet": "Avslutta",
        "statsforvalteren": "Meiner eleven eller foreldra at skolen ikkje har gjort det han skal, kan dei "
                            "melde saka til statsforvaltaren når det har gått ei veke etter at saka vart "
                            f"teken opp med rektor ({cite_law('statsforvaltaren', 'nn')}).",
        "planversjoner": "Aktivitetsplanen og alle versjonane av han",
        "planversjoner_intro_en": "Planen har hatt éin versjon. Han er henta frå historikken til saka.",
        "planversjoner_intro": "Planen har hatt {n} versjonar. Alle er henta frå historikken til saka, "
                               "eldste først. Den siste er planen som gjeld.",
        "versjon": "Versjon",
        "lagret": "lagra",
        "gjeldende": "gjeldande",
        "ikke_lagret": "ikkje lagra i historikken enno",
        "av": "av",
        "endringer_fra": "Endringar frå versjon {n}",
        "endring_first": "Første versjon av planen",
        "endring_problem": "problemet (a) er endra",
        "endring_dato": "plandatoen er endra",
        "endring_added": "tiltak {id} er lagt til",
        "endring_removed": "tiltak {id} er teke ut av planen",
        "endring_ended": "tiltak {id} er avslutta",
        "endring_changed": "tiltak {id} er endra: {fields}",
        "endring_other": "andre endringar",
        "felt_beskrivelse": "kva (b)",
        "felt_fra": "når (c)",
        "felt_til": "når (c)",
        "felt_ansvarlig": "kven (d)",
        "felt_evalueres": "evalueringsdato (e)",
        "evalueringer": "Evalueringar",
        "ingen_evalueringer": "Tiltaka er ikkje evaluerte enno.",
        "resultat": "Resultat",
        "videre": "Vidare",
        "neste_evaluering": "Neste evaluering",
        "avslutning": "Avslutning av saka",
        "avsluttet_dato": "Saka vart avslutta",
        "begrunnelse": "Grunngiving",
        "elevens_opplevelse_avslutning": "Eleven si oppleving ved avslutninga",
        "oppfolging": "Avtalt oppfølging",
        "ikke_avsluttet": "Saka er ikkje avslutta. Status: {status}.",
        "logg": "Logg",
        "logg_intro": f"Kva som er gjort, når og av kven (dokumentasjonsplikta, {cite_law('aktivitetsplikt', 'nn')}).",
        "ingen_logg": "Loggen er tom.",
        "hendelse": "Hending",
        "historikk": "Historikk (revisjonsspor)",
        "historikk_intro": "Kvar endring av saka er lagra som ein eigen versjon i saksarkivet. "
                           "Tabellen viser når endringa vart gjord, kven som gjorde henne og kva ho var.",
        "ingen_historikk": "Saka er ikkje lagra i historikken enno.",
        "tidspunkt": "Tidspunkt",
        "hvem": "Kven",
        "handling": "Handling",
        "utenom_skm": "endra utanom skm",
        "underskrift": "Underskrift",
        "sted_dato": "Stad og dato",
        "underskrift_rektor": "Rektor",
        "underskrift_ansvarlig": "Rektor",
        "underskrift_skoleeier": "Saksbehandlar hos skoleeigaren",
        "varsling_intro_c": f"Saka gjeld ein i leiinga på skolen (prosedyre C, {cite('skjerpa_ledelse')}): "
                            "meldinga går direkte til skoleeigaren, ikkje til rektor. Skoleeigaren har ansvaret "
                            "for saka, og saksbehandlaren hos skoleeigaren signerer dokumenta.",
        "runde": "Runde",
        "runder": "Rundane i saka",
        "runder_intro": "Saka er gjenopna. Kvar runde (melding eller gjenopning → undersøking → plan → "
                        "evalueringar → avslutning) står her slik ho var; den gjeldande runden følgjer i "
                        "kapitla under.",
        "runde_melding": "meldinga kom",
        "runde_gjenapnet": "gjenopna",
        "runde_gjeldende": "gjeldande runde",
        "grunn": "Grunn",
        "plan_revidert": "Revidert",
        "oppfulgt": "Oppfølging gjord",
        "underskrift_mottatt": "Motteke og registrert av",
        "underskrift_gjort_kjent": "Gjort kjent for eleven / føresette (dato)",
        "bekreftelse": "Saksdokumentasjonen er sett saman frå saksarkivet og er fullstendig per dokumentdatoen.",
        "innhold": "Innhald",
        "kl": "kl.",
        # the lederforum sheet (skm status --html/--pdf)
        "so_tittel": "Oversikt over kap. 12-saker",
        "so_undertittel": "Til vekentleg gjennomgang i leiarforum",
        "so_sidefot": "Leiarforum · kap. 12-saker",
        "so_apne": "Opne saker",
        "so_saksnr": "Saksnr",
        "so_status": "Status",
        "so_sakstype": "Sakstype",
        "so_klasse": "Klasse",
        "so_elev": "Elev",
        "so_arbeidsdager": "Arb.dagar open",
        "so_forfalt": "Forfalle",
        "so_neste_frist": "Neste frist",
        "so_gjennomgatt": "Gjennomgått / merknad",
        "so_ingen_apne": "Ingen opne saker.",
        "so_avsluttet_30": "Avslutta dei siste 30 dagane",
        "so_avsluttet": "Avslutta",
        "so_oppfolging": "Oppfølging",
        "so_ingen": "Ingen.",
        "so_skolearet": "Skoleåret",
        "so_antall": "Tal",
        "so_kategori": "Kategori",
        "so_ingen_saker": "Ingen saker",
        "so_ingen_kategorier": "Ingen kategoriar",
        "so_siste_lederforum": "Siste leiarforum",
        "so_siste_trk": "Siste TRK-møte",
        "so_ikke_registrert": "ikkje registrert",
        # intake (issue 14): linked cases, outside contacts, parents
        "relaterte_saker": "Relaterte saker (same melding)",
        "mottatt_rolle": "Rolla til den som tok imot",
        "kontakter": "Kontakt utanfor skolen",
        "foresatte": "Føresette",
        "foresatte_informert": "informerte",
        "foresatte_fikk_planen": "fekk aktivitetsplanen",
        "samtykke_ja": "eleven (over 18) samtykkjer i at føresette tek del",
        "samtykke_nei": "eleven (over 18) samtykkjer ikkje i at føresette tek del",
    },
}

SAKSTYPE: dict[str, dict[str, str]] = {
    "nb": {
        "elev-elev": "Elev krenker elev",
        "ansatt-elev": "Ansatt krenker elev",
        "ledelse-elev": "En i skolens ledelse krenker elev",
        "radikalisering": "Mistanke om radikalisering (meldes direkte til rektor)",
        "annet": "Annet",
    },
    "nn": {
        "elev-elev": "Elev krenkjer elev",
        "ansatt-elev": "Tilsett krenkjer elev",
        "ledelse-elev": "Ein i leiinga på skolen krenkjer elev",
        "radikalisering": "Mistanke om radikalisering (blir meld direkte til rektor)",
        "annet": "Anna",
    },
}

# The paragraph each sakstype is handled under.

MELDT_AV: dict[str, dict[str, str]] = {
    "nb": {"elev": "eleven selv", "foresatt": "foresatte", "ansatt": "en ansatt", "anonym": "anonym melding",
           "annen": "annen"},
    "nn": {"elev": "eleven sjølv", "foresatt": "føresette", "ansatt": "ein tilsett", "anonym": "anonym melding",
           "annen": "annan"},
}

AKTIVITET: dict[str, dict[str, str]] = {
    "nb": {"samtale": "Samtale", "observasjon": "Observasjon", "kartlegging": "Kartlegging",
           "dokumentgjennomgang": "Dokumentgjennomgang", "annet": "Annet"},
    "nn": {"samtale": "Samtale", "observasjon": "Observasjon", "kartlegging": "Kartlegging",
           "dokumentgjennomgang": "Gjennomgang av dokument", "annet": "Anna"},
}

VIDERE: dict[str, dict[str, str]] = {
    "nb": {"fortsett": "Tiltaket fortsetter", "endre": "Tiltaket endres", "avslutt": "Tiltaket avsluttes"},
    "nn": {"fortsett": "Tiltaket held fram", "endre": "Tiltaket blir endra", "avslutt": "Tiltaket blir avslutta"},
}

STATUS: dict[str, dict[str, str]] = {
    "nb": {"mottatt": "melding mottatt", "undersokes": "undersøkes", "tiltak": "tiltak er satt inn",
           "avsluttet": "avsluttet"},
    "nn": {"mottatt": "melding motteken", "undersokes": "blir undersøkt", "tiltak": "tiltak er sette inn",
           "avsluttet": "avslutta"},
}

INSTANS: dict[str, dict[str, str]] = {
    "nb": {"ppt": "PPT", "helsesykepleier": "helsesykepleier", "barnevern": "barnevernet", "politi": "politiet",
           "slt": "SLT", "skolemiljoteam": "skolemiljøteamet", "omradedirektor": "områdedirektør", "annen": "annen"},
    "nn": {"ppt": "PPT", "helsesykepleier": "helsesjukepleiar", "barnevern": "barnevernet", "politi": "politiet",
           "slt": "SLT", "skolemiljoteam": "skolemiljøteamet", "omradedirektor": "områdedirektør", "annen": "annan"},
}

MOTTATT_ROLLE: dict[str, dict[str, str]] = {
    "nb": {"rektor": "rektor", "ass-rektor": "assisterende rektor", "avdelingsleder": "avdelingsleder",
           "kontaktlaerer": "kontaktlærer", "laerer": "lærer", "tillitselev": "tillitselev",
           "miljoarbeider": "miljøarbeider", "radgiver": "rådgiver", "helsesykepleier": "helsesykepleier",
           "annen": "annen"},
    "nn": {"rektor": "rektor", "ass-rektor": "assisterande rektor", "avdelingsleder": "avdelingsleiar",
           "kontaktlaerer": "kontaktlærar", "laerer": "lærar", "tillitselev": "tillitselev",
           "miljoarbeider": "miljøarbeidar", "radgiver": "rådgivar", "helsesykepleier": "helsesjukepleiar",
           "annen": "annan"},
}

# Status names with their letters, for running text and documents (stored values stay ``undersokes``).
STATUS_SHOWN: dict[str, dict[str, str]] = {
    "nb": {"mottatt": "mottatt", "undersokes": "undersøkes", "tiltak": "tiltak", "avsluttet": "avsluttet"},
    "nn": {"mottatt": "motteken", "undersokes": "blir undersøkt", "tiltak": "tiltak", "avsluttet": "avslutta"},
}

KATEGORI: dict[str, dict[str, str]] = {
    "nb": {"digital-mobbing": "digital mobbing", "seksuell-trakassering": "seksuell trakassering",
           "krenkende-ord": "krenkende ord", "annet": "annet"},
    "nn": {"digital-mobbing": "digital mobbing", "seksuell-trakassering": "seksuell trakassering",
           "krenkende-ord": "krenkjande ord", "annet": "anna", "vold": "vald", "trusler": "truslar"},
}


def text(malform: str) -> dict[str, str]:
    """The fixed texts of one målform."""
    return TEXT[malform]


def for_procedure(texts: dict[str, str], sakstype: Any) -> dict[str, str]:
    """The texts of a document about a case of ``sakstype``.

    Procedure C (someone in the school's leadership violated the pupil): the report goes directly
    to skoleeier, who is responsible; skoleeier's case handler signs, never "Rektor" (also in a
    school's own templates, which may use ``underskrift_rektor``).
    """
    if sakstype != "ledelse-elev":
        return texts
    return {**texts, "varsling_intro": texts["varsling_intro_c"], "underskrift_ansvarlig": texts["underskrift_skoleeier"],
            "underskrift_rektor": texts["underskrift_skoleeier"]}


def label(table: dict[str, dict[str, str]], malform: str, value: Any) -> str | None:
    """The Norwegian text of a code (``elev-elev``); unknown codes are shown as written."""
    if value is None:
        return None
    if not isinstance(value, str):
        return str(value)
    known = table[malform].get(value)
    return Text(known) if known is not None else value


def kategori(malform: str, value: Any) -> str:
    """A category code as words (``digital-mobbing`` → ``digital mobbing``)."""
    if not isinstance(value, str):
        return str(value)
    known = KATEGORI[malform].get(value)
    if known is not None:
        return Text(known)
    return value.replace("-", " ")


@cache
def _locale(malform: str):  # -> babel.Locale
    from babel import Locale

    return Locale.parse(malform)


def format_date(value: date, malform: str) -> str:
    """``16. oktober 2026``."""
    from babel.dates import format_date as babel_format_date

    return Text(babel_format_date(value, format="d. MMMM y", locale=_locale(malform)))


def format_datetime(value: datetime, malform: str) -> str:
    """``16. oktober 2026 kl. 14.05`` (Norwegian time notation)."""
    return Text(f"{format_date(value.date(), malform)} {TEXT[malform]['kl']} {value:%H.%M}")


# Fixed texts are skm's own: mark them so Markdown output shows them as written.
TEXT = {malform: {key: Text(value) for key, value in texts.items()} for malform, texts in TEXT.items()}
