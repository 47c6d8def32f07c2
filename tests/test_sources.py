import contextlib
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimtrack.errors import ArticleError, FetchError
from claimtrack.models import Article
from claimtrack.sources import detect_language, guess_title, read_articles

SOURCES = Path(__file__).parent / "data" / "sources"


def read(*names: str, **options) -> list[Article]:
    return list(read_articles([SOURCES / name for name in names], **options))


def test_plain_text_keeps_text_as_is_and_recognises_the_title(seed_article_path: Path):
    (article,) = read_articles([seed_article_path])
    assert article.text == seed_article_path.read_text(encoding="utf-8")
    assert article.title == (
        "Les États-Unis ont mis en garde la Russie "
        "contre l’utilisation de l’arme nucléaire"
    )
    assert article.language == "fr"
    assert article.source == str(seed_article_path)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "News\n\nBig headline about the budget\n\nBody text here.",
            "Big headline about the budget",
        ),
        ("A first sentence that ends.\n\nMore.", None),
        ("Line one\nline two\n\nBody.", None),
    ],
)
def test_guess_title(text: str, title: str | None):
    assert guess_title(text) == title


def test_html_gives_main_text_title_date_and_site():
    (article,) = read("article.html")
    assert article.title == "Council approves transit budget"
    assert article.outlet == "Example Gazette"
    assert article.published == "2024-05-14"
    assert "48 million dollar transit budget" in article.text
    assert "All rights reserved" not in article.text
    assert "Home" not in article.text


def test_feed_gives_one_article_per_entry_with_text():
    articles = read("feed.rss")
    assert [(a.title, a.outlet, a.language, a.url) for a in articles] == [
        (
            "Le Parlement adopte le budget",
            "Example Wire",
            "fr",
            "https://wire.example.org/budget",
        ),
        (
            "La ville ouvre trois lignes de bus",
            "Example Wire",
            "fr",
            "https://wire.example.org/bus",
        ),
    ]
    assert articles[1].text == (
        "La ville a ouvert trois nouvelles lignes de bus lundi, selon la mairie."
    )


def test_csv_and_json_use_documented_columns():
    articles = read("articles.csv", "articles.json")
    assert [(a.id, a.language, a.outlet) for a in articles] == [
        ("c1", "en", "Example Daily"),
        ("c2", "fr", "Exemple Quotidien"),
        ("j1", "en", None),
        ("j2", "fr", None),
    ]
    assert articles[0].url == "https://example.org/c1"
    assert articles[1].url is None


def test_folder_is_read_recursively_and_unknown_files_skipped():
    articles = read("folder")
    assert [Path(a.source or "").name for a in articles] == ["two.md", "one.txt"]
    assert [a.language for a in articles] == ["fr", "en"]


def test_given_language_and_outlet_apply():
    (article,) = read("folder/one.txt", language="fr", outlet="Wire")
    assert (article.language, article.outlet) == ("fr", "Wire")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("blank.txt", "the article is empty"),
        ("image.txt", "looks like a binary file"),
        ("latin1.txt", r"not valid UTF-8 .*iconv -f latin1"),
        ("missing-columns.csv", "needs a header with a 'text' column"),
        ("empty-page.html", "no article text found"),
        ("does-not-exist.txt", "no such file or folder"),
    ],
)
def test_bad_files_raise_one_clear_error(name: str, message: str):
    with pytest.raises(ArticleError, match=message) as error:
        read(name)
    assert "\n" not in str(error.value)


def test_bad_jsonl_lines_are_reported_with_their_line_number():
    failures: list[str] = []
    articles = read(
        "broken.jsonl", on_error=lambda source, error: failures.append(str(error))
    )
    assert [a.id for a in articles] == ["ok"]
    assert len(failures) == 2
    assert "line 2: not JSON" in failures[0]
    assert "line 3: missing 'text'" in failures[1]


def test_jsonl_line_without_text_is_an_error(tmp_path: Path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "x", "titel": "typo"}\n')
    with pytest.raises(ArticleError, match=r"unknown field.*titel.*Valid: id, url"):
        list(read_articles([path]))
    path.write_text('{"id": "x", "title": "no text"}\n')
    with pytest.raises(ArticleError, match="line 1: missing 'text'"):
        list(read_articles([path]))


def test_language_detection():
    assert detect_language("Le gouvernement a annoncé une hausse des impôts.") == "fr"
    assert detect_language("The government announced a tax increase on Monday.") == "en"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/missing":
            self.send_error(404)
            return
        if self.path == "/broken":
            self.send_error(500)
            return
        body = (
            SOURCES / ("feed.rss" if self.path == "/feed" else "article.html")
        ).read_bytes()
        self.send_response(200)
        kind = (
            "application/rss+xml"
            if self.path == "/feed"
            else "text/html; charset=utf-8"
        )
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle(self) -> None:
        # The client of /slow gives up before the answer: that is the test.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_url_is_fetched_as_html_or_feed(server: str):
    (page,) = read_articles([f"{server}/article"])
    assert page.url == f"{server}/article"
    assert page.title == "Council approves transit budget"
    assert len(list(read_articles([f"{server}/feed"]))) == 2


@pytest.mark.parametrize(
    ("path", "message"), [("/missing", "answered 404"), ("/broken", "answered 500")]
)
def test_url_errors_are_clear(server: str, path: str, message: str):
    with pytest.raises(FetchError, match=message):
        list(read_articles([server + path]))


def test_url_timeout_is_clear(server: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("claimtrack.sources.FETCH_TIMEOUT_SECONDS", 0.2)
    from claimtrack import sources

    with pytest.raises(FetchError, match="no answer within"):
        list(sources.read_url(f"{server}/slow", timeout=0.2))
