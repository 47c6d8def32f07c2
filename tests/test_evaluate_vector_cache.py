import hashlib

import numpy as np
import pytest

from claimtrack.evaluate.vector_cache import VectorCache, cache_path, text_key
from claimtrack.testing import FakeEmbedder, RecordingEmbedder

TEXTS = [
    "The council voted to close two libraries in March.",
    "Says the governor cut school funding by 30 percent.",
    "Unemployment fell to 3.5 percent last year.",
]


def test_a_second_cache_embeds_nothing_and_returns_the_same_vectors(tmp_path):
    first = RecordingEmbedder()
    vectors = VectorCache(tmp_path, first).embed([*TEXTS, TEXTS[0]])
    assert first.texts == TEXTS  # the repeated text is embedded once
    second = RecordingEmbedder()
    cache = VectorCache(tmp_path, second)
    again = cache.embed(TEXTS[::-1])
    assert second.texts == []
    assert cache.embedded == 0
    np.testing.assert_array_equal(again, vectors[:3][::-1])
    np.testing.assert_array_equal(vectors, FakeEmbedder().embed_all([*TEXTS, TEXTS[0]]))


def test_only_new_texts_are_embedded(tmp_path):
    VectorCache(tmp_path, FakeEmbedder()).embed(TEXTS[:2])
    embedder = RecordingEmbedder()
    cache = VectorCache(tmp_path, embedder)
    cache.embed(TEXTS)
    assert (embedder.texts, cache.embedded) == ([TEXTS[2]], 1)


def test_the_file_holds_sha1_keys_and_float32_rows_named_by_the_model(tmp_path):
    embedder = FakeEmbedder()
    VectorCache(tmp_path, embedder).embed(TEXTS)
    digest = hashlib.sha256(embedder.model_id.encode()).hexdigest()[:12]
    path = tmp_path / f"vectors-{digest}.npz"
    assert cache_path(tmp_path, embedder.model_id) == path
    with np.load(path) as saved:
        keys, vectors = saved["keys"].tolist(), saved["vectors"]
    assert keys == [hashlib.sha1(text.encode()).hexdigest() for text in TEXTS]
    assert keys[0] == text_key(TEXTS[0])
    assert (vectors.dtype, vectors.shape) == (np.float32, (3, embedder.dimensions))
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no partial file left


class PrefixedEmbedder(FakeEmbedder):
    """Embeds a collection text unlike a query, as E5's "passage:" prefix does."""

    def embed_passages(self, texts):
        return self.embed_all([f"passage {text}" for text in texts])


def test_passages_have_a_file_of_their_own(tmp_path):
    embedder = PrefixedEmbedder()
    queries = VectorCache(tmp_path, embedder).embed(TEXTS)
    passages = VectorCache(tmp_path, embedder, passages=True).embed(TEXTS)
    assert not np.allclose(queries, passages)
    assert cache_path(tmp_path, embedder.model_id, passages=True).exists()
    np.testing.assert_array_equal(
        VectorCache(tmp_path, embedder, passages=True).embed(TEXTS), passages
    )


def test_no_texts_give_an_empty_matrix(tmp_path):
    cache = VectorCache(tmp_path, FakeEmbedder())
    assert cache.embed([]).shape == (0, cache.dimensions)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("save_every", [1, 2])
def test_a_long_run_is_saved_as_it_goes(tmp_path, monkeypatch, save_every):
    monkeypatch.setattr("claimtrack.evaluate.vector_cache.SAVE_EVERY", save_every)
    saved_sizes = []
    original = VectorCache.save

    def counting_save(self):
        original(self)
        with np.load(self.path) as saved:
            saved_sizes.append(len(saved["keys"]))

    monkeypatch.setattr(VectorCache, "save", counting_save)
    VectorCache(tmp_path, FakeEmbedder()).embed(TEXTS)
    assert saved_sizes == [*range(save_every, 3, save_every), 3]
