"""Pronouns of the twelfth round, each on a short paragraph written for the test.

Like ``test_extract_news_round11.py``: French and English news style, no text copied
from a real article; the real spaCy models run, scoring embeddings are skipped.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.decontext import impersonal, person_gender
from claimtrack.extract.sentences import (
    SentenceExtractor,
    for_parsing,
    load_spacy_model,
)
from tests.test_extract_news_rules import _claims

# ---- an impersonal "il"/"it" stands for nobody: no context needed ---------------


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        # the small French model tags "urgent" an adverb
        ("Il est urgent de rouvrir les lignes de bus supprimées en 2022.", "fr"),
        # "il y a" under a verb of its own
        ("Il ne saurait y avoir de hausse des tarifs avant l'été.", "fr"),
        ("Il peut y avoir des retards sur la ligne jusqu'à vendredi.", "fr"),
        # the "que" clause parsed as a sentence of its own
        (
            "Il est évident que nombre de communes, qui accueillent plus de "
            "retraités que d'actifs, manquent de médecins.",
            "fr",
        ),
        (
            "Il est possible voire probable que, selon les régions, la part des "
            "retraités dépasse 30 %.",
            "fr",
        ),
        # English clefts and extraposed infinitives with a whole clause
        (
            "It was during the 2015 drought, officials say, that the plant first "
            "cut its emissions.",
            "en",
        ),
        ("It'll take time to see a more diverse board.", "en"),
        ("It's hard for families to find a flat in the city centre.", "en"),
    ],
)
def test_an_impersonal_subject_stands_for_nobody(sentence: str, language: str) -> None:
    doc = load_spacy_model(language)(for_parsing(sentence))
    assert impersonal(doc[0])


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("Il est fier de son bilan à la tête de la région.", "fr"),
        ("Il est certain de gagner le second tour.", "fr"),
        ("Il n'est pas toxique pour les abeilles.", "fr"),
        ("It is in the report that the council published.", "en"),
    ],
)
def test_a_personal_subject_is_not_impersonal(sentence: str, language: str) -> None:
    doc = load_spacy_model(language)(for_parsing(sentence))
    assert not impersonal(doc[0])


def test_an_impersonal_il_is_not_flagged(extractor: SentenceExtractor) -> None:
    text = (
        "Le réseau a perdu 12 % de ses voyageurs en deux ans. "
        "Il est urgent de rouvrir les lignes supprimées en 2022."
    )
    claims = _claims(extractor, text, "fr")
    claim = next(c for c in claims if "rouvrir" in c.text)
    assert claim.text.startswith("Il est urgent")
    assert not claim.needs_context


# ---- a French person's gender from a role after the name, or a compound name ----


@pytest.mark.parametrize(
    ("sentence", "gender"),
    [
        # "M'Hamed" is not in the name dictionary; "député" says he is a man
        (
            "Le 12 mars, M'Hamed Benslimane, alors député de la Sarthe, a démissionné.",
            "M",
        ),
        ("La préfète a nommé Jean-Yves Le Meur à la tête du comité.", "M"),
        ("La ministre a reçu Marie-Hélène Caron à Matignon.", "F"),
        # the role noun's gender was read before: "secrétaire" tagged masculine
        ("Le syndicat a élu Marie-Hélène Caron secrétaire générale.", "F"),
    ],
)
def test_a_french_persons_gender(sentence: str, gender: str) -> None:
    doc = load_spacy_model("fr")(for_parsing(sentence))
    people = [e for e in doc.ents if e.label_ == "PER"]
    assert len(people) == 1, doc.ents
    assert person_gender(people[0]) == gender


def test_il_takes_a_name_whose_role_tells_the_gender(
    extractor: SentenceExtractor,
) -> None:
    # "Nordine" is not in the name dictionary: "alors député" says he is a man, so
    # "il" is him, not "le groupe" (the one masculine phrase that was left).
    text = (
        "Le 12 mars, Nordine Benslimane, alors député de la Sarthe, a frappé Paul "
        "Morin, un élu de l'opposition. Depuis, Nordine Benslimane a quitté le "
        "groupe. Il a été mis en examen pour violences volontaires."
    )
    claims = _claims(extractor, text, "fr")
    claim = next(c for c in claims if "mis en examen" in c.text)
    assert claim.text.startswith("Nordine Benslimane a été mis en examen")


# ---- a subject pronoun is never the object of its own verb -----------------------


def test_il_is_not_the_man_it_accuses(extractor: SentenceExtractor) -> None:
    text = (
        "Le 12 mars, M'Hamed Benslimane frappe Paul Morin, un élu de "
        "l'opposition. Pour sa défense, il accuse Paul Morin d'insultes racistes."
    )
    claims = _claims(extractor, text, "fr")
    assert not any(c.text.startswith("Paul Morin accuse") for c in claims), [
        c.text for c in claims
    ]
