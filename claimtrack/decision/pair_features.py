"""The features of one pair of claims that the pair model weighs.

Each feature is a number that means the same on tweets, fact-checks and news, in
French and English: cosines of each embedding model, how many (IDF-weighted) words the
two texts share, and whether they agree on numbers, dates, names, polarity, hedging
and speakers.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from claimtrack.decision.place_names import is_demonym, places_in
from claimtrack.decision.text_features import (
    TextFacts,
    acronyms_in,
    comparisons_conflict,
    directions_conflict,
    facts_of,
    fold,
    polarity_flipped,
)
from claimtrack.vectors import FloatArray

# Features of the "same claim" head, in the order of the shipped weights.
FEATURES = (
    "cos_0",
    "cos_1",
    "cos_min",
    "cos_1_same_language",
    "cos_0_cross_lingual",
    "cross_lingual",
    "overlap",
    "overlap_same_language",
    "containment",
    "length_ratio",
    "numbers_conflict",
    "numbers_one_side",
    "numbers_shared",
    "dates_conflict",
    "dates_one_side",
    "names_unmatched",
    "names_lone",
    "names_shared",
    "dates_shared",
    "negation_mismatch",
    "polarity_flip",
    "hedge_mismatch",
    "speaker_conflict",
    "speaker_same",
    "longest",
    "source_conflict",
    "names_substituted",
    "roles_swapped",
    "roles_substituted",
)
# Features that say the polarity flipped; the "same proposition" head leaves them out,
# so that a claim and its negation can score as one proposition (an "opposite").
POLARITY_FEATURES = frozenset(("negation_mismatch", "polarity_flip"))
# Names that differ between French and English but are one place or body; the crude
# stem already joins Russie/Russia, Ukraine, Moscou/Moscow, Chine/China.
_NAME_ALIASES = {
    **dict.fromkeys(("etats-unis", "etats", "unis", "united", "states"), "usa"),
    **dict.fromkeys(("us", "usa", "americains", "americain", "americaine"), "usa"),
    **dict.fromkeys(("american", "americans", "amerique", "america"), "usa"),
    **dict.fromkeys(("washington", "americaines"), "usa"),
    **dict.fromkeys(("royaume-uni", "royaume", "uk", "britain", "british"), "uk"),
    **dict.fromkeys(("britannique", "britanniques", "londres", "london"), "uk"),
    **dict.fromkeys(("allemagne", "germany", "german", "allemand"), "germany"),
    **dict.fromkeys(("chine", "china", "chinese", "chinois", "chinoise"), "china"),
    **dict.fromkeys(("pekin", "beijing"), "china"),
    **dict.fromkeys(("coree", "korea", "korean", "coreen", "coreenne"), "korea"),
    **dict.fromkeys(("nord", "north"), "north"),
    **dict.fromkeys(("sud", "south"), "south"),
    **dict.fromkeys(("suede", "sweden", "swedish", "suedois", "suedoise"), "sweden"),
    **dict.fromkeys(("norvege", "norway", "norwegian", "norvegien"), "norway"),
    **dict.fromkeys(("inde", "india", "indian", "indien", "indienne"), "india"),
    **dict.fromkeys(("indiens", "indiennes", "indians"), "india"),
    **dict.fromkeys(
        ("mexique", "mexico", "mexican", "mexicain", "mexicaine"), "mexico"
    ),
    **dict.fromkeys(("espagne", "spain", "spanish", "espagnol"), "spain"),
    **dict.fromkeys(("liban", "lebanon", "lebanese", "libanais"), "lebanon"),
    **dict.fromkeys(("france", "french", "francais", "francaise"), "france"),
    **dict.fromkeys(("bruxelles", "brussels"), "brussels"),
    # The region around Paris: "l'Île-de-France", "francilien", "the Paris region".
    **dict.fromkeys(("ile-de-france", "francilien", "francilienne"), "paris"),
    **dict.fromkeys(("franciliens", "franciliennes", "paris-region"), "paris"),
    **dict.fromkeys(("kiev", "kyiv", "kiyv"), "kyiv"),
    **dict.fromkeys(("otan", "nato"), "nato"),
    **dict.fromkeys(("onu", "un", "nations", "unies"), "un"),
    **dict.fromkeys(("ue", "eu", "union", "europeenne", "european"), "eu"),
    **dict.fromkeys(("europeen", "europeens", "europeennes", "europe"), "eu"),
    **dict.fromkeys(("delhi", "new-delhi"), "india"),
    **dict.fromkeys(("pyongyang",), "korea"),
    **dict.fromkeys(("russie", "russia", "russes", "russe", "russian"), "russi"),
    **dict.fromkeys(("russians", "kremlin", "moscou", "moscow"), "russi"),
    **dict.fromkeys(("ukrainien", "ukrainiens", "ukrainian", "ukrainians"), "ukrai"),
    **dict.fromkeys(("ukrainienne", "ukraine"), "ukrai"),
    # Ministries and the state, named in each language: "le ministère du Travail" is
    # the "Labor Department", "l'État" the state, a "député européen" an MEP.
    **dict.fromkeys(("travail", "labor", "labour"), "labor"),
    **dict.fromkeys(("sante", "health"), "health"),
    **dict.fromkeys(("logement", "housing"), "housing"),
    **dict.fromkeys(("etat", "state"), "state"),
    **dict.fromkeys(("mep", "meps"), "eu"),
}

# Lowercase, these are common words or halves of a name ("un" article, "told us",
# "le nord du pays"); capitalised, names_in() has them.
_AMBIGUOUS_ALIASES = frozenset(
    {
        *("un", "us", "union", "nations", "unies", "nord", "sud", "north", "south"),
        *("etats", "unis", "states", "united"),
        # "la santé", "the state budget": common words unless capitalised.
        *("travail", "labor", "labour", "sante", "health", "logement", "housing"),
        *("etat", "state"),
    }
)


@dataclass(frozen=True)
class Side:
    """One side of a pair as the features need it."""

    text: str
    language: str
    speaker: str | None = None
    quote_type: str | None = None


@cache
def idf_table() -> tuple[dict[str, float], float]:
    """Return the shipped {stem: idf} table and the idf of an unseen stem."""
    raw = json.loads(
        resources.files("claimtrack.decision")
        .joinpath("data/idf.json")
        .read_text(encoding="utf-8")
    )
    return {str(k): float(v) for k, v in raw["idf"].items()}, float(raw["unseen"])


def _canonical_name(name: str) -> str:
    """One key per name across languages: an alias, else the first 5 letters."""
    return _NAME_ALIASES.get(name, name[:5])


@lru_cache(maxsize=65536)
def _keys(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The name keys of a text, and the keys of all its words."""
    facts = facts_of(text)
    countries, country_words = places_in(text)
    # Lowercase words that name a country count as names: "le marché chinois". Not
    # those that are also common words: French "un" is an article, not the UN.
    # A word of a country's name counts once, as the country: "Russie" is @RU.
    places = {
        _NAME_ALIASES[word]
        for word in facts.words
        if word in _NAME_ALIASES
        and word not in _AMBIGUOUS_ALIASES
        and word not in country_words
    }
    # A name that is (part of) a country's name is that country: "Corée du Nord"
    # is @KP, not the names "coree" and "nord".
    names = frozenset(
        _canonical_name(name)
        for name in facts.names
        if not set(re.split(r"[-']", name)) <= country_words
    )
    words = frozenset(_canonical_name(word) for word in facts.words)
    return names | places | countries, words | countries


