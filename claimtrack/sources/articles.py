"""Articles from records: files, folders, URLs and feeds become ``Article`` values.

The formats are readers of :mod:`claimtrack.sources.records`: plain text, HTML (main
text through trafilatura), RSS/Atom (feedparser), JSON, JSON Lines and CSV with the
columns ``id, url, title, outlet, published, language, text`` (only ``text`` is
required), and any format a plugin registers. The text stored is the text read;
claim offsets refer to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from claimtrack.dates import parse_date, parse_date_or_none
from claimtrack.errors import ArticleError
from claimtrack.hookspecs import hookimpl
from claimtrack.models import Article, make_article_id
from claimtrack.settings import FETCH_TIMEOUT_SECONDS, MAX_ARTICLE_CHARS
from claimtrack.sources import records
from claimtrack.sources.records import ARTICLES, Document, Kind, Reader, Record

COLUMNS = ("id", "url", "title", "outlet", "published", "language", "text")
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")

ErrorHandler = Callable[[str, ArticleError], None]
# Main text shorter than this is navigation left over from a page with no article.
MIN_HTML_WORDS = 8
# htmldate reads the page's markup only (meta tags, JSON-LD, <time>, the URL): its
# extensive search also guesses from free text and the copyright line, which dates
# a paywalled page "2021-01-01". A date unknown is better than a wrong one.
HTML_DATE_PARAMS = {"original_date": True, "extensive_search": False}


def _fallback(document: Document) -> str:
    # A URL answer of unknown type is read as a web page, a file as plain text;
    # stdin has no name to go by, so its first characters tell.
    if document.fetched is not None:
        return "html"
    if document.name != records.STDIN_NAME:
        return "text"
    text = document.data[:4096].decode("utf-8", "replace").lstrip()
    if text.startswith("{") and records.is_json_lines(document.text(ARTICLE_KIND)):
        return "jsonl"
    if text.startswith(("{", "[")):
        return "json"
    if text.startswith("<"):
        return "feed" if re.search(r"<(rss|feed|rdf:RDF)\b", text) else "html"
    return "text"


ARTICLE_KIND = Kind(
    ARTICLES,
    "an article",
    location_error=ArticleError,
    record_error=ArticleError,
    fallback=_fallback,
    required_column="text",
    columns=COLUMNS,
)
# A file of many records (JSONL, JSON, CSV, a feed) yields a bad record as an
# ArticleError value instead of raising it, so the records after it are still read.
Item = Article | ArticleError


def read_articles(
    locations: Iterable[str | Path],
    *,
    language: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[Article]:
    """Yield the articles at each location: a file, a folder (recursively), a URL or
    ``-`` (standard input).

    Args:
        locations: paths, http(s) URLs or "-".
        language: ISO 639-1 code for every article; detected per article when None.
        outlet: outlet name for articles that do not give one (else the URL's host).
        published: publication date for articles that do not give one, in any
            format :func:`claimtrack.dates.parse_date` reads.
        on_error: called with the source and the error for each unreadable item, which
            is then skipped. Without it, the first error is raised.

    Raises:
        ArticleError: an item cannot be read and no on_error was given.
        DateError: published is not a date.
    """
    published = parse_date(published, where="--published")
    for source, open_document in records.expand(locations, ARTICLE_KIND):
        try:
            for item in document_articles(open_document()):
                if isinstance(item, Article):
                    yield complete(
                        item, language=language, outlet=outlet, published=published
                    )
                elif on_error is None:
                    raise item
                else:
                    on_error(source, item)
        except ArticleError as error:
            if on_error is None:
                raise
            on_error(source, error)


def document_articles(document: Document) -> Iterator[Item]:
    """The articles of one document, and an error value for each bad record.

    Raises:
        ArticleError: the document cannot be read at all.
    """
    reader, items = records.read_document(document, ARTICLE_KIND)
    yield from _articles(reader, items)


def _articles(reader: Reader, items: Iterable[records.Item]) -> Iterator[Item]:
    for item in items:
        if not isinstance(item, Record):
            yield ArticleError(str(item))
            continue
        value = item.value
        if reader.tabular and isinstance(value, dict):  # an empty cell is no value
            value = {k: v for k, v in value.items() if v not in (None, "")}
        try:
            yield from_record(value, item.where)
        except ArticleError as error:
            yield error


def read_file(path: Path) -> Iterator[Article]:
    """Yield the articles in one file, chosen by its suffix (plain text by default).

    Raises:
        ArticleError: the file, or one of its records, cannot be read.
    """
    document = records.read_file_document(path, ARTICLE_KIND)
    yield from _raise_errors(document_articles(document))


def read_url(url: str, *, timeout: float = FETCH_TIMEOUT_SECONDS) -> Iterator[Article]:
    """Fetch a URL and read it as an HTML article, a feed, or a file of articles.

    The fetch is bounded in size and time (:func:`claimtrack.fetch.fetch`).

    Raises:
        FetchError: the URL cannot be fetched, answers with an error status, or is
            too large or too slow.
    """
    document = records.read_url_document(url, ARTICLE_KIND, timeout=timeout)
    yield from _raise_errors(document_articles(document))


def _raise_errors(items: Iterable[Item]) -> Iterator[Article]:
    for item in items:
        if isinstance(item, ArticleError):
            raise item
        yield item


# ---- the article formats: plain text, HTML, feeds --------------------------------


def _text_records(document: Document, kind: Kind) -> Iterator[Record]:
    text = document.text(kind)
    yield Record(
        document.name, {"text": text, "title": guess_title(text), "url": document.url}
    )


def _html_records(document: Document, kind: Kind) -> Iterator[Record]:
    yield Record(document.name, html_fields(document.text(kind), document))


def _feed_records(document: Document, kind: Kind) -> Iterator[Record]:
    data: bytes | str = (
        document.given_text if document.given_text is not None else document.data
    )
    yield from feed_records(data, document.name)


ARTICLE_READERS = (
    Reader(
        "text",
        _text_records,
        suffixes=TEXT_SUFFIXES,
        content_types=("text/plain",),
        kinds=(ARTICLES,),
    ),
    Reader(
        "html",
        _html_records,
        suffixes=HTML_SUFFIXES,
        content_types=("html",),
        kinds=(ARTICLES,),
    ),
    Reader(
        "feed",
        _feed_records,
        suffixes=FEED_SUFFIXES,
        content_types=("rss", "atom", "xml"),
        kinds=(ARTICLES,),
    ),
)


@hookimpl
def register_readers(register: Callable[[Reader], None]) -> None:
    """The built-in article formats: plain text, HTML pages and RSS/Atom feeds."""
    for reader in ARTICLE_READERS:
        register(reader)


# ---- text already in memory ----------------------------------------------------


def parse_text(
    text: str, *, source: str | None = None, url: str | None = None
) -> Article:
    """Make an article from plain text; a short first line is taken as its title."""
    text = _check_text(text, source)
    return _article({"text": text, "title": guess_title(text), "url": url}, source)


def parse_html(
    html: str, *, source: str | None = None, url: str | None = None
) -> Article:
    """Make an article from HTML: main text, title, date and site name (trafilatura)."""
    document = Document.from_text(html, source or url or "", url=url)
    return from_record(html_fields(html, document), source or url or "")


def parse_feed(data: bytes | str, *, source: str | None = None) -> Iterator[Article]:
    """Yield one article per RSS/Atom entry with text; entries without are skipped."""
    yield from _raise_errors(_feed_items(data, source))


def parse_jsonl(text: str, *, source: str | None = None) -> Iterator[Article]:
    """Yield one article per line of newline-delimited JSON."""
    yield from _parse(text, source, "jsonl")


def parse_json(text: str, *, source: str | None = None) -> Iterator[Article]:
    """Yield the articles of a JSON array of objects, or of a single object."""
    yield from _parse(text, source, "json")


def parse_csv(text: str, *, source: str | None = None) -> Iterator[Article]:
    """Yield one article per CSV row; the header must name a ``text`` column."""
    yield from _parse(text, source, "csv")


def _parse(text: str, source: str | None, reader_name: str) -> Iterator[Article]:
    reader = records.get_readers(ARTICLE_KIND)[reader_name]
    document = Document.from_text(text, str(source))
    yield from _raise_errors(_articles(reader, reader.read(document, ARTICLE_KIND)))


def _feed_items(data: bytes | str, source: str | None) -> Iterator[Item]:
    """A feed's articles, with an error value for each entry that cannot be one."""
    for record in feed_records(data, source):
        try:
            yield from_record(record.value, record.where)
        except ArticleError as error:  # a date that is not one: skip this entry
            yield error


# ---- from a page or an entry to article fields -----------------------------------


def html_fields(html: str, document: Document) -> dict[str, Any]:
    """Main text, title, date, site name and language of a page (trafilatura).

    Raises:
        ArticleError: the page holds no article text.
    """
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html,
        url=document.url,
        with_metadata=True,
        # favor_precision, measured on the news-dev pages (benchmarks/html_options.py):
        # as many gold sentences kept as favor_recall, a third fewer furniture lines.
        favor_precision=True,
        as_dict=False,
        date_extraction_params=HTML_DATE_PARAMS,
    )
    if (
        extracted is None
        or isinstance(extracted, dict)
        or len(str(extracted.text or "").split()) < MIN_HTML_WORDS
    ):
        raise ArticleError(f"{document.name}: no article text found in this HTML page.")
    return {
        "text": str(extracted.text).strip(),
        "title": (extracted.title or "").strip() or None,
        "url": document.url or extracted.url,
        "outlet": clean_outlet(extracted.sitename),
        "published": extracted.date,
        "language": extracted.language,
    }


