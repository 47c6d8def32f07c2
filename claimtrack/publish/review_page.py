"""The review queue: suggested links, best first, decided in one click.

Served only by ``claimtrack serve DB --review`` (plugin setting ``review: true``): the
published server has no such route at all. Reading the queue and deciding both need
a signed-in actor allowed to review: the root actor (``--root`` prints its login
link), an actor named in the plugin setting ``reviewers``, or one a permission
plugin grants ``claimtrack-review``. Decisions are POSTs, protected by Datasette's
CSRF token, written through Datasette's write connection in one transaction.
"""

from __future__ import annotations

from typing import Any

from datasette.utils.asgi import Forbidden, Response
from sqlite_utils import Database

from claimtrack.publish.pages import (
    PREFIX,
    claimtrack_database,
    ensure_can_view,
    render_page,
)
from claimtrack.reviews import DECISIONS, KINDS, QUEUE_SQL, ReviewError, record_review
from claimtrack.store import ClaimStore

PLUGIN = "claimtrack"
PERMISSION = "claimtrack-review"
REVIEW_ROUTE = rf"^{PREFIX}/review$"
QUEUE_LIMIT = 50
TABLES = ("claims", "claim_links", "fact_checks", "fact_check_links", "reviews")
NOTE_LIMIT = 2000


def review_enabled(datasette: Any) -> bool:
    """True when the server was started for reviewing (serve --review)."""
    config = datasette.plugin_config(PLUGIN) or {}
    return bool(config.get("review"))


async def ensure_reviewer(datasette: Any, actor: dict[str, Any] | None) -> str:
    """Return the actor's id if they may review, else refuse (403).

    Raises:
        Forbidden: nobody is signed in, or the actor may not review.
    """
    if not actor or not actor.get("id"):
        raise Forbidden(
            "Sign in to review: open the login link that 'claimtrack serve "
            "--review' printed."
        )
    reviewers = (datasette.plugin_config(PLUGIN) or {}).get("reviewers", [])
    default = actor["id"] == "root" or actor["id"] in reviewers
    if not await datasette.permission_allowed(actor, PERMISSION, default=default):
        raise Forbidden(f"{actor['id']} may not review links")
    return str(actor["id"])


async def review(datasette: Any, request: Any) -> Response:
    """GET: the queue. POST: record one decision, then back to the queue."""
    database = await claimtrack_database(datasette, request.args.get("database"))
    await ensure_can_view(datasette, request.actor, database.name, TABLES)
    reviewer = await ensure_reviewer(datasette, request.actor)
    if request.method == "POST":
        return await _decide(datasette, request, database, reviewer)
    queues = {
        kind: [
            dict(row)
            for row in (
                await database.execute(QUEUE_SQL[kind], {"limit": QUEUE_LIMIT})
            ).rows
        ]
        for kind in KINDS
    }
    recent = [
        dict(row)
        for row in (
            await database.execute("select * from reviews order by id desc limit 20")
        ).rows
    ]
    context = {
        "database": database.name,
        "breadcrumbs": [("review queue", None)],
        "claim_links": queues["claim_link"],
        "fact_check_links": queues["fact_check_link"],
        "recent": recent,
        "reviewer": reviewer,
        "action": datasette.urls.path(f"{PREFIX}/review?database={database.name}"),
    }
    return await render_page(datasette, request, "claimtrack_review.html", context)


async def _decide(
    datasette: Any, request: Any, database: Any, reviewer: str
) -> Response:
    form = await request.post_vars()
    kind, decision = form.get("kind", ""), form.get("decision", "")
    a, b = form.get("a", ""), form.get("b", "")
    note = (form.get("note") or "")[:NOTE_LIMIT]
    if kind not in KINDS or decision not in DECISIONS or not a or not b:
        return Response.text(
            "Bad review: give kind, a, b and a decision (same, opposite, rejected).",
            status=400,
        )

    def write(conn: Any) -> dict[str, Any]:
        store = ClaimStore(Database(conn))
        return record_review(
            store, kind, a, b, decision, reviewer=reviewer, note=note or None
        )

    try:
        await database.execute_write_fn(write, block=True)
    except ReviewError as error:
        datasette.add_message(request, str(error), datasette.ERROR)
    else:
        label = {"same": "confirmed", "opposite": "marked opposite"}.get(
            decision, decision
        )
        datasette.add_message(request, f"{label.capitalize()}: {a} / {b}")
    return Response.redirect(
        datasette.urls.path(f"{PREFIX}/review?database={database.name}")
    )


def review_routes(datasette: Any) -> list[tuple[str, Any]]:
    """The review route when the server reviews; none on a published server."""
    from claimtrack.publish.routes import answering_errors

    if not review_enabled(datasette):
        return []
    return [(REVIEW_ROUTE, answering_errors(review))]
