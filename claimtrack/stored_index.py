"""Keep a claim-vector index current with its database, and its HNSW graph on disk.

Past ``APPROXIMATE_THRESHOLD`` vectors, :class:`~claimtrack.vectors.VectorIndex`
builds a faiss HNSW graph, which takes minutes at a million claims on two cores. The
graph is only a cache of the ``embeddings`` table, so it is saved next to the database
(``claims.db-index-<model hash>.faiss`` plus a ``.json`` file with the claim ids in
graph order), and the next process reads it back and adds only the vectors stored
since.
Deleting those files is always safe: the next process rebuilds them.

Why beside the database rather than in it: a million-vector graph is about 1 GB, at
SQLite's default 1e9-byte limit for one BLOB, and rewriting it would grow the WAL by as
much at every save.

No torch here: the Datasette plugin imports this module.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from claimtrack.store import database_file, database_identity
from claimtrack.vectors import APPROXIMATE_THRESHOLD, HNSWIndex, VectorIndex

logger = logging.getLogger(__name__)

# (embeddings.id, claim_id, vector BLOB) rows stored after an embeddings.id, by id.
RowsSince = Callable[[int], Iterable[tuple[int, str, bytes]]]

# Vectors added to a graph since it was last saved before it is saved again. Adding
# 10,000 vectors to a million-vector graph takes about 2 s on two cores, writing the
# graph about as long, so a process that opens the database redoes at most that much.
SAVE_AFTER = 10_000
_FORMAT = 1


@dataclass(frozen=True)
class IndexFiles:
    """Where the graph of one model's vectors in one database is kept."""

    graph: Path
    ids: Path

    @classmethod
    def beside(cls, database: Path, model_id: str) -> IndexFiles:
        """The file names for a database file and a model id."""
        digest = hashlib.sha256(model_id.encode()).hexdigest()[:12]
        stem = f"{database.name}-index-{digest}"
        return cls(
            graph=database.with_name(f"{stem}.faiss"),
            ids=database.with_name(f"{stem}.json"),
        )


class StoredIndex:
    """The vectors of one model in one database, as a :class:`VectorIndex` kept current.

    Example:
        >>> stored = StoredIndex.for_database(db, "all-MiniLM-L6-v2", 384)
        >>> index = stored.refresh(store.claim_vectors_since)
        >>> index.search(query_vectors, limit=10)
    """

    def __init__(
        self,
        database: Path | None,
        model_id: str,
        dimensions: int,
        *,
        identity: str = "",
        save_after: int = SAVE_AFTER,
        approximate_threshold: int | None = APPROXIMATE_THRESHOLD,
    ) -> None:
        """Create an empty index; nothing is read until :meth:`refresh`.

        Args:
            database: the SQLite file (None for an in-memory database: never saved).
            model_id: the model whose vectors the index holds.
            dimensions: length of every vector.
            identity: the database's :func:`~claimtrack.store.database_identity`;
                a saved graph made for another identity is ignored. Within one
                database embeddings.id is AUTOINCREMENT, never reused, so the vectors
                a saved graph lacks are exactly those with a higher id.
            save_after: vectors added to an HNSW graph before it is saved again.
            approximate_threshold: size from which the index is an HNSW graph.
        """
        self.model_id = model_id
        self.identity = identity
        self.index = VectorIndex(
            dimensions, approximate_threshold=approximate_threshold
        )
        self.last_id = 0  # the highest embeddings.id in the index
        self.files = IndexFiles.beside(database, model_id) if database else None
        self.save_after = save_after
        self._saved_size = 0
        self._opened = False

    @classmethod
    def for_database(cls, db: Database, model_id: str, dimensions: int) -> StoredIndex:
        """An index for a model's vectors in a database."""
        return cls(
            database_file(db), model_id, dimensions, identity=database_identity(db)
        )

    def refresh(self, rows_since: RowsSince) -> VectorIndex:
        """Add the vectors stored since the last refresh, and return the index.

        The first refresh starts from the saved graph when it was made for this
        database and model, and a graph is saved whenever enough vectors were added
        since it was last saved.
        """
        if not self._opened:
            self._opened = True
            self._open_saved()
        self.index.add_blobs(self._follow(rows_since(self.last_id)))
        if (
            self.index.approximate
            and len(self.index) - self._saved_size >= self.save_after
        ):
            self.save()
        return self.index

    def _follow(
        self, rows: Iterable[tuple[int, str, bytes]]
    ) -> Iterator[tuple[str, bytes]]:
        for row_id, claim_id, blob in rows:
            self.last_id = row_id
            yield claim_id, blob

    def save(self) -> None:
        """Write the HNSW graph and its ids beside the database (atomic renames).

        A database in memory, an exact index (rebuilt in a second) or a folder that
        cannot be written is skipped: the graph is a cache, never needed.
        """
        graph = self.index.graph
        if self.files is None or graph is None:
            return
        suffix = f".{os.getpid()}.tmp"
        graph_tmp = self.files.graph.with_name(self.files.graph.name + suffix)
        ids_tmp = self.files.ids.with_name(self.files.ids.name + suffix)
        header = {
            "format": _FORMAT,
            "model_id": self.model_id,
            "dimensions": self.index.dimensions,
            "identity": self.identity,
            "last_id": self.last_id,
            "ids": self.index.ids,
        }
        try:
            graph.save(graph_tmp)
            ids_tmp.write_text(json.dumps(header))
            # A reader that finds a new graph with old ids (or the reverse) sees the
            # sizes differ and discards both.
            os.replace(graph_tmp, self.files.graph)
            os.replace(ids_tmp, self.files.ids)
        except (OSError, RuntimeError) as error:  # faiss reports I/O as RuntimeError
            logger.warning(
                "Could not save the vector index beside the database: %s", error
            )
            for tmp in (graph_tmp, ids_tmp):
                tmp.unlink(missing_ok=True)
            self.files = None  # do not retry (and warn) at every refresh
            return
        self._saved_size = len(self.index)
        logger.info(
            "Saved the vector index (%d vectors) to %s",
            len(self.index),
            self.files.graph,
        )

    def _open_saved(self) -> None:
        if self.files is None or not self.files.graph.exists():
            return
        try:
            header = json.loads(self.files.ids.read_text())
            graph = HNSWIndex.load(self.files.graph)
        except (OSError, ValueError, RuntimeError) as error:
            logger.warning("Ignoring the saved vector index: %s", error)
            return
        ids = header.get("ids", [])
        if not (
            header.get("format") == _FORMAT
            and header.get("model_id") == self.model_id
            and header.get("dimensions") == self.index.dimensions
            and graph.dimensions == self.index.dimensions
            and header.get("identity") == self.identity
            and len(ids) == len(graph)
        ):
            logger.warning(
                "Ignoring a saved vector index that no longer matches the database"
            )
            return
        self.index = VectorIndex.with_graph(ids, graph)
        self.last_id = int(header["last_id"])
        self._saved_size = len(self.index)
        logger.info("Loaded the saved vector index (%d vectors)", len(self.index))


def remove_saved_indexes(database: Path) -> None:
    """Delete every saved graph of a database, e.g. when its vectors are replaced."""
    for path in database.parent.glob(f"{database.name}-index-*"):
        path.unlink(missing_ok=True)
