"""Rank texts by their rarer words with SQLite FTS5: the lexical half of retrieval.

FTS5 finds the documents that hold each of a text's rarer words; the ranking (the
summed IDF of those words picks rows, Okapi BM25 over all the text's words orders
them, :func:`rank_texts`) is computed here, not by FTS5's ``bm25()``: on a million
claims ``bm25()`` took 220-330 ms per query where fetching the same matches unranked
took under 1 ms (benchmarks/README.md, "Matching at scale").
"""

from __future__ import annotations

import hashlib
import math
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

_WORD = re.compile(r"\w+", re.UNICODE)
_TOKENIZER = re.compile(r"[a-z0-9_ ]+")
# Porter stemming helps English and is harmless for French words it does not know;
# remove_diacritics lets "évêque" match "eveque" in noisy posts.
DEFAULT_TOKENIZER = "porter unicode61 remove_diacritics 2"
# FTS5 slows down on queries with hundreds of OR terms; long posts repeat themselves.
MAX_QUERY_TERMS = 64
# Reading a word's documents costs in proportion to how many there are: "the" alone
# is in most of a million claims. The rows are found by a text's rarest words only,
# kept while their document frequencies add up to at most POSTINGS_BUDGET (the rarest
# word is always kept), so that the cost stops growing with the collection; the
# words too common to be read still count in the BM25 that orders the rows found
# (RERANK_COMMON_WORDS). Measured on the tuning parts (benchmarks/README.md, "Matching
# at 1M"): CheckThat! 2A BM25 MAP@5 0.8407 before (budget 20,000, common words left
# out), 0.8402 at 2,000 with them (0.8123 without), FR MRR 0.7214 and 0.7224.
RARE_TERMS = MAX_QUERY_TERMS
POSTINGS_BUDGET = 2_000
# Document frequencies are cached: reading one from fts5vocab walks the word's whole
# list of documents (2-5 ms at a million claims). A cached frequency is corrected
# each time its word is queried (the query returns its documents), so only words
# too common to be queried can be stale, and those move slowly. A word in no
# document is asked again once the collection has grown, so a new name is found as
# soon as it is stored.
_CACHE_SIZE = 200_000
# The latest texts read for the mean length and the share of the common terms (a
# term past the budget in 0.2 % of the texts: 40 of them, the share within 16 %).
SAMPLE = 20_000
# Stored texts whose term counts are kept for BM25 (about 30 MB).
_TEXT_CACHE_SIZE = 100_000
# Stored texts kept as their words' term numbers for BM25 (about 80 MB; a text read
# again is not tokenized again, which is most of BM25's cost).
_NUMBERED_TEXTS = 200_000
# A term's number is the first 63 bits of its BLAKE2b hash: the same in every
# process, so the numbers of the stored claims' texts are kept in the database
# (claimtrack.claim_terms) and read instead of tokenizing. Two of ten million
# distinct terms share a number with odds of about 3e-6; they would count as one
# term in BM25. A stored format: never change it without refilling claim_terms.
_NUMBER_BITS = (1 << 63) - 1
NUMBER_DTYPE = "<i8"
NUMBER_SIZE = 8


def term_number(term: str) -> int:
    """The number of an FTS5 term in the blobs of :meth:`Tokenizer.text_numbers`.

    Example:
        >>> term_number("fund") == term_number("fund") >= 0
        True
    """
    digest = hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") & _NUMBER_BITS


# Latin-1 bytes that are not word characters of _WORD, each made a space.
_LATIN1_SEPARATORS = bytes.maketrans(
    bytes(c for c in range(256) if not _WORD.fullmatch(chr(c))),
    b" " * sum(1 for c in range(256) if not _WORD.fullmatch(chr(c))),
)
# Punctuation outside Latin-1 that French and English news use (no word character).
_TYPOGRAPHIC = "’‘“”„\u2039\u203a–—…"  # ... and the single guillemets


