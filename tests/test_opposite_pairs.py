"""ClaimStore.opposite_tracked_pairs: the pairs the join over every link gave, by index.

The writer asks it once an article; it read every claim_links row (its filter on the
decision has no index). The seeks from the tracked claims' mentions must find the
same pairs, both directions, and read no link they do not need.
"""

from __future__ import annotations

import json
import random

from claimtrack.store import OPPOSITE_TRACKED_PAIRS, ClaimStore

# The query the writer ran before (commit e900673), for comparison.
OVER_EVERY_LINK = """
    select distinct new.tracked_claim_id as a, earlier.tracked_claim_id as b
    from claim_links
    join claims as new on new.id = claim_links.claim_id
    join claims as earlier on earlier.id = claim_links.earlier_claim_id
    where claim_links.decision = 'opposite'
    and (new.tracked_claim_id in (select value from json_each(:ids))
        or earlier.tracked_claim_id in (select value from json_each(:ids)))
"""


def _store_with_links(store: ClaimStore) -> None:
    rng = random.Random(4)
    store.db.table("articles").insert({"id": "a", "text": "x", "language": "en"})
    texts = [
        "The council raised the bus fare to 2 euros.",
        "The council did not raise the bus fare.",
        "Le conseil a relevé le ticket de bus à 2 euros.",
        "Bus fares stay at 1.80 euros, the mayor said.",
    ]
    claims = [
        {
            "id": f"c{n}",
            "article_id": "a",
            "position": n,
            "text": texts[n % len(texts)],
            # Some mentions are in no tracked claim yet (None).
            "tracked_claim_id": None if n % 17 == 0 else f"t{n // 4}",
        }
        for n in range(400)
    ]
    store.db.table("tracked_claims").insert_all(
        ({"id": f"t{n}", "text": texts[0], "mentions": 4} for n in range(100)), pk="id"
    )
    store.db.table("claims").insert_all(claims, pk="id")
    links = {
        (f"c{n}", f"c{rng.randrange(n)}"): rng.choice(
            ["same", "suggested", "opposite", "opposite"]
        )
        for n in range(1, 400)
        for _ in range(3)
    }
    store.db.table("claim_links").insert_all(
        (
            {
                "claim_id": new,
                "earlier_claim_id": earlier,
                "score": 0.5,
                "decision": decision,
                "method": "test",
                "model_id": "fake",
            }
            for (new, earlier), decision in links.items()
        ),
        pk=("claim_id", "earlier_claim_id"),
    )


def test_opposite_pairs_are_those_of_the_join_over_every_link(
    store: ClaimStore,
) -> None:
    _store_with_links(store)
    rng = random.Random(9)
    found = 0
    for _ in range(40):
        tracked = sorted({f"t{rng.randrange(100)}" for _ in range(rng.randrange(1, 9))})
        ids = json.dumps(tracked)
        expected = {
            (a, b)
            for a, b in store.db.execute(OVER_EVERY_LINK, {"ids": ids}).fetchall()
            if a and b
        }
        got = store.opposite_tracked_pairs(tracked)
        assert len(got) == len(set(got))
        assert set(got) == expected
        found += len(expected)
    assert found > 40  # the sets compared are not all empty


def test_opposite_pairs_read_the_links_by_index(store: ClaimStore) -> None:
    plan = " ".join(
        row[3]
        for row in store.db.execute(
            f"explain query plan {OPPOSITE_TRACKED_PAIRS}", {"ids": '["t1"]'}
        ).fetchall()
    )
    assert "SCAN claim_links" not in plan
    assert "SEARCH claim_links" in plan
