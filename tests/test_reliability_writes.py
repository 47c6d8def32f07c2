"""Writes decide from what they read under the write lock (issue 16.1, 16.5)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from click.testing import CliRunner
from sqlite_utils import Database

from claimtrack.cli import cli
from claimtrack.models import Article
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker

FAKE_CLI = Path(__file__).parent / "fake_cli.py"
FAKES = ["--model", "fake", "--extractor", "fake", "--quiet"]
SAME = "The central bank said inflation reached nine percent in the euro area."
REPORT = re.compile(r"(\d+) added, (\d+) updated, (\d+) unchanged, (\d+) failed")


def _jsonl(path: Path, records: Sequence[Mapping[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _ingest(*args: str) -> tuple[int, ...]:
    result = CliRunner().invoke(cli, ["ingest", *args, "--lang", "en", *FAKES])
    assert "Traceback" not in result.output
    match = REPORT.search(result.output)
    assert match, (result.output, result.exc_info)
    return tuple(int(n) for n in match.groups())


def test_a_corrected_outlet_date_or_title_is_stored_and_reported_updated(
    tmp_path: Path,
):
    db = tmp_path / "claims.db"
    first = {
        "id": "a",
        "text": SAME,
        "outlet": "Le Mondee",
        "title": "Inflaton",
        "published": "2023-01-05",
        "url": "https://www.lemonde.fr/a",
    }
    other = {
        "id": "b",
        "text": SAME + " ",
        "outlet": "Le Figaro",
        "published": "2022-06-01",
    }
    assert _ingest(str(db), str(_jsonl(tmp_path / "1.jsonl", [first, other]))) == (
        2,
        0,
        0,
        0,
    )
    corrected = {
        **first,
        "outlet": "Le Monde",
        "title": "Inflation",
        "published": "5 janvier 2021",
    }
    assert _ingest(str(db), str(_jsonl(tmp_path / "2.jsonl", [corrected, other]))) == (
        0,
        1,
        1,
        0,
    )
    store = ClaimStore(db)
    (row,) = store.db.query(
        "select outlet, title, published from articles where id='a'"
    )
    assert row == {
        "outlet": "Le Monde",
        "title": "Inflation",
        "published": "2021-01-05",
    }
    (tracked,) = store.tracked_claims()
    assert (tracked.first_seen, tracked.last_seen, tracked.outlets) == (
        "2021-01-05",
        "2022-06-01",
        2,
    )
    # The same again is unchanged; a field left out, or an outlet only guessed from
    # the URL's host, keeps the stored value.
    assert _ingest(str(db), str(tmp_path / "2.jsonl")) == (0, 0, 2, 0)
    bare = {"id": "a", "text": SAME, "url": "https://www.lemonde.fr/a"}
    assert _ingest(str(db), str(_jsonl(tmp_path / "3.jsonl", [bare]))) == (0, 0, 1, 0)
    (row,) = store.db.query(
        "select outlet, title, published from articles where id='a'"
    )
    assert row == {
        "outlet": "Le Monde",
        "title": "Inflation",
        "published": "2021-01-05",
    }


def test_a_correction_through_the_library_updates_the_copy_counts(tmp_path: Path):
    tracker = Tracker(tmp_path / "claims.db", extractor="fake", embedder="fake")
    article = Article(id="a", text=SAME, language="en", outlet="A")
    later = Article(id="b", text=SAME + " ", language="en", outlet="A")
    assert [r.status for r in tracker.ingest_many([article, later])] == [
        "added",
        "added",
    ]
    assert tracker.store.tracked_claims()[0].outlets == 1
    (result,) = tracker.ingest_many([article.model_copy(update={"outlet": "B"})])
    assert result.status == "updated"
    assert tracker.store.tracked_claims()[0].outlets == 2


def _fake_ingest(db: Path, articles: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(FAKE_CLI), "ingest", str(db), str(articles), *FAKES],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_ingests_of_the_same_articles_report_each_added_once(
    tmp_path: Path,
):
    """Three processes ingest the same 60 articles at once."""
    records = [
        {
            "id": f"a{n}",
            "language": "en",
            "text": " ".join(
                f"Claim {n}.{s} says taxes rose {n * s} percent." for s in range(1, 6)
            ),
        }
        for n in range(60)
    ]
    articles = _jsonl(tmp_path / "shared.jsonl", records)
    for repetition in range(1):
        db = tmp_path / f"claims{repetition}.db"
        processes = [_fake_ingest(db, articles) for _ in range(3)]
        reports = []
        for process in processes:
            _, stderr = process.communicate(timeout=300)
            assert process.returncode == 0, stderr
            match = REPORT.search(stderr)
            assert match, stderr
            reports.append(tuple(int(n) for n in match.groups()))
        added = sum(report[0] for report in reports)
        unchanged = sum(report[2] for report in reports)
        assert (added, unchanged) == (60, 120), reports
        assert Database(db).table("articles").count == 60
