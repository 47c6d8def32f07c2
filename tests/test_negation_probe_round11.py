"""Round 11 (pairs-b): the rule that negates a claim for the encoder probe.

benchmarks/negation_probe.py embeds each side of a pair negated by these rules; a
negation that lands on the wrong verb (the reporting verb, a clitic outside "ne")
would measure something else.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from claimtrack.extract.sentences import load_spacy_model
from tests.benchmark_scripts import benchmark_script

ROOT = Path(__file__).resolve().parent.parent


def _rules() -> ModuleType:
    return benchmark_script("negation_rules")


@pytest.mark.parametrize(
    ("claim", "negated"),
    [
        ("The senator endorsed the bill.", "The senator did not endorse the bill."),
        ("Sales recovered in March.", "Sales did not recover in March."),
        ("Exports grew by 5%.", "Exports did not grow by 5%."),
        (
            "The company has added $300 million to its budget.",
            "The company has not added $300 million to its budget.",
        ),
        (
            "The fund was a great success.",
            "The fund was not a great success.",
        ),
        (
            "He said the tariffs can harm the negotiations.",
            "He said the tariffs can not harm the negotiations.",
        ),
        ("They don't want war.", "They do want war."),
    ],
)
def test_english_claims_are_negated_in_the_claimed_clause(claim, negated):
    doc = load_spacy_model("en")(claim)
    assert _rules().negate(doc, "en") == negated


@pytest.mark.parametrize(
    ("claim", "negated"),
    [
        (
            "La caisse de grève a connu un grand succès.",
            "La caisse de grève n'a pas connu un grand succès.",
        ),
        ("Il se trouve à Paris.", "Il ne se trouve pas à Paris."),
        ("Il l'a dit.", "Il ne l'a pas dit."),
        (
            "Le gouvernement affirme que la réforme est un échec.",
            "Le gouvernement affirme que la réforme n'est pas un échec.",
        ),
        ("Les ventes ont rebondi en mars.", "Les ventes n'ont pas rebondi en mars."),
        ("Elle n'a pas voté la loi.", "Elle a voté la loi."),
    ],
)
def test_french_claims_are_negated_around_the_finite_verb(claim, negated):
    doc = load_spacy_model("fr")(claim)
    assert _rules().negate(doc, "fr") == negated


def _aligned_words() -> ModuleType:
    return benchmark_script("aligned_words")


def test_differing_words_near_opposite_poles_score_a_flip():
    aligned = _aligned_words()
    unit = {
        "fund": [1.0, 0.0, 0.0],
        "success": [0.0, 1.0, 0.0],
        "fiasco": [0.0, 0.0, 1.0],
        "triumph": [0.0, 0.96, 0.28],
    }
    vector = {word: np.array(v) / np.linalg.norm(v) for word, v in unit.items()}
    poles = aligned.PoleIndex.__new__(aligned.PoleIndex)
    poles.names = ["outcome+", "outcome-"]
    poles.matrix = np.stack([vector["success"], vector["fiasco"]])
    _, unaligned, flip = aligned.pair_scores(
        ["fund", "triumph"], ["fund", "fiasco"], vector, poles
    )
    assert unaligned == 2 and flip == pytest.approx(0.96)
    assert aligned.pair_scores(["fund"], ["fund"], vector, poles) == (0.0, 0.0, 0.0)
