"""Ingest a folder of articles with the Python API and print what repeats what.

Usage:
    python examples/track_folder.py claims.db [examples/articles/]
    python examples/track_folder.py --fake claims.db   # no models: deterministic fakes
"""

from __future__ import annotations

import sys
from pathlib import Path

from claimtrack import Tracker, read_articles


def main(arguments: list[str]) -> None:
    fake = "--fake" in arguments
    paths = [argument for argument in arguments if argument != "--fake"]
    database = paths[0] if paths else "claims.db"
    folder = paths[1] if len(paths) > 1 else str(Path(__file__).parent / "articles")
    if fake:
        from claimtrack.testing import FakeEmbedder, FakeExtractor

        tracker = Tracker(database, extractor=FakeExtractor(), embedder=FakeEmbedder())
    else:
        tracker = Tracker(database)
    for result in tracker.ingest_many(read_articles([folder])):
        print(
            f"{result.article.title or result.article.id}: {result.status}, "
            f"{len(result.claims)} claims"
        )
        for link in result.links:
            print(
                f"  {link.claim_id} {link.decision} as {link.earlier_claim_id} "
                f"({link.score:.2f})"
            )
    for hit in tracker.search("Russia is preparing to use nuclear weapons", k=3):
        print(f"{hit.score:.2f}  {hit.claim.speaker or '-'}: {hit.claim.text}")


if __name__ == "__main__":
    main(sys.argv[1:])
