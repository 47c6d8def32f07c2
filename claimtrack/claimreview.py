"""Write fact-checks back out as schema.org ClaimReview JSON-LD, and validate it.

``claim_review()`` builds one ClaimReview from a stored fact-check and the articles
where claimtrack saw the claim (its ``appearance`` and ``firstAppearance``).
``validate_claim_review()`` checks the fields Google requires for fact-check markup.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimtrack.store import ClaimStore

JsonObject = dict[str, Any]

# Google's required properties for fact-check markup (ClaimReview and its Rating).
REQUIRED_FIELDS = ("claimReviewed", "reviewRating", "url", "author", "datePublished")


def claim_review(
    fact_check: Mapping[str, Any], appearances: Sequence[Mapping[str, Any]] = ()
) -> JsonObject:
    """Return the ClaimReview JSON-LD of a stored fact-check.

    Args:
        fact_check: a ``fact_checks`` row (with its ``raw`` JSON, when stored).
        appearances: rows of the articles where the claim was seen, earliest first,
            with ``url``, ``title``, ``outlet``, ``published`` and ``speaker``.

    Returns:
        A JSON-LD object with ``@context``; numeric rating fields of the original
        review are kept when it had them.
    """
    original = _raw(fact_check.get("raw"))
    review: JsonObject = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": fact_check.get("claim_reviewed"),
        "url": fact_check.get("url"),
        "datePublished": fact_check.get("published"),
        "reviewRating": _rating(fact_check, original),
        "itemReviewed": _item_reviewed(fact_check, appearances),
    }
    if fact_check.get("reviewer"):
        review["author"] = {"@type": "Organization", "name": fact_check["reviewer"]}
    if fact_check.get("language"):
        review["inLanguage"] = fact_check["language"]
    return {key: value for key, value in review.items() if value not in (None, "")}


def export_claim_reviews(
    store: ClaimStore,
    *,
    tracked_claim_id: str | None = None,
    on_invalid: Callable[[JsonObject, list[str]], None] | None = None,
) -> Iterator[JsonObject]:
    """Yield a valid ClaimReview for each (tracked claim, "same" fact-check) pair.

    Args:
        store: the claim database.
        tracked_claim_id: only this tracked claim.
        on_invalid: called with each review that fails ``validate_claim_review`` and
            its problems; such reviews are not yielded.
    """
    appearances: dict[str, list[dict[str, Any]]] = {}
    for row in store.fact_check_reviews(tracked_claim_id=tracked_claim_id):
        tracked = row["tracked_claim_id"]
        if tracked not in appearances:
            appearances[tracked] = store.appearances(tracked)
        review = claim_review(row, appearances[tracked])
        problems = validate_claim_review(review)
        if not problems:
            yield review
        elif on_invalid is not None:
            on_invalid(review, problems)


def validate_claim_review(review: Mapping[str, Any]) -> list[str]:
    """Return the problems that keep a ClaimReview from being valid fact-check markup.

    Checks Google's required fields (``claimReviewed``, ``reviewRating`` with its
    ``alternateName``, ``url``, ``author`` with a name, ``datePublished``) and that
    the item is typed ClaimReview. An empty list means valid.

    Example:
        >>> validate_claim_review({"@type": "ClaimReview"})[0]
        'missing claimReviewed'
    """
    problems = [
        f"missing {field}" for field in REQUIRED_FIELDS if not review.get(field)
    ]
    if review.get("@type") != "ClaimReview":
        problems.append("@type is not ClaimReview")
    rating = review.get("reviewRating")
    if isinstance(rating, Mapping) and not rating.get("alternateName"):
        problems.append("reviewRating has no alternateName (the textual verdict)")
    author = review.get("author")
    if isinstance(author, Mapping) and not author.get("name"):
        problems.append("author has no name")
    url = review.get("url")
    if isinstance(url, str) and url and not url.startswith(("http://", "https://")):
        problems.append("url is not an absolute http(s) URL")
    return problems


def _rating(fact_check: Mapping[str, Any], original: JsonObject) -> JsonObject | None:
    text = fact_check.get("rating_text") or fact_check.get("rating")
    if not text:
        return None
    rating: JsonObject = {"@type": "Rating", "alternateName": text}
    source = original.get("reviewRating")
    if isinstance(source, list):
        source = source[0] if source else None
    if isinstance(source, Mapping):
        for key in ("ratingValue", "bestRating", "worstRating"):
            if source.get(key) not in (None, ""):
                rating[key] = source[key]
    return rating


def _item_reviewed(
    fact_check: Mapping[str, Any], appearances: Sequence[Mapping[str, Any]]
) -> JsonObject:
    item: JsonObject = {"@type": "Claim"}
    if fact_check.get("claimant"):
        item["author"] = {"@type": "Person", "name": fact_check["claimant"]}
    works = [_creative_work(article) for article in appearances]
    if works:
        item["firstAppearance"] = works[0]
        item["appearance"] = works
        if appearances[0].get("published"):
            item["datePublished"] = appearances[0]["published"]
    return item


def _creative_work(article: Mapping[str, Any]) -> JsonObject:
    work: JsonObject = {"@type": "CreativeWork"}
    if article.get("url"):
        work["url"] = article["url"]
    else:  # an article read from a file: name it by its claimtrack id
        work["identifier"] = article.get("id")
    if article.get("title"):
        work["headline"] = article["title"]
    if article.get("published"):
        work["datePublished"] = article["published"]
    if article.get("outlet"):
        work["publisher"] = {"@type": "Organization", "name": article["outlet"]}
    if article.get("speaker"):
        work["author"] = {"@type": "Person", "name": article["speaker"]}
    return work


def _raw(value: Any) -> JsonObject:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return {}
    return dict(value) if isinstance(value, Mapping) else {}
