"""Score how check-worthy a parsed claim is, say why, and guess its claim type.

The score is a logistic regression over the language-independent features of
``features.py``, trained by ``benchmarks/train_checkworthiness.py`` on the CLEF 2019
debates, ClaimBuster and the tune half of the project's French and English news gold,
and stored as JSON in ``data/checkworthiness.json``; ``data/checkworthiness-e5.json``
adds the multilingual E5-small sentence embedding (the extractor's default). The
features are universal part-of-speech shares, coarse entity types and word lists with
the same meaning in French and English, and E5 is multilingual, so one set of weights
scores both languages; the French training claims come with their negatives, so the
model cannot learn the language itself (E5 places French and English sentences apart)
as a sign of check-worthiness. Each artefact's decision threshold, chosen by
cross-validation, is folded into its intercept, so a score of 0.5 is the cut-off.

The extractor also passes each claim's context: its quote type and whether the outlet
itself speaks (``features.context_features``); the debate lines the model mostly
learns from are a named speaker's own words, so a sentence scored alone counts as a
direct quote.

Reasons are the features that moved the score most, each with its sign, plus the
"hedged" and "negated" marks, so a reader can see why a sentence ranks where it does.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from claimtrack.extract.features import (
    context_features,
    feature_names,
    sentence_features,
)
from claimtrack.extract.lexicons import (
    CAUSAL_WORDS,
    HEDGES,
    NEGATIONS,
    POLICY_WORDS,
    PREDICTION_WORDS,
)
from claimtrack.extract.signals import is_page_furniture, quantities
from claimtrack.models import ClaimType
from claimtrack.vectors import FloatArray

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_MODEL_FILES = {False: "checkworthiness.json", True: "checkworthiness-e5.json"}
_REASONS = 3
# Page furniture keeps 1% of its score: below any sentence of the story.
FURNITURE_FACTOR = 0.01
_lock = threading.Lock()
# Readable names for the features that most often drive a score.
_READABLE = {
    "quantity": "quantity",
    "digit": "number",
    "number": "number",
    "year": "year",
    "money_or_percent": "money or percentage",
    "entity_PER": "person named",
    "entity_LOC": "place named",
    "entity_ORG": "organisation named",
    "entity_MISC": "named entity",
    "question": "question",
    "lexicon_first_person_singular": "first person",
    "lexicon_second_person": "addresses the listener",
    "lexicon_opinion_verb": "opinion verb",
    "lexicon_hedge": "hedged",
    "lexicon_comparative": "comparison",
    "lexicon_causal": "causal",
    "lexicon_policy": "policy",
    "past_tense": "past tense",
    "short": "short",
    "imperative": "imperative",
    "quote_direct": "direct quote",
    "quote_indirect": "reported speech",
    "outlet_speaks": "the outlet's own words",
}


@dataclass(frozen=True)
class Score:
    """A check-worthiness score in [0, 1], the claim type, and why."""

    value: float
    claim_type: ClaimType
    reasons: tuple[str, ...] = field(default_factory=tuple)
    hedged: bool = False
    negated: bool = False


@dataclass(frozen=True)
class LinearModel:
    """Logistic-regression weights over standardised features.

    The hand-made features keep one weight each, so their contributions can be read
    as reasons; the embedding dimensions are folded into one weight vector and one
    offset, applied with a single dot product.
    """

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    embedding_weights: FloatArray | None = None  # coef / scale per dimension
    embedding_offset: float = 0.0  # minus the sum of coef * mean / scale

    def contributions(self, values: dict[str, float]) -> list[tuple[str, float]]:
        """Return each hand-made feature's contribution to the logit."""
        return [
            (name, weight * (values.get(name, 0.0) - mu) / sigma)
            for name, mu, sigma, weight in zip(
                self.features, self.mean, self.scale, self.coef, strict=True
            )
        ]

    def embedding_logit(self, embedding: Sequence[float] | None) -> float:
        """Return the embedding's contribution to the logit (0 without one)."""
        if embedding is None or self.embedding_weights is None:
            return 0.0
        vector = np.asarray(embedding, dtype=np.float32)
        return float(vector @ self.embedding_weights) + self.embedding_offset


_ARRAYS = ("mean", "scale", "coef")


@cache
def load_model(with_embeddings: bool = False) -> LinearModel:
    """Load packaged check-worthiness weights once per process.

    Args:
        with_embeddings: the model that also reads the 384 E5 embedding dimensions.
    """
    name = _MODEL_FILES[with_embeddings]
    with _lock:
        text = resources.files("claimtrack.extract").joinpath("data", name).read_text()
    return model_from_artefact(json.loads(text), name)


