"""Compare embedders, BM25 and fusions on claim retrieval; calibrate thresholds.

Reads the benchmark data from the paths given (nothing is copied into the repository),
caches embeddings under --cache, tunes fusion weights and thresholds on the training
parts only, and prints Markdown tables measured on the reporting parts.

Usage:
    .venv/bin/python benchmarks/retrieval_bakeoff.py \
        --data /work/shared/benchmark-data --cache /tmp/claimtrack-bench
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
import warnings
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from claimtrack.embed import (
    E5Embedder,
    Embedder,
    SentenceTransformerEmbedder,
    UniversalSentenceEncoderEmbedder,
)
from claimtrack.evaluate.retrieval import (
    FUSIONS,
    fuse_rankings,
    load_collection,
    load_qrels,
    load_queries,
    score_rankings,
)
from claimtrack.fusion import RRF_K
from claimtrack.lexical import BM25Index
from claimtrack.query import dense_query

MODELS: dict[str, Callable[[], Embedder]] = {
    "minilm": SentenceTransformerEmbedder,
    "use": UniversalSentenceEncoderEmbedder,
    "e5": E5Embedder,
}
DEPTH = 100
csv.field_size_limit(sys.maxsize)


@dataclass
class Split:
    queries: dict[str, str]
    qrels: dict[str, set[str]]


@dataclass
class Task:
    name: str
    collection: dict[str, str]
    tune: Split | None
    report: Split
    metric: str
    notes: str = ""
    # Dense models score only these documents (BM25 candidates) when set.
    candidates: list[str] | None = None
    # filled in by run(): method -> split name -> rankings
    rankings: dict[str, dict[str, dict[str, list[tuple[str, float]]]]] = field(
        default_factory=dict
    )


def only(queries: dict[str, str], qrels: dict[str, set[str]]) -> Split:
    return Split({q: t for q, t in queries.items() if q in qrels}, qrels)


def checkthat_tasks(data: Path) -> list[Task]:
    a = data / "checkthat-t2a-en" / "ct2022"
    b = data / "checkthat-t2b-en"
    a_train = load_queries(a / "train-dev.queries.tsv")
    b_train = load_queries(b / "train-dev.queries.tsv")
    return [
        Task(
            "CheckThat! 2A en (tweets -> Snopes), dev-test",
            load_collection(
                a / "vclaims.jsonl",
                id_field="vclaim_id",
                text_fields=("vclaim", "title"),
            ),
            only(a_train, load_qrels(a / "dev.qrels.tsv")),
            only(
                load_queries(a / "dev-test.queries.tsv"),
                load_qrels(a / "dev-test.qrels.tsv"),
            ),
            "map@5",
        ),
        Task(
            "CheckThat! 2B en (debates -> PolitiFact), dev-test",
            load_collection(
                b / "vclaims.jsonl",
                id_field="vclaim_id",
                text_fields=("vclaim", "title"),
            ),
            only(b_train, load_qrels(b / "dev.qrels.tsv")),
            only(
                load_queries(b / "dev-test.queries.tsv"),
                load_qrels(b / "dev-test.qrels.tsv"),
            ),
            "map@5",
        ),
    ]


def claimnorm_task(path: Path, name: str, post_chars: int) -> Task:
    """Post -> its normalised claim among all distinct claims of the file.

    Posts are split in two by the CRC-32 of the post text: even posts tune, odd posts
    report. The collection is every distinct claim of the file in both cases. Posts
    are cut to their first ``post_chars`` characters (0: kept whole): they often
    repeat themselves, and the models truncate long inputs anyway.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            (r["post"], r["normalized claim"].strip()) for r in csv.DictReader(handle)
        ]
    claim_ids = {
        claim: f"c{n}" for n, claim in enumerate(dict.fromkeys(c for _, c in rows))
    }
    splits: list[Split] = [Split({}, {}), Split({}, {})]
    for number, (post, claim) in enumerate(rows):
        split = splits[zlib.crc32(post.encode()) % 2]
        split.queries[f"p{number}"] = post[:post_chars] if post_chars else post
        split.qrels[f"p{number}"] = {claim_ids[claim]}
    collection = {cid: claim for claim, cid in claim_ids.items()}
    return Task(
        name, collection, splits[0], splits[1], "mrr", f"{len(collection)} claims"
    )


