"""What two claim texts say in detail: numbers, polarity, hedges, names, dates, words.

Embeddings score two claims on one topic alike ("300 000 mobilised" and "300 000 could
be mobilised" embed at 0.95), so the pair model also looks at the details a
fact-checker would compare. Everything here is regular expressions and word lists, not
spaCy: matching one article against a million stored claims must stay under 100 ms,
and running a parser over every candidate's text would cost seconds. Names are found
as capitalised words, which is what spaCy's small NER models mostly key on too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from claimtrack.decision.bilingual_polarity import (
    bilingual_concepts,
    english_forms,
    french_forms,
)
from claimtrack.decision.bilingual_polarity import fold as fold_uncached
from claimtrack.decision.number_words import spelled_numbers
from claimtrack.extract.lexicons import HEDGES, NEGATIONS

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+", re.UNICODE)
# A number with thousands groups ("300 000", "300,000", "1.500") and decimals ("2,5").
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?(?![\d])")
_SCALE_WORDS = {
    "thousand": 1e3,
    "thousands": 1e3,
    "mille": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "trillions": 1e12,
}
# Units that change what a number means: 3% is not 3 million. Money is one unit, so
# "$3 billion" and "3 milliards de dollars" agree but "3 milliards d'euros" does not.
_UNITS = {
    "%": "percent",
    "percent": "percent",
    "per cent": "percent",
    "pour cent": "percent",
    "pourcent": "percent",
    "€": "eur",
    "euro": "eur",
    "euros": "eur",
    "$": "usd",
    "dollar": "usd",
    "dollars": "usd",
    "£": "gbp",
    "livres": "gbp",
    "pounds": "gbp",
    "km": "km",
    "kilomètres": "km",
    "kilometres": "km",
    "kilometers": "km",
    "miles": "mile",
    "ans": "year",
    "years": "year",
    "year": "year",
    "an": "year",
    "mois": "month",
    "months": "month",
    "jours": "day",
    "days": "day",
    "heures": "hour",
    "hours": "hour",
    "tonnes": "tonne",
    "tons": "tonne",
    # Percentage points are not percent: "rose 2 points" is not "rose 2 %".
    "points": "points",
    "point": "points",
    "percentage": "points",
    "pts": "points",
}
_UNIT_AFTER = re.compile(
    r"\s*(%|per cent|pour cent|pourcent|[a-zéèû€$£]+)(?:\s+(?:d'|de |of )?"
    r"(euros?|dollars?|livres|pounds))?",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"([$€£])\s*$")
# Between the two bounds of a range: "1 et 1,5 milliard", "2 to 3 million", "5-6 %".
_RANGE_GLUE = re.compile(r"\s*(?:et|and|à|to|ou|or|-|–)\s*[$€£]?\s*", re.IGNORECASE)
# "1 in 10", "3 out of 4", "1 sur 5": a share, never "12 in 2019" (a year) or "5 in 3".
_DIGIT_SHARE = re.compile(
    r"(?<![\w.,])([1-9]\d?)\s+(?:in|out\s+of|sur)\s+([1-9]\d{0,2})(?![\w.,%])"
)
# A span of years written short: "2011-12" is 2011 to 2012, as "2011-2012" is; its "12"
# is a year, not a number.
_SHORT_YEAR_SPAN = re.compile(r"\b((?:19|20)\d\d)[-–/](\d\d)\b")
_MONTHS = {
    **dict.fromkeys(("january", "janvier", "jan"), 1),
    **dict.fromkeys(("february", "fevrier", "feb"), 2),
    **dict.fromkeys(("march", "mars"), 3),
    **dict.fromkeys(("april", "avril", "apr"), 4),
    **dict.fromkeys(("may", "mai"), 5),
    **dict.fromkeys(("june", "juin"), 6),
    **dict.fromkeys(("july", "juillet"), 7),
    **dict.fromkeys(("august", "aout", "aug"), 8),
    **dict.fromkeys(("september", "septembre", "sept"), 9),
    **dict.fromkeys(("october", "octobre", "oct"), 10),
    **dict.fromkeys(("november", "novembre", "nov"), 11),
    **dict.fromkeys(("december", "decembre", "dec"), 12),
}
_WEEKDAYS = {
    **dict.fromkeys(("monday", "lundi"), 1),
    **dict.fromkeys(("tuesday", "mardi"), 2),
    **dict.fromkeys(("wednesday", "mercredi"), 3),
    **dict.fromkeys(("thursday", "jeudi"), 4),
    **dict.fromkeys(("friday", "vendredi"), 5),
    **dict.fromkeys(("saturday", "samedi"), 6),
    **dict.fromkeys(("sunday", "dimanche"), 7),
    **dict.fromkeys(("yesterday", "hier"), 8),
    **dict.fromkeys(("today", "aujourd'hui"), 9),
    **dict.fromkeys(("tomorrow", "demain"), 10),
}
# English negation words; "without" is left out: "without consulting" restates
# "sans consulter", and neither negates the claim.
# "unable to" says "cannot", as "ne pourront pas" does.
_ENGLISH_NEGATIONS = (NEGATIONS["en"] - {"without"}) | {"cannot", "unable"}
# "with no funding" restates "without funding" (and "unfunded"): not a negation of the
# claim, as "without" is not.
_PRIVATIVE_NO = re.compile(r"\bwith\s+no\b", re.IGNORECASE)
# Refusing to do something negates doing it: "refused to call for restraint" is the
# opposite of "called for restraint", in French as in English.
_REFUSAL = re.compile(r"\brefus\w*\s+(?:to\b|de\b|d')", re.IGNORECASE)
# French negates with "ne"/"n'" and a second word; alone, "jamais" and "rien" mean
# "ever" and "anything" ("un niveau jamais vu"), and "ne … que" means "only".
_FRENCH_SECOND_WORDS = r"pas|jamais|rien|personne|aucun|aucune|guère|nullement|ni|point"
_FRENCH_NEGATION = re.compile(
    rf"\b(?:ne|n')\b.*?\b(?:{_FRENCH_SECOND_WORDS}|plus\b(?!.*\bque\b))\b"
    rf"|^\W*(?:aucun|aucune|personne|rien|jamais)\b"
    # The negative pronoun first: "rien ne prouve", "personne n'a été inculpé".
    rf"|\b(?:rien|personne|nul|nulle)\s+(?:ne|n')"
    rf"|\b(?:aucun|aucune)\b"
    # Without "ne" after a comma: "c'est le tribunal qui fraude, pas moi" negates as
    # "…, not me" does in English.
    rf"|,\s*(?:et\s+|mais\s+)?pas\s+(?:moi|toi|lui|elle|nous|vous|eux|elles|le|la"
    rf"|les|l'|du|de|d'|des|un|une|ça|cela|ceux|celle|celui|encore|seulement)",
    re.IGNORECASE,
)
# Modality that turns a fact into a possibility. The conditional of reported speech
# ("would", "serait", "aurait") is not here: French and English use it for facts too.
_HEDGE_WORDS = (
    HEDGES["fr"]
    | HEDGES["en"]
    | {"pourrions", "possible", "présumée", "présumés", "présumées"}
    | {"suspected", "alleged", "allegedly"}
    # "soupçonnés d'emplois fictifs" hedges as "emplois présumés fictifs" does.
    | {"soupçonné", "soupçonnée", "soupçonnés", "soupçonnées"}
    # Fearing that something happens is not saying it happened.
    | {"fear", "fears", "feared", "craignent", "craint", "redoutent", "redoute"}
    # Considering a step is not taking it: "envisagent de se porter candidats".
    | {"envisage", "envisagent", "envisageait", "envisagé", "envisager"}
) - {
    "would",
    # "should" is as often advice ("we should act") as a forecast; French "devrait
    # être publié" forecasts ("is expected to be"), so it hedges.
    "should",
    "serait",
    "seraient",
    "aurait",
    "auraient",
}


# "appears to be", "appear that" hedge; "appears in the rankings" states a fact.
_APPEAR = frozenset(("appear", "appears", "appeared"))
_APPEAR_HEDGE = re.compile(r"\bappear(?:s|ed)?\s+(?:to|that)\b", re.IGNORECASE)


def _hedged(raw_words: set[str], text: str) -> bool:
    hedges = raw_words & _HEDGE_WORDS
    if hedges and hedges <= _APPEAR:
        return bool(_APPEAR_HEDGE.search(text))
    return bool(hedges)


def _word_set(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


# Concepts whose two poles flip a claim without a negation word: a claim that something
# rose is the opposite of one that it fell, "approved" of "rejected". Forms are folded
# (no accents); both languages share one concept so that FR<->EN pairs flip too.
POLARITY_CONCEPTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "direction": (
        _word_set(
            "rose rise rises risen increase increased increases grew grow grows",
            "growing gained jumped jump climbed soared doubled raised raise",
            "raises hausse hausses augmente augmente augmentent augmentation",
            "progresse progressent progression grimpe bondi bondit monte",
            "accru accroissement croissance double releve relevent rebounded",
            "rebound rebounds rebondi rebondit recovered recover",
            "expanded expands expand improved improves improve ameliore",
            "ameliorent amelioration strengthened renforce renforcent",
            "surged surge surges soared soar soars spiked boosted boosts climbs",
            "climb rising jumps gains gain accelerated accelerates grimpe",
            "grimpent envole flambe progresse augmentent accelere",
        ),
        _word_set(
            "fell fall falls fallen decrease decreased decreases declined decline",
            "declines shrank shrink shrinks dropped drop drops plunged halved",
            "cut cuts lowered baisse baisses baisser diminue diminuent",
            "diminution recule reculent recul chute chutent contraction",
            "contracted contracts reduit reduisent abaisse tumbled tumbling",
            "worsened worsens worsen deteriorated aggrave aggravent deteriore",
            "degrade degradation weakened weakens affaibli affaiblit",
            "slumped slump plummeted plummets sank slid slides dipped slowed",
            "slowing slowdown ralenti ralentit ralentissement plonge effondre",
            "effondrement degringole",
        ),
    ),
    "assertion": (
        _word_set(
            "confirmed confirms confirm admitted admits acknowledged",
            "confirme confirment reconnu reconnait admis claimed",
            "affirme affirment",
        ),
        _word_set(
            "denied denies deny dismissed disputed refuted false unfounded",
            "dementi dement dementent nie nient conteste faux infonde infondee",
            "fausse misleading trompeur trompeuse inexact inexacte",
        ),
    ),
    "approval": (
        _word_set(
            "approved approves approve adopted adopts accepted accepts passed",
            "welcomed welcomes backed endorsed defended defends support supports",
            "supported supporting backing",
            "approuve approuvent adopte adoptent accepte acceptent salue",
            "saluent soutenu soutient defendu defend",
        ),
        _word_set(
            "rejected rejects reject refused refuses vetoed opposed condemned",
            "apologised apologized apologises criticised criticized",
            "rejete rejette rejettent refuse refusent ecarte condamne opposes",
            "oppose blocked blocks bloque bloquent",
            "critique excuse refus refusal",
        ),
    ),
    "correctness": (
        _word_set("right correct correctly justified"),
        _word_set("wrong wrongly incorrect incorrectly mistaken mistake tort erred"),
    ),
    "outcome": (
        _word_set(
            "won win wins victory gagne remporte victoire succeeded success reussi",
            "reussit",
        ),
        _word_set("lost lose loses defeat perdu defaite failed failure echoue"),
    ),
    "permission": (
        _word_set("allowed allows allow permitted legal legalised legalized"),
        _word_set(
            "banned bans ban forbidden prohibited illegal interdit interdite",
            "interdits interdisent interdiction",
        ),
    ),
    "safety": (
        _word_set("safe safer safest securise securisee"),
        _word_set("dangerous unsafe risky dangereux dangereuse dangereuses"),
    ),
    "survival": (
        _word_set("survived survive survives survivors survecu rescued sauve sauves"),
        _word_set("died dead killed mort morts morte mortes tue tues"),
    ),
    "agreement": (
        _word_set("agreed agrees"),
        _word_set("disagreed disagrees disagree desaccord"),
    ),
    "inclusion": (
        _word_set("included includes inclus incluse"),
        _word_set("excluded excludes exclu exclus exclue"),
    ),
    "wealth": (
        _word_set("richer richest riche riches cheaper cheapest"),
        _word_set("poorer poorest pauvre pauvres pricier costlier"),
    ),
    "guilt": (
        _word_set("guilty convicted liable coupable coupables"),
        _word_set(
            "innocent innocents acquitted acquitte acquittes cleared innocente",
            "innocentes blanchi blanchis",
        ),
    ),
    "opening": (
        _word_set("opened opens reopened ouvert ouverte ouvre rouvert"),
        # French "fermé" folds to "ferme", a farm: left out.
        _word_set("closed closes shut"),
    ),
    "finance": (
        _word_set("profit profits profitable surplus excedent benefice benefices"),
        _word_set("loss losses deficit deficits deficitaire perte pertes"),
    ),
    "judgement": (
        _word_set(
            "praised praises praise hailed hails lauded optimistic optimiste",
            "optimistes salue saluent felicite",
        ),
        _word_set(
            "criticised criticized criticises criticizes slammed blasted",
            "condemned pessimistic pessimiste pessimistes critique critiquent",
            "denonce denoncent fustige",
        ),
    ),
    "level": (
        # Not "more"/"less"/"moins": "au moins deux" restates "at least two".
        _word_set(
            "higher highest above stronger strongest majority superieur",
            "superieure superieurs",
        ),
        _word_set(
            "lower lowest below fewer weaker weakest minority inferieur",
            "inferieure inferieurs",
        ),
    ),
    "employment": (
        _word_set("hired hires hiring recrute recrutent embauche embauchent"),
        _word_set("fired layoffs laid licencie licencient licenciements"),
    ),
    "peace": (
        _word_set("peace ceasefire truce paix treve"),
        _word_set("war guerre"),
    ),
    "knowledge": (
        _word_set("known established proven prouve etabli connue connu"),
        _word_set("unknown unclear unproven inconnue inconnu incertaine"),
    ),
}
_STOPWORDS = _word_set(
    "the a an of to in on at for and or but is are was were be been by",
    "with as that this it its from has have had will would which who what",
    "their they he she his her le la les un une des du de d l et ou mais",
    "est sont été être par pour avec dans sur au aux ce cette ces qui que",
    "qu il elle ils elles son sa ses leur leurs a ont avait se s en y ne",
    "pas said says dit déclaré selon according",
)
# Small words inside a name: "Office for Budget Responsibility", "Banque de France".
_ACRONYM_GLUE = _word_set("for of and the de du des la le et d l")
# Capitalised only because they open a sentence or quote: not names.
_OPENERS = _word_set(
    "selon according in on at after before since depuis apres avant pour some",
    "certains certaines many most several plusieurs de du des au aux en dans it",
    "this these those ces cet une un mais but so also however pourtant yet two",
    "deux three trois four quatre five cinq no aucun aucune nobody none personne",
    "nous we our notre nos i je il elle they ils elles there here if si when",
    "quand lors while alors even meme only seul seuls all tous toutes tout",
    "every chaque each more plus less moins top hauts haut senior early late",
    "last first dernier premier premiere le la les l the a an",
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:«“\"]\s*)([^\W\d_][\w'’-]*)")


@dataclass(frozen=True)
class TextFacts:
    """What one claim text says in detail, computed once per text."""

    tokens: frozenset[str]  # content words, folded and cut to a stem
    words: frozenset[str]  # every word, folded, and acronyms_in()
    numbers: frozenset[tuple[float, str]]  # (value, unit) pairs, scaled: 3e9 "usd"
    spelled: frozenset[float]  # the values of number words ("deux", "twelve")
    dates: frozenset[str]  # "m3" for March, "y2022", "w1" for Monday
    names: frozenset[str]  # capitalised words not at a sentence start, folded
    # Names seen only as a sentence's first word: as often a capitalised common
    # word ("Built over…", "Pendant sa phase…") as a name: too weak for a guard.
    opening_names: frozenset[str]
    # (value, "+" or "-"): the number a rise or fall word is about ("grew by 21.9%").
    directed: frozenset[tuple[float, str]]
    negated: bool
    hedged: bool
    poles: frozenset[str]  # "direction+", "approval-": the POLARITY_CONCEPTS named
    length: int
    compared: tuple[str, str] | None = None  # comparison_of()


@lru_cache(maxsize=262144)  # the same words come back in every pair (writer speed)
def fold(word: str) -> str:
    """Lowercase and strip accents: "États" and "etats" agree.

    Example:
        >>> fold("Élysée")
        'elysee'
    """
    return fold_uncached(word)


def stem(word: str) -> str:
    """Cut a folded word to its first 5 letters: a crude stem for both languages.

    "mobilisés"/"mobilised"/"mobilisation" share "mobil"; a real stemmer is per
    language and would not let a French word meet its English cognate.
    """
    return word[:5]


def _parse_number(raw: str) -> float:
    compact = raw.replace("\u00a0", " ").replace("\u202f", " ")
    compact = re.sub(r"[ .,](?=\d{3}(?:\D|$))", "", compact)
    return float(compact.replace(",", "."))


def _read_share(share: re.Match[str], found: set[tuple[float, str]]) -> str:
    """Add the share "N in M" stands for (a fraction and its percentage) to found, and
    blank it out; leave "5 in 3" as it is."""
    count, of = float(share.group(1)), float(share.group(2))
    if count >= of:
        return share.group()
    found.update(((round(count / of, 6), ""), (round(count / of * 100, 6), "")))
    return " " * len(share.group())


def numbers_in(text: str) -> frozenset[tuple[float, str]]:
    """Return the (value, unit) pairs of a text, with scale words applied.

    Years (1900-2100 without a unit) are dates, not numbers.

    Example:
        >>> sorted(numbers_in("3 milliards de dollars, soit 2,5 %"))
        [(2.5, 'percent'), (3000000000.0, 'usd')]
        >>> numbers_in("$3 billion") == numbers_in("3 milliards de dollars")
        True
        >>> sorted(numbers_in("entre 1 et 1,5 milliard de dollars"))
        [(1000000000.0, 'usd'), (1500000000.0, 'usd')]
    """
    plain = text.replace("’", "'")
    found: set[tuple[float, str]] = set()
    # "1 in 10" is one share, 10 %, as "one in ten" and "un sur dix" are (number
    # words read it so too): its two numbers are not two values of the claim.
    plain = _DIGIT_SHARE.sub(lambda share: _read_share(share, found), plain)
    # (match, value, unit, scale) of each number, for ranges: "entre 1 et 1,5
    # milliard" is 1e9 to 1.5e9, the first bound takes the second's scale and unit.
    read: list[tuple[re.Match[str], float, str, float]] = []
    for match in _NUMBER.finditer(plain):
        try:
            value = _parse_number(match.group())
        except ValueError:
            continue
        unit = ""
        scale = 1.0
        before = _CURRENCY_BEFORE.search(plain[: match.start()])
        if before:
            unit = _UNITS[before.group(1)]
        after = _UNIT_AFTER.match(plain, match.end())
        if after:
            word = after.group(1).casefold()
            if word in _SCALE_WORDS:
                scale = _SCALE_WORDS[word]
                if after.group(2):
                    unit = _UNITS.get(after.group(2).casefold(), unit)
            elif word in _UNITS:
                unit = _UNITS[word]
        read.append((match, value, unit, scale))
    for n, (match, value, unit, scale) in enumerate(read):
        if n + 1 < len(read) and scale == 1.0:
            following, _, next_unit, next_scale = read[n + 1]
            if (
                next_scale != 1.0
                and unit in ("", next_unit)
                and _RANGE_GLUE.fullmatch(plain, match.end(), following.start())
            ):
                scale, unit = next_scale, next_unit
        value *= scale
        if not unit and value.is_integer() and 1900 <= value <= 2100:
            continue  # a year: dates_in() has it
        if _SHORT_YEAR_SPAN.match(plain, max(match.start() - 5, 0)) and (
            match.end() - match.start() == 2
        ):
            continue  # the "12" of "2011-12"
        found.add((value, unit))
    found.update((value, "") for value in spelled_numbers(plain))
    return frozenset(found)


def dates_in(text: str) -> frozenset[str]:
    """Return the months, weekdays and years a text names, language-free.

    Example:
        >>> sorted(dates_in("Lundi 3 mars 2022"))
        ['m3', 'w1', 'y2022']
    """
    found: set[str] = set()
    for word in _WORD.findall(text.replace("’", "'")):
        folded = fold(word)
        if folded.isdigit() and len(folded) == 4 and 1900 <= int(folded) <= 2100:
            found.add(f"y{folded}")
        elif folded in _MONTHS and (folded != "may" or word[0].isupper()):
            found.add(f"m{_MONTHS[folded]}")
        elif folded in _WEEKDAYS:
            found.add(f"w{_WEEKDAYS[folded]}")
    for span in _SHORT_YEAR_SPAN.finditer(text):
        start = int(span.group(1))
        end = start // 100 * 100 + int(span.group(2))
        found.add(f"y{end + 100 if end < start else end}")  # 1999-00 ends in 2000
    return frozenset(found)


def _without_elision(word: str) -> str:
    """ "l'Ukraine" -> "Ukraine", "ABB's" -> "ABB"."""
    if "'" not in word:
        return word
    head, _, tail = word.rpartition("'")
    return head if tail.casefold() == "s" else tail


def acronyms_in(text: str) -> frozenset[str]:
    """Initials of runs of capitalised words: "Office for Budget Responsibility" -> obr.

    Example:
        >>> sorted(acronyms_in("The Office for Budget Responsibility said"))
        ['obr', 'tobr', 'tobrs']
        >>> "lrem" in acronyms_in("député de La République en marche")
        True
    """
    found = set()
    run: list[str] = []
    words = [*_WORD.findall(text.replace("’", "'")), "."]
    for at, word in enumerate(words):
        if word[:1].isupper():
            run.append(fold(word)[0])
        elif run and fold(word) in _ACRONYM_GLUE:
            continue
        else:
            if len(run) >= 2:
                found.add("".join(run))
                if len(run) > 2:  # "The Office…" opens a sentence
                    found.add("".join(run[1:]))
                # French keeps the last words of a name in lowercase: "La
                # République en marche" is LREM.
                tail = "".join(fold(w)[0] for w in words[at : at + 2] if w.isalpha())
                found.update("".join(run) + tail[:n] for n in (1, 2) if len(tail) >= n)
            run = []
    return frozenset(found)


def names_in(text: str) -> frozenset[str]:
    """Return the capitalised words of a text, folded, less function words.

    A sentence's first word counts too ("India fired…"), unless it is a function
    word or a common opener ("Selon", "The", "Les").

    Example:
        >>> sorted(names_in("Selon Joe Biden, la Russie menace l'Ukraine."))
        ['biden', 'joe', 'russie', 'ukraine']
    """
    starts = {match.start(1) for match in _SENTENCE_START.finditer(text)}
    units = _unit_starts(text)
    found = set()
    for match in _WORD.finditer(text.replace("’", "'")):
        word = _without_elision(match.group())
        if not word[:1].isupper() or match.start() in units:
            continue
        folded = fold(word)
        if folded in _MONTHS or folded in _WEEKDAYS or folded in _STOPWORDS:
            continue
        if match.start() in starts and folded in _OPENERS:
            continue
        if len(folded) > 1:
            found.add(folded)
    return frozenset(found)


# A short capitalised word right after a number is its unit: "150 KB", "150 Ko", "3 GW".
_UNIT_NAME = re.compile(r"\d\s+[A-Z][A-Za-z]{0,2}\b")


def _unit_starts(text: str) -> set[int]:
    return {
        match.end() - len(match.group().split()[-1])
        for match in _UNIT_NAME.finditer(text)
    }


def opening_names_in(text: str) -> frozenset[str]:
    """The names of names_in() that the text has only as a sentence's first word.

    Example:
        >>> sorted(opening_names_in("Built in 2016, FAST is in Guizhou."))
        ['built']
        >>> sorted(opening_names_in("Trump said Trump Tower is his."))
        []
    """
    plain = text.replace("’", "'")
    starts = {match.start(1) for match in _SENTENCE_START.finditer(plain)}
    opening: set[str] = set()
    inside: set[str] = set()
    for match in _WORD.finditer(plain):
        word = _without_elision(match.group())
        if word[:1].isupper():
            (opening if match.start() in starts else inside).add(fold(word))
    return frozenset((opening - inside) & names_in(text))


def is_negated(text: str) -> bool:
    """Return True if the text is negated (French or English).

    Example:
        >>> is_negated("Il n’a jamais dit cela"), is_negated("He said it")
        (True, False)
        >>> is_negated("un niveau jamais vu"), is_negated("Ils ne pêchent que 4 jours")
        (False, False)
    """
    plain = _PRIVATIVE_NO.sub("without", text.replace("’", "'"))
    words = set(re.findall(r"\w+|n't", plain.casefold()))
    english = bool(words & _ENGLISH_NEGATIONS) or "n't" in plain.casefold()
    refusal = bool(_REFUSAL.search(plain))
    return english or refusal or bool(_FRENCH_NEGATION.search(plain))


@cache
def _pole_index() -> dict[str, tuple[str, ...]]:
    """{folded word: the poles it names}, from POLARITY_CONCEPTS and WordNet.

    The written concepts cover French and English; WordNet's antonym pairs
    (data/antonyms.json, benchmarks/build_antonyms.py) add English antonyms that no
    list here foresaw. An index, not a loop over 3,000 concepts: every new text of an
    article is looked at once per word.
    """
    index: dict[str, set[str]] = {}
    written = [*POLARITY_CONCEPTS.items(), *bilingual_concepts().items()]
    for concept, (positive, negative) in written:
        for words, sign in ((positive, "+"), (negative, "-")):
            for word in words:
                index.setdefault(word, set()).add(concept + sign)
    raw = json.loads(
        resources.files("claimtrack.decision")
        .joinpath("data/antonyms.json")
        .read_text(encoding="utf-8")
    )
    written_words = set(index)
    for number, (positive, negative) in enumerate(raw["concepts"]):
        # A WordNet pair that a written concept already holds on both poles (rise /
        # fall) would count one word twice: "grew … fell" against "dropped … rose"
        # holds both directions on each side, yet "fell" and "rose" alone differ.
        if written_words & set(positive) and written_words & set(negative):
            continue
        for words, sign in ((positive, "+"), (negative, "-")):
            for word in words:
                index.setdefault(word, set()).add(f"wn{number}{sign}")
    return {word: tuple(sorted(poles)) for word, poles in index.items()}


def _poles(folded_words: set[str]) -> frozenset[str]:
    index = _pole_index()
    return frozenset(pole for word in folded_words for pole in index.get(word, ()))


def polarity_flipped(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether one text holds a concept's one pole and the other only the other pole.

    Example:
        >>> rose, fell = facts_of("Sales rose"), facts_of("Les ventes ont baissé")
        >>> polarity_flipped(rose.poles, fell.poles)
        True
        >>> wider, narrower = facts_of("The gap widened"), facts_of("It narrowed")
        >>> polarity_flipped(wider.poles, narrower.poles)  # from WordNet
        True
    """
    for concept in {pole[:-1] for pole in first | second}:
        up, down = f"{concept}+", f"{concept}-"
        if (
            up in first and down in second and down not in first and up not in second
        ) or (
            down in first and up in second and up not in first and down not in second
        ):
            return True
    return False


