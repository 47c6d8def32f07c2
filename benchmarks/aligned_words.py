"""Do the words two claims do not share tell an antonym from a restatement?

Usage:
    .venv/bin/python benchmarks/aligned_words.py \
        benchmarks/data/pairs-news.tune.jsonl benchmarks/data/pairs-news-2.tune.jsonl \
        benchmarks/data/pairs-news-3.tune.jsonl --cache /tmp/pairsb

Each side's content lemmas (nouns, verbs, adjectives, adverbs; spaCy) are embedded
one by one; the e5 block of the vector is multilingual, so "succès" meets "success".
A word is aligned with the other side's closest word; the words whose best cosine is
low are the pair's differences. Three scores, each read as "more likely opposite":

- ``worst``: one minus the lowest best-cosine over both sides;
- ``unaligned``: how many words have a best cosine under ALIGNED;
- ``poles``: a difference on each side near opposite poles of one concept of the
  project's polarity index (text_features.POLARITY_CONCEPTS and bilingual_polarity,
  1,481 folded forms), by nearest neighbour over single-word vectors, which reaches
  words the lists lack ("fiasco" near "échec"); the score is the smaller of the two
  words' cosines to their poles.

Prints each score's AUC (opposite against same) per set, over all pairs and over the
pairs the shipped model links same.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from negation_probe import auc
from pairs_transfer import CachedEmbedder
from train_matching import Pair, VectorCache, news_pairs

from claimtrack.decision import PairModel
from claimtrack.decision.bilingual_polarity import bilingual_concepts
from claimtrack.decision.text_features import POLARITY_CONCEPTS
from claimtrack.evaluate.matching import decide_pairs, load_pairs
from claimtrack.extract.sentences import load_spacy_model
from claimtrack.plugins import get_embedder

# Antonyms of the wrong links next to synonyms: what a single word's vector holds.
WORD_PAIRS = (
    ("succès", "fiasco"),
    ("succès", "échec"),
    ("succès", "success"),
    ("endorse", "denounce"),
    ("endorse", "support"),
    ("add", "cut"),
    ("add", "increase"),
    ("harm", "help"),
    ("harm", "damage"),
    ("recover", "slump"),
    ("recover", "rebound"),
)
CONTENT = frozenset(("NOUN", "VERB", "ADJ", "ADV"))
# Below this best cosine (e5 block, single words) a word has no partner.
ALIGNED = 0.88


def content_lemmas(pairs: Sequence[Pair]) -> dict[tuple[str, str], list[str]]:
    texts: dict[str, set[str]] = {"en": set(), "fr": set()}
    for p in pairs:
        texts[p.lang_a].add(p.a)
        texts[p.lang_b].add(p.b)
    lemmas: dict[tuple[str, str], list[str]] = {}
    for language, items in texts.items():
        nlp = load_spacy_model(language)
        ordered = sorted(items)
        for text, doc in zip(ordered, nlp.pipe(ordered, batch_size=64), strict=True):
            lemmas[(language, text)] = sorted(
                {
                    t.lemma_.lower()
                    for t in doc
                    if t.pos_ in CONTENT and t.is_alpha and not t.is_stop
                }
            )
    return lemmas


def unit_block(vector: np.ndarray, size: int) -> np.ndarray:
    block = vector[:size].astype(np.float64)
    return block / max(float(np.linalg.norm(block)), 1e-12)


class PoleIndex:
    """The polarity index's words as single-word vectors, for nearest neighbours."""

    def __init__(self, vector: dict[str, np.ndarray]) -> None:
        poles: list[tuple[str, str]] = []  # (folded word, concept and sign)
        written = [*POLARITY_CONCEPTS.items(), *bilingual_concepts().items()]
        for concept, (positive, negative) in written:
            poles += [(w, concept + "+") for w in sorted(positive)]
            poles += [(w, concept + "-") for w in sorted(negative)]
        self.names = [name for _, name in poles]
        self.matrix = np.stack([vector[w] for w, _ in poles])

    @staticmethod
    def words() -> set[str]:
        written = [*POLARITY_CONCEPTS.values(), *bilingual_concepts().values()]
        return {w for positive, negative in written for w in positive | negative}

    def nearest(self, word_vector: np.ndarray) -> tuple[str, float]:
        cosines = self.matrix @ word_vector
        best = int(np.argmax(cosines))
        return self.names[best], float(cosines[best])


