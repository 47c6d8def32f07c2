"""The writer's own per-article costs: people's reviews read once and then followed,
an article's speakers parsed in one spaCy pass. Same results as before, cheaper."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from claimtrack.extract.sentences import load_spacy_model
from claimtrack.models import Article
from claimtrack.reviews import (
    ReviewedDecisions,
    confirmed_links,
    record_review,
    reviewed_decisions,
)
from claimtrack.speakers import parse_speaker, parse_speakers
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker

SHARED = "The transit authority will raise bus fares by ten percent in March."


def _article(article_id: str, text: str) -> Article:
    return Article(
        id=article_id,
        text=text,
        outlet="Metro Daily",
        published="2024-03-01",
        language="en",
    )


def _claim_of(db: Database, article_id: str, text: str) -> str:
    [row] = db.query(
        "select id from claims where article_id = ? and text = ?", [article_id, text]
    )
    return str(row["id"])


def _links(db: Database, claim_id: str) -> list[str]:
    return [
        row["earlier_claim_id"]
        for row in db.query(
            "select earlier_claim_id from claim_links where claim_id = ?", [claim_id]
        )
    ]


def test_a_review_by_another_connection_applies_to_the_next_article(
    tmp_path: Path,
) -> None:
    """A reviewer rejects a link between two articles the writer ingests; when the
    writer re-links that claim (a corrected article), the pair does not come back."""
    path = tmp_path / "claims.db"
    tracker = Tracker(path, extractor="fake", embedder="fake")
    first = _article(
        "fares-1", f"{SHARED} Riders' groups called the increase unfair to commuters."
    )
    second_text = f"{SHARED} The mayor said she would ask the board to reconsider."
    list(tracker.ingest_many([first, _article("fares-2", second_text)]))
    db = Database(path)
    earlier = _claim_of(db, "fares-1", SHARED)
    later = _claim_of(db, "fares-2", SHARED)
    assert _links(db, later) == [earlier], "the shared sentence is linked"
    # The writer has read the reviews (there were none) at both articles.
    assert tracker.store.reviewed_decisions() == {}

    reviewer = ClaimStore(Database(path))  # the review server's own connection
    record_review(reviewer, "claim_link", later, earlier, "rejected", reviewer="alice")
    assert _links(db, later) == []

    # The same article corrected: the shared sentence keeps its offsets (its id),
    # and the matcher proposes the rejected pair again.
    corrected = second_text.replace("the board", "the transit board")
    list(tracker.ingest_many([_article("fares-2", corrected)]))
    assert _claim_of(db, "fares-2", SHARED) == later
    assert _links(db, later) == [], "the rejection made meanwhile was applied"
    assert (
        tracker.store.reviewed_decisions()[("claim_link", later, earlier)] == "rejected"
    )


def _review_row(db: Database, a: str, b: str, decision: str) -> None:
    db.table("reviews").insert(
        {"kind": "claim_link", "a": a, "b": b, "decision": decision, "reviewer": "t"}
    )


def test_followed_decisions_equal_a_full_read(tmp_path: Path) -> None:
    """Additions by this connection and by another are followed; a table changed
    other than by additions (a row deleted by hand) is read again whole."""
    path = tmp_path / "claims.db"
    store = ClaimStore(Database(path))
    other = Database(path)
    followed = ReviewedDecisions(store.db)
    assert followed.current() == {}
    with store.db.conn:
        _review_row(store.db, "c2", "c1", "same")
    assert followed.current() == reviewed_decisions(store.db)
    assert followed.current()[("claim_link", "c1", "c2")] == "same"
    with other.conn:
        _review_row(other, "c2", "c1", "rejected")
        _review_row(other, "c4", "c3", "opposite")
    assert followed.current() == reviewed_decisions(store.db)
    assert followed.current()[("claim_link", "c2", "c1")] == "rejected"
    with other.conn:
        other.execute("delete from reviews where a = 'c4'")
    assert ("claim_link", "c4", "c3") not in followed.current()
    assert followed.current() == reviewed_decisions(store.db)


class _AllStored:
    """An index in which every claim is stored."""

    def items(self, ids: set[str]) -> set[str]:
        return set(ids)


def test_confirmed_links_from_the_followed_view_equal_the_full_mapping(
    tmp_path: Path,
) -> None:
    """confirmed_links looks up only the new claims' pairs in a followed view: the
    same links, in the same order, as going through every review."""
    store = ClaimStore(Database(tmp_path / "claims.db"))
    rng = random.Random(14)
    claims = [f"claim-{i}" for i in range(60)]
    with store.db.conn:
        for _ in range(300):
            a, b = rng.sample(claims, 2)
            _review_row(store.db, a, b, rng.choice(["same", "opposite", "rejected"]))
        store.db.table("reviews").insert(
            {"kind": "fact_check_link", "a": "claim-1", "b": "fc-1", "decision": "same"}
        )
    view = store.reviewed_decisions()
    full = dict(view)
    assert full == reviewed_decisions(store.db)
    for _ in range(20):
        new = set(rng.sample(claims, 8))
        got = confirmed_links([], view, new, _AllStored(), "m")
        assert got == confirmed_links([], full, new, _AllStored(), "m")
    assert got, "some confirmed pairs come back"


def test_a_rolled_back_review_is_forgotten(tmp_path: Path) -> None:
    """A review this connection wrote and rolled back was seen inside its
    transaction; after the rollback it is gone from the decisions too."""
    store = ClaimStore(Database(tmp_path / "claims.db"))
    with store.db.conn:
        _review_row(store.db, "c2", "c1", "same")
    assert store.reviewed_decisions() == reviewed_decisions(store.db)
    store.db.execute("begin")
    _review_row(store.db, "c4", "c3", "rejected")
    assert ("claim_link", "c4", "c3") in store.reviewed_decisions()
    store.db.conn.rollback()
    assert store.reviewed_decisions() == reviewed_decisions(store.db)
    assert ("claim_link", "c4", "c3") not in store.reviewed_decisions()


def test_unchanged_database_is_not_read_again(tmp_path: Path) -> None:
    store = ClaimStore(Database(path := tmp_path / "claims.db"))
    with store.db.conn:
        _review_row(store.db, "c2", "c1", "same")
    first = store.reviewed_decisions()
    reads: list[str] = []
    store.db.conn.set_trace_callback(reads.append)
    again = store.reviewed_decisions()
    store.db.conn.set_trace_callback(None)
    assert again == first == reviewed_decisions(Database(path))
    assert not [sql for sql in reads if "from reviews" in sql], reads


# Speaker strings as the extractor stores them, in the style of the news: titles,
# appositives, groups, the same person spelled two ways, repeats and odd spacing.
SPEAKERS_EN = [
    "President Joe Biden",
    "the transit authority",
    "Secretary of State Antony Blinken",
    "Biden",
    "Mayor Linda Park",
    "US officials",
    "a spokeswoman for the Pentagon, Sabrina Singh",
    "President  Joe Biden",
    "Vladimir Putin",
    "NATO",
    "",
    "Biden",
]
SPEAKERS_FR = [
    "le directeur de la CIA, William Burns",
    "le président russe, Vladimir Poutine",
    "les hauts responsables de la CIA",
    "Emmanuel Macron",
    "la ministre des Armées",
    "Volodymyr Zelensky",
    "le porte-parole du Kremlin, Dmitri Peskov",
    "Emmanuel Macron",
]


def _spacy_or_skip(language: str) -> Any:
    try:
        return load_spacy_model(language)
    except Exception as error:  # no model installed for it
        pytest.skip(f"no spaCy model for {language}: {error}")


@pytest.mark.parametrize(
    ("language", "texts"), [("en", SPEAKERS_EN), ("fr", SPEAKERS_FR)]
)
def test_batched_speakers_equal_one_by_one(language: str, texts: list[str]) -> None:
    nlp = _spacy_or_skip(language)
    one_by_one = [parse_speaker(text, nlp) for text in texts]
    assert any(name is not None and name.person for name in one_by_one)
    assert parse_speakers(texts, nlp) == one_by_one
    # Again, now from the cache, and without a pipeline (the rule alone).
    assert parse_speakers(texts, nlp) == one_by_one
    assert parse_speakers(texts) == [parse_speaker(text) for text in texts]


def test_cached_speakers_follow_the_pipeline() -> None:
    """A string parsed without spaCy is parsed again once a pipeline is loaded."""
    nlp = _spacy_or_skip("en")
    texts = ["the Pentagon's press secretary Pat Ryder"]
    without, with_nlp = parse_speakers(texts), parse_speakers(texts, nlp)
    assert without == [parse_speaker(texts[0])]
    assert with_nlp == [parse_speaker(texts[0], nlp)]
