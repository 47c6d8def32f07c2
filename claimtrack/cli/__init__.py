"""The command-line interface: parse, call the library, print.

Each module holds one family of commands; importing them registers them on ``cli``.
"""

from claimtrack.cli import browse, evaluate, ingest, serve, system
from claimtrack.cli.group import cli

__all__ = ["browse", "cli", "evaluate", "ingest", "serve", "system"]
