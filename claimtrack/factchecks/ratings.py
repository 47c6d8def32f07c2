"""Normalise fact-check ratings onto one scale, from numbers or French/English text.

The scale is the ``Rating`` literal of ``claimtrack.models``:

=================  ==============================================================
rating             meaning, and what maps onto it
=================  ==============================================================
``false``          the claim is wrong: "False", "Faux", "Pants on Fire", "Intox",
                   "Fake", "Incorrect", "Four Pinocchios", "Misattributed"
``mostly false``   wrong in its main point, or it leaves a false impression:
                   "Mostly False", "Barely True", "Plutôt faux", "Misleading",
                   "Trompeur", "Missing context", "Hors contexte", "Exagéré"
``mixed``          partly right, partly wrong: "Half True", "Mixture",
                   "Partly false", "En partie vrai", "À nuancer"
``mostly true``    right in its main point: "Mostly True", "Plutôt vrai"
``true``           the claim is right: "True", "Vrai", "Correct", "Exact"
``unverifiable``   the evidence does not settle it: "Unproven", "Unverified",
                   "Invérifiable", "Non prouvé", "No evidence"
``other``          a rating we do not recognise, or one that is not about truth:
                   "Satire", "Full Flop", "Opinion". Never dropped: the original
                   text is kept beside it in ``rating_text``.
=================  ==============================================================

Text comes first: when the rating text is in the lexicon, it decides. Publishers'
numeric scales disagree with each other (some put 1 for "True"), while their words
do not. Otherwise ``ratingValue`` is placed on the ``worstRating``..``bestRating``
range (schema.org defaults: 1..5) and rounded to the nearest of the five truth levels.
"""

from __future__ import annotations

import re
import unicodedata

from claimtrack.models import Rating

_LEXICON: dict[Rating, tuple[str, ...]] = {
    "false": (
        *("false", "totally false", "completely false", "entirely false", "fake"),
        *("pants on fire", "pants fire", "pants on fire!", "incorrect", "wrong"),
        *("inaccurate", "four pinocchios", "fabricated", "hoax", "scam", "fake news"),
        *("misattributed", "miscaptioned", "not true", "untrue", "debunked"),
        *("faux", "fausse", "c'est faux", "totalement faux", "completement faux"),
        *("archi faux", "intox", "infox", "inexact", "bidon", "fake", "arnaque"),
        *("canular", "montage", "detourne", "fausse information", "erreur"),
        *("altered", "altered image", "altered photo", "altered video", "doctored"),
        *("manipulated", "manipulated media", "photo truquee", "image truquee"),
    ),
    "mostly false": (
        *("mostly false", "barely true", "mostly inaccurate", "three pinocchios"),
        *("misleading", "missing context", "out of context", "lacks context"),
        *("needs context", "cherry picks", "spins the facts"),
        *("exaggerated", "exaggeration", "false context", "distorts the facts"),
        *("plutot faux", "largement faux", "globalement faux", "trompeur"),
        *("trompeuse", "manque de contexte", "hors contexte", "sorti de son contexte"),
        *("exagere", "exageree", "exagération", "essentiellement faux"),
    ),
    "mixed": (
        *("half true", "mixture", "mixed", "partly false", "partly true"),
        *("partially false", "partially true", "two pinocchios", "half right"),
        *("en partie vrai", "en partie faux", "a moitie vrai", "partiellement vrai"),
        *("partiellement faux", "a nuancer", "vrai mais", "plutot vrai mais"),
        *("ni vrai ni faux", "mitige", "contrasté"),
    ),
    "mostly true": (
        *("mostly true", "mostly correct", "mostly accurate", "one pinocchio"),
        *("largely accurate", "largely true", "plutot vrai", "largement vrai"),
        *("globalement vrai", "essentiellement vrai", "presque vrai"),
    ),
    "true": (
        *("true", "correct", "accurate", "correct attribution", "geppetto checkmark"),
        *("vrai", "c'est vrai", "exact", "exacte", "correcte", "confirme"),
    ),
    "unverifiable": (
        *("unproven", "unverified", "unverifiable", "unsupported", "no evidence"),
        *("unsubstantiated", "not proven", "research in progress", "undetermined"),
        *("invérifiable", "inverifiable", "non verifie", "non verifiable"),
        *("non prouve", "pas de preuve", "aucune preuve", "impossible a verifier"),
        *("infonde", "sans fondement", "incertain", "on ne sait pas"),
    ),
}
_LEVELS: tuple[Rating, ...] = (
    "false",
    "mostly false",
    "mixed",
    "mostly true",
    "true",
)
# PolitiFact's and Snopes' machine labels ("pants-fire", "half-flip") need no entry
# of their own: hyphens become spaces before lookup.
_SPLIT = re.compile(r"[.:;!?,(\[—–]| - ")


def _fold(text: str) -> str:
    """Casefold, strip accents and normalise apostrophes, hyphens and spaces."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").casefold()
    text = "".join(
        char
        for char in unicodedata.normalize("NFKD", text)
        if not unicodedata.combining(char)
    )
    text = re.sub(r"[-_]+", " ", text)
    return " ".join(text.strip(" \"'«».!").split())


_BY_TEXT: dict[str, Rating] = {
    _fold(phrase): rating for rating, phrases in _LEXICON.items() for phrase in phrases
}


def rating_from_text(text: str | None) -> Rating | None:
    """Return the rating a textual verdict means, "other" if unknown, None if empty.

    The whole text is looked up first, then its first clause, so that long verdicts
    such as "Faux. Cette photo date de 2015" still read as "false".

    Example:
        >>> rating_from_text("Plutôt vrai")
        'mostly true'
        >>> rating_from_text("Pants on Fire!")
        'false'
    """
    if text is None or not text.strip():
        return None
    folded = _fold(text)
    if folded in _BY_TEXT:
        return _BY_TEXT[folded]
    first = _fold(_SPLIT.split(text.replace("\u2019", "'"), maxsplit=1)[0])
    return _BY_TEXT.get(first, "other")


def rating_from_value(
    value: float | str | None,
    *,
    best: float | str | None = None,
    worst: float | str | None = None,
) -> Rating | None:
    """Place ratingValue on the worstRating..bestRating range (default 1..5).

    Returns None when the value is missing, not a number, or outside the range.

    Example:
        >>> rating_from_value(2, best=5, worst=1)
        'mostly false'
    """
    number, high, low = _number(value), _number(best), _number(worst)
    if number is None:
        return None
    high = 5.0 if high is None else high
    low = 1.0 if low is None else low
    if high == low or not min(low, high) <= number <= max(low, high):
        return None
    fraction = (number - low) / (high - low)
    return _LEVELS[int(fraction * 4 + 0.5)]


def normalise_rating(
    text: str | None,
    value: float | str | None = None,
    *,
    best: float | str | None = None,
    worst: float | str | None = None,
) -> Rating | None:
    """Return the normalised rating of a review: text when known, else the numbers.

    Args:
        text: the textual rating (``alternateName``, ``textualRating``, ...).
        value: ``ratingValue``, when given.
        best: ``bestRating``; schema.org's default is 5.
        worst: ``worstRating``; schema.org's default is 1.

    Returns:
        One of the ``Rating`` values, "other" for an unknown text with no usable
        number, or None when the review gives no rating at all.
    """
    from_text = rating_from_text(text)
    if from_text is not None and from_text != "other":
        return from_text
    return rating_from_value(value, best=best, worst=worst) or from_text


def _number(value: float | str | None) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
