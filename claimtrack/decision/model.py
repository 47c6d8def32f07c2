"""Decide whether two claims are the same claim, its opposite, or worth a look.

The pair model is two logistic regressions over the features of pair_features, with
their weights in ``data/pair-model.json`` (written by ``benchmarks/train_matching.py``):

- the *same* head gives the calibrated probability that the two texts make the same
  claim (Platt scaling is folded into its weights, so it is one dot product);
- the *proposition* head leaves the polarity features out: it says whether the two
  texts state one proposition, possibly with the polarity flipped. A pair whose
  polarity flipped and whose proposition score passes its threshold is an *opposite*.

No scikit-learn at run time: a logistic model is a dot product and a sigmoid.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from claimtrack.decision.pair_features import (
    FEATURES,
    POLARITY_FEATURES,
    Side,
    pair_features,
)
from claimtrack.errors import ConfigError
from claimtrack.vectors import FloatArray

PairDecisionKind = Literal["same", "suggested", "opposite"]
# Short names of the embedders, as `--model` takes them, and their model ids.
_ALIASES = {
    "e5-minilm": "claimtrack/multilingual-e5-small-q4*0.9+all-MiniLM-L6-v2*0.1",
    "e5-small": "intfloat/multilingual-e5-small-q4",
    "minilm": "sentence-transformers/all-MiniLM-L6-v2",
    "use-multilingual": "google/universal-sentence-encoder-multilingual-3",
}
# Models the weights were not trained for use these: the cosine of the whole vector
# stands in for every part's cosine. Good enough for tests with fake embedders; a
# real embedder should be trained for (benchmarks/train_matching.py --model).
FALLBACK_MODEL = "fallback"


@dataclass(frozen=True)
class PairSide:
    """One side of a pair: a claim's text and stored vector, and who said it."""

    text: str
    language: str  # "fr" / "en"
    vector: FloatArray  # stored unit vector; both sides from the same embedder
    speaker: str | None = None
    quote_type: str | None = None  # as in Claim.quote_type
    is_fact_check: bool = False  # this side is a fact-check's claim_reviewed


@dataclass(frozen=True)
class PairDecision:
    """What to store for a pair."""

    decision: PairDecisionKind | None  # None: not worth storing
    probability: float  # calibrated P(same claim)
    method: str  # e.g. "pair-model-1"; stored in claim_links.method


@dataclass(frozen=True)
class LogisticHead:
    """A standardised logistic regression: sigmoid(((x - mean) / scale) . coef + b)."""

    features: tuple[str, ...]
    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: float

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> LogisticHead:
        return cls(
            features=tuple(raw["features"]),
            mean=np.asarray(raw["mean"], dtype=np.float64),
            scale=np.asarray(raw["scale"], dtype=np.float64),
            coef=np.asarray(raw["coef"], dtype=np.float64),
            intercept=float(raw["intercept"]),
        )

    def probabilities(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """P(positive) for each row of a (pairs, len(features)) matrix."""
        logits = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        result: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        return result


@dataclass(frozen=True)
class Thresholds:
    """Probabilities from which a pair is same, suggested, or (flipped) opposite."""

    same: float
    suggested: float
    opposite: float


@dataclass(frozen=True)
class PairModel:
    """The shipped same-claim decision model for one embedder.

    Example:
        >>> import numpy as np
        >>> model = PairModel.load("e5-minilm")
        >>> v = np.ones(768, dtype=np.float32) / np.sqrt(768)
        >>> same = PairSide("Russia mobilised 300,000 soldiers.", "en", v)
        >>> model.decide(same, same).decision
        'same'
    """

    model_id: str
    parts: tuple[int, ...] | None  # vector size of each concatenated model; None: one
    same_head: LogisticHead
    proposition_head: LogisticHead
    thresholds: Thresholds
    method: str

    @classmethod
    def load(cls, model_id: str) -> PairModel:
        """Return the model trained for an embedder (its model id or short name)."""
        return _load(_ALIASES.get(model_id, model_id))

    def decide(self, a: PairSide, b: PairSide) -> PairDecision:
        """Decide one pair: b is the earlier claim or the fact-check."""
        return self.decide_many([(a, b)])[0]

    def decide_many(
        self, pairs: Sequence[tuple[PairSide, PairSide]]
    ) -> list[PairDecision]:
        """Decide many pairs at once (one matrix product per head)."""
        if not pairs:
            return []
        rows = [self.features(a, b) for a, b in pairs]
        same = self.same_head.probabilities(self._matrix(rows, self.same_head))
        proposition = self.proposition_head.probabilities(
            self._matrix(rows, self.proposition_head)
        )
        return [
            PairDecision(
                decision=self._decision(float(p_same), float(p_prop), row),
                probability=round(float(p_same), 4),
                method=self.method,
            )
            for p_same, p_prop, row in zip(same, proposition, rows, strict=True)
        ]

    def probability(self, a: PairSide, b: PairSide) -> float:
        """The calibrated P(same claim) of one pair."""
        return self.decide(a, b).probability

    def features(self, a: PairSide, b: PairSide) -> dict[str, float]:
        """The named features of one pair, as the heads see them."""
        dims = a.vector.shape[0]
        parts = self.parts if self.parts and sum(self.parts) == dims else (dims,)
        return pair_features(
            Side(a.text, a.language, a.vector, a.speaker, a.quote_type),
            Side(b.text, b.language, b.vector, b.speaker, b.quote_type),
            parts=parts,
            is_fact_check=a.is_fact_check or b.is_fact_check,
        )

    def _decision(
        self, p_same: float, p_proposition: float, row: dict[str, float]
    ) -> PairDecisionKind | None:
        if p_same >= self.thresholds.same:
            return "same"
        flipped = any(row[name] for name in POLARITY_FEATURES)
        if flipped and p_proposition >= self.thresholds.opposite:
            return "opposite"
        if p_same >= self.thresholds.suggested:
            return "suggested"
        return None

    @staticmethod
    def _matrix(
        rows: list[dict[str, float]], head: LogisticHead
    ) -> NDArray[np.float64]:
        return np.array(
            [[row[name] for name in head.features] for row in rows], dtype=np.float64
        )


def _vector_parts(model_id: str, raw: dict[str, Any]) -> tuple[int, ...] | None:
    parts = raw.get("parts")
    return tuple(int(size) for size in parts) if parts else None


@cache
def shipped_weights() -> dict[str, Any]:
    """The JSON of the shipped pair model (weights for each embedder)."""
    text = (
        resources.files("claimtrack.decision")
        .joinpath("data/pair-model.json")
        .read_text(encoding="utf-8")
    )
    raw: dict[str, Any] = json.loads(text)
    return raw


@cache
def _load(model_id: str) -> PairModel:
    weights = shipped_weights()
    models = weights["models"]
    raw = models.get(model_id) or models.get(FALLBACK_MODEL)
    if raw is None:
        raise ConfigError(
            f"No pair model for embedder {model_id!r}; train one with "
            "benchmarks/train_matching.py --model."
        )
    thresholds = Thresholds(**{k: float(v) for k, v in raw["thresholds"].items()})
    same_head = LogisticHead.from_json(raw["same"])
    proposition = LogisticHead.from_json(raw["proposition"])
    unknown = set(same_head.features) - set(FEATURES)
    if unknown or not math.isfinite(same_head.intercept):
        raise ConfigError(f"The shipped pair model has unknown features {unknown}")
    return PairModel(
        model_id=model_id,
        parts=_vector_parts(model_id, raw),
        same_head=same_head,
        proposition_head=proposition,
        thresholds=thresholds,
        method=str(weights["method"]),
    )