def pair_scores(
    left: Sequence[str],
    right: Sequence[str],
    vector: dict[str, np.ndarray],
    poles: PoleIndex,
) -> tuple[float, float, float]:
    """(worst, unaligned, poles) of two sides' content lemmas; see the module doc."""
    if not left or not right:
        return 0.0, 0.0, 0.0
    cosines = (
        np.stack([vector[w] for w in left]) @ np.stack([vector[w] for w in right]).T
    )
    best_left, best_right = cosines.max(axis=1), cosines.max(axis=0)
    worst = 1 - float(min(best_left.min(), best_right.min()))
    unaligned = float((best_left < ALIGNED).sum() + (best_right < ALIGNED).sum())
    near_left = [
        poles.nearest(vector[w])
        for w, c in zip(left, best_left, strict=True)
        if c < ALIGNED
    ]
    near_right = [
        poles.nearest(vector[w])
        for w, c in zip(right, best_right, strict=True)
        if c < ALIGNED
    ]
    flip = 0.0
    for pole_a, cos_a in near_left:
        for pole_b, cos_b in near_right:
            if pole_a[:-1] == pole_b[:-1] and pole_a[-1] != pole_b[-1]:
                flip = max(flip, min(cos_a, cos_b))
    return worst, unaligned, flip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pairs", type=Path, nargs="+")
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--model", default="e5-minilm")
    args = parser.parse_args()
    cache = VectorCache(args.cache, get_embedder(args.model))
    model = PairModel.load(cache.embedder.model_id)
    sets = {path: news_pairs(path) for path in args.pairs}
    every = [p for pairs in sets.values() for p in pairs]
    lemmas = content_lemmas(every)
    words = sorted(
        {w for ws in lemmas.values() for w in ws}
        | PoleIndex.words()
        | {w for pair in WORD_PAIRS for w in pair}
    )
    cache.embed(words)
    size = model._parts(cache[every[0].a].shape[0])[0]
    vector = {w: unit_block(cache[w], size) for w in words}
    poles = PoleIndex(vector)
    print(
        "e5 cosines of single words: "
        + ", ".join(f"{a}/{b} {vector[a] @ vector[b]:.3f}" for a, b in WORD_PAIRS)
    )
    for path, pairs in sets.items():
        scores = np.array(
            [
                pair_scores(
                    lemmas[(p.lang_a, p.a)], lemmas[(p.lang_b, p.b)], vector, poles
                )
                for p in pairs
            ]
        )
        decisions = decide_pairs(load_pairs(path), CachedEmbedder(cache), model)  # type: ignore[arg-type]
        linked = np.array([d.decision == "same" for d in decisions])
        same = np.array([p.label == "same" for p in pairs])
        opposite = np.array([p.label == "opposite" for p in pairs])
        for n, key in enumerate(("worst", "unaligned", "poles")):
            column = scores[:, n]
            every_pair = auc(column[opposite].tolist(), column[same].tolist())
            among_linked = auc(
                column[opposite & linked].tolist(), column[same & linked].tolist()
            )
            flagged_opposite = int((column[opposite & linked] > 0).sum())
            flagged_same = int((column[same & linked] > 0).sum())
            print(
                f"{path.name} {key}: AUC opposite > same {every_pair} (all),"
                f" {among_linked} (linked same); nonzero among linked: opposite"
                f" {flagged_opposite}/{int((opposite & linked).sum())},"
                f" same {flagged_same}/{int((same & linked).sum())}"
            )


if __name__ == "__main__":
    main()
