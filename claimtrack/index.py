"""One index of the stored claims, one of the fact-checks: by meaning and by words.

Every reader of the stored vectors goes through here: the tracker (ingest, fact-check
matching, search), ``reembed`` (which replays ingest on a :class:`ReplayIndex` in
memory) and the SQL functions of :mod:`claimtrack.sql_functions` (Datasette,
sqlite-utils). Each index ranks by the product's hybrid ranking
(:func:`claimtrack.fusion.hybrid_ranking`: cosines of the stored vectors fused with
FTS5 BM25 over the texts), and drops what was deleted since its vectors were loaded,
in one place (:meth:`HybridIndex.present`). A writer's claim index holds the claims'
words in memory for BM25 (:meth:`ClaimIndex.hold_words_in_memory`); a search asks
FTS5; both rank alike.

The three searches read like llm's ``Collection``:

    >>> index = ClaimIndex(db, "fake/bag-of-words", embed=embedder.embed_all)
    >>> index.similar("Russia is preparing to use nuclear weapons", k=5)
    >>> index.similar_by_id(claim_id)
    >>> index.similar_by_vector(vector)

No torch here: the Datasette plugin imports this module.
"""

from __future__ import annotations

import json
import threading
import weakref
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sqlite_utils import Database

from claimtrack.claim_terms import TABLE as CLAIM_TERMS
from claimtrack.claim_words import ClaimWords
from claimtrack.decision.text_features import claim_of_review
from claimtrack.fusion import CANDIDATES, hybrid_ranking
from claimtrack.lexical import (
    RERANKED,
    SAMPLE,
    BM25Index,
    BoundedPostings,
    DocumentFrequency,
    IntArray,
    RareWordQuery,
    RowArray,
    parse_row_ids,
    rank_texts,
    vocabulary_frequency,
)
from claimtrack.query import dense_query, query_vectors
from claimtrack.sources.articles import detect_language
from claimtrack.store import (
    DATABASE_ERRORS,
    claim_vectors_since,
    database_file,
    database_identity,
    model_dimensions,
)
from claimtrack.stored_index import StoredIndex
from claimtrack.vectors import FloatArray, VectorIndex, decode_vector, normalize

Ranking = list[tuple[str, float]]
# Texts to vectors, one row per text: an Embedder's embed_all.
Embed = Callable[[Sequence[str]], FloatArray]


class Hit(NamedTuple):
    """One search result: the item, its hybrid ranking score and its cosine."""

    id: str
    score: float  # the fused ranking score: orders hits, not comparable across queries
    similarity: float  # cosine of the query's and the item's vectors


@dataclass(frozen=True)
class Item:
    """What matching needs to know of a stored claim or fact-check."""

    id: str
    text: str
    vector: FloatArray
    language: str | None = None
    speaker: str | None = None
    quote_type: str | None = None
    is_fact_check: bool = False


