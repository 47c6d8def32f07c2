"""Matching speed and memory: one article's claims against N stored claims.

For each N (default 10k, 100k, 1M) it fills a ``VectorIndex`` with random unit vectors
of the real dimension (384, all-MiniLM-L6-v2), then times ``search`` for one article of
20 claims (median of repeated runs) and reports the index memory. Random vectors give
the scaling curve; exact search has recall 1.0 by construction.

    python benchmarks/match.py [--sizes 10000 100000 1000000] [--dimensions 384]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import numpy as np

from claimtrack.vectors import VectorIndex, normalize


def measure(size: int, dimensions: int, claims: int, repeats: int) -> dict[str, float]:
    """Time one article's search against ``size`` stored vectors."""
    rng = np.random.default_rng(size)
    index = VectorIndex(dimensions)
    step = 100_000  # fill in chunks, as ingest does, without a second full copy
    started = time.perf_counter()
    for start in range(0, size, step):
        count = min(step, size - start)
        vectors = normalize(rng.standard_normal((count, dimensions), dtype=np.float32))
        index.add([f"c{start + row}" for row in range(count)], vectors)
    queries = normalize(rng.standard_normal((claims, dimensions), dtype=np.float32))
    index.search(queries, limit=5)  # the first search stacks the added chunks
    load_seconds = time.perf_counter() - started
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        index.search(queries, limit=5)
        timings.append(time.perf_counter() - started)
    return {
        "stored_claims": size,
        "article_claims": claims,
        "median_ms": round(1000 * statistics.median(timings), 2),
        "p95_ms": round(1000 * sorted(timings)[int(0.95 * (len(timings) - 1))], 2),
        "index_mb": round(index.nbytes / 2**20, 1),
        "load_seconds": round(load_seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000]
    )
    parser.add_argument("--dimensions", type=int, default=384)
    parser.add_argument("--claims", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=20)
    options = parser.parse_args()
    rows = [
        measure(size, options.dimensions, options.claims, options.repeats)
        for size in options.sizes
    ]
    print(json.dumps({"dimensions": options.dimensions, "results": rows}))
    summary = ", ".join(f"{r['stored_claims']:,}: {r['median_ms']} ms" for r in rows)
    print(f"one article of {options.claims} claims against {summary}", file=sys.stderr)


if __name__ == "__main__":
    main()