def folded_words(text: str) -> list[str]:
    """``_WORD.findall(text.casefold())``, two to three times as fast on news text.

    Tokenizing stored texts is most of BM25's cost. On Latin-1 text (once the
    typographic quotes and dashes are spaces) bytes.translate turns every byte
    that is not a word character into a space and split cuts there, in C; other
    text goes through the regex.

    Example:
        >>> folded_words("Biden's $1.2bn plan_B, approved.")
        ['biden', 's', '1', '2bn', 'plan_b', 'approved']
    """
    folded = plain = text.casefold()
    if not folded.isascii():
        for mark in _TYPOGRAPHIC:  # str.replace: str.translate is slower here
            if mark in plain:
                plain = plain.replace(mark, " ")
        try:
            plain.encode("latin-1")
        except UnicodeEncodeError:
            return _WORD.findall(folded)
    encoded = plain.encode("latin-1")
    return encoded.translate(_LATIN1_SEPARATORS).decode("latin-1").split()


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
        self._texts: dict[str, tuple[int, dict[str, int]]] = {}
        self._first: dict[str, str | None] = {}  # word -> its first term
        # The stored texts' terms as arrays of their numbers (term_number): BM25
        # scores the 300 texts of a query with NumPy (bm25_rerank).
        self._word_number: dict[str, int] = {}
        self._term_number: dict[str, int] = {}  # term -> term_number(term)
        self._numbers: dict[str, bytes] = {}

    def terms(self, words: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Each word's terms (usually one; none for a word the tokenizer drops)."""
        if len(words) == 1 and words[0] in self._known:  # most calls: one known word
            return {words[0]: self._known[words[0]]}
        unknown = list(dict.fromkeys(w for w in words if w not in self._known))
        for word in [w for w in unknown if w.isascii() and w.isdigit()]:
            self._known[word] = (word,)  # a number is its own term: no round trip
        unknown = [w for w in unknown if w not in self._known]
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

    def _first_terms(self, words: set[str]) -> dict[str, str | None]:
        """{word: its first term, None when dropped} for every word of ``words``."""
        first = self._first
        unseen = [word for word in words if word not in first]
        if unseen:
            if len(first) > _CACHE_SIZE:
                first.clear()
                unseen = list(words)
            for word, terms in self.terms(unseen).items():
                first[word] = terms[0] if terms else None
        return first

    def text_terms(self, texts: Sequence[str]) -> list[tuple[int, dict[str, int]]]:
        """Each text's length in words and how often it holds each term.

        Kept for the last texts seen: BM25 orders the same stored texts for many
        queries (a topic's claims come back), and tokenizing them is most of its
        cost. Keyed by the text itself, so a changed or deleted row never gives
        stale counts.

        Example:
            >>> Tokenizer().text_terms(["Funding funds the fund"])
            [(4, {'fund': 3, 'the': 1})]
        """
        missing = {t for t in texts if t not in self._texts}
        if len(self._texts) + len(missing) > _TEXT_CACHE_SIZE:
            self._texts.clear()  # before: the texts asked must all stay
            missing = set(texts)
        if missing:
            words_of = {t: _WORD.findall(t.casefold()) for t in missing}
            first = self._first_terms(set().union(*words_of.values()))
            for text, words in words_of.items():
                # Counted in C (map, filter, Counter): a Python loop per word was
                # most of BM25's cost. Terms come in the order of their first word,
                # as before, so sums over them add up in the same order.
                counts = dict(Counter(filter(None, map(first.__getitem__, words))))
                self._texts[text] = (len(words), counts)
        return [self._texts[text] for text in texts]

    def text_numbers(self, texts: Sequence[str]) -> list[bytes]:
        """Each text's words as the numbers of their first terms (int64, -1: none).

        What BM25 needs of a stored text, in the order of its words: its length
        (the number of words) and how often it holds each term. Kept as one small
        ``bytes`` per text, for the last :data:`_NUMBERED_TEXTS` texts seen, so that
        the texts of a query join into one NumPy array (:func:`bm25_rerank`). The
        numbers (:func:`term_number`) are the same in every process: the writer
        stores them (claimtrack.claim_terms) and readers use them instead of
        tokenizing again (:meth:`numbers_of`).
        """
        cache = self._numbers
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if len(cache) + len(missing) > _NUMBERED_TEXTS:
            cache.clear()  # before: the texts asked must all stay
            missing = list(dict.fromkeys(texts))
        if missing:
            words_of = [folded_words(text) for text in missing]
            flat = list(chain.from_iterable(words_of))
            number_of = self._word_numbers(set(flat))
            numbers = np.fromiter(
                map(number_of.__getitem__, flat), dtype=NUMBER_DTYPE, count=len(flat)
            ).tobytes()
            start = 0
            for text, words in zip(missing, words_of, strict=True):
                end = start + NUMBER_SIZE * len(words)
                cache[text] = numbers[start:end]
                start = end
        return [cache[text] for text in texts]

    def numbers_of(self, texts: Sequence[str | bytes]) -> list[bytes]:
        """:meth:`text_numbers` of each text; a ``bytes`` is its numbers already.

        Stored claims come numbered from the database (claimtrack.claim_terms).
        """
        plain = [text for text in texts if isinstance(text, str)]
        if len(plain) == len(texts):
            return self.text_numbers(plain)
        numbered = iter(self.text_numbers(plain))
        return [text if isinstance(text, bytes) else next(numbered) for text in texts]

    def _word_numbers(self, words: set[str]) -> dict[str, int]:
        """{word: the number of its first term, -1 when dropped} for every word."""
        number_of = self._word_number
        unseen = list(words - number_of.keys())
        if len(number_of) + len(unseen) > _CACHE_SIZE:
            number_of.clear()
            unseen = list(words)
        if unseen:
            for word, found in self.terms(unseen).items():
                number_of[word] = term_number(found[0]) if found else -1
        return number_of

    def documents_per_term(
        self, texts: Sequence[str | bytes]
    ) -> tuple[int, dict[int, int]]:
        """The texts' words in all, and how many of the texts hold each term.

        Terms are given by their numbers (:func:`term_number`): the texts may
        come numbered from the database (``bytes``, see :meth:`numbers_of`), their
        words never seen by this process.

        Example:
            >>> words, held = Tokenizer().documents_per_term(["the fund", "the funds"])
            >>> words, held[term_number("fund")], held[term_number("the")]
            (4, 2, 2)
        """
        blobs = self.numbers_of(texts)
        lengths = np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs))
        lengths //= NUMBER_SIZE
        numbers = np.frombuffer(b"".join(blobs), dtype=NUMBER_DTYPE)
        owner = np.repeat(np.arange(len(blobs)), lengths)
        kept = numbers >= 0
        numbers, owner = numbers[kept], owner[kept]
        # Each (term, text) once, then the texts of each term.
        order = np.lexsort((owner, numbers))
        numbers, owner = numbers[order], owner[order]
        first = np.ones(len(numbers), dtype=bool)
        first[1:] = (numbers[1:] != numbers[:-1]) | (owner[1:] != owner[:-1])
        terms, documents = np.unique(numbers[first], return_counts=True)
        counts = dict(zip(terms.tolist(), documents.tolist(), strict=True))
        return int(lengths.sum()), counts

    def term_numbers(self, terms: Iterable[str]) -> dict[str, int]:
        """The numbers of terms, as in the blobs of :meth:`text_numbers`."""
        known = self._term_number
        if len(known) > _CACHE_SIZE:
            known.clear()
        return {
            term: known[term]
            if term in known
            else known.setdefault(term, term_number(term))
            for term in terms
        }


