"""Write claimtrack/decision/data/place-names.json: one key per country, FR and EN.

A translation writes "Allemagne" for "Germany", "Pékin" for "Beijing", "les forces
russes" for "Russian forces"; compared letter by letter these are other names, so
the pair model's name guard (a name on each side that the other lacks: an actor or a
place substituted) would call a translation another claim, and two different
countries with close spellings (Iran/Iraq, Austria/Australia) would look like one.
Every country gets one key from its ISO code: its English and French names from the
Unicode CLDR (through Babel, which ships CLDR's data), plus the demonyms and the
capitals that stand for a government ("Moscou a démenti"), written below from general
knowledge for the countries that news names most often.

Usage (Babel's CLDR names; the shipped file was written with Babel 2.19):
    .venv/bin/python benchmarks/build_place_names.py
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from babel import Locale

OUT = Path(__file__).resolve().parent.parent / "claimtrack" / "decision" / "data"
# Demonyms (English, then French forms) and capitals or seats of government that
# stand for the country in news ("the Kremlin", "Washington").
DEMONYMS = {
    "US": "american americans américain américains américaine américaines America "
    "Amérique "
    "Washington",
    "GB": "british briton britons britannique britanniques Londres London "
    "Angleterre England",
    "FR": "french francais français française françaises Paris Élysée Elysee",
    "DE": "german germans allemand allemands allemande allemandes Berlin",
    "IT": "italian italians italien italiens italienne italiennes Rome",
    "ES": "spanish spaniards espagnol espagnols espagnole espagnoles Madrid",
    "PT": "portuguese portugais portugaise Lisbonne Lisbon",
    "NL": "dutch néerlandais néerlandaise néerlandaises Hollande Holland Amsterdam",
    "BE": "belgian belgians belge belges Bruxelles Brussels",
    "CH": "swiss suisses Berne Bern Genève Geneva",
    "AT": "austrian austrians autrichien autrichiens autrichienne Vienne Vienna",
    "PL": "polish poles polonais polonaise polonaises Varsovie Warsaw",
    "SE": "swedish swedes suédois suédoise suédoises Stockholm",
    "NO": "norwegian norwegians norvégien norvégiens norvégienne Oslo",
    "DK": "danish danes danois danoise Copenhague Copenhagen",
    "FI": "finnish finns finlandais finlandaise Helsinki",
    "GR": "greek greeks grec grecs grecque grecques Athènes Athens",
    "HU": "hungarian hungarians hongrois hongroise Budapest",
    "RO": "romanian romanians roumain roumains roumaine Bucarest Bucharest",
    "RU": "russian russians russe russes Moscou Moscow Kremlin",
    "UA": "ukrainian ukrainians ukrainien ukrainiens ukrainienne ukrainiennes Kyiv "
    "Kiev Kyiv",
    "BY": "belarusian belarusians biélorusse biélorusses Minsk",
    "TR": "turkish turks turc turcs turque turques Ankara",
    "IL": "israeli israelis israélien israéliens israélienne israéliennes",
    "PS": "palestinian palestinians palestinien palestiniens palestinienne",
    "LB": "lebanese libanais libanaise libanaises Beyrouth Beirut",
    "SY": "syrian syrians syrien syriens syrienne Damas Damascus",
    "IQ": "iraqi iraqis irakien irakiens irakienne Bagdad Baghdad",
    "IR": "iranian iranians iranien iraniens iranienne Téhéran Tehran",
    "SA": "saudi saudis saoudien saoudiens saoudienne Riyad Riyadh",
    "EG": "egyptian egyptians égyptien égyptiens égyptienne Le Caire Cairo",
    "DZ": "algerian algerians algérien algériens algérienne Alger Algiers",
    "MA": "moroccan moroccans marocain marocains marocaine Rabat",
    "TN": "tunisian tunisians tunisien tunisiens tunisienne Tunis",
    "LY": "libyan libyans libyen libyens libyenne Tripoli",
    "NG": "nigerian nigerians nigérian nigérians nigériane Abuja",
    "ZA": "south african sud-africain sud-africains sud-africaine Pretoria",
    "CN": "chinese chinois chinoise chinoises Pékin Pekin Beijing",
    "JP": "japanese japonais japonaise japonaises Tokyo",
    "KR": "south korean sud-coréen sud-coréens sud-coréenne Séoul Seoul",
    "KP": "north korean nord-coréen nord-coréens nord-coréenne Pyongyang",
    "IN": "indian indians indien indiens indienne indiennes New Delhi Delhi",
    "PK": "pakistani pakistanis pakistanais pakistanaise Islamabad",
    "AF": "afghan afghans afghane afghanes Kaboul Kabul",
    "TW": "taiwanese taïwanais taïwanaise Taipei",
    "VN": "vietnamese vietnamien vietnamiens vietnamienne Hanoï Hanoi",
    "TH": "thai thaïlandais thaïlandaise Bangkok",
    "KH": "cambodian cambodians cambodgien cambodgiens cambodgienne Phnom Penh",
    "LA": "laotian laotians laotien laotiens laotienne Vientiane",
    "MM": "burmese birman birmans birmane",
    "ID": "indonesian indonesians indonésien indonésiens indonésienne Jakarta",
    "PH": "filipino filipinos philippin philippins philippine Manille Manila",
    "NP": "nepalese nepali népalais népalaise Katmandou Kathmandu",
    "AU": "australian australians australien australiens australienne Canberra",
    "NZ": "new zealander néo-zélandais néo-zélandaise Wellington",
    "CA": "canadian canadians canadien canadiens canadienne Ottawa",
    "MX": "mexican mexicans mexicain mexicains mexicaine Mexico",
    "BR": "brazilian brazilians brésilien brésiliens brésilienne Brasilia",
    "AR": "argentine argentinian argentins argentin argentine Buenos Aires",
    "VE": "venezuelan venezuelans vénézuélien vénézuéliens Caracas",
    "CU": "cuban cubans cubain cubains cubaine La Havane havana",
    "CO": "colombian colombians colombien colombiens colombienne Bogota",
    "AE": "emirati émirien émiriens Abou Dhabi Abu Dhabi Dubai Dubaï",
    "QA": "qatari qataris qatarien qatariens Doha",
    "AM": "armenian armenians arménien arméniens arménienne Erevan Yerevan",
    "AZ": "azerbaijani azerbaïdjanais azerbaïdjanaise Bakou Baku",
    "CI": "ivoirien ivoiriens ivoirienne ivoiriennes Ivory Coast",
    "GE": "georgian georgians géorgien géorgiens géorgienne Tbilissi Tbilisi",
}
# Abbreviations count only in capitals: "US" is not "us", "UK" not "uk".
ABBREVIATIONS = {"US": "US", "USA": "US", "UK": "GB", "UAE": "AE", "EAU": "AE"}
# Words that are also common words or parts of other names: never a country alone.
AMBIGUOUS = frozenset(("georgia", "jordan", "chad", "turkey", "guinea", "niger"))


def fold(text: str) -> str:
    """Lowercase, strip accents, one space between words (as place_names reads)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W\d_]+", plain))


