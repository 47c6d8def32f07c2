"""Commands that publish a database: serve it, deploy it, print its metadata."""

from __future__ import annotations

import json
import shlex
import socket
import tempfile
from pathlib import Path
from typing import Any

import click

from claimtrack.cli.group import cli
from claimtrack.cli.options import existing_database_argument
from claimtrack.publish.deploy import publish_args, serve_args, write_plugin_folder
from claimtrack.publish.metadata import DATABASE_NAME, build_metadata
from claimtrack.settings import DEFAULT_HOST, DEFAULT_PORT
from claimtrack.store import ClaimStore, database_path


def _write_metadata(
    database: str, path: Path, plugin_config: dict[str, Any] | None = None
) -> Path:
    metadata = build_metadata(Path(database).stem)
    if plugin_config:
        metadata["plugins"] = {"claimtrack": plugin_config}
    path.write_text(
        json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path


def _check_port_is_free(host: str, port: int) -> None:
    """Refuse a busy port with one line, before Datasette prints a raw error."""
    with socket.socket(
        socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM
    ) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise click.ClickException(
                f"Cannot listen on {host}:{port} ({error.strerror or error}): give "
                "another port with --port, or stop the server using it."
            ) from error


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
@click.option(
    "--review",
    is_flag=True,
    help="Open the review queue at /-/claimtrack/review: the database is served "
    "writable and Datasette prints a login link for the root actor",
)
@click.option(
    "--reviewer",
    "reviewers",
    multiple=True,
    metavar="ACTOR_ID",
    help="With --review, an actor id (from an authentication plugin) who may "
    "review besides root; repeat for several",
)
def serve(
    database: str,
    port: int,
    host: str,
    mutable: bool,
    review: bool,
    reviewers: tuple[str, ...],
) -> None:
    """Browse DATABASE in Datasette, read-only, with claimtrack's metadata and plugin

    Only 127.0.0.1 can reach it unless --host says otherwise. Each claim, tracked
    claim, article and speaker has a page (/-/claimtrack/claim/ID, ...); the canned
    query semantic_search searches by meaning. Without --review the server has no
    route that writes.

    \b
    Example:
        claimtrack serve claims.db --port 8001
        claimtrack serve claims.db --review    # then open the printed login link
    """
    from datasette.cli import cli as datasette_cli

    if reviewers and not review:
        raise click.UsageError("--reviewer needs --review.")
    _check_port_is_free(host, port)
    store = ClaimStore(database)  # refuses a file that is not a claimtrack database
    if review and store.read_only:
        raise click.ClickException(
            "This database is read-only: --review needs to write decisions. "
            "Give a writable copy."
        )
    if not (mutable or review):
        store.checkpoint()
    # A read-only file (or folder, or URI) is served immutable: nothing writes it.
    immutable = not (mutable or review) or store.read_only
    database = database_path(database)
    folder = Path(tempfile.mkdtemp(prefix="claimtrack-"))
    config = {"review": True, "reviewers": list(reviewers)} if review else None
    metadata_path = _write_metadata(database, folder / "metadata.json", config)
    args = serve_args(
        database, metadata_path, host=host, port=port, immutable=immutable
    )
    datasette_cli.main(
        # --root makes Datasette print a one-time login link for the root actor.
        args=[*args, "--root"] if review else args,
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
@click.option(
    "--full-install",
    is_flag=True,
    help="Install claimtrack with all its dependencies (torch, the models) so that "
    "semantic search embeds queries; by default only what serving SQL needs",
)
def publish(
    database: str,
    target: str,
    name: str | None,
    metadata_file: Path | None,
    full_install: bool,
) -> None:
    """Write DATABASE's metadata and print the Datasette command that deploys it

    The printed command uses Datasette's own publish/package mechanisms and serves
    the database read-only. The plugin goes in as source (DATABASE-plugins/ beside
    the database, given as --plugins-dir) with only what serving SQL needs: no
    torch, spaCy or model. Every page, table, canned query and SQL function works
    except those that embed a text (the semantic_search query, claimtrack_embed),
    which answer with an error; --full-install installs claimtrack whole instead.
    Publish only data you may redistribute: the benchmark data sets are for
    research use.

    \b
    Example:
        claimtrack publish claims.db --target cloudrun | sh
    """
    ClaimStore(database)  # refuse a file that is not a claimtrack database, migrate it
    path = metadata_file or Path(database).with_name(
        f"{Path(database).stem}-metadata.json"
    )
    _write_metadata(database, path)
    plugins = None
    if not full_install:
        plugins = write_plugin_folder(
            Path(database).with_name(f"{Path(database).stem}-plugins")
        )
    click.echo(
        shlex.join(
            publish_args(database, path, target=target, name=name, plugins_dir=plugins)
        )
    )


@cli.command()
@click.argument(
    "database", required=False, type=click.Path(dir_okay=False, path_type=str)
)
def metadata(database: str | None) -> None:
    """Print the Datasette metadata JSON for a claimtrack database

    With DATABASE, the metadata names it as Datasette will (its file name without
    the extension); without, it names "claims" (claims.db).

    \b
    Example:
        claimtrack metadata > datasette-metadata.json
        claimtrack metadata news.db > news-metadata.json
    """
    name = Path(database).stem if database else DATABASE_NAME
    click.echo(json.dumps(build_metadata(name), indent=2, ensure_ascii=False))


@cli.command()
@existing_database_argument
def reviews(database: str) -> None:
    """Print the review decisions in DATABASE as labelled pairs, one JSON a line

    Each line is {"a", "b", "label", "kind", "a_text", "b_text", "reviewer",
    "reviewed_at"}: label is same, opposite or different (a rejected link), the
    latest decision of each pair; ready to train the matching model on.

    \b
    Example:
        claimtrack reviews claims.db > reviewed-pairs.jsonl
    """
    from claimtrack.reviews import export_pairs

    store = ClaimStore(database)
    for pair in export_pairs(store.db):
        click.echo(json.dumps(pair, ensure_ascii=False))
