"""Measure the check-worthiness scorer on labelled sentences.

Two input formats:

* ``claimbuster``: JSON lines ``{"sentence_id", "label", "text"}`` (label 1 =
  check-worthy), the ClaimBuster 2.5xNCS file or any file of that shape (``sentence_id``
  optional);
* ``clef``: CLEF CheckThat! debate TSV,
  ``line_number<TAB>speaker<TAB>sentence<TAB>label``, one file per debate, scored as
  the mean over files of each file's average precision.

Both report precision, recall and F1 of the check-worthy class at a threshold, and
average precision of the ranking, so that a scorer is judged both as a classifier and
as a ranker.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from claimtrack.embed import E5Embedder
from claimtrack.errors import ArticleError
from claimtrack.extract.scoring import score_sentence
from claimtrack.extract.sentences import for_parsing, load_spacy_model

Format = Literal["claimbuster", "clef"]
_BATCH = 256


@dataclass(frozen=True)
class Labelled:
    """One labelled sentence."""

    text: str
    label: int
    sentence_id: int | None = None


def is_held_out(sentence_id: int) -> bool:
    """Whether a ClaimBuster sentence belongs to the quarter kept out of training."""
    return sentence_id % 4 == 0


def read_claimbuster(path: Path) -> list[Labelled]:
    """Read a ClaimBuster-style JSON-lines file.

    Raises:
        ArticleError: the file is missing or a line is not a labelled sentence.
    """
    rows = []
    for number, line in enumerate(_read(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            sentence_id = record.get("sentence_id")
            rows.append(
                Labelled(
                    str(record["text"]),
                    int(record["label"]),
                    None if sentence_id is None else int(sentence_id),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ArticleError(
                f"{path}:{number}: expected JSON with 'text' and 'label' ({error})"
            ) from error
    return rows


def read_positive_ids(path: Path) -> set[str]:
    """Read the ids of a CheckThat! 2B queries file (``<debate>_<line><TAB>text``).

    The lines fact-checkers chose to check are the check-worthy ones; this turns the
    unlabelled 2B transcripts into a (conservative) check-worthiness test.
    """
    return {
        line.split("\t", 1)[0].strip()
        for line in _read(path).splitlines()
        if line.strip()
    }


def _transcript_key(path: Path, line_number: str) -> str:
    # Query ids name a line as "2019_nov_21_235" for 2019_nov_21_fact-checking-….tsv.
    return "_".join(path.stem.split("_")[:3]) + f"_{int(line_number)}"


def read_clef(path: Path, positives: set[str] | None = None) -> list[Labelled]:
    """Read one CLEF CheckThat! debate TSV (line, speaker, sentence, label).

    Args:
        path: the TSV file.
        positives: label lines by these query ids instead of a fourth column.

    Raises:
        ArticleError: the file is missing or has no label column.
    """
    rows = []
    reader = csv.reader(
        _read(path).splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    for number, fields in enumerate(reader, start=1):
        if not fields or fields == [""]:
            continue
        if positives is not None and len(fields) >= 3 and fields[0].strip().isdigit():
            key = _transcript_key(path, fields[0].strip())
            rows.append(Labelled(fields[2], int(key in positives)))
            continue
        if len(fields) < 4 or fields[3].strip() not in ("0", "1"):
            raise ArticleError(
                f"{path}:{number}: expected line_number, speaker, sentence and a 0/1 "
                "label "
                "separated by tabs; label a transcript with --positives QUERIES.tsv"
            )
        rows.append(Labelled(fields[2], int(fields[3])))
    return rows


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ArticleError(f"No such file: {path}") from error
    except UnicodeDecodeError as error:
        raise ArticleError(f"{path} is not UTF-8 text") from error


def score_texts(
    texts: Sequence[str], language: str, *, use_embeddings: bool = True
) -> list[float]:
    """Score sentences as the extractor would, each parsed as one sentence."""
    nlp = load_spacy_model(language)
    encoder = E5Embedder() if use_embeddings else None
    scores: list[float] = []
    for start in range(0, len(texts), _BATCH):
        batch = list(texts[start : start + _BATCH])
        vectors = encoder.embed_batch(batch) if encoder and batch else None
        docs = nlp.pipe(for_parsing(text) for text in batch)
        for index, doc in enumerate(docs):
            vector = vectors[index] if vectors is not None else None
            scores.append(score_sentence(doc[:], language, embedding=vector).value)
    return scores


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Return the average precision of the positives ranked by score (ties by order)."""
    ranked = sorted(zip(scores, labels, strict=True), key=lambda pair: -pair[0])
    hits, total = 0, 0.0
    for rank, (_, label) in enumerate(ranked, start=1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def classification(
    labels: Sequence[int], scores: Sequence[float], threshold: float
) -> dict[str, float]:
    """Return precision, recall and F1 of the positive class at a threshold."""
    predicted = [score >= threshold for score in scores]
    true_positives = sum(1 for p, y in zip(predicted, labels, strict=True) if p and y)
    precision = true_positives / max(sum(predicted), 1)
    recall = true_positives / max(sum(labels), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def evaluate(
    paths: Sequence[Path],
    *,
    data_format: Format = "claimbuster",
    language: str = "en",
    threshold: float = 0.5,
    held_out: bool = False,
    use_embeddings: bool = True,
    positives: Path | None = None,
) -> dict[str, Any]:
    """Score every labelled sentence of the files and return the metrics.

    Args:
        paths: the files to read.
        data_format: "claimbuster" (JSON lines) or "clef" (one TSV per debate).
        language: the language of the sentences.
        threshold: the score at or above which a sentence counts as check-worthy.
        held_out: keep only the ClaimBuster quarter that training never saw.
        use_embeddings: score with the E5-aware model (the extractor's default).
        positives: for "clef" transcripts without labels, a CheckThat! 2B queries
            file whose ids mark the check-worthy lines; files without any are skipped.
    """
    wanted = read_positive_ids(positives) if positives is not None else None
    files = [
        read_clef(path, wanted) if data_format == "clef" else read_claimbuster(path)
        for path in paths
    ]
    if wanted is not None:
        kept = [
            (p, rows)
            for p, rows in zip(paths, files, strict=True)
            if any(r.label for r in rows)
        ]
        paths, files = [p for p, _ in kept], [rows for _, rows in kept]
    if held_out:
        files = [
            [
                r
                for r in rows
                if r.sentence_id is not None and is_held_out(r.sentence_id)
            ]
            for rows in files
        ]
    rows = [row for rows in files for row in rows]
    if not rows:
        raise ArticleError("No labelled sentences to evaluate in the given files.")
    scores = score_texts(
        [r.text for r in rows], language, use_embeddings=use_embeddings
    )
    labels = [r.label for r in rows]
    result: dict[str, Any] = {
        "format": data_format,
        "files": len(paths),
        "sentences": len(rows),
        "positives": sum(labels),
        "threshold": threshold,
        "model": "features+e5" if use_embeddings else "features",
        **{
            k: round(v, 4) for k, v in classification(labels, scores, threshold).items()
        },
        "average_precision": round(average_precision(labels, scores), 4),
    }
    if data_format == "clef":
        per_file: list[dict[str, Any]] = []
        precisions: list[float] = []
        start = 0
        for path, file_rows in zip(paths, files, strict=True):
            file_labels = labels[start : start + len(file_rows)]
            file_scores = scores[start : start + len(file_rows)]
            start += len(file_rows)
            precisions.append(average_precision(file_labels, file_scores))
            per_file.append(
                {"file": path.name, "average_precision": round(precisions[-1], 4)}
            )
        result["map"] = round(sum(precisions) / len(precisions), 4)
        result["per_file"] = per_file
    return result
