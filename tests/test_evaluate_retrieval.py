import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.embed import E5_MINILM, E5Embedder, Embedder
from claimtrack.evaluate.retrieval import (
    Method,
    average_precision,
    evaluate_retrieval,
    fuse_rankings,
    load_collection,
    load_qrels,
    load_queries,
    reciprocal_rank,
    score_rankings,
)
from claimtrack.evaluate.vector_cache import text_key
from claimtrack.fusion import normalize_scores, reciprocal_rank_fusion, score_fusion
from claimtrack.lexical import BM25Index, fts_query
from claimtrack.testing import FakeEmbedder, RecordingEmbedder, e5_minilm_vector
from claimtrack.vectors import FloatArray

CLAIMS = [
    {
        "id": "v1",
        "claim": "Russia is preparing to use nuclear weapons",
        "title": "Nukes",
    },
    {"id": "v2", "claim": "The city budget rose by 5 million", "title": ""},
    {"id": "v3", "claim": "Vaccines modify human DNA", "title": "DNA"},
]


@pytest.fixture
def benchmark(tmp_path: Path) -> dict[str, Path]:
    collection = tmp_path / "vclaims.jsonl"
    collection.write_text("".join(json.dumps(c) + "\n" for c in CLAIMS))
    queries = tmp_path / "queries.tsv"
    queries.write_text(
        "iclaim_id\ticlaim\n"
        "q1\tIs Russia preparing nuclear weapons?\n"
        "q2\tvaccines change your DNA!!\n"
        "q3\tnot judged\n"
    )
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1\t0\tv1\t1\nq2\t0\tv3\t1\n")
    return {"collection": collection, "queries": queries, "qrels": qrels}


def test_loaders(benchmark: dict[str, Path]) -> None:
    collection = load_collection(
        benchmark["collection"], id_field="id", text_fields=("claim", "title")
    )
    assert collection["v1"] == "Russia is preparing to use nuclear weapons. Nukes"
    assert collection["v2"] == "The city budget rose by 5 million"
    assert load_queries(benchmark["queries"])["q2"] == "vaccines change your DNA!!"
    assert load_qrels(benchmark["qrels"]) == {"q1": {"v1"}, "q2": {"v3"}}


def test_metrics() -> None:
    assert average_precision(["x", "a", "b"], {"a", "b"}, 5) == pytest.approx(
        (1 / 2 + 2 / 3) / 2
    )
    assert average_precision(["x", "a"], {"a"}, 1) == 0.0
    assert reciprocal_rank(["x", "y", "a"], {"a"}) == pytest.approx(1 / 3)
    assert score_rankings({"q": [("a", 1.0)]}, {"q": {"a"}}, ks=(1,)) == {
        "queries": 1,
        "map@1": 1.0,
        "mrr": 1.0,
        "recall@1": 1.0,
    }


@pytest.mark.parametrize("method", ["vector", "bm25", "hybrid"])
def test_evaluate_retrieval_finds_the_right_claims(
    benchmark: dict[str, Path], method: Method
) -> None:
    result = evaluate_retrieval(
        load_collection(benchmark["collection"], id_field="id", text_fields=("claim",)),
        load_queries(benchmark["queries"]),
        load_qrels(benchmark["qrels"]),
        method=method,
        embedder=FakeEmbedder(),
    )
    assert (result["queries"], result["map@5"], result["mrr"]) == (2, 1.0, 1.0)


def test_bm25_index_and_query_escaping() -> None:
    assert fts_query('a "b" AND c*') == '"a" OR "b" OR "and" OR "c"'
    index = BM25Index()
    index.add(["x", "y"], ["Les évêques votent", "The bishops vote"])
    index.add(["x"], ["ignored duplicate"])
    assert len(index) == 2
    assert index.search(["eveques"], limit=5)[0][0][0] == "x"
    assert index.search(["voting bishops"], limit=5)[0][0][0] == "y"
    assert index.search(["", "zzz"], limit=5) == [[], []]
    with pytest.raises(ValueError):
        BM25Index(tokenizer="porter'); drop table x; --")


