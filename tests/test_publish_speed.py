"""What keeps the Datasette pages fast: the queries a page runs (issue 15).

Speed itself is measured by benchmarks/search.py; these tests pin down the work a
page does, which is what the measured speed follows from.
"""

from __future__ import annotations

import html
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from datasette.app import Datasette

from claimtrack.publish.deploy import SETTINGS, publish_args, serve_args
from claimtrack.publish.metadata import build_metadata
from tests.publish_helpers import build_claims_db, plugin_registered


@pytest.fixture(autouse=True)
def plugin() -> Iterator[None]:
    with plugin_registered():
        yield


@pytest.fixture
def claims_db(tmp_path: Path) -> Path:
    return build_claims_db(tmp_path / "claims.db")


async def _traced_sql(datasette: Datasette, path: str) -> tuple[str, list[str]]:
    """Return a page's HTML and the SQL it ran (Datasette's own ?_trace=1), once
    Datasette has read the schema (the first request of a server)."""
    await datasette.client.get(path)
    response = await datasette.client.get(path + "&_trace=1")
    assert response.status_code == 200, response.text[:500]
    trace = response.text[
        response.text.rfind("<pre>") + 5 : response.text.rfind("</pre>")
    ]
    return response.text, [
        t.get("sql", "") for t in json.loads(html.unescape(trace))["traces"]
    ]


@pytest.mark.asyncio
async def test_claims_table_runs_its_facets_and_no_facet_suggestions(
    claims_db: Path,
) -> None:
    datasette = Datasette(
        immutables=[str(claims_db)],
        metadata=build_metadata("claims"),
        settings={**SETTINGS, "trace_debug": True},
    )
    page, queries = await _traced_sql(datasette, "/claims/claims?_col=text")
    # the table's own facets are still computed and shown
    facets = re.findall(r'data-column="(\w+)"', page)
    for column in ("language", "speaker_id", "claim_type", "quote_type"):
        assert column in facets
    assert "Suggested facets" not in page
    # no suggestion queries: one per column and per facet kind (55 of 72 before)
    assert not [sql for sql in queries if "select date(" in sql or "json_type(" in sql]
    assert len(queries) < 25, queries

    # the default (suggestions on) really runs them: the test above tests something
    default = Datasette(
        immutables=[str(claims_db)],
        metadata=build_metadata("claims"),
        settings={"trace_debug": True},
    )
    _, with_suggestions = await _traced_sql(default, "/claims/claims?_col=text")
    assert len(with_suggestions) > len(queries) + 20


def test_serve_and_publish_give_datasette_the_settings() -> None:
    args = serve_args("claims.db", "m.json", host="127.0.0.1", port=8123)
    assert args[args.index("--setting") :][:3] == ["--setting", "suggest_facets", "off"]
    published = publish_args("claims.db", "m.json", target="cloudrun")
    extra = shlex.split(published[published.index("--extra-options") + 1])
    assert extra == ["--setting", "suggest_facets", "off"]


def _served(path: Path, metadata: dict[str, object] | None = None) -> Datasette:
    return Datasette(
        immutables=[str(path)],
        metadata=metadata or build_metadata("claims"),
        settings={**SETTINGS, "trace_debug": True},
    )


@pytest.mark.asyncio
async def test_the_index_asks_an_immutable_database_nothing_twice(
    claims_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    datasette = _served(claims_db)
    _, cached = await _traced_sql(datasette, "/?_x=1")
    cached_json = (await datasette.client.get("/.json")).json()
    # nothing per table (columns, keys, full-text table, name for the permission
    # check): only the page's own few questions, the same for any number of tables
    per_table = [
        sql
        for sql in cached
        if "collate nocase" in sql or "table_info" in sql or "table_xinfo" in sql
    ]
    assert per_table == [] and len(cached) <= 5, cached

    # the same server without the caches asks again each time, and says the same
    import claimtrack.publish.datasette_plugin as plugin

    monkeypatch.setattr(plugin, "cache_schema", lambda database: None)
    monkeypatch.setattr(plugin, "cache_table_permissions", lambda datasette: None)
    plain = _served(claims_db)
    _, uncached = await _traced_sql(plain, "/?_x=1")
    assert len(uncached) > 50, uncached
    assert (await plain.client.get("/.json")).json() == cached_json


@pytest.mark.asyncio
async def test_remembered_permissions_still_keep_a_private_table_private(
    claims_db: Path,
) -> None:
    metadata = build_metadata("claims")
    metadata["databases"]["claims"]["tables"]["speakers"]["allow"] = {"id": "root"}
    datasette = _served(claims_db, metadata)
    await datasette.invoke_startup()
    root = {"ds_actor": datasette.sign({"a": {"id": "root"}}, "actor")}
    for _ in range(2):  # the second time from memory
        assert (await datasette.client.get("/claims/speakers")).status_code == 403
        index = (await datasette.client.get("/claims.json")).json()
        assert "speakers" not in [table["name"] for table in index["tables"]]
        as_root = await datasette.client.get("/claims/speakers", cookies=root)
        assert as_root.status_code == 200
    # a new metadata object is read afresh
    datasette._metadata_local = build_metadata("claims")
    assert (await datasette.client.get("/claims/speakers")).status_code == 200


@pytest.mark.asyncio
async def test_a_mutable_database_schema_is_read_afresh(claims_db: Path) -> None:
    import sqlite3

    datasette = Datasette([str(claims_db)], metadata=build_metadata("claims"))
    await datasette.invoke_startup()
    assert (await datasette.client.get("/claims/notes")).status_code == 404
    with sqlite3.connect(claims_db) as conn:
        conn.execute("create table notes (id integer primary key, body text)")
    assert (await datasette.client.get("/claims/notes.json")).status_code == 200
    columns = await datasette.get_database("claims").table_columns("notes")
    assert columns == ["id", "body"]
