"""The writer's speed-ups change no value: pair features and BM25 term counts.

The writer's speed-ups in ``claimtrack.decision`` are caches (``fold`` and
``_word_sequence``): the pair features of the topic-dense tuning pairs and the tiny
pairs are computed with those functions unwrapped and every cache emptied, then as the
product computes them, and must be the same floats. The BM25 pieces are checked
against the loops they replaced (commit 2a1df1f), copied here.
"""

from __future__ import annotations

import heapq
import json
import math
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from claimtrack import lexical
from claimtrack.decision import model, text_features
from claimtrack.decision import pair_features as pair_features_module
from claimtrack.decision.model import PairSide, same_words
from claimtrack.decision.pair_features import Side, pair_features
from claimtrack.lexical import (
    _WORD,
    Tokenizer,
    bm25_rerank,
    folded_words,
    term_number,
)

ROOT = Path(__file__).resolve().parents[1]
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
        a, b = (
            Side(
                str(pair[key]),
                str(pair.get(f"lang_{key}") or "en"),
                pair.get(f"speaker_{key}"),
                pair.get(f"quote_type_{key}"),
            )
            for key in ("a", "b")
        )
        verbatim = same_words(
            PairSide(a.text, a.language, vector), PairSide(b.text, b.language, vector)
        )
        features = pair_features(a, b, cosines=COSINES)
        rows.append({"features": features, "same_words": verbatim})
    return rows


def _decision_modules() -> list[ModuleType]:
    return [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("claimtrack.decision") and module is not None
    ]


def _empty_caches() -> None:
    for module in _decision_modules():
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def test_pair_features_are_the_same_without_the_caches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cached = [text_features.fold, model._word_sequence]
    replaced = set()
    for module in _decision_modules():
        for name, value in list(vars(module).items()):
            if any(value is function for function in cached):
                monkeypatch.setattr(module, name, value.__wrapped__)
                replaced.add(f"{module.__name__}.{name}")
    assert {"claimtrack.decision.model.fold", "model._word_sequence"} <= {
        name.removeprefix("claimtrack.decision.") if "sequence" in name else name
        for name in replaced
    }
    _empty_caches()
    uncached = _features()
    monkeypatch.undo()
    _empty_caches()
    assert len(uncached) > 500
    assert _features() == uncached
    assert _features() == uncached  # from the caches


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
    k1, b = lexical._K1, lexical._B  # the product's constants, tuned since
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
    assert documents == {term_number(term): held for term, held in expected.items()}


def test_folded_words_are_the_regex_words() -> None:
    texts = [str(pair[key]) for pair in _pairs() for key in ("a", "b")]
    every = "".join(map(chr, range(0x2100)))  # Latin-1, typography, and beyond
    texts += [every, every.upper(), "a\x1cb\x1fc d_e", "ÉTATS-Unis l’arme «x»\xa0y"]
    texts += ["Straße ﬁn İstanbul œuvre — “déjà”…", "cœur\u2019s", "\u0153uvre"]
    for text in texts:
        assert folded_words(text) == _WORD.findall(text.casefold())


def test_name_matches_by_first_letter_are_those_of_the_key_loop() -> None:
    """``_Targets.match`` tries only the keys ``_close`` can accept: same answers."""
    texts = [str(pair[key]) for pair in _pairs() for key in ("a", "b")]
    # Transliterations across hard c's, country keys, names one letter apart.
    texts += [
        "Mouammar Kadhafi a rencontré Netanyahou à Gaza.",
        "Gaddafi met Netanyahu and Qatar's emir in Cairo.",
        "L'Iran et l'Irak ont signé un accord avec Kiev.",
        "Iraq and Iran signed a deal with Kyiv and Soumy.",
    ]
    for text in texts[-4:]:
        assert pair_features_module._keys(text)[0]  # they do name someone
    for other in texts[::7] + texts[-4:]:
        keys, words = pair_features_module._keys(other)
        joined = keys | words
        targets = pair_features_module._targets(other)
        for text in texts[::5] + texts[-4:]:
            for key in pair_features_module._keys(text)[0] | {"@ir", "gadaffi"}:
                expected = pair_features_module._has_match(key, joined)
                assert targets.match(key) == expected, (key, other)


def test_similar_at_least_is_difflibs_ratio_against_the_threshold() -> None:
    """The length and shared-letter bounds only skip pairs difflib would refuse."""
    from difflib import SequenceMatcher

    rng = np.random.default_rng(3)
    words = sorted(
        {
            w
            for pair in _pairs()
            for key in ("a", "b")
            for w in folded_words(str(pair[key]))
        }
    )
    names = [*rng.choice(words, 300).tolist(), "", "a", "poutine", "putin", "kiyv"]
    randoms = [
        "".join(rng.choice(list("abcoruy"), rng.integers(0, 9))) for _ in range(300)
    ]
    for group in (names, randoms):
        for first, second in zip(group, rng.permutation(group), strict=True):
            for threshold in (0.5, 0.75, 0.8):
                expected = SequenceMatcher(None, first, second).ratio() >= threshold
                assert (
                    pair_features_module.similar_at_least(first, second, threshold)
                    == expected
                ), (first, second, threshold)
