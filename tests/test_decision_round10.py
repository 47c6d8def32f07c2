"""Round 10: polarity that no word list holds (comparisons turned round)."""

from __future__ import annotations

import pytest

from claimtrack.decision.pair_features import Side, pair_features
from claimtrack.decision.text_features import comparison_of, numbers_in


def _features(
    a: str, b: str, lang_a: str = "en", lang_b: str = "en"
) -> dict[str, float]:
    return pair_features(Side(a, lang_a), Side(b, lang_b), cosines=[0.95, 0.95])


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("The new dam will do more harm than good, the report says.", ("harm", "good")),
        ("La réforme fera plus de mal que de bien aux retraités.", ("mal", "bien")),
        (
            "The forest now absorbs more carbon than it releases.",
            ("carbon", "releases"),
        ),
        ("La forêt absorbe plus de carbone qu'elle n'en émet.", ("carbone", "emet")),
        ("Prices rose more than expected in May.", None),
        ("Il n'y a plus que deux hôpitaux ouverts.", None),
        ("Unemployment fell in March.", None),
    ],
)
def test_comparison_terms_are_read_by_position(text, terms):
    assert comparison_of(text) == terms


@pytest.mark.parametrize(
    ("a", "b", "lang_b"),
    [
        (
            "The new dam will do more harm than good, the report says.",
            "The new dam will do more good than harm, the report says.",
            "en",
        ),
        (
            "The new dam will do more harm than good, the report says.",
            "Selon le rapport, le nouveau barrage fera plus de bien que de mal.",
            "fr",
        ),
        (
            "The forest now absorbs more carbon than it releases.",
            "La forêt rejette désormais plus de carbone qu'elle n'en absorbe.",
            "fr",
        ),
    ],
)
def test_a_comparison_turned_round_flips_polarity(a, b, lang_b):
    assert _features(a, b, "en", lang_b)["polarity_flip"] == 1.0


@pytest.mark.parametrize(
    ("a", "b", "lang_b"),
    [
        (
            "The new dam will do more harm than good, the report says.",
            "According to the report, the new dam will cause more damage than benefit.",
            "en",
        ),
        (
            "The forest now absorbs more carbon than it releases.",
            "La forêt absorbe désormais plus de carbone qu'elle n'en rejette.",
            "fr",
        ),
        (
            "Exports grew more than imports last year.",
            "Last year exports grew faster than imports.",
            "en",
        ),
    ],
)
def test_a_comparison_restated_keeps_its_polarity(a, b, lang_b):
    assert _features(a, b, "en", lang_b)["polarity_flip"] == 0.0


@pytest.mark.parametrize(
    ("a", "b", "lang_b", "substituted"),
    [
        (
            "An expert for the prosecution told the court the firm hid $40 million.",
            "An expert for the firm's lawyers told the court it hid $40 million.",
            "en",
            True,
        ),
        (
            "Les syndicats ont appelé à la grève le 12 mars.",
            "Employers called for a strike on 12 March.",
            "en",
            True,
        ),
        # One role, named in both languages: the same actor.
        (
            "Prosecutors say the firm hid $40 million.",
            "Selon le parquet, l'entreprise a dissimulé 40 millions de dollars.",
            "fr",
            False,
        ),
        # A role both sides name acts in both; the others are acted on.
        (
            "Unions back teachers who refuse to test pupils.",
            "Les syndicats soutiennent le refus de faire passer les tests aux élèves.",
            "fr",
            False,
        ),
        # A role on one side only is often a paraphrase.
        (
            "The army said 40 people were killed.",
            "Forty people were killed, according to an official.",
            "en",
            False,
        ),
    ],
)
def test_roles_substituted_is_another_actor(a, b, lang_b, substituted):
    row = _features(a, b, "en", lang_b)
    assert row["roles_substituted"] == float(substituted)


def test_roles_substituted_vetoes_same_between_claims_only():
    from claimtrack.decision.model import CLAIM_ONLY_GUARDS, GUARD_FEATURES

    assert "roles_substituted" in GUARD_FEATURES
    assert "roles_substituted" in CLAIM_ONLY_GUARDS


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Le terrain vaut entre 2 et 2,5 milliards d'euros.", {2e9, 2.5e9}),
        ("The site is worth $2 to $2.5 billion.", {2e9, 2.5e9}),
        ("between 3 and 4 million people", {3e6, 4e6}),
        # A count before a scaled number that is no range keeps its own value.
        ("3 people shared 4 million dollars", {3.0, 4e6}),
    ],
)
def test_a_range_bound_takes_the_scale_of_the_other(text, values):
    assert {value for value, _ in numbers_in(text)} == values


def test_a_range_in_words_and_in_digits_agree():
    row = _features(
        "The site is worth between €2 billion and €2.5 billion, the report says.",
        "Selon le rapport, le site vaut entre 2 et 2,5 milliards d'euros.",
        "en",
        "fr",
    )
    assert row["numbers_conflict"] == 0.0


@pytest.mark.parametrize(
    ("a", "b", "mismatch"),
    [
        (
            "The ministry left the reports unpublished.",
            "The reports were not published.",
            False,
        ),
        (
            "The agency is independent of the ministry.",
            "The agency does not depend on the ministry.",
            False,
        ),
        (
            "The budget was announced without consulting the regions.",
            "The regions were not consulted on the budget.",
            False,
        ),
        ("The bridge is harmless to fish.", "The bridge does not harm fish.", False),
        # The privative word on the negated side is no restatement.
        ("The agency is independent.", "The agency is not independent.", True),
        ("The reports were published.", "The reports were not published.", True),
        (
            "The ministry left the reports unpublished.",
            "The ministry did not sign the deal.",
            True,
        ),
    ],
)
def test_a_word_that_says_not_restates_a_negation(a, b, mismatch):
    assert _features(a, b)["negation_mismatch"] == float(mismatch)
