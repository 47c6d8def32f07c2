"""Rank texts by BM25 with SQLite FTS5, in memory: the lexical half of hybrid retrieval.

FTS5 computes BM25 itself (``bm25()``), so no scoring is written here; this module only
builds the index and turns free text into a safe FTS5 query.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

_WORD = re.compile(r"\w+", re.UNICODE)
_TOKENIZER = re.compile(r"[a-z0-9_ ]+")
# Porter stemming helps English and is harmless for French words it does not know;
# remove_diacritics lets "évêque" match "eveque" in noisy posts.
DEFAULT_TOKENIZER = "porter unicode61 remove_diacritics 2"
# FTS5 slows down on queries with hundreds of OR terms; long posts repeat themselves.
MAX_QUERY_TERMS = 64
# FTS5 scores every document that holds any word of an OR query, so a query's cost is
# the sum of its words' document frequencies: "the" alone is in most of a million
# claims. The query keeps its rarest words while their document frequencies add up
# to at most POSTINGS_BUDGET (the rarest word is always kept), so that its cost stops
# growing with the collection. Measured on the tuning parts (benchmarks/README.md,
# "The Matcher in the product"): CheckThat! 2A BM25 MAP@5 0.841 with every word,
# 0.841 at 20,000 postings, 0.831 at 5,000, 0.812 at 2,000, 0.724 at 500; a cap on
# the number of words cost more (16 rarest words: 0.795), so there is none beyond
# MAX_QUERY_TERMS. The cost at a million claims is in the same section.
RARE_TERMS = MAX_QUERY_TERMS
POSTINGS_BUDGET = 20_000
# Document frequencies from this one up are cached: they move slowly, and reading
# one from fts5vocab walks the word's whole list of documents. Smaller ones are read
# each time, so that a new name is found as soon as it is stored.
_CACHE_FROM = 1_000
_CACHE_SIZE = 200_000


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


def query_words(text: str) -> list[str]:
    """The distinct words of a text, casefolded, in order of first appearance."""
    return list(dict.fromkeys(word.casefold() for word in _WORD.findall(text)))


class Tokenizer:
    """Turns words into the terms an FTS5 tokenizer indexes them as (stems, folded).

    Choosing a query's rarer words needs their document frequencies, which fts5vocab
    keeps under the indexed term ("funding" is "fund" for porter); FTS5 offers its
    tokenizers to SQL only through a table, so words go through a private in-memory
    FTS5 table with the same tokenizer, one row per word, and come back through its
    fts5vocab ``instance`` table.

    Example:
        >>> Tokenizer().terms(["funding", "Évêque", "the"])
        {'funding': ('fund',), 'Évêque': ('evequ',), 'the': ('the',)}
    """

    def __init__(self, tokenizer: str = DEFAULT_TOKENIZER) -> None:
        if not _TOKENIZER.fullmatch(tokenizer):
            raise ValueError(f"Not an FTS5 tokenizer specification: {tokenizer!r}")
        self._connection = sqlite3.connect(":memory:", check_same_thread=False)
        self._connection.execute(
            f"create virtual table words using fts5(word, tokenize = '{tokenizer}')"
        )
        self._connection.execute(
            "create virtual table word_terms using fts5vocab(words, instance)"
        )
        self._lock = threading.Lock()
        self._known: dict[str, tuple[str, ...]] = {}

    def terms(self, words: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Each word's terms (usually one; none for a word the tokenizer drops)."""
        unknown = list(dict.fromkeys(w for w in words if w not in self._known))
        if unknown:
            with self._lock, self._connection:
                self._connection.executemany(
                    "insert into words (rowid, word) values (?, ?)",
                    enumerate(unknown, start=1),
                )
                found: dict[int, list[str]] = {}
                for term, row in self._connection.execute(
                    "select term, doc from word_terms order by doc, offset"
                ):
                    found.setdefault(row, []).append(term)
                self._connection.execute("delete from words")
            if len(self._known) > _CACHE_SIZE:
                self._known.clear()
            for row, word in enumerate(unknown, start=1):
                self._known[word] = tuple(found.get(row, ()))
        return {word: self._known[word] for word in words}


# Reads the document frequency of each FTS5 term: {term: documents}.
DocumentFrequency = Callable[[Iterable[str]], dict[str, int]]


class RareWordQuery:
    """Builds the FTS5 query of a text from its rarer words (see POSTINGS_BUDGET).

    Args:
        frequency: the document frequency of terms in the searched table.
        tokenizer: the tokenizer of that table.
    """

    def __init__(
        self,
        frequency: DocumentFrequency,
        tokenizer: Tokenizer | None = None,
        *,
        terms: int = RARE_TERMS,
        budget: int = POSTINGS_BUDGET,
    ) -> None:
        self._frequency = frequency
        self._tokenizer = tokenizer or Tokenizer()
        self._cache: dict[str, int] = {}
        self.terms = terms
        self.budget = budget

    def words(self, text: str) -> list[str]:
        """The words of text the query keeps, in the text's order."""
        words = query_words(text)[:MAX_QUERY_TERMS]
        terms_of = self._tokenizer.terms(words)
        first_word: dict[str, str] = {}
        for word in words:
            for term in terms_of[word]:
                first_word.setdefault(term, word)
        frequency = self.document_frequency(first_word)
        # A word in no document matches nothing: leave it out, it costs a lookup.
        ranked = sorted(
            (term for term in first_word if frequency.get(term, 0) > 0),
            key=lambda term: frequency[term],
        )
        kept: set[str] = set()
        postings = 0
        for term in ranked:
            if kept and (
                len(kept) >= self.terms or postings + frequency[term] > self.budget
            ):
                break
            kept.add(term)
            postings += frequency[term]
        chosen = {first_word[term] for term in kept}
        return [word for word in words if word in chosen]

    def query(self, text: str) -> str:
        """The FTS5 query (quoted words ORed), empty when nothing can match."""
        return " OR ".join(f'"{word}"' for word in self.words(text))

    def document_frequency(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequencies of terms, the common ones from the cache."""
        terms = list(terms)
        known = {t: self._cache[t] for t in terms if t in self._cache}
        fresh = self._frequency([t for t in terms if t not in known])
        if len(self._cache) > _CACHE_SIZE:
            self._cache.clear()
        self._cache.update((t, n) for t, n in fresh.items() if n >= _CACHE_FROM)
        return {**known, **fresh}


def vocabulary_frequency(
    execute: Callable[[str, tuple[str, ...]], Any], vocabulary: str, column: str | None
) -> DocumentFrequency:
    """Document frequencies read from an fts5vocab table (``col`` type with a column).

    Args:
        execute: runs SQL with parameters on the connection that sees the table
            (``connection.execute``), returning a cursor.
        vocabulary: the fts5vocab table, as SQL names it (``temp."claims_terms"``).
        column: the FTS5 column counted, for a ``col`` table; None for ``row``.
    """
    if column is None:
        sql = f"select doc from {vocabulary} where term = ?"
    else:
        sql = f"select sum(doc) from {vocabulary} where term = ? and col = ?"

    def frequency(terms: Iterable[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for term in terms:
            params = (term,) if column is None else (term, column)
            row = execute(sql, params).fetchone()
            counts[term] = int(row[0] or 0) if row else 0
        return counts

    return frequency


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
        self._connection.execute(
            "create virtual table document_terms using fts5vocab(documents, row)"
        )
        self._query = RareWordQuery(
            vocabulary_frequency(self._connection.execute, "document_terms", None),
            Tokenizer(tokenizer),
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
            match = self._query.query(query)
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
