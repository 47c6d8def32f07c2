"""claim_words: the writer's BM25 from words held in memory ranks as FTS5's does.

What is checked: the same rankings (ids and scores, compared whole) from the words
in memory as from FTS5 statements, on texts whose words FTS5 splits differently
(``plan_b``, ``l'arme``, accents, numbers); after new articles (appended, not read
again), after a changed article whose new claims reuse the row ids of its old ones,
after another connection deleted claims (read again); and the same links stored by
a writer holding the words as by one asking FTS5.
"""

from __future__ import annotations

import gc
import sqlite3
import weakref
from pathlib import Path

from sqlite_utils import Database

from claimtrack.claim_words import ClaimWords, _varint
from claimtrack.index import ClaimIndex
from claimtrack.models import Article
from claimtrack.store import ClaimStore
from claimtrack.testing import fake_tracker
from claimtrack.tracker import Tracker

ARTICLES = [
    "The minister said the cobalt mine will close in 2025. The union disagreed.",
    "Le ministre a déclaré que la mine de cobalt fermerait en 2025. Le syndicat "
    "conteste.",
    "Unemployment fell to 7.1% in March, the lowest in 40 years. Wages rose too.",
    "« L’arme nucléaire » n’est pas une option, a dit le président. Il a insisté.",
    "The plan_b of the ministry keeps the cobalt mine open until 2030. Costs rose.",
    "Die Straße zur Mine bleibt gesperrt, sagte der Minister. Er nannte 2025.",
    "Évêque et eveque: the bishop backed the miners in March. Unions cheered.",
]
QUERIES = [
    "cobalt mine closing in 2025",
    "la mine de cobalt fermera",
    "unemployment fell in March",
    "l'arme nucléaire option",
    "plan_b for the mine",
    "Straße Minister",
    "eveque bishop miners",
    "nothing here matches zzzq",
]
MODEL = "fake/bag-of-words"


def ingest(tracker: Tracker, texts: list[str], prefix: str = "a") -> None:
    for n, text in enumerate(texts):
        tracker.ingest(
            Article(id=f"{prefix}{n}", text=text, language="en", outlet=f"o{n}")
        )


def from_fts(db: Database) -> list[list[tuple[str, float]]]:
    """The rankings a fresh index gives through FTS5 statements."""
    return ClaimIndex(db, MODEL).lexical_hits(QUERIES, limit=10)


def held_index(db: Database) -> ClaimIndex:
    index = ClaimIndex(db, MODEL)
    assert index.hold_words_in_memory()
    return index


def test_words_in_memory_rank_as_fts5(tmp_path: Path) -> None:
    store = ClaimStore(tmp_path / "claims.db")
    ingest(fake_tracker(store), ARTICLES * 3)
    expected = from_fts(store.db)
    assert sum(map(len, expected)) > 20  # most queries find rows
    assert held_index(store.db).lexical_hits(QUERIES, limit=10) == expected
    # Excluded claims are left out the same way.
    some = {expected[0][0][0], expected[2][1][0]}
    fts = ClaimIndex(store.db, MODEL).lexical_hits(QUERIES, limit=5, exclude=some)
    held = held_index(store.db).lexical_hits(QUERIES, limit=5, exclude=some)
    assert held == fts


def twin_trackers(tmp_path: Path, monkeypatch) -> tuple[Tracker, Tracker]:
    """Two trackers on two databases: words in memory, and FTS5 statements."""
    held = fake_tracker(ClaimStore(tmp_path / "held.db"))
    fts = fake_tracker(ClaimStore(tmp_path / "fts.db"))
    original = ClaimIndex.hold_words_in_memory

    def only_the_first(index: ClaimIndex) -> bool:
        return original(index) if index is held.claim_index else False

    monkeypatch.setattr(ClaimIndex, "hold_words_in_memory", only_the_first)
    return held, fts


def same_everything(held: Tracker, fts: Tracker) -> None:
    """The same links stored, and the same rankings from both long-lived indexes."""
    sql = "select * from claim_links order by claim_id, earlier_claim_id"
    assert held.store.db.execute(sql).fetchall() == fts.store.db.execute(sql).fetchall()
    assert held.claim_index.lexical_hits(QUERIES, limit=10) == (
        fts.claim_index.lexical_hits(QUERIES, limit=10)
    )
    assert held.claim_index._memory is not None
    assert fts.claim_index._memory is None


def test_new_articles_are_appended_and_rank_as_fts5(
    tmp_path: Path, monkeypatch
) -> None:
    held, fts = twin_trackers(tmp_path, monkeypatch)
    for round_number in range(3):
        for tracker in (held, fts):
            ingest(tracker, ARTICLES, prefix=f"r{round_number}-")
        same_everything(held, fts)
    assert held.claim_index._memory.loads == 1  # type: ignore[union-attr]
    assert held.store.db.execute("select count(*) from claim_links").fetchone()[0] > 20