# How far after a rise or fall word its number may stand: "grew by 21.9%", "a reculé
# de 16,1 %", "fell from $327 million".
_DIRECTED_REACH = 30
# Nouns spelled as a direction verb: "contracts in universities grew by 21.9%".
_NOT_DIRECTED = frozenset(("contract", "contracts"))


def directed_numbers(text: str) -> frozenset[tuple[float, str]]:
    """Each number that a rise or fall word is about, with the direction's sign.

    Two claims can hold one rise and one fall each and still disagree on which went
    up: "A grew by 21.9% while B fell by 16.1%" against "A fell by 21.9% while B
    grew by 16.1%". Both have both poles, so polarity_flipped() cannot see it.

    Example:
        >>> sorted(directed_numbers("Sales grew by 21.9% while costs fell by 16.1%"))
        [(16.1, '-'), (21.9, '+')]
    """
    index = _pole_index()
    found = set()
    for match in _WORD.finditer(text):
        word = fold(match.group()).split("'")[-1]
        signs = {pole[-1] for pole in index.get(word, ()) if pole[:-1] == "direction"}
        if len(signs) != 1 or word in _NOT_DIRECTED:
            continue
        number = _NUMBER.search(text, match.end())
        if number is None or number.start() - match.end() > _DIRECTED_REACH:
            continue
        try:
            value = _parse_number(number.group())
        except ValueError:
            continue
        found.add((round(value, 6), signs.pop()))
    return frozenset(found)


