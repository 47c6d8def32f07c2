"""The plugin's pages and the links between them, in-process with Datasette's client."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from datasette.app import Datasette

from claimtrack.publish.article_page import segments
from claimtrack.publish.metadata import build_metadata
from claimtrack.publish.timeline_chart import timeline_svg
from tests.publish_helpers import (
    NUCLEAR,
    build_claims_db,
    make_datasette,
    plugin_registered,
)

PAGE_LINK = re.compile(r'href="(/-/claimtrack/(claim|tracked|article|speaker)/[^"]+)"')


@pytest.fixture
def claims_db(tmp_path: Path) -> Path:
    return build_claims_db(tmp_path / "claims.db")


@pytest.fixture(autouse=True)
def plugin() -> Iterator[None]:
    with plugin_registered():
        yield


@pytest.fixture
def datasette(claims_db: Path) -> Datasette:
    return make_datasette(claims_db)


def _write(path: Path, sql: str, params: dict[str, str] | None = None) -> None:
    """Change the file, then checkpoint: immutable readers ignore the WAL."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(sql, params or {})
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()


def _ids(path: Path, sql: str) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [str(row[0]) for row in conn.execute(sql)]


def _nuclear_claims(path: Path) -> list[str]:
    return _ids(
        path,
        "select claims.id from claims join articles on articles.id = article_id "
        f"where claims.text = '{NUCLEAR}' order by articles.published",
    )


def _every_route(path: Path) -> list[str]:
    claim_id = _nuclear_claims(path)[0]
    tracked_id = _ids(
        path, f"select tracked_claim_id from claims where id = '{claim_id}'"
    )
    speaker_id = _ids(path, f"select speaker_id from claims where id = '{claim_id}'")
    return [
        f"/-/claimtrack/claim/{claim_id}",
        f"/-/claimtrack/tracked/{tracked_id[0]}",
        "/-/claimtrack/article/a1",
        f"/-/claimtrack/speaker/{speaker_id[0]}",
        "/-/claimtrack/fact-check/fc1",
    ]


