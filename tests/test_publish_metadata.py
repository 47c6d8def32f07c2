"""datasette-metadata.json: generated, committed, and complete."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.publish.metadata import build_metadata
from claimtrack.store import ClaimStore

ROOT = Path(__file__).parent.parent


def test_committed_metadata_matches_code() -> None:
    committed = json.loads((ROOT / "datasette-metadata.json").read_text())
    assert committed == build_metadata()


def test_metadata_command_prints_build_metadata() -> None:
    result = CliRunner().invoke(cli, ["metadata"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == build_metadata()


def test_every_table_view_and_column_is_described(tmp_path: Path) -> None:
    db = ClaimStore(tmp_path / "claims.db").db
    described = build_metadata()["databases"]["claims"]["tables"]
    names = [
        name
        for name in [*db.table_names(), *db.view_names()]
        if not name.startswith(
            ("claims_fts", "fact_checks_fts", "speakers_fts", "_", "sqlite_")
        )
    ]
    actual = {name: sorted(db[name].columns_dict) for name in names}
    assert {name: sorted(described[name]["columns"]) for name in names} == actual
    assert all(described[name]["description"] for name in names)


def test_facets_and_sorts_name_real_columns() -> None:
    for table in build_metadata()["databases"]["claims"]["tables"].values():
        if "columns" not in table:  # an internal table, only hidden
            assert table == {"hidden": True}
            continue
        columns = set(table["columns"])
        assert set(table.get("facets", [])) <= columns
        for key in ("sort", "sort_desc"):
            assert table.get(key, next(iter(columns))) in columns


def test_canned_queries_are_documented_and_bind_parameters() -> None:
    queries = build_metadata()["databases"]["claims"]["queries"]
    assert set(queries) >= {
        "semantic_search",
        "repeated_across_outlets",
        "tracked_claim_timeline",
        "claims_by_speaker",
        "fact_checked_claims_seen_again",
    }
    for query in queries.values():
        assert query["title"] and query["description"]
        for parameter in re.findall(r":(\w+)", query["sql"]):
            # named as the form's box is, never as a raw placeholder
            assert f"{parameter} box" in query["description"]
            assert f":{parameter}" not in query["description"]


def test_metadata_documents_two_example_queries() -> None:
    description = build_metadata()["databases"]["claims"]["description_html"]
    assert description.count("select\n") == 2
    assert "claimtrack_embed(" in description