def directions_conflict(
    first: frozenset[tuple[float, str]], second: frozenset[tuple[float, str]]
) -> bool:
    """Whether one number rose on one side and fell on the other (and only so).

    Example:
        >>> directions_conflict(frozenset({(21.9, "+")}), frozenset({(21.9, "-")}))
        True
    """
    flip = {"+": "-", "-": "+"}
    return any(
        (value, flip[sign]) in second
        and (value, flip[sign]) not in first
        and (value, sign) not in second
        for value, sign in first
    )


# What a comparison sets against what: "more harm than good", "plus de mal que de
# bien", "removes more carbon than it emits". Swapping the two terms flips the claim
# and keeps every word, so no pole list sees it. The terms are read by position: the
# first content word after "more/less/plus/moins" and the first one after "than/que".
# They are compared by stem (one language) and by poles (across languages): those of
# the polarity index and of the concepts below, which are poles only as terms of a
# comparison ("bien" alone is one of the commonest French words).
COMPARISON_CONCEPTS: dict[str, tuple[str, str, str, str]] = {
    "benefit": (
        "good benefit benefits advantage advantages",
        "bien bienfait bienfaits avantage avantages",
        "harm harms bad damage evil",
        "mal mefait mefaits dommage dommages degat degats",
    ),
    "emission": (
        "emit:v emitted emitting release:v discharge:v",
        "emettre emet emettent emettra emis rejeter rejette rejettent rejetterait "
        "rejetera",
        "remove:v absorb:v capture:v sequester:v",
        "retirer:v absorber:v capter:v capturer:v eliminer:v",
    ),
}
_COMPARATIVES = frozenset(("more", "less", "fewer", "plus", "moins"))
# Most claims compare nothing: a cheap look before reading the words.
_COMPARISON_HINT = re.compile(
    r"\b(?:more|less|fewer|plus|moins)\b.*?\b(?:than|que|qu)\b",
    re.IGNORECASE | re.DOTALL,
)
_THAN = frozenset(("than", "que", "qu"))
# Words between "more"/"than" and the term: pronouns, articles, auxiliaries, "n'en".
_TERM_SKIP = frozenset(
    " ".join(
        (
            "it they he she we you one does did do is was are were has have had will",
            "would can could the a an of its their this that there",
            "il elle ils elles on de d du des le la les l n ne en ce cela ca y s",
        )
    ).split()
)
# How far "than" may stand from "more", and the term from "than", in words.
_COMPARISON_REACH = 14
_TERM_REACH = 4


