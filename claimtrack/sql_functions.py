"""claimtrack's SQL functions, put on any SQLite connection by register_functions.

The same functions serve Datasette (``prepare_connection`` of the plugin), sqlite-utils
(its ``prepare_connection`` plugin hook, entry point group ``sqlite_utils``, so
``sqlite-utils query claims.db "select claimtrack_search('...', 5)"`` works) and any
``sqlite3`` connection a researcher opens:

* ``claimtrack_search(text, k)``: the k stored claims closest to a text by the
  product's hybrid ranking (cosines fused with BM25, as ingest and ``claimtrack
  search`` rank), as JSON ``[[claim_id, score, cosine], ...]`` best first.
* ``claimtrack_similar(claim_id, k)``: the same for a stored claim (itself left out),
  without loading a model.
* ``claimtrack_nearest(vector, k[, model_id])``: the k stored claims whose vectors are
  nearest, as JSON ``[[claim_id, cosine], ...]``.
* ``claimtrack_nearest_fact_checks(text, k)``: the k stored fact-checks closest to a
  text, ranked as ingest ranks them, as JSON ``[[fact_check_id, score, cosine], ...]``.
* ``claimtrack_embed(text[, model_id])``: text embedded with the database's own model,
  as a vector BLOB; the model loads on the first call.
* ``claimtrack_similarity(a, b)``: cosine similarity of two vector BLOBs.
* ``claimtrack_query_text(text)``: what of a search text the embedder sees: its
  distinct sentences, cut to 400 characters (see ``query.py``).

Every search goes through :class:`claimtrack.index.ClaimIndex`, one in-memory index
per database file and model, shared by the process's connections. Read them with
``json_each``:

    select claims.text, json_extract(hit.value, '$[1]') as score
    from json_each(claimtrack_search('Russia prepares a nuclear strike', 10)) as hit
    join claims on claims.id = json_extract(hit.value, '$[0]')

No torch is imported here: models load on the first ``claimtrack_embed`` or
``claimtrack_search``.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Any

import numpy as np
from sqlite_utils import Database
from sqlite_utils.hookspecs import hookimpl

from claimtrack.index import ClaimIndex, FactCheckIndex, Hit
from claimtrack.publish.query_embedding import (
    ModelLoadingError,
    NoEmbeddingsError,
    UnknownModelError,
    check_not_loading,
    database_model_ids,
    embed_query,
)
from claimtrack.query import dense_query
from claimtrack.store import DATABASE_ERRORS, model_dimensions
from claimtrack.vectors import FloatArray, cosine_similarity, decode_vector

# The most hits one call returns, and the longest text searched or embedded: a
# longer one is refused with a clear SQL error instead of keeping a core busy.
MAX_K = 1000
MAX_TEXT_CHARS = 20_000


class SearchArgumentError(ValueError):
    """A claimtrack SQL function was called with arguments it cannot use."""


# How each function is called, for its error messages.
USAGE = {
    "claimtrack_search": "claimtrack_search('a claim in words', 10)",
    "claimtrack_similar": "claimtrack_similar(claims.id, 10)",
    "claimtrack_nearest": "claimtrack_nearest(embeddings.vector, 10)",
    "claimtrack_nearest_fact_checks": (
        "claimtrack_nearest_fact_checks('a claim in words', 5)"
    ),
    "claimtrack_embed": "claimtrack_embed('a claim in words')",
    "claimtrack_similarity": "claimtrack_similarity(a.vector, b.vector)",
    "claimtrack_query_text": "claimtrack_query_text('a search text')",
}
GENERIC_ERROR = "user-defined function raised exception"
# SQLite reports any exception of a Python function as GENERIC_ERROR, whatever it
# was: the message is kept here, per thread (the thread that runs the query), for
# whoever runs the query to show (see explain_error; Datasette: sql_errors.py).
_last_error = threading.local()


def _explained(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a SQL function so that what went wrong is kept for explain_error."""

    @wraps(function)
    def call(*args: Any) -> Any:
        try:
            return function(*args)
        except Exception as error:
            _last_error.message = _message(name, error)
            if _expected(error):
                # A wrong call, not a bug: one line on the console, not a traceback
                setattr(error, _CONSOLE_LINE, _last_error.message)
            raise

    return call


# Datasette (and the sqlite-utils CLI) turn on sqlite3's callback tracebacks, so an
# exception in a SQL function goes through sys.excepthook, which under "datasette
# serve" is Rich's, printing the frames with their locals: some sixty lines for a
# wrong argument, rendered on the SQL thread. A wrong call (the caller's mistake, the
# time limit) gets one line instead (none in Datasette, which logs the query's own
# line); any other exception still gets its traceback.
_CONSOLE_LINE = "_claimtrack_console_line"
_hook_lock = threading.Lock()


