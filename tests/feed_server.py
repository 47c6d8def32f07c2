"""Local RSS feeds on 127.0.0.1 for the watch tests and benchmarks/watch_soak.py.

/news.xml   items arrive over time (``add_items``); answers 304 to its own ETag
/static.xml never changes; answers 304 to its ETag or Last-Modified
/down.xml   always 500
/broken.xml not a feed
/page.html  an HTML page that announces /news.xml with <link rel="alternate">
/section/   a listing page without a feed: links to the last 20 items as
            /articles/N.html among navigation links; answers 304 to its own ETag
/articles/N.html  one item as an article page
/empty.html an HTML page with neither a feed nor article links
"""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOPICS = ["schools", "hospitals", "railways", "housing", "water", "energy", "ports"]
STATIC_MODIFIED = format_datetime(datetime(2026, 1, 5, 8, 0, tzinfo=UTC), usegmt=True)


def item_text(number: int) -> str:
    topic = TOPICS[number % len(TOPICS)]
    return (
        f"The minister in charge of {topic} said on day {number} that "
        f"{number * 7 + 3} new {topic} projects would open next year. "
        f"Critics answered that item {number} costs {number * 11} million."
    )


def rss(title: str, numbers: range | list[int], base: str) -> bytes:
    items = "".join(
        f"<item><title>Item {n}</title><link>{base}/items/{n}</link>"
        f"<guid>{base}/items/{n}</guid>"
        f"<pubDate>{format_datetime(datetime(2026, 1, 1 + n % 28, tzinfo=UTC))}"
        f"</pubDate><description>{item_text(n)}</description></item>"
        for n in numbers
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{title}</title><language>en</language><link>{base}</link>"
        f"{items}</channel></rss>"
    ).encode()


def listing(numbers: list[int], base: str) -> bytes:
    """A section front page: newest article first, among navigation links."""
    articles = "".join(
        f'<li><a href="/articles/{n}.html">Item {n}</a></li>' for n in reversed(numbers)
    )
    return (
        "<html><head><title>News section</title></head><body><nav>"
        '<a href="/">Home</a> <a href="/section/">News</a> <a href="/about">About</a>'
        ' <a href="/tag/energy">Energy</a> <a href="/section/page/2">Older</a>'
        ' <a href="/login">Log in</a> <a href="https://elsewhere.example/a-b-c">Ad</a>'
        f'</nav><ul>{articles}</ul><a href="/img/logo-2026-big.png">logo</a>'
        "</body></html>"
    ).encode()


def article_page(number: int) -> bytes:
    """Item ``number`` as a news article page (trafilatura finds its text)."""
    text = item_text(number)
    return (
        f"<html><head><title>Item {number}</title>"
        '<meta property="og:site_name" content="Section Times">'
        '<meta property="article:published_time" '
        f'content="2026-02-{1 + number % 28:02d}">'
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>Item {number}</h1>"
        f"<p>{text}</p><p>{text.replace('Critics', 'Opponents')}</p></article>"
        "<footer>Copyright Section Times</footer></body></html>"
    ).encode()


class FeedServer:
    """A threaded HTTP server with the feeds above; counts requests by path."""

    def __init__(self) -> None:
        self.news_items: list[int] = []
        self.requests: dict[str, int] = {}
        self.not_modified: dict[str, int] = {}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    def add_items(self, count: int) -> None:
        with self.lock:
            start = len(self.news_items)
            self.news_items.extend(range(start, start + count))

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *args: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.lstrip("/")
        with self.lock:
            self.requests[path] = self.requests.get(path, 0) + 1
            news = list(self.news_items)
        if path == "down.xml":
            self._send(handler, 500, b"server error", "text/plain")
        elif path == "broken.xml":
            self._send(handler, 200, b"{this is not a feed", "application/rss+xml")
        elif path == "page.html":
            page = (
                '<html><head><link rel="alternate" type="application/rss+xml" '
                'href="/news.xml"></head><body>News</body></html>'
            )
            self._send(handler, 200, page.encode(), "text/html")
        elif path == "empty.html":
            self._send(
                handler, 200, b"<html><body><p>Nothing</p></body></html>", "text/html"
            )
        elif path == "section/":
            body = listing(news[-20:], self.base)
            tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            fresh = handler.headers.get("If-None-Match") == tag
            self._validated(handler, path, body, tag, fresh, "text/html")
        elif path.startswith("articles/") and path.endswith(".html"):
            number = path.removeprefix("articles/").removesuffix(".html")
            if number.isdigit() and int(number) in news:
                self._send(handler, 200, article_page(int(number)), "text/html")
            else:
                self._send(handler, 404, b"not found", "text/plain")
        elif path == "static.xml":
            body = rss("Static Times", range(1000, 1003), self.base)
            tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            fresh = handler.headers.get("If-None-Match") == tag or (
                handler.headers.get("If-Modified-Since") == STATIC_MODIFIED
            )
            self._validated(handler, path, body, tag, fresh)
        elif path == "news.xml":
            body = rss("Daily News", news[-20:], self.base)
            tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            fresh = handler.headers.get("If-None-Match") == tag
            self._validated(handler, path, body, tag, fresh)
        else:
            self._send(handler, 404, b"not found", "text/plain")

    def _validated(
        self,
        handler: BaseHTTPRequestHandler,
        path: str,
        body: bytes,
        tag: str,
        fresh: bool,
        content_type: str = "application/rss+xml",
    ) -> None:
        if fresh:
            with self.lock:
                self.not_modified[path] = self.not_modified.get(path, 0) + 1
            handler.send_response(304)
            handler.send_header("ETag", tag)
            handler.end_headers()
            return
        extra = {"ETag": tag}
        if path == "static.xml":
            extra["Last-Modified"] = STATIC_MODIFIED
        self._send(handler, 200, body, content_type, extra)

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str,
        extra: dict[str, str] | None = None,
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)


if __name__ == "__main__":
    import sys
    import time

    # python tests/feed_server.py PORT_FILE: serve until killed, adding items.
    with FeedServer() as feeds:
        with open(sys.argv[1], "w") as file:
            file.write(feeds.base)
        while True:
            feeds.add_items(1)
            time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 5.0)
