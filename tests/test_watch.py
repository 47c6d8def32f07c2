"""claimtrack watch: feeds on 127.0.0.1, conditional requests, failures, stops."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from claimtrack.cli import cli
from claimtrack.errors import ConfigError
from claimtrack.store import ClaimStore
from claimtrack.testing import FakeEmbedder, FakeExtractor
from claimtrack.tracker import Tracker
from claimtrack.watch import MAX_BACKOFF, Watcher, parse_interval
from tests.feed_server import FeedServer

ROOT = Path(__file__).parent.parent
FAKE_CLI = ROOT / "tests" / "fake_cli.py"
FAKES = ["--model", "fake", "--extractor", "fake"]
ONCE = ["--once", *FAKES]


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def make_watcher(db_path: Path, urls: list[str], every: float = 60.0) -> Watcher:
    tracker = Tracker(
        ClaimStore(db_path), extractor=FakeExtractor(), embedder=FakeEmbedder()
    )
    return Watcher(tracker, urls, every)


def item_urls(db_path: Path) -> list[str]:
    return [row["url"] for row in Database(db_path).query("select url from articles")]


def test_intervals() -> None:
    assert parse_interval("15m") == 900
    assert parse_interval("90") == 90
    assert parse_interval("1.5h") == 5400
    with pytest.raises(ConfigError, match="not a duration"):
        parse_interval("soon")


def test_new_items_once_304_and_a_failing_feed(feeds: FeedServer, db_path: Path):
    feeds.add_items(3)
    urls = [feeds.url(p) for p in ("news.xml", "static.xml", "down.xml", "broken.xml")]
    watcher = make_watcher(db_path, urls)

    first = {o.url.rsplit("/", 1)[1]: o for o in watcher.poll_once().outcomes}
    assert (first["news.xml"].status, first["news.xml"].added) == ("new", 3)
    assert (first["static.xml"].status, first["static.xml"].added) == ("new", 3)
    assert first["down.xml"].status == "failed" and "500" in str(
        first["down.xml"].error
    )
    assert first["broken.xml"].status == "failed"

    feeds.add_items(2)
    second = {o.url.rsplit("/", 1)[1]: o for o in watcher.poll_once().outcomes}
    assert second["news.xml"].added == 2 and second["news.xml"].unchanged == 3
    assert second["static.xml"].status == "not modified"
    assert feeds.not_modified == {"static.xml": 1}
    # The failing feeds wait for their back-off; the others went on.
    assert second["down.xml"].status == "waiting"

    third = {o.url.rsplit("/", 1)[1]: o for o in watcher.poll_once().outcomes}
    assert third["news.xml"].status == "not modified"

    urls_stored = item_urls(db_path)
    assert len(urls_stored) == len(set(urls_stored)) == 5 + 3
    state = watcher.tracker.store.feed(feeds.url("down.xml"))
    assert state is not None
    assert state["failures"] == 1 and "500" in state["last_error"]
    assert state["next_poll"] > state["last_polled"]
    news = watcher.tracker.store.feed(feeds.url("news.xml"))
    assert news is not None and news["etag"] and news["last_error"] is None


def test_back_off_doubles_up_to_a_limit(feeds: FeedServer, db_path: Path):
    watcher = make_watcher(db_path, [feeds.url("down.xml")], every=10.0)
    waits = []
    for _ in range(7):
        store = watcher.tracker.store
        state = store.feed(feeds.url("down.xml")) or {"url": feeds.url("down.xml")}
        store.save_feed({**state, "next_poll": None})  # due now
        outcome = watcher.poll(feeds.url("down.xml"))
        waits.append(float(str(outcome.error).split("next try in ")[1].split()[0]))
    assert waits == [10, 20, 40, 80, 160, 160, 160]
    assert max(waits) == 10 * MAX_BACKOFF


def test_a_page_that_announces_its_feed(feeds: FeedServer, db_path: Path):
    feeds.add_items(2)
    watcher = make_watcher(db_path, [feeds.url("page.html")])
    (outcome,) = watcher.poll_once().outcomes
    assert (outcome.status, outcome.added) == ("new", 2)


def test_a_listing_page_without_a_feed(feeds: FeedServer, db_path: Path):
    feeds.add_items(3)
    section = feeds.url("section/")
    watcher = make_watcher(db_path, [section])
    (first,) = watcher.poll_once().outcomes
    assert (first.status, first.added, first.skipped) == ("new", 3, 0)
    # Only the article links were fetched, not navigation, tags, pages or the logo.
    fetched = sorted(p for p in feeds.requests if p != "section/")
    assert fetched == [f"articles/{n}.html" for n in range(3)]
    rows = list(Database(db_path).query("select url, outlet, text from articles"))
    assert {r["url"] for r in rows} == {
        feeds.url(f"articles/{n}.html") for n in range(3)
    }
    for row in rows:  # each page's own text, found by trafilatura
        number = row["url"].rsplit("/", 1)[1].removesuffix(".html")
        assert f"item {number} costs" in row["text"] and row["outlet"]

    (second,) = watcher.poll_once().outcomes  # unchanged: 304, nothing fetched
    assert second.status == "not modified" and feeds.not_modified == {"section/": 1}

    feeds.add_items(2)
    (third,) = watcher.poll_once().outcomes
    assert (third.added, third.unchanged) == (2, 3)
    assert feeds.requests["articles/0.html"] == 1  # stored ones are not fetched again
    urls = item_urls(db_path)
    assert len(urls) == len(set(urls)) == 5
    state = watcher.tracker.store.feed(section)
    assert state is not None and state["etag"] and state["items_seen"] == 3 + 5


def test_a_page_with_no_feed_and_no_articles_is_a_clear_failure(
    feeds: FeedServer, db_path: Path
):
    watcher = make_watcher(db_path, [feeds.url("empty.html")])
    (outcome,) = watcher.poll_once().outcomes
    assert outcome.status == "failed"
    assert "no feed and no article links" in str(outcome.error)


def test_stopping_mid_feed_keeps_the_old_etag(
    feeds: FeedServer, db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    feeds.add_items(4)
    watcher = make_watcher(db_path, [feeds.url("news.xml")])
    store = watcher.tracker.store
    save_article = store.save_article

    def save_then_stop(*args: Any, **kwargs: Any) -> Any:
        saved = save_article(*args, **kwargs)
        watcher.stop()  # as SIGTERM would, while the first article is stored
        return saved

    monkeypatch.setattr(store, "save_article", save_then_stop)
    summary = watcher.poll_once()
    assert summary.stopped and len(item_urls(db_path)) == 1
    state = store.feed(feeds.url("news.xml"))
    assert state is not None and state["etag"] is None

    monkeypatch.setattr(store, "save_article", save_article)
    watcher.stopping.clear()
    (outcome,) = watcher.poll_once().outcomes
    assert (outcome.added, outcome.unchanged) == (3, 1)
    assert len(item_urls(db_path)) == 4


def test_cli_once_prints_a_summary(feeds: FeedServer, db_path: Path):
    feeds.add_items(2)
    result = CliRunner().invoke(
        cli,
        [
            "watch",
            str(db_path),
            *[feeds.url(p) for p in ("news.xml", "down.xml")],
            *ONCE,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "pass 1: 2 feeds (1 read, 0 not modified, 1 failed" in result.stderr
    assert "2 added" in result.stderr


def test_cli_refuses_a_bad_interval(db_path: Path):
    result = CliRunner().invoke(
        cli, ["watch", str(db_path), "http://127.0.0.1:9/x", "--every", "soon"]
    )
    assert result.exit_code != 0
    assert "not a duration" in result.output
    assert "Traceback" not in result.output


def run_watch(db_path: Path, urls: list[str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(FAKE_CLI), "watch", str(db_path), *urls, *args, *FAKES],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def wait_for_articles(db_path: Path, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db_path.exists():
            try:
                if Database(db_path)["articles"].count >= count:
                    return
            except Exception:  # the first process is still creating the tables
                pass
        time.sleep(0.2)
    raise AssertionError(f"fewer than {count} articles after {timeout} s")


def test_nothing_lost_or_doubled_across_sigkill_and_restart(
    feeds: FeedServer, db_path: Path
):
    feeds.add_items(5)
    urls = [feeds.url(p) for p in ("news.xml", "static.xml", "down.xml")]
    process = run_watch(db_path, urls, "--every", "1s")
    try:
        wait_for_articles(db_path, 5)
        feeds.add_items(4)
        time.sleep(0.5)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    feeds.add_items(3)
    restarted = run_watch(db_path, urls, "--once")
    _, stderr = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, stderr
    stored = item_urls(db_path)
    expected = {f"{feeds.base}/items/{n}" for n in [*range(12), 1000, 1001, 1002]}
    assert len(stored) == len(set(stored))
    assert set(stored) == expected
    assert Database(db_path).execute("pragma integrity_check").fetchone()[0] == "ok"


def test_sigterm_stops_cleanly_with_a_summary(feeds: FeedServer, db_path: Path):
    feeds.add_items(3)
    process = run_watch(db_path, [feeds.url("news.xml")], "--every", "1s")
    wait_for_articles(db_path, 3)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "SIGTERM: stopping" in stderr and "pass 1:" in stderr
    assert "Traceback" not in stderr


@pytest.mark.integration
def test_watch_with_the_default_models(feeds: FeedServer, db_path: Path):
    feeds.add_items(2)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "claimtrack",
            "watch",
            str(db_path),
            *[feeds.url("news.xml"), "--once"],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    db = Database(db_path)
    assert db["articles"].count == 2
    assert db["claims"].count >= 2
    assert db["feeds"].count == 1
