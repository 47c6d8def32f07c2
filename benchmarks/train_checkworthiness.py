"""Train claimtrack's check-worthiness models and write them as JSON.

Usage:
    B=../shared/benchmark-data
    python benchmarks/train_checkworthiness.py \
        --clef $B/checkworthiness-clef2019-en/train \
        --claimbuster $B/checkworthiness-en/claimbuster_2.5xNCS.jsonl \
        --news-gold benchmarks/data/news-gold.jsonl benchmarks/data/news-gold-2.jsonl \
        --news-dir ../shared/news-dev /tmp/news-dev-2 \
        --cache /tmp/checkworthy [--available-only] [--c 0.003 0.01 0.03] [--no-write] \
        [--french $B/claimnorm-ct2025-fr/train-fra.csv] [--score-held-out]

Up to four sources, one logistic regression over the parse features of ``features.py``
and the 384 multilingual E5-small dimensions (what the extractor embeds claims with):

* the CLEF 2019 CheckThat! Task 1 training debates (19 debates and speeches, 16,421
  lines, 440 check-worthy): a line is positive when a fact-checker checked it;
* ClaimBuster 2.5xNCS: the training three quarters only (``sentence_id % 4 != 0``;
  the held-out quarter is for ``claimtrack eval checkworthiness --held-out``);
* news: the TUNE halves of the project's news gold files (``--news-gold`` takes
  several, each with its articles folder in ``--news-dir``; French and English): the
  real extractor runs on each article and each predicted claim is positive when it
  matches a check-worthy gold claim (the rule of ``claimtrack eval extraction
  --format news-gold``), so the model learns from the claims it will score, as the
  extractor cuts them; the report half is never read;
* French (``--french``, off by default): the normalised claims that fact-checkers
  wrote for CheckThat! 2025 posts as positives, one question per post as negatives.
  With E5 these are French positives without French statements to set them against,
  so the model learned "French means check-worthy" from E5's language offset and
  French news scores saturated at 1.0 (mean logit 7.5 against 2.6 in English, on the
  same kind of claims); the news gold brings French negatives and positives alike.

Each source is weighted to the same total weight, positives and negatives balanced
inside it, so that 16,000 debate lines do not drown the rest.

Chosen by cross-validation, never by a held-out part (ClaimBuster's held-out quarter
is scored only with ``--score-held-out``, once, on the final model):

* C (of ``--c``), by CLEF MAP over debates left out one at a time (the official
  measure: per-debate average precision, averaged); each fold trains on the other
  debates and all of ClaimBuster-train, news and French;
* the decision threshold, by F1 on ClaimBuster-train in 4 folds (with CLEF and French
  always in training), folded into the intercept so that 0.5 is the cut-off.

``--available-only`` trains and cross-validates on the lines whose E5 vector is in
the cache (embedding every line takes E5 hours on a loaded 2-core machine); the CV MAP
is then over the debates whose every line has a vector, and the report says so.
The features-only model (no E5) is trained the same way on every line.

The news source is also cross-validated by article (each tune article scored by a model
trained without it): the mean per-article average precision per language is the
figure ``eval extraction --format news-gold --split tune`` reports, without the fit on
that article.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
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

import claimtrack.extract.sentences as extractor_module
from claimtrack.evaluate import news_gold
from claimtrack.evaluate.checkworthiness import average_precision, is_held_out
from claimtrack.extract.features import (
    context_features,
    feature_names,
    sentence_features,
)
from claimtrack.extract.scoring import Score
from claimtrack.extract.sentences import (
    SentenceExtractor,
    for_parsing,
    load_spacy_model,
)

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


@dataclass
class NewsRows:
    """The predicted claims of the news gold's tune half, as the scorer sees them."""

    keys: list[str]
    x: np.ndarray  # hand-made features
    vectors: dict[str, np.ndarray]  # E5, by key
    labels: list[int]
    groups: list[str]  # article id
    languages: list[str]
    matched: list[bool]  # the claim matches a gold claim (check-worthy or not)
    # What the extractor says of each claim, for the context features and claim types.
    texts: list[str] = field(default_factory=list)
    claim_types: list[str] = field(default_factory=list)
    quote_types: list[str] = field(default_factory=list)
    outlet_speaks: list[bool] = field(default_factory=list)


