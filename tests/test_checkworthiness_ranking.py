"""The check-worthiness ranking on sentences written for these tests (issue 13.6).

Factual statements by officials, numbers and quotes that assert facts rank high;
questions, greetings, advertising and page furniture at the bottom; claim_type
"statistic" only for real quantities. The parse is the real spaCy model; the unit
tests score with the parse-feature model, the integration tests with E5 as well.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.errors import ArticleError
from claimtrack.evaluate import checkworthiness
from claimtrack.extract.scoring import Score, score_sentence
from claimtrack.extract.sentences import SentenceExtractor, load_spacy_model
from claimtrack.extract.signals import is_page_furniture, quantities
from claimtrack.models import Article
from tests.benchmark_scripts import benchmark_script

Scorer = Callable[[str, str], Score]

FACTS = {
    "en": [
        "Unemployment fell to 3.9 percent in March, the Labor Department said.",
        "The government spent $4.2 billion on the program last year.",
        "The minister said the army had withdrawn 12,000 troops from the border.",
        "Police arrested 27 people after the protest in Manchester.",
    ],
    "fr": [
        "Le chômage a reculé à 7,1 % au premier trimestre, selon l'Insee.",
        "Le gouvernement a débloqué 2 milliards d'euros pour les hôpitaux.",
        "La ministre a indiqué que 300 000 réservistes avaient été mobilisés.",
        "La police a interpellé 27 personnes après la manifestation à Lyon.",
    ],
}
CHATTER = {
    "en": [
        "What do you think about that?",
        "Thank you so much, and good evening everyone.",
        "Subscribe now and get 50% off your first year!",
        "Sign up for our newsletter to get the latest news.",
        "Photo: John Smith / AFP",
        "© 2024 The Daily Courier. All rights reserved.",
        "Read more: the ten best gardens to visit this summer.",
    ],
    "fr": [
        "Qu'en pensez-vous ?",
        "Merci beaucoup et bonne soirée à tous.",
        "Abonnez-vous dès maintenant : 1 € le premier mois !",
        "Lire aussi : les dix plus beaux jardins à visiter cet été.",
        "Crédit photo : Jean Dupont / AFP",
        "© Le Courrier 2024 - Tous droits réservés.",
        "Inscrivez-vous à notre newsletter pour recevoir l'actualité.",
    ],
}


def features_scorer(text: str, language: str) -> Score:
    doc = load_spacy_model(language)(text)
    return score_sentence(doc[:], language)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_fact_outranks_every_question_greeting_ad_and_furniture(
    language: str,
) -> None:
    facts = [features_scorer(t, language).value for t in FACTS[language]]
    chatter = [features_scorer(t, language).value for t in CHATTER[language]]
    assert min(facts) > max(chatter), (facts, chatter)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_furniture_and_ads_sit_at_the_very_bottom(language: str) -> None:
    for text in CHATTER[language][2:]:
        score = features_scorer(text, language)
        assert score.value < 0.02, text
        assert score.reasons[0] == "-page furniture"


def test_furniture_rule_leaves_reporting_alone() -> None:
    reporting = [
        *FACTS["en"],
        *FACTS["fr"],
        "Credit card debt rose by 4% last year.",
        "Le salaire minimum est de 1 400 euros par mois.",
        "Cet article de loi prévoit une amende de 3 750 euros.",
        "The newspaper was first published in 1851.",
    ]
    assert not [text for text in reporting if is_page_furniture(text)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Covid-19 spread quickly across Europe.", []),
        ("en", "The summit opens at 4 pm on March 3.", []),
        ("en", "He was first elected in 2008 and again in 2012.", []),
        ("en", "It was the third time the council met.", []),
        ("en", "Covid-19 killed 12,000 people in 2021.", ["12,000"]),
        ("en", "Prices rose 4.5% in May.", ["4.5", "%"]),
        ("fr", "Le conseil se réunira à 16 heures.", []),
        ("fr", "La réunion a eu lieu le 21 septembre 2022.", []),
        ("fr", "C'est la 3e fois que le sommet est reporté.", []),
        ("fr", "Le G7 se réunit au Japon.", []),
        ("fr", "La dette atteint trois milliards d'euros.", ["trois", "milliards"]),
        # Issue 13.6 on the tune half: names, pairs and dating phrases are no counts;
        # spelled-out counts, units glued to the number and durations are.
        ("en", "He warned that World War 3 could start within months.", []),
        ("en", "Temperatures fell to -25C in the north overnight.", ["-25C"]),
        ("en", "The committee has five members and a chair.", ["five"]),
        ("en", "He spent 12 years in prison for the attack.", ["12"]),
        ("en", "Twelve years ago, the factory closed its doors.", []),
        ("fr", "L'explosion a fait trois morts et douze blessés.", ["trois", "douze"]),
        ("fr", "Les deux partis ont signé l'accord hier soir.", []),
    ],
)
def test_quantities_are_measures_not_names_times_years_or_ordinals(
    language: str, text: str, expected: list[str]
) -> None:
    doc = load_spacy_model(language)(text)
    assert quantities(doc[:]) == expected


@pytest.mark.parametrize(
    ("language", "text", "statistic"),
    [
        ("en", "Covid-19 spread quickly across Europe in the spring.", False),
        ("en", "The meeting started at 16:00 in the town hall.", False),
        ("en", "Unemployment fell to 3.9 percent in March.", True),
        ("fr", "Le Covid-19 s'est propagé en Europe au printemps 2020.", False),
        ("fr", "Le conseil municipal se réunira à 16 heures.", False),
        ("fr", "Le gouvernement a débloqué 2 milliards d'euros.", True),
    ],
)
def test_claim_type_statistic_only_for_real_quantities(
    language: str, text: str, statistic: bool
) -> None:
    score = features_scorer(text, language)
    assert (score.claim_type == "statistic") is statistic, score


def test_claim_type_reads_the_claims_own_words_not_the_clause_left_out() -> None:
    # The relative clause is a claim of its own; the main claim has no quantity.
    doc = load_spacy_model("en")(
        "Finland, which shares a 833-mile border with Russia, joined NATO last year."
    )
    which = next(t.i for t in doc if t.lower_ == "which")
    comma = next(t.i for t in doc if t.text == "," and t.i > which)
    whole = score_sentence(doc[:], "en")
    main = score_sentence(doc[:], "en", left_out=[(which, comma + 1)])
    assert whole.claim_type == "statistic"
    assert main.claim_type != "statistic", main


def test_the_claims_context_reaches_the_model() -> None:
    # The same words scored as a direct quote, as reported speech and as the
    # journalist's own statement: the context features carry weight of their own.
    doc = load_spacy_model("fr")(
        "Le chômage a reculé de 0,3 point au premier trimestre."
    )
    direct = score_sentence(doc[:], "fr", quote_type="direct")
    indirect = score_sentence(doc[:], "fr", quote_type="indirect")
    outlet = score_sentence(doc[:], "fr", quote_type="none", outlet_speaks=True)
    assert score_sentence(doc[:], "fr") == direct  # alone: a speaker's own words
    assert len({direct.value, indirect.value, outlet.value}) == 3


def test_scoring_takes_the_vector_as_an_argument() -> None:
    doc = load_spacy_model("en")("The government spent $4.2 billion last year.")
    plain = score_sentence(doc[:], "en")
    zero = score_sentence(doc[:], "en", embedding=[0.0] * 384)
    assert plain.value != zero.value  # the E5-aware weights were used


QUOTES = {
    "en": (
        '"We have delivered 40,000 tonnes of grain to the region since May," '
        "the agriculture minister, Anna Berg, said on Tuesday.\n\n"
        "Good morning and welcome to our live coverage.\n\n"
        "Sign up for our morning newsletter.\n\n"
        "What happens next?"
    ),
    "fr": (
        "« Nous avons livré 40 000 tonnes de céréales dans la région depuis mai », "
        "a déclaré mardi la ministre de l'Agriculture, Anne Berger.\n\n"
        "Bonjour et bienvenue dans notre direct.\n\n"
        "Inscrivez-vous à notre newsletter du matin.\n\n"
        "Que va-t-il se passer maintenant ?"
    ),
}


def _ranked(extractor: SentenceExtractor, language: str) -> list[tuple[str, float]]:
    article = Article(id=language, text=QUOTES[language], language=language)
    claims = sorted(extractor.extract(article), key=lambda c: -c.checkworthiness)
    return [(c.text, c.checkworthiness) for c in claims]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_officials_factual_quote_ranks_first_and_high(language: str) -> None:
    ranked = _ranked(SentenceExtractor(use_embeddings=False), language)
    text, value = ranked[0]
    assert "40" in text and value >= 0.5, ranked


@pytest.mark.integration
@pytest.mark.parametrize("language", ["en", "fr"])
def test_with_e5_facts_outrank_chatter_and_quotes_rank_first(language: str) -> None:
    extractor = SentenceExtractor()
    text, value = _ranked(extractor, language)[0]
    assert "40" in text and value >= 0.5
    facts = [
        Article(id=f"f{i}", text=t, language=language)
        for i, t in enumerate(FACTS[language])
    ]
    chatter = [
        Article(id=f"c{i}", text=t, language=language)
        for i, t in enumerate(CHATTER[language])
    ]
    scores = {
        kind: [
            c.checkworthiness
            for claims in extractor.extract_many(group)
            if isinstance(claims, list)
            for c in claims
        ]
        for kind, group in (("facts", facts), ("chatter", chatter))
    }
    assert min(scores["facts"]) > max(scores["chatter"], default=0.0), scores


DEBATE = Path(__file__).parent / "data" / "extraction" / "clef-debate-tiny.tsv"


def test_clef_reader_keeps_every_line_and_label() -> None:
    rows = checkworthiness.read_clef(DEBATE)
    assert len(rows) == 12
    assert [i + 1 for i, r in enumerate(rows) if r.label] == [5, 9, 12]
    assert rows[1].text == "(APPLAUSE)"


def test_clef_reader_refuses_a_line_without_a_label(tmp_path: Path) -> None:
    broken = tmp_path / "debate.tsv"
    broken.write_text("1\tSMITH\tTaxes went up.\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="label"):
        checkworthiness.read_clef(broken)


@pytest.mark.integration
def test_eval_checkworthiness_clef_format_through_the_cli() -> None:
    result = CliRunner().invoke(
        cli, ["eval", "checkworthiness", "--format", "clef", str(DEBATE)]
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert (metrics["files"], metrics["sentences"], metrics["positives"]) == (1, 12, 3)
    assert metrics["model"] == "features+e5"
    # The three factual lines with numbers outrank greetings, questions and slogans.
    assert metrics["map"] == 1.0, metrics


# Sentences written for this test, each with its translation: the same claim or the
# same chatter should get about the same score in either language.
TRANSLATIONS = {
    "facts": [
        (
            "Le chômage a reculé à 7,1 % au premier trimestre, selon l'Insee.",
            "Unemployment fell to 7.1 percent in the first quarter, Insee said.",
        ),
        (
            "La police a interpellé 27 personnes après la manifestation à Lyon.",
            "Police arrested 27 people after the protest in Lyon.",
        ),
        (
            "Le ministre a annoncé la fermeture de trois centrales d'ici 2027.",
            "The minister announced the closure of three power plants by 2027.",
        ),
        (
            "L'entreprise a supprimé 1 200 emplois en France l'an dernier.",
            "The company cut 1,200 jobs in France last year.",
        ),
    ],
    "chatter": [
        (
            "Je pense que c'est une très belle journée.",
            "I think it is a very beautiful day.",
        ),
        (
            "Nous sommes très heureux d'être ici ce soir.",
            "We are very happy to be here tonight.",
        ),
        ("C'est une honte, franchement.", "Frankly, it is a disgrace."),
        (
            "Merci à tous d'être venus si nombreux.",
            "Thank you all for coming in such numbers.",
        ),
    ],
}


def _logit(probability: float) -> float:
    probability = min(max(probability, 1e-4), 1 - 1e-4)  # scores are rounded to 1e-4
    return math.log(probability / (1 - probability))


@pytest.mark.integration
def test_with_e5_french_and_english_score_on_one_scale() -> None:
    # The E5 model once learned "French means check-worthy" from French training
    # data that had positives only: every French claim scored 0.99-1.0, so nothing
    # ranked and nothing fell below the 0.5 cut-off.
    scores = {}
    for kind, pairs in TRANSLATIONS.items():
        french = checkworthiness.score_texts([fr for fr, _ in pairs], "fr")
        english = checkworthiness.score_texts([en for _, en in pairs], "en")
        scores[kind] = list(zip(french, english, strict=True))
    gaps = [_logit(fr) - _logit(en) for pairs in scores.values() for fr, en in pairs]
    assert abs(sum(gaps) / len(gaps)) < 1.5, scores  # odds within a factor of 4.5
    french_facts = [fr for fr, _ in scores["facts"]]
    french_chatter = [fr for fr, _ in scores["chatter"]]
    assert max(french_chatter) < 0.5 <= min(french_facts), scores


def _trainer() -> object:
    return benchmark_script("train_checkworthiness")


def test_trainer_news_cache_follows_the_tune_half_not_the_report_half(
    tmp_path: Path,
) -> None:
    # The trainer caches the extractor's claims of the tune articles; a tune article
    # added by an annotator must re-run them (the cache was once keyed by the
    # extractor's code only, so new tune articles were silently left out).
    trainer = _trainer()
    digest = trainer.tune_digest  # type: ignore[attr-defined]
    tune: dict[str, object] = {"id": "fr_a", "split": "tune", "claims": []}
    report: dict[str, object] = {"id": "fr_b", "split": "report", "claims": []}
    gold = tmp_path / "gold.jsonl"

    def write(*records: Mapping[str, object]) -> str:
        gold.write_text("".join(json.dumps(r) + "\n" for r in records) + "\n")
        return str(digest(gold))

    first = write(tune, report)
    assert write(tune) == first  # the report half is not read
    assert write(tune, {**report, "claims": [{"checkworthy": False}]}) == first
    assert write(tune, {**tune, "id": "fr_c"}, report) != first  # a new tune article
    assert write({**tune, "claims": [{"checkworthy": False}]}, report) != first
