"""The schema history of a claimtrack database, as sqlite-utils Migrations.

A migration that has shipped is never edited; fix it with a new one. ``ClaimStore``
applies pending migrations whenever it opens a database.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("claimtrack")


@migrations()
def m001_create_tables(db: Database) -> None:
    db.table("articles").create(
        {
            "id": str,
            "url": str,
            "title": str,
            "outlet": str,
            "published": str,
            "language": str,
            "source": str,
            "text": str,
            "text_sha256": str,
            "ingested_at": str,
        },
        pk="id",
    )
    db.table("tracked_claims").create(
        {
            "id": str,
            "text": str,
            "first_seen": str,
            "last_seen": str,
            "mentions": int,
            "articles": int,
            "outlets": int,
            "verdict": str,
        },
        pk="id",
    )
    db.table("claims").create(
        {
            "id": str,
            "article_id": str,
            "position": int,
            "text": str,
            "sentence": str,
            "char_start": int,
            "char_end": int,
            "sentence_start": int,
            "sentence_end": int,
            "speaker": str,
            "cue": str,
            "quote_type": str,
            "checkworthiness": float,
            "claim_type": str,
            "language": str,
            "tracked_claim_id": str,
            "extractor": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("claim_links").create(
        {
            "claim_id": str,
            "earlier_claim_id": str,
            "score": float,
            "decision": str,
            "method": str,
            "model_id": str,
        },
        pk=("claim_id", "earlier_claim_id"),
        foreign_keys=[
            ("claim_id", "claims", "id"),
            ("earlier_claim_id", "claims", "id"),
        ],
    )
    db.table("fact_checks").create(
        {
            "id": str,
            "claim_reviewed": str,
            "claimant": str,
            "rating_text": str,
            "rating": str,
            "reviewer": str,
            "url": str,
            "published": str,
            "language": str,
            "raw": str,
        },
        pk="id",
    )
    db.table("fact_check_links").create(
        {
            "claim_id": str,
            "fact_check_id": str,
            "score": float,
            "decision": str,
            "method": str,
            "model_id": str,
        },
        pk=("claim_id", "fact_check_id"),
        foreign_keys=[
            ("claim_id", "claims", "id"),
            ("fact_check_id", "fact_checks", "id"),
        ],
    )
    # One vector per (item, model). An item is a claim or a fact-check, so the two
    # foreign keys are nullable and exactly one of them is set. AUTOINCREMENT keeps
    # ids growing even after the newest rows are deleted (an article replaced), so a
    # tracker can pick up every vector stored since the last id it saw.
    db.execute(
        """
        create table embeddings (
            id integer primary key autoincrement,
            claim_id text references claims(id),
            fact_check_id text references fact_checks(id),
            model_id text,
            dimensions integer,
            vector blob
        )
        """
    )
    db.table("embeddings").create_index(["claim_id", "model_id"], unique=True)
    db.table("embeddings").create_index(["fact_check_id", "model_id"], unique=True)
    db.table("embeddings").create_index(["model_id"])
    db.table("claims").create_index(["article_id"])
    db.table("claims").create_index(["tracked_claim_id"])
    db.table("claims").create_index(["speaker"])
    db.table("claim_links").create_index(["earlier_claim_id"])
    db.table("articles").create_index(["text_sha256"])
    db.table("claims").enable_fts(
        ["text", "sentence", "speaker"], create_triggers=True, tokenize="unicode61"
    )
    db.table("fact_checks").enable_fts(
        ["claim_reviewed", "claimant"], create_triggers=True, tokenize="unicode61"
    )


# The date a mention was seen: the article's publication date, or when it was ingested.
_SEEN_ON = "coalesce(articles.published, articles.ingested_at)"
# An article whose outlet is unknown counts as an outlet of its own.
_OUTLET = "coalesce(articles.outlet, articles.id)"

RESEARCH_VIEWS = {
    "repeated_claims": f"""
        select
            claims.tracked_claim_id,
            tracked_claims.text,
            count(*) as mentions,
            count(distinct claims.article_id) as articles,
            count(distinct {_OUTLET}) as outlets,
            group_concat(distinct {_OUTLET}) as outlet_names,
            min({_SEEN_ON}) as first_seen,
            max({_SEEN_ON}) as last_seen,
            tracked_claims.verdict
        from claims
        join articles on articles.id = claims.article_id
        join tracked_claims on tracked_claims.id = claims.tracked_claim_id
        group by claims.tracked_claim_id
        having count(distinct {_OUTLET}) > 1
    """,
    "claim_timeline": f"""
        select
            claims.tracked_claim_id,
            {_SEEN_ON} as seen_on,
            claims.id as claim_id,
            claims.text,
            claims.speaker,
            claims.cue,
            articles.outlet,
            articles.title,
            articles.url,
            claims.article_id,
            claims.language
        from claims
        join articles on articles.id = claims.article_id
        where claims.tracked_claim_id is not null
    """,
    "claims_by_speaker": f"""
        select
            claims.speaker,
            count(*) as claims,
            count(distinct claims.tracked_claim_id) as tracked_claims,
            count(distinct claims.article_id) as articles,
            count(distinct articles.outlet) as outlets,
            min({_SEEN_ON}) as first_seen,
            max({_SEEN_ON}) as last_seen
        from claims
        join articles on articles.id = claims.article_id
        where claims.speaker is not null and claims.speaker != ''
        group by claims.speaker
    """,
    "fact_checked_claims_seen_again": f"""
        select distinct
            fact_checks.id as fact_check_id,
            fact_checks.rating,
            fact_checks.rating_text,
            fact_checks.reviewer,
            fact_checks.published as fact_checked_on,
            fact_checks.claim_reviewed,
            mentions.id as claim_id,
            mentions.text,
            mentions.speaker,
            articles.outlet,
            {_SEEN_ON} as seen_on,
            mentions.tracked_claim_id
        from fact_check_links
        join fact_checks on fact_checks.id = fact_check_links.fact_check_id
        join claims as checked on checked.id = fact_check_links.claim_id
        join claims as mentions
            on mentions.tracked_claim_id = checked.tracked_claim_id
        join articles on articles.id = mentions.article_id
        where fact_checks.published is null
            or {_SEEN_ON} >= fact_checks.published
    """,
}


@migrations()
def m002_research_views(db: Database) -> None:
    """Create the views for common research questions, documented in the metadata."""
    for name, sql in RESEARCH_VIEWS.items():
        db.create_view(name, sql)


@migrations()
def m003_claim_reasons(db: Database) -> None:
    claims = db.table("claims")
    claims.add_column("reasons", str)  # JSON array of text
    claims.add_column("hedged", int)
    claims.add_column("negated", int)


@migrations()
def m006_claims_needs_context(db: Database) -> None:
    """claims.needs_context: 1 when the claim keeps a pronoun it could not resolve."""
    db.table("claims").add_column("needs_context", int, not_null_default=0)


# From m004 on, a mention is seen on its article's publication date, NULL when that
# is unknown: the ingest time is not a publication date. Outlets are the known
# outlet names (an article of unknown outlet is not one more outlet), as in
# tracked_claims.outlets.
_PUBLISHED = "articles.published"
ISO_DATE_VIEWS = {
    name: sql.replace(_SEEN_ON, _PUBLISHED).replace(_OUTLET, "articles.outlet")
    for name, sql in RESEARCH_VIEWS.items()
}


@migrations()
def m004_iso_dates(db: Database) -> None:
    """Store every publication date as ISO 8601 UTC (or NULL), and date by it only.

    Dates stored as given ("Mon, 06 Sep 2021", "hier") are parsed; what is not a
    date becomes NULL, "date unknown". Views and tracked claims stop falling back on
    the ingest time.
    """
    from claimtrack.dates import parse_date_or_none

    for table in ("articles", "fact_checks"):
        rows = db.execute(
            f"select rowid, published from {table} where published is not null"
        ).fetchall()
        db.conn.executemany(
            f"update {table} set published = ? where rowid = ?",
            [
                (parse_date_or_none(published), rowid)
                for rowid, published in rows
                if parse_date_or_none(published) != published
            ],
        )
    for name, sql in ISO_DATE_VIEWS.items():
        db.execute(f"drop view if exists {name}")
        db.create_view(name, sql)
    db.execute(
        """
        update tracked_claims set
            first_seen = (
                select min(articles.published) from claims
                join articles on articles.id = claims.article_id
                where claims.tracked_claim_id = tracked_claims.id
            ),
            last_seen = (
                select max(articles.published) from claims
                join articles on articles.id = claims.article_id
                where claims.tracked_claim_id = tracked_claims.id
            ),
            outlets = (
                select count(distinct articles.outlet) from claims
                join articles on articles.id = claims.article_id
                where claims.tracked_claim_id = tracked_claims.id
            )
        """
    )


@migrations()
def m008_copies_and_feeds(db: Database) -> None:
    """Wire copies (articles.copy_of, MinHash bands) and the state of watched feeds."""
    db.table("articles").add_column("copy_of", str)
    db.table("articles").create_index(["copy_of"])
    db.table("tracked_claims").add_column("independent_outlets", int)
    db.execute("update tracked_claims set independent_outlets = outlets")
    db.table("article_minhashes").create(
        {"article_id": str, "shingles": int, "signature": bytes},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    # One row per article and LSH band: an article sharing any key with another is a
    # candidate copy (claimtrack.wirecopy). WITHOUT ROWID keeps it one compact b-tree.
    db.execute(
        """
        create table article_bands (
            key integer not null,
            article_id text not null references articles(id),
            primary key (key, article_id)
        ) without rowid
        """
    )
    db.table("article_bands").create_index(["article_id"])
    db.table("feeds").create(
        {
            "url": str,
            "etag": str,
            "last_modified": str,
            "last_polled": str,
            "last_success": str,
            "last_error": str,
            "failures": int,
            "next_poll": str,
            "items_seen": int,
        },
        pk="url",
        defaults={"failures": 0, "items_seen": 0},
    )
    db.execute("drop view if exists repeated_claims")
    db.create_view("repeated_claims", _REPEATED_CLAIMS_WITH_COPIES)


# A wire copy counts with the article it reprints: the outlet of that original.
_REPEATED_CLAIMS_WITH_COPIES = """
    select
        claims.tracked_claim_id,
        tracked_claims.text,
        count(*) as mentions,
        count(distinct claims.article_id) as articles,
        count(distinct articles.outlet) as outlets,
        count(distinct originals.outlet) as independent_outlets,
        group_concat(distinct articles.outlet) as outlet_names,
        min(articles.published) as first_seen,
        max(articles.published) as last_seen,
        tracked_claims.verdict
    from claims
    join articles on articles.id = claims.article_id
    left join articles as originals
        on originals.id = coalesce(articles.copy_of, articles.id)
    join tracked_claims on tracked_claims.id = claims.tracked_claim_id
    group by claims.tracked_claim_id
    having count(distinct articles.outlet) > 1
