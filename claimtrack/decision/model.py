"""Decide whether two claims are the same claim, its opposite, or worth a look.

The pair model is two classifiers over the features of pair_features, with their
weights in ``data/pair-model.json`` (written by ``benchmarks/train_matching.py``):

- the *same* head (gradient-boosted trees, then Platt scaling) gives the calibrated
  probability that the two texts make the same claim; a pair that fails a guard
  (GUARD_FEATURES: other numbers, dates, polarity, modality, speakers) is never same;
- the *proposition* head leaves the polarity features out: it says whether the two
  texts state one proposition, possibly with the polarity flipped (a logistic
  regression with Platt scaling folded into its weights). A pair whose
  polarity flipped and whose proposition score passes its threshold is an *opposite*.

A claim against a fact-check is decided by a third head when the weights have one
(``fact_check``): fact-checkers reword what they review ("I have been much tougher on
Russia than Obama" for "I've been tougher on Russia than any president"), so the news
head, trained on claims restated in one topic, calls nearly every such pair different.
The fact-check head is trained on claim -> fact-check pairs (CheckThat! 2A and 2B
training splits with hard negatives from the retrieval top-k) and has its own
thresholds; the guards still veto ``same``.

No scikit-learn at run time: the trees are arrays walked with NumPy, and a logistic
model is a dot product and a sigmoid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from claimtrack.decision.pair_features import (
    FEATURES,
    POLARITY_FEATURES,
    Side,
    batch_cosines,
    pair_features,
    part_cosines,
)
from claimtrack.decision.text_features import claim_of_review, fold
from claimtrack.errors import ConfigError
from claimtrack.vectors import FloatArray

PairDecisionKind = Literal["same", "suggested", "opposite"]
# A pair that differs in one of these is never "same", whatever the classifier says:
# two claims with other numbers, dates, polarity, modality or speakers (of a quote,
# or the source a reported claim is attributed to) are two claims,
# and a fact-checker's trust in a "same" link must not rest on a weight.
GUARD_FEATURES = (
    "numbers_conflict",
    "dates_conflict",
    "negation_mismatch",
    "polarity_flip",
    "hedge_mismatch",
    "speaker_conflict",
    "source_conflict",
    "names_substituted",
    "roles_swapped",
    "roles_substituted",
)
# Guards for two claims only. A fact-check names things its own way (a tweet's
# @handles, "the president" for "Trump", the debate's context): half the CheckThat!
# gold pairs of a claim and its fact-check have a name on each side that the other
# lacks, so that guard would keep nearly every fact-check from being "same".
CLAIM_ONLY_GUARDS = frozenset(("names_substituted", "roles_substituted"))
FACT_CHECK_GUARDS = tuple(n for n in GUARD_FEATURES if n not in CLAIM_ONLY_GUARDS)
# A claim repeated word for word (case and punctuation aside) is the same claim: the
# trees, trained on cosines below 1 for every pair that is not an exact copy, give
# such repeats 0.85 when only a full stop differs. They still pass the guards (a
# quote re-attributed to another speaker stays apart).
VERBATIM_PROBABILITY = 0.99
_WORDS = re.compile(r"\w+", re.UNICODE)
# Which of two decisions of one pair wins: a same link over an opposite, and so on.
_STRENGTH: dict[str | None, int] = {"same": 3, "opposite": 2, "suggested": 1, None: 0}
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
    # This side is a fact-check's claim_reviewed. The shipped weights decide both
    # kinds of pair alike (they were trained on claim -> fact-check pairs too).
    is_fact_check: bool = False


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
class BoostedTreesHead:
    """Gradient-boosted regression trees, then Platt's sigmoid: P(same claim).

    Written by scikit-learn's GradientBoostingClassifier at training time and read
    back as arrays, so run time needs NumPy only. Each tree is stored complete (a leaf
    above the last level becomes a split whose two sides agree), in heap order, so all
    trees are walked for all pairs at once, one level per step.
    """

    features: tuple[str, ...]
    init: float
    learning_rate: float
    depth: int
    split_feature: NDArray[np.int64]  # (trees, 2**depth - 1)
    split_threshold: NDArray[np.float64]  # (trees, 2**depth - 1)
    leaf_value: NDArray[np.float64]  # (trees, 2**depth)
    platt: tuple[float, float]

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> BoostedTreesHead:
        depth = int(raw["depth"])
        inner, leaves = 2**depth - 1, 2**depth
        trees = raw["trees"]
        feature = np.zeros((len(trees), inner), dtype=np.int64)
        threshold = np.full((len(trees), inner), np.inf)
        value = np.zeros((len(trees), leaves))
        for number, tree in enumerate(trees):
            _place(
                tree, 0, 0, depth, (feature[number], threshold[number], value[number])
            )
        return cls(
            features=tuple(raw["features"]),
            init=float(raw["init"]),
            learning_rate=float(raw["learning_rate"]),
            depth=depth,
            split_feature=feature,
            split_threshold=threshold,
            leaf_value=value,
            platt=(float(raw["platt"][0]), float(raw["platt"][1])),
        )

    def probabilities(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """P(same) for each row of a (pairs, len(features)) matrix."""
        trees = np.arange(self.split_feature.shape[0])
        pairs = np.arange(len(rows))[:, None]
        node = np.zeros((len(rows), len(trees)), dtype=np.int64)
        for _ in range(self.depth):
            go_right = (
                rows[pairs, self.split_feature[trees, node]]
                > self.split_threshold[trees, node]
            )
            node = 2 * node + 1 + go_right
        leaves = self.leaf_value[trees, node - (2**self.depth - 1)]
        raw = self.init + self.learning_rate * leaves.sum(axis=1)
        slope, offset = self.platt
        result: NDArray[np.float64] = 1.0 / (
            1.0 + np.exp(-np.clip(slope * raw + offset, -30, 30))
        )
        return result


def _place(
    tree: dict[str, Any],
    node: int,
    slot: int,
    levels_left: int,
    into: tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]],
) -> None:
    """Copy a scikit-learn tree node into heap slot ``slot`` of a complete tree."""
    feature, threshold, value = into
    if levels_left == 0:
        value[slot - len(feature)] = tree["value"][node]
        return
    left, right = tree["left"][node], tree["right"][node]
    if left < 0:  # a leaf above the last level: both sides lead to it
        left = right = node
    else:
        feature[slot] = tree["feature"][node]
        threshold[slot] = tree["threshold"][node]
    _place(tree, left, 2 * slot + 1, levels_left - 1, into)
    _place(tree, right, 2 * slot + 2, levels_left - 1, into)


def _head(raw: dict[str, Any]) -> LogisticHead | BoostedTreesHead:
    if raw.get("kind") == "boosted-trees":
        return BoostedTreesHead.from_json(raw)
    return LogisticHead.from_json(raw)


@dataclass(frozen=True)
class Thresholds:
    """Probabilities from which a pair is same, suggested, or (flipped) opposite."""

    same: float
    suggested: float
    opposite: float


@dataclass(frozen=True)
class FactCheckHead:
    """P(same claim) for a claim against a fact-check, with its own thresholds."""

    head: LogisticHead | BoostedTreesHead
    thresholds: Thresholds


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
    same_head: LogisticHead | BoostedTreesHead
    proposition_head: LogisticHead
    thresholds: Thresholds
    method: str
    fact_check: FactCheckHead | None = None

    @classmethod
    def load(cls, model_id: str) -> PairModel:
        """Return the model trained for an embedder (its model id or short name)."""
        return _load(_ALIASES.get(model_id, model_id))

    def with_thresholds(
        self, same: float | None = None, suggested: float | None = None
    ) -> PairModel:
        """This model deciding same and suggested from other probabilities.

        Both heads (claim against claim, claim against fact-check) take the new
        thresholds; the guards still veto same and opposites are decided as before.

        Example:
            >>> strict = PairModel.load("e5-minilm").with_thresholds(same=0.99)
            >>> strict.thresholds.same
            0.99
        """

        def moved(thresholds: Thresholds) -> Thresholds:
            return replace(
                thresholds,
                same=thresholds.same if same is None else same,
                suggested=thresholds.suggested if suggested is None else suggested,
            )

        fact_check = self.fact_check
        if fact_check is not None:
            fact_check = replace(fact_check, thresholds=moved(fact_check.thresholds))
        return replace(self, thresholds=moved(self.thresholds), fact_check=fact_check)

    def decide(self, a: PairSide, b: PairSide) -> PairDecision:
        """Decide one pair: b is the earlier claim or the fact-check."""
        return self.decide_many([(a, b)])[0]

    def decide_many(
        self, pairs: Sequence[tuple[PairSide, PairSide]]
    ) -> list[PairDecision]:
        """Decide many pairs at once (one matrix product per head)."""
        if not pairs:
            return []
        cosines = batch_cosines(
            np.stack([a.vector for a, _ in pairs]),
            np.stack([b.vector for _, b in pairs]),
            self._parts(pairs[0][0].vector.shape[0]),
        )
        rows = [
            pair_features(_side(a), _side(b), cosines=row)
            for (a, b), row in zip(pairs, cosines.tolist(), strict=True)
        ]
        same = self.same_head.probabilities(self._matrix(rows, self.same_head))
        proposition = self.proposition_head.probabilities(
            self._matrix(rows, self.proposition_head)
        )
        repeats = [same_words(a, b) for a, b in pairs]
        same = np.where(repeats, np.maximum(same, VERBATIM_PROBABILITY), same)
        reviewed = [a.is_fact_check or b.is_fact_check for a, b in pairs]
        decisions = [
            self._decision(
                float(p_same),
                float(p_prop),
                row,
                self.thresholds,
                FACT_CHECK_GUARDS if one else GUARD_FEATURES,
            )
            for p_same, p_prop, row, one in zip(
                same, proposition, rows, reviewed, strict=True
            )
        ]
        if self.fact_check is not None and any(reviewed):
            # A fact-check pair keeps the news head's decision when it is stronger
            # (a ClaimReview that restates the claim), else the fact-check head's.
            head, cuts = self.fact_check.head, self.fact_check.thresholds
            reviewing = head.probabilities(self._matrix(rows, head))
            for n, (one, p_review) in enumerate(zip(reviewed, reviewing, strict=True)):
                if not one:
                    continue
                own = self._decision(
                    float(p_review),
                    float(proposition[n]),
                    rows[n],
                    cuts,
                    FACT_CHECK_GUARDS,
                )
                if _STRENGTH[own] > _STRENGTH[decisions[n]]:
                    decisions[n] = own
                same[n] = max(same[n], p_review)
        return [
            PairDecision(
                decision=decision,
                probability=round(float(p_same), 4),
                method=self.method,
            )
            for p_same, decision in zip(same, decisions, strict=True)
        ]

    def probability(self, a: PairSide, b: PairSide) -> float:
        """The calibrated P(same claim) of one pair."""
        return self.decide(a, b).probability

    def features(self, a: PairSide, b: PairSide) -> dict[str, float]:
        """The named features of one pair, as the heads see them."""
        parts = self._parts(a.vector.shape[0])
        cosines = part_cosines(a.vector, b.vector, parts)
        return pair_features(_side(a), _side(b), cosines=cosines)

    def _parts(self, dimensions: int) -> tuple[int, ...]:
        """Each model's share of the vector; one part for embedders not trained for."""
        if self.parts and sum(self.parts) == dimensions:
            return self.parts
        return (dimensions,)

    def _decision(
        self,
        p_same: float,
        p_proposition: float,
        row: dict[str, float],
        thresholds: Thresholds,
        guards: Sequence[str] = GUARD_FEATURES,
    ) -> PairDecisionKind | None:
        guarded = any(row[name] for name in guards)
        if p_same >= thresholds.same and not guarded:
            return "same"
        flipped = any(row[name] for name in POLARITY_FEATURES)
        if flipped and p_proposition >= self.thresholds.opposite:
            return "opposite"
        if p_same >= thresholds.suggested:
            return "suggested"
        return None

    @staticmethod
    def _matrix(
        rows: list[dict[str, float]], head: LogisticHead | BoostedTreesHead
    ) -> NDArray[np.float64]:
        return np.array(
            [[row[name] for name in head.features] for row in rows], dtype=np.float64
        )


