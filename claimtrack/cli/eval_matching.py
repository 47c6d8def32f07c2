"""claimtrack eval matching: score same-claim decisions on labelled pairs."""

from __future__ import annotations

import json

import click

from claimtrack.cli.evaluate import evaluate
from claimtrack.cli.options import model_option
from claimtrack.evaluate.matching import evaluate_matching, load_pairs
from claimtrack.plugins import get_embedder


@evaluate.command(name="matching")
@click.argument("pairs_path", type=click.Path(exists=True, dir_okay=False))
@model_option
def matching(pairs_path: str, model: str) -> None:
    """Score same / suggested / opposite decisions on claim pairs as JSON

    PAIRS_PATH is JSONL, one pair a line: {"a", "b", "label":
    "same|different|opposite", "kind", "lang_a", "lang_b"} (speaker_a/b and
    quote_type_a/b optional). Prints precision and recall of each decision,
    overall, per kind and per language pair, with the product's thresholds.

    \b
    Example:
        claimtrack eval matching benchmarks/data/pairs-news.report.jsonl
    """
    pairs = load_pairs(pairs_path)
    result = evaluate_matching(pairs, get_embedder(model))
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))
