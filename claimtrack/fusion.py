"""Fuse ranked lists from several retrievers (vectors, BM25) into one ranking.

Pure functions over ``(id, score)`` lists, best first, as returned by
``VectorIndex.search`` and ``BM25Index.search``.
"""

from __future__ import annotations

from collections.abc import Sequence

Ranking = Sequence[tuple[str, float]]
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
    limit: int | None = None,
) -> list[tuple[str, float]]:
    """Score each id by the weighted sum of its scores, each ranking scaled to [0, 1].

    Each ranking is divided by its best score, so unbounded BM25 scores and cosines
    add up on one scale; an id missing from a ranking gets 0 from it. With a cosine
    ranking first and weights summing to 1, the fused score stays between 0 and 1.

    Example:
        >>> score_fusion([[("a", 0.8), ("b", 0.4)], [("b", 10.0)]], [0.5, 0.5])
        [('b', 0.75), ('a', 0.5)]
    """
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if not ranking:
            continue
        top = max(score for _, score in ranking)
        scale = 1.0 / top if top > 0 else 0.0
        for item_id, score in ranking:
            scores[item_id] = (
                scores.get(item_id, 0.0) + weight * max(score, 0.0) * scale
            )
    return _best(scores, limit)


def _best(scores: dict[str, float], limit: int | None) -> list[tuple[str, float]]:
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return ordered[:limit] if limit is not None else ordered
