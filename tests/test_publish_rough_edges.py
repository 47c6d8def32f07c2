"""Rough edges of issue 15: each with one line that says what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from claimtrack.cli import cli
from claimtrack.factchecks import read_fact_checks
from claimtrack.factchecks.parse import url_words
from claimtrack.sql_functions import register_functions
from tests.publish_helpers import build_claims_db


def test_import_factchecks_at_a_mistyped_path_creates_no_database(
    tmp_path: Path,
) -> None:
    database = tmp_path / "new.db"
    result = CliRunner().invoke(
        cli, ["import-factchecks", str(database), str(tmp_path / "missing.json")]
    )
    assert result.exit_code == 1
    assert "no such file" in result.output
    assert not database.exists()


def test_a_review_without_claim_text_is_kept_with_its_url_words(
    tmp_path: Path,
) -> None:
    review = {
        "@type": "ClaimReview",
        "claimReviewed": "",
        "url": "https://factuel.afp.com/la-cia-n-a-vu-aucun-signe-nucleaire",
        "author": {"name": "AFP Factuel"},
        "reviewRating": {"alternateName": "Faux"},
    }
    path = tmp_path / "review.json"
    path.write_text(json.dumps(review), encoding="utf-8")
    [record] = list(read_fact_checks([str(path)]))
    assert record.fact_check.claim_reviewed == "la cia n a vu aucun signe nucleaire"
    assert record.fact_check.rating == "false"
    assert record.fact_check.reviewer == "AFP Factuel"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://x.org/2022/10/putin-said-this.html", "putin said this"),
        ("https://x.org/fc/", "fc"),
        (None, ""),
    ],
)
def test_url_words(url: str | None, words: str) -> None:
    assert url_words(url) == words


def test_claims_of_an_unknown_article_says_so(tmp_path: Path) -> None:
    database = build_claims_db(tmp_path / "claims.db")
    result = CliRunner().invoke(cli, ["claims", str(database), "--article", "nope"])
    assert result.exit_code == 1
    assert "No article has the id 'nope'" in result.output
    ok = CliRunner().invoke(cli, ["claims", str(database), "--article", "a1"])
    assert ok.exit_code == 0, ok.output


def test_nearest_fact_checks_from_sql(tmp_path: Path) -> None:
    database = build_claims_db(tmp_path / "claims.db")
    # build_claims_db stores the fact-check without a vector: embed it as import does
    from claimtrack.testing import FakeEmbedder
    from claimtrack.vectors import encode_vector

    db = Database(database)
    [vector] = FakeEmbedder().embed_all(
        ["The CIA says Russia is not preparing a nuclear strike"]
    )
    db.table("embeddings").insert(
        {
            "fact_check_id": "fc1",
            "model_id": "fake/bag-of-words",
            "dimensions": len(vector),
            "vector": encode_vector(vector),
        }
    )
    register_functions(db.conn)
    (hits,) = db.execute(
        "select claimtrack_nearest_fact_checks(?, 3)",
        ["Russia is not preparing a nuclear strike, says the CIA"],
    ).fetchone()
    assert [hit[0] for hit in json.loads(hits)] == ["fc1"]
    with pytest.raises(Exception):  # noqa: B017 - SQLite hides the message
        db.execute("select claimtrack_nearest_fact_checks('x', 0)").fetchone()


@pytest.mark.asyncio
async def test_a_wrong_sql_function_call_logs_one_line_not_a_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from tests.publish_helpers import make_datasette, plugin_registered

    # importing Datasette turned on sqlite3's callback tracebacks, as in a server
    with plugin_registered():
        datasette = make_datasette(build_claims_db(tmp_path / "claims.db"))
        capfd.readouterr()
        response = await datasette.client.get(
            "/claims.json", params={"sql": "select claimtrack_embed(42)"}
        )
    assert response.status_code == 400
    # the visitor gets the explained error...
    assert "The search text must be text" in response.json()["error"]
    # ...and the console Datasette's one line for the query, none of the frames
    console = capfd.readouterr().err
    assert "Traceback" not in console and "claimtrack_embed(42)" in console
    assert len(console.strip().splitlines()) == 1, console


def test_a_wrong_call_outside_datasette_logs_one_line(
    capfd: pytest.CaptureFixture[str],
) -> None:
    from datasette.utils.sqlite import sqlite3  # turns on callback tracebacks

    conn = sqlite3.connect(":memory:")
    register_functions(conn)
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("select claimtrack_embed(42)")
    assert capfd.readouterr().err.splitlines() == [
        "SQL function error: claimtrack_embed: The search text must be text. "
        "Call it as: select claimtrack_embed('a claim in words')"
    ]


def test_an_unexpected_sql_function_error_keeps_its_traceback() -> None:

    from claimtrack.sql_functions import _one_line_for_wrong_calls

    seen: list[type[BaseException]] = []
    hook = _one_line_for_wrong_calls(lambda kind, value, tb: seen.append(kind))
    try:
        raise KeyError("a bug")
    except KeyError as error:
        hook(KeyError, error, error.__traceback__)
    assert seen == [KeyError]  # handed to the previous hook, traceback and all


def test_a_search_while_the_model_loads_logs_one_line(
    capfd: pytest.CaptureFixture[str],
) -> None:
    from datasette.utils.sqlite import sqlite3  # turns on callback tracebacks

    from claimtrack.publish.query_embedding import ModelLoadingError
    from claimtrack.sql_functions import _explained

    def loading(text: str, k: int) -> str:
        raise ModelLoadingError("The search model is still loading")

    conn = sqlite3.connect(":memory:")
    conn.create_function(
        "claimtrack_search", 2, _explained("claimtrack_search", loading)
    )
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("select claimtrack_search('nuclear', 5)")
    assert capfd.readouterr().err.splitlines() == [
        "SQL function error: claimtrack_search: The search model is still loading"
    ]