def part_cosines(a: FloatArray, b: FloatArray, parts: Sequence[int]) -> list[float]:
    """Cosine of each model's block of two concatenated vectors.

    Example:
        >>> import numpy as np
        >>> part_cosines(np.array([1.0, 0, 0, 1]), np.array([1.0, 0, 1, 0]), [2, 2])
        [1.0, 0.0]
    """
    cosines: list[float] = batch_cosines(a[None, :], b[None, :], parts)[0].tolist()
    return cosines


def batch_cosines(
    a: NDArray[np.floating[Any]], b: NDArray[np.floating[Any]], parts: Sequence[int]
) -> NDArray[np.float64]:
    """The (pairs, parts) cosines of each model's block, row i of a with row i of b."""
    columns = []
    start = 0
    for size in parts:
        left = a[:, start : start + size].astype(np.float64)
        right = b[:, start : start + size].astype(np.float64)
        norms = np.linalg.norm(left, axis=1) * np.linalg.norm(right, axis=1)
        dots = np.einsum("ij,ij->i", left, right)
        columns.append(np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0))
        start += size
    return np.stack(columns, axis=1)


def _weighted(stems: frozenset[str], idf: dict[str, float], unseen: float) -> float:
    return sum(idf.get(token, unseen) for token in stems)


@lru_cache(maxsize=65536)
def _text_weight(text: str) -> float:
    idf, unseen = idf_table()
    return _weighted(facts_of(text).tokens, idf, unseen)


