"""Turn ClaimReview-shaped JSON into FactCheck records, keeping every original field.

Handles schema.org ClaimReview JSON-LD (one object, a list, an ``@graph``, or nested
inside another node), the Google Fact Check Tools API ``claims:search`` response
(``claims[].claimReview[]``) and DataCommons-style ``DataFeed`` documents whose
``dataFeedElement`` items hold ClaimReviews.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from claimtrack.factchecks.ratings import normalise_rating
from claimtrack.models import FactCheck, FactCheckRecord, stable_id
from claimtrack.sources import detect_language

JsonObject = dict[str, Any]


def make_fact_check_id(
    *, url: str | None, claim_reviewed: str, reviewer: str | None
) -> str:
    """Return a stable fact-check id: same review URL and claim give the same id.

    One page may review several claims, so the claim text is part of the id; without
    a URL the reviewer stands in for it.

    Example:
        >>> make_fact_check_id(url="https://x.org/a", claim_reviewed="A", reviewer=None)
        '68295e78956052ec'
    """
    normalised = " ".join(claim_reviewed.casefold().split())
    return stable_id("fact-check", url or "", "" if url else reviewer or "", normalised)


def parse_document(document: Any) -> Iterator[FactCheckRecord]:
    """Yield a record for every ClaimReview found in a decoded JSON document.

    Example:
        >>> doc = {"@type": "ClaimReview", "claimReviewed": "A", "url": "https://x.org/a"}
        >>> [r.fact_check.claim_reviewed for r in parse_document(doc)]
        ['A']
    """
    if isinstance(document, list):
        for item in document:
            yield from parse_document(item)
    elif isinstance(document, Mapping):
        if _is_google_response(document):
            yield from parse_google_response(document)
        elif _has_type(document, "ClaimReview"):
            yield from parse_claim_review(document)
        else:
            for key, value in document.items():
                if key != "@context" and isinstance(value, (list, Mapping)):
                    yield from parse_document(value)


def parse_claim_review(review: Mapping[str, Any]) -> Iterator[FactCheckRecord]:
    """Yield the record of one schema.org ClaimReview (none if it reviews nothing).

    ``claimReviewed`` may be empty: the review's headline or name, or the reviewed
    claim's own name or text, stand in for it.
    """
    item = _first_mapping(review.get("itemReviewed"))
    rating = _first_mapping(review.get("reviewRating"))
    claim_reviewed = _first_text(
        review.get("claimReviewed"),
        item.get("name"),
        item.get("text"),
        review.get("headline"),
        review.get("name"),
        review.get("description"),
    )
    rating_text = _first_text(
        rating.get("alternateName"), rating.get("name"), rating.get("description")
    )
    reviewer = _name(review.get("author")) or _name(review.get("publisher"))
    url = _first_text(review.get("url"), review.get("@id")) or None
    if not claim_reviewed and (rating_text or reviewer):
        # A review with a verdict and a URL but no claim text is still a review:
        # its URL's slug ("/la-cia-n-a-vu-aucun-signe") is the text it has.
        claim_reviewed = url_words(url)
    if not claim_reviewed:
        return
    fact_check = FactCheck(
        id=make_fact_check_id(
            url=url, claim_reviewed=claim_reviewed, reviewer=reviewer
        ),
        claim_reviewed=claim_reviewed,
        claimant=_name(item.get("author")) or _name(item.get("creator")),
        rating_text=rating_text or None,
        rating=normalise_rating(
            rating_text,
            rating.get("ratingValue"),
            best=rating.get("bestRating"),
            worst=rating.get("worstRating"),
        ),
        reviewer=reviewer,
        url=url,
        published=_first_text(review.get("datePublished"), review.get("dateCreated"))
        or None,
        language=_language(review.get("inLanguage")) or detect_language(claim_reviewed),
    )
    yield FactCheckRecord(fact_check=fact_check, raw=dict(review))


def url_words(url: str | None) -> str:
    """The words of a URL's last path segment: "/la-cia-n-a-vu/" -> "la cia n a vu"."""
    if not url:
        return ""
    path = urlsplit(url).path.rstrip("/")
    slug = unquote(path.rsplit("/", 1)[-1])
    slug = re.sub(r"\.[a-z0-9]{2,5}$", "", slug, flags=re.IGNORECASE)  # .html
    words = re.split(r"[-_+.\s]+", slug)
    return " ".join(word for word in words if word and not word.isdigit())


def parse_google_response(response: Mapping[str, Any]) -> Iterator[FactCheckRecord]:
    """Yield one record per review in a Fact Check Tools API ``claims:search`` response.

    A claim with several reviews gives several records; each raw JSON holds the
    review and its claim (without the claim's other reviews).
    """
    for claim in response.get("claims") or []:
        reviews = claim.get("claimReview") or []
        text = _first_text(claim.get("text"))
        for review in reviews:
            claim_reviewed = text or _first_text(review.get("title"))
            if not claim_reviewed:
                continue
            publisher = _first_mapping(review.get("publisher"))
            reviewer = _first_text(publisher.get("name"), publisher.get("site")) or None
            url = _first_text(review.get("url")) or None
            rating_text = _first_text(review.get("textualRating")) or None
            fact_check = FactCheck(
                id=make_fact_check_id(
                    url=url, claim_reviewed=claim_reviewed, reviewer=reviewer
                ),
                claim_reviewed=claim_reviewed,
                claimant=_first_text(claim.get("claimant")) or None,
                rating_text=rating_text,
                rating=normalise_rating(rating_text),
                reviewer=reviewer,
                url=url,
                published=_first_text(review.get("reviewDate")) or None,
                language=_language(review.get("languageCode")),
            )
            raw = {k: v for k, v in claim.items() if k != "claimReview"}
            yield FactCheckRecord(
                fact_check=fact_check, raw={**raw, "claimReview": [review]}
            )


def is_claim_review(node: Mapping[str, Any]) -> bool:
    """Whether a JSON-LD node is typed ClaimReview (also as a list or a full IRI)."""
    return _has_type(node, "ClaimReview")


def _is_google_response(document: Mapping[str, Any]) -> bool:
    claims = document.get("claims")
    return isinstance(claims, list) and any(
        isinstance(claim, Mapping) and "claimReview" in claim for claim in claims
    )


def _has_type(node: Mapping[str, Any], name: str) -> bool:
    types = node.get("@type") or node.get("type")
    values = types if isinstance(types, list) else [types]
    return any(
        isinstance(value, str) and value.rsplit("/", 1)[-1] == name for value in values
    )


def _first_mapping(value: Any) -> Mapping[str, Any]:
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, Mapping)), None)
    return value if isinstance(value, Mapping) else {}


def _first_text(*values: Any) -> str:
    for value in values:
        if isinstance(value, list):
            value = next((item for item in value if isinstance(item, str)), None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def _name(value: Any) -> str | None:
    """The name of an author/publisher given as a string, a node or a list of them."""
    if isinstance(value, list):
        names = [name for item in value if (name := _name(item))]
        return ", ".join(names) or None
    if isinstance(value, Mapping):
        return (
            _first_text(value.get("name"), value.get("Name"), value.get("url")) or None
        )
    return _first_text(value) or None


_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}")


def _language(value: Any) -> str | None:
    """An ISO 639 code from "fr", "fr-FR" or a schema.org Language node."""
    if isinstance(value, Mapping):
        value = value.get("alternateName") or value.get("name")
    text = _first_text(value)
    match = _LANGUAGE.match(text)
    return match.group().lower() if match else None
