"""List the claims the extractor makes on pages that no gold annotates, for reading.

Furniture rules tuned on gold pages fit those pages; the pages no gold lists show what
the extractor does elsewhere. This prints every claim of every ungolded page (HTML in
each folder's ``html/``, and ungolded articles of its ``articles.jsonl``), one line
each, so that the page furniture among them can be counted by hand. Report-half pages
are golded, so they are never read here, provided every gold is given (news-gold-3's
report pages are ungolded to a run that leaves it out).

    python benchmarks/ungolded_claims.py benchmarks/data/news-gold.jsonl \
        benchmarks/data/news-gold-2.jsonl benchmarks/data/news-gold-3.jsonl \
        -- ../shared/news-dev /tmp/news-dev-2
"""

from __future__ import annotations

import sys
from pathlib import Path

from claimtrack.errors import ClaimtrackError
from claimtrack.evaluate.news_gold import read_gold
from claimtrack.extract.sentences import SentenceExtractor
from claimtrack.models import Article
from claimtrack.sources import read_articles


def ungolded_articles(golds: list[Path], folders: list[Path]) -> list[Article]:
    """The articles of the folders whose id (a page's file stem) no gold lists."""
    golded = {item.id for gold in golds for item in read_gold(gold)}
    articles: dict[str, Article] = {}
    for folder in folders:
        for page in sorted((folder / "html").glob("*.html")):
            if page.stem not in golded:
                article = next(iter(read_articles([page])))
                articles[page.stem] = article.model_copy(update={"id": page.stem})
        jsonl = folder / "articles.jsonl"
        if jsonl.exists():
            for article in read_articles([jsonl]):
                if article.id not in golded:
                    articles[article.id] = article
    return list(articles.values())


def main(golds: list[Path], folders: list[Path]) -> None:
    articles = ungolded_articles(golds, folders)
    extractor = SentenceExtractor(use_embeddings=False)
    total = 0
    for article, claims in zip(articles, extractor.extract_many(articles), strict=True):
        if isinstance(claims, ClaimtrackError):
            print(f"== {article.id}: not read ({claims})")
            continue
        print(f"== {article.id} ({article.language}, {len(claims)} claims)")
        for claim in claims:
            print(f"{claim.position:4} {claim.text[:160]!r} | {claim.speaker}")
        total += len(claims)
    print(f"{total} claims on {len(articles)} ungolded articles")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    split = arguments.index("--")
    golds, folders = arguments[:split], arguments[split + 1 :]
    main([Path(a) for a in golds], [Path(a) for a in folders])
