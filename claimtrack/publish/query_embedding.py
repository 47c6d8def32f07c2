"""Embed search text inside SQL, with the model a database's vectors were made with.

Models stay loaded for the life of the process. In Datasette they load when the
server starts, in the background (:func:`warm_up`): a SQL function met while they
load answers "still loading" at once rather than hold the query past its time
limit. Elsewhere (sqlite-utils, a researcher's connection) they load on first use.
Nothing here imports torch at import time.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from claimtrack.errors import StoreError
from claimtrack.store import DATABASE_ERRORS
from claimtrack.vectors import encode_vector

if TYPE_CHECKING:
    from claimtrack.embed import Embedder

logger = logging.getLogger(__name__)
# Many queries repeat the same text (one call per row); cache the encoded vectors,
# keyed by a hash of the text (a query's text is never kept) and bounded in bytes.
QUERY_CACHE_BYTES = 8_000_000

_lock = threading.Lock()
_loaded = threading.Condition(_lock)  # notified when a background load ends
LOADING_WAIT_SECONDS = 0.4
_embedders: dict[str, Embedder] = {}
# Models a background warm-up is loading: SQL calls must not wait for them.
_loading: set[str] = set()
_cache: OrderedDict[bytes, bytes] = OrderedDict()
_cache_lock = threading.Lock()
_cache_bytes = 0


class ModelLoadingError(RuntimeError):
    """The model is loading in the background; the SQL call should be retried."""


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


def start_loading(model_id: str) -> bool:
    """Mark a model as loading in the background; False if loaded or loading."""
    with _lock:
        if model_id in _embedders or model_id in _loading:
            return False
        _loading.add(model_id)
        return True


def _load(model_id: str) -> Embedder:
    from claimtrack.plugins import get_embedder

    embedder = get_embedder(model_id)
    embedder.embed_all(["warm up"])  # the first call builds what the model caches
    return embedder


def check_not_loading(model_id: str) -> None:
    """Wait a moment for a model loading in the background, then refuse the call.

    The wait stays well inside Datasette's default time limit (1 s).

    Raises:
        ModelLoadingError: a warm-up thread is still loading the model.
    """
    with _loaded:
        _loaded.wait_for(lambda: model_id not in _loading, LOADING_WAIT_SECONDS)
        still_loading = model_id in _loading
    if still_loading:
        raise ModelLoadingError(
            "The search model is still loading (it started with the server); "
            "try again in a few seconds"
        )


def embed_query(text: str, model_id: str) -> bytes:
    """Return text embedded with model_id as a float32 BLOB, like embeddings.vector.

    Raises:
        ModelLoadingError: the model is loading in the background.
    """
    global _cache_bytes
    key = hashlib.sha256(f"{model_id}\x1f{text}".encode("utf-8", "replace")).digest()
    with _cache_lock:
        if (cached := _cache.get(key)) is not None:
            _cache.move_to_end(key)
            return cached
    check_not_loading(model_id)
    vector = encode_vector(embedder_for(model_id).embed_all([text])[0])
    with _cache_lock:
        if key not in _cache:
            _cache[key] = vector
            _cache_bytes += len(key) + len(vector)
        while _cache_bytes > QUERY_CACHE_BYTES and _cache:
            old_key, old_vector = _cache.popitem(last=False)
            _cache_bytes -= len(old_key) + len(old_vector)
    return vector


def cache_size_bytes() -> int:
    """The bytes the query cache holds: hashes and vectors, never query texts."""
    return _cache_bytes


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
        raise NoEmbeddingsError(
            "This database has no claim vectors to search: ingest articles first "
            "(claimtrack ingest DB FILES)"
        )
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


def warm_up(databases: Iterable[tuple[Path, bool]]) -> threading.Thread | None:
    """Load each database's model and claim index in a background thread.

    Args:
        databases: (file, mutable) of each database Datasette serves.

    Returns:
        The daemon thread (it never keeps the process alive), None if nothing loads.
    """
    jobs: list[tuple[Database, str]] = []
    for path, mutable in databases:
        try:
            db = _open_read_only(path, mutable=mutable)
            model_id = database_model_ids(db.conn)[0]
        except (NoEmbeddingsError, StoreError):
            continue
        except DATABASE_ERRORS:
            continue  # not a claimtrack database, or nothing to search yet
        if start_loading(model_id):
            jobs.append((db, model_id))
    if not jobs:
        return None
    thread = threading.Thread(
        target=_warm, args=(jobs,), name="claimtrack-warm-up", daemon=True
    )
    thread.start()
    return thread


def _warm(jobs: list[tuple[Database, str]]) -> None:
    from claimtrack.index import ClaimIndex

    for db, model_id in jobs:
        try:
            embedder = _load(model_id)
            with _lock:
                _embedders.setdefault(model_id, embedder)
            _ = ClaimIndex(db, model_id).vectors  # shared with every connection
        except Exception:  # a failed warm-up must not stop the server
            logger.exception("claimtrack: warming up %s failed", model_id)
        finally:
            with _loaded:
                _loading.discard(model_id)
                _loaded.notify_all()
            db.conn.close()


def _open_read_only(path: Path, *, mutable: bool) -> Database:
    from claimtrack.store import open_database

    uri = path.resolve().as_uri().replace("file://", "file:", 1)
    return open_database(f"{uri}?{'mode=ro' if mutable else 'immutable=1'}")
