"""The command-line interface: parse, call the library, print.

Each module holds one family of commands; importing them registers them on ``cli``.
"""

from claimtrack.cli import (
    browse,
    check,
    eval_extraction,
    eval_matching,
    eval_retrieval,
    evaluate,
    factchecks,
    ingest,
    serve,
    system,
    watch,
)
from claimtrack.cli.group import cli

__all__ = [
    "browse",
    "check",
    "cli",
    "eval_extraction",
    "eval_matching",
    "eval_retrieval",
    "evaluate",
    "factchecks",
    "ingest",
    "serve",
    "system",
    "watch",
]
