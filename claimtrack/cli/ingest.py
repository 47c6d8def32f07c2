"""claimtrack ingest: read articles, run the pipeline, store them."""

from __future__ import annotations

import sys
from collections import Counter

import click
from tqdm import tqdm

from claimtrack.cli.group import cli
from claimtrack.cli.interrupt import stops_cleanly
from claimtrack.cli.options import (
    database_argument,
    existing_database_argument,
    extractor_option,
    model_option,
    published_callback,
    threshold_options,
)
from claimtrack.errors import ClaimtrackError
from claimtrack.models import Article, IngestResult
from claimtrack.sources import read_articles
from claimtrack.tracker import Tracker
from claimtrack.tracker import reembed as reembed_database


@cli.command()
@database_argument
@click.argument("locations", nargs=-1, required=True)
@click.option(
    "--lang",
    "language",
    help="Language of every article (ISO 639-1, e.g. fr); detected when omitted",
)
@click.option(
    "--outlet",
    help="Outlet name for articles that do not give one (default: the URL's host)",
)
@click.option(
    "--published",
    callback=published_callback,
    help="Publication date for articles that do not give one, e.g. 2022-03-01 "
    "(any full date; stored as ISO 8601 UTC). Undated articles stay undated",
)
@model_option
@extractor_option
@threshold_options
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: this process; ray: extraction and embedding on Ray workers",
)
@click.option(
    "--address", help="Ray cluster to join (--engine ray); default: start one here"
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Ray workers, each loading the models once (--engine ray)",
)
@click.option("--quiet", is_flag=True, help="No progress bar")
def ingest(
    database: str,
    locations: tuple[str, ...],
    language: str | None,
    outlet: str | None,
    published: str | None,
    model: str,
    extractor: str,
    same_threshold: float | None,
    suggest_threshold: float | None,
    engine: str,
    address: str | None,
    workers: int,
    quiet: bool,
) -> None:
    """Extract, embed and match the claims of articles, storing them in DATABASE

    LOCATIONS are files, folders (read recursively) or http(s) URLs: plain text,
    HTML, RSS/Atom, JSON, newline-delimited JSON or CSV with the columns
    id, url, title, outlet, published, language, text. Bad items are skipped,
    reported at the end, and make the exit status 1.

    With --engine ray (pip install 'claimtrack[ray]') the articles are extracted
    and embedded by Ray Data workers, here or on the cluster at --address, and
    this process matches and stores them in order, as the local engine does.

    \b
    Example:
        claimtrack ingest claims.db examples/articles/ --outlet "CNN"
        claimtrack ingest claims.db big.jsonl --engine ray --workers 4
    """
    tracker = Tracker(
        database,
        extractor=extractor,
        embedder=model,
        same_threshold=same_threshold,
        suggest_threshold=suggest_threshold,
    )
    failures: list[str] = []
    counts: Counter[str] = Counter()

    def source_failed(source: str, error: ClaimtrackError) -> None:
        failures.append(f"{error}")

    def article_failed(article: Article, error: ClaimtrackError) -> None:
        failures.append(f"{article.source or article.id}: {error}")

    articles = read_articles(
        locations,
        language=language,
        outlet=outlet,
        published=published,
        on_error=source_failed,
    )
    with tqdm(desc="Ingesting", unit="article", file=sys.stderr, disable=quiet) as bar:

        def progress(result: IngestResult) -> None:
            counts[result.status] += 1
            counts["claims"] += len(result.claims)
            counts["links"] += len(result.links)
            bar.update()

        if engine == "ray":
            from claimtrack.engines.ray_engine import ingest_with_ray

            results = ingest_with_ray(
                tracker,
                articles,
                extractor=extractor,
                embedder=model,
                address=address,
                workers=workers,
                on_error=article_failed,
                progress=progress,
            )
        else:
            results = tracker.ingest_many(
                articles, on_error=article_failed, progress=progress
            )
        for _ in results:
            pass
    for failure in failures:
        click.echo(f"Skipped: {failure}", err=True)
    click.echo(
        f"{counts['added']} added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {len(failures)} failed; "
        f"{counts['claims']} claims, {counts['links']} links -> {database}",
        err=True,
    )
    if failures:
        sys.exit(1)


@cli.command()
@existing_database_argument
@model_option
@threshold_options
def reembed(
    database: str,
    model: str,
    same_threshold: float | None,
    suggest_threshold: float | None,
) -> None:
    """Move DATABASE to another embedding model: new vectors, links and clusters

    Every claim and fact-check is embedded again and the articles are matched
    again in publication order. The old vectors are replaced in one transaction.

    \b
    Example:
        claimtrack reembed claims.db --model minilm
    """
    with stops_cleanly(database, "reembed"):
        result = reembed_database(
            database,
            model,
            same_threshold=same_threshold,
            suggest_threshold=suggest_threshold,
        )
    click.echo(
        f"{result.claims} claims and {result.fact_checks} fact-checks embedded with "
        f"{result.model_id}; {result.links} links, "
        f"{result.fact_check_links} fact-check links -> {database}",
        err=True,
    )
