"""Gather what the tracked-claim page shows: every mention in time order, the
fact-checks that a person or the matcher confirmed, and the timeline chart."""

from __future__ import annotations

from typing import Any

from claimtrack.publish.claim_page import (
    FACT_CHECK_DECISION,
    QueryDatabase,
    Row,
    highlight,
    query,
    safe_url,
)
from claimtrack.publish.timeline_chart import timeline_svg

TABLES = (
    "tracked_claims",
    "claims",
    "articles",
    "fact_checks",
    "fact_check_links",
)

TRACKED_SQL = "select * from tracked_claims where id = :id"

# Mentions with a date first, oldest first; undated ones (date unknown) last.
MENTIONS_SQL = """
select claims.*, articles.title as article_title, articles.outlet,
    articles.url as article_url, articles.published,
    articles.published as seen_on
from claims join articles on articles.id = claims.article_id
where claims.tracked_claim_id = :id
order by seen_on is null, seen_on, claims.article_id, claims.position
"""

# Suggested links are candidates for a person to review, not fact-checks of this
# claim: only confirmed ("same") and "opposite" ones are shown.
FACT_CHECKS_SQL = f"""
select fact_checks.id, fact_checks.claim_reviewed, fact_checks.claimant,
    fact_checks.rating, fact_checks.rating_text, fact_checks.reviewer,
    fact_checks.url, fact_checks.published,
    max(fact_check_links.score) as score, {FACT_CHECK_DECISION} as decision
from fact_check_links
join fact_checks on fact_checks.id = fact_check_links.fact_check_id
join claims on claims.id = fact_check_links.claim_id
where claims.tracked_claim_id = :id and fact_check_links.decision != 'suggested'
group by fact_checks.id
order by fact_checks.published is null, fact_checks.published desc, score desc
"""


def sentence_parts(mention: Row) -> Row:
    """Split a mention's sentence around its span (offsets index the article)."""
    sentence = mention.get("sentence") or ""
    start = mention.get("sentence_start") or 0
    return highlight(
        sentence,
        0,
        len(sentence),
        (mention.get("char_start") or 0) - start,
        (mention.get("char_end") or 0) - start,
    )


async def tracked_claim_context(db: QueryDatabase, tracked_id: str) -> Row | None:
    """Return the tracked-claim page's context, or None if there is no such id."""
    params = {"id": tracked_id}
    rows = await query(db, TRACKED_SQL, params)
    if not rows:
        return None
    mentions = await query(db, MENTIONS_SQL, params)
    for mention in mentions:
        mention["article_url"] = safe_url(mention["article_url"])
        mention["parts"] = sentence_parts(mention)
    fact_checks = await query(db, FACT_CHECKS_SQL, params)
    for fact_check in fact_checks:
        fact_check["url"] = safe_url(fact_check["url"])
    chart: Any = timeline_svg((m["seen_on"], m["outlet"]) for m in mentions)
    return {
        "tracked": rows[0],
        "mentions": mentions,
        "fact_checks": fact_checks,
        "chart": chart,
        "undated": sum(1 for m in mentions if not m["seen_on"]),
    }
