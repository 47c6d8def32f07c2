"""Default values for every tunable setting, in one place.

The library takes explicit arguments; these are what it falls back to. Only the
CLI reads environment variables (through click), never this module.
"""

DEFAULT_EXTRACTOR = "sentences"
# Multilingual E5 fused with MiniLM: best on French and English retrieval and matches
# French to English (benchmarks/README.md, "Retrieval and matching").
DEFAULT_EMBEDDER = "e5-minilm"
# Cosine similarity above which two mentions are the same claim, and the lower
# bound of a "suggested" link that a person should review. Calibrated per model by
# the matching work; these are the fallbacks.
DEFAULT_SAME_THRESHOLD = 0.85
DEFAULT_SUGGEST_THRESHOLD = 0.7
# (same, suggested) thresholds per model id, calibrated on the tuning splits of
# CheckThat! 2A and claimnorm FR by benchmarks/retrieval_bakeoff.py. Each query
# gives its gold pair and its best wrong pair; "same" is the lowest score from which
# 95% of those pairs are right, "suggested" 50%. match.thresholds_for() reads this.
MODEL_THRESHOLDS: dict[str, tuple[float, float]] = {
    "sentence-transformers/all-MiniLM-L6-v2": (0.771, 0.398),
    "google/universal-sentence-encoder-multilingual-3": (0.729, 0.314),
    "intfloat/multilingual-e5-small-q4": (0.9, 0.852),
    "claimtrack/multilingual-e5-small-q4*0.9+all-MiniLM-L6-v2*0.1": (0.88, 0.8),
}
# The calibrated "suggested" bounds come from post -> claim retrieval, where the
# right pair scores low; between two news mentions on one topic, MiniLM and USE give
# unrelated claims 0.4-0.6. Below this floor a link is noise for a reviewer.
SUGGEST_FLOOR = 0.6
DEFAULT_MATCH_LIMIT = 5
DEFAULT_BATCH_SIZE = 32
DEFAULT_SEARCH_LIMIT = 10
# Languages the extractor has spaCy models and lexicons for.
SUPPORTED_LANGUAGES = ("en", "fr")
# The language the extractor assumes for an article that has none.
DEFAULT_LANGUAGE_FALLBACK = "en"
# Articles longer than this are refused: a 20 MB "article" is a mistake, not news.
MAX_ARTICLE_CHARS = 2_000_000
FETCH_TIMEOUT_SECONDS = 20.0  # for each network operation
# A fetched URL must be whole within this time and this size (after decompression).
FETCH_DEADLINE_SECONDS = 60.0
MAX_FETCH_BYTES = 20_000_000
# Input files larger than this are refused before they are read into memory.
MAX_FILE_BYTES = 1_000_000_000
DEFAULT_PORT = 8001
DEFAULT_HOST = "127.0.0.1"
# SQLite waits this long for another writer before giving up.
BUSY_TIMEOUT_MS = 30_000
