"""claimtrack import-factchecks and export-claimreview: ClaimReview in and out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from claimtrack.claimreview import export_claim_reviews
from claimtrack.cli.group import cli
from claimtrack.cli.options import (
    database_argument,
    existing_database_argument,
    model_option,
    threshold_options,
)
from claimtrack.errors import FactCheckError, ReviewError
from claimtrack.factchecks import read_fact_checks
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker


@cli.command(name="import-factchecks")
@database_argument
@click.argument("locations", nargs=-1, required=True)
@model_option
@threshold_options
def import_factchecks(
    database: str,
    locations: tuple[str, ...],
    model: str,
    same_threshold: float | None,
    suggest_threshold: float | None,
) -> None:
    """Import fact-checks (schema.org ClaimReview) and link them to stored claims

    LOCATIONS are files, folders or http(s) URLs holding ClaimReview JSON-LD (an
    object, a list or an @graph), HTML pages that embed it, Google Fact Check
    Tools API responses, DataFeed documents (dataFeedElement), CSV files with the
    columns claim_reviewed, claimant, rating_text, rating_value, best_rating,
    worst_rating, reviewer, url, published, language, or CheckThat! vclaims.jsonl.
    Re-importing the same reviews changes nothing. A line, row or review that
    cannot be read is skipped with a warning that names it, and the others are
    imported; a location that cannot be read at all makes the exit status 1.

    \b
    Example:
        claimtrack import-factchecks claims.db reviews.json https://example.org/fc
    """
    skipped: list[FactCheckError] = []

    def skip(error: FactCheckError) -> None:
        skipped.append(error)
        click.echo(f"Skipped: {error}", err=True)

    # Read every review before opening the database: a failed import (a mistyped
    # path, a bad file) must not leave a new, empty database behind.
    records = list(read_fact_checks(locations, on_error=skip))
    failed = any(not isinstance(error, ReviewError) for error in skipped)
    if not records:
        click.echo(
            f"Imported 0 fact-checks, skipped {len(skipped)}: nothing to import; "
            f"{database} was not changed.",
            err=True,
        )
        sys.exit(1)
    created = not Path(database).exists()
    try:
        tracker = Tracker(
            database,
            embedder=model,
            same_threshold=same_threshold,
            suggest_threshold=suggest_threshold,
        )
        result = tracker.import_fact_checks(records)
    except BaseException:
        if created:
            for suffix in ("", "-wal", "-shm"):
                Path(database + suffix).unlink(missing_ok=True)
        raise
    same = sum(link.decision == "same" for link in result.links)
    click.echo(
        f"Imported {len(records)} fact-checks, skipped {len(skipped)}: "
        f"{result.added} added, {result.updated} updated, {result.unchanged} "
        f"unchanged; {len(result.links)} links ({same} same) -> {database}",
        err=True,
    )
    if failed:
        sys.exit(1)


@cli.command(name="export-claimreview")
@existing_database_argument
@click.option(
    "--tracked-claim",
    "tracked_claim_id",
    help="Only the fact-checks of this tracked claim (an id from tracked_claims)",
)
@click.option("--nl", is_flag=True, help="Output newline-delimited JSON")
def export_claimreview(database: str, tracked_claim_id: str | None, nl: bool) -> None:
    """Write ClaimReview JSON-LD for tracked claims that have a verdict

    Each review comes from a fact-check linked to the claim as "same", with
    appearance and firstAppearance taken from the articles where the claim was
    seen. Reviews that lack a field Google requires are skipped and reported.

    \b
    Example:
        claimtrack export-claimreview claims.db > claimreview.json
    """
    store = ClaimStore(database)
    skipped = 0

    def invalid(review: dict[str, object], problems: list[str]) -> None:
        nonlocal skipped
        skipped += 1
        click.echo(
            f"Skipped {review.get('url') or review.get('claimReviewed')}: "
            f"{'; '.join(problems)}",
            err=True,
        )

    reviews = export_claim_reviews(
        store, tracked_claim_id=tracked_claim_id, on_invalid=invalid
    )
    count = 0
    if nl:
        for review in reviews:
            count += 1
            click.echo(json.dumps(review, ensure_ascii=False))
    else:
        listed = list(reviews)
        count = len(listed)
        json.dump(listed, sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    click.echo(f"{count} ClaimReviews, {skipped} skipped", err=True)