@cache
def _comparison_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, set[str]] = {}
    for concept, (en_up, fr_up, en_down, fr_down) in COMPARISON_CONCEPTS.items():
        for entries, forms, sign in (
            (en_up, english_forms, "+"),
            (fr_up, french_forms, "+"),
            (en_down, english_forms, "-"),
            (fr_down, french_forms, "-"),
        ):
            for entry in entries.split():
                for form in forms(entry):
                    index.setdefault(form, set()).add(f"cmp-{concept}{sign}")
    return {word: tuple(sorted(poles)) for word, poles in index.items()}


def _term(words: list[str], start: int, stop: int) -> str | None:
    for word in words[start : min(stop, start + _TERM_REACH)]:
        if word in _THAN or word in _COMPARATIVES:
            return None
        if word not in _TERM_SKIP and not word.isdigit():
            return word
    return None


def comparison_of(text: str) -> tuple[str, str] | None:
    """The two terms of a text's first "more X than Y" (folded words), if any.

    Example:
        >>> comparison_of("It can cause more harm than good")
        ('harm', 'good')
        >>> comparison_of("Elle retirera plus de carbone qu'elle n'en rejette")
        ('carbone', 'rejette')
        >>> comparison_of("Sales rose more than expected") is None  # no first term
        True
    """
    if not _COMPARISON_HINT.search(text):
        return None
    words = [
        piece
        for word in _WORD.findall(text.replace("’", "'"))
        for piece in fold(word).split("'")
        if piece
    ]
    for n, word in enumerate(words):
        if word not in _COMPARATIVES:
            continue
        end = min(len(words), n + _COMPARISON_REACH)
        than = next((k for k in range(n + 1, end) if words[k] in _THAN), None)
        if than is None:
            continue
        first, second = _term(words, n + 1, than), _term(words, than + 1, len(words))
        if first and second:
            return first, second
        return None
    return None


