"""The plugin's pages: one claim, one tracked claim, one article, one speaker.

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
    speaker_page,
    tracked_claim_page,
)
from claimtrack.publish.pages import (
    PREFIX,
    error_page,
    not_found,
    page_database,
    page_url,
    render_page,
)

Handler = Callable[[Any, Any], Awaitable[Response]]


async def claim(datasette: Any, request: Any) -> Response:
    """Show one claim: sentence with the span highlighted, timeline, links, verdicts."""
    database = await page_database(datasette, request, claim_page.TABLES)
    claim_id = request.url_vars["item_id"]
    context = await claim_page.claim_context(database, claim_id)
    if context is None:
        raise not_found("claim", claim_id)
    row = context["claim"]
    crumbs = [("claims", datasette.urls.table(database.name, "claims"))]
    if row["tracked_claim_id"]:
        crumbs.append(
            (
                "tracked claim",
                page_url(datasette, "tracked", row["tracked_claim_id"], database.name),
            )
        )
    crumbs.append(("claim", None))
    context.update(database=database.name, breadcrumbs=crumbs)
    return await render_page(datasette, request, "claimtrack_claim.html", context)


async def tracked(datasette: Any, request: Any) -> Response:
    """Show a tracked claim: its mentions in time order, chart, fact-checks."""
    database = await page_database(datasette, request, tracked_claim_page.TABLES)
    tracked_id = request.url_vars["item_id"]
    context = await tracked_claim_page.tracked_claim_context(database, tracked_id)
    if context is None:
        raise not_found("tracked claim", tracked_id)
    context.update(
        database=database.name,
        breadcrumbs=[
            ("tracked claims", datasette.urls.table(database.name, "tracked_claims")),
            ("tracked claim", None),
        ],
    )
    return await render_page(datasette, request, "claimtrack_tracked.html", context)


async def article(datasette: Any, request: Any) -> Response:
    """Show an article's text with its claims marked and linked."""
    database = await page_database(datasette, request, article_page.TABLES)
    article_id = request.url_vars["item_id"]
    context = await article_page.article_context(database, article_id)
    if context is None:
        raise not_found("article", article_id)
    context.update(
        database=database.name,
        breadcrumbs=[
            ("articles", datasette.urls.table(database.name, "articles")),
            ("article", None),
        ],
    )
    return await render_page(datasette, request, "claimtrack_article.html", context)


async def speaker(datasette: Any, request: Any) -> Response:
    """Show a speaker: its names, role and claims."""
    database = await page_database(datasette, request, speaker_page.TABLES)
    speaker_id = request.url_vars["item_id"]
    context = await speaker_page.speaker_context(database, speaker_id)
    if context is None:
        raise not_found("speaker", speaker_id)
    context.update(
        database=database.name,
        breadcrumbs=[
            ("speakers", datasette.urls.table(database.name, "speakers")),
            ("speaker", None),
        ],
    )
    return await render_page(datasette, request, "claimtrack_speaker.html", context)


PAGES: dict[str, Handler] = {
    "claim": claim,
    "tracked": tracked,
    "article": article,
    "speaker": speaker,
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
