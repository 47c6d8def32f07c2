"""Inputs: articles and fact-checks from files, folders, URLs, feeds and stdin.

:mod:`claimtrack.sources.records` is the one record reader (locations to raw
records, by format, with the ``register_readers`` plugin hook);
:mod:`claimtrack.sources.articles` turns records into ``Article`` values and
:mod:`claimtrack.factchecks.read` turns them into fact-checks.
The names below are the ones other modules import.
"""

from claimtrack.settings import FETCH_TIMEOUT_SECONDS
from claimtrack.sources.articles import (
    COLUMNS,
    clean_outlet,
    complete,
    detect_language,
    document_articles,
    feed_records,
    guess_title,
    html_to_text,
    outlet_from_url,
    parse_csv,
    parse_feed,
    parse_html,
    parse_json,
    parse_jsonl,
    parse_text,
    read_articles,
    read_file,
    read_url,
)
from claimtrack.sources.articles import _feed_items as _feed_items
from claimtrack.sources.records import (
    Document,
    Kind,
    Reader,
    Record,
    csv_records,
    display_name,
    get_readers,
    json_records,
    jsonl_records,
    read_regular_file,
)

# The names these had before the sources package; tests and older callers use them.
_complete = complete
_html_to_text = html_to_text

__all__ = [
    "COLUMNS",
    "FETCH_TIMEOUT_SECONDS",
    "Document",
    "Kind",
    "Reader",
    "Record",
    "clean_outlet",
    "complete",
    "csv_records",
    "detect_language",
    "display_name",
    "document_articles",
    "feed_records",
    "get_readers",
    "guess_title",
    "html_to_text",
    "json_records",
    "jsonl_records",
    "outlet_from_url",
    "parse_csv",
    "parse_feed",
    "parse_html",
    "parse_json",
    "parse_jsonl",
    "parse_text",
    "read_articles",
    "read_file",
    "read_regular_file",
    "read_url",
]
