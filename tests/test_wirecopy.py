"""Wire copies: a reprinted dispatch is stored as copy_of its original, counted once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from claimtrack import wirecopy
from claimtrack.migrations import migrations
from claimtrack.models import Article
from claimtrack.store import ClaimStore
from claimtrack.testing import FakeEmbedder, FakeExtractor
from claimtrack.tracker import Tracker

ROOT = Path(__file__).parent.parent
SEED = ROOT / "examples" / "articles" / "us-russia-nuclear-warning.fr.txt"
OTHER_ON_TOPIC = (
    ROOT / "examples" / "articles" / "guerre-ukraine-menace-nucleaire.fr.txt"
)


def seed_text() -> str:
    return SEED.read_text()


def reprint(text: str) -> str:
    """The dispatch as another outlet prints it: new headline, credit, cut, typo."""
    paragraphs = text.split("\n\n")
    body = paragraphs[2:-2]  # section and headline replaced, last paragraphs cut
    body[0] = "PARIS (AFP) - " + body[0]
    edited = "\n\n".join(["Nucléaire : Washington a averti Moscou en privé", *body])
    return edited.replace("nucléaire", "nucélaire", 1)


def article(article_id: str, text: str, outlet: str) -> Article:
    return Article(id=article_id, text=text, outlet=outlet, language="fr")


@pytest.fixture
def tracker(store: ClaimStore) -> Tracker:
    return Tracker(store, extractor=FakeExtractor(), embedder=FakeEmbedder())


def test_a_reprint_contains_most_of_the_original() -> None:
    original = wirecopy.fingerprint(article("a", seed_text(), "X"))
    copy = wirecopy.fingerprint(article("b", reprint(seed_text()), "Y"))
    assert original is not None and copy is not None
    assert wirecopy.containment(original, copy) >= wirecopy.COPY_CONTAINMENT
    assert set(original.band_keys) & set(copy.band_keys)


def test_another_article_on_the_same_topic_is_not_a_copy() -> None:
    original = wirecopy.fingerprint(article("a", seed_text(), "X"))
    other = wirecopy.fingerprint(article("b", OTHER_ON_TOPIC.read_text(), "Y"))
    assert original is not None and other is not None
    assert wirecopy.containment(original, other) < 0.2


def test_short_texts_get_no_fingerprint() -> None:
    assert wirecopy.fingerprint(article("a", "Le ministre a démissionné.", "X")) is None


def test_copy_is_stored_and_counted_once_among_independent_outlets(
    tracker: Tracker, store: ClaimStore
) -> None:
    first = tracker.ingest(article("original", seed_text(), "Le Monde"))
    copy = tracker.ingest(article("copy", reprint(seed_text()), "Ouest-France"))
    other = tracker.ingest(article("other", OTHER_ON_TOPIC.read_text(), "Libération"))
    assert first.copy_of is None and other.copy_of is None
    assert copy.copy_of == "original"
    rows = {row["id"]: row["copy_of"] for row in store.db["articles"].rows}
    assert rows == {"original": None, "copy": "original", "other": None}
    shared = [t for t in store.tracked_claims() if t.articles == 2]
    assert shared, "the copy's claims join the original's tracked claims"
    assert all(t.outlets == 2 and t.independent_outlets == 1 for t in shared)
    repeated = list(store.db.query("select * from repeated_claims"))
    assert repeated
    for row in repeated:
        assert row["outlets"] == 2 and row["independent_outlets"] == 1
        assert set(row["outlet_names"].split(",")) == {"Le Monde", "Ouest-France"}


def test_a_copy_of_a_copy_points_at_the_first_printing(tracker: Tracker) -> None:
    tracker.ingest(article("original", seed_text(), "Le Monde"))
    tracker.ingest(article("copy", reprint(seed_text()), "Ouest-France"))
    second = reprint(seed_text()).replace("PARIS (AFP) - ", "") + "\n\nAvec AFP"
    assert tracker.ingest(article("copy2", second, "Sud Ouest")).copy_of == "original"


def test_reingesting_the_original_does_not_make_it_a_copy_of_its_copy(
    tracker: Tracker,
) -> None:
    tracker.ingest(article("original", seed_text(), "Le Monde"))
    tracker.ingest(article("copy", reprint(seed_text()), "Ouest-France"))
    changed = seed_text() + "\n\nMis à jour à 18 h."
    assert tracker.ingest(article("original", changed, "Le Monde")).copy_of is None


def test_articles_stored_before_fingerprints_are_backfilled(store: ClaimStore) -> None:
    # Stored as claimtrack did before m008: no fingerprint row.
    old = article("old", seed_text(), "Le Monde")
    store.save_article(old, [], FakeEmbedder().embed_all([]), [], model_id="fake")
    assert store.count("article_minhashes") == 0
    tracker = Tracker(store, extractor=FakeExtractor(), embedder=FakeEmbedder())
    result = tracker.ingest(article("new", reprint(seed_text()), "Ouest-France"))
    assert result.copy_of == "old"
    assert store.count("article_minhashes") == 2


def test_replacing_an_article_replaces_its_bands(
    tracker: Tracker, store: ClaimStore
) -> None:
    tracker.ingest(article("a", seed_text(), "Le Monde"))
    bands = store.count("article_bands")
    tracker.ingest(article("a", OTHER_ON_TOPIC.read_text(), "Le Monde"))
    keys = {row["key"] for row in store.db["article_bands"].rows}
    assert len(keys) == store.count("article_bands") <= bands
    other = wirecopy.fingerprint(article("a", OTHER_ON_TOPIC.read_text(), "X"))
    assert other is not None and keys == set(other.band_keys)


def test_migration_keeps_outlet_counts_of_an_old_database(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="m008_copies_and_feeds")
    db.table("tracked_claims").insert({"id": "t", "text": "x", "outlets": 3})
    store = ClaimStore(db)
    (row,) = store.db["tracked_claims"].rows
    assert row["independent_outlets"] == 3


@pytest.mark.integration
def test_real_pipeline_marks_a_reprint_as_a_copy(tmp_path: Path) -> None:
    """The CLI with the default models: the reprint is copy_of the original."""
    (tmp_path / "original.fr.txt").write_text(seed_text())
    (tmp_path / "reprint.fr.txt").write_text(reprint(seed_text()))
    db_path = tmp_path / "claims.db"
    files = [str(tmp_path / name) for name in ("original.fr.txt", "reprint.fr.txt")]
    result = subprocess.run(
        [sys.executable, "-m", "claimtrack", "ingest", str(db_path), *files],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    db = Database(db_path)
    rows = {Path(r["source"]).name: r for r in db["articles"].rows}
    assert rows["reprint.fr.txt"]["copy_of"] == rows["original.fr.txt"]["id"]
    assert rows["original.fr.txt"]["copy_of"] is None
    repeated = list(db.query("select * from repeated_claims"))
    assert all(r["independent_outlets"] <= r["outlets"] for r in repeated)
