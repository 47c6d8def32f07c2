"""Prepare a free-text query for search: the embedder gets a short head without repeats.

Search queries are often pasted posts: forwarded social-media messages repeat their text
two or three times, and the claim is usually near the start. A sentence embedding
averages over every token it is given, so repeats and long tails blur it; BM25 only
collects the distinct words, so it takes the whole text. Measured on the tuning half of
claimnorm FR (benchmarks/README.md, "Query text"): the embedder's share of the hybrid
ranking gains from both dropping repeated sentences and cutting to 400 characters.
"""

from __future__ import annotations

import re

# Characters of a query the embedder sees, after repeated sentences are dropped.
DENSE_QUERY_CHARS = 400
# A sentence ends at . ! ? or … followed by space, or at a line break. This only finds
# repeats, so a rough split is enough: a missed boundary merely keeps a repeat.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+|\n+")


def distinct_sentences(text: str) -> str:
    """Drop sentences seen before in the text (ignoring case and spacing), in order.

    Example:
        >>> distinct_sentences("Vaccines kill. Share!\\nVACCINES  kill. Share! None")
        'Vaccines kill. Share! None'
    """
    seen: set[str] = set()
    kept: list[str] = []
    for sentence in _SENTENCE_BREAK.split(text):
        key = " ".join(sentence.split()).casefold()
        if key and key not in seen:
            seen.add(key)
            kept.append(sentence.strip())
    return " ".join(kept)


def dense_query(text: str, max_chars: int | None = DENSE_QUERY_CHARS) -> str:
    """Return the text an embedder should see for a query: distinct sentences, cut.

    ``max_chars`` of None or 0 keeps the whole text once repeats are gone. The cut
    falls at the last space before the limit, so no word is split.

    Example:
        >>> dense_query("Le vaccin tue. Le vaccin tue. Partagez vite", max_chars=24)
        'Le vaccin tue. Partagez'
    """
    distinct = distinct_sentences(text)
    if not max_chars or len(distinct) <= max_chars:
        return distinct
    cut = distinct[:max_chars]
    word_runs_past = not (cut[-1].isspace() or distinct[max_chars].isspace())
    if word_runs_past and len(cut.split()) > 1:
        cut = cut.rsplit(maxsplit=1)[0]
    return cut.rstrip()
