"""Fuse ranked lists from several retrievers (vectors, BM25) into one ranking.

Pure functions over ``(id, score)`` lists, best first, as returned by
``VectorIndex.search`` and ``BM25Index.search``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import Literal

from claimtrack.rerank import Reranker

Ranking = Sequence[tuple[str, float]]
# How score_fusion puts each ranking on a common scale before adding: divide by the
# best score, stretch best..worst to 1..0, or count standard deviations above the worst.
Normalization = Literal["max", "minmax", "zscore"]
# The constant of Cormack et al. (2009); it damps the weight of the very first ranks.
RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Ranking],
    *,
    weights: Sequence[float] | None = None,
    k: int = RRF_K,
    limit: int | None = None,
) -> list[tuple[str, float]]:
    """Score each id by the weighted sum of 1 / (k + rank) over the rankings.

    Example:
        >>> reciprocal_rank_fusion([[("a", 0.9), ("b", 0.8)], [("b", 7.0)]], k=1)
        [('b', 0.8333333333333333), ('a', 0.5)]
    """
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item_id, _) in enumerate(ranking, start=1):
            scores[item_id] = scores.get(item_id, 0.0) + weight / (k + rank)
    return _best(scores, limit)


def score_fusion(
    rankings: Sequence[Ranking],
    weights: Sequence[float],
    *,
    normalization: Normalization = "max",
    limit: int | None = None,
) -> list[tuple[str, float]]:
    """Score each id by the weighted sum of its normalised scores over the rankings.

    Each ranking is first put on a common scale, so unbounded BM25 scores and cosines
    can be added; an id missing from a ranking gets 0 from it:

    - ``max`` divides by the best score. With a cosine ranking first and weights
      summing to 1, the fused score stays between 0 and 1.
    - ``minmax`` maps the best score to 1 and the last one to 0.
    - ``zscore`` divides by the standard deviation of the ranking's scores, measured
      from the last one: a z-score shifted so that the last candidate gets 0. It
      rewards a clear lead, which cosines that crowd together do not get from ``max``.

    Example:
        >>> score_fusion([[("a", 0.8), ("b", 0.4)], [("b", 10.0)]], [0.5, 0.5])
        [('b', 0.75), ('a', 0.5)]
        >>> score_fusion([[("a", 0.8), ("b", 0.4)]], [1.0], normalization="zscore")
        [('a', 2.0), ('b', 0.0)]
    """
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for item_id, score in normalize_scores(ranking, normalization):
            scores[item_id] = scores.get(item_id, 0.0) + weight * score
    return _best(scores, limit)


def normalize_scores(
    ranking: Ranking, normalization: Normalization = "max"
) -> list[tuple[str, float]]:
    """Return the ranking with its scores normalised as :func:`score_fusion` does.

    Example:
        >>> normalize_scores([("a", 3.0), ("b", 2.0), ("c", 1.0)], "minmax")
        [('a', 1.0), ('b', 0.5), ('c', 0.0)]
    """
    if not ranking:
        return []
    values = [score for _, score in ranking]
    if normalization == "max":
        top = max(values)
        scale = 1.0 / top if top > 0 else 0.0
        return [(item_id, max(score, 0.0) * scale) for item_id, score in ranking]
    low = min(values)
    if normalization == "minmax":
        spread = max(values) - low
    elif normalization == "zscore":
        spread = _pstdev(values)
    else:
        raise ValueError(f"Unknown normalization: {normalization!r}")
    if spread <= 0:  # one candidate, or all tied: each is the best
        return [(item_id, 1.0) for item_id, _ in ranking]
    return [(item_id, (score - low) / spread) for item_id, score in ranking]


def _pstdev(values: Sequence[float]) -> float:
    """The population standard deviation in floats.

    ``statistics.pstdev`` computes it exactly with fractions: about 1 ms for the
    100 scores of one ranking, 15 times this, and 5 % of the writer's time.

    Example:
        >>> _pstdev([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
        2.0
    """
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((value - mean) ** 2 for value in values) / len(values))


def _best(scores: dict[str, float], limit: int | None) -> list[tuple[str, float]]:
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return ordered[:limit] if limit is not None else ordered


# The product's hybrid ranking, used by ingest and fact-check matching, search, the
# Datasette functions and `claimtrack eval retrieval` alike: each retriever's top
# CANDIDATES, scored in standard deviations above its last (zscore), BM25 given this
# share. Tuned with the default e5-minilm embedder on the tuning parts of CheckThat!
# 2A and claimnorm FR (benchmarks/README.md, "Retrieval and matching").
DEFAULT_BM25_WEIGHT = 0.4
DEFAULT_NORMALIZATION: Normalization = "zscore"
CANDIDATES = 100


def hybrid_ranking(
    vector: Ranking,
    lexical: Ranking,
    *,
    bm25_weight: float = DEFAULT_BM25_WEIGHT,
    normalization: Normalization = DEFAULT_NORMALIZATION,
    limit: int | None = None,
    rerank: bool = True,
) -> list[tuple[str, float]]:
    """Fuse a cosine ranking with a BM25 ranking of the same query, best first.

    With ``rerank`` and the default share and normalization (those it was trained
    on), the shipped re-ranker (:mod:`claimtrack.rerank`), if one ships, re-orders
    the fused top.

    Example:
        >>> hybrid_ranking([("a", 0.9), ("b", 0.8)], [("b", 3.0), ("c", 1.0)],
        ...                rerank=False)
        [('a', 1.2), ('b', 0.8), ('c', 0.0)]
    """
    fused = score_fusion(
        [vector, lexical], [1 - bm25_weight, bm25_weight], normalization=normalization
    )
    reranker = shipped_reranker() if rerank else None
    if (
        reranker is not None
        and bm25_weight == DEFAULT_BM25_WEIGHT
        and normalization == DEFAULT_NORMALIZATION
    ):
        fused = reranker.rerank(vector, lexical, fused)
    return fused[:limit] if limit is not None else fused


@cache
def shipped_reranker() -> Reranker | None:
    """The re-ranker that ships with claimtrack (None: the fused order stands)."""
    return Reranker.load()
