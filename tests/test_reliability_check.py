"""claimtrack check verifies a database's invariants and --repair restores them;
reembed racing three ingests leaves nothing to repair (issue 16.1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from claimtrack.cli import cli
from claimtrack.store import ClaimStore

ROOT = Path(__file__).parent.parent
FAKES = ["--model", "fake", "--extractor", "fake", "--quiet"]
# A CLI with two fake models: "fake" and "fake2" (model id fake/other).
TWO_MODELS_CLI = """
from claimtrack.cli import cli
from claimtrack.hookspecs import hookimpl
from claimtrack.plugins import pm
from claimtrack.testing import FakeBackends, FakeEmbedder

class Other:
    @hookimpl
    def register_embedders(self, register):
        register(FakeEmbedder(model_id="fake/other"), aliases=("fake2",))

pm.register(FakeBackends(), name="fakes")
pm.register(Other(), name="other")
cli()
"""


def _articles(path: Path, prefix: str, count: int) -> Path:
    with path.open("w") as file:
        for n in range(count):
            text = " ".join(
                f"Claim {n}.{s} says the {prefix} budget rose by {n * s} percent."
                for s in range(1, 7)
            )
            record = {
                "id": f"{prefix}{n}",
                "text": text,
                "language": "en",
                "outlet": f"outlet{n % 5}",
                "published": f"2022-03-{n % 28 + 1:02d}",
            }
            file.write(json.dumps(record) + "\n")
    return path


def _check(db: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(db), *extra])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_healthy_database_passes(tmp_path: Path):
    db = tmp_path / "claims.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(db), str(_articles(tmp_path / "a.jsonl", "a", 10)), *FAKES]
    )
    assert result.exit_code == 0, result.output
    code, output = _check(db)
    assert code == 0, output
    assert "OK: 60 claims" in output and "model fake/bag-of-words" in output


def test_every_broken_invariant_is_found_and_repaired(tmp_path: Path):
    db = tmp_path / "claims.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(db), str(_articles(tmp_path / "a.jsonl", "a", 10)), *FAKES]
    )
    assert result.exit_code == 0, result.output
    raw = Database(db)
    raw.execute("pragma foreign_keys = off")
    with raw.conn:
        first, second, third = (
            row[0] for row in raw.execute("select id from claims limit 3").fetchall()
        )
        raw.execute("delete from embeddings where claim_id = ?", [first])
        raw.execute("update claims set tracked_claim_id = null where id = ?", [second])
        raw.execute("update tracked_claims set mentions = 99 where id = ?", [third])
        raw.execute(
            "insert into claim_links (claim_id, earlier_claim_id, score, decision) "
            "values (?, 'gone', 0.9, 'same')",
            [third],
        )
        raw.execute(
            "insert into tracked_claims (id, text, mentions) values ('orphan', 'x', 1)"
        )
    raw.conn.close()
    code, output = _check(db)
    assert code == 1
    for problem in (
        "1 claims without a vector",
        "claims without a tracked claim",
        "tracked claims whose counts or dates differ from a recount",
        "1 claim links to a missing claim",
        "tracked claims with no mention",
        "1 rows breaking a foreign key",
    ):
        assert problem in output, output
    assert "--repair" in output
    code, output = _check(db, "--repair")
    assert code == 0, output
    assert (
        "Repaired: matched 60 claims and 0 fact-checks again (1 claims without a "
        in (output)
    )
    code, output = _check(db)
    assert code == 0, output
    store = ClaimStore(db)
    (row,) = store.db.query(
        "select count(*) as n from embeddings where claim_id = :id", {"id": first}
    )
    assert row["n"] == 1


POOL = [
    "The regional budget rose by five percent in the last year.",
    "Unemployment fell to its lowest level in a decade this spring.",
    "The new bridge cost twice as much as the council first announced.",
    "Crime in the city centre has doubled over the last two years.",
    "The hospital waiting lists are the longest the region has seen.",
    "Rents in the capital went up faster than wages since the election.",
    "The school canteens now serve organic food four days a week.",
    "The mayor never approved the contract for the new stadium.",
]


def _repeating_articles(path: Path, numbers: range) -> Path:
    """Articles that repeat claims of the pool (links) and say one of their own."""
    with path.open("w") as file:
        for n in numbers:
            said = [POOL[(n + k) % len(POOL)] for k in range(3)]
            own = f"Article {n} reports that {n} residents signed the petition today."
            record = {
                "id": f"r{n}",
                "text": " ".join([*said, own]),
                "language": "en",
                "outlet": f"outlet{n % 3}",
                "published": f"2022-04-{n + 1:02d}",
            }
            file.write(json.dumps(record) + "\n")
    return path


def _rows(db: Path) -> dict[str, set[tuple[object, ...]]]:
    """What an ingest decides, table by table, in a form two databases compare in."""
    queries = {
        "claims": "select id, article_id, tracked_claim_id from claims",
        "claim_links": "select claim_id, earlier_claim_id, round(score, 6), "
        "decision, method, model_id from claim_links",
        "fact_check_links": "select claim_id, fact_check_id, round(score, 6), "
        "decision, method from fact_check_links",
        "tracked_claims": "select id, text, first_seen, last_seen, mentions, "
        "articles, outlets, independent_outlets, verdict from tracked_claims",
        "embeddings": "select claim_id, fact_check_id, model_id, hex(vector) "
        "from embeddings",
    }
    database = Database(db)
    return {
        table: {tuple(row) for row in database.execute(sql).fetchall()}
        for table, sql in queries.items()
    }


def test_repair_matches_claims_left_by_a_stale_write_as_an_ingest_would(
    tmp_path: Path,
):
    """Claims a stale reembed left without vector, links and tracked claim (#16)."""
    reviews = tmp_path / "reviews.json"
    reviews.write_text(
        json.dumps(
            {
                "@type": "ClaimReview",
                "claimReviewed": POOL[3],
                "url": "https://factdesk.example.com/crime",
                "author": {"name": "Fact Desk Example"},
                "reviewRating": {"alternateName": "False"},
            }
        )
    )
    first = _repeating_articles(tmp_path / "first.jsonl", range(6))
    second = _repeating_articles(tmp_path / "second.jsonl", range(6, 14))
    databases = {name: tmp_path / f"{name}.db" for name in ("fresh", "broken")}
    for db in databases.values():
        for command in (
            ["import-factchecks", str(db), str(reviews), "--model", "fake"],
            ["ingest", str(db), str(first), *FAKES],
            ["ingest", str(db), str(second), *FAKES],
        ):
            result = CliRunner().invoke(cli, command)
            assert result.exit_code == 0, result.output
    fresh = _rows(databases["fresh"])
    assert len(fresh["claim_links"]) > 20 and fresh["fact_check_links"]
    # What reembed's stale write did to the claims of the second ingest.
    raw = Database(databases["broken"])
    late = "select id from claims where article_id in (select value from json_each(?))"
    ids = [json.dumps([f"r{n}" for n in range(6, 14)])]
    with raw.conn:
        raw.execute(f"delete from embeddings where claim_id in ({late})", ids)
        raw.execute(
            f"delete from claim_links where claim_id in ({late}) "
            f"or earlier_claim_id in ({late})",
            ids * 2,
        )
        raw.execute(f"delete from fact_check_links where claim_id in ({late})", ids)
        raw.execute(
            f"update claims set tracked_claim_id = null where id in ({late})", ids
        )
        raw.execute(
            "delete from tracked_claims where id not in "
            "(select tracked_claim_id from claims where tracked_claim_id is not null)"
        )
    raw.conn.close()
    code, output = _check(databases["broken"])
    assert code == 1
    assert "32 claims without a vector" in output
    assert "32 claims without a tracked claim" in output
    code, output = _check(databases["broken"], "--repair")
    assert code == 0, output
    assert "Repaired: matched 56 claims and 1 fact-checks again" in output
    repaired = _rows(databases["broken"])
    for table, rows in fresh.items():
        assert repaired[table] == rows, table


def test_several_models_point_to_reembed(tmp_path: Path):
    db = tmp_path / "claims.db"
    CliRunner().invoke(
        cli, ["ingest", str(db), str(_articles(tmp_path / "a.jsonl", "a", 2)), *FAKES]
    )
    with Database(db).conn as conn:
        conn.execute("update embeddings set model_id = 'other/model' where id = 1")
    code, output = _check(db, "--repair")
    assert code == 1
    assert "embedding models (should be one" in output
    assert "claimtrack reembed" in output


def _run(script: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


# One run by default (about 3 minutes on two busy cores); more with
# CLAIMTRACK_RACE_REPETITIONS=N.
@pytest.mark.parametrize(
    "repetition", range(1, int(os.environ.get("CLAIMTRACK_RACE_REPETITIONS", "1")) + 1)
)
def test_reembed_racing_three_ingests_leaves_every_invariant(
    tmp_path: Path, repetition: int
):
    """40 articles stored, then 3 ingests of 60 articles each and a reembed at once."""
    script = tmp_path / "two_models.py"
    script.write_text(TWO_MODELS_CLI)
    db = tmp_path / "claims.db"
    seed = _run(
        script, "ingest", str(db), str(_articles(tmp_path / "s.jsonl", "s", 40)), *FAKES
    )
    assert seed.wait(timeout=300) == 0, seed.communicate()[1]
    batches = [_articles(tmp_path / f"{p}.jsonl", p, 60) for p in ("x", "y", "z")]
    ingests = [_run(script, "ingest", str(db), str(batch), *FAKES) for batch in batches]
    time.sleep(1.5 * repetition)  # the reembed starts while the ingests run
    reembed = _run(script, "reembed", str(db), "--model", "fake2")
    _, reembed_err = reembed.communicate(timeout=600)
    assert reembed.returncode == 0, reembed_err
    for ingest in ingests:
        _, stderr = ingest.communicate(timeout=600)
        assert "Traceback" not in stderr
        # An ingest that met the move stops with one line; the others finish.
        assert ingest.returncode == 0 or "was moved to fake/other" in stderr, stderr
    check = _run(script, "check", str(db))
    _, stderr = check.communicate(timeout=300)
    assert check.returncode == 0, stderr
    assert "model fake/other" in stderr
    # What the stopped ingests did not store goes in with the new model.
    for batch in batches:
        again = _run(
            script,
            "ingest",
            str(db),
            str(batch),
            "--model",
            "fake2",
            "--extractor",
            "fake",
            "--quiet",
        )
        assert again.wait(timeout=300) == 0, again.communicate()[1]
    check = _run(script, "check", str(db))
    _, stderr = check.communicate(timeout=300)
    assert check.returncode == 0, stderr
    assert "OK: 1,320 claims" in stderr  # 220 articles of 6 claims, none lost
