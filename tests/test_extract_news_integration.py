"""Real news traps through the CLI, with the real models and a SQLite file on disk.

`tests/data/news/` holds an HTML page and a JSONL article written for this test in the
style of local news (not copied from any outlet), with the traps of issue 13: an
inverted reporting verb ("prévient-elle"), a quote over two paragraphs, an
unattributed quote paragraph after a quoted speaker, a byline, a subscribe box, a
photo credit, a copyright line, a pronoun subject, an outlet name with a tagline.
Every claim is checked: text, speaker, quote type and offsets.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

pytestmark = pytest.mark.integration

ROOT = Path(__file__).parent.parent
NEWS = ROOT / "tests" / "data" / "news"
HERALD = "The Harbour Herald"
COURRIER = "Le Courrier du Rhône"

# (start of the claim text, speaker, quote type), in reading order, per article.
EXPECTED = {
    "en": [
        ("Dock workers walk out as pay talks collapse", HERALD, "none"),  # the title
        (
            "Around 1,200 dock workers at the port of Eastwick stopped work",
            HERALD,
            "none",
        ),
        ("Union organiser Priya Patel addressed the crowd", HERALD, "none"),
        ("The port made a record profit of 48 million pounds", "Priya Patel", "direct"),
        ("Our members have not had a raise since 2021", "Priya Patel", "direct"),
        ("We are ready to stay out", "Priya Patel", "direct"),
        ("Ships would be diverted to other harbours", "The port authority", "indirect"),
    ],
    "fr": [
        ("Les agriculteurs bloquent l'autoroute A7", COURRIER, "none"),  # the title
        ("Plusieurs centaines d'agriculteurs ont bloqué", COURRIER, "none"),
        ("La circulation serait coupée jusqu'à 20 heures", "La préfecture", "indirect"),
        ("La présidente de la chambre d'agriculture, Hélène Garnier", COURRIER, "none"),
        ("Le prix du blé a baissé de 30 % en deux ans", "Hélène Garnier", "direct"),
        ("Nos charges, elles, n'ont cessé d'augmenter", "Hélène Garnier", "direct"),
        ("Sans aide de l'État, un tiers des exploitations", "Hélène Garnier", "direct"),
        ("Hélène Garnier a demandé un rendez-vous", COURRIER, "none"),  # "Elle a …"
    ],
}
FURNITURE = (
    "Jane Smith",
    "Subscribe",
    "Photo:",
    "Copyright",
    "Marie Lefèvre",
    "Abonnez-vous",
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
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("news") / "claims.db"
    result = claimtrack(
        "ingest",
        str(path),
        str(NEWS / "harbour-strike.html"),
        str(NEWS / "farmers-blockade.jsonl"),
        "--model",
        "minilm",
    )
    assert result.returncode == 0, result.stderr
    return path


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_claim_speaker_quote_type_and_offset(
    database: Path, language: str
) -> None:
    result = claimtrack("claims", str(database), "--json")
    assert result.returncode == 0, result.stderr
    db = Database(database)
    (article,) = db.query("select * from articles where language = ?", [language])
    claims = [c for c in json.loads(result.stdout) if c["article_id"] == article["id"]]
    claims.sort(key=lambda c: c["position"])
    got = [(c["text"], c["speaker"], c["quote_type"]) for c in claims]
    expected = EXPECTED[language]
    assert len(got) == len(expected), got
    for (text, speaker, kind), (start, want_speaker, want_kind) in zip(
        got, expected, strict=True
    ):
        assert text.startswith(start), (text, start)
        assert (speaker, kind) == (want_speaker, want_kind), text
    rows = {row["id"]: row for row in db.query("select * from claims")}
    body = article["text"]
    for claim in claims:
        row = rows[claim["id"]]
        sentence = body[row["sentence_start"] : row["sentence_end"]]
        assert sentence == row["sentence"]
        assert row["sentence_start"] <= row["char_start"] < row["char_end"]
        assert row["char_end"] <= row["sentence_end"]
        assert "\n" not in sentence
        assert not any(word in sentence for word in FURNITURE)
        assert row["needs_context"] in (0, 1)


def test_outlet_is_the_site_name_without_its_tagline(database: Path) -> None:
    outlets = {
        row["outlet"] for row in Database(database).query("select * from articles")
    }
    assert outlets == {HERALD, COURRIER}
