"""claimtrack check: verify a database's invariants, and restore them with --repair."""

from __future__ import annotations

import sys

import click

from claimtrack.check import check_database, repair_database
from claimtrack.cli.group import cli
from claimtrack.cli.interrupt import stops_cleanly
from claimtrack.cli.options import existing_database_argument
from claimtrack.plugins import get_embedder
from claimtrack.store import ClaimStore


@cli.command()
@existing_database_argument
@click.option(
    "--repair",
    is_flag=True,
    help="Restore the invariants: delete dangling rows, embed what lacks a vector "
    "and match every claim again (links and tracked claims as an ingest gives), "
    "recount every tracked claim",
)
def check(database: str, repair: bool) -> None:
    """Verify DATABASE: one model, every claim embedded and tracked, true counts

    Also that no link, vector or tracked claim points to something missing, and
    SQLite's integrity and foreign-key checks. Exits 1 when a problem remains.

    \b
    Example:
        claimtrack check claims.db
        claimtrack check claims.db --repair
    """
    store = ClaimStore(database)
    with stops_cleanly(
        database,
        "check --repair",
        left="keeps the repairs that finished and none half-done",
    ):
        report = (
            repair_database(store, get_embedder) if repair else check_database(store)
        )
    for action in report.repaired:
        click.echo(f"Repaired: {action}", err=True)
    for problem, count in report.problems.items():
        click.echo(f"Problem: {count:,} {problem}", err=True)
    if report.ok:
        models = ", ".join(report.model_ids) or "no vectors yet"
        click.echo(
            f"OK: {store.count('claims'):,} claims, "
            f"{store.count('tracked_claims'):,} tracked claims, model {models}",
            err=True,
        )
        return
    hint = (
        "Several models: run 'claimtrack reembed DATABASE --model NAME'."
        if len(report.model_ids) > 1
        else "Run 'claimtrack check DATABASE --repair' to restore them."
    )
    click.echo(hint, err=True)
    sys.exit(1)
