"""Measure claim extraction against human decompositions and fact-checkers' claims.

Three input formats:

* ``factcheck-gpt``: Factcheck-Bench JSON lines (one answer per line, each sentence with
  its gold atomic claims). Every answer is extracted as one English article, so pronouns
  can be resolved; a predicted claim belongs to the gold sentence its span starts in.
  **Matching rule**: within a sentence, predicted and gold claims are paired greedily by
  token F1 (lower-cased word tokens, best pairs first); a pair with token F1 >= 0.5 is a
  match. Precision = matches / predicted claims, recall = matches / gold claims.
  The same figures are given for a baseline that returns each sentence as one claim.
* ``claimnorm``: CheckThat! 2025 claim-normalisation CSV (``post,normalized claim``).
  The most check-worthy extracted claim of each post is compared with the fact-checker's
  claim by chrF and token F1; the best of all extracted claims is given as an oracle.
* ``golden``: a JSON file of our own, ``{"article": path, "language": code, "claims":
  [{"span": text the claim's span must contain, "speaker": expected speaker}]}``.
  Reports recall (gold claims whose text lies inside one extracted span) and speaker
  accuracy.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from claimtrack.errors import ArticleError
from claimtrack.extract import Extractor
from claimtrack.models import Article, Claim

Format = Literal["factcheck-gpt", "claimnorm", "golden"]
MATCH_THRESHOLD = 0.5
_WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Return the lower-cased word tokens that token F1 compares."""
    return _WORD.findall(text.casefold())


def token_f1(predicted: str, gold: str) -> float:
    """Return the F1 of the two texts' word multisets."""
    left, right = Counter(tokens(predicted)), Counter(tokens(gold))
    common = sum((left & right).values())
    if not common:
        return 0.0
    precision = common / sum(left.values())
    recall = common / sum(right.values())
    return 2 * precision * recall / (precision + recall)


def chrf(predicted: str, gold: str, *, order: int = 6, beta: float = 2.0) -> float:
    """Return chrF (Popović 2015): character n-gram F-beta, n = 1..6, spaces removed."""
    hyp, ref = "".join(predicted.split()), "".join(gold.split())
    precisions, recalls = [], []
    for n in range(1, order + 1):
        hyp_grams = Counter(hyp[i : i + n] for i in range(len(hyp) - n + 1))
        ref_grams = Counter(ref[i : i + n] for i in range(len(ref) - n + 1))
        if not hyp_grams or not ref_grams:
            continue
        common = sum((hyp_grams & ref_grams).values())
        precisions.append(common / sum(hyp_grams.values()))
        recalls.append(common / sum(ref_grams.values()))
    if not precisions:
        return 0.0
    precision, recall = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    if not precision + recall:
        return 0.0
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)


