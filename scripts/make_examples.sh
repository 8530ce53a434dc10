#!/usr/bin/env bash
# Build the bundled example cases (fictional people only) through skm's own commands,
# so each case's history in git is a real skm audit trail.
#   bash scripts/make_examples.sh [CASE-REPOSITORY]   (default: the project root)
# Refuses to run when the repository already has cases.
set -euo pipefail
repo=${1:-"$(cd "$(dirname "$0")/.." && pwd)"}
if compgen -G "$repo/cases/*.yaml" >/dev/null; then
  echo "Det finnes allerede saker i $repo/cases; avbryter." >&2
  exit 1
fi
skm() { command skm -C "$repo" "$@"; }
on() { export SKM_TODAY=$1; }

# 2026-0001 – elev-elev (prosedyre A), gjennom hele løpet og avsluttet.
export SKM_AV="Per Haugen <per.haugen@fjordvik.example>"
on 2026-09-07
a=$(skm new-case --elev "Ingrid Fjeldstad" --klasse 2STB --under-18 --sakstype elev-elev --meldt-av elev \
  --mottatt-av "Per Haugen (kontaktlærer)" --kategori utestenging --kategori digital-mobbing --no-input \
  --beskrivelse "Eleven forteller at hun blir holdt utenfor i friminuttene og at en gruppechat brukes til å gjøre narr av henne.")
skm notify "$a" rektor --varslet-av "Per Haugen" --merknad "Muntlig, samme dag"
export SKM_AV="Tone Berg <tone.berg@fjordvik.example>"
skm advance "$a"
on 2026-09-08
skm investigate "$a" --type samtale --med "eleven og foresatte" --oppsummering "Eleven beskriver utestenging over flere uker og ubehagelige meldinger i en gruppechat."
on 2026-09-09
skm investigate "$a" --type observasjon --med "miljøarbeider i storefri" --oppsummering "Bekrefter at eleven står alene i storefri."
on 2026-09-10
skm conclude "$a" --elevens-opplevelse "Eleven opplever ikke skolemiljøet som trygt og godt." --konklusjon "Eleven har ikke et trygt og godt skolemiljø. Tiltak settes inn."
skm hear "$a" --synspunkter "Ønsker ikke å bytte klasse, men vil ha fast makker i friminuttene."
skm best-interests "$a" --vurdering "Å bli i klassen med støtte er best for eleven; eleven og foresatte er hørt."
on 2026-09-11
skm plan "$a" --problem "Eleven holdes utenfor sosialt i friminutt og i en digital gruppechat."
skm tiltak add "$a" --beskrivelse "Miljøarbeider er til stede i storefri og etablerer en makkerordning." --fra 2026-09-14 --til 2026-10-09 --ansvarlig "Miljøarbeider Sara Lunde" --evalueres 2026-09-25
skm tiltak add "$a" --beskrivelse "Samtaler med elevene i gruppechatten og deres foresatte." --fra 2026-09-14 --til 2026-09-25 --ansvarlig "Avdelingsleder Tone Berg" --evalueres 2026-09-25
skm advance "$a"
on 2026-09-25
skm evaluate "$a" T1 --resultat "Eleven har fast makker og er mindre alene." --elevens-opplevelse "Bedre, men friminuttene er fortsatt litt utrygge." --videre fortsett --neste-evaluering 2026-10-09
skm evaluate "$a" T2 --resultat "Samtalene er gjennomført; gruppechatten er lagt ned." --elevens-opplevelse "Lettet over at chatten er borte." --videre avslutt
on 2026-10-09
skm evaluate "$a" T1 --resultat "Makkerordningen fungerer; eleven er med i aktiviteter." --elevens-opplevelse "Trives og føler seg trygg." --videre avslutt
on 2026-10-12
skm hear "$a" --synspunkter "Har det bra nå og vil avslutte saken."
skm close "$a" --begrunnelse "Eleven opplever skolemiljøet som trygt og godt; tiltakene er evaluert og avsluttet." --elevens-opplevelse "Trygg og trives i klassen." --oppfolging 2026-11-09
on 2026-11-09
skm follow-up "$a" --notat "Oppfølgingssamtale gjennomført; eleven har det fortsatt bra."

# 2026-0002 – ansatt-elev (prosedyre B), tiltak pågår.
export SKM_AV="Kari Solberg <kari.solberg@fjordvik.example>"
on 2026-10-12
b=$(skm new-case --elev "Jonas Berntsen" --klasse 1ELA --under-18 --sakstype ansatt-elev --meldt-av foresatt \
  --mottatt-av "Kari Solberg (rådgiver)" --kategori krenkende-ord --no-input \
  --beskrivelse "Foresatte melder at en lærer gjentatte ganger har kommentert elevens uttale foran klassen.")
