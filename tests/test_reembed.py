"""reembed decides under the write lock: what is stored meanwhile is never lost."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from claimtrack.errors import ModelMismatchError
from claimtrack.models import Article
from claimtrack.store import ClaimStore
from claimtrack.testing import FakeEmbedder, FakePairModel, fake_tracker
from claimtrack.tracker import Tracker, reembed
from claimtrack.vectors import FloatArray


def tracker_on(path: Path, embedder: FakeEmbedder | None = None) -> Tracker:
    return fake_tracker(ClaimStore(path), embedder)


def article(article_id: str, text: str) -> Article:
    return Article(id=article_id, text=text, language="en", published="2024-01-01")


class IngestWhileEmbedding(FakeEmbedder):
    """The new model; its first call lets another process ingest an article."""

    def __init__(self, path: Path) -> None:
        super().__init__(dimensions=512, model_id="fake/new")
        self.path = path
        self.done = False

    def embed_batch(self, texts: Sequence[str]) -> FloatArray:
        if not self.done:
            self.done = True
            tracker_on(self.path).ingest(
                article("late", "The project cost 1 million euros, the minister said.")
            )
        return super().embed_batch(texts)


def test_claims_ingested_during_reembed_get_vectors_links_and_tracked_claims(
    tmp_path: Path,
):
    path = tmp_path / "claims.db"
    tracker_on(path).ingest(
        article("early", "The minister said the project cost 1 million euros.")
    )
    result = reembed(path, IngestWhileEmbedding(path), pair_model=FakePairModel())
    store = ClaimStore(path)
    assert result.claims == store.count("claims") == 2
    assert store.model_ids() == ["fake/new"]
    missing = store.db.execute(
        """select count(*) from claims where tracked_claim_id is null
        or id not in (select claim_id from embeddings where claim_id is not null)"""
    ).fetchone()[0]
    assert missing == 0
    (same,) = list(store.db.query("select decision from claim_links"))
    assert same["decision"] == "same"
    assert store.count("tracked_claims") == 1


def test_an_ingest_that_meets_a_moved_database_stops_with_one_clear_error(
    tmp_path: Path,
):
    path = tmp_path / "claims.db"
    old = tracker_on(path)
    old.ingest(article("a1", "The minister said the project cost 1 million euros."))
    reembed(path, FakeEmbedder(dimensions=512, model_id="fake/new"))
    errors: list[object] = []
    with pytest.raises(ModelMismatchError, match="moved to fake/new while this ingest"):
        list(
            old.ingest_many(
                [article("a2", "Weather was fine in the capital today.")],
                on_error=lambda _, error: errors.append(error),
            )
        )
    assert errors == []  # not reported per article: the batch stopped
    assert ClaimStore(path).count("articles") == 1
