"""The features of one pair of claims that the pair model weighs.

Each feature is a number that means the same on tweets, fact-checks and news, in
French and English: cosines of each embedding model, how many (IDF-weighted) words the
two texts share, and whether they agree on numbers, dates, names, polarity, hedging
and speakers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from claimtrack.decision.text_features import TextFacts, facts_of
from claimtrack.vectors import FloatArray

# Features of the "same claim" head, in the order of the shipped weights.
FEATURES = (
    "cos_0",
    "cos_1",
    "cos_min",
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
    "names_unmatched_same_language",
    "names_shared",
    "negation_mismatch",
    "direction_flip",
    "contrary_mismatch",
    "hedge_mismatch",
    "speaker_conflict",
    "speaker_same",
    "is_fact_check",
)
# Features that say the polarity flipped; the "same proposition" head leaves them out,
# so that a claim and its negation can score as one proposition (an "opposite").
POLARITY_FEATURES = frozenset(
    ("negation_mismatch", "direction_flip", "contrary_mismatch")
)
# Names that differ between French and English but are one place or body; the crude
# stem already joins Russie/Russia, Ukraine, Moscou/Moscow, Chine/China.
_NAME_ALIASES = {
    **dict.fromkeys(("etats", "unis", "united", "states", "us", "usa"), "usa"),
    **dict.fromkeys(("americains", "americain", "americaine", "american"), "usa"),
    **dict.fromkeys(("americans", "amerique", "america", "washington"), "usa"),
    **dict.fromkeys(("royaume", "uni", "uk", "britain", "british"), "uk"),
    **dict.fromkeys(("allemagne", "germany", "german", "allemand"), "germany"),
    **dict.fromkeys(("pekin", "beijing"), "china"),
    **dict.fromkeys(("kiev", "kyiv", "kiyv"), "kyiv"),
    **dict.fromkeys(("otan", "nato"), "nato"),
    **dict.fromkeys(("onu", "un", "nations", "unies", "united"), "un"),
    **dict.fromkeys(("ue", "eu", "union", "europeenne", "european"), "eu"),
    **dict.fromkeys(("russes", "russe", "russian", "russians", "kremlin"), "russi"),
    **dict.fromkeys(("ukrainien", "ukrainiens", "ukrainian", "ukrainians"), "ukrai"),
    **dict.fromkeys(("cia",), "cia"),
}


@dataclass(frozen=True)
class Side:
    """One side of a pair as the features need it."""

    text: str
    language: str
    vector: FloatArray
    speaker: str | None
    quote_type: str | None


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
    return _NAME_ALIASES.get(name, name[:4])


def part_cosines(a: FloatArray, b: FloatArray, parts: Sequence[int]) -> list[float]:
    """Cosine of each model's block of two concatenated vectors.

    Example:
        >>> import numpy as np
        >>> part_cosines(np.array([1.0, 0, 0, 1]), np.array([1.0, 0, 1, 0]), [2, 2])
        [1.0, 0.0]
    """
    cosines = []
    start = 0
    for size in parts:
        left, right = a[start : start + size], b[start : start + size]
        norm = float(np.linalg.norm(left) * np.linalg.norm(right))
        cosines.append(float(np.dot(left, right)) / norm if norm else 0.0)
        start += size
    return cosines


def _weighted(stems: frozenset[str], idf: dict[str, float], unseen: float) -> float:
    return sum(idf.get(token, unseen) for token in stems)


def _speaker_key(speaker: str) -> str:
    # "Joe Biden", "Biden" and "President Biden" are one speaker: compare last words.
    words = speaker.strip().split()
    return words[-1].casefold() if words else ""


def _quoted(side: Side) -> bool:
    return bool(side.speaker) and side.quote_type in ("direct", "mixed")


def pair_features(
    a: Side, b: Side, *, parts: Sequence[int], is_fact_check: bool
) -> dict[str, float]:
    """Return every feature of FEATURES for one pair, by name."""
    fa, fb = facts_of(a.text), facts_of(b.text)
    cosines = part_cosines(a.vector, b.vector, parts)
    cos_0 = cosines[0]
    cos_1 = cosines[1] if len(cosines) > 1 else cos_0
    cross = float(a.language != b.language)
    idf, unseen = idf_table()
    shared = fa.tokens & fb.tokens
    weight_a = _weighted(fa.tokens, idf, unseen)
    weight_b = _weighted(fb.tokens, idf, unseen)
    weight_shared = _weighted(shared, idf, unseen)
    overlap = 2 * weight_shared / (weight_a + weight_b) if weight_a + weight_b else 0.0
    containment = (
        weight_shared / min(weight_a, weight_b) if min(weight_a, weight_b) else 0.0
    )
    unmatched, names_shared = _names(fa, fb)
    speaker_conflict = speaker_same = 0.0
    if _quoted(a) and _quoted(b) and a.speaker and b.speaker:
        same_speaker = _speaker_key(a.speaker) == _speaker_key(b.speaker)
        speaker_conflict, speaker_same = float(not same_speaker), float(same_speaker)
    return {
        "cos_0": cos_0,
        "cos_1": cos_1,
        "cos_min": min(cos_0, cos_1),
        "cross_lingual": cross,
        "overlap": overlap,
        "overlap_same_language": overlap * (1 - cross),
        "containment": containment,
        "length_ratio": min(fa.length, fb.length) / max(fa.length, fb.length, 1),
        **_number_features(fa, fb),
        **_date_features(fa, fb),
        "names_unmatched": unmatched,
        "names_unmatched_same_language": unmatched * (1 - cross),
        "names_shared": names_shared,
        "negation_mismatch": float(fa.negated != fb.negated),
        "direction_flip": float(
            (fa.up and fb.down and not fa.down and not fb.up)
            or (fa.down and fb.up and not fa.up and not fb.down)
        ),
        "contrary_mismatch": float(fa.contrary != fb.contrary),
        "hedge_mismatch": float(fa.hedged != fb.hedged),
        "speaker_conflict": speaker_conflict,
        "speaker_same": speaker_same,
        "is_fact_check": float(is_fact_check),
    }


def _number_features(fa: TextFacts, fb: TextFacts) -> dict[str, float]:
    values_a = {round(value, 6) for value, _ in fa.numbers}
    values_b = {round(value, 6) for value, _ in fb.numbers}
    both = bool(fa.numbers) and bool(fb.numbers)
    # A unit only one side states ("300 000" against "300 000 soldats") is no conflict;
    # a value that only one side has, when both give numbers, is.
    conflict = both and values_a != values_b
    shared = len(values_a & values_b) / max(len(values_a | values_b), 1)
    return {
        "numbers_conflict": float(conflict),
        "numbers_one_side": float(bool(fa.numbers) != bool(fb.numbers)),
        "numbers_shared": shared,
    }


def _date_features(fa: TextFacts, fb: TextFacts) -> dict[str, float]:
    both = bool(fa.dates) and bool(fb.dates)
    return {
        "dates_conflict": float(both and fa.dates != fb.dates),
        "dates_one_side": float(bool(fa.dates) != bool(fb.dates)),
    }


def _names(fa: TextFacts, fb: TextFacts) -> tuple[float, float]:
    """Return (share of names one side has and the other lacks, names in common)."""
    if not fa.names or not fb.names:
        return 0.0, 0.0
    keys_a = {_canonical_name(name) for name in fa.names}
    keys_b = {_canonical_name(name) for name in fb.names}
    unmatched = len(keys_a ^ keys_b) / len(keys_a | keys_b)
    return unmatched, math.log1p(len(keys_a & keys_b))
