"""claimtrack eval retrieval: rank a claim collection for queries and score it."""

from __future__ import annotations

import json
from typing import cast

import click

from claimtrack.cli.evaluate import evaluate
from claimtrack.cli.options import model_option
from claimtrack.evaluate.retrieval import (
    DEFAULT_BM25_WEIGHT,
    DEFAULT_FUSION,
    FUSIONS,
    Fusion,
    Method,
    evaluate_retrieval,
    load_collection,
    load_qrels,
    load_queries,
    reviewed_claim_text,
)
from claimtrack.plugins import get_embedder
from claimtrack.query import DENSE_QUERY_CHARS


@evaluate.command(name="retrieval")
@click.option(
    "--collection",
    "collection_path",
    type=click.Path(exists=True, dir_okay=False),
    required=True,
    help="JSONL file of claims to retrieve (e.g. CheckThat! vclaims.jsonl)",
)
@click.option(
    "--id-field", required=True, help="Field of each collection record holding its id"
)
@click.option(
    "--text-field",
    "text_fields",
    multiple=True,
    required=True,
    help="Field holding text to index; repeat to join several (vclaim, title)",
)
@click.option(
    "--bm25-text-field",
    "bm25_text_fields",
    multiple=True,
    help="Field for BM25 only; repeat to join several [default: the --text-field "
    "values]",
)
@click.option(
    "--queries",
    "queries_path",
    type=click.Path(exists=True, dir_okay=False),
    required=True,
    help="Queries as id<TAB>text, header line optional",
)
@click.option(
    "--qrels",
    "qrels_path",
    type=click.Path(exists=True, dir_okay=False),
    required=True,
    help="Relevance judgements in TREC format: qid 0 docid 1",
)
@model_option
@click.option(
    "--method",
    type=click.Choice(["vector", "bm25", "hybrid"]),
    default="hybrid",
    show_default=True,
    help="Rank by embeddings, by FTS5 BM25, or by their fusion (hybrid), the "
    "ranking ingest, search and fact-check matching use",
)
@click.option(
    "--fusion",
    type=click.Choice(FUSIONS),
    default=DEFAULT_FUSION,
    show_default=True,
    help="hybrid: add scores normalised by their best (max), to 1..0 (minmax) or "
    "by their spread (zscore), or add reciprocal ranks (rrf)",
)
@click.option(
    "--bm25-weight",
    type=click.FloatRange(0, 1),
    default=DEFAULT_BM25_WEIGHT,
    show_default=True,
    help="hybrid: the share of BM25 in the fused score",
)
@click.option(
    "--passages/--no-passages",
    default=False,
    show_default=True,
    help="Embed the collection as passages (E5's 'passage:' prefix) and the "
    "queries as queries; without it both sides are embedded alike",
)
@click.option(
    "--query-chars",
    type=click.IntRange(min=0),
    default=DENSE_QUERY_CHARS,
    show_default=True,
    help="The embedder sees each query's distinct sentences cut to this many "
    "characters, 0 for all; BM25 always sees the whole query",
)
@click.option(
    "--strip-framing/--keep-framing",
    default=True,
    show_default=True,
    help="Embed each collection text as fact-check import embeds a reviewed "
    "claim: without PolitiFact's leading 'Says' or quotes around the whole "
    "claim; BM25 indexes the text as given, as the product does",
)
@click.option(
    "--vector-cache",
    type=click.Path(file_okay=False),
    help="Folder keeping the model's vectors of texts: vectors found there are "
    "not computed again, new ones are added",
)
@click.option(
    "--query-language",
    metavar="CODE",
    help="ISO 639-1 code of every query, which weighs its vector as the matcher "
    "weighs a claim's [default: detected for each query]",
)
def retrieval(
    collection_path: str,
    id_field: str,
    text_fields: tuple[str, ...],
    bm25_text_fields: tuple[str, ...],
    queries_path: str,
    qrels_path: str,
    model: str,
    method: str,
    fusion: str,
    bm25_weight: float,
    passages: bool,
    query_chars: int,
    strip_framing: bool,
    vector_cache: str | None,
    query_language: str | None,
) -> None:
    """Score claim retrieval: MAP@1/3/5/10, MRR, Recall@k and timings as JSON

    Only queries that appear in the qrels are ranked, so one queries file can
    serve several splits.

    \b
    Example:
        claimtrack eval retrieval --collection vclaims.jsonl \\
          --id-field vclaim_id --text-field vclaim --text-field title \\
          --bm25-text-field vclaim --bm25-text-field title \\
          --bm25-text-field subtitle \\
          --queries dev-test.queries.tsv --qrels dev-test.qrels.tsv \\
          --method hybrid --vector-cache ~/.cache/claimtrack-eval
    """
    collection = load_collection(
        collection_path,
        id_field=id_field,
        text_fields=text_fields,
        prepare=reviewed_claim_text if strip_framing else None,
    )
    lexical_collection = load_collection(
        collection_path,
        id_field=id_field,
        text_fields=bm25_text_fields or text_fields,
    )
    result = evaluate_retrieval(
        collection,
        load_queries(queries_path),
        load_qrels(qrels_path),
        method=cast(Method, method),
        embedder=None if method == "bm25" else get_embedder(model),
        bm25_weight=bm25_weight,
        fusion=cast(Fusion, fusion),
        passages=passages,
        lexical_collection=lexical_collection,
        query_chars=query_chars,
        vector_cache=vector_cache,
        query_language=query_language,
    )
    click.echo(json.dumps(result, indent=2))
