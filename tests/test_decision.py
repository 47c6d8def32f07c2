"""The pair model's features and decisions, on pairs written here, with fake vectors.

Vectors are built so that each embedding model's cosine is exactly what the test says:
the decisions must then come from what the texts say (numbers, polarity, hedges,
speakers), as they do between real claims on one topic whose cosines crowd together.
"""

from __future__ import annotations

import numpy as np
import pytest

from claimtrack.decision import (
    PairModel,
    PairSide,
    claim_of_review,
    dates_in,
    facts_of,
    is_negated,
    names_in,
    numbers_in,
)
from claimtrack.decision.model import same_words
from claimtrack.decision.pair_features import FEATURES, part_cosines
from claimtrack.decision.text_features import polarity_flipped
from claimtrack.vectors import FloatArray

DIMS = 384


def _pair_vectors(cosine: float, minilm_cosine: float) -> tuple[FloatArray, FloatArray]:
    """Two e5-minilm-shaped vectors whose E5 and MiniLM parts have these cosines."""

    def part(cos: float) -> tuple[FloatArray, FloatArray]:
        a = np.zeros(DIMS, dtype=np.float32)
        b = np.zeros(DIMS, dtype=np.float32)
        a[0] = 1.0
        b[0], b[1] = cos, np.sqrt(1 - cos**2)
        return a, b

    (e5_a, e5_b), (mini_a, mini_b) = part(cosine), part(minilm_cosine)
    scale_e5, scale_mini = np.float32(np.sqrt(0.9)), np.float32(np.sqrt(0.1))
    a = np.concatenate([scale_e5 * e5_a, scale_mini * mini_a])
    b = np.concatenate([scale_e5 * e5_b, scale_mini * mini_b])
    return a, b


@pytest.fixture(scope="module")
def model() -> PairModel:
    return PairModel.load("e5-minilm")


def decide(
    model: PairModel,
    text_a: str,
    text_b: str,
    *,
    cosine: float = 0.95,
    minilm: float = 0.8,
    lang_a: str = "en",
    lang_b: str = "en",
    speaker_a: str | None = None,
    speaker_b: str | None = None,
) -> tuple[str | None, float]:
    va, vb = _pair_vectors(cosine, minilm)
    quote = "direct"
    a = PairSide(text_a, lang_a, va, speaker_a, quote if speaker_a else None)
    b = PairSide(text_b, lang_b, vb, speaker_b, quote if speaker_b else None)
    result = model.decide(a, b)
    return result.decision, result.probability


def test_part_cosines_split_the_concatenated_vector() -> None:
    a, b = _pair_vectors(0.9, 0.3)
    cos = part_cosines(a, b, [DIMS, DIMS])
    assert cos == pytest.approx([0.9, 0.3], abs=1e-5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("300 000 reservists", {(300000.0, "")}),
        ("300,000 reservists", {(300000.0, "")}),
        ("une hausse de 2,5 %", {(2.5, "percent")}),
        ("2.5 percent more", {(2.5, "percent")}),
        ("3 milliards de dollars", {(3e9, "usd")}),
        ("$3 billion", {(3e9, "usd")}),
        ("3 milliards d'euros", {(3e9, "eur")}),
        ("deux pays", {(2.0, "")}),
        ("the sixth victim", {(6.0, "")}),  # ordinals are numbers too
        ("la quatrième victime", {(4.0, "")}),
        ("twice a year", {(2.0, "")}),
        ("in 2022", set()),  # a year is a date
    ],
)
def test_numbers_agree_across_languages_and_formats(
    text: str, expected: set[tuple[float, str]]
) -> None:
    assert numbers_in(text) == expected


def test_dates_are_language_free() -> None:
    assert dates_in("le 24 février 2022") == dates_in("on February 24, 2022")
    assert dates_in("lundi") == dates_in("on Monday") == {"w1"}
    assert "m5" not in dates_in("Russia may use it")  # "may" the verb, not the month


def test_names_skip_sentence_starts() -> None:
    assert names_in("Hier, Vladimir Poutine a parlé.") == {"vladimir", "poutine"}


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Russia has not used nuclear weapons", True),
        ("La Russie n’a pas utilisé l’arme nucléaire", True),
        ("He never said that", True),
        ("Russia used nuclear weapons", False),
        ("La Russie a utilisé l'arme nucléaire", False),
        ("We cannot ignore it", True),
        ("La Chine a refusé d'appeler à la retenue", True),  # refusing negates
        ("China refused to call for restraint", True),
        # "with no funding" restates "without funding", which negates nothing.
        ("tax cuts with no funding", False),
        ("Rien ne prouve que l'avion a heurté un oiseau", True),  # pronoun first
        ("Personne n'a été inculpé", True),
        ("Exports declined to 3%", False),
    ],
)
def test_negation(text: str, negated: bool) -> None:
    assert is_negated(text) is negated