def _side(side: PairSide) -> Side:
    return Side(_text(side), side.language, side.speaker, side.quote_type)


def _text(side: PairSide) -> str:
    # A fact-check's "Says ..." framing is PolitiFact's, not the claim's.
    return claim_of_review(side.text) if side.is_fact_check else side.text


def same_words(a: PairSide, b: PairSide) -> bool:
    """Whether two sides say the same words in the same order (case, punctuation aside).

    Example:
        >>> import numpy as np
        >>> v = np.ones(2, dtype=np.float32)
        >>> same_words(
        ...     PairSide("The state cut school funding by 30 percent", "en", v),
        ...     PairSide("Says the state cut school funding by 30 percent.", "en", v,
        ...              is_fact_check=True),
        ... )
        True
    """
    return _word_sequence(_text(a)) == _word_sequence(_text(b))


@lru_cache(maxsize=65536)  # stored texts are candidates of many claims
def _word_sequence(text: str) -> tuple[str, ...]:
    return tuple(fold(word) for word in _WORDS.findall(text))


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
    same_head = _head(raw["same"])
    proposition = LogisticHead.from_json(raw["proposition"])
    fact_check = None
    if raw.get("fact_check"):
        fact_check = FactCheckHead(
            head=_head(raw["fact_check"]["same"]),
            # Opposites are the proposition head's, with its threshold.
            thresholds=Thresholds(
                **{
                    "opposite": thresholds.opposite,
                    **{k: float(v) for k, v in raw["fact_check"]["thresholds"].items()},
                }
            ),
        )
    unknown = set(same_head.features) - set(FEATURES)
    if fact_check is not None:
        unknown |= set(fact_check.head.features) - set(FEATURES)
    if unknown:
        raise ConfigError(f"The shipped pair model has unknown features {unknown}")
    return PairModel(
        model_id=model_id,
        parts=_vector_parts(model_id, raw),
        same_head=same_head,
        proposition_head=proposition,
        thresholds=thresholds,
        method=str(weights["method"]),
        fact_check=fact_check,
    )
