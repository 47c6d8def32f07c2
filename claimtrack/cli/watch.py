"""claimtrack watch: poll RSS/Atom feeds and listing pages, ingest what is new."""

from __future__ import annotations

import sys

import click

from claimtrack.cli.group import cli
from claimtrack.cli.options import (
    database_argument,
    extractor_option,
    model_option,
    threshold_options,
)
from claimtrack.tracker import Tracker
from claimtrack.watch import Watcher, parse_interval


@cli.command()
@database_argument
@click.argument("feeds", nargs=-1, required=True)
@click.option(
    "--every",
    default="15m",
    show_default=True,
    help="Time between passes: 90s, 15m, 2h, 1d",
)
@click.option("--once", is_flag=True, help="One pass, then exit (for cron)")
@click.option(
    "--lang",
    "language",
    help="Language of every article (ISO 639-1); detected when omitted",
)
@click.option("--outlet", help="Outlet name for items whose feed gives none")
@model_option
@extractor_option
@threshold_options
def watch(
    database: str,
    feeds: tuple[str, ...],
    every: str,
    once: bool,
    language: str | None,
    outlet: str | None,
    model: str,
    extractor: str,
    same_threshold: float | None,
    suggest_threshold: float | None,
) -> None:
    """Poll RSS/Atom FEEDS and listing pages; ingest their new items into DATABASE

    FEEDS are feed URLs, pages that announce a feed with <link rel=alternate>, or
    listing pages (a section front page) whose article links are fetched when new.
    Each pass sends every feed its last ETag and Last-Modified (an unchanged feed
    answers 304), ingests the new items, and prints a summary on stderr. The state
    of each feed is in the table feeds. A failing feed is retried later, the wait
    doubling with each failure; the others go on. Ctrl-C or SIGTERM stops after
    the article being stored.

    \b
    Example:
        claimtrack watch claims.db https://www.lemonde.fr/rss/une.xml --every 15m
        claimtrack watch claims.db https://example.org/feed.xml --once
        claimtrack watch claims.db https://example.org/politics/ --every 30m
    """
    interval = parse_interval(every)
    tracker = Tracker(
        database,
        extractor=extractor,
        embedder=model,
        same_threshold=same_threshold,
        suggest_threshold=suggest_threshold,
    )
    watcher = Watcher(
        tracker,
        feeds,
        interval,
        report=lambda message: click.echo(message, err=True),
        language=language,
        outlet=outlet,
    )
    click.echo(
        f"Watching {len(watcher.urls)} feeds"
        + ("" if once else f" every {every}; Ctrl-C stops"),
        err=True,
    )
    with watcher.stopping_on_signals():
        summaries = watcher.run(once=once)
    tracker.store.checkpoint()
    if once and summaries and all(o.status == "failed" for o in summaries[-1].outcomes):
        sys.exit(1)