"""


# Porter stemming helps English and is harmless for French words it does not know;
# remove_diacritics lets "évêque" match "eveque". It is the tokenizer the hybrid
# ranking was tuned with (claimtrack.lexical.DEFAULT_TOKENIZER), written out here
# because a shipped migration must not change when that constant does.
_M005_TOKENIZER = "porter unicode61 remove_diacritics 2"
_M005_FTS = {
    "claims": ("text", "sentence", "speaker"),
    "fact_checks": ("claim_reviewed", "claimant"),
}
# Only fact-checks of the same claim: a fact-check of the opposite claim, or one
# merely suggested, says nothing about this claim's truth.
_M005_SEEN_AGAIN = f"""
    select distinct
        fact_checks.id as fact_check_id,
        fact_checks.rating,
        fact_checks.rating_text,
        fact_checks.reviewer,
        fact_checks.published as fact_checked_on,
        fact_checks.claim_reviewed,
        mentions.id as claim_id,
        mentions.text,
        mentions.speaker,
        articles.outlet,
        {_PUBLISHED} as seen_on,
        mentions.tracked_claim_id
    from fact_check_links
    join fact_checks on fact_checks.id = fact_check_links.fact_check_id
    join claims as checked on checked.id = fact_check_links.claim_id
    join claims as mentions
        on mentions.tracked_claim_id = checked.tracked_claim_id
    join articles on articles.id = mentions.article_id
    where fact_check_links.decision = 'same'
        and (fact_checks.published is null or {_PUBLISHED} >= fact_checks.published)
