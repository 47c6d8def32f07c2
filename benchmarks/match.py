"""Matching speed, memory and recall: one article's claims against N stored claims.

For each N (default 10k, 100k, 1M) it fills indexes in chunks of 100,000, as ingest
does, and times ``search`` for one article of 20 claims (median and p95 of repeated
runs, limit 10). Two collections of vectors of ``--model`` (default: claimtrack's
default embedder, e5-minilm, 768 dimensions; ``--model minilm`` gives 384):

* ``random``: random unit vectors, the scaling curve and a worst case for graphs.
* ``real``: real claim embeddings, tiled to N. The 43,060 distinct texts of the
  CheckThat! 2022 2A verified claims (claim, title, subtitle) and the CheckThat! 2025
  French normalised claims are embedded with ``get_embedder(model)``. Row i of the
  collection is real vector ``i % 43060``; from the second copy on, Gaussian noise of
  norm 0.5 is added and the row renormalised (cosine about 0.89 to its source, 0.8
  between copies), like one claim reworded across outlets. Queries are the 1,195
  CheckThat! 2A train-dev tweets, which are not in the collection (before round 11
  the dev-test tweets were embedded too, after them, and never searched: the timed
  article and the recall queries are the first 200).

Each collection is searched by the exact NumPy index and by ``VectorIndex`` with its
default threshold (an HNSW graph over float16 vectors above it); recall@10 of the
approximate index is measured against exact search over 200 queries (10 articles).
The embeddings are cached in ``--cache`` (MiniLM: about 14 min on 2 cores).

    python benchmarks/match.py [--model minilm] [--sizes 10000 100000 1000000] \
        [--skip-real] [--data ../shared/benchmark-data]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import numpy as np

from claimtrack.settings import DEFAULT_EMBEDDER
from claimtrack.vectors import APPROXIMATE_THRESHOLD, FloatArray, VectorIndex, normalize

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmark-data"
CHUNK = 100_000
LIMIT = 10
RECALL_QUERIES = 200


def real_claims(cache: Path, model: str, data: Path) -> tuple[FloatArray, FloatArray]:
    """Return (claim vectors, query vectors) of real texts, embedded once and cached."""
    if cache.exists():
        saved = np.load(cache)
        return saved["claims"], saved["queries"]
    from claimtrack.plugins import get_embedder

    folder = data / "checkthat-t2a-en" / "ct2022"
    texts = []
    with (folder / "vclaims.jsonl").open() as lines:
        for line in lines:
            record = json.loads(line)
            texts += [record.get(key) or "" for key in ("vclaim", "title", "subtitle")]
    french = data / "claimnorm-ct2025-fr" / "train-fra.csv"
    with french.open(newline="") as rows:
        texts += [row["normalized claim"] for row in csv.DictReader(rows)]
    distinct = list(dict.fromkeys(text.strip() for text in texts if text.strip()))
    queries = []
    with (folder / "train-dev.queries.tsv").open() as lines:  # a tune split only
        next(lines)
        queries += [line.split("\t", 1)[1].strip() for line in lines]
    embedder = get_embedder(model)
    claims, query_vectors = embedder.embed_all(distinct), embedder.embed_all(queries)
    np.savez(cache, claims=claims, queries=query_vectors)
    return claims, query_vectors


def cached_claims(path: Path, queries: int) -> tuple[FloatArray, FloatArray]:
    """(claim vectors, query vectors) from a vector cache of match_retrieval_tuning.py.

    The cache (keys: sha1 of the text, vectors) holds whatever texts were embedded;
    ``queries`` of them, taken every n-th by key order (the keys are hashes, so the
    split is random), are held out of the collection as the queries.
    """
    with np.load(path) as saved:
        keys, vectors = saved["keys"], saved["vectors"].astype(np.float32)
    order = np.argsort(keys)
    vectors = normalize(vectors[order])
    step = max(len(vectors) // queries, 2)
    held_out = np.zeros(len(vectors), dtype=bool)
    held_out[::step] = True
    return vectors[~held_out], vectors[held_out][:queries]


def random_chunks(size: int, dimensions: int) -> Iterator[FloatArray]:
    """Yield ``size`` random unit vectors in chunks."""
    rng = np.random.default_rng(size)
    for start in range(0, size, CHUNK):
        count = min(CHUNK, size - start)
        yield normalize(rng.standard_normal((count, dimensions), dtype=np.float32))


def tiled_chunks(size: int, claims: FloatArray) -> Iterator[FloatArray]:
    """Yield ``size`` rows tiled from real vectors, perturbed after the first copy."""
    rng = np.random.default_rng(size)
    dimensions = claims.shape[1]
    for start in range(0, size, CHUNK):
        rows = np.arange(start, min(start + CHUNK, size))
        chunk = claims[rows % len(claims)].copy()
        copies = rows >= len(claims)
        noise = rng.standard_normal((int(copies.sum()), dimensions), dtype=np.float32)
        chunk[copies] += 0.5 * noise / np.sqrt(dimensions)
        yield normalize(chunk)


def fill(
    chunks: Iterator[FloatArray], dimensions: int, threshold: int | None
) -> tuple[VectorIndex, float]:
    """Fill an index from chunks; return it and the seconds taken."""
    index = VectorIndex(dimensions, approximate_threshold=threshold)
    started = time.perf_counter()
    added = 0
    for chunk in chunks:
        index.add([f"c{added + row}" for row in range(len(chunk))], chunk)
        added += len(chunk)
    return index, time.perf_counter() - started


def timed(search: Callable[[], object], repeats: int) -> dict[str, float]:
    """Return the median and p95 milliseconds of ``search`` after one warm-up."""
    search()
    timings, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        search()
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    timings.sort()
    return {
        "median_ms": round(1000 * statistics.median(timings), 2),
        "p95_ms": round(1000 * timings[int(0.95 * (len(timings) - 1))], 2),
        "cpu_median_ms": round(1000 * statistics.median(cpu), 2),
    }


Truth = list[list[tuple[str, float]]]


def recall(
    truth: Truth,
    approximate: VectorIndex,
    queries: FloatArray,
    limit: int = LIMIT,
) -> float:
    """Return recall@limit of ``approximate`` against the exact hits of ``queries``.

    Args:
        truth: exact search's hits of each query, best first, at least ``limit``.
    """
    truth = [row[:limit] for row in truth]
    found = approximate.search(queries, limit=limit)
    hits = sum(
        len({i for i, _ in want} & {i for i, _ in got})
        for want, got in zip(truth, found, strict=True)
    )
    return round(hits / sum(len(want) for want in truth), 4)


def measure(
    size: int,
    collection: str,
    chunks: Callable[[], Iterator[FloatArray]],
    queries: FloatArray,
    options: argparse.Namespace,
) -> dict[str, object]:
    """Measure exact and default (thresholded) indexes on one collection of ``size``."""
    dimensions = queries.shape[1]
    article = queries[: options.claims]
    exact, exact_seconds = fill(chunks(), dimensions, None)
    row: dict[str, object] = {
        "collection": collection,
        "stored_claims": size,
        "exact": {
            **timed(lambda: exact.search(article, limit=LIMIT), options.repeats),
            "index_mb": round(exact.nbytes / 2**20, 1),
            "load_seconds": round(exact_seconds, 2),
        },
    }
    if size >= options.threshold:
        default, default_seconds = fill(chunks(), dimensions, options.threshold)
        graph = default._approximate
        assert graph is not None
        # Exact search of the recall queries once, at the widest limit: at 1M it
        # takes a minute of CPU, and its first 10 hits are its top 10.
        truth = exact.search(
            queries[:RECALL_QUERIES], limit=max(LIMIT, options.recall_limit)
        )
        row["approximate"] = {
            **timed(lambda: default.search(article, limit=LIMIT), options.repeats),
            "index_mb": round(default.nbytes / 2**20, 1),
            "build_seconds": round(default_seconds, 2),
            "breadth": graph.breadth,
            "recall_at_10": recall(truth, default, queries[:RECALL_QUERIES]),
            "breadths": sweep(truth, default, article, queries, options),
        }
    return row


def sweep(
    truth: Truth,
    default: VectorIndex,
    article: FloatArray,
    queries: FloatArray,
    options: argparse.Namespace,
) -> dict[int, dict[str, float]]:
    """Return time and recall of the HNSW graph for several search breadths.

    Recall@10, and recall@``--recall-limit`` (100: the vector hits the matcher
    fuses, ``fusion.CANDIDATES``), timed at that limit too.
    """
    graph = default._approximate
    assert graph is not None
    chosen = graph.breadth
    results = {}
    wide = options.recall_limit
    for breadth in options.breadths:
        graph.breadth = breadth
        results[breadth] = {
            **timed(lambda: default.search(article, limit=LIMIT), options.repeats),
            "recall_at_10": recall(truth, default, queries[:RECALL_QUERIES]),
            f"at_{wide}": timed(
                lambda: default.search(article, limit=wide), options.repeats
            ),
            f"recall_at_{wide}": recall(truth, default, queries[:RECALL_QUERIES], wide),
        }
    graph.breadth = chosen
    return results


def main() -> None:
    """Run the benchmark and print one JSON object and a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000]
    )
    parser.add_argument("--claims", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument(
        "--threshold",
        type=int,
        default=APPROXIMATE_THRESHOLD,
        help="size from which VectorIndex switches to HNSW (measured at and above it)",
    )
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument(
        "--vectors-npz",
        type=Path,
        help="real vectors from a match_retrieval_tuning.py cache (keys, vectors) "
        "instead of embedding the 2A/FR texts; 200 of them are the queries",
    )
    parser.add_argument("--recall-limit", type=int, default=100)
    parser.add_argument(
        "--breadths", type=int, nargs="+", default=[128, 256, 512, 1024]
    )
    parser.add_argument("--skip-random", action="store_true")
    parser.add_argument("--model", default=DEFAULT_EMBEDDER, help="embedder name")
    parser.add_argument("--data", type=Path, default=DATA, help="benchmark-data folder")
    parser.add_argument(
        "--cache", type=Path, help="default: /tmp/claimtrack-match-MODEL.npz"
    )
    options = parser.parse_args()
    cache = options.cache or Path(f"/tmp/claimtrack-match-{options.model}.npz")
    from claimtrack.plugins import get_embedder

    dimensions = get_embedder(options.model).dimensions
    rng = np.random.default_rng(7)
    random_queries = normalize(
        rng.standard_normal((RECALL_QUERIES, dimensions), dtype=np.float32)
    )
    rows = []
    for size in [] if options.skip_random else options.sizes:
        rows.append(
            measure(
                size,
                "random",
                partial(random_chunks, size, dimensions),
                random_queries,
                options,
            )
        )
    if not options.skip_real:
        if options.vectors_npz:
            claims, real_queries = cached_claims(options.vectors_npz, RECALL_QUERIES)
        else:
            claims, real_queries = real_claims(cache, options.model, options.data)
        for size in options.sizes:
            rows.append(
                measure(
                    size,
                    "real",
                    partial(tiled_chunks, size, claims),
                    real_queries,
                    options,
                )
            )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "model": options.model,
                "dimensions": dimensions,
                "article_claims": options.claims,
                "limit": LIMIT,
                "threshold": options.threshold,
                "cpus": os.cpu_count(),
                "machine": platform.machine(),
                "peak_rss_mb": round(peak_mb),
                "results": rows,
            }
        )
    )
    print(summary(rows), file=sys.stderr)


def summary(rows: list[dict[str, object]]) -> str:
    """Return one line: median ms of exact and approximate search per size."""
    parts = []
    for row in rows:
        text = f"{row['collection']} {row['stored_claims']:,}: exact "
        text += f"{row['exact']['median_ms']} ms"  # type: ignore[index]
        if "approximate" in row:
            graph = row["approximate"]
            text += f", HNSW {graph['median_ms']} ms recall {graph['recall_at_10']}"  # type: ignore[index]
        parts.append(text)
    return "one article against " + "; ".join(parts)


if __name__ == "__main__":
    main()
