"""Readable first views of the big tables, and folded column descriptions.

Datasette has no setting for the columns a table opens on, so a table opened with
no query string is redirected to the same table with ``_col=`` for the columns a
person reads first; every column stays one click away (Datasette's column menu, or
any link with a query string, such as a sort). Offsets, reasons and raw JSON are
left out of that first view; long bodies are also cut in every listing (links.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlencode

from claimtrack.publish.links import serves_claimtrack

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]

# The columns each table opens on, in order. claims.article_id shows the article's
# outlet and date, claims.tracked_claim_id its verdict and mentions (links.py),
# claims.speaker_id the speaker's canonical name (speakers' label column).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "claims": (
        "text",
        "speaker_id",  # the canonical speaker; the raw string stays in speaker
        "article_id",
        "checkworthiness",
        "tracked_claim_id",
        "claim_type",
        "quote_type",
        "language",
    ),
    "articles": ("title", "outlet", "published", "language", "url", "ingested_at"),
    "fact_checks": (
        "claim_reviewed",
        "claimant",
        "rating",
        "rating_text",
        "reviewer",
        "url",
        "published",
        "language",
    ),
}

# Folds Datasette's list of column descriptions (thousands of pixels on the claims
# table) into a <details> closed by default. Inline, no network.
FOLD_DESCRIPTIONS_SCRIPT = """
document.querySelectorAll("dl.column-descriptions").forEach(function (list) {
  var details = document.createElement("details");
  var summary = document.createElement("summary");
  summary.textContent = "What each column means (" +
    list.querySelectorAll("dt").length + " columns)";
  list.parentNode.insertBefore(details, list);
  details.appendChild(summary);
  details.appendChild(list);
});
"""


def default_columns_path(path: str, base_url: str = "/") -> str | None:
    """Return where a bare table path should open, or None to leave it alone.

    Args:
        path: the request path, e.g. "/claims/claims".
        base_url: Datasette's base_url setting.
    """
    prefix = base_url.rstrip("/")
    if not path.startswith(prefix + "/"):
        return None
    parts = path[len(prefix) + 1 :].split("/")
    if len(parts) != 2 or parts[1] not in DEFAULT_COLUMNS:
        return None
    query = urlencode([("_col", column) for column in DEFAULT_COLUMNS[parts[1]]])
    return f"{prefix}/{parts[0]}/{parts[1]}?{query}"


def default_columns_wrapper(datasette: Any) -> Callable[[ASGIApp], ASGIApp]:
    """Make the asgi_wrapper that redirects bare table pages to their columns."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def redirect_bare_tables(scope: Scope, receive: Any, send: Any) -> None:
            if (
                scope["type"] == "http"
                and scope.get("method") == "GET"
                and not scope.get("query_string")
            ):
                target = default_columns_path(
                    scope["path"], datasette.setting("base_url")
                )
                database = scope["path"].rsplit("/", 2)[-2] if target else None
                if target and await serves_claimtrack(datasette, database):
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 302,
                            "headers": [(b"location", target.encode("latin-1"))],
                        }
                    )
                    await send({"type": "http.response.body", "body": b""})
                    return
            await app(scope, receive, send)

        return redirect_bare_tables

    return wrap