class HybridIndex(ABC):
    """Candidates by the product's hybrid ranking: stored vectors fused with BM25."""

    # The model whose vectors are searched: a text query's vector is weighed by the
    # query's language for it (claimtrack.query.query_vectors). None: never weighed.
    model_id: str | None = None

    def __init__(self, embed: Embed | None = None) -> None:
        self.embed = embed

    @abstractmethod
    def vector_hits(
        self, vectors: FloatArray, *, limit: int, exclude: Iterable[str] = ()
    ) -> list[Ranking]:
        """The ``limit`` nearest (id, cosine) of each vector, best first."""

    @abstractmethod
    def lexical_hits(
        self, texts: Sequence[str], *, limit: int, exclude: Iterable[str] = ()
    ) -> list[Ranking]:
        """The ``limit`` best (id, BM25) of each text, best first."""

    @abstractmethod
    def items(self, ids: Iterable[str]) -> dict[str, Item]:
        """The stored items among ids, with their text and vector."""

    @abstractmethod
    def present(self, ids: Iterable[str]) -> set[str]:
        """The ids among ids that are still stored."""

    def candidates(
        self,
        texts: Sequence[str],
        vectors: FloatArray,
        *,
        limit: int,
        exclude: Iterable[str] = (),
    ) -> list[list[Hit]]:
        """The ``limit`` best stored items for each (text, vector), best first.

        Each retriever gives its top :data:`~claimtrack.fusion.CANDIDATES`, which
        :func:`~claimtrack.fusion.hybrid_ranking` fuses.
        """
        excluded = set(exclude)
        matrix = normalize(vectors) if len(texts) else np.zeros((0, 0), np.float32)
        by_vector = self.vector_hits(matrix, limit=CANDIDATES, exclude=excluded)
        stored = self.present({i for row in by_vector for i, _ in row})
        by_vector = [[hit for hit in row if hit[0] in stored] for row in by_vector]
        by_words = self.lexical_hits(texts, limit=CANDIDATES, exclude=excluded)
        fused = [
            hybrid_ranking(vector_row, word_row, limit=limit)
            for vector_row, word_row in zip(by_vector, by_words, strict=True)
        ]
        cosines = [dict(row) for row in by_vector]
        missing = {
            item_id
            for row, known in zip(fused, cosines, strict=True)
            for item_id, _ in row
            if item_id not in known
        }
        vectors_of = {i: item.vector for i, item in self.items(missing).items()}
        return [
            [
                Hit(
                    item_id,
                    round(score, 4),
                    round(_cosine(known, item_id, vectors_of, query), 4),
                )
                for item_id, score in row
                if item_id in known or item_id in vectors_of
            ]
            for row, known, query in zip(fused, cosines, matrix, strict=True)
        ]

    def similar(self, text: str, k: int = 10) -> list[Hit]:
        """The k stored items closest to a text, by meaning and by words.

        The embedder sees the text's first distinct sentences
        (:func:`~claimtrack.query.dense_query`), BM25 all its words. The vector is
        weighed by the text's detected language, as the matcher weighs a new
        claim's and ``eval retrieval`` a query's, so that what users search ranks
        as what is measured; each hit's ``similarity`` stays the plain cosine of
        the two stored-model vectors (as ``claimtrack_similarity`` gives it).
        """
        if self.embed is None:
            raise ValueError("This index has no embedder to search by text")
        vector = self.embed([dense_query(text)])
        if self.model_id is None or not text.strip():
            return self.candidates([text], vector, limit=k)[0]
        weighed = query_vectors(vector, [detect_language(text)], self.model_id)
        hits = self.candidates([text], weighed, limit=k)[0]
        if weighed is vector:
            return hits
        stored = self.items(hit.id for hit in hits)
        query = normalize(vector)[0]
        return [
            hit._replace(similarity=round(float(normalize(item.vector)[0] @ query), 4))
            for hit in hits
            if (item := stored.get(hit.id)) is not None
        ]

    def similar_by_id(self, item_id: str, k: int = 10) -> list[Hit]:
        """The k stored items closest to a stored one (itself left out)."""
        item = self.items([item_id]).get(item_id)
        if item is None:
            return []
        return self.candidates(
            [item.text], item.vector[None, :], limit=k, exclude={item_id}
        )[0]

    def similar_by_vector(self, vector: FloatArray, k: int = 10) -> list[Hit]:
        """The k stored items whose vectors are closest to a vector (no words)."""
        query = normalize(np.asarray(vector, dtype=np.float32))
        rows = self.vector_hits(query, limit=k + _SPARE_HITS)[0]
        stored = self.present(i for i, _ in rows)
        return [
            Hit(i, round(score, 4), round(score, 4)) for i, score in rows if i in stored
        ][:k]


# A re-ingested article's old claims stay in the vector index until it is rebuilt;
# ask for a few more hits than wanted, and drop those no longer stored.
_SPARE_HITS = 10


def _cosine(
    known: dict[str, float],
    item_id: str,
    vectors: dict[str, FloatArray],
    query: FloatArray,
) -> float:
    if item_id in known:
        return known[item_id]
    return float(np.dot(normalize(vectors[item_id])[0], query))


