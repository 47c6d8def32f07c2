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
    for column in ("language", "speaker", "claim_type", "quote_type"):
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
