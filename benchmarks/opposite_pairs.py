"""The writer's opposite-pairs query at a million claims: old join against new seeks.

``ClaimStore.opposite_tracked_pairs`` runs once an article (``Tracker._place``). The
synthetic writer databases of ``ingest.py --fake-models`` hold almost no links, so
this builds a table of its own in memory: N claims in tracked claims of three
mentions, two links a claim to earlier ones (a tenth of the claims' links drawn
among same / suggested / opposite, the rest same or suggested), and times the query
for 10 articles of 23 random tracked claims, old (every link read) and new, twice,
then checks both give the same pairs for 50 more.

    python benchmarks/opposite_pairs.py [--claims 1000000]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import time

from claimtrack.store import OPPOSITE_TRACKED_PAIRS

# The query before round 8 (commit e900673).
OVER_EVERY_LINK = """
    select distinct new.tracked_claim_id as a, earlier.tracked_claim_id as b
    from claim_links
    join claims as new on new.id = claim_links.claim_id
    join claims as earlier on earlier.id = claim_links.earlier_claim_id
    where claim_links.decision = 'opposite'
    and (new.tracked_claim_id in (select value from json_each(:ids))
        or earlier.tracked_claim_id in (select value from json_each(:ids)))
"""


def build(claims: int) -> sqlite3.Connection:
    """The tables and indexes the query reads, as claimtrack's schema has them."""
    db = sqlite3.connect(":memory:")
    db.executescript(
        """
        create table claims (id text primary key, tracked_claim_id text);
        create index idx_claims_tracked_claim_id on claims (tracked_claim_id);
        create table claim_links (claim_id text, earlier_claim_id text,
            decision text, primary key (claim_id, earlier_claim_id));
        create index idx_claim_links_earlier_claim_id
            on claim_links (earlier_claim_id);
        """
    )
    rng = random.Random(0)
    db.executemany(
        "insert into claims values (?, ?)",
        ((f"c{n}", f"t{n // 3}") for n in range(claims)),
    )
    decisions = (["same", "suggested", "suggested", "opposite"], ["suggested", "same"])
    db.executemany(
        "insert or ignore into claim_links values (?, ?, ?)",
        (
            (
                f"c{n}",
                f"c{rng.randrange(n)}",
                rng.choice(decisions[rng.random() >= 0.1]),
            )
            for n in range(1, claims)
            for _ in range(2)
        ),
    )
    db.commit()
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    options = parser.parse_args()
    db = build(options.claims)
    rng = random.Random(1)
    tracked = options.claims // 3

    def article() -> str:
        return json.dumps(sorted({f"t{rng.randrange(tracked)}" for _ in range(23)}))

    links, opposite = db.execute(
        "select count(*), sum(decision = 'opposite') from claim_links"
    ).fetchone()
    print(f"{options.claims:,} claims, {links:,} links ({opposite:,} opposite)")
    for label, sql in (("old", OVER_EVERY_LINK), ("new", OPPOSITE_TRACKED_PAIRS)) * 2:
        cpu = []
        for _ in range(10):
            ids = article()
            started = time.process_time()
            db.execute(sql, {"ids": ids}).fetchall()
            cpu.append(1000 * (time.process_time() - started))
        print(f"{label}: {statistics.median(cpu):.2f} ms CPU an article (median of 10)")
    for _ in range(50):
        ids = article()
        old = set(db.execute(OVER_EVERY_LINK, {"ids": ids}).fetchall())
        assert old == set(db.execute(OPPOSITE_TRACKED_PAIRS, {"ids": ids}).fetchall())
    print("the same pairs for 50 more articles")


if __name__ == "__main__":
    main()
