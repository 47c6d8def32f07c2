"""Score how check-worthy a parsed sentence is, and guess its claim type.

A transparent first scorer: features that fact-checkers look for (numbers, named
entities, factual verbs, comparisons) raise the score; questions, first-person opinion
and very short sentences lower it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimtrack.models import ClaimType

if TYPE_CHECKING:
    from spacy.tokens import Span

_PREDICTION_WORDS = {
    "fr": {"sera", "seront", "va", "vont", "pourrait", "pourraient", "devrait"},
    "en": {"will", "would", "could", "might", "going"},
}
_CAUSAL_WORDS = {
    "fr": {"parce", "car", "cause", "provoqué", "entraîné", "donc"},
    "en": {"because", "caused", "cause", "due", "therefore", "led"},
}
_POLICY_WORDS = {
    "fr": {"loi", "projet", "réforme", "gouvernement", "sanctions", "budget"},
    "en": {"law", "bill", "policy", "reform", "government", "sanctions", "budget"},
}
_OPINION_PRONOUNS = {"fr": {"je", "j'", "moi"}, "en": {"i", "me", "my"}}


@dataclass(frozen=True)
class Score:
    """A check-worthiness score in [0, 1], the claim type, and why."""

    value: float
    claim_type: ClaimType
    reasons: tuple[str, ...] = field(default_factory=tuple)


def score_sentence(sent: Span, language: str) -> Score:
    """Score one parsed sentence for check-worthiness."""
    lowered = {token.lower_ for token in sent}
    reasons: list[str] = []
    logit = -0.5
    if _has_number(sent):
        logit += 1.2
        reasons.append("number")
    if sent.ents:
        logit += 0.8
        reasons.append("named entity")
    if any(token.pos_ == "VERB" for token in sent):
        logit += 0.5
        reasons.append("verb")
    if sent.text.rstrip().endswith("?"):
        logit -= 2.0
        reasons.append("question")
    if lowered & _OPINION_PRONOUNS.get(language, set()):
        logit -= 0.7
        reasons.append("first person")
    if len(sent) < 8:
        logit -= 0.8
        reasons.append("short")
    value = 1.0 / (1.0 + math.exp(-logit))
    return Score(round(value, 4), _claim_type(sent, lowered, language), tuple(reasons))


def _claim_type(sent: Span, lowered: set[str], language: str) -> ClaimType:
    if _has_number(sent):
        return "statistic"
    if lowered & _CAUSAL_WORDS.get(language, set()):
        return "causal"
    if lowered & _PREDICTION_WORDS.get(language, set()):
        return "prediction"
    if lowered & _POLICY_WORDS.get(language, set()):
        return "policy"
    if sent.ents:
        return "event"
    return "other"


def _has_number(sent: Span) -> bool:
    # like_num alone fires on ordinals such as "première"; ask for a digit or a NUM tag.
    return any(token.pos_ == "NUM" or any(ch.isdigit() for ch in token.text) for token in sent)
