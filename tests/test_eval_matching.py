"""claimtrack eval matching: pair files, scores, and the command with real models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.decision import PairDecision
from claimtrack.errors import ConfigError
from claimtrack.evaluate.matching import (
    LabelledPair,
    decision_scores,
    evaluate_matching,
    load_pairs,
)
from claimtrack.testing import FakeEmbedder

TINY = Path(__file__).parent / "data" / "pairs-tiny.jsonl"


def _pair(label: str, kind: str = "paraphrase") -> LabelledPair:
    return LabelledPair("a", "b", label, kind, "en", "fr")


def _decision(kind: str | None) -> PairDecision:
    return PairDecision(kind, 0.5, "test")  # type: ignore[arg-type]


def test_load_pairs_reads_the_tiny_file() -> None:
    pairs = load_pairs(TINY)
    assert len(pairs) == 10
    assert pairs[1].languages == "en-fr"
    assert pairs[8].speaker_b == "Joe Biden"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not a pair line"),
        ('{"a": "x", "label": "same"}', "not a pair line"),
        ('{"a": "x", "b": "y", "label": "maybe"}', "is not one of"),
    ],
)
def test_bad_pair_files_say_what_is_wrong(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(ConfigError, match=message):
        load_pairs(path)


def test_empty_pair_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n")
    with pytest.raises(ConfigError, match="no pairs"):
        load_pairs(path)


def test_decision_scores_count_precision_and_recall() -> None:
    pairs = [_pair("same"), _pair("same"), _pair("different"), _pair("opposite")]
    decisions = [
        _decision("same"),
        _decision("suggested"),
        _decision("same"),
        _decision("opposite"),
    ]
    scores = decision_scores(pairs, decisions)
    assert scores["same"] == {"precision": 0.5, "recall": 0.5}
    assert scores["suggested"] == {"precision": 1.0, "recall_same_or_suggested": 1.0}
    assert scores["opposite"] == {"precision": 1.0, "recall": 1.0}
    assert scores["decisions"] == {"opposite": 1, "same": 2, "suggested": 1}


def test_no_decision_gives_no_precision() -> None:
    scores = decision_scores([_pair("different")], [_decision(None)])
    assert scores["same"]["precision"] is None
    assert scores["decisions"] == {"None": 1}


def test_evaluate_matching_reports_kinds_and_language_pairs() -> None:
    result = evaluate_matching(load_pairs(TINY), FakeEmbedder())
    assert set(result["by_kind"]) >= {"paraphrase", "translation", "number", "requote"}
    assert set(result["by_languages"]) == {"en-en", "en-fr", "fr-fr"}
    assert result["by_kind"]["requote"]["right_decision_rate"] == 1.0
    assert result["overall"]["pairs"] == 10
    assert 0.0 < result["thresholds"]["same"] <= 1.0


def test_cli_eval_matching_with_the_fake_embedder() -> None:
    result = CliRunner().invoke(cli, ["eval", "matching", str(TINY), "-m", "fake"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["model"] == "fake/bag-of-words"
    assert figures["overall"]["labels"] == {"different": 5, "opposite": 2, "same": 3}


def test_cli_eval_matching_refuses_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"a": 1}\n')
    result = CliRunner().invoke(cli, ["eval", "matching", str(path), "-m", "fake"])
    assert result.exit_code != 0
    assert "not a pair line" in result.output
    assert "Traceback" not in result.output


@pytest.mark.integration
def test_eval_matching_with_the_real_default_embedder() -> None:
    """The shipped model and e5-minilm on pairs written for this test."""
    result = CliRunner().invoke(cli, ["eval", "matching", str(TINY)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)  # stderr has the models' loading bars
    assert figures["model"].startswith("claimtrack/multilingual-e5-small")
    by_kind = figures["by_kind"]
    # Changed numbers and dates, hedges and re-attributed quotes are never "same".
    for kind in ("number", "date", "hedge", "requote", "same-article"):
        assert by_kind[kind]["linked_same_rate"] == 0.0, kind
    # The restatements are found: the FR<->EN translations as "same", the English
    # paraphrase at least as a suggestion (same-language paraphrases are the weak
    # spot of the shipped model, benchmarks/README.md).
    assert by_kind["translation"]["linked_same_rate"] == 1.0
    assert by_kind["paraphrase"]["suggested"]["recall_same_or_suggested"] == 1.0
    # The negation and the antonym are opposites, in French and in English.
    assert by_kind["negation"]["right_decision_rate"] == 1.0
    assert by_kind["antonym"]["right_decision_rate"] == 1.0
    assert figures["overall"]["same"]["precision"] == 1.0
    assert sum(figures["overall"]["labels"].values()) == 10