def cross_lingual_tasks(
    data: Path, pairs_path: Path, distractors: int = 300
) -> list[Task]:
    """FR<->EN from hand-written English translations of French normalised claims.

    Each pair file row is ``row<TAB>english`` where row is the 0-based row of
    train-fra.csv whose normalised claim was translated. FR->EN: the French claim
    queries a collection of the translations plus the first ``distractors`` distinct
    English claims of dev-eng.csv. EN->FR: the translation queries every distinct
    French claim.
    """
    fr_path = data / "claimnorm-ct2025-fr" / "train-fra.csv"
    with fr_path.open(encoding="utf-8", newline="") as handle:
        french = [r["normalized claim"].strip() for r in csv.DictReader(handle)]
    with (data / "claimnorm-ct2025-fr" / "dev-eng.csv").open(
        encoding="utf-8", newline=""
    ) as h:
        english = list(
            dict.fromkeys(r["normalized claim"].strip() for r in csv.DictReader(h))
        )
    pairs = [
        (int(row), text)
        for row, text in (
            line.split("\t", 1) for line in pairs_path.read_text().splitlines() if line
        )
    ]
    en_collection = {f"en{n}": text for n, text in enumerate(english[:distractors])}
    en_collection |= {f"tr{row}": text for row, text in pairs}
    fr_ids = {claim: f"fr{n}" for n, claim in enumerate(dict.fromkeys(french))}
    fr_en = Split(
        {f"q{row}": french[row] for row, _ in pairs},
        {f"q{row}": {f"tr{row}"} for row, _ in pairs},
    )
    en_fr = Split(
        {f"q{row}": text for row, text in pairs},
        {f"q{row}": {fr_ids[french[row]]} for row, _ in pairs},
    )
    return [
        Task(
            f"FR -> EN ({len(pairs)} claims vs {len(en_collection)} English claims)",
            en_collection,
            None,
            fr_en,
            "mrr",
        ),
        Task(
            f"EN -> FR ({len(pairs)} claims vs {len(fr_ids)} French claims)",
            {cid: claim for claim, cid in fr_ids.items()},
            None,
            en_fr,
            "mrr",
        ),
    ]


class Cache:
    """Embeddings on disk, keyed by model id and the exact list of texts."""

    def __init__(self, folder: Path, embedders: dict[str, Embedder]) -> None:
        self.folder = folder
        self.embedders = embedders
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, model: str, texts: Sequence[str], passage: bool = False) -> Path:
        side = "\x00passage" if passage else ""
        key = self.embedders[model].model_id + side + "\x00" + "\x00".join(texts)
        name = f"{model}-passage" if passage else model
        return self.folder / f"{name}-{hashlib.sha1(key.encode()).hexdigest()}.npy"

    def cached(
        self, model: str, texts: Sequence[str], passage: bool = False
    ) -> np.ndarray | None:
        path = self.path(model, texts, passage)
        return np.load(path) if path.exists() else None

    def embed(
        self, model: str, texts: Sequence[str], passage: bool = False
    ) -> np.ndarray:
        """Vectors of texts, cached; ``passage`` embeds them as a collection."""
        embedder = self.embedders[model]
        path = self.path(model, texts, passage)
        if path.exists():
            return np.load(path)
        start = time.perf_counter()
        matrix = (
            embedder.embed_passages(list(texts))
            if passage
            else embedder.embed_all(list(texts))
        )
        print(
            f"  embedded {len(texts)} texts with {model}{' (passages)' * passage} in "
            f"{time.perf_counter() - start:.0f} s",
            file=sys.stderr,
        )
        np.save(path, matrix)
        return matrix


def dense_scores(cache: Cache, model: str, task: Task, split: Split) -> np.ndarray:
    """Cosines of every query with every document; -1 outside the candidates."""
    queries = cache.embed(model, list(split.queries.values()))
    texts = list(task.collection.values())
    if task.candidates is None:
        return queries @ cache.embed(model, texts).T
    position = {doc_id: n for n, doc_id in enumerate(task.collection)}
    columns = [position[doc_id] for doc_id in task.candidates]
    full = cache.cached(model, texts)
    docs = (
        full[columns]
        if full is not None
        else cache.embed(model, [texts[c] for c in columns])
    )
    scores = np.full((len(queries), len(texts)), -1.0, dtype=np.float32)
    scores[:, columns] = queries @ docs.T
    return scores