def _term_poles(word: str) -> frozenset[str]:
    return frozenset((*_pole_index().get(word, ()), *_comparison_index().get(word, ())))


def comparisons_conflict(
    first: tuple[str, str] | None, second: tuple[str, str] | None
) -> bool:
    """Whether two comparisons set their terms the other way round.

    Example:
        >>> comparisons_conflict(("harm", "good"), ("good", "harm"))
        True
        >>> comparisons_conflict(("mal", "bien"), ("good", "harm"))
        True
        >>> comparisons_conflict(("carbon", "removes"), ("carbone", "rejette"))
        True
        >>> comparisons_conflict(("harm", "good"), ("damage", "benefits"))
        False
    """
    if first is None or second is None:
        return False
    (more_a, than_a), (more_b, than_b) = first, second
    if stem(more_a) != stem(than_a) and (
        stem(more_a) == stem(than_b) and stem(than_a) == stem(more_b)
    ):
        return True
    return polarity_flipped(_term_poles(more_a), _term_poles(more_b)) or (
        polarity_flipped(_term_poles(than_a), _term_poles(than_b))
    )


@lru_cache(maxsize=65536)
def facts_of(text: str) -> TextFacts:
    """Compute the TextFacts of a text (cached: stored claims come back often)."""
    plain = text.replace("’", "'")
    words = [fold(word) for word in _WORD.findall(plain)]
    word_set = set(words) | {w.split("'")[-1] for w in words if "'" in w}
    tokens = frozenset(
        stem(word)
        for word in word_set
        if word not in _STOPWORDS and not word.isdigit() and len(word) > 1
    )
    # "May" capitalised is the month, not the modal.
    raw_words = {w.casefold() for w in _WORD.findall(plain) if w != "May"}
    return TextFacts(
        tokens=tokens,
        words=frozenset(word_set) | acronyms_in(text),
        numbers=numbers_in(text),
        spelled=spelled_numbers(plain),
        dates=dates_in(text),
        names=names_in(text),
        opening_names=opening_names_in(text),
        directed=directed_numbers(plain),
        negated=is_negated(text),
        hedged=_hedged(raw_words, plain),
        # Elided words too: "l'interdiction", "d'augmenter".
        poles=_poles(word_set),
        length=len(text),
        compared=comparison_of(plain),
    )