def test_hedges_and_directions() -> None:
    assert facts_of("300 000 soldats pourraient être mobilisés").hedged
    assert facts_of("Russia could use nuclear weapons").hedged
    assert not facts_of("La Russie a mobilisé 300 000 soldats").hedged
    assert written_poles("Unemployment rose in March") == {"direction+"}
    assert written_poles("Le chômage a baissé en mars") == {"direction-"}
    assert written_poles("The council rejected the budget") == {"approval-"}


def written_poles(text: str) -> set[str]:
    """The poles of the written concepts (WordNet's are named wn<n>)."""
    return {pole for pole in facts_of(text).poles if not pole.startswith("wn")}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("the government was right to go ahead", "le gouvernement avait eu tort"),
        ("TSMC's net profit jumped", "TSMC a enregistré une perte"),
        ("The minister praised the plan", "La ministre a critiqué le plan"),
        ("Three passengers survived the crash", "Three passengers died in the crash"),
        ("The drug is safe for children", "Le médicament est dangereux"),
        ("Pakistan claimed it shot down five jets", "Pakistan denied it"),
    ],
)
def test_polarity_flips_beyond_rose_and_fell(first: str, second: str) -> None:
    assert polarity_flipped(facts_of(first).poles, facts_of(second).poles)
    assert not polarity_flipped(facts_of(first).poles, facts_of(first).poles)


def test_fearing_something_is_a_hedge() -> None:
    assert facts_of("Des analystes craignent que la Russie utilise l'arme").hedged
    assert facts_of("Analysts fear Russia could use the weapon").hedged
    assert not facts_of("La Russie a utilisé l'arme").hedged


def test_every_feature_is_computed(model: PairModel) -> None:
    va, vb = _pair_vectors(0.9, 0.5)
    row = model.features(PairSide("A claim", "en", va), PairSide("Une", "fr", vb))
    assert set(row) == set(FEATURES)
    assert row["cross_lingual"] == 1.0


def test_identical_claims_are_same(model: PairModel) -> None:
    text = "Russia mobilised 300,000 reservists in September 2022."
    assert decide(model, text, text, cosine=1.0, minilm=1.0)[0] == "same"


def test_paraphrase_is_same(model: PairModel) -> None:
    decision, _ = decide(
        model,
        "Russia mobilised 300,000 reservists in September 2022.",
        "In September 2022, Russia called up 300,000 reservists.",
        cosine=0.96,
        minilm=0.85,
    )
    assert decision == "same"


def test_translation_fr_en_is_same(model: PairModel) -> None:
    decision, _ = decide(
        model,
        "La Russie a mobilisé 300 000 réservistes en septembre 2022.",
        "Russia mobilised 300,000 reservists in September 2022.",
        cosine=0.95,
        minilm=0.45,
        lang_a="fr",
    )
    assert decision == "same"


def test_changed_number_is_not_same(model: PairModel) -> None:
    same_text = decide(
        model,
        "Russia mobilised 300,000 reservists.",
        "Russia mobilised 300,000 reservists.",
        cosine=0.96,
        minilm=0.9,
    )
    changed = decide(
        model,
        "Russia mobilised 300,000 reservists.",
        "Russia mobilised 200,000 reservists.",
        cosine=0.96,
        minilm=0.9,
    )
    assert changed[0] != "same"
    assert changed[1] < same_text[1]


def test_changed_date_and_place_are_not_same(model: PairModel) -> None:
    base = "The summit was held in Paris in March 2023."
    for other in (
        "The summit was held in Paris in June 2023.",
        "The summit was held in Berlin in March 2023.",
    ):
        assert decide(model, base, other, cosine=0.97, minilm=0.9)[0] != "same"


def test_negation_is_opposite(model: PairModel) -> None:
    decision, _ = decide(
        model,
        "The CIA saw signs that Russia was preparing to use nuclear weapons.",
        "The CIA saw no sign that Russia was preparing to use nuclear weapons.",
        cosine=0.96,
        minilm=0.9,
    )
    assert decision == "opposite"