def _extractor_fingerprint() -> str:
    """A digest of the extraction code: the news cache is stale when it changes."""
    digest = hashlib.sha256()
    folder = ROOT / "claimtrack" / "extract"
    for path in sorted(folder.glob("*.py")):
        if path.name != "scoring.py":  # what the scorer learns does not change claims
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _features_fingerprint() -> str:
    """A digest of the feature code: cached feature values are stale when it changes."""
    digest = hashlib.sha256()
    folder = ROOT / "claimtrack" / "extract"
    for name in ("features.py", "signals.py", "lexicons.py"):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]


def tune_digest(gold_path: Path) -> str:
    """A digest of the news gold's tune half (the report half does not change it)."""
    records = (
        json.loads(line)
        for line in gold_path.read_text("utf-8").splitlines()
        if line.strip()
    )
    tune = [record for record in records if record.get("split") == "tune"]
    return hashlib.sha256(json.dumps(tune, sort_keys=True).encode()).hexdigest()[:8]


def read_news(gold_path: Path, folder: Path, cache: Path) -> NewsRows:
    """Run the real extractor on the tune half; label its claims by the news gold.

    What the scorer sees of each claim (its features on the article's parse and its
    E5 vector) is caught by wrapping ``score_sentence`` where the extractor calls it:
    re-parsing claim texts alone would give other features than the scorer gets.
    """
    names = feature_names()
    gold = [g for g in news_gold.read_gold(gold_path) if g.split == "tune"]
    # Keyed by the extraction code and by the tune half: a new tune article or a
    # corrected gold claim changes the rows as surely as an extractor change does.
    stored = (
        cache / f"news-tune-v3-{_extractor_fingerprint()}-{tune_digest(gold_path)}.npz"
    )
    if stored.exists():
        arrays = np.load(stored)
        if arrays["names"].tolist() == names:
            keys = arrays["keys"].tolist()
            return NewsRows(
                keys,
                np.asarray(arrays["x"]),
                dict(zip(keys, arrays["vectors"], strict=True)),
                arrays["labels"].tolist(),
                arrays["groups"].tolist(),
                arrays["languages"].tolist(),
                arrays["matched"].tolist(),
                arrays["texts"].tolist(),
                arrays["claim_types"].tolist(),
                arrays["quote_types"].tolist(),
                arrays["outlet_speaks"].tolist(),
            )
    articles = news_gold.load_articles(folder, gold)
    seen: list[tuple[list[float], np.ndarray]] = []
    score = extractor_module.score_sentence

    def watched(span, language, *, sentence=None, embedding=None, **rest):  # type: ignore[no-untyped-def]
        values = sentence_features(span, language)
        values.update(
            context_features(
                rest.get("quote_type", "direct"), rest.get("outlet_speaks", False)
            )
        )
        if sentence is not None:
            values["question"] = float(sentence.text.rstrip().endswith("?"))
        seen.append(([values[n] for n in names], np.asarray(embedding)))
        try:
            return score(span, language, sentence=sentence, embedding=embedding, **rest)
        except RuntimeError:
            # The packaged weights predate a feature change (the run that retrains
            # them): the claims are what we need, their score and type are not.
            return Score(0.0, "other")

    extractor = SentenceExtractor()
    rows = NewsRows([], np.zeros((0, len(names))), {}, [], [], [], [])
    hand: list[list[float]] = []
    extractor_module.score_sentence = watched  # type: ignore[assignment]
    try:
        for item, article in zip(gold, articles, strict=True):
            seen.clear()
            (claims,) = extractor.extract_many([article])
            if not isinstance(claims, list) or len(claims) != len(seen):
                raise SystemExit(f"{item.id}: extraction failed: {claims}")
            spans = news_gold.locate(item, article.text)
            # Claims wholly inside a heading are left out, as the news-gold score does.
            kept = [
                i
                for i, c in enumerate(claims)
                if not any(
                    s <= c.char_start and c.char_end <= e for s, e in spans.headings
                )
            ]
            matches = news_gold.align(
                [claims[i] for i in kept], item.claims, spans.sentences
            )
            for j, i in enumerate(kept):
                key = f"news:{item.id}:{i}"
                rows.keys.append(key)
                hand.append(seen[i][0])
                rows.vectors[key] = seen[i][1]
                rows.labels.append(
                    int(j in matches and item.claims[matches[j]].checkworthy)
                )
                rows.groups.append(item.id)
                rows.languages.append(item.language)
                rows.matched.append(j in matches)
                rows.texts.append(claims[i].text)
                rows.claim_types.append(claims[i].claim_type)
                rows.quote_types.append(claims[i].quote_type)
                rows.outlet_speaks.append(claims[i].speaker == article.outlet)
            print(f"news {item.id}: {len(kept)} claims", file=sys.stderr)
    finally:
        extractor_module.score_sentence = score
    rows.x = np.asarray(hand, dtype=np.float64)
    np.savez(
        stored,
        names=np.array(names),
        keys=np.array(rows.keys),
        x=rows.x,
        vectors=np.stack([rows.vectors[k] for k in rows.keys]),
        labels=np.array(rows.labels),
        groups=np.array(rows.groups),
        languages=np.array(rows.languages),
        matched=np.array(rows.matched),
        texts=np.array(rows.texts),
        claim_types=np.array(rows.claim_types),
        quote_types=np.array(rows.quote_types),
        outlet_speaks=np.array(rows.outlet_speaks),
    )
    return rows


