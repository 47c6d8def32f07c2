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

Route: ``/-/claimtrack/claim/{claim_id}`` (``?database=`` picks the database when
several are served) shows a claim in context. Uses only hooks that Datasette 0.65 and
1.0 share.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from importlib.resources import files
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from claimtrack.publish.claim_page import claim_context
from claimtrack.publish.nearest import nearest_function
from claimtrack.publish.query_embedding import (
    UnknownModelError,
    database_model_ids,
    embed_query,
    is_loaded,
)
from claimtrack.query import dense_query
from claimtrack.vectors import cosine_similarity, decode_vector

CLAIM_ROUTE = r"^/-/claimtrack/claim/(?P<claim_id>[^/]+)$"
CLAIM_TEMPLATE = "claimtrack_claim.html"


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


@cache
def _template_source() -> str:
    return (files("claimtrack.publish") / "templates" / CLAIM_TEMPLATE).read_text()


async def _claims_database(datasette: Any, name: str | None) -> Any:
    """Return the database named name, or the first served one with a claims table."""
    if name:
        try:
            return datasette.get_database(name)
        except KeyError as error:
            raise NotFound(f"Database not found: {name}") from error
    for database in datasette.databases.values():
        if database.name != "_internal" and await database.table_exists("claims"):
            return database
    raise NotFound("No claimtrack database is being served")


async def claim_page(datasette: Any, request: Any) -> Response:
    """Show one claim: sentence with the span highlighted, timeline, links, verdicts."""
    database = await _claims_database(datasette, request.args.get("database"))
    claim_id = request.url_vars["claim_id"]
    context = await claim_context(database, claim_id)
    if context is None:
        raise NotFound(f"Claim not found: {claim_id}")
    template = datasette.jinja_env.from_string(_template_source())
    context["database"] = database.name
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html)


@hookimpl  # type: ignore[untyped-decorator]
def register_routes() -> list[tuple[str, Any]]:
    return [(CLAIM_ROUTE, claim_page)]