def match(predicted: Sequence[str], gold: Sequence[str]) -> int:
    """Return how many predicted claims pair one-to-one with gold ones."""
    pairs = sorted(
        (
            (token_f1(p, g), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    used_predicted: set[int] = set()
    used_gold: set[int] = set()
    for score, i, j in pairs:
        if score < MATCH_THRESHOLD:
            break
        if i not in used_predicted and j not in used_gold:
            used_predicted.add(i)
            used_gold.add(j)
    return len(used_predicted)


def _prf(matched: int, predicted: int, gold: int) -> dict[str, float]:
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def _read_lines(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as error:
        raise ArticleError(f"No such file: {path}") from error
    try:
        return [json.loads(line) for line in lines if line.strip()]
    except json.JSONDecodeError as error:
        raise ArticleError(f"{path} is not JSON lines: {error}") from error


def evaluate_factcheck_gpt(
    path: Path, extractor: Extractor, *, min_checkworthiness: float = 0.0
) -> dict[str, Any]:
    """Compare extracted claims with Factcheck-Bench's atomic claims, per sentence."""
    totals = Counter[str]()
    exact_counts = 0
    for number, document in enumerate(_read_lines(path)):
        try:
            text = str(document["response"])
            sentences = list(document["sentences"])
        except (KeyError, TypeError) as error:
            raise ArticleError(
                f"{path}: record {number} is not a Factcheck-Bench answer"
            ) from error
        article = Article(id=f"doc{number}", text=text, language="en")
        claims = [
            c
            for c in extractor.extract(article)
            if c.checkworthiness >= min_checkworthiness
        ]
        cursor = 0
        for sentence in sentences:
            gold = [str(claim) for claim in sentence.get("claims") or []]
            start = text.find(sentence["text"], cursor)
            if start < 0:
                # Some gold sentences differ from the answer in spacing or a final mark.
                start = text.find(sentence["text"][:40], cursor)
            if start < 0:
                totals["sentences_not_found"] += 1
                continue
            end = start + len(sentence["text"])
            cursor = end
            predicted = [c.text for c in claims if start <= c.char_start < end]
            totals["sentences"] += 1
            totals["gold"] += len(gold)
            totals["predicted"] += len(predicted)
            totals["matched"] += match(predicted, gold)
            exact_counts += len(predicted) == len(gold)
            baseline = [sentence["text"]] if gold else []
            totals["baseline_predicted"] += 1
            totals["baseline_matched"] += match(baseline, gold)
    return {
        "format": "factcheck-gpt",
        "matching": f"greedy one-to-one, token F1 >= {MATCH_THRESHOLD}",
        "sentences": totals["sentences"],
        "sentences_not_found": totals["sentences_not_found"],
        "gold_claims": totals["gold"],
        "predicted_claims": totals["predicted"],
        "matched": totals["matched"],
        **_prf(totals["matched"], totals["predicted"], totals["gold"]),
        "claim_count_accuracy": round(exact_counts / max(totals["sentences"], 1), 4),
        "baseline_sentence_as_claim": _prf(
            totals["baseline_matched"], totals["baseline_predicted"], totals["gold"]
        ),
    }


def read_claimnorm(path: Path) -> list[tuple[str, str]]:
    """Read a claim-normalisation CSV with the header ``post,normalized claim``."""
    csv.field_size_limit(sys.maxsize)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError as error:
        raise ArticleError(f"No such file: {path}") from error
    if rows and not {"post", "normalized claim"} <= set(rows[0]):
        raise ArticleError(
            f"{path}: expected the columns 'post' and 'normalized claim'"
        )
    return [(row["post"], row["normalized claim"]) for row in rows]


def evaluate_claimnorm(
    path: Path, extractor: Extractor, *, language: str, limit: int | None = None
) -> dict[str, Any]:
    """Compare each post's most check-worthy claim with the fact-checker's claim."""
    rows = read_claimnorm(path)[:limit]
    top_chrf: list[float] = []
    top_f1: list[float] = []
    oracle_chrf: list[float] = []
    oracle_f1: list[float] = []
    empty = 0
    for number, (post, gold) in enumerate(rows):
        article = Article(id=f"post{number}", text=post or " ", language=language)
        claims = list(extractor.extract(article)) if post.strip() else []
        if not claims:
            empty += 1
            for scores in (top_chrf, top_f1, oracle_chrf, oracle_f1):
                scores.append(0.0)
            continue
        best = max(claims, key=lambda claim: claim.checkworthiness)
        top_chrf.append(chrf(best.text, gold))
        top_f1.append(token_f1(best.text, gold))
        oracle_chrf.append(max(chrf(c.text, gold) for c in claims))
        oracle_f1.append(max(token_f1(c.text, gold) for c in claims))
    count = max(len(rows), 1)
    return {
        "format": "claimnorm",
        "posts": len(rows),
        "posts_without_claims": empty,
        "top_claim_chrf": round(100 * sum(top_chrf) / count, 2),
        "top_claim_token_f1": round(sum(top_f1) / count, 4),
        "oracle_chrf": round(100 * sum(oracle_chrf) / count, 2),
        "oracle_token_f1": round(sum(oracle_f1) / count, 4),
    }


def evaluate_golden(path: Path, extractor: Extractor) -> dict[str, Any]:
    """Check an article's extracted claims against a hand-written list."""
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
        article_path = (path.parent / spec["article"]).resolve()
        text = article_path.read_text(encoding="utf-8")
        gold = list(spec["claims"])
    except FileNotFoundError as error:
        raise ArticleError(f"No such file: {error.filename}") from error
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise ArticleError(
            f"{path}: expected {{article, language, claims}} ({error})"
        ) from error
    article = Article(id="golden", text=text, language=spec.get("language", "en"))
    claims = list(extractor.extract(article))
    found, right_speaker, misses, wrong = 0, 0, [], []
    for item in gold:
        hits = [c for c in claims if item["span"] in text[c.char_start : c.char_end]]
        if not hits:
            misses.append(item["span"])
            continue
        found += 1
        if any(_same_speaker(c, item.get("speaker")) for c in hits):
            right_speaker += 1
        else:
            wrong.append({"span": item["span"], "speakers": [c.speaker for c in hits]})
    return {
        "format": "golden",
        "gold_claims": len(gold),
        "extracted_claims": len(claims),
        "recall": round(found / max(len(gold), 1), 4),
        "speaker_accuracy": round(right_speaker / max(found, 1), 4),
        "missed": misses,
        "wrong_speakers": wrong,
    }


def _same_speaker(claim: Claim, expected: str | None) -> bool:
    if expected is None:
        return claim.cue is None
    return (claim.speaker or "").casefold() == expected.casefold()
