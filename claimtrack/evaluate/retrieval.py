"""Measure claim retrieval on benchmark files: load them, rank, and score the rankings.

The formats are those of CheckThat! Task 2: a JSONL collection of verified claims,
queries as ``id<TAB>text`` (optional header) and TREC qrels (``qid 0 docid 1``).
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal

from claimtrack.decision import claim_of_review
from claimtrack.embed import Embedder
from claimtrack.evaluate.vector_cache import VectorCache
from claimtrack.fusion import (
    CANDIDATES,
    DEFAULT_NORMALIZATION,
    Normalization,
    hybrid_ranking,
    reciprocal_rank_fusion,
)
from claimtrack.fusion import DEFAULT_BM25_WEIGHT as PRODUCT_BM25_WEIGHT
from claimtrack.lexical import BM25Index
from claimtrack.query import DENSE_QUERY_CHARS, dense_query, query_vectors
from claimtrack.sources.articles import detect_language
from claimtrack.vectors import FloatArray, VectorIndex

Method = Literal["vector", "bm25", "hybrid"]
# How hybrid fuses: add scores normalised one of three ways, or reciprocal ranks.
Fusion = Literal[Normalization, "rrf"]
FUSIONS: tuple[Fusion, ...] = ("max", "minmax", "zscore", "rrf")
Rankings = dict[str, list[tuple[str, float]]]
# Hybrid is the product's ranking (claimtrack.fusion.hybrid_ranking): the same share
# of BM25, the same normalisation, the same number of candidates per retriever.
DEFAULT_BM25_WEIGHT = PRODUCT_BM25_WEIGHT
DEFAULT_FUSION: Fusion = DEFAULT_NORMALIZATION


def load_collection(
    path: Path | str,
    *,
    id_field: str,
    text_fields: Sequence[str],
    prepare: Callable[[str], str] | None = None,
) -> dict[str, str]:
    """Read a JSONL collection into id -> text, joining the text fields with ". ".

    Empty or missing fields are skipped, so ``--text-field title`` is safe on records
    without a title.

    Args:
        prepare: applied to the first field's text (the claim) before joining,
            e.g. :func:`reviewed_claim_text` to embed a fact-check as the product
            embeds its ``claim_reviewed``. The other fields are the fact-checker's
            own words (a headline such as "Say What, Barack?"), kept as they are.
    """
    collection: dict[str, str] = {}
    with Path(path).open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            parts = [
                _prepared(str(record[f]).strip(), prepare if n == 0 else None)
                for n, f in enumerate(text_fields)
                if record.get(f)
            ]
            collection[str(record[id_field])] = ". ".join(
                part for part in parts if part
            )
    return collection


def _prepared(text: str, prepare: Callable[[str], str] | None) -> str:
    return prepare(text) if prepare is not None and text else text


def reviewed_claim_text(text: str) -> str:
    """The text of a fact-checked claim as the product embeds it: without framing.

    Fact-check import embeds ``claim_of_review(claim_reviewed)``: PolitiFact's
    leading "Says" and quotes around the whole claim are the fact-checker's, not the
    claim's. BM25 (FTS5 over ``claim_reviewed``) sees the text as given.

    Example:
        >>> reviewed_claim_text("Says the county cut bus routes by half.")
        'The county cut bus routes by half.'
    """
    return claim_of_review(text)


def load_queries(path: Path | str) -> dict[str, str]:
    """Read ``id<TAB>text`` queries; a header line is kept but never in the qrels."""
    queries: dict[str, str] = {}
    with Path(path).open(encoding="utf-8", newline="") as lines:
        for row in csv.reader(lines, delimiter="\t"):
            if len(row) >= 2:
                queries[row[0].strip()] = row[1]
    return queries


def load_qrels(path: Path | str) -> dict[str, set[str]]:
    """Read TREC qrels (``qid 0 docid relevance``) into qid -> relevant doc ids."""
    qrels: dict[str, set[str]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) >= 4 and float(fields[3]) > 0:
            qrels.setdefault(fields[0], set()).add(fields[2])
    return qrels


def average_precision(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """Return AP@k as the CheckThat! scorer does: divided by the number of relevant."""
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for rank, item_id in enumerate(ranked[:k], start=1):
        if item_id in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    """Return 1 / rank of the first relevant id, 0 when none was retrieved."""
    for rank, item_id in enumerate(ranked, start=1):
        if item_id in relevant:
            return 1.0 / rank
    return 0.0


def score_rankings(
    rankings: Mapping[str, Sequence[tuple[str, float]]],
    qrels: Mapping[str, set[str]],
    *,
    ks: Sequence[int] = (1, 3, 5, 10),
) -> dict[str, float]:
    """Average MAP@k, MRR and Recall@k over the queries that have qrels.

    Example:
        >>> metrics = score_rankings({"q": [("b", 0.9), ("a", 0.8)]}, {"q": {"a"}})
        >>> metrics["map@1"], metrics["map@5"], metrics["mrr"], metrics["recall@5"]
        (0.0, 0.5, 0.5, 1.0)
    """
    query_ids = [qid for qid in qrels if qid in rankings]
    count = max(len(query_ids), 1)
    ranked = {qid: [item_id for item_id, _ in rankings[qid]] for qid in query_ids}
    metrics: dict[str, float] = {"queries": len(query_ids)}
    for k in ks:
        metrics[f"map@{k}"] = (
            sum(average_precision(ranked[q], qrels[q], k) for q in query_ids) / count
        )
    metrics["mrr"] = (
        sum(reciprocal_rank(ranked[q], qrels[q]) for q in query_ids) / count
    )
    for k in ks:
        metrics[f"recall@{k}"] = (
            sum(len(set(ranked[q][:k]) & qrels[q]) / len(qrels[q]) for q in query_ids)
            / count
        )
    return {name: round(value, 4) for name, value in metrics.items()}


def rank_vector(
    collection_vectors: VectorIndex,
    query_vectors: Mapping[str, Sequence[float]] | None = None,
    *,
    embedder: Embedder | None = None,
    queries: Mapping[str, str] | None = None,
    limit: int = CANDIDATES,
) -> Rankings:
    """Rank the indexed collection for each query by cosine similarity."""
    import numpy as np

    if query_vectors is None:
        if embedder is None or queries is None:
            raise ValueError("give query_vectors, or an embedder and queries")
        ids = list(queries)
        matrix = embedder.embed_all([queries[qid] for qid in ids])
    else:
        ids = list(query_vectors)
        matrix = np.asarray([query_vectors[qid] for qid in ids], dtype=np.float32)
    hits = collection_vectors.search(matrix, limit=limit)
    return dict(zip(ids, hits, strict=True))


def rank_bm25(
    index: BM25Index, queries: Mapping[str, str], *, limit: int = CANDIDATES
) -> Rankings:
    """Rank the indexed collection for each query by FTS5 BM25."""
    ids = list(queries)
    return dict(
        zip(ids, index.search([queries[q] for q in ids], limit=limit), strict=True)
    )


def fuse_rankings(
    vector: Rankings,
    lexical: Rankings,
    *,
    bm25_weight: float = DEFAULT_BM25_WEIGHT,
    fusion: Fusion = DEFAULT_FUSION,
) -> Rankings:
    """Fuse vector and BM25 rankings per query, giving BM25 ``bm25_weight``."""
    weights = [1 - bm25_weight, bm25_weight]
    fused: Rankings = {}
    for qid in vector.keys() | lexical.keys():
        both = [vector.get(qid, []), lexical.get(qid, [])]
        fused[qid] = (
            reciprocal_rank_fusion(both, weights=weights)
            if fusion == "rrf"
            else hybrid_ranking(*both, bm25_weight=bm25_weight, normalization=fusion)
        )
    return fused


def evaluate_retrieval(
    collection: Mapping[str, str],
    queries: Mapping[str, str],
    qrels: Mapping[str, set[str]],
    *,
    method: Method = "hybrid",
    embedder: Embedder | None = None,
    bm25_weight: float = DEFAULT_BM25_WEIGHT,
    fusion: Fusion = DEFAULT_FUSION,
    passages: bool = False,
    lexical_collection: Mapping[str, str] | None = None,
    query_chars: int | None = DENSE_QUERY_CHARS,
    vector_cache: Path | str | None = None,
    query_language: str | None = None,
) -> dict[str, float | int | str]:
    """Index the collection, rank it for every query that has qrels, and score it.

    Args:
        method: rank by cosine, by BM25, or by their fusion (hybrid).
        bm25_weight: the share of BM25 in hybrid fusion.
        fusion: how hybrid fuses (see :data:`FUSIONS`).
        passages: embed the collection with ``Embedder.embed_passages`` (E5's
            ``passage:`` prefix) instead of as queries.
        lexical_collection: the texts BM25 indexes, by the same ids, when they
            differ from those embedded (e.g. with a longer field added).
        query_chars: the embedder sees each query's distinct sentences cut to this
            many characters (None or 0: uncut); BM25 sees the whole query. See
            :mod:`claimtrack.query`.
        vector_cache: a folder of :class:`VectorCache` files: vectors found there
            are not computed again, and new ones are added to them.
        query_language: the ISO 639-1 code of every query; None detects each
            query's, as ingest detects an article's. The query's vector is weighed
            by it as the matcher weighs a claim's (:func:`query_vectors`).

    Returns:
        The metrics of :func:`score_rankings` plus timings in seconds, the method and,
        for vector and hybrid, the model id and encode speed in texts per second.
    """
    asked = {qid: text for qid, text in queries.items() if qid in qrels}
    result: dict[str, float | int | str] = {"method": method}
    start = time.perf_counter()
    vector: Rankings = {}
    lexical: Rankings = {}
    if method in ("vector", "hybrid"):
        if embedder is None:
            raise ValueError(f"method {method!r} needs an embedder")
        cache = _Encoders(embedder, passages=passages, cache_folder=vector_cache)
        languages = {
            qid: query_language or detect_language(text) for qid, text in asked.items()
        }
        vector = cache.rankings(collection, asked, query_chars, languages)
        result |= {
            "model_id": embedder.model_id,
            "query_chars": query_chars or 0,
            "passages": passages,
            "english_queries": sum(code == "en" for code in languages.values()),
        }
        result |= cache.timings(len(collection))
    if method == "hybrid":
        result |= {"fusion": fusion, "bm25_weight": bm25_weight}
    if method in ("bm25", "hybrid"):
        lexical_texts = lexical_collection or collection
        lexical_index = BM25Index()
        lexical_index.add(list(collection), [lexical_texts[d] for d in collection])
        lexical = rank_bm25(lexical_index, asked)
    rankings = (
        fuse_rankings(vector, lexical, bm25_weight=bm25_weight, fusion=fusion)
        if method == "hybrid"
        else vector or lexical
    )
    result |= score_rankings(rankings, qrels)
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result


class _Encoders:
    """Embeds a collection and its queries, through a vector cache if given one."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        passages: bool,
        cache_folder: Path | str | None,
    ) -> None:
        self.embedder = embedder
        self.passages = passages
        self.caches: list[VectorCache] = []
        if cache_folder is not None:
            self.caches.append(VectorCache(cache_folder, embedder))
            if passages:
                self.caches.append(VectorCache(cache_folder, embedder, passages=True))
        self.seconds = 0.0

    def collection(self, texts: Sequence[str]) -> FloatArray:
        if self.caches:
            return self.caches[-1].embed(texts)
        if self.passages:
            return self.embedder.embed_passages(texts)
        return self.embedder.embed_all(texts)

    def queries(self, texts: Sequence[str]) -> FloatArray:
        return (
            self.caches[0].embed(texts)
            if self.caches
            else self.embedder.embed_all(texts)
        )

    def rankings(
        self,
        collection: Mapping[str, str],
        queries: Mapping[str, str],
        query_chars: int | None,
        languages: Mapping[str, str | None],
    ) -> Rankings:
        """Embed and index the collection, then rank it for each query by cosine.

        Each query's vector is weighed by its language, as the matcher weighs a
        new claim's (:func:`~claimtrack.query.query_vectors`).
        """
        began = time.perf_counter()
        matrix = self.collection(list(collection.values()))
        self.seconds = time.perf_counter() - began
        index = VectorIndex(dimensions=matrix.shape[1])
        index.add(list(collection), matrix)
        query_ids = list(queries)
        vectors = query_vectors(
            self.queries([dense_query(queries[q], query_chars) for q in query_ids]),
            [languages.get(q) for q in query_ids],
            self.embedder.model_id,
        )
        return rank_vector(index, dict(zip(query_ids, vectors, strict=True)))

    def timings(self, texts: int) -> dict[str, float | int | str]:
        """Encode speed of the collection, or what the cache spared."""
        if not self.caches:
            return {
                "encode_texts_per_second": round(texts / max(self.seconds, 1e-9), 1)
            }
        return {
            "vector_cache": str(self.caches[-1].path),
            "texts_embedded": sum(cache.embedded for cache in self.caches),
        }
