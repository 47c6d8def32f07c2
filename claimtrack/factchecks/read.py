"""Fact-checks from records: JSON, JSON Lines, HTML pages, CSV, vclaims, plugins'.

Files, folders, URLs and stdin are read by the one record reader
(:mod:`claimtrack.sources.records`), which articles use too; this module registers the
fact-check formats (pages with ClaimReview markup, JSON that may be JSON Lines) and
turns each record into ``FactCheckRecord`` values.

CSV files have one review per row. The columns (all optional but ``claim_reviewed``)
are documented in ``CSV_COLUMNS``; the DataCommons export names (``claim_text``,
``review_rating``, ``reviewer_name``, ``review_url``, ``review_date``,
``claim_author_name``) are accepted too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimtrack.errors import FactCheckError, ReviewError
from claimtrack.factchecks.parse import (
    is_claim_review,
    make_fact_check_id,
    parse_document,
)
from claimtrack.factchecks.ratings import normalise_rating
from claimtrack.hookspecs import hookimpl
from claimtrack.models import FactCheck, FactCheckRecord
from claimtrack.settings import FETCH_TIMEOUT_SECONDS
from claimtrack.sources import records
from claimtrack.sources.articles import detect_language
from claimtrack.sources.records import FACT_CHECKS, Document, Kind, Reader, Record

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


def _fallback(document: Document) -> str:
    # A file or answer of unknown type: HTML, JSON Lines or JSON, by its content.
    return "json"


# A file of many reviews (JSON Lines, CSV, a JSON list) yields a bad review as a
# ReviewError value instead of raising it, so the reviews after it are still read; a
# location that cannot be read at all raises a FactCheckError.
FACT_CHECK_KIND = Kind(
    FACT_CHECKS,
    "a review",
    location_error=FactCheckError,
    record_error=ReviewError,
    fallback=_fallback,
    columns=tuple(CSV_COLUMNS),
)
Item = FactCheckRecord | ReviewError
ErrorHandler = Callable[[FactCheckError], None]


def read_fact_checks(
    locations: Iterable[str | Path], *, on_error: ErrorHandler | None = None
) -> Iterator[FactCheckRecord]:
    """Yield the fact-checks in files, folders (recursively), http(s) URLs and stdin.

    In folders, only files with a suffix a reader registers are read (by default
    .json, .jsonld, .jsonl, .ndjson, .html, .htm, .csv).

    Args:
        on_error: called with the error of each unreadable line, row, review or
            location, which is then skipped and the rest read. Without it, the first
            error is raised.

    Raises:
        FactCheckError: a location is missing, unreadable, or holds no fact-check,
            or one of its reviews is unreadable (and no on_error was given).
    """
    for where, open_document in records.expand(locations, FACT_CHECK_KIND):
        try:
            found = skipped = 0
            for item in document_fact_checks(open_document()):
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


def document_fact_checks(document: Document) -> Iterator[Item]:
    """The fact-checks of one document, and an error value for each bad review.

    Raises:
        FactCheckError: the document cannot be read at all.
    """
    reader, items = records.read_document(document, FACT_CHECK_KIND)
    yield from _fact_checks(reader, items)


def _fact_checks(reader: Reader, items: Iterable[records.Item]) -> Iterator[Item]:
    for item in items:
        if not isinstance(item, Record):
            yield ReviewError(str(item))
        elif reader.tabular:
            yield _csv_record(item.value, item.where)
        else:
            yield from _document_items(item.value, item.where, strict=item.strict)


def read_file(path: Path) -> Iterator[FactCheckRecord]:
    """Yield the fact-checks in one regular file, by its extension and content.

    Raises:
        FactCheckError: the file, or one of its reviews, cannot be read.
    """
    document = records.read_file_document(path, FACT_CHECK_KIND)
    yield from _raise_errors(document_fact_checks(document))


def read_url(
    url: str, *, timeout: float = FETCH_TIMEOUT_SECONDS
) -> Iterator[FactCheckRecord]:
    """Fetch a URL and read the fact-checks in it (an HTML page or a JSON document).

    Raises:
        FactCheckError: the URL cannot be fetched or answers with an error status.
    """
    document = records.read_url_document(url, FACT_CHECK_KIND, timeout=timeout)
    yield from _raise_errors(document_fact_checks(document))


def parse_text(text: str, *, name: str = "") -> Iterator[FactCheckRecord]:
    """Yield the fact-checks in HTML, CSV, JSON or JSON Lines, by name or content."""
    yield from _raise_errors(document_fact_checks(Document.from_text(text, name)))


def parse_html(html: str, *, url: str | None = None) -> Iterator[FactCheckRecord]:
    """Yield the ClaimReviews in a page's JSON-LD scripts and microdata (extruct)."""
    yield from _parse("html", html, url or "the page", url=url)


