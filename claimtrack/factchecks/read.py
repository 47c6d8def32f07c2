"""Read fact-checks from files and URLs: JSON, JSON Lines, HTML pages, CSV, vclaims.

CSV files have one review per row. The columns (all optional but ``claim_reviewed``)
are documented in ``CSV_COLUMNS``; the DataCommons export names (``claim_text``,
``review_rating``, ``reviewer_name``, ``review_url``, ``review_date``,
``claim_author_name``) are accepted too.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimtrack.errors import ArticleError, FactCheckError, FetchError, ReviewError
from claimtrack.factchecks.parse import (
    is_claim_review,
    make_fact_check_id,
    parse_document,
)
from claimtrack.factchecks.ratings import normalise_rating
from claimtrack.fetch import fetch
from claimtrack.models import FactCheck, FactCheckRecord
from claimtrack.settings import FETCH_TIMEOUT_SECONDS, MAX_ARTICLE_CHARS
from claimtrack.sources import detect_language, display_name, read_regular_file

CSV_COLUMNS = {
    "claim_reviewed": "the claim, as the fact-checker states it (required)",
    "claimant": "who made the claim",
    "rating_text": "the verdict as published, e.g. 'Faux' or 'Mostly False'",
    "rating_value": "ratingValue, when the verdict is numeric",
    "best_rating": "bestRating (default 5)",
    "worst_rating": "worstRating (default 1)",
    "reviewer": "the fact-checking organisation",
    "url": "the fact-check article",
    "published": "when the fact-check was published (ISO 8601)",
    "language": "ISO 639-1 code of the fact-check",
}
_CSV_ALIASES = {
    "claim_text": "claim_reviewed",
    "claimreviewed": "claim_reviewed",
    "review_rating": "rating_text",
    "textual_rating": "rating_text",
    "reviewer_name": "reviewer",
    "review_url": "url",
    "review_date": "published",
    "claim_author_name": "claimant",
}
POLITIFACT = "https://www.politifact.com"
# Files read from a folder; other files (README.md, images) are ignored.
FOLDER_SUFFIXES = (".json", ".jsonld", ".jsonl", ".ndjson", ".html", ".htm", ".csv")
_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "jan",
            "feb",
            "mar",
            "apr",
            "may",
            "jun",
            "jul",
            "aug",
            "sep",
            "oct",
            "nov",
            "dec",
        ],
        start=1,
    )
}


# A file of many reviews (JSON Lines, CSV, a JSON list) yields a bad review as a
# ReviewError value instead of raising it, so the reviews after it are still read; a
# location that cannot be read at all raises a FactCheckError.
Item = FactCheckRecord | ReviewError
ErrorHandler = Callable[[FactCheckError], None]


def read_fact_checks(
    locations: Iterable[str | Path], *, on_error: ErrorHandler | None = None
) -> Iterator[FactCheckRecord]:
    """Yield the fact-checks in files, folders (recursively) and http(s) URLs.

    In folders, only files ending in one of ``FOLDER_SUFFIXES`` are read.

    Args:
        on_error: called with the error of each unreadable line, row, review or
            location, which is then skipped and the rest read. Without it, the first
            error is raised.

    Raises:
        FactCheckError: a location is missing, unreadable, or holds no fact-check,
            or one of its reviews is unreadable (and no on_error was given).
    """
    for where, items in _expand(locations):
        try:
            found = skipped = 0
            for item in items():
                if isinstance(item, FactCheckRecord):
                    found += 1
                    yield item
                elif on_error is None:
                    raise item
                else:
                    skipped += 1
                    on_error(item)
            if not found and not skipped:
                raise FactCheckError(
                    f"{where}: no ClaimReview found. Give ClaimReview JSON-LD, an "
                    "HTML page that embeds it, a Fact Check Tools API response, a "
                    "DataFeed, a CSV or a vclaims.jsonl file."
                )
        except FactCheckError as error:
            if on_error is None:
                raise
            on_error(error)


def _expand(
    locations: Iterable[str | Path],
) -> Iterator[tuple[str, Callable[[], Iterable[Item]]]]:
    for location in locations:
        text = str(location)
        if text.startswith(("http://", "https://")):
            yield text, partial(_url_items, text)
        elif Path(text).is_dir():
            for path in sorted(Path(text).rglob("*")):
                if path.suffix.lower() in FOLDER_SUFFIXES and not path.name.startswith(
                    "."
                ):
                    yield display_name(path), partial(_file_items, path)
        else:
            yield display_name(text), partial(_file_items, Path(text))


def read_file(path: Path) -> Iterator[FactCheckRecord]:
    """Yield the fact-checks in one regular file, by its extension and content.

    Raises:
        FactCheckError: the file, or one of its reviews, cannot be read.
    """
    yield from _raise_errors(_file_items(path))


def _file_items(path: Path) -> Iterator[Item]:
    name = display_name(path)
    try:
        data = read_regular_file(path, name)
    except ArticleError as error:
        raise FactCheckError(
            str(error).replace("no such file or folder", "no such file")
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FactCheckError(
            f"{name}: not valid UTF-8 (byte {error.start}). Convert it to UTF-8 first."
        ) from None
    if "\x00" in text:
        raise FactCheckError(f"{name}: holds NUL bytes; give a text file.")
    yield from _text_items(text, name)


def parse_text(text: str, *, name: str = "") -> Iterator[FactCheckRecord]:
    """Yield the fact-checks in HTML, CSV, JSON or JSON Lines, by name or content."""
    yield from _raise_errors(_text_items(text, name))


def _text_items(text: str, name: str, *, url: str | None = None) -> Iterator[Item]:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    start = text.lstrip()[:1]
    if suffix in ("html", "htm") or start == "<":
        yield from _html_items(text, name, url=url)
    elif suffix == "csv":
        yield from _csv_items(text, name)
    elif suffix in ("jsonl", "ndjson") or (start == "{" and _is_json_lines(text)):
        yield from _jsonl_items(text, name)
    else:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise FactCheckError(f"{name}: not valid JSON ({error}).") from None
        except RecursionError:
            raise FactCheckError(f"{name}: JSON nested too deeply.") from None
        if isinstance(document, list):  # each review on its own: one bad is skipped
            for number, item in enumerate(document, start=1):
                yield from _document_items(item, f"{name}, item {number}", strict=False)
        else:
            yield from _document_items(document, name, strict=False)


def parse_html(html: str, *, url: str | None = None) -> Iterator[FactCheckRecord]:
    """Yield the ClaimReviews in a page's JSON-LD scripts and microdata (extruct)."""
    yield from _raise_errors(_html_items(html, url or "the page", url=url))


