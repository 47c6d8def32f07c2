"""Remember what an immutable database's schema says, instead of asking per page.

Datasette's index and table pages ask the database about its schema for every table
they list: its columns, primary keys, full-text table, and (for each permission
check) how SQLite spells its name. Each question is a query run on Datasette's SQL
thread: about 130 hops for the index page of a claimtrack database (33 tables and
views with the full-text shadow tables), each waiting for a core on a busy machine.
A file served immutable cannot change, so every answer holds for the life of the
server; a mutable database is left alone (its schema may change under it).

Wraps the methods on each Database object, as Datasette lets a plugin do with any
attribute (sql_errors.py wraps execute_fn); Datasette's own code is unchanged.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from datasette.database import Results

# Database methods whose answer depends on the schema only (not hidden_table_names
# or label_column_for_table: they also read the metadata).
SCHEMA_METHODS = (
    "table_names",
    "view_names",
    "table_columns",
    "table_column_details",
    "primary_keys",
    "fts_table",
    "foreign_keys_for_table",
    "get_all_foreign_keys",
    "table_exists",
    "get_table_definition",
    "get_view_definition",
)
# The lookup Datasette 0.65 runs on every view-table permission check (the name as
# SQLite spells it). Another SQL text, in another version, simply is not cached.
CANONICAL_NAME_SQL = (
    "select name from sqlite_master "
    "where type in ('table', 'view') and name = ? collate nocase"
)
_WRAPPED = "_claimtrack_caches_schema"


def _remembering(
    method: Callable[..., Awaitable[Any]], cache: dict[Any, Any], name: str
) -> Callable[..., Awaitable[Any]]:
    async def remembered(*args: Any, **kwargs: Any) -> Any:
        key = (name, args, tuple(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = await method(*args, **kwargs)
        # a copy: a caller may change the list it is given
        return copy.deepcopy(cache[key])

    return remembered


def cache_schema(database: Any) -> None:
    """Make an immutable Datasette database answer schema questions from memory."""
    if database.is_mutable or getattr(database, _WRAPPED, False):
        return
    cache: dict[Any, Any] = {}
    for name in SCHEMA_METHODS:
        if hasattr(database, name):
            setattr(database, name, _remembering(getattr(database, name), cache, name))
    execute = database.execute

    async def execute_remembering_names(
        sql: str, params: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        if sql == CANONICAL_NAME_SQL and not args and not kwargs:
            key = ("canonical name", tuple(params or ()))
            if key not in cache:
                cache[key] = await execute(sql, params)
            known = cache[key]  # rows of sqlite3.Row: a new list of the same rows
            return Results(list(known.rows), known.truncated, known.description)
        return await execute(sql, params, *args, **kwargs)

    database.execute = execute_remembering_names
    setattr(database, _WRAPPED, True)


def cache_table_permissions(datasette: Any) -> None:
    """Remember which "allow" blocks the metadata gives each table.

    Datasette 0.65.5 answers each view-table permission check by deep-copying the
    whole metadata (``_table_permission_allows``): claimtrack's descriptions of
    every table, column and query make that about 1.5 ms a check on a loaded
    machine, and the index page checks every table and view (66 checks). The
    answer depends only on the metadata, so it is kept while Datasette holds the
    same metadata object; a plugin with a ``get_metadata`` hook (metadata that may
    change per call) turns the cache off, and any other Datasette keeps its own
    check. Only the lookup is remembered: the decision (actor against the allow
    block) is still Datasette's, on every request.
    """
    from datasette.plugins import pm

    original = getattr(datasette, "_table_permission_allows", None)
    if original is None or getattr(original, _WRAPPED, False):
        return
    remembered: dict[tuple[Any, ...], Any] = {}

    def table_permission_allows(database: str, table: str) -> Any:
        if pm.hook.get_metadata.get_hookimpls():
            return original(database, table)
        key = (id(datasette._metadata_local), database, table)
        if key not in remembered:
            remembered[key] = original(database, table)
        return copy.deepcopy(remembered[key])

    setattr(table_permission_allows, _WRAPPED, True)
    datasette._table_permission_allows = table_permission_allows