def model_from_artefact(data: Mapping[str, Any], name: str) -> LinearModel:
    """Build the scorer's model from a trained artefact (the trainer's JSON).

    An artefact may read fewer features than ``features.py`` computes (it predates
    a feature added since): its weights go by name, so it scores as it was trained.

    Raises:
        RuntimeError: the artefact reads a feature that no longer exists.
    """
    unknown = set(data["features"]) - set(feature_names())
    if unknown:
        # A stale artefact would silently mis-score: fail loudly for developers.
        raise RuntimeError(
            f"{name} was trained on features that no longer exist "
            f"({', '.join(sorted(unknown))}); "
            "re-run benchmarks/train_checkworthiness.py"
        )
    hand = len(data["features"])
    mean, scale, coef = (np.asarray(data[key], dtype=np.float64) for key in _ARRAYS)
    embedding_weights = None
    embedding_offset = 0.0
    if int(data.get("embedding_dimensions", 0)):
        weights = coef[hand:] / scale[hand:]
        embedding_weights = weights.astype(np.float32)
        embedding_offset = -float(np.dot(weights, mean[hand:]))
    return LinearModel(
        tuple(data["features"]),
        tuple(mean[:hand].tolist()),
        tuple(scale[:hand].tolist()),
        tuple(coef[:hand].tolist()),
        float(data["intercept"]),
        embedding_weights,
        embedding_offset,
    )


def score_sentence(
    span: Span,
    language: str,
    *,
    sentence: Span | None = None,
    embedding: Sequence[float] | None = None,
    left_out: Sequence[tuple[int, int]] = (),
    quote_type: str = "direct",
    outlet_speaks: bool = False,
) -> Score:
    """Score one parsed claim (a sentence or part of one) for check-worthiness.

    The caller hands over the claim's vector: the pipeline embeds every claim with
    multilingual E5 once and passes each vector here, so scoring never runs a model.

    Args:
        span: the claim's tokens.
        language: the ISO 639-1 code that selects the word lists.
        sentence: the whole sentence, when the claim is part of it; its final mark
            decides whether the claim is a question.
        embedding: the claim's unit-length E5 vector (``query:`` prefix, as
            ``claimtrack.embed.E5Embedder`` makes it); when given, the model that reads
            it is used.
        left_out: token ranges (doc indices) inside the span that are not part of
            the claim's text (a relative clause or incise made a claim of its own):
            the claim type reads the claim's own words only.
        quote_type: the claim's quote type ("direct", "indirect", "mixed", "none");
            a sentence scored alone counts as a speaker's own words, as the debate
            lines the model learned from are.
        outlet_speaks: the claim's speaker is the outlet (the journalist's words).
    """
    values = sentence_features(span, language)
    values.update(context_features(quote_type, outlet_speaks))
    whole = span if sentence is None else sentence
    if sentence is not None:
        values["question"] = float(sentence.text.rstrip().endswith("?"))
    model = load_model(embedding is not None)
    contributions = model.contributions(values)
    logit = (
        model.intercept
        + sum(c for _, c in contributions)
        + model.embedding_logit(embedding)
    )
    value = 1.0 / (1.0 + math.exp(-max(min(logit, 30.0), -30.0)))
    furniture = is_page_furniture(span.text) or is_page_furniture(whole.text)
    if furniture:
        # Subscribe boxes, credits, copyright and ads never occur in the training
        # debates, so the model has no say on them: they go below every sentence of
        # the story, keeping their order among themselves.
        value *= FURNITURE_FACTOR
    words = {t.lower_ for t in span} | {t.lemma_.lower() for t in span}
    hedged = (
        bool(words & HEDGES.get(language, frozenset())) or values["conditional"] > 0
    )
    negated = bool(words & NEGATIONS.get(language, frozenset())) or any(
        t.dep_ == "neg" or "Neg" in t.morph.get("Polarity", []) for t in span
    )
    reasons = ["-page furniture"] if furniture else []
    reasons += _reasons(contributions, values)[: _REASONS - len(reasons)]
    if hedged:
        reasons.append("hedged")
    if negated:
        reasons.append("negated")
    own = [t for t in span if not any(s <= t.i < e for s, e in left_out)]
    claim_type = _claim_type(
        own, {t.lower_ for t in own} | {t.lemma_.lower() for t in own}, language
    )
    return Score(round(value, 4), claim_type, tuple(reasons), hedged, negated)


def _reasons(
    contributions: list[tuple[str, float]], values: dict[str, float]
) -> list[str]:
    """Name the present features that moved the score most, with the direction."""
    present = [
        (n, c) for n, c in contributions if n in _READABLE and values.get(n, 0.0) > 0
    ]
    present.sort(key=lambda item: -abs(item[1]))
    reasons: list[str] = []
    for name, contribution in present:
        reason = f"{'+' if contribution > 0 else '-'}{_READABLE[name]}"
        if reason not in reasons:
            reasons.append(reason)
        if len(reasons) == _REASONS:
            break
    return reasons


def _claim_type(tokens: list[Token], words: set[str], language: str) -> ClaimType:
    if quantities(tokens):  # a measured quantity, not "Covid-19", "16 heures" or 2022
        return "statistic"
    if words & CAUSAL_WORDS.get(language, frozenset()):
        return "causal"
    if words & PREDICTION_WORDS.get(language, frozenset()) or any(
        "Fut" in t.morph.get("Tense", []) for t in tokens
    ):
        return "prediction"
    if words & POLICY_WORDS.get(language, frozenset()):
        return "policy"
    if any(t.ent_type_ for t in tokens):
        return "event"
    return "other"
