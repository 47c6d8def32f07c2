"""Verify a claim database's invariants, and restore them (``claimtrack check``).

The invariants every write must keep (issue 16.1):

* one embedding model for every vector;
* every claim and fact-check has a vector of that model;
* every claim belongs to a stored tracked claim;
* every tracked claim's counts and dates equal a recount of its mentions;
* no link, vector or tracked claim refers to a claim, fact-check or tracked claim
  that is not stored.

SQLite's own ``integrity_check`` and ``foreign_key_check`` run first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlite_utils import Database

from claimtrack.embed import Embedder
from claimtrack.speakers import DANGLING_SPEAKERS_SQL, repair_speakers
from claimtrack.store import ClaimStore
from claimtrack.tracker import reembed

# Each check: (name, SQL counting the rows that break it, what --repair does).
_DANGLING = {
    "claim links to a missing claim": """
        select count(*) from claim_links
        where claim_id not in (select id from claims)
        or earlier_claim_id not in (select id from claims)""",
    "fact-check links to a missing claim or fact-check": """
        select count(*) from fact_check_links
        where claim_id not in (select id from claims)
        or fact_check_id not in (select id from fact_checks)""",
    "vectors of a missing claim or fact-check": """
        select count(*) from embeddings
        where (claim_id is not null and claim_id not in (select id from claims))
        or (fact_check_id is not null
            and fact_check_id not in (select id from fact_checks))""",
    "tracked claims with no mention": """
        select count(*) from tracked_claims
        where id not in (select tracked_claim_id from claims
                         where tracked_claim_id is not null)""",
    "claims naming a missing speaker": (
        f"select count(*) from ({DANGLING_SPEAKERS_SQL})"
    ),
}
_REPAIR_DANGLING = [
    """delete from claim_links where claim_id not in (select id from claims)
       or earlier_claim_id not in (select id from claims)""",
    """delete from fact_check_links where claim_id not in (select id from claims)
       or fact_check_id not in (select id from fact_checks)""",
    """delete from embeddings
       where (claim_id is not null and claim_id not in (select id from claims))
       or (fact_check_id is not null
           and fact_check_id not in (select id from fact_checks))""",
    """delete from tracked_claims
       where id not in (select tracked_claim_id from claims
                        where tracked_claim_id is not null)""",
]
_UNTRACKED = """
    select id from claims
    where tracked_claim_id is null
    or tracked_claim_id not in (select id from tracked_claims)"""
# The recount, as ClaimStore._refresh_tracked_claims computes it.
_MISCOUNTED = """
    with recount as (
        select claims.tracked_claim_id as id,
            min(articles.published) as first_seen,
            max(articles.published) as last_seen,
            count(*) as mentions,
            count(distinct claims.article_id) as articles,
            count(distinct articles.outlet) as outlets
        from claims join articles on articles.id = claims.article_id
        where claims.tracked_claim_id is not null
        group by claims.tracked_claim_id
    )
    select tracked_claims.id from tracked_claims join recount using (id)
    where tracked_claims.mentions is not recount.mentions
    or tracked_claims.articles is not recount.articles
    or tracked_claims.outlets is not recount.outlets
    or tracked_claims.first_seen is not recount.first_seen
    or tracked_claims.last_seen is not recount.last_seen"""


@dataclass
class CheckReport:
    """What ``claimtrack check`` found, and what ``--repair`` did."""

    problems: dict[str, int] = field(default_factory=dict)
    repaired: list[str] = field(default_factory=list)
    model_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(store: ClaimStore) -> CheckReport:
    """Count the rows that break each invariant (none: the report is ok)."""
    db = store.db
    report = CheckReport(model_ids=store.model_ids())
    problems = report.problems
    integrity = [row[0] for row in db.execute("pragma integrity_check").fetchall()]
    if integrity != ["ok"]:
        problems["SQLite integrity_check errors"] = len(integrity)
    if foreign := db.execute("pragma foreign_key_check").fetchall():
        problems["rows breaking a foreign key"] = len(foreign)
    if len(report.model_ids) > 1:
        problems[f"embedding models (should be one: {', '.join(report.model_ids)})"] = (
            len(report.model_ids)
        )
    model_id = report.model_ids[0] if len(report.model_ids) == 1 else None
    for kind, column, table in (
        ("claims", "claim_id", "claims"),
        ("fact-checks", "fact_check_id", "fact_checks"),
    ):
        missing = _count(db, _without_vector_sql(table, column), model_id)
        if missing and report.model_ids:
            problems[f"{kind} without a vector"] = missing
    if untracked := len(db.execute(_UNTRACKED).fetchall()):
        problems["claims without a tracked claim"] = untracked
    if miscounted := len(db.execute(_MISCOUNTED).fetchall()):
        problems["tracked claims whose counts or dates differ from a recount"] = (
            miscounted
        )
    for name, sql in _DANGLING.items():
        if count := db.execute(sql).fetchone()[0]:
            problems[name] = count
    return report


def repair_database(
    store: ClaimStore, embedder_for: Callable[[str], Embedder]
) -> CheckReport:
    """Restore the invariants, then check again.

    Dangling rows are deleted. When a claim or fact-check lacks a vector or a claim
    lacks a tracked claim (a write that decided from a stale read left them so),
    what lacks a vector is embedded with the database's model and every claim is
    matched again, in publication order, by the matcher an ingest uses
    (:func:`claimtrack.tracker.reembed` keeping the stored vectors): the repaired
    claims get the links and tracked claims an ingest would have given them, and
    the claims stored after them their links to them. Every tracked claim is then
    recounted. Several models cannot be repaired here: that is
    ``claimtrack reembed``'s job. Each step is one transaction.

    Args:
        store: the database.
        embedder_for: returns the embedder of a model id.
    """
    before = check_database(store)
    if before.ok:
        return before
    db = store.db
    repaired: list[str] = []
    with store.write_transaction():
        for sql in _REPAIR_DANGLING:
            db.execute(sql)
        if speakers := repair_speakers(db):
            repaired.append(f"gave {speakers:,} claims their speaker again")
    unmatched = [
        problem
        for problem in (
            "claims without a vector",
            "fact-checks without a vector",
            "claims without a tracked claim",
        )
        if problem in before.problems
    ]
    if len(before.model_ids) == 1 and unmatched:
        result = reembed(store, embedder_for(before.model_ids[0]), reuse_vectors=True)
        found = ", ".join(f"{before.problems[p]:,} {p}" for p in unmatched)
        repaired.append(
            f"matched {result.claims:,} claims and {result.fact_checks:,} "
            f"fact-checks again ({found}): {result.links:,} links, "
            f"{result.fact_check_links:,} fact-check links"
        )
    else:
        with store.write_transaction():
            untracked = [row[0] for row in db.execute(_UNTRACKED).fetchall()]
            # Without a vector model nothing can be matched: each its own claim.
            db.conn.executemany(
                "update claims set tracked_claim_id = id where id = ?",
                [(claim_id,) for claim_id in untracked],
            )
        if untracked:
            repaired.append(f"gave {len(untracked)} claims a tracked claim")
    store.recount_tracked_claims()
    after = check_database(store)
    after.repaired = [*repaired, "recounted every tracked claim"]
    return after


def _without_vector_sql(table: str, column: str, *, select: str = "count(*)") -> str:
    return f"""
        select {select} from {table}
        where not exists (
            select 1 from embeddings
            where embeddings.{column} = {table}.id
            and (:model_id is null or embeddings.model_id = :model_id)
        )"""


def _count(db: Database, sql: str, model_id: str | None) -> int:
    return int(db.execute(sql, {"model_id": model_id}).fetchone()[0])
