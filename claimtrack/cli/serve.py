"""Commands that publish a database: serve it with Datasette, print its metadata."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from claimtrack.cli.group import cli
from claimtrack.cli.options import existing_database_argument
from claimtrack.publish.metadata import build_metadata
from claimtrack.settings import DEFAULT_HOST, DEFAULT_PORT
from claimtrack.store import ClaimStore


@cli.command()
@existing_database_argument
@click.option("-p", "--port", type=int, default=DEFAULT_PORT, show_default=True, help="Port to listen on")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to bind; 0.0.0.0 exposes the server to the network")
@click.option("--mutable", is_flag=True, help="Serve a database that is still being written (default: immutable)")
def serve(database: str, port: int, host: str, mutable: bool) -> None:
    """Browse DATABASE in Datasette, read-only, with claimtrack's metadata and plugin

    \b
    Example:
        claimtrack serve claims.db --port 8001
    """
    from datasette.cli import cli as datasette_cli

    ClaimStore(database)  # refuse a file that is not a claimtrack database, migrate it
    metadata_path = Path(tempfile.mkdtemp(prefix="claimtrack-")) / "metadata.json"
    metadata_path.write_text(json.dumps(build_metadata(Path(database).stem), indent=2))
    datasette_cli.main(
        args=[
            "serve",
            *(["--immutable"] if not mutable else []),
            database,
            "--metadata",
            str(metadata_path),
            "--host",
            host,
            "--port",
            str(port),
        ],
        prog_name="claimtrack serve",
    )


@cli.command()
def metadata() -> None:
    """Print the Datasette metadata JSON for a claimtrack database

    \b
    Example:
        claimtrack metadata > datasette-metadata.json
    """
    click.echo(json.dumps(build_metadata(), indent=2, ensure_ascii=False))
