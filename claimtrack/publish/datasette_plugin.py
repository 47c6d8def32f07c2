"""Datasette plugin: search claims by meaning from SQL, and show a page per claim.

SQL functions (on every connection):

* ``claimtrack_nearest(vector, k[, model_id])``: the k stored claims nearest to a
  vector, as JSON ``[[claim_id, score], ...]`` (see ``nearest.py``).
* ``claimtrack_similarity(a, b)``: cosine similarity of two stored vectors.
* ``claimtrack_embed(text)``: text embedded with the database's own model, as a vector
  BLOB; ``claimtrack_embed(text, model_id)`` names the model. The model loads on the
  first call, never when Datasette starts.
* ``claimtrack_query_text(text)``: what of a search text to embed, as ``claimtrack
  search`` does: its distinct sentences, cut to 400 characters (see ``query.py``).
  ``semantic_search`` embeds ``claimtrack_query_text(:q)``, so a pasted post that
  repeats itself searches like its first sentences.

Pages (see routes.py; ``?database=`` picks the database when several are served):
``/-/claimtrack/claim/ID``, ``/-/claimtrack/tracked/ID``, ``/-/claimtrack/article/ID``
and ``/-/claimtrack/speaker/ID``. Every id in a table, view or canned query links to
its page (render_cell, see links.py). Uses only hooks that Datasette 0.65 and 1.0
share.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl

from claimtrack.publish import links
from claimtrack.publish.links import needs_rendering
from claimtrack.publish.nearest import nearest_function
from claimtrack.publish.query_embedding import (
    UnknownModelError,
    database_model_ids,
    embed_query,
    is_loaded,
)
from claimtrack.publish.routes import routes
from claimtrack.publish.table_defaults import (
    FOLD_DESCRIPTIONS_SCRIPT,
    default_columns_wrapper,
)
from claimtrack.query import dense_query
from claimtrack.vectors import cosine_similarity, decode_vector


def claimtrack_similarity(a: bytes | None, b: bytes | None) -> float | None:
    """SQL: claimtrack_similarity(vector_a, vector_b): cosine similarity, or null."""
    if a is None or b is None:
        return None
    return cosine_similarity(decode_vector(a), decode_vector(b))


def claimtrack_query_text(text: str | None) -> str | None:
    """SQL: claimtrack_query_text(text): the part of a search text to embed, or null."""
    return None if text is None else dense_query(text)


def _embed_function(conn: sqlite3.Connection) -> Any:
    """Make claimtrack_embed(text[, model_id]) for one connection."""
    model_ids: list[str] = []  # the database's models, looked up on first use

    def claimtrack_embed(text: str | None, model_id: str | None = None) -> bytes | None:
        if text is None:
            return None
        if not model_ids:
            model_ids.extend(database_model_ids(conn))
        if model_id is None:
            model_id = model_ids[0]
        elif model_id not in model_ids:
            # Only the database's own models: SQL from strangers must not make the
            # server load (or try to download) arbitrary models.
            raise UnknownModelError(f"No vectors in this database use {model_id!r}")
        if not is_loaded(model_id):
            # Loading a model takes seconds, longer than Datasette's query time
            # limit; lift the limit for this one query so the first search answers.
            conn.set_progress_handler(None, 0)
        return embed_query(text, model_id)

    return claimtrack_embed


@hookimpl  # type: ignore[untyped-decorator]
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function(
        "claimtrack_similarity", 2, claimtrack_similarity, deterministic=True
    )
    nearest = nearest_function(conn)
    conn.create_function("claimtrack_nearest", 2, nearest)
    conn.create_function("claimtrack_nearest", 3, nearest)
    conn.create_function(
        "claimtrack_query_text", 1, claimtrack_query_text, deterministic=True
    )
    embed = _embed_function(conn)
    conn.create_function("claimtrack_embed", 1, embed, deterministic=True)
    conn.create_function("claimtrack_embed", 2, embed, deterministic=True)


@hookimpl  # type: ignore[untyped-decorator]
def register_routes() -> list[tuple[str, Any]]:
    return list(routes())


@hookimpl  # type: ignore[untyped-decorator]
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Any:
    # Most cells need nothing: answer None at once instead of a coroutine per cell.
    if not needs_rendering(column, table):
        return None
    return links.render_cell(datasette, row, value, column, table, database)


@hookimpl  # type: ignore[untyped-decorator]
def asgi_wrapper(datasette: Any) -> Any:
    return default_columns_wrapper(datasette)


@hookimpl  # type: ignore[untyped-decorator]
def extra_body_script(template: str, database: str | None) -> str | None:
    if template == "table.html" and database:
        return FOLD_DESCRIPTIONS_SCRIPT
    return None