def _expected(error: Exception) -> bool:
    wrong_call = (SearchArgumentError, UnknownModelError, NoEmbeddingsError)
    if isinstance(error, (*wrong_call, ModelLoadingError)):  # or not ready yet
        return True
    return isinstance(error, DATABASE_ERRORS) and str(error) == "interrupted"


def _one_line_for_wrong_calls(previous: Callable[..., Any]) -> Callable[..., Any]:
    def excepthook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        line = getattr(value, _CONSOLE_LINE, None)
        if line is None:
            previous(kind, value, tb)
        elif not getattr(_last_error, "quiet", False):
            sys.stderr.write(f"SQL function error: {line}\n")

    setattr(excepthook, _CONSOLE_LINE, True)
    return excepthook


@contextmanager
def wrong_calls_unlogged() -> Iterator[None]:
    """In this thread, log nothing for a wrong call: the caller logs the query.

    Datasette prints one line for every failed query (the SQL and the error) and
    shows the visitor the explained message (publish/sql_errors.py).
    """
    _last_error.quiet = True
    try:
        yield
    finally:
        _last_error.quiet = False


def _install_excepthook() -> None:
    """Wrap sys.excepthook once (whatever it is then, e.g. Rich's)."""
    with _hook_lock:
        if not getattr(sys.excepthook, _CONSOLE_LINE, False):
            sys.excepthook = _one_line_for_wrong_calls(sys.excepthook)


def _message(name: str, error: Exception) -> str:
    if isinstance(error, (SearchArgumentError, UnknownModelError)):
        return f"{name}: {error}. Call it as: select {USAGE[name]}"
    if isinstance(error, DATABASE_ERRORS) and str(error) == "interrupted":
        # The function's own reads ran into the caller's time limit (Datasette's
        # sql_time_limit_ms): SQLite would report only the generic error.
        return (
            f"{name}: the query passed the time limit (a busy machine, or the "
            "model's first use); try again, or raise the time limit "
            "(datasette --setting sql_time_limit_ms 5000)"
        )
    return f"{name}: {error}"


def forget_error() -> None:
    """Forget this thread's kept error (call before running a query)."""
    _last_error.message = None


def explain_error(error: Exception) -> Exception:
    """Return error with the claimtrack function's own message, when it has one.

    ``sqlite3.OperationalError("user-defined function raised exception")`` becomes
    the same class with, e.g., "claimtrack_search: k must be a whole number from 1
    to 1000. Call it as: select claimtrack_search('a claim in words', 10)". Any
    other error comes back as it was.
    """
    message = getattr(_last_error, "message", None)
    forget_error()
    if message and str(error) == GENERIC_ERROR:
        return type(error)(message)
    return error


def claimtrack_similarity(a: bytes | None, b: bytes | None) -> float | None:
    """SQL: claimtrack_similarity(vector_a, vector_b): cosine similarity, or null."""
    if a is None or b is None:
        return None
    return cosine_similarity(_vector(a), _vector(b))


def claimtrack_query_text(text: str | None) -> str | None:
    """SQL: claimtrack_query_text(text): the part of a search text to embed, or null."""
    return None if text is None else dense_query(text)


