"""Datasette says what was wrong with a claimtrack SQL function call.

SQLite reports an exception raised inside a Python SQL function only as "user-defined
function raised exception". The functions keep their own message, in the thread
that ran the query (claimtrack.sql_functions); here each served database's
``execute_fn`` (Datasette's documented way to run a function against a connection,
which every query goes through) swaps the generic error for that message in the
same thread. Datasette then shows it wherever it shows a query error: the SQL
editor, canned queries, table pages and their JSON.

The console gets Datasette's one line per failed query, not the traceback that
sqlite3's callback tracebacks (which Datasette turns on) would print for a wrong
call (see ``wrong_calls_unlogged``).

Not Datasette's ``handle_exception`` hook: a query page catches its own SQL errors
and renders them into the page, so the hook never sees them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from claimtrack.sql_functions import explain_error, forget_error, wrong_calls_unlogged

_WRAPPED = "_claimtrack_explains_errors"


def _explaining(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def run(conn: Any) -> Any:
        forget_error()
        try:
            with wrong_calls_unlogged():
                return fn(conn)
        except Exception as error:
            explained = explain_error(error)
            if explained is error:
                raise
            raise explained from error

    return run


def explain_sql_errors(database: Any) -> None:
    """Make a Datasette database show claimtrack functions' own error messages."""
    if getattr(database, _WRAPPED, False):
        return
    original = database.execute_fn

    async def execute_fn(fn: Callable[[Any], Any]) -> Any:
        return await original(_explaining(fn))

    database.execute_fn = execute_fn
    setattr(database, _WRAPPED, True)
