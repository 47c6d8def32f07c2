"""What every claimtrack page in Datasette shares: its database, permissions, URLs.

A page is served only from a claimtrack database (never ``_internal`` or another
file that happens to be served beside it), and only to an actor who may see every
table it reads, checked exactly as Datasette checks its own table pages
(view-table, then view-database, then view-instance).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import quote

from datasette.utils.asgi import Forbidden, NotFound, Response

PREFIX = "/-/claimtrack"
# The page of each kind of item, by its id. The ids are URL-quoted: an article id
# comes from a URL and may hold any character.
KINDS = {
    "claim": "claim",
    "tracked": "tracked",
    "article": "article",
    "speaker": "speaker",
    "fact-check": "fact-check",
}
# Datasette's internal database, and what marks a file as a claimtrack database.
INTERNAL = "_internal"
CLAIMTRACK_MARK = """
select 1 from sqlite_master where type = 'table' and name = '_sqlite_migrations'
"""
CLAIMTRACK_MIGRATION = """
select 1 from _sqlite_migrations
where migration_set = 'claimtrack' and name = 'm001_create_tables'
"""


def page_url(datasette: Any, kind: str, item_id: object, database: str) -> str:
    """Return the path of the page of one claim, tracked claim, article or speaker."""
    return str(
        datasette.urls.path(
            f"{PREFIX}/{KINDS[kind]}/{quote(str(item_id), safe='')}"
            f"?database={quote(database, safe='')}"
        )
    )


async def is_claimtrack_database(database: Any) -> bool:
    """Return True if database was made by claimtrack (its first migration ran)."""
    if database.name == INTERNAL:
        return False
    if not (await database.execute(CLAIMTRACK_MARK)).rows:
        return False
    return bool((await database.execute(CLAIMTRACK_MIGRATION)).rows)


async def claimtrack_database(datasette: Any, name: str | None) -> Any:
    """Return the served claimtrack database named name, or the first one.

    Raises:
        NotFound: no such database, or it is not a claimtrack database.
    """
    if name:
        database = datasette.databases.get(name)
        if database is None or not await is_claimtrack_database(database):
            raise NotFound(f"No claimtrack database named {name!r} is served")
        return database
    for database in datasette.databases.values():
        if await is_claimtrack_database(database):
            return database
    raise NotFound("No claimtrack database is being served")


async def ensure_can_view(
    datasette: Any, actor: dict[str, Any] | None, database: str, tables: Iterable[str]
) -> None:
    """Refuse (403) unless actor may view every one of tables in database.

    The same checks, in the same order, as Datasette's table page, once per table.

    Raises:
        Forbidden: a table, the database or the instance is not visible to actor.
    """
    # ensure_permissions semantics (the first explicit answer wins, in the order
    # view-table, view-database, view-instance), with the database and instance
    # answers asked once for all the tables: a page reads up to seven.
    fallback: bool | None = None
    for table in tables:
        allowed = await datasette.permission_allowed(
            actor, "view-table", resource=(database, table), default=None
        )
        if allowed is None:
            if fallback is None:
                fallback = await _database_visible(datasette, actor, database)
            allowed = fallback
        if not allowed:
            raise Forbidden(f"You do not have permission to view {table}")


async def _database_visible(
    datasette: Any, actor: dict[str, Any] | None, database: str
) -> bool:
    for action, resource in (("view-database", database), ("view-instance", None)):
        allowed = await datasette.permission_allowed(
            actor, action, resource=resource, default=None
        )
        if allowed is not None:
            return bool(allowed)
    return True


async def page_database(datasette: Any, request: Any, tables: Iterable[str]) -> Any:
    """Return the page's database after checking that the actor may read tables."""
    database = await claimtrack_database(datasette, request.args.get("database"))
    await ensure_can_view(datasette, request.actor, database.name, tables)
    return database


@cache
def _template_source(name: str) -> str:
    return (files("claimtrack.publish") / "templates" / name).read_text()


_compiled: dict[tuple[int, str], Any] = {}


def _template(env: Any, name: str) -> Any:
    """Compile a template once per Jinja environment: compiling took most of a page."""
    key = (id(env), name)
    if key not in _compiled:
        _compiled[key] = env.from_string(_template_source(name))
    return _compiled[key]


async def render_page(
    datasette: Any, request: Any, template: str, context: dict[str, Any]
) -> Response:
    """Render one of the plugin's templates within Datasette's own layout.

    Templates come from the package, not from Datasette's template path: a plugin
    registered without a distribution (as in tests) has no template folder. They
    extend ``claimtrack_layout`` (passed in the context), which extends base.html.
    """
    env = datasette.jinja_env
    context = {
        **context,
        # The footer shows the title, licence and source from the metadata.
        "metadata": datasette.metadata(),
        "claimtrack_layout": _template(env, "claimtrack_base.html"),
        "page_url": lambda kind, item_id: page_url(
            datasette, kind, item_id, context["database"]
        ),
    }
    html = await datasette.render_template(
        _template(env, template), context, request=request
    )
    return Response.html(html)


def not_found(kind: str, item_id: str) -> NotFound:
    """The error a page raises for an id it does not know."""
    return NotFound(f"No {kind} has the id {item_id!r}")


async def error_page(
    datasette: Any, request: Any, status: int, message: str
) -> Response:
    """Render Datasette's own error page, as its exception handler would.

    Returned rather than raised: Datasette's handler prints a rich traceback with
    every local variable for each exception, which made a 404 take 0.5 to 2 s.
    """
    html = await datasette.render_template(
        [f"{status}.html", "error.html"],
        {"ok": False, "error": message, "status": status, "title": None},
        request=request,
    )
    return Response.html(html, status=status)
