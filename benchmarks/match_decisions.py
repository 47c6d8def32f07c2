"""What a narrower vector search costs users: the fused top 5 and the Matcher's links.

``benchmarks/match.py`` measures recall@100 of the HNSW graph against exact search,
but the matcher fuses those 100 hits with BM25's (``fusion.hybrid_ranking``), keeps
the best 5 and lets the pair model decide each pair. This script measures what
users get, on tiled real vectors, for each search setting against exact search
with the product's 100 candidates a retriever:

* the fused top 5 of each query (same list, same set, overlap), and
* the Matcher's kept links (same, opposite, suggested): lost and new ones, by
  stored row and by source text (a tiled copy stands for the same text), and
* against the tune qrels: MAP@5 of the fused top 5 and how many ``same`` links
  point at a relevant claim;
* the CPU milliseconds of the vector search of one article (20 queries).

Data (tune halves only): the collections of the 2A, FR and 2B tasks of
``match_retrieval_tuning.py`` with their vectors read from its cache (nothing is
embedded: texts missing from the cache are skipped), tiled to ``--size`` rows as
``match.py`` does (row i is text ``i % n``; copies get Gaussian noise of norm 0.5).
The queries are the tune queries with qrels, their vectors from the same cache. BM25
indexes each distinct text once (the first copy): the lexical half is the same in
every setting, so only the vector half moves. The HNSW graph is kept in
``--graph-cache`` (a 300k graph of 768-d vectors takes minutes to build).

    OMP_NUM_THREADS=1 python benchmarks/match_decisions.py --cache /tmp/retr21/cache \
        --size 300000 --breadths 128 192 256 384 512 --candidates 100 50
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from match import tiled_chunks
from match_retrieval_tuning import tasks

from claimtrack import index as claim_index
from claimtrack.decision import PairModel
from claimtrack.embed import E5_MINILM
from claimtrack.evaluate.vector_cache import VectorCache, cache_path, text_key
from claimtrack.index import Hit, HybridIndex, Item, Ranking
from claimtrack.lexical import BM25Index
from claimtrack.matcher import Matcher, keep_decisions
from claimtrack.plugins import get_embedder
from claimtrack.query import dense_query
from claimtrack.settings import DEFAULT_EMBEDDER
from claimtrack.vectors import FloatArray, HNSWIndex, VectorIndex

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmark-data"
LANGUAGES = {"2A": "en", "FR": "fr", "2B": "en"}
ARTICLE = 20  # queries searched together, as one article's claims


class Collection:
    """The distinct texts (with vectors, languages, source ids) of the tune tasks.

    Args:
        queries: how many tune queries to keep, every n-th of each task's.
        max_docs: the most texts of a task's collection: the kept queries'
            relevant ones, then the first in file order (0: all of them).
        embed: embeds the texts the cache lacks (a VectorCache's ``embed``);
            None: they are skipped.
    """

    def __init__(
        self,
        known: dict[str, FloatArray],
        data: Path,
        names: Sequence[str],
        queries: int,
        embed: Callable[[Sequence[str]], object] | None = None,
        max_docs: int = 0,
    ) -> None:
        docs: list[tuple[str, str, str]] = []  # (source id, text, language)
        asked: list[tuple[str, str, str, set[str]]] = []
        chosen = [task for task in tasks(data) if task.name in names]
        for task in chosen:
            language = LANGUAGES[task.name]
            tune, qrels = task.tune
            ids = [q for q in tune if q in qrels]
            step = max(len(ids) * len(chosen) // queries, 1)
            kept = ids[::step][: queries // len(chosen) + 1]
            asked += [
                (
                    f"{task.name}:{q}",
                    tune[q],
                    language,
                    {f"{task.name}:{d}" for d in qrels[q]},
                )
                for q in kept
            ]
            relevant = [
                d for q in kept for d in sorted(qrels[q]) if d in task.collection
            ]
            wanted = list(dict.fromkeys([*relevant, *task.collection]))
            wanted = wanted[:max_docs] if max_docs else wanted
            docs += [(f"{task.name}:{d}", task.collection[d], language) for d in wanted]
        if embed is not None:
            embed([text for _, text, _ in docs] + [dense_query(q[1]) for q in asked])
        kept = [(d, known.get(text_key(d[1]))) for d in docs]
        kept = [(d, v) for d, v in kept if v is not None]
        self.sources = [source for (source, _, _), _ in kept]  # the qrels' ids
        self.texts = [text for (_, text, _), _ in kept]
        self.languages = [language for (_, _, language), _ in kept]
        self.vectors = np.stack([v for _, v in kept]).astype(np.float32)
        self.queries: list[tuple[str, str, str, FloatArray]] = []
        self.qrels: dict[str, set[str]] = {}
        for qid, text, language, relevant in asked:
            if (vector := known.get(text_key(dense_query(text)))) is not None:
                self.queries.append((qid, text, language, vector))
                self.qrels[qid] = relevant


class TiledIndex(HybridIndex):
    """Tiled rows ``r<i>`` (text ``i % n``), searched by one vector index and BM25."""

    def __init__(
        self, collection: Collection, matrix: FloatArray, words: BM25Index
    ) -> None:
        super().__init__()
        self.collection = collection
        self.matrix = matrix
        self.words = words
        self.vectors: VectorIndex | None = None
        self.fused: list[list[Hit]] = []
        self.by_vector: list[Ranking] = []
        self.vector_cpu = 0.0

    def source(self, row_id: str) -> int:
        return int(row_id[1:]) % len(self.collection.texts)

    def vector_hits(
        self, vectors: FloatArray, *, limit: int, exclude: Iterable[str] = ()
    ) -> list[Ranking]:
        assert self.vectors is not None
        started = time.process_time()
        hits = self.vectors.search(vectors, limit=limit, exclude=exclude)
        self.vector_cpu += time.process_time() - started
        self.by_vector.extend(hits)
        return hits

    def lexical_hits(
        self, texts: Sequence[str], *, limit: int, exclude: Iterable[str] = ()
    ) -> list[Ranking]:
        excluded = set(exclude)
        rows = self.words.search(texts, limit=limit + len(excluded))
        return [[hit for hit in row if hit[0] not in excluded][:limit] for row in rows]

    def items(self, ids: Iterable[str]) -> dict[str, Item]:
        found = {}
        for row_id in ids:
            source = self.source(row_id)
            found[row_id] = Item(
                id=row_id,
                text=self.collection.texts[source],
                vector=self.matrix[int(row_id[1:])],
                language=self.collection.languages[source],
            )
        return found

    def present(self, ids: Iterable[str]) -> set[str]:
        return set(ids)

    def candidates(self, *args: object, **kwargs: object) -> list[list[Hit]]:
        hits = super().candidates(*args, **kwargs)  # type: ignore[arg-type]
        self.fused.extend(hits)
        return hits


def graph_for(
    matrix: FloatArray, folder: Path, digest: str, build_breadth: int
) -> VectorIndex:
    """The HNSW index of the tiled rows, built once and kept in folder.

    Args:
        build_breadth: faiss ``efConstruction`` (the product's: 40).
    """
    ids = [f"r{row}" for row in range(len(matrix))]
    suffix = "" if build_breadth == 40 else f"-build{build_breadth}"
    path = folder / f"tiled-{digest}-{len(matrix)}{suffix}.faiss"
    if path.exists():
        return VectorIndex.with_graph(ids, HNSWIndex.load(path))
    started = time.process_time()
    graph = HNSWIndex(matrix.shape[1], training=matrix)
    graph._index.hnsw.efConstruction = build_breadth
    for start in range(0, len(matrix), 100_000):  # in chunks, as ingest grows it
        graph.add(matrix[start : start + 100_000])
    print(f"graph built in {time.process_time() - started:.0f} s CPU", file=sys.stderr)
    folder.mkdir(parents=True, exist_ok=True)
    graph.save(path)
    return VectorIndex.with_graph(ids, graph)


def run(
    index: TiledIndex,
    matcher: Matcher,
    collection: Collection,
    candidates: int,
) -> dict[str, object]:
    """Every query's fused top 5 and kept links under the index's current search."""
    index.fused, index.by_vector, index.vector_cpu = [], [], 0.0
    claim_index.CANDIDATES = candidates  # the retrievers' depth, fusion.CANDIDATES
    links: list[tuple[str, str, str]] = []
    best: dict[str, float] = {}  # each query's highest pair probability in its top 5
    queries = collection.queries
    for start in range(0, len(queries), ARTICLE):
        article = queries[start : start + ARTICLE]
        items = [
            Item(id=_claim_id(qid), text=text, vector=vector, language=language)
            for qid, text, language, vector in article
        ]
        decided = matcher._decide(items, index, limit=matcher.candidates)
        for pair in decided:
            best[pair.new_id] = max(
                best.get(pair.new_id, 0.0), pair.decision.probability
            )
        links += [
            (pair.new_id, pair.stored_id, pair.decision.decision or "suggested")
            for pair in keep_decisions(decided)
        ]
    articles = -(-len(queries) // ARTICLE)
    return {
        "top": [[hit.id for hit in row] for row in index.fused],
        "vector": [[item_id for item_id, _ in row] for row in index.by_vector],
        "links": links,
        "best": [best.get(_claim_id(qid), 0.0) for qid, *_ in queries],
        "vector_cpu_ms_per_article": round(1000 * index.vector_cpu / articles, 1),
    }


def _claim_id(qid: str) -> str:
    """A query's id as a new claim's (16 hex digits), never a stored row's."""
    return hashlib.sha1(qid.encode()).hexdigest()[:16]


def compare(
    base: dict[str, object], other: dict[str, object], index: TiledIndex
) -> dict[str, object]:
    """How other's top 5 and links differ from base's (exact search, 100)."""
    tops = list(zip(base["top"], other["top"], strict=True))  # type: ignore[call-overload]
    by_row = {tuple(link) for link in base["links"]}  # type: ignore[attr-defined]
    got = {tuple(link) for link in other["links"]}  # type: ignore[attr-defined]

    def by_source(links: set[tuple[str, ...]]) -> Counter[tuple[object, ...]]:
        return Counter((new, index.source(old), kind) for new, old, kind in links)

    lost_src = by_source(by_row) - by_source(got)
    new_src = by_source(got) - by_source(by_row)
    vectors = list(zip(base["vector"], other["vector"], strict=True))  # type: ignore[call-overload]
    found = sum(len(set(a[: len(b)]) & set(b)) for a, b in vectors)
    sources = [
        ({index.source(i) for i in a}, {index.source(i) for i in b}) for a, b in tops
    ]
    moved = [abs(a - b) for a, b in zip(base["best"], other["best"], strict=True)]  # type: ignore[call-overload]
    return {
        "top5_same_sources": round(sum(a == b for a, b in sources) / len(tops), 4),
        "best_probability_moved_over_0.01": sum(m > 0.01 for m in moved),
        "best_probability_moved_max": round(max(moved), 4),
        "vector_recall": round(found / sum(min(len(a), len(b)) for a, b in vectors), 4),
        "top5_same_list": round(sum(a == b for a, b in tops) / len(tops), 4),
        "top5_same_set": round(sum(set(a) == set(b) for a, b in tops) / len(tops), 4),
        "top5_overlap": round(
            sum(len(set(a) & set(b)) / max(len(a), 1) for a, b in tops) / len(tops), 4
        ),
        "links": dict(Counter(kind for *_, kind in got)),
        "lost_by_row": dict(Counter(kind for *_, kind in by_row - got)),
        "new_by_row": dict(Counter(kind for *_, kind in got - by_row)),
        "lost_by_source": dict(Counter(k[2] for k in lost_src.elements())),
        "new_by_source": dict(Counter(k[2] for k in new_src.elements())),
    }


def gold(result: dict[str, object], collection: Collection, index: TiledIndex) -> dict:
    """MAP@5 of the fused top 5 (copies count as their source) and same links' hits."""
    ids = [qid for qid, *_ in collection.queries]
    claim_of = {_claim_id(qid): qid for qid in ids}
    total = 0.0
    for qid, row in zip(ids, result["top"], strict=True):  # type: ignore[call-overload]
        relevant = collection.qrels[qid]
        seen, found, precision = set(), 0, 0.0
        for rank, row_id in enumerate(row, start=1):
            source = collection.sources[index.source(row_id)]
            if source in relevant and source not in seen:
                found += 1
                precision += found / rank
            seen.add(source)
        total += precision / min(len(relevant), 5)
    same = [
        (claim_of[new], collection.sources[index.source(old)])
        for new, old, kind in result["links"]  # type: ignore[attr-defined]
        if kind == "same"
    ]
    return {
        "map_at_5": round(total / len(ids), 4),
        "same_links": len(same),
        "same_to_relevant": sum(src in collection.qrels[q] for q, src in same),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="VectorCache folder")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--tasks", default="2A,FR,2B")
    parser.add_argument("--size", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--max-docs", type=int, default=0, help="per task; 0: all")
    parser.add_argument("--breadths", type=int, nargs="+", default=[128, 256, 512])
    parser.add_argument("--candidates", type=int, nargs="+", default=[100])
    parser.add_argument(
        "--embed",
        action="store_true",
        help="embed the texts the cache lacks (2A: about 20 CPU-minutes, once)",
    )
    parser.add_argument(
        "--build-breadth", type=int, default=40, help="HNSW efConstruction"
    )
    parser.add_argument(
        "--exact-copies",
        action="store_true",
        help="tile without noise: each copy has its text's vector (a repeated text)",
    )
    parser.add_argument("--graph-cache", type=Path, default=Path("/tmp/speed21/graphs"))
    options = parser.parse_args()
    names = options.tasks.split(",")
    if options.embed:
        cache = VectorCache(options.cache, get_embedder(DEFAULT_EMBEDDER))
        known, embed = cache.known, cache.embed
    else:
        with np.load(cache_path(options.cache, E5_MINILM)) as saved:
            known = dict(zip(saved["keys"].tolist(), saved["vectors"], strict=True))
        embed = None
    collection = Collection(
        known, options.data, names, options.queries, embed, options.max_docs
    )
    matrix = np.concatenate(list(tiled_chunks(options.size, collection.vectors)))
    if options.exact_copies:  # every copy its text's own vector, as a repeated text
        matrix = collection.vectors[np.arange(options.size) % len(collection.vectors)]
    digest = hashlib.sha1(collection.vectors.tobytes()).hexdigest()[:12]
    digest += "-same" if options.exact_copies else ""
    words = BM25Index()
    words.add([f"r{row}" for row in range(len(collection.texts))], collection.texts)
    index = TiledIndex(collection, matrix, words)
    exact = VectorIndex(matrix.shape[1], approximate_threshold=None)
    exact.add([f"r{row}" for row in range(len(matrix))], matrix)
    approximate = graph_for(matrix, options.graph_cache, digest, options.build_breadth)
    graph = approximate.graph
    assert graph is not None
    matcher = Matcher(PairModel.load(E5_MINILM), E5_MINILM)
    index.vectors = exact
    base = run(index, matcher, collection, 100)
    rows = [{"search": "exact", "candidates": 100, **gold(base, collection, index)}]
    settings = [("exact", None, c) for c in options.candidates if c != 100]
    settings += [("hnsw", b, c) for c in options.candidates for b in options.breadths]
    for kind, breadth, candidates in settings:
        index.vectors = exact if kind == "exact" else approximate
        if breadth is not None:
            graph.breadth = breadth
        result = run(index, matcher, collection, candidates)
        row = {"search": kind, "breadth": breadth, "candidates": candidates}
        row |= {"vector_cpu_ms_per_article": result["vector_cpu_ms_per_article"]}
        rows.append(
            row | compare(base, result, index) | gold(result, collection, index)
        )
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    rows[0]["vector_cpu_ms_per_article"] = base["vector_cpu_ms_per_article"]
    rows[0]["links"] = dict(Counter(kind for *_, kind in base["links"]))  # type: ignore[attr-defined]
    print(
        json.dumps(
            {
                "size": options.size,
                "distinct_texts": len(collection.texts),
                "queries": len(collection.queries),
                "build_breadth": options.build_breadth,
                "exact_copies": options.exact_copies,
                "load_average_1min": round(os.getloadavg()[0], 1),
                "rows": rows,
            }
        )
    )


if __name__ == "__main__":
    main()