def test_rose_against_fell_is_not_same(model: PairModel) -> None:
    decision, _ = decide(
        model,
        "Unemployment rose by 2% in 2023.",
        "Unemployment fell by 2% in 2023.",
        cosine=0.97,
        minilm=0.9,
    )
    assert decision in ("opposite", "suggested")


def test_hedge_is_not_same(model: PairModel) -> None:
    decision, _ = decide(
        model,
        "La Russie a mobilisé 300 000 soldats.",
        "300 000 soldats pourraient être mobilisés par la Russie.",
        cosine=0.95,
        minilm=0.8,
        lang_b="fr",
        lang_a="fr",
    )
    assert decision != "same"


def test_reattributed_quote_is_not_same(model: PairModel) -> None:
    text = "« Les menaces nucléaires de la Russie doivent cesser »"
    decision, _ = decide(
        model,
        text,
        text,
        cosine=1.0,
        minilm=1.0,
        lang_a="fr",
        lang_b="fr",
        speaker_a="Antony Blinken",
        speaker_b="Jake Sullivan",
    )
    assert decision != "same"
    same_speaker = decide(
        model,
        text,
        text,
        cosine=1.0,
        minilm=1.0,
        lang_a="fr",
        lang_b="fr",
        speaker_a="Antony Blinken",
        speaker_b="Blinken",
    )
    assert same_speaker[0] == "same"


def test_unrelated_claims_on_one_topic_are_not_stored(model: PairModel) -> None:
    decision, probability = decide(
        model,
        "Russia mobilised 300,000 reservists.",
        "The United States warned Moscow of catastrophic consequences.",
        cosine=0.82,
        minilm=0.3,
    )
    assert decision is None
    assert probability < 0.2


def test_decide_many_keeps_order_and_probabilities_are_calibrated_range(
    model: PairModel,
) -> None:
    va, vb = _pair_vectors(0.99, 0.99)
    wa, wb = _pair_vectors(0.5, 0.1)
    pairs = [
        (PairSide("Russia mobilised troops", "en", va), PairSide("x", "en", vb)),
        (PairSide("Paris hosts the games", "en", wa), PairSide("y", "en", wb)),
    ]
    results = model.decide_many(pairs)
    assert len(results) == 2
    assert results[0].probability > results[1].probability
    assert all(0.0 <= r.probability <= 1.0 for r in results)
    assert model.decide_many([]) == []


def test_unknown_embedder_uses_the_whole_vector_cosine() -> None:
    fallback = PairModel.load("fake/bag-of-words")
    vector = np.ones(16, dtype=np.float32) / 4.0
    side = PairSide("Russia mobilised 300,000 reservists.", "en", vector)
    assert fallback.decide(side, side).decision == "same"


def test_boosted_trees_walk_incomplete_trees_like_scikit_learn() -> None:
    """A tree whose left child is already a leaf at depth 1 (as scikit-learn writes)."""
    from claimtrack.decision.model import BoostedTreesHead

    tree = {
        # node 0: x0 <= 0.5 ? node 1 (leaf, -1.0) : node 2 (x1 <= 2 ? node 3 : node 4)
        "left": [1, -1, 3, -1, -1],
        "right": [2, -1, 4, -1, -1],
        "feature": [0, -2, 1, -2, -2],
        "threshold": [0.5, -2.0, 2.0, -2.0, -2.0],
        "value": [0.0, -1.0, 0.0, 0.5, 2.0],
    }
    head = BoostedTreesHead.from_json(
        {
            "features": ["cos_0", "cos_1"],
            "init": 0.0,
            "learning_rate": 1.0,
            "depth": 2,
            "trees": [tree],
            "platt": [1.0, 0.0],
        }
    )
    rows = np.array([[0.0, 9.0], [1.0, 1.0], [1.0, 3.0]])
    expected = 1 / (1 + np.exp(-np.array([-1.0, 0.5, 2.0])))
    assert np.allclose(head.probabilities(rows), expected)


def test_a_repeat_differing_in_case_and_punctuation_is_same(model: PairModel) -> None:
    # The trees give 0.85 to such a pair (cosine below 1): a repeat is the same claim.
    decision, probability = decide(
        model,
        "The state cut school funding by 30 percent",
        "the state cut school funding by 30 percent.",
        cosine=0.99,
        minilm=0.988,
    )
    assert (decision, probability) == ("same", 0.99)
    # A changed number is another claim, however close the vectors.
    assert (
        decide(
            model,
            "The state cut school funding by 30 percent",
            "the state cut school funding by 40 percent.",
            cosine=0.99,
            minilm=0.988,
        )[0]
        != "same"
    )


