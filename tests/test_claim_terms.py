"""claim_terms: the writer stores each claim's term numbers; BM25 reads them.

What is checked: the stored numbers are what tokenizing the text gives (so BM25 ranks
the same with or without them), they follow deletes and text changes, and m012
upgrades a database written before it, filling every claim, and can run again; so
does m012_claim_terms_by_rowid, on a database m012 wrote.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from claimtrack.claim_terms import fill_missing
from claimtrack.index import ClaimIndex
from claimtrack.lexical import BM25Index, Tokenizer, term_number
from claimtrack.migrations import m012_claim_terms, m012_claim_terms_by_rowid
from claimtrack.models import Article
from claimtrack.store import ClaimStore
from claimtrack.testing import fake_tracker
from claimtrack.tracker import Tracker

TEXTS = [
    "The minister said the cobalt mine will close in 2025.",
    "Le ministre a déclaré que la mine de cobalt fermerait en 2025.",
    "Unemployment fell to 7.1% in March, the lowest in 40 years.",
    "« L’arme nucléaire » n’est pas une option, a dit le président.",
    "The cobalt mine employs 1,200 people, the union said.",
]


def ingest(store: ClaimStore, texts: list[str] = TEXTS) -> Tracker:
    tracker = fake_tracker(store)
    for n, text in enumerate(texts):
        tracker.ingest(Article(id=f"a{n}", text=text, language="en", outlet=f"o{n}"))
    return tracker


def stored(db: Database) -> dict[str, bytes]:
    rows = db.execute("select claim_rowid, claim_id, numbers from claim_terms")
    rowid_of = dict(db.execute("select id, rowid from claims").fetchall())
    found = {}
    for rowid, claim_id, numbers in rows.fetchall():
        assert rowid_of[claim_id] == rowid  # keyed by the claim's rowid
        found[claim_id] = numbers
    return found


def test_the_writer_stores_what_tokenizing_the_text_gives(tmp_path: Path) -> None:
    store = ClaimStore(tmp_path / "claims.db")
    ingest(store)
    claims = {claim.id: claim.text for claim in store.claims()}
    numbers = stored(store.db)
    assert set(numbers) == set(claims)
    fresh = Tokenizer()
    for claim_id, text in claims.items():
        assert numbers[claim_id] == fresh.text_numbers([text])[0]
    # Readable without claimtrack: int64 term numbers, one a word.
    cobalt = next(i for i, text in claims.items() if "cobalt mine will" in text)
    words = np.frombuffer(numbers[cobalt], dtype="<i8").tolist()
    assert len(words) == 10 and words[4] == term_number("cobalt")


def test_rows_follow_deleted_claims_and_changed_texts(tmp_path: Path) -> None:
    store = ClaimStore(tmp_path / "claims.db")
    tracker = ingest(store)
    first = {c.id for c in store.claims() if c.article_id == "a0"}
    # A changed article is stored again whole: its old claims' rows go.
    tracker.ingest(Article(id="a0", text="Paris hosts the games.", language="en"))
    numbers = stored(store.db)
    assert not first & set(numbers)
    assert set(numbers) == {claim.id for claim in store.claims()}
    some = next(iter(numbers))
    with store.db.conn:
        store.db.execute("update claims set text = 'other' where id = ?", [some])
    assert some not in stored(store.db)  # tokenized again when read


def test_bm25_ranks_the_same_from_stored_numbers_and_from_texts(
    tmp_path: Path,
) -> None:
    store = ClaimStore(tmp_path / "claims.db")
    ingest(store, TEXTS * 3)
    queries = ["cobalt mine closing", "la mine de cobalt", "unemployment in March"]
    with_numbers = ClaimIndex(store.db, "fake/bag-of-words")
    read = with_numbers.lexical_hits(queries, limit=10)
    with store.db.conn:
        store.db.execute("delete from claim_terms")
    from_texts = ClaimIndex(store.db, "fake/bag-of-words")
    assert from_texts.lexical_hits(queries, limit=10) == read
    assert all(read)


def _as_before_m012(path: Path) -> None:
    """As an older claimtrack wrote it: no claim_terms, no triggers, no m012."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("drop trigger claim_terms_delete")
        conn.execute("drop trigger claim_terms_update")
        conn.execute("drop table claim_terms")
        conn.execute("delete from _sqlite_migrations where name like 'm012_%'")
    conn.close()


def test_m012_upgrades_an_older_database_and_runs_again(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    ingest(ClaimStore(path))
    _as_before_m012(path)
    store = ClaimStore(path)
    numbers = stored(store.db)
    assert set(numbers) == {claim.id for claim in store.claims()}
    fresh = Tokenizer()
    assert all(numbers[c.id] == fresh.text_numbers([c.text])[0] for c in store.claims())
    m012_claim_terms(store.db)  # idempotent: nothing left to fill
    m012_claim_terms_by_rowid(store.db)
    assert stored(store.db) == numbers
    assert fill_missing(store.db) == 0
    # The triggers of the rowid table follow the claims.
    with store.write_transaction():
        store._delete_article("a1")
    assert set(stored(store.db)) == {claim.id for claim in store.claims()}


def test_by_rowid_keeps_the_rows_m012_stored(tmp_path: Path) -> None:
    path = tmp_path / "m012.db"
    ingest(ClaimStore(path))
    _as_before_m012(path)
    db = Database(path)
    m012_claim_terms(db)  # the shape m012 shipped with: keyed by claim id
    (first,) = db.execute("select claim_id from claim_terms limit 1").fetchone()
    db.execute("update claim_terms set numbers = x'00' where claim_id = ?", [first])
    db.execute(
        "insert into _sqlite_migrations (migration_set, name, applied_at) "
        "values ('claimtrack', 'm012_claim_terms', '2026-12-01')"
    )
    db.conn.commit()
    db.close()
    store = ClaimStore(path)
    numbers = stored(store.db)
    assert numbers[first] == b"\x00"  # moved, not tokenized again
    assert set(numbers) == {claim.id for claim in store.claims()}


def test_the_stored_claims_rank_as_bm25_index_ranks_their_texts(
    tmp_path: Path,
) -> None:
    # What `claimtrack eval retrieval` measures (BM25Index, in memory) is what the
    # claim index gives from the database, stored numbers and all.
    store = ClaimStore(tmp_path / "claims.db")
    ingest(store, TEXTS * 2)
    claims = list(store.claims())
    memory = BM25Index()
    memory.add([c.id for c in claims], [c.text for c in claims])
    queries = ["cobalt mine closing", "la mine de cobalt", "nuclear weapon option"]
    stored_hits = ClaimIndex(store.db, "fake/bag-of-words").lexical_hits(
        queries, limit=10
    )
    assert stored_hits == memory.search(queries, limit=10)
    assert all(stored_hits)
