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
from claimtrack.evaluate import news_gold
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
@click.argument(
    "articles_dir",
    required=False,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--format",
    "data_format",
    type=click.Choice(["factcheck-gpt", "claimnorm", "golden", "news-gold"]),
    default="factcheck-gpt",
    show_default=True,
    help="Factcheck-Bench JSONL, CheckThat! claim-normalisation CSV, a golden JSON, "
    "or news-gold JSONL (with ARTICLES_DIR)",
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
@click.option(
    "--split",
    type=click.Choice(["tune", "report", "all"]),
    default="all",
    show_default=True,
    help="news-gold: the articles of one half of the gold, or all",
)
@click.option(
    "--show-errors",
    is_flag=True,
    help="news-gold: list missed claims, unmatched claims and wrong speakers",
)
def extraction(
    file: Path,
    articles_dir: Path | None,
    data_format: str,
    extractor: str,
    language: str,
    min_checkworthiness: float,
    limit: int | None,
    split: str,
    show_errors: bool,
) -> None:
    """Compare extracted claims with gold claims; print precision, recall, F1 as JSON

    news-gold reads the articles from ARTICLES_DIR (articles.jsonl and html/) and
    reports, per language, recall, strict precision, speaker and quote-type accuracy,
    pronoun subjects, boilerplate and merged claims, and check-worthy average precision.

    \b
    Example:
        claimtrack eval extraction factcheck_gpt_decomposition.jsonl
        claimtrack eval extraction train-fra.csv --format claimnorm --lang fr -n 200
        claimtrack eval extraction benchmarks/data/news-gold.jsonl news-dev/ \\
            --format news-gold --split tune
    """
    if (data_format == "news-gold") != (articles_dir is not None):
        raise click.UsageError(
            "ARTICLES_DIR goes with --format news-gold, and news-gold needs it: "
            "the folder with articles.jsonl and html/."
        )
    backend = get_extractor(extractor)
    if articles_dir is not None:
        result = news_gold.evaluate(
            file,
            articles_dir,
            backend,
            split=cast(news_gold.Split, split),
            show_errors=show_errors,
        )
    elif data_format == "claimnorm":
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