# PolitiFact words a reviewed claim as what its claimant "Says …" ("Says the state cut
# school funding by 30 percent.", "Says Joe Biden wants to ban fracking."): the framing
# is the fact-checker's, not the claim's, and the claimant is stored apart. Other
# fact-checkers quote the claim whole ("\"We have the lowest unemployment...\"").
_SAYS = re.compile(r"^\s*(?:says|say)\s+(?=\S)", re.IGNORECASE)
_WHOLE_QUOTE = re.compile(r'^\s*["“«]\s*([^"“”«»]+?)\s*[.,]?\s*["”»]\s*[.]?\s*$')


def claim_of_review(text: str) -> str:
    """The claim a fact-check reviews without the fact-checker's framing.

    Its first letter is capitalised again, so that names and sentence starts read as
    in a claim.

    Example:
        >>> claim_of_review("Says the state cut school funding by 30 percent.")
        'The state cut school funding by 30 percent.'
        >>> claim_of_review('"We have the lowest unemployment in 50 years."')
        'We have the lowest unemployment in 50 years.'
        >>> claim_of_review("Sayreville is in New Jersey.")
        'Sayreville is in New Jersey.'
    """
    stripped = _SAYS.sub("", text, count=1)
    quoted = _WHOLE_QUOTE.match(stripped)
    if quoted:
        body = quoted.group(1)
        stripped = body if body.endswith((".", "!", "?")) else f"{body}."
    if stripped == text or not stripped:
        return text
    return stripped[:1].upper() + stripped[1:]
