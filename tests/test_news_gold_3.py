"""The third development gold (benchmarks/data/news-gold-3.jsonl) loads and is sound.

The gold's own invariants are checked always; its offsets and hashes against the pages'
text only when /tmp/news-dev-2 (benchmarks/fetch_news_pages.py) is there.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from claimtrack.evaluate.news_gold import GoldArticle, load_articles, read_gold

GOLD = Path(__file__).parent.parent / "benchmarks" / "data" / "news-gold-3.jsonl"
OTHER_GOLDS = [GOLD.with_name("news-gold.jsonl"), GOLD.with_name("news-gold-2.jsonl")]
PAGES = Path("/tmp/news-dev-2")
REQUIRED = {"id", "source", "language", "outlet", "sha256", "chars", "split", "claims"}
CLAIM_FIELDS = {
    "text",
    "speaker",
    "speaker_is_outlet",
    "speaker_aliases",
    "quote_type",
    "checkworthy",
    "sentence_start",
    "sentence_end",
    "sentence_sha256",
}


def _sha16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@pytest.fixture(scope="module")
def gold() -> list[GoldArticle]:
    return read_gold(GOLD)


def test_every_line_has_the_fields_and_the_split(gold: list[GoldArticle]) -> None:
    lines = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(gold) >= 3
    for line in lines:
        assert line.keys() >= REQUIRED, line["id"]
        assert line["source"] == f"html/{line['id']}.html"
        assert line["split"] in {"tune", "report"}
        assert line["claims"], line["id"]
        for claim in line["claims"]:
            assert claim.keys() == CLAIM_FIELDS, line["id"]


def test_ids_are_unique_and_new(gold: list[GoldArticle]) -> None:
    ids = [item.id for item in gold]
    assert len(ids) == len(set(ids))
    golded = {item.id for path in OTHER_GOLDS for item in read_gold(path)}
    assert not golded & set(ids), "a page of news-gold-3 is already in another gold"


def test_claims_and_spans_are_well_formed(gold: list[GoldArticle]) -> None:
    lines = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    lengths = {line["id"]: line["chars"] for line in lines}
    for item in gold:
        chars = lengths[item.id]
        assert len(item.sha256) == 64
        for claim in item.claims:
            assert 0 <= claim.sentence_start < claim.sentence_end <= chars, item.id
            assert len(claim.sentence_sha256) == 16
            assert claim.text.strip() and claim.speaker, item.id
            if claim.speaker_is_outlet:
                assert claim.speaker == item.outlet and claim.quote_type == "none"
            else:
                assert claim.speaker != item.outlet or claim.quote_type != "none"
        for start, end, digest in [*item.headings, *item.boilerplate]:
            assert 0 <= start < end <= chars and len(digest) == 16, item.id
        starts = [claim.sentence_start for claim in item.claims]
        assert starts == sorted(starts), f"{item.id}: claims not in reading order"


@pytest.mark.skipif(not PAGES.is_dir(), reason="/tmp/news-dev-2 is not fetched")
def test_offsets_and_hashes_match_the_pages_as_read(gold: list[GoldArticle]) -> None:
    articles = load_articles(PAGES, gold)
    for item, article in zip(gold, articles, strict=True):
        text = article.text
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == item.sha256, item.id
        for claim in item.claims:
            assert claim.sentence_end <= len(text)
            sentence = text[claim.sentence_start : claim.sentence_end]
            assert _sha16(sentence) == claim.sentence_sha256, item.id
            assert sentence == sentence.strip() and "\n" not in sentence, item.id
        for start, end, digest in [*item.headings, *item.boilerplate]:
            assert end <= len(text) and _sha16(text[start:end]) == digest, item.id
