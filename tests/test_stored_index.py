"""The claim-vector index kept current with its database, its graph saved beside."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest

from claimtrack.stored_index import IndexFiles, StoredIndex, remove_saved_indexes
from claimtrack.vectors import encode_vector, normalize

DIMENSIONS = 8
MODEL = "test/model"


class FakeTable:
    """Stands in for the embeddings table: (id, claim_id, vector BLOB) rows."""

    def __init__(self, count: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.vectors = normalize(
            rng.standard_normal((count, DIMENSIONS), dtype=np.float32)
        )
        self.rows = [
            (row + 1, f"c{row}", encode_vector(vector))
            for row, vector in enumerate(self.vectors)
        ]
        self.reads = 0

    def since(self, after_id: int) -> Iterable[tuple[int, str, bytes]]:
        new = [row for row in self.rows if row[0] > after_id]
        self.reads += len(new)
        return new

    def append(self, count: int, seed: int) -> None:
        extra = FakeTable(count, seed)
        first = self.rows[-1][0] + 1
        self.rows += [
            (first + row, f"c{first + row - 1}", blob)
            for row, (_, _, blob) in enumerate(extra.rows)
        ]
        self.vectors = np.concatenate([self.vectors, extra.vectors])


def stored(path: Path, identity: str = "db-1") -> StoredIndex:
    return StoredIndex(
        path,
        MODEL,
        DIMENSIONS,
        identity=identity,
        save_after=100,
        approximate_threshold=200,
    )


def top_ids(index: StoredIndex, table: FakeTable, limit: int = 5) -> list[str]:
    hits = index.index.search(table.vectors[:1], limit=limit)[0]
    return [claim_id for claim_id, _ in hits]


def test_a_large_index_is_saved_and_read_back(tmp_path: Path) -> None:
    database = tmp_path / "claims.db"
    table = FakeTable(300)
    first = stored(database)
    first.refresh(table.since)
    assert first.index.approximate
    files = IndexFiles.beside(database, MODEL)
    assert files.graph.exists() and files.ids.exists()

    table.reads = 0
    second = stored(database)
    second.refresh(table.since)
    assert table.reads == 0  # everything came from the saved graph
    assert len(second.index) == 300
    assert top_ids(second, table) == top_ids(first, table)
    assert top_ids(second, table)[0] == "c0"


def test_vectors_stored_after_the_save_are_added(tmp_path: Path) -> None:
    database = tmp_path / "claims.db"
    table = FakeTable(300)
    stored(database).refresh(table.since)
    table.append(50, seed=1)
    table.reads = 0
    later = stored(database)
    later.refresh(table.since)
    assert table.reads == 50
    assert len(later.index) == 350
    assert later.index.search(table.vectors[-1:], limit=1)[0][0][0] == "c349"


def test_a_small_index_is_not_saved(tmp_path: Path) -> None:
    database = tmp_path / "claims.db"
    stored(database).refresh(FakeTable(50).since)
    assert list(tmp_path.iterdir()) == []


def test_a_graph_of_another_database_is_ignored(tmp_path: Path) -> None:
    database = tmp_path / "claims.db"
    stored(database, identity="old file").refresh(FakeTable(300).since)
    table = FakeTable(250, seed=2)
    replaced = stored(database, identity="new file")
    replaced.refresh(table.since)
    assert table.reads == 250  # rebuilt from the table, not read from the old graph
    assert top_ids(replaced, table)[0] == "c0"


@pytest.mark.parametrize("damage", ["graph", "ids"])
def test_a_damaged_saved_index_is_rebuilt(tmp_path: Path, damage: str) -> None:
    database = tmp_path / "claims.db"
    table = FakeTable(300)
    stored(database).refresh(table.since)
    files = IndexFiles.beside(database, MODEL)
    getattr(files, damage).write_bytes(b"not an index")
    table.reads = 0
    rebuilt = stored(database)
    rebuilt.refresh(table.since)
    assert table.reads == 300
    assert top_ids(rebuilt, table)[0] == "c0"


def test_remove_saved_indexes_leaves_the_database(tmp_path: Path) -> None:
    database = tmp_path / "claims.db"
    database.write_bytes(b"")
    stored(database).refresh(FakeTable(300).since)
    remove_saved_indexes(database)
    assert [path.name for path in tmp_path.iterdir()] == ["claims.db"]


def test_an_unwritable_folder_only_skips_the_save(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = stored(tmp_path / "missing-folder" / "claims.db")
    table = FakeTable(300)
    index.refresh(table.since)
    assert index.index.approximate and len(index.index) == 300
    table.append(150, seed=3)
    index.refresh(table.since)
    assert len(index.index) == 450
    warnings = [r for r in caplog.records if "Could not save" in r.getMessage()]
    assert len(warnings) == 1  # tried once, not at every refresh
