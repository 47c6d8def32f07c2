"""The stored claims' words in memory, for a writer that ranks by BM25 for long.

BM25 candidates (:func:`claimtrack.lexical.rank_texts`) need, for each claim of an
article, the rows FTS5 finds for each of its words (to count them and to find the
rows) and the term numbers of ~300 candidate rows (to order them). Asked of SQLite,
that is one FTS5 statement per word not seen before and per kept word, and a read of
the candidates' ``claim_terms`` rows: ≈ 150 ms an article at a million stored claims
(benchmarks/README.md, "Writer and matcher speed, round 6"), most of the writer's
time. A writer is one long-lived process, so :class:`ClaimWords` holds the same
things in NumPy arrays, read once from the database:

- the **postings** of ``claims_fts``'s ``text`` column, term by term, read from
  FTS5's own index (fts5vocab ``instance``): the rows a one-term FTS5 query of the
  column returns, so the ranking is the one the SQL path gives
  (``tests/test_claim_words.py``); a query word of two terms (``plan_b``: a phrase
  for FTS5) still asks FTS5;
- each row's **claim id and term numbers**, from ``claim_terms`` (tokenized, as BM25
  does, for a row without one).

It follows the database: each use first checks ``PRAGMA data_version`` (another
connection wrote) and the connection's ``total_changes`` (this one wrote). Rows
added since (row ids past the last one read) are appended: their FTS5 terms come
from a private in-memory FTS5 table with the same tokenizer. Anything else (rows
deleted, row ids reused for other claims; checked by FTS5's row count and the
claim ids of the last :data:`_CHECKED_ROWS` rows) reads everything again. Reading
those last rows is skipped when only this connection wrote and deleted no claim
(a temporary trigger counts its deletions): a writer adding articles only adds rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlite_utils import Database

from claimtrack.claim_terms import TABLE as CLAIM_TERMS
from claimtrack.lexical import (
    DEFAULT_TOKENIZER,
    NUMBER_DTYPE,
    NUMBER_SIZE,
    NumberedRows,
    RowArray,
    Tokenizer,
    parse_row_ids,
)
from claimtrack.store import DATABASE_ERRORS

# The last rows whose claim ids are compared with the database on each change: a
# changed article is deleted and stored again, and when its rows were the last ones
# its new claims get the same row ids. Its claims have new ids (a claim id is the
# hash of its article and text); a deletion further back changes the row count.
_CHECKED_ROWS = 2_000
# The temporary table where a trigger counts this connection's deletions of claims.
_DELETIONS = 'temp."claimtrack_claim_deletions"'
# Rows read per statement while loading.
_LOAD_BATCH = 50_000
# Row ids held as int32: half the memory (26.6 million postings at a million
# claims); int64 once a row id passes it.
_LARGEST_INT32 = np.iinfo(np.int32).max


class ClaimWords:
    """Postings and term numbers of ``claims.text``, kept in memory.

    Args:
        db: the database; its connection must be able to create a temporary
            fts5vocab table (:meth:`usable`).
        tokenizer: turns query words into terms and new texts into numbers.
    """

    def __init__(self, db: Database, tokenizer: Tokenizer | None = None) -> None:
        self.db = db
        self.tokenizer = tokenizer or Tokenizer()
        self._postings: dict[str, RowArray] = {}
        self._row_type: type[np.signedinteger[Any]] = np.int32
        self._empty: RowArray = np.zeros(0, dtype=np.int32)
        self._added: dict[str, list[int]] = {}  # term -> rows appended since loading
        self._ids: list[str | None] = []  # by row id; None: no such row
        # By row id: a claim is held there. Like the arrays below it has room to
        # grow: its first len(self._ids) entries are in use.
        self._present = np.zeros(0, dtype=bool)
        # Row r's numbers are numbers[starts[r]:starts[r + 1]]; both arrays have
        # room to grow (rows are appended in row id order).
        self._starts = np.zeros(1, dtype=np.int64)
        self._numbers = np.zeros(0, dtype=np.int64)
        self._used = 0  # numbers in use
        self._rows = 0  # rows held (FTS5's row count when they were read)
        self._state: tuple[int, int] | None = None
        # This connection's deletions of claims, counted by a temporary trigger
        # (_watch_deletions); None when it could not be created.
        self._deletions: int | None = None
        self._private = _PrivateIndex()
        self.loads = 0  # full reads, for tests and benchmarks

    def usable(self) -> bool:
        """Whether FTS5's index can be read (a connection that cannot create a
        temporary table cannot)."""
        try:
            self._vocabulary()
        except DATABASE_ERRORS:
            return False
        return True

    @property
    def _last(self) -> int:
        """The largest row id held (0: none)."""
        return max(len(self._ids) - 1, 0)

    # ---- what the ranking asks -------------------------------------------------

    def postings(self, word: str, cap: int = 0) -> RowArray | None:
        """The first ``cap`` rows (all for 0) holding a word, as FTS5 returns them.

        None when the word is not one term (FTS5 reads it as a phrase): ask FTS5.
        """
        terms = self.tokenizer.terms([word])[word]
        if len(terms) != 1:
            return None
        rows = self._rows_of(terms[0])
        return rows[:cap] if cap > 0 else rows

    def frequency(self, terms: Iterable[str]) -> dict[str, int]:
        """Rows holding each term in the text column (fts5vocab ``col``'s ``doc``)."""
        return {term: len(self._rows_of(term)) for term in terms}

    def claim_id(self, row: int) -> str | None:
        """The id of the claim at a row id, None when there is none."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def claim_ids(self, rows: Iterable[int]) -> dict[int, str]:
        """{row id: claim id} of rows ("" for a row id that holds no claim)."""
        ids, size = self._ids, len(self._ids)
        return {row: (ids[row] or "") if 0 <= row < size else "" for row in rows}

    def numbered(self, rows: Sequence[int], exclude: set[int]) -> NumberedRows:
        """The numbers of the held rows among rows, the row ids in exclude left out."""
        at = np.asarray(rows, dtype=np.int64)
        at = at[(at >= 0) & (at < len(self._ids))]
        kept = at[self._present[at]].tolist()
        if exclude:
            kept = [row for row in kept if row not in exclude]
        return NumberedRows(kept, self._starts, self._numbers)

    def row_ids(self, claim_ids: Iterable[str]) -> set[int]:
        """The row ids of the claims among claim_ids that are held."""
        wanted = set(claim_ids)
        if not wanted:
            return set()
        found = self.db.execute(
            "select rowid, id from claims where id in (select value from json_each(?))",
            (json.dumps(sorted(wanted)),),
        ).fetchall()
        return {row for row, claim_id in found if self.claim_id(row) == claim_id}

    def _rows_of(self, term: str) -> RowArray:
        rows = self._postings.get(term, self._empty)
        added = self._added.pop(term, None)
        if added:
            rows = np.concatenate([rows, np.array(added, dtype=self._row_type)])
            self._postings[term] = rows
        return rows  # int32: rank_matches makes them int64

    # ---- following the database --------------------------------------------------

    def sync(self) -> None:
        """Bring the held rows up to date with the database (see the module doc)."""
        state = (
            int(self.db.execute("pragma data_version").fetchone()[0]),
            self.db.conn.total_changes,
        )
        if state == self._state:
            return
        in_transaction = self.db.conn.in_transaction
        if not in_transaction:
            self.db.execute("begin")  # one snapshot for every read below
        try:
            # Read once a sync: reading the rows changes no claim.
            deleted = self._deleted()
            if self._state is None:
                self._load()
            else:
                # Only this connection wrote, and it deleted no claim: rows were
                # only added, no row id can have been reused, and the last rows
                # need not be read again (≈ 8 ms an article in a writer).
                only_added = (
                    state[0] == self._state[0]
                    and self._deletions is not None
                    and self._deletions == deleted
                )
                if not self._append(check_last=not only_added):
                    self._load()
        finally:
            if not in_transaction:
                self.db.conn.commit()
        self._deletions = deleted
        self._state = (state[0], self.db.conn.total_changes)

    def _append(self, *, check_last: bool = True) -> bool:
        """Add the rows stored after the last one held; False if others changed.

        Args:
            check_last: compare the claim ids of the last rows held with the
                database's (rows deleted and their row ids reused).
        """
        if check_last and not self._last_rows_unchanged():
            return False
        fresh = self._read_rows(self._last, limit=-1)
        if fresh and fresh[-1][0] > _LARGEST_INT32 >= self._last:
            return False  # read again, as int64
        if _fts_rows(self.db) != self._rows + len(fresh):
            return False
        if fresh:
            for term, row_id in self._private.terms([(r[0], r[2]) for r in fresh]):
                self._added.setdefault(term, []).append(row_id)
            self._hold(fresh)
            self._rows += len(fresh)
        return True

    def _last_rows_unchanged(self) -> bool:
        """Whether the last rows held still hold the same claims."""
        first = max(self._last - _CHECKED_ROWS, 0)
        held = self.db.execute(
            "select rowid, id from claims where rowid > ? and rowid <= ? "
            "order by rowid",
            (first, self._last),
        ).fetchall()
        expected = [
            (row, claim_id)
            for row, claim_id in enumerate(
                self._ids[first + 1 : self._last + 1], start=first + 1
            )
            if claim_id is not None
        ]
        return held == expected

    def _deleted(self) -> int | None:
        """Claims this connection deleted since the trigger was created."""
        if self._deletions is None and not self._watch_deletions():
            return None
        # None when the trigger is gone (dropped with the table it watched), or
        # the counter and its trigger both are (rolled back with the transaction
        # of an article that failed, a full disk say): made again next time.
        try:
            found = self.db.execute(
                f"select count from {_DELETIONS} where id = 1 and exists (select 1 "
                "from sqlite_temp_master where name = 'claimtrack_claim_deleted')"
            ).fetchone()
        except DATABASE_ERRORS:
            return None
        return int(found[0]) if found else None

    def _watch_deletions(self) -> bool:
        """Count this connection's deletions of claims in a temporary table.

        Temporary: other connections never see the trigger, and their writes
        change ``PRAGMA data_version`` instead, after which the last rows are read.
        """
        try:
            self.db.execute(
                f"create table if not exists {_DELETIONS} "
                "(id integer primary key, count integer not null)"
            )
            self.db.execute(
                f"insert or ignore into {_DELETIONS} (id, count) values (1, 0)"
            )
            self.db.execute(
                'create temp trigger if not exists "claimtrack_claim_deleted" '
                # (A trigger's statements name their table unqualified.)
                "after delete on main.claims begin "
                "update claimtrack_claim_deletions set count = count + 1 "
                "where id = 1; end"
            )
        except DATABASE_ERRORS:
            return False
        return True

    def _load(self) -> None:
        """Read every row's postings and numbers (seconds at a million claims)."""
        self.loads += 1
        self._rows = _fts_rows(self.db)
        self._postings, self._added = {}, {}
        last = int(self.db.execute("select max(rowid) from claims").fetchone()[0] or 0)
        self._row_type = np.int32 if last <= _LARGEST_INT32 else np.int64
        self._empty = np.zeros(0, dtype=self._row_type)
        for term, joined in self.db.execute(
            f"select term, group_concat(doc) from {self._vocabulary()} "
            "where col = 'text' group by term"
        ):
            rows = parse_row_ids(joined)
            # A term twice in a row is listed twice, in row order.
            if len(rows) > 1:
                rows = rows[np.concatenate([[True], rows[1:] != rows[:-1]])]
            self._postings[term] = rows.astype(self._row_type)
        self._ids, self._used = [], 0
        self._starts = np.zeros(1, dtype=np.int64)
        self._present = np.zeros(0, dtype=bool)
        after = -1
        while batch := self._read_rows(after, limit=_LOAD_BATCH):
            self._hold(batch)
            after = batch[-1][0]

    def _read_rows(
        self, after: int, *, limit: int
    ) -> list[tuple[int, str, str, bytes | None]]:
        """(row id, claim id, text, stored numbers or None) of rows after a row id."""
        return [
            (row, claim_id, text or "", numbers)
            for row, claim_id, text, numbers in self.db.execute(
                f"select claims.rowid, claims.id, claims.text, {CLAIM_TERMS}.numbers "
                f"from claims left join {CLAIM_TERMS} "
                f"on {CLAIM_TERMS}.claim_rowid = claims.rowid "
                "where claims.rowid > ? order by claims.rowid limit ?",
                (after, limit),
            )
        ]

    def _hold(self, rows: Sequence[tuple[int, str, str, bytes | None]]) -> None:
        """Hold the ids and numbers of rows past the last one held, in row order."""
        tokenized = iter(
            self.tokenizer.text_numbers([r[2] for r in rows if r[3] is None])
        )
        blobs = [r[3] if r[3] is not None else next(tokenized) for r in rows]
        numbers = np.frombuffer(b"".join(blobs), dtype=NUMBER_DTYPE)
        base, top = len(self._ids), rows[-1][0]
        self._ids.extend([None] * (top + 1 - base))
        lengths = np.zeros(top + 1 - base, dtype=np.int64)
        for (row, claim_id, _, _), blob in zip(rows, blobs, strict=True):
            self._ids[row] = claim_id
            lengths[row - base] = len(blob) // NUMBER_SIZE
        # Copying the arrays whole at each article cost ≈ 10 MB of copies at a
        # million claims; they grow by an eighth when full, as the numbers do.
        self._present = _with_room(self._present, top + 1)
        self._present[[row for row, *_ in rows]] = True
        self._starts = _with_room(self._starts, top + 2)
        self._starts[base + 1 : top + 2] = self._used + np.cumsum(lengths)
        if self._used + len(numbers) > len(self._numbers):
            # An eighth more: a writer appends an article at a time, and doubling
            # would hold up to 200 MB unused at a million claims.
            needed = self._used + len(numbers)
            grown = np.zeros(needed + max(len(numbers), needed // 8), dtype=np.int64)
            grown[: self._used] = self._numbers[: self._used]
            self._numbers = grown
        self._numbers[self._used : self._used + len(numbers)] = numbers
        self._used += len(numbers)

    def _vocabulary(self) -> str:
        name = 'temp."claimtrack_claims_fts_instances"'
        self.db.execute(
            f"create virtual table if not exists {name} "
            'using fts5vocab(main, "claims_fts", instance)'
        )
        return name


class _PrivateIndex:
    """A private in-memory FTS5 table: the terms FTS5 indexes for new texts."""

    def __init__(self, tokenizer: str = DEFAULT_TOKENIZER) -> None:
        self._connection = sqlite3.connect(":memory:", check_same_thread=False)
        self._connection.execute(
            f"create virtual table texts using fts5(text, tokenize = '{tokenizer}')"
        )
        self._connection.execute(
            "create virtual table text_terms using fts5vocab(texts, instance)"
        )

    def terms(self, rows: Sequence[tuple[int, str]]) -> list[tuple[str, int]]:
        """(term, row id) of each distinct term of each text, by term then row."""
        with self._connection:
            self._connection.executemany(
                "insert into texts (rowid, text) values (?, ?)", rows
            )
            found = self._connection.execute(
                "select distinct term, doc from text_terms order by term, doc"
            ).fetchall()
            self._connection.execute("delete from texts")
        return [(term, int(doc)) for term, doc in found]


def _with_room(array: npt.NDArray[Any], size: int) -> npt.NDArray[Any]:
    """array, or a copy with zeros past it, holding at least size entries."""
    if len(array) >= size:
        return array
    grown = np.zeros(size + max(size // 8, 1024), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


def _fts_rows(db: Database) -> int:
    """The rows of ``claims_fts``, from its averages record (no scan)."""
    found = db.execute("select block from claims_fts_data where id = 1").fetchone()
    return _varint(found[0]) if found and found[0] else 0


def _varint(blob: bytes) -> int:
    """The first SQLite varint of blob (FTS5's averages record starts with rows)."""
    value = 0
    for position, byte in enumerate(blob[:9]):
        if position == 8:
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value
    return value
