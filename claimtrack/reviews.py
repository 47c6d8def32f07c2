"""People's decisions on suggested links: record them, apply them, never forget them.

A reviewer confirms a suggested link (it becomes ``same``), marks it ``opposite``
(the two say opposite things) or rejects it (the link is removed). Each decision is a
row of ``reviews`` (who, when, the link's decision before and after, a note) and
takes effect at once: links, tracked claims and verdicts follow. The matcher consults
the reviews wherever it decides links (ingest, reembed, fact-check import), so a
rejected pair never comes back and a confirmed one stays ``same``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from sqlite_utils import Database

from claimtrack.models import ClaimLink, FactCheckLink
from claimtrack.store import ClaimStore

Kind = Literal["claim_link", "fact_check_link"]
Decision = Literal["same", "opposite", "rejected"]
KINDS: tuple[Kind, ...] = ("claim_link", "fact_check_link")
DECISIONS: tuple[Decision, ...] = ("same", "opposite", "rejected")
# The label a decision gives a pair in the training export.
LABELS = {"same": "same", "opposite": "opposite", "rejected": "different"}
REVIEW_METHOD = "review"
Reviewed = Mapping[tuple[str, str, str], str]
LinkT = TypeVar("LinkT", ClaimLink, FactCheckLink)


class ReviewError(ValueError):
    """A review that cannot be applied: unknown kind, decision or link."""


# ---- reading -----------------------------------------------------------------------


def reviewed_decisions(db: Database) -> dict[tuple[str, str, str], str]:
    """Return {(kind, a, b): latest decision} for every reviewed pair.

    A claim pair is one pair whichever way round it was linked: a replay in
    publication order may meet either claim first. So each claim pair is listed
    both ways round, with the latest decision made on it either way.
    """
    decisions: dict[tuple[str, str, str], str] = {}
    if db["reviews"].exists():
        for row in db.query(REVIEWS_AFTER_SQL, {"after": 0}):
            for key in _keys_of(row):
                decisions[key] = row["decision"]
    return decisions


# Reviews in the order they were made, after those already read (:after, a reviews
# id; rowids start at 1). reviews.id is the rowid: the range is a seek, not a scan.
REVIEWS_AFTER_SQL = """
    select id, kind, a, b, decision from reviews where id > :after order by id"""


def _keys_of(row: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The decision keys a review row sets: a claim pair's both ways round."""
    keys = [(row["kind"], row["a"], row["b"])]
    if row["kind"] == "claim_link":
        keys.append((row["kind"], row["b"], row["a"]))
    return keys


class DecisionsView(Mapping[tuple[str, str, str], str]):
    """A read-only view of followed decisions that also finds a claim's reviewed
    pairs without going through every review (confirmed_links at every article)."""

    def __init__(self, followed: ReviewedDecisions) -> None:
        self._followed = followed

    def __getitem__(self, key: tuple[str, str, str]) -> str:
        return self._followed._decisions[key]

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        return iter(self._followed._decisions)

    def __len__(self) -> int:
        return len(self._followed._decisions)

    def claim_pairs_of(
        self, claim_ids: Iterable[str]
    ) -> list[tuple[tuple[str, str, str], str]]:
        """The (key, decision) items of the claim pairs that name one of these
        claims, in the order items() gives them."""
        followed = self._followed
        keys = {key for c in claim_ids for key in followed._claim_keys.get(c, ())}
        return [
            (key, followed._decisions[key])
            for key in sorted(keys, key=followed._position.__getitem__)
        ]


