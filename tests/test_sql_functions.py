"""register_functions on any connection: plain sqlite3, sqlite-utils (hook and CLI)."""

from __future__ import annotations

import importlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from sqlite_utils.plugins import pm as sqlite_utils_plugins

import claimtrack.sql_functions
from claimtrack.models import Article
from claimtrack.sql_functions import (
    MAX_K,
    MAX_TEXT_CHARS,
    explain_error,
    forget_error,
    register_functions,
)
from claimtrack.store import ClaimStore
from claimtrack.testing import FakeEmbedder, FakeExtractor, FakePairModel
from claimtrack.tracker import Tracker

ROOT = Path(__file__).parent.parent
TEXTS = {
    "a1": "The minister said the project cost 1 million euros.",
    "a2": "The project cost 1 million euros, the minister said.",
    "a3": "Weather was fine in the capital today.",
}


@pytest.fixture
def claims_db(tmp_path: Path) -> Path:
    path = tmp_path / "claims.db"
    tracker = Tracker(
        ClaimStore(path),
        extractor=FakeExtractor(),
        embedder=FakeEmbedder(),
        pair_model=FakePairModel(),
    )
    for article_id, text in TEXTS.items():
        tracker.ingest(Article(id=article_id, text=text, language="en"))
    tracker.store.checkpoint()
    return path


def claim_id(conn: sqlite3.Connection, article_id: str) -> str:
    sql = "select id from claims where article_id = ?"
    return str(conn.execute(sql, (article_id,)).fetchone()[0])


def test_register_functions_on_a_plain_connection(claims_db: Path) -> None:
    conn = sqlite3.connect(claims_db)
    register_functions(conn)
    first = claim_id(conn, "a1")
    (similar,) = conn.execute("select claimtrack_similar(?, 2)", (first,)).fetchone()
    hits = json.loads(similar)
    assert hits[0][0] == claim_id(conn, "a2")
    assert first not in [hit[0] for hit in hits]
    (found,) = conn.execute(
        "select claimtrack_search('minister project cost', 3)"
    ).fetchone()
    assert json.loads(found)[0][0] in {first, claim_id(conn, "a2")}
    (nearest,) = conn.execute(
        "select claimtrack_nearest(vector, 1) from embeddings where claim_id = ?",
        (first,),
    ).fetchone()
    assert json.loads(nearest) == [[first, 1.0]]
    (text,) = conn.execute("select claimtrack_query_text('A. A. B')").fetchone()
    assert text == "A. B"


@pytest.mark.parametrize(
    "sql",
    [
        "select claimtrack_search('x', 0)",
        f"select claimtrack_search('x', {MAX_K + 1})",
        f"select claimtrack_search(printf('%.*c', {MAX_TEXT_CHARS + 1}, 'x'), 5)",
        "select claimtrack_embed('x', 'other/model')",
        "select claimtrack_nearest(x'0000803f', 5)",
    ],
)
def test_bad_arguments_are_sql_errors(claims_db: Path, sql: str) -> None:
    conn = sqlite3.connect(claims_db)
    register_functions(conn)
    with pytest.raises(sqlite3.OperationalError, match="raised exception"):
        conn.execute(sql).fetchall()


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "select claimtrack_search('x', 0)",
            "claimtrack_search: k must be a whole number from 1 to 1000, not 0. "
            "Call it as: select claimtrack_search('a claim in words', 10)",
        ),
        (
            "select claimtrack_nearest(x'00', 5)",
            "claimtrack_nearest: A vector must be a float32 BLOB, such as "
            "embeddings.vector or claimtrack_embed('some text'). Call it as: "
            "select claimtrack_nearest(embeddings.vector, 10)",
        ),
        (
            "select claimtrack_similarity('a', 'b')",
            "claimtrack_similarity: A vector must be a float32 BLOB",
        ),
    ],
)
def test_a_bad_call_is_explained(claims_db: Path, sql: str, message: str) -> None:
    conn = sqlite3.connect(claims_db)
    register_functions(conn)
    forget_error()
    with pytest.raises(sqlite3.OperationalError) as raised:
        conn.execute(sql).fetchall()
    assert str(raised.value) == "user-defined function raised exception"
    explained = explain_error(raised.value)
    assert isinstance(explained, sqlite3.OperationalError)
    assert str(explained).startswith(message)
    # kept once: a later, unrelated error is not given this message
    other = sqlite3.OperationalError("user-defined function raised exception")
    assert explain_error(other) is other


