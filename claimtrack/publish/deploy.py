"""Build the Datasette command lines that serve or deploy a claim database.

claimtrack adds nothing to Datasette's own ``publish`` and ``package`` mechanisms: it
writes the metadata and the plugin, and names what to install. Deployments are
read-only because ``datasette publish`` and ``datasette package`` serve databases as
immutable.

A deployment only serves SQL, so it installs only what the plugin imports
(``LEAN_REQUIREMENTS``): no torch, spaCy or model. ``pip install claimtrack`` would
bring them all (an extra can add dependencies, never remove them), so the plugin
goes in as source instead, through Datasette's ``--plugins-dir``: a copy of the
claimtrack package and a loader module that registers its hooks
(:func:`write_plugin_folder`).
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

# Datasette's built-in deploy targets ("package" builds a Docker image locally);
# others (vercel, fly) come from Datasette plugins and are passed through as given.
BUILT_IN_TARGETS = ("package", "cloudrun", "heroku")
PLUGIN_PACKAGE = "claimtrack"
# What the plugin imports to serve a database (besides Datasette, always installed):
# measured by benchmarks/lean_serve.py, enforced by tests/test_reliability_deploy.py.
LEAN_REQUIREMENTS = (
    "sqlite-utils",
    "numpy",
    "pydantic",
    "pluggy",
    "faiss-cpu",
    "pysqlite3-binary",
)
# The plugins folder's loader: Datasette imports every *.py file of the folder as a
# plugin module, so this one puts the copied package on the path and takes its hooks.
LOADER = '''"""The claimtrack Datasette plugin, from the copy beside this file.

Written by ``claimtrack publish``: the deployment installs only what serving needs,
not claimtrack with its models.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "claimtrack_lib"))

from claimtrack.publish import datasette_plugin  # noqa: E402

globals().update(
    (name, value)
    for name, value in vars(datasette_plugin).items()
    if hasattr(value, "datasette_impl")
)
'''


# Datasette settings for every server claimtrack starts or deploys. Facet
# suggestions cost one query per column and facet kind on every table page (55 of
# the claims table's 72 queries, each a hop to Datasette's SQL thread): the
# slowest part of the page on a loaded machine. The tables' own facets (metadata)
# stay, and any column can still be faceted from its column menu (allow_facet).
SETTINGS: dict[str, bool] = {"suggest_facets": False}


def setting_args() -> list[str]:
    """Return SETTINGS as ``datasette serve`` options."""
    return [
        arg
        for name, value in SETTINGS.items()
        for arg in ("--setting", name, "on" if value else "off")
    ]


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
        *setting_args(),
    ]


def write_plugin_folder(folder: str | Path) -> Path:
    """Write a Datasette plugins folder that serves claimtrack without installing it.

    The folder holds ``claimtrack_plugin.py`` (:data:`LOADER`) and
    ``claimtrack_lib/claimtrack``, a copy of this claimtrack package (Python files,
    templates and data; no caches). A folder written before is replaced.
    """
    import claimtrack

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    library = folder / "claimtrack_lib"
    shutil.rmtree(library, ignore_errors=True)
    shutil.copytree(
        Path(claimtrack.__file__).parent,
        library / "claimtrack",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    (folder / "claimtrack_plugin.py").write_text(LOADER, encoding="utf-8")
    return folder


def publish_args(
    database: str | Path,
    metadata_path: str | Path,
    *,
    target: str = "package",
    name: str | None = None,
    plugins_dir: str | Path | None = None,
) -> list[str]:
    """Return the ``datasette`` command line that deploys database with the plugin.

    Args:
        database: the claim database file.
        metadata_path: a file holding build_metadata() for this database.
        target: "package" for a local Docker image, or a ``datasette publish``
            provider such as "cloudrun", "heroku", "vercel" or "fly".
        name: the image tag or service name; defaults to the database's name.
        plugins_dir: a folder from :func:`write_plugin_folder`: the deployment
            installs ``LEAN_REQUIREMENTS`` only. Without it, it installs claimtrack
            with every dependency (torch and the models included).

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
    if plugins_dir is None:
        installs = ["--install", PLUGIN_PACKAGE]
    else:
        installs = ["--plugins-dir", str(plugins_dir)]
        for requirement in LEAN_REQUIREMENTS:
            installs += ["--install", requirement]
    # The deployed server gets the same settings through "datasette serve".
    extra = ["--extra-options", shlex.join(setting_args())]
    return [
        *command,
        str(database),
        "--metadata",
        str(metadata_path),
        *installs,
        *extra,
    ]