# ---- the stored claims -----------------------------------------------------------


class _SharedVectors:
    """One model's claim vectors of one database file, shared by every connection."""

    def __init__(self, stored: StoredIndex) -> None:
        self.stored = stored
        self.lock = threading.Lock()


_registry_lock = threading.Lock()
_registry: dict[tuple[Path, str, str], _SharedVectors] = {}


def _shared_vectors(db: Database, model_id: str, dimensions: int) -> _SharedVectors:
    """The claim vectors of a database file, loaded once per process and model.

    Datasette opens several connections to one file; they share one index. A
    database in memory gets its own.
    """
    path, identity = database_file(db), database_identity(db)
    if path is None:
        return _SharedVectors(StoredIndex(None, model_id, dimensions))
    key = (path, identity, model_id)
    with _registry_lock:
        shared = _registry.get(key)
        if shared is None or shared.stored.index.dimensions != dimensions:
            shared = _SharedVectors(
                StoredIndex(path, model_id, dimensions, identity=identity)
            )
            _registry[key] = shared
        return shared


def forget_shared_indexes(database: Path | None = None) -> None:
    """Drop the process's shared claim indexes (of one file, or all): after reembed."""
    with _registry_lock:
        for key in [k for k in _registry if database is None or k[0] == database]:
            del _registry[key]