# Reads the document frequency of each FTS5 term: {term: documents}.
DocumentFrequency = Callable[[Iterable[str]], dict[str, int]]
IntArray = npt.NDArray[np.int64]
# Row ids as a reader holds them (int32 or int64; rank_matches widens them).
RowArray = npt.NDArray[np.signedinteger[Any]]
# Reads the row ids one quoted word matches (an unranked FTS5 query), as an array.
Postings = Callable[[str], RowArray]


class QueryTerms(NamedTuple):
    """What the query of one text asks: its kept words and every term's frequency."""

    kept: list[str]  # the words queried, in the text's order
    term_of: dict[str, str]  # each word of the text -> its first term
    frequency: dict[str, int]  # each term in some document -> documents holding it


# The first row ids (at most the cap) an FTS5 query of one quoted word matches.
BoundedPostings = Callable[[str, int], "RowArray"]


class RareWordQuery:
    """Builds the FTS5 query of a text from its rarer words (see POSTINGS_BUDGET).

    Args:
        frequency: the document frequency of terms in the searched table.
        tokenizer: the tokenizer of that table.
        postings: reads a word's rows up to a cap. When given, the rows of a term
            not cached are read up to the budget (what querying it costs at
            most, and they are its rows if it is kept), not counted by
            ``frequency`` (fts5vocab walks all of a term's rows:
            145 ms for "the" at a million claims); the frequency of a term past
            the budget, which only weighs in BM25, is estimated from its share
            of the sampled texts (:meth:`sample`).
    """

    def __init__(
        self,
        frequency: DocumentFrequency,
        tokenizer: Tokenizer | None = None,
        *,
        terms: int = RARE_TERMS,
        budget: int = POSTINGS_BUDGET,
        postings: BoundedPostings | None = None,
    ) -> None:
        self._frequency = frequency
        self._bounded = postings
        self._fresh: dict[str, RowArray] = {}  # rows read while counting, by term
        self._tokenizer = tokenizer or Tokenizer()
        self.tokenizer = self._tokenizer
        # The mean length of the searched texts, for BM25; set by the caller.
        self.average_length: float | None = None
        self._cache: dict[str, int] = {}
        self._absent: set[str] = set()  # terms in no document of self._documents
        self._share: dict[str, float] = {}  # common terms: share of documents
        self._sampled: dict[int, int] = {}  # sampled documents holding a term number
        self._sample_size = 0
        self._documents = -1
        self.terms = terms
        self.budget = budget

    def sample(self, texts: Sequence[str | bytes]) -> None:
        """Texts of the searched table (the latest ones): lengths and common terms.

        Sets :attr:`average_length`, and the share of these texts holding each
        term, from which the frequency of a term too common to count is estimated.
        """
        words, sampled = self._tokenizer.documents_per_term(texts)
        self.average_length = words / max(len(texts), 1)
        self._sampled, self._sample_size = sampled, len(texts)
        self._share.clear()

    def _frequencies(self, first_word: dict[str, str]) -> dict[str, int]:
        """Document frequencies of terms (each with the first word holding it)."""
        self._fresh.clear()
        if self._bounded is None:
            return self.document_frequency(first_word)
        found: dict[str, int] = {}
        slow: list[str] = []
        self._tokenizer.terms([*first_word, *first_word.values()])  # one call
        number_of = self._tokenizer.term_numbers(first_word)  # hashed once a term
        for term, word in first_word.items():
            sampled = self._sampled.get(number_of[term], 0)
            share = sampled / max(self._sample_size, 1)
            if term not in self._cache and self._common(share) > 4 * self.budget:
                # The sample says it is far past the budget: counting its rows
                # to the budget would be the most expensive count of all.
                self._share[term] = share
            if term in self._cache:
                found[term] = self._cache[term]
            elif term in self._absent:
                found[term] = 0
            elif term in self._share:
                found[term] = self._common(self._share[term])
            else:
                query = self._query_of(term, word)
                if query is None:
                    slow.append(term)
                    continue
                rows = self._bounded(query, self.budget + 1)
                count = len(rows)
                if count == 0:
                    self._absent.add(term)
                elif count <= self.budget:
                    self._cache[term] = count
                    self._fresh[term] = rows
                else:
                    self._share[term] = share
                    count = self._common(share)
                found[term] = count
        if slow:
            found.update(self.document_frequency(slow))
        if len(self._share) > _CACHE_SIZE:
            self._share.clear()
        return found

    def _common(self, share: float) -> int:
        """The frequency of a term past the budget, from its share of the sample."""
        return max(self.budget + 1, round(share * max(self._documents, 0)))

    def _query_of(self, term: str, word: str) -> str | None:
        """An FTS5 query matching the rows that hold term, if one word says it."""
        for candidate in (term, word):
            if self._tokenizer.terms([candidate])[candidate] == (term,):
                return f'"{candidate}"'
        return None  # "l'arme" is two terms: count "arm" in fts5vocab

    def prepare(self, texts: Sequence[str]) -> None:
        """Tokenize the words of all texts (and their terms) in one round trip.

        :meth:`choose` then finds every word known (:meth:`Tokenizer.terms` keeps
        them): the claims of an article each brought a few new words, and each
        new word cost three statements on the tokenizer's table. Tokenizing a
        word does not depend on the others asked with it, so nothing else moves.
        """
        words = list(
            dict.fromkeys(
                chain.from_iterable(query_words(t)[:MAX_QUERY_TERMS] for t in texts)
            )
        )
        if len(words) < 2:
            return
        terms = self._tokenizer.terms(words)
        # _frequencies asks each first term as a word too (_query_of).
        self._tokenizer.terms(list(dict.fromkeys(chain.from_iterable(terms.values()))))

    def words(self, text: str) -> list[str]:
        """The words of text the query keeps, in the text's order."""
        return self.choose(text).kept

    def choose(self, text: str) -> QueryTerms:
        """The words of text the query keeps, with the frequency of all its terms."""
        words = query_words(text)[:MAX_QUERY_TERMS]
        terms_of = self._tokenizer.terms(words)
        first_word: dict[str, str] = {}
        term_of: dict[str, str] = {}
        for word in words:
            for term in terms_of[word]:
                first_word.setdefault(term, word)
            if terms_of[word]:
                term_of[word] = terms_of[word][0]
        frequency = self._frequencies(first_word)
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
        return QueryTerms(
            [word for word in words if word in chosen],
            term_of,
            {term: frequency[term] for term in ranked},
        )

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
        self,
        text: str,
        postings: Postings,
        known: dict[str, RowArray] | None = None,
    ) -> dict[str, RowArray]:
        """The documents (row ids) that hold each kept word of text.

        Args:
            postings: the row ids matching one quoted word (an FTS5 query).
            known: postings already read for other texts of the same batch (the
                claims of one article share their names): read from and added to.
        """
        return self._matches(self.words(text), postings, known)

    def _matches(
        self,
        words: Sequence[str],
        postings: Postings,
        known: dict[str, RowArray] | None,
    ) -> dict[str, RowArray]:
        known = {} if known is None else known
        found: dict[str, RowArray] = {}
        for word in words:
            terms = self._tokenizer.terms([word])[word]
            rows = known.get(word)
            if rows is None and len(terms) == 1:
                rows = self._fresh.pop(terms[0], None)
            if rows is None:
                rows = postings(f'"{word}"')
            found[word] = known[word] = rows
            if len(terms) == 1 and len(rows):  # its exact frequency, for free
                self._cache[terms[0]] = len(rows)
        return found


