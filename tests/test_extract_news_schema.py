"""claims.needs_context: a claim with an unresolved pronoun says so, stored."""

import numpy as np

from claimtrack.models import Article, Claim
from claimtrack.store import ClaimStore


def _claim(article: Article, *, needs_context: bool) -> Claim:
    return Claim(
        id=f"c{int(needs_context)}",
        article_id=article.id,
        position=int(needs_context),
        text="Elle a démissionné mardi.",
        sentence="Elle a démissionné mardi.",
        char_start=0,
        char_end=24,
        sentence_start=0,
        sentence_end=25,
        needs_context=needs_context,
    )


def test_needs_context_defaults_to_false() -> None:
    article = Article(id="a", text="Elle a démissionné mardi.")
    assert _claim(article, needs_context=False).needs_context is False


def test_needs_context_is_a_claims_column_and_survives_a_round_trip(
    store: ClaimStore,
) -> None:
    article = Article(id="a", text="Elle a démissionné mardi.")
    claims = [_claim(article, needs_context=flag) for flag in (False, True)]
    vectors = np.zeros((2, 4), dtype=np.float32)
    store.save_article(article, claims, vectors, [], model_id="m")
    assert "needs_context" in store.db.table("claims").columns_dict
    stored = {c.id: c.needs_context for c in store.claims()}
    assert stored == {"c0": False, "c1": True}
    rows = store.db.execute("select id, needs_context from claims order by id")
    assert rows.fetchall() == [("c0", 0), ("c1", 1)]


def test_outlet_names_lose_taglines_and_domain_suffixes() -> None:
    from claimtrack.sources import clean_outlet

    assert clean_outlet("The Tico Times | Costa Rica News | Travel") == "The Tico Times"
    assert clean_outlet("Le Monde.fr") == "Le Monde"
    assert clean_outlet("La Gazette - Toute l'actualité") == "La Gazette"
    assert clean_outlet("lagazette.fr") == "lagazette.fr"  # a host name stays whole
    assert clean_outlet("  ") is None


def test_feed_summary_paragraphs_stay_apart() -> None:
    from claimtrack.sources import _html_to_text

    text = _html_to_text("<p>Le pont a fermé.</p><p>Les bus <b>roulent</b>.</p>")
    assert text == "Le pont a fermé.\n\nLes bus roulent."
