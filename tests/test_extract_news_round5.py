"""Error types of the fifth round, each on a short paragraph written for the test.

Like ``test_extract_news_round4.py``: French and English news style, no text copied
from a real article; the real spaCy models run, scoring embeddings are skipped.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.sentences import SentenceExtractor
from tests.test_extract_news_rules import _claims, _find

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def extractor() -> SentenceExtractor:
    return SentenceExtractor(use_embeddings=False)


# ---- a verb the French tagger took for a noun --------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # "dépense" and "saisissent" are tagged as nouns: the sentence has no verb tag.
        (
            "La région a voté son budget lundi. Une commune dépense en moyenne "
            "40 euros par habitant pour cela.",
            "40 euros par habitant",
        ),
        (
            "Le syndicat a déposé un recours. Les associations de riverains, "
            "ensuite, s'en saisissent.",
            "s'en saisissent",
        ),
    ],
)
def test_a_verb_tagged_as_a_noun_still_makes_a_claim(
    extractor: SentenceExtractor, text: str, words: str
) -> None:
    claim = _find(_claims(extractor, text, "fr"), words)
    assert words in claim.text and claim.text[0].isupper(), claim.text


def test_a_verbless_line_stays_out(extractor: SentenceExtractor) -> None:
    text = "Seul en Europe.\n\nLa dépense publique de la région en 2024 et 2025."
    assert _claims(extractor, text, "fr") == []


# ---- a leading adverbial clause keeps its mark -------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "start"),
    [
        (
            "La fondation a perdu son principal donateur. Pour durer, elle doit "
            "trouver 2 millions d'euros avant juin.",
            "fr",
            "Pour durer,",
        ),
        (
            "Because fuel prices rose in March, the central bank raised its rate "
            "by half a point.",
            "en",
            "Because fuel prices rose",
        ),
    ],
)
def test_a_leading_adverbial_clause_keeps_its_mark(
    extractor: SentenceExtractor, text: str, language: str, start: str
) -> None:
    claims = _claims(extractor, text, language)
    assert any(c.text.startswith(start) for c in claims), [c.text for c in claims]


# ---- a verb with two subjects: the nearer one is the centre -------------------------


def test_a_subordinate_subject_hung_on_the_main_verb_is_not_the_antecedent(
    extractor: SentenceExtractor,
) -> None:
    # The small French model makes "la communauté" a second subject of "se trouve".
    text = (
        "En 2004, lorsque l'Union européenne bannit les filets dérivants, "
        "l'association Mer Libre se trouve privée de son combat. Pour durer, elle "
        "doit en trouver un autre."
    )
    claim = _find(_claims(extractor, text, "fr"), "trouver un autre")
    assert "Union" not in claim.text, claim.text
