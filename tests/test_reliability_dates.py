"""Dates are dates: every published value is ISO 8601 UTC or refused (16.4, 15.3)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from claimtrack.cli import cli
from claimtrack.dates import DateError, parse_date, parse_date_or_none
from claimtrack.migrations import migrations
from claimtrack.models import Article, FactCheck
from claimtrack.sources import parse_feed, parse_html, read_articles
from claimtrack.store import ClaimStore

FAKES = ["--model", "fake", "--extractor", "fake", "--quiet"]
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$")
FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2021-09-06", "2021-09-06"),
        ("2021-09-06T10:00:00+02:00", "2021-09-06T08:00:00Z"),
        ("2021-09-06T10:00:00Z", "2021-09-06T10:00:00Z"),
        ("2021-09-06 10:00", "2021-09-06T10:00:00Z"),
        ("2021-09-06T10:00:00.123456Z", "2021-09-06T10:00:00Z"),
        ("Mon, 06 Sep 2021", "2021-09-06"),
        ("Mon, 06 Sep 2021 10:00:00 GMT", "2021-09-06T10:00:00Z"),
        ("Mon, 06 Sep 2021 10:00:00 +0200", "2021-09-06T08:00:00Z"),
        ("6 septembre 2021", "2021-09-06"),
        ("lundi 6 septembre 2021 à 14h30", "2021-09-06T14:30:00Z"),
        ("le 3 mars 2022", "2022-03-03"),
        ("September 6, 2021", "2021-09-06"),
        ("06/09/2021", "2021-09-06"),  # day first, as in France
        ("  2021-09-06  ", "2021-09-06"),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_dates_in_common_formats_become_iso_utc(given: str | None, stored: str | None):
    assert parse_date(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "hier",
        "yesterday",
        "il y a 2 jours",
        "2 days ago",
        "2022-13-45",
        "2021-02-30",
        "31/02/2021",
        "Sep 2021",
        "2021",
        "not a date",
        "12345",
        "0001-01-01",
        "2021-09-06" * 20,
    ],
)
def test_what_is_not_a_full_absolute_date_is_refused(given: str):
    with pytest.raises(DateError, match="is not a date"):
        parse_date(given, where="a.jsonl, line 3")
    assert parse_date_or_none(given) is None


def test_refusal_names_where_and_what_to_do():
    with pytest.raises(DateError) as error:
        parse_date("hier", where="news.jsonl, line 3")
    assert str(error.value).startswith("news.jsonl, line 3: published 'hier' is not")
    assert "2022-03-01" in str(error.value)


# ---- fuzzing: every format, every zone --------------------------------------------

moments = st.datetimes(
    min_value=datetime(1900, 1, 1),
    max_value=datetime(2099, 12, 31),
    timezones=st.builds(
        timezone, st.integers(-14 * 60, 14 * 60).map(lambda m: timedelta(minutes=m))
    ),
).map(lambda moment: moment.replace(microsecond=0))
days = st.dates(
    min_value=datetime(1900, 1, 1).date(), max_value=datetime(2099, 12, 31).date()
)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@settings(max_examples=400, deadline=None)
@given(moments)
def test_any_moment_in_iso_or_rfc_2822_is_its_utc_instant(moment: datetime):
    assert parse_date(moment.isoformat()) == _utc(moment)
    assert parse_date(format_datetime(moment)) == _utc(moment)
    assert parse_date(moment) == _utc(moment)


@settings(max_examples=300, deadline=None)
@given(days, st.sampled_from(["iso", "fr", "fr-weekday", "en", "en-day-first", "dmy"]))
def test_any_day_in_any_written_form_is_that_day(day, form: str):
    written = {
        "iso": day.isoformat(),
        "fr": f"{day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}",
        "fr-weekday": f"le {day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}",
        "en": f"{ENGLISH_MONTHS[day.month - 1]} {day.day}, {day.year}",
        "en-day-first": f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}",
        "dmy": f"{day.day:02d}/{day.month:02d}/{day.year}",
    }[form]
    assert parse_date(written) == day.isoformat()


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=60), st.integers().map(str), st.floats().map(str)))
def test_any_text_gives_iso_utc_or_a_clear_refusal(text: str):
    try:
        parsed = parse_date(text)
    except DateError as error:
        assert "is not a date" in str(error)
        return
    assert parsed is None or ISO_UTC.match(parsed)
    assert parse_date(parsed) == parsed  # stored values read back unchanged


@settings(max_examples=200, deadline=None)
@given(moments, moments)
def test_stored_dates_compare_as_their_instants(first: datetime, second: datetime):
    a, b = parse_date(first.isoformat()), parse_date(format_datetime(second))
    assert a is not None and b is not None
    assert (a < b) == (first < second)


@settings(max_examples=200, deadline=None)
@given(days, moments)
def test_a_day_sorts_before_every_time_of_that_day_and_after_earlier_days(day, moment):
    parsed_day, parsed_moment = parse_date(day.isoformat()), parse_date(moment)
    assert parsed_day is not None and parsed_moment is not None
    utc_day = moment.astimezone(UTC).date()
    assert (parsed_day <= parsed_moment) == (day <= utc_day)


# ---- every way in ----------------------------------------------------------------


def test_models_parse_dates_and_refuse_non_dates():
    assert Article(id="a", text="x", published="Mon, 06 Sep 2021").published == (
        "2021-09-06"
    )
    with pytest.raises(ValueError, match="is not a date"):
        Article(id="a", text="x", published="hier")
    # A review's verdict is kept when its date is unreadable: the date is unknown.
    assert FactCheck(id="f", claim_reviewed="x", published="hier").published is None
    assert FactCheck(id="f", claim_reviewed="x", published="6 mars 2022").published == (
        "2022-03-06"
    )


def _jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_jsonl_and_csv_dates_are_parsed_and_bad_ones_are_counted_skips(tmp_path: Path):
    jsonl = _jsonl(
        tmp_path / "news.jsonl",
        [
            {"id": "a", "text": "One claim here.", "published": "Mon, 06 Sep 2021"},
            {"id": "b", "text": "Two claims here.", "published": "hier"},
            {"id": "c", "text": "Three claims here.", "published": "2022-13-45"},
            {"id": "d", "text": "Four claims here.", "published": "6 mars 2022"},
        ],
    )
    csv = tmp_path / "news.csv"
    csv.write_text("id,text,published\ne,Five claims.,06/09/2021\nf,Six.,demain\n")
    errors: list[str] = []
    articles = list(
        read_articles(
            [jsonl, csv], language="en", on_error=lambda s, e: errors.append(str(e))
        )
    )
    assert {a.id: a.published for a in articles} == {
        "a": "2021-09-06",
        "d": "2022-03-06",
        "e": "2021-09-06",
    }
    assert len(errors) == 3
    assert "news.jsonl, line 2: published 'hier' is not a date" in errors[0]
    assert "news.jsonl, line 3: published '2022-13-45'" in errors[1]
    assert "news.csv, row 3: published 'demain'" in errors[2]


def test_feed_dates_are_utc_and_a_bad_one_skips_only_its_entry():
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Le Monde</title>
    <item><title>A</title><link>https://lemonde.fr/a</link>
      <pubDate>Mon, 06 Sep 2021 10:00:00 +0200</pubDate>
      <description>The minister said the budget rose by 5%.</description></item>
    <item><title>B</title><link>https://lemonde.fr/b</link>
      <pubDate>Mon, 06 Sep 2021</pubDate>
      <description>The mayor said the budget fell by two percent.</description></item>
    <item><title>C</title><link>https://lemonde.fr/c</link>
      <pubDate>hier</pubDate>
      <description>The senator said taxes rose by one percent.</description></item>
    </channel></rss>"""
    from claimtrack.sources import _feed_items

    items = list(_feed_items(feed, "feed.rss"))
    dates = [getattr(item, "published", None) for item in items]
    assert dates[:2] == ["2021-09-06T08:00:00Z", "2021-09-06"]
    assert "published 'hier' is not a date" in str(items[2])
    with pytest.raises(DateError):
        list(parse_feed(feed))


