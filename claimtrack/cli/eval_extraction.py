"""claimtrack eval checkworthiness and eval extraction: score the extractor on files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import click

from claimtrack.cli.evaluate import evaluate
from claimtrack.cli.options import extractor_option, language_choice_option
from claimtrack.evaluate import checkworthiness as checkworthiness_metrics
from claimtrack.evaluate import extraction as extraction_metrics
from claimtrack.plugins import get_extractor

_FILES = click.Path(exists=True, dir_okay=False, path_type=Path)


@evaluate.command(name="checkworthiness")
@click.argument("files", nargs=-1, required=True, type=_FILES)
@click.option(
    "--format",
    "data_format",
    type=click.Choice(["claimbuster", "clef"]),
    default="claimbuster",
    show_default=True,
    help="ClaimBuster JSON lines or CLEF TSV (line, speaker, text, label)",
)
@language_choice_option(default="en", help_text="Language of the sentences")
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=0.5,
    show_default=True,
    help="Score at or above which a sentence counts as check-worthy",
)
@click.option(
    "--held-out",
    is_flag=True,
    help="Only the ClaimBuster quarter kept out of training (sentence_id % 4 == 0)",
)
@click.option(
    "--no-embeddings",
    is_flag=True,
    help="Score with parse features only, without the multilingual E5 embeddings",
)
@click.option(
    "--positives",
    type=_FILES,
    help="clef: mark the lines of a CheckThat! 2B queries file as check-worthy",
)
def checkworthiness(
    files: tuple[Path, ...],
    data_format: str,
    language: str,
    threshold: float,
    held_out: bool,
    no_embeddings: bool,
    positives: Path | None,
) -> None:
    """Score labelled sentences and print F1, average precision and MAP as JSON

    \b
    Example:
        claimtrack eval checkworthiness claimbuster_2.5xNCS.jsonl --held-out
        claimtrack eval checkworthiness debates/*.tsv --format clef
        claimtrack eval checkworthiness transcripts/*.tsv --format clef \\
            --positives dev-test.queries.tsv
    """
    result = checkworthiness_metrics.evaluate(
        files,
        data_format=cast(checkworthiness_metrics.Format, data_format),
        language=language,
        threshold=threshold,
        held_out=held_out,
        use_embeddings=not no_embeddings,
        positives=positives,
    )
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))


@evaluate.command(name="extraction")
@click.argument("file", type=_FILES)
@click.option(
    "--format",
    "data_format",
    type=click.Choice(["factcheck-gpt", "claimnorm", "golden"]),
    default="factcheck-gpt",
    show_default=True,
    help="Factcheck-Bench JSONL, CheckThat! claim-normalisation CSV, or a golden JSON",
)
@extractor_option
@language_choice_option(
    default="fr", help_text="Language of the claimnorm posts (factcheck-gpt is English)"
)
@click.option(
    "--min-checkworthiness",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="factcheck-gpt: ignore extracted claims scoring below this",
)
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=1),
    help="claimnorm: only the first N posts",
)
def extraction(
    file: Path,
    data_format: str,
    extractor: str,
    language: str,
    min_checkworthiness: float,
    limit: int | None,
) -> None:
    """Compare extracted claims with gold claims; print precision, recall, F1 as JSON

    \b
    Example:
        claimtrack eval extraction factcheck_gpt_decomposition.jsonl
        claimtrack eval extraction train-fra.csv --format claimnorm --lang fr -n 200
    """
    backend = get_extractor(extractor)
    if data_format == "claimnorm":
        result = extraction_metrics.evaluate_claimnorm(
            file, backend, language=language, limit=limit
        )
    elif data_format == "golden":
        result = extraction_metrics.evaluate_golden(file, backend)
    else:
        result = extraction_metrics.evaluate_factcheck_gpt(
            file, backend, min_checkworthiness=min_checkworthiness
        )
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))
