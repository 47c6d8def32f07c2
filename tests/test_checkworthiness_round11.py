"""Round 11: the E5 check-worthiness model retrained on both golds' tune halves."""

from __future__ import annotations

import json
from importlib import resources


def _packaged(name: str) -> dict[str, object]:
    text = resources.files("claimtrack.extract").joinpath("data", name).read_text()
    packaged: dict[str, object] = json.loads(text)
    return packaged


def test_packaged_e5_model_was_cross_validated_on_both_gold_files() -> None:
    # news-gold's tune half has 5 French and 10 English articles with a check-worthy
    # claim, news-gold-2's 3 and 14 more: a model trained on news-gold alone (round 8)
    # reports 5 / 10 and has never seen the 17 pages of the second gold.
    report = _packaged("checkworthiness-e5.json")["cross_validation"]
    news = report["news_tune_cv"]  # type: ignore[index]
    assert (news["fr"]["articles"], news["en"]["articles"]) == (8, 24)