def parse_jsonl(text: str, *, name: str = "") -> Iterator[FactCheckRecord]:
    """Yield the fact-checks of JSON Lines: ClaimReview documents or vclaims."""
    yield from _parse("jsonl", text, name)


def parse_csv(text: str) -> Iterator[FactCheckRecord]:
    """Yield one fact-check per CSV row with a claim (columns: ``CSV_COLUMNS``)."""
    yield from _parse("csv", text, "CSV")


def _parse(
    reader_name: str, text: str, name: str, *, url: str | None = None
) -> Iterator[FactCheckRecord]:
    reader = records.get_readers(FACT_CHECK_KIND)[reader_name]
    document = Document.from_text(text, name, url=url)
    items = reader.read(document, FACT_CHECK_KIND)
    yield from _raise_errors(_fact_checks(reader, items))


def _raise_errors(items: Iterable[Item]) -> Iterator[FactCheckRecord]:
    for item in items:
        if isinstance(item, ReviewError):
            raise item
        yield item


# ---- the fact-check formats: pages with JSON-LD, JSON that may be JSON Lines -------


def _html_records(document: Document, kind: Kind) -> Iterator[Record]:
    """The JSON-LD and microdata nodes of a page (extruct), each a record."""
    import extruct

    data = extruct.extract(
        document.text(kind),
        base_url=document.url,
        syntaxes=["json-ld", "microdata"],
        uniform=True,
    )
    for syntax in ("json-ld", "microdata"):
        for number, node in enumerate(data.get(syntax, []), start=1):
            yield Record(f"{document.name}, {syntax} {number}", node)


def _json_records(document: Document, kind: Kind) -> Iterable[records.Item]:
    """JSON, or what a .json export often is instead: a page, or JSON Lines."""
    start = document.text(kind).lstrip()[:1]
    if start == "<":
        return _html_records(document, kind)
    if start == "{" and records.is_json_lines(document.text(kind)):
        return records.jsonl_records(document, kind)
    return records.json_records(document, kind)


FACT_CHECK_READERS = (
    Reader(
        "html",
        _html_records,
        suffixes=(".html", ".htm"),
        content_types=("html",),
        kinds=(FACT_CHECKS,),
    ),
    Reader(
        "json",
        _json_records,
        suffixes=(".json", ".jsonld"),
        content_types=("json",),
        kinds=(FACT_CHECKS,),
    ),
)


@hookimpl
def register_readers(register: Callable[[Reader], None]) -> None:
    """The fact-check formats: pages with ClaimReview markup, and JSON documents."""
    for reader in FACT_CHECK_READERS:
        register(reader)


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


def _politifact_date(url: str | None) -> str | None:
    """The review date in a PolitiFact URL: /factchecks/2019/oct/30/x -> 2019-10-30."""
    parts = (url or "").split("/factchecks/", 1)[-1].split("/")
    if len(parts) < 3 or not parts[0].isdigit() or parts[1] not in _MONTHS:
        return None
    if not parts[2].isdigit():
        return None
    return f"{parts[0]}-{_MONTHS[parts[1]]:02d}-{int(parts[2]):02d}"
