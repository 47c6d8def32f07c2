"""claimtrack serve and claimtrack publish: the arguments they give Datasette."""

from __future__ import annotations

import json
import shlex
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.publish.deploy import publish_args
from claimtrack.publish.metadata import build_metadata
from tests.publish_helpers import build_claims_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def claims_db(tmp_path: Path) -> Path:
    return build_claims_db(tmp_path / "claims.db")


def test_serve_is_read_only_on_loopback(
    claims_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datasette.cli import cli as datasette_cli

    calls: list[list[str]] = []
    monkeypatch.setattr(
        datasette_cli, "main", lambda args, prog_name: calls.append(args)
    )
    port = str(_free_port())
    result = CliRunner().invoke(
        cli, ["serve", str(claims_db), "--port", port], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    [args] = calls
    metadata_path = args[args.index("--metadata") + 1]
    assert args == [
        "serve",
        "--immutable",
        str(claims_db),
        "--metadata",
        metadata_path,
        "--host",
        "127.0.0.1",
        "--port",
        port,
        "--setting",
        "suggest_facets",
        "off",
    ]
    assert json.loads(Path(metadata_path).read_text()) == build_metadata("claims")


def test_publish_writes_metadata_and_prints_command(
    claims_db: Path, tmp_path: Path
) -> None:
    metadata_path = tmp_path / "out.json"
    result = CliRunner().invoke(
        cli,
        [
            "publish",
            str(claims_db),
            "--target",
            "cloudrun",
            "--metadata-file",
            str(metadata_path),
            "--full-install",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert shlex.split(result.stdout) == [
        "datasette",
        "publish",
        "cloudrun",
        "--service",
        "claims",
        str(claims_db),
        "--metadata",
        str(metadata_path),
        "--install",
        "claimtrack",
        "--extra-options",
        "--setting suggest_facets off",
    ]
    assert json.loads(metadata_path.read_text()) == build_metadata("claims")


def test_publish_defaults_to_a_local_package(claims_db: Path) -> None:
    result = CliRunner().invoke(cli, ["publish", str(claims_db)])
    assert result.exit_code == 0, result.output
    assert shlex.split(result.stdout)[:4] == ["datasette", "package", "--tag", "claims"]
    assert (claims_db.parent / "claims-metadata.json").exists()


def test_publish_args_for_heroku() -> None:
    assert publish_args("x.db", "m.json", target="heroku", name="demo")[:5] == [
        "datasette",
        "publish",
        "heroku",
        "--name",
        "demo",
    ]


def test_serve_review_is_writable_with_a_root_login(
    claims_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datasette.cli import cli as datasette_cli

    calls: list[list[str]] = []
    monkeypatch.setattr(
        datasette_cli, "main", lambda args, prog_name: calls.append(args)
    )
    port = str(_free_port())
    result = CliRunner().invoke(
        cli,
        ["serve", str(claims_db), "--review", "--reviewer", "alice", "--port", port],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    [args] = calls
    assert "--immutable" not in args and args[-1] == "--root"
    metadata = json.loads(Path(args[args.index("--metadata") + 1]).read_text())
    assert metadata["plugins"] == {
        "claimtrack": {"review": True, "reviewers": ["alice"]}
    }


def test_serve_on_a_busy_port_says_what_to_do(claims_db: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = CliRunner().invoke(cli, ["serve", str(claims_db), "--port", port])
    assert result.exit_code == 1
    assert "another port with --port" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_metadata_accepts_a_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["metadata", str(tmp_path / "news.db")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == build_metadata("news")
