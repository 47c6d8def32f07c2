"""Property tests: any text, however strange, keeps offsets exact and ingest safe."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from claimtrack.errors import ArticleError
from claimtrack.extract.sentences import SentenceExtractor
from claimtrack.models import Article
from claimtrack.sources import parse_text
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker

# Words that make the parser find verbs and sentences, mixed with hostile material:
# emoji, right-to-left text, combining marks, control characters, markup and SQL.
NEWS_WORDS = st.sampled_from(
    [
        "The",
        "minister",
        "said",
        "that",
        "costs",
        "rose",
        "by",
        "5",
        "percent",
        ".",
        "Le",
        "ministre",
        "a",
        "déclaré",
        "qu’il",
        "n’y",
        "aura",
        "pas",
        "« hausse »",
        "selon",
        "according",
        "to",
        "officials",
        ",",
        "\n\n",
        "\n",
        "?",
        "“",
        "”",
        "<script>alert(1)</script>",
        "'; drop table claims; --",
        "[link](http://x)",
        "🙂",
        "👩🏽‍🚀",
        "مرحبا",
        "שלום",
        "e\u0301",
        "\u200b",
        "\x07",
        "\t",
        "a" * 300,
    ]
)
NEWSY_TEXT = st.lists(NEWS_WORDS, min_size=1, max_size=60).map(" ".join)
ANY_TEXT = st.one_of(NEWSY_TEXT, st.text(min_size=1, max_size=400))
PROPERTY_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.integration
@pytest.mark.parametrize("language", ["en", "fr"])
@PROPERTY_SETTINGS
@given(text=ANY_TEXT)
@example(text="The The according according")  # "according" ending the sentence
def test_extraction_offsets_are_exact_for_any_text(language: str, text: str):
    article = Article(id="p", text=text, language=language)
    for claim in SentenceExtractor().extract(article):
        assert 0 <= claim.sentence_start <= claim.char_start
        assert claim.char_start < claim.char_end <= claim.sentence_end <= len(text)
        assert text[claim.sentence_start : claim.sentence_end] == claim.sentence
        assert claim.text.strip()
        if claim.speaker is not None:
            assert claim.speaker in text


@PROPERTY_SETTINGS
@given(text=ANY_TEXT)
def test_reading_text_either_works_or_raises_article_error(text: str):
    try:
        article = parse_text(text)
    except ArticleError:
        # Blank text and binary-looking text (a NUL byte) are the two refusals.
        assert not text.strip() or "\x00" in text
    else:
        assert article.text == text


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=4))
def test_ingest_stores_text_as_given_and_is_idempotent(texts: list[str]):
    store = ClaimStore(Database(memory=True))
    tracker = Tracker(store, extractor="fake", embedder="fake")
    articles = [
        Article(id=f"a{number}", text=text, language="en")
        for number, text in enumerate(texts)
        if text.strip()
    ]
    list(tracker.ingest_many(articles))
    stored = {row["id"]: row["text"] for row in store.db.table("articles").rows}
    assert stored == {article.id: article.text for article in articles}
    counts = {t: store.count(t) for t in ("claims", "embeddings", "claim_links")}
    again = list(tracker.ingest_many(articles))
    assert {result.status for result in again} <= {"unchanged"}
    assert {t: store.count(t) for t in counts} == counts
    for claim in tracker.claims():
        assert stored[claim.article_id][claim.char_start : claim.char_end] == claim.text
