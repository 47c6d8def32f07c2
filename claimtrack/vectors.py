"""Encode vectors as float32 BLOBs and search them exactly in memory with NumPy.

No torch here: the Datasette plugin imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

Vector = Sequence[float]
FloatArray = npt.NDArray[np.float32]


def encode_vector(vector: Vector | FloatArray) -> bytes:
    """Pack a vector as little-endian float32, the format of embeddings.vector."""
    return np.asarray(vector, dtype="<f4").tobytes()


def decode_vector(blob: bytes) -> FloatArray:
    """Unpack a little-endian float32 BLOB into a NumPy vector."""
    return np.frombuffer(blob, dtype="<f4")


def normalize(vectors: FloatArray) -> FloatArray:
    """Scale each row to unit length (zero rows stay zero): cosine is then a dot."""
    matrix = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: FloatArray = (matrix / norms).astype(np.float32)
    return unit


def cosine_similarity(a: Vector | FloatArray, b: Vector | FloatArray) -> float:
    """Return the cosine similarity of two vectors, 0.0 if either is all zeros."""
    left = np.asarray(a, dtype=np.float32)
    right = np.asarray(b, dtype=np.float32)
    denominator = float(np.linalg.norm(left) * np.linalg.norm(right))
    if denominator == 0.0 or left.shape != right.shape:
        return 0.0
    return float(np.dot(left, right) / denominator)


class VectorIndex:
    """An exact in-memory index of unit-length vectors, searched by one matrix product.

    Measured at 100,000 x 384 vectors, a NumPy product takes about 7 ms a query against
    about 50 ms for sqlite-vec's brute force, so ingest-time matching uses this and
    sqlite-vec is left to SQL users.

    Example:
        >>> index = VectorIndex(dimensions=2)
        >>> index.add(["a", "b"], np.array([[1, 0], [0, 1]], dtype=np.float32))
        >>> index.search(np.array([[1, 0]], dtype=np.float32), limit=1)
        [[('a', 1.0)]]
    """

    def __init__(self, dimensions: int) -> None:
        self.dimensions = dimensions
        self._ids: list[str] = []
        self._positions: dict[str, int] = {}
        self._matrix: FloatArray = np.zeros((0, dimensions), dtype=np.float32)
        self._pending: list[FloatArray] = []

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def nbytes(self) -> int:
        """Memory held by the vectors, in bytes."""
        return int(self._matrix.nbytes + sum(part.nbytes for part in self._pending))

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._positions

    def add(self, ids: Sequence[str], vectors: FloatArray) -> None:
        """Add vectors under their ids; ids already present are skipped."""
        matrix = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        if len(ids) != len(matrix):
            raise ValueError(f"{len(ids)} ids for {len(matrix)} vectors")
        if len(matrix) and matrix.shape[1] != self.dimensions:
            raise ValueError(
                f"vectors have {matrix.shape[1]} dimensions, "
                f"index has {self.dimensions}"
            )
        keep = [
            row for row, item_id in enumerate(ids) if item_id not in self._positions
        ]
        for row in keep:
            self._positions[ids[row]] = len(self._ids)
            self._ids.append(ids[row])
        if keep:
            # Appending to a list and stacking once on search keeps add() O(batch).
            self._pending.append(matrix[keep])

    def add_blobs(self, rows: Iterable[tuple[str, bytes]]) -> None:
        """Add (id, float32 BLOB) pairs, as read from the embeddings table."""
        ids: list[str] = []
        blobs: list[bytes] = []
        for item_id, blob in rows:
            ids.append(item_id)
            blobs.append(blob)
        if ids:
            matrix = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(ids), -1)
            self.add(ids, matrix)

    def _compact(self) -> FloatArray:
        if self._pending:
            self._matrix = np.vstack([self._matrix, *self._pending])
            self._pending = []
        return self._matrix

    def search(
        self,
        queries: FloatArray,
        *,
        limit: int,
        exclude: Iterable[str] = (),
    ) -> list[list[tuple[str, float]]]:
        """Return the ``limit`` nearest (id, score) for each query row, best first."""
        matrix = self._compact()
        query_matrix = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if not len(self._ids) or not len(query_matrix):
            return [[] for _ in range(len(query_matrix))]
        scores = query_matrix @ matrix.T
        excluded = [self._positions[i] for i in exclude if i in self._positions]
        if excluded:
            scores[:, excluded] = -np.inf
        take = min(limit, len(self._ids))
        top = np.argpartition(-scores, take - 1, axis=1)[:, :take]
        results = []
        for row, candidates in enumerate(top):
            ordered = candidates[np.argsort(-scores[row, candidates])]
            results.append(
                [
                    (self._ids[column], float(scores[row, column]))
                    for column in ordered
                    if np.isfinite(scores[row, column])
                ]
            )
        return results
