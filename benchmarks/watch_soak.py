"""Soak test of ``claimtrack watch``: local feeds for N minutes, SIGKILLs, restarts.

Serves the feeds of tests/feed_server.py on 127.0.0.1 (items arriving on news.xml
every ``--arrival`` seconds, static.xml answering 304, down.xml failing, broken.xml
not a feed, and section/, a listing page without a feed whose article pages carry the
same items at /articles/N.html), runs ``claimtrack watch --every 2s`` on them in a
subprocess, kills it with SIGKILL every ``--kill-every`` seconds (at a random moment
of its work) and starts it again. At the end one ``--once`` pass runs, then it
checks that every item published is stored exactly once, and prints the figures as
JSON.

Fake models (tests/fake_cli.py) by default: this measures the watcher, not spaCy.

    python benchmarks/watch_soak.py --minutes 30 [--real-models]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlite_utils import Database

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))
from tests.feed_server import FeedServer  # noqa: E402


def start(
    db_path: Path, urls: list[str], real: bool, *args: str
) -> subprocess.Popen[bytes]:
    runner = ["-m", "claimtrack"] if real else [str(ROOT / "tests" / "fake_cli.py")]
    models = [] if real else ["--model", "fake", "--extractor", "fake"]
    return subprocess.Popen(
        [sys.executable, *runner, "watch", str(db_path), *urls, *args, *models],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def article_fetches(requests: dict[str, int]) -> list[int]:
    return [n for path, n in requests.items() if path.startswith("articles/")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--arrival", type=float, default=3.0, help="s between items")
    parser.add_argument("--kill-every", type=float, default=45.0)
    parser.add_argument("--real-models", action="store_true")
    options = parser.parse_args()
    rng = random.Random(17)
    kills = 0
    with tempfile.TemporaryDirectory() as folder, FeedServer() as feeds:
        db_path = Path(folder) / "soak.db"
        urls = [
            feeds.url(p)
            for p in ("news.xml", "static.xml", "down.xml", "broken.xml", "section/")
        ]
        started = time.monotonic()
        deadline = started + 60 * options.minutes
        process = start(db_path, urls, options.real_models, "--every", "2s")
        next_kill = time.monotonic() + rng.uniform(0.5, 1.5) * options.kill_every
        next_item = time.monotonic()
        while time.monotonic() < deadline:
            now = time.monotonic()
            if now >= next_item:
                feeds.add_items(1)
                next_item = now + options.arrival
            if now >= next_kill:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                process = start(db_path, urls, options.real_models, "--every", "2s")
                next_kill = now + rng.uniform(0.5, 1.5) * options.kill_every
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        clean_exit = process.returncode == 0
        final = start(db_path, urls, options.real_models, "--once")
        _, final_err = final.communicate(timeout=600)
        db = Database(db_path)
        stored = [row["url"] for row in db.query("select url from articles")]
        published = {f"{feeds.base}/items/{n}" for n in feeds.news_items}
        published |= {f"{feeds.base}/items/{n}" for n in (1000, 1001, 1002)}
        listed = {f"{feeds.base}/articles/{n}.html" for n in feeds.news_items}
        published |= listed
        feed_rows = {
            row["url"].removeprefix(feeds.base + "/"): row for row in db["feeds"].rows
        }
        figures = {
            "minutes": round((time.monotonic() - started) / 60, 1),
            "items_published": len(published),
            "articles_stored": len(stored),
            "duplicates": len(stored) - len(set(stored)),
            "missing": len(published - set(stored)),
            "unexpected": len(set(stored) - published),
            "sigkills": kills,
            "sigterm_exit_clean": clean_exit,
            "integrity": db.execute("pragma integrity_check").fetchone()[0],
            "requests": {
                path: count
                for path, count in feeds.requests.items()
                if not path.startswith("articles/")
            },
            # Each listed article page fetched once: a stored link is not fetched.
            "article_page_fetches": {
                "pages": len(pages := article_fetches(feeds.requests)),
                "total": sum(pages),
                "most_for_one_page": max(pages, default=0),
            },
            "answered_304": dict(feeds.not_modified),
            "from_listing_page": len(listed & set(stored)),
            "down_failures_in_a_row": feed_rows["down.xml"]["failures"],
            "final_pass": final_err.decode().strip().splitlines()[-1:],
        }
    print(json.dumps(figures, indent=1))
    ok = figures["duplicates"] == figures["missing"] == figures["unexpected"] == 0
    print(
        f"{figures['items_published']} items, {figures['articles_stored']} stored, "
        f"{kills} SIGKILLs: {'every item exactly once' if ok else 'NOT exactly once'}",
        file=sys.stderr,
    )
    if stderr and not clean_exit:
        print(stderr.decode()[-2000:], file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