def test_politifact_says_framing_does_not_count_against_same(model: PairModel) -> None:
    va, vb = _pair_vectors(0.99, 0.954)
    claim = PairSide("The state cut school funding by 30 percent", "en", va)
    review = PairSide(
        "Says the state cut school funding by 30 percent.", "en", vb, is_fact_check=True
    )
    assert model.decide(claim, review).decision == "same"
    # Only a fact-check's framing: a claim that starts with "Says" keeps its word.
    said = PairSide("Says the state cut school funding by 30 percent.", "en", vb)
    assert not same_words(claim, said)


@pytest.mark.parametrize(
    ("reviewed", "claim"),
    [
        ("Says the state cut school funding.", "The state cut school funding."),
        ("Says Joe Biden wants to ban fracking.", "Joe Biden wants to ban fracking."),
        ("Say Democrats voted for it.", "Democrats voted for it."),
        ('"We have the lowest unemployment."', "We have the lowest unemployment."),
        ("“Crime is down 20 percent”", "Crime is down 20 percent."),
        ("Sayreville is in New Jersey.", "Sayreville is in New Jersey."),
        ('He said "no" twice.', 'He said "no" twice.'),
    ],
)
def test_claim_of_review_drops_the_fact_checkers_framing(reviewed: str, claim: str):
    assert claim_of_review(reviewed) == claim


def test_a_fact_checkers_rewording_is_suggested_not_same(model: PairModel) -> None:
    # PolitiFact rewords what it reviews: the news head, trained on restatements of
    # news claims on one topic, calls such a pair different; the fact-check head,
    # trained on debate lines and tweets against their fact-checks, suggests it.
    va, vb = _pair_vectors(0.9, 0.78)
    line = PairSide(
        "I've been tougher on Russia than any president in history", "en", va
    )
    review = PairSide(
        "I have been much tougher on Russia than Obama.", "en", vb, is_fact_check=True
    )
    as_claims = model.decide(line, PairSide(review.text, "en", vb))
    as_review = model.decide(line, review)
    assert model.fact_check is not None
    assert as_review.decision == "suggested"
    assert as_review.probability >= as_claims.probability
    # Never "same" from the fact-check head below its own threshold, which is what a
    # verdict rests on.
    assert as_review.probability < model.fact_check.thresholds.same


def test_the_fact_check_head_never_weakens_the_news_decision(model: PairModel) -> None:
    va, vb = _pair_vectors(0.99, 0.954)
    claim = PairSide("Unemployment fell to 3.5 percent in March.", "en", va)
    review = PairSide(
        "Unemployment fell to 3.5 percent in March.", "en", vb, is_fact_check=True
    )
    assert model.decide(claim, review).decision == "same"
    changed = PairSide(
        "Unemployment fell to 4.5 percent in March.", "en", vb, is_fact_check=True
    )
    assert model.decide(claim, changed).decision != "same"  # the number guard holds


def test_user_thresholds_keep_the_guards(model: PairModel) -> None:
    # A user who lowers the same threshold gets more same links, never one the
    # guards veto: a changed number stays apart at any threshold.
    lenient = model.with_thresholds(same=0.0, suggested=0.0)
    changed = decide(
        lenient,
        "Russia mobilised 300,000 reservists.",
        "Russia mobilised 200,000 reservists.",
        cosine=0.96,
        minilm=0.9,
    )
    assert changed[0] != "same"
    paraphrase = decide(
        lenient, "The plant closed in 2019.", "The factory shut down in 2019."
    )
    assert paraphrase[0] == "same"


def test_user_thresholds_move_both_heads(model: PairModel) -> None:
    strict = model.with_thresholds(same=0.999, suggested=0.5)
    assert strict.thresholds.same == 0.999
    assert strict.thresholds.opposite == model.thresholds.opposite
    assert strict.fact_check is not None and model.fact_check is not None
    assert strict.fact_check.thresholds.same == 0.999
    assert strict.fact_check.thresholds.suggested == 0.5
    assert model.thresholds.same < 0.999  # the shipped model is left as it was


