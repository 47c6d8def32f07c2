"""Measure Datasette page loads and semantic-search latency on a demo database.

Ingests examples/articles/ into a fresh database (unless --database is given), starts
``claimtrack serve`` on a free 127.0.0.1 port, and times HTTP requests from this
process. Then, for each size in --sizes, builds a synthetic database of that many
claims (MiniLM vectors of real sentences, perturbed with noise and renormalised; no
extraction model runs) and times ``Tracker.search(text, k=10)`` and the Datasette
``semantic_search`` canned query against it. Prints one JSON object; times are
milliseconds. A one-line summary goes to stderr.

Usage:
    .venv/bin/python benchmarks/search.py
    .venv/bin/python benchmarks/search.py --database examples/claims.db --repeat 50
    .venv/bin/python benchmarks/search.py --sizes 10000 100000
    .venv/bin/python benchmarks/search.py --sizes   # demo database only
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
import numpy as np

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


DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
MINILM = "sentence-transformers/all-MiniLM-L6-v2"
BATCH = 10_000


def _timed(get: Callable[[], httpx.Response]) -> float:
    start = time.perf_counter()
    get().raise_for_status()
    return (time.perf_counter() - start) * 1000


def _timed_status(get: Callable[[], httpx.Response], status: int) -> float:
    start = time.perf_counter()
    response = get()
    assert response.status_code == status, (response.url, response.status_code)
    return (time.perf_counter() - start) * 1000


def _uptime() -> str:
    """What `uptime` prints (load averages over 1, 5 and 15 minutes), also to stderr."""
    line = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"uptime: {line}", file=sys.stderr)
    return line


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
        tracked_id = conn.execute(
            "select id from tracked_claims order by mentions desc limit 1"
        ).fetchone()[0]
        article_id = conn.execute(
            "select article_id from claims group by article_id "
            "order by count(*) desc limit 1"
        ).fetchone()[0]
        speaker = conn.execute(
            "select id from speakers order by mentions desc limit 1"
        ).fetchone()
        fact_check = conn.execute(
            "select fact_check_id from fact_check_links "
            "group by fact_check_id order by count(*) desc limit 1"
        ).fetchone()
    name = database.stem
    port = _free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [CLAIMTRACK, "serve", str(database), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = httpx.Client(
            base_url=f"http://127.0.0.1:{port}", timeout=120, follow_redirects=True
        )
        while True:
            try:
                client.get("/-/versions.json").raise_for_status()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        startup_ms = (time.perf_counter() - started) * 1000

        def search(query: str) -> httpx.Response:
            return client.get(f"/{name}/semantic_search.json", params={"q": query})

        # The model loads in the background at start; until then a search answers
        # 400 "still loading". Pages are timed once it has loaded (the target is
        # for a server that has loaded its model), so the load does not compete
        # with them for the two cores. Time from the server answering to the
        # first search answered.
        started_search = time.perf_counter()
        while search("first query loads the model").status_code == 400:
            time.sleep(0.5)
        first_search_ms = (time.perf_counter() - started_search) * 1000
        pages = {
            "index": "/",
            "database": f"/{name}",
            "claims_table": f"/{name}/claims",
            "tracked_claims_table": f"/{name}/tracked_claims",
            "claim_row": f"/{name}/claims/{claim_id}",
            "claim_timeline_view": f"/{name}/claim_timeline",
            "claim_page": f"/-/claimtrack/claim/{claim_id}",
            "tracked_claim_page": f"/-/claimtrack/tracked/{tracked_id}",
            "article_page": f"/-/claimtrack/article/{article_id}",
            "repeated_across_outlets": f"/{name}/repeated_across_outlets",
            "claims_by_speaker": f"/{name}/claims_by_speaker?speaker=Putin",
        }
        if speaker:
            pages["speaker_page"] = f"/-/claimtrack/speaker/{speaker[0]}"
        if fact_check:
            pages["fact_check_page"] = f"/-/claimtrack/fact-check/{fact_check[0]}"
        # Pages that answer 404 by design: as fast as any page.
        missing = {
            "claim_page_404": "/-/claimtrack/claim/no-such-claim",
            "tracked_claim_page_404": "/-/claimtrack/tracked/no-such-claim",
            "fact_check_page_404": "/-/claimtrack/fact-check/no-such-review",
        }
        load_before = os.getloadavg()[0]
        uptime_before = _uptime()
        page_times = {
            label: _summary(
                [_timed(lambda p=path: client.get(p)) for _ in range(repeat)]
            )
            for label, path in pages.items()
        }
        page_times |= {
            label: _summary(
                [
                    _timed_status(lambda p=path: client.get(p), 404)
                    for _ in range(repeat)
                ]
            )
            for label, path in missing.items()
        }
        load_after = os.getloadavg()[0]
        uptime_after = _uptime()

        # Distinct texts, so each search embeds its query (no cache hits).
        fresh = [f"{QUERIES[i % len(QUERIES)]} ({i})" for i in range(repeat)]
        # A search refused (400: time limit on a busy machine) is counted, with
        # its message, not raised: the page figures above still get printed.
        refused: list[str] = []

        def timed_search(query: str) -> float:
            start = time.perf_counter()
            response = search(query)
            if response.status_code != 200:
                refused.append(f"{response.status_code}: {response.json()['error']}")
            return (time.perf_counter() - start) * 1000

        search_times = [timed_search(query) for query in fresh]
        cached_times = [timed_search(QUERIES[0]) for _ in range(repeat)]
    finally:
        server.kill()
        server.wait()
    return {
        "database": str(database),
        "claims": claims,
        "repeat": repeat,
        "server_start_ms": round(startup_ms, 1),
        "pages": page_times,
        # 1-minute load average before and after the page timings (2 cores here)
        "load_average": [round(load_before, 2), round(load_after, 2)],
        "uptime": [uptime_before, uptime_after],
        "semantic_search_first_ms": round(first_search_ms, 1),
        "semantic_search_ms": _summary(search_times),
        "semantic_search_repeated_query_ms": _summary(cached_times),
        "semantic_search_refused": refused,
    }


def _start_server(database: Path) -> tuple[subprocess.Popen[bytes], httpx.Client]:
    port = _free_port()
    server = subprocess.Popen(
        [CLAIMTRACK, "serve", str(database), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600)
    return server, client


def _wait_until_up(server: subprocess.Popen[bytes], client: httpx.Client) -> None:
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"claimtrack serve exited with {server.returncode}")
        try:
            client.get("/-/versions.json").raise_for_status()
            return
        except httpx.TransportError:
            time.sleep(0.1)


def _sentences() -> list[str]:
    """Real sentences from the example articles, to embed as seed vectors."""
    texts = []
    for path in sorted((ROOT / "examples" / "articles").glob("*.txt")):
        for sentence in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8")):
            sentence = " ".join(sentence.split())
            if len(sentence) > 20:
                texts.append(sentence)
    return texts + QUERIES


def build_database(path: Path, size: int, seeds: list[str], seed_vectors: np.ndarray):
    """Write size synthetic claims and MiniLM-shaped vectors in one transaction."""
    from claimtrack.store import ClaimStore
    from claimtrack.vectors import encode_vector

    rng = np.random.default_rng(size)
    store = ClaimStore(path)
    text_of = [s[:300] for s in seeds]

    def claims():
        for i in range(size):
            text = f"{text_of[i % len(text_of)]} [{i}]"
            yield {
                "id": f"c{i}",
                "article_id": "a0",
                "position": i,
                "text": text,
                "sentence": text,
                "char_start": 0,
                "char_end": len(text),
                "sentence_start": 0,
                "sentence_end": len(text),
                "quote_type": "none",
                "checkworthiness": 0.5,
                "reasons": "[]",
                "hedged": 0,
                "negated": 0,
                "claim_type": "other",
                "language": "en",
                "extractor": "synthetic",
            }

    def embeddings():
        for start in range(0, size, BATCH):
            n = min(BATCH, size - start)
            base = seed_vectors[np.arange(start, start + n) % len(seed_vectors)]
            noisy = base + rng.normal(0, 0.06, size=base.shape).astype(np.float32)
            noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
            for j in range(n):
                yield {
                    "claim_id": f"c{start + j}",
                    "model_id": MINILM,
                    "dimensions": 384,
                    "vector": encode_vector(noisy[j]),
                }

    with store.write_transaction():
        store.db.table("articles").insert(
            {
                "id": "a0",
                "title": "synthetic",
                "outlet": "bench",
                "language": "en",
                "text": "synthetic",
                "text_sha256": "0",
                "ingested_at": "2026-11-26T00:00:00",
            }
        )
        store.db.table("claims").insert_all(claims(), batch_size=BATCH)
        store.db.table("embeddings").insert_all(embeddings(), batch_size=BATCH)
    store.checkpoint()
    store.db.conn.close()


def measure_tracker(path: Path, queries: list[str]) -> dict[str, object]:
    """Time Tracker.search(text, k=10): model load, index load, then each query.

    The first Tracker reads every vector from SQLite (and past 100,000 builds the HNSW
    graph and saves it beside the database); a second Tracker, as the next process
    would, reads the saved graph back. Both load times are reported.
    """
    from claimtrack.tracker import Tracker

    tracker = Tracker(path, embedder="minilm")
    start = time.perf_counter()
    tracker.embedder.embed_all(["warm-up loads the model"])
    model_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    index = tracker.index
    index_ms = (time.perf_counter() - start) * 1000
    reopened = Tracker(path, embedder=tracker.embedder)
    start = time.perf_counter()
    reopened_index = reopened.index
    reload_ms = (time.perf_counter() - start) * 1000
    assert len(reopened_index) == len(index), (len(reopened_index), len(index))
    reopened.store.db.conn.close()
    tracker.search("warm-up search", k=10)
    times = []
    for query in queries:
        start = time.perf_counter()
        hits = tracker.search(query, k=10)
        times.append((time.perf_counter() - start) * 1000)
        assert len(hits) == 10, len(hits)
    result = {
        "model_load_ms": round(model_ms, 1),
        "index_load_ms": round(index_ms, 1),
        "index_reload_ms": round(reload_ms, 1),
        "index_vectors": len(index),
        "index_mb": round(index.nbytes / 1e6, 1),
        "index_approximate": bool(index.approximate),
        "search_ms": _summary(times),
    }
    tracker.store.db.conn.close()
    return result


def measure_datasette_search(path: Path, queries: list[str]) -> dict[str, object]:
    """Time /DB/semantic_search.json; report HTTP errors instead of raising."""
    name = path.stem
    started = time.perf_counter()
    server, client = _start_server(path)
    outcome: dict[str, object] = {}
    try:
        _wait_until_up(server, client)
        outcome["server_start_ms"] = round((time.perf_counter() - started) * 1000, 1)
        times: list[float] = []
        errors: list[dict[str, object]] = []
        for i, query in enumerate(["first query loads the model", *queries]):
            start = time.perf_counter()
            response = client.get(f"/{name}/semantic_search.json", params={"q": query})
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200 or not response.json().get("ok", True):
                try:
                    body = response.json()
                    message = body.get("error") or body.get("title") or str(body)
                except ValueError:
                    message = response.text[:300]
                errors.append(
                    {
                        "status": response.status_code,
                        "ms": round(elapsed, 1),
                        "message": str(message)[:300],
                    }
                )
            elif i == 0:
                outcome["first_ms"] = round(elapsed, 1)
            else:
                times.append(elapsed)
        outcome["ok"] = len(times)
        outcome["errors"] = len(errors)
        outcome["server_rss_mb"] = _rss_mb(server.pid)
        if times:
            outcome["search_ms"] = _summary(times)
        if errors:
            outcome["first_error"] = errors[0]
            outcome["error_ms"] = _summary([float(e["ms"]) for e in errors])
    except Exception as error:  # report, do not crash the run
        outcome["failure"] = f"{type(error).__name__}: {error}"
    finally:
        server.kill()
        server.wait()
        client.close()
    return outcome


def _rss_mb(pid: int) -> float | None:
    """Resident memory of a process (Linux), with its model and vector index loaded."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kilobytes = re.search(r"VmRSS:\s+(\d+) kB", status)
    return round(int(kilobytes.group(1)) / 1024, 1) if kilobytes else None


