"""Encode vectors as float32 BLOBs and search them exactly in memory with NumPy.

No torch here: the Datasette plugin imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path

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


# Measured with benchmarks/match.py on the 2-core development machine: below this many
# stored vectors exact search is fast enough (and exact), above it the HNSW graph wins.
APPROXIMATE_THRESHOLD = 100_000
_BLOCK = 32  # rows per block for the block-max top-k pre-selection
# HNSW settings, measured on real claim embeddings with benchmarks/match.py.
_HNSW_LINKS = 32
_HNSW_BUILD_BREADTH = 40
# At 1M real claims, 512 gives recall@10 0.9955 in 63 ms for one article with the
# default 768-d e5-minilm vectors (1024: 0.9965 in 128 ms, over the 100 ms target), and
# 0.980 in 13 ms with 384-d MiniLM.
_HNSW_SEARCH_BREADTH = 512
_CHUNK = 32_768  # rows per matrix product: the scores of one chunk stay in cache


class VectorIndex:
    """An in-memory index of unit-length vectors, searched by inner product.

    Up to ``approximate_threshold`` vectors it is exact: one NumPy product over a
    contiguous float32 matrix. Past it, the vectors move into an :class:`HNSWIndex`
    (faiss, float16 vectors), which answers one article in about 65 ms at a million
    768-d vectors with recall@10 of 0.995 against exact search on real claim
    embeddings, in about 60% of the memory of the float32 matrix.

    Example:
        >>> index = VectorIndex(dimensions=2)
        >>> index.add(["a", "b"], np.array([[1, 0], [0, 1]], dtype=np.float32))
        >>> index.search(np.array([[1, 0]], dtype=np.float32), limit=1)
        [[('a', 1.0)]]
    """

    def __init__(
        self,
        dimensions: int,
        *,
        approximate_threshold: int | None = APPROXIMATE_THRESHOLD,
    ) -> None:
        """Create an empty index.

        Args:
            dimensions: length of every vector.
            approximate_threshold: size from which the index switches to
                :class:`HNSWIndex`; ``None`` keeps it exact whatever its size.
        """
        self.dimensions = dimensions
        self.approximate_threshold = approximate_threshold
        self._ids: list[str] = []
        self._positions: dict[str, int] = {}
        # Rows past len(self) are spare capacity, so add() rarely copies the matrix.
        self._matrix: FloatArray = np.zeros((0, dimensions), dtype=np.float32)
        self._approximate: HNSWIndex | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._positions

    @classmethod
    def with_graph(cls, ids: Sequence[str], graph: HNSWIndex) -> VectorIndex:
        """Rebuild an approximate index from its ids (in graph order) and its graph."""
        index = cls(graph.dimensions)
        index._ids = list(ids)
        index._positions = {item_id: row for row, item_id in enumerate(index._ids)}
        index._approximate = graph
        return index

    @property
    def approximate(self) -> bool:
        """Whether searches go through the approximate HNSW graph."""
        return self._approximate is not None

    @property
    def graph(self) -> HNSWIndex | None:
        """The HNSW graph searches go through, None while the index is exact."""
        return self._approximate

    @property
    def ids(self) -> list[str]:
        """The ids in the order they were added (graph positions when approximate)."""
        return self._ids

    @property
    def nbytes(self) -> int:
        """Memory held by the vectors (float32, or float16 and graph), in bytes."""
        if self._approximate is not None:
            return self._approximate.nbytes
        # Spare rows are allocated but never written, so the OS never backs them.
        return len(self) * self.dimensions * 4

    def add(self, ids: Sequence[str], vectors: FloatArray) -> None:
        """Add vectors under their ids; ids already present are skipped."""
        matrix = _as_matrix(vectors, self.dimensions)
        if len(ids) != len(matrix):
            raise ValueError(f"{len(ids)} ids for {len(matrix)} vectors")
        keep = [
            row for row, item_id in enumerate(ids) if item_id not in self._positions
        ]
        if len(set(ids)) < len(ids):
            # An id repeated within one batch is stored once, as across batches.
            first = {ids[row]: row for row in reversed(keep)}
            keep = sorted(first.values())
        if not keep:
            return
        new = matrix if len(keep) == len(matrix) else matrix[keep]
        for row in keep:
            self._positions[ids[row]] = len(self._ids)
            self._ids.append(ids[row])
        if self._approximate is not None:
            self._approximate.add(new)
        elif (
            self.approximate_threshold is not None
            and len(self._ids) >= self.approximate_threshold
        ):
            self._switch_to_approximate(new)
        else:
            self._append(new)

    def add_blobs(self, rows: Iterable[tuple[str, bytes]]) -> None:
        """Add (id, float32 BLOB) pairs, as read from the embeddings table."""
        iterator = iter(rows)
        # Batches bound the joined copy of the BLOBs when a million rows load at once.
        while batch := list(islice(iterator, _CHUNK)):
            ids = [item_id for item_id, _ in batch]
            joined = b"".join(blob for _, blob in batch)
            self.add(ids, np.frombuffer(joined, dtype="<f4").reshape(len(ids), -1))

    def _append(self, new: FloatArray) -> None:
        stored = len(self._ids) - len(new)
        if len(self._ids) > len(self._matrix):
            # Grow by half: per-article adds cost O(batch) amortised, not a full copy,
            # and the spare rows (never touched, so not resident) stay under a third.
            capacity = max(len(self._ids), len(self._matrix) * 3 // 2, 1024)
            grown = np.empty((capacity, self.dimensions), dtype=np.float32)
            grown[:stored] = self._matrix[:stored]
            self._matrix = grown
        self._matrix[stored : len(self._ids)] = new

    def _switch_to_approximate(self, new: FloatArray) -> None:
        stored = len(self._ids) - len(new)
        vectors = np.concatenate([self._matrix[:stored], new]) if stored else new
        self._matrix = np.zeros((0, self.dimensions), dtype=np.float32)
        self._approximate = HNSWIndex(self.dimensions, training=vectors)
        self._approximate.add(vectors)

    def search(
        self,
        queries: FloatArray,
        *,
        limit: int,
        exclude: Iterable[str] = (),
    ) -> list[list[tuple[str, float]]]:
        """Return the ``limit`` nearest (id, score) for each query row, best first.

        Args:
            queries: one unit-length vector per row.
            limit: the most hits returned per query.
            exclude: ids never returned, for instance the claims of the same article.

        Returns:
            One list of (id, score) per query, highest score first.
        """
        query_matrix = _as_matrix(queries, self.dimensions)
        if not self._ids or not len(query_matrix) or limit < 1:
            return [[] for _ in range(len(query_matrix))]
        excluded = np.array(
            sorted({self._positions[i] for i in exclude if i in self._positions}),
            dtype=np.int64,
        )
        take = min(limit, len(self._ids) - len(excluded))
        if take < 1:
            return [[] for _ in range(len(query_matrix))]
        if self._approximate is not None:
            positions, scores = self._approximate.search(
                query_matrix, take + len(excluded)
            )
        else:
            positions, scores = exact_top(
                self._matrix[: len(self._ids)], query_matrix, take, excluded
            )
        skip = set(excluded.tolist())
        return [
            [
                (self._ids[position], float(score))
                for position, score in zip(row_positions, row_scores, strict=True)
                if position >= 0 and position not in skip
            ][:take]
            for row_positions, row_scores in zip(
                positions.tolist(), scores.tolist(), strict=True
            )
        ]


def exact_top(
    matrix: FloatArray,
    queries: FloatArray,
    take: int,
    excluded: npt.NDArray[np.int64] | None = None,
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Return the exact ``take`` best (positions, scores) of each query, best first.

    A full ``argpartition`` of a 20 x 1M score matrix costs more than the product
    itself, so the product runs in chunks that stay in cache and keeps only the best
    score of each block of rows. The best ``take`` rows of a query all lie in its
    ``take`` best blocks (excluded rows score -inf), which are then scored again.

    Args:
        matrix: the stored unit-length vectors, one per row, C-contiguous.
        queries: the query vectors, one per row.
        take: how many rows to return per query, at most ``len(matrix)``.
        excluded: row positions never returned.

    Returns:
        Positions and scores, each of shape (len(queries), take), best first.
    """
    excluded = np.zeros(0, np.int64) if excluded is None else excluded
    size = len(matrix)
    blocks = -(-size // _BLOCK)
    block_best = np.empty((len(queries), blocks), dtype=np.float32)
    scores = np.empty((len(queries), _CHUNK), dtype=np.float32)
    for start in range(0, size, _CHUNK):
        stop = min(start + _CHUNK, size)
        chunk = scores[:, : stop - start]
        np.matmul(queries, matrix[start:stop].T, out=chunk)
        inside = excluded[(excluded >= start) & (excluded < stop)]
        chunk[:, inside - start] = -np.inf
        full = (stop - start) // _BLOCK
        first = start // _BLOCK
        if full:
            by_block = chunk[:, : full * _BLOCK].reshape(len(queries), full, _BLOCK)
            by_block.max(axis=2, out=block_best[:, first : first + full])
        if full * _BLOCK < stop - start:
            block_best[:, first + full] = chunk[:, full * _BLOCK :].max(axis=1)
    wanted = min(take, blocks)
    if wanted < blocks:
        best_blocks = np.argpartition(block_best, blocks - wanted, axis=1)[:, -wanted:]
    else:
        best_blocks = np.broadcast_to(np.arange(blocks), (len(queries), blocks))
    # Candidate rows of each query: every row of its best blocks, clipped to size.
    candidates = (best_blocks[:, :, None] * _BLOCK + np.arange(_BLOCK)).reshape(
        len(queries), -1
    )
    valid = candidates < size
    if len(excluded):
        valid &= ~np.isin(candidates, excluded)
    candidates = np.where(valid, candidates, 0)
    candidate_scores = np.einsum("qd,qcd->qc", queries, matrix[candidates])
    candidate_scores[~valid] = -np.inf
    order = np.argsort(-candidate_scores, axis=1, kind="stable")[:, :take]
    return (
        np.take_along_axis(candidates, order, axis=1).astype(np.int64),
        np.take_along_axis(candidate_scores, order, axis=1),
    )


class HNSWIndex:
    """An approximate inner-product index: a faiss HNSW graph over float16 vectors.

    A graph needs no training, and every ``add`` links the new vectors into it, so it
    grows article by article without rebuilds. Each vector takes two bytes a dimension
    plus ``2 * links`` int32 neighbours on the base layer: a million 384-dimensional
    vectors take about 1.0 GB, 768 dimensions about 1.8 GB. 8-bit codes would halve
    the vectors, but on real claims they cap recall@10 at 0.979 however wide the
    search (see benchmarks/README.md). Positions are the order of addition.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> vectors = normalize(rng.standard_normal((500, 8), dtype=np.float32))
        >>> index = HNSWIndex(8, training=vectors)
        >>> index.add(vectors)
        >>> index.search(vectors[:1], 1)[0].tolist()
        [[0]]
    """

    def __init__(
        self,
        dimensions: int,
        *,
        training: FloatArray,
        links: int = _HNSW_LINKS,
        breadth: int = _HNSW_SEARCH_BREADTH,
    ) -> None:
        """Create an empty graph (``training`` is there for quantisers that need it).

        Args:
            dimensions: length of every vector.
            training: representative unit-length vectors.
            links: neighbours per vector in the graph (faiss ``M``).
            breadth: candidates kept while searching (faiss ``efSearch``); the
                default gives recall@10 of 0.98-0.995 on a million real claim
                embeddings (see benchmarks/README.md).
        """
        import faiss  # imported here: the Datasette plugin imports this module

        self.dimensions = dimensions
        self.links = links
        self._index = faiss.IndexHNSWSQ(
            dimensions,
            # faiss's stubs type the enum member as int, the constructor as the enum.
            faiss.ScalarQuantizer.QT_fp16,  # type: ignore[arg-type]
            links,
            faiss.METRIC_INNER_PRODUCT,
        )
        self._index.hnsw.efConstruction = _HNSW_BUILD_BREADTH
        self._index.hnsw.efSearch = breadth
        sample = training[: min(len(training), 50_000)]
        self._index.train(np.ascontiguousarray(sample))

    @classmethod
    def load(cls, path: Path) -> HNSWIndex:
        """Read a graph written by :meth:`save`.

        Raises:
            ValueError: the file does not hold a graph of this kind.
        """
        import faiss

        loaded = faiss.read_index(str(path))
        if not isinstance(loaded, faiss.IndexHNSWSQ):
            raise ValueError(f"{path} does not hold an HNSW graph")
        graph = cls.__new__(cls)
        graph.dimensions = int(loaded.d)
        graph.links = int(loaded.hnsw.nb_neighbors(1))  # type: ignore[attr-defined]
        graph._index = loaded
        # efSearch is not part of the file; searches need the measured breadth.
        graph.breadth = _HNSW_SEARCH_BREADTH
        return graph

    def save(self, path: Path) -> None:
        """Write the graph and its float16 codes to a file."""
        import faiss

        faiss.write_index(self._index, str(path))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def breadth(self) -> int:
        """Candidates kept while searching (faiss ``efSearch``)."""
        return int(self._index.hnsw.efSearch)

    @breadth.setter
    def breadth(self, value: int) -> None:
        self._index.hnsw.efSearch = value

    @property
    def nbytes(self) -> int:
        """Memory held by the codes and the base layer of the graph, in bytes."""
        per_vector = 2 * self.dimensions + 2 * self.links * 4  # fp16, int32 links
        return int(len(self) * per_vector)

    def add(self, vectors: FloatArray) -> None:
        """Link vectors into the graph; their positions continue from ``len(self)``."""
        self._index.add(_as_matrix(vectors, self.dimensions))

    def search(
        self, queries: FloatArray, take: int
    ) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """Return the approximate ``take`` best (positions, scores), best first.

        Missing hits (fewer than ``take`` vectors reached) have position -1.
        """
        scores, positions = self._index.search(
            _as_matrix(queries, self.dimensions), take
        )
        return positions, scores


def _as_matrix(vectors: FloatArray, dimensions: int) -> FloatArray:
    """Return ``vectors`` as a C-contiguous float32 matrix, copying only if needed."""
    matrix: FloatArray = np.ascontiguousarray(
        np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    )
    if len(matrix) and matrix.shape[1] != dimensions:
        raise ValueError(
            f"vectors have {matrix.shape[1]} dimensions, index has {dimensions}"
        )
    return matrix
