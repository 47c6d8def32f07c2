import pytest

from claimtrack.match import (
    find_matches,
    guard_decision,
    is_negated,
    numbers_in,
    thresholds_for,
)
from claimtrack.models import Decision
from claimtrack.plugins import get_embedder
from claimtrack.settings import (
    DEFAULT_EMBEDDER,
    DEFAULT_SAME_THRESHOLD,
    DEFAULT_SUGGEST_THRESHOLD,
    MODEL_THRESHOLDS,
)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("The project cost 1 million", {"1"}),
        ("Il a coûté 1 000,5 euros", {"1000.5"}),
        ("no numbers here", set()),
    ],
)
def test_numbers_in(text: str, numbers: set[str]) -> None:
    assert numbers_in(text) == numbers


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Russia is not preparing a strike", True),
        ("La Russie n\u2019a jamais menacé", True),
        ("Russia is preparing a strike", False),
    ],
)
def test_is_negated(text: str, negated: bool) -> None:
    assert is_negated(text) is negated


@pytest.mark.parametrize(
    ("text", "earlier", "decision"),
    [
        ("The project cost 1 million", "The project cost 5 million", "suggested"),
        ("The project cost 1 million", "The project cost 1 million", "same"),
        (
            "Russia is preparing a strike",
            "Russia is not preparing a strike",
            "suggested",
        ),
    ],
)
def test_guard_decision(text: str, earlier: str, decision: Decision) -> None:
    assert guard_decision(text, earlier, "same") == decision


def test_find_matches_applies_two_thresholds_and_guards() -> None:
    links = find_matches(
        [("new", "The project cost 1 million")],
        [[("a", 0.95), ("b", 0.95), ("c", 0.75), ("d", 0.5)]],
        {
            "a": "The project cost 1 million",
            "b": "The project cost 5 million",
            "c": "The project was costly",
        },
        same_threshold=0.9,
        suggest_threshold=0.7,
        model_id="fake/bag-of-words",
    )
    assert [(link.earlier_claim_id, link.decision) for link in links] == [
        ("a", "same"),
        ("b", "suggested"),
        ("c", "suggested"),
    ]


@pytest.mark.parametrize(
    ("speaker", "earlier_speaker", "decision"),
    [
        ("Macron", "Le Pen", "suggested"),
        ("Macron", " macron", "same"),
        ("Macron", None, "same"),
    ],
)
def test_guard_decision_on_quotes_from_different_speakers(
    speaker: str, earlier_speaker: str | None, decision: Decision
) -> None:
    quote = "We will cut taxes"
    assert (
        guard_decision(
            quote, quote, "same", speaker=speaker, earlier_speaker=earlier_speaker
        )
        == decision
    )


def test_thresholds_for_calibrated_and_unknown_models() -> None:
    default_id = get_embedder(DEFAULT_EMBEDDER).model_id
    assert thresholds_for(default_id) == MODEL_THRESHOLDS[default_id]
    same, suggested = thresholds_for(default_id)
    assert 0 < suggested < same < 1
    assert thresholds_for("fake/bag-of-words") == (
        DEFAULT_SAME_THRESHOLD,
        DEFAULT_SUGGEST_THRESHOLD,
    )


def test_find_matches_keeps_quotes_of_two_speakers_apart() -> None:
    claims = [("new", "We will win this war")]
    hits = [[("old", 0.99), ("other", 0.98)]]
    texts = {"old": "We will win this war", "other": "We will win this war"}
    links = find_matches(
        claims,
        hits,
        texts,
        same_threshold=0.9,
        suggest_threshold=0.5,
        model_id="m",
        quote_speakers={"new": "Zelensky", "old": "Putin", "other": "zelensky"},
    )
    assert [(link.earlier_claim_id, link.decision) for link in links] == [
        ("old", "suggested"),
        ("other", "same"),
    ]


def test_suggested_threshold_never_falls_below_the_floor() -> None:
    assert thresholds_for("sentence-transformers/all-MiniLM-L6-v2") == (0.771, 0.6)