def measure_sizes(sizes: list[int], repeat: int) -> list[dict[str, object]]:
    """Build each synthetic database in a temporary folder and time both searches."""
    from claimtrack.plugins import get_embedder

    seeds = _sentences()
    seed_vectors = np.asarray(get_embedder("minilm").embed_all(seeds), np.float32)
    queries = [f"{QUERIES[i % len(QUERIES)]} ({i})" for i in range(repeat)]
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "claims.db"
            start = time.perf_counter()
            build_database(path, size, seeds, seed_vectors)
            entry: dict[str, object] = {
                "claims": size,
                "build_s": round(time.perf_counter() - start, 1),
                "database_mb": round(path.stat().st_size / 1e6, 1),
            }
            print(f"built {size} claims in {entry['build_s']} s", file=sys.stderr)
            entry["tracker"] = measure_tracker(path, queries)
            print(f"tracker {size}: {entry['tracker']}", file=sys.stderr)
            entry["datasette"] = measure_datasette_search(path, queries)
            print(f"datasette {size}: {entry['datasette']}", file=sys.stderr)
            results.append(entry)
    return results


def _one_line(result: dict[str, object]) -> str:
    demo = result["demo"]
    pages = demo["pages"]
    slowest = max(pages, key=lambda page: pages[page]["p95_ms"])
    parts = [
        f"demo {demo['claims']} claims at load {demo['load_average']}: every page "
        f"p50 <= {max(t['median_ms'] for t in pages.values())} ms, slowest p95 "
        f"{pages[slowest]['p95_ms']} ms ({slowest}); semantic_search median "
        f"{demo['semantic_search_ms']['median_ms']} ms"
    ]
    for entry in result["sizes"]:
        tracker = entry["tracker"]
        datasette = entry["datasette"]
        if "search_ms" in datasette:
            web = f"{datasette['search_ms']['median_ms']} ms"
        else:
            error = datasette.get("first_error") or {}
            web = f"error {error.get('status')}" if error else "failed"
        parts.append(
            f"{entry['claims']}: Tracker.search median "
            f"{tracker['search_ms']['median_ms']} ms (index load "
            f"{tracker['index_load_ms']} ms, reload {tracker['index_reload_ms']} ms), "
            f"Datasette {web} (first {datasette.get('first_ms')} ms)"
        )
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="default: a fresh demo database")
    parser.add_argument("--repeat", type=int, default=20, help="requests per figure")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=list(DEFAULT_SIZES),
        help="synthetic database sizes in claims (default: 10000 100000 1000000)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = args.database or _demo_database(Path(folder))
        result = {"demo": measure(database, args.repeat)}
    result["sizes"] = measure_sizes(args.sizes, args.repeat)
    print(json.dumps(result, indent=2))
    print(_one_line(result), file=sys.stderr)


if __name__ == "__main__":
    main()
