"""Shared set-up for the Datasette tests: a small claim database and the plugin."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from datasette.app import Datasette
from datasette.plugins import pm
from sqlite_utils import Database

import claimtrack.publish.datasette_plugin
from claimtrack.models import Article
from claimtrack.publish.deploy import SETTINGS
from claimtrack.publish.metadata import build_metadata
from claimtrack.testing import FakePairModel
from claimtrack.tracker import Tracker

HOSTILE = "<script>alert('owned')</script> The minister said taxes rose by 5 percent."
NUCLEAR = "The CIA has seen no sign that Russia is preparing to use nuclear weapons."

ARTICLES = [
    Article(
        id="a1",
        text=f"{NUCLEAR} Analysts expect talks in Geneva next week.",
        outlet="Le Monde",
        published="2024-01-01",
        language="en",
        url="https://example.org/a1",
    ),
    Article(
        id="a2",
        text=f"Officials repeated it. {NUCLEAR}",
        outlet="BBC",
        published="2024-02-01",
        language="en",
        url="https://example.org/a2",
    ),
    Article(
        id="a3",
        text=HOSTILE,
        outlet="Evil <b>Times</b>",
        published="2024-03-01",
        language="en",
        url="javascript:alert(1)",
    ),
]


def build_claims_db(path: Path) -> Path:
    """Ingest ARTICLES with the fake backends and add a fact-check of the CIA claim."""
    tracker = Tracker(
        path, extractor="fake", embedder="fake", pair_model=FakePairModel()
    )
    list(tracker.ingest_many(ARTICLES))
    db = Database(path)
    claim_id = db.execute(
        "select id from claims where article_id = 'a1' and text like 'The CIA%'"
    ).fetchone()[0]
    db.table("fact_checks").insert(
        {
            "id": "fc1",
            "claim_reviewed": "The CIA says Russia is not preparing a nuclear strike",
            "claimant": "CIA",
            "rating_text": "Accurate",
            "rating": "true",
            "reviewer": "Checkers <i>United</i>",
            "url": "https://checks.example/fc1",
            "published": "2024-01-15",
            "language": "en",
        }
    )
    db.table("fact_check_links").insert(
        {
            "claim_id": claim_id,
            "fact_check_id": "fc1",
            "score": 0.91,
            "decision": "same",
            "method": "vector",
            "model_id": "fake/bag-of-words",
        }
    )
    db.close()
    return path


@contextmanager
def plugin_registered() -> Iterator[None]:
    """Register claimtrack's Datasette plugin for the duration of a test."""
    pm.register(claimtrack.publish.datasette_plugin, name="claimtrack-test")
    try:
        yield
    finally:
        pm.unregister(name="claimtrack-test")


def make_datasette(path: Path) -> Datasette:
    """Serve path in-process, immutable, with the generated metadata and the
    settings ``claimtrack serve`` gives."""
    return Datasette(
        immutables=[str(path)], metadata=build_metadata(path.stem), settings=SETTINGS
    )


def undo_claims_migration(path: Path, migration: str, new: str, old: str) -> None:
    """Undo a migration that rewrote the claims schema, as if an older claimtrack had
    written the file: the column definition ``new`` goes back to ``old``."""
    conn = sqlite3.connect(path)
    schema = conn.execute(
        "select sql from sqlite_master where type = 'table' and name = 'claims'"
    ).fetchone()[0]
    version = conn.execute("pragma schema_version").fetchone()[0]
    with conn:
        conn.execute("pragma writable_schema = on")
        conn.execute(
            "update sqlite_master set sql = ? where type = 'table' and name = 'claims'",
            [schema.replace(new, old)],
        )
        conn.execute(f"pragma schema_version = {version + 1}")
        conn.execute("pragma writable_schema = off")
        conn.execute("delete from _sqlite_migrations where name = ?", [migration])
    conn.close()
