"""Build ``schemas/case.schema.json``: the case schema, generated from one source.

The structure and the Norwegian descriptions live here; the status rules come
from ``skolemiljo.requirements``. Run ``python -m skolemiljo.schemagen`` after
changing either; ``tests/test_schema.py`` fails while the file is out of date.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from skolemiljo.domain import archiving, model
from skolemiljo.domain.requirements import schema_rules
from skolemiljo.domain.legal import cite
from skolemiljo.domain.rounds import ROUND_FIELDS
from skolemiljo.domain.text import ONE_LINE_PATTERN, TEXT_PATTERN


def _cite(description: str, hjemmel: str | None) -> str:
    """The description with its legal ground, so editors show it on hover."""
    if hjemmel and hjemmel not in description:
        return f"{description.rstrip('.')} ({hjemmel})."
    return description


def _text(description: str, hjemmel: str | None = None, nullable: bool = False, *,
          one_line: bool = False) -> dict[str, Any]:
    """A text field: no control characters; a ``one_line`` field no line break either (``domain.text``)."""
    description = _cite(description, hjemmel)
    schema: dict[str, Any] = {"type": ["string", "null"] if nullable else "string", "description": description,
                              "pattern": ONE_LINE_PATTERN if one_line else TEXT_PATTERN}
    if hjemmel:
        schema["x-hjemmel"] = hjemmel
    return schema


def _date(description: str, hjemmel: str | None = None, nullable: bool = False) -> dict[str, Any]:
    description = _cite(description, hjemmel)
    schema: dict[str, Any]
    if nullable:
        schema = {"anyOf": [{"$ref": "#/$defs/dato"}, {"type": "null"}], "description": description}
    else:
        schema = {"$ref": "#/$defs/dato", "description": description}
    if hjemmel:
        schema["x-hjemmel"] = hjemmel
    return schema


def _nullable_object(description: str, properties: dict[str, Any], hjemmel: str | None = None) -> dict:
    schema: dict[str, Any] = {
        "type": ["object", "null"],
        "description": _cite(description, hjemmel),
        "additionalProperties": False,
        "properties": properties,
    }
    if hjemmel:
        schema["x-hjemmel"] = hjemmel
    return schema


def _varsel(description: str, hjemmel: str) -> dict[str, Any]:
    return _nullable_object(
        description,
        {
            "dato": _date("Datoen varselet ble gitt.", hjemmel),
            "av": _text("Hvem som varslet.", hjemmel, one_line=True),
            "merknad": _text("Hvordan det ble varslet (telefon, e-post, møte) – uten sensitive detaljer."),
        },
        hjemmel,
    )


def base_schema() -> dict[str, Any]:
    """The case schema without the status rules."""
    tiltak_item = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id"],
        "properties": {
            "id": {
                "type": "string",
                "pattern": model.TILTAK_ID.pattern.replace("(?P<n>", "(") + "$",
                "description": "Tiltakets id: T1, T2, … Brukes aldri om igjen i samme sak "
                f"({cite('plan_b')}).",
                "x-hjemmel": f"{cite('plan_b')}",
            },
            "beskrivelse": _text(f"Hva skolen skal gjøre ({cite('plan_b')}).",
                                 f"{cite('plan_b')}", nullable=True),
            "fra": _date(f"Når tiltaket starter ({cite('plan_c')}).", f"{cite('plan_c')}", nullable=True),
            "til": _date(f"Når tiltaket slutter ({cite('plan_c')}).", f"{cite('plan_c')}", nullable=True),
            "ansvarlig": _text(f"Hvem som skal gjennomføre tiltaket ({cite('plan_d')}).",
                               f"{cite('plan_d')}", nullable=True, one_line=True),
            "evalueres": _date(f"Når tiltaket skal evalueres ({cite('plan_e')}).",
                               f"{cite('plan_e')}", nullable=True),
            "avsluttet": {
                "anyOf": [{"$ref": "#/$defs/dato"}, {"type": "null"}],
                "description": "Datoen tiltaket ble avsluttet, når det er avsluttet før planen er ferdig.",
            },
            "evalueringer": {
                "type": "array",
                "description": "Evalueringene av tiltaket, med elevens opplevelse hver gang "
                f"({cite('plan_e')}, {cite('medvirkning')}).",
                "x-hjemmel": f"{cite('plan_e')}",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["dato", "resultat", "videre"],
                    "properties": {
                        "dato": _date("Datoen tiltaket ble evaluert.", f"{cite('plan_e')}"),
                        "resultat": _text("Hva evalueringen viste.", f"{cite('dokumentasjon')}"),
                        "elevens_opplevelse": _text(f"Elevens egen opplevelse ved evalueringen ({cite('medvirkning')}).",
                                                    f"{cite('medvirkning')}"),
                        "videre": {
                            "enum": list(model.VIDERE),
                            "description": "Hva som skjer med tiltaket: fortsett, endre eller avslutt.",
                        },
                        "neste_evaluering": _date("Neste evalueringsdato når tiltaket fortsetter."),
                    },
                },
            },
        },
    }
    delivery = {
        "type": "object",
        "additionalProperties": False,
        "required": ["nummer", "dato", "dokument", "versjon", "commit", "sjekksum", "innholdshash"],
        "properties": {
            "nummer": {"type": "integer",
                       "description": "Leveringsnummeret: 1, 2, 3 … i saken; pakken heter <saksnr>-levering-<nummer>."},
            "dato": _date("Datoen pakken ble levert."),
            "dokument": {"enum": list(archiving.DOCUMENTS), "description": "Dokumentet som ble levert."},
            "versjon": {"type": "integer",
                        "description": "Dokumentets versjon (aktivitetsplanen: planversjonen i historikken)."},
            "commit": {"type": "string", "pattern": "^[0-9a-f]{40}([0-9a-f]{24})?$",
                       "description": "Commiten dokumentet ble laget fra."},
            "sjekksum": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                         "description": "SHA-256 av PDF-fila som ble levert."},
            "innholdshash": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                             "description": "SHA-256 av det dokumentet viser av saken; skm check (arkiv-endret) "
                             "sammenligner den med saken slik den er nå."},
            "fil": {"type": "string", "description": "Filnavnet i pakken (saksnummer og dokument, aldri navn)."},
            "kvittert": _date("Datoen arkivets kvittering ble registrert."),
            "journalnummer": {"type": "string", "description": "Journalnummeret fra arkivet (journalår/løpenummer)."},
            "journalpostnummer": {"type": "integer",
                                  "description": "Journalpostens nummer i arkivsaken, fra arkivets kvittering."},
            "feilet": {"type": "string",
                       "description": "Arkivet meldte feil (feilId): leveringen gjelder ikke, og neste skm archive "
                       "leverer dokumentet på nytt."},
        },
    }
    properties: dict[str, Any] = {
        "id": {
            "type": "string",
            "pattern": "^\\d{4}-\\d{4,}$",
            "description": "Saksnummer: årstallet for meldingen og et løpenummer (2026-0007). Lik filnavnet.",
        },
        "status": {
            "enum": list(model.STATUSES),
            "description": "Hvor saken står: mottatt → undersokes → tiltak → avsluttet. "
            f"Hver status krever det loven krever på det trinnet ({cite('aktivitetsplikt')}).",
        },
        "sakstype": {
            "enum": list(model.SAKSTYPER),
            "description": f"elev-elev ({cite('aktivitetsplikt')}), ansatt-elev ({cite('skjerpa')}, skoleeier varsles), "
            f"ledelse-elev ({cite('skjerpa')}, meldes direkte til skoleeier) eller annet.",
        },
        "alvorlig": {
            "type": "boolean",
            "description": f"Alvorlig tilfelle: rektor skal varsle skoleeier ({cite('melde')}).",
        },
        "kategorier": {
            "type": "array",
            "uniqueItems": True,
            "items": {"type": "string", "pattern": "^[a-zæøå0-9-]+$"},
            "description": "Hva meldingen gjelder, for eksempel " + ", ".join(model.KATEGORIER[:6]) + ".",
        },
        "elev": {
            "type": "object",
            "additionalProperties": False,
            "required": ["navn", "klasse", "under_18"],
            "description": f"Eleven saken gjelder. Én sak og én plan per elev ({cite('aktivitetsplikt')}).",
            "properties": {
                "navn": _text("Elevens navn. Vises aldri i filnavn, commit-meldinger eller skm check.",
                              one_line=True),
                "klasse": _text("Klasse eller gruppe, for eksempel 2STB.", one_line=True),
                "under_18": {
                    "type": "boolean",
                    "description": "Under 18 år: foresatte tar del i samtalene.",
                },
            },
        },
        "melding": {
            "type": "object",
            "additionalProperties": False,
            "required": ["mottatt", "mottatt_av", "meldt_av", "beskrivelse"],
            "description": f"Meldingen om at eleven ikke har et trygt og godt skolemiljø ({cite('melde')}).",
            "properties": {
                "mottatt": _date("Datoen meldingen kom inn.", f"{cite('melde')}"),
                "mottatt_av": _text("Hvem som tok imot meldingen.", f"{cite('melde')}", one_line=True),
                "meldt_av": {
                    "enum": list(model.MELDT_AV),
                    "description": "Hvem som meldte: elev, foresatt, ansatt, anonym eller annen.",
                },
                "beskrivelse": _text("Hva som ble meldt, med elevens egne ord der det er mulig.",
                                     f"{cite('dokumentasjon')}"),
            },
        },
        "varsling": {
            "type": "object",
            "additionalProperties": False,
            "description": f"Varsling av rektor og skoleeier ({cite('melde')}, {cite('skjerpa')}).",
            "properties": {
                "rektor": _varsel(f"Varsel til rektor: skal skje straks ({cite('melde')}).",
                                  f"{cite('melde')}"),
                "skoleeier": _varsel(
                    f"Varsel til skoleeier: kreves når en ansatt eller en i ledelsen krenker en elev ({cite('skjerpa')}) "
                    f"og i alvorlige tilfeller ({cite('melde')}).",
                    f"{cite('skjerpa')}",
                ),
            },
        },
        "undersokelse": _nullable_object(
            f"Undersøkelsen: skal skje snarest og få fram elevens egen opplevelse ({cite('melde')}).",
            {
                "startet": _date("Datoen undersøkelsen startet.", f"{cite('melde')}", nullable=True),
                "avsluttet": {
                    "anyOf": [{"$ref": "#/$defs/dato"}, {"type": "null"}],
                    "description": "Datoen undersøkelsen ble avsluttet.",
                },
                "aktiviteter": {
                    "type": "array",
                    "description": f"Samtaler, observasjoner og kartlegginger i undersøkelsen ({cite('melde')}).",
                    "x-hjemmel": f"{cite('melde')}",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["dato", "type", "oppsummering"],
                        "properties": {
                            "dato": _date("Datoen for aktiviteten.", f"{cite('dokumentasjon')}"),
                            "type": {
                                "enum": list(model.AKTIVITET_TYPER),
                                "description": "samtale, observasjon, kartlegging, dokumentgjennomgang eller annet "
                                f"({cite('dokumentasjon')}).",
                                "x-hjemmel": f"{cite('dokumentasjon')}",
                            },
                            "med": _text("Hvem aktiviteten var med (roller, ikke flere navn enn nødvendig).",
                                         one_line=True),
                            "oppsummering": _text("Hva som kom fram.", f"{cite('dokumentasjon')}"),
                        },
                    },
                },
                "elevens_opplevelse": _text(f"Elevens egen opplevelse: den er avgjørende ({cite('aktivitetsplikt')}).", f"{cite('aktivitetsplikt')}", nullable=True),
                "konklusjon": _text("Har eleven et trygt og godt skolemiljø? Hva skal skje videre?",
                                    f"{cite('melde')}", nullable=True),
            },
            f"{cite('melde')}",
        ),
        "elevens_stemme": {
            "type": "array",
            "description": f"Eleven er hørt: før planen og ved hver evaluering ({cite('medvirkning')}).",
            "x-hjemmel": f"{cite('medvirkning')}",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["dato", "synspunkter"],
                "properties": {
                    "dato": _date("Datoen eleven ble hørt.", f"{cite('medvirkning')}"),
                    "synspunkter": _text("Elevens synspunkter.", f"{cite('medvirkning')}"),
                },
            },
        },
        "barnets_beste": _nullable_object(
            f"Vurderingen av elevens beste ({cite('elevens_beste')}). Mangler den, er det en saksbehandlingsfeil.",
            {
                "dato": _date("Datoen vurderingen ble gjort.", f"{cite('elevens_beste')}"),
                "vurdering": _text("Vurderingen av hva som er best for eleven.", f"{cite('elevens_beste')}"),
            },
            f"{cite('elevens_beste')}",
        ),
        "aktivitetsplan": _nullable_object(
            f"Den skriftlige aktivitetsplanen ({cite('plan')}). Kan skrives som utkast mens saken "
            "undersøkes, men må være komplett før status tiltak.",
            {
                "dato": _date("Datoen planen ble laget.", f"{cite('plan')}", nullable=True),
                "problem": _text(f"Hvilket problem tiltakene skal løse ({cite('plan_a')}).",
                                 f"{cite('plan_a')}", nullable=True),
                "tiltak": {
                    "type": "array",
                    "description": f"Hvilke tiltak skolen har planlagt ({cite('plan_b')}).",
                    "x-hjemmel": f"{cite('plan_b')}",
                    "items": tiltak_item,
                },
                "revisjoner": {
                    "type": "array",
                    "description": "Hver gang planen er revidert (problemet skrevet om): dato og hvem. Planens "
                    "dato er når den først ble laget; hver versjon ligger i historikken "
                    f"({cite('dokumentasjon')}).",
                    "x-hjemmel": f"{cite('dokumentasjon')}",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["dato", "av"],
                        "properties": {
                            "dato": _date("Datoen planen ble revidert."),
                            "av": _text("Hvem som reviderte planen."),
                        },
                    },
                },
            },
            f"{cite('plan')}",
        ),
        "logg": {
            "type": "array",
            "description": f"Hva som er gjort, når og av hvem (dokumentasjonsplikten, {cite('dokumentasjon')}).",
            "x-hjemmel": f"{cite('dokumentasjon')}",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["dato", "av", "hendelse"],
                "properties": {
                    "dato": _date("Datoen det skjedde."),
                    "av": _text("Hvem som gjorde det.", one_line=True),
                    "hendelse": _text("Hva som ble gjort."),
                    "status": {"enum": list(model.STATUSES), "description": "Ny status, når hendelsen endret den."},
                },
            },
        },
        "avslutning": _nullable_object(
            f"Avslutning: bare når eleven selv opplever skolemiljøet som trygt og godt ({cite('aktivitetsplikt')}).",
            {
                "dato": _date("Datoen saken ble avsluttet.", f"{cite('dokumentasjon')}", nullable=True),
                "begrunnelse": _text("Hvorfor saken avsluttes.", f"{cite('dokumentasjon')}", nullable=True),
                "elevens_opplevelse": _text("Elevens egen opplevelse ved avslutning.", f"{cite('aktivitetsplikt')}", nullable=True),
                "oppfolging": _date("Avtalt dato for oppfølging etter avslutning.", f"{cite('oppfolging')}",
                                    nullable=True),
                "oppfulgt": _nullable_object(
                    "Oppfølgingen etter avslutningen er gjort: dato, hvem og hva som kom fram (skm follow-up).",
                    {
                        "dato": _date("Datoen oppfølgingen ble gjort."),
                        "av": _text("Hvem som fulgte opp."),
                        "notat": _text("Hva som kom fram: har eleven det fortsatt trygt og godt?"),
                    },
                    f"{cite('oppfolging')}",
                ),
            },
            f"{cite('dokumentasjon')}",
        ),
        "gjenapninger": {
            "type": "array",
            "description": "Hver gang en avsluttet sak er gjenåpnet fordi eleven meldte igjen: dato, hvem, "
            "grunn og avslutningen som gjaldt før. Ingenting tidligere slettes.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["dato", "av", "grunn"],
                "properties": {
                    "dato": _date("Datoen saken ble gjenåpnet: den nye rundens frister regnes herfra."),
                    "av": _text("Hvem som gjenåpnet saken.", one_line=True),
                    "grunn": _text("Hvorfor saken ble gjenåpnet."),
                    "forrige_runde": None,  # filled in below: the round the reopening closed, as it was
                    "forrige_avslutning": {
                        "type": ["object", "null"],
                        "description": "Avslutningen slik den var før saken ble gjenåpnet (saker gjenåpnet før "
                        "skm tok vare på hele runden).",
                    },
                },
            },
        },
        "arkiv": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "description": "Arkivet: sakens saksnummer i Noark-arkivet og hva skm archive har levert dit "
            f"({archiving.GROUND}).",
            "properties": {
                "saksnummer": {"type": ["string", "null"],
                               "description": "Saksnummeret i arkivsystemet (arkivsaksnummer), fra arkivets "
                               "kvittering. Står på alle dokumenter."},
                "leveranser": {
                    "type": "array",
                    "description": "Hver levering til arkivet: én journalpost med ett dokument i én versjon, "
                    "skrevet av skm archive. Neste levering tar bare med det som er nytt eller endret.",
                    "items": delivery,
                },
            },
        },
    }
    properties["gjenapninger"]["items"]["properties"]["forrige_runde"] = {
        "type": "object",
        "additionalProperties": False,
        "description": "Runden som ble avsluttet før gjenåpningen, slik den var: varsling, undersøkelse, "
        "elevens stemme, elevens beste, aktivitetsplan og avslutning. Den nye runden starter tom "
        f"({cite('dokumentasjon')}).",
        "x-hjemmel": f"{cite('dokumentasjon')}",
        "properties": {key: copy.deepcopy(properties[key]) for key in ROUND_FIELDS},
    }
    _add_intake(properties)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Kap. 12-sak (skm)",
        "description": "Én sak om én elevs skolemiljø etter opplæringslova kapittel 12. "
        "Skjemaet sier hva hver status krever; generert av skm – ikke rediger for hånd.",
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "status", "sakstype", "alvorlig", "kategorier", "elev", "melding", "varsling", "logg"],
        "properties": properties,
        "$defs": {
            "dato": {
                "type": "string",
                "format": "date",
                "pattern": "^\\d{4}-\\d{2}-\\d{2}$",
                "description": "En dato som ÅÅÅÅ-MM-DD.",
            }
        },
    }


# ------------------------------------------------ intake routines (issue 14, items 11-15)

def _add_intake(properties: dict[str, Any]) -> None:
    """The seeds' intake routines: a report without an identified pupil, who took the report,
    linked cases, parents, outside contacts. Kept apart from the rest to ease merging."""
    properties["sakstype"]["description"] = (
        f"elev-elev ({cite('aktivitetsplikt')}), ansatt-elev ({cite('skjerpa')}, skoleeier varsles), ledelse-elev "
        f"({cite('skjerpa')}, meldes direkte til skoleeier), radikalisering (mistanke om radikalisering: meldes "
        f"direkte til rektor, {cite('radikalisering')}) eller annet.")
    elev = properties["elev"]
    elev["description"] = (f"Eleven saken gjelder. Én sak og én plan per elev ({cite('plan_per_elev')}). Navn "
                           "(og alder) kan mangle (null) når meldingen gjelder en elev som ikke er identifisert ennå (anonym melding, "
                           "bekymring for en klasse); eleven må identifiseres før aktivitetsplanen.")
    elev["x-hjemmel"] = cite("plan_per_elev")
    elev["required"] = ["klasse"]  # navn and under_18: required before the plan (rule elev-identifisert)
    elev["properties"]["navn"] = _text("Elevens navn, eller null når eleven ikke er identifisert ennå. Vises aldri i "
                                       "filnavn, commit-meldinger eller skm check.", cite("plan_per_elev"),
                                       nullable=True, one_line=True)
    elev["properties"]["klasse"] = _text("Klasse eller gruppe, for eksempel 2STB (null: ikke kjent).", nullable=True,
                                         one_line=True)
    elev["properties"]["under_18"] = {
        "type": ["boolean", "null"],
        "description": f"Under 18 år: foresatte tar del i samtalene (null: ikke kjent ennå) ({cite('plan_per_elev')}).",
        "x-hjemmel": cite("plan_per_elev"),
    }
    properties["melding"]["properties"]["mottatt_rolle"] = {
        "enum": list(model.MOTTATT_ROLLER),
        "description": "Rollen til den som tok imot meldingen: " + ", ".join(model.MOTTATT_ROLLER) + ".",
    }
    properties["relaterte_saker"] = {
        "type": "array",
        "uniqueItems": True,
        "items": {"type": "string", "pattern": "^\\d{4}-\\d{4,}$"},
        "description": "Saker for andre elever fra samme melding eller hendelse, med saksnummer (én plan per elev).",
    }
    properties["kontakter"] = {
        "type": "array",
        "description": "Kontakt med instanser utenfor skolen (PPT, helsesykepleier, barnevern, politiet, SLT, "
        "skolemiljøteamet …).",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["dato", "instans"],
            "properties": {
                "dato": _date("Datoen for kontakten."),
                "instans": {"enum": list(model.INSTANSER), "description": "Hvem skolen kontaktet: "
                            + ", ".join(model.INSTANSER) + "."},
                "kontaktperson": _text("Hvem hos instansen (vises bare med --navn)."),
                "merknad": _text("Hva kontakten gjaldt – uten flere sensitive detaljer enn nødvendig."),
            },
        },
    }
    contact = {
        "type": "object",
        "additionalProperties": False,
        "required": ["dato", "hvordan"],
        "properties": {"dato": _date("Datoen."), "hvordan": _text("Hvordan: telefon, møte, e-post, brev …")},
    }
    properties["foresatte"] = {
        "type": ["object", "null"],
        "additionalProperties": False,
        "description": "Foresatte: når de ble informert og fikk aktivitetsplanen, og for elever over 18 om eleven "
        "samtykker i at foresatte tar del.",
        "properties": {
            "informert": {"type": "array", "description": "Hver gang foresatte ble informert om saken.",
                          "items": contact},
            "fikk_planen": {"type": "array", "description": "Hver gang foresatte fikk aktivitetsplanen.",
                            "items": contact},
            "samtykke": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "required": ["dato", "samtykker"],
                "description": "Elever over 18: om eleven samtykker i at foresatte tar del.",
                "properties": {
                    "dato": _date("Datoen eleven svarte."),
                    "samtykker": {"type": "boolean", "description": "true: eleven samtykker."},
                    "hvordan": _text("Hvordan svaret ble gitt."),
                },
            },
        },
    }


def build() -> dict[str, Any]:
    """The complete case schema: structure plus the generated status rules."""
    schema = base_schema()
    schema["allOf"] = schema_rules()
    return schema


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    target = Path(argv[0] if argv else Path(__file__).resolve().parents[2] / "schemas" / "case.schema.json")
    target.write_text(render(), encoding="utf-8")
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
