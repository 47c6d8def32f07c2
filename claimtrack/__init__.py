"""claimtrack: track check-worthy claims across news articles and fact-checks."""

from claimtrack.claimreview import export_claim_reviews, validate_claim_review
from claimtrack.embed import (
    Embedder,
    SentenceTransformerEmbedder,
    UniversalSentenceEncoderEmbedder,
)
from claimtrack.errors import (
    ArticleError,
    ClaimtrackError,
    ConfigError,
    FactCheckError,
    FetchError,
    ModelMismatchError,
    SchemaError,
    StoreError,
    UnknownBackendError,
)
from claimtrack.extract import Extractor
from claimtrack.factchecks import normalise_rating, read_fact_checks
from claimtrack.hookspecs import hookimpl
from claimtrack.models import (
    Article,
    Claim,
    ClaimLink,
    FactCheck,
    FactCheckImport,
    FactCheckLink,
    FactCheckRecord,
    IngestResult,
    ReembedResult,
    SearchHit,
    TrackedClaim,
)
from claimtrack.sources import read_articles
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker, reembed

__all__ = [
    "Article",
    "ArticleError",
    "Claim",
    "ClaimLink",
    "ClaimStore",
    "ClaimtrackError",
    "ConfigError",
    "Embedder",
    "Extractor",
    "FactCheck",
    "FactCheckError",
    "FactCheckImport",
    "FactCheckLink",
    "FactCheckRecord",
    "FetchError",
    "IngestResult",
    "ModelMismatchError",
    "ReembedResult",
    "SchemaError",
    "SearchHit",
    "SentenceTransformerEmbedder",
    "StoreError",
    "TrackedClaim",
    "Tracker",
    "UniversalSentenceEncoderEmbedder",
    "UnknownBackendError",
    "export_claim_reviews",
    "hookimpl",
    "normalise_rating",
    "read_articles",
    "read_fact_checks",
    "reembed",
    "validate_claim_review",
]