def feed_records(data: bytes | str, source: str | None) -> Iterator[Record]:
    """One record of article fields per RSS/Atom entry with text (feedparser).

    Raises:
        ArticleError: not a feed, or a feed without entries.
    """
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        reason = feed.get("bozo_exception")
        raise ArticleError(
            f"{source}: not an RSS or Atom feed with entries ({reason or 'empty'})."
        )
    outlet = feed.feed.get("title")
    language = (feed.feed.get("language") or "")[:2].lower() or None
    for entry in feed.entries:
        content = entry.get("content") or [{}]
        html = content[0].get("value") or entry.get("summary") or ""
        text = html_to_text(html)
        if not text.strip():
            continue
        fields = {
            "text": text,
            "title": entry.get("title"),
            "url": entry.get("link"),
            "outlet": outlet,
            "published": _entry_date(entry),
            "language": language,
        }
        yield Record(source or "", fields)


def _entry_date(entry: Any) -> str | None:
    """An entry's date, else feedparser's UTC reading of it, else the text as given.

    The text comes first because it tells a day from a time; what neither reads is
    returned as given, so that the entry is refused with the date in the message.
    """
    for key in ("published", "updated"):
        if given := parse_date_or_none(entry.get(key)):
            return given
        if parsed := entry.get(f"{key}_parsed"):
            year, month, day, hour, minute, second = parsed[:6]
            return parse_date(
                datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            )
        if entry.get(key):
            return str(entry.get(key))
    return None