def test_fusions() -> None:
    vector = {"q": [("a", 0.9), ("b", 0.8)]}
    lexical = {"q": [("b", 12.0), ("c", 6.0)]}
    fused = fuse_rankings(vector, lexical, bm25_weight=0.5, fusion="max")["q"]
    assert [i for i, _ in fused] == ["b", "a", "c"]
    assert score_fusion([[], [("a", 0.0)]], [0.5, 0.5]) == [("a", 0.0)]
    assert reciprocal_rank_fusion([[("a", 1.0)], [("a", 1.0)]], k=0) == [("a", 2.0)]
    vector = {"q": [("a", 0.9), ("b", 0.8), ("c", 0.1)]}
    lexical = {"q": [("b", 12.0), ("c", 6.0), ("a", 1.0)]}
    for fusion in ("minmax", "zscore", "rrf"):
        fused = fuse_rankings(vector, lexical, bm25_weight=0.5, fusion=fusion)["q"]
        assert [i for i, _ in fused] == ["b", "a", "c"]


def test_score_normalizations() -> None:
    ranking = [("a", 0.9), ("b", 0.8), ("c", 0.7)]
    assert normalize_scores(ranking, "max")[2][1] == pytest.approx(0.7 / 0.9)
    assert [s for _, s in normalize_scores(ranking, "minmax")] == pytest.approx(
        [1.0, 0.5, 0.0]
    )
    # zscore: spread measured in standard deviations, the last candidate at 0.
    assert [s for _, s in normalize_scores(ranking, "zscore")] == pytest.approx(
        [0.2 / (0.02 / 3) ** 0.5, 0.1 / (0.02 / 3) ** 0.5, 0.0]
    )
    assert normalize_scores([("a", 3.0)], "zscore") == [("a", 1.0)]
    assert normalize_scores([], "minmax") == []
    with pytest.raises(ValueError):
        normalize_scores(ranking, "softmax")  # type: ignore[arg-type]


def test_bm25_can_index_other_fields(benchmark: dict[str, Path]) -> None:
    def claims(*fields: str) -> dict[str, str]:
        return load_collection(
            benchmark["collection"], id_field="id", text_fields=fields
        )

    qrels = {"q": {"v1"}}
    result = evaluate_retrieval(claims("claim"), {"q": "Nukes"}, qrels, method="bm25")
    assert result["mrr"] == 0.0
    result = evaluate_retrieval(
        claims("claim"),
        {"q": "Nukes"},
        qrels,
        method="bm25",
        lexical_collection=claims("claim", "title"),
    )
    assert result["mrr"] == 1.0


def test_cli_eval_retrieval(benchmark: dict[str, Path]) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            "retrieval",
            "--collection",
            str(benchmark["collection"]),
            "--id-field",
            "id",
            "--text-field",
            "claim",
            "--text-field",
            "title",
            "--queries",
            str(benchmark["queries"]),
            "--qrels",
            str(benchmark["qrels"]),
            "--model",
            "fake",
            "--method",
            "hybrid",
            "--fusion",
            "zscore",
            "--bm25-weight",
            "0.5",
            "--passages",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert (metrics["queries"], metrics["map@1"], metrics["model_id"]) == (
        2,
        1.0,
        "fake/bag-of-words",
    )
    assert (metrics["fusion"], metrics["bm25_weight"], metrics["passages"]) == (
        "zscore",
        0.5,
        True,
    )


def test_the_embedder_sees_a_short_unrepeated_query_and_bm25_all_of_it() -> None:
    filler = " ".join(f"word{n % 20}" for n in range(100))  # 589 characters
    collection = {c["id"]: c["claim"] for c in CLAIMS}
    queries = {"q": f"{filler}. {filler}. Vaccines modify human DNA"}
    qrels = {"q": {"v3"}}
    embedder = RecordingEmbedder()
    evaluate_retrieval(collection, queries, qrels, method="vector", embedder=embedder)
    query_text = embedder.texts[-1]
    assert len(query_text) <= 400 and filler.startswith(query_text)
    bm25 = evaluate_retrieval(collection, queries, qrels, method="bm25")
    assert bm25["mrr"] == 1.0  # the claim's words come after 1,000 characters
    embedder.texts.clear()
    whole = evaluate_retrieval(
        collection, queries, qrels, embedder=embedder, query_chars=0
    )
    assert embedder.texts[-1] == f"{filler}. Vaccines modify human DNA"
    assert whole["query_chars"] == 0


