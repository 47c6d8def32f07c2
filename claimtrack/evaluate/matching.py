"""Score same-claim decisions on labelled claim pairs.

A pair file is JSONL, one pair a line::

    {"a": "...", "b": "...", "label": "same|different|opposite", "kind": "paraphrase",
     "lang_a": "fr", "lang_b": "en", "speaker_a": null, "speaker_b": null,
     "quote_type_a": "none", "quote_type_b": "none"}

Only ``a``, ``b`` and ``label`` are required. Both texts are embedded with the embedder
given, as the tracker stores claims, and the pair model of that embedder decides each
pair with the product's thresholds.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.decision import PairDecision, PairModel, PairSide
from claimtrack.embed import Embedder
from claimtrack.errors import ConfigError

LABELS = ("same", "different", "opposite")
DECISIONS = ("same", "suggested", "opposite")
# Kinds whose pairs the same-link recall target is about: the same claim reworded or
# translated (benchmarks/data/PAIRS.md).
RESTATEMENT_KINDS = ("paraphrase", "translation")


@dataclass(frozen=True)
class LabelledPair:
    """One pair of a pair file."""

    a: str
    b: str
    label: str
    kind: str
    lang_a: str
    lang_b: str
    speaker_a: str | None = None
    speaker_b: str | None = None
    quote_type_a: str | None = None
    quote_type_b: str | None = None

    @property
    def languages(self) -> str:
        """The language pair, in a fixed order: "en-fr" for FR->EN and EN->FR."""
        return "-".join(sorted((self.lang_a, self.lang_b)))


def load_pairs(path: Path | str) -> list[LabelledPair]:
    """Read a JSONL pair file.

    Raises:
        ConfigError: a line is not JSON or lacks a, b or a known label.
    """
    pairs = []
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                pairs.append(
                    LabelledPair(
                        a=str(row["a"]),
                        b=str(row["b"]),
                        label=str(row["label"]),
                        kind=str(row.get("kind") or "unknown"),
                        lang_a=str(row.get("lang_a") or "en"),
                        lang_b=str(row.get("lang_b") or "en"),
                        speaker_a=row.get("speaker_a"),
                        speaker_b=row.get("speaker_b"),
                        quote_type_a=row.get("quote_type_a"),
                        quote_type_b=row.get("quote_type_b"),
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
                raise ConfigError(
                    f"{path}:{number}: not a pair line ({e}); each line needs "
                    '{"a": ..., "b": ..., "label": "same|different|opposite"}'
                ) from e
            if pairs[-1].label not in LABELS:
                raise ConfigError(
                    f"{path}:{number}: label {pairs[-1].label!r} is not one of "
                    f"{', '.join(LABELS)}"
                )
    if not pairs:
        raise ConfigError(f"{path} holds no pairs")
    return pairs


def decide_pairs(
    pairs: Sequence[LabelledPair], embedder: Embedder, model: PairModel
) -> list[PairDecision]:
    """Embed both sides of every pair as the tracker does and decide each pair."""
    texts = list(dict.fromkeys([p.a for p in pairs] + [p.b for p in pairs]))
    vectors = dict(zip(texts, embedder.embed_all(texts), strict=True))
    sides = [
        (
            PairSide(p.a, p.lang_a, vectors[p.a], p.speaker_a, p.quote_type_a),
            PairSide(p.b, p.lang_b, vectors[p.b], p.speaker_b, p.quote_type_b),
        )
        for p in pairs
    ]
    return model.decide_many(sides)


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def decision_scores(
    pairs: Sequence[LabelledPair], decisions: Sequence[PairDecision]
) -> dict[str, Any]:
    """Precision and recall of each decision over some pairs.

    ``same`` is right on a pair labelled same, ``opposite`` on one labelled opposite;
    ``suggested`` is right on a pair labelled same (a person would link it), and its
    recall counts the same pairs found as same or suggested.
    """
    made = Counter(d.decision for d in decisions)
    gold = Counter(p.label for p in pairs)
    right = Counter(
        d.decision
        for p, d in zip(pairs, decisions, strict=True)
        if d.decision is not None
        and (p.label == d.decision or (d.decision == "suggested" and p.label == "same"))
    )
    found_same = sum(
        p.label == "same" and d.decision in ("same", "suggested")
        for p, d in zip(pairs, decisions, strict=True)
    )
    return {
        "pairs": len(pairs),
        "labels": dict(sorted(gold.items())),
        "decisions": {str(k): v for k, v in sorted(made.items(), key=str)},
        "same": {
            "precision": _ratio(right["same"], made["same"]),
            "recall": _ratio(right["same"], gold["same"]),
        },
        "suggested": {
            "precision": _ratio(right["suggested"], made["suggested"]),
            "recall_same_or_suggested": _ratio(found_same, gold["same"]),
        },
        "opposite": {
            "precision": _ratio(right["opposite"], made["opposite"]),
            "recall": _ratio(right["opposite"], gold["opposite"]),
        },
    }


def _by(
    key: str, pairs: Sequence[LabelledPair], decisions: Sequence[PairDecision]
) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for index, pair in enumerate(pairs):
        groups[getattr(pair, key)].append(index)
    return {
        name: _kind_summary([pairs[i] for i in rows], [decisions[i] for i in rows])
        for name, rows in sorted(groups.items())
    }


def _kind_summary(
    pairs: Sequence[LabelledPair], decisions: Sequence[PairDecision]
) -> dict[str, Any]:
    summary = decision_scores(pairs, decisions)
    labels = {p.label for p in pairs}
    if len(labels) == 1:
        # One label per kind: say how often the decision it deserves was made.
        label = labels.pop()
        wanted: Iterable[str | None] = {
            "same": ("same",),
            "opposite": ("opposite",),
            "different": (None, "suggested", "opposite"),
        }[label]
        summary["right_decision_rate"] = _ratio(
            sum(d.decision in wanted for d in decisions), len(decisions)
        )
        summary["linked_same_rate"] = _ratio(
            sum(d.decision == "same" for d in decisions), len(decisions)
        )
    return summary


def evaluate_matching(
    pairs: Sequence[LabelledPair], embedder: Embedder, model: PairModel | None = None
) -> dict[str, Any]:
    """Decide every pair with the product defaults and score the decisions.

    Returns:
        JSON-ready figures: overall, per kind and per language pair, plus the two
        target figures (same-link precision, recall of restatements as same).
    """
    model = model or PairModel.load(embedder.model_id)
    decisions = decide_pairs(pairs, embedder, model)
    restated = [
        i
        for i, p in enumerate(pairs)
        if p.label == "same" and p.kind.startswith(RESTATEMENT_KINDS)
    ]
    overall = decision_scores(pairs, decisions)
    return {
        "model": embedder.model_id,
        "method": model.method,
        "thresholds": {
            "same": model.thresholds.same,
            "suggested": model.thresholds.suggested,
            "opposite": model.thresholds.opposite,
        },
        "targets": {
            "same_precision": overall["same"]["precision"],
            "restatement_same_recall": _ratio(
                sum(decisions[i].decision == "same" for i in restated), len(restated)
            ),
        },
        "overall": overall,
        "by_kind": _by("kind", pairs, decisions),
        "by_languages": _by("languages", pairs, decisions),
    }
