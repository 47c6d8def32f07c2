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
printed. E5's memo of recent vectors is cleared before (3) and (4), which time the
models, not the memo.

    python benchmarks/ingest.py [-n 200] [--model minilm]
        [--transcripts ../shared/benchmark-data/checkthat-t2b-en/transcripts]
        [--claimnorm-fr ../shared/benchmark-data/claimnorm-ct2025-fr/train-fra.csv]
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
from itertools import cycle, islice
from pathlib import Path

from claimtrack.embed import CombinedEmbedder, E5Embedder, Embedder
from claimtrack.extract.scoring import embed_for_scoring
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


def contains_e5(embedder: Embedder) -> bool:
    """Whether the embedder runs E5, whose vectors the scorer then reuses."""
    if isinstance(embedder, CombinedEmbedder):
        return any(contains_e5(part) for part, _ in embedder.parts)
    return isinstance(embedder, E5Embedder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=200)
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--transcripts", type=Path)
    parser.add_argument("--claimnorm-fr", type=Path)
    options = parser.parse_args()
    articles = build_articles(
        options.articles, options.transcripts, options.claimnorm_fr
    )
    embedder = get_embedder(options.model)
    for language in ("en", "fr"):
        load_spacy_model(language)
    embedder.embed_all(["warm up the model"])

    with tempfile.TemporaryDirectory() as folder:
        tracker = Tracker(Path(folder) / "bench.db", embedder=embedder)
        started = time.perf_counter()
        results = list(tracker.ingest_many(articles))
        claimtrack_seconds = time.perf_counter() - started
        claim_texts = [claim.text for result in results for claim in result.claims]

        started = time.perf_counter()
        for language in ("en", "fr"):
            chunks = [
                chunk.translate(_TYPOGRAPHY)
                for article in articles
                if article.language == language
                for _, chunk in paragraphs(article.text)
            ]
            for _ in load_spacy_model(language).pipe(chunks):
                pass
        parse_seconds = time.perf_counter() - started

        E5Embedder.forget()
        started = time.perf_counter()
        embedder.embed_all(claim_texts)
        encode_seconds = time.perf_counter() - started

        # The extractor scores check-worthiness with multilingual E5.
        E5Embedder.forget()
        started = time.perf_counter()
        embed_for_scoring(claim_texts)
        score_encode_seconds = time.perf_counter() - started
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
        "articles_per_second": round(len(articles) / claimtrack_seconds, 2),
        "claims_per_second": round(len(claim_texts) / claimtrack_seconds, 1),
        "reingest_unchanged_ms_per_article": round(
            1000 * reingest_seconds / len(articles), 3
        ),
        "reingest_all_unchanged": all(r.status == "unchanged" for r in unchanged),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
    }
    print(json.dumps(figures))
    print(
        f"{figures['articles_per_second']} articles/s, "
        f"{figures['claims_per_second']} claims/s; "
        f"claimtrack / bare models = {figures['ratio']}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