def test_tracker_thresholds_reach_the_pair_model(tmp_path) -> None:
    from claimtrack.tracker import Tracker

    tracker = Tracker(
        str(tmp_path / "claims.db"),
        extractor="fake",
        embedder="fake",
        same_threshold=0.97,
        suggest_threshold=0.4,
    )
    assert isinstance(tracker.matcher.pair_model, PairModel)
    assert tracker.matcher.pair_model.thresholds.same == 0.97
    assert tracker.matcher.pair_model.thresholds.suggested == 0.4


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Antonyms no written list holds, from WordNet's antonym pointers.
        (
            "The gap between rich and poor widened",
            "The gap between rich and poor narrowed",
        ),
        (
            "The border crossing was visible from the air",
            "The border crossing was invisible",
        ),
        ("The reform was popular with voters", "The reform was unpopular with voters"),
        ("Most of the workers were employed", "Most of the workers were unemployed"),
    ],
)
def test_a_pair_that_differs_only_by_an_antonym_is_not_same(
    model: PairModel, first: str, second: str
) -> None:
    assert polarity_flipped(facts_of(first).poles, facts_of(second).poles)
    # As close as embeddings put such pairs, and at any user threshold.
    lenient = model.with_thresholds(same=0.0)
    assert decide(lenient, first, second, cosine=0.98, minilm=0.95)[0] != "same"


def test_wordnet_antonyms_do_not_flip_restatements() -> None:
    # Words of a sentence that are WordNet antonyms of nothing the other side says.
    first = "The factory shut down in 2019 and 300 workers lost their jobs."
    second = "300 employees were laid off when the plant closed in 2019."
    assert not polarity_flipped(facts_of(first).poles, facts_of(second).poles)


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        (
            "Half of the votes were cast by mail",
            "50% of the votes were cast by mail",
            0,
        ),
        (
            "Half of the votes were cast by mail",
            "A quarter of the votes were cast by mail",
            1,
        ),
        ("La moitié des votes", "Half of the votes", 0),
        (
            "A tenfold increase in hake numbers",
            "Multiplier par 10 le nombre de merlus",
            0,
        ),
        (
            "A tenfold increase in hake numbers",
            "Multiplier par 3 le nombre de merlus",
            1,
        ),
    ],
)
def test_fractions_and_multiples_are_numbers(
    first: str, second: str, conflict: int
) -> None:
    va, vb = _pair_vectors(0.95, 0.8)
    model = PairModel.load("e5-minilm")
    features = model.features(PairSide(first, "en", va), PairSide(second, "en", vb))
    assert features["numbers_conflict"] == conflict


def test_a_claim_attributed_to_another_source_is_not_same(model: PairModel) -> None:
    lenient = model.with_thresholds(same=0.0)
    other = decide(
        lenient,
        "Flydubai says there is no proof that the plane hit a bird.",
        "Nepal's aviation authority says there is no proof that the plane hit a bird.",
        cosine=0.97,
        minilm=0.95,
    )
    assert other[0] != "same"
    same_source = decide(
        lenient,
        "Flydubai says there is no proof that the plane hit a bird.",
        "Selon Flydubai, rien ne prouve que l'avion a heurté un oiseau.",
        lang_b="fr",
    )
    assert same_source[0] == "same"


def test_another_place_or_actor_is_not_same_but_a_fact_check_may_name_others(
    model: PairModel,
) -> None:
    lenient = model.with_thresholds(same=0.0)
    place = decide(
        lenient,
        "Holly Bowles died of methanol poisoning in Laos.",
        "Holly Bowles died of methanol poisoning in Cambodia.",
        cosine=0.98,
        minilm=0.95,
    )
    assert place[0] != "same"
    # A fact-check's wording names things its own way ("the president" for Trump,
    # the tweet's @handles): the substitution guard is for two claims only.
    va, vb = _pair_vectors(0.99, 0.95)
    claim = PairSide("Donald Trump cut taxes for the rich.", "en", va)
    review = PairSide(
        "Says Obama cut taxes for the rich.", "en", vb, is_fact_check=True
    )
    features = lenient.features(claim, review)
    assert features["names_substituted"] == 1.0
    assert lenient.decide(claim, review).decision == "same"


def test_unrelated_short_claims_are_not_same(model: PairModel) -> None:
    # Easy negatives: two short first-person lines on different things, as a debate
    # line meets thousands of PolitiFact claims.
    decision, probability = decide(
        model, "I'm not a doctor.", "I'm not a politician.", cosine=0.9, minilm=0.6
    )
    assert decision != "same"
    assert probability < model.thresholds.same
