"""Does negating one side through the encoder tell an antonym from a restatement?

Usage:
    .venv/bin/python benchmarks/negation_probe.py \
        benchmarks/data/pairs-news.tune.jsonl benchmarks/data/pairs-news-2.tune.jsonl \
        benchmarks/data/pairs-news-3.tune.jsonl --cache /tmp/pairsb

For each pair, each side is negated by claimtrack.decision.negate and embedded; the
gap is how much closer the other side comes to the negation than to the claim,
``cos(A, not B) - cos(A, B)`` averaged over both directions, for each model of the
concatenated embedder. An opposite should gain (or lose little), a restatement lose.
Prints the gap's AUC (opposite against same) per set, over all pairs and over the
pairs the shipped model links same, and how many same pairs of the CheckThat! gold
and the FR<->EN translations a cut on the gap would veto.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from negation_rules import negate
from pairs_transfer import CachedEmbedder
from train_matching import (
    ROOT,
    Pair,
    VectorCache,
    checkthat_pairs,
    news_pairs,
    translation_pairs,
)

from claimtrack.decision import PairModel
from claimtrack.decision.pair_features import batch_cosines
from claimtrack.evaluate.matching import decide_pairs, load_pairs
from claimtrack.extract.sentences import load_spacy_model
from claimtrack.plugins import get_embedder

DATA = Path("/work/shared/benchmark-data")
TRANSLATIONS = ROOT / "benchmarks" / "data" / "fr-en-claim-translations.tsv"
PART_NAMES = ("e5", "minilm")  # the blocks of the e5-minilm vector, in order
# Cuts on the e5 gap tried as a guard (same -> suggested above the cut).
CUTS = (-0.002, 0.0, 0.002, 0.004, 0.006, 0.008)
SCALED_CUTS = (0.0, 0.05, 0.1, 0.15, 0.2)


def auc(positive: Sequence[float], negative: Sequence[float]) -> float | None:
    """P(a positive scores above a negative), ties half.

    Example:
        >>> auc([3, 2], [1, 2])
        0.875
    """
    if not positive or not negative:
        return None
    pos = np.asarray(positive, dtype=float)[:, None]
    neg = np.asarray(negative, dtype=float)[None, :]
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def negations(pairs: Sequence[Pair]) -> dict[tuple[str, str], str | None]:
    texts: dict[str, set[str]] = {"en": set(), "fr": set()}
    for p in pairs:
        texts[p.lang_a].add(p.a)
        texts[p.lang_b].add(p.b)
    negated: dict[tuple[str, str], str | None] = {}
    for language, items in texts.items():
        nlp = load_spacy_model(language)
        ordered = sorted(items)
        for text, doc in zip(ordered, nlp.pipe(ordered, batch_size=64), strict=True):
            negated[(language, text)] = negate(doc, language)
    return negated


def gaps(
    pairs: Sequence[Pair],
    negated: dict[tuple[str, str], str | None],
    cache: VectorCache,
    parts: Sequence[int],
    scaled: bool = False,
) -> np.ndarray:
    """(pairs, parts) gaps; NaN where neither side could be negated.

    ``scaled``: each move divided by how far the negation moved its own side,
    ``1 - cos(B, not B)`` (a sentence the encoder barely negates moves little).
    """
    rows = []
    for p in pairs:
        a, b = cache[p.a], cache[p.b]
        base = batch_cosines(a[None], b[None], parts)[0]
        moves = []
        for text, other, lang in ((p.b, a, p.lang_b), (p.a, b, p.lang_a)):
            flipped = negated.get((lang, text))
            if flipped:
                move = batch_cosines(other[None], cache[flipped][None], parts)[0] - base
                if scaled:
                    own = batch_cosines(cache[text][None], cache[flipped][None], parts)
                    move = move / np.maximum(1 - own[0], 1e-6)
                moves.append(move)
        rows.append(np.mean(moves, axis=0) if moves else np.full(len(parts), np.nan))
    return np.array(rows)


def _same_pairs_only(name: str, gap: np.ndarray, vetoes: dict[str, list[str]]) -> None:
    """Same pairs of another source: how far their gap goes, how many a cut vetoes."""
    for n, part in enumerate(PART_NAMES[: gap.shape[1]]):
        quantiles = np.nanpercentile(gap[:, n], [25, 50, 75, 90, 95]).round(3)
        print(f"{name} ({len(gap)} same pairs) {part}: gap quantiles {quantiles}")
    for key, rows in vetoes.items():
        vetoed = int((np.nan_to_num(gap[:, 0], nan=-1.0) > float(key)).sum())
        rows.append(f"{name} {vetoed}/{len(gap)} vetoed")


def _news_set(
    name: str,
    pairs: Sequence[Pair],
    gap: np.ndarray,
    linked: np.ndarray,
    vetoes: dict[str, list[str]],
) -> None:
    """A labelled set: the gap's AUC, and what a cut does to the same links."""
    same = np.array([p.label == "same" for p in pairs])
    opposite = np.array([p.label == "opposite" for p in pairs])
    for n, part in enumerate(PART_NAMES[: gap.shape[1]]):
        column = gap[:, n]
        ok = ~np.isnan(column)
        every = auc(column[ok & opposite].tolist(), column[ok & same].tolist())
        among_linked = auc(
            column[ok & opposite & linked].tolist(), column[ok & same & linked].tolist()
        )
        print(
            f"{name} {part}: AUC opposite > same {every} (all pairs),"
            f" {among_linked} (linked same: {int((linked & ~same).sum())} wrong,"
            f" {int((linked & same).sum())} right); median same"
            f" {np.nanmedian(column[same]):.3f}, opposite"
            f" {np.nanmedian(column[opposite]):.3f}"
        )
    right = int((linked & same).sum())
    for key, rows in vetoes.items():
        veto = linked & (np.nan_to_num(gap[:, 0], nan=-1.0) > float(key))
        kept = int(linked.sum() - veto.sum())
        freed = right - int((veto & same).sum())
        rows.append(
            f"{name} same P {freed / max(kept, 1):.3f} ({kept} links,"
            f" {int((veto & ~same).sum())} wrong and"
            f" {int((veto & same).sum())} right vetoed)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pairs", type=Path, nargs="+")
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--model", default="e5-minilm")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--scaled", action="store_true", help="gap / (1 - cos(B, not B))"
    )
    args = parser.parse_args()
    cache = VectorCache(args.cache, get_embedder(args.model))
    model = PairModel.load(cache.embedder.model_id)
    sets = {path.name: news_pairs(path) for path in args.pairs}
    others = {
        "checkthat-gold": checkthat_pairs(args.data, 3, 150),
        "translations": translation_pairs(args.data, TRANSLATIONS),
    }
    for name, pairs in others.items():
        sets[name] = [p for p in pairs if p.label == "same"]
    every = [p for pairs in sets.values() for p in pairs]
    cache.embed([t for p in every for t in (p.a, p.b)])
    started = time.perf_counter()
    negated = negations(every)
    parsed = time.perf_counter() - started
    flips = [t for t in negated.values() if t]
    started = time.perf_counter()
    cache.embed(flips)
    embedded = time.perf_counter() - started
    print(
        f"{len(negated)} texts parsed and negated in {parsed:.1f} s,"
        f" {len(flips)} negations ({len(negated) - len(flips)} without a verb),"
        f" embedded in {embedded:.1f} s"
    )
    parts = model._parts(cache[every[0].a].shape[0])
    cuts = SCALED_CUTS if args.scaled else CUTS
    vetoes: dict[str, list[str]] = {f"{cut:+.3f}": [] for cut in cuts}
    for name, pairs in sets.items():
        gap = gaps(pairs, negated, cache, parts, args.scaled)
        if name in others:
            _same_pairs_only(name, gap, vetoes)
            continue
        path = next(p for p in args.pairs if p.name == name)
        decisions = decide_pairs(load_pairs(path), CachedEmbedder(cache), model)  # type: ignore[arg-type]
        linked = np.array([d.decision == "same" for d in decisions])
        _news_set(name, pairs, gap, linked, vetoes)
    print("e5 gap > cut turns same into suggested:")
    for cut, rows in vetoes.items():
        print(f"  {cut}: " + "; ".join(rows))


if __name__ == "__main__":
    main()