def merge_news(parts: list[NewsRows]) -> NewsRows:
    """The news rows of several gold files (news-gold, news-gold-2) as one source.

    Each article stays its own group (the LOAO folds hold one article out, whichever
    file it came from); an article id in two files would merge two articles' folds
    and give two claims one key, so it is refused.
    """
    seen: dict[str, int] = {}
    for index, part in enumerate(parts):
        for group in set(part.groups):
            if seen.setdefault(group, index) != index:
                raise SystemExit(f"news article {group} is in two gold files")
    merged = NewsRows([], np.zeros((0, len(feature_names()))), {}, [], [], [], [])
    for part in parts:
        merged.keys += part.keys
        merged.vectors.update(part.vectors)
        merged.labels += part.labels
        merged.groups += part.groups
        merged.languages += part.languages
        merged.matched += part.matched
        merged.texts += part.texts
        merged.claim_types += part.claim_types
        merged.quote_types += part.quote_types
        merged.outlet_speaks += part.outlet_speaks
    merged.x = np.vstack([merged.x, *(part.x for part in parts)])
    return merged


def hand_features(corpus: Corpus, cache: Path) -> np.ndarray:
    """Parse once (a DocBin in the cache), then compute the current features."""
    from spacy.tokens import DocBin

    names = feature_names()
    computed = cache / f"{corpus.name}.features-{_features_fingerprint()}.npz"
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
    language: np.ndarray
    trainable: np.ndarray  # False: scored by the news CV, never trained on
    share: dict[str, float] = field(default_factory=dict)
    weight: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        # Each source weighs its share (1 unless --share says otherwise) in total;
        # inside it, positives and negatives weigh the same.
        self.weight = np.zeros(len(self.labels))
        sources = np.unique(self.source[self.trainable])
        for name in sources:
            for label in (0, 1):
                mask = (self.source == name) & (self.labels == label) & self.trainable
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
            self.language[mask],
            self.trainable[mask],
            self.share,
        )


