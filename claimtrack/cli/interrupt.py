"""Ctrl-C and SIGTERM during a long rewrite: one line, the database as it was."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click

# The exit status of a command stopped by a signal, as shells report SIGINT.
INTERRUPTED_STATUS = 130


@contextmanager
def stops_cleanly(
    database: str, command: str, *, left: str = "is as it was"
) -> Iterator[None]:
    """Run a command that writes in transactions; a signal stops it cleanly.

    Args:
        left: what the database is after an interrupted run (the command's promise).

    SIGTERM is turned into KeyboardInterrupt, as Ctrl-C is, so that the write
    transaction under way rolls back (``ClaimStore.write_transaction``) instead of
    the process dying mid-way; either prints one line saying nothing was changed.
    """

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, interrupt) if main else None
    try:
        yield
    except KeyboardInterrupt:
        click.echo(
            f"Interrupted: {command} stopped before it finished; {database} {left}. "
            "Run the same command again to finish.",
            err=True,
        )
        sys.exit(INTERRUPTED_STATUS)
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