def test_a_writer_only_adding_claims_does_not_read_its_last_rows_again(
    tmp_path: Path, monkeypatch
) -> None:
    held, fts = twin_trackers(tmp_path, monkeypatch)
    checks: list[int] = []
    check = ClaimWords._last_rows_unchanged

    def counted(self: ClaimWords) -> bool:
        checks.append(1)
        return check(self)

    monkeypatch.setattr(ClaimWords, "_last_rows_unchanged", counted)
    for round_number in range(2):
        for tracker in (held, fts):
            ingest(tracker, ARTICLES, prefix=f"r{round_number}-")
    same_everything(held, fts)
    assert held.claim_index._memory.loads == 1  # type: ignore[union-attr]
    assert checks == []  # its own deletions are counted: there were none
    # A changed article deletes its old claims: the last rows are compared again.
    changed = ARTICLES[-1].replace("bishop", "cobalt")
    for tracker in (held, fts):
        tracker.ingest(Article(id="r1-6", text=changed, language="en", outlet="o6"))
        ingest(tracker, ARTICLES[:1], prefix="after-")
    same_everything(held, fts)
    assert checks


def test_a_changed_article_reusing_row_ids_is_read_again(
    tmp_path: Path, monkeypatch
) -> None:
    held, fts = twin_trackers(tmp_path, monkeypatch)
    for tracker in (held, fts):
        ingest(tracker, ARTICLES * 2)
    same_everything(held, fts)
    last = held.store.db.execute("select max(rowid) from claims").fetchone()[0]
    # The last article changes one word: deleted and stored again, its claims
    # get the row ids its old ones had.
    changed = ARTICLES[-1].replace("bishop", "cobalt")
    for tracker in (held, fts):
        tracker.ingest(Article(id="a13", text=changed, language="en", outlet="o6"))
        ingest(tracker, ARTICLES[:2], prefix="after-")
    assert held.store.db.execute("select max(rowid) from claims").fetchone()[0] > last
    same_everything(held, fts)
    assert held.claim_index._memory.loads == 2  # type: ignore[union-attr]


def test_claims_deleted_by_another_connection(tmp_path: Path, monkeypatch) -> None:
    held, fts = twin_trackers(tmp_path, monkeypatch)
    for tracker in (held, fts):
        ingest(tracker, ARTICLES * 2)
        other = ClaimStore(
            tracker.store.db.conn.execute("pragma database_list").fetchone()[2]
        )
        with other.write_transaction():
            other._delete_article("a2")
        ingest(tracker, ARTICLES[:3], prefix="after-")
    same_everything(held, fts)
    assert held.claim_index._memory.loads == 2  # type: ignore[union-attr]


def test_a_read_only_connection_ranks_the_same(tmp_path: Path) -> None:
    path = tmp_path / "claims.db"
    store = ClaimStore(path)
    ingest(fake_tracker(store), ARTICLES * 2)
    expected = from_fts(store.db)
    store.db.close()
    read_only = Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    index = ClaimIndex(read_only, MODEL)
    if index.hold_words_in_memory():  # this SQLite lets it create temp tables
        assert index.lexical_hits(QUERIES, limit=10) == expected
    assert from_fts(read_only) == expected


def test_varint_reads_fts5s_row_count() -> None:
    # FTS5's averages record of a million rows starts with these three bytes.
    assert _varint(b"\xbd\x84\x40\x8c") == 1_000_000
    assert _varint(b"\x05") == 5


def test_an_index_holding_words_is_freed_without_garbage_collection(
    tmp_path: Path,
) -> None:
    # A command ends by dropping its tracker: its connection must close then (and
    # checkpoint the WAL), not at some later garbage collection.
    store = ClaimStore(tmp_path / "claims.db")
    ingest(fake_tracker(store), ARTICLES[:2])
    index = held_index(store.db)
    index.lexical_hits(QUERIES[:1], limit=5)
    freed = weakref.ref(index)
    gc.disable()
    try:
        del index
        assert freed() is None
    finally:
        gc.enable()


def test_a_deletion_counter_rolled_back_with_a_failed_article_is_made_again(
    tmp_path: Path, monkeypatch
) -> None:
    held, fts = twin_trackers(tmp_path, monkeypatch)
    for tracker in (held, fts):
        ingest(tracker, ARTICLES)
    # A writer's first ranking happens inside an article's transaction: the
    # counter of its deletions and its trigger are made there, and a failed
    # article (a full disk) rolls them back with everything else. Their state
    # then, while the held words still count on them:
    held.store.db.execute('drop trigger temp."claimtrack_claim_deleted"')
    held.store.db.execute('drop table temp."claimtrack_claim_deletions"')
    for tracker in (held, fts):
        ingest(tracker, ARTICLES[:3], prefix="after-")
    same_everything(held, fts)
    assert held.store.db.execute(
        "select 1 from sqlite_temp_master where name = 'claimtrack_claim_deletions'"
    ).fetchall()  # made again
