"""Train the re-ranker of the fused top (claimtrack.rerank) on the train splits.

Per task, the product's rankings (cached vectors, the BM25 index and the zscore fusion
of ``match_retrieval_tuning.py``) of every tuning query are computed once; each
(query, candidate) pair of the fused top ``--top`` becomes a row of
``claimtrack.rerank.FEATURES``, labelled by the qrels. A logistic regression is fitted
on the train queries (2A train, 2B train, FR tuning posts with an even number) and
chosen, over ``--c`` and ``--top``, by the mean gain on the choosing queries
(2A dev, 2B dev, FR tuning posts with an odd number): queries stay whole on one side.
No reporting part is read.

    python benchmarks/train_rerank.py --data ../shared/benchmark-data \
        --cache /tmp/retr20/cache --tasks 2A,FR,2B [--out claimtrack/rerank.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from claimtrack.decision.pair_features import FEATURES as PAIR_FEATURES
from claimtrack.decision.pair_features import Side, pair_features
from claimtrack.evaluate.retrieval import load_qrels, score_rankings
from claimtrack.evaluate.vector_cache import VectorCache
from claimtrack.fusion import hybrid_ranking
from claimtrack.plugins import get_embedder
from claimtrack.rerank import FEATURES, Reranker, pair_rows

sys.path.insert(0, str(Path(__file__).parent))
from match_retrieval_tuning import (
    SETTINGS,
    lexical_rankings,
    tasks,
    vector_rankings,
)

# The product's query (claimtrack.lexical): every rare word, 20,000 postings.
TERMS, BUDGET = SETTINGS[1]


def choosing_queries(name: str, data: Path, qids: list[str]) -> set[str]:
    """The tuning queries that choose (the rest train)."""
    if name == "2A":
        return set(load_qrels(data / "checkthat-t2a-en" / "ct2022" / "dev.qrels.tsv"))
    if name == "2B":
        return set(load_qrels(data / "checkthat-t2b-en" / "dev.qrels.tsv"))
    return {q for q in qids if int(q.lstrip("p")) % 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--model", default="e5-minilm")
    parser.add_argument("--tasks", default="2A,FR,2B")
    parser.add_argument("--top", type=int, nargs="+", default=[10, 20, 30])
    parser.add_argument("--c", type=float, nargs="+", default=[0.01, 0.1, 1.0])
    parser.add_argument(
        "--pair-features",
        action="store_true",
        help="offline experiment: add claimtrack.decision.pair_features of each "
        "(query, candidate) text pair (the product re-ranker has no texts)",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    vectors = VectorCache(args.cache, get_embedder(args.model))
    runs = []
    for task in tasks(args.data):
        if task.name not in args.tasks.split(","):
            continue
        queries, qrels = task.tune
        asked = {q: t for q, t in queries.items() if q in qrels}
        dense = vector_rankings(task, vectors, asked)
        lexical = lexical_rankings(task, asked, TERMS, BUDGET)
        fused = {q: hybrid_ranking(dense[q], lexical[q]) for q in asked}
        choose = choosing_queries(task.name, args.data, list(asked))
        runs.append((task, dense, lexical, fused, qrels, choose, asked))
        print(f"{task.name}: {len(asked)} queries, {len(choose)} choose", flush=True)

    def rows(top: int, part: str) -> tuple[np.ndarray, np.ndarray]:
        x, y = [], []
        for task, dense, lexical, fused, qrels, choose, asked in runs:
            for q in fused:
                if (q in choose) != (part == "choose"):
                    continue
                for (item, _), row in zip(
                    fused[q],
                    pair_rows(dense[q], lexical[q], fused[q], top),
                    strict=False,
                ):
                    if args.pair_features:
                        row = row + texts_row(task, asked[q], item, row[0])
                    x.append(row)
                    y.append(item in qrels[q])
        return np.array(x, dtype=float), np.array(y, dtype=int)

    def texts_row(task, query: str, item: str, cosine: float) -> list[float]:
        language = "fr" if task.name == "FR" else "en"
        started = time.process_time()
        got = pair_features(
            Side(query, language),
            Side(task.collection[item], language),
            cosines=[cosine, cosine],
        )
        pair_seconds.append(time.process_time() - started)
        return [got[name] for name in PAIR_FEATURES]

    pair_seconds: list[float] = []

    def scored(reranker: Reranker | None) -> dict[str, float]:
        out = {}
        for task, dense, lexical, fused, qrels, choose, _asked in runs:
            ranked = {
                q: reranker.rerank(dense[q], lexical[q], fused[q])
                if reranker
                else fused[q]
                for q in fused
                if q in choose
            }
            out[task.name] = score_rankings(ranked, qrels)[task.metric]
        return out

    def scored_with_texts(model, mean, scale, top: int) -> dict[str, float]:
        out = {}
        for task, dense, lexical, fused, qrels, choose, asked in runs:
            ranked = {}
            for q in fused:
                if q not in choose:
                    continue
                head = [
                    row + texts_row(task, asked[q], item, row[0])
                    for (item, _), row in zip(
                        fused[q],
                        pair_rows(dense[q], lexical[q], fused[q], top),
                        strict=False,
                    )
                ]
                learned = model.decision_function((np.array(head) - mean) / scale)
                order = sorted(range(len(head)), key=lambda i: (-learned[i], i))
                ranked[q] = [fused[q][i] for i in order] + fused[q][len(head) :]
            out[task.name] = score_rankings(ranked, qrels)[task.metric]
        return out

    base = scored(None)
    print(json.dumps({"fused (choose parts)": base}), flush=True)
    best: tuple[float, dict, dict] | None = None
    for top in args.top:
        x, y = rows(top, "train")
        mean, scale = x.mean(0), x.std(0)
        scale[scale == 0] = 1.0
        for c in args.c:
            model = LogisticRegression(C=c, max_iter=2000)
            model.fit((x - mean) / scale, y)
            raw = {
                "method": "rerank-logistic-1",
                "features": list(FEATURES),
                "weights": model.coef_[0].tolist(),
                "intercept": float(model.intercept_[0]),
                "mean": mean.tolist(),
                "scale": scale.tolist(),
                "top": top,
            }
            got = (
                scored_with_texts(model, mean, scale, top)
                if args.pair_features
                else scored(Reranker.from_json(raw))
            )
            gain = float(np.mean([got[n] - base[n] for n in got]))
            print(
                json.dumps({"top": top, "c": c, "gain": round(gain, 4), **got}),
                flush=True,
            )
            if best is None or gain > best[0]:
                best = (gain, raw, got)
    assert best is not None
    gain, raw, got = best
    print(json.dumps({"chosen": {k: raw[k] for k in ("top",)}, "gain": gain, **got}))
    if args.out:
        raw["trained_with"] = " ".join(["benchmarks/train_rerank.py", *sys.argv[1:]])
        raw["choose_parts"] = {"fused": base, "reranked": got}
        args.out.write_text(json.dumps(raw, indent=1) + "\n")
    # The re-rank's own cost: one article of 20 claims, CPU time.
    if args.pair_features:
        print(json.dumps({"pair_features_ms_mean": 1000 * np.mean(pair_seconds)}))
        return
    _task, dense, lexical, fused, _qrels, _choose, _asked = runs[0]
    reranker = Reranker.from_json(raw)
    qs = list(fused)[:20]
    start = time.process_time()
    for _ in range(50):
        for q in qs:
            reranker.rerank(dense[q], lexical[q], fused[q])
    per_article = (time.process_time() - start) / 50 * 1000
    print(json.dumps({"rerank_ms_per_20_claims_cpu": round(per_article, 3)}))


if __name__ == "__main__":
    main()
