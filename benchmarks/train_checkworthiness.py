"""Train claimtrack's check-worthiness models and write them as JSON.

Usage:
    B=../shared/benchmark-data
    python benchmarks/train_checkworthiness.py \
        --clef $B/checkworthiness-clef2019-en/train \
        --claimbuster $B/checkworthiness-en/claimbuster_2.5xNCS.jsonl \
        --french $B/claimnorm-ct2025-fr/train-fra.csv \
        --cache /tmp/cw [--available-only] [--c 0.003 0.01 0.03] [--no-write]

Three sources, one logistic regression over the parse features of ``features.py`` and
the 384 multilingual E5-small dimensions (what the extractor embeds claims with):

* the CLEF 2019 CheckThat! Task 1 training debates (19 debates and speeches, 16,421
  lines, 440 check-worthy): a line is positive when a fact-checker checked it;
* ClaimBuster 2.5xNCS: the training three quarters only (``sentence_id % 4 != 0``;
  the held-out quarter is for ``claimtrack eval checkworthiness --held-out``);
* French: the normalised claims that fact-checkers wrote for CheckThat! 2025 posts
  are check-worthy positives; the questions of those posts (sentences ending with
  "?") are the only French negatives we label without judging a claim ourselves.

Each source is weighted to the same total weight, positives and negatives balanced
inside it, so that 16,000 debate lines do not drown the rest.

Chosen by cross-validation, never by a held-out part:

* C (of ``--c``), by CLEF MAP over debates left out one at a time (the official
  measure: per-debate average precision, averaged); each fold trains on the other
  debates and all of ClaimBuster-train and French;
* the decision threshold, by F1 on ClaimBuster-train in 4 folds (with CLEF and French
  always in training), folded into the intercept so that 0.5 is the cut-off.

``--available-only`` trains and cross-validates on the lines whose E5 vector is in
the cache (embedding every line takes E5 hours on a loaded 2-core machine); the CV MAP
is then over the debates whose every line has a vector, and the report says so.
The features-only model (no E5) is trained the same way on every line.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from claimtrack.evaluate.checkworthiness import average_precision, is_held_out
from claimtrack.extract.features import feature_names, sentence_features
from claimtrack.extract.sentences import for_parsing, load_spacy_model

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "claimtrack" / "extract" / "data"
THRESHOLDS = np.round(np.arange(0.20, 0.90, 0.01), 2)
CHUNK = 128


@dataclass
class Corpus:
    """Labelled sentences of one source, with a key each for the caches."""

    name: str
    language: str
    keys: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # debate, or "train"/"held-out"


def read_clef(folder: Path) -> Corpus:
    corpus = Corpus("clef", "en")
    for path in sorted(folder.glob("*.tsv")):
        rows = csv.reader(
            path.read_text(encoding="utf-8").splitlines(),
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
        )
        for index, fields in enumerate(row for row in rows if row):
            corpus.keys.append(f"clef:{path.stem}:{index}")
            corpus.texts.append(fields[2])
            corpus.labels.append(int(fields[3]))
            corpus.groups.append(path.stem)
    return corpus


def read_claimbuster(path: Path) -> Corpus:
    corpus = Corpus("claimbuster", "en")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        sentence_id = int(record["sentence_id"])
        corpus.keys.append(f"cb:{sentence_id}")
        corpus.texts.append(record["text"])
        corpus.labels.append(int(record["label"]))
        corpus.groups.append("held-out" if is_held_out(sentence_id) else "train")
    return corpus


def _first_question(post: str) -> str | None:
    for piece in re.split(r"(?<=[.!?])\s+|\n+", post):
        piece = piece.strip()
        if piece.endswith("?") and 5 <= len(piece.split()) <= 40:
            return piece[:400]
    return None


def read_french(path: Path) -> Corpus:
    """Normalised claims (positives) and one question per post (negatives)."""
    corpus = Corpus("french", "fr")
    claims: dict[str, None] = {}
    questions: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for index, record in enumerate(csv.DictReader(handle)):
            claim = record["normalized claim"].strip()
            if claim:
                claims.setdefault(claim)
            question = _first_question(record["post"])
            if question is not None:
                questions.setdefault(question, index)
    for index, claim in enumerate(claims):
        corpus.keys.append(f"fr:pos:{index}")
        corpus.texts.append(claim)
        corpus.labels.append(1)
        corpus.groups.append("train")
    for question, post in questions.items():
        if question in claims:
            continue
        corpus.keys.append(f"fr:q:{post}")
        corpus.texts.append(question)
        corpus.labels.append(0)
        corpus.groups.append("train")
    return corpus


def hand_features(corpus: Corpus, cache: Path) -> np.ndarray:
    """Parse once (a DocBin in the cache), then compute the current features."""
    from spacy.tokens import DocBin

    names = feature_names()
    computed = cache / f"{corpus.name}.features.npz"
    if computed.exists():
        arrays = np.load(computed)
        if arrays["names"].tolist() == names and len(arrays["x"]) == len(corpus.keys):
            return np.asarray(arrays["x"])
    nlp = load_spacy_model(corpus.language)
    path = cache / f"{corpus.name}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((for_parsing(t) for t in corpus.texts), batch_size=256))
        bin_ = DocBin(store_user_data=False)
        for doc in docs:
            bin_.add(doc)
        bin_.to_disk(path)
    if len(docs) != len(corpus.texts):
        raise SystemExit(f"{path} is stale: delete it")
    rows = []
    for doc in docs:
        values = sentence_features(doc[:], corpus.language)
        rows.append([values[name] for name in names])
    x = np.asarray(rows, dtype=np.float64)
    np.savez(computed, names=np.array(names), x=x)
    return x


def cached_vectors(cache: Path) -> dict[str, np.ndarray]:
    vectors: dict[str, np.ndarray] = {}
    for path in sorted((cache / "vec").glob("*.npz")):
        arrays = np.load(path)
        vectors.update(zip(arrays["keys"].tolist(), arrays["vectors"], strict=True))
    return vectors


def embed_missing(corpora: list[Corpus], cache: Path) -> None:
    """Embed with E5 (query: prefix, as the extractor does) what the cache lacks."""
    from claimtrack.embed import E5Embedder

    have = cached_vectors(cache)
    todo = [
        (key, text)
        for corpus in corpora
        for key, text in zip(corpus.keys, corpus.texts, strict=True)
        if key not in have
    ]
    (cache / "vec").mkdir(parents=True, exist_ok=True)
    encoder = E5Embedder()
    for start in range(0, len(todo), CHUNK):
        batch = todo[start : start + CHUNK]
        vectors = encoder.embed_batch([text for _, text in batch])
        np.savez(
            cache / "vec" / f"train-{time.time_ns()}.npz",
            keys=np.array([key for key, _ in batch]),
            vectors=vectors,
        )
        print(f"embedded {start + len(batch)} / {len(todo)}", file=sys.stderr)


@dataclass
class Table:
    """Every row of every corpus, stacked."""

    x: np.ndarray
    labels: np.ndarray
    source: np.ndarray  # corpus name
    group: np.ndarray
    share: dict[str, float] = field(default_factory=dict)
    weight: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        # Each source weighs its share (1 unless --share says otherwise) in total;
        # inside it, positives and negatives weigh the same.
        self.weight = np.zeros(len(self.labels))
        sources = np.unique(self.source)
        for name in sources:
            for label in (0, 1):
                mask = (self.source == name) & (self.labels == label)
                if mask.any():
                    self.weight[mask] = (
                        self.share.get(str(name), 1.0)
                        * len(self.labels)
                        / (2 * len(sources) * mask.sum())
                    )

    def subset(self, mask: np.ndarray) -> Table:
        return Table(
            self.x[mask],
            self.labels[mask],
            self.source[mask],
            self.group[mask],
            self.share,
        )


def fit(table: Table, c: float) -> tuple[np.ndarray, np.ndarray, LogisticRegression]:
    mean, scale = table.x.mean(axis=0), table.x.std(axis=0) + 1e-6
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit((table.x - mean) / scale, table.labels, sample_weight=table.weight)
    return mean, scale, model


def predict(
    fitted: tuple[np.ndarray, np.ndarray, LogisticRegression], x: np.ndarray
) -> np.ndarray:
    mean, scale, model = fitted
    return model.predict_proba((x - mean) / scale)[:, 1]


def clef_map(
    table: Table, c: float, debates: list[str]
) -> tuple[float, dict[str, float]]:
    """Leave one debate out at a time; MAP over the given debates."""
    per_debate = {}
    for debate in debates:
        test = (table.source == "clef") & (table.group == debate)
        train = ~test & (table.group != "held-out")
        scores = predict(fit(table.subset(train), c), table.x[test])
        per_debate[debate] = average_precision(
            table.labels[test].tolist(), scores.tolist()
        )
    return float(np.mean(list(per_debate.values()))), per_debate


def claimbuster_threshold(table: Table, c: float) -> dict[str, float]:
    """4-fold CV on ClaimBuster-train (other sources always train): best F1."""
    rows = np.flatnonzero((table.source == "claimbuster") & (table.group == "train"))
    others = np.flatnonzero(table.source != "claimbuster")
    scores = np.zeros(len(rows))
    folds = StratifiedKFold(n_splits=4, shuffle=True, random_state=0)
    for train, test in folds.split(rows, table.labels[rows]):
        mask = np.zeros(len(table.labels), dtype=bool)
        mask[rows[train]] = True
        mask[others] = True
        scores[test] = predict(fit(table.subset(mask), c), table.x[rows[test]])
    labels = table.labels[rows]

    def f1(threshold: float) -> float:
        return float(
            precision_recall_fscore_support(
                labels, scores >= threshold, average="binary", zero_division=0.0
            )[2]
        )

    by_threshold = {float(t): f1(t) for t in THRESHOLDS}
    best = max(by_threshold, key=lambda t: (by_threshold[t], -abs(t - 0.5)))
    return {
        "threshold": best,
        "f1": round(by_threshold[best], 4),
        "f1_at_0.5": round(f1(0.5), 4),
        "average_precision": round(
            average_precision(labels.tolist(), scores.tolist()), 4
        ),
    }


def artefact(
    table: Table, c: float, threshold: float, dimensions: int, report: dict[str, object]
) -> dict[str, object]:
    mean, scale, model = fit(table.subset(table.group != "held-out"), c)
    # Shift the logit so that the chosen threshold scores 0.5, the extractor's and
    # the evaluation's default cut-off.
    intercept = float(model.intercept_[0]) - math.log(threshold / (1 - threshold))
    return {
        "description": (
            "Logistic regression on standardised features; trained on the CLEF 2019 "
            "training debates, ClaimBuster 2.5xNCS (training 3/4) and French "
            "normalised claims; threshold folded into the intercept"
        ),
        "features": feature_names(),
        "embedding": "e5" if dimensions else None,
        "embedding_dimensions": dimensions,
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": model.coef_[0].round(6).tolist(),
        "intercept": round(intercept, 6),
        "threshold": threshold,
        "cross_validation": report,
    }


def held_out_metrics(
    data: dict[str, object], table: Table, mask: np.ndarray
) -> dict[str, float]:
    mean = np.asarray(data["mean"])
    scale = np.asarray(data["scale"])
    coef = np.asarray(data["coef"])
    logits = ((table.x[mask] - mean) / scale) @ coef + float(data["intercept"])  # type: ignore[arg-type]
    labels = table.labels[mask]
    predicted = logits >= 0.0
    precision, recall, f1, _ = precision_recall_fscore_support(
        labels, predicted, average="binary", zero_division=0.0
    )
    return {
        "sentences": int(mask.sum()),
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(f1), 4),
        "average_precision": round(
            average_precision(labels.tolist(), logits.tolist()), 4
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clef", type=Path, required=True, help="CLEF 2019 train/ folder"
    )
    parser.add_argument("--claimbuster", type=Path, required=True)
    parser.add_argument(
        "--french", type=Path, required=True, help="claimnorm train-fra.csv"
    )
    parser.add_argument(
        "--cache", type=Path, required=True, help="parses and E5 vectors"
    )
    parser.add_argument("--c", type=float, nargs="+", default=[0.01])
    parser.add_argument("--available-only", action="store_true")
    parser.add_argument(
        "--share",
        nargs="*",
        default=[],
        metavar="SOURCE=WEIGHT",
        help="total weight of a source (clef, claimbuster, french); default 1 each",
    )
    parser.add_argument(
        "--no-embeddings", action="store_true", help="features model only"
    )
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)

    corpora = [
        read_clef(args.clef),
        read_claimbuster(args.claimbuster),
        read_french(args.french),
    ]
    started = time.perf_counter()
    hands = [hand_features(corpus, args.cache) for corpus in corpora]
    print(f"features in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    keys = [key for corpus in corpora for key in corpus.keys]
    x = np.vstack(hands)
    dimensions = 0
    keep = np.ones(len(keys), dtype=bool)
    if not args.no_embeddings:
        if not args.available_only:
            embed_missing(corpora, args.cache)
        vectors = cached_vectors(args.cache)
        keep = np.array([key in vectors for key in keys])
        dimensions = 384
        e5 = np.zeros((len(keys), dimensions))
        for row, key in enumerate(keys):
            if key in vectors:
                e5[row] = vectors[key]
        x = np.hstack([x, e5])
    table = Table(
        x,
        np.array([label for corpus in corpora for label in corpus.labels]),
        np.array([corpus.name for corpus in corpora for _ in corpus.keys]),
        np.array([group for corpus in corpora for group in corpus.groups]),
        {k: float(v) for k, v in (item.split("=") for item in args.share)},
    )
    clef = np.array([key.startswith("clef:") for key in keys])
    complete = sorted(
        debate
        for debate in set(table.group[clef].tolist())
        if keep[clef & (table.group == debate)].all()
    )
    table = table.subset(keep)
    print(
        json.dumps(
            {
                "rows": int(keep.sum()),
                "of": len(keys),
                "by_source": {
                    name: int((table.source == name).sum())
                    for name in ("clef", "claimbuster", "french")
                },
                "complete_debates": len(complete),
            }
        ),
        file=sys.stderr,
    )
    candidates = []
    for c in args.c:
        mean_ap, per_debate = clef_map(table, c, complete)
        row = {"c": c, "clef_lodo_map": round(mean_ap, 4), "debates": len(complete)}
        print(json.dumps(row), file=sys.stderr)
        candidates.append((row, per_debate))
    best, per_debate = max(candidates, key=lambda pair: pair[0]["clef_lodo_map"])
    claimbuster = claimbuster_threshold(table, best["c"])
    report = {
        **best,
        "clef_per_debate": {k: round(v, 4) for k, v in per_debate.items()},
        "claimbuster_cv": claimbuster,
        "threshold": claimbuster["threshold"],
        "rows": len(table.labels),
        "embedding": "e5" if dimensions else None,
    }
    data = artefact(table, best["c"], claimbuster["threshold"], dimensions, report)
    # Scored once, after every choice: what `claimtrack eval checkworthiness
    # --held-out` reports, from the same vectors.
    held_out = (table.source == "claimbuster") & (table.group == "held-out")
    report["claimbuster_held_out"] = held_out_metrics(data, table, held_out)
    print(json.dumps(report))
    if args.no_write:
        return
    out = DATA / ("checkworthiness-e5.json" if dimensions else "checkworthiness.json")
    out.write_text(json.dumps(data) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
