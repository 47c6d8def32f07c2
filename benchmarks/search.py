"""Measure Datasette page loads and semantic-search latency on a demo database.

Ingests examples/articles/ into a fresh database (unless --database is given), starts
``claimtrack serve`` on a free 127.0.0.1 port, and times HTTP requests from this
process. Prints one JSON object; times are milliseconds.

Usage:
    .venv/bin/python benchmarks/search.py
    .venv/bin/python benchmarks/search.py --database examples/claims.db --repeat 50
"""

from __future__ import annotations

import argparse
import json
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).parent.parent
CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))
QUERIES = [
    "Russia is preparing to use nuclear weapons",
    "la CIA n'a vu aucun signe d'une frappe nucléaire",
    "the transit budget was approved",
    "bus waiting times will fall",
    "Putin threatened to use nuclear weapons",
    "the lanes will cost more than planned",
    "ridership fell after the pandemic",
    "les États-Unis ont mis en garde la Russie",
    "the United States warned Moscow privately",
    "Ukraine's battlefield setbacks",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _timed(get: Callable[[], httpx.Response]) -> float:
    start = time.perf_counter()
    get().raise_for_status()
    return (time.perf_counter() - start) * 1000


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def _demo_database(folder: Path) -> Path:
    path = folder / "claims.db"
    subprocess.run(
        [CLAIMTRACK, "ingest", str(path), str(ROOT / "examples" / "articles")],
        check=True,
        capture_output=True,
    )
    return path


def measure(database: Path, repeat: int) -> dict[str, object]:
    """Serve database and time page loads and semantic searches against it."""
    with sqlite3.connect(database) as conn:
        claim_id = conn.execute("select id from claims limit 1").fetchone()[0]
        claims = conn.execute("select count(*) from claims").fetchone()[0]
    name = database.stem
    port = _free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [CLAIMTRACK, "serve", str(database), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
        while True:
            try:
                client.get("/-/versions.json").raise_for_status()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        startup_ms = (time.perf_counter() - started) * 1000
        pages = {
            "index": "/",
            "claims_table": f"/{name}/claims",
            "claim_page": f"/-/claimtrack/claim/{claim_id}",
            "repeated_across_outlets": f"/{name}/repeated_across_outlets",
        }
        page_times = {
            label: _summary(
                [_timed(lambda p=path: client.get(p)) for _ in range(repeat)]
            )
            for label, path in pages.items()
        }

        def search(query: str) -> httpx.Response:
            return client.get(f"/{name}/semantic_search.json", params={"q": query})

        # The first search loads the embedding model.
        first_search_ms = _timed(lambda: search("first query loads the model"))
        # Distinct texts, so each search embeds its query (no cache hits).
        fresh = [f"{QUERIES[i % len(QUERIES)]} ({i})" for i in range(repeat)]
        search_times = [_timed(lambda q=query: search(q)) for query in fresh]
        cached_times = [_timed(lambda: search(QUERIES[0])) for _ in range(repeat)]
    finally:
        server.kill()
        server.wait()
    return {
        "database": str(database),
        "claims": claims,
        "repeat": repeat,
        "server_start_ms": round(startup_ms, 1),
        "pages": page_times,
        "semantic_search_first_ms": round(first_search_ms, 1),
        "semantic_search_ms": _summary(search_times),
        "semantic_search_repeated_query_ms": _summary(cached_times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="default: a fresh demo database")
    parser.add_argument("--repeat", type=int, default=20, help="requests per figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = args.database or _demo_database(Path(folder))
        print(json.dumps(measure(database, args.repeat), indent=2))


if __name__ == "__main__":
    main()
