"""The plugin's pages: one claim, tracked claim, article, speaker or fact-check.

Each page checks, before it reads anything, that its database is a claimtrack
database and that the actor may view every table it reads; an unknown id is a 404
that costs one indexed lookup.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from datasette.utils.asgi import NotFound, Response

from claimtrack.publish import (
    article_page,
    claim_page,
    fact_check_page,
    speaker_page,
    tracked_claim_page,
)
from claimtrack.publish.pages import (
    PREFIX,
    error_page,
    not_found,
    page_database,
    render_page,
)

Handler = Callable[[Any, Any], Awaitable[Response]]


def row_crumbs(
    datasette: Any, database: str, table: str, label: str, item_id: str
) -> list[tuple[str, str | None]]:
    """The breadcrumb after the database: its table, then the row ("claim 98496bd9")."""
    return [
        (table, datasette.urls.table(database, table)),
        (f"{label} {item_id[:8]}", None),
    ]


async def claim(datasette: Any, request: Any) -> Response:
    """Show one claim: sentence with the span highlighted, timeline, links, verdicts."""
    database = await page_database(datasette, request, claim_page.TABLES)
    claim_id = request.url_vars["item_id"]
    context = await claim_page.claim_context(database, claim_id)
    if context is None:
        raise not_found("claim", claim_id)
    # database / table / row, as on Datasette's own pages; the tracked claim is
    # linked from the page itself
    crumbs = row_crumbs(datasette, database.name, "claims", "claim", claim_id)
    context.update(database=database.name, breadcrumbs=crumbs)
    return await render_page(datasette, request, "claimtrack_claim.html", context)


async def _listed_page(
    datasette: Any,
    request: Any,
    *,
    tables: Any,
    load: Any,
    label: str,
    table: str,
    template: str,
) -> Response:
    """One page of a claimtrack item: permission-checked, 404 when absent, with a
    breadcrumb back to the item's table."""
    database = await page_database(datasette, request, tables)
    item_id = request.url_vars["item_id"]
    context = await load(database, item_id)
    if context is None:
        raise not_found(label, item_id)
    context.update(
        database=database.name,
        breadcrumbs=row_crumbs(datasette, database.name, table, label, item_id),
    )
    return await render_page(datasette, request, template, context)


async def tracked(datasette: Any, request: Any) -> Response:
    """Show a tracked claim: its mentions in time order, chart, fact-checks."""
    return await _listed_page(
        datasette,
        request,
        tables=tracked_claim_page.TABLES,
        load=tracked_claim_page.tracked_claim_context,
        label="tracked claim",
        table="tracked_claims",
        template="claimtrack_tracked.html",
    )


async def article(datasette: Any, request: Any) -> Response:
    """Show an article's text with its claims marked and linked."""
    return await _listed_page(
        datasette,
        request,
        tables=article_page.TABLES,
        load=article_page.article_context,
        label="article",
        table="articles",
        template="claimtrack_article.html",
    )


async def speaker(datasette: Any, request: Any) -> Response:
    """Show a speaker: its names, role and claims."""
    return await _listed_page(
        datasette,
        request,
        tables=speaker_page.TABLES,
        load=speaker_page.speaker_context,
        label="speaker",
        table="speakers",
        template="claimtrack_speaker.html",
    )


async def fact_check(datasette: Any, request: Any) -> Response:
    """Show a fact-check: its verdict and the claims it reviews, same or opposite."""
    return await _listed_page(
        datasette,
        request,
        tables=fact_check_page.TABLES,
        load=fact_check_page.fact_check_context,
        label="fact-check",
        table="fact_checks",
        template="claimtrack_fact_check.html",
    )


PAGES: dict[str, Handler] = {
    "claim": claim,
    "tracked": tracked,
    "article": article,
    "speaker": speaker,
    "fact-check": fact_check,
}


def answering_errors(handler: Handler) -> Handler:
    """Turn a page's NotFound into a 404 page at once (see pages.error_page)."""

    @wraps(handler)
    async def page(datasette: Any, request: Any) -> Response:
        try:
            return await handler(datasette, request)
        except NotFound as error:
            return await error_page(datasette, request, 404, str(error.args[0]))

    return page


def routes() -> list[tuple[str, Handler]]:
    """Return (regular expression, handler) for Datasette's register_routes."""
    return [
        (rf"^{PREFIX}/{kind}/(?P<item_id>[^/]+)$", answering_errors(handler))
        for kind, handler in PAGES.items()
    ]
