"""A person's view: the real server on loopback, opened in headless Chromium.

Ingests the example articles (plus one hostile article) with the real extractor and
model, starts ``claimtrack serve`` on a free 127.0.0.1 port, and visits the index, a
table, a claim page and the semantic search. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = (
    "Le ministre a déclaré que <script>alert('owned')</script> les impôts ont "
    "augmenté de 5 % en 2023.\n\n[cliquez ici](javascript:alert(1)) ; "
    "drop table claims;"
)
FACT_CHECK = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checks.example/cia-no-sign",
    "claimReviewed": "Senior CIA officials have seen no sign that Russia is "
    "preparing to use nuclear weapons.",
    "datePublished": "2022-10-05",
    "inLanguage": "en",
    "author": {"@type": "Organization", "name": "Checks Example"},
    "reviewRating": {"@type": "Rating", "alternateName": "Accurate"},
}
# Messages of any alert() a page opened: hostile text must never run.
DIALOGS: list[str] = []
CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for article in (ROOT / "examples" / "articles").glob("*.txt"):
        shutil.copy(article, folder)
    (folder / "hostile.fr.txt").write_text(HOSTILE, encoding="utf-8")
    path = folder.parent / "claims.db"
    subprocess.run(
        # .txt files carry no date: give the run one, as a user would.
        [CLAIMTRACK, "ingest", str(path), str(folder), "--published", "2022-10-03"],
        check=True,
        capture_output=True,
        timeout=600,
    )
    # One made-up review of a claim the example articles make, for its page.
    review = folder.parent / "fact-check.json"
    review.write_text(json.dumps(FACT_CHECK), encoding="utf-8")
    subprocess.run(
        [CLAIMTRACK, "import-factchecks", str(path), str(review)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return path


@pytest.fixture(scope="module")
def server(database: Path) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [CLAIMTRACK, "serve", str(database), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/-/versions.json", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.25)
        # The search model loads in the background; SQL answers "still loading".
        ready = f"{url}/claims.json?sql=select+length(claimtrack_embed('ready'))"
        while httpx.get(ready, timeout=30).status_code != 200:
            assert time.monotonic() < deadline + 120, "the model never loaded"
            time.sleep(0.5)
        yield url
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("dialog", _record_dialog)
            yield page
        finally:
            browser.close()


def _record_dialog(dialog: Any) -> None:
    DIALOGS.append(dialog.message)
    dialog.dismiss()


def _claim_id(database: Path, pattern: str) -> str:
    with sqlite3.connect(database) as conn:
        row = conn.execute(
            "select id from claims where sentence like ? order by position limit 1",
            (pattern,),
        ).fetchone()
    assert row, f"no claim whose sentence matches {pattern!r}"
    return str(row[0])


def test_index_lists_the_database(page: Any, server: str) -> None:
    page.goto(server)
    page.screenshot(path=ARTIFACTS / "index.png", full_page=True)
    assert page.inner_text("h1") == "claimtrack"
    assert "Check-worthy claims extracted from news" in page.inner_text("body")
    page.get_by_role("link", name="claims", exact=True).first.click()
    page.screenshot(path=ARTIFACTS / "database.png", full_page=True)
    assert "Search claims by meaning" in page.inner_text("body")  # a canned query
    # the documented example queries, folded until asked for
    page.get_by_text("Search by meaning from your own SQL").click()
    assert "claimtrack_embed(" in page.inner_text("body")


def test_table_page_shows_facets_and_hostile_text_as_text(
    page: Any, server: str
) -> None:
    page.goto(f"{server}/claims/articles?_search=&text__contains=script")
    page.screenshot(path=ARTIFACTS / "articles-hostile.png", full_page=True)
    assert "<script>alert('owned')</script>" in page.inner_text(
        "table.rows-and-columns"
    )
    page.goto(f"{server}/claims/claims")
    page.screenshot(path=ARTIFACTS / "claims-table.png")
    assert "speaker" in page.inner_text(".facet-results")
    assert DIALOGS == []


def test_claim_page_shows_the_claim_in_context(
    page: Any, server: str, database: Path
) -> None:
    claim_id = _claim_id(database, "%hauts responsables de la CIA%")
    page.goto(f"{server}/-/claimtrack/claim/{claim_id}")
    page.screenshot(path=ARTIFACTS / "claim-page.png", full_page=True)
    sentence = page.inner_text("[data-testid=sentence]")
    assert "hauts responsables de la CIA" in sentence
    assert page.inner_text("mark") in sentence
    assert "les hauts responsables de la CIA" in page.inner_text(
        "table.claimtrack-facts"
    )
    assert page.locator("ol.claimtrack-timeline li").count() >= 1


def test_semantic_search_finds_the_cia_claim(page: Any, server: str) -> None:
    page.goto(
        f"{server}/claims/semantic_search?q=The+CIA+saw+no+sign+of+Russian+nuclear+preparations",
        timeout=180_000,  # the first search loads the model; slow on a loaded machine
    )
    if "passed the time limit" in page.content():
        # On a busy machine the model's first load can pass Datasette's time limit;
        # the page says to try again, as a user would: the model is loaded by now.
        page.reload(timeout=180_000)
    page.screenshot(path=ARTIFACTS / "semantic-search.png", full_page=True)
    first = page.inner_text("table.rows-and-columns tbody tr:first-child")
    assert "CIA" in first
    assert page.locator("table.rows-and-columns tbody tr").count() == 10
    assert DIALOGS == []  # no page ran hostile text as code


# ---- the pages that link up, and the review queue (issue 15) -----------------------


def _one(database: Path, sql: str) -> str:
    with sqlite3.connect(database) as conn:
        row = conn.execute(sql).fetchone()
    assert row, sql
    return str(row[0])


def test_claims_table_links_to_the_claim_page(page: Any, server: str) -> None:
    page.goto(f"{server}/claims/claims")
    assert "_col=text" in page.url  # opens on the readable columns
    page.screenshot(path=ARTIFACTS / "claims-table-readable.png")
    headers = page.locator("table.rows-and-columns th").all_inner_texts()
    assert [h.strip() for h in headers[:3]] == ["id", "text", "speaker_id"]
    assert page.locator("dl.column-descriptions").is_hidden()  # folded
    page.locator("td.col-text a").first.click()
    page.wait_for_url("**/-/claimtrack/claim/**")
    assert page.locator("h1.claimtrack-claim").count() == 1


def test_tracked_claim_page_draws_its_timeline(
    page: Any, server: str, database: Path
) -> None:
    tracked_id = _one(
        database, "select id from tracked_claims order by mentions desc limit 1"
    )
    page.goto(f"{server}/-/claimtrack/tracked/{tracked_id}?database=claims")
    page.screenshot(path=ARTIFACTS / "tracked-claim-page.png", full_page=True)
    chart = page.locator("[data-testid=timeline-chart] svg")
    assert chart.count() == 1 and chart.bounding_box()["width"] > 300
    assert page.locator("rect.claimtrack-bar").count() >= 1
    mentions = page.locator("ol.claimtrack-mentions li")
    assert mentions.count() >= 2
    # follow a mention to its article, then a marked claim to its claim page
    mentions.first.locator("a").first.click()
    page.wait_for_url("**/-/claimtrack/article/**")
    page.screenshot(path=ARTIFACTS / "article-page.png", full_page=True)
    assert page.locator("mark.claimtrack-span").count() >= 1
    page.locator("mark.claimtrack-span a").first.click()
    page.wait_for_url("**/-/claimtrack/claim/**")
    page.screenshot(path=ARTIFACTS / "claim-page-linked.png", full_page=True)
    assert page.inner_text("p.crumbs").startswith("home / claims / claims / claim ")
    assert DIALOGS == []


def test_speaker_page_merges_spellings(page: Any, server: str, database: Path) -> None:
    speaker_id = _one(
        database, "select id from speakers where person = 1 order by mentions desc"
    )
    page.goto(f"{server}/-/claimtrack/speaker/{speaker_id}?database=claims")
    page.screenshot(path=ARTIFACTS / "speaker-page.png", full_page=True)
    assert page.locator("h1.claimtrack-speaker").count() == 1
    rows = page.locator("table.claimtrack-list tr")
    assert rows.count() >= 2
    rows.nth(1).locator("a").first.click()
    page.wait_for_url("**/-/claimtrack/claim/**")


def test_fact_check_page_lists_the_claims_it_reviews(page: Any, server: str) -> None:
    page.goto(f"{server}/claims/fact_checks")
    page.locator("td.col-claim_reviewed a").first.click()
    page.wait_for_url("**/-/claimtrack/fact-check/**")
    page.screenshot(path=ARTIFACTS / "fact-check-page.png", full_page=True)
    assert "Senior CIA officials" in page.inner_text("h1.claimtrack-fact-check")
    assert "Checks Example" in page.inner_text("table.claimtrack-facts")
    claims = page.locator("table.claimtrack-list tr[data-claim-id]")
    assert claims.count() >= 1, "the import linked the review to a claim"
    claims.first.locator("a").first.click()
    page.wait_for_url("**/-/claimtrack/claim/**")
    # and the claim page links back to the fact-check page
    page.locator("a.claimtrack-fact-check-page").first.click()
    page.wait_for_url("**/-/claimtrack/fact-check/**")
    assert "fact-check" in page.inner_text("p.crumbs")
    assert DIALOGS == []


@pytest.fixture(scope="module")
def review_server(database: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """claimtrack serve --review on a copy; yields (url, login link, database)."""
    copy = tmp_path_factory.mktemp("review") / "claims.db"
    with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    port = _free_port()
    process = subprocess.Popen(
        [CLAIMTRACK, "serve", str(copy), "--review", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        login = ""
        deadline = time.monotonic() + 60
        while not login and time.monotonic() < deadline:
            line = process.stdout.readline()
            if "auth-token" in line:
                login = line.strip()
        assert login.startswith(f"http://127.0.0.1:{port}/-/auth-token?token=")
        while time.monotonic() < deadline:  # the link is printed before it listens
            try:
                httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.25)
        yield f"http://127.0.0.1:{port}", login, copy
    finally:
        process.kill()
        process.wait(timeout=10)


def test_review_flow_end_to_end(page: Any, review_server: Any) -> None:
    url, login, copy = review_server
    page.goto(f"{url}/-/claimtrack/review?database=claims")
    assert "Sign in to review" in page.inner_text("body")  # 403 before sign-in
    page.goto(login)  # Datasette's root login link sets the actor cookie
    page.goto(f"{url}/-/claimtrack/review?database=claims")
    page.screenshot(path=ARTIFACTS / "review-queue.png", full_page=True)
    rows = page.locator("[data-testid=claim-link-queue] tr[data-a]")
    assert rows.count() >= 2, "the example articles give suggested links"
    first = (rows.nth(0).get_attribute("data-a"), rows.nth(0).get_attribute("data-b"))
    second = (rows.nth(1).get_attribute("data-a"), rows.nth(1).get_attribute("data-b"))
    rows.nth(0).locator("button[data-decision=same]").click()
    page.wait_for_load_state()
    assert "Confirmed" in page.inner_text("body")
    row = page.locator(f'tr[data-a="{second[0]}"][data-b="{second[1]}"]')
    row.locator("input[name=note]").fill("different numbers")
    row.locator("button[data-decision=rejected]").click()
    page.wait_for_load_state()
    page.screenshot(path=ARTIFACTS / "review-queue-after.png", full_page=True)

    def decisions() -> dict[frozenset[str], str]:
        # A replay in publication order may link a pair the other way round.
        with sqlite3.connect(copy) as conn:
            rows = conn.execute(
                "select claim_id, earlier_claim_id, decision from claim_links"
            ).fetchall()
        return {frozenset((a, b)): d for a, b, d in rows}

    with sqlite3.connect(copy) as conn:
        reviews = conn.execute(
            "select a, b, decision, reviewer, note from reviews order by id"
        ).fetchall()
    assert reviews == [
        (*first, "same", "root", None),
        (*second, "rejected", "root", "different numbers"),
    ]
    first_pair, second_pair = frozenset(first), frozenset(second)
    assert decisions()[first_pair] == "same" and second_pair not in decisions()
    # matching everything again (reembed, then a re-ingest) keeps both decisions
    for command in (
        [CLAIMTRACK, "reembed", str(copy)],
        [CLAIMTRACK, "ingest", str(copy), str(ROOT / "examples" / "articles")],
    ):
        subprocess.run(command, check=True, capture_output=True, timeout=300)
        assert decisions()[first_pair] == "same", command
        assert second_pair not in decisions(), command
