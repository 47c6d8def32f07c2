"""Rating normalisation: the French and English lexicon, and numeric scales."""

from __future__ import annotations

import pytest

from claimtrack.factchecks import normalise_rating, rating_from_text, rating_from_value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Faux", "false"),
        ("FAUX", "false"),
        ("C’est faux", "false"),
        ("Intox", "false"),
        ("Pants on Fire!", "false"),
        ("pants-fire", "false"),
        ("False", "false"),
        ("Incorrect", "false"),
        ("Altered image", "false"),
        ("Mostly False", "mostly false"),
        ("barely-true", "mostly false"),
        ("Plutôt faux", "mostly false"),
        ("Trompeur", "mostly false"),
        ("Misleading", "mostly false"),
        ("Missing context", "mostly false"),
        ("Hors contexte", "mostly false"),
        ("Half True", "mixed"),
        ("half-true", "mixed"),
        ("Mixture", "mixed"),
        ("En partie vrai", "mixed"),
        ("À nuancer", "mixed"),
        ("Partly false", "mixed"),
        ("Mostly True", "mostly true"),
        ("mostly-true", "mostly true"),
        ("Plutôt vrai", "mostly true"),
        ("True", "true"),
        ("Vrai", "true"),
        ("Correct", "true"),
        ("Unproven", "unverifiable"),
        ("Invérifiable", "unverifiable"),
        ("Non prouvé", "unverifiable"),
        ("Satire", "other"),
        ("full-flop", "other"),
        ("Something nobody uses", "other"),
        ("Faux. La photo date de 2015.", "false"),
        ("Mostly true, but the streak was nine months", "mostly true"),
    ],
)
def test_textual_ratings_fr_and_en(text: str, expected: str):
    assert rating_from_text(text) == expected


@pytest.mark.parametrize("text", [None, "", "   "])
def test_no_text_is_no_rating(text: str | None):
    assert rating_from_text(text) is None
    assert normalise_rating(text) is None


@pytest.mark.parametrize(
    ("value", "best", "worst", "expected"),
    [
        (1, 5, 1, "false"),
        (2, 5, 1, "mostly false"),
        (3, 5, 1, "mixed"),
        (4, 5, 1, "mostly true"),
        (5, 5, 1, "true"),
        ("2", "5", "1", "mostly false"),
        (1, None, None, "false"),  # schema.org defaults: 1..5
        (0, 10, 0, "false"),
        (10, 10, 0, "true"),
        (6, 10, 0, "mixed"),
        ("0,75", 1, 0, "mostly true"),
        (7, 5, 1, None),  # out of range
        (3, 3, 3, None),  # empty range
        ("n/a", 5, 1, None),
        (None, 5, 1, None),
    ],
)
def test_numeric_ratings(value, best, worst, expected):
    assert rating_from_value(value, best=best, worst=worst) == expected


def test_known_text_wins_over_numbers():
    # A publisher whose scale puts 1 at "True": the words are trusted.
    assert normalise_rating("True", 1, best=6, worst=1) == "true"


def test_numbers_decide_when_the_text_is_unknown_or_absent():
    assert normalise_rating("Rating 4 of 5", 4, best=5, worst=1) == "mostly true"
    assert normalise_rating(None, 1, best=5, worst=1) == "false"


def test_unknown_text_without_numbers_stays_visible_as_other():
    assert normalise_rating("Zombie claim") == "other"