# Okapi BM25's term-frequency saturation and length normalisation. Not FTS5's
# bm25() defaults (1.2, 0.75): tuned with the fusion on the tuning parts
# (benchmarks/README.md, "Retrieval through the product, round 8"), a stronger
# length normalisation helps long French posts against short claims (FR hybrid MRR
# 0.8056 -> 0.8108) and the debate lines of CheckThat! 2B (0.5469 -> 0.5504 MAP@5),
# and leaves 2A as it was (0.9202 -> 0.9206).
_K1 = 1.6
_B = 0.9
# The summed IDF picks this many rows per query for BM25 to order (it needs their
# texts, for term frequencies and lengths; reading all matched texts costs too much).
# Measured on the tuning parts (benchmarks/README.md, "Matching at 1M"), BM25 alone,
# budget 2,000: 2A MAP@5 0.8402 with 300 rows, 0.8392 with 100; FR MRR 0.7224, 0.7223.
RERANKED = 300
# Whether BM25 also weighs the words too common to be queried (their frequency
# is known from choosing the query); they order the rows, they find none.
RERANK_COMMON_WORDS = True
# Postings read for other texts of the same batch are kept up to this many row ids.
_BATCH_POSTINGS = 2_000_000


def parse_row_ids(joined: str | None) -> IntArray:
    """Row ids joined by SQLite's ``group_concat``, as an array.

    One string per word, parsed by NumPy: a Python tuple per matched row cost
    as much as the FTS5 query itself at a million claims.

    Example:
        >>> parse_row_ids("3,9,12").tolist()
        [3, 9, 12]
    """
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(joined, dtype=np.int64, sep=",")