def fit(table: Table, c: float) -> tuple[np.ndarray, np.ndarray, LogisticRegression]:
    table = table.subset(table.trainable)
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


def news_cv(table: Table, c: float, threshold: float) -> dict[str, object]:
    """Leave one news article out at a time: mean per-article AP per language.

    Also the mean logit per language (with the threshold folded in, as the packaged
    model scores): far apart, they would say the model tells languages apart
    rather than claims, as the French-positives-only model did.
    """
    news = table.source == "news"
    logits = np.zeros(len(table.labels))
    for article in sorted(set(table.group[news].tolist())):
        test = news & (table.group == article)
        fitted = fit(table.subset(~test & (table.group != "held-out")), c)
        probability = np.clip(predict(fitted, table.x[test]), 1e-12, 1 - 1e-12)
        logits[test] = np.log(probability / (1 - probability))
    logits -= math.log(threshold / (1 - threshold))
    report: dict[str, object] = {}
    for language in sorted(set(table.language[news].tolist())):
        rows = news & (table.language == language)
        precisions = [
            average_precision(
                table.labels[rows & (table.group == article)].tolist(),
                logits[rows & (table.group == article)].tolist(),
            )
            for article in sorted(set(table.group[rows].tolist()))
            if table.labels[rows & (table.group == article)].any()
        ]
        report[language] = {
            "articles": len(precisions),
            "average_precision": round(float(np.mean(precisions)), 4),
            "mean_logit": round(float(logits[rows].mean()), 3),
            "share_above_0.5": round(float((logits[rows] > 0).mean()), 3),
        }
    return report


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
            "Logistic regression on standardised features; trained on "
            + ", ".join(str(name) for name in sorted(np.unique(table.source)))
            + " (CLEF 2019 training debates, ClaimBuster 2.5xNCS training 3/4, the "
            "news gold's tune half; claimnorm French if listed); threshold folded "
            "into the intercept"
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


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clef", type=Path, required=True, help="CLEF 2019 train/ folder"
    )
    parser.add_argument("--claimbuster", type=Path, required=True)
    parser.add_argument(
        "--news-gold",
        type=Path,
        nargs="+",
        help="news-gold JSONL files (their tune halves are read), one per --news-dir",
    )
    parser.add_argument(
        "--news-dir",
        type=Path,
        nargs="+",
        help="the articles folder of each --news-gold file, in the same order",
    )
    parser.add_argument(
        "--french", type=Path, help="claimnorm train-fra.csv (off by default)"
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
        help="total weight of a source (clef, claimbuster, news, french); default 1",
    )
    parser.add_argument(
        "--no-embeddings", action="store_true", help="features model only"
    )
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    parser.add_argument(
        "--score-held-out",
        action="store_true",
        help="also score ClaimBuster's held-out quarter (once, on the final model)",
    )
    args = parser.parse_args(argv)
    if (args.news_gold is None) != (args.news_dir is None):
        parser.error("--news-gold and --news-dir go together")
    if args.news_gold is not None and len(args.news_gold) != len(args.news_dir):
        parser.error("one --news-dir per --news-gold file, in the same order")
    args.cache.mkdir(parents=True, exist_ok=True)
    return args


@dataclass
class Loaded:
    """The stacked table, the debates with every line in it, and the news rows."""

    table: Table
    complete: list[str]
    dimensions: int
    news: NewsRows | None


