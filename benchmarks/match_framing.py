"""Does dropping PolitiFact's "Says" framing help same decisions? On 2B gold pairs.

The first 120 CheckThat! 2B train + dev gold pairs (debate line -> vclaim) whose vclaim
starts with "Says", decided by the shipped pair model with the default embedder:
before (the vclaim embedded and read as written) and after
(claimtrack.decision.claim_of_review, as import and the matcher now do).

    python benchmarks/match_framing.py
"""

import json
import statistics

from claimtrack.decision import PairModel, PairSide, claim_of_review
from claimtrack.evaluate.retrieval import load_qrels, load_queries
from claimtrack.plugins import get_embedder

D = "/work/shared/benchmark-data/checkthat-t2b-en/"
vc = {}
with open(D + "vclaims.jsonl", encoding="utf-8") as lines:
    for line in lines:
        record = json.loads(line)
        vc[record["vclaim_id"]] = record["vclaim"]
q = load_queries(D + "train-dev.queries.tsv")
pairs = []
for f in ["train.qrels.tsv", "dev.qrels.tsv"]:
    for qid, docs in load_qrels(D + f).items():
        for d in docs:
            if qid in q and vc[d].startswith("Says "):
                pairs.append((q[qid], vc[d]))
pairs = pairs[:120]
e = get_embedder("e5-minilm")
m = PairModel.load(e.model_id)
texts = [t for a, b in pairs for t in (a, b, claim_of_review(b))]
V = e.embed_all(texts)
raw = []
norm = []
for i, (a, b) in enumerate(pairs):
    va, vb, vn = V[3 * i], V[3 * i + 1], V[3 * i + 2]
    # before: a side that is not marked as a fact-check keeps its text as written
    raw.append(m.decide(PairSide(a, "en", va), PairSide(b, "en", vb)))
    norm.append(
        m.decide(PairSide(a, "en", va), PairSide(b, "en", vn, is_fact_check=True))
    )


def summ(ds):
    c = {
        k: sum(d.decision == k for d in ds)
        for k in ("same", "suggested", "opposite", None)
    }
    return (
        c,
        round(statistics.mean(d.probability for d in ds), 4),
        round(statistics.median(d.probability for d in ds), 4),
    )


print(
    json.dumps(
        {"pairs": len(pairs), "raw": str(summ(raw)), "normalised": str(summ(norm))}
    )
)
