"""Re-order the top of a fused ranking with a small learned scorer.

The hybrid ranking (:func:`claimtrack.fusion.hybrid_ranking`) adds a cosine ranking
and a BM25 ranking at one fixed share. A re-ranker looks again at the fused top
``top`` candidates of one query with features of each (query, candidate) pair that
the fixed sum cannot weigh: each retriever's score and rank, how far the candidate
trails the best of each list, whether it is missing from one of them. Its scorer is
a logistic regression whose weights ship as JSON (``claimtrack/rerank.json``, written by
``benchmarks/train_rerank.py``); the candidates below ``top`` keep their fused order.

It is pure Python over the lists the matcher already has, so that it costs
microseconds per claim: no text, no vectors.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

Ranking = Sequence[tuple[str, float]]

# The features, in the order of the weights of a model file.
FEATURES = (
    "cosine",
    "cosine_gap",
    "vector_log_rank",
    "vector_missing",
    "bm25_share",
    "bm25_log_rank",
    "bm25_missing",
    "fused",
    "fused_gap",
    "fused_log_rank",
)
MODEL_FILE = "rerank.json"


def pair_rows(
    vector: Ranking, lexical: Ranking, fused: Ranking, top: int
) -> list[list[float]]:
    """One row of :data:`FEATURES` for each of the fused ``top`` candidates.

    A candidate missing from a retriever's list gets that list's last score and
    the rank after its last, and its ``*_missing`` flag set.

    Example:
        >>> rows = pair_rows([("a", 0.9), ("b", 0.7)], [("b", 4.0)],
        ...                  [("a", 1.2), ("b", 0.8)], top=2)
        >>> [round(v, 3) for v in rows[1]]
        [0.7, 0.2, 0.693, 0.0, 1.0, 0.0, 0.0, 0.8, 0.4, 0.693]
    """
    cosines = {item: (rank, score) for rank, (item, score) in enumerate(vector)}
    bm25 = {item: (rank, score) for rank, (item, score) in enumerate(lexical)}
    best_cosine = vector[0][1] if vector else 0.0
    last_cosine = vector[-1][1] if vector else 0.0
    best_bm25 = lexical[0][1] if lexical else 0.0
    scale = 1.0 / best_bm25 if best_bm25 > 0 else 0.0
    best_fused = fused[0][1] if fused else 0.0
    rows = []
    for fused_rank, (item, fused_score) in enumerate(fused[:top]):
        v_rank, cosine = cosines.get(item, (len(vector), last_cosine))
        b_rank, score = bm25.get(item, (len(lexical), 0.0))
        rows.append(
            [
                cosine,
                best_cosine - cosine,
                math.log1p(v_rank),
                float(item not in cosines),
                max(score, 0.0) * scale,
                math.log1p(b_rank),
                float(item not in bm25),
                fused_score,
                best_fused - fused_score,
                math.log1p(fused_rank),
            ]
        )
    return rows


@dataclass(frozen=True)
class Reranker:
    """A linear scorer of :data:`FEATURES` over the fused ``top`` candidates."""

    weights: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    top: int

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Reranker:
        if tuple(raw["features"]) != FEATURES:
            raise ValueError(f"re-ranker features differ: {raw['features']}")
        return cls(
            weights=tuple(float(w) for w in raw["weights"]),
            intercept=float(raw["intercept"]),
            mean=tuple(float(m) for m in raw["mean"]),
            scale=tuple(float(s) or 1.0 for s in raw["scale"]),
            top=int(raw["top"]),
        )

    @classmethod
    def load(cls) -> Reranker | None:
        """The shipped model, or None if none ships."""
        path = resources.files("claimtrack") / MODEL_FILE
        if not path.is_file():
            return None
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        terms = list(zip(self.weights, self.mean, self.scale, strict=True))
        return [
            self.intercept
            + sum(w * (x - m) / s for (w, m, s), x in zip(terms, row, strict=True))
            for row in rows
        ]

    def rerank(
        self, vector: Ranking, lexical: Ranking, fused: Ranking
    ) -> list[tuple[str, float]]:
        """The fused ranking with its ``top`` re-ordered by this scorer.

        The re-ordered candidates take the top's fused scores in their new order (the
        best fused score goes to the scorer's first), so that scores still fall down
        the list and a threshold on fused scores keeps its meaning.
        """
        head = pair_rows(vector, lexical, fused, self.top)
        if not head:
            return list(fused)
        learned = self.scores(head)
        order = sorted(range(len(head)), key=lambda i: (-learned[i], i))
        ids = [fused[i][0] for i in order]
        scores = sorted((score for _, score in fused[: len(head)]), reverse=True)
        return [*zip(ids, scores, strict=True), *fused[len(head) :]]
