"""Round 9: guards that misfired on restatements of unseen articles (pairs-news-2)."""

from __future__ import annotations

import pytest

from claimtrack.decision.number_words import spelled_numbers
from claimtrack.decision.pair_features import Side, pair_features
from claimtrack.decision.text_features import (
    dates_in,
    directed_numbers,
    facts_of,
    is_negated,
    numbers_in,
    opening_names_in,
)


def _features(
    a: str, b: str, lang_a: str = "en", lang_b: str = "en"
) -> dict[str, float]:
    return pair_features(Side(a, lang_a), Side(b, lang_b), cosines=[0.95, 0.95])


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Two out of every three researchers", {0.666667, 66.666667}),
        ("deux sur trois", {0.666667, 66.666667}),
        ("one and a half billion dollars", {1.5e9}),
        ("un milliard et demi", {1.5e9}),
        ("half a decade", {5.0}),
        ("half a million", {5e5}),
        ("plus d'une trentaine d'établissements", {30.0}),
        ("a hundredfold", {100.0}),
    ],
)
def test_number_words_read_shares_halves_and_round_counts(text, values):
    assert spelled_numbers(text) == values


def test_vague_plurals_stay_vague():
    assert spelled_numbers("des centaines de manifestants") == frozenset()


def test_a_short_span_of_years_is_two_years_not_a_number():
    assert numbers_in("between 2011-12 and 2017-18") == frozenset()
    assert dates_in("between 2011-12 and 2017-18") == dates_in(
        "entre 2011-2012 et 2017-2018"
    )
    assert dates_in("in 1999-00") == {"y1999", "y2000"}


def test_restatements_written_another_way_pass_the_number_and_date_guards():
    pairs = [
        (
            "Some 67,000 research staff, two thirds of the total, are on contracts.",
            "Two out of every three researchers, about 67,000 people, have contracts.",
        ),
        (
            "The telescope took five years to build.",
            "Built over half a decade, the telescope is finished.",
        ),
        (
            "The AG calls for a strike on 24 September.",
            "The AG calls for a strike on Tuesday 24 September.",
        ),
    ]
    for a, b in pairs:
        features = _features(a, b)
        assert features["numbers_conflict"] == 0.0, (a, b)
        assert features["dates_conflict"] == 0.0, (a, b)


def test_changed_number_words_still_conflict():
    features = _features(
        "PSL brings together eleven institutions and three research bodies.",
        "L'Université PSL regroupe quinze établissements et trois organismes.",
        "en",
        "fr",
    )
    assert features["numbers_conflict"] == 1.0
    assert _features("on 10 May 2019", "on 10 May 2018")["dates_conflict"] == 1.0


def test_which_number_rose_and_which_fell():
    grew = "Open-ended contracts grew by 21.9% while atypical contracts fell by 16.1%."
    swapped = (
        "Open-ended contracts fell by 21.9% while atypical contracts grew by 16.1%."
    )
    restated = "Atypical contracts dropped 16.1% and open-ended ones rose 21.9%."
    assert directed_numbers(grew) == {(21.9, "+"), (16.1, "-")}
    assert _features(grew, swapped)["polarity_flip"] == 1.0
    assert _features(grew, restated)["polarity_flip"] == 0.0


def test_appearing_in_a_ranking_is_no_hedge():
    assert not facts_of("PSL appears in the QS rankings.").hedged
    assert facts_of("PSL appears to lead the QS rankings.").hedged
    assert facts_of("Le décret devrait être publié.").hedged
    assert not facts_of("We should act now.").hedged


def test_french_negation_without_ne_after_a_comma():
    assert is_negated("« C'est le tribunal qui fraude, pas moi »")
    assert not is_negated("à deux pas de la gare")


def test_a_source_named_in_full_and_by_its_acronym_is_one_source():
    features = _features(
        "A University and College Union report says staff are on casual contracts.",
        "Staff are on casual contracts, according to a report from the UCU.",
    )
    assert features["source_conflict"] == 0.0


def test_capitalised_first_words_alone_are_no_substitution():
    assert opening_names_in("Built in 2016, FAST is in Guizhou.") == {"built"}
    features = _features(
        "Built over five years in Guizhou, FAST cost 1.2 billion yuan.",
        "Construit en cinq ans dans le Guizhou, FAST a coûté 1,2 milliard de yuans.",
        "en",
        "fr",
    )
    assert features["names_substituted"] == 0.0
    # A first word against a name inside the other text is still a substitution.
    other = _features("Donald Trump cut taxes.", "Obama cut taxes.")
    assert other["names_substituted"] == 1.0


def test_new_opposites_flip():
    assert (
        _features(
            "Two thirds of research staff are on fixed-term contracts.",
            "Two thirds of research staff are on permanent contracts.",
        )["polarity_flip"]
        == 1.0
    )
    assert (
        _features(
            "The impact of the ransomware is limited.",
            "L'impact du rançongiciel est généralisé.",
            "en",
            "fr",
        )["polarity_flip"]
        == 1.0
    )
