"""--engine ray: Ray Data workers (local mode) give the database one process gives."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from claimtrack.models import Article
from claimtrack.sources import read_articles
from claimtrack.testing import FakeEmbedder, FakeExtractor
from claimtrack.tracker import Tracker

ray = pytest.importorskip("ray")

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "articles"
# Columns that say when a row was written, not what it holds.
WRITE_TIMES = {"ingested_at", "applied_at"}
FAKES = ["--model", "fake", "--extractor", "fake"]


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def rows_of(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order, without write times."""
    db = Database(path)
    tables = {}
    for table in db.tables:
        # Full-text indexes are derived, and their rowids follow set order.
        if "_fts" in table.name or table.name.startswith("sqlite_"):
            continue
        # embeddings.id is a row number; the rest is content.
        skip = WRITE_TIMES | ({"id"} if table.name == "embeddings" else set())
        columns = [c for c in table.columns_dict if c not in skip]
        select = ", ".join(f"[{c}]" for c in sorted(columns))
        tables[table.name] = list(
            db.execute(f"select {select} from [{table.name}] order by {select}")
        )
    return tables


def articles() -> list[Article]:
    texts = list(read_articles([EXAMPLES]))
    failing = Article(id="empty", text="   ")  # extraction finds nothing
    return [*texts, failing, texts[0].model_copy(update={"id": "reprint"})]


def test_ray_ingest_stores_the_same_rows_as_one_process(
    local_ray: None, tmp_path: Path
) -> None:
    from claimtrack.engines.ray_engine import ingest_with_ray

    local = Tracker(
        tmp_path / "local.db", extractor=FakeExtractor(), embedder=FakeEmbedder()
    )
    local_results = list(local.ingest_many(articles()))
    distributed = Tracker(
        tmp_path / "ray.db", extractor=FakeExtractor(), embedder=FakeEmbedder()
    )
    ray_results = list(
        ingest_with_ray(
            distributed,
            articles(),
            extractor=FakeExtractor(),
            embedder=FakeEmbedder(),
            workers=2,
        )
    )
    assert [r.status for r in ray_results] == [r.status for r in local_results]
    assert [r.copy_of for r in ray_results] == [r.copy_of for r in local_results]
    assert ray_results[-1].copy_of == local_results[0].article.id
    assert rows_of(tmp_path / "ray.db") == rows_of(tmp_path / "local.db")

    again = list(
        ingest_with_ray(
            distributed, articles(), extractor=FakeExtractor(), embedder=FakeEmbedder()
        )
    )
    assert {r.status for r in again} == {"unchanged"}


class BatchSensitiveEmbedder(FakeEmbedder):
    """Vectors that depend, in their last bits, on what else is in the batch (as
    sentence-transformers' padded batches do): a Ray ingest must batch as one process.
    """

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        matrix = super().embed_batch(texts)
        matrix[:, 0] += 1e-4 * len(texts)
        unit: np.ndarray = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
        return unit


def editions(count: int) -> list[Article]:
    """Distinct articles whose sentences repeat (links), as benchmarks/ingest.py."""
    texts = list(read_articles([EXAMPLES]))
    return [
        Article(
            id=f"edition-{n}",
            text=f"Edition {n}.\n\n{texts[n % len(texts)].text}",
            language=texts[n % len(texts)].language,
            published=f"2024-01-{n % 28 + 1:02d}T00:00:00Z",
        )
        for n in range(count)
    ]


def test_two_workers_batch_as_one_process_with_repeats_and_corrections(
    local_ray: None, tmp_path: Path
) -> None:
    """40 articles in 3 batches, one given twice, one again with a corrected title."""
    from claimtrack.engines.ray_engine import ingest_with_ray

    first = editions(40)
    first.insert(25, first[3])  # the same article again, in a later batch
    first.insert(30, first[5].model_copy(update={"title": "Corrected title"}))
    second = [first[7].model_copy(update={"outlet": "Corrected outlet"}), *first[:3]]
    statuses = {}
    for engine in ("local", "ray"):
        tracker = Tracker(
            tmp_path / f"{engine}.db",
            extractor=FakeExtractor(),
            embedder=BatchSensitiveEmbedder(),
        )
        for run, batch in enumerate((first, second)):
            if engine == "local":
                results = list(tracker.ingest_many(batch))
            else:
                results = list(
                    ingest_with_ray(
                        tracker,
                        batch,
                        extractor=FakeExtractor(),
                        embedder=BatchSensitiveEmbedder(),
                        workers=2,
                    )
                )
            statuses[engine, run] = sorted(
                (r.article.id, r.status, len(r.claims)) for r in results
            )
    assert statuses["ray", 0] == statuses["local", 0]
    assert statuses["ray", 1] == statuses["local", 1]
    assert ("edition-7", "updated", 0) in statuses["local", 1]
    assert rows_of(tmp_path / "ray.db") == rows_of(tmp_path / "local.db")


def test_cli_engine_ray_without_ray_installed_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimtrack.cli import cli

    monkeypatch.setitem(sys.modules, "ray", None)
    result = CliRunner().invoke(
        cli,
        ["ingest", str(tmp_path / "c.db"), str(EXAMPLES), "--engine", "ray", *FAKES],
    )
    assert result.exit_code == 1
    assert "pip install 'claimtrack[ray]'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.integration
def test_cli_ray_engine_with_the_default_models_matches_one_process(tmp_path: Path):
    """The real models on 1 Ray worker vs the local engine, row by row."""
    for engine, name in (("local", "local.db"), ("ray", "ray.db")):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "claimtrack",
                "ingest",
                str(tmp_path / name),
                *[str(EXAMPLES), "--quiet", "--engine", engine, "--workers", "1"],
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, result.stderr
    local, distributed = rows_of(tmp_path / "local.db"), rows_of(tmp_path / "ray.db")
    vectors = "embeddings"
    assert {k: v for k, v in distributed.items() if k != vectors} == {
        k: v for k, v in local.items() if k != vectors
    }
    for ours, theirs in zip(distributed[vectors], local[vectors], strict=True):
        blob = next(i for i, value in enumerate(ours) if isinstance(value, bytes))
        assert ours[:blob] == theirs[:blob]
        np.testing.assert_allclose(
            np.frombuffer(ours[blob], "<f4"),
            np.frombuffer(theirs[blob], "<f4"),
            atol=1e-5,
        )
