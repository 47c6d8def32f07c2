"""Table cells that link to claimtrack's pages (Datasette's render_cell hook).

An id column links to the page of what it names in every table, view and canned
query; the text column of a claim, tracked claim, article or speaker row links to
its page; long bodies (article text, raw JSON) are cut in table listings, whole one
click away.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from datasette.utils.sqlite import sqlite3
from markupsafe import Markup, escape

from claimtrack.publish.pages import is_claimtrack_database, page_url

# Columns, wherever they appear, whose value is the id of a page.
ID_COLUMNS = {
    "claim_id": "claim",
    "earlier_claim_id": "claim",
    "tracked_claim_id": "tracked",
    "article_id": "article",
    "speaker_id": "speaker",
    "fact_check_id": "fact-check",
}
# (table, column) whose text links to the page of the row's own id.
TEXT_COLUMNS = {
    ("claims", "text"): "claim",
    ("tracked_claims", "text"): "tracked",
    ("articles", "title"): "article",
    ("speakers", "name"): "speaker",
    ("fact_checks", "claim_reviewed"): "fact-check",
}
# (table, column) cut to a preview in listings; the full value is on the row page.
LONG_COLUMNS = {("articles", "text"), ("fact_checks", "raw")}
PREVIEW = 200

_claimtrack_databases: dict[tuple[int, str], bool] = {}


async def serves_claimtrack(datasette: Any, database: str | None) -> bool:
    """Return True if datasette serves database and it is a claimtrack database."""
    if database is None:
        return False
    key = (id(datasette), database)
    if key not in _claimtrack_databases:
        db = datasette.databases.get(database)
        _claimtrack_databases[key] = db is not None and await is_claimtrack_database(db)
    return _claimtrack_databases[key]


def _value_and_label(value: Any) -> tuple[Any, Any]:
    """Datasette passes an expanded foreign key as {"value", "label"}."""
    if isinstance(value, dict) and "value" in value:
        return value["value"], value.get("label") or value["value"]
    return value, value


def _row_value(row: Any, column: str) -> Any:
    try:
        return row[column]
    except (IndexError, KeyError):
        return None


def _link(href: str, label: Any, title: Any = None) -> Markup:
    # escape() and an f-string, not Markup.format: render_cell runs for hundreds of
    # cells a page, and Markup.format (string.Formatter in Python) was most of it.
    extra = f' title="{escape(title)}"' if title is not None else ""
    return Markup(f'<a href="{escape(href)}"{extra}>{escape(label)}</a>')


def cell_link(
    datasette: Any, row: Any, value: Any, column: str, table: str | None, database: str
) -> Markup | None:
    """Return the HTML for a cell that should link or be cut, else None."""
    value, label = _value_and_label(value)
    if value is None or value == "":
        return None
    if kind := ID_COLUMNS.get(column):
        return _link(page_url(datasette, kind, value, database), label)
    if column == "speaker":  # in claims, and any query that selects speaker_id
        speaker_id = _row_value(row, "speaker_id")
        if speaker_id is not None:
            return _link(page_url(datasette, "speaker", speaker_id, database), label)
    if table is None:
        return None
    if kind := TEXT_COLUMNS.get((table, column)):
        item_id = _row_value(row, "id")
        if item_id is not None:
            return _link(page_url(datasette, kind, item_id, database), label)
    long = (table, column) in LONG_COLUMNS
    if long and isinstance(value, str) and len(value) > PREVIEW:
        return Markup(f"{escape(value[:PREVIEW])}… ({len(value):,} characters)")
    return None


def needs_rendering(column: str, table: str | None) -> bool:
    """Cheap test run for every cell: could cell_link change this one?"""
    return (
        column in ID_COLUMNS
        or (table, column) in TEXT_COLUMNS
        or (table, column) in LONG_COLUMNS
        or column == "speaker"
    )


ARTICLE_SUMMARY_SQL = """
select coalesce(outlet, 'unknown outlet') || ', '
    || coalesce(substr(published, 1, 10), 'date unknown') as summary, title
from articles where id = :id
"""
TRACKED_SUMMARY_SQL = """
select coalesce(verdict, 'no verdict') || ' · ' || mentions || ' mention'
    || case when mentions = 1 then '' else 's' end as summary, text as title
from tracked_claims where id = :id
"""
# In the claims table, these id columns say what a reader wants from the row they
# name (outlet and date; verdict and mentions) instead of a bare id.
SUMMARIES = {
    "article_id": ("article", ARTICLE_SUMMARY_SQL),
    "tracked_claim_id": ("tracked", TRACKED_SUMMARY_SQL),
}


def _summary_reader(database: Any) -> Any | None:
    """A read-only connection to database's file, used on the event loop itself.

    Each summary is one primary-key lookup (tens of microseconds). Through
    Datasette's ``execute`` each would be a hop to its SQL thread and back: two per
    row, 200 a claims page, which made the page take about a second on a loaded
    machine. WAL readers see every commit, so a mutable database stays current.
    One connection per thread, kept on the Database object (it goes with it: a new
    server on a changed file never reads through an old connection). None for an
    in-memory database (no file to open).
    """
    if not database.path:
        return None
    readers = database.__dict__.setdefault("_claimtrack_summary_readers", {})
    thread = threading.get_ident()
    if thread not in readers:
        uri = Path(database.path).resolve().as_uri()
        mode = "mode=ro" if database.is_mutable else "mode=ro&immutable=1"
        conn = sqlite3.connect(f"{uri}?{mode}", uri=True, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        readers[thread] = conn
    return readers[thread]


async def summary_link(
    datasette: Any, database: str, column: str, value: Any
) -> Markup | None:
    """Link a claims row's article or tracked claim, labelled with its summary."""
    value, _ = _value_and_label(value)
    if value is None or value == "":
        return None
    kind, sql = SUMMARIES[column]
    db = datasette.get_database(database)
    reader = _summary_reader(db)
    if reader is not None:
        rows = reader.execute(sql, {"id": value}).fetchall()
    else:
        rows = (await db.execute(sql, {"id": value})).rows
    if not rows:
        return None
    return _link(
        page_url(datasette, kind, value, database),
        rows[0]["summary"],
        title=rows[0]["title"] or "",
    )


async def render_cell(
    datasette: Any, row: Any, value: Any, column: str, table: str | None, database: str
) -> Markup | None:
    """Render one cell of a claimtrack database, or None to let Datasette do it."""
    if not await serves_claimtrack(datasette, database):
        return None
    if table == "claims" and column in SUMMARIES:
        return await summary_link(datasette, database, column, value)
    return cell_link(datasette, row, value, column, table, database)
