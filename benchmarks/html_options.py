"""Measure trafilatura's extraction options on real pages: gold kept, furniture left.

For each HTML page of a news-dev folder, extract the main text with each option set and
print: characters kept, lines that claimtrack's boilerplate rules still drop (page
furniture trafilatura let through), and, for pages in the news-gold file, how many gold
claim sentences are still in the text (found by their hash, as the scorer does).

    python benchmarks/html_options.py benchmarks/data/news-gold.jsonl ../shared/news-dev
"""

from __future__ import annotations

import sys
from pathlib import Path

import trafilatura

from claimtrack.evaluate.news_gold import locate, read_gold
from claimtrack.extract.boilerplate import is_boilerplate
from claimtrack.extract.sentences import lines
from claimtrack.sources import detect_language

OPTIONS = {
    "favor_recall": {"favor_recall": True},
    "default": {},
    "favor_precision": {"favor_precision": True},
}


def main(gold_path: str, folder: str) -> None:
    gold = {g.id: g for g in read_gold(Path(gold_path))}
    pages = sorted((Path(folder) / "html").glob("*.html"))
    header = f"{'options':16} {'pages':>5} {'chars':>8} {'furniture':>9} {'gold':>10}"
    print(header)
    for name, options in OPTIONS.items():
        chars = furniture = kept = total = empty = 0
        for page in pages:
            html = page.read_text(encoding="utf-8", errors="replace")
            text = trafilatura.extract(html, **options) or ""
            if not text.strip():
                empty += 1
                continue
            language = detect_language(text)
            chars += len(text)
            furniture += sum(is_boilerplate(ln, language) for _, ln, _ in lines(text))
            if page.stem in gold:
                spans = locate(gold[page.stem], text)
                total += len(spans.sentences)
                kept += len(spans.sentences) - spans.not_found
        print(
            f"{name:16} {len(pages) - empty:>5} {chars:>8} {furniture:>9} "
            f"{kept:>4}/{total:<5}"
        )


if __name__ == "__main__":
    main(*sys.argv[1:3])
