"""Ingest speed: claimtrack against the bare cost of the models it runs, in one run.

Builds N articles from the examples and, when given, from the benchmark data
(CheckThat! debate transcripts, grouped 25 lines an article; French claim-normalisation
posts, 5 posts an article). Then, with every model already loaded, it times

1. ``Tracker.ingest_many`` into a new SQLite file (extract, embed, match, store);
2. the spaCy parse alone, of the same paragraphs, with the same pipelines;
3. the embedding ``encode`` alone, of the same claim texts, with the same model;
4. the check-worthiness encoder (multilingual E5) alone, on the same claim texts;

and prints one JSON object with articles/s, claims/s and ``ratio`` = (1) / ((2) + (3)
+ (4)), then a one-line summary. When the embedder itself contains E5 (the default
``e5-minilm``), claimtrack runs E5 once per claim and reuses its vectors for both
jobs, so (4) is the same work as part of (3) and is left out of ``ratio``; it is still
printed. No encoder keeps vectors between calls, so (3) and (4) compute every vector
again and time the models.

Each figure is given in wall time and in CPU time (``time.process_time``, every thread):
on a shared machine ``cpu_ratio`` is the comparable one. ``--keep-database PATH``
keeps the ingested file, to compare the rows of two runs.

    python benchmarks/ingest.py [-n 200] [--model minilm]
        [--transcripts ../shared/benchmark-data/checkthat-t2b-en/transcripts]
        [--claimnorm-fr ../shared/benchmark-data/claimnorm-ct2025-fr/train-fra.csv]

With ``--fake-models`` it measures the writer's ceiling instead: claimtrack's own cost
per article (reading the store, vector search, matching, wire-copy lookup, one
transaction per article) with the models replaced by the instant fakes of
:mod:`claimtrack.testing`, into databases that already hold ``--stored-claims``
synthetic claims (random unit vectors, 20 claims an article, MinHash bands), built
with sqlite-utils bulk inserts. The first access to the indexes (building or
reading the HNSW graph past 100k vectors, reading the claims' words into memory, and
sampling the latest 20,000 texts for BM25) is timed apart: a long-running writer pays
it once.

    python benchmarks/ingest.py --fake-models -n 500 --stored-claims 100000 1000000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import cycle, islice
from pathlib import Path

from claimtrack.embed import CombinedEmbedder, E5Embedder, Embedder
from claimtrack.extract.sentences import _TYPOGRAPHY, load_spacy_model, paragraphs
from claimtrack.models import Article
from claimtrack.plugins import get_embedder
from claimtrack.sources import read_articles
from claimtrack.tracker import Tracker

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"


def build_articles(
    count: int, transcripts: Path | None, claimnorm: Path | None
) -> list[Article]:
    """Return ``count`` distinct articles; texts repeat with a numbered first line."""
    texts: list[tuple[str, str]] = [
        (article.text, article.language or "en")
        for article in read_articles([EXAMPLES])
    ]
    if transcripts:
        for path in sorted(transcripts.glob("*.tsv")):
            lines = [row[-1] for row in csv.reader(path.open(), delimiter="\t") if row]
            for start in range(0, len(lines), 25):
                texts.append(("\n\n".join(lines[start : start + 25]), "en"))
    if claimnorm:
        with claimnorm.open() as file:
            posts = [row["post"] for row in csv.DictReader(file)]
        for start in range(0, len(posts), 5):
            texts.append(("\n\n".join(posts[start : start + 5]), "fr"))
    chosen = islice(cycle(texts), count)
    return [
        Article(
            id=f"bench-{number}", text=f"Edition {number}.\n\n{text}", language=language
        )
        for number, (text, language) in enumerate(chosen)
    ]


class Clock:
    """Wall and CPU time (``time.process_time``: every thread of the process) laps."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        """Return (wall seconds, CPU seconds) since the last lap, and start the next."""
        wall, cpu = time.perf_counter(), time.process_time()
        elapsed = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return elapsed


def contains_e5(embedder: Embedder) -> bool:
    """Whether the embedder runs E5, whose vectors the scorer then reuses."""
    if isinstance(embedder, CombinedEmbedder):
        return any(contains_e5(part) for part, _ in embedder.parts)
    return isinstance(embedder, E5Embedder)


# ---- --fake-models: the writer's ceiling ------------------------------------------

SYNTHETIC_MODEL = "fake/synthetic-384"
DIMENSIONS = 384
CLAIMS_PER_ARTICLE = 20
BATCH = 20_000


def build_stored_database(path: Path, claims: int, sentences: list[str]) -> float:
    """Write ``claims`` synthetic claims with vectors in one transaction; seconds.

    Claim texts are the given real sentences, numbered, so that full-text search
    finds as few or as many of them as it would in a real database.
    """
    import numpy as np

    from claimtrack.claim_terms import fill_missing
    from claimtrack.store import ClaimStore
    from claimtrack.wirecopy import NUM_PERM, Fingerprint

    started = time.perf_counter()
    rng = np.random.default_rng(claims)
    store = ClaimStore(path)
    articles = (claims + CLAIMS_PER_ARTICLE - 1) // CLAIMS_PER_ARTICLE

    def text(i: int) -> str:
        return f"{sentences[i % len(sentences)]} ({i})"

    def article_rows():
        for a in range(articles):
            yield {
                "id": f"s{a}",
                "title": f"synthetic {a}",
                "outlet": f"outlet {a % 50}",
                "published": f"2025-{1 + a % 12:02d}-{1 + a % 28:02d}T00:00:00Z",
                "language": "en",
                "text": f"synthetic article {a}",
                "text_sha256": f"{a}",
                "ingested_at": "2026-11-26T00:00:00",
            }

    def claim_rows():
        for i in range(claims):
            body = text(i)
            yield {
                "id": f"c{i}",
                "article_id": f"s{i // CLAIMS_PER_ARTICLE}",
                "position": i % CLAIMS_PER_ARTICLE,
                "text": body,
                "sentence": body,
                "char_start": 0,
                "char_end": len(body),
                "sentence_start": 0,
                "sentence_end": len(body),
                "quote_type": "none",
                "checkworthiness": 0.5,
                "reasons": "[]",
                "claim_type": "other",
                "language": "en",
                "extractor": "synthetic",
                "tracked_claim_id": f"c{i}",
            }

    def tracked_rows():
        for i in range(claims):
            yield {"id": f"c{i}", "text": f"claim {i}", "mentions": 1, "articles": 1}

    def embedding_rows():
        for start in range(0, claims, BATCH):
            n = min(BATCH, claims - start)
            vectors = rng.normal(size=(n, DIMENSIONS)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            for j in range(n):
                yield {
                    "claim_id": f"c{start + j}",
                    "model_id": SYNTHETIC_MODEL,
                    "dimensions": DIMENSIONS,
                    "vector": vectors[j].astype("<f4").tobytes(),
                }

    def fingerprints():
        for a in range(articles):
            signature = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint32)
            yield Fingerprint(f"s{a}", 200, signature.astype("<u4").tobytes())

    with store.write_transaction():
        store.db.table("articles").insert_all(article_rows(), batch_size=BATCH)
        store.db.table("claims").insert_all(claim_rows(), batch_size=BATCH)
        fill_missing(store.db)  # their term numbers, as the writer stores them
        store.db.table("tracked_claims").insert_all(tracked_rows(), batch_size=BATCH)
        store.db.table("embeddings").insert_all(embedding_rows(), batch_size=BATCH)
    batch: list[Fingerprint] = []
    for fingerprint in fingerprints():
        batch.append(fingerprint)
        if len(batch) == BATCH:
            store.save_fingerprints({f.article_id: f for f in batch})
            batch = []
    store.save_fingerprints({f.article_id: f for f in batch})
    store.checkpoint()
    store.db.conn.close()
    return time.perf_counter() - started


def stored_sentences(articles: list[Article]) -> list[str]:
    """The real sentences the synthetic stored claims are numbered copies of."""
    return sorted(
        {
            s.strip()
            for article in articles
            for s in article.text.replace("\n", " ").split(". ")
            if len(s.split()) >= 5
        }
    )


def stored_database(
    folder: Path, stored_claims: int, sentences: list[str]
) -> tuple[Path, float]:
    """The database of stored_claims synthetic claims in folder, built if absent.

    Building a million claims takes long on two shared cores, so ``--keep-databases``
    keeps them (and their HNSW graph files) for the next run.
    """
    path = folder / f"writer-{stored_claims}.db"
    if path.exists():
        return path, 0.0
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    seconds = build_stored_database(partial, stored_claims, sentences)
    partial.rename(path)
    return path, seconds


def measure_writer(
    articles: list[Article],
    stored_claims: int,
    keep: Path | None = None,
    on_ready: Callable[[], None] | None = None,
) -> dict[str, object]:
    """Ingest with instant fake models into a database of stored_claims claims.

    Args:
        on_ready: called once the indexes are loaded, before the timed ingest.
    """
    from threadpoolctl import threadpool_limits

    from claimtrack.testing import FakeEmbedder, FakeExtractor

    sentences = stored_sentences(articles)
    # One BLAS thread: on a shared 2-core machine more threads only contend.
    with (
        threadpool_limits(1),
        tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as folder,
    ):
        path, build_seconds = stored_database(
            keep or Path(folder), stored_claims, sentences
        )
        if keep is not None:
            # A kept database already holds the articles of earlier runs.
            run = f"run{time.time_ns()}"
            articles = [
                article.model_copy(
                    update={
                        "id": f"{run}-{article.id}",
                        "text": f"{run}\n\n{article.text}",
                    }
                )
                for article in articles
            ]
        embedder = FakeEmbedder(dimensions=DIMENSIONS, model_id=SYNTHETIC_MODEL)
        tracker = Tracker(path, extractor=FakeExtractor(), embedder=embedder)
        started = time.perf_counter()
        _ = tracker.index  # build (or read back) the graph of the stored vectors
        # ... the claims' words, held in memory by the writer (claimtrack.claim_words)
        tracker.claim_index.hold_words_in_memory()
        # ... and the BM25 statistics of the latest texts (claimtrack.lexical.SAMPLE)
        tracker.claim_index.lexical_hits([""], limit=1)
        tracker.fact_check_index.lexical_hits([""], limit=1)
        index_seconds = time.perf_counter() - started
        if on_ready is not None:
            on_ready()
        started, started_cpu = time.perf_counter(), time.process_time()
        tracker.wire_copies.backfill()  # nothing to do: synthetic rows have bands
        results = list(tracker.ingest_many(articles))
        seconds = time.perf_counter() - started
        # The process's own CPU time: on a shared machine, what an idle one takes.
        cpu_seconds = time.process_time() - started_cpu
        claims = sum(len(result.claims) for result in results)
        return {
            "stored_claims": stored_claims,
            "distinct_stored_texts": len(sentences),
            "articles": len(results),
            "claims": claims,
            "build_database_seconds": round(build_seconds, 1),
            "first_index_access_seconds": round(index_seconds, 1),
            "ingest_seconds": round(seconds, 2),
            "articles_per_second": round(len(results) / seconds, 1),
            "claims_per_second": round(claims / seconds, 1),
            "ms_per_article": round(1000 * seconds / len(results), 2),
            "cpu_ms_per_article": round(1000 * cpu_seconds / len(results), 2),
            "articles_per_cpu_second": round(len(results) / cpu_seconds, 1),
            "database_mb": round(path.stat().st_size / 2**20),
            "peak_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            ),
            # Other processes share the 2 cores: the figures scale with this.
            "load_average_1min": round(os.getloadavg()[0], 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=200)
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--transcripts", type=Path)
    parser.add_argument("--claimnorm-fr", type=Path)
    parser.add_argument("--fake-models", action="store_true")
    parser.add_argument(
        "--keep-databases",
        type=Path,
        help="--fake-models: build the stored-claim databases in this folder once "
        "and reuse them (each run adds its articles)",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="only build --keep-databases"
    )
    parser.add_argument(
        "--keep-database",
        type=Path,
        help="ingest into this new file and keep it (to compare two runs' rows)",
    )
    parser.add_argument(
        "--stored-claims", type=int, nargs="+", default=[100_000, 1_000_000]
    )
    options = parser.parse_args()
    articles = build_articles(
        options.articles, options.transcripts, options.claimnorm_fr
    )
    if options.fake_models:
        for stored in options.stored_claims:
            if options.build_only and options.keep_databases:
                options.keep_databases.mkdir(parents=True, exist_ok=True)
                sentences = stored_sentences(articles)
                path, seconds = stored_database(
                    options.keep_databases, stored, sentences
                )
                print(f"{path}: built in {seconds:.0f} s", file=sys.stderr)
                continue
            figures = measure_writer(articles, stored, options.keep_databases)
            print(json.dumps(figures), flush=True)
            print(
                f"{stored} stored claims: {figures['articles_per_second']} articles/s, "
                f"{figures['claims_per_second']} claims/s (first index access "
                f"{figures['first_index_access_seconds']} s)",
                file=sys.stderr,
            )
        return
    embedder = get_embedder(options.model)
    for language in ("en", "fr"):
        load_spacy_model(language)
    embedder.embed_all(["warm up the model"])

    with tempfile.TemporaryDirectory() as folder:
        database = options.keep_database or Path(folder) / "bench.db"
        tracker = Tracker(database, embedder=embedder)
        clock = Clock()
        results = list(tracker.ingest_many(articles))
        claimtrack_seconds, claimtrack_cpu = clock.lap()
        claim_texts = [claim.text for result in results for claim in result.claims]

        for language in ("en", "fr"):
            chunks = [
                chunk.translate(_TYPOGRAPHY)
                for article in articles
                if article.language == language
                for _, chunk in paragraphs(article.text)
            ]
            for _ in load_spacy_model(language).pipe(chunks):
                pass
        parse_seconds, parse_cpu = clock.lap()

        embedder.embed_all(claim_texts)
        encode_seconds, encode_cpu = clock.lap()

        # The extractor scores check-worthiness with multilingual E5.
        E5Embedder().embed_batch(claim_texts)
        score_encode_seconds, score_encode_cpu = clock.lap()
        scoring_is_extra = not contains_e5(embedder)

        started = time.perf_counter()
        unchanged = list(tracker.ingest_many(articles))
        reingest_seconds = time.perf_counter() - started

    figures = {
        "articles": len(articles),
        "claims": len(claim_texts),
        "model": embedder.model_id,
        "claimtrack_seconds": round(claimtrack_seconds, 3),
        "parse_seconds": round(parse_seconds, 3),
        "encode_seconds": round(encode_seconds, 3),
        "score_encode_seconds": round(score_encode_seconds, 3),
        "scoring_encode_counted": scoring_is_extra,
        "ratio": round(
            claimtrack_seconds
            / (
                parse_seconds
                + encode_seconds
                + (score_encode_seconds if scoring_is_extra else 0.0)
            ),
            3,
        ),
        # CPU time of the process (every thread): what a quiet machine would take,
        # comparable between runs while other jobs share the cores.
        "claimtrack_cpu_seconds": round(claimtrack_cpu, 3),
        "parse_cpu_seconds": round(parse_cpu, 3),
        "encode_cpu_seconds": round(encode_cpu, 3),
        "score_encode_cpu_seconds": round(score_encode_cpu, 3),
        "cpu_ratio": round(
            claimtrack_cpu
            / (
                parse_cpu + encode_cpu + (score_encode_cpu if scoring_is_extra else 0.0)
            ),
            3,
        ),
        "articles_per_second": round(len(articles) / claimtrack_seconds, 2),
        "claims_per_second": round(len(claim_texts) / claimtrack_seconds, 1),
        "reingest_unchanged_ms_per_article": round(
            1000 * reingest_seconds / len(articles), 3
        ),
        "reingest_all_unchanged": all(r.status == "unchanged" for r in unchanged),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "load_average_1min": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(figures))
    print(
        f"{figures['articles_per_second']} articles/s, "
        f"{figures['claims_per_second']} claims/s; "
        f"claimtrack / bare models = {figures['ratio']} "
        f"(CPU time: {figures['cpu_ratio']})",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
