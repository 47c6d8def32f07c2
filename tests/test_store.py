from pathlib import Path

import pytest
from sqlite_utils import Database

from claimtrack.errors import ModelMismatchError, SchemaError, StoreError
from claimtrack.store import DATABASE_ERRORS, ClaimStore

TABLES = {
    "articles",
    "claims",
    "tracked_claims",
    "claim_links",
    "fact_checks",
    "fact_check_links",
    "embeddings",
}


def test_new_store_has_every_table_even_empty_ones(store: ClaimStore):
    assert set(store.db.table_names()) >= TABLES
    assert {"claims_fts", "fact_checks_fts"} <= set(store.db.table_names())
    assert all(store.count(table) == 0 for table in TABLES)


def test_file_store_uses_wal_and_foreign_keys(db_path: Path):
    store = ClaimStore(db_path)
    assert store.db.journal_mode == "wal"
    assert store.db.execute("pragma foreign_keys").fetchone()[0] == 1
    with pytest.raises(DATABASE_ERRORS, match="FOREIGN KEY"):
        store.db.execute(
            "insert into claims (id, article_id, position, text) "
            "values ('c', 'missing', 0, 't')"
        )


def test_reopening_applies_no_migration_twice(db_path: Path):
    ClaimStore(db_path)
    store = ClaimStore(db_path)
    names = [row["name"] for row in store.db.table("_sqlite_migrations").rows]
    assert len(names) == len(set(names))


def test_database_from_newer_claimtrack_is_refused(db_path: Path):
    store = ClaimStore(db_path)
    store.db.table("_sqlite_migrations").insert(
        {"migration_set": "claimtrack", "name": "m999_future", "applied_at": "2030"}
    )
    with pytest.raises(SchemaError, match=r"newer claimtrack.*m999_future"):
        ClaimStore(db_path)


def test_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 50)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        ClaimStore(path)
    assert path.read_bytes() == before


def test_folder_as_database_is_refused(tmp_path: Path):
    with pytest.raises(StoreError, match="is a folder"):
        ClaimStore(tmp_path)


def test_store_refuses_a_second_embedding_model(store: ClaimStore):
    store.db.table("embeddings").insert(
        {
            "claim_id": None,
            "model_id": "model-a",
            "dimensions": 1,
            "vector": b"\0\0\0\0",
        }
    )
    store.check_model("model-a")
    with pytest.raises(ModelMismatchError, match="embedded with model-a, not model-b"):
        store.check_model("model-b")


def test_memory_store_accepts_database_object():
    store = ClaimStore(Database(memory=True))
    assert store.count("articles") == 0


def test_checkpoint_empties_the_write_ahead_log(db_path: Path):
    store = ClaimStore(db_path)
    store.db.table("articles").insert({"id": "a", "text": "t"})
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size > 0
    store.checkpoint()
    assert wal.stat().st_size == 0
    assert Database(db_path).table("articles").count == 1
