from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimtrack.errors import ArticleError, ConfigError, ModelMismatchError
from claimtrack.models import Article
from claimtrack.sources import read_articles
from claimtrack.store import ClaimStore
from claimtrack.testing import FakeEmbedder, FakePairModel, RecordingEmbedder
from claimtrack.tracker import Tracker, reembed


def fake_tracker(store: ClaimStore) -> Tracker:
    """A tracker on the fake backends, with thresholds the bag-of-words scores reach."""
    return Tracker(
        store,
        extractor="fake",
        embedder="fake",
        pair_model=FakePairModel(same=0.6, suggest=0.4),
    )


@pytest.fixture
def tracker(store: ClaimStore) -> Tracker:
    return Tracker(store, extractor="fake", embedder="fake")


@pytest.fixture
def articles(articles_path: Path) -> list[Article]:
    return list(read_articles([articles_path]))


def test_ingest_stores_claims_with_exact_offsets(tracker: Tracker, articles):
    result = tracker.ingest(articles[0])
    assert result.status == "added"
    assert [claim.text for claim in result.claims] == [
        "The minister said the project cost 1 million euros.",
        "The vote is expected on Tuesday in parliament.",
    ]
    for claim in tracker.claims():
        assert articles[0].text[claim.char_start : claim.char_end] == claim.text
    assert tracker.store.count("embeddings") == 2


def test_second_ingest_of_same_article_changes_nothing(tracker: Tracker, articles):
    tracker.ingest(articles[0])
    counts = {t: tracker.store.count(t) for t in ("articles", "claims", "embeddings")}
    again = tracker.ingest(articles[0])
    assert again.status == "unchanged"
    assert again.claims == []
    assert {t: tracker.store.count(t) for t in counts} == counts


def test_changed_article_replaces_its_claims(tracker: Tracker, articles):
    tracker.ingest(articles[0])
    changed = articles[0].model_copy(update={"text": "A wholly new text about rivers."})
    result = tracker.ingest(changed)
    assert result.status == "updated"
    assert [c.text for c in tracker.claims()] == ["A wholly new text about rivers."]
    assert tracker.store.count("embeddings") == 1


def test_claims_of_a_replaced_article_are_never_matched_again(store: ClaimStore):
    tracker = fake_tracker(store)
    old = Article(id="a", text="The bridge cost 40 million euros to build.")
    tracker.ingest(old)
    tracker.ingest(old.model_copy(update={"text": "Rivers flooded the valley."}))
    repeat = tracker.ingest(Article(id="b", text="The bridge cost 40 million euros."))
    assert repeat.links == []
    assert [hit.claim.article_id for hit in tracker.search("bridge cost euros")] == [
        "b",
        "a",
    ]


def test_repeated_claim_is_linked_and_tracked_but_other_number_is_only_suggested(
    store: ClaimStore, articles
):
    tracker = fake_tracker(store)
    results = list(tracker.ingest_many(articles))
    links = {
        (link.claim_id, link.earlier_claim_id): link
        for r in results
        for link in r.links
    }
    by_text = {claim.text: claim for claim in tracker.claims()}
    million_1 = by_text["The minister said the project cost 1 million euros."]
    repeat = by_text["The project cost 1 million euros, the minister said."]
    million_5 = by_text["The project cost 5 million euros."]
    assert links[(repeat.id, million_1.id)].decision == "same"
    assert repeat.tracked_claim_id == million_1.tracked_claim_id == million_1.id
    five_links = [link for key, link in links.items() if key[0] == million_5.id]
    assert five_links and {link.decision for link in five_links} == {"suggested"}
    assert million_5.tracked_claim_id == million_5.id
    tracked = {t.id: t for t in store.tracked_claims()}
    assert tracked[million_1.id].mentions == 2
    assert tracked[million_1.id].outlets == 2
    assert tracked[million_1.id].first_seen == "2024-03-01"
    assert tracked[million_1.id].last_seen == "2024-03-02"


def test_search_returns_closest_claims_first(tracker: Tracker, articles):
    list(tracker.ingest_many(articles))
    hits = tracker.search("cost of the project in euros", k=2)
    assert len(hits) == 2
    assert all("cost" in hit.claim.text for hit in hits)
    assert hits[0].score >= hits[1].score


def test_store_embedded_with_another_model_is_refused(store: ClaimStore, articles):
    Tracker(store, extractor="fake", embedder="fake").ingest(articles[0])
    with pytest.raises(ModelMismatchError, match="fake/bag-of-words"):
        Tracker(store, extractor="fake", embedder=FakeEmbedder(model_id="fake/other"))


