"""How often the shipped pair model calls a gold *same* pair "opposite", and why.

An opposite link to a fact-check reads "reviews the opposite claim" and sets no
verdict; between claims it keeps two tracked claims apart. A pair can only be
opposite when a polarity feature fires (``negation_mismatch`` or ``polarity_flip``,
``claimtrack.decision.pair_features``) and the proposition head passes its threshold,
so this script finds the gold same pairs a polarity feature fires on (the rule that
fired: negation, poles, directions, comparisons), embeds only those, and decides them
as the product does, with the stored side a claim (the claim head) and a fact-check
(the fact-check head).

Pairs, tune/train halves only: the CheckThat! 2A and 2B train+dev tweet/sentence ->
verified claim qrels (the collection text ``match_retrieval_tuning.tasks`` indexes,
the vclaim with its title, and the bare ``vclaim`` field the product would store as
claim_reviewed) and the French claimnorm tuning posts -> their normalised claims.
(The pairs-news tune sets and the FR<->EN translations: ``pairs_transfer.py``.)

    OMP_NUM_THREADS=1 python benchmarks/opposite_gold.py --cache /tmp/opp/cache \
        [--examples 5]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from match_retrieval_tuning import tasks

from claimtrack.decision import PairModel, PairSide
from claimtrack.decision.pair_features import _negation_mismatch
from claimtrack.decision.text_features import (
    claim_of_review,
    comparisons_conflict,
    directions_conflict,
    facts_of,
    polarity_flipped,
)
from claimtrack.evaluate.vector_cache import VectorCache
from claimtrack.plugins import get_embedder

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmark-data"
LANGUAGES = {"2A": "en", "FR": "fr", "2B": "en"}
VCLAIMS = {
    "2A": "checkthat-t2a-en/ct2022/vclaims.jsonl",
    "2B": "checkthat-t2b-en/vclaims.jsonl",
}
# The claimnorm posts hold a literal "None" (an empty field of the dataset's export,
# 945 in train-fra.csv), which the English negation words read as "none".
_LITERAL_NONE = re.compile(r"\bNone\b")


def flip_rules(a: str, b: str) -> list[str]:
    """The polarity rules that fire on a pair (the parts of the two features).

    Example:
        >>> flip_rules("Des pylônes humains en Islande None", "Des pylônes en Islande")
        ['negation (a literal None only)']
        >>> flip_rules("Le vaccin ne tue pas", "Le vaccin tue")
        ['negation']
    """
    fa, fb = facts_of(a), facts_of(b)
    fired = []
    if _negation_mismatch(a, b):
        plain = _negation_mismatch(_LITERAL_NONE.sub("", a), _LITERAL_NONE.sub("", b))
        fired.append("negation" if plain else "negation (a literal None only)")
    if polarity_flipped(fa.poles, fb.poles):
        fired.append("poles")
    if directions_conflict(fa.directed, fb.directed):
        fired.append("directions")
    if comparisons_conflict(fa.compared, fb.compared):
        fired.append("comparisons")
    return fired


def gold_pairs(data: Path) -> Iterator[tuple[str, str, str, str]]:
    """(task, stored text kind, query, gold text) of every tune qrel."""
    for task in tasks(data):
        bare = {}
        if task.name in VCLAIMS:
            with open(data / VCLAIMS[task.name], encoding="utf-8") as lines:
                rows = map(json.loads, lines)
                bare = {str(row["vclaim_id"]): row["vclaim"] for row in rows}
        queries, qrels = task.tune
        for qid, relevant in qrels.items():
            for doc in sorted(relevant):
                if qid not in queries or doc not in task.collection:
                    continue
                yield task.name, "collection", queries[qid], task.collection[doc]
                if doc in bare:
                    yield task.name, "vclaim only", queries[qid], bare[doc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--model", default="e5-minilm")
    parser.add_argument("--examples", type=int, default=0)
    args = parser.parse_args()
    pairs = list(gold_pairs(args.data))
    fired = [(pair, flip_rules(pair[2], claim_of_review(pair[3]))) for pair in pairs]
    fired = [(pair, rules) for pair, rules in fired if rules]
    cache = VectorCache(args.cache, get_embedder(args.model))
    texts = sorted({text for pair, _ in fired for text in pair[2:]})
    vectors = dict(zip(texts, cache.embed(texts), strict=True))
    cache.save()
    model = PairModel.load(args.model)
    totals = Counter(pair[:2] for pair in pairs)
    flipped = Counter(pair[:2] for pair, _ in fired)
    for reviewed in (False, True):
        decisions = model.decide_many(
            [
                (
                    PairSide(a, LANGUAGES[name], vectors[a]),
                    PairSide(b, LANGUAGES[name], vectors[b], is_fact_check=reviewed),
                )
                for (name, _, a, b), _ in fired
            ]
        )
        opposite = Counter()
        by_rule = Counter()
        shown = Counter()
        print("stored side a fact-check" if reviewed else "stored side a claim")
        for (pair, rules), decision in zip(fired, decisions, strict=True):
            if decision.decision != "opposite":
                continue
            opposite[pair[:2]] += 1
            by_rule[(*pair[:2], "+".join(rules))] += 1
            if reviewed and shown[pair[:2]] < args.examples:
                shown[pair[:2]] += 1
                print(f"    e.g. [{'+'.join(rules)}] {pair[2][:160]!r} || {pair[3]!r}")
        for key in sorted(totals):
            print(
                f"  {key[0]} {key[1]}: opposite {opposite[key]} of {totals[key]}"
                f" gold same pairs ({flipped[key]} with a polarity rule firing)"
            )
        for (name, kind, rules), count in sorted(by_rule.items()):
            print(f"      {name} {kind} {rules}: {count}")


if __name__ == "__main__":
    main()