def same_speaker(first: str, second: str) -> bool:
    """Whether two speaker names name one person, across spellings and languages.

    "Joe Biden", "Biden" and "President Biden" are one speaker, and so are "Vladimir
    Poutine" and "Vladimir Putin": the last words are compared, folded, and close
    enough spellings (difflib ratio >= 0.75: Biden and Blinken score 0.67) agree.

    Example:
        >>> same_speaker("Vladimir Poutine", "Putin"), same_speaker("Blinken", "Biden")
        (True, False)
    """
    last = [
        fold(name.strip().split()[-1]) if name.strip() else ""
        for name in (first, second)
    ]
    if not all(last):
        return False
    return last[0] == last[1] or similar_at_least(last[0], last[1], 0.75)


def similar_at_least(first: str, second: str, threshold: float) -> bool:
    """``SequenceMatcher(None, first, second).ratio() >= threshold``, faster.

    ratio() is 2 * matches / total length, and its matches are at most the letters
    the two share as multisets (difflib's ``quick_ratio``) and at most the shorter
    length: when either bound is under the threshold, so is ratio(), and difflib's
    matching (most of the pair model's time on tweets full of names) is skipped.

    Example:
        >>> similar_at_least("poutine", "putin", 0.75), similar_at_least("a", "b", 0.5)
        (True, False)
    """
    length = len(first) + len(second)
    if not length:
        return threshold <= 1.0  # difflib's ratio of two empty strings
    if 2.0 * min(len(first), len(second)) / length < threshold:
        return False
    shared = (_letters(first) & _letters(second)).total()
    if 2.0 * shared / length < threshold:
        return False
    return SequenceMatcher(None, first, second).ratio() >= threshold


@lru_cache(maxsize=65536)
def _letters(text: str) -> Counter[str]:
    """A name's letters as a multiset (names come back in many pairs)."""
    return Counter(text)


def _quoted(side: Side) -> bool:
    return bool(side.speaker) and side.quote_type in ("direct", "mixed")


def pair_features(a: Side, b: Side, *, cosines: Sequence[float]) -> dict[str, float]:
    """Return every feature of FEATURES for one pair, by name.

    Args:
        a: one side.
        b: the other side.
        cosines: the cosine of each embedding model (batch_cosines).
    """
    fa, fb = facts_of(a.text), facts_of(b.text)
    cos_0 = cosines[0]
    cos_1 = cosines[1] if len(cosines) > 1 else cos_0
    cross = float(a.language != b.language)
    idf, unseen = idf_table()
    shared = fa.tokens & fb.tokens
    weight_a, weight_b = _text_weight(a.text), _text_weight(b.text)
    weight_shared = _weighted(shared, idf, unseen)
    overlap = 2 * weight_shared / (weight_a + weight_b) if weight_a + weight_b else 0.0
    containment = (
        weight_shared / min(weight_a, weight_b) if min(weight_a, weight_b) else 0.0
    )
    unmatched, lone, names_shared, substituted = _names(a.text, b.text)
    speaker_conflict = speaker_same = 0.0
    if _quoted(a) and _quoted(b) and a.speaker and b.speaker:
        one = same_speaker(a.speaker, b.speaker)
        speaker_conflict, speaker_same = float(not one), float(one)
    return {
        "cos_0": cos_0,
        "cos_1": cos_1,
        "cos_min": min(cos_0, cos_1),
        # MiniLM is English-only: its cosine means something within one language.
        "cos_1_same_language": cos_1 * (1 - cross),
        "cos_0_cross_lingual": cos_0 * cross,
        "cross_lingual": cross,
        "overlap": overlap,
        "overlap_same_language": overlap * (1 - cross),
        "containment": containment,
        "length_ratio": min(fa.length, fb.length) / max(fa.length, fb.length, 1),
        **_number_features(fa, fb),
        **_date_features(fa, fb),
        "names_unmatched": unmatched,
        "names_lone": lone,
        "names_shared": names_shared,
        "negation_mismatch": float(_negation_mismatch(a.text, b.text)),
        "polarity_flip": float(
            polarity_flipped(fa.poles, fb.poles)
            or directions_conflict(fa.directed, fb.directed)
            # "more harm than good" against "more good than harm"
            or comparisons_conflict(fa.compared, fb.compared)
        ),
        "hedge_mismatch": float(fa.hedged != fb.hedged),
        "speaker_conflict": speaker_conflict,
        "speaker_same": speaker_same,
        # Posts and tweets are long, claims one sentence: lets the model tell how
        # much a long text's lower cosine still means.
        "longest": math.log1p(max(fa.length, fb.length) / 100),
        "source_conflict": float(_source_conflict(a.text, b.text)),
        # Each side names someone or somewhere the other does not: India for China,
        # Cambodia for Laos. A name one side adds is often a paraphrase; a swap is not.
        "names_substituted": float(substituted),
        "roles_swapped": float(_roles_swapped(a.text, b.text)),
        # Roles instead of names: "the attorney general" against "Trump's lawyers".
        "roles_substituted": float(roles_substituted(a.text, b.text)),
    }


