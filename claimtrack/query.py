"""Prepare a query for search: its text for the embedder, its vector for the index.

Search queries are often pasted posts: forwarded social-media messages repeat their text
two or three times, and the claim is usually near the start. A sentence embedding
averages over every token it is given, so repeats and long tails blur it; BM25 only
collects the distinct words, so it takes the whole text. Measured on the tuning half of
claimnorm FR (benchmarks/README.md, "Query text"): the embedder's share of the hybrid
ranking gains from both dropping repeated sentences and cutting to 400 characters.

A query's vector is weighed by the query's language (:func:`query_vectors`): the
default e5-minilm vector gives all-MiniLM-L6-v2, an English-only model, the share
tuned for French and English together; an English query gives it more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from claimtrack.embed import E5_MINILM, E5_MINILM_WEIGHTS, E5Embedder
from claimtrack.vectors import FloatArray

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


# MiniLM's share of an English query's e5-minilm cosine (the stored vectors give it
# E5_MINILM_WEIGHTS[1] = 0.1, tuned for French and English together). MiniLM was trained
# on English only: with an English query it is a second strong model, and on the tuning
# parts (benchmarks/README.md, "Retrieval through the product, round 8") a 0.2 share
# ranks better for English (CheckThat! 2A and 2B) while French is best at 0.1.
ENGLISH_MINILM_SHARE = 0.2


def minilm_share(language: str | None) -> float:
    """MiniLM's share of the e5-minilm cosine for a query in this language.

    Example:
        >>> minilm_share("en"), minilm_share("fr"), minilm_share(None)
        (0.2, 0.1, 0.1)
    """
    return ENGLISH_MINILM_SHARE if language == "en" else E5_MINILM_WEIGHTS[1]


def query_vectors(
    vectors: FloatArray, languages: Sequence[str | None], model_id: str
) -> FloatArray:
    """The vectors to search the stored ones with, weighed by each query's language.

    An e5-minilm vector is E5's unit vector times sqrt(0.9) followed by MiniLM's
    times sqrt(0.1), so its dot product with a stored one is 0.9 cos(E5) + 0.1
    cos(MiniLM). Scaling the query's two parts by share / stored share turns that
    into (1 - share) cos(E5) + share cos(MiniLM) against the same stored vectors:
    nothing is embedded again. Other models' vectors, and queries whose language
    keeps the stored share, are returned as they are.

    Example:
        >>> e5, minilm = np.full(384, 0.03), np.full(384, 0.05)
        >>> stored = np.hstack([np.sqrt(0.9) * e5, np.sqrt(0.1) * minilm])[None, :]
        >>> weighed = query_vectors(stored, ["en"], E5_MINILM)
        >>> round(float(weighed[0] @ stored[0]), 4)  # 384 (0.8 * .03² + 0.2 * .05²)
        0.4685
    """
    if model_id != E5_MINILM or not len(vectors):
        return vectors
    e5_share, stored_minilm = E5_MINILM_WEIGHTS
    shares = np.array([minilm_share(language) for language in languages])
    if np.all(shares == stored_minilm):
        return vectors
    scale = np.ones((len(shares), vectors.shape[1]), dtype=np.float32)
    scale[:, : E5Embedder.dimensions] = ((1 - shares) / e5_share)[:, None]
    scale[:, E5Embedder.dimensions :] = (shares / stored_minilm)[:, None]
    weighed: FloatArray = (np.asarray(vectors, dtype=np.float32) * scale).astype(
        np.float32
    )
    return weighed