def top(
    task: Task, split: Split, scores: np.ndarray
) -> dict[str, list[tuple[str, float]]]:
    doc_ids = list(task.collection)
    take = min(DEPTH, scores.shape[1])
    best = np.argpartition(-scores, take - 1, axis=1)[:, :take]
    rankings = {}
    for row, qid in enumerate(split.queries):
        order = best[row][np.argsort(-scores[row, best[row]])]
        rankings[qid] = [(doc_ids[c], float(scores[row, c])) for c in order]
    return rankings


def limit(split: Split, count: int) -> Split:
    kept = dict(list(split.queries.items())[:count])
    return Split(kept, {q: split.qrels[q] for q in kept})


def bm25(
    task: Task, split: Split, depth: int = DEPTH
) -> dict[str, list[tuple[str, float]]]:
    index = BM25Index()
    index.add(list(task.collection), list(task.collection.values()))
    hits = index.search(list(split.queries.values()), limit=depth)
    return dict(zip(split.queries, hits, strict=True))


def methods_for(
    cache: Cache, task: Task, split: Split, weights: dict[str, float]
) -> dict[str, dict[str, list[tuple[str, float]]]]:
    """Rankings of every method on one split, with the given fusion weights."""
    scores = {m: dense_scores(cache, m, task, split) for m in cache.embedders}
    lexical = bm25(task, split)
    out = {m: top(task, split, s) for m, s in scores.items()}
    out["bm25"] = lexical
    for m in scores:
        out[f"{m}+bm25"] = fuse_rankings(out[m], lexical, bm25_weight=weights["bm25"])
    mix = weights["use"] * scores["use"] + (1 - weights["use"]) * scores["minilm"]
    out["use+minilm"] = top(task, split, mix)
    out["use+minilm+bm25"] = fuse_rankings(
        out["use+minilm"], lexical, bm25_weight=weights["bm25"]
    )
    if "e5" in scores:
        mix = weights["e5"] * scores["e5"] + (1 - weights["e5"]) * scores["minilm"]
        out["e5+minilm"] = top(task, split, mix)
        out["e5+minilm+bm25"] = fuse_rankings(
            out["e5+minilm"], lexical, bm25_weight=weights["bm25"]
        )
        mix = weights["e5use"] * scores["e5"] + (1 - weights["e5use"]) * scores["use"]
        out["e5+use"] = top(task, split, mix)
    return out


def tune(cache: Cache, tasks: list[Task]) -> dict[str, float]:
    """Pick fusion weights by grid search on the tuning splits (mean of the metrics)."""
    grid = [round(0.1 * step, 1) for step in range(1, 10)]
    tunable = [t for t in tasks if t.tune is not None]
    scores = {
        (t.name, m): dense_scores(cache, m, t, t.tune)
        for t in tunable
        for m in cache.embedders
        if t.tune is not None
    }
    lexical = {t.name: bm25(t, t.tune) for t in tunable if t.tune is not None}
    weights: dict[str, float] = {}

    def objective(
        rank: Callable[[Task, Split], dict[str, list[tuple[str, float]]]],
    ) -> float:
        values = [
            score_rankings(rank(t, t.tune), t.tune.qrels)[t.metric]
            for t in tunable
            if t.tune is not None
        ]
        return sum(values) / len(values)

    for name, other, key in (
        ("use", "minilm", "use"),
        ("e5", "minilm", "e5"),
        ("e5", "use", "e5use"),
    ):
        if name not in cache.embedders:
            continue
        weights[key] = max(
            grid,
            key=lambda w, n=name, o=other: objective(
                lambda t, s: top(
                    t, s, w * scores[(t.name, n)] + (1 - w) * scores[(t.name, o)]
                )
            ),
        )
    weights["bm25"] = max(
        [0.0, *grid[:6]],
        key=lambda w: objective(
            lambda t, s: fuse_rankings(
                top(t, s, scores[(t.name, "minilm")]), lexical[t.name], bm25_weight=w
            )
        ),
    )
    return weights


