"""SQL: claimtrack_nearest(vector, k): the k stored claims closest to a vector.

Comparing the query with every row in SQL costs one Python call per row, about 0.7 s
at 100,000 claims, so past that Datasette's time limit stops the query. This function
searches instead the same in-memory index that ingest uses (exact NumPy up to 100,000
vectors, the HNSW graph saved beside the database past that), one per database file
and model, shared by every connection and kept current with what other processes
store. It returns JSON, ``[[claim_id, score], ...]`` best first, for ``json_each``:

    select claims.text, json_extract(hit.value, '$[1]') as score
    from json_each(claimtrack_nearest(claimtrack_embed('...'), 10)) as hit
    join claims on claims.id = json_extract(hit.value, '$[0]')
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlite_utils import Database

from claimtrack.publish.query_embedding import database_model_ids
from claimtrack.store import (
    claim_vectors_since,
    database_file,
    database_identity,
    model_dimensions,
    stored_claim_ids,
)
from claimtrack.stored_index import StoredIndex
from claimtrack.vectors import decode_vector, normalize

MAX_NEAREST = 1000
# Claims of a re-ingested article stay in the index until it is rebuilt; ask the index
# for a few more hits than wanted and drop those no longer stored.
_SPARE_HITS = 10

_lock = threading.Lock()
_indexes: dict[tuple[Path | None, str, str], tuple[StoredIndex, threading.Lock]] = {}


class NearestError(ValueError):
    """claimtrack_nearest was called with arguments it cannot use."""


def _stored_index(
    db: Database, model_id: str, dimensions: int
) -> tuple[StoredIndex, threading.Lock]:
    key = (database_file(db), database_identity(db), model_id)
    with _lock:
        if key not in _indexes:
            stored = StoredIndex(key[0], model_id, dimensions, identity=key[1])
            _indexes[key] = (stored, threading.Lock())
        return _indexes[key]


def nearest_function(conn: sqlite3.Connection) -> Callable[..., str | None]:
    """Make claimtrack_nearest(vector, k[, model_id]) for one connection."""
    db = Database(conn)
    model_ids: list[str] = []  # the database's models, looked up on first use

    def claimtrack_nearest(
        vector: bytes | None, k: int, model_id: str | None = None
    ) -> str | None:
        if vector is None:
            return None
        if not isinstance(k, int) or not 1 <= k <= MAX_NEAREST:
            raise NearestError(f"k must be a whole number from 1 to {MAX_NEAREST}")
        if model_id is None:
            if not model_ids:
                model_ids.extend(database_model_ids(conn))
            model_id = model_ids[0]
        dimensions = model_dimensions(db, model_id)
        if dimensions is None:
            raise NearestError(f"No vectors in this database use {model_id!r}")
        query = decode_vector(vector)
        if len(query) != dimensions:
            raise NearestError(
                f"The vector has {len(query)} dimensions, {model_id} has {dimensions}"
            )
        stored, index_lock = _stored_index(db, model_id, dimensions)
        with index_lock:
            if stored.last_id == 0:
                # Reading a large index (or building its graph) takes longer than
                # Datasette's time limit; lift it for this first query only.
                conn.set_progress_handler(None, 0)
            index = stored.refresh(partial(claim_vectors_since, db, model_id))
            hits = index.search(normalize(query), limit=k + _SPARE_HITS)[0]
        present = stored_claim_ids(db, [claim_id for claim_id, _ in hits])
        found = [[i, round(score, 4)] for i, score in hits if i in present][:k]
        return json.dumps(found)

    return claimtrack_nearest
