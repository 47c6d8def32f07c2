"""Spelled-out numbers, units, country names across languages, swapped roles and
French/English antonyms: the details the pair model's guards read, on pairs written
here in the style of news claims (not taken from any article)."""

from __future__ import annotations

import pytest

from claimtrack.decision import PairModel, PairSide, facts_of
from claimtrack.decision.bilingual_polarity import english_forms, french_forms
from claimtrack.decision.number_words import spelled_numbers
from claimtrack.decision.pair_features import Side, pair_features
from claimtrack.decision.place_names import places_in
from claimtrack.decision.text_features import polarity_flipped
from tests.test_decision import _pair_vectors


def features(text_a: str, text_b: str, lang_a: str = "en", lang_b: str = "en"):
    return pair_features(
        Side(text_a, lang_a), Side(text_b, lang_b), cosines=[0.95, 0.9]
    )


def decision(text_a: str, text_b: str, lang_a: str = "en", lang_b: str = "en"):
    va, vb = _pair_vectors(0.95, 0.9 if lang_a == lang_b else 0.5)
    model = PairModel.load("e5-minilm")
    return model.decide(PairSide(text_a, lang_a, va), PairSide(text_b, lang_b, vb))


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("vingt-cinq blessés", {25.0}),
        ("twenty-five injured", {25.0}),
        ("quatre-vingt-dix jours", {90.0}),
        ("soixante-dix ans", {70.0}),
        ("trois cents soldats", {300.0}),
        ("one hundred and five votes", {105.0}),
        ("deux millions de réfugiés", {2e6}),
        ("a million refugees", {1e6}),
        ("un tiers des électeurs", {1 / 3, 100 / 3}),
        ("two thirds of the vote", {2 / 3, 200 / 3}),
        ("the third round", {3.0}),  # an ordinal, not a fraction
        ("in the second quarter", set()),  # a period, not a fraction
        ("millions of jobs", set()),  # vague: no number
        ("une hausse de 20 pour cent", set()),  # "cent" of "pour cent" is a unit
        ("one of the engines", set()),  # "one" alone is a pronoun or an article
    ],
)
def test_spelled_numbers(text: str, values: set[float]) -> None:
    assert spelled_numbers(text) == {round(v, 6) for v in values}


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        ("Two million people fled.", "2 millions de personnes ont fui.", False),
        ("Un tiers des écoles a fermé.", "A third of schools closed.", False),
        ("Twenty-five soldiers died.", "25 soldats sont morts.", False),
        ("Twenty-five soldiers died.", "Trente-cinq soldats sont morts.", True),
        ("A third of schools closed.", "A quarter of schools closed.", True),
        # Same value, other unit: dollars are not euros, points are not percent.
        ("The deal is worth $3 billion.", "L'accord vaut 3 milliards d'euros.", True),
        ("Unemployment rose 2 points.", "Unemployment rose 2%.", True),
        ("Unemployment rose 2 points.", "Le chômage a augmenté de 2 points.", False),
    ],
)
def test_number_conflicts(first: str, second: str, conflict: bool) -> None:
    assert bool(features(first, second)["numbers_conflict"]) is conflict


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Germany sent tanks.", "L'Allemagne a envoyé des chars."),
        ("Beijing protested.", "Pékin a protesté."),
        ("The US warned Moscow.", "Les États-Unis ont averti la Russie."),
        ("North Korea fired a missile.", "La Corée du Nord a tiré un missile."),
        ("Russian forces advanced.", "Les forces russes ont avancé."),
    ],
)
def test_a_country_keeps_its_key_across_languages(first: str, second: str) -> None:
    assert places_in(first)[0] == places_in(second)[0]
    assert not features(first, second, "en", "fr")["names_substituted"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Iran fired missiles at the base.", "Iraq fired missiles at the base."),
        ("Austria will host the summit.", "Australia will host the summit."),
        ("South Korea tested a missile.", "La Corée du Nord a testé un missile."),
    ],
)
def test_close_spellings_of_two_countries_are_a_substitution(
    first: str, second: str
) -> None:
    assert features(first, second)["names_substituted"]


def test_lowercase_city_words_are_not_places() -> None:
    # "vienne" is a subjunctive of "venir" as well as Vienna.
    assert places_in("Il faut qu'il vienne.")[0] == frozenset()
    assert places_in("Vienne a accueilli le sommet.")[0] == {"@AT"}


@pytest.mark.parametrize(
    ("first", "second", "swapped"),
    [
        (
            "India fired missiles into Pakistan.",
            "Pakistan fired missiles into India.",
            True,
        ),
        ("India fired missiles into Pakistan.", "Le Pakistan a tiré sur l'Inde.", True),
        (
            "India fired missiles into Pakistan.",
            "L'Inde a tiré sur le Pakistan.",
            False,
        ),
        # A demonym that qualifies the subject, and a claim that opens otherwise.
        (
            "Indian troops entered Pakistan.",
            "Pakistan says India's troops entered.",
            False,
        ),
        ("After talks, China thanked Russia.", "Russia was thanked by China.", False),
    ],
)
def test_roles_swapped(first: str, second: str, swapped: bool) -> None:
    assert bool(features(first, second)["roles_swapped"]) is swapped


def test_a_role_swap_is_never_same() -> None:
    result = decision(
        "Pakistan fired missiles into Indian-controlled territory on Wednesday.",
        "L'Inde a tiré des missiles sur le territoire contrôlé par le Pakistan.",
        "en",
        "fr",
    )
    assert result.decision != "same"


@pytest.mark.parametrize(
    ("french", "english"),
    [
        (
            "Les exportations augmenteront l'an prochain.",
            "Exports will fall next year.",
        ),
        ("La manifestation était illégale.", "The protest was legal."),
        ("Les sanctions ont été levées en mars.", "Sanctions were imposed in March."),
        ("La police a libéré le suspect.", "Police arrested the suspect."),
        ("Les négociations ont été suspendues.", "Talks resumed on Monday."),
        (
            "Le gouvernement a maintenu le sommet.",
            "The government cancelled the summit.",
        ),
        ("Le pays a fait d'importants progrès et a réussi.", "The country failed."),
    ],
)
def test_french_and_english_antonyms_flip(french: str, english: str) -> None:
    assert polarity_flipped(facts_of(french).poles, facts_of(english).poles)


@pytest.mark.parametrize(
    ("french", "english"),
    [
        ("Les exportations ont augmenté de 3 %.", "Exports rose 3%."),
        ("La police a arrêté deux suspects.", "Police arrested two suspects."),
        ("N'importe quel pays peut exporter du blé.", "Any country can export wheat."),
        ("Le montant total est resté stable.", "The total amount stayed stable."),
    ],
)
def test_translations_keep_their_polarity(french: str, english: str) -> None:
    assert not polarity_flipped(facts_of(french).poles, facts_of(english).poles)


def test_a_translated_antonym_is_not_same() -> None:
    result = decision(
        "Les ventes de voitures électriques ont reculé de 8 % en Allemagne.",
        "Electric car sales in Germany grew 8%.",
        "fr",
        "en",
    )
    assert result.decision != "same"


def test_inflections() -> None:
    assert english_forms("deny:v") == {"deny", "denies", "denied", "denying"}
    assert {"baisse", "baissera", "baissaient", "baissees"} <= french_forms("baisser:v")
    assert {"ralenti", "ralentit", "ralentissement"} <= french_forms("ralentir:v")
    assert french_forms("illégal:a") == {"illegal", "illegale", "illegales", "illegaux"}
