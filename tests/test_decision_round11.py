"""Round 11: guards that vetoed restatements of unseen pages (pairs-news-3 tune half).

Each case is a restatement the round-10 guards kept from being "same" (shares, spans
of years, given names, lowercase party names, ministries, "unable", "soupçonnés"),
and the different claim next to it that must stay guarded.
"""

from __future__ import annotations

import pytest

from claimtrack.decision.pair_features import Side, pair_features
from claimtrack.decision.text_features import numbers_in


def _features(
    a: str, b: str, lang_a: str = "en", lang_b: str = "en"
) -> dict[str, float]:
    return pair_features(Side(a, lang_a), Side(b, lang_b), cosines=[0.95, 0.95])


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("more than 1 in 10 young children", "over one in ten young children"),
        (
            "Three in four mothers who stay at home",
            "three-quarters of stay-at-home moms",
        ),
        ("3 out of 4 voters", "three quarters of voters"),
        ("more than two decades in Israeli prisons", "more than 20 years in prison"),
    ],
)
def test_shares_and_spans_read_as_one_value(first, second):
    values = {value for value, _ in numbers_in(first)}
    assert values == {value for value, _ in numbers_in(second)}


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("12 in 2019", {12.0}),  # a year, not a share
        ("5 in 3 cases", {3.0, 5.0}),
        ("1 sur 5", {0.2, 20.0}),
    ],
)
def test_only_a_smaller_count_of_a_whole_is_a_share(text, values):
    assert {value for value, _ in numbers_in(text)} == values


@pytest.mark.parametrize(
    ("a", "b", "lang_a", "lang_b"),
    [
        (
            "François Bayrou, Marielle de Sarnez et Sylvie Goulard ont démissionné.",
            "Dès juin 2017, les trois ministres MoDem, Bayrou, de Sarnez et Goulard,"
            " avaient quitté le gouvernement.",
            "fr",
            "fr",
        ),
        (
            "Le député LREM Mustapha Laabid a été condamné pour abus de confiance.",
            "Reconnu coupable d'abus de confiance, Mustapha Laabid, député de La"
            " République en marche, a écopé de six mois avec sursis.",
            "fr",
            "fr",
        ),
        (
            "A Labor Department study found fewer than 50 such counties.",
            "Une étude du ministère du Travail a trouvé moins de 50 comtés de ce type.",
            "en",
            "fr",
        ),
        (
            "Sylvie Goulard was placed under investigation over fake jobs for MEPs.",
            "Sylvie Goulard a été mise en examen pour des emplois fictifs d'assistants"
            " de députés européens.",
            "en",
            "fr",
        ),
    ],
)
def test_names_said_another_way_are_no_substitution(a, b, lang_a, lang_b):
    assert _features(a, b, lang_a, lang_b)["names_substituted"] == 0.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Donald Trump cut taxes for the rich.",
            "Barack Obama cut taxes for the rich.",
        ),
        (
            "Researchers at Harvard University found that the drug works.",
            "Researchers at Yale University found that the drug works.",
        ),
        (
            "In France, PSL University brings together eleven institutions.",
            "In France, Paris-Saclay University brings together eleven institutions.",
        ),
        (
            "New York Attorney General Letitia James is suing Donald Trump.",
            "New Jersey Attorney General Letitia James is suing Donald Trump.",
        ),
    ],
)
def test_another_person_body_or_place_is_still_a_substitution(a, b):
    assert _features(a, b)["names_substituted"] == 1.0


def test_the_state_in_lowercase_is_no_name():
    a = "Indiana Gov. Eric Holcomb endorsed the state budget deal on Friday."
    b = "On Friday, Indiana's governor Eric Holcomb came out in favour of the budget."
    assert _features(a, b)["names_substituted"] == 0.0


@pytest.mark.parametrize(
    ("a", "b", "lang_b", "mismatch"),
    [
        (
            "Schools will be unable to raise teacher pay, Taylor said.",
            "Schools cannot lift teacher salaries, said Taylor.",
            "en",
            0.0,
        ),
        (
            "Schools will be unable to raise teacher pay, Taylor said.",
            "Selon Taylor, les écoles ne pourront pas augmenter le salaire des"
            " enseignants.",
            "fr",
            0.0,
        ),
        (
            "Schools will be unable to raise teacher pay, Taylor said.",
            "Schools will be able to raise teacher pay, Taylor said.",
            "en",
            1.0,
        ),
    ],
)
def test_unable_negates(a, b, lang_b, mismatch):
    assert _features(a, b, "en", lang_b)["negation_mismatch"] == mismatch


def test_suspected_hedges_as_alleged_does():
    a = "Goulard a été mise en examen dans l'enquête sur des emplois présumés fictifs."
    b = "Dans l'affaire des assistants soupçonnés d'emplois fictifs, Goulard a été"
    b += " mise en examen."
    assert _features(a, b, "fr", "fr")["hedge_mismatch"] == 0.0


@pytest.mark.parametrize(
    ("a", "b", "lang_a", "lang_b"),
    [
        (
            "Le député a été condamné pour abus de confiance.",
            "Le député a été relaxé des poursuites pour abus de confiance.",
            "fr",
            "fr",
        ),
        (
            "The MP was convicted of breach of trust.",
            "Le député a été relaxé des poursuites pour abus de confiance.",
            "en",
            "fr",
        ),
        (
            "Le député a été condamné pour abus de confiance.",
            "The MP was exonerated of breach of trust.",
            "fr",
            "en",
        ),
    ],
)
def test_a_verdict_reversed_flips_in_either_language(a, b, lang_a, lang_b):
    assert _features(a, b, lang_a, lang_b)["polarity_flip"] == 1.0


def test_a_verdict_restated_does_not_flip():
    a = "Le député a été condamné pour abus de confiance."
    b = "The MP was convicted of breach of trust."
    assert _features(a, b, "fr", "en")["polarity_flip"] == 0.0
