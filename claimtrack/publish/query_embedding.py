"""Embed search text inside SQL, with the model a database's vectors were made with.

Models load on the first call and stay cached for the life of the process; nothing
here imports torch or loads a model at import time or when Datasette starts.
"""

from __future__ import annotations

import sqlite3
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from claimtrack.vectors import encode_vector

if TYPE_CHECKING:
    from claimtrack.embed import Embedder

# Many queries repeat the same text (one call per row); cache the encoded vectors.
QUERY_CACHE_SIZE = 1024

_lock = threading.Lock()
_embedders: dict[str, Embedder] = {}


class NoEmbeddingsError(LookupError):
    """The database holds no claim vectors, so it has no model to embed with."""


class UnknownModelError(LookupError):
    """The requested model made none of the database's vectors."""


def embedder_for(model_id: str) -> Embedder:
    """Return the embedder for model_id, loading it once per process."""
    with _lock:
        if model_id not in _embedders:
            from claimtrack.plugins import get_embedder

            _embedders[model_id] = get_embedder(model_id)
        return _embedders[model_id]


def is_loaded(model_id: str) -> bool:
    """Return whether the embedder for model_id is already loaded in this process."""
    return model_id in _embedders


@lru_cache(maxsize=QUERY_CACHE_SIZE)
def embed_query(text: str, model_id: str) -> bytes:
    """Return text embedded with model_id as a float32 BLOB, like embeddings.vector."""
    return encode_vector(embedder_for(model_id).embed_all([text])[0])


def database_model_ids(conn: sqlite3.Connection) -> list[str]:
    """Return the models of a database's vectors, the one of the newest claim first.

    Both lookups go through indexes: a scan of a million-row embeddings table takes
    longer than Datasette's time limit, and it runs inside the search query.

    Raises:
        NoEmbeddingsError: the database has no claim vectors.
    """
    newest = conn.execute(
        "select model_id from embeddings where claim_id is not null "
        "order by id desc limit 1"
    ).fetchone()
    if newest is None:
        raise NoEmbeddingsError("This database has no claim vectors to search.")
    # Distinct values by skipping along the model_id index, one lookup per model.
    distinct = conn.execute(
        """
        with recursive models(model_id) as (
            select min(model_id) from embeddings
            union all
            select (
                select min(model_id) from embeddings where model_id > models.model_id
            )
            from models where models.model_id is not null
        )
        select model_id from models where model_id is not null
        """
    ).fetchall()
    others = [str(row[0]) for row in distinct if row[0] != newest[0]]
    return [str(newest[0]), *others]