PAYWALL = """<html><head><title>Subscribe to read</title></head><body>
<article><h1>Subscribe to read the rest</h1>
<p>The finance minister said on the radio that public debt would fall below ninety
percent of output by the end of the decade, a claim the opposition disputes.</p>
<p>Subscribers can read the whole article and the full interview.</p></article>
<footer>Copyright © 2021 Example Media. All rights reserved.</footer></body></html>"""


def test_a_page_is_not_dated_by_its_copyright_line_but_by_its_markup():
    assert parse_html(PAYWALL, source="paywall.html").published is None
    dated = PAYWALL.replace(
        "<title>",
        '<meta property="article:published_time" '
        'content="2022-03-01T09:30:00+01:00"><title>',
    )
    assert parse_html(dated, source="dated.html").published == "2022-03-01"


def test_outlet_comes_from_the_url_host_when_not_given(tmp_path: Path):
    jsonl = _jsonl(
        tmp_path / "news.jsonl",
        [
            {"id": "a", "text": "One.", "url": "https://www.lemonde.fr/x/1.html"},
            {"id": "b", "text": "Two.", "url": "https://lemonde.fr/2", "outlet": "LM"},
            {"id": "c", "text": "Three."},
        ],
    )
    outlets = {a.id: a.outlet for a in read_articles([jsonl], language="en")}
    assert outlets == {"a": "lemonde.fr", "b": "LM", "c": None}
    given = {a.id: a.outlet for a in read_articles([jsonl], language="en", outlet="X")}
    assert given == {"a": "X", "b": "LM", "c": "X"}


# ---- the CLI and the stored timeline ---------------------------------------------


def _ingest(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["ingest", *args, *FAKES])
    return result.exit_code, result.output


SAME = "The central bank said inflation reached nine percent in the euro area."


