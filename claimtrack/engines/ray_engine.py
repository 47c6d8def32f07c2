"""Ingest on Ray Data: extraction and embedding on actors, one writer here.

Ray Data over Dask: the work is a stateful map (each worker loads spaCy and the
sentence encoders once, minutes of start-up and GBs of memory), which Ray Data's
``map_batches`` over an actor pool expresses directly, with GPUs given per actor
(``num_gpus``) and results streamed back in order (``preserve_order``); Dask's
equivalent needs hand-managed worker state. Ray is imported only here.

The driver cuts the input into the batches the single-process ingest makes
(``ARTICLES_PER_BATCH`` articles, less those whose text is stored already or will be
by an earlier batch); each batch is one row of the dataset, so an actor runs the
same calls on the same texts together (:func:`claimtrack.tracker.extract_and_embed`)
and a Ray ingest stores the same rows, to the last bit of every vector. Results come
back in the order of the input, and the writer in this process stores each batch as
``Tracker.ingest_many`` does: corrected metadata first, then each article matched
and stored in one transaction (:meth:`Tracker.store_extracted`). Give the articles
in publication order, as for ``claimtrack ingest``.

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

    def __call__(self, rows: dict[str, Any]) -> dict[str, Any]:
        # One row is one ingest batch (see _plan), so a worker embeds exactly the
        # batches the single process embeds.
        results = []
        for articles in rows["articles"]:
            batch = [Article.model_validate(a) for a in json.loads(str(articles))]
            results.append(json.dumps(work_on(batch, self.extractor, self.embedder)))
        return {"index": rows["index"], "result": results}


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
        batches, fresh = _plan(tracker, window)
        results = _results(
            ray, fresh, extractor, embedder, workers, cpus_per_worker, gpus_per_worker
        )
        outcomes: dict[tuple[str, str], dict[str, Any]] = {}
        for batch, sent in zip(batches, fresh, strict=True):
            if sent:
                outcomes.update(
                    ((a.id, a.text_sha256), json.loads(result))
                    for a, result in zip(sent, next(results), strict=True)
                )
            for result in _write_batch(tracker, batch, outcomes, on_error):
                if progress is not None:
                    progress(result)
                yield result


def _plan(
    tracker: Tracker, window: list[Article]
) -> tuple[list[list[Article]], list[list[Article]]]:
    """The window's ingest batches, and the articles of each the workers must do.

    The batches are Tracker.ingest_many's, and so is what is left out of each: an
    article whose text is stored already, or will be by an earlier batch. The
    workers then embed the same texts together as one process does (a model's last
    bits can depend on what else is in its batch).
    """
    batches = [
        window[start : start + ARTICLES_PER_BATCH]
        for start in range(0, len(window), ARTICLES_PER_BATCH)
    ]
    earlier: set[tuple[str, str]] = set()
    fresh = []
    for batch in batches:
        fresh.append(
            [
                a
                for a in batch
                if (a.id, a.text_sha256) not in earlier
                and tracker.store.article_fingerprint(a.id) != a.text_sha256
            ]
        )
        earlier.update((a.id, a.text_sha256) for a in batch)
    return batches, fresh


def _write_batch(
    tracker: Tracker,
    batch: list[Article],
    outcomes: dict[tuple[str, str], dict[str, Any]],
    on_error: ErrorHandler | None,
) -> Iterator[IngestResult]:
    """Store one batch as Tracker.ingest_many does: metadata first, then the rest."""
    stored = []
    for article in batch:
        done = tracker.store_metadata(article)
        if done is None:
            stored.append(article)
        else:
            yield done
    for article in stored:
        outcome = outcomes.get((article.id, article.text_sha256))
        if outcome is None:  # planned as stored, but it is not (deleted meanwhile)
            (outcome,) = map(
                json.loads, work_on([article], tracker.extractor, tracker.embedder)
            )
        result = _write(tracker, article, outcome, on_error)
        if result is not None:
            yield result


def _results(
    ray: Any,
    batches: list[list[Article]],
    extractor: str | Extractor,
    embedder: str | Embedder,
    workers: int,
    cpus: float,
    gpus: float,
) -> Iterator[list[str]]:
    """Each non-empty batch's results, in order: one JSON text per article."""
    rows = [
        {
            "index": i,
            "articles": json.dumps([a.model_dump(mode="json") for a in batch]),
        }
        for i, batch in enumerate(batches)
        if batch
    ]
    if not rows:
        return iter(())
    # One block per batch, so that the actors share the batches out.
    dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
        ArticleWorker,
        fn_constructor_kwargs={"extractor": extractor, "embedder": embedder},
        batch_size=1,
        # No more actors than batches: each would load the models for nothing.
        compute=ray.data.ActorPoolStrategy(size=min(workers, len(rows))),
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
