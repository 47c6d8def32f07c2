"""Commands that list what a database holds: claims, articles, links, search."""

from __future__ import annotations

import sys

import click

from claimtrack.cli.group import cli
from claimtrack.cli.options import (
    existing_database_argument,
    limit_option,
    model_option,
    output_options,
)
from claimtrack.output import OutputFormat, emit_rows
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker


@cli.command()
@existing_database_argument
@click.option("--article", "article_id", help="Only the claims of this article id")
@limit_option
@output_options
def claims(
    database: str,
    article_id: str | None,
    limit: int | None,
    output_format: OutputFormat,
) -> None:
    """List stored claims with their speaker, offsets and article

    \b
    Example:
        claimtrack claims claims.db --table -n 20
    """
    store = ClaimStore(database)
    if article_id is not None and store.article_fingerprint(article_id) is None:
        raise click.ClickException(
            f"No article has the id {article_id!r}; 'claimtrack articles "
            f"{database}' lists them."
        )
    emit_rows(
        store.claim_rows(article_id=article_id, limit=limit),
        output_format,
        sys.stdout,
        table_columns=("position", "outlet", "speaker", "cue", "text"),
    )


@cli.command()
@existing_database_argument
@output_options
def articles(database: str, output_format: OutputFormat) -> None:
    """List stored articles (without their text) and how many claims each has

    \b
    Example:
        claimtrack articles claims.db --table
    """
    emit_rows(ClaimStore(database).articles(), output_format, sys.stdout)


@cli.command()
@existing_database_argument
@output_options
def links(database: str, output_format: OutputFormat) -> None:
    """List links between claims and earlier claims, best score first

    \b
    Example:
        claimtrack links claims.db --nl | jq -r .earlier_text
    """
    emit_rows(
        ClaimStore(database).links(),
        output_format,
        sys.stdout,
        table_columns=("score", "decision", "claim_text", "earlier_text"),
    )


@cli.command()
@existing_database_argument
@limit_option
@output_options
def tracked(database: str, limit: int | None, output_format: OutputFormat) -> None:
    """List tracked claims (clusters of mentions), most mentioned first

    \b
    Example:
        claimtrack tracked claims.db -n 10 --table
    """
    rows = (
        claim.model_dump() for claim in ClaimStore(database).tracked_claims(limit=limit)
    )
    emit_rows(rows, output_format, sys.stdout)


@cli.command()
@existing_database_argument
@click.argument("text")
@click.option(
    "-k",
    "--top",
    "k",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many claims to return",
)
@model_option
@output_options
def search(
    database: str, text: str, k: int, model: str, output_format: OutputFormat
) -> None:
    """Find the stored claims closest in meaning to TEXT

    \b
    Example:
        claimtrack search claims.db "Russia is preparing to use nuclear weapons"
    """
    hits = Tracker(database, embedder=model).search(text, k=k)
    rows = ({"score": hit.score, **hit.claim.model_dump()} for hit in hits)
    emit_rows(
        rows,
        output_format,
        sys.stdout,
        table_columns=("score", "speaker", "language", "text"),
    )