def test_cli_reuses_the_vector_cache_and_embeds_fact_checks_without_framing(
    tmp_path: Path,
) -> None:
    reviewed = [
        {
            "id": "f1",
            "claim": "Says the mayor doubled the parking fines in 2023.",
            "title": "Say goodbye to cheap parking",  # a headline: kept as it is
        },
        {"id": "f2", "claim": '"Crime in the city fell by 20 percent."'},
        {"id": "f3", "claim": "Sayreville built three new schools."},
    ]
    collection = tmp_path / "fact-checks.jsonl"
    collection.write_text("".join(json.dumps(r) + "\n" for r in reviewed))
    queries = tmp_path / "queries.tsv"
    queries.write_text("q1\tthe mayor has doubled parking fines\n")
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1\t0\tf1\t1\n")
    cache = tmp_path / "cache"
    arguments = [
        "eval",
        "retrieval",
        "--collection",
        str(collection),
        "--id-field",
        "id",
        "--text-field",
        "claim",
        "--text-field",
        "title",
        "--queries",
        str(queries),
        "--qrels",
        str(qrels),
        "--model",
        "fake",
        "--vector-cache",
        str(cache),
    ]
    runs = [
        CliRunner().invoke(cli, arguments, catch_exceptions=False) for _ in range(2)
    ]
    assert [run.exit_code for run in runs] == [0, 0], runs[0].output
    first, second = (json.loads(run.stdout) for run in runs)
    assert (first["texts_embedded"], second["texts_embedded"]) == (4, 0)
    assert {
        k: v for k, v in first.items() if k not in ("seconds", "texts_embedded")
    } == {k: v for k, v in second.items() if k not in ("seconds", "texts_embedded")}
    (cache_file,) = cache.iterdir()
    with np.load(cache_file) as saved:
        keys = set(saved["keys"].tolist())
    embedded = {
        "The mayor doubled the parking fines in 2023.. Say goodbye to cheap parking",
        "Crime in the city fell by 20 percent.",
        "Sayreville built three new schools.",
        "the mayor has doubled parking fines",
    }
    assert keys == {text_key(text) for text in embedded}
    kept = CliRunner().invoke(cli, [*arguments, "--keep-framing"])
    assert json.loads(kept.stdout)["texts_embedded"] == 2  # f1 and f2 as given


class TableEmbedder(Embedder):
    """An e5-minilm stand-in that looks each text's vector up in a table."""

    model_id = E5_MINILM
    dimensions = 2 * E5Embedder.dimensions

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table

    def embed_batch(self, texts: Sequence[str]) -> FloatArray:
        return np.stack([self.table[text] for text in texts]).astype(np.float32)


ENGLISH_QUERY = "Officials said Russia has been moving nuclear warheads for weeks"
FRENCH_QUERY = (
    "Selon des responsables, la Russie déplace des ogives depuis des semaines"
)


def test_each_query_vector_is_weighed_by_its_detected_language() -> None:
    """E5 alone prefers one claim, E5 and MiniLM together the other (as the matcher)."""
    query = e5_minilm_vector([1], [1])
    embedder = TableEmbedder(
        {
            "by e5": e5_minilm_vector([0.9, np.sqrt(0.19)], [0, 1]),
            "by both": e5_minilm_vector([0.8, 0, 0.6], [0.8, 0, 0.6]),
            ENGLISH_QUERY: query,
            FRENCH_QUERY: query,
        }
    )
    collection = {"e5": "by e5", "both": "by both"}
    queries = {"en": ENGLISH_QUERY, "fr": FRENCH_QUERY}
    qrels = {"en": {"both"}, "fr": {"e5"}}
    detected = evaluate_retrieval(
        collection, queries, qrels, method="vector", embedder=embedder
    )
    assert (detected["map@1"], detected["english_queries"]) == (1.0, 1)
    all_french = evaluate_retrieval(
        collection,
        queries,
        qrels,
        method="vector",
        embedder=embedder,
        query_language="fr",
    )
    assert (all_french["map@1"], all_french["english_queries"]) == (0.5, 0)
