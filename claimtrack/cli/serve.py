"""Commands that publish a database: serve it, deploy it, print its metadata."""

from __future__ import annotations

import json
import shlex
import tempfile
from pathlib import Path

import click

from claimtrack.cli.group import cli
from claimtrack.cli.options import existing_database_argument
from claimtrack.publish.deploy import publish_args, serve_args
from claimtrack.publish.metadata import build_metadata
from claimtrack.settings import DEFAULT_HOST, DEFAULT_PORT
from claimtrack.store import ClaimStore, database_path


def _write_metadata(database: str, path: Path) -> Path:
    path.write_text(
        json.dumps(build_metadata(Path(database).stem), indent=2, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    return path


@cli.command()
@existing_database_argument
@click.option(
    "-p",
    "--port",
    type=int,
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on",
)
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to bind; 0.0.0.0 exposes the server to the network",
)
@click.option(
    "--mutable",
    is_flag=True,
    help="Serve a database that is still being written (default: immutable)",
)
def serve(database: str, port: int, host: str, mutable: bool) -> None:
    """Browse DATABASE in Datasette, read-only, with claimtrack's metadata and plugin

    Only 127.0.0.1 can reach it unless --host says otherwise. Each claim has a page
    at /-/claimtrack/claim/ID; the canned query semantic_search searches by meaning.

    \b
    Example:
        claimtrack serve claims.db --port 8001
    """
    from datasette.cli import cli as datasette_cli

    store = ClaimStore(database)  # refuses a file that is not a claimtrack database
    if not mutable:
        store.checkpoint()
    # A read-only file (or folder, or URI) is served immutable: nothing writes it.
    immutable = not mutable or store.read_only
    database = database_path(database)
    folder = Path(tempfile.mkdtemp(prefix="claimtrack-"))
    metadata_path = _write_metadata(database, folder / "metadata.json")
    datasette_cli.main(
        args=serve_args(
            database, metadata_path, host=host, port=port, immutable=immutable
        ),
        prog_name="claimtrack serve",
    )


@cli.command()
@existing_database_argument
@click.option(
    "--target",
    default="package",
    show_default=True,
    help="'package' for a local Docker image, or a 'datasette publish' provider "
    "(cloudrun, heroku, or vercel/fly with their Datasette plugins)",
)
@click.option("--name", help="Image tag or service name (default: the database name)")
@click.option(
    "--metadata-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the metadata (default: DATABASE-metadata.json beside it)",
)
def publish(
    database: str, target: str, name: str | None, metadata_file: Path | None
) -> None:
    """Write DATABASE's metadata and print the Datasette command that deploys it

    The printed command uses Datasette's own publish/package mechanisms, installs
    claimtrack as the plugin, and serves the database read-only. Publish only
    data you may redistribute: the benchmark data sets are for research use.

    \b
    Example:
        claimtrack publish claims.db --target cloudrun | sh
    """
    ClaimStore(database)  # refuse a file that is not a claimtrack database, migrate it
    path = metadata_file or Path(database).with_name(
        f"{Path(database).stem}-metadata.json"
    )
    _write_metadata(database, path)
    click.echo(shlex.join(publish_args(database, path, target=target, name=name)))


@cli.command()
def metadata() -> None:
    """Print the Datasette metadata JSON for a claimtrack database

    \b
    Example:
        claimtrack metadata > datasette-metadata.json
    """
    click.echo(json.dumps(build_metadata(), indent=2, ensure_ascii=False))
