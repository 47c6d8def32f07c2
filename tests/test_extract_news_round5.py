"""Error types of the fifth round, each on a short paragraph written for the test.

Like ``test_extract_news_round4.py``: French and English news style, no text copied
from a real article; the real spaCy models run, scoring embeddings are skipped.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.sentences import SentenceExtractor
from tests.test_extract_news_rules import _claims, _find

pytestmark = pytest.mark.integration


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


# ---- a contraction replaced by a word stands apart ---------------------------------


def test_a_quoted_we_re_becomes_the_body_with_a_space(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "Maria Lind, a spokesperson for the Baltic Ferry Union, said the strike "
        "would go on. “We’re in a stronger position now than in May,” she said."
    )
    claim = _find(_claims(extractor, text, "en"), "stronger position")
    assert claim.text.startswith("The Baltic Ferry Union is in a stronger"), claim.text


# ---- two clauses, each with its own subject, the parser did not coordinate ---------


@pytest.mark.parametrize(
    ("text", "language", "first", "second"),
    [
        (
            "Le maire est alerté par les riverains mais le préfet n'a pas réussi à "
            "bloquer le chantier.",
            "fr",
            "Le maire est alerté par les riverains",
            "Le préfet n'a pas réussi à bloquer le chantier",
        ),
        (
            "Les élus tentent de négocier mais la proposition du syndicat est trop "
            "tardive pour la direction.",
            "fr",
            "Les élus tentent de négocier",
            "La proposition du syndicat est trop tardive pour la direction",
        ),
        # A comma splice, as live reports write it.
        (
            "L'arbitre ne donne pas suite à la demande, la vidéo n'est pas consultée.",
            "fr",
            "L'arbitre ne donne pas suite à la demande",
            "La vidéo n'est pas consultée",
        ),
        (
            "Norway was occupied by the Germans and Berlin launched its raids from "
            "the north of the country.",
            "en",
            "Norway was occupied by the Germans",
            "Berlin launched its raids from the north of the country",
        ),
    ],
)
def test_two_clauses_with_their_own_subjects_are_two_claims(
    extractor: SentenceExtractor, text: str, language: str, first: str, second: str
) -> None:
    texts = [c.text for c in _claims(extractor, text, language)]
    assert texts == [first, second]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le maire et le préfet ont visité le chantier du nouveau pont lundi.", "fr"),
        ("Le maire a visité Lyon, Paris et Marseille pendant la campagne.", "fr"),
        ("When the storm hit the coast, the power was cut for two days.", "en"),
        ("Prices rose 3% in May, the highest rise in a decade.", "en"),
        # An opening apposition or adverbial before the subject is not a clause.
        (
            "Première et unique ministre des Sports de ce gouvernement, Julie Marin "
            "a été mise en examen lundi.",
            "fr",
        ),
        (
            "Face à un bloc très bien regroupé dans l'axe, les visiteurs tentent de "
            "passer par les côtés.",
            "fr",
        ),
        # A relative "ce dont …" and a mark the trim dropped (", as …") hang on.
        (
            "Claire Roux, ministre de la Santé, a frôlé le conflit d'intérêts, ce "
            "dont son ministère n'avait pas besoin.",
            "fr",
        ),
        (
            "The report also shows easing wage pressure, as a surge of new jobs "
            "helps slow wage growth.",
            "en",
        ),
    ],
)
def test_lists_subordinates_and_appositions_stay_whole(
    extractor: SentenceExtractor, text: str, language: str
) -> None:
    assert len(_claims(extractor, text, language)) == 1
