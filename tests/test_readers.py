"""The one record reader: a plugin's format is used by ingest and import-factchecks,
and the formats both kinds share are one implementation."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from claimtrack.cli import cli
from claimtrack.errors import ArticleError, ReviewError
from claimtrack.factchecks import read_fact_checks
from claimtrack.factchecks.read import FACT_CHECK_KIND
from claimtrack.hookspecs import hookimpl
from claimtrack.plugins import pm
from claimtrack.sources import read_articles, records
from claimtrack.sources.articles import ARTICLE_KIND
from claimtrack.sources.records import Document, Kind, Reader, Record

FAKE = ["--model", "fake", "--extractor", "fake", "--quiet"]
BODY = (
    "The mayor said on Monday that the new bridge would cost 40 million euros. "
    "Critics answered that the old one could be repaired for 5 million."
)


def read_tsv(document: Document, kind: Kind) -> Iterator[records.Item]:
    """A plugin's reader: tab-separated values, through the shared CSV reader."""
    yield from records.csv_records(document, kind, delimiter="\t")


def read_xml_articles(document: Document, kind: Kind) -> Iterator[records.Item]:
    """A plugin's reader written from scratch: <article url="..">text</article>."""
    import lxml.etree

    root = lxml.etree.fromstring(document.data)
    for number, element in enumerate(root.iter("article"), start=1):
        yield Record(
            f"{document.name}, article {number}",
            {"url": element.get("url"), "text": element.text or ""},
        )


class FormatsPlugin:
    __name__ = "FormatsPlugin"

    @hookimpl
    def register_readers(self, register: Callable[[Reader], None]) -> None:
        register(Reader("tsv", read_tsv, suffixes=(".tsv",), tabular=True))
        register(
            Reader(
                "newsxml",
                read_xml_articles,
                suffixes=(".newsxml",),
                kinds=(records.ARTICLES,),
            )
        )


@pytest.fixture
def formats_plugin() -> Iterator[None]:
    pm.register(FormatsPlugin(), name="formats-plugin")
    try:
        yield
    finally:
        pm.unregister(name="formats-plugin")


def test_hook_register_readers(formats_plugin: None, tmp_path: Path):
    """A plugin's formats are ingested from a folder without editing claimtrack."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "wire.tsv").write_text(
        f"id\turl\ttext\nbridge\thttps://example.org/bridge\t{BODY}\n"
    )
    (folder / "feed.newsxml").write_text(
        f'<news><article url="https://example.org/ports">{BODY} Ports too.</article>'
        "</news>"
    )
    (folder / "notes.unknown").write_text("not read: no reader has this suffix")
    db = tmp_path / "claims.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(folder), *FAKE])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in Database(db)["articles"].rows}
    assert rows["bridge"]["url"] == "https://example.org/bridge"
    assert rows["bridge"]["text"] == BODY
    assert {r["url"] for r in rows.values()} == {
        "https://example.org/bridge",
        "https://example.org/ports",
    }


def test_a_plugin_format_serves_fact_checks_too(formats_plugin: None, tmp_path: Path):
    path = tmp_path / "reviews.tsv"
    path.write_text(
        "claim_reviewed\trating_text\turl\n"
        "The bridge costs 40 million euros.\tFalse\thttps://fc.example.org/1\n"
        "\tTrue\thttps://fc.example.org/2\n"
    )
    errors: list[Exception] = []
    (record,) = read_fact_checks([path], on_error=errors.append)
    assert record.fact_check.claim_reviewed == "The bridge costs 40 million euros."
    assert record.fact_check.rating == "false"
    assert [str(e) for e in errors] == [
        f"{path}, row 3: no claim_reviewed (or claim_text). "
        "Fill it in or remove the row."
    ]


def test_without_the_plugin_the_suffix_is_plain_text(tmp_path: Path):
    path = tmp_path / "wire.tsv"
    path.write_text(f"id\ttext\nbridge\t{BODY}\n")
    (article,) = read_articles([path])
    assert article.text.startswith("id\ttext")  # read as plain text, the fallback


def test_csv_rows_are_read_by_one_function_for_both_kinds():
    article_csv = records.get_readers(ARTICLE_KIND)["csv"]
    fact_check_csv = records.get_readers(FACT_CHECK_KIND)["csv"]
    assert article_csv is fact_check_csv
    assert article_csv.read is records.csv_records
    text = "id,text\nok,fine\nbad,too,many\n"
    for kind, error_class in (
        (ARTICLE_KIND, ArticleError),
        (FACT_CHECK_KIND, ReviewError),
    ):
        items = list(article_csv.read(Document.from_text(text, "x.csv"), kind))
        assert isinstance(items[0], Record) and items[0].value == {
            "id": "ok",
            "text": "fine",
        }
        assert type(items[1]) is error_class
        assert str(items[1]) == (
            "x.csv, row 3: 3 values for 2 columns. Quote values that hold commas."
        )


def test_articles_and_fact_checks_read_stdin(monkeypatch: pytest.MonkeyPatch):
    class Stdin:
        buffer = io.BytesIO(f'{{"id": "a", "text": "{BODY}"}}\n'.encode())

    monkeypatch.setattr("sys.stdin", Stdin)
    (article,) = read_articles(["-"])
    assert article.id == "a" and article.source == "stdin"
    Stdin.buffer = io.BytesIO(
        b'{"@type": "ClaimReview", "claimReviewed": "A claim.", "url": "https://x.org/a"}'
    )
    (record,) = read_fact_checks(["-"])
    assert record.fact_check.claim_reviewed == "A claim."


def test_a_reader_chosen_by_content_type_prefers_the_longest_match():
    readers = records.get_readers(ARTICLE_KIND)
    page = Document(name="u", data=b"", content_type="application/xhtml+xml")
    feed = Document(name="u", data=b"", content_type="application/rss+xml")
    assert records.choose_reader(page, ARTICLE_KIND) is readers["html"]
    assert records.choose_reader(feed, ARTICLE_KIND) is readers["feed"]
