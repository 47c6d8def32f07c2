"""Publication dates as ISO 8601 UTC, or refused: never a string kept as given.

Every ``published`` value that enters claimtrack (feeds, HTML metadata, JSON, CSV,
``ingest --published``, a library ``Article``) goes through :func:`parse_date`.
A date without a time stays a day, ``2021-09-06``; a date with a time becomes UTC,
``2021-09-06T08:00:00Z``. Both forms compare correctly as text (a day sorts before
every time of that day), which is what SQLite's ``min``/``max``/``order by`` do.

Parsing is dateparser's (French and English month and day names, RFC 2822 feed
dates, numeric dates); only absolute, complete dates are accepted: "hier",
"yesterday", "Sep 2021" and "2022-13-45" are refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from claimtrack.errors import ArticleError

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

# Languages whose month and day names are understood, besides numeric forms.
DATE_LANGUAGES = ("fr", "en", "de", "es", "it", "pt", "nl")
# A value longer than this is not a date, whatever it holds (dateparser is slow on
# long text, and a whole paragraph in the date column is a mistake).
MAX_DATE_CHARS = 100
# Four-digit years only: ISO 8601 text order needs them.
EARLIEST_YEAR = 1000
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class DateError(ArticleError):
    """A publication date that is not a complete, absolute date."""


def parse_date(value: Any, *, where: str | None = None) -> str | None:
    """Return a date as ISO 8601 UTC text, None when there is none.

    Args:
        value: a date as text (any common format, French or English), a
            ``datetime``/``date``, or None/"" for "date unknown".
        where: the source named in the error message.

    Raises:
        DateError: the value is not a complete, absolute date.

    Example:
        >>> parse_date("Mon, 06 Sep 2021 10:00:00 +0200")
        '2021-09-06T08:00:00Z'
        >>> parse_date("6 septembre 2021")
        '2021-09-06'
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _format_datetime(value)
    if isinstance(value, date):
        return _format_day(value)
    text = " ".join(str(value).split())
    if not text:
        return None
    parsed = _parse_text(text) if len(text) <= MAX_DATE_CHARS else None
    if parsed is None:
        shown = text if len(text) <= 40 else text[:40] + "…"
        prefix = f"{where}: " if where else ""
        raise DateError(
            f"{prefix}published {shown!r} is not a date. Give a full date such as "
            "2022-03-01 or 2022-03-01T14:30:00+01:00, or leave it out."
        )
    return parsed


def parse_date_or_none(value: Any) -> str | None:
    """Return :func:`parse_date` of value, or None when it is not a date."""
    try:
        return parse_date(value)
    except DateError:
        return None


def _parse_text(text: str) -> str | None:
    """ISO 8601 and RFC 2822 first (exact and fast), then dateparser."""
    if _ISO_DAY.match(text):
        try:
            return _format_day(date.fromisoformat(text))
        except ValueError:
            return None  # "2022-13-45": ISO in form, not a day of the calendar
    if _ISO_PREFIX.match(text):
        try:
            return _format_datetime(datetime.fromisoformat(text.replace(" ", "T", 1)))
        except ValueError:
            pass
    if "," in text and ":" in text:  # RSS pubDate: "Mon, 06 Sep 2021 10:00:00 GMT"
        try:
            return _format_datetime(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            pass
    return _parse_with_dateparser(text)


def _parse_with_dateparser(text: str) -> str | None:
    try:
        data = _parser().get_date_data(text)
    except (ValueError, OverflowError, TypeError, RecursionError):
        return None
    if data.date_obj is None:
        return None
    if data.period == "time":
        return _format_datetime(data.date_obj)
    return _format_day(data.date_obj.date())


@cache
def _parser() -> DateDataParser:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=list(DATE_LANGUAGES),
        settings={
            # No relative dates ("hier", "2 days ago"), no bare timestamps.
            "PARSERS": ["custom-formats", "absolute-time"],
            # "Sep 2021" would otherwise become the current day of that month.
            "REQUIRE_PARTS": ["day", "month", "year"],
            "STRICT_PARSING": True,
            # 06/09/2021 is 6 September, as in France and most of the world.
            "DATE_ORDER": "DMY",
            # A time without a zone is taken as UTC.
            "TIMEZONE": "UTC",
            "TO_TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": True,
            # Tells "6 Sep 2021" (a day) from "6 Sep 2021 00:00" (a time).
            "RETURN_TIME_AS_PERIOD": True,
        },
    )


def _format_datetime(value: datetime) -> str | None:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        value = value.astimezone(UTC)
    except OverflowError:
        return None
    if value.year < EARLIEST_YEAR:
        return None
    return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _format_day(value: date) -> str | None:
    return value.isoformat() if value.year >= EARLIEST_YEAR else None
