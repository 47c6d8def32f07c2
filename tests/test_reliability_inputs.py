"""Bounded input: every URL, file and record has limits, and a bad one is a counted
skip or one clear line, never a traceback (issue 16.3)."""

from __future__ import annotations

import contextlib
import csv
import http.server
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from claimtrack.cli import cli
from claimtrack.errors import FactCheckError, FetchError, StoreError
from claimtrack.factchecks import read as factchecks_read
from claimtrack.fetch import fetch
from claimtrack.models import Article
from claimtrack.settings import MAX_FETCH_BYTES
from claimtrack.sources import read_articles, read_url
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker

FAKES = ["--model", "fake", "--extractor", "fake", "--quiet"]
BODY = "The minister said the budget rose by five percent in the last year alone."
LATIN1_PAGE = (
    "<html><head><title>Le budget de la région</title></head><body><article>"
    "<h1>Le budget de la région</h1><p>Le ministre a déclaré que le budget de la "
    "région avait augmenté de cinq pour cent l'année dernière, selon les élus.</p>"
    "<p>Les élus de l'opposition contestent ce chiffre et demandent un audit "
    "indépendant des comptes publiés en février.</p></article></body></html>"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/trickle":  # one byte every 0.2 s, for ever
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(100_000):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        elif self.path == "/declared-huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(10**12))
            self.end_headers()
            self.wfile.write(b"<html>")
        elif self.path == "/endless":  # chunked, no length: only counting stops it
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_536 + b"</p>"
            for _ in range(10_000):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        elif self.path == "/latin1":  # no charset anywhere
            body = LATIN1_PAGE.encode("latin-1")
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def handle(self) -> None:
        # The client gives up mid-answer: that is the test.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# ---- URLs -------------------------------------------------------------------------


def test_a_trickling_server_is_cut_at_the_overall_deadline(server: str):
    started = time.monotonic()
    with pytest.raises(FetchError, match="not fully received within 1 s"):
        fetch(f"{server}/trickle", timeout=5, deadline=1.0)
    # Each read is within its 5 s timeout; only the overall deadline stops it.
    assert time.monotonic() - started < 3.0


def test_a_declared_size_over_the_cap_is_refused_before_reading(server: str):
    started = time.monotonic()
    with pytest.raises(FetchError, match="more than the 20,000,000-byte limit"):
        list(read_url(f"{server}/declared-huge"))
    assert time.monotonic() - started < 2.0


def test_an_endless_body_is_cut_at_the_size_cap(server: str):
    with pytest.raises(FetchError, match="larger than the 20,000,000-byte limit"):
        list(read_url(f"{server}/endless"))
    with pytest.raises(FetchError, match="larger than the 1,000-byte limit"):
        fetch(f"{server}/endless", max_bytes=1000)
    assert MAX_FETCH_BYTES == 20_000_000


def test_fact_check_urls_have_the_same_bounds(server: str):
    with pytest.raises(FactCheckError, match="larger than the 20,000,000-byte"):
        list(factchecks_read.read_url(f"{server}/endless"))
    with pytest.raises(FactCheckError, match="more than the 20,000,000-byte"):
        list(factchecks_read.read_url(f"{server}/declared-huge"))


def test_a_latin1_page_without_charset_is_read_as_latin1(server: str):
    (article,) = read_url(f"{server}/latin1")
    assert "Le ministre a déclaré que le budget de la région" in article.text
    assert "\ufffd" not in article.text


# ---- files ------------------------------------------------------------------------


def _errors_and_articles(*locations: str | Path) -> tuple[list[str], list[Article]]:
    errors: list[str] = []
    articles = list(
        read_articles(
            locations, language="en", on_error=lambda s, e: errors.append(str(e))
        )
    )
    return errors, articles


def test_only_regular_files_are_read(tmp_path: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    errors, articles = _errors_and_articles("/dev/zero", fifo)
    assert articles == []
    assert errors == [
        "/dev/zero: not a regular file (a device, pipe or socket). "
        "Give a text, HTML, JSON, CSV or feed file.",
        f"{fifo}: not a regular file (a device, pipe or socket). "
        "Give a text, HTML, JSON, CSV or feed file.",
    ]
    with pytest.raises(FactCheckError, match="not a regular file"):
        list(factchecks_read.read_file(Path("/dev/zero")))


def test_jsonl_bad_lines_are_counted_skips_and_the_rest_is_read(tmp_path: Path):
    nested = "[" * 200_000 + "]" * 200_000
    lines = [
        json.dumps({"id": "ok1", "text": BODY}),
        '{"id": "surrogate", "text": "bad \\ud800 escape in an article"}',
        nested,
        '{"id": "nul", "text": "a NUL \\u0000 inside"}',
        # Raw U+2028, U+2029 and U+0085 are valid inside JSON strings.
        json.dumps(
            {"id": "seps", "text": "One\u2028two\u2029three\x85four."},
            ensure_ascii=False,
        ),
        json.dumps({"id": "ok2", "text": BODY, "title": "A \udc80"[:2]}),
    ]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors, articles = _errors_and_articles(path)
    assert [a.id for a in articles] == ["ok1", "seps", "ok2"]
    assert articles[1].text == "One\u2028two\u2029three\x85four."
    assert errors == [
        f"{path}, line 2: an invalid character (a lone surrogate, \\ud800) at 4. "
        "Fix the escape in the source.",
        f"{path}, line 3: JSON nested too deeply to be an article. Remove the line.",
        f"{path}, line 4: the text holds a NUL character at 6: is it a binary "
        "file? Give text.",
    ]


def test_a_deeply_nested_json_file_is_one_clear_error(tmp_path: Path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    errors, articles = _errors_and_articles(path)
    assert articles == []
    assert errors == [
        f"{path}: JSON nested too deeply. Give an array of article objects."
    ]
    fact_checks = tmp_path / "deep-reviews.json"
    fact_checks.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(FactCheckError, match="nested too deeply"):
        list(factchecks_read.read_file(fact_checks))


@pytest.fixture
def default_csv_field_limit() -> Iterator[None]:
    # csv's cell limit is process-wide: a test run earlier in this worker (the
    # claimnorm reader, a benchmark script) may have lifted it to sys.maxsize, and
    # the reader then meets the huge row as an over-long article instead.
    previous = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(previous)


@pytest.mark.usefixtures("default_csv_field_limit")
def test_csv_limits_are_counted_skips(tmp_path: Path):
    long_text = "word " * 40_000  # 200,000 characters: over csv's default cell limit
    path = tmp_path / "news.csv"
    path.write_text(
        "id,text\n"
        f"long,{long_text}\n"
        'extra,"Too many values here",surplus,more\n'
        f"huge,{'y' * 2_100_000}\n"
        f"last,{BODY}\n"
    )
    errors, articles = _errors_and_articles(path)
    assert [(a.id, len(a.text)) for a in articles] == [
        ("long", 200_000),
        ("last", len(BODY)),
    ]
    assert errors == [
        f"{path}, row 3: 4 values for 2 columns. Quote values that hold commas.",
        f"{path}, line 4: not readable CSV (field larger than field limit (2000001)). "
        "Fix the row.",
    ]


def test_csv_with_cr_only_line_endings_is_read(tmp_path: Path):
    path = tmp_path / "mac.csv"
    path.write_bytes(f"id,text\ra,{BODY}\rb,{BODY} Again.\r".encode())
    errors, articles = _errors_and_articles(path)
    assert errors == [] and [a.id for a in articles] == ["a", "b"]
    reviews = tmp_path / "reviews.csv"
    reviews.write_bytes(b"claim_reviewed,rating_text\rThe sky is green,False\r")
    (record,) = factchecks_read.read_file(reviews)
    assert record.fact_check.claim_reviewed == "The sky is green"


def test_a_nul_byte_anywhere_marks_a_binary_file(tmp_path: Path):
    path = tmp_path / "late-nul.txt"
    path.write_bytes(BODY.encode() * 200 + b"\x00" + BODY.encode())
    errors, _ = _errors_and_articles(path)
    assert errors == [
        f"{path}: looks like a binary file, not text (a NUL byte at byte "
        f"{len(BODY.encode()) * 200:,}). Give a text, HTML, JSON or CSV file."
    ]


def test_a_file_name_that_is_not_utf8_is_read_and_shown(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw_name = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(raw_name, "wb") as file:
        file.write(BODY.encode())
    db = tmp_path / "claims.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(db), str(folder), os.fsdecode(raw_name), *FAKES]
    )
    assert result.exit_code == 0, result.output
    assert "1 added, 0 updated, 1 unchanged, 0 failed" in result.output
    (row,) = Database(db).query("select source from articles")
    assert row["source"].endswith("/caf\ufffd.txt")


def test_a_batch_of_every_bad_input_goes_on_and_reports_each(tmp_path: Path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(BODY)
    (folder / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    (folder / "bad.jsonl").write_text(
        '{"id": "s", "text": "bad \\ud800"}\n'
        + json.dumps({"id": "fine", "text": BODY + " Fine."})
        + "\n"
    )
    (folder / "long.csv").write_text("text\na,b,c\n")
    (folder / "nul.txt").write_bytes(b"x" * 9000 + b"\x00")
    db = tmp_path / "claims.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(db), str(folder), "/dev/zero", "--lang", "en", *FAKES]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "2 added, 0 updated, 0 unchanged, 5 failed" in result.output
    assert result.output.count("Skipped: ") == 5
    assert Database(db).execute("pragma integrity_check").fetchone()[0] == "ok"


# ---- a full disk --------------------------------------------------------------------


def test_a_full_disk_is_one_clear_error_and_keeps_whole_articles_only(tmp_path: Path):
    store = ClaimStore(tmp_path / "claims.db")
    pages = store.db.execute("pragma page_count").fetchone()[0]
    store.db.execute(f"pragma max_page_count = {pages + 8}")  # a few pages left
    tracker = Tracker(store, extractor="fake", embedder="fake")
    failures: list[str] = []
    articles = [
        Article(
            id=f"a{n}",
            text=f"{BODY} Number {n} of {'many words ' * 200}.",
            language="en",
        )
        for n in range(30)
    ]
    stored = list(
        tracker.ingest_many(articles, on_error=lambda a, e: failures.append(str(e)))
    )
    assert failures, "the size limit should have been reached"
    assert set(failures) == {
        "The disk (or the database's size limit) is full: nothing of this article "
        "was stored. Free some space and run the command again."
    }
    assert len(stored) + len(failures) == len(articles)
    db = store.db
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    counts = db.execute(
        "select count(*), count(distinct article_id) from claims"
    ).fetchone()
    assert counts[1] == len(stored) == db.table("articles").count
    with pytest.raises(StoreError, match="is full"), store.write_transaction():
        db.execute("create table filler (x)")
        db.execute(
            "insert into filler select randomblob(4000) from "
            "(with recursive n(i) as (select 1 union all select i + 1 from n "
            "where i < 100) select i from n)"
        )
    assert not db.conn.in_transaction
