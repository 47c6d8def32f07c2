"""Deterministic backends for tests and examples: no model, same output every run."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from claimtrack.embed import E5_MINILM_WEIGHTS, E5Embedder, Embedder
from claimtrack.extract import Extractor
from claimtrack.hookspecs import hookimpl
from claimtrack.models import Article, Claim, make_claim_id
from claimtrack.vectors import FloatArray, cosine_similarity, normalize

if TYPE_CHECKING:
    from claimtrack.decision import PairDecision, PairSide
    from claimtrack.store import ClaimStore
    from claimtrack.tracker import Tracker


def e5_minilm_vector(e5: Sequence[float], minilm: Sequence[float]) -> FloatArray:
    """A vector shaped as the default embedder's: each half padded, unit, weighted.

    Lets a test say which half two texts agree on (``e5_minilm_vector([1], [0, 1])``).
    """
    half = E5Embedder.dimensions
    parts = []
    for head, share in zip((e5, minilm), E5_MINILM_WEIGHTS, strict=True):
        part = np.zeros(half, dtype=np.float32)
        part[: len(head)] = head
        parts.append(np.sqrt(share) * part / np.linalg.norm(part))
    return np.hstack(parts).astype(np.float32)


_WORD = re.compile(r"\w+", re.UNICODE)
_NEGATION = frozenset(("not", "no", "never", "pas", "jamais", "aucun", "aucune"))
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


class FakeEmbedder(Embedder):
    """Bag-of-words vectors: each word adds 1 to a dimension chosen by its CRC-32.

    Texts that share words score high, so matching behaves sensibly in tests. crc32 is
    used rather than hash(), which Python randomises per process.
    """

    def __init__(
        self, dimensions: int = 1024, model_id: str = "fake/bag-of-words"
    ) -> None:
        self.dimensions = dimensions
        self.model_id = model_id

    def embed_batch(self, texts: Sequence[str]) -> FloatArray:
        matrix = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.casefold()):
                matrix[row, zlib.crc32(word.encode()) % self.dimensions] += 1.0
        return normalize(matrix)


class RecordingEmbedder(FakeEmbedder):
    """The fake embedder, keeping every text it was given in ``texts``."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed_batch(self, texts: Sequence[str]) -> FloatArray:
        self.texts.extend(texts)
        return super().embed_batch(texts)


class FakePairModel:
    """A pair model without weights: the cosine decides, two plain rules correct it.

    Symmetric, so a pair gets the same decision whichever side came first:

    - cosine >= ``same``: same claim; >= ``suggest``: suggested; else nothing;
    - different numbers: at most suggested;
    - one side negated ("not", "pas"...) and the other not, at a cosine >= ``suggest``:
      opposite.
    """

    method = "fake-pair-model"

    def __init__(self, same: float = 0.6, suggest: float = 0.4) -> None:
        self.same = same
        self.suggest = suggest

    def decide_many(
        self, pairs: Sequence[tuple[PairSide, PairSide]]
    ) -> list[PairDecision]:
        from claimtrack.decision import PairDecision

        decisions = []
        for a, b in pairs:
            cosine = round(cosine_similarity(a.vector, b.vector), 4)
            words_a, words_b = _words(a.text), _words(b.text)
            decision: str | None = None
            if cosine >= self.suggest and bool(words_a & _NEGATION) != bool(
                words_b & _NEGATION
            ):
                decision = "opposite"
            elif cosine >= self.same and _numbers(words_a) == _numbers(words_b):
                decision = "same"
            elif cosine >= self.suggest:
                decision = "suggested"
            decisions.append(
                PairDecision(
                    decision=decision,  # type: ignore[arg-type]
                    probability=min(cosine, 1.0),
                    method=self.method,
                )
            )
        return decisions


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def _numbers(words: set[str]) -> set[str]:
    return {word for word in words if word.isdigit()}


class FakeExtractor(Extractor):
    """One claim per sentence found by a regular expression; no speaker, no parse."""

    name = "fake"

    def extract(self, article: Article) -> Iterator[Claim]:
        position = 0
        for match in _SENTENCE.finditer(article.text):
            start = match.start() + len(match.group()) - len(match.group().lstrip())
            end = match.end()
            text = article.text[start:end]
            if len(text.split()) < 3:
                continue
            yield Claim(
                id=make_claim_id(article.id, start, end, text),
                article_id=article.id,
                position=position,
                text=text,
                sentence=text,
                char_start=start,
                char_end=end,
                sentence_start=start,
                sentence_end=end,
                speaker=article.outlet,
                language=article.language,
                checkworthiness=0.5,
                extractor=self.name,
            )
            position += 1


class FakeBackends:
    """A plugin that registers FakeEmbedder and FakeExtractor, both under "fake".

    Example:
        >>> from claimtrack.plugins import pm
        >>> pm.register(FakeBackends(), name="fakes")
    """

    @hookimpl
    def register_embedders(self, register: Callable[..., None]) -> None:
        register(FakeEmbedder(), aliases=("fake",))

    @hookimpl
    def register_extractors(self, register: Callable[..., None]) -> None:
        register(FakeExtractor())


def fake_tracker(store: ClaimStore, embedder: FakeEmbedder | None = None) -> Tracker:
    """A Tracker on ``store`` with every model replaced by its fake.

    Example:
        >>> from sqlite_utils import Database
        >>> from claimtrack.store import ClaimStore
        >>> fake_tracker(ClaimStore(Database(memory=True))).embedder.model_id
        'fake/bag-of-words'
    """
    # Imported here: the tracker imports the pipeline this module fakes.
    from claimtrack.tracker import Tracker

    return Tracker(
        store,
        extractor=FakeExtractor(),
        embedder=embedder or FakeEmbedder(),
        pair_model=FakePairModel(),
    )
