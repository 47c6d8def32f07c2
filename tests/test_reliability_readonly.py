"""Read-only is a mode: a database that cannot be written is listed, searched and
served (issue 16.6)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.errors import StoreError
from claimtrack.store import ClaimStore

FAKE_CLI = Path(__file__).parent / "fake_cli.py"
ROOT = Path(__file__).parent.parent
FAKES = ["--model", "fake", "--extractor", "fake", "--quiet"]
TEXT = (
    "The mayor said the new bridge cost 40 million euros. "
    "The council said the bridge opened in March."
)
# As root every file is writable: the commands run without the capabilities that
# override file permissions, so that a read-only folder is read-only for them too.
NO_OVERRIDE = (
    [
        "setpriv",
        "--inh-caps=-all",
        "--bounding-set=-dac_override,-dac_read_search",
        "--",
    ]
    if os.geteuid() == 0
    else []
)


@pytest.fixture
def read_only_folder() -> Iterator[Path]:
    """A folder with a WAL claimtrack database in it, both read-only."""
    folder = Path(tempfile.mkdtemp(prefix="claimtrack-ro-"))
    db = folder / "claims.db"
    source = folder / "news.txt"
    source.write_text(TEXT)
    result = CliRunner().invoke(
        cli, ["ingest", str(db), str(source), "--lang", "en", *FAKES]
    )
    assert result.exit_code == 0, result.output
    ClaimStore(db).checkpoint()
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NO_OVERRIDE, sys.executable, str(FAKE_CLI), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": "/tmp"},
        cwd="/tmp",
        check=False,
    )


def test_a_database_in_a_read_only_folder_is_listed_and_searched(
    read_only_folder: Path,
):
    db = str(read_only_folder / "claims.db")
    listed = _run("claims", db)
    assert listed.returncode == 0, listed.stderr
    texts = [claim["text"] for claim in json.loads(listed.stdout)]
    assert any("40 million euros" in text for text in texts)
    found = _run("search", db, "bridge cost euros", "--model", "fake")
    assert found.returncode == 0, found.stderr
    assert "40 million euros" in found.stdout
    refused = _run("ingest", db, str(read_only_folder / "news.txt"), *FAKES)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert "read-only" in refused.stderr


@pytest.mark.parametrize("mode", ["mode=ro", "immutable=1"])
def test_a_read_only_uri_is_a_read_only_store(tmp_path: Path, mode: str):
    db = tmp_path / "claims.db"
    source = tmp_path / "news.txt"
    source.write_text(TEXT)
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(db), str(source), *FAKES]).exit_code == 0
    uri = f"file:{db}?{mode}"
    store = ClaimStore(uri)
    assert store.read_only and store.count("claims") == 2
    listed = runner.invoke(
        cli,
        [
            "claims",
            uri,
        ],
    )
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.output)) == 2
    with pytest.raises(StoreError, match="read-only"), store.write_transaction():
        store.db.execute("delete from claims")
    assert ClaimStore(db).count("claims") == 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_database_in_a_read_only_folder_is_served(read_only_folder: Path):
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            str(FAKE_CLI),
            "serve",
            str(read_only_folder / "claims.db"),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": "/tmp"},
        cwd="/tmp",
    )
    try:
        answer = None
        for _ in range(120):
            try:
                answer = httpx.get(
                    f"http://127.0.0.1:{port}/claims/claims.json?_shape=array"
                )
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()[1]
                time.sleep(0.5)
        assert answer is not None and answer.status_code == 200, answer
        assert len(answer.json()) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not stat.S_IMODE(read_only_folder.stat().st_mode) & 0o222