def _html_items(html: str, name: str, *, url: str | None = None) -> Iterator[Item]:
    import extruct

    data = extruct.extract(
        html, base_url=url, syntaxes=["json-ld", "microdata"], uniform=True
    )
    for syntax in ("json-ld", "microdata"):
        for number, node in enumerate(data.get(syntax, []), start=1):
            yield from _document_items(node, f"{name}, {syntax} {number}", strict=False)


def parse_jsonl(text: str, *, name: str = "") -> Iterator[FactCheckRecord]:
    """Yield the fact-checks of JSON Lines: ClaimReview documents or vclaims."""
    yield from _raise_errors(_jsonl_items(text, name))


def _jsonl_items(text: str, name: str) -> Iterator[Item]:
    # Lines end at "\n" only: JSON strings may hold raw U+2028, U+2029 and U+0085.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name}, line {number}"
        try:
            document = json.loads(line)
        except json.JSONDecodeError as error:
            yield ReviewError(
                f"{where}: not JSON ({error.msg} at column {error.colno}). "
                "Fix the line or remove it."
            )
            continue
        except RecursionError:
            yield ReviewError(
                f"{where}: JSON nested too deeply to be a review. Remove the line."
            )
            continue
        yield from _document_items(document, where, strict=True)


def _document_items(document: Any, where: str, *, strict: bool) -> Iterator[Item]:
    """The reviews in one decoded JSON document, or the error that skips it.

    Args:
        strict: the document is meant to be one review (a JSON Lines line), so
            finding none is an error; otherwise only a ClaimReview without the claim
            it reviews is (a JSON-LD graph also holds organisations and pages).
    """
    try:
        # A "\ud800" escape decodes to a lone surrogate, which no UTF-8 text (the
        # database, the terminal) can hold: check the whole document once, in C.
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        yield ReviewError(
            f"{where}: an invalid character (a lone surrogate, "
            f"\\u{ord(error.object[error.start]):04x}). "
            "Fix the escape in the source or remove the review."
        )
        return
    except RecursionError:
        yield ReviewError(f"{where}: JSON nested too deeply to be a review. Remove it.")
        return
    try:
        if isinstance(document, Mapping) and "vclaim_id" in document:
            record = vclaim_record(document)
            records = [record] if record else []
        else:
            records = list(parse_document(document))
    except (ValidationError, ValueError, TypeError) as error:
        first_line = str(error).splitlines()[0]
        yield ReviewError(
            f"{where}: not a usable review ({first_line}). Fix it or remove it."
        )
        return
    yield from records
    if records:
        return
    if isinstance(document, Mapping) and "vclaim_id" in document:
        yield ReviewError(
            f"{where}: a vclaim without its 'vclaim' text. Add it or remove the line."
        )
    elif strict or (isinstance(document, Mapping) and is_claim_review(document)):
        yield ReviewError(
            f"{where}: no ClaimReview with the claim it reviews (claimReviewed, "
            "itemReviewed.name or a headline). Add the claim or remove the review."
        )


def parse_csv(text: str) -> Iterator[FactCheckRecord]:
    """Yield one fact-check per CSV row with a claim (columns: ``CSV_COLUMNS``)."""
    yield from _raise_errors(_csv_items(text, "CSV"))