def html_to_text(html: str) -> str:
    """Return the text of an HTML fragment such as a feed entry's summary."""
    if "<" not in html:
        return html.strip()
    import lxml.html

    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    # Block elements end a paragraph: a summary's paragraphs must not run together.
    for element in fragment.iter("p", "div", "li", "br", "h1", "h2", "h3", "h4"):
        element.tail = "\n\n" + (element.tail or "")
    paragraphs = re.split(r"\n\s*\n", str(fragment.text_content()))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.split())


def guess_title(text: str) -> str | None:
    """Return the title line of a plain-text article: one of its first two paragraphs.

    A title is a single line of three or more words that does not end like a sentence;
    a one-word kicker such as "News" before it is skipped.
    """
    for paragraph in [p.strip() for p in re.split(r"\n\s*\n", text.strip())][:2]:
        if "\n" in paragraph or len(paragraph) > 200:
            return None
        if len(paragraph.split()) >= 3 and not paragraph.endswith((".", "!", "?", ":")):
            return paragraph
    return None


# "The Tico Times | Costa Rica News | Travel": the site's name comes first.
_OUTLET_SEPARATORS = re.compile(r"\s+[|–—•·:-]\s+|\s*\|\s*")
_DOMAIN_SUFFIX = re.compile(r"\.(com|fr|co\.uk|uk|org|net|ca|ch|be|de|info)$", re.I)