class ClaimIndex(HybridIndex):
    """The claims stored in a database, with one model's vectors.

    Args:
        db: the database (any connection to it).
        model_id: the model whose vectors are searched.
        dimensions: their length; read from the database when None.
        embed: embeds query texts, for :meth:`similar`.
    """

    model_id: str

    def __init__(
        self,
        db: Database,
        model_id: str,
        *,
        dimensions: int | None = None,
        embed: Embed | None = None,
    ) -> None:
        super().__init__(embed)
        self.db = db
        self.model_id = model_id
        self._dimensions = dimensions
        self._shared: _SharedVectors | None = None
        # The claims' words in memory, for a long-running writer (ClaimWords);
        # None: every ranking asks FTS5, as a one-off search should.
        self._memory: ClaimWords | None = None
        # Through a weak reference: a query that held this index would make a cycle,
        # and the database would then close only at garbage collection, its WAL not
        # checkpointed when a command ends (a reader with immutable=1 saw no schema).
        this = weakref.ref(self)
        self._words = _rare_word_query(
            db,
            "claims_fts",
            "text",
            memory=lambda: None if (index := this()) is None else index._memory,
        )
        # Each claim's text as term numbers, stored by the writer: BM25 reads them
        # instead of tokenizing (claimtrack.claim_terms). None before m012.
        self._numbers = CLAIM_TERMS if _has_table(db, CLAIM_TERMS) else None

    def hold_words_in_memory(self) -> bool:
        """Rank by BM25 from the claims' words held in memory from now on.

        For a writer: loading costs a few seconds at a million claims, then each
        article's candidates need no FTS5 statement (:mod:`claimtrack.claim_words`);
        the ranking is the same. Returns whether it could (a read-only connection
        cannot read FTS5's index); cheap once done.
        """
        if self._memory is None:
            memory = ClaimWords(self.db, self._words.tokenizer)
            if memory.usable():
                self._memory = memory
        return self._memory is not None

    @property
    def vectors(self) -> VectorIndex:
        """The in-memory vector index, brought up to date with the database.

        Each access adds the vectors stored since the last one, by this process or
        another. Past 100,000 vectors it is an HNSW graph, saved beside the database
        so that the next process reads it back (:mod:`claimtrack.stored_index`).
        """
        shared = self._vectors()
        with shared.lock:
            return self._refresh(shared)

    @property
    def loaded(self) -> bool:
        """Whether the process already read this database's vectors once."""
        return self._vectors().stored.last_id > 0

    def _vectors(self) -> _SharedVectors:
        if self._shared is None:
            dimensions = self._dimensions or model_dimensions(self.db, self.model_id)
            if dimensions is None:
                # Nothing stored yet: an empty index, not kept, so that the first
                # stored vectors give the real length.
                return _SharedVectors(StoredIndex(None, self.model_id, 1))
            self._shared = _shared_vectors(self.db, self.model_id, dimensions)
            self._dimensions = dimensions
        return self._shared

    def _refresh(self, shared: _SharedVectors) -> VectorIndex:
        return shared.stored.refresh(
            partial(claim_vectors_since, self.db, self.model_id)
        )

    def vector_hits(
        self, vectors: FloatArray, *, limit: int, exclude: Iterable[str] = ()
    ) -> list[Ranking]:
        if not len(vectors):
            return []
        if (
            self._dimensions is None
            and model_dimensions(self.db, self.model_id) is None
        ):
            return [[] for _ in range(len(vectors))]  # nothing stored yet
        shared = self._vectors()
        with shared.lock:
            index = self._refresh(shared)
            if len(index) == 0 or index.dimensions != vectors.shape[1]:
                return [[] for _ in range(len(vectors))]
            return index.search(vectors, limit=limit, exclude=exclude)

    def lexical_hits(
        self, texts: Sequence[str], *, limit: int, exclude: Iterable[str] = ()
    ) -> list[Ranking]:
        # Only the claim's text, not its sentence or speaker: each word is looked
        # up in the text column. FTS5 only finds the rows; they are ranked in
        # Python (claimtrack.lexical.rank_matches), not by bm25(), which took
        # 220-330 ms per query at a million claims.
        return _fts_rankings(
            self.db,
            "claims",
            "text",
            texts,
            self._words,
            limit,
            exclude,
            numbers=self._numbers,
            memory=self._memory,
        )

    def items(self, ids: Iterable[str]) -> dict[str, Item]:
        sql = """
            select claims.id, claims.text, claims.language, claims.speaker,
                claims.quote_type, embeddings.vector
            from claims join embeddings on embeddings.claim_id = claims.id
            where claims.id in (select value from json_each(:ids))
            and embeddings.model_id = :model_id
        """
        rows = self.db.query(sql, {"ids": _json(ids), "model_id": self.model_id})
        return {
            row["id"]: Item(
                id=row["id"],
                text=row["text"],
                vector=decode_vector(row["vector"]),
                language=row["language"],
                speaker=row["speaker"],
                quote_type=row["quote_type"],
            )
            for row in rows
        }

    def present(self, ids: Iterable[str]) -> set[str]:
        sql = "select id from claims where id in (select value from json_each(:ids))"
        return {row["id"] for row in self.db.query(sql, {"ids": _json(ids)})}


# ---- the stored fact-checks --------------------------------------------------------


