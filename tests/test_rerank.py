"""The re-ranker of the fused top: its features and its re-ordering."""

from __future__ import annotations

import pytest

from claimtrack.fusion import hybrid_ranking
from claimtrack.rerank import FEATURES, Reranker, pair_rows


def model(weights: dict[str, float], top: int = 3) -> Reranker:
    return Reranker.from_json(
        {
            "features": list(FEATURES),
            "weights": [weights.get(f, 0.0) for f in FEATURES],
            "intercept": 0.0,
            "mean": [0.0] * len(FEATURES),
            "scale": [1.0] * len(FEATURES),
            "top": top,
        }
    )


# Cosines favour the council-tax story; BM25 only finds the pension one.
VECTOR = [("council-tax", 0.91), ("pension-age", 0.88), ("bus-fares", 0.80)]
LEXICAL = [("pension-age", 12.0), ("rail-strike", 3.0)]


def test_rows_mark_candidates_missing_from_a_list() -> None:
    fused = hybrid_ranking(VECTOR, LEXICAL)
    rows = pair_rows(VECTOR, LEXICAL, fused, top=10)
    assert len(rows) == len(fused) == 4
    by_id = dict(zip([item for item, _ in fused], rows, strict=True))
    index = FEATURES.index
    assert by_id["rail-strike"][index("vector_missing")] == 1.0
    assert by_id["council-tax"][index("bm25_missing")] == 1.0
    assert by_id["pension-age"][index("bm25_share")] == 1.0
    assert by_id["council-tax"][index("cosine_gap")] == 0.0


def test_rerank_reorders_only_the_top_and_keeps_scores_falling() -> None:
    fused = hybrid_ranking(VECTOR, LEXICAL)
    # Fused, BM25's find leads; a scorer that trusts cosines alone puts theirs first.
    assert fused[0][0] == "pension-age"
    reranked = model({"cosine": 1.0}, top=3).rerank(VECTOR, LEXICAL, fused)
    assert [item for item, _ in reranked[:3]] == [
        "council-tax",
        "pension-age",
        "bus-fares",
    ]
    assert [s for _, s in reranked] == sorted((s for _, s in fused), reverse=True)
    assert reranked[3:] == fused[3:]


def test_rerank_that_follows_the_fused_score_changes_nothing() -> None:
    fused = hybrid_ranking(VECTOR, LEXICAL)
    assert model({"fused": 1.0}, top=4).rerank(VECTOR, LEXICAL, fused) == fused


def test_empty_lists() -> None:
    assert model({"fused": 1.0}).rerank([], [], []) == []


def test_a_model_of_other_features_is_refused() -> None:
    with pytest.raises(ValueError, match="features differ"):
        Reranker.from_json(
            {
                "features": ["cosine"],
                "weights": [1.0],
                "intercept": 0.0,
                "mean": [0.0],
                "scale": [1.0],
                "top": 5,
            }
        )


def test_hybrid_ranking_applies_the_shipped_reranker_at_its_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import claimtrack.fusion as fusion

    plain = hybrid_ranking(VECTOR, LEXICAL, rerank=False)
    monkeypatch.setattr(
        fusion, "shipped_reranker", lambda: model({"cosine": 1.0}, top=3)
    )
    assert plain[0][0] == "pension-age"
    assert hybrid_ranking(VECTOR, LEXICAL)[0][0] == "council-tax"
    # Another share than the one it was trained on: the fused order stands.
    assert hybrid_ranking(VECTOR, LEXICAL, bm25_weight=0.1) == hybrid_ranking(
        VECTOR, LEXICAL, bm25_weight=0.1, rerank=False
    )
    assert len(hybrid_ranking(VECTOR, LEXICAL, limit=2)) == 2
