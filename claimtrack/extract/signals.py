"""Two sentence signals the check-worthiness scorer needs beyond its learned weights.

* ``quantities``: the numbers of a sentence that measure something ("300 000
  réservistes", "4.5%", "$2 billion", "three million"), as opposed to digits that name,
  date or order ("Covid-19", "16 heures", "2022", "le 1er mars", "the third"). A claim
  is a ``statistic`` only when it has one.
* ``is_page_furniture``: a sentence that belongs to the page, not to the story
  (subscribe boxes, "Lire aussi", copyright lines, photo credits, advertising). Such
  sentences rank at the bottom whatever their words: the debate and ClaimBuster
  sentences the model learns from contain none, so their scores would be arbitrary.

Both are hand-written because no library classifies them at sentence level:
trafilatura removes boilerplate from HTML pages, but JSONL articles and pages it lets
through still carry such lines, and spaCy's entity types (the English ``CARDINAL``,
``DATE``…) do not exist in the French model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

# Words after a number that make it a clock time, a date or a duration of a schedule
# rather than a measured quantity.
_TIME_UNITS = frozenset(
    [
        "h",
        "heure",
        "heures",
        "hrs",
        "h00",
        "minute",
        "minutes",
        "min",
        "am",
        "pm",
        "a.m.",
        "p.m.",
        "o'clock",
    ]
)
_MONTHS = frozenset(
    [
        "janvier",
        "février",
        "fevrier",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "aout",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
        "decembre",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
# Number words that are quantities even when spelled out ("trois millions", "dozens").
_SCALE_WORDS = frozenset(
    [
        "million",
        "millions",
        "milliard",
        "milliards",
        "billion",
        "billions",
        "trillion",
        "trillions",
        "millier",
        "milliers",
        "thousand",
        "thousands",
        "hundreds",
        "centaines",
        "dizaines",
        "dozens",
        "percent",
        "pourcent",
    ]
)
_PERCENT_PHRASES = ("pour cent", "per cent", "percent", "pourcentage")
_CURRENCY = set("$€£¥%‰")
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th|e|er|ère|re|ème|eme|è|ᵉ|ᵉʳ)$", re.IGNORECASE)
_YEAR = re.compile(r"^(1[5-9]|20)\d\d$")
_DIGITS = re.compile(r"\d")
# A digit glued to letters names something: "Covid-19", "G7", "A320", "F-35", "5G"...
_NAMED = re.compile(r"[A-Za-zÀ-ÿ]-?\d|\d-?[A-Za-zÀ-ÿ]")
# ... unless the letters are a unit of measure: "-30C", "20°C", "10km", "3bn", "5kg".
_WITH_UNIT = re.compile(
    r"^[-\u2212+]?\d+([.,]\d+)?\s?(°\s?[CF]?|C|F|km|m|cm|mm|kg|mg|g|t|ha|kWh|kW|MW|GW|TWh|"
    r"GWh|bn|mn|k)$"
)
# Spelled-out numbers that count nothing on their own ("one of them", "l'un des").
_NOT_A_COUNT = frozenset(["one", "un", "une", "zero", "zéro", "none"])
_DEFINITE = frozenset(
    ["the", "these", "those", "les", "ces", "ses", "leurs", "nos", "vos", "mes"]
)
_DATING_BEFORE = frozenset(
    ["next", "last", "past", "every", "coming", "previous", "first", "few"]
)
_DATING_AFTER = frozenset(["ago", "old", "later", "earlier", "before", "after"])
# English NER types durations as DATE; "served 20 years" measures, "20 years ago" dates.
_DURATION_UNITS = frozenset(
    [
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "decade",
        "decades",
        "century",
        "centuries",
    ]
)
_DATE_LIKE = re.compile(
    r"^\d{1,2}[/-]\d{1,2}([/-]\d{2,4})?$|^\d{1,2}\.\d{1,2}\.\d{2,4}$"
    r"|^\d{1,2}:\d{2}$|^\d+h\d*$"
)


def _neighbour(token: Token, step: int) -> Token | None:
    index = token.i + step
    doc = token.doc
    return doc[index] if 0 <= index < len(doc) else None


def _is_quantity(token: Token) -> bool:
    text = token.text
    lower = token.lower_
    if lower in _SCALE_WORDS or any(ch in _CURRENCY for ch in text):
        return True
    after = _neighbour(token, 1)
    before = _neighbour(token, -1)
    if token.ent_type_ in ("DATE", "TIME", "ORDINAL"):
        # English NER: "2022", "March 3", "16:00", "3rd", "recent years".
        number = bool(_DIGITS.search(text)) or token.like_num
        return number and lower not in _NOT_A_COUNT and _is_duration(token)
    if not _DIGITS.search(text):
        return _is_count_word(token)
    if _WITH_UNIT.match(text):
        return True
    if _ORDINAL.match(text) or _DATE_LIKE.match(text) or _NAMED.search(text):
        return False
    if (
        before is not None
        and before.pos_ == "PROPN"
        and before.is_title
        and not (after is not None and after.pos_ == "NOUN" and after.is_lower)
    ):
        return False  # a number in a name: "World War 3", "Apollo 11", "Windows 10"
    if after is not None and after.lower_ in _TIME_UNITS | _MONTHS:
        return False
    if before is not None and before.lower_ in _MONTHS:
        return False  # "March 3", "mars 2022"
    if _YEAR.match(text.replace("\u202f", "").replace("\xa0", "")):
        # A bare year; "2000 soldats" (a count of 2000) is told apart by its noun.
        return after is not None and after.pos_ == "NOUN" and token.dep_ == "nummod"
    return True


def _is_count_word(token: Token) -> bool:
    """Whether a spelled-out number counts something: "three members", "deux morts".

    "les deux alliés" and "the two sides" name a pair rather than count; "first" and
    "one of them" count nothing. The small French parser sometimes tags the number a
    noun ("douze blessés"), so the word after it counts as well as the parse's head.
    """
    if not token.like_num or token.lower_ in _NOT_A_COUNT:
        return False
    if token.pos_ not in ("NUM", "NOUN") or "Ord" in token.morph.get("NumType", []):
        return False
    before, after = _neighbour(token, -1), _neighbour(token, 1)
    if before is not None and before.lower_ in _DEFINITE:
        return False
    counted = token.dep_ == "nummod" and token.head.pos_ == "NOUN"
    return counted or (after is not None and after.pos_ in ("NOUN", "ADJ"))


def _is_duration(token: Token) -> bool:
    """Whether a number the English NER calls a date measures a span of time.

    "served over 20 years" measures; "20 years ago", "seven years later", "the next
    five years" and "every two years" place or repeat an event.
    """
    after = _neighbour(token, 1)
    before = _neighbour(token, -1)
    following = _neighbour(token, 2)
    return (
        after is not None
        and after.lower_ in _DURATION_UNITS
        and not (before is not None and before.lower_ in _DATING_BEFORE)
        and not (following is not None and following.lower_ in _DATING_AFTER)
    )


def quantities(tokens: Iterable[Token]) -> list[str]:
    """Return the tokens (of a span, or any tokens) that measure a quantity.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> quantities(nlp("Covid-19 cases rose 12% in 2021")[:])
    ['12', '%']
    """
    tokens = list(tokens)
    found = [token.text for token in tokens if _is_quantity(token)]
    text = " ".join(token.lower_ for token in tokens)
    found += [phrase for phrase in _PERCENT_PHRASES if phrase in text]
    return found


# Page furniture: a pattern that matches where such a line starts, or anywhere.
_FURNITURE_START = re.compile(
    r"^\W*("
    r"lire aussi|à lire aussi|a lire aussi|lire la suite|voir aussi|à voir aussi|"
    r"read more|read also|see also|related\s*:|related (articles|stories)|most read|"
    r"abonnez-vous|inscrivez-vous|s'abonner|subscribe|sign up|signup|"
    r"newsletter|suivez-nous|follow us|partager\s*(:|sur|cet)|share this|share on|"
    r"publicité|advertisement|sponsored|contenu sponsorisé|"
    r"photos?\s*:|crédits? photo|crédits?\s*:|credits?\s*:|image\s*:|"
    r"copyright|all rights reserved|tous droits réservés|"
    r"click here|cliquez ici|download (the|our)|téléchargez"
    r")",
    re.IGNORECASE,
)
_FURNITURE_ANYWHERE = re.compile(
    r"(©|\(c\)\s*\d{4}|all rights reserved|tous droits réservés|"
    r"\bphoto\s*(by|:)|\bcrédit photo|\bphoto credit|"
    r"/\s*(afp|reuters|ap|getty images)\b|\bgetty images\b|https?://|www\.|\S+@\S+\.\w+|"
    r"\babonnez-vous\b|\bsubscribe (now|today|to)\b|\bsign up (for|to|now)\b|"
    r"\bnewsletter\b|\bpromo code\b|\bcode promo\b|\bfree trial\b|\bessai gratuit\b|"
    r"\boffre (spéciale|exclusive|d'abonnement)\b|\blimited[- ]time offer\b|"
    r"/\s?mois\b|/\s?month\b|\d\s?% off\b|\bbuy now\b|\bshop now\b|"
    r"\border now\b|\bcommandez\b|\bachetez\b|\bunsubscribe\b|\bdésabonner\b)",
    re.IGNORECASE,
)


def is_page_furniture(text: str) -> bool:
    """Whether a sentence is page furniture or advertising rather than reporting.

    >>> is_page_furniture("Abonnez-vous pour lire la suite de cet article.")
    True
    >>> is_page_furniture("Le chômage a baissé de 0,3 point au troisième trimestre.")
    False
    """
    stripped = text.strip()
    return bool(
        _FURNITURE_START.match(stripped) or _FURNITURE_ANYWHERE.search(stripped)
    )
