"""m010: claims.speaker_id is a foreign key to speakers (issue 15.4).

The claims table then shows and facets the canonical speaker, linked to the
speaker's page, whatever string named them; the raw string stays in
claims.speaker. Fresh databases, upgraded ones, re-ingests, reembed and
``check --repair`` all keep the key valid; a claim with no speaker has NULL.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from claimtrack.cli import cli
from claimtrack.migrations import _M010_REFERENCE
from claimtrack.models import Article
from claimtrack.store import ClaimStore
from claimtrack.testing import FakePairModel
from claimtrack.tracker import Tracker, reembed
from tests.publish_helpers import (
    make_datasette,
    plugin_registered,
    undo_claims_migration,
)

MIGRATION = "m010_speaker_foreign_key"
# The fake extractor names the article's outlet as the speaker of its claims.
SPEAKERS = {
    "a1": "Vladimir Poutine",
    "a2": "Putin",
    "a3": "Vladimir Putin",
    "a4": "US officials",
    "a5": None,  # no speaker: its claim's speaker_id is NULL
}


def _article(article_id: str, text: str) -> Article:
    return Article(
        id=article_id,
        text=text,
        language="en",
        outlet=SPEAKERS[article_id],
        published=f"2024-01-0{article_id[1]}",
    )


ARTICLES = [
    _article("a1", "The war will end before the summer."),
    _article("a2", "Gas prices will fall by ten percent next year."),
    _article("a3", "The sanctions cost Europe two hundred billion euros."),
    _article("a4", "The bridge cost two billion dollars to build."),
    _article("a5", "Inflation reached nine percent in March."),
]


def _tracker(path: Path) -> Tracker:
    return Tracker(path, extractor="fake", embedder="fake", pair_model=FakePairModel())


@pytest.fixture
def claims_db(tmp_path: Path) -> Path:
    path = tmp_path / "claims.db"
    list(_tracker(path).ingest_many(ARTICLES))
    ClaimStore(path).checkpoint()  # an immutable Datasette does not read the WAL
    return path


def _key_is_valid(path: Path) -> None:
    db = Database(path)
    assert any(
        fk.column == "speaker_id" and fk.other_table == "speakers"
        for fk in db.table("claims").foreign_keys
    )
    assert db.execute("pragma foreign_key_check").fetchall() == []


def _putin(path: Path) -> str:
    [row] = Database(path).execute(
        "select id from speakers where name = 'Vladimir Putin'"
    )
    return str(row[0])


def test_a_fresh_database_has_the_key_and_null_for_no_speaker(claims_db: Path) -> None:
    _key_is_valid(claims_db)
    db = Database(claims_db)
    nobody = "select speaker, speaker_id from claims where article_id = 'a5'"
    assert db.execute(nobody).fetchall() == [(None, None)]
    putin = _putin(claims_db)
    ids = "select distinct speaker_id from claims where article_id in ('a1','a2','a3')"
    assert db.execute(ids).fetchall() == [(putin,)]


@pytest.mark.asyncio
async def test_the_speaker_facet_shows_one_person_for_every_spelling(
    claims_db: Path,
) -> None:
    putin = _putin(claims_db)
    with plugin_registered():
        datasette = make_datasette(claims_db)
        # speaker_id is one of the table's facets (metadata)
        data = (await datasette.client.get("/claims/claims.json")).json()
        facet = data["facet_results"]["speaker_id"]["results"]
        assert {(row["label"], row["count"]) for row in facet} == {
            ("Vladimir Putin", 3),
            ("US officials", 1),
        }
        # the table's first view shows the canonical speaker, linked to its page
        response = await datasette.client.get("/claims/claims")
        html = (await datasette.client.get(response.headers["location"])).text
        facet_html = html.split('data-column="speaker_id"')[1].split("</ul>")[0]
        assert facet_html.count("Vladimir Putin") == 1, facet_html
        assert "Poutine" not in facet_html
        link = (
            f'href="/-/claimtrack/speaker/{putin}?database=claims">Vladimir Putin</a>'
        )
        assert html.count(link) == 3, html
        # the raw string is one click away
        every = (await datasette.client.get("/claims/claims?_sort=id")).text
        assert ">Vladimir Poutine</a>" in every and 'class="col-speaker"' in every
        # the speaker's page and its row page (which follows the key) list the claims
        page = await datasette.client.get(f"/-/claimtrack/speaker/{putin}")
        assert page.status_code == 200
        assert len(re.findall(r'href="/-/claimtrack/claim/[\w-]+', page.text)) == 3
        row_page = (await datasette.client.get(f"/claims/speakers/{putin}")).text
        assert f"/claims/claims?speaker_id={putin}" in row_page


@pytest.mark.asyncio
@pytest.mark.parametrize("typed", ["Putin", "poutine", "Vladimir Putin", "putin"])
async def test_claims_by_speaker_matches_canonical_names_and_aliases(
    claims_db: Path, typed: str
) -> None:
    datasette = make_datasette(claims_db)
    rows = (
        await datasette.client.get(
            "/claims/claims_by_speaker.json",
            params={"speaker": typed, "_shape": "array"},
        )
    ).json()
    assert {row["speaker"] for row in rows} == {"Vladimir Putin"}, rows
    assert {row["named_as"] for row in rows} == {
        "Vladimir Poutine",
        "Putin",
        "Vladimir Putin",
    }
    # the claims_by_speaker view groups the three spellings into one speaker
    [view] = Database(claims_db).query(
        "select * from claims_by_speaker where speaker = 'Vladimir Putin'"
    )
    assert view["claims"] == 3


def _as_before_m010(path: Path, *, dangling: bool = False) -> None:
    """Undo m010 on a full database, as if an older claimtrack had written it."""
    undo_claims_migration(path, MIGRATION, _M010_REFERENCE, '"speaker_id" TEXT')
    if dangling:  # an old write left a claim naming a speaker that is gone
        conn = sqlite3.connect(path)
        with conn:
            conn.execute(
                "update claims set speaker_id = 'gone' where article_id = 'a4'"
            )
            conn.execute("delete from speakers where name = 'US officials'")
        conn.close()


def _counts(db: Database) -> dict[str, int]:
    tables = ("claims", "claim_links", "embeddings", "speakers", "tracked_claims")
    return {table: db.table(table).count for table in tables}


def test_m010_upgrades_an_old_database_and_keeps_everything(claims_db: Path) -> None:
    before = _counts(Database(claims_db))
    _as_before_m010(claims_db, dangling=True)
    old = Database(claims_db)
    assert not any(fk.column == "speaker_id" for fk in old.table("claims").foreign_keys)
    old.close()
    store = ClaimStore(claims_db)  # opening applies the pending migration
    _key_is_valid(claims_db)
    assert _counts(store.db) == before
    # the claim naming a gone speaker got its speaker back, from its string
    [(name,)] = store.db.execute(
        "select speakers.name from claims join speakers on speakers.id = "
        "claims.speaker_id where claims.article_id = 'a4'"
    ).fetchall()
    assert name == "US officials"
    assert store.db.execute("pragma integrity_check").fetchall() == [("ok",)]
    hits = "select count(*) from claims_fts where claims_fts match 'bridge'"
    assert store.db.execute(hits).fetchone()[0] == 1
    # The full-text triggers, and m012's of claim_terms.
    assert len(store.db.table("claims").triggers) == 5


def test_an_upgrade_that_fails_its_check_leaves_the_file_untouched(
    claims_db: Path,
) -> None:
    _as_before_m010(claims_db)
    conn = sqlite3.connect(claims_db)
    with conn:  # a claim whose article was deleted with foreign keys off
        conn.execute("delete from articles where id = 'a4'")
    schema = conn.execute(
        "select sql from sqlite_master where name = 'claims'"
    ).fetchone()
    conn.close()
    result = CliRunner().invoke(cli, ["claims", str(claims_db)])
    assert result.exit_code == 1, result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: Cannot upgrade this database (m0"), line
    assert "a4" in line and "left unchanged" in line, line
    conn = sqlite3.connect(claims_db)
    assert (
        conn.execute("select sql from sqlite_master where name = 'claims'").fetchone()
        == schema
    )
    applied = {row[0] for row in conn.execute("select name from _sqlite_migrations")}
    conn.close()
    assert MIGRATION not in applied


def test_reingest_and_reembed_keep_the_key_valid(claims_db: Path) -> None:
    tracker = _tracker(claims_db)
    # a4 re-ingested with another speaker: "US officials" is left with no claim
    changed = Article(
        id="a4",
        text="The bridge cost three billion dollars to build.",
        language="en",
        outlet="President Vladimir Putin",
        published="2024-01-04",
    )
    [result] = list(tracker.ingest_many([changed]))
    assert result.status in {"added", "replaced", "updated"}, result.status
    _key_is_valid(claims_db)
    names = {row[0] for row in Database(claims_db).execute("select name from speakers")}
    assert names == {"Vladimir Putin"}
    reembed(claims_db, "fake", pair_model=FakePairModel())
    _key_is_valid(claims_db)
    db = Database(claims_db)
    assert db.execute(
        "select count(*) from claims where speaker_id is null"
    ).fetchone() == (1,)  # a5's, which names nobody


def test_check_finds_and_repairs_a_claim_naming_a_missing_speaker(
    claims_db: Path,
) -> None:
    raw = sqlite3.connect(claims_db)
    with raw:  # foreign keys are off by default on a plain connection
        raw.execute("update claims set speaker_id = 'gone' where article_id = 'a2'")
    raw.close()
    result = CliRunner().invoke(cli, ["check", str(claims_db)])
    assert result.exit_code == 1, result.output
    assert "1 claims naming a missing speaker" in result.output, result.output
    result = CliRunner().invoke(cli, ["check", str(claims_db), "--repair"])
    assert result.exit_code == 0, result.output
    assert "gave 1 claims their speaker again" in result.output, result.output
    _key_is_valid(claims_db)
    [(speaker_id,)] = Database(claims_db).execute(
        "select speaker_id from claims where article_id = 'a2'"
    )
    assert speaker_id == _putin(claims_db)


@pytest.mark.asyncio
async def test_semantic_search_names_the_canonical_speaker_with_a_link(
    claims_db: Path,
) -> None:
    putin = _putin(claims_db)
    q = {"q": "Gas prices will fall next year"}
    with plugin_registered():
        datasette = make_datasette(claims_db)
        rows = (
            await datasette.client.get(
                "/claims/semantic_search.json", params={**q, "_shape": "array"}
            )
        ).json()
        assert rows[0]["text"].startswith("Gas prices will fall")
        assert (rows[0]["speaker"], rows[0]["speaker_id"]) == ("Vladimir Putin", putin)
        nobody = [row for row in rows if row["text"].startswith("Inflation")]
        assert nobody and nobody[0]["speaker"] is None
        html = (await datasette.client.get("/claims/semantic_search", params=q)).text
        link = (
            f'href="/-/claimtrack/speaker/{putin}?database=claims">Vladimir Putin</a>'
        )
        assert link in html


def test_the_timeline_names_the_canonical_speaker(claims_db: Path) -> None:
    """m011: claim_timeline shows the speakers table's name, not each spelling."""
    rows = (
        Database(claims_db)
        .execute(
            "select article_id, speaker, speaker_id from claim_timeline "
            "order by article_id"
        )
        .fetchall()
    )
    putin = _putin(claims_db)
    assert [row for row in rows if row[0] in ("a1", "a2", "a3")] == [
        ("a1", "Vladimir Putin", putin),
        ("a2", "Vladimir Putin", putin),
        ("a3", "Vladimir Putin", putin),
    ]
    assert ("a5", None, None) in rows


def test_m011_gives_an_old_timeline_the_canonical_speaker(claims_db: Path) -> None:
    from claimtrack.migrations import ISO_DATE_VIEWS

    db = Database(claims_db)
    db.execute("drop view claim_timeline")
    db.create_view("claim_timeline", ISO_DATE_VIEWS["claim_timeline"])
    db.execute("delete from _sqlite_migrations where name = 'm011_timeline_speakers'")
    db.conn.commit()
    assert "Putin" in {
        row[0] for row in db.execute("select speaker from claim_timeline")
    }
    ClaimStore(claims_db)  # applies m011 again
    speakers = {
        row[0]
        for row in Database(claims_db).execute(
            "select speaker from claim_timeline where speaker is not null"
        )
    }
    assert speakers == {"Vladimir Putin", "US officials"}
