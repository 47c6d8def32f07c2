"""Speakers as entities: names stripped of titles, spellings merged, per database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from claimtrack.models import Article
from claimtrack.speakers import SpeakerName, canonical_name, parse_speaker
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "le directeur de la CIA, William Burns",
            "William Burns",
            "directeur de la CIA",
        ),
        ("Le président américain Joe Biden", "Joe Biden", "président américain"),
        ("President Joe Biden", "Joe Biden", "President"),
        ("Secretary of State Antony Blinken", "Antony Blinken", "Secretary of State"),
        ("Mayor Linda Park", "Linda Park", "Mayor"),
        ("le président russe, Vladimir Poutine", "Vladimir Poutine", "président russe"),
        ("Putin", "Putin", None),
    ],
)
def test_titles_and_appositives_are_stripped(
    text: str, name: str, role: str | None
) -> None:
    parsed = parse_speaker(text)
    assert parsed is not None and parsed.person
    assert (parsed.name, parsed.role) == (name, role)


@pytest.mark.parametrize(
    "text",
    [
        "les hauts responsables de la CIA",
        "US officials",
        "the transit authority",
        "NATO",
    ],
)
def test_groups_are_not_people(text: str) -> None:
    parsed = parse_speaker(text)
    assert parsed is not None and not parsed.person


def test_french_and_english_spellings_share_a_surname() -> None:
    poutine, putin = parse_speaker("Vladimir Poutine"), parse_speaker("Putin")
    assert poutine is not None and putin is not None
    assert poutine.surname == putin.surname == "putin"


def test_canonical_name_is_the_fullest_english_spelling() -> None:
    names = [parse_speaker(t) for t in ("Putin", "Vladimir Poutine", "Vladimir Putin")]
    assert canonical_name(n for n in names if isinstance(n, SpeakerName)) == (
        "Vladimir Putin"
    )


def _article(article_id: str, text: str, outlet: str) -> Article:
    return Article(id=article_id, text=text, language="en", outlet=outlet)


def _speakers(path: Path) -> dict[str, dict[str, object]]:
    db = Database(path)
    return {row["name"]: row for row in db.query("select * from speakers")}


def test_ingest_sets_speaker_ids_and_merges_across_articles(tmp_path: Path) -> None:
    """The fake extractor names the outlet as speaker: three spellings, one person."""
    path = tmp_path / "claims.db"
    tracker = Tracker(path, extractor="fake", embedder="fake")
    articles = [
        _article("a1", "The war will end soon.", "Vladimir Poutine"),
        _article("a2", "Gas prices will fall next year.", "President Vladimir Putin"),
        _article("a3", "The bridge cost two billion.", "US officials"),
    ]
    list(tracker.ingest_many(articles))
    speakers = _speakers(path)
    assert set(speakers) == {"Vladimir Putin", "US officials"}
    assert speakers["Vladimir Putin"]["mentions"] == 2
    assert speakers["Vladimir Putin"]["role"] == "President"
    db = Database(path)
    assert (
        db.execute("select count(*) from claims where speaker_id is null").fetchone()[0]
        == 0
    )
    # re-ingesting a changed article recounts; a speaker left with no claim goes
    list(
        tracker.ingest_many([_article("a3", "The bridge cost three billion.", "Putin")])
    )
    speakers = _speakers(path)
    assert set(speakers) == {"Vladimir Putin"}
    assert speakers["Vladimir Putin"]["mentions"] == 3


def test_migration_fills_speakers_of_an_existing_database(tmp_path: Path) -> None:
    """A database from before m007: its claims get speakers when it is opened."""
    path = tmp_path / "old.db"
    db = Database(path)
    store = ClaimStore(db)
    store.db.table("articles").insert({"id": "a", "text": "x", "published": None})
    rows = [
        ("c1", "Vladimir Poutine", "fr"),
        ("c2", "Putin", "en"),
        ("c3", "Vladimir Putin", "en"),
        ("c4", "Biden", "fr"),
        ("c5", "Le président américain Joe Biden", "fr"),
        ("c6", "US officials", "en"),
        ("c7", "senior CIA officials", "en"),
    ]
    store.db.table("claims").insert_all(
        {"id": i, "article_id": "a", "speaker": s, "language": lang, "text": s}
        for i, s, lang in rows
    )
    store.db.execute("update claims set speaker_id = null")
    store.db.execute("delete from speakers")
    # m011's claim_timeline joins speakers: a database from before m007 has
    # neither, so both come back when it is opened.
    store.db.execute(
        "delete from _sqlite_migrations where name in "
        "('m007_speakers_reviews', 'm011_timeline_speakers')"
    )
    store.db.execute("drop view if exists claim_timeline")
    for table in ("speakers_fts", "speakers", "reviews"):
        store.db.execute(f"drop table if exists {table}")
    store.db.execute("drop view if exists claims_by_speaker")
    store.db.execute("drop index if exists idx_claims_speaker_id")
    store.db.execute("alter table claims drop column speaker_id")
    db.conn.commit()
    ClaimStore(path)  # applies m007 again
    speakers = _speakers(path)
    assert speakers["Vladimir Putin"]["mentions"] == 3
    assert json.loads(str(speakers["Vladimir Putin"]["aliases"])) == [
        "Putin",
        "Vladimir Poutine",
        "Vladimir Putin",
    ]
    assert speakers["Joe Biden"]["mentions"] == 2
    assert speakers["Joe Biden"]["role"] == "président américain"
    assert {"US officials", "senior CIA officials"} <= set(speakers)
    by_speaker = {
        row["speaker"]: row["claims"]
        for row in Database(path).query("select * from claims_by_speaker")
    }
    assert by_speaker["Vladimir Putin"] == 3