def _number_features(fa: TextFacts, fb: TextFacts) -> dict[str, float]:
    values_a = {round(value, 6) for value, _ in fa.numbers}
    values_b = {round(value, 6) for value, _ in fb.numbers}
    both = bool(fa.numbers) and bool(fb.numbers)
    # A unit only one side states ("300 000" against "300 000 soldats") is no conflict;
    # a value in digits that only one side has, when both give numbers, is. Number
    # words are weaker ("deux fois plus" restates "doubled"): they conflict only with
    # other number words.
    digits_a = values_a - fa.spelled
    digits_b = values_b - fb.spelled
    conflict = both and (
        bool(digits_a - values_b)
        or bool(digits_b - values_a)
        # Number words on both sides, each side with one the other lacks: "eleven
        # institutions" against "quinze établissements" (three on both sides).
        or bool(fa.spelled - values_b and fb.spelled - values_a)
        or _units_conflict(fa, fb)
    )
    shared = len(values_a & values_b) / max(len(values_a | values_b), 1)
    return {
        "numbers_conflict": float(conflict),
        "numbers_one_side": float(bool(fa.numbers) != bool(fb.numbers)),
        "numbers_shared": shared,
    }


def _units_conflict(fa: TextFacts, fb: TextFacts) -> bool:
    """Whether one value has a unit on each side, and never the same one.

    "$3 billion" is not "3 milliards d'euros", and a rise of 2 percentage points is
    not a rise of 2 %; a unit that only one side states is no conflict.
    """
    units_a: dict[float, set[str]] = {}
    for value, unit in fa.numbers:
        if unit:
            units_a.setdefault(round(value, 6), set()).add(unit)
    units_b: dict[float, set[str]] = {}
    for value, unit in fb.numbers:
        if unit:
            units_b.setdefault(round(value, 6), set()).add(unit)
    return any(
        not units_a[value] & units_b[value] for value in units_a.keys() & units_b.keys()
    )


def _date_features(fa: TextFacts, fb: TextFacts) -> dict[str, float]:
    both = bool(fa.dates) and bool(fb.dates)
    # Years, months and weekdays are compared apart: "du 24 septembre" restates
    # "le mardi 24 septembre", a weekday only one side names is no conflict.
    conflict = any(
        {d for d in fa.dates if d[0] == kind} != {d for d in fb.dates if d[0] == kind}
        for kind in {d[0] for d in fa.dates} & {d[0] for d in fb.dates}
    )
    return {
        "dates_conflict": float(both and conflict),
        "dates_one_side": float(bool(fa.dates) != bool(fb.dates)),
        "dates_shared": float(len(fa.dates & fb.dates)),
    }


