"""What the matcher adds to vector search for one article: BM25 and the decisions.

benchmarks/match.py times the vector half (20 claims against N stored vectors). This
script times the other two steps of ``Matcher.link_claims`` for one article of 20
claims:

* ``bm25``: the FTS5 query the claim index runs per claim (``ClaimIndex.lexical_hits``,
  the text column of a ``claims_fts`` table with the product's tokenizer), against N
  stored claim texts: the CheckThat! 2A verified claims (claim, title), tiled to N;
* ``decide``: the pair model (``PairModel.load(--model)``) on the 20 x 5 candidate
  pairs of real texts (random unit vectors: the cost does not depend on them), the
  same pairs again and again; ``decide_new_claims``: each timed article's 20 claims,
  never seen before, against the same 100 stored texts, as in a writer (the new
  claims' features are computed once, the stored texts' come from the caches).

Queries are CheckThat! 2A train-dev tweets (a tune split: a speed benchmark reads no
report half; before round 11, the 202 dev-test tweets), 20 an article: every timed
article is new (1,195 tweets make 59; past them they come back). Median and p95 of
``--repeats`` articles, in wall time and in the process's CPU time (the machine is
shared: CPU time moves less with the load).

    python benchmarks/matcher_speed.py --sizes 100000 1000000 [--data DIR] \
        [--keep-databases /tmp/matcher-speed]

(``--sizes`` with no size times the pair model alone.)

With ``--keep-databases`` the filled databases are written to that folder once and
reused (filling a million claims with their FTS5 index takes minutes). ``bm25`` is
timed cold (the first article: every document frequency read from fts5vocab) and
warm (the median of the next ``--repeats`` articles: the frequencies of the words
seen before cached, as in a writer that runs for long). With ``--words-in-memory`` it
also times the writer's path, the claims' words held in memory
(``ClaimIndex.hold_words_in_memory``, :mod:`claimtrack.claim_words`; loading them is
timed apart), and compares the top 100 of every claim of the timed articles with the
FTS5 path's, ids and scores (``same_rankings``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from claimtrack.claim_terms import fill_missing
from claimtrack.decision import PairModel, PairSide
from claimtrack.index import ClaimIndex
from claimtrack.lexical import POSTINGS_BUDGET, fts_query
from claimtrack.store import ClaimStore
from claimtrack.vectors import normalize

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmark-data"
CLAIMS_PER_ARTICLE = 20
CANDIDATES = 5


def texts(data: Path) -> tuple[list[str], list[str]]:
    folder = data / "checkthat-t2a-en" / "ct2022"
    collection = []
    with (folder / "vclaims.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            collection.append(f"{record['vclaim']}. {record.get('title') or ''}")
    with (folder / "train-dev.queries.tsv").open(encoding="utf-8") as file:
        queries = [row[1] for row in csv.reader(file, delimiter="\t") if len(row) > 1]
    return collection, queries[1:]


def articles(queries: list[str], count: int) -> list[list[str]]:
    """count articles of CLAIMS_PER_ARTICLE queries, new ones first."""
    whole = len(queries) // CLAIMS_PER_ARTICLE
    return [
        queries[n % whole * CLAIMS_PER_ARTICLE :][:CLAIMS_PER_ARTICLE]
        for n in range(count)
    ]


def fill(store: ClaimStore, collection: list[str], size: int) -> None:
    """Store size claims (one article) without models: only what BM25 reads."""
    db = store.db
    db.table("articles").insert({"id": "a", "text": "", "language": "en"}, pk="id")
    rows = (
        {
            "id": f"c{n}",
            "article_id": "a",
            "position": n,
            "text": collection[n % len(collection)],
            "sentence": "",
            "char_start": 0,
            "char_end": 0,
            "sentence_start": 0,
            "sentence_end": 0,
        }
        for n in range(size)
    )
    with db.conn:
        db.table("claims").insert_all(rows, batch_size=10_000)
        fill_missing(db)  # their term numbers, as the writer stores them


def timed(
    function: Callable[[list[str]], object], inputs: list[list[str]]
) -> dict[str, float]:
    times, cpu = [], []
    for each in inputs:
        start, started_cpu = time.perf_counter(), time.process_time()
        function(each)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
    }


def bm25_index(store: ClaimStore, budget: int, held: bool) -> ClaimIndex:
    index = ClaimIndex(store.db, "none", dimensions=1)
    index._words.budget = budget
    if held:
        index.hold_words_in_memory()
    return index


def time_bm25(
    store: ClaimStore,
    budget: int,
    held: bool,
    queries: list[str],
    timed_articles: list[list[str]],
) -> dict[str, float]:
    """BM25 of the articles: cold (the first), then the median of the others.

    With ``held`` the claims' words are read into memory first
    (``ClaimIndex.hold_words_in_memory``, as the writer does), timed apart.
    """
    start, started_cpu = time.perf_counter(), time.process_time()
    index = bm25_index(store, budget, held)
    if held:
        assert index._memory is not None
        index._memory.sync()
    load = (
        (time.perf_counter() - start) * 1000,
        (time.process_time() - started_cpu) * 1000,
    )
    start = time.perf_counter()
    index.lexical_hits(queries, limit=100)  # cold: no frequency cached yet
    cold = (time.perf_counter() - start) * 1000
    figures = timed(partial(index.lexical_hits, limit=100), timed_articles[1:])
    words = [index._words.words(q) for q in queries]
    return {
        **({"load_ms": round(load[0]), "load_cpu_ms": round(load[1])} if held else {}),
        "cold_ms": round(cold, 2),
        **figures,
        "query_words_mean": round(statistics.mean(map(len, words)), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def same_rankings(
    store: ClaimStore, budget: int, timed_articles: list[list[str]]
) -> dict[str, int]:
    """Compare the top 100 of every claim, words in memory against FTS5, whole.

    Both indexes are fresh and see the articles in the same order, so their caches
    have the same history: the lists must be equal, ids and scores.
    """
    fts, held = bm25_index(store, budget, False), bm25_index(store, budget, True)
    claims = differing = 0
    for article in timed_articles:
        for a, b in zip(
            fts.lexical_hits(article, limit=100),
            held.lexical_hits(article, limit=100),
            strict=True,
        ):
            claims += 1
            differing += a != b
    return {"claims_compared": claims, "claims_differing": differing}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000])
    parser.add_argument("--model", default="e5-minilm")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--keep-databases", type=Path)
    parser.add_argument(
        "--words-in-memory",
        action="store_true",
        help="also time BM25 from the claims' words held in memory (the writer's "
        "path, claimtrack.claim_words) and compare its rankings with FTS5's",
    )
    parser.add_argument(
        "--budgets",
        type=int,
        nargs="+",
        default=[POSTINGS_BUDGET],
        help="postings budgets of the rarer-word query to time (claimtrack.lexical)",
    )
    args = parser.parse_args()
    collection, all_queries = texts(args.data)
    timed_articles = articles(all_queries, args.repeats + 1)
    queries = timed_articles[0]

    # Random unit vectors of the model's length: the decision's cost does not depend
    # on what they hold, and embedding 120 texts first would time the embedder.
    dimensions = 768 if args.model == "e5-minilm" else 384
    rng = np.random.default_rng(0)
    vectors = normalize(
        rng.standard_normal(
            (len(queries) * (CANDIDATES + 1), dimensions), dtype=np.float32
        )
    )
    sides = [PairSide(t, "en", v) for t, v in zip(queries, vectors, strict=False)]
    others = [
        PairSide(t, "en", v)
        for t, v in zip(
            collection[: len(queries) * CANDIDATES],
            vectors[len(queries) :],
            strict=True,
        )
    ]
    pairs = [
        (side, others[i * CANDIDATES + j])
        for i, side in enumerate(sides)
        for j in range(CANDIDATES)
    ]
    model = PairModel.load(args.model)
    model.decide_many(pairs)  # warm-up: word tables
    result: dict[str, object] = {
        "model": args.model,
        "claims_per_article": len(queries),
        "pairs": len(pairs),
        "decide": timed(lambda _: model.decide_many(pairs), [[]] * args.repeats),
        "decide_new_claims": timed(
            lambda article: model.decide_many(
                [
                    (PairSide(text, "en", side.vector), other)
                    for text, (side, other) in zip(
                        (t for t in article for _ in range(CANDIDATES)),
                        pairs,
                        strict=False,
                    )
                ]
            ),
            # Only articles not seen before (the 202 tweets make 10).
            timed_articles[1 : len(all_queries) // CLAIMS_PER_ARTICLE],
        ),
        "bm25": {},
    }
    for size in args.sizes:
        start = time.perf_counter()
        if args.keep_databases:
            args.keep_databases.mkdir(parents=True, exist_ok=True)
            path = args.keep_databases / f"speed-{size}.db"
            fresh = not path.exists()
            store = ClaimStore(path.with_suffix(".partial") if fresh else path)
            if fresh:
                fill(store, collection, size)
                store.db.conn.close()
                path.with_suffix(".partial").rename(path)
                store = ClaimStore(path)
        else:
            store = ClaimStore(Database(memory=True))
            fill(store, collection, size)
        built = time.perf_counter() - start
        result["bm25"][size] = {"fill_seconds": round(built, 1)}  # type: ignore[index]
        for budget in args.budgets:
            for held in (False, True) if args.words_in_memory else (False,):
                figures = time_bm25(store, budget, held, queries, timed_articles)
                label = f"{budget}, words in memory" if held else budget
                result["bm25"][size][label] = figures  # type: ignore[index]
                print(f"{size} budget {label}: {figures}", file=sys.stderr, flush=True)
            if args.words_in_memory:
                result["bm25"][size]["same_rankings"] = same_rankings(  # type: ignore[index]
                    store, budget, timed_articles
                )
    result["query_words_before"] = max(len(fts_query(q).split(" OR ")) for q in queries)
    result["load_average_1min"] = round(os.getloadavg()[0], 1)
    result["distinct_articles"] = len(all_queries) // CLAIMS_PER_ARTICLE
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
