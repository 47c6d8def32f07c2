"""The one record reader: files, folders, URLs and stdin in, raw records out, by format.

Articles (:mod:`claimtrack.sources.articles`) and fact-checks
(:mod:`claimtrack.factchecks.read`) both read their inputs here, as sqlite-utils'
``rows_from_file`` reads every table format: a location becomes one or more
:class:`Document` (the bytes of a file, a URL or stdin, with its name and type), a
:class:`Reader` chosen by suffix or Content-Type turns a document into
:class:`Record` values (a CSV row, a JSON Lines line, a feed entry...), and the
caller turns records into its own models.

Readers are registered through the ``register_readers(register)`` plugin hook, so a
plugin adds an input format without editing claimtrack::

    @hookimpl
    def register_readers(register):
        register(Reader("tsv", read_tsv, suffixes=(".tsv",), tabular=True))

A file of many records yields a bad record as an error *value* (the kind's
``record_error``) instead of raising it, so the records after it are still read; a
document that cannot be read at all raises the kind's ``location_error``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from claimtrack.errors import ClaimtrackError, FetchError
from claimtrack.fetch import Fetched, fetch
from claimtrack.hookspecs import hookimpl
from claimtrack.settings import (
    FETCH_TIMEOUT_SECONDS,
    MAX_ARTICLE_CHARS,
    MAX_FILE_BYTES,
)

ARTICLES = "articles"
FACT_CHECKS = "fact-checks"
STDIN = "-"
STDIN_NAME = "stdin"
_URL = re.compile(r"^https?://", re.IGNORECASE)


@dataclass(frozen=True)
class Kind:
    """What the records are read for: articles or fact-checks.

    Attributes:
        name: ``ARTICLES`` or ``FACT_CHECKS``; a reader serves the kinds it names.
        noun: one item, with its article, for messages ("an article", "a review").
        location_error: raised when a whole location cannot be read.
        record_error: yielded (not raised) for one unreadable record.
        required_column: a column a table (CSV) must have in its header, if any.
        columns: the documented columns, named in messages.
        fallback: the reader for a document whose suffix and type name none.
    """

    name: str
    noun: str
    location_error: type[ClaimtrackError]
    record_error: type[ClaimtrackError]
    fallback: Callable[[Document], str]
    required_column: str | None = None
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """The bytes of one file, URL answer or stdin, with what tells its format."""

    name: str  # shown in messages: a path, a URL or "stdin"
    data: bytes
    suffix: str = ""  # ".csv"; "" when the name has none
    content_type: str = ""  # a URL's Content-Type, lower case
    url: str | None = None  # the final URL of a fetched document
    fetched: Fetched | None = None
    given_text: str | None = None  # a document made from text already decoded

    @classmethod
    def from_text(
        cls, text: str, name: str = "", *, url: str | None = None
    ) -> Document:
        """A document of text already in memory; its format from the name's suffix."""
        suffix = Path(name).suffix.lower() if "." in name else ""
        return cls(name=name, data=b"", suffix=suffix, url=url, given_text=text)

    def text(self, kind: Kind) -> str:
        """The document as text; a fetched one by its declared charset.

        Raises:
            the kind's location_error: binary (a NUL byte) or not UTF-8.
        """
        if self.given_text is not None:
            return self.given_text
        if self.fetched is not None:
            return self.fetched.text
        if (nul := self.data.find(b"\x00")) >= 0:
            raise kind.location_error(
                f"{self.name}: looks like a binary file, not text (a NUL byte at byte "
                f"{nul:,}). Give a text, HTML, JSON or CSV file."
            )
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise kind.location_error(
                f"{self.name}: not valid UTF-8 (byte {error.start}). "
                f"Convert it first, e.g. 'iconv -f latin1 -t utf-8 {self.name}'."
            ) from None


@dataclass(frozen=True)
class Record:
    """One raw record: a dict of columns (a CSV row) or a decoded JSON document."""

    where: str  # "news.csv, row 3": the start of every message about it
    value: Any
    # The record is meant to be exactly one item (a JSON Lines line), so one that
    # holds none is an error; otherwise only records that look like an item are.
    strict: bool = False


# What a reader yields: records, and errors for the records it could not read.
Item = Record | ClaimtrackError
ReadFunction = Callable[[Document, Kind], Iterable[Item]]


@dataclass(frozen=True)
class Reader:
    """One input format.

    Attributes:
        name: short name, e.g. "csv".
        read: ``read(document, kind)`` yields Records (and error values).
        suffixes: file suffixes it reads, lower case with the dot.
        content_types: substrings of a URL's Content-Type it reads ("rss").
        kinds: which kinds of input it serves (articles, fact-checks or both).
        tabular: its records are rows of strings (a CSV) rather than JSON documents.
    """

    name: str
    read: ReadFunction
    suffixes: tuple[str, ...] = ()
    content_types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = (ARTICLES, FACT_CHECKS)
    tabular: bool = False


