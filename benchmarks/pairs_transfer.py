"""Score the shipped pair model on pair files, per kind and language pair, briefly.

Usage:
    .venv/bin/python benchmarks/pairs_transfer.py \
        benchmarks/data/pairs-news-2.tune.jsonl --cache /tmp/pairs-r9/train [--failures]

The same decisions as ``claimtrack eval matching`` (the product's thresholds and
guards, ``claimtrack.evaluate.matching``), with the vectors kept in the trainer's
cache (``benchmarks/train_matching.py --cache``) so that a re-run embeds nothing, and
a short table instead of the full JSON. ``--failures`` lists the wrong same links and
the restatements that were not linked same.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_matching import VectorCache

from claimtrack.decision import PairModel
from claimtrack.evaluate.matching import (
    RESTATEMENT_KINDS,
    decide_pairs,
    decision_scores,
    load_pairs,
)
from claimtrack.plugins import get_embedder


class CachedEmbedder:
    """The embedder's vectors, read from the trainer's cache (embedding what is new)."""

    def __init__(self, cache: VectorCache) -> None:
        self.cache = cache
        self.model_id = cache.embedder.model_id

    def embed_all(self, texts: Sequence[str]) -> list[np.ndarray]:
        self.cache.embed(texts)
        return [self.cache[t] for t in texts]


def _rate(hits: int, total: int) -> str:
    return f"{hits}/{total}" if total else "-"


def report(path: Path, cache: VectorCache, failures: bool) -> None:
    pairs = load_pairs(path)
    model = PairModel.load(cache.embedder.model_id)
    decisions = decide_pairs(pairs, CachedEmbedder(cache), model)  # type: ignore[arg-type]
    overall = decision_scores(pairs, decisions)
    restated = [
        i
        for i, p in enumerate(pairs)
        if p.label == "same" and p.kind.startswith(RESTATEMENT_KINDS)
    ]
    linked = sum(decisions[i].decision == "same" for i in restated)
    print(f"{path.name}: {len(pairs)} pairs, thresholds {model.thresholds}")
    print(
        f"  same precision {overall['same']['precision']}"
        f" ({overall['decisions'].get('same', 0)} links),"
        f" restatement recall {round(linked / max(len(restated), 1), 4)}"
        f" ({linked}/{len(restated)}), same+suggested recall"
        f" {overall['suggested']['recall_same_or_suggested']},"
        f" opposite P/R {overall['opposite']['precision']}"
        f" / {overall['opposite']['recall']}"
    )
    kinds = sorted({p.kind for p in pairs})
    print("  linked same, per kind:")
    for kind in kinds:
        rows = [i for i, p in enumerate(pairs) if p.kind == kind]
        same = sum(decisions[i].decision == "same" for i in rows)
        opposite = sum(decisions[i].decision == "opposite" for i in rows)
        print(
            f"    {kind:28} {_rate(same, len(rows)):>7}"
            f"   opposite {_rate(opposite, len(rows))}"
        )
    print("  per language pair (same precision / recall):")
    for languages in sorted({p.languages for p in pairs}):
        rows = [i for i, p in enumerate(pairs) if p.languages == languages]
        scores = decision_scores([pairs[i] for i in rows], [decisions[i] for i in rows])
        print(
            f"    {languages}: {scores['same']['precision']}"
            f" / {scores['same']['recall']} ({len(rows)} pairs)"
        )
    if failures:
        print("  wrong same links and missed restatements:")
        for pair, decision in zip(pairs, decisions, strict=True):
            wrong = decision.decision == "same" and pair.label != "same"
            missed = pair.label == "same" and decision.decision != "same"
            if wrong or missed:
                print(
                    f"    [{pair.kind} {decision.decision}"
                    f" P={decision.probability:.2f}] {pair.a!r} || {pair.b!r}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pairs", type=Path, nargs="+")
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--model", default="e5-minilm")
    parser.add_argument("--failures", action="store_true")
    args = parser.parse_args()
    for path in args.pairs:
        if not path.is_file():
            raise SystemExit(f"no pair file {path}")
    cache = VectorCache(args.cache, get_embedder(args.model))
    for path in args.pairs:
        report(path, cache, args.failures)


if __name__ == "__main__":
    main()
