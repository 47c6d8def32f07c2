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
    assert "Repaired: embedded 1 claims" in output
    code, output = _check(db)
    assert code == 0, output
    store = ClaimStore(db)
    (row,) = store.db.query(
        "select count(*) as n from embeddings where claim_id = :id", {"id": first}
    )
    assert row["n"] == 1


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
