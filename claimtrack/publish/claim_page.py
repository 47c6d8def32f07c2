"""Gather what the claim page shows: the claim, its article, timeline and links.

Everything here is data; the template escapes it. These read-only queries run through
Datasette's own connection, which is why they live here and not in store.py.
"""

from __future__ import annotations

from typing import Any, Protocol

Row = dict[str, Any]

# What the claim page reads; the actor must be allowed to view each of them.
TABLES = (
    "claims",
    "articles",
    "tracked_claims",
    "claim_timeline",
    "claim_links",
    "fact_checks",
    "fact_check_links",
)

CLAIM_SQL = """
select claims.*, articles.title as article_title, articles.url as article_url,
    articles.outlet, articles.published, articles.language as article_language,
    articles.text as article_text,
    articles.published as seen_on,
    tracked_claims.text as tracked_text, tracked_claims.verdict
from claims join articles on articles.id = claims.article_id
left join tracked_claims on tracked_claims.id = claims.tracked_claim_id
where claims.id = :claim_id
"""

TIMELINE_SQL = """
select claim_timeline.*
from claim_timeline
where tracked_claim_id = :tracked_claim_id
order by seen_on is null, seen_on, claim_id
"""

LINKS_SQL = """
select claim_links.score, claim_links.decision, claim_links.method,
    claim_links.model_id, other.id as other_id, other.text as other_text,
    case when claim_links.claim_id = :claim_id then 'earlier' else 'later' end
        as direction
from claim_links
join claims as other on other.id = case
    when claim_links.claim_id = :claim_id then claim_links.earlier_claim_id
    else claim_links.claim_id end
where claim_links.claim_id = :claim_id or claim_links.earlier_claim_id = :claim_id
order by claim_links.score desc
"""

# One decision per fact-check for the whole tracked claim: "same" if any mention is
# the same claim, else "opposite" if one reviews its opposite, else "suggested". Only
# "same" is the claim's verdict (see matcher.py); the page lists the three apart.
FACT_CHECK_DECISION = """case max(case fact_check_links.decision
        when 'same' then 3 when 'opposite' then 2 else 1 end)
    when 3 then 'same' when 2 then 'opposite' else 'suggested' end"""

FACT_CHECKS_SQL = f"""
select fact_checks.id, fact_checks.claim_reviewed, fact_checks.claimant,
    fact_checks.rating, fact_checks.rating_text, fact_checks.reviewer,
    fact_checks.url, fact_checks.published,
    max(fact_check_links.score) as score, {FACT_CHECK_DECISION} as decision
from fact_check_links
join fact_checks on fact_checks.id = fact_check_links.fact_check_id
join claims on claims.id = fact_check_links.claim_id
where claims.id = :claim_id
    or claims.tracked_claim_id = (
        select tracked_claim_id from claims where id = :claim_id
    )
group by fact_checks.id
order by score desc
"""


class Results(Protocol):
    """The part of Datasette's query results the page uses."""

    @property
    def rows(self) -> list[Any]: ...


class QueryDatabase(Protocol):
    """The part of datasette.database.Database the page uses."""

    async def execute(self, sql: str, params: dict[str, Any]) -> Results: ...


async def query(db: QueryDatabase, sql: str, params: dict[str, Any]) -> list[Row]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


def highlight(text: str, start: int, end: int, span_start: int, span_end: int) -> Row:
    """Split a sentence of an article around a claim's span.

    Args:
        text: the article text the offsets index into.
        start: start of the sentence in text.
        end: end of the sentence in text.
        span_start: start of the claim's span in text.
        span_end: end of the claim's span in text.

    Returns:
        ``{"before", "span", "after"}``: three plain strings that, joined, give the
        sentence. When the span is not inside the sentence, all of it is "span".
    """
    if not 0 <= start <= span_start <= span_end <= end <= len(text):
        return {"before": "", "span": text[start:end], "after": ""}
    return {
        "before": text[start:span_start],
        "span": text[span_start:span_end],
        "after": text[span_end:end],
    }


def safe_url(url: str | None) -> str | None:
    """Return url if a link to it is safe to show (http or https), else None.

    Escaping is not enough for href: "javascript:" links run code when clicked.
    """
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


async def claim_context(db: QueryDatabase, claim_id: str) -> Row | None:
    """Return the claim page's template context, or None if there is no such claim."""
    params = {"claim_id": claim_id}
    rows = await query(db, CLAIM_SQL, params)
    if not rows:
        return None
    claim = rows[0]
    claim["article_url"] = safe_url(claim["article_url"])
    timeline = await query(
        db, TIMELINE_SQL, {"tracked_claim_id": claim["tracked_claim_id"]}
    )
    for mention in timeline:
        mention["url"] = safe_url(mention["url"])
    fact_checks = await query(db, FACT_CHECKS_SQL, params)
    for fact_check in fact_checks:
        fact_check["url"] = safe_url(fact_check["url"])
    by_decision = {
        decision: [check for check in fact_checks if check["decision"] == decision]
        for decision in ("same", "opposite", "suggested")
    }
    return {
        "claim": claim,
        "sentence": highlight(
            claim["article_text"] or "",
            claim["sentence_start"],
            claim["sentence_end"],
            claim["char_start"],
            claim["char_end"],
        ),
        "timeline": timeline,
        "links": await query(db, LINKS_SQL, params),
        "fact_checks": by_decision["same"],
        "opposite_fact_checks": by_decision["opposite"],
        "suggested_fact_checks": by_decision["suggested"],
    }
