"""Round 11 (helper "speed"): the HNSW search stays wide enough for repeated texts.

``benchmarks/match_decisions.py`` found that a graph holding many copies of the same
texts (a sentence stored again word for word gets the same vector) loses the best
text from a query's fused top 5 when the search is narrowed: at 30 copies a text,
``efSearch`` 256 lost links and MAP@5 where 512 lost none (benchmarks/README.md,
"Matching at scale", round 11). This guard fails if the default breadth drops to
where that happens on a small collection of that shape.
"""

import numpy as np

from claimtrack.fusion import hybrid_ranking
from claimtrack.vectors import HNSWIndex, VectorIndex, normalize

TEXTS, COPIES, DIMENSIONS = 700, 30, 64


def test_the_default_breadth_keeps_a_repeated_texts_best_match_in_the_top_five() -> (
    None
):
    rng = np.random.default_rng(0)
    texts = normalize(rng.standard_normal((TEXTS, DIMENSIONS), dtype=np.float32))
    rows = texts[np.arange(TEXTS * COPIES) % TEXTS]  # every text 30 times
    ids = [f"r{row}" for row in range(len(rows))]
    exact = VectorIndex(DIMENSIONS, approximate_threshold=None)
    graph = VectorIndex(DIMENSIONS, approximate_threshold=1000)
    exact.add(ids, rows)
    graph.add(ids, rows)
    assert graph.approximate
    noise = rng.standard_normal((400, DIMENSIONS), dtype=np.float32)
    queries = normalize(texts[:400] + 0.9 * noise / np.sqrt(DIMENSIONS))

    def top_texts(ranking: list[tuple[str, float]]) -> set[int]:
        fused = hybrid_ranking(ranking, [], limit=5, rerank=False)
        return {int(row_id[1:]) % TEXTS for row_id, _ in fused}

    best = [int(row[0][0][1:]) % TEXTS for row in exact.search(queries, limit=100)]
    found = [top_texts(row) for row in graph.search(queries, limit=100)]
    kept = sum(text in top for text, top in zip(best, found, strict=True))
    # 512: 398-400 of 400 across seeds and thread counts; 256: 392-393; 128: ~372.
    assert kept / len(best) >= 0.99


def test_a_graph_read_back_searches_as_wide_as_a_new_one(tmp_path) -> None:
    vectors = normalize(
        np.random.default_rng(1).standard_normal((300, 8), dtype=np.float32)
    )
    graph = HNSWIndex(8, training=vectors)
    graph.add(vectors)
    graph.save(tmp_path / "graph.faiss")
    assert HNSWIndex.load(tmp_path / "graph.faiss").breadth == graph.breadth == 512
