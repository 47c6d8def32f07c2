"""Speed and memory of the spaCy pipelines the extractor can use, on real articles.

Parses every article of a language in a news-dev folder (articles.jsonl) with each
installed candidate pipeline, as the extractor does (one doc per line), and prints
characters per second and the pipeline's load time. Quality is measured separately
with `claimtrack eval extraction --format news-gold` (see benchmarks/README.md).

    python benchmarks/parsers.py ../shared/news-dev fr fr_core_news_sm fr_core_news_md
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import spacy

from claimtrack.extract.sentences import for_parsing, lines


def main(folder: str, language: str, *packages: str) -> None:
    texts = []
    with (Path(folder) / "articles.jsonl").open(encoding="utf-8") as records:
        for record in map(json.loads, records):
            if record.get("language") == language:
                texts += [for_parsing(line) for _, line, _ in lines(record["text"])]
    chars = sum(map(len, texts))
    for package in packages:
        started = time.perf_counter()
        nlp = spacy.load(package)
        loaded = time.perf_counter() - started
        list(nlp.pipe(texts[:20]))  # warm up
        started = time.perf_counter()
        list(nlp.pipe(texts))
        parsed = time.perf_counter() - started
        print(
            f"{package:28} load {loaded:5.2f} s  {chars:>7} chars in {parsed:6.2f} s"
            f"  {chars / parsed:8.0f} chars/s"
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