def clean_outlet(name: str | None) -> str | None:
    """Return a site name without its tagline or domain suffix ("Le Monde.fr")."""
    if not name or not name.strip():
        return None
    first = next((p for p in _OUTLET_SEPARATORS.split(name.strip()) if p.strip()), "")
    first = first.strip()
    if first[:1].isupper():
        first = _DOMAIN_SUFFIX.sub("", first)  # "Le Monde.fr", "DW.COM"; not "bbc.com"
    return first or None


# ---- from a record to an Article -------------------------------------------------


def from_record(record: Any, where: str) -> Article:
    """Make an article from a record of the documented columns.

    Raises:
        ArticleError: not an object, an unknown column, or no usable text.
    """
    if not isinstance(record, dict):
        raise ArticleError(f"{where}: expected an object with a 'text' field.")
    unknown = sorted(set(record) - set(COLUMNS))
    if unknown:
        raise ArticleError(
            f"{where}: unknown field(s) {', '.join(unknown)}. "
            f"Valid: {', '.join(COLUMNS)}."
        )
    if not isinstance(record.get("text"), str):
        raise ArticleError(f"{where}: missing 'text'. Each article needs a text field.")
    fields = {
        key: None if value is None else str(value) for key, value in record.items()
    }
    for value in fields.values():
        _check_encodable(value, where)
    fields["text"] = _check_text(record["text"], where)
    return _article(fields, where or None)


def _check_text(text: str, where: str | None) -> str:
    if "\x00" in text:
        raise ArticleError(
            f"{where}: the text holds a NUL character at {text.index(chr(0)):,}: "
            "is it a binary file? Give text."
        )
    _check_encodable(text, where)
    if not text.strip():
        raise ArticleError(
            f"{where}: the article is empty. Give a file with text in it."
        )
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(
            f"{where}: {len(text):,} characters is more than the {MAX_ARTICLE_CHARS:,} "
            "allowed for one article. Split it into articles."
        )
    return text


def _check_encodable(value: str | None, where: str | None) -> None:
    """Refuse a lone surrogate ("\\ud800" in JSON): no UTF-8 text can hold it."""
    try:
        (value or "").encode("utf-8")
    except UnicodeEncodeError as error:
        raise ArticleError(
            f"{where}: an invalid character (a lone surrogate, "
            f"\\u{ord(str(value)[error.start]):04x}) at {error.start:,}. "
            "Fix the escape in the source."
        ) from None


def _article(fields: dict[str, Any], source: str | None) -> Article:
    text = fields["text"]
    fields = {**fields, "published": parse_date(fields.get("published"), where=source)}
    article_id = fields.get("id") or make_article_id(url=fields.get("url"), text=text)
    values = {k: v for k, v in fields.items() if k not in ("id", "text") and v}
    return Article(id=article_id, text=text, **{**values, "source": source})


def complete(
    article: Article,
    *,
    language: str | None,
    outlet: str | None,
    published: str | None = None,
) -> Article:
    """Fill language (given, or detected), outlet and date when the article has none.

    The outlet is the one given, else the host of the article's URL; the date is
    the one given (already parsed), else it stays unknown.
    """
    update: dict[str, str] = {}
    if language:
        update["language"] = language
    elif not article.language:
        update["language"] = detect_language(article.text)
    if not article.outlet and (outlet or outlet_from_url(article.url)):
        update["outlet"] = outlet or outlet_from_url(article.url) or ""
    if published and not article.published:
        update["published"] = published
    return article.model_copy(update=update) if update else article


def outlet_from_url(url: str | None) -> str | None:
    """The outlet an article URL names: its host without "www." (lemonde.fr)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language (py3langid)."""
    import py3langid

    code, _ = py3langid.classify(text[:5000])
    return str(code)
