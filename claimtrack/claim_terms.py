"""The stored claims' texts as term numbers, kept in the database for BM25.

BM25 orders each query's 300 candidate rows by the counts of the query's terms in
their texts (:func:`claimtrack.lexical.bm25_rerank`). Tokenizing those texts was most
of the writer's cost at a million stored claims (109 of 356 ms an article,
benchmarks/README.md, "Writer and matcher speed, round 5"): the candidates are
mostly rows this process never read before. So the writer stores each claim's
``Tokenizer.text_numbers`` blob (int64 term numbers, the same in every process) in
``claim_terms``, keyed by the claim's rowid (the row id FTS5 returns), and the claim
index reads a candidate's id and numbers from that small table alone.

The blob is exactly what tokenizing the text gives, so BM25 ranks the same with or
without it: a claim without a row (written by an older claimtrack, or by a bulk
insert) is tokenized as before. Triggers (``m012_claim_terms_by_rowid``) drop a
claim's row when the claim is deleted or its text changes. The numbers belong to
the FTS5 tokenizer of ``claims_fts`` (``lexical.DEFAULT_TOKENIZER``): a migration
that changes it must refill this table.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from claimtrack.lexical import Tokenizer

TABLE = "claim_terms"
# Claims tokenized and written per statement when filling the table.
_FILL_BATCH = 20_000


def store_claim_terms(
    db: Database, tokenizer: Tokenizer, claims: Sequence[tuple[str, str]]
) -> None:
    """Store the term numbers of stored claims, given as (id, text), replacing any."""
    if not claims:
        return
    blobs = tokenizer.text_numbers([text for _, text in claims])
    db.conn.executemany(
        f"insert or replace into {TABLE} (claim_rowid, claim_id, numbers) "
        "select rowid, id, ? from claims where id = ?",
        [(blob, claim_id) for (claim_id, _), blob in zip(claims, blobs, strict=True)],
    )


def fill_missing(db: Database, tokenizer: Tokenizer | None = None) -> int:
    """Store the term numbers of every claim that has none; returns how many.

    For a database written before ``claim_terms`` existed (the migration calls it)
    and for claims bulk-inserted around the store (the benchmarks' builders).
    """
    tokenizer = tokenizer or Tokenizer()
    filled, after = 0, -1
    while True:
        rows = db.execute(
            f"select rowid, id, coalesce(text, '') from claims where rowid > ? "
            f"and not exists (select 1 from {TABLE} where claim_rowid = claims.rowid) "
            "order by rowid limit ?",
            (after, _FILL_BATCH),
        ).fetchall()
        if not rows:
            return filled
        blobs = tokenizer.text_numbers([row[2] for row in rows])
        db.conn.executemany(
            f"insert into {TABLE} (claim_rowid, claim_id, numbers) values (?, ?, ?)",
            [(row[0], row[1], blob) for row, blob in zip(rows, blobs, strict=True)],
        )
        filled += len(rows)
        after = rows[-1][0]
