"""Ingest on Ray Data: extraction and embedding on actors, one writer here.

Ray Data over Dask: the work is a stateful map (each worker loads spaCy and the
sentence encoders once, minutes of start-up and GBs of memory), which Ray Data's
``map_batches`` over an actor pool expresses directly, with GPUs given per actor
(``num_gpus``) and results streamed back in order (``preserve_order``); Dask's
equivalent needs hand-managed worker state. Ray is imported only here.

Each actor gets batches of ``ARTICLES_PER_BATCH`` articles, exactly the batches the
single-process ingest makes, and runs the same calls on them (``extract_many``, then
one ``embed_all`` over their claims), so a Ray ingest stores the same rows. Results
come back in the order of the input, and the writer in this process matches and
stores each article in one transaction (:meth:`Tracker.store_extracted`). Give the
articles in publication order, as for ``claimtrack ingest``.

The driver holds the articles of one window (``WINDOW`` articles) at a time; the
actors live for the whole run, so the models load once per worker.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

import numpy as np

from claimtrack.embed import Embedder
from claimtrack.errors import (
    ArticleError,
    ClaimtrackError,
    ConfigError,
    ModelMismatchError,
)
from claimtrack.extract import Extractor
from claimtrack.models import Article, Claim, IngestResult
from claimtrack.tracker import (
    ARTICLES_PER_BATCH,
    ErrorHandler,
    Tracker,
    extract_and_embed,
)
from claimtrack.wirecopy import Fingerprint, fingerprint

# Articles sent to Ray per dataset; bounds the driver's memory on a long input.
WINDOW = 4096


class ArticleWorker:
    """A Ray actor: loads the models once, turns article batches into results."""

    def __init__(self, extractor: str | Extractor, embedder: str | Embedder) -> None:
        from claimtrack.plugins import get_embedder, get_extractor

        self.extractor = (
            get_extractor(extractor) if isinstance(extractor, str) else extractor
        )
        self.embedder = (
            get_embedder(embedder) if isinstance(embedder, str) else embedder
        )

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        articles = [Article.model_validate_json(text) for text in batch["article"]]
        return {
            "index": batch["index"],
            "result": work_on(articles, self.extractor, self.embedder),
        }


def work_on(
    articles: list[Article], extractor: Extractor, embedder: Embedder
) -> list[str]:
    """Extract and embed a batch as Tracker.ingest_many does; one JSON per article."""
    results = []
    for article, outcome in extract_and_embed(articles, extractor, embedder):
        if isinstance(outcome, ClaimtrackError):
            results.append(json.dumps({"error": str(outcome)}))
            continue
        claims, vectors = outcome
        minhash = fingerprint(article)
        results.append(
            json.dumps(
                {
                    "claims": [claim.model_dump(mode="json") for claim in claims],
                    "vectors": base64.b64encode(
                        np.ascontiguousarray(vectors, "<f4").tobytes()
                    ).decode(),
                    "shingles": minhash.shingles if minhash else None,
                    "signature": (
                        base64.b64encode(minhash.signature).decode()
                        if minhash
                        else None
                    ),
                }
            )
        )
    return results


def ingest_with_ray(
    tracker: Tracker,
    articles: Iterable[Article],
    *,
    extractor: str | Extractor,
    embedder: str | Embedder,
    address: str | None = None,
    workers: int = 2,
    cpus_per_worker: float = 1.0,
    gpus_per_worker: float = 0.0,
    on_error: ErrorHandler | None = None,
    progress: Callable[[IngestResult], None] | None = None,
) -> Iterator[IngestResult]:
    """Ingest articles with Ray Data workers and this process as the single writer.

    Args:
        tracker: the writer: its store, matcher and indexes.
        extractor, embedder: what each worker loads (names, or picklable objects).
        address: a Ray cluster ("ray://host:10001" or "auto"); None starts Ray here.
        workers: actors in the pool, each with its own copy of the models.
        gpus_per_worker: GPUs each actor asks for (0 on a machine without).
    """
    ray = _import_ray()
    if not ray.is_initialized():
        try:
            ray.init(
                address=address,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
            )
        except Exception as error:  # Ray raises bare Exceptions and ConnectionErrors
            where = f"the Ray cluster at {address}" if address else "a local Ray"
            raise ConfigError(
                f"Cannot start or join {where} ({str(error).splitlines()[0]}). "
                "Check --address, or run without --engine ray."
            ) from None
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    iterator = iter(articles)
    while window := list(islice(iterator, WINDOW)):
        unchanged = {
            a.id
            for a in window
            if tracker.store.article_fingerprint(a.id) == a.text_sha256
        }
        fresh = [a for a in window if a.id not in unchanged]
        results = _results(
            ray, fresh, extractor, embedder, workers, cpus_per_worker, gpus_per_worker
        )
        for article in window:
            if article.id in unchanged:
                result = IngestResult(article=article, status="unchanged")
            else:
                stored = _write(tracker, article, next(results), on_error)
                if stored is None:
                    continue
                result = stored
            if progress is not None:
                progress(result)
            yield result


def _results(
    ray: Any,
    articles: list[Article],
    extractor: str | Extractor,
    embedder: str | Embedder,
    workers: int,
    cpus: float,
    gpus: float,
) -> Iterator[dict[str, Any]]:
    if not articles:
        return iter(())
    dataset = ray.data.from_items(
        [{"index": i, "article": a.model_dump_json()} for i, a in enumerate(articles)]
    ).map_batches(
        ArticleWorker,
        fn_constructor_kwargs={"extractor": extractor, "embedder": embedder},
        batch_size=ARTICLES_PER_BATCH,
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=cpus,
        num_gpus=gpus,
        batch_format="numpy",
    )
    return (json.loads(row["result"]) for row in dataset.iter_rows())


def _write(
    tracker: Tracker,
    article: Article,
    result: dict[str, Any],
    on_error: ErrorHandler | None,
) -> IngestResult | None:
    try:
        if "error" in result:
            raise ArticleError(result["error"])
        claims = [Claim(**claim) for claim in result["claims"]]
        vectors = (
            np.frombuffer(base64.b64decode(result["vectors"]), dtype="<f4").reshape(
                len(claims), -1
            )
            if claims
            else np.zeros((0, tracker.embedder.dimensions), dtype=np.float32)
        )
        known = (
            Fingerprint(
                article.id, result["shingles"], base64.b64decode(result["signature"])
            )
            if result["signature"]
            else None
        )
        return tracker.store_extracted(article, claims, vectors, fingerprint=known)
    except ModelMismatchError:
        raise  # every later article would fail the same way
    except ClaimtrackError as error:
        if on_error is None:
            raise
        on_error(article, error)
        return None


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise ConfigError(
            "--engine ray needs Ray: pip install 'claimtrack[ray]'."
        ) from None
    return ray