def build_table(args: argparse.Namespace) -> Loaded:
    """Read every source, compute (or load) features and vectors, stack them."""
    corpora = [read_clef(args.clef), read_claimbuster(args.claimbuster)]
    if args.french is not None:
        corpora.append(read_french(args.french))
    started = time.perf_counter()
    hands = [hand_features(corpus, args.cache) for corpus in corpora]
    print(f"features in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    keys = [key for corpus in corpora for key in corpus.keys]
    labels = [label for corpus in corpora for label in corpus.labels]
    sources = [corpus.name for corpus in corpora for _ in corpus.keys]
    groups = [group for corpus in corpora for group in corpus.groups]
    languages = [corpus.language for corpus in corpora for _ in corpus.keys]
    trainable = [True] * len(keys)
    news = None
    if args.news_gold is not None:
        news = merge_news(
            [
                read_news(gold, folder, args.cache)
                for gold, folder in zip(args.news_gold, args.news_dir, strict=True)
            ]
        )
        hands.append(news.x)
        keys += news.keys
        labels += news.labels
        sources += ["news"] * len(news.keys)
        groups += news.groups
        languages += news.languages
        # A claim the extractor cut wrong (no gold claim matches it) says nothing of
        # its words' check-worthiness: scored by the news CV as a miss, not learned.
        trainable += news.matched
    x = np.vstack(hands)
    dimensions = 0
    keep = np.ones(len(keys), dtype=bool)
    if not args.no_embeddings:
        if not args.available_only:
            embed_missing(corpora, args.cache)
        vectors = cached_vectors(args.cache)
        if news is not None:
            vectors.update(news.vectors)
        keep = np.array([key in vectors for key in keys])
        dimensions = 384
        e5 = np.zeros((len(keys), dimensions))
        for row, key in enumerate(keys):
            if key in vectors:
                e5[row] = vectors[key]
        x = np.hstack([x, e5])
    table = Table(
        x,
        np.array(labels),
        np.array(sources),
        np.array(groups),
        np.array(languages),
        np.array(trainable),
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
                    str(name): int((table.source == name).sum())
                    for name in np.unique(table.source)
                },
                "complete_debates": len(complete),
            }
        ),
        file=sys.stderr,
    )
    return Loaded(table, complete, dimensions, news)


def cross_validate(loaded: Loaded, cs: list[float]) -> dict[str, object]:
    """Choose C by CLEF LODO MAP and the threshold by ClaimBuster-train CV."""
    table = loaded.table
    candidates = []
    for c in cs:
        mean_ap, per_debate = clef_map(table, c, loaded.complete)
        row = {
            "c": c,
            "clef_lodo_map": round(mean_ap, 4),
            "debates": len(loaded.complete),
        }
        print(json.dumps(row), file=sys.stderr)
        candidates.append((row, per_debate))
    best, per_debate = max(candidates, key=lambda pair: pair[0]["clef_lodo_map"])
    claimbuster = claimbuster_threshold(table, best["c"])
    report: dict[str, object] = {
        **best,
        "clef_per_debate": {k: round(v, 4) for k, v in per_debate.items()},
        "claimbuster_cv": claimbuster,
        "threshold": claimbuster["threshold"],
        "rows": len(table.labels),
        "sources": sorted(str(name) for name in np.unique(table.source)),
        "shares": table.share,
        "embedding": "e5" if loaded.dimensions else None,
    }
    if loaded.news is not None:
        report["news_tune_cv"] = news_cv(table, best["c"], claimbuster["threshold"])
    return report


def main() -> None:
    args = parse_args()
    loaded = build_table(args)
    table = loaded.table
    report = cross_validate(loaded, args.c)
    c, threshold = float(report["c"]), float(report["threshold"])  # type: ignore[arg-type]
    data = artefact(table, c, threshold, loaded.dimensions, report)
    # A named evaluation split: scored only when asked, once, after every choice
    # (what `claimtrack eval checkworthiness --held-out` reports, same vectors), so
    # that tuning runs never show it.
    if args.score_held_out:
        held_out = (table.source == "claimbuster") & (table.group == "held-out")
        report["claimbuster_held_out"] = held_out_metrics(data, table, held_out)
    print(json.dumps(report))
    if args.no_write:
        return
    name = "checkworthiness-e5.json" if loaded.dimensions else "checkworthiness.json"
    out = DATA / name
    out.write_text(json.dumps(data) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
