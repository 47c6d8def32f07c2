"""Round 10: the check-worthiness trainer reads several news gold files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.benchmark_scripts import benchmark_script


def _trainer() -> object:
    return benchmark_script("train_checkworthiness")


def _rows(trainer: object, article: str, language: str, n: int) -> object:
    width = len(trainer.feature_names())  # type: ignore[attr-defined]
    keys = [f"news:{article}:{i}" for i in range(n)]
    return trainer.NewsRows(  # type: ignore[attr-defined]
        keys,
        np.full((n, width), float(n)),
        {key: np.full(3, float(i)) for i, key in enumerate(keys)},
        [i % 2 for i in range(n)],
        [article] * n,
        [language] * n,
        [True] * n,
        [f"claim {i}" for i in range(n)],
        ["other"] * n,
        ["none"] * n,
        [False] * n,
    )


def test_news_rows_of_two_gold_files_stack_with_one_group_per_article() -> None:
    trainer = _trainer()
    merged = trainer.merge_news(  # type: ignore[attr-defined]
        [_rows(trainer, "fr_a", "fr", 2), _rows(trainer, "fr_b", "fr", 3)]
    )
    assert merged.groups == ["fr_a"] * 2 + ["fr_b"] * 3
    assert merged.x.shape == (5, len(trainer.feature_names()))  # type: ignore[attr-defined]
    assert merged.x[:, 0].tolist() == [2.0, 2.0, 3.0, 3.0, 3.0]  # rows stay aligned
    assert set(merged.vectors) == set(merged.keys) and len(merged.keys) == 5
    assert len(merged.texts) == len(merged.outlet_speaks) == 5


def test_an_article_in_two_gold_files_is_refused() -> None:
    trainer = _trainer()
    with pytest.raises(SystemExit, match="fr_a"):
        trainer.merge_news(  # type: ignore[attr-defined]
            [_rows(trainer, "fr_a", "fr", 2), _rows(trainer, "fr_a", "fr", 1)]
        )


def test_each_news_gold_file_needs_its_own_folder(tmp_path: Path) -> None:
    trainer = _trainer()
    parse = trainer.parse_args  # type: ignore[attr-defined]
    common = ["--clef", "c", "--claimbuster", "b", "--cache", str(tmp_path / "x")]
    args = parse([*common, "--news-gold", "g1", "g2", "--news-dir", "d1", "d2"])
    assert args.news_gold == [Path("g1"), Path("g2")]
    assert args.news_dir == [Path("d1"), Path("d2")]
    with pytest.raises(SystemExit):
        parse([*common, "--news-gold", "g1", "g2", "--news-dir", "d1"])
