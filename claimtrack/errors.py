"""Exceptions raised by claimtrack.

ClaimtrackError               base class; the CLI prints it and exits with status 1
├── ConfigError               an argument or option has an unusable value
├── UnknownBackendError       no extractor or embedder is registered under that name
├── ArticleError              an input article is missing, empty or unreadable
│   └── FetchError            a URL could not be fetched
├── FactCheckError            a fact-check file or URL holds no readable ClaimReview
│   └── ReviewError           one line, row or review of a fact-check file is unreadable
└── StoreError                the database cannot be used as a claimtrack store
    ├── SchemaError           the database was written by a newer claimtrack
    └── ModelMismatchError    the database holds vectors from another embedding model
"""


class ClaimtrackError(Exception):
    """Base class for every error claimtrack raises on purpose."""


class ConfigError(ClaimtrackError, ValueError):
    """An argument or option has an unusable value."""


class UnknownBackendError(ClaimtrackError, LookupError):
    """No extractor or embedder is registered under the requested name."""


class ArticleError(ClaimtrackError, ValueError):
    """An input article is missing, empty, undecodable or cannot be parsed."""


class FetchError(ArticleError):
    """A URL could not be fetched."""


class FactCheckError(ClaimtrackError, ValueError):
    """A fact-check file or URL is unreadable, or holds no ClaimReview."""


class ReviewError(FactCheckError):
    """One line, row or review of a fact-check file is unreadable (the rest is read)."""


class StoreError(ClaimtrackError):
    """The database cannot be used as a claimtrack store."""


class SchemaError(StoreError):
    """The database was written by a newer version of claimtrack."""


class ModelMismatchError(StoreError):
    """The database holds vectors from another embedding model."""
