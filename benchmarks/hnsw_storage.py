"""One HNSW graph, three ways of storing its vectors: CPU time and recall of a search.

The product's graph keeps float16 vectors (faiss ``IndexHNSWSQ``). This builds that
graph once over N clustered 768-d unit vectors (20 a centre), then gives the same
links to an 8-bit and a float32 storage, and times one article (20 queries, 100 hits,
one thread) at several ``efSearch``, with recall@100 against exact search over 200
queries. The graph is kept in /tmp, so a second run only searches.

    OMP_NUM_THREADS=1 python benchmarks/hnsw_storage.py 100000
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import faiss
import numpy as np

DIMENSIONS = 768


def clustered(size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """size vectors around size / 20 centres, and 200 queries near the centres."""
    centres = rng.standard_normal((size // 20, DIMENSIONS), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)

    def around(count: int, spread: float) -> np.ndarray:
        noise = rng.standard_normal((count, DIMENSIONS), dtype=np.float32)
        rows = centres[rng.integers(0, len(centres), count)]
        rows = rows + spread * noise / np.sqrt(DIMENSIONS)
        unit: np.ndarray = rows / np.linalg.norm(rows, axis=1, keepdims=True)
        return unit.astype(np.float32)

    return around(size, 0.6), around(200, 0.8)


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    vectors, queries = clustered(size, np.random.default_rng(0))
    path = Path(f"/tmp/hnsw-storage-{size}.faiss")
    if path.exists():
        base = faiss.read_index(str(path))
    else:
        base = faiss.IndexHNSWSQ(
            DIMENSIONS, faiss.ScalarQuantizer.QT_fp16, 32, faiss.METRIC_INNER_PRODUCT
        )
        base.hnsw.efConstruction = 40
        base.train(vectors[:50_000])
        base.add(vectors)
        faiss.write_index(base, str(path))
    storages = []  # faiss does not own them: keep them alive

    def sharing_links(storage: faiss.Index) -> faiss.Index:
        index = faiss.IndexHNSW(storage, 32)
        index.hnsw = base.hnsw
        storage.add(vectors)
        index.ntotal = size
        index.own_fields = False
        storages.append(storage)
        return index

    eight_bit = faiss.IndexScalarQuantizer(
        DIMENSIONS, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    eight_bit.train(vectors[:50_000])
    variants = {
        "float16": base,
        "8-bit": sharing_links(eight_bit),
        "float32": sharing_links(faiss.IndexFlatIP(DIMENSIONS)),
    }
    exact = faiss.IndexFlatIP(DIMENSIONS)
    exact.add(vectors)
    _, truth = exact.search(queries, 100)
    for breadth in (128, 256, 512):
        for name, index in variants.items():
            index.hnsw.efSearch = breadth
            index.search(queries[:20], 100)
            cpu = []
            for _ in range(5):
                started = time.process_time()
                index.search(queries[:20], 100)
                cpu.append(time.process_time() - started)
            _, found = index.search(queries, 100)
            recall = np.mean(
                [len(set(a) & set(b)) / 100 for a, b in zip(truth, found, strict=True)]
            )
            print(
                f"efSearch {breadth} {name:8s} {1000 * np.median(cpu):6.1f} ms CPU "
                f"an article, recall@100 {recall:.4f}"
            )


if __name__ == "__main__":
    main()