skm notify "$b" rektor --varslet-av "Kari Solberg" --merknad "Telefon, straks"
export SKM_AV="Anne Lie <anne.lie@fjordvik.example>"
skm notify "$b" skoleeier --varslet-av "Rektor Anne Lie" --merknad "E-post til skolemiljøteamet i fylket"
skm advance "$b"
on 2026-10-13
skm investigate "$b" --type samtale --med "eleven og foresatte" --oppsummering "Eleven beskriver kommentarene og at han gruer seg til timene."
on 2026-10-14
skm investigate "$b" --type samtale --med "den ansatte, med tillitsvalgt" --oppsummering "Den ansatte er kjent med meldingen og skolens forventninger."
on 2026-10-16
skm conclude "$b" --elevens-opplevelse "Eleven opplever timene som utrygge." --konklusjon "Eleven har ikke et trygt og godt skolemiljø i faget. Tiltak settes inn."
skm hear "$b" --synspunkter "Vil bli i gruppa, men vil at kommentarene skal slutte."
skm best-interests "$b" --vurdering "Eleven bør bli i gruppa med tett oppfølging; det ivaretar både læring og trygghet."
skm plan "$b" --problem "Eleven opplever krenkende kommentarer fra en ansatt i undervisningen."
skm tiltak add "$b" --beskrivelse "Avdelingsleder følger undervisningen ukentlig og gir den ansatte veiledning." --fra 2026-10-19 --til 2026-12-18 --ansvarlig "Avdelingsleder Kari Solberg" --evalueres 2026-10-30
skm tiltak add "$b" --beskrivelse "Ukentlige samtaler mellom eleven og kontaktlærer." --fra 2026-10-19 --til 2026-12-18 --ansvarlig "Kontaktlærer Ole Dahl" --evalueres 2026-11-06
skm advance "$b"
on 2026-10-30
skm evaluate "$b" T1 --resultat "Ingen nye kommentarer observert." --elevens-opplevelse "Litt bedre." --videre fortsett --neste-evaluering 2026-11-13
on 2026-11-06
skm evaluate "$b" T2 --resultat "Samtalene gjennomføres som planlagt." --elevens-opplevelse "Godt å ha noen å snakke med." --videre fortsett --neste-evaluering 2026-11-20
on 2026-11-13
skm evaluate "$b" T1 --resultat "Stabilt; veiledningen fortsetter." --elevens-opplevelse "Timene er bedre nå." --videre endre --neste-evaluering 2026-11-27
skm tiltak change "$b" T1 --beskrivelse "Avdelingsleder følger undervisningen annenhver uke og gir den ansatte veiledning."

# 2026-0003 – ledelse-elev (prosedyre C), under undersøkelse.
export SKM_AV="Skolemiljøteamet <skolemiljo@fjordvik-fylke.example>"
on 2026-11-16
c=$(skm new-case --elev "Sofie Amundsen" --klasse 3STA --over-18 --sakstype ledelse-elev --meldt-av elev \
  --mottatt-av "Skolemiljøteamet i fylkeskommunen" --kategori trakassering --no-input \
  --beskrivelse "Eleven melder direkte til skoleeier om nedsettende uttalelser fra en i skolens ledelse.")
skm notify "$c" skoleeier --varslet-av "Eleven, direkte" --merknad "Meldt på telefon til skolemiljøteamet"
skm advance "$c"
on 2026-11-17
skm investigate "$c" --type samtale --med "eleven" --oppsummering "Eleven forteller om to hendelser i oktober og november."

# 2026-0004 – elev-elev, alvorlig, nettopp mottatt.
export SKM_AV="Ole Dahl <ole.dahl@fjordvik.example>"
on 2026-11-19
skm new-case --elev "Emil Rustad" --klasse 1STC --under-18 --sakstype elev-elev --meldt-av ansatt --alvorlig \
  --mottatt-av "Ole Dahl (faglærer)" --kategori vold --kategori trusler --no-input \
  --beskrivelse "Faglærer så at eleven ble dyttet og truet av to medelever i garderoben." >/dev/null

# 2026-0005 – annet, avsluttet etter undersøkelse: eleven opplever skolemiljøet som trygt.
export SKM_AV="Per Haugen <per.haugen@fjordvik.example>"
on 2026-10-26
e=$(skm new-case --elev "Amir Haddad" --klasse 2STB --under-18 --sakstype annet --meldt-av anonym \
  --mottatt-av "Per Haugen (kontaktlærer)" --kategori annet --no-input \
  --beskrivelse "Anonym melding i meldingsboksen om at en elev i 2STB virker ensom.")
skm notify "$e" rektor --varslet-av "Per Haugen"
skm advance "$e"
on 2026-10-27
skm investigate "$e" --type samtale --med "eleven" --oppsummering "Eleven forteller at han har venner i klassen og trives."
on 2026-10-28
skm investigate "$e" --type observasjon --med "kontaktlærer i timer og friminutt" --oppsummering "Eleven deltar sosialt og faglig."
skm conclude "$e" --elevens-opplevelse "Eleven opplever skolemiljøet som trygt og godt." --konklusjon "Eleven har et trygt og godt skolemiljø; ingen tiltak er nødvendige."
skm hear "$e" --synspunkter "Eleven sier han har det bra i klassen og ikke ønsker tiltak."
skm best-interests "$e" --vurdering "Eleven har et trygt og godt skolemiljø; det er best for eleven at saken avsluttes uten tiltak."
on 2026-10-29
skm close "$e" --begrunnelse "Undersøkelsen viser at eleven selv opplever skolemiljøet som trygt og godt." --elevens-opplevelse "Eleven opplever skolemiljøet som trygt og godt."
echo "Eksempelsakene er laget i $repo/cases." >&2
