"""Tracker: the one front door, and the only code that runs the pipeline in order.

article -> claims (extract) -> vectors (embed) -> links (match) -> claims.db (store)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path

from sqlite_utils import Database

from claimtrack.decision import PairModel, claim_of_review
from claimtrack.embed import Embedder
from claimtrack.errors import ClaimtrackError, ModelMismatchError
from claimtrack.extract import Extractor
from claimtrack.index import (
    ClaimIndex,
    FactCheckIndex,
    ReplayIndex,
    forget_shared_indexes,
)
from claimtrack.matcher import (
    Clusters,
    Matcher,
    PairDecider,
    cap_suggestions,
    claim_item,
    fact_check_item,
    stored_state,
)
from claimtrack.models import (
    Article,
    Claim,
    ClaimLink,
    FactCheck,
    FactCheckImport,
    FactCheckLink,
    FactCheckRecord,
    IngestResult,
    ReembedResult,
    SearchHit,
)
from claimtrack.plugins import get_embedder, get_extractor
from claimtrack.settings import (
    DEFAULT_EMBEDDER,
    DEFAULT_EXTRACTOR,
    DEFAULT_SEARCH_LIMIT,
)
from claimtrack.store import ClaimStore, database_file
from claimtrack.stored_index import remove_saved_indexes
from claimtrack.vectors import FloatArray, VectorIndex
from claimtrack.wirecopy import Fingerprint, WireCopyFinder

logger = logging.getLogger(__name__)

ErrorHandler = Callable[[Article, ClaimtrackError], None]
# An article with its claims and their vectors, or with the error that stopped it.
Prepared = tuple[Article, tuple[list[Claim], FloatArray] | ClaimtrackError]
# Articles are extracted, then embedded together in one model call per batch.
ARTICLES_PER_BATCH = 16
# reembed waits this long for the write lock while ingests keep taking it.
REEMBED_LOCK_WAIT_SECONDS = 600.0


class Tracker:
    """Ingest articles into a claim database and search it.

    Example:
        >>> tracker = Tracker("claims.db")
        >>> result = tracker.ingest(Article(id="a1", text=body, language="fr"))
        >>> for link in result.links:
        ...     print(link.claim_id, link.decision, link.earlier_claim_id, link.score)
    """

    def __init__(
        self,
        database: str | Path | Database | ClaimStore,
        *,
        extractor: str | Extractor = DEFAULT_EXTRACTOR,
        embedder: str | Embedder = DEFAULT_EMBEDDER,
        same_threshold: float | None = None,
        suggest_threshold: float | None = None,
        pair_model: PairDecider | None = None,
    ) -> None:
        """Open a database for ingest and search.

        Args:
            same_threshold: probability of the pair model from which a pair is the
                same claim (default: the model's calibrated threshold).
            suggest_threshold: probability from which a pair is suggested.
            pair_model: decides each pair (default: the shipped model trained for
                the embedder).
        """
        self.store = (
            database if isinstance(database, ClaimStore) else ClaimStore(database)
        )
        self.extractor = (
            get_extractor(extractor) if isinstance(extractor, str) else extractor
        )
        self.embedder = (
            get_embedder(embedder) if isinstance(embedder, str) else embedder
        )
        self.matcher = _matcher(
            self.embedder.model_id, pair_model, same_threshold, suggest_threshold
        )
        self.store.check_model(self.embedder.model_id)
        # The vectors' length is read from the database: asking the embedder would
        # load its model before anything needs it.
        self.claim_index = ClaimIndex(
            self.store.db, self.embedder.model_id, embed=self.embedder.embed_all
        )
        self.fact_check_index = FactCheckIndex(
            self.store.db, self.embedder.model_id, embed=self.embedder.embed_all
        )
        self.wire_copies = WireCopyFinder(self.store)

    @property
    def index(self) -> VectorIndex:
        """The stored claim vectors in memory, kept current (see ClaimIndex)."""
        return self.claim_index.vectors

    def ingest(self, article: Article) -> IngestResult:
        """Extract, embed, match and store one article.

        Re-ingesting an unchanged article costs a hash check and changes nothing.
        """
        (result,) = self.ingest_many([article])
        return result

    def ingest_many(
        self,
        articles: Iterable[Article],
        *,
        on_error: ErrorHandler | None = None,
        progress: Callable[[IngestResult], None] | None = None,
    ) -> Iterator[IngestResult]:
        """Ingest articles in order, embedding the claims of several articles at once.

        Everything runs in the calling thread. Extracting the next batch in a worker
        thread while this one is embedded was measured 1.6x slower on two cores
        (benchmarks/ingest.py): spaCy, the sentence encoders and torch all want both
        cores. Each batch of articles is extracted first, so that check-worthiness
        runs E5 once over all their claims, and the embedder reuses those vectors.

        Args:
            articles: the articles to ingest.
            on_error: called with an article and the error it raised; the batch then
                goes on. Without it, the first error is raised. A database moved to
                another model while the batch ran always stops it.
            progress: called after each article is stored or skipped.
        """
        iterator = iter(articles)
        while batch := list(islice(iterator, ARTICLES_PER_BATCH)):
            # Same text: no extraction; only a corrected title, outlet or date is
            # stored, decided under the write lock.
            results, fresh = [], []
            for article in batch:
                done = self.store_metadata(article)
                if done is None:
                    fresh.append(article)
                else:
                    results.append(done)
            prepared = extract_and_embed(fresh, self.extractor, self.embedder)
            for result in chain(results, self._store_prepared(prepared, on_error)):
                if progress is not None:
                    progress(result)
                yield result

    def store_metadata(self, article: Article) -> IngestResult | None:
        """Store a corrected title, outlet or date of an article stored as is.

        Returns None when the article's text is not stored: it needs a full ingest.
        """
        if self.store.article_fingerprint(article.id) != article.text_sha256:
            return None  # checked without the lock first: most articles are new
        corrected = self.store.correct_metadata(article)
        if corrected is None:
            return None
        return IngestResult(
            article=article, status="updated" if corrected else "unchanged"
        )

    def _store_prepared(
        self, prepared: Sequence[Prepared], on_error: ErrorHandler | None
    ) -> Iterator[IngestResult]:
        for article, outcome in prepared:
            try:
                if isinstance(outcome, ClaimtrackError):
                    raise outcome
                yield self._store(article, *outcome)
            except ModelMismatchError:
                raise  # every later article would fail the same way
            except ClaimtrackError as error:
                if on_error is None:
                    raise
                on_error(article, error)

    def store_extracted(
        self,
        article: Article,
        claims: Sequence[Claim],
        vectors: FloatArray,
        *,
        fingerprint: Fingerprint | None = None,
    ) -> IngestResult:
        """Match and store an article whose claims and vectors were made elsewhere.

        The writer's step of an ingest whose extraction and embedding ran in other
        processes (:mod:`claimtrack.engines`): one transaction, as ``ingest`` does.

        Args:
            fingerprint: the article's wire-copy fingerprint, if a worker made it.
        """
        return self._store(article, list(claims), vectors, fingerprint)

    def _store(
        self,
        article: Article,
        claims: list[Claim],
        vectors: FloatArray,
        known_fingerprint: Fingerprint | None = None,
    ) -> IngestResult:
        """Match and store one article, deciding from what is read under the lock."""
        # A writer ranks by BM25 from the claims' words in memory (the same ranking,
        # no FTS5 statement per word: claimtrack.claim_words); searches do not.
        self.claim_index.hold_words_in_memory()
        with self.store.write_transaction():
            self._check_still_on_model()
            fingerprint = self.store.article_fingerprint(article.id)
            if fingerprint == article.text_sha256:
                # The same article came twice in one run, or another process stored it.
                corrected = self.store.correct_metadata(article)
                return IngestResult(
                    article=article, status="updated" if corrected else "unchanged"
                )
            own_ids = {claim.id for claim in self.store.claims(article_id=article.id)}
            self.matcher.reviewed = self.store.reviewed_decisions()
            links = self.matcher.link_claims(
                claims, vectors, self.claim_index, exclude=own_ids
            )
            claims, links, merges = self._place(claims, links)
            fact_check_links = self.matcher.link_claims_to_fact_checks(
                claims, vectors, self.fact_check_index
            )
            wire_copy = self.wire_copies.examine(article, known=known_fingerprint)
            ingested_at = self.store.save_article(
                article,
                claims,
                vectors,
                links,
                model_id=self.embedder.model_id,
                fact_check_links=fact_check_links,
                merges=merges,
                wire_copy=wire_copy,
            )
        # The old claims of a changed article stay in the vector index (rebuilding a
        # large one takes minutes); ClaimIndex drops hits that are no longer stored.
        logger.info("%s: %d claims, %d links", article.id, len(claims), len(links))
        return IngestResult(
            article=article,
            status="updated" if fingerprint is not None else "added",
            claims=claims,
            links=links,
            fact_check_links=fact_check_links,
            ingested_at=ingested_at,
            copy_of=wire_copy.copy_of,
        )

    def _check_still_on_model(self) -> None:
        """Stop when another process moved the database to another model meanwhile."""
        if not self.store.has_other_model(self.embedder.model_id):
            return
        others = [m for m in self.store.model_ids() if m != self.embedder.model_id]
        if others:
            raise ModelMismatchError(
                f"The database was moved to {others[0]} while this ingest ran; "
                f"nothing more was stored. Run it again with --model {others[0]}."
            )

    def _place(
        self, claims: Sequence[Claim], links: Sequence[ClaimLink]
    ) -> tuple[list[Claim], list[ClaimLink], dict[str, str]]:
        """Put each new claim in a tracked claim that agrees with its links.

        Returns:
            The claims with their tracked claim, the links (a same link that would
            join an opposite pair becomes a suggestion) and the tracked claims merged.
        """
        earlier = {link.earlier_claim_id for link in links}
        tracked_of = self.store.tracked_claim_ids(earlier)
        clusters = stored_state(
            links,
            tracked_of,
            self.store.tracked_claim_mentions(tracked_of.values()),
            self.store.opposite_tracked_pairs(tracked_of.values()),
        )
        for tracked_id in self.store.existing_tracked_claims(c.id for c in claims):
            clusters.reserve(tracked_id)
        placed: list[ClaimLink] = []
        for claim in claims:
            placed.extend(
                clusters.place(
                    claim.id, [link for link in links if link.claim_id == claim.id]
                )
            )
        claims = [
            claim.model_copy(update={"tracked_claim_id": clusters.tracked_id(claim.id)})
            for claim in claims
        ]
        return claims, cap_suggestions(placed), clusters.merges()

    def claims(
        self, *, article_id: str | None = None, limit: int | None = None
    ) -> list[Claim]:
        """Return stored claims in reading order, optionally for one article."""
        return self.store.claims(article_id=article_id, limit=limit)

    def search(self, text: str, k: int = DEFAULT_SEARCH_LIMIT) -> list[SearchHit]:
        """Return the k stored claims closest to text, best first.

        Ranked as ingest ranks candidates: cosines fused with BM25. A long text is
        embedded by its first distinct sentences (:func:`dense_query`); each hit's
        score is its cosine to the query.
        """
        hits = self.claim_index.similar(text, k=k)
        by_id = {c.id: c for c in self.store.claims(claim_ids=[h.id for h in hits])}
        return [
            SearchHit(claim=by_id[hit.id], score=hit.similarity)
            for hit in hits
            if hit.id in by_id
        ]

    # ---- fact-checks -----------------------------------------------------------

    def import_fact_checks(
        self, fact_checks: Iterable[FactCheckRecord | FactCheck]
    ) -> FactCheckImport:
        """Store fact-checks, embed them and link them to the stored claims.

        Runs in one transaction. Re-importing an unchanged fact-check costs a lookup
        and changes nothing; a changed one is re-embedded and re-linked. Links get
        the same decisions as claim links; only fact-checks linked as "same" give a
        tracked claim its verdict.

        Example:
            >>> from claimtrack.factchecks import read_fact_checks
            >>> result = tracker.import_fact_checks(read_fact_checks(["reviews.json"]))
            >>> result.added, len(result.links)
        """
        records = {
            record.fact_check.id: record for record in map(_as_record, fact_checks)
        }
        model_id = self.embedder.model_id
        embedded = self.store.fact_check_texts(records, model_id=model_id)
        renew = [
            record.fact_check
            for fc_id, record in records.items()
            if embedded.get(fc_id) != record.fact_check.claim_reviewed
        ]
        vectors = self.embedder.embed_all(
            [claim_of_review(fc.claim_reviewed) for fc in renew]
        )
        with self.store.write_transaction():
            self._check_still_on_model()
            known = self.store.fact_check_texts(records)
            self.matcher.reviewed = self.store.reviewed_decisions()
            links = self.matcher.link_fact_checks_to_claims(
                renew, vectors, self.claim_index
            )
            self.store.save_fact_checks(
                [(r.fact_check, r.raw) for r in records.values()],
                [(fc.id, vector) for fc, vector in zip(renew, vectors, strict=True)],
                links,
                model_id=model_id,
            )
        added = sum(fc_id not in known for fc_id in records)
        logger.info("%d fact-checks, %d links", len(records), len(links))
        return FactCheckImport(
            added=added,
            updated=len(renew) - sum(fc.id not in known for fc in renew),
            unchanged=len(records) - len(renew),
            links=links,
        )


def extract_and_embed(
    articles: Sequence[Article], extractor: Extractor, embedder: Embedder
) -> list[Prepared]:
    """Extract a batch of articles, then embed all their claims in one model call.

    The per-article work of an ingest, the same in this process and on the workers
    of :mod:`claimtrack.engines`: the vectors the extractor made (E5, for
    check-worthiness) are passed on to the embedder, which does not compute them
    again. Batched alike, the results are the same bit for bit.

    Returns:
        Each article with its claims and their vectors, or with its error, in order.
    """
    extracted, scoring_vectors = extractor.extract_many_with_vectors(articles)
    claims = [
        claim
        for outcome in extracted
        if not isinstance(outcome, ClaimtrackError)
        for claim in outcome
    ]
    import numpy as np

    known = {
        model_id: np.stack([by_claim[claim.id] for claim in claims])
        for model_id, by_claim in scoring_vectors.items()
        if claims and all(claim.id in by_claim for claim in claims)
    }
    vectors = embedder.embed_reusing([claim.text for claim in claims], known)
    prepared: list[Prepared] = []
    start = 0
    for article, outcome in zip(articles, extracted, strict=True):
        if isinstance(outcome, ClaimtrackError):
            prepared.append((article, outcome))
            continue
        prepared.append((article, (outcome, vectors[start : start + len(outcome)])))
        start += len(outcome)
    return prepared


def _matcher(
    model_id: str,
    pair_model: PairDecider | None,
    same_threshold: float | None,
    suggest_threshold: float | None,
) -> Matcher:
    if (
        same_threshold is not None
        and suggest_threshold is not None
        and not 0.0 <= suggest_threshold <= same_threshold <= 1.0
    ):
        raise ValueError(
            "thresholds must satisfy 0 <= suggest_threshold <= same_threshold <= 1"
        )
    matcher = (
        Matcher.for_model(model_id)
        if pair_model is None
        else Matcher(pair_model, model_id)
    )
    if same_threshold is None and suggest_threshold is None:
        return matcher
    if not isinstance(matcher.pair_model, PairModel):
        raise ValueError("same and suggest thresholds apply to the shipped pair model")
    return Matcher(
        matcher.pair_model.with_thresholds(same_threshold, suggest_threshold),
        model_id,
    )


def _as_record(item: FactCheckRecord | FactCheck) -> FactCheckRecord:
    if isinstance(item, FactCheck):
        return FactCheckRecord(fact_check=item, raw=item.model_dump(mode="json"))
    return item


def reembed(
    database: str | Path | Database | ClaimStore,
    embedder: str | Embedder,
    *,
    same_threshold: float | None = None,
    suggest_threshold: float | None = None,
    pair_model: PairDecider | None = None,
    reuse_vectors: bool = False,
) -> ReembedResult:
    """Move a database to another embedding model: new vectors, links and clusters.

    Every claim and fact-check is embedded with the new model, then the articles are
    matched again in the order they were published (or ingested) by the same
    :class:`~claimtrack.matcher.Matcher` an ingest uses. The slow part, embedding
    what is stored, runs first without a lock; then, holding the write lock, the
    claims and fact-checks are read again, those stored meanwhile are embedded too,
    and the replay and the swap of every vector, link and tracked claim happen in
    that one transaction. So no claim is left without a vector, links or a tracked
    claim, and an interrupted run leaves the database as it was. An ingest that
    embedded with the old model meanwhile stops with a clear error.

    Args:
        reuse_vectors: keep the vectors stored with this embedder's model and embed
            only what has none: the database is matched again with the model it has
            (``claimtrack check --repair``).

    Example:
        >>> reembed("claims.db", "minilm").claims
        45
    """
    store = database if isinstance(database, ClaimStore) else ClaimStore(database)
    embedder = get_embedder(embedder) if isinstance(embedder, str) else embedder
    matcher = _matcher(embedder.model_id, pair_model, same_threshold, suggest_threshold)
    claim_texts = {c.id: c.text for c in store.claims()}
    fact_check_texts = {
        fc.id: claim_of_review(fc.claim_reviewed) for fc in store.fact_checks()
    }
    known_claims: Embedded = {}
    known_fact_checks: Embedded = {}
    if reuse_vectors:
        known_claims, known_fact_checks = _stored_vectors(
            store, embedder.model_id, claim_texts, fact_check_texts
        )
    claim_vectors = _embedded(embedder, claim_texts, known_claims)
    fact_check_vectors = _embedded(embedder, fact_check_texts, known_fact_checks)
    with store.write_transaction(wait_seconds=REEMBED_LOCK_WAIT_SECONDS):
        claims = store.claims_in_publication_order()
        fact_checks = store.fact_checks()
        claim_vectors = _embedded(
            embedder, {c.id: c.text for c in claims}, claim_vectors
        )
        fact_check_vectors = _embedded(
            embedder,
            {fc.id: claim_of_review(fc.claim_reviewed) for fc in fact_checks},
            fact_check_vectors,
        )
        matcher.reviewed = store.reviewed_decisions()
        links, tracked = _replay(matcher, embedder.dimensions, claims, claim_vectors)
        fact_check_links = _replay_fact_checks(
            matcher,
            embedder.dimensions,
            claims,
            claim_vectors,
            fact_checks,
            fact_check_vectors,
        )
        store.replace_model(
            embedder.model_id,
            [(claim.id, claim_vectors[claim.id][1]) for claim in claims],
            [(fc.id, fact_check_vectors[fc.id][1]) for fc in fact_checks],
            links,
            fact_check_links,
            tracked,
        )
    # A saved graph holds old vectors under the same claim ids: it must go.
    database_path = database_file(store.db)
    if database_path is not None:
        remove_saved_indexes(database_path)
    forget_shared_indexes(database_path)
    return ReembedResult(
        model_id=embedder.model_id,
        claims=len(claims),
        fact_checks=len(fact_checks),
        links=len(links),
        fact_check_links=len(fact_check_links),
    )


Embedded = dict[str, tuple[str, FloatArray]]  # id -> (text embedded, vector)


def _embedded(
    embedder: Embedder, texts: dict[str, str], known: Embedded | None = None
) -> Embedded:
    """Vectors for every id's text, embedding only those not in known (or changed)."""
    known = known or {}
    todo = [i for i, text in texts.items() if known.get(i, ("", None))[0] != text]
    fresh: Embedded = {}
    if todo:
        vectors = embedder.embed_all([texts[i] for i in todo])
        fresh = {i: (texts[i], vector) for i, vector in zip(todo, vectors, strict=True)}
    return {i: fresh[i] if i in fresh else known[i] for i in texts}


def _stored_vectors(
    store: ClaimStore,
    model_id: str,
    claim_texts: dict[str, str],
    fact_check_texts: dict[str, str],
) -> tuple[Embedded, Embedded]:
    """The vectors stored with a model, by claim and by fact-check, with their text."""
    import numpy as np

    claims: Embedded = {
        claim_id: (claim_texts[claim_id], np.frombuffer(blob, dtype=np.float32))
        for _, claim_id, blob in store.claim_vectors_since(model_id, 0)
        if claim_id in claim_texts
    }
    fact_checks: Embedded = {
        fc_id: (fact_check_texts[fc_id], np.frombuffer(blob, dtype=np.float32))
        for fc_id, blob in store.fact_check_vectors(model_id)
        if fc_id in fact_check_texts
    }
    return claims, fact_checks


def _replay(
    matcher: Matcher,
    dimensions: int,
    claims: Sequence[Claim],
    vectors: Embedded,
) -> tuple[list[ClaimLink], dict[str, str]]:
    """Match every article again in order, as ingest would: links and tracked claims."""
    index = ReplayIndex(dimensions)
    clusters = Clusters()
    links: list[ClaimLink] = []
    for article_claims in _by_article(claims):
        matrix = _rows([vectors[claim.id][1] for claim in article_claims], dimensions)
        article_links = matcher.link_claims(article_claims, matrix, index)
        for claim in article_claims:
            placed = clusters.place(
                claim.id, [link for link in article_links if link.claim_id == claim.id]
            )
            links.extend(cap_suggestions(placed))
        clusters.settle()
        index.add(
            [
                claim_item(claim, vector)
                for claim, vector in zip(article_claims, matrix, strict=True)
            ]
        )
    return links, {claim.id: clusters.tracked_id(claim.id) for claim in claims}


def _replay_fact_checks(
    matcher: Matcher,
    dimensions: int,
    claims: Sequence[Claim],
    claim_vectors: Embedded,
    fact_checks: Sequence[FactCheck],
    fact_check_vectors: Embedded,
) -> list[FactCheckLink]:
    """Link every claim to the fact-checks, as ingest does for new claims."""
    if not claims or not fact_checks:
        return []
    index = ReplayIndex(dimensions)
    index.add([fact_check_item(fc, fact_check_vectors[fc.id][1]) for fc in fact_checks])
    matrix = _rows([claim_vectors[claim.id][1] for claim in claims], dimensions)
    return matcher.link_claims_to_fact_checks(claims, matrix, index)


def _rows(vectors: Sequence[FloatArray], dimensions: int) -> FloatArray:
    import numpy as np

    if not vectors:
        return np.zeros((0, dimensions), dtype=np.float32)
    return np.stack(vectors).astype(np.float32)


def _by_article(claims: Sequence[Claim]) -> Iterator[list[Claim]]:
    """Split claims in article order into one group per article."""
    start = 0
    while start < len(claims):
        end = start
        while end < len(claims) and claims[end].article_id == claims[start].article_id:
            end += 1
        yield list(claims[start:end])
        start = end
