"""ClaimStore: the only module that runs SQL. It wraps a sqlite_utils.Database."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database
from sqlite_utils.db import jsonify_if_needed

from claimtrack.claim_terms import store_claim_terms
from claimtrack.errors import ModelMismatchError, SchemaError, StoreError
from claimtrack.lexical import Tokenizer
from claimtrack.migrations import migrations
from claimtrack.models import (
    Article,
    Claim,
    ClaimLink,
    FactCheck,
    FactCheckLink,
    TrackedClaim,
)
from claimtrack.settings import BUSY_TIMEOUT_MS
from claimtrack.speakers import assign_speakers
from claimtrack.vectors import FloatArray, encode_vector
from claimtrack.wirecopy import Fingerprint, WireCopy

if TYPE_CHECKING:  # claimtrack.reviews imports this module
    from claimtrack.reviews import ReviewedDecisions

# Suggested fact-checks kept per claim, best first (as matcher.SUGGESTIONS_PER_CLAIM).
SUGGESTED_FACT_CHECKS_PER_CLAIM = 3

logger = logging.getLogger(__name__)

# sqlite-utils prefers pysqlite3 when it is installed, so errors may come from either.
try:
    import pysqlite3.dbapi2 as _pysqlite3

    DATABASE_ERRORS: tuple[type[Exception], ...] = (
        sqlite3.DatabaseError,
        _pysqlite3.DatabaseError,
    )
except ImportError:  # pragma: no cover - platforms without pysqlite3-binary
    DATABASE_ERRORS = (sqlite3.DatabaseError,)


# Pairs of tracked claims with an opposite link between mentions, one side among
# :ids. From the mentions of those tracked claims to their links, both ways, by
# index: filtering claim_links on its decision read every link (no index on it),
# once an article, whatever the tracked claims.
OPPOSITE_TRACKED_PAIRS = """
    select new.tracked_claim_id as a, earlier.tracked_claim_id as b
    from claims as new
    join claim_links on claim_links.claim_id = new.id
    join claims as earlier on earlier.id = claim_links.earlier_claim_id
    where new.tracked_claim_id in (select value from json_each(:ids))
    and claim_links.decision = 'opposite'
    union
    select new.tracked_claim_id as a, earlier.tracked_claim_id as b
    from claims as earlier
    join claim_links on claim_links.earlier_claim_id = earlier.id
    join claims as new on new.id = claim_links.claim_id
    where earlier.tracked_claim_id in (select value from json_each(:ids))
    and claim_links.decision = 'opposite'
