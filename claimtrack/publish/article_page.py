"""Gather what the article page shows: its text with every claim's span marked."""

from __future__ import annotations

from claimtrack.publish.claim_page import QueryDatabase, Row, query, safe_url

TABLES = ("articles", "claims", "tracked_claims")

ARTICLE_SQL = """
select id, url, title, outlet, published, language, source, text, ingested_at
from articles where id = :id
"""

CLAIMS_SQL = """
select claims.id, claims.text, claims.speaker, claims.char_start, claims.char_end,
    claims.checkworthiness, claims.tracked_claim_id, tracked_claims.mentions,
    tracked_claims.verdict
from claims left join tracked_claims on tracked_claims.id = claims.tracked_claim_id
where claims.article_id = :id
order by claims.char_start, claims.position
"""


def segments(text: str, spans: list[Row]) -> list[Row]:
    """Cut text into plain pieces and claim spans, in reading order.

    Args:
        text: the article text.
        spans: claims with char_start and char_end into text, sorted by start.

    Returns:
        ``[{"text", "claim"}]``: claim is None for plain text. A span that overlaps
        the one before it (two claims from one sentence) is shown from where the
        previous one ends, so no character appears twice.
    """
    pieces: list[Row] = []
    cursor = 0
    for claim in spans:
        start = max(int(claim["char_start"] or 0), cursor)
        end = min(int(claim["char_end"] or 0), len(text))
        if end <= start:
            continue
        if start > cursor:
            pieces.append({"text": text[cursor:start], "claim": None})
        pieces.append({"text": text[start:end], "claim": claim})
        cursor = end
    if cursor < len(text):
        pieces.append({"text": text[cursor:], "claim": None})
    return pieces


async def article_context(db: QueryDatabase, article_id: str) -> Row | None:
    """Return the article page's context, or None if there is no such article."""
    params = {"id": article_id}
    rows = await query(db, ARTICLE_SQL, params)
    if not rows:
        return None
    article = rows[0]
    article["url"] = safe_url(article["url"])
    claims = await query(db, CLAIMS_SQL, params)
    return {
        "article": article,
        "claims": claims,
        "segments": segments(article["text"] or "", claims),
    }