def rank_matches(
    matches: dict[str, RowArray] | dict[str, list[int]], documents: int, limit: int
) -> list[tuple[int, float]]:
    """Row ids by the summed IDF of the query words they hold, best first.

    BM25 without its term-frequency and length parts, cheap enough for every
    matched row (NumPy over the postings): it picks the rows ``bm25_rerank``
    orders (used alone: 0.79 on 2A tuning MAP@5, 0.53 on FR MRR). Ties go to the
    older row.

    Example:
        >>> rank_matches({"cobalt": [3], "mine": [3, 7]}, documents=100, limit=5)
        [(3, 7.86...), (7, 3.67...)]
    """
    arrays = [np.asarray(rows, dtype=np.int64) for rows in matches.values()]
    arrays = [rows for rows in arrays if len(rows)]
    if not arrays:
        return []
    rows = np.concatenate(arrays)
    weights = np.repeat(
        [idf(documents, len(each)) for each in arrays], [len(each) for each in arrays]
    )
    unique, inverse = np.unique(rows, return_inverse=True)
    scores = np.bincount(inverse, weights=weights)
    # unique is sorted by row id, so a stable sort on the score keeps older rows first.
    order = np.argsort(-scores, kind="stable")[:limit]
    return list(zip(unique[order].tolist(), scores[order].tolist(), strict=True))