def calibrate(
    rankings: dict[str, list[tuple[str, float]]],
    qrels: dict[str, set[str]],
    *,
    same_precision: float = 0.95,
    suggest_precision: float = 0.5,
) -> tuple[float, float]:
    """Thresholds from gold pairs against each query's best wrong candidate.

    At ingest most new claims have no earlier mention, so every query gives one
    positive (its gold claim's score) and one hard negative (the best non-gold score,
    which is what it would link to if the gold were absent). "same" is the lowest
    score from which these pairs are right ``same_precision`` of the time,
    "suggested" the lowest from which they are right ``suggest_precision``.
    """
    pairs: list[tuple[float, bool]] = []
    for query, hits in rankings.items():
        gold = [score for doc, score in hits if doc in qrels[query]]
        wrong = [score for doc, score in hits if doc not in qrels[query]]
        pairs += [(max(gold), True)] if gold else []
        pairs += [(max(wrong), False)] if wrong else []
    pairs.sort(reverse=True)

    def lowest(target: float) -> float:
        correct, best = 0, pairs[0][0]
        for n, (score, right) in enumerate(pairs, start=1):
            correct += right
            if correct / n >= target:
                best = score
        return round(best, 3)

    return lowest(same_precision), lowest(suggest_precision)


def precision_at(
    rankings: dict[str, list[tuple[str, float]]],
    qrels: dict[str, set[str]],
    threshold: float,
) -> tuple[float, float]:
    """Precision of top-1 links scoring >= threshold, and the share linked."""
    linked = [
        hits[0][0] in qrels[q]
        for q, hits in rankings.items()
        if hits and hits[0][1] >= threshold
    ]
    if not linked:
        return float("nan"), 0.0
    return sum(linked) / len(linked), len(linked) / len(rankings)


def speed(embedder: Embedder, texts: Sequence[str]) -> float:
    embedder.embed_all(list(texts[:8]))  # load the model outside the timing
    start = time.perf_counter()
    embedder.embed_all(list(texts))
    return len(texts) / (time.perf_counter() - start)


# --- Full collections: fusion tuned on every tuning query (--full) ---------------

FUSION_GRID = [round(0.05 * step, 2) for step in range(2, 15)]  # BM25 share 0.1-0.7
DENSE_SHARES = (0.7, 0.8, 0.9)  # E5's share against MiniLM's in a combined cosine


def full_tasks(data: Path) -> list[Task]:
    """2A tuned on all its train and dev queries; FR on all even posts, odd report.

    Queries are kept whole: the dense variants see them as claimtrack's embedder does
    (:func:`claimtrack.query.dense_query`), BM25 sees all of each.
    """
    a = data / "checkthat-t2a-en" / "ct2022"
    qrels = load_qrels(a / "train.qrels.tsv") | load_qrels(a / "dev.qrels.tsv")
    return [
        Task(
            "2A",
            load_collection(
                a / "vclaims.jsonl",
                id_field="vclaim_id",
                text_fields=("vclaim", "title"),
            ),
            only(load_queries(a / "train-dev.queries.tsv"), qrels),
            only(
                load_queries(a / "dev-test.queries.tsv"),
                load_qrels(a / "dev-test.qrels.tsv"),
            ),
            "map@5",
        ),
        claimnorm_task(
            data / "claimnorm-ct2025-fr" / "train-fra.csv", "FR", post_chars=0
        ),
    ]


def lexical_variants(task: Task, data: Path) -> dict[str, dict[str, str]]:
    """The texts BM25 may index: the embedded ones, and on 2A the subtitle added."""
    variants = {"text": task.collection}
    if task.name == "2A":
        variants["+subtitle"] = load_collection(
            data / "checkthat-t2a-en" / "ct2022" / "vclaims.jsonl",
            id_field="vclaim_id",
            text_fields=("vclaim", "title", "subtitle"),
        )
    return variants


