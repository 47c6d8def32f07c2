import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.store import ClaimStore

FAKE = ["--model", "fake", "--extractor", "fake", "--quiet"]


def run(*args: str, exit_code: int = 0):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == exit_code, result.output
    return result


@pytest.fixture
def ingested(db_path: Path, articles_path: Path) -> Path:
    run("ingest", str(db_path), str(articles_path), *FAKE)
    return db_path


def test_ingest_prints_summary_on_stderr_and_nothing_on_stdout(
    db_path: Path, articles_path: Path
):
    result = run("ingest", str(db_path), str(articles_path), *FAKE)
    assert result.stdout == ""
    assert "3 added, 0 updated, 0 unchanged, 0 failed; 6 claims" in result.stderr
    again = run("ingest", str(db_path), str(articles_path), *FAKE)
    assert "0 added, 0 updated, 3 unchanged, 0 failed; 0 claims" in again.stderr
    assert ClaimStore(db_path).count("claims") == 6


def test_claims_as_json_nl_csv_and_table(ingested: Path):
    claims = json.loads(run("claims", str(ingested)).stdout)
    assert {claim["article_id"] for claim in claims} == {"a1", "a2", "a3"}
    assert claims[0]["outlet"] == "Example Daily"
    lines = run("claims", str(ingested), "--nl", "-n", "2").stdout.splitlines()
    assert [json.loads(line)["position"] for line in lines] == [0, 1]
    rows = list(
        csv.DictReader(io.StringIO(run("claims", str(ingested), "--csv").stdout))
    )
    assert len(rows) == 6
    assert rows[0]["text"] == claims[0]["text"]
    table = run("claims", str(ingested), "--table", "--article", "a3").stdout
    assert "5 million" in table
    assert "1 million" not in table


def test_search_articles_links_and_tracked(ingested: Path):
    hits = json.loads(
        run(
            "search", str(ingested), "project cost euros", "-k", "2", "-m", "fake"
        ).stdout
    )
    assert len(hits) == 2
    assert hits[0]["score"] >= hits[1]["score"]
    articles = json.loads(run("articles", str(ingested)).stdout)
    assert sorted(a["id"] for a in articles) == ["a1", "a2", "a3"]
    assert {a["claims"] for a in articles} == {2}
    links = json.loads(run("links", str(ingested)).stdout)
    assert all(link["decision"] in ("same", "suggested") for link in links)
    tracked = json.loads(run("tracked", str(ingested), "-n", "1").stdout)
    assert len(tracked) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "{db}", "tests/data/sources/blank.txt"], "the article is empty"),
        (["ingest", "{db}", "no/such/file.txt"], "no such file or folder"),
        (
            ["ingest", "{db}", "tests/data/articles.jsonl", "--model", "nope"],
            "Unknown embedder 'nope'",
        ),
        (
            [
                "ingest",
                "{db}",
                "tests/data/articles.jsonl",
                "--extractor",
                "nope",
                "-m",
                "fake",
            ],
            "Unknown extractor 'nope'",
        ),
    ],
)
def test_user_mistakes_give_one_line_and_status_1(
    db_path: Path, args: list[str], message: str
):
    result = run(*[arg.format(db=db_path) for arg in args], "--quiet", exit_code=1)
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_bad_items_are_skipped_and_reported_with_nonzero_exit(db_path: Path):
    result = run(
        "ingest",
        str(db_path),
        "tests/data/sources/broken.jsonl",
        "tests/data/articles.jsonl",
        *FAKE,
        exit_code=1,
    )
    assert "line 2: not JSON" in result.stderr
    assert "4 added, 0 updated, 0 unchanged, 2 failed" in result.stderr
    assert ClaimStore(db_path).count("articles") == 4


def test_wrong_model_for_database_is_refused_without_writing(ingested: Path):
    before = ClaimStore(ingested).count("claims")
    result = run(
        "ingest",
        str(ingested),
        "tests/data/sources/articles.json",
        "--model",
        "minilm",
        "--quiet",
        exit_code=1,
    )
    assert "embedded with fake/bag-of-words" in result.stderr
    assert ClaimStore(ingested).count("claims") == before


def test_not_a_database_is_refused(tmp_path: Path):
    path = tmp_path / "x.db"
    path.write_text("hello" * 100)
    result = run("claims", str(path), exit_code=1)
    assert "not a usable SQLite database" in result.stderr


def test_version():
    assert (
        run("--version").stdout.startswith("cli, version ")
        or "version" in run("--version").stdout
    )


def test_extractors_and_embedders_list_backends():
    assert "sentences" in json.loads(run("extractors").stdout)
    embedders = json.loads(run("embedders").stdout)
    assert "sentence-transformers/all-MiniLM-L6-v2" in embedders
    assert "minilm" in embedders["sentence-transformers/all-MiniLM-L6-v2"]


def test_reembed_command(ingested: Path):
    result = run("reembed", str(ingested), "--model", "fake")
    assert "6 claims and 0 fact-checks embedded with fake/bag-of-words" in result.stderr
    assert result.stdout == ""