class NumberedRows(Mapping[int, bytes]):
    """Rows' term numbers in one array: row r is ``numbers[starts[r]:starts[r + 1]]``.

    What a reader holding the stored texts' numbers in memory gives
    :func:`bm25_rerank` (claimtrack.claim_words): the rows of a query are gathered
    by NumPy, where a ``bytes`` a row costs a Python call each.
    """

    def __init__(
        self, rows: Iterable[int], starts: IntArray, numbers: IntArray
    ) -> None:
        self._rows = set(rows)
        self._starts = starts
        self._numbers = numbers

    def __getitem__(self, row: int) -> bytes:
        if row not in self._rows:
            raise KeyError(row)
        start, end = self._starts[row], self._starts[row + 1]
        return self._numbers[start:end].astype(NUMBER_DTYPE).tobytes()

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, row: object) -> bool:
        return row in self._rows

    def arrays(self, rows: Sequence[int]) -> tuple[IntArray, IntArray]:
        """The rows' lengths (in words) and their numbers, joined in that order."""
        at = np.asarray(rows, dtype=np.int64)
        starts = self._starts[at]
        lengths = self._starts[at + 1] - starts
        # Position of each number: its row's start plus its place within the row.
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        places = offsets + np.arange(int(lengths.sum()), dtype=np.int64)
        return lengths, self._numbers[places]


def bm25_rerank(
    pool: Sequence[tuple[int, float]],
    weight: dict[str, float],
    texts: Mapping[int, str | bytes],
    *,
    average_length: float,
    tokenizer: Tokenizer,
    limit: int,
) -> list[tuple[int, float]]:
    """Order the rows of pool by Okapi BM25 of the weighted terms, best first.

    Written here rather than with FTS5's ``bm25()``, which costs 220-330 ms per
    query at a million claims. The rows come from ``rank_matches``; ``weight`` is
    each query term's IDF, term frequencies and lengths (in words, as
    ``average_length``) come from the texts.
    """
    rows = [row for row, _ in pool if row in texts]
    if not rows:
        return []
    # NumPy over every word of the rows at once: a Python loop per row was half
    # the writer's time. Each row's sum runs over the query's terms in the order
    # of their numbers (before, a set's order: the last bit differed between
    # processes).
    if isinstance(texts, NumberedRows):
        lengths, numbers = texts.arrays(rows)
    else:
        blobs = tokenizer.numbers_of([texts[row] for row in rows])
        lengths = np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs))
        lengths //= NUMBER_SIZE
        numbers = np.frombuffer(b"".join(blobs), dtype=NUMBER_DTYPE)
    known = tokenizer.term_numbers(weight)
    query_ids = np.array(sorted(known.values()), dtype=np.int64)
    scores = np.zeros(len(rows), dtype=np.float64)
    if len(query_ids) and len(numbers):
        owner = np.repeat(np.arange(len(rows)), lengths)
        by_number = {number: weight[term] for term, number in known.items()}
        query_weights = np.array([by_number[i] for i in query_ids.tolist()])
        at = np.minimum(np.searchsorted(query_ids, numbers), len(query_ids) - 1)
        hit = query_ids[at] == numbers
        cell = owner[hit] * len(query_ids) + at[hit]
        counts = np.bincount(cell, minlength=len(rows) * len(query_ids)).reshape(
            len(rows), len(query_ids)
        )
        n = counts.astype(np.float64)
        norm = _K1 * (1 - _B) + _K1 * _B / max(average_length, 1.0) * lengths
        terms = query_weights * n * (_K1 + 1) / (n + norm[:, None])
        scores = np.asarray(terms.sum(axis=1), dtype=np.float64)
    row_ids = np.array(rows, dtype=np.int64)
    # Best score first, the older row first on a tie.
    order = np.lexsort((row_ids, -scores))[:limit]
    return list(zip(row_ids[order].tolist(), scores[order].tolist(), strict=True))