@pytest.mark.asyncio
async def test_datasette_shows_what_was_wrong(claims_db: Path) -> None:
    from datasette.app import Datasette

    from claimtrack.publish.metadata import build_metadata
    from tests.publish_helpers import plugin_registered

    with plugin_registered():
        datasette = Datasette(
            immutables=[str(claims_db)], metadata=build_metadata("claims")
        )
        await _shows_what_was_wrong(datasette)


async def _shows_what_was_wrong(datasette: Any) -> None:
    await datasette.invoke_startup()
    wanted = "claimtrack_search: k must be a whole number from 1 to 1000, not 0"
    editor = await datasette.client.get(
        "/claims.json", params={"sql": "select claimtrack_search('x', 0)"}
    )
    assert editor.status_code == 400 and wanted in editor.json()["error"]
    page = await datasette.client.get(
        "/claims", params={"sql": "select claimtrack_search('x', 0)"}
    )
    assert wanted in page.text and "user-defined function raised" not in page.text
    table = await datasette.client.get(
        "/claims/claims.json",
        params={"_where": "claimtrack_similar(id, 5000) is not null"},
    )
    assert table.status_code == 400
    assert "claimtrack_similar: k must be a whole number" in table.text
    canned = await datasette.client.get(
        "/claims/semantic_search.json", params={"q": "x" * (MAX_TEXT_CHARS + 1)}
    )
    assert canned.status_code == 400
    assert "give at most 20,000" in canned.json()["error"]


@pytest.mark.parametrize("module", ["sqlite3", "pysqlite3.dbapi2"])
def test_a_call_cut_by_the_time_limit_says_so(claims_db: Path, module: str) -> None:
    # Datasette and sqlite-utils connect through pysqlite3 when it is installed.
    connect = importlib.import_module(module).connect
    conn = connect(claims_db)
    register_functions(conn)

    # The progress handler is how Datasette enforces sql_time_limit_ms: here it
    # stops only the function's own reads (a statement run inside the function).
    def inside_the_function() -> bool:
        frame = sys._getframe()
        while frame is not None:
            if (
                frame.f_code
                is claimtrack.sql_functions._ConnectionFunctions.similar.__code__
            ):
                return True
            frame = frame.f_back  # type: ignore[assignment]
        return False

    conn.set_progress_handler(inside_the_function, 10)
    forget_error()
    with pytest.raises(Exception, match="user-defined function") as raised:
        conn.execute("select claimtrack_similar('x', 5)").fetchall()
    message = str(explain_error(raised.value))
    assert message.startswith("claimtrack_similar: the query passed the time limit")
    assert "sql_time_limit_ms" in message


def test_sqlite_utils_hook_puts_them_on_every_database(claims_db: Path) -> None:
    sqlite_utils_plugins.register(claimtrack.sql_functions, name="claimtrack-test")
    try:
        db = Database(claims_db)
        first = claim_id(db.conn, "a1")
        rows = db.execute("select claimtrack_similar(?, 1)", [first]).fetchall()
        assert json.loads(rows[0][0])[0][0] == claim_id(db.conn, "a2")
    finally:
        sqlite_utils_plugins.unregister(name="claimtrack-test")


@pytest.mark.integration
def test_sqlite_utils_query_command_runs_claimtrack_functions(claims_db: Path) -> None:
    """The real `sqlite-utils query` command, in its own process, with our plugin.

    The entry point (pyproject, group "sqlite_utils") needs a reinstall to be seen;
    here the subprocess registers the same module the entry point names.
    """
    first = claim_id(sqlite3.connect(claims_db), "a1")
    script = (
        "import sys, sqlite_utils.plugins as p, claimtrack.sql_functions as f;"
        "p.pm.register(f); p._plugins_loaded = True;"
        "from sqlite_utils.cli import cli; cli(sys.argv[1:])"
    )
    sql = (
        "select claims.article_id from json_each(claimtrack_similar(:id, 1)) as hit "
        "join claims on claims.id = json_extract(hit.value, '$[0]')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "query", str(claims_db), sql, "-p", "id", first],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"article_id": "a2"}]
