"""The research views' descriptions and the canned queries shown in Datasette.

Canned queries take named parameters (``:q``, ``:speaker``), which Datasette binds;
no value is ever formatted into their SQL.
"""

from __future__ import annotations

from html import escape
from typing import Any

# claimtrack_search ranks as ingest and `claimtrack search` do: the in-memory vector
# index (comparing :q with every stored row in SQL would not scale past ~100,000
# claims) fused with BM25; the embedder sees :q's distinct sentences, cut to 400
# characters. Each hit is [claim_id, ranking score, cosine]; score shows the cosine.
# The speaker is the canonical one (speakers.name), linked to its page (links.py).
SEMANTIC_SEARCH_SQL = """select
  claims.id as claim_id,
  claims.text,
  coalesce(speakers.name, claims.speaker) as speaker,
  articles.outlet,
  articles.published as seen_on,
  round(json_extract(hit.value, '$[2]'), 3) as score,
  claims.tracked_claim_id,
  claims.speaker_id
from json_each(claimtrack_search(:q, 10)) as hit
join claims on claims.id = json_extract(hit.value, '$[0]')
join articles on articles.id = claims.article_id
left join speakers on speakers.id = claims.speaker_id
where :q != ''
order by hit.key"""

SIMILAR_TO_CLAIM_SQL = """select
  claims.id as claim_id,
  claims.text,
  round(json_extract(hit.value, '$[2]'), 3) as score
from json_each(claimtrack_similar(:claim_id, 10)) as hit
join claims on claims.id = json_extract(hit.value, '$[0]')
order by hit.key"""

NEAREST_TO_TEXT_EXAMPLE = """select
  claims.text,
  json_extract(hit.value, '$[1]') as score
from json_each(
  claimtrack_nearest(
    claimtrack_embed('Russia is preparing to use nuclear weapons'), 10
  )
) as hit
join claims on claims.id = json_extract(hit.value, '$[0]')
order by hit.key"""

NEAREST_TO_CLAIM_EXAMPLE = """select
  claims.text,
  json_extract(hit.value, '$[1]') as score
from embeddings as this
join json_each(claimtrack_nearest(this.vector, 11)) as hit
join claims on claims.id = json_extract(hit.value, '$[0]')
where this.claim_id = 'a claim id'
order by hit.key"""

# Shown folded in the database description: formatted SQL a person can copy.
EXAMPLE_QUERIES_HTML = (
    "<p>The 10 claims closest in meaning to a sentence (the first call loads the "
    "embedding model):</p><pre>"
    + escape(NEAREST_TO_TEXT_EXAMPLE)
    + "</pre><p>The claims closest to a stored claim, with no model to load:</p><pre>"
    + escape(NEAREST_TO_CLAIM_EXAMPLE)
    + "</pre><p><code>claimtrack_nearest(vector, k)</code> returns the k nearest "
    "stored claims as JSON <code>[[claim_id, score], ...]</code> from an in-memory "
    "index; <code>claimtrack_similarity(a, b)</code> compares two vectors; "
    "<code>claimtrack_embed(text)</code> embeds text with the database's own model "
    "(<code>claimtrack_embed(text, model_id)</code> names one); "
    "<code>claimtrack_nearest_fact_checks(text, k)</code> returns the k fact-checks "
    "closest to a text as <code>[[fact_check_id, score, cosine], ...]</code>; "
    "<code>claimtrack_query_text(text)</code> keeps what of a long search text to "
    "embed: its distinct sentences, cut to 400 characters.</p>"
)

