"""Tests of the extraction and check-worthiness metrics and their eval commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.errors import ArticleError
from claimtrack.evaluate import checkworthiness, extraction
from claimtrack.testing import FakeExtractor

DATA = Path(__file__).parent / "data" / "extraction"


def test_token_f1_ignores_case_and_punctuation() -> None:
    assert extraction.token_f1("The bridge opened.", "the bridge opened") == 1.0
    assert extraction.token_f1("a b", "c d") == 0.0
    assert extraction.token_f1("a b c d", "a b") == pytest.approx(2 / 3)


def test_chrf_is_100_percent_for_identical_text_and_low_for_unrelated() -> None:
    assert extraction.chrf("Le pont a ouvert", "Le pont a ouvert") == pytest.approx(1.0)
    assert extraction.chrf("xyz", "abc") == 0.0
    assert extraction.chrf("", "abc") == 0.0


def test_match_pairs_one_to_one() -> None:
    gold = ["The bridge is 503 metres long.", "The bridge carries eight lanes."]
    assert extraction.match(["The bridge is 503 metres long"], gold) == 1
    assert (
        extraction.match(["It is 503 metres long and carries eight lanes"], gold) == 1
    )
    assert extraction.match(gold, gold) == 2
    assert extraction.match([], gold) == 0


def test_average_precision_and_classification() -> None:
    assert checkworthiness.average_precision(
        [1, 0, 1], [0.9, 0.8, 0.7]
    ) == pytest.approx((1 + 2 / 3) / 2)
    assert checkworthiness.average_precision([0, 0], [0.1, 0.2]) == 0.0
    metrics = checkworthiness.classification([1, 0, 1, 0], [0.9, 0.6, 0.2, 0.1], 0.5)
    assert metrics == {"precision": 0.5, "recall": 0.5, "f1": 0.5}


def test_factcheck_gpt_with_fake_extractor() -> None:
    result = extraction.evaluate_factcheck_gpt(
        DATA / "factcheck-gpt-tiny.jsonl", FakeExtractor()
    )
    assert result["sentences"] == 3
    assert result["gold_claims"] == 3
    assert result["predicted_claims"] == 3  # one per sentence, the question included
    assert result["matched"] == 2
    assert result["baseline_sentence_as_claim"]["recall"] == pytest.approx(
        2 / 3, abs=1e-4
    )


def test_read_clef_labels_from_column_or_from_query_ids() -> None:
    rows = checkworthiness.read_clef(DATA / "clef-tiny.tsv")
    assert [r.label for r in rows] == [0, 1, 0, 1]
    ids = checkworthiness.read_positive_ids(DATA / "tiny.queries.tsv")
    rows = checkworthiness.read_clef(DATA / "2020_jan_01_tiny-transcript.tsv", ids)
    assert [r.label for r in rows] == [0, 1, 0]


def test_unlabelled_transcript_is_a_clear_error() -> None:
    with pytest.raises(ArticleError, match="--positives"):
        checkworthiness.read_clef(DATA / "2020_jan_01_tiny-transcript.tsv")


def test_read_claimbuster_rejects_other_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"sentence": "no label"}\n', encoding="utf-8")
    with pytest.raises(ArticleError, match=r"bad\.jsonl:1"):
        checkworthiness.read_claimbuster(path)


def test_eval_extraction_command_prints_json() -> None:
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            "extraction",
            str(DATA / "factcheck-gpt-tiny.jsonl"),
            "--extractor",
            "fake",
        ],
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert set(metrics) >= {"precision", "recall", "f1", "matching"}


def test_eval_checkworthiness_error_is_one_clean_line() -> None:
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            "checkworthiness",
            str(DATA / "2020_jan_01_tiny-transcript.tsv"),
            "--format",
            "clef",
        ],
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "--positives" in result.output


@pytest.mark.integration
def test_eval_checkworthiness_clef_with_real_models() -> None:
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            "checkworthiness",
            str(DATA / "clef-tiny.tsv"),
            "--format",
            "clef",
            "--no-embeddings",
        ],
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["map"] == 1.0  # the two factual lines outrank the greetings
    assert metrics["sentences"] == 4


@pytest.mark.integration
def test_french_checkworthiness_ranks_facts_above_chatter() -> None:
    metrics = checkworthiness.evaluate(
        [DATA / "checkworthiness-fr.jsonl"], language="fr", use_embeddings=False
    )
    assert metrics["average_precision"] >= 0.9


@pytest.mark.integration
def test_seed_golden_claims_and_speakers() -> None:
    from claimtrack.extract.sentences import SentenceExtractor

    result = extraction.evaluate_golden(DATA / "seed-golden.json", SentenceExtractor())
    assert result["recall"] == 1.0, result["missed"]
    assert result["speaker_accuracy"] >= 0.9, result["wrong_speakers"]
