"""Importing fact-checks through the Tracker: storage, links, verdicts, idempotence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimtrack.factchecks import read_fact_checks
from claimtrack.models import Article, Claim, FactCheck
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker

FIXTURES = Path(__file__).parent / "data" / "factchecks"

ARTICLE = Article(
    id="a1",
    text=(
        "Drinking hot water kills the virus. "
        "The city budget tripled in five years. "
        "The weather was pleasant all week long."
    ),
    url="https://news.example.com/a1",
    title="Rumours",
    outlet="Example News",
    published="2024-06-01",
    language="en",
)


@pytest.fixture
def tracker(store: ClaimStore) -> Tracker:
    return Tracker(store, extractor="fake", embedder="fake")


def verdict(tracker: Tracker, claim: Claim) -> str | None:
    verdicts = {t.id: t.verdict for t in tracker.store.tracked_claims()}
    return verdicts[claim.tracked_claim_id or ""]


def records(*names: str):
    return list(read_fact_checks([FIXTURES / name for name in names]))


def test_import_stores_fact_checks_with_raw_json_and_vectors(tracker: Tracker):
    result = tracker.import_fact_checks(records("google-api-claims-search.json"))
    assert (result.added, result.updated, result.unchanged) == (4, 0, 0)
    store = tracker.store
    assert store.count("fact_checks") == 4
    row = next(iter(store.db.table("fact_checks").rows))
    assert json.loads(row["raw"])["claimReview"][0]["publisher"]
    vectors = list(store.fact_check_vectors("fake/bag-of-words"))
    assert len(vectors) == 4
    assert len(store.fact_checks()) == 4


def test_same_review_imported_twice_changes_nothing(tracker: Tracker):
    tracker.ingest(ARTICLE)
    first = tracker.import_fact_checks(records("google-api-claims-search.json"))
    again = tracker.import_fact_checks(records("google-api-claims-search.json"))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert again.links == []
    assert tracker.store.count("fact_checks") == 4
    assert tracker.store.count("fact_check_links") == len(first.links)
    assert tracker.store.count("embeddings") == 3 + 4


def test_changed_claim_text_is_re_embedded_and_re_linked(tracker: Tracker):
    tracker.ingest(ARTICLE)
    fc = FactCheck(id="fc1", claim_reviewed="The city budget tripled in five years.")
    assert len(tracker.import_fact_checks([fc]).links) == 1
    changed = fc.model_copy(update={"claim_reviewed": "Cats can fly to the Moon."})
    result = tracker.import_fact_checks([changed])
    assert (result.updated, result.links) == (1, [])
    assert tracker.store.count("fact_check_links") == 0
    assert len(list(tracker.store.fact_check_vectors("fake/bag-of-words"))) == 1


def test_imported_fact_checks_link_to_stored_claims_and_set_verdicts(
    tracker: Tracker,
):
    ingested = tracker.ingest(ARTICLE)
    result = tracker.import_fact_checks(
        records("google-api-claims-search.json", "claimreview-single.json")
    )
    same = {(link.claim_id, link.fact_check_id) for link in result.links}
    hot_water, budget = ingested.claims[0], ingested.claims[1]
    linked_claims = {claim_id for claim_id, _ in same}
    assert {hot_water.id, budget.id} <= linked_claims
    # Two reviews of the hot-water claim: both linked.
    assert sum(claim_id == hot_water.id for claim_id, _ in same) == 2
    assert all(link.decision == "same" for link in result.links)
    assert verdict(tracker, hot_water) == "false"
    assert verdict(tracker, budget) == "mostly false"
    assert verdict(tracker, ingested.claims[2]) is None


def test_latest_verdict_wins(tracker: Tracker):
    claim = tracker.ingest(ARTICLE).claims[1]
    old = FactCheck(
        id="old",
        claim_reviewed=claim.text,
        rating="false",
        published="2020-01-01",
    )
    new = old.model_copy(update={"id": "new", "rating": "mixed", "published": "2024"})
    tracker.import_fact_checks([new, old])
    assert verdict(tracker, claim) == "mixed"


def test_newly_ingested_claims_match_stored_fact_checks(tracker: Tracker):
    tracker.import_fact_checks(records("claimreview-single.json"))
    ingested = tracker.ingest(ARTICLE)
    links = ingested.fact_check_links
    assert [(link.claim_id, link.decision) for link in links] == [
        (ingested.claims[1].id, "same")
    ]
    assert tracker.store.count("fact_check_links") == 1
    assert verdict(tracker, ingested.claims[1]) == "mostly false"


def test_number_guard_applies_to_fact_check_links(tracker: Tracker):
    tracker.ingest(ARTICLE)
    fc = FactCheck(id="fc", claim_reviewed="The city budget tripled in six years.")
    other_number = FactCheck(
        id="fc2", claim_reviewed="The city budget tripled in 5 years, 2 months."
    )
    result = tracker.import_fact_checks([fc, other_number])
    decisions = {link.fact_check_id: link.decision for link in result.links}
    assert decisions.get("fc2", "suggested") == "suggested"


def test_plain_fact_checks_are_accepted(tracker: Tracker):
    fc = FactCheck(id="x", claim_reviewed="A plain fact-check without raw JSON.")
    assert tracker.import_fact_checks([fc]).added == 1
    row = tracker.store.db.table("fact_checks").get("x")
    assert json.loads(row["raw"])["claim_reviewed"] == fc.claim_reviewed
