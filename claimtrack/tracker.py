"""Tracker: the one front door, and the only code that runs the pipeline in order.

article -> claims (extract) -> vectors (embed) -> links (match) -> claims.db (store)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import chain, islice
from pathlib import Path

from sqlite_utils import Database

from claimtrack.embed import Embedder
from claimtrack.errors import ClaimtrackError
from claimtrack.extract import Extractor
from claimtrack.match import (
    as_fact_check_links,
    best_same_matches,
    find_matches,
    thresholds_for,
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
from claimtrack.query import dense_query
from claimtrack.settings import (
    DEFAULT_EMBEDDER,
    DEFAULT_EXTRACTOR,
    DEFAULT_MATCH_LIMIT,
    DEFAULT_SEARCH_LIMIT,
)
from claimtrack.store import ClaimStore, database_file
from claimtrack.stored_index import StoredIndex, remove_saved_indexes
from claimtrack.vectors import FloatArray, VectorIndex
from claimtrack.wirecopy import WireCopyFinder

logger = logging.getLogger(__name__)
# A fact-check may match many mentions of one claim; link this many at most.
FACT_CHECK_MATCH_LIMIT = 20

ErrorHandler = Callable[[Article, ClaimtrackError], None]
# An article with its claims, or with the error its extraction raised.
Extraction = tuple[Article, list[Claim] | ClaimtrackError]
# Articles are extracted, then embedded together in one model call per batch.
ARTICLES_PER_BATCH = 16


class Tracker:
    """Ingest articles into a claim database and search it.

    Example:
        >>> tracker = Tracker("claims.db")
        >>> result = tracker.ingest(Article(id="a1", text=body, language="fr"))
        >>> for link in result.links:
        ...     print(link.claim_id, "repeats", link.earlier_claim_id, link.score)
    """

    def __init__(
        self,
        database: str | Path | Database | ClaimStore,
        *,
        extractor: str | Extractor = DEFAULT_EXTRACTOR,
        embedder: str | Embedder = DEFAULT_EMBEDDER,
        same_threshold: float | None = None,
        suggest_threshold: float | None = None,
    ) -> None:
        self.store = (
            database if isinstance(database, ClaimStore) else ClaimStore(database)
        )
        self.extractor = (
            get_extractor(extractor) if isinstance(extractor, str) else extractor
        )
        self.embedder = (
            get_embedder(embedder) if isinstance(embedder, str) else embedder
        )
        calibrated_same, calibrated_suggest = thresholds_for(self.embedder.model_id)
        self.same_threshold = (
            calibrated_same if same_threshold is None else same_threshold
        )
        self.suggest_threshold = (
            calibrated_suggest if suggest_threshold is None else suggest_threshold
        )
        if not 0.0 <= self.suggest_threshold <= self.same_threshold <= 1.0:
            raise ValueError(
                "thresholds must satisfy 0 <= suggest_threshold <= same_threshold <= 1"
            )
        self.store.check_model(self.embedder.model_id)
        self._stored_index: StoredIndex | None = None
        self.wire_copies = WireCopyFinder(self.store)

    @property
    def index(self) -> VectorIndex:
        """The in-memory index of stored claim vectors, loaded once and kept current.

        Each access adds the vectors stored since the last one, by this tracker or
        by another process writing to the same database. Past 100,000 vectors the
        index is an HNSW graph, saved beside the database so that the next process
        reads it instead of building it again (see :mod:`claimtrack.stored_index`).
        """
        if self._stored_index is None:
            self._stored_index = StoredIndex.for_database(
                self.store.db, self.embedder.model_id, self.embedder.dimensions
            )
        return self._stored_index.refresh(
            partial(self.store.claim_vectors_since, self.embedder.model_id)
        )

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
                goes on. Without it, the first error is raised.
            progress: called after each article is stored or skipped.
        """
        iterator = iter(articles)
        while batch := list(islice(iterator, ARTICLES_PER_BATCH)):
            unchanged = [article for article in batch if self._is_stored_as_is(article)]
            results = [
                IngestResult(article=article, status="unchanged")
                for article in unchanged
            ]
            fresh = [article for article in batch if article not in unchanged]
            for result in chain(
                results, self._embed_and_store(self._extract(fresh), on_error)
            ):
                if progress is not None:
                    progress(result)
                yield result

    def _is_stored_as_is(self, article: Article) -> bool:
        return self.store.article_fingerprint(article.id) == article.text_sha256

    def _extract(self, articles: Sequence[Article]) -> list[Extraction]:
        """Extract each article's claims, keeping an article's error in its place."""
        return list(zip(articles, self.extractor.extract_many(articles), strict=True))

    def _embed_and_store(
        self, extracted: Sequence[Extraction], on_error: ErrorHandler | None
    ) -> Iterator[IngestResult]:
        claims_of = []
        for article, claims in extracted:
            if isinstance(claims, ClaimtrackError):
                if on_error is None:
                    raise claims
                on_error(article, claims)
            else:
                claims_of.append((article, claims))
        texts = [claim.text for _, claims in claims_of for claim in claims]
        vectors = self.embedder.embed_all(texts)
        start = 0
        for article, claims in claims_of:
            article_vectors = vectors[start : start + len(claims)]
            start += len(claims)
            try:
                yield self._store(article, claims, article_vectors)
            except ClaimtrackError as error:
                if on_error is None:
                    raise
                on_error(article, error)

    def _store(
        self, article: Article, claims: list[Claim], vectors: FloatArray
    ) -> IngestResult:
        fingerprint = self.store.article_fingerprint(article.id)
        if fingerprint == article.text_sha256:
            # The same article came twice in one run, or another process stored it.
            return IngestResult(article=article, status="unchanged")
        existed = fingerprint is not None
        own_ids = {claim.id for claim in self.store.claims(article_id=article.id)}
        links = self._match(claims, vectors, exclude=own_ids)
        claims = self._assign_tracked_claims(claims, links)
        fact_check_links = self._match_fact_checks(claims, vectors)
        wire_copy = self.wire_copies.examine(article)
        ingested_at = self.store.save_article(
            article,
            claims,
            vectors,
            links,
            model_id=self.embedder.model_id,
            fact_check_links=fact_check_links,
            wire_copy=wire_copy,
        )
        # The old claims of a changed article stay in the index (rebuilding a large
        # one takes minutes); _match drops hits that are no longer in the store.
        logger.info("%s: %d claims, %d links", article.id, len(claims), len(links))
        return IngestResult(
            article=article,
            status="updated" if existed else "added",
            claims=claims,
            links=links,
            fact_check_links=fact_check_links,
            ingested_at=ingested_at,
            copy_of=wire_copy.copy_of,
        )

    def _match(
        self, claims: Sequence[Claim], vectors: FloatArray, *, exclude: set[str]
    ) -> list[ClaimLink]:
        if not claims:
            return []
        hits = self.index.search(vectors, limit=DEFAULT_MATCH_LIMIT, exclude=exclude)
        earlier_ids = {i for row in hits for i, _ in row}
        earlier_texts = self.store.claim_texts(earlier_ids)
        # Another process may have replaced an article since the index loaded it.
        hits = [[hit for hit in row if hit[0] in earlier_texts] for row in hits]
        quote_speakers = self.store.direct_quote_speakers(earlier_ids)
        quote_speakers.update(
            (claim.id, claim.speaker)
            for claim in claims
            if claim.quote_type == "direct"
        )
        return find_matches(
            [(claim.id, claim.text) for claim in claims],
            hits,
            earlier_texts,
            same_threshold=self.same_threshold,
            suggest_threshold=self.suggest_threshold,
            model_id=self.embedder.model_id,
            quote_speakers=quote_speakers,
        )

    def _assign_tracked_claims(
        self, claims: Sequence[Claim], links: Sequence[ClaimLink]
    ) -> list[Claim]:
        """Give each claim the tracked claim of its best "same" match, or a new one.

        A new mention joins the cluster of the earliest-stored claim it is the same as;
        clusters are never merged behind the user's back, so ingest order only decides
        which mention becomes the representative.
        """
        best_same = best_same_matches(links)
        tracked = self.store.tracked_claim_ids(best_same.values())
        return [
            claim.model_copy(
                update={
                    "tracked_claim_id": tracked.get(
                        best_same.get(claim.id, ""), claim.id
                    )
                }
            )
            for claim in claims
        ]

    def claims(
        self, *, article_id: str | None = None, limit: int | None = None
    ) -> list[Claim]:
        """Return stored claims in reading order, optionally for one article."""
        return self.store.claims(article_id=article_id, limit=limit)

    def search(self, text: str, k: int = DEFAULT_SEARCH_LIMIT) -> list[SearchHit]:
        """Return the k stored claims closest in meaning to text, best first.

        A long text is searched by its first distinct sentences (:func:`dense_query`).
        """
        query = self.embedder.embed_all([dense_query(text)])
        hits = self.index.search(query, limit=k)[0]
        by_id = {c.id: c for c in self.store.claims(claim_ids=[i for i, _ in hits])}
        return [
            SearchHit(claim=by_id[claim_id], score=round(score, 4))
            for claim_id, score in hits
            if claim_id in by_id
        ]

    # ---- fact-checks -----------------------------------------------------------

    _fact_check_index: VectorIndex | None = None

    @property
    def fact_check_index(self) -> VectorIndex:
        """The in-memory index of stored fact-check vectors, loaded on first use."""
        if self._fact_check_index is None:
            self._fact_check_index = VectorIndex(self.embedder.dimensions)
            self._fact_check_index.add_blobs(
                self.store.fact_check_vectors(self.embedder.model_id)
            )
        return self._fact_check_index

    def import_fact_checks(
        self, fact_checks: Iterable[FactCheckRecord | FactCheck]
    ) -> FactCheckImport:
        """Store fact-checks, embed them and link them to the stored claims.

        Runs in one transaction. Re-importing an unchanged fact-check costs a lookup
        and changes nothing; a changed one is re-embedded and re-linked. Each link
        gets the same two-level decision as claim links, and tracked claims linked
        as "same" show the latest verdict.

        Example:
            >>> from claimtrack.factchecks import read_fact_checks
            >>> result = tracker.import_fact_checks(read_fact_checks(["reviews.json"]))
            >>> result.added, len(result.links)
        """
        records = {
            record.fact_check.id: record for record in map(_as_record, fact_checks)
        }
        model_id = self.embedder.model_id
        known = self.store.fact_check_texts(records)
        embedded = self.store.fact_check_texts(records, model_id=model_id)
        renew = [
            record.fact_check
            for fc_id, record in records.items()
            if embedded.get(fc_id) != record.fact_check.claim_reviewed
        ]
        vectors = self.embedder.embed_all([fc.claim_reviewed for fc in renew])
        links = self._link_to_claims(renew, vectors)
        self.store.save_fact_checks(
            [(r.fact_check, r.raw) for r in records.values()],
            [(fc.id, vector) for fc, vector in zip(renew, vectors, strict=True)],
            links,
            model_id=model_id,
        )
        if any(fc.id in embedded for fc in renew):
            self._fact_check_index = None  # old vectors were replaced
        elif self._fact_check_index is not None and renew:
            self._fact_check_index.add([fc.id for fc in renew], vectors)
        added = sum(fc_id not in known for fc_id in records)
        logger.info("%d fact-checks, %d links", len(records), len(links))
        return FactCheckImport(
            added=added,
            updated=len(renew) - sum(fc.id not in known for fc in renew),
            unchanged=len(records) - len(renew),
            links=links,
        )

    def _link_to_claims(
        self, fact_checks: Sequence[FactCheck], vectors: FloatArray
    ) -> list[FactCheckLink]:
        """Match new fact-checks against the stored claims."""
        if not fact_checks:
            return []
        hits = self.index.search(vectors, limit=FACT_CHECK_MATCH_LIMIT)
        texts = self.store.claim_texts({i for row in hits for i, _ in row})
        links = find_matches(
            [(fc.id, fc.claim_reviewed) for fc in fact_checks],
            hits,
            texts,
            same_threshold=self.same_threshold,
            suggest_threshold=self.suggest_threshold,
            model_id=self.embedder.model_id,
        )
        return as_fact_check_links(links, fact_check_first=True)

    def _match_fact_checks(
        self, claims: Sequence[Claim], vectors: FloatArray
    ) -> list[FactCheckLink]:
        """Match newly ingested claims against the stored fact-checks (no writes)."""
        if not claims or not len(self.fact_check_index):
            return []
        hits = self.fact_check_index.search(vectors, limit=DEFAULT_MATCH_LIMIT)
        texts = self.store.fact_check_texts({i for row in hits for i, _ in row})
        links = find_matches(
            [(claim.id, claim.text) for claim in claims],
            hits,
            texts,
            same_threshold=self.same_threshold,
            suggest_threshold=self.suggest_threshold,
            model_id=self.embedder.model_id,
        )
        return as_fact_check_links(links)


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
) -> ReembedResult:
    """Move a database to another embedding model: new vectors, links and clusters.

    Every claim and fact-check is embedded with the new model, then the articles are
    matched again in the order they were published (or ingested), exactly as an
    ingest would have matched them. The old vectors, links and tracked claims are
    replaced in one transaction, so an interrupted run leaves the database as it was.

    Example:
        >>> reembed("claims.db", "minilm").claims
        45
    """
    store = database if isinstance(database, ClaimStore) else ClaimStore(database)
    embedder = get_embedder(embedder) if isinstance(embedder, str) else embedder
    same, suggest = thresholds_for(embedder.model_id)
    same = same if same_threshold is None else same_threshold
    suggest = suggest if suggest_threshold is None else suggest_threshold
    claims = store.claims_in_publication_order()
    vectors = embedder.embed_all([claim.text for claim in claims])
    quote_speakers = {c.id: c.speaker for c in claims if c.quote_type == "direct"}
    index = VectorIndex(embedder.dimensions)
    texts: dict[str, str] = {}
    tracked: dict[str, str] = {}
    links: list[ClaimLink] = []
    for article_claims, article_vectors in _by_article(claims, vectors):
        hits = index.search(article_vectors, limit=DEFAULT_MATCH_LIMIT)
        article_links = find_matches(
            [(claim.id, claim.text) for claim in article_claims],
            hits,
            texts,
            same_threshold=same,
            suggest_threshold=suggest,
            model_id=embedder.model_id,
            quote_speakers=quote_speakers,
        )
        best_same = best_same_matches(article_links)
        for claim in article_claims:
            tracked[claim.id] = tracked.get(best_same.get(claim.id, ""), claim.id)
            texts[claim.id] = claim.text
        index.add([claim.id for claim in article_claims], article_vectors)
        links.extend(article_links)
    fact_checks = store.fact_checks()
    fact_check_vectors = embedder.embed_all([fc.claim_reviewed for fc in fact_checks])
    fact_check_links = _fact_check_links(
        claims, vectors, fact_checks, fact_check_vectors, same, suggest, embedder
    )
    # A saved graph holds old vectors under the same claim ids: it must go.
    database_path = database_file(store.db)
    if database_path is not None:
        remove_saved_indexes(database_path)
    store.replace_model(
        embedder.model_id,
        [(claim.id, vector) for claim, vector in zip(claims, vectors, strict=True)],
        [(fc.id, v) for fc, v in zip(fact_checks, fact_check_vectors, strict=True)],
        links,
        fact_check_links,
        tracked,
    )
    return ReembedResult(
        model_id=embedder.model_id,
        claims=len(claims),
        fact_checks=len(fact_checks),
        links=len(links),
        fact_check_links=len(fact_check_links),
    )


def _by_article(
    claims: Sequence[Claim], vectors: FloatArray
) -> Iterator[tuple[list[Claim], FloatArray]]:
    """Split claims in article order, and their vectors, into one group per article."""
    start = 0
    while start < len(claims):
        end = start
        while end < len(claims) and claims[end].article_id == claims[start].article_id:
            end += 1
        yield list(claims[start:end]), vectors[start:end]
        start = end


def _fact_check_links(
    claims: Sequence[Claim],
    vectors: FloatArray,
    fact_checks: Sequence[FactCheck],
    fact_check_vectors: FloatArray,
    same: float,
    suggest: float,
    embedder: Embedder,
) -> list[FactCheckLink]:
    index = VectorIndex(embedder.dimensions)
    index.add([fc.id for fc in fact_checks], fact_check_vectors)
    links = find_matches(
        [(claim.id, claim.text) for claim in claims],
        index.search(vectors, limit=DEFAULT_MATCH_LIMIT),
        {fc.id: fc.claim_reviewed for fc in fact_checks},
        same_threshold=same,
        suggest_threshold=suggest,
        model_id=embedder.model_id,
    )
    return as_fact_check_links(links)
