"""Offline fixtures: stores, fake backends, sample articles, plugin isolation."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from claimtrack.extract.sentences import SentenceExtractor
from claimtrack.plugins import pm
from claimtrack.store import ClaimStore
from claimtrack.testing import FakeBackends

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SEED_ARTICLE = ROOT / "examples" / "articles" / "us-russia-nuclear-warning.fr.txt"


def pytest_configure(config: pytest.Config) -> None:
    sys._called_from_test = True  # type: ignore[attr-defined]


@pytest.fixture
def store() -> ClaimStore:
    return ClaimStore(Database(memory=True))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "claims.db"


@pytest.fixture
def articles_path() -> Path:
    return DATA / "articles.jsonl"


@pytest.fixture
def seed_article_path() -> Path:
    return SEED_ARTICLE


@pytest.fixture(scope="module")
def extractor() -> SentenceExtractor:
    """The rule-based extractor with the real spaCy models, scoring embeddings
    skipped: the extraction rule tests of every round share it (one a module)."""
    return SentenceExtractor(use_embeddings=False)


@pytest.fixture(autouse=True)
def fake_backends() -> Iterator[None]:
    """Register FakeEmbedder ("fake") and FakeExtractor ("fake") for every test."""
    pm.register(FakeBackends(), name="test-fakes")
    try:
        yield
    finally:
        pm.unregister(name="test-fakes")
