"""Rank texts by their rarer words with SQLite FTS5: the lexical half of retrieval.

FTS5 finds the documents that hold each word; the ranking (summed BM25 IDF of the
query words a document holds) is computed here, not by FTS5's ``bm25()``: on a
million claims ``bm25()`` took 220-330 ms per query where fetching the same matches
unranked took under 1 ms (benchmarks/README.md, "Matching at scale").
"""

from __future__ import annotations

import heapq
import math
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
# Document frequencies are cached: reading one from fts5vocab walks the word's whole
# list of documents (2-5 ms at a million claims). A cached frequency is corrected
# each time its word is queried (the query returns its documents), so only words
# too common to be queried can be stale, and those move slowly. A word in no
# document is asked again once the collection has grown, so a new name is found as
# soon as it is stored.
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
        self.tokenizer = self._tokenizer
        # The mean length of the searched texts, for BM25; set by the caller.
        self.average_length: float | None = None
        self._cache: dict[str, int] = {}
        self._absent: set[str] = set()  # terms in no document of self._documents
        self._documents = -1
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
        """Document frequencies of terms, from the cache when known."""
        terms = list(terms)
        known = {t: self._cache[t] for t in terms if t in self._cache}
        known.update((t, 0) for t in terms if t in self._absent)
        fresh = self._frequency([t for t in terms if t not in known])
        if len(self._cache) > _CACHE_SIZE or len(self._absent) > _CACHE_SIZE:
            self._cache.clear()
            self._absent.clear()
        for term, count in fresh.items():
            if count > 0:
                self._cache[term] = count
            else:
                self._absent.add(term)
        return {**known, **fresh}

    def collection_size(self, documents: int) -> None:
        """Tell how many documents are searched; words once absent are asked again."""
        if documents != self._documents:
            self._absent.clear()
            self._documents = documents

    def matches(
        self, text: str, documents_of: Callable[[str], list[int]]
    ) -> dict[str, list[int]]:
        """The documents (row ids) that hold each kept word of text.

        Args:
            documents_of: the row ids matching one quoted word (an FTS5 query).
        """
        found: dict[str, list[int]] = {}
        for word in self.words(text):
            rows = documents_of(f'"{word}"')
            found[word] = rows
            terms = self._tokenizer.terms([word])[word]
            if len(terms) == 1 and rows:  # its exact frequency, for free
                self._cache[terms[0]] = len(rows)
        return found


# BM25's usual constants (FTS5's bm25() uses the same).
_K1 = 1.2
_B = 0.75
# The summed IDF picks this many rows per query for BM25 to order (it needs their
# texts, for term frequencies and lengths; reading all matched texts costs too much).
RERANKED = 1_000


def bm25_rerank(
    pool: Sequence[tuple[int, float]],
    matches: dict[str, list[int]],
    texts: dict[int, str],
    *,
    documents: int,
    average_length: float,
    tokenizer: Tokenizer,
    limit: int,
) -> list[tuple[int, float]]:
    """Order the rows of pool by Okapi BM25 of the matched words, best first.

    Written here rather than with FTS5's ``bm25()``, which costs 220-330 ms per
    query at a million claims. The rows come from ``rank_matches``, the IDF from
    the rows each word matched, term frequencies and lengths (in words, as
    ``average_length``) from the texts.
    """
    weight: dict[str, float] = {}
    for word, rows in matches.items():
        terms = tokenizer.terms([word])[word]
        if terms:
            weight[terms[0]] = idf(documents, len(rows))
    words_of = {
        row: [w.casefold() for w in _WORD.findall(texts[row])]
        for row, _ in pool
        if row in texts
    }
    term_of = {
        word: terms[0] if terms else ""
        for word, terms in tokenizer.terms(
            list({w for words in words_of.values() for w in words})
        ).items()
    }
    scored: list[tuple[int, float]] = []
    for row, words in words_of.items():
        counts: dict[str, int] = {}
        for word in words:
            term = term_of[word]
            if term in weight:
                counts[term] = counts.get(term, 0) + 1
        norm = _K1 * (1 - _B + _B * len(words) / max(average_length, 1.0))
        score = sum(weight[t] * n * (_K1 + 1) / (n + norm) for t, n in counts.items())
        scored.append((row, score))
    return heapq.nlargest(
        limit, scored, key=lambda row_score: (row_score[1], -row_score[0])
    )


def word_count(text: str) -> int:
    """A text's length for BM25: its words, about the tokens FTS5 counts."""
    return len(_WORD.findall(text))


def idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency, floored above zero as FTS5's ``bm25()`` is."""
    return max(math.log((documents - frequency + 0.5) / (frequency + 0.5)), 1e-6)


def rank_matches(
    matches: dict[str, list[int]], documents: int, limit: int
) -> list[tuple[int, float]]:
    """Row ids by the summed IDF of the query words they hold, best first.

    BM25 without its term-frequency and length parts, cheap enough for every
    matched row: it picks the rows ``bm25_rerank`` orders (used alone: 0.79
    on 2A tuning MAP@5, 0.53 on FR MRR). Ties go to the older row.

    Example:
        >>> rank_matches({"cobalt": [3], "mine": [3, 7]}, documents=100, limit=5)
        [(3, 7.86...), (7, 3.67...)]
    """
    scores: dict[int, float] = {}
    for rows in matches.values():
        weight = idf(documents, len(rows))
        for row in rows:
            scores[row] = scores.get(row, 0.0) + weight
    return heapq.nlargest(
        limit, scores.items(), key=lambda row_score: (row_score[1], -row_score[0])
    )


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
    """An in-memory SQLite FTS5 table ranked by the IDF of matched rarer words.

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
        self._texts: list[str] = []
        self._words = 0
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
            self._texts.append(text)
            self._words += word_count(text)
            rows.append((len(self._ids), text))
        with self._connection:
            self._connection.executemany(
                "insert into documents (rowid, text) values (?, ?)", rows
            )

    def search(
        self, queries: Sequence[str], *, limit: int
    ) -> list[list[tuple[str, float]]]:
        """Return up to ``limit`` (id, score) pairs per query, best first.

        Scores (see ``rank_matches``) are positive and grow with relevance; they are
        not bounded, so fuse them by rank or after normalising per query.
        """
        self._query.collection_size(len(self._ids))
        results: list[list[tuple[str, float]]] = []
        for query in queries:
            matches = self._query.matches(query, self._documents_of)
            pool = rank_matches(matches, len(self._ids), RERANKED)
            ranked = bm25_rerank(
                pool,
                matches,
                {row: self._texts[row - 1] for row, _ in pool},
                documents=len(self._ids),
                average_length=self._words / max(len(self._ids), 1),
                tokenizer=self._query.tokenizer,
                limit=limit,
            )
            results.append([(self._ids[rowid - 1], score) for rowid, score in ranked])
        return results

    def _documents_of(self, word: str) -> list[int]:
        return [
            rowid
            for (rowid,) in self._connection.execute(
                "select rowid from documents where documents match ?", (word,)
            )
        ]