"""


@migrations()
def m005_links_decisions(db: Database) -> None:
    """Links decided same / suggested / opposite: views and full-text search follow.

    - ``fact_checked_claims_seen_again`` keeps only fact-checks linked as ``same``;
    - the FTS5 tables get the tokenizer of the hybrid ranking, which ranks ingest
      candidates with them (claimtrack.index).
    """
    db.execute("drop view if exists fact_checked_claims_seen_again")
    db.create_view("fact_checked_claims_seen_again", _M005_SEEN_AGAIN)
    for table, columns in _M005_FTS.items():
        # The triggers of m001 keep writing to the table by name: only the FTS5
        # table itself is made again, then filled from its content table.
        quoted = ", ".join(f'"{column}"' for column in columns)
        db.execute(f'drop table if exists "{table}_fts"')
        db.execute(
            f'create virtual table "{table}_fts" using fts5 ({quoted}, '
            f"tokenize='{_M005_TOKENIZER}', content=\"{table}\")"
        )
        db.execute(f'insert into "{table}_fts" ("{table}_fts") values (\'rebuild\')')


# m007: speakers as entities, and the reviews of links people make.
CLAIMS_BY_SPEAKER_VIEW = """
    select
        speakers.id as speaker_id,
        speakers.name as speaker,
        speakers.role,
        count(*) as claims,
        round(avg(claims.checkworthiness), 3) as mean_checkworthiness,
        count(distinct claims.tracked_claim_id) as tracked_claims,
        count(distinct claims.article_id) as articles,
        count(distinct articles.outlet) as outlets,
        min(articles.published) as first_seen,
        max(articles.published) as last_seen
    from claims
    join speakers on speakers.id = claims.speaker_id
    join articles on articles.id = claims.article_id
    group by speakers.id
