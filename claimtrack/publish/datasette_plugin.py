"""Datasette plugin: search claims by meaning from SQL, and show a page per claim.

SQL functions (on every connection): ``claimtrack_search``, ``claimtrack_similar``,
``claimtrack_nearest``, ``claimtrack_embed``, ``claimtrack_similarity`` and
``claimtrack_query_text``, put there by
:func:`claimtrack.sql_functions.register_functions` (the same functions sqlite-utils
gets through its plugin hook). ``semantic_search``
ranks with ``claimtrack_search(:q, 10)``: the hybrid ranking that ingest and
``claimtrack search`` use.

Pages (see routes.py; ``?database=`` picks the database when several are served):
``/-/claimtrack/claim/ID``, ``/-/claimtrack/tracked/ID``, ``/-/claimtrack/article/ID``
and ``/-/claimtrack/speaker/ID``. Every id in a table, view or canned query links to
its page (render_cell, see links.py). Uses only hooks that Datasette 0.65 and 1.0
share.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from datasette import hookimpl

from claimtrack.publish import links
from claimtrack.publish.links import needs_rendering
from claimtrack.publish.query_embedding import warm_up
from claimtrack.publish.review_page import review_routes
from claimtrack.publish.routes import routes
from claimtrack.publish.schema_cache import cache_schema, cache_table_permissions
from claimtrack.publish.sql_errors import explain_sql_errors
from claimtrack.publish.table_defaults import (
    FOLD_DESCRIPTIONS_SCRIPT,
    default_columns_wrapper,
)
from claimtrack.sql_functions import (
    claimtrack_query_text,
    claimtrack_similarity,
    register_functions,
)

__all__ = ["claimtrack_query_text", "claimtrack_similarity", "prepare_connection"]


@hookimpl  # type: ignore[untyped-decorator]
def prepare_connection(conn: sqlite3.Connection) -> None:
    register_functions(conn)


def _quiet_error_pages() -> None:
    """Stop Datasette 0.65 printing a rich traceback, locals and all, per error.

    Its default handle_exception does so for every error, a 400 "query took too
    long" included, on the event loop: tens of milliseconds of rendering per page
    (seconds on a loaded machine), which a visitor repeating a slow query turns
    into a stalled server that also ignores SIGTERM. Errors still get their
    page; a 500 still prints its plain traceback.
    """
    import datasette.handle_exception

    datasette.handle_exception.rich = None


@hookimpl  # type: ignore[untyped-decorator]
def startup(datasette: Any) -> None:
    """Load the search model and claim index in the background as the server starts,
    and make SQL function errors say what was wrong (sql_errors.py).

    The first semantic search then need not wait, and no SQL function ever has to
    outlast Datasette's time limit (it answers "still loading" meanwhile). An
    immutable database answers schema questions from memory (schema_cache.py).
    """
    _quiet_error_pages()
    for database in datasette.databases.values():
        explain_sql_errors(database)
        cache_schema(database)
    cache_table_permissions(datasette)
    warm_up(
        (Path(database.path), bool(database.is_mutable))
        for name, database in datasette.databases.items()
        if database.path and name != "_internal"
    )


@hookimpl  # type: ignore[untyped-decorator]
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    # The review route exists only on a server started with --review.
    return [*routes(), *review_routes(datasette)]


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
