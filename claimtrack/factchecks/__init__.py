"""Fact-checks in: read ClaimReview from every shape it comes in, normalise verdicts.

``read_fact_checks(locations)`` yields ``FactCheckRecord``s (a ``FactCheck`` and the
raw JSON it came from); ``Tracker.import_fact_checks`` stores, embeds and links them.
"""

from claimtrack.factchecks.parse import (
    make_fact_check_id,
    parse_claim_review,
    parse_document,
    parse_google_response,
)
from claimtrack.factchecks.ratings import (
    normalise_rating,
    rating_from_text,
    rating_from_value,
)
from claimtrack.factchecks.read import (
    CSV_COLUMNS,
    parse_csv,
    parse_html,
    parse_jsonl,
    parse_text,
    read_fact_checks,
    read_file,
    vclaim_record,
)

__all__ = [
    "CSV_COLUMNS",
    "make_fact_check_id",
    "normalise_rating",
    "parse_claim_review",
    "parse_csv",
    "parse_document",
    "parse_google_response",
    "parse_html",
    "parse_jsonl",
    "parse_text",
    "rating_from_text",
    "rating_from_value",
    "read_fact_checks",
    "read_file",
    "vclaim_record",
]
