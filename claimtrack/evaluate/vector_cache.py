"""Keep an embedder's vectors of benchmark texts in one file, so re-runs embed nothing.

Embedding the 14,231 CheckThat! 2A vclaims takes 20 minutes to an hour on a shared
2-core machine; the ranking that follows takes seconds. ``claimtrack eval retrieval
--vector-cache DIR`` and ``benchmarks/match_retrieval_tuning.py --cache DIR`` read and
write the same files, one per model (and per side: queries, or passages for an
asymmetric model), so a vector computed by either is reused by both.

The file is ``vectors-<first 12 hex digits of sha256(model id)>.npz`` with two arrays:
``keys`` (the SHA-1 hex digest of each text) and ``vectors`` (float32, one row a key,
as the embedder returned it). Passages get ``sha256(model id + " passages")``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from claimtrack.embed import Embedder
from claimtrack.vectors import FloatArray

logger = logging.getLogger(__name__)

# Texts embedded between two saves: a long run that is stopped keeps its work, and
# rewriting the file (50 MB for 2A) stays a small share of the time.
SAVE_EVERY = 500


def cache_path(folder: Path | str, model_id: str, *, passages: bool = False) -> Path:
    """The cache file of a model's vectors (of queries, or of passages) in a folder.

    Example:
        >>> cache_path("/tmp/cache", "e5-minilm").name
        'vectors-2f383daffd89.npz'
    """
    name = f"{model_id} passages" if passages else model_id
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return Path(folder) / f"vectors-{digest}.npz"


def text_key(text: str) -> str:
    """The key of a text in the cache: the SHA-1 hex digest of its UTF-8 bytes."""
    return hashlib.sha1(text.encode()).hexdigest()


class VectorCache:
    """The vectors one embedder gives texts, read from and saved to one file.

    Args:
        folder: where the file lives (created when missing).
        embedder: computes the vectors the file lacks.
        passages: cache ``embedder.embed_passages`` (the collection side of an
            asymmetric model) instead of ``embed_all``, in a file of its own.

    Example:
        >>> from claimtrack.testing import FakeEmbedder
        >>> import tempfile
        >>> cache = VectorCache(tempfile.mkdtemp(), FakeEmbedder())
        >>> cache.embed(["Russia tests a missile"]).shape == (1, cache.dimensions)
        True
    """

    def __init__(
        self, folder: Path | str, embedder: Embedder, *, passages: bool = False
    ) -> None:
        self.embedder = embedder
        self.passages = passages
        self.path = cache_path(folder, embedder.model_id, passages=passages)
        self.known: dict[str, FloatArray] = {}
        if self.path.exists():
            with np.load(self.path) as saved:
                self.known = dict(
                    zip(saved["keys"].tolist(), saved["vectors"], strict=True)
                )
        self.embedded = 0  # texts this instance had to embed

    @property
    def dimensions(self) -> int:
        """The embedder's dimensions."""
        return self.embedder.dimensions

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """Return one vector per text, in order, embedding only the texts not cached."""
        missing = list(dict.fromkeys(t for t in texts if text_key(t) not in self.known))
        encode = (
            self.embedder.embed_passages if self.passages else self.embedder.embed_all
        )
        for start in range(0, len(missing), SAVE_EVERY):
            chunk = missing[start : start + SAVE_EVERY]
            began = time.perf_counter()
            for text, vector in zip(chunk, encode(chunk), strict=True):
                self.known[text_key(text)] = vector
            self.embedded += len(chunk)
            self.save()
            logger.info(
                "embedded %d/%d (%.1f/s)",
                start + len(chunk),
                len(missing),
                len(chunk) / max(time.perf_counter() - began, 1e-9),
            )
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.stack([self.known[text_key(t)] for t in texts]).astype(np.float32)

    def save(self) -> None:
        """Write every known vector, through a temporary file and a rename.

        A reader that opens the file while it is being rewritten sees the old one
        whole, never half a new one.
        """
        if not self.known:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self.known)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
        with partial.open("wb") as handle:
            np.savez(
                handle,
                keys=np.array(keys),
                vectors=np.stack([self.known[k] for k in keys]),
            )
        os.replace(partial, self.path)
