"""The writer's speed-ups change no value: pair features and BM25 term counts.

``tests/data/pair-features-golden.json`` holds the feature vectors (and the verbatim
test) of the topic-dense tuning pairs and the tiny pairs, computed by the code without
the writer's caches (``fold`` and ``_word_sequence`` undecorated; last written from
9255187). When the pair model's features change on purpose, write it again from the
new code (the values do not depend on the caches):

    PYTHONPATH=$PWD .venv/bin/python tests/test_speedups_same_values.py --write
"""

from __future__ import annotations

import heapq
import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from claimtrack.decision.model import PairSide, same_words
from claimtrack.decision.pair_features import Side, pair_features
from claimtrack.lexical import _WORD, Tokenizer, bm25_rerank, folded_words

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "pair-features-golden.json"
PAIRS = [
    ROOT / "benchmarks" / "data" / "pairs-news.tune.jsonl",
    ROOT / "tests" / "data" / "pairs-tiny.jsonl",
]
# Fixed cosines: the features that depend on them are arithmetic on them.
COSINES = (0.83, 0.71)


def _pairs() -> list[dict[str, str | None]]:
    return [
        json.loads(line)
        for path in PAIRS
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _features() -> list[dict[str, object]]:
    vector = np.ones(2, dtype=np.float32)
    rows: list[dict[str, object]] = []
    for pair in _pairs():
        sides = [
            Side(
                str(pair[key]),
                str(pair.get(f"lang_{key}") or "en"),
                pair.get(f"speaker_{key}"),
                pair.get(f"quote_type_{key}"),
            )
            for key in ("a", "b")
        ]
        # Twice: the second time from the caches.
        for _ in range(2):
            features = pair_features(sides[0], sides[1], cosines=COSINES)
            verbatim = same_words(
                PairSide(sides[0].text, sides[0].language, vector),
                PairSide(sides[1].text, sides[1].language, vector),
            )
        rows.append({"features": features, "same_words": verbatim})
    return rows


def test_pair_features_are_those_before_the_caches() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    computed = _features()
    assert len(computed) == len(golden) > 500
    for row, expected in zip(computed, golden, strict=True):
        assert row["same_words"] == expected["same_words"]
        assert row["features"].keys() == expected["features"].keys()  # type: ignore[attr-defined]
        for name, value in expected["features"].items():
            # Overlaps sum IDFs over a set of stems, whose order follows the
            # process's string hashes: the old code too differs in the last bit
            # from one run to the next (PYTHONHASHSEED), never by more.
            assert math.isclose(row["features"][name], value, rel_tol=1e-12), name  # type: ignore[index]


def _reference_text_terms(
    tokenizer: Tokenizer, text: str
) -> tuple[int, list[tuple[str, int]]]:
    """The word-by-word loop text_terms ran before (commit 2a1df1f)."""
    words = Counter(_WORD.findall(text.casefold()))
    term_of = tokenizer.terms(list(words))
    counts: dict[str, int] = {}
    for word, n in words.items():
        terms = term_of[word]
        if terms:
            counts[terms[0]] = counts.get(terms[0], 0) + n
    return words.total(), list(counts.items())


def test_text_terms_count_as_the_word_loop_did() -> None:
    texts = [str(pair[key]) for pair in _pairs() for key in ("a", "b")]
    texts += ["", "l'arme nucléaire d'aujourd'hui", "Funding funds the fund 30 30"]
    reference = Tokenizer()
    expected = [_reference_text_terms(reference, text) for text in texts]
    tokenizer = Tokenizer()
    for _ in range(2):  # the second time from the cache
        got = tokenizer.text_terms(texts)
        # Same counts, in the same order (BM25 sums the terms in this order).
        assert [(n, list(c.items())) for n, c in got] == expected


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    GOLDEN.write_text(json.dumps(_features(), sort_keys=True) + "\n", encoding="utf-8")


def _reference_bm25_rerank(
    pool: list[tuple[int, float]],
    weight: dict[str, float],
    texts: dict[int, str],
    average_length: float,
    tokenizer: Tokenizer,
    limit: int,
) -> list[tuple[int, float]]:
    """The row-by-row loop bm25_rerank ran before (commit 2a1df1f)."""
    rows = [row for row, _ in pool if row in texts]
    parsed = [_reference_text_terms(tokenizer, texts[row]) for row in rows]
    k1, b = 1.2, 0.75
    base, per_word = k1 * (1 - b), k1 * b / max(average_length, 1.0)
    scored = []
    for row, (length, counts) in zip(rows, parsed, strict=True):
        norm = base + per_word * length
        score = 0.0
        for term, n in counts:
            if term in weight:
                score += weight[term] * n * (k1 + 1) / (n + norm)
        scored.append((row, score))
    return heapq.nlargest(limit, scored, key=lambda rs: (rs[1], -rs[0]))


def test_bm25_rerank_scores_and_orders_as_the_row_loop_did() -> None:
    texts = {
        row: str(pair[key])
        for row, (pair, key) in enumerate(
            ((pair, key) for pair in _pairs() for key in ("a", "b")), start=1
        )
    }
    texts[len(texts) + 1] = texts[1]  # a tie: the older row first
    tokenizer = Tokenizer()
    rng = np.random.default_rng(0)
    vocabulary = sorted(
        {t for text in texts.values() for t in tokenizer.text_terms([text])[0][1]}
    )
    for _ in range(50):
        pool = [(int(row), 1.0) for row in rng.choice(list(texts), 300, replace=False)]
        pool.append((1, 1.0))
        terms = [*rng.choice(vocabulary, 12, replace=False).tolist(), "absentterm"]
        weight = {str(term): float(rng.uniform(0.1, 9)) for term in terms}
        expected = _reference_bm25_rerank(pool, weight, texts, 14.2, tokenizer, 100)
        got = bm25_rerank(
            pool, weight, texts, average_length=14.2, tokenizer=tokenizer, limit=100
        )
        assert [row for row, _ in got] == [row for row, _ in expected]
        for (_, score), (_, want) in zip(got, expected, strict=True):
            assert math.isclose(score, want, rel_tol=1e-12)


def test_sampled_term_shares_are_those_of_the_word_loop() -> None:
    texts = [str(pair[key]) for pair in _pairs() for key in ("a", "b")]
    tokenizer = Tokenizer()
    parsed = [_reference_text_terms(tokenizer, text) for text in texts]
    expected: dict[str, int] = {}
    for _, counts in parsed:
        for term, _ in counts:
            expected[term] = expected.get(term, 0) + 1
    words, documents = Tokenizer().documents_per_term(texts)
    assert words == sum(length for length, _ in parsed)
    assert documents == expected


def test_folded_words_are_the_regex_words() -> None:
    texts = [str(pair[key]) for pair in _pairs() for key in ("a", "b")]
    texts += ["".join(map(chr, range(128))), "a\x1cb\x1fc d_e", "ÉTATS-Unis l’arme"]
    for text in texts:
        assert folded_words(text) == _WORD.findall(text.casefold())
