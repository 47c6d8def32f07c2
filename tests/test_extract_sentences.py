"""Integration tests of the rule-based extractor on the real spaCy models."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrack.errors import ConfigError
from claimtrack.extract.sentences import SentenceExtractor
from claimtrack.models import Article, Claim

pytestmark = pytest.mark.integration

SIGN = (
    "n’avaient vu aucun signe indiquant que la Russie se préparait à utiliser "
    "des armes nucléaires"
)
CIA = (
    "Pour l’instant, les hauts responsables de la CIA ont déclaré publiquement "
    "qu’ils n’avaient vu aucun signe indiquant que la Russie se préparait à "
    "utiliser des armes nucléaires."
)


@pytest.fixture(scope="module")
def seed_claims() -> tuple[Article, list[Claim]]:
    path = (
        Path(__file__).parent.parent
        / "examples"
        / "articles"
        / "us-russia-nuclear-warning.fr.txt"
    )
    article = Article(id="seed", text=path.read_text(encoding="utf-8"), language="fr")
    return article, list(SentenceExtractor().extract(article))


def _extract(text: str, language: str) -> list[Claim]:
    return list(
        SentenceExtractor().extract(Article(id="t", text=text, language=language))
    )


def test_cia_sentence_gives_one_attributed_decontextualised_claim(
    seed_claims: tuple[Article, list[Claim]],
) -> None:
    article, claims = seed_claims
    found = [c for c in claims if c.sentence == CIA]
    assert len(found) == 1
    claim = found[0]
    assert claim.speaker == "les hauts responsables de la CIA"
    assert claim.cue == "ont déclaré"
    assert claim.quote_type == "indirect"
    span = article.text[claim.char_start : claim.char_end]
    assert SIGN in span
    assert claim.text.startswith(
        "Les hauts responsables de la CIA n’avaient vu aucun signe"
    )


def test_every_offset_indexes_the_article(
    seed_claims: tuple[Article, list[Claim]],
) -> None:
    article, claims = seed_claims
    for claim in claims:
        assert article.text[claim.sentence_start : claim.sentence_end] == claim.sentence
        assert (
            claim.sentence_start
            <= claim.char_start
            < claim.char_end
            <= claim.sentence_end
        )
        if claim.speaker:
            assert claim.speaker in article.text
        if claim.cue:
            assert claim.cue in article.text


def test_boilerplate_and_fragments_give_no_claims(
    seed_claims: tuple[Article, list[Claim]],
) -> None:
    _, claims = seed_claims
    sentences = {c.sentence.strip() for c in claims}
    assert not sentences & {"News", "Articles similaires", "Ne.", "Ne. Ne."}


def test_coordinated_clauses_become_two_claims(
    seed_claims: tuple[Article, list[Claim]],
) -> None:
    article, claims = seed_claims
    found = [
        c
        for c in claims
        if c.sentence.startswith("Les États-Unis ont également cherché")
    ]
    assert len(found) == 2
    first, second = found
    assert article.text[first.char_start : first.char_end].endswith("dans le passé")
    assert article.text[second.char_start : second.char_end].startswith(
        "ont fait de la question"
    )
    assert second.text.startswith("Les États-Unis ont fait de la question")


def test_pronoun_speaker_resolves_to_the_person_named_before(
    seed_claims: tuple[Article, list[Claim]],
) -> None:
    _, claims = seed_claims
    warning = next(c for c in claims if "il a averti" in c.sentence)
    assert warning.speaker == "Vladimir Poutine"
    assert warning.cue == "a averti"
    assert warning.quote_type == "direct"


def test_inverted_reporting_verb_and_selon() -> None:
    claims = _extract(
        "La réaction serait rapide et très ferme, a déclaré Biden.\n\n"
        "Le département d’État était impliqué dans les échanges, selon un responsable.",
        "fr",
    )
    assert [(c.speaker, c.cue) for c in claims] == [
        ("Biden", "a déclaré"),
        ("un responsable", "selon"),
    ]


def test_english_quote_and_according_to() -> None:
    claims = _extract(
        "Secretary of State Antony Blinken said that "
        '"Russia\'s nuclear threats must stop immediately."\n\n'
        "Prices rose by 12 percent in 2022, "
        "according to the national statistics office.",
        "en",
    )
    assert claims[0].speaker == "Secretary of State Antony Blinken"
    assert claims[0].quote_type == "direct"
    assert claims[1].cue == "according to"
    assert claims[1].speaker == "the national statistics office"
    assert claims[1].claim_type == "statistic"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00\x01",
        "« » “ ” \" ' ’",
        "🙂 " * 50,
        "Ne. Ne. Ne.",
        "a\u0301" * 30,
        "\n\n\n",
        "qu’« »",
    ],
)
def test_never_raises_on_odd_unicode(text: str) -> None:
    for language in ("fr", "en"):
        for claim in _extract(text, language):
            assert 0 <= claim.char_start < claim.char_end <= len(text)


def test_extract_many_scores_articles_together_and_keeps_errors_in_place(
    seed_claims: tuple[Article, list[Claim]],
) -> None:
    article, one_by_one = seed_claims
    unsupported = Article(id="de", text="Die Regierung hat gelogen.", language="de")
    seed, error, again = SentenceExtractor().extract_many(
        [article, unsupported, article]
    )
    assert isinstance(error, ConfigError)
    assert isinstance(seed, list) and seed == again
    assert [claim.text for claim in seed] == [claim.text for claim in one_by_one]
    assert [claim.checkworthiness for claim in seed] == pytest.approx(
        [claim.checkworthiness for claim in one_by_one], abs=1e-4
    )