def get_readers(kind: Kind) -> dict[str, Reader]:
    """Every reader registered for this kind of input, by name (a plugin's last)."""
    from claimtrack.plugins import load_plugins, pm

    load_plugins()
    readers: dict[str, Reader] = {}

    def register(reader: Reader) -> None:
        if kind.name in reader.kinds:
            readers[reader.name] = reader

    # pluggy calls the last registered plugin first: reverse, so that a plugin
    # registered later replaces a built-in reader of the same name.
    for implementation in reversed(pm.hook.register_readers.get_hookimpls()):
        implementation.function(register=register)
    return readers


def suffixes(kind: Kind) -> set[str]:
    """The file suffixes read from a folder for this kind."""
    return {suffix for r in get_readers(kind).values() for suffix in r.suffixes}


def choose_reader(document: Document, kind: Kind) -> Reader:
    """The reader for a document: by Content-Type, then suffix, then the fallback.

    Of the readers whose Content-Type pattern matches, the longest pattern wins:
    "application/xhtml+xml" is HTML ("html") rather than a feed ("xml").
    """
    readers = get_readers(kind)
    matches = [
        (len(pattern), reader)
        for reader in readers.values()
        for pattern in reader.content_types
        if document.content_type and pattern in document.content_type
    ]
    if matches:
        return max(matches, key=lambda match: match[0])[1]
    for reader in readers.values():
        if document.suffix and document.suffix in reader.suffixes:
            return reader
    return readers[kind.fallback(document)]


def read_document(document: Document, kind: Kind) -> tuple[Reader, Iterable[Item]]:
    """The reader chosen for a document, and the records it reads from it."""
    reader = choose_reader(document, kind)
    return reader, reader.read(document, kind)


# ---- locations: files, folders, URLs, stdin ---------------------------------------


Opener = Callable[[], Document]


def expand(
    locations: Iterable[str | Path], kind: Kind, *, timeout: float | None = None
) -> Iterator[tuple[str, Opener]]:
    """Each location as (name, open): a folder gives its files, recursively.

    In folders only files with a registered suffix are read (README.md and images
    are not); hidden files are skipped. Opening a document may raise the kind's
    location_error (missing, unreadable, too large, a URL that fails).
    """
    for location in locations:
        text = str(location)
        if _URL.match(text):
            yield text, _url_opener(text, kind, timeout)
        elif text == STDIN:
            yield STDIN_NAME, lambda: read_stdin(kind)
        elif (path := Path(location)).is_dir():
            wanted = suffixes(kind)
            for file in sorted(path.rglob("*")):
                if (
                    file.suffix.lower() in wanted
                    and not file.name.startswith(".")
                    and file.is_file()
                ):
                    yield display_name(file), _file_opener(file, kind)
        else:
            yield display_name(text), _file_opener(path, kind)


def _url_opener(url: str, kind: Kind, timeout: float | None) -> Opener:
    return lambda: read_url_document(
        url, kind, timeout=FETCH_TIMEOUT_SECONDS if timeout is None else timeout
    )


def _file_opener(path: Path, kind: Kind) -> Opener:
    return lambda: read_file_document(path, kind)


def read_file_document(path: Path, kind: Kind) -> Document:
    """One file as a document (see :func:`read_regular_file`)."""
    name = display_name(path)
    return Document(
        name=name,
        data=read_regular_file(path, name, error=kind.location_error),
        suffix=path.suffix.lower(),
    )


def read_url_document(
    url: str, kind: Kind, *, timeout: float = FETCH_TIMEOUT_SECONDS
) -> Document:
    """Fetch a URL, bounded in size and time (:func:`claimtrack.fetch.fetch`).

    Raises:
        FetchError, or the kind's location_error when it is not an ArticleError.
    """
    try:
        response = fetch(url, timeout=timeout)
    except FetchError as error:
        if isinstance(error, kind.location_error):
            raise
        raise kind.location_error(str(error)) from None
    return document_from_response(url, response)


def document_from_response(url: str, response: Fetched) -> Document:
    """A fetched answer as a document: its suffix from the URL path."""
    return Document(
        name=url,
        data=response.content,
        suffix=Path(urlsplit(url).path).suffix.lower(),
        content_type=response.content_type,
        url=response.url,
        fetched=response,
    )


def read_stdin(kind: Kind) -> Document:
    """Standard input as one document, read up to the size of one file."""
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise kind.location_error(
            f"{STDIN_NAME}: more than the {MAX_FILE_BYTES:,} bytes allowed for one "
            "input. Split it into files."
        )
    return Document(name=STDIN_NAME, data=data)


def display_name(path: str | Path) -> str:
    """A path as text that can be printed and stored.

    A file name that is not valid UTF-8 reaches Python with surrogate escapes,
    which neither the terminal nor SQLite accept; they are shown as U+FFFD.
    """
    raw = str(path).encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "replace")