def _names(text_a: str, text_b: str) -> tuple[float, float, float, bool]:
    """Return (share of names the other side lacks, log count of those, in common,
    whether each side has a name the other lacks).

    A name is matched by a name of the other side or by any of its words: French
    writes "les forces russes" where English writes "Russian forces".
    """
    keys_a, _ = _keys(text_a)
    keys_b, _ = _keys(text_b)
    if not keys_a and not keys_b:
        return 0.0, 0.0, 0.0, False
    targets_a, targets_b = _targets(text_a), _targets(text_b)
    lone_a = _lone(keys_a, targets_b, _given_names(text_a))
    lone_b = _lone(keys_b, targets_a, _given_names(text_b))
    # Two sentences' capitalised first words alone are too weak to call a
    # substitution: "Built over half a decade…" against "Construit en cinq ans…" is
    # one claim. One of them against a name inside the other text still is ("Obama
    # cut taxes" against "Donald Trump cut taxes").
    strong_a = lone_a - _opening_keys(text_a)
    strong_b = lone_b - _opening_keys(text_b)
    unmatched = (len(lone_a) + len(lone_b)) / (len(keys_a) + len(keys_b))
    shared = len(keys_a) - len(lone_a)
    lone = len(lone_a) + len(lone_b)
    # A substitution (each side has a name the other lacks) is what a changed
    # actor or place looks like; a name one side adds is often a paraphrase.
    return (
        unmatched,
        math.log1p(lone) * (1 + bool(lone_a and lone_b)),
        math.log1p(shared),
        bool((strong_a and lone_b) or (lone_a and strong_b)),
    )


def _lone(
    keys: frozenset[str], others: _Targets, given: dict[str, frozenset[str]]
) -> set[str]:
    """The keys that the other text does not match. A given name is matched when the
    surname after it is: "François Bayrou" against "Bayrou" names one person."""
    lone = {k for k in keys if not others.match(k)}
    return {
        k for k in lone if not any(others.match(s) for s in given.get(k, frozenset()))
    }


# Two capitalised words alone (a particle between allowed): a given name and the
# surname after it ("Marielle de Sarnez", "Eric Holcomb"). Longer runs are titles and
# places ("New York Attorney General Letitia James"), not read here.
_FULL_NAME = re.compile(
    r"(?<![\w'’-])(?<!\b[A-ZÀ-Ý][^\W\d_] )(?<!\b[A-ZÀ-Ý][^\W\d_]{2} )"
    r"([A-ZÀ-Ý][a-zß-ÿ][^\W\d_]*)\s+(?:(?:de|du|van|von|al|bin|ben|el)\s+)?"
    r"([A-ZÀ-Ý][^\W\d_]+)(?![\w'’-])(?!\s+[A-ZÀ-Ý])",
    re.UNICODE,
)
_CAPITALISED_BEFORE = re.compile(r"[A-ZÀ-Ý][^\W\d_]*\s+$", re.UNICODE)
# Second words that make a body or a place, not a person: "Harvard University" and
# "Yale University" are two names, not one Harvard with another given name.
_NOT_SURNAMES = frozenset(
    fold(word)
    for line in (
        "university université college school école institute institut department",
        "ministry ministère agency agence council conseil committee commission court",
        "cour party parti group groupe bank banque company hospital hôpital airport",
        "aéroport city ville county state province region région island street rue",
        "river lake sea ocean times post news house senate sénat",
    )
    for word in line.split(" ")
)


@lru_cache(maxsize=65536)
def _given_names(text: str) -> dict[str, frozenset[str]]:
    """Keys of the words that open a full name, each with its surname keys."""
    plain = text.replace("’", "'")
    given: dict[str, set[str]] = {}
    for match in _FULL_NAME.finditer(plain):
        before = plain[max(0, match.start() - 40) : match.start()]
        if _CAPITALISED_BEFORE.search(before):
            continue  # inside a longer run of capitalised words
        if fold(match.group(2)) in _NOT_SURNAMES:
            continue
        first, last = (_canonical_name(fold(word)) for word in match.groups())
        given.setdefault(first, set()).add(last)
    return {first: frozenset(last) for first, last in given.items()}


@lru_cache(maxsize=65536)
def _opening_keys(text: str) -> frozenset[str]:
    """Name keys that come only from a word opening a sentence (not countries)."""
    facts = facts_of(text)
    others = {_canonical_name(name) for name in facts.names - facts.opening_names}
    return frozenset(
        key
        for key in (_canonical_name(name) for name in facts.opening_names)
        if key not in others
    )