"""


@migrations()
def m007_speakers_reviews(db: Database) -> None:
    """speakers (one person or group; claims.speaker_id) and reviews (a person's
    decision on a suggested link), with claims_by_speaker grouped by speaker."""
    from claimtrack.speakers import assign_speakers

    db.table("speakers").create(
        {
            "id": str,
            "name": str,
            "aliases": str,  # JSON list of the strings that named the speaker
            "role": str,
            "person": int,
            "surname": str,
            "given": str,
            "mentions": int,
        },
        pk="id",
    )
    db.table("speakers").create_index(["surname"])
    db.table("speakers").enable_fts(
        ["name", "aliases"], create_triggers=True, tokenize="unicode61"
    )
    db.table("claims").add_column("speaker_id", str)
    db.table("claims").create_index(["speaker_id"])
    db.table("reviews").create(
        {
            "id": int,
            "kind": str,  # "claim_link" or "fact_check_link"
            "a": str,  # claim_id
            "b": str,  # earlier_claim_id or fact_check_id
            "decision": str,  # same, opposite or rejected
            "before": str,  # the link's decision before the review
            "after": str,  # its decision after
            "reviewer": str,  # the Datasette actor id
            "reviewed_at": str,
            "note": str,
        },
        pk="id",
    )
    db.table("reviews").create_index(["kind", "a", "b"])
    db.execute("drop view if exists claims_by_speaker")
    db.create_view("claims_by_speaker", CLAIMS_BY_SPEAKER_VIEW)
    assign_speakers(db)


# m009: the column as it was declared, and as it is declared from m009 on.
_M009_COLUMN = '"tracked_claim_id" TEXT,'
_M009_REFERENCE = (
    '"tracked_claim_id" TEXT REFERENCES "tracked_claims"("id") '
    "DEFERRABLE INITIALLY DEFERRED,"
)


@migrations()
def m009_tracked_claim_foreign_key(db: Database) -> None:
    """claims.tracked_claim_id references tracked_claims(id), checked at commit.

    Datasette then labels the column with the tracked claim's text and lists a
    tracked claim's mentions on its row page. The constraint is DEFERRABLE
    INITIALLY DEFERRED: a write places a mention and creates or merges its tracked
    claim in one transaction, in either order; only what it commits must agree.

    Not sqlite-utils' ``transform`` (nor ``add_foreign_key``, which calls it): it
    copies the table and drops the old one, and inside the store's transaction,
    where ``PRAGMA foreign_keys`` cannot be turned off, that drop counts every
    link, vector and fact-check link of a stored claim as a violation at commit;
    it also cannot declare DEFERRABLE, and it drops the full-text triggers. A
    foreign key changes nothing stored, so this is SQLite's documented schema edit
    for such changes (sqlite.org/lang_altertable.html, "other kinds of table schema
    changes"): rewrite the CREATE TABLE text, bump schema_version, check.
    """
    claims = db.table("claims")
    if any(fk.column == "tracked_claim_id" for fk in claims.foreign_keys):
        return
    # A mention whose tracked claim is gone would fail the check and block the
    # upgrade; it has no tracked claim to show either.
    db.execute(
        "update claims set tracked_claim_id = null where tracked_claim_id "
        "not in (select id from tracked_claims)"
    )
    schema = claims.schema
    if schema.count(_M009_COLUMN) != 1:
        raise RuntimeError(f"claims is not declared as m001 made it: {schema}")
    # Only the failure path changed after m009 shipped (it raised a bare
    # RuntimeError): what a successful upgrade writes is the same.
    _rewrite_claims_schema(
        db, schema.replace(_M009_COLUMN, _M009_REFERENCE), _m009_refused
    )


def _m009_refused(problem: str, fix: str) -> Exception:
    from claimtrack.errors import SchemaError

    return SchemaError(
        f"Cannot upgrade this database (m009, claims.tracked_claim_id as a foreign "
        f"key): {problem}; it was left unchanged. To go on, {fix}, then run again."
    )


# m010: claims.speaker_id as m007 added it, and as it is declared from m010 on.
_M010_COLUMN = re.compile(
    r'(?:"speaker_id"|\[speaker_id\]|`speaker_id`|speaker_id) TEXT\b'
)
_M010_REFERENCE = (
    '"speaker_id" TEXT REFERENCES "speakers"("id") DEFERRABLE INITIALLY DEFERRED'
)


@migrations()
def m010_speaker_foreign_key(db: Database) -> None:
    """claims.speaker_id references speakers(id), checked at commit.

    Datasette then shows the speaker's canonical name (speakers' label column) in
    the claims table and its facet, links it to the speaker, and lists a speaker's
    claims on its row page; the raw speaker string stays in claims.speaker. A claim
    with no speaker has NULL. DEFERRABLE INITIALLY DEFERRED because a write stores
    the claims, then their speakers (claimtrack.speakers.assign_speakers).

    Done as m009 did it, not with sqlite-utils' ``transform``/``add_foreign_key``,
    for the reasons m009 gives (a copy and drop of claims inside the store's
    transaction breaks every link and vector at commit, no DEFERRABLE, the
    full-text triggers lost): rewrite the CREATE TABLE text, bump
    schema_version, check.
    """
    from claimtrack.speakers import repair_speakers

    claims = db.table("claims")
    if any(fk.column == "speaker_id" for fk in claims.foreign_keys):
        return
    # A claim naming a speaker that is gone would fail the check and block the
    # upgrade: it is given its speaker again, from its speaker string.
    repair_speakers(db)
    schema = claims.schema
    if len(_M010_COLUMN.findall(schema)) != 1:
        raise _m010_refused(
            "claims.speaker_id is not declared as m007 made it",
            "restore the file from a backup",
        )
    _rewrite_claims_schema(db, _M010_COLUMN.sub(_M010_REFERENCE, schema), _m010_refused)


def _m010_refused(problem: str, fix: str) -> Exception:
    from claimtrack.errors import SchemaError

    return SchemaError(
        f"Cannot upgrade this database (m010, claims.speaker_id as a foreign key "
        f"to speakers): {problem}; it was left unchanged. To go on, {fix}, then "
        f"run again."
    )


# m011: the timeline names the speaker as the speakers table does, as the claims
# table does since m010, so one person is one name from one mention to the next.
_CLAIM_TIMELINE_WITH_SPEAKERS = (
    ISO_DATE_VIEWS["claim_timeline"]
    .replace(
        "claims.speaker,",
        "coalesce(speakers.name, claims.speaker) as speaker,\n"
        "            claims.speaker_id,",
    )
    .replace(
        "join articles on articles.id = claims.article_id",
        "join articles on articles.id = claims.article_id\n"
        "        left join speakers on speakers.id = claims.speaker_id",
    )
)


@migrations()
def m011_timeline_speakers(db: Database) -> None:
    """claim_timeline shows each mention's canonical speaker, and its speaker_id.

    A mention whose speaker string matched no speaker keeps that string.
    """
    db.execute("drop view if exists claim_timeline")
    db.create_view("claim_timeline", _CLAIM_TIMELINE_WITH_SPEAKERS)


def _rewrite_claims_schema(
    db: Database, sql: str, refused: Callable[[str, str], Exception]
) -> None:
    """Make ``sql`` claims' CREATE TABLE text, then refuse the upgrade if unsound.

    m009 and m010 add a foreign key by editing the schema text (bumping
    schema_version so every connection re-reads it), which SQLite does not check;
    so this then runs the checks SQLite would have: the file's integrity, then every
    claim's keys. ``refused(problem, fix)`` words the one-line error. ClaimStore runs
    migrations in one transaction, so raising leaves the file as it was.
    """
    version = db.execute("pragma schema_version").fetchone()[0]
    db.execute("pragma writable_schema = on")
    try:
        db.execute(
            "update sqlite_master set sql = :sql where type = 'table' "
            "and name = 'claims'",
            {"sql": sql},
        )
        db.execute(f"pragma schema_version = {int(version) + 1}")
    finally:
        db.execute("pragma writable_schema = off")
    problems = db.execute("pragma integrity_check").fetchall()
    if problems != [("ok",)]:
        raise refused(
            f"the file fails SQLite's integrity check ({problems[0][0]})",
            "restore it from a backup",
        )
    if dangling := db.execute("pragma foreign_key_check(claims)").fetchall():
        _table, rowid, parent, key = dangling[0]
        column = next(
            fk[3]  # (id, seq, table, from, to, ...): the column that names parent
            for fk in db.execute("pragma foreign_key_list(claims)").fetchall()
            if fk[0] == key
        )
        claim_id, value = db.execute(
            f'select id, "{column}" from claims where rowid = ?', [rowid]
        ).fetchone()
        rowids = ", ".join(str(row[1]) for row in dangling[:20])
        raise refused(
            f"{len(dangling)} claim(s) name a row missing from {parent} (claim "
            f"{claim_id} has {column} {value})",
            f"re-ingest that article, or delete those claims (delete from claims "
            f"where rowid in ({rowids}))",
        )


@migrations()
def m012_claim_terms(db: Database) -> None:
    """claim_terms: each claim's text as term numbers for BM25 (claimtrack.claim_terms).

    Filled for the claims already stored; triggers drop a claim's row when the claim
    is deleted or its text changes (a claim without a row is tokenized, as before).
    Keyed by claim id; ``m012_claim_terms_by_rowid`` keys it by the claim's rowid.
    """
    db.execute(
        "create table if not exists claim_terms "
        "(claim_id text primary key, numbers blob not null) without rowid"
    )
    db.execute(
        "create trigger if not exists claim_terms_delete after delete on claims "
        "begin delete from claim_terms where claim_id = old.id; end"
    )
    db.execute(
        "create trigger if not exists claim_terms_update after update of id, text "
        "on claims begin delete from claim_terms where claim_id = old.id; end"
    )
    # Filled as m012 shipped it (claimtrack.claim_terms now writes the new shape).
    from claimtrack.lexical import Tokenizer

    tokenizer, after = Tokenizer(), -1
    while rows := db.execute(
        "select rowid, id, coalesce(text, '') from claims where rowid > ? "
        "and not exists (select 1 from claim_terms where claim_id = claims.id) "
        "order by rowid limit 20000",
        (after,),
    ).fetchall():
        blobs = tokenizer.text_numbers([row[2] for row in rows])
        db.conn.executemany(
            "insert or replace into claim_terms (claim_id, numbers) values (?, ?)",
            [(row[1], blob) for row, blob in zip(rows, blobs, strict=True)],
        )
        after = rows[-1][0]


@migrations()
def m012_claim_terms_by_rowid(db: Database) -> None:
    """claim_terms keyed by the claim's rowid, the row id its FTS5 index returns.

    BM25 then reads a candidate's id and term numbers from this small table alone:
    looking each one up by id in claims touched the large claims rows (4.7 against
    1.3 ms CPU for 300 rows at a million claims). The rows m012 stored are kept.
    """
    from claimtrack.claim_terms import fill_missing

    if "claim_rowid" in db.table("claim_terms").columns_dict:
        return
    db.execute("drop trigger if exists claim_terms_delete")
    db.execute("drop trigger if exists claim_terms_update")
    db.execute("alter table claim_terms rename to claim_terms_m012")
    db.execute(
        "create table claim_terms (claim_rowid integer primary key, "
        "claim_id text not null, numbers blob not null)"
    )
    db.execute(
        "insert into claim_terms (claim_rowid, claim_id, numbers) "
        "select claims.rowid, claims.id, old.numbers from claim_terms_m012 as old "
        "join claims on claims.id = old.claim_id"
    )
    db.execute("drop table claim_terms_m012")
    db.execute(
        "create trigger claim_terms_delete after delete on claims "
        "begin delete from claim_terms where claim_rowid = old.rowid; end"
    )
    db.execute(
        "create trigger claim_terms_update after update of id, text on claims "
        "begin delete from claim_terms where claim_rowid = old.rowid; end"
    )
    fill_missing(db)
