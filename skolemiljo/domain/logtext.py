"""The log and audit-trail texts skm writes, in the repository's målform (issue 14, item 16).

skm's services write their log entries (``logg[].hendelse``) and commit subjects in bokmål;
``in_malform`` gives the nynorsk text for a school whose ``skole.yaml`` says ``malform: nn``.
Only what skm itself wrote in the action is translated (``services.cases.save_case``): never
text a user typed (``skm log --hendelse``), never an older entry. A text this table does not know
stays as written (bokmål), so a new phrase is never lost, only untranslated; add it here.
"""

from __future__ import annotations

import re

# (bokmål pattern, nynorsk replacement); matched against the whole text.
_NN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # log entries (logg[].hendelse)
        (r"Melding registrert\.", "Melding registrert."),
        (r"Status endret: (\S+) → (\S+)\.", r"Status endra: \1 → \2."),
        (r"Rektor varslet (\S+)\.", r"Rektor varsla \1."),
        (r"Skoleeier varslet (\S+)\.", r"Skoleeigar varsla \1."),
        (r"Undersøkelse: (\S+) (\S+) registrert\.", r"Undersøking: \1 \2 registrert."),
        (r"Undersøkelsen konkludert (\S+)\.", r"Undersøkinga konkludert \1."),
        (r"Eleven hørt (\S+)\.", r"Eleven høyrd \1."),
        (r"Elevens beste vurdert (\S+)\.", r"Det beste for eleven vurdert \1."),
        (r"Aktivitetsplanen oppdatert (\S+)\.", r"Aktivitetsplanen oppdatert \1."),
        (r"Aktivitetsplanen revidert (\S+)\.", r"Aktivitetsplanen revidert \1."),
        (r"Aktivitetsplanen revidert (\S+) \(laget (\S+)\)\.", r"Aktivitetsplanen revidert \1 (laga \2)."),
        (r"Oppfølging etter avslutning gjort (\S+)\.", r"Oppfølging etter avslutninga gjort \1."),
        (r"Saken gjenåpnet (\S+): runde (\d+) starter \(se gjenapninger\)\.",
         r"Saka opna att \1: runde \2 startar (sjå gjenapninger)."),
        (r"Tiltak (T\d+) lagt til i aktivitetsplanen\.", r"Tiltak \1 lagt til i aktivitetsplanen."),
        (r"Tiltak (T\d+) endret\.", r"Tiltak \1 endra."),
        (r"Tiltak (T\d+) avsluttet (\S+)\.", r"Tiltak \1 avslutta \2."),
        (r"Tiltak (T\d+) evaluert (\S+) \((\S+)\)\.", r"Tiltak \1 evaluert \2 (\3)."),
        (r"Saken gjenåpnet og undersøkes på nytt \(se gjenapninger\)\.",
         "Saka er opna att og blir undersøkt på nytt (sjå gjenapninger)."),
        (r"Opprettet fra samme melding som (.+)\.", r"Oppretta frå same melding som \1."),
        (r"Relatert sak (\S+) opprettet fra samme melding\.", r"Relatert sak \1 oppretta frå same melding."),
        (r"Eleven identifisert\.", "Eleven identifisert."),
        (r"Foresatte informert (\S+)\.", r"Føresette informerte \1."),
        (r"Foresatte fikk aktivitetsplanen (\S+)\.", r"Føresette fekk aktivitetsplanen \1."),
        (r"Eleven \(over 18\) samtykker i at foresatte deltar \((\S+)\)\.",
         r"Eleven (over 18) samtykkjer i at føresette tek del (\1)."),
        (r"Eleven \(over 18\) samtykker ikke i at foresatte deltar \((\S+)\)\.",
         r"Eleven (over 18) samtykkjer ikkje i at føresette tek del (\1)."),
        (r"Kontakt med (\S+) registrert (\S+)\.", r"Kontakt med \1 registrert \2."),
        (r"Behandlet i (\S+) (\S+)\.", r"Handsama i \1 \2."),
        # commit subjects (after "<saksnr>: ")
        (r"melding registrert", "melding registrert"),
        (r"status endret", "status endra"),
        (r"rektor varslet", "rektor varsla"),
        (r"skoleeier varslet", "skoleeigar varsla"),
        (r"undersøkelsesaktivitet registrert", "undersøkingsaktivitet registrert"),
        (r"undersøkelse konkludert", "undersøking konkludert"),
        (r"elevens stemme registrert", "eleven si stemme registrert"),
        (r"elevens beste vurdert", "det beste for eleven vurdert"),
        (r"aktivitetsplan oppdatert", "aktivitetsplan oppdatert"),
        (r"tiltak (T\d+) lagt til", r"tiltak \1 lagt til"),
        (r"tiltak (T\d+) endret", r"tiltak \1 endra"),
        (r"tiltak (T\d+) avsluttet", r"tiltak \1 avslutta"),
        (r"tiltak (T\d+) evaluert", r"tiltak \1 evaluert"),
        (r"(\S+) → avsluttet", r"\1 → avsluttet"),
        (r"avsluttet → undersokes \(gjenåpnet\)", "avsluttet → undersokes (opna att)"),
        (r"avsluttet → mottatt \(gjenåpnet\)", "avsluttet → mottatt (opna att)"),
        (r"oppfølging registrert", "oppfølging registrert"),
        (r"logg ført", "logg ført"),
        (r"redigert", "redigert"),
        (r"relatert sak (\S+)", r"relatert sak \1"),
        (r"eleven identifisert", "eleven identifisert"),
        (r"foresatte informert", "føresette informerte"),
        (r"foresatte fikk planen", "føresette fekk planen"),
        (r"samtykke registrert", "samtykke registrert"),
        (r"kontakt med (\S+) registrert", r"kontakt med \1 registrert"),
    )
)


def in_malform(text: str, malform: str) -> str:
    """``text`` (bokmål, as skm's services write it) in ``malform``; unknown texts unchanged."""
    if malform != "nn" or not isinstance(text, str):
        return text
    for pattern, replacement in _NN:
        if pattern.fullmatch(text):
            return pattern.sub(replacement, text)
    return text


def known(text: str) -> bool:
    """The text is one of skm's own phrases (a test: every phrase the services write is here)."""
    return any(pattern.fullmatch(text) for pattern, _ in _NN)