QUERIES: dict[str, dict[str, Any]] = {
    "semantic_search": {
        "title": "Search claims by meaning",
        "description": (
            "Type a claim or a question in the q box: the 10 claims closest in "
            "meaning, in any language the model handles, best first."
        ),
        "sql": SEMANTIC_SEARCH_SQL,
    },
    "similar_to_claim": {
        "title": "Claims similar to a stored claim",
        "description": (
            "Paste the id of a claim in the claim_id box (it is on the claim's "
            "page): the 10 stored claims closest to it."
        ),
        "sql": SIMILAR_TO_CLAIM_SQL,
    },
    "repeated_across_outlets": {
        "title": "Claims repeated across outlets",
        "description": (
            "Tracked claims that more than one outlet carried, most spread first."
        ),
        "sql": (
            "select * from repeated_claims\n"
            "order by outlets desc, mentions desc, last_seen desc\nlimit 100"
        ),
    },
    "tracked_claim_timeline": {
        "title": "Timeline of a tracked claim",
        "description": (
            "Paste the id of a tracked claim in the tracked_claim_id box: every "
            "mention of it, oldest first, with outlet and speaker. Its page "
            "(click the id) draws the same timeline as a chart."
        ),
        "sql": (
            "select * from claim_timeline\n"
            "where tracked_claim_id = :tracked_claim_id\n"
            "order by seen_on is null, seen_on, claim_id"
        ),
    },
    "claims_by_speaker": {
        "title": "Claims by speaker",
        "description": (
            "Type a name in the speaker box: the claims of every speaker whose "
            "name contains it as a whole word (case-insensitive), newest first."
        ),
        # Whole words through the full-text index (FTS5 phrase, case and accents
        # folded), plus every speaker whose names and aliases hold all the words:
        # "Vladimir Putin" finds "President Putin" and "Vladimir Poutine" when they
        # were merged; "CIA" no longer finds "officials".
        "sql": """select
  claims.id as claim_id,
  speakers.name as speaker,
  claims.speaker as named_as,
  claims.cue,
  claims.text,
  articles.outlet,
  articles.published as seen_on,
  claims.tracked_claim_id,
  claims.speaker_id
from claims
join articles on articles.id = claims.article_id
left join speakers on speakers.id = claims.speaker_id
where :speaker != ''
  and (
    claims.rowid in (
      select rowid from claims_fts
      where claims_fts match 'speaker : "' || replace(:speaker, '"', '""') || '"'
    )
    or claims.speaker_id in (
      select speakers.id from speakers
      where speakers.rowid in (
        select rowid from speakers_fts
        where speakers_fts match
          '"' || replace(replace(trim(:speaker), '"', '""'), ' ', '" "') || '"'
      )
    )
  )
order by seen_on is null, seen_on desc
limit 200""",
    },
    "fact_checked_claims_seen_again": {
        "title": "Fact-checked claims seen again",
        "description": (
            "Mentions of claims that a fact-checker had already reviewed, published "
            "on or after the fact-check, with its verdict."
        ),
        "sql": "select * from fact_checked_claims_seen_again\norder by seen_on desc",
    },
}

_SEEN_ON = "Publication date of the article (ISO 8601 UTC), empty when unknown"

VIEWS: dict[str, dict[str, Any]] = {
    "repeated_claims": {
        "description": (
            "Tracked claims carried by more than one outlet (an article with no "
            "outlet counts as its own)."
        ),
        "columns": {
            "tracked_claim_id": "The tracked claim",
            "text": "Its representative wording",
            "mentions": "Number of mentions",
            "articles": "Number of distinct articles",
            "outlets": "Number of distinct outlets",
            "independent_outlets": (
                "Number of distinct outlets, a wire copy counted with its original"
            ),
            "outlet_names": "Every outlet that printed it, comma-separated",
            "first_seen": "Earliest mention",
            "last_seen": "Latest mention",
            "verdict": "Latest fact-check verdict, if any",
        },
        "facets": ["verdict"],
        "sort_desc": "outlets",
    },
    "claim_timeline": {
        "description": (
            "Every mention of every tracked claim, with its date and outlet."
        ),
        "columns": {
            "tracked_claim_id": "The tracked claim the mention belongs to",
            "seen_on": _SEEN_ON,
            "claim_id": "The mention",
            "text": "The mention's wording",
            "speaker": "Who asserts it (the speaker's canonical name when known)",
            "speaker_id": "The speaker, as in the speakers table",
            "cue": "Reporting verb or phrase",
            "outlet": "Outlet of the article",
            "title": "Headline of the article",
            "url": "Address of the article",
            "article_id": "The article",
            "language": "ISO 639-1 language code",
        },
        "facets": ["outlet", "language"],
        "sort": "seen_on",
    },
    "claims_by_speaker": {
        "description": (
            "One row per speaker (a person or a group, names merged across "
            "spellings and titles): how many claims, how check-worthy, where and "
            "when."
        ),
        "columns": {
            "speaker_id": "The speaker",
            "speaker": "Canonical name",
            "role": "Title or role, when a name came with one",
            "mean_checkworthiness": "Average check-worthiness of the claims",
            "claims": "Number of mentions",
            "tracked_claims": "Number of distinct tracked claims",
            "articles": "Number of distinct articles",
            "outlets": "Number of distinct (known) outlets",
            "first_seen": "Earliest mention",
            "last_seen": "Latest mention",
        },
        "sort_desc": "claims",
    },
    "fact_checked_claims_seen_again": {
        "description": (
            "Mentions of a fact-checked tracked claim published on or after the "
            "fact-check (or when the fact-check has no date)."
        ),
        "columns": {
            "fact_check_id": "The fact-check",
            "rating": "Normalised verdict",
            "rating_text": "Verdict in the fact-checker's words",
            "reviewer": "The fact-checking organisation",
            "fact_checked_on": "Date of the fact-check",
            "claim_reviewed": "The claim as the fact-checker states it",
            "claim_id": "The later mention",
            "text": "Its wording",
            "speaker": "Who asserts it",
            "outlet": "Outlet of the article",
            "seen_on": _SEEN_ON,
            "tracked_claim_id": "The tracked claim",
        },
        "facets": ["rating", "reviewer", "outlet"],
        "sort_desc": "seen_on",
    },
}
