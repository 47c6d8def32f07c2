"""The claim page: context, highlighting, links and escaping of hostile text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from datasette.app import Datasette

from claimtrack.publish.claim_page import highlight, safe_url
from tests.publish_helpers import (
    HOSTILE,
    NUCLEAR,
    build_claims_db,
    make_datasette,
    plugin_registered,
)


@pytest.fixture
def datasette(tmp_path: Path) -> Iterator[Datasette]:
    path = build_claims_db(tmp_path / "claims.db")
    with plugin_registered():
        yield make_datasette(path)


async def _claim_id(datasette: Datasette, article_id: str, text: str) -> str:
    result = await datasette.get_database("claims").execute(
        "select id from claims where article_id = :a and text = :t",
        {"a": article_id, "t": text},
    )
    return str(result.rows[0]["id"])


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ((0, 11, 4, 9), {"before": "The ", "span": "claim", "after": " i"}),
        ((0, 11, 4, 40), {"before": "", "span": "The claim i", "after": ""}),
    ],
)
def test_highlight(
    offsets: tuple[int, int, int, int], expected: dict[str, str]
) -> None:
    assert highlight("The claim is here.", *offsets) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


@pytest.mark.asyncio
async def test_claim_page_shows_claim_in_context(datasette: Datasette) -> None:
    claim_id = await _claim_id(datasette, "a2", NUCLEAR)
    response = await datasette.client.get(f"/-/claimtrack/claim/{claim_id}")
    assert response.status_code == 200
    html = response.text
    assert f'<h1 class="claimtrack-claim">{NUCLEAR}</h1>' in html
    # the sentence with the claim's span marked
    assert f"<mark>{NUCLEAR}</mark>" in html
    # the timeline lists both outlets, oldest first
    timeline = html[html.index('<ol class="claimtrack-timeline"') :]
    assert timeline.index("Le Monde") < timeline.index("BBC")
    assert "2024-01-01" in timeline
    # the fact-check of the earlier mention, with its verdict, escaped reviewer
    assert '<span class="claimtrack-verdict">true</span>' in html
    assert "Checkers &lt;i&gt;United&lt;/i&gt;" in html
    assert 'href="https://checks.example/fc1"' in html
    # the link to the earlier mention
    assert "same (1.00, earlier)" in html
    assert 'href="https://example.org/a2"' in html
    # no blank line before the article link (Datasette's cells keep whitespace)
    assert '<th>Article</th><td><a href="/-/claimtrack/article/a2' in html


@pytest.mark.asyncio
async def test_hostile_text_is_shown_as_text(datasette: Datasette) -> None:
    claim_id = await _claim_id(datasette, "a3", HOSTILE)
    response = await datasette.client.get(f"/-/claimtrack/claim/{claim_id}")
    assert response.status_code == 200
    html = response.text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in html
    assert "<b>Times</b>" not in html
    assert "Evil &lt;b&gt;Times&lt;/b&gt;" in html
    assert "javascript:" not in html


@pytest.mark.asyncio
async def test_hostile_text_is_escaped_on_table_pages(datasette: Datasette) -> None:
    response = await datasette.client.get("/claims/claims", follow_redirects=True)
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert" in response.text


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "path",
    [
        "/-/claimtrack/claim/nope",
        "/-/claimtrack/claim/nope?database=missing",
    ],
)
async def test_unknown_claim_is_404(datasette: Datasette, path: str) -> None:
    response = await datasette.client.get(path)
    assert response.status_code == 404


@pytest.mark.asyncio
async def test_claim_page_picks_database_by_name(datasette: Datasette) -> None:
    claim_id = await _claim_id(datasette, "a1", NUCLEAR)
    response = await datasette.client.get(
        f"/-/claimtrack/claim/{claim_id}?database=claims"
    )
    assert response.status_code == 200
    assert "Analysts expect talks in Geneva" in response.text
