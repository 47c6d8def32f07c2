"""Reading fact-checks from every input shape: JSON-LD, HTML, Google API, feeds, CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimtrack.errors import FactCheckError
from claimtrack.factchecks import (
    parse_document,
    read_fact_checks,
    vclaim_record,
)
from claimtrack.models import FactCheckRecord

FIXTURES = Path(__file__).parent / "data" / "factchecks"


def read(name: str) -> list[FactCheckRecord]:
    return list(read_fact_checks([FIXTURES / name]))


def test_single_claim_review_keeps_every_field():
    [record] = read("claimreview-single.json")
    fc = record.fact_check
    assert fc.claim_reviewed == "The city budget tripled in five years."
    assert fc.claimant == "Jane Doe"
    assert fc.reviewer == "Example Fact Check"
    assert (fc.rating_text, fc.rating) == ("Mostly False", "mostly false")
    assert fc.url == "https://factcheck.example.org/2024/06/11/city-budget-tripled"
    assert (fc.published, fc.language) == ("2024-06-11", "en")
    original = json.loads((FIXTURES / "claimreview-single.json").read_text())
    assert record.raw == original


def test_list_with_empty_claim_reviewed_falls_back_to_headline():
    records = read("claimreview-list.json")
    assert [r.fact_check.rating for r in records] == ["false", "mostly true"]
    assert records[1].fact_check.claim_reviewed == (
        "Le chômage n'a jamais été aussi bas depuis 40 ans"
    )
    assert records[1].fact_check.language == "fr"  # from a Language node


def test_graph_without_item_reviewed():
    [record] = read("claimreview-graph.json")
    fc = record.fact_check
    assert fc.claimant is None
    assert fc.rating == "false"  # "Incorrect. A turbine pays back ..."
    assert fc.language == "en"  # detected: the review does not say


def test_html_page_with_json_ld_script():
    [record] = read("fact-check-page.html")
    fc = record.fact_check
    assert fc.claim_reviewed == "La France importe la moitié de son électricité."
    assert (fc.rating_text, fc.rating) == ("Trompeur", "mostly false")
    assert fc.claimant == "Un député"


def test_google_api_response_gives_one_record_per_review():
    records = read("google-api-claims-search.json")
    assert len(records) == 4
    hot_water = [r.fact_check for r in records[:2]]
    assert {fc.claim_reviewed for fc in hot_water} == {
        "Drinking hot water kills the virus."
    }
    assert [fc.reviewer for fc in hot_water] == ["Fact Desk Example", "Vérif Exemple"]
    assert [fc.language for fc in hot_water] == ["en", "fr"]
    assert len({fc.id for fc in hot_water}) == 2
    assert records[0].raw["claimant"] == "Social media posts"
    assert len(records[0].raw["claimReview"]) == 1
    assert records[2].fact_check.rating == "mostly true"
    shark = records[3].fact_check
    assert (shark.reviewer, shark.rating) == ("factdesk.example.com", "false")


def test_datacommons_feed_elements():
    records = read("datacommons-feed.json")
    assert [r.fact_check.rating for r in records] == ["mixed", "false"]
    assert records[0].fact_check.claimant == "A mayor"
    assert records[0].raw["@type"] == "ClaimReview"


def test_csv_with_documented_columns_skips_rows_without_a_claim():
    errors: list[FactCheckError] = []
    records = list(read_fact_checks([FIXTURES / "reviews.csv"], on_error=errors.append))
    assert [str(error) for error in errors] == [
        f"{FIXTURES / 'reviews.csv'}, row 4: no claim_reviewed (or claim_text). "
        "Fill it in or remove the row."
    ]
    ratings = [(r.fact_check.rating_text, r.fact_check.rating) for r in records]
    assert ratings == [
        (None, "false"),
        ("Faux", "false"),
        ("Needs context", "mostly false"),
    ]
    assert records[2].fact_check.language == "en"
    assert records[0].raw["rating_value"] == "1"


def test_datacommons_csv_export_column_names():
    [record] = read("datacommons-export.csv")
    fc = record.fact_check
    assert (fc.reviewer, fc.claimant, fc.rating) == (
        "Fact Desk Example",
        "A minister",
        "mostly false",
    )


def test_vclaims_jsonl_politifact_records():
    records = read("vclaims-sample.jsonl")
    assert [r.fact_check.rating for r in records] == [
        "mostly true",
        "false",
        "false",
        "other",
    ]
    first = records[0].fact_check
    assert first.url is not None and first.url.startswith("https://www.politifact.com/")
    assert first.published == "2020-03-04"
    assert records[0].raw["vclaim_id"] == "vclaim-pol-90001"


def test_snopes_vclaim_without_verdict():
    record = vclaim_record(
        {"vclaim_id": "vclaim-sno-x", "vclaim": "A claim.", "title": "T", "date": "1"}
    )
    assert record is not None
    assert (record.fact_check.reviewer, record.fact_check.rating) == ("Snopes", None)


def test_ids_are_stable_and_depend_on_url_and_claim():
    assert [r.fact_check.id for r in read("claimreview-list.json")] == [
        r.fact_check.id for r in read("claimreview-list.json")
    ]


def test_review_with_nothing_to_match_is_skipped():
    document = {"@type": "ClaimReview", "claimReviewed": "", "url": "https://x.org"}
    assert list(parse_document(document)) == []


def test_claim_review_nested_in_another_node_is_found():
    document = {
        "@type": "NewsArticle",
        "review": {"@type": ["ClaimReview"], "claimReviewed": "Nested claim here."},
    }
    [record] = parse_document(document)
    assert record.fact_check.claim_reviewed == "Nested claim here."
    assert record.fact_check.rating is None


def test_file_without_fact_checks_is_an_error(tmp_path: Path):
    path = tmp_path / "empty.json"
    path.write_text('{"@type": "Organization"}')
    with pytest.raises(FactCheckError, match="no ClaimReview"):
        list(read_fact_checks([path]))


def test_missing_file_and_bad_json_are_errors(tmp_path: Path):
    with pytest.raises(FactCheckError, match="no such file"):
        list(read_fact_checks([tmp_path / "nope.json"]))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(FactCheckError, match="not valid JSON"):
        list(read_fact_checks([bad]))


def test_folder_is_read_recursively(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    source = FIXTURES / "claimreview-single.json"
    (tmp_path / "sub" / "a.json").write_text(source.read_text())
    assert len(list(read_fact_checks([tmp_path]))) == 1
