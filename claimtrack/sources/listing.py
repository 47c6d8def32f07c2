"""Listing pages: the feed a page announces, else the article links it lists.

A section front page ("/politique/", "/news/") without a feed still lists its
articles. Feed discovery is trafilatura's (``determine_feed``: ``<link
rel=alternate>``, then links that look like feeds); the article links are the page's
``<a href>`` on the same host, kept by courlan's filters (no navigation, tag or
pagination pages, no login or share links, no images or files) and by the shape of
an article address. courlan's own ``extract_links`` is not used because it refuses
every host without a public suffix (127.0.0.1, an intranet name), where newsroom
staging sites and the tests live.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

# A page lists at most this many articles a pass; a front page with thousands of
# links is a site map, not a listing.
MAX_LISTING_LINKS = 100
# The last segment of an article's address holds a number (an id, a date) or a slug
# of three words or more ("minister-says-schools-open"), or ends like a page.
_ARTICLE_SEGMENT = re.compile(r"\d|[^/]*[-_][^/]*[-_]|\.(s?html?|php|aspx?)$", re.I)


def announced_feeds(html: str, page_url: str) -> list[str]:
    """The feeds a page announces (trafilatura's feed discovery), best first."""
    from trafilatura.feeds import FeedParameters, determine_feed

    host = urlsplit(page_url).netloc
    base = f"{urlsplit(page_url).scheme}://{host}"
    return list(determine_feed(html, FeedParameters(base, host, page_url)))


def article_links(html: str, page_url: str) -> list[str]:
    """The article links of a listing page, in page order, without duplicates."""
    import lxml.html
    from courlan import is_navigation_page, is_not_crawlable
    from courlan.filters import extension_filter, type_filter

    try:
        document = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    page = urlsplit(page_url)
    links: dict[str, None] = {}
    for href in document.xpath("//a/@href"):
        url, _ = urldefrag(urljoin(page_url, str(href).strip()))
        parts = urlsplit(url)
        segment = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if (
            parts.scheme not in ("http", "https")
            or _host(parts.hostname) != _host(page.hostname)
            or url.rstrip("/") == page_url.rstrip("/")
            or not segment
            or not _ARTICLE_SEGMENT.search(segment)
            or is_navigation_page(url)
            or is_not_crawlable(url)
            or not extension_filter(url)
            or not type_filter(url, strict=False)
        ):
            continue
        links[url] = None
        if len(links) >= MAX_LISTING_LINKS:
            break
    return list(links)


def _host(hostname: str | None) -> str:
    return (hostname or "").lower().removeprefix("www.")