"""


class ClaimStore:
    """A claimtrack SQLite database, migrated to the current schema when opened.

    Example:
        >>> store = ClaimStore(Database(memory=True))
        >>> store.count("claims")
        0
    """

    def __init__(self, db: Database | str | Path) -> None:
        if isinstance(db, (str, Path)):
            db = open_database(db)
        self.db = db
        self._writing = False  # inside write_transaction
        self._words: Tokenizer | None = None
        self._reviewed: ReviewedDecisions | None = None  # reviewed_decisions()
        self.db.execute(f"pragma busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        self.db.execute("pragma foreign_keys = on")
        # In WAL mode, NORMAL never corrupts the file and survives a killed process;
        # only a power cut can lose the last commits. FULL would fsync every article.
        self.db.execute("pragma synchronous = normal")
        self._check_schema_is_known()
        self.read_only = is_read_only(self.db)
        if migrations.pending(self.db) and self.read_only:
            raise SchemaError(
                "This read-only database needs an upgrade to this claimtrack's "
                "schema. Open a writable copy once (cp it, then any claimtrack "
                "command upgrades it), or use the claimtrack that wrote it."
            )
        if migrations.pending(self.db):
            # Under the write lock, so two processes opening a new file at once do
            # not both create its tables.
            with self.write_transaction():
                migrations.apply(self.db)

    def _check_schema_is_known(self) -> None:
        known = {migration.name for migration in migrations._migrations}
        applied = {migration.name for migration in migrations.applied(self.db)}
        if unknown := sorted(applied - known):
            raise SchemaError(
                f"This database was written by a newer claimtrack (migrations "
                f"{', '.join(unknown)}). Upgrade claimtrack to use it."
            )

    # ---- reading -------------------------------------------------------------

    def count(self, table: str) -> int:
        """Return the number of rows in one of the store's tables."""
        return self.db.table(table).count

    def article_fingerprint(self, article_id: str) -> str | None:
        """Return the stored text_sha256 of an article, or None if it is not stored."""
        rows = list(
            self.db.query(
                "select text_sha256 from articles where id = :id", {"id": article_id}
            )
        )
        return rows[0]["text_sha256"] if rows else None

    def model_ids(self) -> list[str]:
        """Return the embedding models that have vectors in this store."""
        sql = "select distinct model_id from embeddings order by model_id"
        return [row["model_id"] for row in self.db.query(sql)]

    def has_other_model(self, model_id: str) -> bool:
        """Whether vectors of a model other than model_id are stored.

        Two seeks in the model_id index, where ``model_ids`` reads all of it
        (17 ms at 100,000 claims, for each article the writer stores).
        """
        sql = (
            "select 1 from embeddings where model_id < :model or model_id > :model "
            "limit 1"
        )
        return bool(list(self.db.query(sql, {"model": model_id})))

    def check_model(self, model_id: str) -> None:
        """Refuse a model other than the one this store's vectors were made with.

        Raises:
            ModelMismatchError: the store already holds vectors of another model.
        """
        others = [other for other in self.model_ids() if other != model_id]
        if others:
            raise ModelMismatchError(
                f"This database was embedded with {', '.join(others)}, not {model_id}. "
                f"Use --model {others[0]}, or move it with 'claimtrack reembed'."
            )

    def claim_vectors_since(
        self, model_id: str, after_id: int
    ) -> Iterator[tuple[int, str, bytes]]:
        """Yield (id, claim_id, vector) for the claim vectors stored after an id.

        Lets a long-running tracker add what other processes stored to its index.
        """
        return claim_vectors_since(self.db, model_id, after_id)

    def claims(
        self,
        *,
        article_id: str | None = None,
        claim_ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[Claim]:
        """Return stored claims in article and reading order, optionally filtered."""
        where, params = [], {}
        if article_id is not None:
            where.append("article_id = :article_id")
            params["article_id"] = article_id
        if claim_ids is not None:
            where.append("id in (select value from json_each(:claim_ids))")
            params["claim_ids"] = _json_list(claim_ids)
        rows = self.db.table("claims").rows_where(
            " and ".join(where) or None,
            params,
            order_by="article_id, position",
            limit=limit,
        )
        return [Claim(**row) for row in rows]

    def claims_in_publication_order(self) -> list[Claim]:
        """Return every claim, articles in publication order, undated ones last.

        Articles of the same date (or of unknown date) keep their ingest order:
        ingested_at has whole seconds, so within one second the rowid, the order the
        single writer inserted them (VACUUM renumbers rowids but keeps their order).
        """
        sql = """
            select claims.* from claims join articles on articles.id = claims.article_id
            order by articles.published is null, articles.published,
                articles.ingested_at, articles.rowid, claims.position
        """
        return [Claim(**row) for row in self.db.query(sql)]

    def claim_rows(
        self, *, article_id: str | None = None, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield claims joined with their article's title, outlet, url and date."""
        sql = """
            select claims.*, articles.title as article_title, articles.outlet,
                articles.url as article_url, articles.published
            from claims join articles on articles.id = claims.article_id
            where :article_id is null or claims.article_id = :article_id
            order by articles.published is null, articles.published,
                claims.article_id, claims.position
            limit :limit
        """
        params = {"article_id": article_id, "limit": -1 if limit is None else limit}
        yield from self.db.query(sql, params)

    def articles(self) -> Iterator[dict[str, Any]]:
        """Yield stored articles without their text, newest ingest first."""
        sql = """
            select id, url, title, outlet, published, language, source, ingested_at,
                length(text) as characters,
                (select count(*) from claims where claims.article_id = articles.id)
                    as claims
            from articles order by ingested_at desc
        """
        yield from self.db.query(sql)

    def claim_texts(self, claim_ids: Iterable[str]) -> dict[str, str]:
        """Return {claim_id: text} for the stored claims among claim_ids."""
        sql = """
            select id, text from claims
            where id in (select value from json_each(:claim_ids))
        """
        rows = self.db.query(sql, {"claim_ids": _json_list(list(claim_ids))})
        return {row["id"]: row["text"] for row in rows}

    def direct_quote_speakers(self, claim_ids: Iterable[str]) -> dict[str, str | None]:
        """Return {claim_id: speaker} for the direct quotes among claim_ids."""
        sql = """
            select id, speaker from claims
            where id in (select value from json_each(:claim_ids))
            and quote_type = 'direct'
        """
        rows = self.db.query(sql, {"claim_ids": _json_list(list(claim_ids))})
        return {row["id"]: row["speaker"] for row in rows}

    def tracked_claim_ids(self, claim_ids: Iterable[str]) -> dict[str, str]:
        """Return {claim_id: tracked_claim_id} for stored claims."""
        sql = """
            select id, tracked_claim_id from claims
            where id in (select value from json_each(:claim_ids))
        """
        rows = self.db.query(sql, {"claim_ids": _json_list(list(claim_ids))})
        return {row["id"]: row["tracked_claim_id"] for row in rows}

    def tracked_claim_mentions(
        self, tracked_claim_ids: Iterable[str]
    ) -> dict[str, int]:
        """Return {tracked_claim_id: mentions} for stored tracked claims."""
        sql = """
            select id, mentions from tracked_claims
            where id in (select value from json_each(:ids))
        """
        rows = self.db.query(sql, {"ids": _json_list(sorted(set(tracked_claim_ids)))})
        return {row["id"]: row["mentions"] for row in rows}

    def existing_tracked_claims(self, tracked_claim_ids: Iterable[str]) -> set[str]:
        """Return the ids among tracked_claim_ids that are stored tracked claims."""
        sql = """
            select id from tracked_claims
            where id in (select value from json_each(:ids))
        """
        rows = self.db.query(sql, {"ids": _json_list(sorted(set(tracked_claim_ids)))})
        return {row["id"] for row in rows}

    def opposite_tracked_pairs(
        self, tracked_claim_ids: Iterable[str]
    ) -> list[tuple[str, str]]:
        """Return pairs of tracked claims with an opposite link between their mentions.

        Only pairs where one side is among tracked_claim_ids.
        """
        rows = self.db.query(
            OPPOSITE_TRACKED_PAIRS, {"ids": _json_list(sorted(set(tracked_claim_ids)))}
        )
        return [(row["a"], row["b"]) for row in rows if row["a"] and row["b"]]

    def tracked_claims(self, *, limit: int | None = None) -> list[TrackedClaim]:
        """Return tracked claims, most mentioned first."""
        rows = self.db.table("tracked_claims").rows_where(
            order_by="mentions desc, first_seen", limit=limit
        )
        return [TrackedClaim(**row) for row in rows]

    def links(self) -> Iterator[dict[str, Any]]:
        """Yield every claim link with the text of both claims."""
        sql = """
            select claim_links.*, new.text as claim_text, earlier.text as earlier_text
            from claim_links
            join claims as new on new.id = claim_links.claim_id
            join claims as earlier on earlier.id = claim_links.earlier_claim_id
            order by claim_links.score desc
        """
        yield from self.db.query(sql)

    # ---- writing -------------------------------------------------------------

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the main database file.

        Readers that open the file immutable (``datasette --immutable``) ignore the
        log, so without this they would miss the latest articles.
        """
        if self.db.journal_mode == "wal" and not self.read_only:
            self.db.execute("pragma wal_checkpoint(truncate)")

    @contextmanager
    def write_transaction(self, *, wait_seconds: float | None = None) -> Iterator[None]:
        """Run the block in one transaction that holds the write lock from the start.

        ``BEGIN IMMEDIATE`` makes a second writer wait (up to the busy timeout)
        instead of failing with "database is locked" when its read lock cannot be
        upgraded. Either every write of the block is stored, or none.

        Raises:
            StoreError: the database cannot be written (read-only, locked, full).
        """
        if self._writing:
            # Already inside this store's transaction (the tracker decides and
            # saves under one lock): a savepoint of it.
            with self.db.atomic():
                yield
            return
        self._begin_immediate(wait_seconds)
        self._writing = True
        try:
            with self.db.atomic():  # nested: a savepoint inside our transaction
                yield
        except BaseException as error:
            self._rollback()
            if isinstance(error, DATABASE_ERRORS):
                raise _write_error(error) from error
            raise
        else:
            try:
                self.db.execute("commit")
            except DATABASE_ERRORS as error:
                self._rollback()
                raise _write_error(error) from error
        finally:
            self._writing = False

    @property
    def _tokenizer(self) -> Tokenizer:
        """The tokenizer of the claims' term numbers, made at the first write."""
        if self._words is None:
            self._words = Tokenizer()
        return self._words

    def _begin_immediate(self, wait_seconds: float | None) -> None:
        """Take the write lock, waiting up to wait_seconds (default: busy timeout).

        SQLite's busy handler is not fair: a bulk rewrite (reembed) waiting for the
        lock can lose every round to ingests that commit an article at a time, so it
        may ask to keep trying for longer than the busy timeout.
        """
        give_up = time.monotonic() + (wait_seconds or 0)
        while True:
            try:
                self.db.execute("begin immediate")
                return
            except DATABASE_ERRORS as error:
                locked = "locked" in str(error) or "busy" in str(error)
                if not locked or time.monotonic() > give_up:
                    raise _write_error(error) from error

    def _rollback(self) -> None:
        """Roll back what is left of a failed transaction.

        SQLite itself rolls back on some errors (disk full, I/O error): a second
        rollback would fail with "no transaction is active" and hide the cause.
        """
        if self.db.conn.in_transaction:
            try:
                self.db.execute("rollback")
            except DATABASE_ERRORS:
                logger.warning("rollback failed; SQLite had rolled back already")

    def save_article(
        self,
        article: Article,
        claims: Sequence[Claim],
        vectors: FloatArray,
        links: Sequence[ClaimLink],
        *,
        model_id: str,
        fact_check_links: Sequence[FactCheckLink] = (),
        merges: Mapping[str, str] | None = None,
        wire_copy: WireCopy | None = None,
    ) -> datetime:
        """Store an article with its claims, vectors and links in one transaction.

        An article already stored under the same id is replaced whole, so a changed
        article never keeps claims from its old text. ``wire_copy`` gives the
        article's MinHash fingerprint and the original it reprints, if any.

        Args:
            merges: {tracked claim id: tracked claim id it merges into}, when the
                new claims' same links join tracked claims (see matcher.Clusters).

        Returns:
            The time the article was stored.
        """
        ingested_at = datetime.now(UTC)
        with self.write_transaction():
            self._delete_article(article.id)
            row = article.model_dump(mode="json")
            row["text_sha256"] = article.text_sha256
            row["ingested_at"] = ingested_at.isoformat(timespec="seconds")
            if wire_copy is not None:
                row["copy_of"] = wire_copy.copy_of
            self._insert_rows("articles", [row])
            if wire_copy is not None:
                self._insert_fingerprints(
                    [wire_copy.fingerprint or _no_fingerprint(article.id)]
                )
            self._insert_rows(
                "claims", [claim.model_dump(mode="json") for claim in claims]
            )
            # BM25 reads these instead of tokenizing the text (claimtrack.claim_terms).
            store_claim_terms(
                self.db, self._tokenizer, [(c.id, c.text) for c in claims]
            )
            assign_speakers(self.db, [claim.id for claim in claims])
            self._insert_rows(
                "embeddings",
                _embedding_rows(
                    [(c.id, v) for c, v in zip(claims, vectors, strict=True)],
                    "claim_id",
                    model_id,
                ),
            )
            self._insert_rows(
                "claim_links", [link.model_dump(mode="json") for link in links]
            )
            self._merge_tracked_claims(merges or {})
            touched = {c.tracked_claim_id for c in claims if c.tracked_claim_id}
            self._refresh_tracked_claims(touched)
            if fact_check_links:
                self._insert_fact_check_links(fact_check_links)
            if merges:
                self.refresh_verdicts(touched)
        return ingested_at

    def correct_metadata(self, article: Article) -> bool | None:
        """Update a stored article's title, outlet, date and URL to the given ones.

        For an article whose text is stored unchanged: a re-ingest with a corrected
        outlet, date or title updates them, and the dates and outlet counts of the
        tracked claims that depend on them. A field the article does not give keeps
        its stored value; so does an outlet only guessed from the URL's host when one
        is stored.

        Returns:
            True when something was updated, False when nothing needed to be, None
            when the article is not stored with this text (any more).
        """
        from claimtrack.sources import outlet_from_url

        fields = ("title", "outlet", "published", "url")
        with self.write_transaction():
            rows = list(
                self.db.query(
                    f"select text_sha256, {', '.join(fields)} from articles "
                    "where id = :id",
                    {"id": article.id},
                )
            )
            if not rows or rows[0]["text_sha256"] != article.text_sha256:
                return None
            stored = rows[0]
            changed = {
                field: getattr(article, field)
                for field in fields
                if getattr(article, field) is not None
                and getattr(article, field) != stored[field]
            }
            guessed = outlet_from_url(article.url)
            if stored["outlet"] and guessed and changed.get("outlet") == guessed:
                del changed["outlet"]
            if not changed:
                return False
            self.db.table("articles").update(article.id, changed)
            # Copies that reprint this article count its outlet as theirs.
            tracked = self.db.query(
                """
                select distinct tracked_claim_id from claims
                where tracked_claim_id is not null and (article_id = :id
                    or article_id in (select id from articles where copy_of = :id))
                """,
                {"id": article.id},
            )
            self._refresh_tracked_claims({row["tracked_claim_id"] for row in tracked})
        return True

    # ---- people's reviews of links (claimtrack.reviews owns the table) --------

    def reviewed_decisions(self) -> Mapping[tuple[str, str, str], str]:
        """Return {(kind, claim_id, other_id): decision} for every reviewed pair.

        kind is "claim_link" (other: the earlier claim) or "fact_check_link"
        (other: the fact-check); decision is same, opposite or rejected. The matcher
        applies them wherever it decides links, so a rejected pair never comes back.
        Read whole once, then only the reviews added since (a writer asks at every
        article): a read-only view that follows the table.
        """
        from claimtrack.reviews import ReviewedDecisions

        if self._reviewed is None:
            self._reviewed = ReviewedDecisions(self.db)
        return self._reviewed.current()

    def add_vectors(
        self,
        id_column: str,
        vectors: Sequence[tuple[str, FloatArray]],
        model_id: str,
    ) -> None:
        """Store vectors of claims (id_column "claim_id") or fact-checks lacking one."""
        with self.write_transaction():
            self.db.table("embeddings").insert_all(
                _embedding_rows(vectors, id_column, model_id)
            )

    def recount_tracked_claims(self) -> None:
        """Recompute every tracked claim from its mentions (check --repair)."""
        with self.write_transaction():
            ids = {
                row[0]
                for row in self.db.execute(
                    "select id from tracked_claims union select tracked_claim_id "
                    "from claims where tracked_claim_id is not null"
                ).fetchall()
            }
            self._refresh_tracked_claims(ids)

    def _merge_tracked_claims(self, merges: Mapping[str, str]) -> None:
        """Move the mentions of each merged tracked claim to the one it merges into."""
        if not merges:
            return
        self.db.conn.executemany(
            "update claims set tracked_claim_id = ? where tracked_claim_id = ?",
            [(into, old) for old, into in merges.items()],
        )
        self._refresh_tracked_claims(set(merges) | set(merges.values()))

    def replace_model(
        self,
        model_id: str,
        claim_vectors: Sequence[tuple[str, FloatArray]],
        fact_check_vectors: Sequence[tuple[str, FloatArray]],
        links: Sequence[ClaimLink],
        fact_check_links: Sequence[FactCheckLink],
        tracked: Mapping[str, str],
    ) -> None:
        """Replace every vector, link and tracked claim with a new model's, atomically.

        Args:
            model_id: the new embedding model.
            claim_vectors: (claim_id, vector) for every claim.
            fact_check_vectors: (fact_check_id, vector) for every fact-check.
            links: the claim links computed with the new vectors.
            fact_check_links: the fact-check links computed with the new vectors.
            tracked: claim_id -> tracked_claim_id under the new links.
        """
        with self.write_transaction():
            for table in ("embeddings", "claim_links", "fact_check_links"):
                self.db.execute(f"delete from {table}")  # our own table names
            self.db.execute("update claims set tracked_claim_id = null")
            self.db.execute("delete from tracked_claims")
            self.db.table("embeddings").insert_all(
                _embedding_rows(claim_vectors, "claim_id", model_id)
            )
            self.db.table("embeddings").insert_all(
                _embedding_rows(fact_check_vectors, "fact_check_id", model_id)
            )
            self.db.table("claim_links").insert_all(
                (link.model_dump(mode="json") for link in links),
                pk=("claim_id", "earlier_claim_id"),
            )
            self.db.conn.executemany(
                "update claims set tracked_claim_id = ? where id = ?",
                [(tracked_id, claim_id) for claim_id, tracked_id in tracked.items()],
            )
            self._refresh_tracked_claims(set(tracked.values()))
            if fact_check_links:
                self._insert_fact_check_links(fact_check_links)

    def _delete_article(self, article_id: str) -> None:
        old_tracked = {
            row["tracked_claim_id"]
            for row in self.db.query(
                "select tracked_claim_id from claims where article_id = :id",
                {"id": article_id},
            )
        }
        params = {"id": article_id}
        claim_ids = "select id from claims where article_id = :id"
        self.db.execute(
            f"delete from embeddings where claim_id in ({claim_ids})", params
        )
        self.db.execute(
            f"delete from claim_links where claim_id in ({claim_ids})"
            f" or earlier_claim_id in ({claim_ids})",
            params,
        )
        self.db.execute(
            f"delete from fact_check_links where claim_id in ({claim_ids})", params
        )
        self.db.execute("delete from claims where article_id = :id", params)
        for table in ("article_bands", "article_minhashes"):
            self.db.execute(f"delete from {table} where article_id = :id", params)
        self.db.execute("delete from articles where id = :id", params)
        self._refresh_tracked_claims(old_tracked - {None})
        self.refresh_verdicts(old_tracked)

    def _insert_rows(self, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Insert rows into one of our tables, as sqlite-utils' ``insert_all`` does.

        The same SQL values (lists and dicts as JSON, through sqlite-utils'
        ``jsonify_if_needed``), one prepared ``executemany``: sqlite-utils read
        the table's schema and built the statement again at each call, ≈ 4 ms
        of the writer's CPU an article (benchmarks/README.md, round 12). The
        tables exist (the migrations made them), so nothing is created or altered.
        """
        rows = list(rows)
        if not rows:
            return
        columns = list(dict.fromkeys(key for row in rows for key in row))
        names = ", ".join(f"[{column}]" for column in columns)
        marks = ", ".join("?" for _ in columns)
        self.db.conn.executemany(
            f"insert into [{table}] ({names}) values ({marks})",
            [[jsonify_if_needed(row.get(c)) for c in columns] for row in rows],
        )

    def _upsert_rows(
        self, table: str, rows: Sequence[Mapping[str, Any]], pk: Sequence[str]
    ) -> None:
        """Upsert rows as sqlite-utils' ``upsert_all`` does on SQLite ≥ 3.24.

        Insert, or update the given columns of the row with the same key.
        """
        if not rows:
            return
        columns = list(dict.fromkeys(key for row in rows for key in row))
        names = ", ".join(f"[{column}]" for column in columns)
        marks = ", ".join("?" for _ in columns)
        update = [c for c in columns if c not in pk]
        action = (
            "do update set " + ", ".join(f"[{c}] = excluded.[{c}]" for c in update)
            if update
            else "do nothing"
        )
        keys = ", ".join(f"[{c}]" for c in pk)
        self.db.conn.executemany(
            f"insert into [{table}] ({names}) values ({marks}) "
            f"on conflict({keys}) {action}",
            [[jsonify_if_needed(row.get(c)) for c in columns] for row in rows],
        )

    def _refresh_tracked_claims(self, tracked_claim_ids: set[str]) -> None:
        """Recompute the counts and dates of tracked claims from their mentions."""
        if not tracked_claim_ids:
            return
        ids = _json_list(sorted(tracked_claim_ids))
        self.db.execute(
            """
            delete from tracked_claims
            where id in (select value from json_each(:ids))
            and not exists (
                -- one index lookup per id; "not in" listed every claim's (1M)
                select 1 from claims where claims.tracked_claim_id = tracked_claims.id
            )
            """,
            {"ids": ids},
        )
        rows = self.db.query(
            """
            select
                claims.tracked_claim_id as id,
                (select c.text from claims c join articles a on a.id = c.article_id
                 where c.tracked_claim_id = claims.tracked_claim_id
                 order by a.published is null, a.published, a.ingested_at, a.rowid,
                    c.checkworthiness desc
                 limit 1) as text,
                min(articles.published) as first_seen,
                max(articles.published) as last_seen,
                count(*) as mentions,
                count(distinct claims.article_id) as articles,
                count(distinct articles.outlet) as outlets,
                -- a wire copy counts as the outlet of the article it reprints
                count(distinct originals.outlet)
                    as independent_outlets
            from claims join articles on articles.id = claims.article_id
            left join articles as originals
                on originals.id = coalesce(articles.copy_of, articles.id)
            where claims.tracked_claim_id in (select value from json_each(:ids))
            group by claims.tracked_claim_id
            """,
            {"ids": ids},
        )
        self._upsert_rows("tracked_claims", list(rows), ("id",))

    # ---- wire copies -----------------------------------------------------------

    def fingerprints_sharing_a_band(
        self, band_keys: Sequence[int]
    ) -> list[Fingerprint]:
        """Return the stored fingerprints that share an LSH band key with the given."""
        sql = """
            select article_id, shingles, signature from article_minhashes
            where article_id in (
                select article_id from article_bands
                where key in (select value from json_each(:keys))
            )
        """
        rows = self.db.query(sql, {"keys": json.dumps(list(band_keys))})
        return [
            Fingerprint(r["article_id"], r["shingles"], r["signature"]) for r in rows
        ]

    def copy_roots(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Return {article_id: the original it reprints, or itself} for stored ids."""
        sql = """
            select id, coalesce(copy_of, id) as root from articles
            where id in (select value from json_each(:ids))
        """
        rows = self.db.query(sql, {"ids": _json_list(article_ids)})
        return {row["id"]: row["root"] for row in rows}

    def articles_without_fingerprint(self, limit: int) -> list[Article]:
        """Return stored articles that have no MinHash row yet (stored before m008)."""
        sql = """
            select id, text from articles
            where id not in (select article_id from article_minhashes)
            limit :limit
        """
        rows = self.db.query(sql, {"limit": limit})
        return [Article(id=r["id"], text=r["text"]) for r in rows]

    def save_fingerprints(self, fingerprints: Mapping[str, Fingerprint | None]) -> None:
        """Store the fingerprints of stored articles (None: too short to have one)."""
        with self.write_transaction():
            self._insert_fingerprints(
                [
                    fp or _no_fingerprint(article_id)
                    for article_id, fp in fingerprints.items()
                ]
            )

    def _insert_fingerprints(self, fingerprints: Sequence[Fingerprint]) -> None:
        self._upsert_rows(
            "article_minhashes",
            [
                {
                    "article_id": f.article_id,
                    "shingles": f.shingles,
                    "signature": f.signature,
                }
                for f in fingerprints
            ],
            ("article_id",),
        )
        self.db.conn.executemany(
            "insert or ignore into article_bands (key, article_id) values (?, ?)",
            [
                (key, f.article_id)
                for f in fingerprints
                if f.signature
                for key in f.band_keys
            ],
        )

    # ---- watched feeds ---------------------------------------------------------

    def feed(self, url: str) -> dict[str, Any] | None:
        """Return the polling state of a watched feed, None if never polled."""
        rows = list(self.db.query("select * from feeds where url = :url", {"url": url}))
        return rows[0] if rows else None

    def save_feed(self, state: Mapping[str, Any]) -> None:
        """Store the polling state of a feed (a row of ``feeds``)."""
        with self.write_transaction():
            self.db.table("feeds").upsert(dict(state), pk="url")

    # ---- fact-checks -----------------------------------------------------------

    def fact_check_texts(
        self, fact_check_ids: Iterable[str], *, model_id: str | None = None
    ) -> dict[str, str]:
        """Return {id: claim_reviewed} for stored fact-checks among the ids.

        With model_id, only fact-checks that have a vector of that model.
        """
        sql = """
            select id, claim_reviewed from fact_checks
            where id in (select value from json_each(:ids))
            and (:model_id is null or exists (
                select 1 from embeddings
                where embeddings.fact_check_id = fact_checks.id
                and embeddings.model_id = :model_id
            ))
        """
        params = {"ids": _json_list(list(fact_check_ids)), "model_id": model_id}
        return {row["id"]: row["claim_reviewed"] for row in self.db.query(sql, params)}

    def fact_check_vectors(self, model_id: str) -> Iterator[tuple[str, bytes]]:
        """Yield (fact_check_id, vector BLOB) for fact-checks embedded with model_id."""
        sql = """
            select fact_check_id, vector from embeddings
            where model_id = :model_id and fact_check_id is not null
        """
        for row in self.db.query(sql, {"model_id": model_id}):
            yield row["fact_check_id"], row["vector"]

    def fact_checks(self, *, limit: int | None = None) -> list[FactCheck]:
        """Return stored fact-checks, newest first."""
        rows = self.db.table("fact_checks").rows_where(
            select=", ".join(FactCheck.model_fields),
            order_by="published desc, id",
            limit=limit,
        )
        return [FactCheck(**row) for row in rows]

    def save_fact_checks(
        self,
        records: Sequence[tuple[FactCheck, dict[str, Any]]],
        vectors: Sequence[tuple[str, FloatArray]],
        links: Sequence[FactCheckLink],
        *,
        model_id: str,
    ) -> None:
        """Store fact-checks (with their raw JSON), new vectors and links atomically.

        A fact-check given a vector here is re-linked from scratch: its old vector and
        links are replaced. Verdicts of the tracked claims it is linked to follow.
        """
        with self.write_transaction():
            self.db.table("fact_checks").upsert_all(
                (
                    {
                        **fc.model_dump(mode="json"),
                        "raw": json.dumps(raw, ensure_ascii=False),
                    }
                    for fc, raw in records
                ),
                pk="id",
            )
            renewed = _json_list([fact_check_id for fact_check_id, _ in vectors])
            for table in ("embeddings", "fact_check_links"):
                self.db.execute(
                    f"""
                    delete from {table}
                    where fact_check_id in (select value from json_each(:ids))
                    """,
                    {"ids": renewed},
                )
            self.db.table("embeddings").insert_all(
                _embedding_rows(vectors, "fact_check_id", model_id)
            )
            self._insert_fact_check_links(links)

    def fact_check_links_of(self, claim_ids: Sequence[str]) -> list[FactCheckLink]:
        """Return the stored fact-check links of the given claims, best score first."""
        sql = """
            select * from fact_check_links
            where claim_id in (select value from json_each(:claim_ids))
            order by score desc
        """
        rows = self.db.query(sql, {"claim_ids": _json_list(claim_ids)})
        return [FactCheckLink(**row) for row in rows]

    def _insert_fact_check_links(self, links: Sequence[FactCheckLink]) -> None:
        self.db.table("fact_check_links").upsert_all(
            (link.model_dump(mode="json") for link in links),
            pk=("claim_id", "fact_check_id"),
        )
        # A claim shows its best few suggested fact-checks, whichever import made
        # them (matcher.SUGGESTIONS_PER_CLAIM).
        self.db.execute(
            """
            delete from fact_check_links where rowid in (
                select rowid from (
                    select rowid, row_number() over (
                        partition by claim_id order by score desc, fact_check_id
                    ) as rank
                    from fact_check_links
                    where decision = 'suggested'
                    and claim_id in (select value from json_each(:ids))
                ) where rank > :keep
            )
            """,
            {
                "ids": _json_list(sorted({link.claim_id for link in links})),
                "keep": SUGGESTED_FACT_CHECKS_PER_CLAIM,
            },
        )
        self.refresh_verdicts(
            self.tracked_claim_ids(link.claim_id for link in links).values()
        )

    def refresh_verdicts(self, tracked_claim_ids: Iterable[str | None]) -> None:
        """Set tracked_claims.verdict to the latest fact-check linked as "same".

        "Latest" is by the fact-check's publication date; a tracked claim that has no
        "same" fact-check left gets no verdict.
        """
        ids = _json_list(sorted({i for i in tracked_claim_ids if i}))
        self.db.execute(
            """
            update tracked_claims set verdict = (
                select coalesce(fact_checks.rating, fact_checks.rating_text)
                from fact_check_links
                join fact_checks on fact_checks.id = fact_check_links.fact_check_id
                join claims on claims.id = fact_check_links.claim_id
                where claims.tracked_claim_id = tracked_claims.id
                and fact_check_links.decision = 'same'
                order by fact_checks.published is null, fact_checks.published desc,
                    fact_check_links.score desc
                limit 1
            )
            where id in (select value from json_each(:ids))
            """,
            {"ids": ids},
        )

    def fact_check_reviews(
        self, *, tracked_claim_id: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield (tracked claim, fact-check) pairs linked as "same", with raw JSON."""
        sql = """
            select distinct claims.tracked_claim_id, fact_checks.*
            from fact_check_links
            join claims on claims.id = fact_check_links.claim_id
            join fact_checks on fact_checks.id = fact_check_links.fact_check_id
            where fact_check_links.decision = 'same'
            and claims.tracked_claim_id is not null
            and (:tracked is null or claims.tracked_claim_id = :tracked)
            order by claims.tracked_claim_id, fact_checks.published, fact_checks.id
        """
        yield from self.db.query(sql, {"tracked": tracked_claim_id})

    def appearances(self, tracked_claim_id: str) -> list[dict[str, Any]]:
        """Return the articles where a tracked claim was seen, earliest first.

        seen_on is the publication date; articles of unknown date come last.
        """
        sql = """
            select distinct articles.id, articles.url, articles.title, articles.outlet,
                articles.published as seen_on, articles.published, claims.speaker,
                articles.ingested_at
            from claims join articles on articles.id = claims.article_id
            where claims.tracked_claim_id = :tracked
            order by seen_on is null, seen_on, articles.ingested_at, articles.id
        """
        return list(self.db.query(sql, {"tracked": tracked_claim_id}))


# ---- reads shared with the Datasette plugin, which has a bare connection ----------


def claim_vectors_since(
    db: Database, model_id: str, after_id: int
) -> Iterator[tuple[int, str, bytes]]:
    """Yield (id, claim_id, vector) for a model's claim vectors stored after an id."""
    sql = """
        select id, claim_id, vector from embeddings
        where model_id = :model_id and claim_id is not null and id > :after
        order by id
    """
    for row in db.query(sql, {"model_id": model_id, "after": after_id}):
        yield row["id"], row["claim_id"], row["vector"]


def stored_claim_ids(db: Database, claim_ids: Iterable[str]) -> set[str]:
    """Return the claim ids among claim_ids that are still stored."""
    sql = "select id from claims where id in (select value from json_each(:ids))"
    return {row["id"] for row in db.query(sql, {"ids": _json_list(list(claim_ids))})}


def model_dimensions(db: Database, model_id: str) -> int | None:
    """Return the length of a model's stored vectors, None if it has none."""
    sql = "select dimensions from embeddings where model_id = :model_id limit 1"
    rows = list(db.query(sql, {"model_id": model_id}))
    return int(rows[0]["dimensions"]) if rows else None


def database_file(db: Database) -> Path | None:
    """Return the file behind a database, None if it lives in memory."""
    for row in db.query("pragma database_list"):
        if row["name"] == "main":
            return Path(row["file"]) if row["file"] else None
    return None


def database_identity(db: Database) -> str:
    """Return what tells this database from another file later put at the same path.

    The time its first migration ran, to the microsecond.
    """
    sql = "select applied_at from _sqlite_migrations where name = 'm001_create_tables'"
    rows = list(db.query(sql))
    return str(rows[0]["applied_at"]) if rows else ""


def open_database(path: str | Path) -> Database:
    """Open (or create) a SQLite file in WAL mode, with a clear error if it is not one.

    A file that cannot be written, or lies in a folder that cannot be (a read-only
    mount, a CD, a shared folder), is opened read-only: it can be listed, searched
    and served, not written. So is a ``file:…?mode=ro`` or ``?immutable=1`` URI.
    A WAL database needs its folder writable for the shared-memory file; without
    it the file is read as immutable, a snapshot of what the main file holds.

    Raises:
        StoreError: the file is not a SQLite database, or cannot be opened.
    """
    if str(path).startswith("file:"):
        return _open_uri(str(path))
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path} is a folder; give the path of a .db file.")
    if not path.parent.exists():
        raise StoreError(f"Folder {path.parent} does not exist; create it first.")
    if path.exists() and not _is_writable(path):
        folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
        uri = path.resolve().as_uri().replace("file://", "file:", 1)
        return _open_uri(f"{uri}?{'mode=ro' if folder_writable else 'immutable=1'}")
    try:
        db = Database(path)
        db.execute("pragma schema_version").fetchall()
        if db.journal_mode != "wal":
            db.enable_wal()
    except DATABASE_ERRORS as error:
        raise StoreError(
            f"{path} is not a usable SQLite database ({error}). "
            "Give a new file name or a database made by claimtrack."
        ) from error
    return db


def _open_uri(uri: str) -> Database:
    """Open a SQLite URI; mode=ro and immutable=1 make a read-only store."""
    try:  # the SQLite sqlite-utils uses: pysqlite3 when installed
        import pysqlite3.dbapi2 as sqlite_module
    except ImportError:  # pragma: no cover - platforms without pysqlite3-binary
        import sqlite3 as sqlite_module

    read_only = "mode=ro" in uri or "immutable=1" in uri
    try:
        conn = sqlite_module.connect(uri, uri=True, check_same_thread=False)
        db = Database(conn)
        db.execute("pragma schema_version").fetchall()
        if read_only:
            # What ClaimStore reads to know it must not try to write.
            db.execute("pragma query_only = 1")
    except DATABASE_ERRORS as error:
        raise StoreError(
            f"{uri} cannot be opened as a SQLite database ({error}). "
            "Check the path and its permissions."
        ) from error
    return db


def database_path(location: str) -> str:
    """The file path of a database given as a path or a file: URI."""
    if not location.startswith("file:"):
        return location
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(location).path)


def is_read_only(db: Database) -> bool:
    """True when the database was opened read-only (see :func:`open_database`)."""
    return bool(db.execute("pragma query_only").fetchone()[0])


def _no_fingerprint(article_id: str) -> Fingerprint:
    """The row of an article too short to fingerprint: no signature, no bands."""
    return Fingerprint(article_id, 0, b"")


def _embedding_rows(
    vectors: Sequence[tuple[str, FloatArray]], id_column: str, model_id: str
) -> Iterator[dict[str, Any]]:
    for item_id, vector in vectors:
        yield {
            id_column: item_id,
            "model_id": model_id,
            "dimensions": int(vector.shape[0]),
            "vector": encode_vector(vector),
        }


def _write_error(error: Exception) -> StoreError:
    message = str(error)
    if "readonly" in message or "read-only" in message:
        return StoreError(
            "The database is read-only. Give a writable copy, or check its permissions."
        )
    if "full" in message:
        return StoreError(
            "The disk (or the database's size limit) is full: nothing of this "
            "article was stored. Free some space and run the command again."
        )
    if "locked" in message or "busy" in message:
        return StoreError(
            f"The database stayed locked by another writer for "
            f"{BUSY_TIMEOUT_MS // 1000} s. Try again when the other ingest ends."
        )
    return StoreError(f"Cannot write to the database: {message}.")


def _is_writable(path: Path) -> bool:
    return not path.exists() or os.access(path, os.W_OK)


def _json_list(values: Sequence[str]) -> str:
    return json.dumps(list(values))