def _has_match(key: str, others: frozenset[str] | set[str]) -> bool:
    if key.startswith("@"):  # a country key: Iran is not Iraq, however close
        return key in others
    return key in others or any(_close(key, other) for other in others)


class _Targets:
    """A text's name and word keys, by first letter: what ``_has_match`` tries.

    ``_close`` is False for two keys whose first letters differ, unless both are
    hard c's (Kadhafi/Gaddafi), so only those keys are tried: the same answer as
    ``_has_match(key, keys | words)`` without a call per key of the other text
    (that loop was a third of the pair model's time).
    """

    def __init__(self, keys: frozenset[str]) -> None:
        self.keys = keys
        self.by_first: dict[str, list[str]] = {}
        for key in keys:
            self.by_first.setdefault(key[:1], []).append(key)
        self.hard = [key for key in keys if key[:1] in _HARD_C]

    def match(self, key: str) -> bool:
        """``_has_match(key, keys)``."""
        if key in self.keys:
            return True
        if key.startswith("@"):  # a country key: Iran is not Iraq, however close
            return False
        first = key[:1]
        if any(_close(key, other) for other in self.by_first.get(first, ())):
            return True
        return first in _HARD_C and any(
            _close(key, other) for other in self.hard if other[:1] != first
        )


@lru_cache(maxsize=65536)
def _targets(text: str) -> _Targets:
    """The keys a name of another text is matched against (``_keys``, joined)."""
    keys, words = _keys(text)
    return _Targets(keys | words)


@lru_cache(maxsize=262144)
def _close(first: str, second: str) -> bool:
    # Spellings differ across languages (Poutine/Putin, Soumy/Sumy): close is enough.
    # Names that do not share their first letter are never close; that skips most
    # of difflib's work.
    if first[:1] == second[:1]:
        if similar_at_least(first, second, 0.75):
            return True
        if not (_varies_by_sound(first) or _varies_by_sound(second)):
            return False
        return similar_at_least(_sounds(first), _sounds(second), 0.8)
    # Transliterations: Kadhafi/Gaddafi, Netanyahou/Netanyahu (whose first letters
    # agree, compared with the letters transliterations vary on made alike).
    if {first[:1], second[:1]} <= _HARD_C:
        one, other = _sounds(first), _sounds(second)
        return similar_at_least(one, other, 0.8)
    return False


_HARD_C = frozenset("cgkq")


_SOUND_RULES = (
    ("ou", "u"),
    ("ph", "f"),
    ("y", "i"),
    ("q", "k"),
    ("c", "k"),
    ("g", "k"),
)


def _varies_by_sound(name: str) -> bool:
    """Whether a name holds a spelling transliterations vary: ou, ph, y or h."""
    return "ou" in name or "ph" in name or "y" in name or "h" in name


@lru_cache(maxsize=65536)
def _sounds(name: str) -> str:
    """A name's spelling with the letters transliterations vary on made alike."""
    for written, sound in _SOUND_RULES:
        name = name.replace(written, sound)
    name = name.replace("h", "")
    return re.sub(r"(.)\1+", r"\1", name)


