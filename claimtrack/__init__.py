"""claimtrack: track check-worthy claims across news articles and fact-checks."""

from claimtrack.embed import (
    Embedder,
    SentenceTransformerEmbedder,
    UniversalSentenceEncoderEmbedder,
)
from claimtrack.errors import (
    ArticleError,
    ClaimtrackError,
    ConfigError,
    FetchError,
    ModelMismatchError,
    SchemaError,
    StoreError,
    UnknownBackendError,
)
from claimtrack.extract import Extractor
from claimtrack.hookspecs import hookimpl
from claimtrack.models import (
    Article,
    Claim,
    ClaimLink,
    FactCheck,
    FactCheckLink,
    IngestResult,
    SearchHit,
    TrackedClaim,
)
from claimtrack.sources import read_articles
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker

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
    "FactCheckLink",
    "FetchError",
    "IngestResult",
    "ModelMismatchError",
    "SchemaError",
    "SearchHit",
    "SentenceTransformerEmbedder",
    "StoreError",
    "TrackedClaim",
    "Tracker",
    "UniversalSentenceEncoderEmbedder",
    "UnknownBackendError",
    "hookimpl",
    "read_articles",
]
