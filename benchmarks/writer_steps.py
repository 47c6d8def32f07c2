"""Where the writer's time goes: CPU time per article of each step of an ingest.

Runs ``benchmarks/ingest.py --fake-models`` (instant fake models, a kept database of
N stored claims) with each step of ``Tracker._store`` wrapped in a
``time.process_time`` counter, and prints the CPU milliseconds per article of each.
Steps nest (``candidates`` holds ``lexical`` and ``vector``; ``lexical`` holds
``bm25_rerank``, ``choose``, the kept words' postings, ``rank_matches`` and bringing
the words held in memory up to date; what ``lexical`` has beyond them is reading the
candidate rows; ``vector`` holds the HNSW search and linking the last article's
vectors into the graph). The one-time loads that ``ingest.py`` does before timing
(the HNSW graph, the claims' words into memory, the BM25 sample) are not counted
(before round 7 the sample was, in ``claims.lexical``).

    OMP_NUM_THREADS=1 python benchmarks/writer_steps.py --stored-claims 1000000 -n 40 \
        --keep-databases /tmp/matcher/dbs --data ../shared/benchmark-data

``--breadth`` and ``--candidates`` override the HNSW search breadth (faiss
``efSearch``) and the retrievers' depth (``fusion.CANDIDATES``) for one run, so that
two settings can be timed back to back on the same database and code.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import ingest

from claimtrack import claim_words, index, lexical, store, tracker, vectors, wirecopy
from claimtrack.decision import model

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmark-data"
cpu: Counter[str] = Counter()
calls: Counter[str] = Counter()


def count(owner: Any, name: str, label: str) -> None:
    """Replace owner.name by a wrapper adding its CPU time to cpu[label]."""
    function: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(function)
    def counted(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            cpu[label] += time.process_time() - started
            calls[label] += 1

    setattr(owner, name, counted)


STEPS = [
    (tracker.Tracker, "_store", "writer, per article"),
    (index.HybridIndex, "candidates", "candidates (claims and fact-checks)"),
    (index.ClaimIndex, "lexical_hits", "claims.lexical"),
    (lexical, "bm25_rerank", "  bm25_rerank"),
    (lexical.RareWordQuery, "choose", "  choose (rarer words)"),
    (lexical.RareWordQuery, "_matches", "  postings of the kept words"),
    (lexical, "rank_matches", "  rank_matches (summed IDF)"),
    (claim_words.ClaimWords, "sync", "  words in memory: sync"),
    (index.ClaimIndex, "vector_hits", "claims.vector"),
    (vectors.HNSWIndex, "search", "  HNSW search"),
    (vectors.HNSWIndex, "add", "  HNSW add (the last article's vectors)"),
    (index.ClaimIndex, "present", "claims.present"),
    (index.ClaimIndex, "items", "claims.items"),
    (index.FactCheckIndex, "lexical_hits", "fact_checks.lexical"),
    (index.FactCheckIndex, "vector_hits", "fact_checks.vector"),
    (model.PairModel, "decide_many", "pair model"),
    (tracker.Tracker, "_place", "tracked claims (place)"),
    (wirecopy.WireCopyFinder, "examine", "wire copy"),
    (store.ClaimStore, "save_article", "save_article"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=40)
    parser.add_argument("--stored-claims", type=int, default=100_000)
    parser.add_argument("--keep-databases", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--breadth", type=int, help="HNSW efSearch for this run")
    parser.add_argument("--candidates", type=int, help="fusion.CANDIDATES for this run")
    options = parser.parse_args()
    if options.breadth:  # read by HNSWIndex when it builds or loads a graph
        vectors._HNSW_SEARCH_BREADTH = options.breadth
    if options.candidates:  # index.py imported the name
        index.CANDIDATES = options.candidates
    for owner, name, label in STEPS:
        count(owner, name, label)
    articles = ingest.build_articles(
        options.articles,
        options.data / "checkthat-t2b-en" / "transcripts",
        options.data / "claimnorm-ct2025-fr" / "train-fra.csv",
    )
    import datasketch  # noqa: F401  (imported apart: 2 s once, not a step's)

    figures = ingest.measure_writer(
        articles,
        options.stored_claims,
        options.keep_databases,
        # Only the timed articles: the one-time loads (graph, words, sample) apart.
        on_ready=lambda: (cpu.clear(), calls.clear()),
    )
    print(
        figures
        | {"breadth": vectors._HNSW_SEARCH_BREADTH, "candidates": index.CANDIDATES}
    )
    for label, seconds in sorted(cpu.items(), key=lambda item: -item[1]):
        per_article = 1000 * seconds / figures["articles"]  # type: ignore[operator]
        print(
            f"{label:38s} {per_article:7.1f} ms CPU / article  ({calls[label]} calls)"
        )


if __name__ == "__main__":
    main()
