"""claimtrack serve and claimtrack publish: the arguments they give Datasette."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.publish.deploy import publish_args
from claimtrack.publish.metadata import build_metadata
from tests.publish_helpers import build_claims_db


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
    result = CliRunner().invoke(cli, ["serve", str(claims_db)], catch_exceptions=False)
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
        "8001",
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
