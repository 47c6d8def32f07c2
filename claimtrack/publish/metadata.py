"""build_metadata(): the descriptive Datasette metadata for a claimtrack database."""

from __future__ import annotations

import copy
from typing import Any

from claimtrack.publish.canned_queries import (
    EXAMPLE_QUERIES_HTML,
    QUERIES,
    VIEWS,
)

DATABASE_NAME = "claims"

TABLES: dict[str, dict[str, Any]] = {
    "articles": {
        "description": (
            "One row per ingested news article. Claim offsets index into text."
        ),
        "columns": {
            "id": "Stable id, from the URL or else from the text",
            "url": "Where the article was published",
            "title": "Headline",
            "outlet": "Publication or site name",
            "published": (
                "Publication date, ISO 8601 UTC (2021-09-06 or "
                "2021-09-06T08:00:00Z); empty when unknown"
            ),
            "language": "ISO 639-1 language code, detected when not given",
            "source": "File or URL the article was read from",
            "text": "Article text exactly as stored; claim offsets refer to it",
            "text_sha256": "SHA-256 of text; an unchanged article is not redone",
            "ingested_at": "When claimtrack stored the article (UTC)",
            "copy_of": (
                "The earlier article this one reprints (a wire copy, found by MinHash "
                "of its word 5-grams), or null"
            ),
        },
        "facets": ["language", "outlet"],
        "sort_desc": "ingested_at",
        "label_column": "title",
    },
    "claims": {
        "description": (
            "One row per claim as it appears in one article (a mention). Click a "
            "claim's text for its page; sort by any column to see every column."
        ),
        "columns": {
            "id": "Stable id from article, span and wording",
            "article_id": (
                "The article the claim appears in; shown as its outlet and date"
            ),
            "position": "0-based order of the claim within its article",
            "text": "The claim",
            "sentence": "The source sentence, exactly as in the article",
            "char_start": "Start of the claim's span in articles.text",
            "char_end": "End of the claim's span in articles.text (exclusive)",
            "sentence_start": "Start of the sentence in articles.text",
            "sentence_end": "End of the sentence in articles.text (exclusive)",
            "speaker": "Who asserts the claim (the outlet when nobody else)",
            "cue": "Reporting verb or phrase: 'a déclaré', 'according to'",
            "quote_type": "direct, indirect, mixed or none",
            "checkworthiness": "How worth checking, from 0 to 1",
            "reasons": "JSON list of what raised or lowered checkworthiness",
            "hedged": "1 if the claim is hedged or conditional: 'pourrait', 'probably'",
            "negated": "1 if the claim is negated",
            "needs_context": (
                "1 if the claim keeps a pronoun or reference it could not resolve: "
                "read it with its sentence"
            ),
            "claim_type": (
                "statistic, quote, event, causal, prediction, policy or other"
            ),
            "language": "ISO 639-1 language code",
            "tracked_claim_id": (
                "The tracked claim (cluster of mentions) it belongs to; shown as its "
                "verdict and number of mentions"
            ),
            "speaker_id": "The speaker (person or group) the speaker string names",
            "extractor": "The extractor that produced the claim",
        },
        "facets": ["language", "speaker_id", "claim_type", "quote_type"],
        "sort_desc": "checkworthiness",
        "fts_table": "claims_fts",
        # claim_links, fact_check_links and embeddings show the claim's text
        "label_column": "text",
    },
    "tracked_claims": {
        "description": (
            "One claim followed over time: a cluster of mentions that say "
            "the same thing."
        ),
        "columns": {
            "id": "Id of the cluster (the id of its first mention)",
            "text": "Representative wording: the earliest mention",
            "first_seen": "Earliest publication date of a mention; empty if none dated",
            "last_seen": "Latest publication date of a mention; empty if none dated",
            "mentions": "Number of mentions",
            "articles": "Number of distinct articles",
            "outlets": "Number of distinct outlets",
            "independent_outlets": (
                "Number of distinct outlets, a wire copy counted with the outlet "
                "of the article it reprints"
            ),
            "verdict": "Latest fact-check verdict, if any",
        },
        "facets": ["verdict"],
        "sort_desc": "mentions",
        "label_column": "text",
    },
    "article_minhashes": {
        "description": (
            "One MinHash signature per article, to recognise wire copies "
            "(claimtrack.wirecopy)."
        ),
        "columns": {
            "article_id": "The article",
            "shingles": "Number of distinct word 5-grams (0: too short to compare)",
            "signature": "64 little-endian uint32 MinHash values",
        },
        "hidden": True,
    },
    "article_bands": {
        "description": (
            "LSH bands of the MinHash signatures: two articles that share a key "
            "are compared as possible wire copies."
        ),
        "columns": {
            "key": "64-bit hash of one band of the signature",
            "article_id": "The article",
        },
        "hidden": True,
    },
    "claim_terms": {
        "description": (
            "Each claim's text as the numbers of its words' terms, read by BM25 "
            "instead of tokenizing the text again (claimtrack.claim_terms)."
        ),
        "columns": {
            "claim_rowid": "The claim's rowid (the row id its full-text index gives)",
            "claim_id": "The claim",
            "numbers": "Little-endian int64 term numbers, one a word (-1: none)",
        },
        "hidden": True,
    },
    "feeds": {
        "description": "One feed watched by 'claimtrack watch', and its polling state.",
        "columns": {
            "url": "The feed's address",
            "etag": "ETag of the last answer, sent back as If-None-Match",
            "last_modified": "Last-Modified of the last answer (If-Modified-Since)",
            "last_polled": "When the feed was last asked (UTC)",
            "last_success": "When it last answered with a feed or 304 (UTC)",
            "last_error": "The last error, null after a success",
            "failures": "Failures in a row; the wait before the next try doubles",
            "next_poll": "Not polled again before this time (UTC)",
            "items_seen": "Items read from the feed since it was first watched",
        },
        "sort_desc": "last_polled",
    },
    "claim_links": {
        "description": "A match between a claim and an earlier claim.",
        "columns": {
            "claim_id": "The newer mention",
            "earlier_claim_id": "The earlier mention it matches",
            "score": "The pair model's probability that both say the same claim",
            "decision": (
                "same (same claim, same tracked claim), opposite (the claim with "
                "its polarity flipped, never the same tracked claim) or suggested "
                "(for a person to review; at most 3 per claim)"
            ),
            "method": "How the score was computed",
            "model_id": "Embedding model of the score",
        },
        "facets": ["decision", "method"],
        "sort_desc": "score",
    },
    "fact_checks": {
        "description": "One fact-checker's review of a claim (schema.org ClaimReview).",
        "columns": {
            "id": "Stable id of the review",
            "claim_reviewed": "The claim as the fact-checker states it",
            "claimant": "Who made the claim",
            "rating_text": "The verdict in the fact-checker's words",
            "rating": (
                "Normalised verdict: false, mostly false, mixed, mostly true, true, "
                "unverifiable, other"
            ),
            "reviewer": "The fact-checking organisation",
            "url": "The fact-check article",
            "published": "Date of the review (ISO 8601 UTC), empty when unknown",
            "language": "ISO 639-1 language code",
            "raw": "The review as imported (JSON)",
        },
        "facets": ["rating", "reviewer", "language"],
        "fts_table": "fact_checks_fts",
        "label_column": "claim_reviewed",
    },
    "fact_check_links": {
        "description": "A claim matched to a fact-check.",
        "columns": {
            "claim_id": "The claim",
            "fact_check_id": "The fact-check",
            "score": "The pair model's probability that both say the same claim",
            "decision": (
                "same (its verdict is the claim's), opposite (reviews the opposite "
                "claim: no verdict) or suggested (for a person to review)"
            ),
            "method": "How the score was computed",
            "model_id": "Embedding model of the score",
        },
        "facets": ["decision"],
    },
    "embeddings": {
        "description": (
            "One unit-length float32 vector per claim (or fact-check) and model. "
            "Search them from SQL with claimtrack_nearest (examples in the "
            "database description)."
        ),
        "columns": {
            "id": "Ever-growing row number: a reader can fetch the vectors added since",
            "claim_id": "The claim embedded, or null for a fact-check",
            "fact_check_id": "The fact-check embedded, or null for a claim",
            "model_id": "The embedding model; vectors of two models are never compared",
            "dimensions": "Vector length",
            "vector": (
                "Little-endian float32 BLOB; search with "
                "claimtrack_nearest(vector, k), compare with "
                "claimtrack_similarity(a, b) and claimtrack_embed(text)"
            ),
        },
        "facets": ["model_id"],
        # Vectors are for SQL, not for reading: listed last, out of the way.
        "hidden": True,
    },
}