def test_bad_article_in_a_batch_is_reported_and_the_rest_stored(store: ClaimStore):
    class FailingOnB(FakeEmbedder):
        pass

    tracker = Tracker(store, extractor="sentences", embedder=FailingOnB())
    failures = []
    articles = [Article(id="b", text="Der Bericht ist lang.", language="de")]
    results = list(
        tracker.ingest_many(articles, on_error=lambda a, e: failures.append((a.id, e)))
    )
    assert results == []
    assert [(article_id, type(error)) for article_id, error in failures] == [
        ("b", ConfigError)
    ]
    assert store.count("articles") == 0


def test_error_without_handler_is_raised(tracker: Tracker):
    with pytest.raises(ArticleError):
        list(read_articles(["/nonexistent/file.txt"]))


def test_thresholds_must_be_ordered(store: ClaimStore):
    with pytest.raises(ValueError, match="suggest_threshold <= same_threshold"):
        Tracker(
            store,
            extractor="fake",
            embedder="fake",
            same_threshold=0.5,
            suggest_threshold=0.9,
        )


def test_reembed_moves_the_store_to_another_model(store: ClaimStore, articles):
    tracker = fake_tracker(store)
    list(tracker.ingest_many(articles))
    before_links = {
        (row["claim_id"], row["earlier_claim_id"], row["decision"])
        for row in store.db.table("claim_links").rows
    }
    before_tracked = {c.id: c.tracked_claim_id for c in tracker.claims()}
    other = FakeEmbedder(dimensions=512, model_id="fake/other")
    result = reembed(store, other, pair_model=FakePairModel(same=0.6, suggest=0.4))
    assert (result.model_id, result.claims) == ("fake/other", 6)
    assert store.model_ids() == ["fake/other"]
    assert store.count("embeddings") == 6
    # Replaying in publication order finds the same claims repeated.
    after_links = {
        (row["claim_id"], row["earlier_claim_id"], row["decision"])
        for row in store.db.table("claim_links").rows
    }
    assert {link for link in after_links if link[2] == "same"} == {
        link for link in before_links if link[2] == "same"
    }
    assert {c.id: c.tracked_claim_id for c in store.claims()} == before_tracked
    Tracker(store, extractor="fake", embedder=other)  # the new model is accepted
    with pytest.raises(ModelMismatchError):
        Tracker(store, extractor="fake", embedder="fake")


def test_reembed_failure_leaves_the_store_as_it_was(store: ClaimStore, articles):
    list(Tracker(store, extractor="fake", embedder="fake").ingest_many(articles))

    class Broken(FakeEmbedder):
        def embed_batch(self, texts):
            raise ConfigError("model file missing")

    with pytest.raises(ConfigError):
        reembed(store, Broken(model_id="fake/broken"))
    assert store.model_ids() == ["fake/bag-of-words"]
    assert store.count("embeddings") == 6


def test_search_embeds_a_long_query_as_its_distinct_sentences(store: ClaimStore):
    embedder = RecordingEmbedder()
    tracker = Tracker(store, extractor="fake", embedder=embedder)
    tracker.search("The project cost 1 million. The project cost 1 million.")
    assert embedder.texts[-1] == "The project cost 1 million."


def test_articles_stored_in_one_second_keep_the_order_they_were_stored(
    store: ClaimStore, monkeypatch: pytest.MonkeyPatch
):
    # ingested_at has whole seconds: two undated articles stored in the same second
    # keep the writer's order (replayed so by reembed, the tracked claim's text taken
    # from the first), not the order of their ids, which no engine follows.
    import claimtrack.store

    class FrozenClock:
        @staticmethod
        def now(tz: object = None) -> datetime:
            return datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)

    monkeypatch.setattr(claimtrack.store, "datetime", FrozenClock)
    tracker = fake_tracker(store)
    first = Article(id="zz-first", text="The plant closed in 2019 after the flood.")
    second = Article(id="aa-second", text="After the flood the plant closed in 2019.")
    tracker.ingest(first)
    tracker.ingest(second)
    order = [claim.article_id for claim in store.claims_in_publication_order()]
    assert order == ["zz-first", "aa-second"]
    (tracked,) = store.db["tracked_claims"].rows
    assert tracked["mentions"] == 2
    assert tracked["text"] == first.text
