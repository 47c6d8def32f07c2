"""Tests of the news-gold scorer: a tiny synthetic gold and a scripted extractor."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.errors import ArticleError
from claimtrack.evaluate import news_gold
from claimtrack.extract import Extractor
from claimtrack.models import Article, Claim, QuoteType, make_claim_id

TITLE = "Council backs new bridge"
BYLINE = "By Jane Roe, Staff Writer"
P1 = (
    "The city council approved a budget of 12 million euros for the bridge on Monday, "
    "the mayor, Anna Lind, said."
)
P2 = "She said the works would start in May. Subscribe to our newsletter."
P3 = "Opponents say the bridge will double traffic. The council denies it."
TEXT = "\n\n".join([TITLE, BYLINE, P1, P2, P3])
OUTLET = "Daily Test"


def _span(snippet: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(snippet)
    return start, start + len(snippet)


def _sha16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _gold_claim(
    sentence: str, claim: str, speaker: str, quote: str, checkworthy: bool
) -> dict[str, Any]:
    start, end = _span(sentence)
    return {
        "text": claim,
        "speaker": speaker,
        "speaker_is_outlet": speaker == OUTLET,
        "quote_type": quote,
        "checkworthy": checkworthy,
        "sentence_start": start,
        "sentence_end": end,
        "sentence_sha256": _sha16(sentence),
    }


def _gold() -> dict[str, Any]:
    return {
        "id": "test_article",
        "source": "articles.jsonl#test_article",
        "language": "en",
        "outlet": OUTLET,
        "sha256": hashlib.sha256(TEXT.encode("utf-8")).hexdigest(),
        "split": "tune",
        "headings": [[*_span(TITLE), _sha16(TITLE)]],
        "boilerplate": [[*_span(BYLINE), _sha16(BYLINE)]],
        "claims": [
            _gold_claim(
                P1,
                "The city council approved a budget of 12 million euros for the bridge "
                "on Monday.",
                "Anna Lind",
                "indirect",
                True,
            ),
            _gold_claim(
                "She said the works would start in May.",
                "The works on the bridge would start in May.",
                "Anna Lind",
                "indirect",
                False,
            ),
            _gold_claim(
                "Opponents say the bridge will double traffic.",
                "The bridge will double traffic.",
                "Opponents",
                "indirect",
                True,
            ),
            _gold_claim(
                "The council denies it.",
                "The city council denies that the bridge will double traffic.",
                OUTLET,
                "none",
                False,
            ),
        ],
    }


BUDGET = (
    "The city council approved a budget of 12 million euros for the bridge on Monday"
)
# (span snippet, claim text, speaker, quote type, check-worthiness)
PREDICTED: list[tuple[str, str, str | None, QuoteType, float]] = [
    (TITLE, TITLE, OUTLET, "none", 0.9),  # inside the title: left out
    (BYLINE, BYLINE, OUTLET, "none", 0.8),  # boilerplate (gold span)
    (
        BUDGET,
        BUDGET,
        "the mayor, Anna Lind",
        "indirect",
        0.7,
    ),
    (
        "the works would start in May",
        "the works would start in May",
        "She",
        "direct",
        0.6,
    ),
    (
        "Subscribe to our newsletter.",
        "Subscribe to our newsletter.",
        OUTLET,
        "none",
        0.5,
    ),
    (
        # crosses the paragraph break: merged, so a match but not a strict one
        "In May. Subscribe to our newsletter.\n\nOpponents say the bridge will double",
        "Opponents say the bridge will double traffic",
        "Opponents",
        "mixed",
        0.95,
    ),
    ("The council denies it.", "It denies it.", None, "none", 0.1),
]


class ScriptedExtractor(Extractor):
    """Returns the claims of PREDICTED, whatever the article."""

    name = "scripted"

    def extract(self, article: Article) -> Iterator[Claim]:
        for position, (snippet, text, speaker, quote, score) in enumerate(PREDICTED):
            lowered = article.text.lower()
            start = lowered.index(snippet.lower())
            end = start + len(snippet)
            yield Claim(
                id=make_claim_id(article.id, start, end, text),
                article_id=article.id,
                position=position,
                text=text,
                sentence=article.text[start:end],
                char_start=start,
                char_end=end,
                sentence_start=start,
                sentence_end=end,
                speaker=speaker,
                quote_type=quote,
                checkworthiness=score,
            )


def fake_pronouns(texts: Sequence[str], language: str) -> news_gold.PronounCheck:
    """Subject pronoun = the text starts with a pronoun (no parser in unit tests)."""
    first = [t.split()[0].lower() in news_gold.PRONOUNS[language] for t in texts]
    return news_gold.PronounCheck(subject=first, first_word=first)


@pytest.fixture
def news_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    record = {"id": "test_article", "language": "en", "outlet": OUTLET, "text": TEXT}
    (folder / "articles.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def gold_path(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(_gold()) + "\n", encoding="utf-8")
    return path


def _evaluate(gold_path: Path, news_dir: Path, **options: Any) -> dict[str, Any]:
    return news_gold.evaluate(
        gold_path,
        news_dir,
        ScriptedExtractor(),
        pronoun_check=fake_pronouns,
        show_errors=True,
        **options,
    )


def test_figures_on_a_tiny_gold(gold_path: Path, news_dir: Path) -> None:
    result = _evaluate(gold_path, news_dir)
    en = result["languages"]["en"]
    assert en["heading_claims"] == 1
    assert en["predicted_claims"] == 6  # the title claim is left out
    assert en["gold_claims"] == 4
    # budget, works and traffic (merged); "It denies it." is too far from the
    # stand-alone gold claim (token F1 0.15)
    assert en["matched"] == 3
    assert en["recall"] == 0.75
    assert en["precision"] == 0.5
    assert en["strict_precision"] == pytest.approx(2 / 6, abs=1e-4)
    # right: "the mayor, Anna Lind", "Opponents"; wrong: "She"
    assert en["speaker_accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    # right: indirect, mixed (= indirect); wrong: direct for indirect
    assert en["quote_type_accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert en["boilerplate_claims"] == 2  # the byline span and "Subscribe" pattern
    assert en["merged_paragraph_claims"] == 1
    assert en["pronoun_subject_share"] == pytest.approx(1 / 6, abs=1e-4)
    # ranked by score: traffic (cw), byline, budget (cw), works, subscribe, denies
    assert en["checkworthy_average_precision"] == pytest.approx(
        (1 + 2 / 3) / 2, abs=1e-4
    )
    assert en["checkworthy_random_order"] == pytest.approx(2 / 6, abs=1e-4)
    errors = result["articles"][0]["errors"]
    assert errors["missed"] == [
        "The city council denies that the bridge will double traffic."
    ]
    assert errors["boilerplate"] == [BYLINE, "Subscribe to our newsletter."]
    assert errors["wrong_speakers"] == [
        {
            "gold": "Anna Lind",
            "predicted": "She",
            "claim": "The works on the bridge would start in May.",
        }
    ]
    assert result["splits"]["report"] == {}


def test_split_filters_articles(gold_path: Path, news_dir: Path) -> None:
    assert _evaluate(gold_path, news_dir, split="tune")["languages"]["en"]["articles"]
    with pytest.raises(ArticleError, match="no gold article in split 'report'"):
        _evaluate(gold_path, news_dir, split="report")


def test_changed_text_is_realigned_by_hash(
    gold_path: Path, news_dir: Path, tmp_path: Path
) -> None:
    # The text read now has an extra line at the top and lost the last paragraph.
    changed = "Advertisement\n\n" + TEXT.replace("\n\n" + P3, "")
    record = {"id": "test_article", "language": "en", "outlet": OUTLET, "text": changed}
    (news_dir / "articles.jsonl").write_text(json.dumps(record), encoding="utf-8")
    gold = news_gold.read_gold(gold_path)[0]
    spans = news_gold.locate(gold, changed)
    assert spans.not_found == 2  # the two claims of the lost paragraph
    assert spans.headings == [_span(TITLE, changed)]
    assert spans.sentences[0] == _span(P1, changed)


def test_speaker_rule() -> None:
    claim = news_gold.GoldClaim(
        text="x",
        speaker="Jagannath Niroula",
        quote_type="direct",
        checkworthy=True,
        sentence_start=0,
        sentence_end=1,
        sentence_sha256="0",
    )
    assert news_gold.same_speaker("Niroula", claim, "Reuters")
    assert not news_gold.same_speaker(
        "Jagannath",
        claim.model_copy(update={"speaker": "Jagannath Kumar Niroula"}),
        None,
    )
    minister = claim.model_copy(
        update={
            "speaker": "Gunnar Strömmer",
            "speaker_aliases": ["Sweden's Minister of Justice"],
        }
    )
    assert news_gold.same_speaker("the Minister of Justice", minister, None)
    assert news_gold.same_speaker("Strömmer", minister, None)
    assert not news_gold.same_speaker("Sweden", minister, None)
    assert news_gold.same_speaker("Jagannath Niroula, a CAAN spokesperson", claim, None)
    assert not news_gold.same_speaker("he", claim, None)
    assert not news_gold.same_speaker(None, claim, None)
    assert news_gold.speaker_tokens("M. Peskov") <= news_gold.speaker_tokens(
        "Dmitri Peskov"
    )
    assert news_gold.speaker_tokens("l’Élysée") == frozenset({"elysee"})
    outlet = claim.model_copy(update={"speaker": "Reuters", "speaker_is_outlet": True})
    assert news_gold.same_speaker(None, outlet, "Reuters")
    assert news_gold.same_speaker("Reuters", outlet, "Reuters")
    assert not news_gold.same_speaker("Niroula", outlet, "Reuters")
    # the outlet as annotated, or as a reader that cleans outlet names gives it now
    lemonde = outlet.model_copy(update={"speaker": "Le Monde.fr"})
    assert news_gold.same_speaker("Le Monde", lemonde, "Le Monde.fr", "Le Monde")
    assert news_gold.same_speaker("Le Monde.fr", lemonde, None, "Le Monde")


def test_alignment_needs_overlap_with_the_gold_sentence() -> None:
    gold = news_gold.GoldArticle.model_validate(_gold()).claims
    sentences = [(c.sentence_start, c.sentence_end) for c in gold]
    start, end = _span(P3)
    elsewhere = Claim(
        id="c",
        article_id="a",
        position=0,
        text=gold[0].text,  # the budget claim's words, but from the last paragraph
        sentence=P3,
        char_start=start,
        char_end=end,
        sentence_start=start,
        sentence_end=end,
    )
    assert news_gold.align([elsewhere], gold, sentences) == {}


def test_bad_gold_line_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(ArticleError, match=r"line 1: not a news-gold article"):
        news_gold.read_gold(path)


def test_cli_needs_articles_dir_with_news_gold(gold_path: Path, news_dir: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(
        cli, ["eval", "extraction", str(gold_path), "--format", "news-gold"]
    )
    assert missing.exit_code == 2
    assert "ARTICLES_DIR goes with --format news-gold" in missing.output
    extra = runner.invoke(cli, ["eval", "extraction", str(gold_path), str(news_dir)])
    assert extra.exit_code == 2
    bad = gold_path.with_name("bad.jsonl")
    bad.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(
        cli,
        ["eval", "extraction", str(bad), str(news_dir), "--format", "news-gold"],
    )
    assert result.exit_code == 1
    assert "not a news-gold article" in result.output
    assert "Traceback" not in result.output


NEWS_DATA = Path(__file__).parent / "data" / "news-gold"


def _gold_for(
    article: Article,
    source: str,
    headings: Sequence[str],
    boilerplate: Sequence[str],
    claims: Sequence[tuple[str, str, str | None, str, bool]],
) -> dict[str, Any]:
    """A gold line for one of our own test articles, offsets found from snippets."""

    def span(snippet: str) -> list[Any]:
        start, end = _span(snippet, article.text)
        return [start, end, _sha16(snippet)]

    items = []
    for sentence, text, speaker, quote, checkworthy in claims:
        start, end, digest = span(sentence)
        items.append(
            {
                "text": text,
                "speaker": speaker or article.outlet,
                "speaker_is_outlet": speaker is None,
                "quote_type": quote,
                "checkworthy": checkworthy,
                "sentence_start": start,
                "sentence_end": end,
                "sentence_sha256": digest,
            }
        )
    return {
        "id": source.rpartition("/")[2].removesuffix(".html").rpartition("#")[2],
        "source": source,
        "language": article.language,
        "outlet": article.outlet,
        "sha256": article.text_sha256,
        "split": "report",
        "headings": [span(h) for h in headings],
        "boilerplate": [span(b) for b in boilerplate],
        "claims": items,
    }


@pytest.mark.integration
def test_news_gold_command_with_the_real_extractor(tmp_path: Path) -> None:
    from claimtrack.sources import read_articles

    page = "html/fr_valmont_piscine.html"
    english = next(iter(read_articles([NEWS_DATA / "articles.jsonl"])))
    french = next(iter(read_articles([NEWS_DATA / page])))
    lines = [
        _gold_for(
            english,
            "articles.jsonl#portville_pier",
            ["Harbour town votes to rebuild its old pier"],
            [
                "By Tom Reed, Coast Reporter",
                "PORTVILLE —",
                "Subscribe to our newsletter for more local news.",
            ],
            [
                (
                    "The town council approved a budget of 4 million euros",
                    "The town council approved a budget of 4 million euros to rebuild "
                    "the old pier on Monday.",
                    "Clara Wint",
                    "indirect",
                    True,
                ),
                (
                    "The pier was closed in 2019 after a storm damaged its supports.",
                    "The pier was closed in 2019 after a storm damaged its supports.",
                    None,
                    "none",
                    True,
                ),
                (
                    '"Work will begin in March and will last eighteen months," Wint '
                    "told reporters.",
                    "Work on the pier will begin in March and will last eighteen "
                    "months.",
                    "Clara Wint",
                    "direct",
                    False,
                ),
                (
                    "Local fishermen say the new pier will bring back visitors.",
                    "The new pier will bring back visitors.",
                    "Local fishermen",
                    "indirect",
                    False,
                ),
                (
                    "The council expects 30,000 visitors a year.",
                    "The council expects 30,000 visitors a year to the pier.",
                    None,
                    "none",
                    True,
                ),
            ],
        ),
        _gold_for(
            french,
            page,
            ["La ville de Valmont rouvre sa piscine municipale"],
            ["Lire aussi : Valmont inaugure sa nouvelle médiathèque"],
            [
                (
                    "La piscine municipale de Valmont rouvrira le 1er juin",
                    "La piscine municipale de Valmont rouvrira le 1er juin après deux "
                    "ans de travaux.",
                    "la mairie",
                    "indirect",
                    True,
                ),
                (
                    "Les travaux ont coûté 6 millions d'euros, dont la moitié payée "
                    "par la région, selon le maire, Paul Girard.",
                    "Les travaux de la piscine ont coûté 6 millions d'euros, dont la "
                    "moitié payée par la région.",
                    "Paul Girard",
                    "indirect",
                    True,
                ),
                (
                    "« Le bassin est désormais chauffé par des panneaux solaires », "
                    "explique-t-il.",
                    "Le bassin de la piscine est désormais chauffé par des panneaux "
                    "solaires.",
                    "Paul Girard",
                    "direct",
                    False,
                ),
                (
                    "« La facture d'énergie baissera de 40 % », assure l'adjoint aux "
                    "sports, Karim Benali.",
                    "La facture d'énergie de la piscine baissera de 40 %.",
                    "Karim Benali",
                    "direct",
                    True,
                ),
                (
                    "Elle accueillera aussi les écoles",
                    "La piscine de Valmont accueillera aussi les écoles de la commune "
                    "trois matinées par semaine.",
                    None,
                    "none",
                    False,
                ),
            ],
        ),
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            "extraction",
            str(gold),
            str(NEWS_DATA),
            "--format",
            "news-gold",
            "--split",
            "report",
            "--show-errors",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report["languages"]) == {"en", "fr"}
    for language, figures in report["languages"].items():
        assert figures["articles"] == 1
        assert figures["gold_sentences_not_found"] == 0
        assert figures["heading_claims"] <= 1, language
        # Plain reporting sentences a working extractor finds, with their speakers.
        assert figures["recall"] >= 0.6, (language, report["articles"])
        assert figures["speaker_accuracy"] >= 0.5, (language, report["articles"])
        assert 0.0 <= figures["pronoun_subject_share"] <= 1.0
    for article in report["articles"]:
        furniture = [
            text
            for text in article["errors"]["unmatched_predicted"]
            if "newsletter" in text.lower() or "lire aussi" in text.lower()
        ]
        counted = report["languages"][article["language"]]["boilerplate_claims"]
        assert counted >= len(furniture), article


@pytest.mark.integration
def test_pronoun_subjects_with_the_real_parsers() -> None:
    english = news_gold.check_pronouns(
        [
            "He said the pier would reopen in March.",
            "The mayor said the pier would reopen.",
            "It is not clear when the pier will reopen.",
            "The pier, she said, will reopen.",
        ],
        "en",
    )
    assert english.subject[:2] == [True, False]
    assert english.first_word == [True, False, True, False]
    french = news_gold.check_pronouns(
        [
            "Il a annoncé la fermeture de la piscine.",
            "La mairie a annoncé la fermeture de la piscine.",
            "Elles seront rénovées en 2027.",
        ],
        "fr",
    )
    assert french.subject == [True, False, True]


@pytest.mark.integration
def test_an_impersonal_il_or_it_is_not_an_unresolved_start() -> None:
    french = news_gold.check_pronouns(
        [
            "Il faut respecter les règles du laboratoire.",
            "Il y a eu trois études sur le produit.",
            "Il est impossible de prouver que le produit est sûr.",
            "Il n'est pas cancérogène.",
            "Elle a fermé la piscine en mai.",
        ],
        "fr",
    )
    assert french.first_word == [True, True, True, True, True]
    assert french.unresolved_start == [False, False, False, True, True]
    english = news_gold.check_pronouns(
        ["It is likely that the pier will reopen.", "It will reopen in May."], "en"
    )
    assert english.unresolved_start == [False, True]


@pytest.mark.integration
def test_it_with_a_verb_of_its_own_is_an_unresolved_start() -> None:
    english = news_gold.check_pronouns(
        ["It instructs people how to keep warm at home."], "en"
    )
    assert english.unresolved_start == [True]
