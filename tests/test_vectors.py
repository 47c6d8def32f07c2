import numpy as np
import pytest

from claimtrack.vectors import (
    HNSWIndex,
    VectorIndex,
    cosine_similarity,
    decode_vector,
    encode_vector,
    exact_top,
    normalize,
)


def test_encode_decode_round_trip() -> None:
    vector = np.array([0.5, -1.25, 3.0], dtype=np.float32)
    assert decode_vector(encode_vector(vector)).tolist() == [0.5, -1.25, 3.0]


def test_normalize_keeps_zero_rows() -> None:
    matrix = normalize(np.array([[3, 4], [0, 0]], dtype=np.float32))
    assert matrix.tolist() == [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]


def test_cosine_similarity_of_zero_or_mismatched_vectors_is_zero() -> None:
    assert cosine_similarity([0, 0], [1, 0]) == 0.0
    assert cosine_similarity([1, 0], [1, 0, 0]) == 0.0
    assert cosine_similarity([1, 1], [2, 2]) == pytest.approx(1.0)


def test_index_search_is_exact_and_ordered() -> None:
    index = VectorIndex(dimensions=2)
    index.add(["a", "b", "c"], normalize(np.array([[1, 0], [1, 1], [0, 1]], "f4")))
    hits = index.search(np.array([[1, 0]], dtype=np.float32), limit=3)
    assert [item_id for item_id, _ in hits[0]] == ["a", "b", "c"]
    assert hits[0][1][1] == pytest.approx(0.7071, abs=1e-4)


def test_index_skips_known_ids_and_excludes() -> None:
    index = VectorIndex(dimensions=2)
    index.add(["a"], np.array([[1, 0]], dtype=np.float32))
    index.add(["a", "b"], np.array([[0, 1], [0, 1]], dtype=np.float32))
    assert len(index) == 2
    hits = index.search(np.array([[1, 0]], "f4"), limit=5, exclude=["a"])
    assert hits == [[("b", 0.0)]]


def test_index_add_blobs_and_dimension_check() -> None:
    index = VectorIndex(dimensions=2)
    index.add_blobs([("a", encode_vector([1.0, 0.0]))])
    assert "a" in index
    with pytest.raises(ValueError):
        index.add(["x"], np.zeros((1, 3), dtype=np.float32))


def test_empty_index_returns_empty_hits() -> None:
    assert VectorIndex(dimensions=2).search(np.ones((2, 2), "f4"), limit=3) == [[], []]


def clustered(count: int, dimensions: int = 32, centres: int = 50, seed: int = 0):
    """Unit vectors around random centres, like paraphrases of a few claims."""
    rng = np.random.default_rng(seed)
    centre = normalize(rng.standard_normal((centres, dimensions), dtype=np.float32))
    noise = rng.standard_normal((count, dimensions), dtype=np.float32)
    return normalize(centre[np.arange(count) % centres] + 0.08 * noise)


def test_exact_top_matches_a_full_sort_with_exclusions() -> None:
    vectors = clustered(1000, centres=7)
    queries = clustered(5, centres=7, seed=1)
    excluded = np.array([0, 7, 14, 999], dtype=np.int64)
    positions, scores = exact_top(vectors, queries, 10, excluded)
    full = queries @ vectors.T
    full[:, excluded] = -np.inf
    assert scores == pytest.approx(-np.sort(-full, axis=1)[:, :10], abs=1e-5)
    assert not set(positions.ravel()) & set(excluded)


def test_approximate_index_recall_on_clustered_vectors() -> None:
    # Ten paraphrases of each of 400 claims: the ten nearest are one claim's cluster.
    vectors = clustered(4000, centres=400)
    ids = [f"c{row}" for row in range(len(vectors))]
    exact = VectorIndex(32, approximate_threshold=None)
    approximate = VectorIndex(32, approximate_threshold=1000)
    exact.add(ids, vectors)
    approximate.add(ids, vectors)
    assert approximate.approximate and not exact.approximate
    assert approximate.nbytes == 4000 * (2 * 32 + 2 * 32 * 4)  # fp16, links
    noise = np.random.default_rng(2).standard_normal((50, 32), dtype=np.float32)
    queries = normalize(vectors[:50] + 0.05 * noise)
    want = exact.search(queries, limit=10)
    got = approximate.search(queries, limit=10)
    found = sum(
        len({i for i, _ in w} & {i for i, _ in g})
        for w, g in zip(want, got, strict=True)
    )
    assert found / 500 >= 0.98
    assert got[0][0][1] == pytest.approx(want[0][0][1], abs=0.02)


def test_index_switches_to_approximate_and_keeps_adding_incrementally() -> None:
    vectors = clustered(3000)
    index = VectorIndex(32, approximate_threshold=2000)
    for start in range(0, 3000, 500):
        index.add(
            [f"c{row}" for row in range(start, start + 500)], vectors[start:][:500]
        )
        assert index.approximate == (start + 500 >= 2000)
    index.add(["c0", "new"], np.stack([vectors[0], -vectors[0]]))
    assert len(index) == 3001 and "new" in index
    hits = index.search(-vectors[:1], limit=1)
    assert [item_id for item_id, _ in hits[0]] == ["new"]


def test_approximate_index_excludes_ids() -> None:
    vectors = clustered(2000)
    index = VectorIndex(32, approximate_threshold=1000)
    index.add([f"c{row}" for row in range(2000)], vectors)
    first = index.search(vectors[:1], limit=5)[0]
    excluded = [item_id for item_id, _ in first[:3]]
    again = index.search(vectors[:1], limit=5, exclude=excluded)[0]
    assert len(again) == 5
    assert not {item_id for item_id, _ in again} & set(excluded)
    assert [item_id for item_id, _ in again[:2]] == [i for i, _ in first[3:]]


def test_empty_and_fully_excluded_searches() -> None:
    index = VectorIndex(2, approximate_threshold=1)
    assert index.search(np.ones((1, 2), "f4"), limit=3) == [[]]
    index.add(["a"], np.array([[1, 0]], dtype=np.float32))
    assert index.search(np.array([[1, 0]], "f4"), limit=3, exclude=["a"]) == [[]]
    assert index.search(np.zeros((0, 2), "f4"), limit=3) == []


def test_hnsw_index_reports_missing_hits_as_minus_one() -> None:
    vectors = clustered(200, dimensions=8)
    index = HNSWIndex(8, training=vectors)
    index.add(vectors[:3])
    positions, _ = index.search(vectors[:1], 10)
    assert positions[0][0] == 0 and -1 in positions[0]