TABLES["speakers"] = {
    "description": (
        "One person or group that asserts claims. Titles and appositives are "
        "stripped ('le directeur de la CIA, William Burns' is William Burns) and "
        "spellings merged ('Poutine', 'Putin'). Click a name for the speaker's page."
    ),
    "columns": {
        "id": "Stable id of the speaker",
        "name": "Canonical name: the fullest form, in its English spelling",
        "aliases": "JSON list of every speaker string that names this speaker",
        "role": "Title or role stripped from the name ('président américain')",
        "person": "1 for a person (merged by surname), 0 for a group as written",
        "surname": "Folded, transliterated surname that persons are merged on",
        "given": "Folded given names ('' when only a surname was seen)",
        "mentions": "Number of claims",
    },
    "sort_desc": "mentions",
    "label_column": "name",
    "fts_table": "speakers_fts",
}
TABLES["reviews"] = {
    "description": (
        "One decision a person made on a suggested link, in the review queue "
        "(claimtrack serve --review). A rejected pair never comes back; "
        "'claimtrack reviews' exports them as labelled pairs."
    ),
    "columns": {
        "id": "Order of the decision",
        "kind": "claim_link (two claims) or fact_check_link (a claim, a fact-check)",
        "a": "The claim",
        "b": "The earlier claim, or the fact-check",
        "decision": "same, opposite or rejected",
        "before": "The link's decision before the review",
        "after": "The link's decision after it (rejected: the link is removed)",
        "reviewer": "Id of the signed-in Datasette actor",
        "reviewed_at": "When (ISO 8601 UTC)",
        "note": "What the reviewer wrote, if anything",
    },
    "facets": ["decision", "kind", "reviewer"],
    "sort_desc": "id",
}