class ReviewedDecisions:
    """reviewed_decisions(db), read once and then followed as reviews are added.

    A writer needs people's decisions at every article; reading the whole table
    each time costs in proportion to every review ever made. Reviews are only ever
    added (record_review inserts; nothing updates or deletes them), so this reads
    the rows added since the last call. It reads nothing when ``PRAGMA
    data_version`` (another connection committed) and the connection's
    ``total_changes`` (this one wrote) are as they were, as claimtrack.claim_words
    does. A table changed other than by additions is read again whole: rows held
    beyond the last one stored (this connection's write rolled back), or, when
    another connection wrote, a different count of rows (a hand edit).
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._decisions: dict[tuple[str, str, str], str] = {}
        # For DecisionsView.claim_pairs_of: a claim's claim_link keys, and each
        # key's place in _decisions (keys are added, never removed but by a reload).
        self._claim_keys: dict[str, list[tuple[str, str, str]]] = {}
        self._position: dict[tuple[str, str, str], int] = {}
        self._last_id = 0
        self._rows = 0
        self._state: tuple[int, int] | None = None
        self._read_in_transaction = False

    def current(self) -> Mapping[tuple[str, str, str], str]:
        """The decisions as stored now (a read-only view, updated in place)."""
        state = self._database_state()
        # Read inside an open transaction, the rows held may yet be rolled back,
        # which changes neither counter: look again (two rowid seeks) next time.
        if state != self._state or self._read_in_transaction:
            others_wrote = self._state is None or state[0] != self._state[0]
            self._follow(check_count=others_wrote)
            # The state before reading: a commit made meanwhile is read next time.
            self._state = state
            self._read_in_transaction = self.db.conn.in_transaction
        return DecisionsView(self)

    def _database_state(self) -> tuple[int, int]:
        version = int(self.db.execute("pragma data_version").fetchone()[0])
        return version, self.db.conn.total_changes

    def _follow(self, *, check_count: bool) -> None:
        if not self.db["reviews"].exists():
            self._clear()
            return
        for row in self.db.query(REVIEWS_AFTER_SQL, {"after": self._last_id}):
            for key in _keys_of(row):
                self._decisions[key] = row["decision"]
                if key[0] == "claim_link" and key not in self._position:
                    self._position[key] = len(self._position)
                    self._claim_keys.setdefault(key[1], []).append(key)
                    self._claim_keys.setdefault(key[2], []).append(key)
            self._last_id, self._rows = row["id"], self._rows + 1
        # Rows held that are gone: a rolled-back write of this connection removes
        # the last ones (max(id) is a seek); a hand edit of another anywhere (the
        # count, only when another connection wrote).
        last_stored = self.db.execute("select max(id) from reviews").fetchone()[0]
        gone = (last_stored or 0) < self._last_id
        if check_count and not gone:
            stored = self.db.execute("select count(*) from reviews").fetchone()[0]
            gone = stored != self._rows
        if gone:  # not only added to: read it all again
            self._clear()
            self._follow(check_count=False)

    def _clear(self) -> None:
        self._decisions.clear()
        self._claim_keys.clear()
        self._position.clear()
        self._last_id, self._rows = 0, 0


def apply_reviews(links: Sequence[LinkT], reviewed: Reviewed) -> list[LinkT]:
    """Return links with people's decisions applied: rejected pairs dropped,
    confirmed ones ``same``, opposite ones ``opposite``."""
    if not reviewed:
        return list(links)
    kept = []
    for link in links:
        decision = _decision(reviewed, _key(link))
        if decision == "rejected":
            continue
        if decision in ("same", "opposite"):
            link = link.model_copy(
                update={"decision": decision, "method": REVIEW_METHOD}
            )
        kept.append(link)
    return kept


def confirmed_links(
    links: Sequence[ClaimLink],
    reviewed: Reviewed,
    claim_ids: set[str],
    index: Any,
    model_id: str,
) -> list[ClaimLink]:
    """Return the claim links people confirmed (same or opposite) between these
    claims and stored ones that the matcher did not propose this time, so that a
    confirmed pair survives a new model (``reembed``) or a re-ingest.

    Whichever claim of a pair comes second (a replay in publication order may meet
    the reviewed link's earlier claim first), the link comes back from the new
    claim to the stored one, as the matcher would have made it. ``index`` answers
    ``items(ids)``: only pairs whose other claim is stored come back.
    """
    proposed = {frozenset(_key(link)[1:]) for link in links}
    wanted: dict[frozenset[str], tuple[str, str, str]] = {}
    # Only pairs naming one of these claims can come back: a followed view lists
    # them without going through every review.
    items = (
        reviewed.claim_pairs_of(claim_ids)
        if isinstance(reviewed, DecisionsView)
        else reviewed.items()
    )
    for (kind, a, b), decision in items:
        if kind != "claim_link" or decision not in ("same", "opposite"):
            continue
        for new, other in ((a, b), (b, a)):
            pair = frozenset((new, other))
            if new in claim_ids and other not in claim_ids and pair not in proposed:
                wanted[pair] = (new, other, decision)
    if not wanted:
        return []
    stored = index.items({other for _, other, _ in wanted.values()})
    return [
        ClaimLink(
            claim_id=new,
            earlier_claim_id=other,
            score=1.0,
            decision="same" if decision == "same" else "opposite",
            method=REVIEW_METHOD,
            model_id=model_id,
        )
        for new, other, decision in wanted.values()
        if other in stored
    ]


def _decision(reviewed: Reviewed, key: tuple[str, str, str]) -> str | None:
    """The decision on a pair; a claim pair is looked up either way round (a
    mapping made by hand may hold one way only)."""
    kind, a, b = key
    decision = reviewed.get(key)
    if decision is None and kind == "claim_link":
        decision = reviewed.get((kind, b, a))
    return decision


def _key(link: ClaimLink | FactCheckLink) -> tuple[str, str, str]:
    if isinstance(link, ClaimLink):
        return ("claim_link", link.claim_id, link.earlier_claim_id)
    return ("fact_check_link", link.claim_id, link.fact_check_id)


QUEUE_SQL = {
    "claim_link": """
        select 'claim_link' as kind, links.claim_id as a, links.earlier_claim_id as b,
            links.score, links.decision, links.method,
            new.text as a_text, earlier.text as b_text,
            new.speaker as a_speaker, earlier.speaker as b_speaker
        from claim_links as links
        join claims as new on new.id = links.claim_id
        join claims as earlier on earlier.id = links.earlier_claim_id
        where links.decision = 'suggested'
        order by links.score desc, links.claim_id, links.earlier_claim_id
        limit :limit
    """,
    "fact_check_link": """
        select 'fact_check_link' as kind, links.claim_id as a,
            links.fact_check_id as b, links.score, links.decision, links.method,
            claims.text as a_text, fact_checks.claim_reviewed as b_text,
            claims.speaker as a_speaker, fact_checks.claimant as b_speaker,
            coalesce(fact_checks.rating, fact_checks.rating_text) as rating,
            fact_checks.reviewer as fact_checker, fact_checks.url
        from fact_check_links as links
        join claims on claims.id = links.claim_id
        join fact_checks on fact_checks.id = links.fact_check_id
        where links.decision = 'suggested'
        order by links.score desc, links.claim_id, links.fact_check_id
        limit :limit
    """,
}


def export_pairs(db: Database) -> Iterator[dict[str, Any]]:
    """Yield every reviewed pair's latest decision as a labelled training pair.

    ``{"a", "b", "label", "kind", "a_text", "b_text", "reviewer", "reviewed_at"}``:
    label is same, opposite or different (rejected); the texts are the claim and the
    earlier claim or fact-check, as the matching model reads them.
    """
    sql = """
        select reviews.*,
            claims.text as a_text,
            coalesce(earlier.text, fact_checks.claim_reviewed) as b_text
        from reviews
        left join claims on claims.id = reviews.a
        left join claims as earlier
            on reviews.kind = 'claim_link' and earlier.id = reviews.b
        left join fact_checks
            on reviews.kind = 'fact_check_link' and fact_checks.id = reviews.b
        where reviews.id in (select max(id) from reviews group by kind, a, b)
        order by reviews.id
    """
    for row in db.query(sql):
        yield {
            "a": row["a"],
            "b": row["b"],
            "label": LABELS[row["decision"]],
            "kind": row["kind"],
            "a_text": row["a_text"],
            "b_text": row["b_text"],
            "reviewer": row["reviewer"],
            "reviewed_at": row["reviewed_at"],
        }


# ---- writing -----------------------------------------------------------------------


def record_review(
    store: ClaimStore,
    kind: str,
    a: str,
    b: str,
    decision: str,
    *,
    reviewer: str,
    note: str | None = None,
) -> dict[str, Any]:
    """Store one decision and apply it to the links, tracked claims and verdicts.

    One write transaction: the decision and all it changes, or nothing. The review
    server calls it on Datasette's write connection.

    Returns:
        The reviews row written.

    Raises:
        ReviewError: an unknown kind or decision, or no such link (and no earlier
            review of the pair).
    """
    if kind not in KINDS:
        raise ReviewError(f"Unknown kind {kind!r}: use claim_link or fact_check_link.")
    if decision not in DECISIONS:
        raise ReviewError(
            f"Unknown decision {decision!r}: use same, opposite, rejected."
        )
    table, other = (
        ("claim_links", "earlier_claim_id")
        if kind == "claim_link"
        else ("fact_check_links", "fact_check_id")
    )
    with store.write_transaction():
        return _record(store, kind, a, b, decision, table, other, reviewer, note)


def _record(
    store: ClaimStore,
    kind: str,
    a: str,
    b: str,
    decision: str,
    table: str,
    other: str,
    reviewer: str,
    note: str | None,
) -> dict[str, Any]:
    db = store.db
    where = f"claim_id = :a and {other} = :b"
    params = {"a": a, "b": b}
    rows = list(db.query(f"select decision from {table} where {where}", params))
    if not rows:
        raise ReviewError(f"No {kind.replace('_', ' ')} from {a} to {b}.")
    before = rows[0]["decision"]
    if decision == "rejected":
        db.execute(f"delete from {table} where {where}", params)
        after = None
    else:
        db.execute(
            f"update {table} set decision = :decision, method = :method where {where}",
            {**params, "decision": decision, "method": REVIEW_METHOD},
        )
        after = decision
    if kind == "claim_link":
        _recluster(db, store, a, b)
    tracked = {
        row["tracked_claim_id"]
        for row in db.query(
            "select tracked_claim_id from claims where id in (:a, :b)", params
        )
    }
    store.refresh_verdicts(tracked)
    row = {
        "kind": kind,
        "a": a,
        "b": b,
        "decision": decision,
        "before": before,
        "after": after,
        "reviewer": reviewer,
        "reviewed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "note": note or None,
    }
    db.table("reviews").insert(row)
    return row


def _recluster(db: Database, store: ClaimStore, a: str, b: str) -> None:
    """Make the tracked claims of a and b agree with the ``same`` links.

    Confirmed: a's tracked claim merges into b's. Rejected or opposite: the claims
    of their tracked claim are split into the groups the remaining ``same`` links
    connect; the group holding the tracked claim's first mention keeps its id.
    """
    tracked = {
        row["id"]: row["tracked_claim_id"]
        for row in db.query(
            "select id, tracked_claim_id from claims where id in (:a, :b)",
            {"a": a, "b": b},
        )
    }
    ta, tb = tracked.get(a), tracked.get(b)
    decision = next(
        db.query(
            "select decision from claim_links where claim_id = :a "
            "and earlier_claim_id = :b",
            {"a": a, "b": b},
        ),
        {"decision": None},
    )["decision"]
    if decision == "same":
        if ta and tb and ta != tb:
            store._merge_tracked_claims({ta: tb})
        return
    if not ta or ta != tb:
        return
    members = [
        row["id"]
        for row in db.query(
            "select claims.id from claims join articles on articles.id = article_id "
            "where tracked_claim_id = :t order by articles.published is null, "
            "articles.published, articles.ingested_at, articles.rowid, claims.position",
            {"t": ta},
        )
    ]
    links = db.query(
        """
        select claim_id, earlier_claim_id from claim_links
        where decision = 'same' and claim_id in (select value from json_each(:ids))
        and earlier_claim_id in (select value from json_each(:ids))
        """,
        {"ids": json.dumps(members)},
    )
    parent = {member: member for member in members}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        parent[find(link["claim_id"])] = find(link["earlier_claim_id"])
    first_group = find(members[0])
    moves = [
        (find(member), member) for member in members if find(member) != first_group
    ]
    if not moves:
        return
    # Each split-off group is tracked under the id of its first mention.
    group_ids: dict[str, str] = {}
    for root, member in moves:
        group_ids.setdefault(root, member)
    db.conn.executemany(
        "update claims set tracked_claim_id = ? where id = ?",
        [(group_ids[root], member) for root, member in moves],
    )
    store._refresh_tracked_claims({ta, *group_ids.values()})


def review_queue(db: Database, kind: str, limit: int = 50) -> list[dict[str, Any]]:
    """Return the suggested links of a kind, best score first (for the CLI/tests)."""
    return list(db.query(QUEUE_SQL[kind], {"limit": limit}))
