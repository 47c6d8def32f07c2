"""Crashes, concurrent writers and bad input lose nothing and corrupt nothing."""

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from claimtrack.cli import cli
from claimtrack.store import ClaimStore

FAKE_CLI = Path(__file__).parent / "fake_cli.py"
FAKES = ["--model", "fake", "--extractor", "fake", "--quiet"]
SERVE = [sys.executable, "-m", "claimtrack", "serve"]
TOTAL = 200  # articles in the batch the crash test kills
EACH = 100  # articles each concurrent ingest writes


def write_articles(path: Path, count: int, *, prefix: str = "a") -> Path:
    with path.open("w") as file:
        for number in range(count):
            text = " ".join(
                f"Claim {number}.{s} says the budget rose by {number * s} percent."
                for s in range(1, 9)
            )
            record = {"id": f"{prefix}{number}", "text": text, "language": "en"}
            file.write(json.dumps(record) + "\n")
    return path


def fake_ingest(db_path: Path, articles: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(FAKE_CLI), "ingest", str(db_path), str(articles), *FAKES],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_whole_articles_only(db_path: Path) -> int:
    db = Database(db_path)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    partial = list(
        db.query(
            """
            select articles.id from articles
            left join claims on claims.article_id = articles.id
            left join embeddings on embeddings.claim_id = claims.id
            group by articles.id
            having count(distinct claims.id) != 8 or count(embeddings.claim_id) != 8
            """
        )
    )
    assert partial == []
    orphans = db.execute(
        "select count(*) from claims where article_id not in (select id from articles)"
    ).fetchone()[0]
    assert orphans == 0
    return db.table("articles").count


@pytest.mark.parametrize("repetition", range(3))
def test_killed_ingest_leaves_whole_articles_and_resumes(
    tmp_path: Path, repetition: int
):
    db_path = tmp_path / "claims.db"
    articles = write_articles(tmp_path / "articles.jsonl", TOTAL)
    process = fake_ingest(db_path, articles)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if db_path.exists():
            try:
                stored = Database(db_path).table("articles").count
            except Exception:  # the schema may not exist yet
                continue
            if stored >= 10 + 20 * repetition:
                break
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = assert_whole_articles_only(db_path)
    assert 0 < stored < TOTAL
    resumed = fake_ingest(db_path, articles)
    _, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr
    assert f"{TOTAL - stored} added, 0 updated, {stored} unchanged" in stderr
    assert assert_whole_articles_only(db_path) == TOTAL


def test_two_concurrent_ingests_lose_nothing_while_datasette_reads(tmp_path: Path):
    db_path = tmp_path / "claims.db"
    seed = write_articles(tmp_path / "seed.jsonl", 1, prefix="seed-")
    assert fake_ingest(db_path, seed).wait(timeout=60) == 0
    first = write_articles(tmp_path / "first.jsonl", EACH, prefix="first-")
    second = write_articles(tmp_path / "second.jsonl", EACH, prefix="second-")
    port = free_port()
    server = subprocess.Popen(
        [*SERVE, str(db_path), "--mutable", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/claims.json?sql=select+count(*)+from+articles"
        wait_until_answering(url)
        processes = [fake_ingest(db_path, first), fake_ingest(db_path, second)]
        counts = []
        while any(process.poll() is None for process in processes):
            response = httpx.get(url, timeout=10)
            assert response.status_code == 200, response.text
            counts.append(response.json()["rows"][0][0])
            time.sleep(0.1)
        results = [process.communicate(timeout=300) for process in processes]
    finally:
        server.terminate()
        server.wait(timeout=30)
    for process, (_, stderr) in zip(processes, results, strict=True):
        assert process.returncode == 0, stderr
        assert "locked" not in stderr
        assert f"{EACH} added" in stderr
    assert len(counts) >= 3
    assert counts == sorted(
        counts
    )  # the reader saw the articles arrive, never lose one
    assert assert_whole_articles_only(db_path) == 2 * EACH + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answering(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def test_read_only_database_is_refused_without_traceback(tmp_path: Path):
    db_path = tmp_path / "claims.db"
    runner = CliRunner()
    articles = write_articles(tmp_path / "a.jsonl", 2)
    assert (
        runner.invoke(cli, ["ingest", str(db_path), str(articles), *FAKES]).exit_code
        == 0
    )
    Database(db_path).execute("pragma wal_checkpoint(truncate)")
    db_path.chmod(stat.S_IRUSR)
    try:
        more = write_articles(tmp_path / "b.jsonl", 2, prefix="b")
        result = subprocess.run(
            [sys.executable, str(FAKE_CLI), "ingest", str(db_path), str(more), *FAKES],
            capture_output=True,
            text=True,
            env={**os.environ},
            check=False,
        )
        if os.geteuid() != 0:
            assert result.returncode == 1, result.stderr
            assert "read-only" in result.stderr
            assert "Traceback" not in result.stderr
        listed = subprocess.run(
            [sys.executable, str(FAKE_CLI), "articles", str(db_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert listed.returncode == 0, listed.stderr
        assert {a["id"] for a in json.loads(listed.stdout)} >= {"a0", "a1"}
    finally:
        db_path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_huge_article_is_refused_with_a_clear_line(tmp_path: Path):
    path = tmp_path / "huge.txt"
    path.write_text("The budget rose by 5 percent. " * 700_000)  # about 21 MB
    result = CliRunner().invoke(
        cli, ["ingest", str(tmp_path / "c.db"), str(path), *FAKES]
    )
    assert result.exit_code == 1
    assert "more than the 2,000,000 allowed" in result.stderr
    assert "Traceback" not in result.output


def test_unsupported_language_is_one_line(tmp_path: Path):
    path = tmp_path / "de.txt"
    path.write_text(
        "Die Regierung hat am Montag neue Steuern angekündigt, sagte der Minister."
    )
    result = CliRunner().invoke(
        cli, ["ingest", str(tmp_path / "c.db"), str(path), "--model", "fake", "--quiet"]
    )
    assert result.exit_code == 1
    assert "language 'de'" in result.stderr
    assert "Supported languages: en, fr" in result.stderr
    assert ClaimStore(tmp_path / "c.db").count("articles") == 0
