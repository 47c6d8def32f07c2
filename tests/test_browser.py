"""A person's view: the real server on loopback, opened in headless Chromium.

Ingests the example articles (plus one hostile article) with the real extractor and
model, starts ``claimtrack serve`` on a free 127.0.0.1 port, and visits the index, a
table, a claim page and the semantic search. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

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
        [CLAIMTRACK, "ingest", str(path), str(folder)],
        check=True,
        capture_output=True,
        timeout=120,
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
    body = page.inner_text("body")
    assert "Search claims by meaning" in body  # a canned query
    assert "claimtrack_embed(" in body  # the documented example queries


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
        f"{server}/claims/semantic_search?q=The+CIA+saw+no+sign+of+Russian+nuclear+preparations"
    )
    page.screenshot(path=ARTIFACTS / "semantic-search.png", full_page=True)
    first = page.inner_text("table.rows-and-columns tbody tr:first-child")
    assert "CIA" in first
    assert page.locator("table.rows-and-columns tbody tr").count() == 10
    assert DIALOGS == []  # no page ran hostile text as code
