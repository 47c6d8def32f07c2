"""The whole pipeline for real: spaCy and sentence-transformers models from PyPI, the
CLI in a subprocess, a SQLite file on disk."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

pytestmark = pytest.mark.integration

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "articles"
SEED = EXAMPLES / "us-russia-nuclear-warning.fr.txt"
ENGLISH = EXAMPLES / "us-warns-russia-nuclear.en.txt"
CIA_SPAN = (
    "n’avaient vu aucun signe indiquant que la Russie se préparait "
    "à utiliser des armes nucléaires"
)


def claimtrack(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "claimtrack", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("pipeline") / "claims.db"
    result = claimtrack(
        "ingest", str(db_path), str(SEED), str(ENGLISH), "--model", "minilm"
    )
    assert result.returncode == 0, result.stderr
    assert "2 added, 0 updated, 0 unchanged, 0 failed" in result.stderr
    return db_path


def test_cia_sentence_gives_a_claim_with_exact_span_and_speaker(ingested: Path):
    db = Database(ingested)
    (article,) = db.query("select * from articles where language = 'fr'")
    claims = list(
        db.query("select * from claims where article_id = ?", [article["id"]])
    )
    cia = [
        c
        for c in claims
        if CIA_SPAN in article["text"][c["char_start"] : c["char_end"]]
    ]
    assert len(cia) == 1, [c["text"] for c in claims]
    claim = cia[0]
    assert claim["speaker"] == "les hauts responsables de la CIA"
    assert claim["cue"] == "ont déclaré"
    assert claim["quote_type"] == "indirect"
    assert claim["language"] == "fr"
    assert 0.0 <= claim["checkworthiness"] <= 1.0
    sentence = article["text"][claim["sentence_start"] : claim["sentence_end"]]
    assert sentence == claim["sentence"]
    assert sentence.startswith("Pour l’instant, les hauts responsables de la CIA")


def test_every_claim_points_into_its_article(ingested: Path):
    db = Database(ingested)
    rows = list(
        db.query(
            "select claims.*, articles.text as article_text from claims "
            "join articles on articles.id = claims.article_id"
        )
    )
    assert len(rows) >= 15
    for row in rows:
        text = row["article_text"]
        assert text[row["sentence_start"] : row["sentence_end"]] == row["sentence"]
        assert row["sentence_start"] <= row["char_start"] < row["char_end"]
        assert row["char_end"] <= row["sentence_end"]
        if row["speaker"]:  # these articles have no outlet: speakers are quoted text
            assert row["speaker"] in text


def test_english_and_french_articles_share_the_database(ingested: Path):
    db = Database(ingested)
    languages = {
        row["language"]: row["n"]
        for row in db.query(
            "select language, count(*) as n from claims group by language"
        )
    }
    assert set(languages) == {"en", "fr"}
    (model,) = [
        row["model_id"] for row in db.query("select distinct model_id from embeddings")
    ]
    assert model == "sentence-transformers/all-MiniLM-L6-v2"
    assert db.table("embeddings").count == db.table("claims").count


def test_second_ingest_adds_no_rows(ingested: Path):
    db = Database(ingested)
    tables = ["articles", "claims", "embeddings", "claim_links", "tracked_claims"]
    before = {table: db.table(table).count for table in tables}
    result = claimtrack(
        "ingest", str(ingested), str(SEED), str(ENGLISH), "--model", "minilm"
    )
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 updated, 2 unchanged, 0 failed" in result.stderr
    assert {table: db.table(table).count for table in tables} == before


def test_claims_command_lists_speakers_and_offsets(ingested: Path):
    result = claimtrack("claims", str(ingested), "--json")
    assert result.returncode == 0, result.stderr
    claims = json.loads(result.stdout)
    speakers = {(claim["language"], claim["speaker"]) for claim in claims}
    assert ("fr", "les hauts responsables de la CIA") in speakers
    assert ("en", "senior CIA officials") in speakers
    assert all(claim["char_end"] > claim["char_start"] for claim in claims)


def test_search_finds_the_cia_claim(ingested: Path):
    result = claimtrack(
        "search",
        str(ingested),
        "senior CIA officials have seen no sign Russia is preparing nuclear weapons",
        "-m",
        "minilm",
        "-k",
        "3",
    )
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert any("CIA" in hit["sentence"] for hit in hits)