# Who a reported claim is attributed to: "Flydubai says …", "… selon la police",
# "According to the OBR, …". Direct quotes have their speaker (speaker_conflict);
# this is the same check for reported speech, read off the text.
_SAYS_AFTER = re.compile(
    r"^(?P<source>[^,;:«“\"]{2,80}?)\s+(?:says|said|claims|claimed|told|reports|reported"
    r"|announced|affirme|affirment|a affirmé|ont affirmé|déclare|a déclaré|assure"
    r"|a assuré|annonce|a annoncé|estime|a estimé|indique|a indiqué|dit|a dit)\b",
    re.IGNORECASE,
)
_ACCORDING_TO = re.compile(
    r"\b(?:according to|selon|d'après|d’après)\s+(?P<source>[^,.;:]{2,60})",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def _source_keys(text: str) -> frozenset[str] | None:
    """The name and word keys of who a reported claim is attributed to, if anyone."""
    match = _SAYS_AFTER.search(text) or _ACCORDING_TO.search(text)
    if not match:
        return None
    source = match.group("source")
    names, _ = _keys(source[:1].upper() + source[1:])
    # "A University and College Union report" is "a report from the UCU".
    return names | acronyms_in(source) or None


def _source_conflict(text_a: str, text_b: str) -> bool:
    """Whether both texts attribute the claim, to sources that share no name.

    Example:
        >>> _source_conflict("Flydubai says there is no proof.",
        ...                  "Nepal's aviation authority says there is no proof.")
        True
        >>> _source_conflict("Flydubai says there is no proof.",
        ...                  "Selon Flydubai, rien ne le prouve.")
        False
    """
    first, second = _source_keys(text_a), _source_keys(text_b)
    if first is None or second is None:
        return False
    return not any(_has_match(key, second) for key in first)


# Words before a sentence's subject: "L'Inde a tiré", "The US warned".
_DETERMINERS = frozenset(("le", "la", "les", "l", "the"))
_LEADING_WORDS = re.compile(r"[^\W\d_]+(?:['’]s\b)?", re.UNICODE)


@lru_cache(maxsize=65536)
def _subject_key(text: str) -> str | None:
    """The country a claim opens with, if it opens with one.

    News claims open with their subject ("India fired…", "L'Inde a tiré…"); a
    possessive ("Holly Bowles's friend") is not the subject. Countries only: a
    capitalised word that opens a sentence is as often no subject ("Twice a year,
    the OBR…", "Le Village olympique de Paris…").
    """
    words = _LEADING_WORDS.findall(text.replace("’", "'")[:120])
    while words and fold(words[0]) in _DETERMINERS:
        words = words[1:]
    if not words or words[0].endswith("'s") or not words[0][:1].isupper():
        return None
    for size in range(1, 5):
        countries, consumed = places_in(" ".join(words[:size]))
        if len(countries) == 1 and fold(words[0]) in consumed:
            # "Australian teenager Holly Bowles": a demonym qualifies the subject.
            return None if is_demonym(words[0]) else next(iter(countries))
    return None


def _roles_swapped(text_a: str, text_b: str) -> bool:
    """Whether two claims open with different countries that both sides name.

    "India fired into Pakistan" against "Pakistan fired into India": one set of
    names, the roles swapped.

    Example:
        >>> _roles_swapped("India fired missiles into Pakistan.",
        ...                "Le Pakistan a tiré des missiles sur l'Inde.")
        True
        >>> _roles_swapped("India fired missiles into Pakistan.",
        ...                "L'Inde a tiré des missiles sur le Pakistan.")
        False
    """
    first, second = _subject_key(text_a), _subject_key(text_b)
    if first is None or second is None or first == second:
        return False
    return _targets(text_b).match(first) and _targets(text_a).match(second)


# Who acts, when it is a role and not a name: "an expert for the attorney general"
# against "an expert for Trump's lawyers". Each role in English and French (folded;
# a two-word phrase joined by "_" is read before its words: "attorney general" is
# the prosecutor, not a lawyer). Written from general
# knowledge of who acts in news claims: courts, forces, governments, workers.
ROLES: dict[str, tuple[str, ...]] = {
    "prosecutor": (
        "prosecutor prosecutors prosecution attorney_general attorneys_general",
        "district_attorney procureur procureurs procureure procureures parquet",
        "ministere_public",
    ),
    "defence": (
        "lawyer lawyers defence defense attorney attorneys counsel avocat",
        "avocats avocate avocates",
    ),
    "judge": ("judge judges juge juges magistrate magistrates magistrat magistrats",),
    "police": ("police policemen policiers gendarmes gendarmerie",),
    "army": (
        "army armies military soldiers troops armee armees militaires soldats",
        "troupes",
    ),
    "unions": ("union unions trade_unions syndicat syndicats syndicale syndicales",),
    "employers": ("employers bosses patronat patrons employeurs",),
    "teachers": ("teachers enseignants enseignantes professeurs instituteurs",),
    "students": ("students etudiants etudiantes eleves pupils",),
    "doctors": ("doctors physicians medecins",),
    "nurses": ("nurses infirmiers infirmieres",),
    "researchers": ("researchers scientists chercheurs chercheuses scientifiques",),
    "voters": ("voters electeurs electrices",),
    "investors": ("investors investisseurs shareholders actionnaires",),
}


@cache
def _role_index() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """({two-word phrase: role}, {word: role}) from ROLES."""
    compounds: dict[tuple[str, str], str] = {}
    words: dict[str, str] = {}
    for role, lines in ROLES.items():
        for entry in " ".join(lines).split():
            if "_" in entry:
                first, second = entry.split("_")
                compounds[first, second] = role
            else:
                words[entry] = role
    return compounds, words


@lru_cache(maxsize=65536)
def roles_in(text: str) -> frozenset[str]:
    """The roles a text names (ROLES), two-word phrases first.

    Example:
        >>> sorted(roles_in("An expert for the attorney general found"))
        ['prosecutor']
        >>> sorted(roles_in("Un expert mandaté par les avocats de Trump"))
        ['defence']
    """
    compounds, single = _role_index()
    words = [fold(w) for w in re.findall(r"[^\W\d_]+", text.replace("’", "'"))]
    found = set()
    n = 0
    while n < len(words):
        role = compounds.get((words[n], words[n + 1])) if n + 1 < len(words) else None
        if role:
            found.add(role)
            n += 2
            continue
        role = single.get(words[n])
        if role:
            found.add(role)
        n += 1
    return frozenset(found)


def roles_substituted(text_a: str, text_b: str) -> bool:
    """Whether both sides name roles (ROLES) and none in common.

    Example:
        >>> roles_substituted("An expert for the attorney general found fraud.",
        ...                   "An expert for Trump's lawyers found fraud.")
        True
        >>> roles_substituted("Prosecutors found fraud.",
        ...                   "Le parquet a constaté une fraude.")
        False
    """
    first, second = roles_in(text_a), roles_in(text_b)
    # A role both sides name is who acts in both: the other roles are then more
    # often who is acted on ("unions back teachers who refuse to test pupils").
    return bool(first) and bool(second) and not first & second


# A word that says "not" by itself: "unencrypted", "independent", "non-binding",
# "harmless", "without consulting", "sans consulter".
_PRIVATIVE_PREFIXES = ("non-", "non", "un", "in", "im", "dis")
_PRIVATIVE_WORDS = frozenset(("without", "sans"))


def _common_prefix(first: str, second: str) -> int:
    n = 0
    for x, y in zip(first, second, strict=False):
        if x != y:
            break
        n += 1
    return n


def _same_root(root: str, word: str) -> bool:
    """ "funded" and "funding", "dependent" and "depend": one root."""
    shared = _common_prefix(root, word)
    return shared >= 4 and shared >= min(len(root), len(word)) - 3


@lru_cache(maxsize=65536)
def _privative_roots(text: str) -> frozenset[str]:
    """The roots a text negates by a word, not a negation: "unencrypted" ->
    "encrypted", "without consulting" -> "consulting"."""
    words = [fold(w) for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text)]
    roots = set()
    for n, word in enumerate(words):
        if word in _PRIVATIVE_WORDS and n + 1 < len(words):
            roots.add(words[n + 1])
            continue
        if word.endswith("less") and len(word) >= 8:
            roots.add(word[:-4])
        for prefix in _PRIVATIVE_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 5:
                roots.add(word[len(prefix) :])
    return frozenset(roots)


def _negation_mismatch(text_a: str, text_b: str) -> bool:
    """Whether one side is negated and the other not, unless the other says "not"
    with a word whose root the negated side holds: "files left unencrypted"
    restates "files are not encrypted", "without consulting" "did not consult".

    Example:
        >>> _negation_mismatch("The files are left unencrypted.",
        ...                    "The files are not encrypted.")
        False
        >>> _negation_mismatch("The OBR is independent.", "The OBR is not independent.")
        True
    """
    fa, fb = facts_of(text_a), facts_of(text_b)
    if fa.negated == fb.negated:
        return False
    positive, negated = (text_b, fa) if fa.negated else (text_a, fb)
    roots = _privative_roots(positive)
    return not any(
        _same_root(root, word)
        for root in roots
        for word in negated.words
        # "not independent" holds "independent", not the root "dependent".
        if not (word.endswith(root) and len(word) > len(root))
    )
