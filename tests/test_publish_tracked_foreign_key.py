"""m009: claims.tracked_claim_id is a foreign key, added to databases already full.

The tracked claim's row page then lists its mentions (Datasette follows the key),
and what a write commits must agree with it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette
from sqlite_utils import Database

from claimtrack.errors import StoreError
from claimtrack.migrations import _M009_COLUMN, _M009_REFERENCE
from claimtrack.models import Article
from claimtrack.publish.metadata import build_metadata
from claimtrack.store import ClaimStore
from claimtrack.testing import FakePairModel
from claimtrack.tracker import Tracker, reembed
from tests.publish_helpers import build_claims_db, undo_claims_migration

MIGRATION = "m009_tracked_claim_foreign_key"


def _as_before_m009(path: Path) -> None:
    """Undo m009 on a full database, as if an older claimtrack had written it."""
    undo_claims_migration(path, MIGRATION, _M009_REFERENCE, _M009_COLUMN)


def _counts(db: Database) -> dict[str, int]:
    tables = ("claims", "claim_links", "fact_check_links", "embeddings")
    return {table: db.table(table).count for table in tables}


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    path = build_claims_db(tmp_path / "claims.db")
    _as_before_m009(path)
    db = Database(path)
    assert not any(
        fk.column == "tracked_claim_id" for fk in db.table("claims").foreign_keys
    )
    assert (
        db.table("claim_links").count and db.table("embeddings").count
    )  # rows refer to claims
    db.close()
    return path


def test_m009_adds_the_key_to_a_full_database_and_keeps_everything(
    old_db: Path,
) -> None:
    before = _counts(Database(old_db))
    store = ClaimStore(old_db)  # opening applies the pending migration
    db = store.db
    assert any(
        fk.column == "tracked_claim_id" and fk.other_table == "tracked_claims"
        for fk in db.table("claims").foreign_keys
    )
    assert _counts(db) == before
    assert db.execute("pragma integrity_check").fetchall() == [("ok",)]
    # the full-text index and its triggers still follow the claims
    hits = "select count(*) from claims_fts where claims_fts match 'CIA'"
    assert db.execute(hits).fetchone()[0] == 2
    # The full-text triggers, and m012's of claim_terms.
    assert len(db.table("claims").triggers) == 5


def test_ingest_and_reembed_work_after_m009(old_db: Path) -> None:
    ClaimStore(old_db).db.close()
    tracker = Tracker(
        old_db, extractor="fake", embedder="fake", pair_model=FakePairModel()
    )
    article = Article(
        id="a5",
        text="The CIA has seen no sign that Russia is preparing a nuclear strike.",
        outlet="AFP",
        published="2024-05-01",
        language="en",
    )
    [result] = list(tracker.ingest_many([article]))
    assert result.status == "added"
    reembed(old_db, "fake", pair_model=FakePairModel())
    db = Database(old_db)
    assert db.execute("pragma foreign_key_check(claims)").fetchall() == []
    orphans = db.execute(
        "select count(*) from claims where tracked_claim_id is null"
    ).fetchone()[0]
    assert orphans == 0


def test_a_write_that_leaves_a_mention_without_its_tracked_claim_is_refused(
    old_db: Path,
) -> None:
    store = ClaimStore(old_db)
    refused = pytest.raises(StoreError, match="FOREIGN KEY")
    with refused, store.write_transaction():
        store.db.execute("update claims set tracked_claim_id = 'no-such-claim'")
    assert store.db.execute(
        "select count(*) from claims where tracked_claim_id = 'no-such-claim'"
    ).fetchone() == (0,)


@pytest.mark.asyncio
async def test_the_tracked_claim_row_page_lists_its_mentions(old_db: Path) -> None:
    ClaimStore(old_db).db.close()
    tracked_id = (
        Database(old_db)
        .execute("select id from tracked_claims order by mentions desc limit 1")
        .fetchone()[0]
    )
    datasette = Datasette(immutables=[str(old_db)], metadata=build_metadata("claims"))
    html = (await datasette.client.get(f"/claims/tracked_claims/{tracked_id}")).text
    assert f"/claims/claims?tracked_claim_id={tracked_id}" in html


def _file_state(path: Path) -> tuple[str, list[tuple[str, ...]], list[str]]:
    conn = sqlite3.connect(path)
    try:
        schema = conn.execute(
            "select sql from sqlite_master where type = 'table' and name = 'claims'"
        ).fetchone()[0]
        rows = conn.execute(
            "select id, article_id, tracked_claim_id from claims order by id"
        ).fetchall()
        applied = [r[0] for r in conn.execute("select name from _sqlite_migrations")]
    finally:
        conn.close()
    return schema, rows, applied


def test_an_upgrade_that_fails_its_check_leaves_the_database_untouched(
    old_db: Path,
) -> None:
    from click.testing import CliRunner

    from claimtrack.cli import cli

    # A claim whose article was deleted with foreign keys off: m009's
    # foreign_key_check(claims) finds it, and the upgrade must not half-happen.
    conn = sqlite3.connect(old_db)
    with conn:
        conn.execute("delete from articles where id = 'a3'")
    conn.close()
    before = _file_state(old_db)
    result = CliRunner().invoke(cli, ["claims", str(old_db)])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, RuntimeError), repr(result.exception)
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: ") and "a3" in line, line
    assert "restore" in line or "delete" in line or "fix" in line, line
    assert _file_state(old_db) == before
    assert MIGRATION not in before[2]