class FactCheckIndex(HybridIndex):
    """The fact-checks stored in a database, with one model's vectors.

    Fact-checks are few next to claims (tens of thousands), and a re-imported one
    gets a new vector under its old id, so the vectors are reloaded whole whenever
    one was replaced, and only the new ones added otherwise.
    """

    model_id: str

    def __init__(
        self, db: Database, model_id: str, *, embed: Embed | None = None
    ) -> None:
        super().__init__(embed)
        self.db = db
        self.model_id = model_id
        self._words = _rare_word_query(db, "fact_checks_fts", "claim_reviewed")
        self._index: VectorIndex | None = None
        self._last_id = 0
        self._count = 0

    @property
    def vectors(self) -> VectorIndex:
        """The fact-check vectors, brought up to date with the database."""
        # "+model_id": search the fact_check_id index (few rows), not the model_id
        # one, which holds every claim vector: 0.3 s a call at 100,000 claims.
        sql = """
            select count(*) as count, coalesce(max(id), 0) as last from embeddings
            where +model_id = :model_id and fact_check_id is not null
        """
        (state,) = self.db.query(sql, {"model_id": self.model_id})
        if self._index is not None and (state["count"], state["last"]) == (
            self._count,
            self._last_id,
        ):
            return self._index
        rows = list(self._rows_since(self._last_id if self._index else 0))
        replaced = self._index is not None and any(
            fact_check_id in self._index for _, fact_check_id, _ in rows
        )
        if self._index is None or replaced or state["count"] < self._count:
            rows = list(self._rows_since(0))
            dimensions = len(decode_vector(rows[0][2])) if rows else 1
            self._index = VectorIndex(dimensions, approximate_threshold=None)
        self._index.add_blobs((fc_id, blob) for _, fc_id, blob in rows)
        self._count, self._last_id = state["count"], state["last"]
        return self._index

    def _rows_since(self, after: int) -> Iterable[tuple[int, str, bytes]]:
        # The ids come from the fact_check_id index (a search by id would walk
        # every claim vector stored since `after`, all of them at start-up).
        sql = """
            select id, fact_check_id, vector from embeddings where id in (
                select id from embeddings
                where +model_id = :model_id and fact_check_id is not null
                and +id > :after
            ) order by id
        """
        for row in self.db.query(sql, {"model_id": self.model_id, "after": after}):
            yield row["id"], row["fact_check_id"], row["vector"]

    def vector_hits(
        self, vectors: FloatArray, *, limit: int, exclude: Iterable[str] = ()
    ) -> list[Ranking]:
        index = self.vectors
        if not len(vectors) or not len(index) or index.dimensions != vectors.shape[1]:
            return [[] for _ in range(len(vectors))]
        return index.search(vectors, limit=limit, exclude=exclude)

    def lexical_hits(
        self, texts: Sequence[str], *, limit: int, exclude: Iterable[str] = ()
    ) -> list[Ranking]:
        return _fts_rankings(
            self.db, "fact_checks", "claim_reviewed", texts, self._words, limit, exclude
        )

    def items(self, ids: Iterable[str]) -> dict[str, Item]:
        sql = """
            select fact_checks.id, fact_checks.claim_reviewed, fact_checks.language,
                fact_checks.claimant, embeddings.vector
            from fact_checks
            join embeddings on embeddings.fact_check_id = fact_checks.id
            where fact_checks.id in (select value from json_each(:ids))
            and embeddings.model_id = :model_id
        """
        rows = self.db.query(sql, {"ids": _json(ids), "model_id": self.model_id})
        return {
            row["id"]: Item(
                id=row["id"],
                text=claim_of_review(row["claim_reviewed"]),
                vector=decode_vector(row["vector"]),
                language=row["language"],
                speaker=row["claimant"],
                is_fact_check=True,
            )
            for row in rows
        }

    def present(self, ids: Iterable[str]) -> set[str]:
        sql = (
            "select id from fact_checks where id in (select value from json_each(:ids))"
        )
        return {row["id"] for row in self.db.query(sql, {"ids": _json(ids)})}


# ---- in memory, for replays ----------------------------------------------------------


class ReplayIndex(HybridIndex):
    """Items held in memory, ranked exactly as the stored ones: for ``reembed``.

    BM25 uses the tokenizer of the database's FTS5 tables, so a replay ranks the
    candidates of each article as its ingest did.
    """

    def __init__(self, dimensions: int, embed: Embed | None = None) -> None:
        super().__init__(embed)
        self._vectors = VectorIndex(dimensions, approximate_threshold=None)
        self._words = BM25Index()
        self._items: dict[str, Item] = {}

    def __len__(self) -> int:
        return len(self._items)

    def add(self, items: Sequence[Item]) -> None:
        """Add items (ids already present are skipped)."""
        fresh = [item for item in items if item.id not in self._items]
        if not fresh:
            return
        self._vectors.add(
            [item.id for item in fresh], np.stack([item.vector for item in fresh])
        )
        self._words.add([item.id for item in fresh], [item.text for item in fresh])
        self._items.update((item.id, item) for item in fresh)

    def vector_hits(
        self, vectors: FloatArray, *, limit: int, exclude: Iterable[str] = ()
    ) -> list[Ranking]:
        return self._vectors.search(vectors, limit=limit, exclude=exclude)

    def lexical_hits(
        self, texts: Sequence[str], *, limit: int, exclude: Iterable[str] = ()
    ) -> list[Ranking]:
        excluded = set(exclude)
        rows = self._words.search(texts, limit=limit + len(excluded))
        return [[hit for hit in row if hit[0] not in excluded][:limit] for row in rows]

    def items(self, ids: Iterable[str]) -> dict[str, Item]:
        return {i: self._items[i] for i in ids if i in self._items}

    def present(self, ids: Iterable[str]) -> set[str]:
        return {i for i in ids if i in self._items}


