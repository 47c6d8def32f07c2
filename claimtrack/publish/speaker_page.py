"""Gather what the speaker page shows: the speaker, its names, its claims by date."""

from __future__ import annotations

import json

from claimtrack.publish.claim_page import QueryDatabase, Row, query

TABLES = ("speakers", "claims", "articles", "tracked_claims")

SPEAKER_SQL = "select * from speakers where id = :id"

CLAIMS_SQL = """
select claims.id, claims.text, claims.speaker as named_as, claims.cue,
    claims.checkworthiness, claims.tracked_claim_id, claims.article_id,
    articles.outlet, articles.title as article_title, articles.published as seen_on,
    tracked_claims.verdict, tracked_claims.mentions
from claims
join articles on articles.id = claims.article_id
left join tracked_claims on tracked_claims.id = claims.tracked_claim_id
where claims.speaker_id = :id
order by seen_on is null, seen_on, claims.article_id, claims.position
"""


async def speaker_context(db: QueryDatabase, speaker_id: str) -> Row | None:
    """Return the speaker page's context, or None if there is no such speaker."""
    params = {"id": speaker_id}
    rows = await query(db, SPEAKER_SQL, params)
    if not rows:
        return None
    speaker = rows[0]
    claims = await query(db, CLAIMS_SQL, params)
    return {
        "speaker": speaker,
        "aliases": json.loads(speaker["aliases"] or "[]"),
        "claims": claims,
        "checkworthy": sum(1 for c in claims if (c["checkworthiness"] or 0) >= 0.5),
    }