def full_dense(
    cache: Cache, task: Task, split: Split
) -> Iterator[tuple[str, np.ndarray]]:
    """Cosine matrices of every dense variant: single models and E5+MiniLM mixes.

    ``e5p`` embeds the collection with E5's ``passage:`` prefix (queries keep
    ``query:``); ``e5`` embeds both sides as queries, as claimtrack does by default.
    """
    texts = list(task.collection.values())
    queries = [dense_query(query) for query in split.queries.values()]
    scores = {
        m: cache.embed(m, queries) @ cache.embed(m, texts).T for m in cache.embedders
    }
    if "e5" in cache.embedders:
        scores["e5p"] = (
            cache.embed("e5", queries) @ cache.embed("e5", texts, passage=True).T
        )
    yield from scores.items()
    for e5 in ("e5", "e5p"):
        for share in DENSE_SHARES:
            if e5 in scores and "minilm" in scores:
                yield (
                    f"{e5}*{share}+minilm",
                    share * scores[e5] + (1 - share) * scores["minilm"],
                )


def normalized(values: np.ndarray, fusion: str) -> np.ndarray:
    """claimtrack.fusion's normalisations, one ranking per row; NaN marks no entry."""
    present = ~np.isnan(values)
    if fusion == "rrf":
        ranks = np.arange(1, values.shape[1] + 1)[None, :]
        return np.where(present, 1.0 / (RRF_K + ranks), 0.0)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # rows with no entry at all
        high = np.nanmax(values, axis=1, keepdims=True)
        low = np.nanmin(values, axis=1, keepdims=True)
        if fusion == "max":
            out = np.clip(values, 0, None) / np.where(high > 0, high, np.inf)
        else:
            spread = (
                high - low
                if fusion == "minmax"
                else np.nanstd(values, axis=1, keepdims=True)
            )
            out = np.where(spread > 0, (values - low) / spread, 1.0)
    return np.where(present, np.nan_to_num(out), 0.0)


class FusionGrid:
    """A dense and a BM25 top-DEPTH list per query, fused like fuse_rankings, fast.

    The candidates of a query are the union of its two lists; an id missing from a
    list gets 0 from it, as in claimtrack.fusion. Ties may break differently.
    """

    def __init__(
        self,
        dense: dict[str, list[tuple[str, float]]],
        lexical: dict[str, list[tuple[str, float]]],
        qrels: dict[str, set[str]],
    ) -> None:
        queries = list(dense)
        self.dense = np.full((len(queries), DEPTH), np.nan)
        self.lexical = np.full((len(queries), DEPTH), np.nan)
        # column of each lexical entry in the dense list, or -1
        self.same = np.full((len(queries), DEPTH), -1)
        self.relevant = np.zeros((len(queries), 2 * DEPTH), dtype=bool)
        self.counts = np.array([len(qrels[q]) for q in queries])
        for row, query in enumerate(queries):
            column = {doc: n for n, (doc, _) in enumerate(dense[query][:DEPTH])}
            for n, (doc, score) in enumerate(dense[query][:DEPTH]):
                self.dense[row, n] = score
                self.relevant[row, n] = doc in qrels[query]
            for n, (doc, score) in enumerate(lexical[query][:DEPTH]):
                self.lexical[row, n] = score
                self.same[row, n] = column.get(doc, -1)
                self.relevant[row, DEPTH + n] = (
                    doc in qrels[query] and doc not in column
                )

    def score(self, fusion: str, bm25_weight: float) -> dict[str, float]:
        dense = (1 - bm25_weight) * normalized(self.dense, fusion)
        lexical = bm25_weight * normalized(self.lexical, fusion)
        rows, columns = np.nonzero(self.same >= 0)
        dense[rows, self.same[rows, columns]] += lexical[rows, columns]
        lexical[rows, columns] = -np.inf  # counted with its dense entry
        lexical[np.isnan(self.lexical)] = -np.inf
        dense[np.isnan(self.dense)] = -np.inf
        fused = np.hstack([dense, lexical])
        order = np.argsort(-fused, axis=1, kind="stable")
        return rank_metrics(np.take_along_axis(self.relevant, order, 1), self.counts)


