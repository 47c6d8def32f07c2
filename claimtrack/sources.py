"""Read articles from files, folders, URLs and feeds.

Plain text, HTML (main text through trafilatura), RSS/Atom (feedparser), JSON, newline-
delimited JSON and CSV with the columns ``id, url, title, outlet, published, language,
text`` (only ``text`` is required). The text stored is the text read; claim offsets
refer to it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from claimtrack.dates import parse_date, parse_date_or_none
from claimtrack.errors import ArticleError
from claimtrack.fetch import fetch
from claimtrack.models import Article, make_article_id
from claimtrack.settings import (
    FETCH_TIMEOUT_SECONDS,
    MAX_ARTICLE_CHARS,
    MAX_FILE_BYTES,
)

COLUMNS = ("id", "url", "title", "outlet", "published", "language", "text")
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = (
    TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES | {".json", ".csv"}
)

ErrorHandler = Callable[[str, ArticleError], None]
# Main text shorter than this is navigation left over from a page with no article.
MIN_HTML_WORDS = 8
_URL = re.compile(r"^https?://", re.IGNORECASE)
# htmldate reads the page's markup only (meta tags, JSON-LD, <time>, the URL): its
# extensive search also guesses from free text and the copyright line, which dates
# a paywalled page "2021-01-01". A date unknown is better than a wrong one.
HTML_DATE_PARAMS = {"original_date": True, "extensive_search": False}


def read_articles(
    locations: Iterable[str | Path],
    *,
    language: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[Article]:
    """Yield the articles at each location: a file, a folder (recursively) or a URL.

    Args:
        locations: paths or http(s) URLs.
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
    for location in locations:
        for source, reader in _expand(location):
            try:
                for item in reader():
                    if isinstance(item, Article):
                        yield _complete(
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


# A file of many records (JSONL, JSON, CSV, a feed) yields a bad record as an
# ArticleError value instead of raising it, so the records after it are still read.
Item = Article | ArticleError


def _expand(
    location: str | Path,
) -> Iterator[tuple[str, Callable[[], Iterable[Item]]]]:
    text = str(location)
    if _URL.match(text):
        yield text, lambda: read_url(text)
        return
    path = Path(location)
    if path.is_dir():
        files = sorted(
            p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
        )
        for file in files:
            yield display_name(file), partial(_read_file_items, file)
        return
    yield display_name(text), lambda: _read_file_items(path)


def display_name(path: str | Path) -> str:
    """A path as text that can be printed and stored.

    A file name that is not valid UTF-8 reaches Python with surrogate escapes,
    which neither the terminal nor SQLite accept; they are shown as U+FFFD.
    """
    raw = str(path).encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "replace")


def read_file(path: Path) -> Iterator[Article]:
    """Yield the articles in one file, chosen by its suffix (plain text by default).

    Raises:
        ArticleError: the file, or one of its records, cannot be read.
    """
    yield from _raise_errors(_read_file_items(path))


def _read_file_items(path: Path) -> Iterable[Item]:
    source = display_name(path)
    data = read_regular_file(path, source)
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES:
        return _feed_items(data, source)
    text = _decode(data, source)
    if suffix in JSONL_SUFFIXES:
        return _jsonl_items(text, source)
    if suffix == ".json":
        return _json_items(text, source)
    if suffix == ".csv":
        return _csv_items(text, source)
    if suffix in HTML_SUFFIXES:
        return [parse_html(text, source=source)]
    return [parse_text(text, source=source)]


def _raise_errors(items: Iterable[Item]) -> Iterator[Article]:
    for item in items:
        if isinstance(item, ArticleError):
            raise item
        yield item


def read_regular_file(path: Path, source: str) -> bytes:
    """Read a regular file whole, refusing devices, pipes and oversized files.

    /dev/zero or a FIFO would be read until memory runs out; so would a 20 GB dump.

    Raises:
        ArticleError: the path is missing, not a regular file, too large or unreadable.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ArticleError(f"{source}: no such file or folder.") from None
    except OSError as error:
        raise ArticleError(f"{source}: cannot read it ({error.strerror}).") from None
    if not stat.S_ISREG(info.st_mode):
        raise ArticleError(
            f"{source}: not a regular file (a device, pipe or socket). "
            "Give a text, HTML, JSON, CSV or feed file."
        )
    if info.st_size > MAX_FILE_BYTES:
        raise ArticleError(
            f"{source}: {info.st_size:,} bytes is more than the {MAX_FILE_BYTES:,} "
            "allowed for one file. Split it into smaller files."
        )
    try:
        with path.open("rb") as file:
            return file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ArticleError(f"{source}: cannot read it ({error.strerror}).") from None


def _decode(data: bytes, path: Path | str) -> str:
    if (nul := data.find(b"\x00")) >= 0:
        raise ArticleError(
            f"{path}: looks like a binary file, not text (a NUL byte at byte "
            f"{nul:,}). Give a text, HTML, JSON or CSV file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(
            f"{path}: not valid UTF-8 (byte {error.start}). "
            f"Convert it first, e.g. 'iconv -f latin1 -t utf-8 {path}'."
        ) from None


def parse_text(
    text: str, *, source: str | None = None, url: str | None = None
) -> Article:
    """Make an article from plain text; a short first line is taken as its title."""
    text = _check_text(text, source)
    return _article({"text": text, "title": guess_title(text), "url": url}, source)


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


def parse_html(
    html: str, *, source: str | None = None, url: str | None = None
) -> Article:
    """Make an article from HTML: main text, title, date and site name (trafilatura)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        # favor_precision, measured on the news-dev pages (benchmarks/html_options.py):
        # as many gold sentences kept as favor_recall, a third fewer furniture lines.
        favor_precision=True,
        as_dict=False,
        date_extraction_params=HTML_DATE_PARAMS,
    )
    if (
        document is None
        or isinstance(document, dict)
        or len(str(document.text or "").split()) < MIN_HTML_WORDS
    ):
        raise ArticleError(f"{source or url}: no article text found in this HTML page.")
    body = str(document.text).strip()
    title = (document.title or "").strip() or None
    return _article(
        {
            "text": _check_text(body, source or url),
            "title": title,
            "url": url or document.url,
            "outlet": clean_outlet(document.sitename),
            "published": document.date,
            "language": document.language,
        },
        source or url,
    )


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


