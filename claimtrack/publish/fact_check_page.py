"""Gather what the fact-check page shows: the review and the claims it is linked to.

The claims come in three lists, as on the claim page: the ones it reviews (``same``:
its rating is their verdict), the ones whose opposite it reviews (``opposite``: its
rating is not theirs), and suggestions for a person to review.
"""

from __future__ import annotations

from claimtrack.publish.claim_page import QueryDatabase, Row, query, safe_url

TABLES = ("fact_checks", "fact_check_links", "claims", "articles", "tracked_claims")

FACT_CHECK_SQL = """
select id, claim_reviewed, claimant, rating, rating_text, reviewer, url, published,
    language
from fact_checks where id = :id
"""

LINKED_CLAIMS_SQL = """
select claims.id, claims.text, claims.speaker, claims.speaker_id,
    claims.tracked_claim_id, claims.article_id,
    fact_check_links.decision, fact_check_links.score, fact_check_links.method,
    articles.outlet, articles.title as article_title, articles.published as seen_on,
    tracked_claims.verdict, tracked_claims.mentions
from fact_check_links
join claims on claims.id = fact_check_links.claim_id
join articles on articles.id = claims.article_id
left join tracked_claims on tracked_claims.id = claims.tracked_claim_id
where fact_check_links.fact_check_id = :id
order by fact_check_links.score desc, seen_on is null, seen_on, claims.id
"""

DECISIONS = ("same", "opposite", "suggested")


async def fact_check_context(db: QueryDatabase, fact_check_id: str) -> Row | None:
    """Return the fact-check page's context, or None if there is no such id."""
    params = {"id": fact_check_id}
    rows = await query(db, FACT_CHECK_SQL, params)
    if not rows:
        return None
    fact_check = rows[0]
    fact_check["url"] = safe_url(fact_check["url"])
    claims = await query(db, LINKED_CLAIMS_SQL, params)
    by_decision = {
        decision: [claim for claim in claims if claim["decision"] == decision]
        for decision in DECISIONS
    }
    return {
        "fact_check": fact_check,
        "same_claims": by_decision["same"],
        "opposite_claims": by_decision["opposite"],
        # Any decision the page does not know is shown as a suggestion.
        "suggested_claims": [c for c in claims if c["decision"] not in DECISIONS[:2]],
    }
