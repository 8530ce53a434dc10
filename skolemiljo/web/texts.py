"""Every fixed text of the web pages, in bokmål (nb) and nynorsk (nn).

The pages speak the case repository's målform (``skole.yaml``: ``malform``). Both languages
have exactly the same keys (a test checks it). Labels of codes (status, sakstype, activity
types, categories) and of the record's fields come from the documents' own tables in
``render.i18n``, so a page and a document use the same words. Refusals are the services'
own messages (``SkmError``), shown as they are.

Legal grounds come from the one table, ``skolemiljo.domain.legal`` (the 2023 law as
``shared/DOMAIN.md`` gives it).
"""

from __future__ import annotations

from skolemiljo.domain.legal import cite, cite_law

TEXT: dict[str, dict[str, str]] = {
    "nb": {
        # ------------------------------------------------ frame
        "hopp_til_innhold": "Hopp til innholdet",
        "nav_hoved": "Hovedmeny",
        "nav_oversikt": "Oversikt",
        "nav_ny": "Ny melding",
        "nav_arshjul": "Årshjul",
        "nav_kontroll": "Kontroll",
        "nav_saken": "Saken",
        "innlogget_som": "Du er logget inn som",
        "merking": f"Unntatt offentlighet, {cite('unntatt')}. Sakene gjelder barn: vis dem ikke til "
                   "andre enn dem som skal arbeide med dem.",
        "innstillingsfeil": "skole.yaml kan ikke leses, og sidene vises på bokmål:",
        "pakrevd": "må fylles ut",
        "velg": "Velg …",
        "tips": "Tips:",
        "ingen": "Ingen.",
        "ikke_fylt_ut": "ikke fylt ut",
        "ugyldig_id": "(ugyldig saksnummer)",
        "til_oversikten": "Til oversikten",
        "mangler_verdi": "Mangler «{felt}».",
        # ------------------------------------------------ refused at the gate
        "avvist_innlogging_tittel": "Du er ikke logget inn",
        "avvist_innlogging": "Åpne lenken som skm serve skrev ut da det ble startet. Lenken virker én gang; "
                             "er den brukt, stopp skm serve (Ctrl+C) og start det på nytt for å få en ny.",
        "avvist_lenke_tittel": "Lenken virker ikke",
        "avvist_lenke": "Innloggingslenken er allerede brukt eller feil. Stopp skm serve (Ctrl+C) og start "
                        "det på nytt, så skriver det ut en ny lenke.",
        "avvist_vert_tittel": "Feil adresse",
        "avvist_vert": "skm svarer bare på adressen det ble startet på. Bruk lenken skm serve skrev ut.",
        "avvist_proxy_tittel": "Ingen innlogget bruker",
        "avvist_proxy": "Denne skm-tjeneren tar bare imot innloggede brukere gjennom skolens eller "
                        "fylkets innloggingstjeneste. Gå inn via den vanlige adressen.",
        "avvist_csrf_tittel": "Skjemaet ble ikke godtatt",
        "avvist_csrf": "Skjemaet kom ikke fra en side skm viste deg i denne økten, og ingenting er lagret. "
                       "Gå tilbake, last siden på nytt og prøv igjen.",
        "avvist_intern_tittel": "Intern feil i skm",
        "avvist_intern": "Noe gikk galt i skm. Prøv igjen om litt.",
        # ------------------------------------------------ errors inside a session
        "ikke_funnet": "Fant ikke siden",
        "ikke_funnet_tekst": "Det finnes ingen side på denne adressen.",
        "ukjent_sak": "Fant ingen sak med dette saksnummeret.",
        "intern_feil": "Intern feil i skm",
        "intern_feil_tekst": "Noe gikk galt i skm, og det du sendte er ikke lagret. Prøv igjen; skjer det "
                             "igjen, si fra til den som drifter skm (feilen er skrevet til {logg}).",
        "det_du_skrev": "Det du skrev",
        "det_du_skrev_tekst": "Ingenting av dette er lagret. Kopier teksten før du går videre.",
        "ugyldige_uker": "Antall uker må være et tall fra 1 til 60.",
        "uten_versjon": "Skjemaet sier ikke hvilken versjon av saken det ble laget fra; ingenting er lagret. "
                        "Last siden på nytt og send skjemaet igjen.",
        # ------------------------------------------------ refusals beside a form
        "avvist_tittel": "Ikke lagret",
        "avvist_endret": "Saken er endret siden du åpnet den",
        "avvist_beholdt": "Det du skrev, står fortsatt i skjemaet. Rett det som mangler, og send på nytt.",
        "avvist_endret_beholdt": "Det du skrev, står fortsatt i skjemaet. Saken slik den er nå, vises på "
                                 "siden: se over, og send skjemaet på nytt hvis det fortsatt skal lagres.",
        "se_skjema": "Gå til skjemaet «{skjema}»",
        # ------------------------------------------------ Oversikt
        "oversikt_tittel": "Oversikt over sakene",
        "oversikt_ingress": "Åpne saker med forfalte frister først, saker avsluttet de siste 30 dagene og "
                            "tall for skoleåret, per {dato}. Frister regnes i arbeidsdager, slik skm check gjør.",
        "navn_skjult": "Elevenes navn er skjult.",
        "navn_vises": "Elevenes navn vises.",
        "vis_navn": "Vis elevnavn",
        "skjul_navn": "Skjul elevnavn",
        "apne_saker": "Åpne saker",
        "apne_oppsummering": "{antall} åpne saker, {forfalt} forfalte frister.",
        "ingen_apne": "Ingen åpne saker.",
        "avsluttet_30": "Avsluttet de siste 30 dagene",
        "ingen_avsluttet": "Ingen saker er avsluttet de siste 30 dagene.",
        "skolearet": "Skoleåret {fra} – {til}",
        "per_prosedyre": "Saker per prosedyre",
        "per_kategori": "Saker per kategori",
        "forfalt": "Forfalt:",
        "kol_sak": "Saksnr.",
        "kol_status": "Status",
        "kol_prosedyre": "Prosedyre",
        "kol_klasse": "Klasse",
        "kol_navn": "Elev",
        "kol_arbeidsdager": "Arbeidsdager åpen",
        "kol_forfalt": "Forfalte frister",
        "kol_neste": "Neste frist",
        "kol_avsluttet": "Avsluttet",
        "kol_oppfolging": "Oppfølging",
        "prosedyre_elev-elev": f"A – elev krenker elev ({cite('aktivitetsplikt')})",
        "prosedyre_ansatt-elev": f"B – ansatt krenker elev ({cite('skjerpa')})",
        "prosedyre_ledelse-elev": f"C – en i ledelsen krenker elev ({cite('skjerpa')})",
        "prosedyre_annet": f"Annet ({cite('aktivitetsplikt')})",
        # ------------------------------------------------ Ny melding
        "ny_tittel": "Ny melding",
        "ny_ingress": "Alle som arbeider på skolen, skal melde fra til rektor når de får mistanke om eller "
                      "kjennskap til at en elev ikke har et trygt og godt skolemiljø – også når eleven sier det "
                      f"selv ({cite_law('melde')}). Er det en ansatt eller en i ledelsen som "
                      f"krenker, skal det meldes straks ({cite('skjerpa')}). Fyll ut skjemaet; det blir en ny sak.",
        "knapp_registrer": "Registrer meldingen",
        "felt_elev": "Elevens navn",
        "hjelp_elev": "Eleven meldingen gjelder. Navnet vises bare for dem som åpner saken.",
        "felt_klasse": "Klasse eller gruppe",
        "hjelp_klasse": "For eksempel 9B eller 2STB.",
        "felt_under_18": "Er eleven under 18 år?",
        "hjelp_under_18": "Er eleven under 18, tar foresatte del i samtalene.",
        "under_18_ja": "Ja, under 18 år",
        "under_18_nei": "Nei, 18 år eller eldre",
        "felt_sakstype": "Hvem krenker eleven?",
        "hjelp_sakstype": "Avgjør prosedyren: hvem som skal varsles, og hvor fort.",
        "hint_sakstype_elev-elev": f"Prosedyre A ({cite('aktivitetsplikt')}): meld til rektor samme dag.",
        "hint_sakstype_ansatt-elev": f"Prosedyre B ({cite('skjerpa')}): meld straks til rektor; rektor varsler skoleeier.",
        "hint_sakstype_ledelse-elev": f"Prosedyre C ({cite('skjerpa')}): meld direkte til skoleeier, ikke til rektor.",
        "hint_sakstype_annet": f"Andre forhold ved skolemiljøet ({cite('aktivitetsplikt')}).",
        "felt_alvorlig": "Alvorlig tilfelle",
        "hjelp_alvorlig": f"I alvorlige tilfeller skal rektor varsle skoleeier ({cite('melde')}).",
        "felt_meldt_av": "Hvem meldte fra?",
        "hjelp_meldt_av": "Eleven selv, foresatte, en ansatt, en anonym melding eller en annen.",
        "felt_mottatt_av": "Hvem tok imot meldingen?",
        "hjelp_mottatt_av": "Navn og rolle, for eksempel «Per Haugen (kontaktlærer)».",
        "felt_mottatt": "Datoen meldingen kom",
        "hjelp_mottatt": "ÅÅÅÅ-MM-DD. Fristene regnes fra denne dagen.",
        "felt_beskrivelse": "Hva ble meldt?",
        "hjelp_beskrivelse": f"Det som ble fortalt eller sett, så konkret som mulig ({cite('dokumentasjon')}: "
                             "dokumentere).",
        "felt_kategorier": "Hva gjelder meldingen?",
        "hjelp_kategorier": "Kryss av for alt som passer. Brukes i tallene for skoleåret.",
        "ny_lagret": "Meldingen er registrert som sak {id}.",
        "ny_prosedyre": "Prosedyre:",
        "ny_varsle_na": "Dette må gjøres nå:",
        "ny_til_varsling": "Registrer varslingen",
        "ny_ingen_varsling": "Ingen varsling mangler.",
        # ------------------------------------------------ Sak
        "sak_tittel": "Sak {id}",
        "fane_sak": "Saken",
        "fane_historikk": "Historikk",
        "fane_dokumenter": "Dokumenter",
        "hvor_saken_star": "Hvor saken står",
        "neste_steg": "Neste steg",
        "handlinger": "Registrer i saken",
        "handlinger_ingress": "Hver registrering blir lagret som én endring i sakens historikk, med deg som "
                              "den som gjorde den. Åpne den du skal bruke.",
        "hele_saken": "Hele saken",
        "aktivitetsplan": f"Aktivitetsplan ({cite('plan')})",
        "tiltak_tittel": "Tiltak {id}",
        "evalueringer_av": "Evalueringer av tiltak {id}",
        "runder": "Saken runde for runde",
        "runde_tittel": "Runde {nr}: {hva} {dato}",
        "runde_melding": "melding mottatt",
        "runde_gjenapnet": "gjenåpnet",
        "runde_grunn": "Hvorfor saken ble gjenåpnet:",
        "runde_avsluttet": "Avsluttet",
        "runde_apen": "Runden er ikke avsluttet.",
        "logg_runde": "Logg for runde {nr}",
        "felt_dato": "Dato",
        "hjelp_dato": "ÅÅÅÅ-MM-DD: når det skjedde (ikke fram i tid).",
        "mottaker_rektor": "Rektor",
        "mottaker_skoleeier": "Skoleeier",
        # advance
        "skjema_advance": "Flytt saken videre",
        "intro_advance": "Saken går videre når alt loven krever for neste steg er registrert; ellers får du "
                         "vite hva som mangler. Avslutning har eget skjema.",
        "knapp_advance": "Flytt saken til «{til}»",
        "ok_advance": "Saken er flyttet fra «{fra}» til «{til}».",
        # notify
        "skjema_notify": "Varsling av rektor eller skoleeier",
        "intro_notify": f"Rektor skal varsles straks ({cite('melde')}). Skoleeier skal varsles i alvorlige "
                        f"tilfeller og alltid når en ansatt eller en i ledelsen krenker en elev ({cite('skjerpa')}).",
        "felt_mottaker": "Hvem ble varslet?",
        "felt_varslet_av": "Hvem varslet?",
        "hjelp_varslet_av": "Står feltet tomt, føres du selv.",
        "felt_merknad": "Hvordan (merknad)",
        "hjelp_merknad": "For eksempel telefon, e-post eller møte.",
        "knapp_notify": "Registrer varslingen",
        "ok_notify": "Varslingen av {hvem} er registrert.",
        # investigate
        "skjema_investigate": "Undersøkelse: samtale, observasjon eller kartlegging",
        "intro_investigate": f"Skolen skal snarest undersøke saken ({cite('melde')}). Den første aktiviteten "
                             "markerer at undersøkelsen har startet.",
        "felt_type": "Hva slags aktivitet?",
        "felt_med": "Med hvem?",
        "hjelp_med": "For eksempel «eleven og foresatte».",
        "felt_oppsummering": "Hva kom fram?",
        "hjelp_oppsummering": "En oppsummering som kan leses av statsforvalteren.",
        "knapp_lagre": "Lagre",
        "ok_investigate": "Undersøkelsesaktiviteten er registrert.",
        # conclude
        "skjema_conclude": "Konklusjon på undersøkelsen",
        "intro_conclude": "Elevens egen opplevelse er avgjørende for om skolemiljøet er trygt og godt "
                          f"({cite('aktivitetsplikt')}). Konklusjonen sier hva skolen gjør videre.",
        "felt_elevens_opplevelse": "Elevens egen opplevelse",
        "hjelp_elevens_opplevelse": "Med elevens egne ord så langt det går.",
        "felt_konklusjon": "Konklusjon",
        "hjelp_konklusjon": "Har eleven et trygt og godt skolemiljø? Hva skjer videre?",
        "ok_conclude": "Konklusjonen på undersøkelsen er registrert.",
        # hear
        "skjema_hear": "Elevens stemme: eleven er hørt",
        "intro_hear": f"Eleven har rett til å bli hørt i alt som gjelder eleven ({cite('medvirkning')}): før planen lages og "
                      "når tiltakene evalueres.",
        "felt_synspunkter": "Elevens synspunkter",
        "hjelp_synspunkter": "Gjerne med elevens egne ord.",
        "ok_hear": "Elevens stemme er registrert.",
        # best interests
        "skjema_best_interests": "Vurdering av elevens beste",
        "intro_best_interests": f"Elevens beste skal vurderes og dokumenteres ({cite('elevens_beste')}); mangler vurderingen, er "
                                "det en saksbehandlingsfeil. En ny vurdering erstatter den forrige i saken "
                                "(historikken har alle).",
        "felt_vurdering": "Vurderingen",
        "hjelp_vurdering": "Hva er best for eleven, og hvorfor?",
        "ok_best_interests": "Vurderingen av elevens beste er registrert.",
        # plan
        "skjema_plan": "Aktivitetsplanen: hvilket problem tiltakene skal løse",
        "intro_plan": f"Når skolen setter inn tiltak, skal den lage en skriftlig plan ({cite('plan')}). "
                      "Bokstav a er problemet tiltakene skal løse; tiltakene (bokstav b–e) legges til under.",
        "felt_problem": "Hvilket problem skal tiltakene løse? (bokstav a)",
        "hjelp_problem": "Beskriv problemet slik eleven og skolen ser det.",
        "hjelp_plan_dato": "ÅÅÅÅ-MM-DD: datoen planen er laget eller endret.",
        "ok_plan": "Aktivitetsplanen er oppdatert.",
        # tiltak add
        "skjema_tiltak_add": "Nytt tiltak i aktivitetsplanen",
        "intro_tiltak_add": "Et tiltak har alle lovens elementer: hva skolen skal gjøre (b), når (c), hvem (d) "
                            f"og når det evalueres (e) ({cite('plan')}).",
        "felt_tiltak_beskrivelse": "Hva skal skolen gjøre? (bokstav b)",
        "hjelp_tiltak_beskrivelse": "Konkret nok til at alle vet hva som skal skje.",
        "felt_fra": "Fra (bokstav c)",
        "hjelp_fra": "ÅÅÅÅ-MM-DD: når tiltaket starter.",
        "felt_til_dato": "Til (bokstav c)",
        "hjelp_til_dato": "ÅÅÅÅ-MM-DD: når tiltaket slutter.",
        "felt_ansvarlig": "Hvem gjennomfører tiltaket? (bokstav d)",
        "hjelp_ansvarlig": "Navn eller rolle.",
        "felt_evalueres": "Når evalueres tiltaket? (bokstav e)",
        "hjelp_evalueres": "ÅÅÅÅ-MM-DD. Vanlig rytme: etter 1, 2 og så 4 uker.",
        "knapp_tiltak_add": "Legg til tiltaket",
        "ok_tiltak_add": "Tiltak {tiltak} er lagt til i aktivitetsplanen.",
        # evaluate
        "skjema_evaluate": "Evaluer tiltak {tiltak}",
        "intro_evaluate": "Evalueringen sier hva tiltaket førte til og hvordan eleven opplever det nå "
                          f"({cite('plan_e')}, {cite('medvirkning')}).",
        "felt_resultat": "Hva viste evalueringen?",
        "hjelp_resultat": "Hva tiltaket har ført til.",
        "felt_elevens_opplevelse_na": "Elevens egen opplevelse nå",
        "hjelp_elevens_opplevelse_na": "Eleven skal høres ved hver evaluering.",
        "felt_videre": "Hva skjer videre med tiltaket?",
        "felt_neste_evaluering": "Neste evaluering",
        "hjelp_neste_evaluering": "ÅÅÅÅ-MM-DD. Må fylles ut når tiltaket fortsetter eller endres.",
        "ok_evaluate": "Evalueringen av tiltak {tiltak} er registrert ({videre}).",
        # tiltak change / end
        "skjema_tiltak_change": "Endre tiltak {tiltak}",
        "intro_tiltak_change": "Endre det som skal endres; resten står som før. Planen må fortsatt være "
                               "komplett mens saken har tiltak. Historikken tar vare på hver versjon.",
        "knapp_tiltak_change": "Lagre endringene i tiltak {tiltak}",
        "ok_tiltak_change": "Tiltak {tiltak} er endret.",
        "skjema_tiltak_end": "Avslutt tiltak {tiltak}",
        "intro_tiltak_end": "Tiltaket blir stående i planen med sluttdato; ingenting slettes.",
        "knapp_tiltak_end": "Avslutt tiltak {tiltak}",
        "ok_tiltak_end": "Tiltak {tiltak} er avsluttet.",
        # close
        "skjema_close": "Avslutt saken",
        "intro_close": "Saken avsluttes bare når eleven selv opplever skolemiljøet som trygt og godt. Har "
                       "saken tiltak, må hvert tiltak være evaluert med elevens opplevelse, og elevens "
                       "opplevelse og en dato for oppfølging må være med.",
        "felt_begrunnelse": "Hvorfor avsluttes saken?",
        "hjelp_begrunnelse": "Begrunnelsen står i saksdokumentasjonen.",
        "felt_elevens_opplevelse_slutt": "Elevens egen opplevelse ved avslutning",
        "hjelp_elevens_opplevelse_slutt": "Kreves når saken har hatt tiltak.",
        "felt_oppfolging": "Avtalt dato for oppfølging",
        "hjelp_oppfolging": "ÅÅÅÅ-MM-DD. Kreves når saken har hatt tiltak.",
        "knapp_close": "Avslutt saken",
        "ok_close": "Saken er avsluttet.",
        # reopen
        "skjema_reopen": "Gjenåpne saken",
        "intro_reopen": "Melder eleven igjen, gjenåpnes saken: en ny runde starter i status mottatt, med "
                        "egen varsling, undersøkelse, elevens stemme og vurdering av elevens beste før en ny "
                        "plan. Fristene regnes fra gjenåpningen. Runden som ble avsluttet, blir stående i saken.",
        "felt_grunn": "Hvorfor gjenåpnes saken?",
        "hjelp_grunn": "For eksempel at eleven har meldt fra igjen.",
        "knapp_reopen": "Gjenåpne saken",
        "ok_reopen": "Saken er gjenåpnet: en ny runde starter i status mottatt.",
        # follow-up
        "skjema_follow_up": "Registrer oppfølging",
        "intro_follow_up": "Ved avslutningen ble det avtalt å følge opp at eleven fortsatt har det trygt og godt "
                           f"({cite('oppfolging')}). Registrer hva som kom fram. Saken står på oversikten til "
                           "oppfølgingen er registrert.",
        "felt_notat_oppfolging": "Hva kom fram: har eleven det fortsatt trygt og godt?",
        "hjelp_notat_oppfolging": "For eksempel «Samtale med eleven: har det fortsatt bra i friminuttene.»",
        "hjelp_dato_oppfolging": "ÅÅÅÅ-MM-DD: når oppfølgingen ble gjort (ikke før saken ble avsluttet, ikke "
                                 "fram i tid).",
        "knapp_follow_up": "Registrer oppfølgingen",
        "ok_follow_up": "Oppfølgingen etter avslutningen er registrert.",
        # log
        "skjema_log": "Loggføring",
        "intro_log": f"Hva som ble gjort, når og av hvem ({cite('dokumentasjon')}: dokumentere).",
        "felt_hendelse": "Hva ble gjort?",
        "hjelp_hendelse": "For eksempel «Samtale med foresatte».",
        "knapp_log": "Før i loggen",
        "ok_log": "Loggføringen er lagret.",
        # ------------------------------------------------ Historikk
        "historikk_tittel": "Historikk",
        "historikk_ingress": "Hver endring i saken er lagret med tidspunkt og hvem som gjorde den. Dette er "
                             f"dokumentasjonen loven krever ({cite('dokumentasjon')}).",
        "kol_tidspunkt": "Tidspunkt",
        "kol_hvem": "Hvem",
        "kol_hva": "Hva",
        "kol_versjon": "Versjon",
        "utenom_skm": "endret utenom skm",
        "ingen_historikk": "Saken har ingen historikk ennå.",
        # ------------------------------------------------ Dokumenter
        "dokumenter_tittel": "Dokumenter",
        "dokumenter_ingress": "Dokumentene lages fra saken slik den er lagret nå, med hele historikken. PDF "
                              "er PDF/A for arkivet; HTML åpnes i nettleseren og kan skrives ut. Dokumentene "
                              "er unntatt offentlighet: lagre dem bare der saken kan ligge.",
        "felt_dokument": "Dokument",
        "dokument_meldingsskjema": "Meldingsskjema",
        "dokument_meldingsskjema_hint": "Meldingen slik den ble registrert.",
        "dokument_aktivitetsplan": "Aktivitetsplan",
        "dokument_aktivitetsplan_hint": f"Den skriftlige planen etter {cite('plan')}.",
        "dokument_saksdokumentasjon": "Saksdokumentasjon",
        "dokument_saksdokumentasjon_hint": "Hele saken i rekkefølge, slik statsforvalteren ber om den.",
        "felt_format": "Format",
        "format_pdf": "PDF/A (for arkivet)",
        "format_html": "HTML (vis i nettleseren)",
        "felt_malform": "Målform",
        "malform_nb": "Bokmål",
        "malform_nn": "Nynorsk",
        "knapp_dokument": "Lag dokumentet",
        # ------------------------------------------------ Årshjul
        "arshjul_tittel": "Årshjul og frister",
        "arshjul_ingress": "Årshjulets rutiner og sakenes frister uke for uke fra {dato}. Fristene nevner bare "
                           "saksnummer.",
        "felt_uker": "Antall uker",
        "knapp_vis": "Vis",
        "last_ned_ics": "Last ned kalenderfil (.ics)",
        "ics_forklaring": "Hele skoleåret, for Outlook eller Google Kalender.",
        "forfalte_frister": "Forfalte frister",
        "uke_tittel": "Uke {nr} ({fra} – {til})",
        "ingenting_denne_uka": "Ingenting denne uka.",
        "hver": "hver {dag}",
        "frist": "Frist",
        "hele_aret": "Hele året",
        # ------------------------------------------------ Kontroll
        "kontroll_tittel": "Kontroll",
        "kontroll_ingress": "Det skm check finner i alle sakene: ufullstendige planer, frister som er "
                            "oversittet, feil i filene. Hvert funn lenker til saken.",
        "kol_alvor": "Alvor",
        "kol_kontroll": "Kontroll",
        "kol_melding": "Funn",
        "kol_fil": "Fil og linje",
        "alvor_feil": "Feil",
        "alvor_advarsel": "Advarsel",
        "ingen_funn": "Ingen funn.",
    },
    "nn": {
        # ------------------------------------------------ frame
        "hopp_til_innhold": "Hopp til innhaldet",
        "nav_hoved": "Hovudmeny",
        "nav_oversikt": "Oversikt",
        "nav_ny": "Ny melding",
        "nav_arshjul": "Årshjul",
        "nav_kontroll": "Kontroll",
        "nav_saken": "Saka",
        "innlogget_som": "Du er logga inn som",
        "merking": f"Unnateke frå offentlegheit, {cite('unntatt')}. Sakene gjeld barn: vis dei ikkje "
                   "til andre enn dei som skal arbeide med dei.",
        "innstillingsfeil": "skole.yaml kan ikkje lesast, og sidene blir viste på bokmål:",
        "pakrevd": "må fyllast ut",
        "velg": "Vel …",
        "tips": "Tips:",
        "ingen": "Ingen.",
        "ikke_fylt_ut": "ikkje fylt ut",
        "ugyldig_id": "(ugyldig saksnummer)",
        "til_oversikten": "Til oversikta",
        "mangler_verdi": "Manglar «{felt}».",
        # ------------------------------------------------ refused at the gate
        "avvist_innlogging_tittel": "Du er ikkje logga inn",
        "avvist_innlogging": "Opne lenkja som skm serve skreiv ut då det vart starta. Lenkja verkar éin gong; "
                             "er ho brukt, stopp skm serve (Ctrl+C) og start det på nytt for å få ei ny.",
        "avvist_lenke_tittel": "Lenkja verkar ikkje",
        "avvist_lenke": "Innloggingslenkja er alt brukt eller feil. Stopp skm serve (Ctrl+C) og start det på "
                        "nytt, så skriv det ut ei ny lenkje.",
        "avvist_vert_tittel": "Feil adresse",
        "avvist_vert": "skm svarar berre på adressa det vart starta på. Bruk lenkja skm serve skreiv ut.",
        "avvist_proxy_tittel": "Ingen innlogga brukar",
        "avvist_proxy": "Denne skm-tenaren tek berre imot innlogga brukarar gjennom innloggingstenesta til "
                        "skolen eller fylket. Gå inn via den vanlege adressa.",
        "avvist_csrf_tittel": "Skjemaet vart ikkje godteke",
        "avvist_csrf": "Skjemaet kom ikkje frå ei side skm viste deg i denne økta, og ingenting er lagra. "
                       "Gå tilbake, last sida på nytt og prøv igjen.",
        "avvist_intern_tittel": "Intern feil i skm",
        "avvist_intern": "Noko gjekk gale i skm. Prøv igjen om litt.",
        # ------------------------------------------------ errors inside a session
        "ikke_funnet": "Fann ikkje sida",
        "ikke_funnet_tekst": "Det finst inga side på denne adressa.",
        "ukjent_sak": "Fann inga sak med dette saksnummeret.",
        "intern_feil": "Intern feil i skm",
        "intern_feil_tekst": "Noko gjekk gale i skm, og det du sende, er ikkje lagra. Prøv igjen; skjer det "
                             "igjen, sei frå til den som driftar skm (feilen er skriven til {logg}).",
        "det_du_skrev": "Det du skreiv",
        "det_du_skrev_tekst": "Ingenting av dette er lagra. Kopier teksten før du går vidare.",
        "ugyldige_uker": "Talet på veker må vere eit tal frå 1 til 60.",
        "uten_versjon": "Skjemaet seier ikkje kva versjon av saka det vart laga frå; ingenting er lagra. "
                        "Last sida på nytt og send skjemaet igjen.",
        # ------------------------------------------------ refusals beside a form
        "avvist_tittel": "Ikkje lagra",
        "avvist_endret": "Saka er endra sidan du opna henne",
        "avvist_beholdt": "Det du skreiv, står framleis i skjemaet. Rett det som manglar, og send på nytt.",
        "avvist_endret_beholdt": "Det du skreiv, står framleis i skjemaet. Saka slik ho er no, er vist på "
                                 "sida: sjå over, og send skjemaet på nytt om det framleis skal lagrast.",
        "se_skjema": "Gå til skjemaet «{skjema}»",
        # ------------------------------------------------ Oversikt
        "oversikt_tittel": "Oversikt over sakene",
        "oversikt_ingress": "Opne saker med fristar som har gått ut først, saker avslutta dei siste 30 dagane "
                            "og tal for skoleåret, per {dato}. Fristar blir rekna i arbeidsdagar, slik skm "
                            "check gjer.",
        "navn_skjult": "Namna til elevane er skjulte.",
        "navn_vises": "Namna til elevane blir viste.",
        "vis_navn": "Vis elevnamn",
        "skjul_navn": "Skjul elevnamn",
        "apne_saker": "Opne saker",
        "apne_oppsummering": "{antall} opne saker, {forfalt} fristar som har gått ut.",
        "ingen_apne": "Ingen opne saker.",
        "avsluttet_30": "Avslutta dei siste 30 dagane",
        "ingen_avsluttet": "Ingen saker er avslutta dei siste 30 dagane.",
        "skolearet": "Skoleåret {fra} – {til}",
        "per_prosedyre": "Saker per prosedyre",
        "per_kategori": "Saker per kategori",
        "forfalt": "Gått ut:",
        "kol_sak": "Saksnr.",
        "kol_status": "Status",
        "kol_prosedyre": "Prosedyre",
        "kol_klasse": "Klasse",
        "kol_navn": "Elev",
        "kol_arbeidsdager": "Arbeidsdagar open",
        "kol_forfalt": "Fristar som har gått ut",
        "kol_neste": "Neste frist",
        "kol_avsluttet": "Avslutta",
        "kol_oppfolging": "Oppfølging",
        "prosedyre_elev-elev": f"A – elev krenkjer elev ({cite('aktivitetsplikt')})",
        "prosedyre_ansatt-elev": f"B – tilsett krenkjer elev ({cite('skjerpa')})",
        "prosedyre_ledelse-elev": f"C – ein i leiinga krenkjer elev ({cite('skjerpa')})",
        "prosedyre_annet": f"Anna ({cite('aktivitetsplikt')})",
        # ------------------------------------------------ Ny melding
        "ny_tittel": "Ny melding",
        "ny_ingress": "Alle som arbeider på skolen, skal melde frå til rektor når dei får mistanke om eller "
                      "kjennskap til at ein elev ikkje har eit trygt og godt skolemiljø – også når eleven seier "
                      f"det sjølv ({cite_law('melde', 'nn')}). Er det ein tilsett eller ein i leiinga som "
                      f"krenkjer, skal det meldast straks ({cite('skjerpa')}). Fyll ut skjemaet; det blir ei ny sak.",
        "knapp_registrer": "Registrer meldinga",
        "felt_elev": "Namnet til eleven",
        "hjelp_elev": "Eleven meldinga gjeld. Namnet blir berre vist for dei som opnar saka.",
        "felt_klasse": "Klasse eller gruppe",
        "hjelp_klasse": "Til dømes 9B eller 2STB.",
        "felt_under_18": "Er eleven under 18 år?",
        "hjelp_under_18": "Er eleven under 18, tek føresette del i samtalane.",
        "under_18_ja": "Ja, under 18 år",
        "under_18_nei": "Nei, 18 år eller eldre",
        "felt_sakstype": "Kven krenkjer eleven?",
        "hjelp_sakstype": "Avgjer prosedyren: kven som skal varslast, og kor fort.",
        "hint_sakstype_elev-elev": f"Prosedyre A ({cite('aktivitetsplikt')}): meld til rektor same dag.",
        "hint_sakstype_ansatt-elev": f"Prosedyre B ({cite('skjerpa')}): meld straks til rektor; rektor varslar skoleeigar.",
        "hint_sakstype_ledelse-elev": f"Prosedyre C ({cite('skjerpa')}): meld direkte til skoleeigar, ikkje til rektor.",
        "hint_sakstype_annet": f"Andre forhold ved skolemiljøet ({cite('aktivitetsplikt')}).",
        "felt_alvorlig": "Alvorleg tilfelle",
        "hjelp_alvorlig": f"I alvorlege tilfelle skal rektor varsle skoleeigar ({cite('melde')}).",
        "felt_meldt_av": "Kven melde frå?",
        "hjelp_meldt_av": "Eleven sjølv, føresette, ein tilsett, ei anonym melding eller ein annan.",
        "felt_mottatt_av": "Kven tok imot meldinga?",
        "hjelp_mottatt_av": "Namn og rolle, til dømes «Per Haugen (kontaktlærar)».",
        "felt_mottatt": "Datoen meldinga kom",
        "hjelp_mottatt": "ÅÅÅÅ-MM-DD. Fristane blir rekna frå denne dagen.",
        "felt_beskrivelse": "Kva vart meldt?",
        "hjelp_beskrivelse": f"Det som vart fortalt eller sett, så konkret som mogleg ({cite('dokumentasjon')}: "
                             "dokumentere).",
        "felt_kategorier": "Kva gjeld meldinga?",
        "hjelp_kategorier": "Kryss av for alt som passar. Blir brukt i tala for skoleåret.",
        "ny_lagret": "Meldinga er registrert som sak {id}.",
        "ny_prosedyre": "Prosedyre:",
        "ny_varsle_na": "Dette må gjerast no:",
        "ny_til_varsling": "Registrer varslinga",
        "ny_ingen_varsling": "Inga varsling manglar.",
        # ------------------------------------------------ Sak
        "sak_tittel": "Sak {id}",
        "fane_sak": "Saka",
        "fane_historikk": "Historikk",
        "fane_dokumenter": "Dokument",
        "hvor_saken_star": "Kvar saka står",
        "neste_steg": "Neste steg",
        "handlinger": "Registrer i saka",
        "handlinger_ingress": "Kvar registrering blir lagra som éi endring i historikken til saka, med deg som "
                              "den som gjorde ho. Opne den du skal bruke.",
        "hele_saken": "Heile saka",
        "aktivitetsplan": f"Aktivitetsplan ({cite('plan')})",
        "tiltak_tittel": "Tiltak {id}",
        "evalueringer_av": "Evalueringar av tiltak {id}",
        "runder": "Saka runde for runde",
        "runde_tittel": "Runde {nr}: {hva} {dato}",
        "runde_melding": "melding motteken",
        "runde_gjenapnet": "gjenopna",
        "runde_grunn": "Kvifor saka vart gjenopna:",
        "runde_avsluttet": "Avslutta",
        "runde_apen": "Runden er ikkje avslutta.",
        "logg_runde": "Logg for runde {nr}",
        "felt_dato": "Dato",
        "hjelp_dato": "ÅÅÅÅ-MM-DD: når det skjedde (ikkje fram i tid).",
        "mottaker_rektor": "Rektor",
        "mottaker_skoleeier": "Skoleeigar",
        # advance
        "skjema_advance": "Flytt saka vidare",
        "intro_advance": "Saka går vidare når alt lova krev for neste steg, er registrert; elles får du vite "
                         "kva som manglar. Avslutning har eige skjema.",
        "knapp_advance": "Flytt saka til «{til}»",
        "ok_advance": "Saka er flytta frå «{fra}» til «{til}».",
        # notify
        "skjema_notify": "Varsling av rektor eller skoleeigar",
        "intro_notify": f"Rektor skal varslast straks ({cite('melde')}). Skoleeigar skal varslast i "
                        "alvorlege tilfelle og alltid når ein tilsett eller ein i leiinga krenkjer ein elev "
                        f"({cite('skjerpa')}).",
        "felt_mottaker": "Kven vart varsla?",
        "felt_varslet_av": "Kven varsla?",
        "hjelp_varslet_av": "Står feltet tomt, blir du sjølv ført.",
        "felt_merknad": "Korleis (merknad)",
        "hjelp_merknad": "Til dømes telefon, e-post eller møte.",
        "knapp_notify": "Registrer varslinga",
        "ok_notify": "Varslinga av {hvem} er registrert.",
        # investigate
        "skjema_investigate": "Undersøking: samtale, observasjon eller kartlegging",
        "intro_investigate": f"Skolen skal snarast undersøkje saka ({cite('melde')}). Den første aktiviteten "
                             "markerer at undersøkinga har starta.",
        "felt_type": "Kva slags aktivitet?",
        "felt_med": "Med kven?",
        "hjelp_med": "Til dømes «eleven og føresette».",
        "felt_oppsummering": "Kva kom fram?",
        "hjelp_oppsummering": "Ei oppsummering som kan lesast av statsforvaltaren.",
        "knapp_lagre": "Lagre",
        "ok_investigate": "Undersøkingsaktiviteten er registrert.",
        # conclude
        "skjema_conclude": "Konklusjon på undersøkinga",
        "intro_conclude": "Opplevinga til eleven sjølv er avgjerande for om skolemiljøet er trygt og godt "
                          f"({cite('aktivitetsplikt')}). Konklusjonen seier kva skolen gjer vidare.",
        "felt_elevens_opplevelse": "Opplevinga til eleven sjølv",
        "hjelp_elevens_opplevelse": "Med orda til eleven så langt det går.",
        "felt_konklusjon": "Konklusjon",
        "hjelp_konklusjon": "Har eleven eit trygt og godt skolemiljø? Kva skjer vidare?",
        "ok_conclude": "Konklusjonen på undersøkinga er registrert.",
        # hear
        "skjema_hear": "Stemma til eleven: eleven er høyrd",
        "intro_hear": f"Eleven har rett til å bli høyrd i alt som gjeld eleven ({cite('medvirkning')}): før planen blir laga og "
                      "når tiltaka blir evaluerte.",
        "felt_synspunkter": "Synspunkta til eleven",
        "hjelp_synspunkter": "Gjerne med orda til eleven.",
        "ok_hear": "Stemma til eleven er registrert.",
        # best interests
        "skjema_best_interests": "Vurdering av kva som er best for eleven",
        "intro_best_interests": f"Kva som er best for eleven, skal vurderast og dokumenterast ({cite('elevens_beste')}); manglar "
                                "vurderinga, er det ein sakshandsamingsfeil. Ei ny vurdering erstattar den "
                                "førre i saka (historikken har alle).",
        "felt_vurdering": "Vurderinga",
        "hjelp_vurdering": "Kva er best for eleven, og kvifor?",
        "ok_best_interests": "Vurderinga av kva som er best for eleven, er registrert.",
        # plan
        "skjema_plan": "Aktivitetsplanen: kva problem tiltaka skal løyse",
        "intro_plan": f"Når skolen set inn tiltak, skal han lage ein skriftleg plan ({cite('plan')}). "
                      "Bokstav a er problemet tiltaka skal løyse; tiltaka (bokstav b–e) blir lagde til under.",
        "felt_problem": "Kva problem skal tiltaka løyse? (bokstav a)",
        "hjelp_problem": "Beskriv problemet slik eleven og skolen ser det.",
        "hjelp_plan_dato": "ÅÅÅÅ-MM-DD: datoen planen er laga eller endra.",
        "ok_plan": "Aktivitetsplanen er oppdatert.",
        # tiltak add
        "skjema_tiltak_add": "Nytt tiltak i aktivitetsplanen",
        "intro_tiltak_add": "Eit tiltak har alle elementa i lova: kva skolen skal gjere (b), når (c), kven (d) "
                            f"og når det skal evaluerast (e) ({cite('plan')}).",
        "felt_tiltak_beskrivelse": "Kva skal skolen gjere? (bokstav b)",
        "hjelp_tiltak_beskrivelse": "Konkret nok til at alle veit kva som skal skje.",
        "felt_fra": "Frå (bokstav c)",
        "hjelp_fra": "ÅÅÅÅ-MM-DD: når tiltaket startar.",
        "felt_til_dato": "Til (bokstav c)",
        "hjelp_til_dato": "ÅÅÅÅ-MM-DD: når tiltaket sluttar.",
        "felt_ansvarlig": "Kven gjennomfører tiltaket? (bokstav d)",
        "hjelp_ansvarlig": "Namn eller rolle.",
        "felt_evalueres": "Når skal tiltaket evaluerast? (bokstav e)",
        "hjelp_evalueres": "ÅÅÅÅ-MM-DD. Vanleg rytme: etter 1, 2 og så 4 veker.",
        "knapp_tiltak_add": "Legg til tiltaket",
        "ok_tiltak_add": "Tiltak {tiltak} er lagt til i aktivitetsplanen.",
        # evaluate
        "skjema_evaluate": "Evaluer tiltak {tiltak}",
        "intro_evaluate": "Evalueringa seier kva tiltaket førte til, og korleis eleven opplever det no "
                          f"({cite('plan_e')}, {cite('medvirkning')}).",
        "felt_resultat": "Kva viste evalueringa?",
        "hjelp_resultat": "Kva tiltaket har ført til.",
        "felt_elevens_opplevelse_na": "Opplevinga til eleven sjølv no",
        "hjelp_elevens_opplevelse_na": "Eleven skal høyrast ved kvar evaluering.",
        "felt_videre": "Kva skjer vidare med tiltaket?",
        "felt_neste_evaluering": "Neste evaluering",
        "hjelp_neste_evaluering": "ÅÅÅÅ-MM-DD. Må fyllast ut når tiltaket held fram eller blir endra.",
        "ok_evaluate": "Evalueringa av tiltak {tiltak} er registrert ({videre}).",
        # tiltak change / end
        "skjema_tiltak_change": "Endre tiltak {tiltak}",
        "intro_tiltak_change": "Endre det som skal endrast; resten står som før. Planen må framleis vere "
                               "komplett medan saka har tiltak. Historikken tek vare på kvar versjon.",
        "knapp_tiltak_change": "Lagre endringane i tiltak {tiltak}",
        "ok_tiltak_change": "Tiltak {tiltak} er endra.",
        "skjema_tiltak_end": "Avslutt tiltak {tiltak}",
        "intro_tiltak_end": "Tiltaket blir ståande i planen med sluttdato; ingenting blir sletta.",
        "knapp_tiltak_end": "Avslutt tiltak {tiltak}",
        "ok_tiltak_end": "Tiltak {tiltak} er avslutta.",
        # close
        "skjema_close": "Avslutt saka",
        "intro_close": "Saka blir berre avslutta når eleven sjølv opplever skolemiljøet som trygt og godt. Har "
                       "saka tiltak, må kvart tiltak vere evaluert med opplevinga til eleven, og opplevinga "
                       "til eleven og ein dato for oppfølging må vere med.",
        "felt_begrunnelse": "Kvifor blir saka avslutta?",
        "hjelp_begrunnelse": "Grunngivinga står i saksdokumentasjonen.",
        "felt_elevens_opplevelse_slutt": "Opplevinga til eleven sjølv ved avslutning",
        "hjelp_elevens_opplevelse_slutt": "Krevst når saka har hatt tiltak.",
        "felt_oppfolging": "Avtalt dato for oppfølging",
        "hjelp_oppfolging": "ÅÅÅÅ-MM-DD. Krevst når saka har hatt tiltak.",
        "knapp_close": "Avslutt saka",
        "ok_close": "Saka er avslutta.",
        # reopen
        "skjema_reopen": "Gjenopne saka",
        "intro_reopen": "Melder eleven igjen, blir saka gjenopna: ein ny runde startar i status mottatt, med "
                        "eiga varsling, undersøking, eleven si stemme og vurdering av kva som er best for eleven "
                        "før ein ny plan. Fristane blir rekna frå gjenopninga. Runden som vart avslutta, blir "
                        "ståande i saka.",
        "felt_grunn": "Kvifor blir saka gjenopna?",
        "hjelp_grunn": "Til dømes at eleven har meldt frå igjen.",
        "knapp_reopen": "Gjenopne saka",
        "ok_reopen": "Saka er gjenopna: ein ny runde startar i status mottatt.",
        # follow-up
        "skjema_follow_up": "Registrer oppfølging",
        "intro_follow_up": "Ved avslutninga vart det avtalt å følgje opp at eleven framleis har det trygt og godt "
                           f"({cite('oppfolging')}). Registrer kva som kom fram. Saka står på oversikta til "
                           "oppfølginga er registrert.",
        "felt_notat_oppfolging": "Kva kom fram: har eleven det framleis trygt og godt?",
        "hjelp_notat_oppfolging": "Til dømes «Samtale med eleven: har det framleis bra i friminutta.»",
        "hjelp_dato_oppfolging": "ÅÅÅÅ-MM-DD: når oppfølginga vart gjord (ikkje før saka vart avslutta, ikkje "
                                 "fram i tid).",
        "knapp_follow_up": "Registrer oppfølginga",
        "ok_follow_up": "Oppfølginga etter avslutninga er registrert.",
        # log
        "skjema_log": "Loggføring",
        "intro_log": f"Kva som vart gjort, når og av kven ({cite('dokumentasjon')}: dokumentere).",
        "felt_hendelse": "Kva vart gjort?",
        "hjelp_hendelse": "Til dømes «Samtale med føresette».",
        "knapp_log": "Før i loggen",
        "ok_log": "Loggføringa er lagra.",
        # ------------------------------------------------ Historikk
        "historikk_tittel": "Historikk",
        "historikk_ingress": "Kvar endring i saka er lagra med tidspunkt og kven som gjorde ho. Dette er "
                             f"dokumentasjonen lova krev ({cite('dokumentasjon')}).",
        "kol_tidspunkt": "Tidspunkt",
        "kol_hvem": "Kven",
        "kol_hva": "Kva",
        "kol_versjon": "Versjon",
        "utenom_skm": "endra utanom skm",
        "ingen_historikk": "Saka har ingen historikk enno.",
        # ------------------------------------------------ Dokumenter
        "dokumenter_tittel": "Dokument",
        "dokumenter_ingress": "Dokumenta blir laga frå saka slik ho er lagra no, med heile historikken. PDF er "
                              "PDF/A for arkivet; HTML blir opna i nettlesaren og kan skrivast ut. Dokumenta er "
                              "unnatekne frå offentlegheit: lagre dei berre der saka kan liggje.",
        "felt_dokument": "Dokument",
        "dokument_meldingsskjema": "Meldingsskjema",
        "dokument_meldingsskjema_hint": "Meldinga slik ho vart registrert.",
        "dokument_aktivitetsplan": "Aktivitetsplan",
        "dokument_aktivitetsplan_hint": f"Den skriftlege planen etter {cite('plan')}.",
        "dokument_saksdokumentasjon": "Saksdokumentasjon",
        "dokument_saksdokumentasjon_hint": "Heile saka i rekkjefølgje, slik statsforvaltaren ber om henne.",
        "felt_format": "Format",
        "format_pdf": "PDF/A (for arkivet)",
        "format_html": "HTML (vis i nettlesaren)",
        "felt_malform": "Målform",
        "malform_nb": "Bokmål",
        "malform_nn": "Nynorsk",
        "knapp_dokument": "Lag dokumentet",
        # ------------------------------------------------ Årshjul
        "arshjul_tittel": "Årshjul og fristar",
        "arshjul_ingress": "Rutinane i årshjulet og fristane i sakene veke for veke frå {dato}. Fristane nemner "
                           "berre saksnummer.",
        "felt_uker": "Talet på veker",
        "knapp_vis": "Vis",
        "last_ned_ics": "Last ned kalenderfil (.ics)",
        "ics_forklaring": "Heile skoleåret, for Outlook eller Google Kalender.",
        "forfalte_frister": "Fristar som har gått ut",
        "uke_tittel": "Veke {nr} ({fra} – {til})",
        "ingenting_denne_uka": "Ingenting denne veka.",
        "hver": "kvar {dag}",
        "frist": "Frist",
        "hele_aret": "Heile året",
        # ------------------------------------------------ Kontroll
        "kontroll_tittel": "Kontroll",
        "kontroll_ingress": "Det skm check finn i alle sakene: ufullstendige planar, fristar som er oversitne, "
                            "feil i filene. Kvart funn lenkjer til saka.",
        "kol_alvor": "Alvor",
        "kol_kontroll": "Kontroll",
        "kol_melding": "Funn",
        "kol_fil": "Fil og linje",
        "alvor_feil": "Feil",
        "alvor_advarsel": "Åtvaring",
        "ingen_funn": "Ingen funn.",
    },
}


def texts(malform: str) -> dict[str, str]:
    """The page texts of one målform (bokmål for anything else)."""
    return TEXT.get(malform, TEXT["nb"])