# Tables of SQLite and sqlite-utils that people never need to browse.
INTERNAL_TABLES: dict[str, dict[str, Any]] = {
    "_sqlite_migrations": {"hidden": True},
    "sqlite_sequence": {"hidden": True},
}

DATABASE_DESCRIPTION = (
    "Claims extracted from news articles: one row of claims per mention, grouped "
    "into tracked_claims (the same claim followed over time), matched to "
    "fact_checks. Start with the claims table, the views repeated_claims and "
    "claim_timeline, or search by meaning with the query 'Search claims by "
    "meaning'. Every claim, tracked claim, article and speaker has its own page: "
    "click an id or a text."
)

DATABASE_DESCRIPTION_HTML = (
    "<p>"
    + DATABASE_DESCRIPTION
    + "</p><details><summary>Search by meaning from your own SQL</summary>"
    + EXAMPLE_QUERIES_HTML
    + "</details>"
)


def build_metadata(database_name: str = DATABASE_NAME) -> dict[str, Any]:
    """Return the Datasette metadata dict written to datasette-metadata.json.

    Args:
        database_name: the name Datasette gives the database: its file name without
            the extension ("claims" for claims.db).
    """
    metadata = {
        "title": "claimtrack",
        "description": (
            "Check-worthy claims extracted from news articles, who asserts them, where "
            "they were repeated, and which fact-checkers reviewed them."
        ),
        # Datasette's footer reads "Data license: <license>", so the licence is
        # named, not described: the texts belong to their publishers.
        "license": "articles © their publishers (see each article's URL)",
        "source": "claimtrack (Apache-2.0)",
        "source_url": "https://github.com/claimtrack/claimtrack",
        "databases": {
            database_name: {
                "description": DATABASE_DESCRIPTION,
                "description_html": DATABASE_DESCRIPTION_HTML,
                "tables": {**TABLES, **VIEWS, **INTERNAL_TABLES},
                "queries": QUERIES,
            }
        },
    }
    # A fresh copy each time: Datasette adds keys to the dicts it is given.
    return copy.deepcopy(metadata)
