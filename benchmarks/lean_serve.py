"""Check that a minimal install serves a claim database: every page, query, function.

Give the virtualenv of a deployment (one with only the packages ``claimtrack
publish`` needs, no torch, no model) and a claim database. It starts that venv's
``datasette serve --immutable`` with claimtrack's metadata on a free 127.0.0.1 port
and requests every page, canned query and SQL function of the plugin, printing the
HTTP status of each, and whether it needed a model (these are expected to answer
with a clear error instead of a page).

    python -m venv --without-pip /tmp/lean-venv
    pip --python /tmp/lean-venv/bin/python install datasette sqlite-utils numpy \
        pydantic pluggy faiss-cpu pysqlite3-binary
    claimtrack publish claims.db          # writes claims-plugins/
    python benchmarks/lean_serve.py /tmp/lean-venv claims.db [claims-plugins]

With PLUGINS_DIR (the folder ``claimtrack publish`` writes, DATABASE-plugins/), the
plugin is loaded from there, as a deployment does, and the venv needs no claimtrack.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlite_utils import Database

from claimtrack.publish.metadata import build_metadata

# What needs a model: the text has to be embedded.
NEEDS_MODEL = {"semantic_search", "claimtrack_embed"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def urls(db: Database) -> dict[str, str]:
    claim = next(db.query("select id, tracked_claim_id, article_id from claims"))
    speaker = next(db.query("select id from speakers"), None)
    pages = {
        "index": "/",
        "database": "/claims",
        "claim page": f"/-/claimtrack/claim/{claim['id']}",
        "tracked claim page": f"/-/claimtrack/tracked/{claim['tracked_claim_id']}",
        "article page": f"/-/claimtrack/article/{claim['article_id']}",
    }
    if speaker is not None:
        pages["speaker page"] = f"/-/claimtrack/speaker/{speaker['id']}"
    for table in db.table_names() + db.view_names():
        if not table.startswith(("claims_fts", "fact_checks_fts", "_")):
            pages[f"table {table}"] = f"/claims/{table}"
    params = {
        "semantic_search": "q=nuclear+weapons",
        "similar_to_claim": f"claim_id={claim['id']}",
        "tracked_claim_timeline": f"tracked_claim_id={claim['tracked_claim_id']}",
        "claims_by_speaker": "speaker=a",
    }
    for name in build_metadata()["databases"]["claims"]["queries"]:
        pages[f"query {name}"] = f"/claims/{name}.json?{params.get(name, '')}"
    functions = {
        "claimtrack_similarity": "select claimtrack_similarity(vector, vector) "
        "from embeddings limit 1",
        "claimtrack_nearest": "select claimtrack_nearest(vector, 3) "
        "from embeddings limit 1",
        "claimtrack_query_text": "select claimtrack_query_text('A post. A post.')",
        "claimtrack_embed": "select length(claimtrack_embed('nuclear'))",
    }
    for name, sql in functions.items():
        pages[f"function {name}"] = f"/claims.json?sql={quote(sql)}"
    return pages


def main() -> None:
    venv, database = Path(sys.argv[1]), Path(sys.argv[2])
    plugins = ["--plugins-dir", sys.argv[3]] if len(sys.argv) > 3 else []
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        metadata = Path(folder) / "metadata.json"
        metadata.write_text(json.dumps(build_metadata()))
        server = subprocess.Popen(
            [
                *(str(venv / "bin" / "datasette"), "serve", "--immutable"),
                *(str(database), "--metadata", str(metadata), "--port", str(port)),
                *plugins,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            client = httpx.Client(
                base_url=f"http://127.0.0.1:{port}", timeout=60, follow_redirects=True
            )
            for _ in range(100):
                try:
                    client.get("/-/versions.json")
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            results = {}
            for name, url in urls(Database(database)).items():
                response = client.get(url)
                ok = response.status_code == 200 and '"ok": false' not in response.text
                body = response.json() if url.count(".json") else {}
                if isinstance(body, dict) and body.get("ok") is False:
                    ok = False
                results[name] = {
                    "status": response.status_code,
                    "ok": ok,
                    "needs_model": any(key in name for key in NEEDS_MODEL),
                    "error": None if ok else str(body.get("error", ""))[:160],
                }
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps(results, indent=1))
    served = [n for n, r in results.items() if r["ok"]]
    failed = [n for n, r in results.items() if not r["ok"]]
    unexpected = [n for n in failed if not results[n]["needs_model"]]
    print(
        f"{len(served)} served, {len(failed)} not ({', '.join(failed) or 'none'}); "
        f"unexpected failures: {', '.join(unexpected) or 'none'}",
        file=sys.stderr,
    )
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