def _csv_items(text: str, name: str) -> Iterator[Item]:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_ARTICLE_CHARS + 1))
    # newline=None reads "\r", "\n" and "\r\n" line endings alike.
    reader = csv.DictReader(io.StringIO(text, newline=None))
    try:
        columns = reader.fieldnames or []
    except csv.Error as error:
        raise FactCheckError(f"{name}: not a readable CSV header ({error}).") from None
    row_number = 1  # the header is row 1, as a spreadsheet numbers them
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield ReviewError(
                f"{name}, line {line}: not readable CSV ({error}). Fix the row."
            )
            continue
        row_number += 1
        where = f"{name}, row {row_number}"
        if None in row:  # more values than the header has columns
            yield ReviewError(
                f"{where}: {len(columns) + len(row[None])} values for "
                f"{len(columns)} columns. Quote values that hold commas."
            )
            continue
        yield _csv_record(row, where)


def _csv_record(row: Mapping[str, str | None], where: str) -> Item:
    fields = {
        _CSV_ALIASES.get(key.strip().lower(), key.strip().lower()): (
            value or ""
        ).strip()
        for key, value in row.items()
        if isinstance(key, str) and isinstance(value, str)
    }
    claim = fields.get("claim_reviewed", "")
    if not claim:
        return ReviewError(
            f"{where}: no claim_reviewed (or claim_text). Fill it in or remove the row."
        )
    url, reviewer = fields.get("url") or None, fields.get("reviewer") or None
    rating_text = fields.get("rating_text") or None
    try:
        fact_check = FactCheck(
            id=make_fact_check_id(url=url, claim_reviewed=claim, reviewer=reviewer),
            claim_reviewed=claim,
            claimant=fields.get("claimant") or None,
            rating_text=rating_text,
            rating=normalise_rating(
                rating_text,
                fields.get("rating_value") or None,
                best=fields.get("best_rating") or None,
                worst=fields.get("worst_rating") or None,
            ),
            reviewer=reviewer,
            url=url,
            published=fields.get("published") or None,
            language=(fields.get("language") or "").lower() or detect_language(claim),
        )
    except (ValidationError, ValueError) as error:
        first_line = str(error).splitlines()[0]
        return ReviewError(f"{where}: not a usable review ({first_line}). Fix the row.")
    return FactCheckRecord(fact_check=fact_check, raw=dict(row))


def vclaim_record(record: Mapping[str, Any]) -> FactCheckRecord | None:
    """Turn a CheckThat! ``vclaims.jsonl`` record (PolitiFact or Snopes) into a record.

    PolitiFact records have ``vclaim, speaker, date, truth_label, title, url`` (a path
    on politifact.com that holds the review date); Snopes records have ``vclaim,
    title, subtitle, author, date`` and sometimes ``page_url``, but no verdict.
    """
    claim = " ".join(str(record.get("vclaim") or "").split())
    if not claim:
        return None
    vclaim_id = str(record["vclaim_id"])
    politifact = vclaim_id.startswith("vclaim-pol-")
    url = str(record.get("url") or record.get("page_url") or "") or None
    if url and url.startswith("/"):
        url = POLITIFACT + url
    label = record.get("truth_label")
    rating_text = str(label) if label else None
    fact_check = FactCheck(
        id=make_fact_check_id(
            url=url, claim_reviewed=claim, reviewer=vclaim_id if not url else None
        ),
        claim_reviewed=claim,
        claimant=str(record.get("speaker") or "") or None,
        rating_text=rating_text,
        rating=normalise_rating(rating_text),
        reviewer="PolitiFact" if politifact else "Snopes",
        url=url,
        published=_politifact_date(url) if politifact else None,
        language="en",
    )
    return FactCheckRecord(fact_check=fact_check, raw=dict(record))


def read_url(
    url: str, *, timeout: float = FETCH_TIMEOUT_SECONDS
) -> Iterator[FactCheckRecord]:
    """Fetch a URL and read the fact-checks in it (an HTML page or a JSON document).

    Raises:
        FactCheckError: the URL cannot be fetched or answers with an error status.
    """
    yield from _raise_errors(_url_items(url, timeout=timeout))


def _url_items(url: str, *, timeout: float = FETCH_TIMEOUT_SECONDS) -> Iterator[Item]:
    try:
        response = fetch(url, timeout=timeout)
    except FetchError as error:
        raise FactCheckError(str(error)) from None
    if "html" in response.content_type:
        yield from _html_items(response.text, url, url=response.url)
    else:
        yield from _text_items(response.text, url.rsplit("/", 1)[-1])


def _raise_errors(items: Iterable[Item]) -> Iterator[FactCheckRecord]:
    for item in items:
        if isinstance(item, ReviewError):
            raise item
        yield item


def _is_json_lines(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return False
    try:
        json.loads(lines[0])
    except (json.JSONDecodeError, RecursionError):
        return False
    return True


def _politifact_date(url: str | None) -> str | None:
    """The review date in a PolitiFact URL: /factchecks/2019/oct/30/x -> 2019-10-30."""
    parts = (url or "").split("/factchecks/", 1)[-1].split("/")
    if len(parts) < 3 or not parts[0].isdigit() or parts[1] not in _MONTHS:
        return None
    if not parts[2].isdigit():
        return None
    return f"{parts[0]}-{_MONTHS[parts[1]]:02d}-{int(parts[2]):02d}"
