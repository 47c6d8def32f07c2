"""Rank texts by BM25 with SQLite FTS5, in memory: the lexical half of hybrid retrieval.

FTS5 computes BM25 itself (``bm25()``), so no scoring is written here; this module only
builds the index and turns free text into a safe FTS5 query.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

_WORD = re.compile(r"\w+", re.UNICODE)
_TOKENIZER = re.compile(r"[a-z0-9_ ]+")
# Porter stemming helps English and is harmless for French words it does not know;
# remove_diacritics lets "évêque" match "eveque" in noisy posts.
DEFAULT_TOKENIZER = "porter unicode61 remove_diacritics 2"
# FTS5 slows down on queries with hundreds of OR terms; long posts repeat themselves.
MAX_QUERY_TERMS = 64


def fts_query(text: str, *, limit: int = MAX_QUERY_TERMS) -> str:
    """Turn free text into an FTS5 query that ORs its distinct words, each quoted.

    Quoting every word keeps FTS5 operators (AND, NEAR, ``*``, ``:``) in the text from
    being parsed as syntax.

    Example:
        >>> fts_query('Biden said "no" AND NEAR')
        '"biden" OR "said" OR "no" OR "and" OR "near"'
    """
    words = dict.fromkeys(word.casefold() for word in _WORD.findall(text))
    return " OR ".join(f'"{word}"' for word in list(words)[:limit])


class BM25Index:
    """An in-memory SQLite FTS5 table searched with its built-in BM25 ranking.

    Example:
        >>> index = BM25Index()
        >>> index.add(["a", "b"], ["Russia tests a missile", "Paris hosts the games"])
        >>> [item_id for item_id, _ in index.search(["missile tests"], limit=1)[0]]
        ['a']
    """

    def __init__(self, *, tokenizer: str = DEFAULT_TOKENIZER) -> None:
        # FTS5 cannot bind the tokenizer as a parameter, so accept only plain words.
        if not _TOKENIZER.fullmatch(tokenizer):
            raise ValueError(f"Not an FTS5 tokenizer specification: {tokenizer!r}")
        self._connection = sqlite3.connect(":memory:")
        self._connection.execute(
            f"create virtual table documents using fts5(text, tokenize = '{tokenizer}')"
        )
        self._ids: list[str] = []
        self._known: set[str] = set()

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        """Index texts under their ids; ids already present are skipped."""
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        rows = []
        for item_id, text in zip(ids, texts, strict=True):
            if item_id in self._known:
                continue
            self._known.add(item_id)
            self._ids.append(item_id)
            rows.append((len(self._ids), text))
        with self._connection:
            self._connection.executemany(
                "insert into documents (rowid, text) values (?, ?)", rows
            )

    def search(
        self, queries: Sequence[str], *, limit: int
    ) -> list[list[tuple[str, float]]]:
        """Return up to ``limit`` (id, BM25 score) pairs per query, best first.

        Scores are positive and grow with relevance (FTS5's ``bm25()`` is negated);
        they are not bounded, so fuse them by rank or after normalising per query.
        """
        results: list[list[tuple[str, float]]] = []
        for query in queries:
            match = fts_query(query)
            if not match:
                results.append([])
                continue
            rows = self._connection.execute(
                "select rowid, -bm25(documents) from documents "
                "where documents match ? order by bm25(documents) limit ?",
                (match, limit),
            ).fetchall()
            results.append(
                [(self._ids[rowid - 1], float(score)) for rowid, score in rows]
            )
        return results
