"""Round 12's writer speed-ups change no value.

- ``RareWordQuery.prepare`` tokenizes an article's words in one round trip before
  :func:`claimtrack.lexical.rank_texts` ranks its claims: the rankings are the same
  as without it, with fewer statements on the tokenizer's table;
- ``ClaimStore._insert_rows`` / ``_upsert_rows`` (one prepared ``executemany``)
  store the same rows as sqlite-utils' ``insert_all`` / ``upsert_all`` did.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlite_utils import Database

from claimtrack import lexical
from claimtrack.lexical import BM25Index, RareWordQuery, Tokenizer
from claimtrack.store import ClaimStore

TEXTS = [
    "Russia is preparing to use nuclear weapons, the CIA said on Tuesday.",
    "The CIA detected Russian preparations to use nuclear weapons.",
    "Le chômage n'a jamais été aussi bas depuis 40 ans, selon l'Insee.",
    "Unemployment fell to 4.2% in March, its lowest level in 40 years.",
    "Blinken said Russia's reckless nuclear threats must stop.",
    "Les menaces nucléaires irresponsables de la Russie doivent cesser.",
    "Paris hosts the games; l'évêque d'Évry était là.",
    "Funding for the fund was approved by the funders in 2023.",
]
QUERIES = [
    "Did Russia prepare nuclear weapons, said the CIA?",
    "chômage le plus bas depuis 40 ans",
    "Blinken: reckless threats must stop (funding approved)",
    "l'évêque à Paris",
    "",
    "a",
]


def _index() -> BM25Index:
    index = BM25Index()
    index.add([f"t{n}" for n in range(len(TEXTS))], TEXTS)
    return index


def test_prepared_rankings_are_the_ones_without(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepared = _index().search(QUERIES, limit=5)
    monkeypatch.setattr(RareWordQuery, "prepare", lambda self, texts: None)
    plain = _index().search(QUERIES, limit=5)
    assert prepared == plain
    assert any(prepared)


def test_prepare_asks_the_tokenizer_once_for_new_words() -> None:
    tokenizer = Tokenizer()
    statements: list[str] = []
    tokenizer._connection.set_trace_callback(statements.append)
    query = RareWordQuery(lambda terms: dict.fromkeys(terms, 1), tokenizer)
    query.prepare(QUERIES)
    asked = len(statements)
    assert asked > 0
    for text in QUERIES:
        query.choose(text)
    assert len(statements) == asked  # every word (and term) already known
    plain = Tokenizer()
    for text in QUERIES:
        words = lexical.query_words(text)[: lexical.MAX_QUERY_TERMS]
        assert plain.terms(words) == tokenizer.terms(words)


ROWS: list[dict[str, Any]] = [
    {"id": "a", "n": 1, "x": 0.5, "tags": ["b", "é"], "meta": {"k": [1, 2]}},
    {"id": "b", "n": None, "blob": b"\x00\x01", "tags": ()},
    {"id": "c", "x": 2.0, "meta": None, "flag": True},
]
UPDATES: list[dict[str, Any]] = [
    {"id": "a", "n": 7, "tags": ["z"]},
    {"id": "d", "x": 9.5, "blob": b"\xff"},
]


def _stores() -> tuple[ClaimStore, Database]:
    schema = (
        "create table t (id text primary key, n integer, x float, tags text, "
        "meta text, blob blob, flag integer)"
    )
    ours = ClaimStore(":memory:")
    ours.db.execute(schema)
    theirs = Database(sqlite3.connect(":memory:"))
    theirs.execute(schema)
    return ours, theirs


def _rows(db: Database) -> list[tuple[Any, ...]]:
    return db.execute("select * from t order by id").fetchall()


def test_insert_rows_store_what_sqlite_utils_stored() -> None:
    ours, theirs = _stores()
    ours._insert_rows("t", ROWS)
    ours._insert_rows("t", [])
    theirs.table("t").insert_all(ROWS, pk="id")
    assert _rows(ours.db) == _rows(theirs)
    ours._upsert_rows("t", UPDATES, ("id",))
    ours._upsert_rows("t", [], ("id",))
    theirs.table("t").upsert_all(UPDATES, pk="id")
    assert _rows(ours.db) == _rows(theirs)
    assert len(_rows(theirs)) == 4


def test_insert_rows_refuses_a_repeated_key_as_sqlite_utils_did() -> None:
    ours, theirs = _stores()
    with pytest.raises(sqlite3.IntegrityError):
        theirs.table("t").insert_all([ROWS[0], ROWS[0]], pk="id")
    with pytest.raises(Exception, match="UNIQUE"):
        ours._insert_rows("t", [ROWS[0], ROWS[0]])
