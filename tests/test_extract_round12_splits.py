"""Merges of round 12: two claims in one, cut where both parts are whole clauses.

Like ``test_extract_news_round11.py``: short paragraphs written for the test in French
and English news style, no text copied from a real article; the real spaCy models run,
scoring embeddings are skipped. Every test also checks that offsets stay exact.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.sentences import SentenceExtractor
from tests.test_extract_news_rules import _claims

# ---- a colon between two whole clauses --------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "first", "second"),
    [
        (
            "Small farms in the region face a string of problems: a new fungus has "
            "destroyed half of the wheat harvest in two years.",
            "en",
            "Small farms in the region face a string of problems",
            "A new fungus has destroyed half of the wheat harvest in two years",
        ),
        (
            "Les négociations ont échoué à Bruxelles : les deux délégations ont "
            "quitté la salle avant minuit.",
            "fr",
            "Les négociations ont échoué à Bruxelles",
            "Les deux délégations ont quitté la salle avant minuit",
        ),
    ],
)
def test_a_colon_between_two_clauses_gives_two_claims(
    extractor: SentenceExtractor, text: str, language: str, first: str, second: str
) -> None:
    claims = _claims(extractor, text, language)
    assert [c.text for c in claims] == [first, second]
    for claim in claims:  # each claim's span is its own clause, not the sentence
        assert text[claim.char_start : claim.char_end].lower() == claim.text.lower()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (  # a list after the colon: no verb of its own
            "The council approved three projects on Monday: a bridge, a school "
            "and a new fire station.",
            "en",
        ),
        (
            "Le conseil a retenu trois projets lundi : un pont, une école et une "
            "nouvelle caserne de pompiers.",
            "fr",
        ),
    ],
)
def test_a_list_after_a_colon_stays_whole(
    extractor: SentenceExtractor, text: str, language: str
) -> None:
    claims = _claims(extractor, text, language)
    assert len(claims) == 1, [c.text for c in claims]


# ---- a condition is never cut from the clause it governs --------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "If the council had approved the plan last year – a big if in this town – "
            "the new bridge would already be open to traffic.",
            "en",
        ),
        (
            "In fact, if you had visited the port ten years ago—no easy trip, then or "
            "now—you would have seen a town in decline.",
            "en",
        ),
        (
            "Si le projet avait été voté l'an dernier – ce qui n'était pas gagné –, le "
            "nouveau pont serait déjà ouvert à la circulation.",
            "fr",
        ),
    ],
)
def test_a_condition_before_a_dash_stays_with_its_clause(
    extractor: SentenceExtractor, text: str, language: str
) -> None:
    claims = _claims(extractor, text, language)
    assert len(claims) == 1, [c.text for c in claims]
    assert claims[0].text.lower().startswith(("if ", "si ")), claims[0].text
