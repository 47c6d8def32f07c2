"""Watch RSS/Atom feeds and listing pages: poll them, ingest what is new.

One pass asks every source that is due, with the ETag and Last-Modified of its last
answer (a source that has not changed answers 304 and costs nothing), reads it with
claimtrack's readers (:mod:`claimtrack.sources`) and ingests the articles through the
Tracker, one transaction per article. The state of each source is a row of ``feeds``.

A web page is either a page that announces a feed (``<link rel=alternate>``): that
feed is polled with its own row of ``feeds``; or a listing page (a section front
page): its article links (:mod:`claimtrack.sources.listing`) that are not stored yet
are fetched and read as HTML articles, oldest (lowest on the page) first.

Exactly once, across crashes: the feed's new ETag is stored only after all its items
are stored. A process killed mid-feed leaves the old ETag, so the next pass fetches
the feed again; the items already stored are unchanged and cost a hash check.

A feed that fails (down, 404, not a feed) is logged in ``feeds.last_error`` and tried
again after ``every * 2**(failures - 1)``, at most ``MAX_BACKOFF * every``; the other
feeds go on. Stopping (SIGINT, SIGTERM) is noticed between articles: the article
being stored finishes its transaction, nothing is left half-written.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

import httpx

from claimtrack.errors import ArticleError, ClaimtrackError, ConfigError, FetchError
from claimtrack.models import Article, IngestResult, make_article_id
from claimtrack.settings import FETCH_TIMEOUT_SECONDS
from claimtrack.sources import records
from claimtrack.sources.articles import ARTICLE_KIND, complete, document_articles
from claimtrack.sources.listing import announced_feeds, article_links
from claimtrack.tracker import Tracker

# A failing feed waits at most this many intervals before its next try.
MAX_BACKOFF = 16
USER_AGENT = "claimtrack-watch (+https://github.com/claimtrack)"
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """Seconds in "90", "30s", "15m", "2h" or "1d".

    Hand-written: four units, and no library of ours reads durations.

    Raises:
        ConfigError: not a duration.
    """
    match = _INTERVAL.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ConfigError(
            f"--every {text!r} is not a duration; write e.g. 90s, 15m, 2h or 1d."
        )
    return float(match.group(1)) * _UNITS[match.group(2)]


@dataclass
class FeedOutcome:
    """What one poll of one feed did."""

    url: str
    status: str  # "new", "not modified", "failed", "waiting"
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # entries that could not be read
    claims: int = 0
    error: str | None = None


@dataclass
class PassSummary:
    """What one pass over the feeds did."""

    number: int
    outcomes: list[FeedOutcome] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False

    def line(self) -> str:
        """The one-line summary printed after each pass."""
        count = {s: 0 for s in ("new", "not modified", "failed", "waiting")}
        for outcome in self.outcomes:
            count[outcome.status] += 1
        added = sum(o.added for o in self.outcomes)
        updated = sum(o.updated for o in self.outcomes)
        claims = sum(o.claims for o in self.outcomes)
        text = (
            f"pass {self.number}: {len(self.outcomes)} feeds "
            f"({count['new']} read, {count['not modified']} not modified, "
            f"{count['failed']} failed, {count['waiting']} waiting); "
            f"{added} added, {updated} updated, {claims} claims "
            f"in {self.seconds:.1f} s"
        )
        return text + (" (stopped)" if self.stopped else "")


class Watcher:
    """Polls feeds into a Tracker's database.

    Example:
        >>> watcher = Watcher(Tracker("claims.db"), ["https://example.org/rss"], 900)
        >>> print(watcher.poll_once().line())
    """

    def __init__(
        self,
        tracker: Tracker,
        urls: Sequence[str],
        every: float,
        *,
        report: Callable[[str], None] = lambda message: None,
        client: httpx.Client | None = None,
        language: str | None = None,
        outlet: str | None = None,
    ) -> None:
        self.tracker = tracker
        self.urls = list(dict.fromkeys(urls))
        self.every = every
        self.report = report
        self.language = language
        self.outlet = outlet
        self.client = client or httpx.Client(
            timeout=FETCH_TIMEOUT_SECONDS,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
        )
        self.stopping = threading.Event()
        self.passes = 0

    # ---- the loop ------------------------------------------------------------

    def run(self, *, once: bool = False) -> list[PassSummary]:
        """Poll every ``every`` seconds until stopped (or one pass with once)."""
        summaries = []
        while not self.stopping.is_set():
            started = time.monotonic()
            summary = self.poll_once()
            summaries.append(summary)
            self.report(summary.line())
            if once:
                break
            self.stopping.wait(max(0.0, self.every - (time.monotonic() - started)))
        return summaries

    def stop(self) -> None:
        """Ask the watcher to stop after the article it is storing."""
        self.stopping.set()

    @contextmanager
    def stopping_on_signals(self) -> Iterator[None]:
        """Turn SIGINT and SIGTERM into a clean stop while the block runs."""

        def handle(signum: int, frame: FrameType | None) -> None:
            if not self.stopping.is_set():
                self.report(
                    f"{signal.Signals(signum).name}: stopping after this article"
                )
            self.stop()

        previous = {
            s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            yield
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    # ---- one pass ------------------------------------------------------------

    def poll_once(self) -> PassSummary:
        """Poll each feed that is due; a failing feed does not stop the others."""
        self.passes += 1
        summary = PassSummary(self.passes)
        started = time.monotonic()
        for url in self.urls:
            if self.stopping.is_set():
                summary.stopped = True
                break
            outcome = self.poll(url)
            summary.outcomes.append(outcome)
            if outcome.status == "failed":
                self.report(f"{url}: {outcome.error}")
            elif outcome.status == "new":
                self.report(
                    f"{url}: {outcome.added} added, {outcome.updated} updated, "
                    f"{outcome.unchanged} unchanged, {outcome.claims} claims"
                )
        summary.seconds = time.monotonic() - started
        summary.stopped = summary.stopped or self.stopping.is_set()
        return summary

    def poll(self, url: str) -> FeedOutcome:
        """Poll one feed now (if it is due) and ingest its new items."""
        store = self.tracker.store
        state = store.feed(url) or {"url": url, "failures": 0, "items_seen": 0}
        now = datetime.now(UTC)
        if state.get("next_poll") and datetime.fromisoformat(state["next_poll"]) > now:
            return FeedOutcome(url, "waiting")
        state["last_polled"] = _iso(now)
        try:
            response = self._fetch(url, state)
            if response is None:
                outcome = FeedOutcome(url, "not modified")
            elif _is_html(response) and (feeds := self._announced(response, url)):
                # The feed is polled with its own state; this page keeps none.
                store.save_feed(
                    {**state, "etag": None, "last_modified": None, "failures": 0}
                )
                return self.poll(feeds[0])
            else:
                outcome = self._ingest(url, response)
                if self.stopping.is_set() and outcome.status == "stopped":
                    # Items left: keep the old ETag so the next run reads them.
                    outcome.status = "new"
                    store.save_feed({**state, "next_poll": None})
                    return outcome
                state["etag"] = response.headers.get("etag")
                state["last_modified"] = response.headers.get("last-modified")
                state["items_seen"] = (state.get("items_seen") or 0) + (
                    outcome.added + outcome.updated + outcome.unchanged
                )
        except ClaimtrackError as error:
            failures = (state.get("failures") or 0) + 1
            wait = self.every * min(2 ** (failures - 1), MAX_BACKOFF)
            store.save_feed(
                {
                    **state,
                    "failures": failures,
                    "last_error": str(error),
                    "next_poll": _iso(now + timedelta(seconds=wait)),
                }
            )
            return FeedOutcome(
                url, "failed", error=f"{error} (next try in {wait:.0f} s)"
            )
        store.save_feed(
            {
                **state,
                "failures": 0,
                "last_error": None,
                "last_success": _iso(datetime.now(UTC)),
                "next_poll": None,
            }
        )
        return outcome

    def _fetch(self, url: str, state: dict[str, Any]) -> httpx.Response | None:
        """GET the feed with its validators; None when it answers 304."""
        headers = {}
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        try:
            response = self.client.get(url, headers=headers)
        except httpx.TimeoutException:
            raise FetchError(
                f"no answer within {FETCH_TIMEOUT_SECONDS:.0f} s"
            ) from None
        except httpx.HTTPError as error:
            raise FetchError(f"cannot fetch ({error})") from None
        if response.status_code == 304:
            return None
        if response.status_code >= 400:
            raise FetchError(f"the server answered {response.status_code}")
        return response

    def _announced(self, page: httpx.Response, url: str) -> list[str]:
        """The feeds an HTML page announces, other than the page itself."""
        feeds = announced_feeds(page.text, str(page.url))
        return [feed for feed in feeds if feed not in (url, str(page.url))]

    def _ingest(self, url: str, response: httpx.Response) -> FeedOutcome:
        """Read a feed's entries or a listing page's articles and ingest them,
        stopping between articles."""
        outcome = FeedOutcome(url, "new")
        batches: Iterator[list[Article]]
        if _is_html(response):
            # One article at a time: each page fetched is stored before the next is
            # fetched. A batch of 16 fetched pages, lost whole by a kill before its
            # first store, was measured to lose articles that left the listing while
            # restarts repeated it (benchmarks/watch_soak.py, 30 minutes).
            batches = ([a] for a in self._listed_articles(url, response, outcome))
        else:
            batches = iter([self._feed_articles(url, response, outcome)])

        def count(result: IngestResult) -> None:
            setattr(outcome, result.status, getattr(outcome, result.status) + 1)
            outcome.claims += len(result.claims)

        def failed(article: Article, error: ClaimtrackError) -> None:
            outcome.skipped += 1
            self.report(f"{url}: skipped {article.url or article.id}: {error}")

        for articles in batches:
            results = self.tracker.ingest_many(
                articles, on_error=failed, progress=count
            )
            for _ in results:
                if self.stopping.is_set():
                    outcome.status = "stopped"
                    return outcome
        return outcome

    def _feed_articles(
        self, url: str, response: httpx.Response, outcome: FeedOutcome
    ) -> list[Article]:
        """A feed's articles, read by the same readers as ``claimtrack ingest``."""
        document = records.Document(
            name=url,
            data=response.content,
            content_type=response.headers.get("content-type", "").lower(),
            url=str(response.url),
        )
        try:
            items = list(document_articles(document))
        except ArticleError:
            import feedparser

            if feedparser.parse(response.content).get("version"):
                return []  # a well-formed feed with no entries yet
            raise
        articles = []
        for item in items:
            if isinstance(item, ArticleError):
                outcome.skipped += 1
                self.report(f"{url}: skipped an entry: {item}")
            else:
                articles.append(
                    complete(item, language=self.language, outlet=self.outlet)
                )
        return articles

    def _listed_articles(
        self, url: str, page: httpx.Response, outcome: FeedOutcome
    ) -> Iterator[Article]:
        """The articles a listing page links to that are not stored yet.

        Each is fetched when the Tracker asks for it (bounded, as ``claimtrack
        ingest URL``), so stopping between articles fetches no more. A listing puts
        its newest article first: they are read from the bottom up.
        """
        links = article_links(page.text, str(page.url))
        if not links:
            raise FetchError(
                "an HTML page with no feed and no article links; give a feed's "
                "address or a section page that links to articles"
            )
        store = self.tracker.store
        for link in reversed(links):
            if self.stopping.is_set():
                outcome.status = "stopped"  # links left: keep the old validators
                return
            if store.article_fingerprint(make_article_id(url=link, text="")):
                outcome.unchanged += 1  # stored: not fetched again
                continue
            try:
                document = records.read_url_document(link, ARTICLE_KIND)
                items = list(document_articles(document))
            except ArticleError as error:
                outcome.skipped += 1
                self.report(f"{url}: skipped {link}: {error}")
                continue
            for item in items:
                if isinstance(item, ArticleError):
                    outcome.skipped += 1
                    self.report(f"{url}: skipped {link}: {item}")
                else:
                    yield complete(item, language=self.language, outlet=self.outlet)


def _is_html(response: httpx.Response) -> bool:
    return "html" in response.headers.get("content-type", "").lower()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