def read_regular_file(
    path: Path, source: str, *, error: type[ClaimtrackError] | None = None
) -> bytes:
    """Read a regular file whole, refusing devices, pipes and oversized files.

    /dev/zero or a FIFO would be read until memory runs out; so would a 20 GB dump.

    Raises:
        error (ArticleError by default): the path is missing, not a regular file,
            too large or unreadable.
    """
    if error is None:
        from claimtrack.errors import ArticleError

        error = ArticleError
    try:
        info = path.stat()
    except FileNotFoundError:
        raise error(f"{source}: no such file or folder.") from None
    except OSError as failure:
        raise error(f"{source}: cannot read it ({failure.strerror}).") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(
            f"{source}: not a regular file (a device, pipe or socket). "
            "Give a text, HTML, JSON, CSV or feed file."
        )
    if info.st_size > MAX_FILE_BYTES:
        raise error(
            f"{source}: {info.st_size:,} bytes is more than the {MAX_FILE_BYTES:,} "
            "allowed for one file. Split it into smaller files."
        )
    try:
        with path.open("rb") as file:
            return file.read(MAX_FILE_BYTES + 1)
    except OSError as failure:
        raise error(f"{source}: cannot read it ({failure.strerror}).") from None


# ---- the formats both kinds share: CSV, JSON Lines, JSON ----------------------------


def csv_records(
    document: Document, kind: Kind, *, delimiter: str = ","
) -> Iterator[Item]:
    """One record per CSV row: a dict of the non-empty cells, by header name.

    Rows are numbered as a spreadsheet numbers them (the header is row 1).
    """
    text = document.text(kind)
    name = document.name
    # A cell may be as long as an article: csv's default cell limit is 131,072
    # characters. The limit is process-wide; raising it harms nothing.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_ARTICLE_CHARS + 1))
    # newline=None reads "\r", "\n" and "\r\n" line endings alike.
    reader = csv.DictReader(io.StringIO(text, newline=None), delimiter=delimiter)
    try:
        columns = reader.fieldnames or []
    except csv.Error as error:
        raise kind.location_error(
            f"{name}: not a readable CSV header ({error})."
        ) from None
    if kind.required_column and kind.required_column not in columns:
        raise kind.location_error(
            f"{name}: CSV needs a header with a '{kind.required_column}' column "
            f"(columns: {', '.join(kind.columns)})."
        )
    row_number = 1
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield kind.record_error(
                f"{name}, line {line}: not readable CSV ({error}). Fix the row."
            )
            continue
        row_number += 1
        where = f"{name}, row {row_number}"
        if None in row:  # more values than the header has columns
            yield kind.record_error(
                f"{where}: {len(columns) + len(row[None])} values for "
                f"{len(columns)} columns. Quote values that hold commas."
            )
            continue
        yield Record(where, dict(row))


def jsonl_records(document: Document, kind: Kind) -> Iterator[Item]:
    """One record per non-blank line of JSON Lines, numbered from 1."""
    # Lines end at "\n" only: str.splitlines() would also cut a line at U+2028,
    # U+2029 or U+0085, which JSON allows raw inside strings.
    for number, line in enumerate(document.text(kind).split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{document.name}, line {number}"
        try:
            yield Record(where, json.loads(line), strict=True)
        except json.JSONDecodeError as error:
            yield kind.record_error(
                f"{where}: not JSON ({error.msg} at column {error.colno}). "
                "Fix the line or remove it."
            )
        except RecursionError:
            yield kind.record_error(
                f"{where}: JSON nested too deeply to be {kind.noun}. Remove the line."
            )


def json_records(document: Document, kind: Kind) -> Iterator[Item]:
    """The items of a JSON array ("item N"), or a single JSON document."""
    try:
        data = json.loads(document.text(kind))
    except json.JSONDecodeError as error:
        raise kind.location_error(
            f"{document.name}: not valid JSON ({error.msg}, line {error.lineno})."
        ) from None
    except RecursionError:
        raise kind.location_error(
            f"{document.name}: JSON nested too deeply. "
            f"Give an array of {kind.noun.split()[-1]} objects."
        ) from None
    if not isinstance(data, list):
        yield Record(document.name, data)
        return
    for number, record in enumerate(data, start=1):
        yield Record(f"{document.name}, item {number}", record)


def is_json_lines(text: str) -> bool:
    """Whether text looks like JSON Lines: two lines or more, the first one JSON."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return False
    try:
        json.loads(lines[0])
    except (json.JSONDecodeError, RecursionError):
        return False
    return True


# Fact-checks read JSON with their own reader (it also sniffs HTML and JSON Lines
# in a .json file, as fact-checkers' exports come); see claimtrack.factchecks.read.
SHARED_READERS = (
    Reader(
        "csv", csv_records, suffixes=(".csv",), content_types=("csv",), tabular=True
    ),
    Reader(
        "jsonl",
        jsonl_records,
        suffixes=(".jsonl", ".ndjson"),
        content_types=("ndjson",),
    ),
    Reader(
        "json",
        json_records,
        suffixes=(".json",),
        content_types=("json",),
        kinds=(ARTICLES,),
    ),
)


@hookimpl
def register_readers(register: Callable[[Reader], None]) -> None:
    """The built-in readers both kinds share."""
    for reader in SHARED_READERS:
        register(reader)
