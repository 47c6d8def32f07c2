"""Ray engine against the single process: same articles, same database, throughput.

Builds N articles as benchmarks/ingest.py does, ingests them with the local engine,
then with ``--engine ray`` on 1 and 2 local workers (Ray started on this machine),
each into a new database, and prints articles/s for each and the rows that differ
from the local database, by table (vectors equal within 1e-5). Model loading is
outside the local timing (loaded before) but inside Ray's (each actor loads its
models): both are printed.

    python benchmarks/ray_ingest.py [-n 200] [--workers 1 2] [--model e5-minilm]
        [--transcripts ../shared/benchmark-data/checkthat-t2b-en/transcripts]
        [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).parent))
from ingest import build_articles

from claimtrack.settings import DEFAULT_EMBEDDER, DEFAULT_EXTRACTOR
from claimtrack.tracker import Tracker


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = Database(path)
    out = {}
    for table in db.tables:
        # Full-text indexes are derived, and their rowids follow set order.
        if "_fts" in table.name or table.name.startswith("sqlite_"):
            continue
        skip = {"ingested_at", "applied_at"} | (
            {"id"} if table.name == "embeddings" else set()
        )
        columns = ", ".join(
            f"[{c}]" for c in sorted(table.columns_dict) if c not in skip
        )
        out[table.name] = list(
            db.execute(f"select {columns} from [{table.name}] order by {columns}")
        )
    return out


def differences(a: Path, b: Path) -> dict[str, int]:
    """{table: rows in one database and not the other}; vectors equal within 1e-5."""
    left, right = rows(a), rows(b)
    found = {}
    for name in sorted(left.keys() | right.keys()):
        ours, theirs = left.get(name, []), right.get(name, [])
        if name == "embeddings":
            differ = len(ours) != len(theirs) or any(
                not _close(x, y) for x, y in zip(ours, theirs, strict=True)
            )
            count = abs(len(ours) - len(theirs)) or sum(
                not _close(x, y) for x, y in zip(ours, theirs, strict=True)
            )
            if differ:
                found[name] = count
            continue
        count = len(set(ours) ^ set(theirs))
        if count:
            found[name] = count
    return found


def _close(x: tuple[object, ...], y: tuple[object, ...]) -> bool:
    for u, v in zip(x, y, strict=True):
        if isinstance(u, bytes) and isinstance(v, bytes):
            if not np.allclose(
                np.frombuffer(u, "<f4"), np.frombuffer(v, "<f4"), atol=1e-5
            ):
                return False
        elif u != v:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--model", default=DEFAULT_EMBEDDER)
    parser.add_argument("--transcripts", type=Path)
    parser.add_argument("--keep", type=Path, help="write the databases here")
    options = parser.parse_args()
    articles = build_articles(options.articles, options.transcripts, None)
    figures: dict[str, object] = {"articles": len(articles), "model": options.model}
    with tempfile.TemporaryDirectory() as temporary:
        folder = options.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        local_db = Path(folder) / "local.db"
        started = time.perf_counter()
        tracker = Tracker(local_db, embedder=options.model, extractor=DEFAULT_EXTRACTOR)
        tracker.embedder.embed_all(["warm up"])
        tracker.extractor.extract_many(articles[:1])
        load = time.perf_counter() - started
        started = time.perf_counter()
        claims = sum(len(r.claims) for r in tracker.ingest_many(articles))
        seconds = time.perf_counter() - started
        figures["claims"] = claims
        figures["local"] = {
            "model_load_seconds": round(load, 1),
            "ingest_seconds": round(seconds, 1),
            "articles_per_second": round(len(articles) / seconds, 2),
        }
        import ray

        from claimtrack.engines.ray_engine import ingest_with_ray

        for workers in options.workers:
            ray.init(
                num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False
            )
            path = Path(folder) / f"ray{workers}.db"
            writer = Tracker(path, embedder=options.model, extractor=DEFAULT_EXTRACTOR)
            started = time.perf_counter()
            results = list(
                ingest_with_ray(
                    writer,
                    articles,
                    extractor=DEFAULT_EXTRACTOR,
                    embedder=options.model,
                    workers=workers,
                )
            )
            seconds = time.perf_counter() - started
            ray.shutdown()
            figures[f"ray_{workers}_workers"] = {
                "seconds_with_model_loads": round(seconds, 1),
                "articles_per_second": round(len(results) / seconds, 2),
                "rows_differing_from_local": differences(path, local_db),
            }
            print(json.dumps(figures), file=sys.stderr, flush=True)
    figures["load_average_1min"] = round(os.getloadavg()[0], 1)
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