def test_timeline_svg_draws_one_bar_per_day_and_outlet() -> None:
    svg = timeline_svg(
        [
            ("2024-01-01", "Le Monde"),
            ("2024-01-01T10:00:00+00:00", "BBC"),
            ("2024-01-03", "BBC"),
            (None, "Nowhere"),
            ("<script>", "Evil <b>"),
        ]
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="claimtrack-bar"') == 3
    assert "2024-01-01: 1 mention in Le Monde" in svg
    assert "Nowhere" not in svg and "Evil" not in svg  # undated: not drawn
    assert "<script" not in svg


def test_timeline_svg_is_empty_without_dates() -> None:
    assert timeline_svg([(None, "BBC")]) == ""


def test_segments_cut_text_around_spans_without_repeating() -> None:
    text = "One claim. Two claims here."
    pieces = segments(
        text,
        [
            {"char_start": 0, "char_end": 10, "id": "c1"},
            {"char_start": 4, "char_end": 15, "id": "c2"},  # overlaps c1
        ],
    )
    assert "".join(piece["text"] for piece in pieces) == text
    assert [piece["claim"]["id"] for piece in pieces if piece["claim"]] == ["c1", "c2"]


@pytest.mark.asyncio
async def test_tracked_claim_page(datasette: Datasette, claims_db: Path) -> None:
    first, second = _nuclear_claims(claims_db)
    tracked_id = _ids(
        claims_db, f"select tracked_claim_id from claims where id = '{second}'"
    )[0]
    response = await datasette.client.get(f"/-/claimtrack/tracked/{tracked_id}")
    assert response.status_code == 200
    html = response.text
    assert f'<h1 class="claimtrack-tracked">{NUCLEAR}</h1>' in html
    mentions = html[html.index('<ol class="claimtrack-mentions"') :]
    # every mention in time order, with its outlet and the span marked
    assert mentions.index(first) < mentions.index(second)
    assert mentions.index("Le Monde") < mentions.index("BBC")
    assert mentions.count(f"<mark>{NUCLEAR}</mark>") == 2
    # the chart: one bar per day (two outlets on two days), drawn inline
    chart = html[html.index('data-testid="timeline-chart"') :]
    chart = chart[: chart.index("</figure>")]
    assert chart.count('class="claimtrack-bar"') == 2
    assert "<script" not in chart
    # the confirmed fact-check and the verdict
    assert "https://checks.example/fc1" in html
    assert '<span class="claimtrack-verdict">true</span>' in html
    # breadcrumbs back to the table
    assert 'href="/claims/tracked_claims"' in html


@pytest.mark.asyncio
async def test_tracked_claim_page_hides_suggested_fact_checks(
    claims_db: Path,
) -> None:
    _write(claims_db, "update fact_check_links set decision = 'suggested'")
    datasette = make_datasette(claims_db)
    claim_id = _nuclear_claims(claims_db)[0]
    tracked_id = _ids(
        claims_db, f"select tracked_claim_id from claims where id = '{claim_id}'"
    )[0]
    response = await datasette.client.get(f"/-/claimtrack/tracked/{tracked_id}")
    assert "https://checks.example/fc1" not in response.text
    assert "No confirmed fact-check" in response.text


@pytest.mark.asyncio
async def test_article_page_marks_and_links_its_claims(
    datasette: Datasette, claims_db: Path
) -> None:
    response = await datasette.client.get("/-/claimtrack/article/a1")
    assert response.status_code == 200
    html = response.text
    claim_ids = _ids(claims_db, "select id from claims where article_id = 'a1'")
    assert claim_ids
    text = html[html.index('data-testid="article-text"') :]
    for claim_id in claim_ids:
        assert f'href="/-/claimtrack/claim/{claim_id}?database=claims"' in text
    assert "Analysts expect talks in Geneva" in text
    assert 'href="/claims/articles"' in html


@pytest.mark.asyncio
async def test_claim_page_links_to_article_and_tracked_claim(
    datasette: Datasette, claims_db: Path
) -> None:
    claim_id = _nuclear_claims(claims_db)[1]
    html = (await datasette.client.get(f"/-/claimtrack/claim/{claim_id}")).text
    tracked_id = _ids(
        claims_db, f"select tracked_claim_id from claims where id = '{claim_id}'"
    )[0]
    assert 'href="/-/claimtrack/article/a2?database=claims"' in html
    assert f'href="/-/claimtrack/tracked/{tracked_id}?database=claims"' in html


@pytest.mark.asyncio
async def test_every_link_on_every_page_opens(
    datasette: Datasette, claims_db: Path
) -> None:
    """Follow every plugin link from the tables, views, queries and pages: none 404s."""
    metadata = build_metadata("claims")["databases"]["claims"]
    start = [f"/claims/{name}" for name in ("claims", "tracked_claims", "articles")]
    start += [
        f"/claims/{name}"
        for name in ("claim_links", "fact_check_links", "speakers", "claims_by_speaker")
    ]
    start += ["/claims/claim_timeline", "/claims/repeated_claims"]
    tracked_id = _ids(claims_db, "select id from tracked_claims limit 1")[0]
    start += [
        f"/claims/tracked_claim_timeline?tracked_claim_id={tracked_id}",
        "/claims/claims_by_speaker?speaker=BBC",
    ]
    assert "tracked_claim_timeline" in metadata["queries"]
    seen: set[str] = set()
    queue = list(start)
    pages = 0
    while queue:
        path = queue.pop()
        response = await datasette.client.get(
            path.replace("&amp;", "&"), follow_redirects=True
        )
        assert response.status_code == 200, path
        for link, _ in PAGE_LINK.findall(response.text):
            if link not in seen:
                seen.add(link)
                queue.append(link)
                pages += 1
    kinds = {link.split("/")[3] for link in seen}
    assert kinds >= {"claim", "tracked", "article", "speaker"}
    assert pages >= 10


@pytest.mark.asyncio
async def test_ids_in_tables_and_views_link_to_pages(
    datasette: Datasette, claims_db: Path
) -> None:
    claim_id = _nuclear_claims(claims_db)[0]
    tracked_id = _ids(
        claims_db, f"select tracked_claim_id from claims where id = '{claim_id}'"
    )[0]
    claims = (await datasette.client.get("/claims/claims", follow_redirects=True)).text
    assert (
        f'href="/-/claimtrack/claim/{claim_id}?database=claims">{NUCLEAR}</a>' in claims
    )
    assert f'href="/-/claimtrack/tracked/{tracked_id}?database=claims"' in claims
    timeline = (
        await datasette.client.get(
            f"/claims/tracked_claim_timeline?tracked_claim_id={tracked_id}"
        )
    ).text
    assert f'href="/-/claimtrack/claim/{claim_id}?database=claims"' in timeline
    links = (
        await datasette.client.get("/claims/claim_links", follow_redirects=True)
    ).text
    assert f'href="/-/claimtrack/claim/{claim_id}?database=claims"' in links
    # labelled with the claim's text (label_column), not a bare id
    assert (
        f'href="/-/claimtrack/claim/{claim_id}?database=claims">{NUCLEAR}</a>' in links
    )
    checks = (
        await datasette.client.get("/claims/fact_check_links", follow_redirects=True)
    ).text
    assert 'href="/-/claimtrack/fact-check/fc1?database=claims"' in checks
    fact_checks = (
        await datasette.client.get("/claims/fact_checks", follow_redirects=True)
    ).text
    assert 'href="/-/claimtrack/fact-check/fc1?database=claims"' in fact_checks


@pytest.mark.asyncio
async def test_long_article_text_is_cut_in_the_table(claims_db: Path) -> None:
    _write(
        claims_db,
        "update articles set text = text || :pad where id = 'a1'",
        {"pad": " x" * 2000},
    )
    datasette = make_datasette(claims_db)
    html = (await datasette.client.get("/claims/articles?_sort=id")).text
    assert "characters)" in html
    assert " x" * 1000 not in html


@pytest.mark.asyncio
async def test_unknown_ids_are_404_on_every_page(datasette: Datasette) -> None:
    for kind in ("claim", "tracked", "article", "speaker", "fact-check"):
        response = await datasette.client.get(f"/-/claimtrack/{kind}/nope")
        assert response.status_code == 404, kind


@pytest.mark.asyncio
async def test_every_route_refuses_internal_and_other_databases(
    claims_db: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table claims (id text primary key, text text)")
        conn.execute("insert into claims values ('x', 'not ours')")
    datasette = Datasette(
        [str(other)], immutables=[str(claims_db)], metadata=build_metadata("claims")
    )
    for route in _every_route(claims_db):
        ok = await datasette.client.get(f"{route}?database=claims")
        assert ok.status_code == 200, route
        for name in ("_internal", "other", "missing"):
            response = await datasette.client.get(f"{route}?database={name}")
            assert response.status_code == 404, (route, name)
    other_claim = await datasette.client.get("/-/claimtrack/claim/x?database=other")
    assert other_claim.status_code == 404


@pytest.mark.asyncio
async def test_every_route_checks_datasette_permissions(claims_db: Path) -> None:
    metadata = build_metadata("claims")
    metadata["databases"]["claims"]["allow"] = {"id": "admin"}
    datasette = Datasette(immutables=[str(claims_db)], metadata=metadata)
    admin = {"ds_actor": datasette.sign({"a": {"id": "admin"}}, "actor")}
    for route in [*_every_route(claims_db), "/claims/claims?_sort=id"]:
        anonymous = await datasette.client.get(route)
        assert anonymous.status_code == 403, route
        assert NUCLEAR not in anonymous.text
        allowed = await datasette.client.get(route, cookies=admin)
        assert allowed.status_code == 200, route


@pytest.mark.asyncio
async def test_a_hidden_table_hides_the_pages_that_read_it(claims_db: Path) -> None:
    metadata = build_metadata("claims")
    metadata["databases"]["claims"]["tables"]["articles"]["allow"] = {"id": "admin"}
    datasette = Datasette(immutables=[str(claims_db)], metadata=metadata)
    for route in _every_route(claims_db):
        response = await datasette.client.get(route)
        assert response.status_code == 403, route


@pytest.mark.asyncio
async def test_claims_table_opens_on_readable_columns(datasette: Datasette) -> None:
    response = await datasette.client.get("/claims/claims")
    assert response.status_code == 302
    assert response.headers["location"].startswith("/claims/claims?_col=text&")
    html = (await datasette.client.get(response.headers["location"])).text
    headers = re.findall(r'class="col-([\w-]+)" scope="col"', html)
    assert headers[:4] == ["id", "text", "speaker_id", "article_id"]
    assert "char_start" not in headers and "reasons" not in headers
    # the article shows as outlet and date, the tracked claim as verdict, mentions
    assert ">Le Monde, 2024-01-01</a>" in html
    assert "verdict · 2 mentions</a>" in html
    # column descriptions folded by the plugin's script; every column still there
    assert "dl.column-descriptions" in html
    every = (await datasette.client.get("/claims/claims?_sort=id")).text
    assert 'class="col-char_start"' in every


@pytest.mark.asyncio
async def test_claims_table_summaries_follow_a_mutable_database(
    claims_db: Path,
) -> None:
    """The summaries are read on the event loop, not through Datasette's SQL
    threads: a change committed by another connection still shows at once."""
    datasette = Datasette([str(claims_db)], metadata=build_metadata("claims"))
    page = "/claims/claims?_col=text&_col=article_id&_col=tracked_claim_id"
    assert ">Le Monde, 2024-01-01</a>" in (await datasette.client.get(page)).text
    with sqlite3.connect(claims_db) as conn:
        conn.execute("update articles set outlet = 'Le Figaro' where id = 'a1'")
        conn.execute("update tracked_claims set verdict = 'false'")
    html = (await datasette.client.get(page)).text
    assert ">Le Figaro, 2024-01-01</a>" in html and "false · 2 mentions</a>" in html


@pytest.mark.asyncio
async def test_internal_tables_are_hidden(datasette: Datasette) -> None:
    html = (await datasette.client.get("/claims")).text
    for name in ("_sqlite_migrations", "sqlite_sequence", "embeddings"):
        assert f'href="/claims/{name}"' not in html.split("hidden tables")[0], name
    assert "Data license:" in html and "their publishers" in html


@pytest.mark.asyncio
async def test_speaker_page_lists_the_speakers_claims(
    datasette: Datasette, claims_db: Path
) -> None:
    speaker_id = _ids(claims_db, "select id from speakers where name = 'BBC'")[0]
    html = (await datasette.client.get(f"/-/claimtrack/speaker/{speaker_id}")).text
    assert '<h1 class="claimtrack-speaker">BBC</h1>' in html
    for claim_id in _ids(claims_db, "select id from claims where article_id = 'a2'"):
        assert f'href="/-/claimtrack/claim/{claim_id}?database=claims"' in html
    assert 'href="/claims/speakers"' in html
    claims = (await datasette.client.get("/claims/claims?_sort=id")).text
    assert (
        f'href="/-/claimtrack/speaker/{speaker_id}?database=claims">BBC</a>' in claims
    )


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("speaker", "expected"),
    [("BBC", 2), ("bbc", 2), ("BB", 0), ("Monde", 2), ("Times", 1), ('"', 0)],
)
async def test_claims_by_speaker_matches_whole_words(
    datasette: Datasette, speaker: str, expected: int
) -> None:
    response = await datasette.client.get(
        "/claims/claims_by_speaker.json",
        params={"speaker": speaker, "_shape": "array"},
    )
    assert response.status_code == 200
    assert len(response.json()) == expected


@pytest.mark.asyncio
async def test_claims_by_speaker_finds_every_spelling_of_a_name(
    claims_db: Path,
) -> None:
    from claimtrack.speakers import assign_speakers
    from claimtrack.store import ClaimStore

    store = ClaimStore(claims_db)
    with store.write_transaction():
        store.db.execute(
            "update claims set speaker = 'Vladimir Poutine' where article_id = 'a1'"
        )
        store.db.execute(
            "update claims set speaker = 'President Putin' where article_id = 'a2'"
        )
        assign_speakers(store.db)
    store.checkpoint()
    datasette = make_datasette(claims_db)
    for typed in ("Putin", "poutine", "Vladimir Putin"):
        rows = (
            await datasette.client.get(
                "/claims/claims_by_speaker.json",
                params={"speaker": typed, "_shape": "array"},
            )
        ).json()
        assert {row["named_as"] for row in rows} == {
            "Vladimir Poutine",
            "President Putin",
        }, typed
        assert {row["speaker"] for row in rows} == {"Vladimir Putin"} or {
            row["speaker"] for row in rows
        } == {"Vladimir Poutine"}


@pytest.mark.asyncio
async def test_fact_check_page_splits_its_claims_by_decision(claims_db: Path) -> None:
    reviewed, repeated = _nuclear_claims(claims_db)  # a1's is linked "same"
    hostile = _ids(claims_db, "select id from claims where article_id = 'a3'")[0]
    _write(
        claims_db,
        "insert into fact_check_links values (:opposite, 'fc1', 0.7, 'opposite', "
        "'review', 'fake/bag-of-words'), (:suggested, 'fc1', 0.5, 'suggested', "
        "'vector', 'fake/bag-of-words')",
        {"opposite": hostile, "suggested": repeated},
    )
    datasette = make_datasette(claims_db)
    response = await datasette.client.get("/-/claimtrack/fact-check/fc1")
    assert response.status_code == 200
    html = response.text
    # the review itself: claim, verdict, reviewer, URL, date
    assert "The CIA says Russia is not preparing a nuclear strike" in html
    assert '<span class="claimtrack-verdict">true</span> (Accurate)' in html
    assert "Checkers &lt;i&gt;United&lt;/i&gt;" in html  # escaped, not markup
    assert 'href="https://checks.example/fc1"' in html and "2024-01-15" in html
    # its claims, in three lists that never mix
    same = html[html.index('data-testid="same-claims"') :]
    same = same[: same.index("</div>")]
    assert f'data-claim-id="{reviewed}"' in same
    assert repeated not in same and hostile not in same
    opposite = html[html.index('data-testid="opposite-claims"') :]
    opposite = opposite[: opposite.index("</div>")]
    assert f'data-claim-id="{hostile}"' in opposite and "its verdict is not" in html
    assert "(a person's decision)" in opposite
    suggested = html[html.index('data-testid="suggested-claims"') :]
    assert f'data-claim-id="{repeated}"' in suggested
    assert f'href="/-/claimtrack/claim/{reviewed}?database=claims"' in html
    assert "<script>alert" not in html
    # breadcrumb back to the table
    assert 'href="/claims/fact_checks"' in html


@pytest.mark.asyncio
async def test_claim_and_tracked_pages_link_their_fact_checks(
    datasette: Datasette, claims_db: Path
) -> None:
    claim_id = _nuclear_claims(claims_db)[0]
    tracked_id = _ids(
        claims_db, f"select tracked_claim_id from claims where id = '{claim_id}'"
    )[0]
    link = 'href="/-/claimtrack/fact-check/fc1?database=claims"'
    for route in (
        f"/-/claimtrack/claim/{claim_id}",
        f"/-/claimtrack/tracked/{tracked_id}",
    ):
        assert link in (await datasette.client.get(route)).text, route


@pytest.mark.asyncio
async def test_every_page_breadcrumb_reads_database_table_row(
    datasette: Datasette, claims_db: Path
) -> None:
    tables = {
        "claim": "claims",
        "tracked": "tracked_claims",
        "article": "articles",
        "speaker": "speakers",
        "fact-check": "fact_checks",
    }
    for route in _every_route(claims_db):
        kind, item_id = route.split("/")[-2:]
        html = (await datasette.client.get(route)).text
        crumbs = html[html.index('<p class="crumbs">') : html.index("</p>")]
        links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', crumbs)
        table = tables[kind]
        assert links == [
            ("/", "home"),
            ("/claims", "claims"),
            (f"/claims/{table}", table),
        ], route
        # the row comes last, named by its kind and id, not a second "claims"
        last = re.sub(r"<[^>]+>", "", crumbs).split("/")[-1].strip()
        assert last.endswith(item_id[:8]) and last.split()[0] in {
            "claim",
            "tracked",
            "article",
            "speaker",
            "fact-check",
        }, (route, last)


@pytest.mark.asyncio
async def test_a_tracked_claim_without_known_outlets_says_so(claims_db: Path) -> None:
    # .txt articles ingested without --outlet: no outlet to count
    _write(claims_db, "update articles set outlet = null")
    _write(claims_db, "update tracked_claims set outlets = 0")
    tracked_id = _ids(claims_db, "select id from tracked_claims limit 1")[0]
    html = (
        await make_datasette(claims_db).client.get(
            f"/-/claimtrack/tracked/{tracked_id}"
        )
    ).text
    assert "0 outlets" not in html and "outlet unknown" in html
