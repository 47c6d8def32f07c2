"""Tune the lexical half of the product ranking on tuning splits; score the reports.

The claim index queries FTS5 with a text's rarer words only (claimtrack.lexical:
at most ``RARE_TERMS`` words whose document frequencies add up to at most
``POSTINGS_BUDGET``), so that BM25 costs the same at a million claims as at a
thousand. This script measures what that costs in quality and re-tunes the fusion
weight, on the tuning parts only:

- 2A: ct2022 train + dev tweets (train-dev.queries.tsv) -> 14,231 Snopes vclaims;
- FR: claimnorm FR even posts (CRC-32, as retrieval_bakeoff.py splits them);
- 2B: train + dev debate lines -> 19,250 PolitiFact vclaims.

It uses the product's functions (``BM25Index``, ``fuse_rankings``, ``score_rankings``,
``dense_query``, ``query_vectors``) with the embedder's vectors cached under
``--cache``, so that the grid does not re-embed 35,000 texts per setting. The chosen
setting is then scored once on each reporting part (2A and 2B dev-test, FR odd
posts): the same computation as ``claimtrack eval retrieval``, which embeds afresh.

    python benchmarks/match_retrieval_tuning.py --data ../shared/benchmark-data \
        --cache /tmp/claimtrack-retrieval [--report TERMS BUDGET WEIGHT]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from claimtrack.evaluate.retrieval import (
    DEFAULT_FUSION,
    FUSIONS,
    Fusion,
    fuse_rankings,
    load_collection,
    load_qrels,
    load_queries,
    reviewed_claim_text,
    score_rankings,
)
from claimtrack.evaluate.vector_cache import VectorCache
from claimtrack.fusion import CANDIDATES
from claimtrack.lexical import MAX_QUERY_TERMS, BM25Index
from claimtrack.plugins import get_embedder
from claimtrack.query import dense_query, query_vectors
from claimtrack.sources.articles import detect_language
from claimtrack.vectors import VectorIndex

sys.path.insert(0, str(Path(__file__).parent))
from retrieval_bakeoff import claimnorm_task

# (rare terms, postings budget): the first row is the old query (every word). Since
# the BM25 that orders the rows found weighs the common words too, the budget only
# bounds which words find rows (claimtrack.lexical, RERANK_COMMON_WORDS).
SETTINGS = [
    (MAX_QUERY_TERMS, 10**9),
    (MAX_QUERY_TERMS, 20_000),
    (MAX_QUERY_TERMS, 5_000),
    (MAX_QUERY_TERMS, 2_000),
    (MAX_QUERY_TERMS, 500),
]
WEIGHTS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]


@dataclass
class Task:
    name: str
    metric: str
    collection: dict[str, str]  # embedded
    lexical: dict[str, str]  # indexed by BM25
    tune: tuple[dict[str, str], dict[str, set[str]]]
    report: tuple[dict[str, str], dict[str, set[str]]]


def merged(*paths: Path) -> dict[str, set[str]]:
    qrels: dict[str, set[str]] = {}
    for path in paths:
        for qid, docs in load_qrels(path).items():
            qrels.setdefault(qid, set()).update(docs)
    return qrels


def tasks(data: Path, *, strip_framing: bool = True) -> list[Task]:
    """The three tasks, embedded as `claimtrack eval retrieval` embeds them.

    With ``strip_framing`` (its default, as fact-check import does) the embedded
    texts lose PolitiFact's "Says" framing; BM25 indexes them as given.
    """
    a = data / "checkthat-t2a-en" / "ct2022"
    b = data / "checkthat-t2b-en"
    fields = ["vclaim", "title"]
    prepare = reviewed_claim_text if strip_framing else None
    fr = claimnorm_task(data / "claimnorm-ct2025-fr" / "train-fra.csv", "FR", 0)
    return [
        Task(
            "2A",
            "map@5",
            load_collection(
                a / "vclaims.jsonl",
                id_field="vclaim_id",
                text_fields=fields,
                prepare=prepare,
            ),
            load_collection(
                a / "vclaims.jsonl",
                id_field="vclaim_id",
                text_fields=[*fields, "subtitle"],
            ),
            (
                load_queries(a / "train-dev.queries.tsv"),
                merged(a / "train.qrels.tsv", a / "dev.qrels.tsv"),
            ),
            (
                load_queries(a / "dev-test.queries.tsv"),
                load_qrels(a / "dev-test.qrels.tsv"),
            ),
        ),
        Task(
            "FR",
            "mrr",
            {i: prepare(t) if prepare else t for i, t in fr.collection.items()},
            fr.collection,
            (fr.tune.queries, fr.tune.qrels),
            (fr.report.queries, fr.report.qrels),
        ),
        Task(
            "2B",
            "map@5",
            load_collection(
                b / "vclaims.jsonl",
                id_field="vclaim_id",
                text_fields=fields,
                prepare=prepare,
            ),
            load_collection(
                b / "vclaims.jsonl", id_field="vclaim_id", text_fields=fields
            ),
            (
                load_queries(b / "train-dev.queries.tsv"),
                merged(b / "train.qrels.tsv", b / "dev.qrels.tsv"),
            ),
            (
                load_queries(b / "dev-test.queries.tsv"),
                load_qrels(b / "dev-test.qrels.tsv"),
            ),
        ),
    ]


def vector_rankings(
    task: Task, vectors: VectorCache | None, queries: dict[str, str]
) -> dict:
    assert vectors is not None
    ids = list(task.collection)
    index = VectorIndex(dimensions=vectors.dimensions)
    index.add(ids, vectors.embed([task.collection[i] for i in ids]))
    qids = list(queries)
    # Each query's vector weighed by its detected language, as eval retrieval does.
    matrix = query_vectors(
        vectors.embed([dense_query(queries[q]) for q in qids]),
        [detect_language(queries[q]) for q in qids],
        vectors.embedder.model_id,
    )
    return dict(zip(qids, index.search(matrix, limit=CANDIDATES), strict=True))


def lexical_rankings(
    task: Task, queries: dict[str, str], terms: int, budget: int
) -> dict:
    index = BM25Index()
    ids = list(task.lexical)
    index.add(ids, [task.lexical[i] for i in ids])
    index._query.terms, index._query.budget = terms, budget
    qids = list(queries)
    return dict(
        zip(
            qids,
            index.search([queries[q] for q in qids], limit=CANDIDATES),
            strict=True,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--model", default="e5-minilm")
    parser.add_argument("--tasks", default="2A,FR,2B")
    parser.add_argument("--embed-only", action="store_true")
    parser.add_argument(
        "--lexical-only", action="store_true", help="BM25 alone: no embedder"
    )
    parser.add_argument(
        "--fusions",
        default=DEFAULT_FUSION,
        help=f"comma-separated, of {', '.join(FUSIONS)} (the grid's rows: "
        "zscore under the bare weight, the others as 'rrf 0.4')",
    )
    parser.add_argument(
        "--keep-framing",
        action="store_true",
        help="embed PolitiFact's 'Says ...' framing (eval retrieval --keep-framing)",
    )
    parser.add_argument(
        "--report", nargs=3, type=float, metavar=("TERMS", "BUDGET", "WEIGHT")
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    vectors = (
        None if args.lexical_only else VectorCache(args.cache, get_embedder(args.model))
    )
    chosen = [
        t
        for t in tasks(args.data, strip_framing=not args.keep_framing)
        if t.name in args.tasks.split(",")
    ]
    part = "report" if args.report else "tune"
    for task in chosen:
        queries, qrels = getattr(task, part)
        asked = {q: t for q, t in queries.items() if q in qrels}
        dense = {} if args.lexical_only else vector_rankings(task, vectors, asked)
        if args.embed_only:
            continue
        settings = (
            [(int(args.report[0]), int(args.report[1]))] if args.report else SETTINGS
        )
        weights = [args.report[2]] if args.report else WEIGHTS
        rows = []
        for terms, budget in settings:
            lexical = lexical_rankings(task, asked, terms, budget)
            row = {
                "task": task.name,
                "part": part,
                "terms": terms,
                "budget": budget,
                "bm25": round(score_rankings(lexical, qrels)[task.metric], 4),
            }
            if args.lexical_only:
                print(json.dumps(row), flush=True)
                continue
            row["vector"] = round(score_rankings(dense, qrels)[task.metric], 4)
            for fusion in args.fusions.split(","):
                for weight in weights:
                    fused = fuse_rankings(
                        dense, lexical, bm25_weight=weight, fusion=cast(Fusion, fusion)
                    )
                    key = f"{fusion} {weight}".removeprefix(f"{DEFAULT_FUSION} ")
                    row[key] = round(score_rankings(fused, qrels)[task.metric], 4)
            if args.report:
                fused = fuse_rankings(dense, lexical, bm25_weight=weights[0])
                row["all"] = score_rankings(fused, qrels)
            rows.append(row)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
