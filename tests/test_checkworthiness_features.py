"""The check-worthiness features added in round 7, and how artefacts read features.

Sentences written for these tests, parsed by the real spaCy models: each feature
means the same in French and English.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from claimtrack.extract.features import feature_names, sentence_features
from claimtrack.extract.scoring import model_from_artefact
from claimtrack.extract.sentences import load_spacy_model


def _features(text: str, language: str) -> dict[str, float]:
    return sentence_features(load_spacy_model(language)(text)[:], language)


@pytest.mark.parametrize(
    ("language", "demand", "statement"),
    [
        (
            "en",
            "The government should raise the minimum wage next year.",
            "The government raised the minimum wage last year.",
        ),
        (
            "en",
            "Hospitals have to hire more nurses before the winter.",
            "Hospitals hired more nurses before the winter.",
        ),
        (
            "fr",
            "Il faut augmenter le salaire minimum l'an prochain.",
            "Le gouvernement a augmenté le salaire minimum l'an dernier.",
        ),
        (
            "fr",
            "Les hôpitaux doivent recruter davantage d'infirmières.",
            "Les hôpitaux ont recruté davantage d'infirmières.",
        ),
    ],
)
def test_obligation_marks_a_demand_not_a_statement(
    language: str, demand: str, statement: str
) -> None:
    assert (
        _features(demand, language)["obligation"],
        _features(statement, language)["obligation"],
    ) == (1.0, 0.0)


@pytest.mark.parametrize(
    ("language", "text", "count"),
    [
        ("en", "Prices rose 4% in May and 6% in June, to $3.20 a gallon.", 1.0),
        ("en", "Covid-19 cases rose again in 2021.", 0.0),
        ("fr", "Le déficit atteint 154 milliards d'euros, soit 5,5 % du PIB.", 1.0),
        ("fr", "La réunion a lieu le 3 mars à 16 heures.", 0.0),
    ],
)
def test_quantity_count_counts_measures_only(
    language: str, text: str, count: float
) -> None:
    assert _features(text, language)["quantity_count"] == count


@pytest.mark.parametrize(
    ("language", "reported", "not_reported"),
    [
        (
            "en",
            "The minister announced a new tax on airline tickets.",
            "The minister signed a new tax on airline tickets.",
        ),
        (
            "fr",
            "La ministre a annoncé une nouvelle taxe sur les billets d'avion.",
            "La ministre a signé une nouvelle taxe sur les billets d'avion.",
        ),
    ],
)
def test_reporting_verb(language: str, reported: str, not_reported: str) -> None:
    assert (
        _features(reported, language)["reporting_verb"],
        _features(not_reported, language)["reporting_verb"],
    ) == (1.0, 0.0)


@pytest.mark.parametrize(
    ("language", "named", "pronoun"),
    [
        ("en", "Angela Merkel met the mayor of Lyon.", "She met the mayor of Lyon."),
        (
            "fr",
            "Angela Merkel a rencontré le maire de Lyon.",
            "Elle a rencontré le maire.",
        ),
    ],
)
def test_named_subject(language: str, named: str, pronoun: str) -> None:
    assert (
        _features(named, language)["named_subject"],
        _features(pronoun, language)["named_subject"],
    ) == (1.0, 0.0)


def _artefact(features: list[str]) -> dict[str, object]:
    return {
        "features": features,
        "mean": [0.0] * len(features),
        "scale": [1.0] * len(features),
        "coef": [1.0] * len(features),
        "intercept": -1.0,
        "embedding_dimensions": 0,
    }


def test_an_artefact_reads_its_own_features_by_name() -> None:
    # An artefact trained before a feature was added keeps scoring as trained.
    model = model_from_artefact(_artefact(["question", "quantity"]), "old.json")
    values = dict.fromkeys(feature_names(), 1.0)
    assert model.contributions(values) == [("question", 1.0), ("quantity", 1.0)]


def test_an_artefact_with_a_feature_that_no_longer_exists_fails_loudly() -> None:
    with pytest.raises(RuntimeError, match="no_such_feature"):
        model_from_artefact(_artefact(["question", "no_such_feature"]), "stale.json")


def test_the_features_model_reads_every_feature() -> None:
    path = resources.files("claimtrack.extract").joinpath("data/checkworthiness.json")
    assert json.loads(path.read_text())["features"] == feature_names()