def build() -> tuple[dict[str, str], list[str]]:
    """{folded phrase: country key}, and the phrases that count in lowercase."""
    phrases: dict[str, str] = {}
    any_case: set[str] = set()
    for language in ("en", "fr"):
        for code, name in Locale(language).territories.items():
            if not (code.isalpha() and len(code) == 2) or code in ("EU", "EZ", "UN"):
                continue
            # "Congo - Brazzaville", "Myanmar (Burma)": each part is a name.
            for part in re.split(r"\s+-\s+|[()]", name):
                folded = fold(part)
                if folded and folded not in AMBIGUOUS:
                    phrases.setdefault(folded, code)
    for code, words in DEMONYMS.items():
        # Two-word names are written with an underscore-free space: keep the
        # known ones whole ("New Delhi", "Le Caire", "south korean").
        for phrase in re.findall(
            r"New Delhi|Le Caire|south korean|north korean|south african"
            r"|Phnom Penh|Buenos Aires|La Havane|Abou Dhabi|Abu Dhabi|new zealander"
            r"|Ivory Coast"
            r"|\S+",
            words,
        ):
            phrases[fold(phrase)] = code
            # Demonyms are lowercase in French ("les forces russes"); a city or a
            # country is a name only when capitalised ("vienne" is also a verb).
            if phrase[:1].islower():
                any_case.add(fold(phrase))
    return dict(sorted(phrases.items())), sorted(any_case)


def main() -> None:
    phrases, any_case = build()
    (OUT / "place-names.json").write_text(
        json.dumps(
            {
                "source": "Unicode CLDR territory names (en, fr) through Babel, "
                "and benchmarks/build_place_names.py's demonyms and capitals",
                "notice": "Unicode CLDR data, Copyright Unicode, Inc., under the "
                "Unicode License v3.",
                "phrases": phrases,
                "any_case": any_case,
                "abbreviations": ABBREVIATIONS,
            },
            ensure_ascii=False,
            indent=0,
        )
        + "\n"
    )
    print(f"{len(phrases)} phrases, {len(set(phrases.values()))} countries")


if __name__ == "__main__":
    main()