def _rare_word_query(
    db: Database,
    table: str,
    column: str,
    *,
    memory: Callable[[], ClaimWords | None] | None = None,
) -> RareWordQuery:
    """Queries of a table's rarer words, their frequencies read from fts5vocab.

    The fts5vocab table is a temporary one (no schema change, and a read-only
    connection may create it): a view of the FTS5 index, nothing is copied.

    Args:
        memory: gives the table's words held in memory, when they are: the
            frequencies and rows then come from there (the same numbers).
    """
    vocabulary = f"claimtrack_{table}_terms"
    postings = _postings(db, table.removesuffix("_fts"), column)
    try:
        db.execute(
            f'create virtual table if not exists temp."{vocabulary}" '
            f'using fts5vocab(main, "{table}", col)'
        )
    except DATABASE_ERRORS:
        # A connection opened read-only (mode=ro, immutable) cannot create even a
        # temporary virtual table: count each word's matching rows instead.
        frequency = _matching_rows(db, table, column)
    else:
        frequency = vocabulary_frequency(db.execute, f'temp."{vocabulary}"', column)
    if memory is not None:
        frequency, postings = _held(memory, frequency, postings)
    return RareWordQuery(frequency, postings=postings)


def _held(
    memory: Callable[[], ClaimWords | None],
    frequency: DocumentFrequency,
    postings: BoundedPostings,
) -> tuple[DocumentFrequency, BoundedPostings]:
    """Frequencies and rows from the words in memory when held, else from FTS5."""

    def held_frequency(terms: Iterable[str]) -> dict[str, int]:
        words = memory()
        return frequency(terms) if words is None else words.frequency(terms)

    def held_postings(query: str, cap: int) -> RowArray:
        words = memory()
        # Queries are one quoted word (RareWordQuery).
        rows = None if words is None else words.postings(query.strip('"'), cap)
        return postings(query, cap) if rows is None else rows

    return held_frequency, held_postings


def _postings(db: Database, table: str, column: str) -> BoundedPostings:
    """Reads a word's rows of table (its first ``cap``, all for 0) in one string."""

    def postings(word: str, cap: int) -> IntArray:
        limit = f" limit {int(cap)}" if cap > 0 else ""
        sql = (
            f"select group_concat(rowid) from (select rowid from {table}_fts "
            f"where {table}_fts match ?{limit})"
        )
        (joined,) = db.execute(sql, (f"{column} : {word}",)).fetchone()
        return parse_row_ids(joined)

    return postings


def _matching_rows(db: Database, table: str, column: str) -> DocumentFrequency:
    """Document frequencies counted from FTS5 matches (slower than fts5vocab)."""
    sql = f"select count(*) from {table} where {table} match ?"

    def frequency(terms: Iterable[str]) -> dict[str, int]:
        return {
            term: int(db.execute(sql, (f'{column} : "{term}"',)).fetchone()[0])
            for term in terms
        }

    return frequency


