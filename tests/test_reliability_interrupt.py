"""Ctrl-C or SIGTERM in the middle of a reembed leaves the database as it was, with
one clear line (issue 16)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from claimtrack.cli import cli

ROOT = Path(__file__).parent.parent
FAKES = ["--model", "fake", "--extractor", "fake", "--quiet"]
# A CLI with a slow second model: each batch it embeds announces itself and takes
# 0.3 s; reading its dimensions, which only the replay does, under the write lock,
# announces that and waits 30 s there.
SLOW_CLI = """
import sys, time
from pathlib import Path
from claimtrack.cli import cli
from claimtrack.hookspecs import hookimpl
from claimtrack.plugins import pm
from claimtrack.testing import FakeBackends, FakeEmbedder

MARK = Path(sys.argv.pop(1))

class Slow(FakeEmbedder):
    def embed_batch(self, texts):
        MARK.write_text("embedding")
        time.sleep(0.3)
        return super().embed_batch(texts)

class Locked(FakeEmbedder):
    @property
    def dimensions(self):
        MARK.write_text("locked")
        time.sleep(30)
        return 1024

    @dimensions.setter
    def dimensions(self, value):
        pass

class Models:
    @hookimpl
    def register_embedders(self, register):
        register(Slow(model_id="fake/slow"), aliases=("slow",))
        register(Locked(model_id="fake/locked"), aliases=("locked",))

pm.register(FakeBackends(), name="fakes")
pm.register(Models(), name="models")
cli()
"""


@pytest.fixture
def database(tmp_path: Path) -> Path:
    articles = tmp_path / "articles.jsonl"
    with articles.open("w") as file:
        for n in range(40):
            text = " ".join(
                f"Claim {n}.{s} says the budget rose by {n * s} percent."
                for s in range(1, 9)
            )
            file.write(json.dumps({"id": f"a{n}", "text": text, "language": "en"}))
            file.write("\n")
    db = tmp_path / "claims.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(articles), *FAKES])
    assert result.exit_code == 0, result.output
    return db


def _contents(db: Path) -> dict[str, list[tuple[object, ...]]]:
    database = Database(db)
    tables = ("embeddings", "claim_links", "claims", "tracked_claims")
    return {
        table: sorted(database.execute(f"select * from {table}").fetchall())
        for table in tables
    }


@pytest.mark.parametrize(
    ("model", "moment", "signum"),
    [
        ("slow", "embedding", signal.SIGINT),
        ("slow", "embedding", signal.SIGTERM),
        ("locked", "locked", signal.SIGTERM),
    ],
)
def test_an_interrupted_reembed_leaves_the_database_as_it_was(
    database: Path, tmp_path: Path, model: str, moment: str, signum: int
):
    before = _contents(database)
    script, mark = tmp_path / "slow_cli.py", tmp_path / "mark"
    script.write_text(SLOW_CLI)
    command = ["reembed", str(database), "--model", model]
    process = subprocess.Popen(
        [sys.executable, str(script), str(mark), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 120
    while not (mark.exists() and mark.read_text() == moment):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the reembed never got there"
        time.sleep(0.05)
    started = time.monotonic()
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == (
        f"Interrupted: reembed stopped before it finished; {database} is as it "
        "was. Run the same command again to finish."
    )
    if moment == "embedding":
        assert time.monotonic() - started < 5  # at the end of the batch under way
    assert _contents(database) == before
    assert Database(database).execute("pragma integrity_check").fetchone()[0] == "ok"
    check = CliRunner().invoke(cli, ["check", str(database)])
    assert check.exit_code == 0, check.output
    assert "model fake/bag-of-words" in check.output
