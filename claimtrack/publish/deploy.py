"""Build the Datasette command lines that serve or deploy a claim database.

claimtrack adds nothing to Datasette's own ``publish`` and ``package`` mechanisms: it
writes the metadata and names the plugin to install. Deployments are read-only because
``datasette publish`` and ``datasette package`` serve databases as immutable.
"""

from __future__ import annotations

from pathlib import Path

# Datasette's built-in deploy targets ("package" builds a Docker image locally);
# others (vercel, fly) come from Datasette plugins and are passed through as given.
BUILT_IN_TARGETS = ("package", "cloudrun", "heroku")
PLUGIN_PACKAGE = "claimtrack"


def serve_args(
    database: str | Path,
    metadata_path: str | Path,
    *,
    host: str,
    port: int,
    immutable: bool = True,
) -> list[str]:
    """Return the ``datasette serve`` arguments for browsing database read-only.

    Args:
        database: the claim database file.
        metadata_path: a file holding build_metadata() for this database.
        host: the address to bind; 127.0.0.1 keeps the server off the network.
        port: the port to listen on.
        immutable: serve the file as immutable (read-only, faster counts).
    """
    # A database still being written is opened read-only but with locking: SQLite
    # cannot open a WAL database without its lock (which is what --nolock removes).
    return [
        "serve",
        *(["--immutable"] if immutable else []),
        str(database),
        "--metadata",
        str(metadata_path),
        "--host",
        host,
        "--port",
        str(port),
    ]


def publish_args(
    database: str | Path,
    metadata_path: str | Path,
    *,
    target: str = "package",
    name: str | None = None,
) -> list[str]:
    """Return the ``datasette`` command line that deploys database with the plugin.

    Args:
        database: the claim database file.
        metadata_path: a file holding build_metadata() for this database.
        target: "package" for a local Docker image, or a ``datasette publish``
            provider such as "cloudrun", "heroku", "vercel" or "fly".
        name: the image tag or service name; defaults to the database's name.

    Example:
        >>> publish_args("claims.db", "metadata.json", target="cloudrun")[:3]
        ['datasette', 'publish', 'cloudrun']
    """
    name = name or Path(database).stem
    if target == "package":
        command = ["datasette", "package", "--tag", name]
    else:
        flag = "--service" if target == "cloudrun" else "--name"
        command = ["datasette", "publish", target, flag, name]
    return [
        *command,
        str(database),
        "--metadata",
        str(metadata_path),
        "--install",
        PLUGIN_PACKAGE,
    ]