def parse_feed(data: bytes | str, *, source: str | None = None) -> Iterator[Article]:
    """Yield one article per RSS/Atom entry with text; entries without are skipped."""
    yield from _raise_errors(_feed_items(data, source))


def _feed_items(data: bytes | str, source: str | None) -> Iterator[Item]:
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
        text = _html_to_text(html)
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
        try:
            yield _article(fields, source)
        except ArticleError as error:  # a date that is not one: skip this entry
            yield error


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


def _html_to_text(html: str) -> str:
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


def parse_jsonl(text: str, *, source: str | None = None) -> Iterator[Article]:
    """Yield one article per line of newline-delimited JSON."""
    yield from _raise_errors(_jsonl_items(text, source))


def _jsonl_items(text: str, source: str | None) -> Iterator[Item]:
    # Lines end at "\n" only: str.splitlines() would also cut a line at U+2028,
    # U+2029 or U+0085, which JSON allows raw inside strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}, line {number}"
        try:
            yield _from_record(json.loads(line), where)
        except json.JSONDecodeError as error:
            yield ArticleError(f"{where}: not JSON ({error.msg}).")
        except RecursionError:
            yield ArticleError(f"{where}: JSON nested too deeply to be an article.")
        except ArticleError as error:
            yield error


def parse_json(text: str, *, source: str | None = None) -> Iterator[Article]:
    """Yield the articles of a JSON array of objects, or of a single object."""
    yield from _raise_errors(_json_items(text, source))


def _json_items(text: str, source: str | None) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ArticleError(
            f"{source}: not JSON ({error.msg}, line {error.lineno})."
        ) from None
    except RecursionError:
        raise ArticleError(
            f"{source}: JSON nested too deeply. Give an array of article objects."
        ) from None
    records = data if isinstance(data, list) else [data]
    for number, record in enumerate(records, start=1):
        try:
            yield _from_record(record, f"{source}, item {number}")
        except ArticleError as error:
            yield error


def parse_csv(text: str, *, source: str | None = None) -> Iterator[Article]:
    """Yield one article per CSV row; the header must name a ``text`` column."""
    yield from _raise_errors(_csv_items(text, source))


def _csv_items(text: str, source: str | None) -> Iterator[Item]:
    # An article's text may be as long as an article: csv's default cell limit is
    # 131,072 characters. The limit is process-wide; raising it harms nothing.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_ARTICLE_CHARS + 1))
    # newline=None reads "\r", "\n" and "\r\n" line endings alike.
    lines = io.StringIO(text, newline=None)
    reader = csv.DictReader(lines)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as error:
        raise ArticleError(f"{source}: not a readable CSV header ({error}).") from None
    if not fieldnames or "text" not in fieldnames:
        raise ArticleError(
            f"{source}: CSV needs a header with a 'text' column "
            f"(columns: {', '.join(COLUMNS)})."
        )
    row_number = 1  # the header is row 1, as a spreadsheet numbers them
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield ArticleError(f"{source}, line {line}: not readable CSV ({error}).")
            continue
        row_number += 1
        where = f"{source}, row {row_number}"
        if None in row:  # more values than the header has columns
            extra = row[None]
            yield ArticleError(
                f"{where}: {len(fieldnames) + len(extra)} values for "
                f"{len(fieldnames)} columns. Quote values that hold commas."
            )
            continue
        values = {k: v for k, v in row.items() if v not in (None, "")}
        try:
            yield _from_record(values, where)
        except ArticleError as error:
            yield error


def _from_record(record: Any, where: str) -> Article:
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
    return _article(fields, where)


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


def _complete(
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


def read_url(url: str, *, timeout: float = FETCH_TIMEOUT_SECONDS) -> Iterator[Article]:
    """Fetch a URL and read it as an HTML article or an RSS/Atom feed.

    The fetch is bounded in size and time (:func:`claimtrack.fetch.fetch`).

    Raises:
        FetchError: the URL cannot be fetched, answers with an error status, or is
            too large or too slow.
    """
    response = fetch(url, timeout=timeout)
    content_type = response.content_type
    if (
        any(kind in content_type for kind in ("rss", "atom", "xml"))
        and "html" not in content_type
    ):
        yield from _raise_errors(_feed_items(response.content, url))
    else:
        yield parse_html(response.text, source=url, url=response.url)
