"""ClaimReview export: valid JSON-LD with appearances, and the validator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimtrack.claimreview import (
    REQUIRED_FIELDS,
    claim_review,
    export_claim_reviews,
    validate_claim_review,
)
from claimtrack.cli import cli
from claimtrack.factchecks import read_fact_checks
from claimtrack.models import Article, FactCheck
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker

FIXTURES = Path(__file__).parent / "data" / "factchecks"
TEXT = "The city budget tripled in five years. The weather was pleasant all week."


def article(number: int, published: str) -> Article:
    return Article(
        id=f"a{number}",
        text=TEXT,
        url=f"https://news.example.com/{number}",
        title=f"Story {number}",
        outlet=f"Outlet {number}",
        published=published,
        language="en",
    )


@pytest.fixture
def tracker(store: ClaimStore) -> Tracker:
    tracker = Tracker(store, extractor="fake", embedder="fake")
    tracker.ingest(article(2, "2024-06-05"))
    tracker.ingest(article(1, "2024-06-02"))
    tracker.import_fact_checks(read_fact_checks([FIXTURES / "claimreview-single.json"]))
    return tracker


def test_export_is_valid_claim_review_with_appearances(tracker: Tracker):
    [review] = export_claim_reviews(tracker.store)
    assert validate_claim_review(review) == []
    assert review["@context"] == "https://schema.org"
    assert review["claimReviewed"] == "The city budget tripled in five years."
    assert review["author"] == {"@type": "Organization", "name": "Example Fact Check"}
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly False",
        "ratingValue": "2",
        "bestRating": "5",
        "worstRating": "1",
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert [work["url"] for work in item["appearance"]] == [
        "https://news.example.com/1",
        "https://news.example.com/2",
    ]
    assert item["firstAppearance"]["datePublished"] == "2024-06-02"
    assert item["firstAppearance"]["publisher"]["name"] == "Outlet 1"
    json.dumps(review)  # serialisable as is


def test_export_of_one_tracked_claim(tracker: Tracker):
    tracked = [t for t in tracker.store.tracked_claims() if t.verdict]
    assert len(tracked) == 1
    assert len(list(export_claim_reviews(tracker.store, tracked_claim_id="nope"))) == 0
    reviews = list(export_claim_reviews(tracker.store, tracked_claim_id=tracked[0].id))
    assert len(reviews) == 1


def test_invalid_reviews_are_reported_not_exported(tracker: Tracker):
    claim = tracker.claims(article_id="a1")[0]
    incomplete = FactCheck(id="x", claim_reviewed=claim.text, rating="false")
    tracker.import_fact_checks([incomplete])
    problems: list[list[str]] = []
    reviews = list(
        export_claim_reviews(
            tracker.store, on_invalid=lambda review, found: problems.append(found)
        )
    )
    assert len(reviews) == 1
    assert problems == [["missing url", "missing author", "missing datePublished"]]


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
def test_validator_requires_googles_fields(field: str):
    review = claim_review(
        {
            "claim_reviewed": "A claim.",
            "rating_text": "Faux",
            "url": "https://x.org/a",
            "reviewer": "X",
            "published": "2024-01-01",
        }
    )
    assert validate_claim_review(review) == []
    del review[field]
    assert validate_claim_review(review) == [f"missing {field}"]


def test_validator_checks_rating_author_url_and_type():
    review = {
        "@type": "Review",
        "claimReviewed": "A",
        "reviewRating": {"@type": "Rating", "ratingValue": 1},
        "url": "/relative",
        "author": {"@type": "Organization"},
        "datePublished": "2024",
    }
    assert validate_claim_review(review) == [
        "@type is not ClaimReview",
        "reviewRating has no alternateName (the textual verdict)",
        "author has no name",
        "url is not an absolute http(s) URL",
    ]


def test_cli_import_and_export(db_path: Path, tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_text(TEXT)
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    run("ingest", str(db_path), str(source), "-m", "fake", "--extractor", "fake")
    imported = run("import-factchecks", str(db_path), str(FIXTURES), "-m", "fake")
    assert imported.stdout == ""
    assert "19 added, 0 updated, 0 unchanged; 1 links (1 same)" in imported.stderr
    again = run("import-factchecks", str(db_path), str(FIXTURES), "-m", "fake")
    assert "0 added, 0 updated, 19 unchanged; 0 links" in again.stderr
    exported = run("export-claimreview", str(db_path))
    [review] = json.loads(exported.stdout)
    assert review["itemReviewed"]["firstAppearance"]["identifier"]
    assert "1 ClaimReviews, 0 skipped" in exported.stderr
    lines = run("export-claimreview", str(db_path), "--nl").stdout.splitlines()
    assert [json.loads(line)["url"] for line in lines] == [review["url"]]


def test_cli_import_of_a_file_without_reviews_fails(db_path: Path, tmp_path: Path):
    empty = tmp_path / "empty.json"
    empty.write_text("[]")
    result = CliRunner().invoke(cli, ["import-factchecks", str(db_path), str(empty)])
    assert result.exit_code == 1
    assert "no ClaimReview found" in result.output