def test_ingest_published_and_outlet_options(tmp_path: Path):
    db = tmp_path / "claims.db"
    text = tmp_path / "note.txt"
    text.write_text(SAME)
    code, output = _ingest(
        str(db), str(text), "--published", "6 septembre 2021", "--outlet", "Radio X"
    )
    assert code == 0, output
    (row,) = Database(db).query("select published, outlet from articles")
    assert row == {"published": "2021-09-06", "outlet": "Radio X"}
    code, output = _ingest(str(db), str(text), "--published", "hier")
    assert code == 2
    assert "published 'hier' is not a date" in output
    assert "Traceback" not in output


def test_timeline_uses_parsed_dates_and_never_the_ingest_time(tmp_path: Path):
    db = tmp_path / "claims.db"
    jsonl = _jsonl(
        tmp_path / "news.jsonl",
        [
            # Given out of order and in three formats; the 2021 one is the first.
            {"id": "late", "text": SAME, "published": "2023-01-05", "outlet": "B"},
            {"id": "undated", "text": SAME + " ", "outlet": "C"},
            {
                "id": "early",
                "text": SAME + "  ",
                "published": "Mon, 06 Sep 2021",
                "outlet": "A",
            },
            {
                "id": "mid",
                "text": SAME + "   ",
                "published": "3 mars 2022",
                "outlet": "A",
            },
        ],
    )
    code, output = _ingest(str(db), str(jsonl), "--lang", "en")
    assert code == 0, output
    store = ClaimStore(db)
    (tracked,) = store.tracked_claims()
    assert (tracked.first_seen, tracked.last_seen) == ("2021-09-06", "2023-01-05")
    assert tracked.mentions == 4 and tracked.outlets == 3
    order = [row["id"] for row in store.appearances(tracked.id)]
    assert order == ["early", "mid", "late", "undated"]  # unknown dates last
    timeline = list(
        store.db.query(
            "select article_id, seen_on from claim_timeline "
            "order by seen_on is null, seen_on"
        )
    )
    assert [row["article_id"] for row in timeline] == order
    assert timeline[-1]["seen_on"] is None
    (repeated,) = store.db.query("select outlets, outlet_names from repeated_claims")
    assert repeated["outlets"] == 3


def test_only_undated_mentions_leave_first_and_last_seen_unknown(tmp_path: Path):
    db = tmp_path / "claims.db"
    text = tmp_path / "note.txt"
    text.write_text(SAME)
    assert _ingest(str(db), str(text), "--lang", "en")[0] == 0
    (tracked,) = ClaimStore(db).tracked_claims()
    assert tracked.first_seen is None and tracked.last_seen is None


def test_m004_migrates_dates_stored_as_given(tmp_path: Path):
    """A database written before m004 (dates verbatim) is parsed when opened."""
    path = tmp_path / "old.db"
    db = Database(path)
    for migration in migrations._migrations:
        if migration.name == "m004_iso_dates":
            break
        migration.fn(db)
        db.table("_sqlite_migrations").insert(
            {
                "migration_set": "claimtrack",
                "name": migration.name,
                "applied_at": "2025-01-01 00:00:00",
            }
        )
    articles = [
        ("old", "Mon, 06 Sep 2021"),
        ("new", "2023-01-05T10:00:00+01:00"),
        ("vague", "hier"),
    ]
    for article_id, published in articles:
        db.table("articles").insert(
            {
                "id": article_id,
                "text": SAME,
                "published": published,
                "outlet": article_id,
                "ingested_at": "2026-12-01T09:00:00+00:00",
            }
        )
        db.table("claims").insert(
            {
                "id": f"c-{article_id}",
                "article_id": article_id,
                "position": 0,
                "text": SAME,
                "tracked_claim_id": "t",
            }
        )
    db.table("tracked_claims").insert(
        {
            "id": "t",
            "text": SAME,
            "first_seen": "2023-01-05",
            "last_seen": "hier",
            "mentions": 3,
            "articles": 3,
            "outlets": 3,
        }
    )
    db.table("fact_checks").insert(
        {"id": "f", "claim_reviewed": SAME, "published": "6 mars 2022"}
    )
    db.conn.close()

    store = ClaimStore(path)
    dates = {r["id"]: r["published"] for r in store.db.query("select * from articles")}
    assert dates == {
        "old": "2021-09-06",
        "new": "2023-01-05T09:00:00Z",
        "vague": None,
    }
    (fact_check,) = store.db.query("select published from fact_checks")
    assert fact_check["published"] == "2022-03-06"
    (tracked,) = store.tracked_claims()
    assert (tracked.first_seen, tracked.last_seen) == (
        "2021-09-06",
        "2023-01-05T09:00:00Z",
    )
    seen = [
        r["seen_on"]
        for r in store.db.query(
            "select seen_on from claim_timeline order by seen_on is null, seen_on"
        )
    ]
    assert seen == ["2021-09-06", "2023-01-05T09:00:00Z", None]