def rank_metrics(relevant: np.ndarray, counts: np.ndarray) -> dict[str, float]:
    """MAP@1/5, MRR and Recall@1/5 from relevance flags in ranked order."""
    precision = np.where(
        relevant, np.cumsum(relevant, 1) / np.arange(1, relevant.shape[1] + 1), 0.0
    )
    first = np.where(relevant.any(1), relevant.argmax(1) + 1.0, np.inf)
    counts = np.maximum(counts, 1)
    return {
        "map@1": float(np.mean(precision[:, :1].sum(1) / counts)),
        "map@5": float(np.mean(precision[:, :5].sum(1) / counts)),
        "mrr": float(np.mean(1.0 / first)),
        "recall@1": float(np.mean(relevant[:, :1].sum(1) / counts)),
        "recall@5": float(np.mean(relevant[:, :5].sum(1) / counts)),
    }


def export_task(task: Task, folder: Path) -> None:
    """Write a task as files for ``claimtrack eval retrieval`` (outside the repo).

    claims.jsonl (id, claim), queries.tsv (every query, whole) and tune.qrels.tsv /
    report.qrels.tsv for the parts the task has.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "claims.jsonl").open("w", encoding="utf-8") as claims:
        for claim_id, text in task.collection.items():
            claims.write(json.dumps({"id": claim_id, "claim": text}) + "\n")
    parts = {"tune": task.tune, "report": task.report}
    with (folder / "queries.tsv").open("w", encoding="utf-8", newline="") as queries:
        writer = csv.writer(queries, delimiter="\t")
        for split in parts.values():
            if split is not None:
                writer.writerows(split.queries.items())
    for part, split in parts.items():
        if split is not None:
            (folder / f"{part}.qrels.tsv").write_text(
                "".join(
                    f"{q}\t0\t{d}\t1\n" for q, ds in split.qrels.items() for d in ds
                )
            )


def full_collection(args: argparse.Namespace, cache: Cache) -> None:
    """Tune dense mix, fusion, BM25 share and BM25 fields; print reporting tables.

    Each dense variant gets the fusion settings that maximise the mean of 2A MAP@5
    and FR MRR on the tuning parts ("joint"), and, separately, those that maximise
    each task alone ("own"). The reporting parts are scored once per chosen setting.
    """
    tasks = full_tasks(args.data)
    if args.export:
        export_task(tasks[1], args.export)
        fr_en, en_fr = cross_lingual_tasks(args.data, args.pairs, args.distractors)
        export_task(fr_en, args.export / "fr-en")
        export_task(en_fr, args.export / "en-fr")
    grids: dict[tuple[str, str, str, str], FusionGrid] = {}
    alone: dict[tuple[str, str, str], dict[str, float]] = {}
    for task in tasks:
        for part, split in (("tune", task.tune), ("report", task.report)):
            assert split is not None
            lexical = {
                name: bm25(Task(task.name, texts, None, split, ""), split)
                for name, texts in lexical_variants(task, args.data).items()
            }
            for name, hits in lexical.items():
                alone[(task.name, part, f"bm25 ({name})")] = score_rankings(
                    hits, split.qrels, ks=(1, 5)
                )
            for variant, scores in full_dense(cache, task, split):
                ranked = top(task, split, scores)
                alone[(task.name, part, variant)] = score_rankings(
                    ranked, split.qrels, ks=(1, 5)
                )
                for name, hits in lexical.items():
                    grids[(task.name, part, variant, name)] = FusionGrid(
                        ranked, hits, split.qrels
                    )
            print(f"{task.name} {part}: {len(split.queries)} queries", file=sys.stderr)
    metric = {t.name: t.metric for t in tasks}
    settings = [(fusion, weight) for fusion in FUSIONS for weight in FUSION_GRID]
    results: dict[tuple[str, str, str, str, str, float], dict[str, float]] = {}
    for (task_name, part, variant, name), grid in grids.items():
        for fusion, weight in settings:
            results[(task_name, part, variant, name, fusion, weight)] = grid.score(
                fusion, weight
            )
    variants = list(dict.fromkeys(v for _, _, v, _ in grids))
    fields = list(dict.fromkeys(n for t, _, _, n in grids if t == "2A"))

    def scored(
        task_name: str, part: str, variant: str, choice: tuple[str, str, float]
    ) -> dict[str, float]:
        name, fusion, weight = choice
        name = name if task_name == "2A" else "text"  # FR has one text field
        return results[(task_name, part, variant, name, fusion, weight)]

    def tuned(variant: str, task_names: Sequence[str]) -> tuple[str, str, float]:
        def objective(choice: tuple[str, str, float]) -> float:
            return sum(
                scored(t, "tune", variant, choice)[metric[t]] for t in task_names
            ) / len(task_names)

        return max(((n, f, w) for n in fields for f, w in settings), key=objective)

    print("| method | tuned on | 2A MAP@5 | MAP@1 | MRR | R@5 | FR MRR | R@1 |")
    print("|---|---|---|---|---|---|---|---|")

    def row(label: str, tuned_on: str, cells: dict[str, dict[str, float]]) -> None:
        a, f = cells["2A"], cells["FR"]
        print(
            f"| {label} | {tuned_on} | {a['map@5']:.3f} | {a['map@1']:.3f} | "
            f"{a['mrr']:.3f} | {a['recall@5']:.3f} | {f['mrr']:.3f} | "
            f"{f['recall@1']:.3f} |"
        )

    for name in fields:
        bm25_alone = {
            "2A": alone[("2A", "report", f"bm25 ({name})")],
            "FR": alone[("FR", "report", "bm25 (text)")],
        }
        row(f"bm25 ({name})", "-", bm25_alone)
    for variant in variants:
        row(variant, "-", {t.name: alone[(t.name, "report", variant)] for t in tasks})
    for variant in variants:
        joint = tuned(variant, [t.name for t in tasks])
        cells = {t.name: scored(t.name, "report", variant, joint) for t in tasks}
        row(f"{variant} + bm25", f"joint: {joint[1]} {joint[2]}, {joint[0]}", cells)
        own = {t.name: tuned(variant, [t.name]) for t in tasks}
        cells = {t.name: scored(t.name, "report", variant, own[t.name]) for t in tasks}
        label = "; ".join(f"{t}: {c[1]} {c[2]}" for t, c in own.items())
        row(f"{variant} + bm25", f"own: {label}, 2A {own['2A'][0]}", cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, required=True, help="benchmark-data folder"
    )
    parser.add_argument(
        "--cache", type=Path, required=True, help="embedding cache folder"
    )
    parser.add_argument(
        "--pairs",
        type=Path,
        default=Path(__file__).parent / "data" / "fr-en-claim-translations.tsv",
        help="hand-written FR->EN translations (row<TAB>english)",
    )
    parser.add_argument("--models", default="minilm,use,e5", help="comma-separated")
    parser.add_argument(
        "--skip-2b", action="store_true", help="leave out CheckThat! 2B"
    )
    parser.add_argument(
        "--rerank-depth",
        type=int,
        default=0,
        help="on CheckThat!, embed only the union of each query's BM25 top N",
    )
    parser.add_argument("--tune-limit", type=int, default=0, help="tuning queries kept")
    parser.add_argument(
        "--report-limit", type=int, default=0, help="claimnorm reporting posts kept"
    )
    parser.add_argument(
        "--post-chars",
        type=int,
        default=600,
        help="post prefix kept (not with --full, which embeds as claimtrack does)",
    )
    parser.add_argument("--with-claimnorm-en", action="store_true")
    parser.add_argument(
        "--distractors", type=int, default=300, help="English claims in FR -> EN"
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="full collections, all tuning queries: tune fusion (--models minilm,e5)",
    )
    parser.add_argument(
        "--export",
        type=Path,
        help="--full: also write the FR, FR->EN and EN->FR tasks here for "
        "'claimtrack eval retrieval'",
    )
    args = parser.parse_args()
    cache = Cache(args.cache, {m: MODELS[m]() for m in args.models.split(",")})
    if args.full:
        full_collection(args, cache)
        return
    tasks = checkthat_tasks(args.data)
    if args.skip_2b:
        tasks = [t for t in tasks if "2B" not in t.name]
    tasks.append(
        claimnorm_task(
            args.data / "claimnorm-ct2025-fr" / "train-fra.csv",
            "claimnorm FR (posts -> claims), odd half",
            args.post_chars,
        )
    )
    if args.with_claimnorm_en:
        tasks.append(
            claimnorm_task(
                args.data / "claimnorm-ct2025-fr" / "dev-eng.csv",
                "claimnorm EN dev (posts -> claims), odd half",
                args.post_chars,
            )
        )
    for task in tasks:
        if args.tune_limit and task.tune is not None:
            task.tune = limit(task.tune, args.tune_limit)
        if args.report_limit and "claimnorm" in task.name:
            task.report = limit(task.report, args.report_limit)
        if args.rerank_depth and "CheckThat" in task.name:
            pool: dict[str, None] = {}
            for split in (task.tune, task.report):
                if split is not None:
                    for hits in bm25(task, split, args.rerank_depth).values():
                        pool |= dict.fromkeys(doc_id for doc_id, _ in hits)
            task.candidates = list(pool)
            print(
                f"{task.name}: dense models rerank {len(pool)} BM25 candidates "
                f"(top {args.rerank_depth} of each query)",
                file=sys.stderr,
            )
    if args.pairs.exists():
        tasks += cross_lingual_tasks(args.data, args.pairs, args.distractors)
    weights = tune(cache, tasks)
    print(f"Fusion weights tuned on the tuning splits: {json.dumps(weights)}\n")
    table: dict[str, dict[str, str]] = {}
    for task in tasks:
        task.rankings["report"] = methods_for(cache, task, task.report, weights)
        for method, rankings in task.rankings["report"].items():
            metrics = score_rankings(rankings, task.report.qrels, ks=(1, 5))
            cell = f"{metrics[task.metric]:.3f}"
            if task.metric == "mrr":
                cell += f" / {metrics['recall@1']:.3f}"
            table.setdefault(method, {})[task.name] = cell
    names = [t.name for t in tasks]
    print(
        "| method | "
        + " | ".join(
            f"{n} ({t.metric}{' / R@1' if t.metric == 'mrr' else ''})"
            for n, t in zip(names, tasks, strict=True)
        )
        + " |"
    )
    print("|---" * (len(names) + 1) + "|")
    for method, row in table.items():
        print(f"| {method} | " + " | ".join(row.get(n, "") for n in names) + " |")
    sample = list(tasks[0].collection.values())[:64]
    print("\nEncode speed (64 Snopes claims, texts/s, on a shared loaded machine):")
    for model, embedder in cache.embedders.items():
        print(f"- {model} ({embedder.model_id}): {speed(embedder, sample):.0f}")
    print("\nThresholds (top-1 precision 0.95 -> same, 0.5 -> suggested), tuned on")
    print("the 2A + claimnorm FR tuning splits; precision/coverage when reporting:")
    calibration_tasks = [
        t
        for t in tasks
        if t.tune is not None and "2B" not in t.name and "EN dev" not in t.name
    ]
    tune_methods = {
        t.name: methods_for(cache, t, t.tune, weights)
        for t in calibration_tasks
        if t.tune is not None
    }
    thresholds: dict[str, tuple[float, float]] = {}
    for method in ("minilm", "use", "e5", "use+minilm", "e5+minilm", "e5+use"):
        tuned: dict[str, list[tuple[str, float]]] = {}
        gold: dict[str, set[str]] = {}
        for task in calibration_tasks:
            if method not in tune_methods[task.name] or task.tune is None:
                continue
            rankings = tune_methods[task.name][method]
            tuned |= {f"{task.name}:{q}": r for q, r in rankings.items()}
            gold |= {f"{task.name}:{q}": g for q, g in task.tune.qrels.items()}
        if not tuned:
            continue
        same, suggest = calibrate(tuned, gold)
        thresholds[method] = (same, suggest)
        cells = []
        for task in tasks:
            rankings = task.rankings["report"].get(method)
            if rankings is None:
                continue
            p, coverage = precision_at(rankings, task.report.qrels, same)
            cells.append(f"{task.name.split(' (')[0]}: P={p:.2f} on {coverage:.0%}")
        print(
            f"- {method}: same >= {same}, suggested >= {suggest}; " + "; ".join(cells)
        )
    print(f"\nThresholds by method: {json.dumps(thresholds)}")


if __name__ == "__main__":
    main()
