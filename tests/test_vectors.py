import numpy as np
import pytest

from claimtrack.vectors import (
    VectorIndex,
    cosine_similarity,
    decode_vector,
    encode_vector,
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
