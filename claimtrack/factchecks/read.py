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
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from claimtrack.errors import ArticleError, FactCheckError, FetchError
from claimtrack.factchecks.parse import (
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


def read_fact_checks(locations: Iterable[str | Path]) -> Iterator[FactCheckRecord]:
    """Yield the fact-checks in files, folders (recursively) and http(s) URLs.

    In folders, only files ending in one of ``FOLDER_SUFFIXES`` are read.

    Raises:
        FactCheckError: a location is missing, unreadable, or holds no fact-check.
    """
    for location in locations:
        text = str(location)
        if text.startswith(("http://", "https://")):
            yield from _require(read_url(text), text)
        elif Path(text).is_dir():
            for path in sorted(Path(text).rglob("*")):
                if path.suffix.lower() in FOLDER_SUFFIXES and not path.name.startswith(
                    "."
                ):
                    yield from _require(read_file(path), str(path))
        else:
            yield from _require(read_file(Path(text)), text)


def read_file(path: Path) -> Iterator[FactCheckRecord]:
    """Yield the fact-checks in one regular file, by its extension and content."""
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
    yield from parse_text(text, name=display_name(path.name))


def parse_text(text: str, *, name: str = "") -> Iterator[FactCheckRecord]:
    """Yield the fact-checks in HTML, CSV, JSON or JSON Lines, by name or content."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    start = text.lstrip()[:1]
    if suffix in ("html", "htm") or start == "<":
        yield from parse_html(text)
    elif suffix == "csv":
        yield from parse_csv(text)
    elif suffix in ("jsonl", "ndjson") or (start == "{" and _is_json_lines(text)):
        yield from parse_jsonl(text, name=name)
    else:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise FactCheckError(f"{name}: not valid JSON ({error}).") from None
        except RecursionError:
            raise FactCheckError(f"{name}: JSON nested too deeply.") from None
        yield from parse_document(document)


def parse_html(html: str, *, url: str | None = None) -> Iterator[FactCheckRecord]:
    """Yield the ClaimReviews in a page's JSON-LD scripts and microdata (extruct)."""
    import extruct

    data = extruct.extract(
        html, base_url=url, syntaxes=["json-ld", "microdata"], uniform=True
    )
    for syntax in ("json-ld", "microdata"):
        yield from parse_document(data.get(syntax, []))


def parse_jsonl(text: str, *, name: str = "") -> Iterator[FactCheckRecord]:
    """Yield the fact-checks of JSON Lines: ClaimReview documents or vclaims."""
    # Lines end at "\n" only: JSON strings may hold raw U+2028, U+2029 and U+0085.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            document = json.loads(line)
        except json.JSONDecodeError as error:
            raise FactCheckError(f"{name} line {number}: not JSON ({error}).") from None
        except RecursionError:
            raise FactCheckError(
                f"{name} line {number}: JSON nested too deeply."
            ) from None
        if isinstance(document, Mapping) and "vclaim_id" in document:
            if record := vclaim_record(document):
                yield record
        else:
            yield from parse_document(document)


def parse_csv(text: str) -> Iterator[FactCheckRecord]:
    """Yield one fact-check per CSV row with a claim (columns: ``CSV_COLUMNS``)."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_ARTICLE_CHARS + 1))
    reader = csv.DictReader(io.StringIO(text, newline=None))
    try:
        rows = list(reader)
    except csv.Error as error:
        raise FactCheckError(
            f"CSV line {reader.line_num}: not readable CSV ({error})."
        ) from None
    for row in rows:
        fields = {
            _CSV_ALIASES.get(key.strip().lower(), key.strip().lower()): (
                value or ""
            ).strip()
            for key, value in row.items()
            if isinstance(key, str) and isinstance(value, str)
        }
        claim = fields.get("claim_reviewed", "")
        if not claim:
            continue
        url, reviewer = fields.get("url") or None, fields.get("reviewer") or None
        rating_text = fields.get("rating_text") or None
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
        yield FactCheckRecord(fact_check=fact_check, raw=dict(row))


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
    try:
        response = fetch(url, timeout=timeout)
    except FetchError as error:
        raise FactCheckError(str(error)) from None
    if "html" in response.content_type:
        yield from parse_html(response.text, url=response.url)
    else:
        yield from parse_text(response.text, name=url.rsplit("/", 1)[-1])


def _require(
    records: Iterator[FactCheckRecord], where: str
) -> Iterator[FactCheckRecord]:
    found = False
    for record in records:
        found = True
        yield record
    if not found:
        raise FactCheckError(
            f"{where}: no ClaimReview found. Give ClaimReview JSON-LD, an HTML page "
            "that embeds it, a Fact Check Tools API response, a DataFeed, a CSV "
            "or a vclaims.jsonl file."
        )


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