def _fts_rankings(
    db: Database,
    table: str,
    column: str,
    texts: Sequence[str],
    query: RareWordQuery,
    limit: int,
    exclude: Iterable[str],
    *,
    numbers: str | None = None,
    memory: ClaimWords | None = None,
) -> list[Ranking]:
    """Rank the rows of table (searched in its ``<table>_fts`` column) for each text.

    Each kept word is its own unranked FTS5 query, read once for all the texts
    (the claims of one article share their names), its row ids joined by SQLite
    and parsed by NumPy; see claimtrack.lexical.rank_texts for the ranking.

    Args:
        numbers: the table of the rows' texts as term numbers, by ``claim_rowid``
            (claimtrack.claim_terms): a candidate's id and numbers are read from
            it alone, and BM25 need not tokenize; rows without one are read
            from table and tokenized.
        memory: the rows' words held in memory (claims only): the rows and term
            numbers come from there, brought up to date first.
    """
    excluded_ids = set(exclude)
    # The largest rowid stands for the number of rows (an index seek, where
    # count(*) reads the whole table); the IDF hardly moves with the difference.
    documents = int(db.execute(f"select max(rowid) from {table}").fetchone()[0] or 0)
    if documents == 0:  # nothing stored (no fact-checks yet): no query
        if query.average_length is None:
            # Sampled as before from the empty table. (So a process that starts
            # before its first fact-check keeps a mean length of 0 for BM25: noted
            # in benchmarks/README.md, left as it was.)
            query.sample([])
        return [[] for _ in texts]
    bounded = _postings(db, table, column)
    excluded_rows: set[int] = set()
    if memory is not None:
        memory.sync()
        excluded_rows = memory.row_ids(excluded_ids)

    def postings(word: str) -> RowArray:
        held = None if memory is None else memory.postings(word.strip('"'))
        return bounded(word, 0) if held is None else held  # 0: all of them

    id_of: dict[int, str] = {}
    # The rows read for earlier texts of this call (the claims of one article share
    # many candidates), read once: nothing is written while one call runs. A row
    # is its text, or its term numbers when the writer stored them.
    text_of: dict[int, str | bytes] = {}

    def read(rows: Sequence[int]) -> Mapping[int, str | bytes]:
        if memory is not None:
            return memory.numbered(rows, excluded_rows)
        wanted = [row for row in rows if row not in id_of]
        if wanted and numbers:
            found = db.execute(
                f"select claim_rowid, claim_id, numbers from {numbers} "
                "where claim_rowid in (select value from json_each(?))",
                (json.dumps(wanted),),
            ).fetchall()
            id_of.update((row[0], row[1]) for row in found)
            text_of.update((row[0], row[2]) for row in found)
            wanted = [row for row in wanted if row not in id_of]
        if wanted:
            found = db.execute(
                f"select rowid, id, {column} from {table} "
                "where rowid in (select value from json_each(?))",
                (json.dumps(wanted),),
            ).fetchall()
            id_of.update((row[0], row[1]) for row in found)
            text_of.update((row[0], row[2] or "") for row in found)
        return {
            row: text_of[row]
            for row in rows
            if row in text_of and id_of[row] not in excluded_ids
        }

    if query.average_length is None:
        # From the latest texts: the mean moves slowly, and reading all is slow.
        numbered = (
            f", {numbers}.numbers from {table} left join {numbers} "
            f"on {numbers}.claim_rowid = {table}.rowid"
            if numbers
            else f", null from {table}"
        )
        recent = db.execute(
            f"select {table}.{column}{numbered} "
            f"order by {table}.rowid desc limit {SAMPLE}"
        ).fetchall()
        query.sample([stored or text or "" for text, stored in recent])
    rankings = rank_texts(
        texts,
        query,
        postings,
        read,
        documents=documents,
        limit=limit,
        pool=max(RERANKED, limit + len(excluded_ids)),
    )
    if memory is not None:
        id_of = memory.claim_ids(rowid for ranked in rankings for rowid, _ in ranked)
    return [[(id_of[rowid], score) for rowid, score in ranked] for ranked in rankings]


def _has_table(db: Database, name: str) -> bool:
    sql = "select 1 from sqlite_master where type = 'table' and name = ?"
    return db.execute(sql, (name,)).fetchone() is not None


def _json(ids: Iterable[str]) -> str:
    return json.dumps(sorted(set(ids)))