class _ConnectionFunctions:
    """The functions that need the connection: its models and its claim index."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        # The functions live on the connection and hold it: a cycle that Python's
        # garbage collector, not reference counting, frees (as Datasette's own
        # functions do). pysqlite3 connections take no weak references.
        self.conn = conn
        self.db = Database(conn, execute_plugins=False)
        self._model_ids: list[str] = []
        self._fact_checks: dict[str, FactCheckIndex] = {}

    def model_id(self, asked: str | None = None) -> str:
        if not self._model_ids:
            self._model_ids.extend(database_model_ids(self.conn))
        if asked is None:
            return self._model_ids[0]
        if asked not in self._model_ids:
            # Only the database's own models: SQL from strangers must not make the
            # server load (or try to download) arbitrary models.
            raise UnknownModelError(f"No vectors in this database use {asked!r}")
        return asked

    def index(self, model_id: str) -> ClaimIndex:
        # Cheap: the vectors are shared by every connection to the file (index.py).
        return ClaimIndex(
            self.db,
            model_id,
            dimensions=model_dimensions(self.db, model_id),
            embed=partial_embed(model_id),
        )

    def _first_use(self, model_id: str, *, needs_model: bool) -> None:
        # Datasette's time limit is never lifted: a query that meets the model or
        # the index still loading in the background is refused at once (Datasette
        # loads them when it starts, see publish/datasette_plugin.py). Elsewhere
        # they load on first use, with no time limit to keep.
        check_not_loading(model_id)

    def embed(self, text: str | None, model_id: str | None = None) -> bytes | None:
        if text is None:
            return None
        _check_text(text)
        model = self.model_id(model_id)
        self._first_use(model, needs_model=True)
        return embed_query(text, model)

    def search(self, text: str | None, k: int) -> str | None:
        if text is None:
            return None
        _check_text(text)
        _check_k(k)
        model = self.model_id()
        self._first_use(model, needs_model=True)
        return _hits_json(self.index(model).similar(text, k=k))

    def similar(self, claim_id: str | None, k: int) -> str | None:
        if claim_id is None:
            return None
        _check_k(k)
        model = self.model_id()
        self._first_use(model, needs_model=False)
        return _hits_json(self.index(model).similar_by_id(claim_id, k=k))

    def nearest_fact_checks(self, text: str | None, k: int) -> str | None:
        """The k fact-checks closest to a text, as ``[[fact_check_id, score,
        cosine], ...]``, ranked as ingest ranks fact-check candidates."""
        if text is None:
            return None
        _check_text(text)
        _check_k(k)
        model = self.model_id()
        self._first_use(model, needs_model=True)
        if model not in self._fact_checks:  # kept: it reloads only what changed
            self._fact_checks[model] = FactCheckIndex(
                self.db, model, embed=partial_embed(model)
            )
        return _hits_json(self._fact_checks[model].similar(text, k=k))

    def nearest(
        self, vector: bytes | None, k: int, model_id: str | None = None
    ) -> str | None:
        if vector is None:
            return None
        _check_k(k)
        model = self.model_id(model_id)
        dimensions = model_dimensions(self.db, model)
        if dimensions is None:
            raise SearchArgumentError(f"No vectors in this database use {model!r}")
        query = _vector(vector)
        if len(query) != dimensions:
            raise SearchArgumentError(
                f"The vector has {len(query)} dimensions, {model} has {dimensions}"
            )
        self._first_use(model, needs_model=False)
        hits = self.index(model).similar_by_vector(query, k=k)
        return json.dumps([[hit.id, hit.similarity] for hit in hits])


def partial_embed(model_id: str) -> Callable[[Sequence[str]], FloatArray]:
    """Embed query texts with a model, through the process's query cache."""

    def embed(texts: Sequence[str]) -> FloatArray:
        rows = [decode_vector(embed_query(text, model_id)) for text in texts]
        return np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32)

    return embed


def _vector(blob: Any) -> FloatArray:
    """A vector BLOB's floats; a value that is not one is a SearchArgumentError."""
    if not isinstance(blob, bytes) or len(blob) % 4:
        raise SearchArgumentError(
            "A vector must be a float32 BLOB, such as embeddings.vector or "
            "claimtrack_embed('some text')"
        )
    return decode_vector(blob)


def _hits_json(hits: list[Hit]) -> str:
    return json.dumps([[hit.id, hit.score, hit.similarity] for hit in hits])


def _check_k(k: Any) -> None:
    if not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise SearchArgumentError(
            f"k must be a whole number from 1 to {MAX_K}, not {k!r}"
        )


def _check_text(text: Any) -> None:
    if not isinstance(text, str):
        raise SearchArgumentError("The search text must be text")
    if len(text) > MAX_TEXT_CHARS:
        raise SearchArgumentError(
            f"The search text has {len(text):,} characters; give at most "
            f"{MAX_TEXT_CHARS:,}"
        )


def register_functions(conn: sqlite3.Connection) -> None:
    """Put claimtrack's SQL functions on a connection (any database; see module doc).

    Example:
        >>> conn = sqlite3.connect("claims.db")
        >>> register_functions(conn)
        >>> conn.execute("select claimtrack_similar(:id, 5)", {"id": claim_id})
    """
    _install_excepthook()
    functions = _ConnectionFunctions(conn)
    table: list[tuple[str, int, Callable[..., Any], bool]] = [
        ("claimtrack_similarity", 2, claimtrack_similarity, True),
        ("claimtrack_query_text", 1, claimtrack_query_text, True),
        ("claimtrack_embed", 1, functions.embed, True),
        ("claimtrack_embed", 2, functions.embed, True),
        ("claimtrack_nearest", 2, functions.nearest, False),
        ("claimtrack_nearest", 3, functions.nearest, False),
        ("claimtrack_search", 2, functions.search, False),
        ("claimtrack_similar", 2, functions.similar, False),
        ("claimtrack_nearest_fact_checks", 2, functions.nearest_fact_checks, False),
    ]
    for name, arity, function, deterministic in table:
        conn.create_function(
            name, arity, _explained(name, function), deterministic=deterministic
        )


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """sqlite-utils plugin hook: every connection sqlite-utils opens gets them."""
    register_functions(conn)