def rank_texts(
    texts: Sequence[str],
    query: RareWordQuery,
    postings: Postings,
    read: Callable[[Sequence[int]], Mapping[int, str | bytes]],
    *,
    documents: int,
    limit: int,
    pool: int = RERANKED,
) -> list[list[tuple[int, float]]]:
    """Rank row ids for each text: rarer words find rows, BM25 orders the best.

    1. Each kept word (:meth:`RareWordQuery.choose`) is one unranked FTS5 query
       (``postings``), read once for all texts of the batch;
    2. the summed IDF of the kept words a row holds picks ``pool`` rows
       (:func:`rank_matches`);
    3. ``read`` gives their texts (leaving out rows not to be found), and Okapi
       BM25 over every word of the text, the common words left out of step 1
       included, orders them (:func:`bm25_rerank`).

    Args:
        postings: the row ids matching one quoted word, as an array.
        read: the texts of row ids, {row id: text, or its term numbers as
            ``Tokenizer.text_numbers`` gives them (stored claims)}.
        documents: how many rows are searched, for the IDF.
    """
    query.collection_size(documents)
    query.prepare(texts)
    known: dict[str, RowArray] = {}
    rankings: list[list[tuple[int, float]]] = []
    for text in texts:
        chosen = query.choose(text)
        matches = query._matches(chosen.kept, postings, known)
        if sum(map(len, known.values())) > _BATCH_POSTINGS:
            known.clear()
        picked = rank_matches(matches, documents, pool)
        if not picked:
            rankings.append([])
            continue
        frequency = dict(chosen.frequency) if RERANK_COMMON_WORDS else {}
        for word, rows in matches.items():
            if word in chosen.term_of:
                frequency[chosen.term_of[word]] = len(rows)
        weight = {term: idf(documents, count) for term, count in frequency.items()}
        rankings.append(
            bm25_rerank(
                picked,
                weight,
                read([row for row, _ in picked]),
                average_length=query.average_length or 1.0,
                tokenizer=query.tokenizer,
                limit=limit,
            )
        )
    return rankings


def word_count(text: str) -> int:
    """A text's length for BM25: its words, about the tokens FTS5 counts."""
    return len(_WORD.findall(text))


def idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency, floored above zero as FTS5's ``bm25()`` is."""
    return max(math.log((documents - frequency + 0.5) / (frequency + 0.5)), 1e-6)


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
            postings=self._bounded_postings,
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
        sampled, size = self._query._sample_size, min(len(self._texts), SAMPLE)
        if size >= 2 * sampled and size > sampled:  # again each time it doubles
            self._query.sample(self._texts[-SAMPLE:])
        self._query.average_length = self._words / max(len(self._ids), 1)
        rankings = rank_texts(
            queries,
            self._query,
            self._postings,
            lambda rows: {row: self._texts[row - 1] for row in rows},
            documents=len(self._ids),
            limit=limit,
        )
        return [
            [(self._ids[rowid - 1], score) for rowid, score in ranked]
            for ranked in rankings
        ]

    def _bounded_postings(self, word: str, cap: int) -> IntArray:
        (joined,) = self._connection.execute(
            "select group_concat(rowid) from (select rowid from documents "
            f"where documents match ? limit {int(cap)})",
            (word,),
        ).fetchone()
        return parse_row_ids(joined)

    def _postings(self, word: str) -> IntArray:
        (joined,) = self._connection.execute(
            "select group_concat(rowid) from documents where documents match ?",
            (word,),
        ).fetchone()
        return parse_row_ids(joined)
