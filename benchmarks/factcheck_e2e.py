"""End-to-end fact-check linking on a CheckThat! 2B debate transcript.

Imports the PolitiFact vclaims as fact-checks, ingests one debate transcript as an
article (one paragraph per transcript line), links its claims to the fact-checks and
reports how many gold lines (from the qrels) end up linked to their gold fact-check.

Usage:
    .venv/bin/python benchmarks/factcheck_e2e.py \\
        ../shared/benchmark-data/checkthat-t2b-en/vclaims.jsonl \\
        ../shared/benchmark-data/checkthat-t2b-en/transcripts/2019_nov_22_*.tsv \\
        ../shared/benchmark-data/checkthat-t2b-en/dev-test.qrels.tsv

Importing the 19,250 vclaims embeds them all (half an hour or more on 2 shared
cores); ``--import-only --db FILE`` stops after the import, so that each later run
can start from a copy of FILE and decide its links afresh (a re-run on the same
file finds the transcript already ingested and only reads its old links).

Prints one JSON object on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from claimtrack.factchecks import read_fact_checks
from claimtrack.models import Article
from claimtrack.query import query_vectors
from claimtrack.settings import DEFAULT_EMBEDDER
from claimtrack.tracker import Tracker

# How deep to look for the gold fact-check among each claim's nearest fact-checks.
RANK_DEPTH = 100


def read_transcript(path: Path) -> tuple[str, list[tuple[int, int, int]]]:
    """Return the article text and (line_no, char_start, char_end) of each line."""
    parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    offset = 0
    with path.open(encoding="utf-8") as file:
        for row in csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 3 or not row[0].strip().isdigit():
                continue
            sentence = " ".join(row[2].split())
            spans.append((int(row[0]), offset, offset + len(sentence)))
            parts.append(sentence)
            offset += len(sentence) + 2
    return "\n\n".join(parts), spans


def gold_lines(qrels: list[Path], transcript: Path) -> dict[int, set[str]]:
    """Return {line_no: {vclaim_id}} for the qrels rows that point into the transcript.

    Ids are ``<yyyy_mon_dd>_<line>`` (2021) or ``<file stem>_<4-digit line>`` (2022).
    """
    gold: dict[int, set[str]] = defaultdict(set)
    for path in qrels:
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if len(fields) < 3:
                continue
            query_id, vclaim_id = fields[0], fields[2]
            prefix, _, number = query_id.rpartition("_")
            if number.isdigit() and transcript.stem.startswith(prefix):
                gold[int(number)].add(vclaim_id)
    return dict(gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vclaims", type=Path)
    parser.add_argument("transcript", type=Path)
    parser.add_argument("qrels", type=Path, nargs="+")
    parser.add_argument("--model", default=DEFAULT_EMBEDDER)
    parser.add_argument("--extractor", default="sentences")
    parser.add_argument("--db", type=Path, help="Database file (default: temporary)")
    parser.add_argument("--same-threshold", type=float)
    parser.add_argument("--suggest-threshold", type=float)
    parser.add_argument(
        "--import-only", action="store_true", help="Stop after importing the vclaims"
    )
    args = parser.parse_args()

    db = args.db or Path(tempfile.mkdtemp()) / "e2e.db"
    thresholds = {
        key: value
        for key, value in (
            ("same_threshold", args.same_threshold),
            ("suggest_threshold", args.suggest_threshold),
        )
        if value is not None
    }
    tracker = Tracker(db, extractor=args.extractor, embedder=args.model, **thresholds)
    started = time.perf_counter()
    records = list(read_fact_checks([args.vclaims]))
    id_of = {str(r.raw["vclaim_id"]): r.fact_check.id for r in records}
    imported = tracker.import_fact_checks(records)
    import_seconds = time.perf_counter() - started
    print(
        f"imported {imported.added} fact-checks in {import_seconds:.0f} s",
        file=sys.stderr,
    )
    if args.import_only:
        return

    text, spans = read_transcript(args.transcript)
    article = Article(id=args.transcript.stem, text=text, language="en")
    started = time.perf_counter()
    result = tracker.ingest(article)
    claims = result.claims or tracker.claims(article_id=article.id)  # a re-run
    links = list(result.fact_check_links) or tracker.store.fact_check_links_of(
        [claim.id for claim in claims]
    )
    ingest_seconds = time.perf_counter() - started

    line_of_claim = {}
    for claim in claims:
        for line_no, start, end in spans:
            if start <= claim.sentence_start < end + 1:
                line_of_claim[claim.id] = line_no
                break
    links_by_line: dict[int, dict[str, str]] = defaultdict(dict)
    for link in links:
        line_no = line_of_claim.get(link.claim_id)
        if line_no is not None:
            best = links_by_line[line_no].get(link.fact_check_id)
            if best != "same":
                links_by_line[line_no][link.fact_check_id] = link.decision
    gold = gold_lines(args.qrels, args.transcript)
    vectors = tracker.embedder.embed_all([claim.text for claim in claims])
    # The gold's rank in the product's hybrid ranking, as the matcher sees it: the
    # claim's vector weighed by its language.
    hits = tracker.fact_check_index.candidates(
        [claim.text for claim in claims],
        query_vectors(
            vectors, [claim.language for claim in claims], tracker.embedder.model_id
        ),
        limit=RANK_DEPTH,
    )
    best: dict[tuple[int, str], tuple[int, float]] = {}
    for claim, claim_hits in zip(claims, hits, strict=True):
        line_no = line_of_claim.get(claim.id, -1)
        for rank, (fact_check_id, _, score) in enumerate(claim_hits, start=1):
            key = (line_no, fact_check_id)
            if key not in best or rank < best[key][0]:
                best[key] = (rank, score)
    with_claims = {line for line in line_of_claim.values()}
    linked_any = linked_same = top5 = 0
    per_line = []
    for line_no, vclaims in sorted(gold.items()):
        wanted = {id_of[v] for v in vclaims if v in id_of}
        decisions = {links_by_line[line_no].get(fc) for fc in wanted} - {None}
        linked_any += bool(decisions)
        linked_same += "same" in decisions
        ranked = [best[(line_no, fc)] for fc in wanted if (line_no, fc) in best]
        rank, score = min(ranked) if ranked else (None, None)
        top5 += rank is not None and rank <= 5
        per_line.append(
            {
                "line": line_no,
                "claims": line_no in with_claims,
                "gold_rank": rank,
                "gold_score": None if score is None else round(score, 3),
                "decision": "same"
                if "same" in decisions
                else next(iter(decisions), None),
            }
        )
    total = len(gold)
    # Precision of the same links: a same link of a gold line is right when its
    # fact-check is that line's gold; lines without gold have no known answer.
    same_links = [link for link in links if link.decision == "same"]
    on_gold = [link for link in same_links if line_of_claim.get(link.claim_id) in gold]
    right = [
        link
        for link in on_gold
        if link.fact_check_id
        in {id_of.get(v) for v in gold[line_of_claim[link.claim_id]]}
    ]
    print(
        json.dumps(
            {
                "transcript": args.transcript.name,
                "model": tracker.embedder.model_id,
                "extractor": args.extractor,
                "same_threshold": args.same_threshold,
                "suggest_threshold": args.suggest_threshold,
                "fact_checks": len(records),
                "transcript_lines": len(spans),
                "claims": len(claims),
                "fact_check_links": len(links),
                "fact_check_links_same": sum(link.decision == "same" for link in links),
                "gold_lines": total,
                "gold_lines_with_a_claim": sum(line in with_claims for line in gold),
                "gold_lines_linked": linked_any,
                "gold_lines_linked_same": linked_same,
                "recall_linked": round(linked_any / total, 3) if total else None,
                "recall_same": round(linked_same / total, 3) if total else None,
                "gold_in_top5_of_a_claim": top5,
                "same_links_on_gold_lines": len(on_gold),
                "same_links_on_gold_lines_right": len(right),
                "same_precision_on_gold_lines": round(len(right) / len(on_gold), 3)
                if on_gold
                else None,
                "same_links_on_other_lines": len(same_links) - len(on_gold),
                "suggested_per_claim_max": max(
                    (
                        sum(
                            1
                            for link in links
                            if link.claim_id == claim.id
                            and link.decision == "suggested"
                        )
                        for claim in claims
                    ),
                    default=0,
                ),
                "import_seconds": round(import_seconds, 1),
                "ingest_seconds": round(ingest_seconds, 1),
                "per_line": per_line,
            }
        )
    )


if __name__ == "__main__":
    main()
