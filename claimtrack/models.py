"""Pydantic models for the data that crosses module boundaries.

Field names are the column names of the SQLite tables (see ``migrations.py``), so a row
and a model convert into each other without renaming.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from claimtrack.dates import parse_date, parse_date_or_none

QuoteType = Literal["direct", "indirect", "mixed", "none"]
ClaimType = Literal[
    "statistic", "quote", "event", "causal", "prediction", "policy", "other"
]
Decision = Literal["same", "suggested", "opposite"]
IngestStatus = Literal["added", "updated", "unchanged"]
Rating = Literal[
    "false", "mostly false", "mixed", "mostly true", "true", "unverifiable", "other"
]


def stable_id(*parts: str) -> str:
    """Return a 16-hex-digit id that depends only on the given parts."""
    joined = "\x1f".join(parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def sha256_text(text: str) -> str:
    """Return the SHA-256 of text as UTF-8: the fingerprint in articles.text_sha256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_article_id(*, url: str | None, text: str) -> str:
    """Return a stable article id: from the URL when there is one, else the text."""
    return stable_id("url", url) if url else stable_id("text", sha256_text(text))


def make_claim_id(article_id: str, char_start: int, char_end: int, text: str) -> str:
    """Return a stable claim id: same article, span and wording give the same id."""
    normalised = " ".join(text.casefold().split())
    return stable_id(article_id, str(char_start), str(char_end), normalised)


class Article(BaseModel, frozen=True, extra="forbid"):
    """One news article, its text exactly as stored; claim offsets point into it."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    # ISO 8601 UTC: "2021-09-06" or "2021-09-06T08:00:00Z"; None is "date unknown".
    published: str | None = None
    language: str | None = None  # ISO 639-1 code, detected when not given
    source: str | None = None  # the file or URL the article was read from

    @field_validator("published", mode="before")
    @classmethod
    def _published_as_iso(cls, value: object) -> object:
        """Parse any date format; refuse what is not a date (claimtrack.dates)."""
        return parse_date(value)

    @property
    def text_sha256(self) -> str:
        """The fingerprint used to notice that a re-ingested article is unchanged."""
        return sha256_text(self.text)


class Claim(BaseModel, frozen=True, extra="forbid"):
    """One claim as it appears in one article (a mention)."""

    id: str
    article_id: str
    position: int  # 0-based order of the claim within its article
    text: str  # the claim, stated so it can be read without the article
    sentence: str  # the source sentence, exactly as in the article
    char_start: int  # offsets of the claim's span in Article.text
    char_end: int
    sentence_start: int  # offsets of the source sentence in Article.text
    sentence_end: int
    speaker: str | None = None
    cue: str | None = None  # the reporting verb or phrase: "a déclaré", "according to"
    quote_type: QuoteType = "none"
    checkworthiness: float = Field(default=0.0, ge=0.0, le=1.0)
    reasons: tuple[str, ...] = ()  # what raised or lowered checkworthiness
    hedged: bool = False  # conditional or hedged: "pourrait", "probably"
    negated: bool = False
    # True when a pronoun or reference in text could not be resolved safely.
    needs_context: bool = False
    claim_type: ClaimType = "other"
    language: str | None = None
    extractor: str = ""
    tracked_claim_id: str | None = None
    # The speakers row the speaker string names (claimtrack.speakers), set on save.
    speaker_id: str | None = None

    @field_validator("reasons", mode="before")
    @classmethod
    def _reasons_from_json(cls, value: object) -> object:
        """Accept the JSON array text that SQLite stores for reasons."""
        return json.loads(value) if isinstance(value, str) else value


class ClaimLink(BaseModel, frozen=True, extra="forbid"):
    """A match between a new mention and an earlier one."""

    claim_id: str
    earlier_claim_id: str
    score: float
    decision: Decision
    method: str  # how the score was computed, e.g. "vector"
    model_id: str


class TrackedClaim(BaseModel, frozen=True, extra="forbid"):
    """One claim followed over time: a cluster of mentions that say the same thing."""

    id: str
    text: str
    first_seen: str | None = None
    last_seen: str | None = None
    mentions: int = 0
    articles: int = 0
    outlets: int = 0
    independent_outlets: int = 0  # outlets, a wire copy counted with its original
    verdict: str | None = None


class FactCheck(BaseModel, frozen=True, extra="forbid"):
    """One fact-checker's review of a claim (schema.org ClaimReview)."""

    id: str
    claim_reviewed: str
    claimant: str | None = None
    rating_text: str | None = None
    rating: Rating | None = None
    reviewer: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 UTC, as Article.published
    language: str | None = None

    @field_validator("published", mode="before")
    @classmethod
    def _published_as_iso(cls, value: object) -> object:
        """A review's verdict matters more than its date: an unreadable one is None."""
        return parse_date_or_none(value)


class FactCheckLink(BaseModel, frozen=True, extra="forbid"):
    """A claim matched to a fact-check."""

    claim_id: str
    fact_check_id: str
    score: float
    decision: Decision
    method: str
    model_id: str


class FactCheckRecord(BaseModel, frozen=True, extra="forbid"):
    """A fact-check with the original JSON it was read from (stored as ``raw``)."""

    fact_check: FactCheck
    raw: dict[str, Any]


class FactCheckImport(BaseModel, frozen=True, extra="forbid"):
    """What importing fact-checks did: counts by status, and the links it made."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    links: list[FactCheckLink] = []


class ReembedResult(BaseModel, frozen=True, extra="forbid"):
    """What moving a database to another embedding model did."""

    model_id: str
    claims: int
    fact_checks: int
    links: int
    fact_check_links: int


class SearchHit(BaseModel, frozen=True, extra="forbid"):
    """A stored claim returned by a search, with its similarity to the query."""

    claim: Claim
    score: float


class IngestResult(BaseModel, frozen=True, extra="forbid"):
    """What ingesting one article did to the store."""

    article: Article
    status: IngestStatus
    claims: list[Claim] = []
    links: list[ClaimLink] = []
    fact_check_links: list[FactCheckLink] = []
    ingested_at: datetime | None = None
    copy_of: str | None = None  # the stored article this one reprints (wire copy)
