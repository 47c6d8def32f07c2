"""Matcher: every rule that links a claim to earlier claims and to fact-checks.

For each new claim (or fact-check) the matcher

1. takes the ``candidates`` best stored items of the product's hybrid ranking
   (:meth:`claimtrack.index.HybridIndex.candidates`: cosines fused with BM25), the
   new side's vector weighed by its language (:func:`claimtrack.query.query_vectors`);
2. asks the pair model (:class:`claimtrack.decision.PairModel`) for a decision on each
   pair: ``same`` claim, ``opposite`` (the same proposition, polarity flipped),
   ``suggested`` (worth a person's look) or nothing;
3. keeps every ``same`` and ``opposite`` and at most :data:`SUGGESTIONS_PER_CLAIM`
   suggestions per claim, best first; nothing else is stored;
4. places each new claim in a tracked claim (:class:`Clusters`) so that clusters
   agree with the links: the two ends of a ``same`` link are always in one tracked
   claim, the two ends of an ``opposite`` link never are.

It has no I/O of its own: the indexes read the database (or hold a replay in memory),
the tracker stores what it returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from claimtrack.decision import PairDecision, PairModel, PairSide, claim_of_review
from claimtrack.index import HybridIndex, Item
from claimtrack.models import Claim, ClaimLink, FactCheck, FactCheckLink, stable_id
from claimtrack.query import query_vectors
from claimtrack.reviews import Reviewed, apply_reviews, confirmed_links
from claimtrack.settings import DEFAULT_LANGUAGE_FALLBACK, DEFAULT_MATCH_LIMIT
from claimtrack.vectors import FloatArray

# Suggested links kept per claim, best first: a reviewer reads three, not thirty.
SUGGESTIONS_PER_CLAIM = 3
# A fact-check may review a claim that many stored mentions repeat: candidates asked
# for each new fact-check (each mention then keeps its own best suggestions).
FACT_CHECK_CANDIDATES = 20
# What a "same" link turned into when keeping it would put an opposite pair in one
# tracked claim: it stays visible to a reviewer, as a suggestion.
CONFLICT_METHOD_SUFFIX = "+cluster-conflict"


class PairDecider(Protocol):
    """What the matcher needs of a pair model (tests give a fake one)."""

    def decide_many(
        self, pairs: Sequence[tuple[PairSide, PairSide]]
    ) -> list[PairDecision]: ...


@dataclass(frozen=True)
class Decided:
    """One decided pair: the new side's id, the stored side's id, the decision."""

    new_id: str
    stored_id: str
    decision: PairDecision


class Matcher:
    """Links new claims and fact-checks to stored ones, with the pair model's decisions.

    Example, with ``claims`` from the extractor and ``vectors`` from the embedder
    (an illustration, not a doctest: it needs a database and the models)::

        matcher = Matcher.for_model(embedder.model_id)
        links = matcher.link_claims(claims, vectors, ClaimIndex(db, embedder.model_id))
    """

    def __init__(
        self,
        pair_model: PairDecider,
        model_id: str,
        *,
        candidates: int = DEFAULT_MATCH_LIMIT,
    ) -> None:
        self.pair_model = pair_model
        self.model_id = model_id
        self.candidates = candidates
        # People's decisions (ClaimStore.reviewed_decisions), applied to every link
        # decided here: rejected pairs never come back, confirmed ones stay same.
        self.reviewed: Reviewed = {}

    @classmethod
    def for_model(cls, model_id: str, **options: int) -> Matcher:
        """A matcher with the shipped pair model trained for an embedder."""
        return cls(PairModel.load(model_id), model_id, **options)

    # ---- claims against earlier claims ------------------------------------------

    def link_claims(
        self,
        claims: Sequence[Claim],
        vectors: FloatArray,
        index: HybridIndex,
        *,
        exclude: Iterable[str] = (),
    ) -> list[ClaimLink]:
        """Links from new claims to stored claims, by claim then best first.

        Args:
            claims: the new claims.
            vectors: their vectors, one row per claim.
            index: the stored claims (the new ones are not in it yet).
            exclude: stored claims never linked, e.g. the article's own old claims.
        """
        decided = self._decide(
            [
                claim_item(claim, vector)
                for claim, vector in zip(claims, vectors, strict=True)
            ],
            index,
            limit=self.candidates,
            exclude=set(exclude),
        )
        links = [
            ClaimLink(
                claim_id=pair.new_id,
                earlier_claim_id=pair.stored_id,
                score=pair.decision.probability,
                decision=pair.decision.decision or "suggested",
                method=pair.decision.method,
                model_id=self.model_id,
            )
            for pair in keep_decisions(decided)
        ]
        reviewed = apply_reviews(links, self.reviewed)
        claim_ids = {claim.id for claim in claims}
        return reviewed + confirmed_links(
            links, self.reviewed, claim_ids, index, self.model_id
        )

    # ---- fact-checks ---------------------------------------------------------------

    def link_claims_to_fact_checks(
        self, claims: Sequence[Claim], vectors: FloatArray, fact_checks: HybridIndex
    ) -> list[FactCheckLink]:
        """Links from new claims to the stored fact-checks."""
        decided = self._decide(
            [
                claim_item(claim, vector)
                for claim, vector in zip(claims, vectors, strict=True)
            ],
            fact_checks,
            limit=self.candidates,
        )
        links = [
            self._fact_check_link(pair.new_id, pair.stored_id, pair.decision)
            for pair in keep_decisions(decided)
        ]
        return apply_reviews(links, self.reviewed)

    def link_fact_checks_to_claims(
        self,
        fact_checks: Sequence[FactCheck],
        vectors: FloatArray,
        claims: HybridIndex,
    ) -> list[FactCheckLink]:
        """Links from new fact-checks to the stored claims.

        Each pair is decided with the claim first and the fact-check second, as when
        a claim meets a stored fact-check, so the direction never changes a decision.
        """
        items = [
            fact_check_item(fact_check, vector)
            for fact_check, vector in zip(fact_checks, vectors, strict=True)
        ]
        hits = claims.candidates(
            [item.text for item in items],
            query_vectors(vectors, [item.language for item in items], self.model_id),
            limit=FACT_CHECK_CANDIDATES,
        )
        stored = claims.items({hit.id for row in hits for hit in row})
        pairs = [
            (stored[hit.id], item)
            for item, row in zip(items, hits, strict=True)
            for hit in row
            if hit.id in stored
        ]
        decisions = self.pair_model.decide_many(
            [(side(claim), side(fact_check)) for claim, fact_check in pairs]
        )
        # Suggestions are capped per claim, the side a reviewer reads them from.
        decided = [
            Decided(claim.id, fact_check.id, decision)
            for (claim, fact_check), decision in zip(pairs, decisions, strict=True)
        ]
        links = [
            self._fact_check_link(pair.new_id, pair.stored_id, pair.decision)
            for pair in keep_decisions(decided)
        ]
        return apply_reviews(links, self.reviewed)

    def _fact_check_link(
        self, claim_id: str, fact_check_id: str, decision: PairDecision
    ) -> FactCheckLink:
        return FactCheckLink(
            claim_id=claim_id,
            fact_check_id=fact_check_id,
            score=decision.probability,
            decision=decision.decision or "suggested",
            method=decision.method,
            model_id=self.model_id,
        )

    # ---- shared -------------------------------------------------------------------

    def _decide(
        self,
        new: Sequence[Item],
        index: HybridIndex,
        *,
        limit: int,
        exclude: set[str] | None = None,
    ) -> list[Decided]:
        if not new:
            return []
        # Candidates by the query's vector weighed by its language; the pair
        # model decides with the stored vectors.
        hits = index.candidates(
            [item.text for item in new],
            query_vectors(
                _stack([item.vector for item in new]),
                [item.language for item in new],
                self.model_id,
            ),
            limit=limit,
            exclude=(exclude or set()) | {item.id for item in new},
        )
        stored = index.items({hit.id for row in hits for hit in row})
        pairs = [
            (item, stored[hit.id])
            for item, row in zip(new, hits, strict=True)
            for hit in row
            if hit.id in stored
        ]
        decisions = self.pair_model.decide_many(
            [(side(item), side(other)) for item, other in pairs]
        )
        return [
            Decided(item.id, other.id, decision)
            for (item, other), decision in zip(pairs, decisions, strict=True)
        ]


def keep_decisions(decided: Sequence[Decided]) -> list[Decided]:
    """Keep every same and opposite, and each new side's best suggestions.

    Returns:
        The kept pairs, grouped by new side in first-seen order, best first.
    """
    by_new: dict[str, list[Decided]] = {}
    for pair in decided:
        if pair.decision.decision is not None:
            by_new.setdefault(pair.new_id, []).append(pair)
    kept: list[Decided] = []
    for pairs in by_new.values():
        suggested = 0
        for pair in sorted(pairs, key=lambda p: (-p.decision.probability, p.stored_id)):
            if pair.decision.decision == "suggested":
                suggested += 1
                if suggested > SUGGESTIONS_PER_CLAIM:
                    continue
            kept.append(pair)
    return kept


def cap_suggestions(links: Sequence[ClaimLink]) -> list[ClaimLink]:
    """Drop each claim's suggestions past the best :data:`SUGGESTIONS_PER_CLAIM`."""
    counts: dict[str, int] = {}
    kept = []
    for link in sorted(links, key=lambda link: (link.claim_id, -link.score)):
        if link.decision == "suggested":
            counts[link.claim_id] = counts.get(link.claim_id, 0) + 1
            if counts[link.claim_id] > SUGGESTIONS_PER_CLAIM:
                continue
        kept.append(link)
    return kept


def claim_item(claim: Claim, vector: FloatArray) -> Item:
    """A new claim as the matcher compares it."""
    return Item(
        id=claim.id,
        text=claim.text,
        vector=vector,
        language=claim.language,
        speaker=claim.speaker,
        quote_type=claim.quote_type,
    )


def fact_check_item(fact_check: FactCheck, vector: FloatArray) -> Item:
    """A new fact-check as the matcher compares it: its claim, said by its claimant."""
    return Item(
        id=fact_check.id,
        text=claim_of_review(fact_check.claim_reviewed),
        vector=vector,
        language=fact_check.language,
        speaker=fact_check.claimant,
        is_fact_check=True,
    )


def side(item: Item) -> PairSide:
    """One side of a pair for the pair model."""
    return PairSide(
        text=item.text,
        language=item.language or DEFAULT_LANGUAGE_FALLBACK,
        vector=item.vector,
        speaker=item.speaker,
        quote_type=item.quote_type,
        is_fact_check=item.is_fact_check,
    )


def _stack(vectors: Sequence[FloatArray]) -> FloatArray:
    import numpy as np

    return np.stack(vectors).astype(np.float32)


# ---- clusters ----------------------------------------------------------------------


@dataclass
class Clusters:
    """Tracked claims as a union-find over labels, kept in agreement with the links.

    The rule (also in the README):

    - a ``same`` link puts its two claims in one tracked claim: a new mention joins
      the tracked claims of all the mentions it is the same as, which merges them;
    - an ``opposite`` link keeps its two claims' tracked claims apart for good: a
      merge that would bring them together is not made, and the ``same`` link that
      asked for it is stored as ``suggested`` (method ``...+cluster-conflict``),
      so that no ``same`` link ever joins two tracked claims;
    - links are taken best first, so when two ``same`` links conflict the more
      probable one wins;
    - a merged tracked claim keeps the id of the larger one (on a tie, of the one
      stored before, then of the smaller id), so a new mention joins a stored
      tracked claim under its id.

    Without opposites, the tracked claims are the connected components of the
    ``same`` links, whatever the order articles came in.

    Labels are tracked claim ids: a stored mention enters with its tracked claim's
    id (:meth:`add_stored`), a new mention with its own id.
    """

    _parent: dict[str, str] = field(default_factory=dict)
    _size: dict[str, int] = field(default_factory=dict)
    _label: dict[str, str] = field(default_factory=dict)  # claim id -> label
    _conflicts: set[frozenset[str]] = field(default_factory=set)  # pairs of labels
    _initial: set[str] = field(default_factory=set)  # labels stored before

    def add_stored(self, claim_id: str, tracked_id: str, mentions: int = 1) -> None:
        """Enter a stored mention with its tracked claim (of ``mentions`` mentions)."""
        self._label[claim_id] = tracked_id
        self._parent.setdefault(tracked_id, tracked_id)
        self._size[tracked_id] = max(self._size.get(tracked_id, 1), mentions)
        self._initial.add(tracked_id)

    def reserve(self, tracked_id: str) -> None:
        """Record a stored tracked claim id that a new mention may not reuse.

        A tracked claim keeps the id of its first mention; when that mention's
        article is re-ingested, the mention comes back under the same id while the
        tracked claim lives on with its other mentions.
        """
        self._parent.setdefault(tracked_id, tracked_id)
        self._size.setdefault(tracked_id, 1)
        self._initial.add(tracked_id)

    def add_conflict(self, tracked_a: str, tracked_b: str) -> None:
        """Record that two stored tracked claims have an opposite link between them."""
        for label in (tracked_a, tracked_b):
            self._parent.setdefault(label, label)
            self._size.setdefault(label, 1)
        self._conflicts.add(frozenset((tracked_a, tracked_b)))

    def tracked_id(self, claim_id: str) -> str:
        """The tracked claim a mention is in now."""
        return self._find(self._label.get(claim_id, claim_id))

    def place(self, claim_id: str, links: Sequence[ClaimLink]) -> list[ClaimLink]:
        """Place a new mention given its links to earlier mentions (all entered).

        Returns:
            The links, each ``same`` that would join an opposite pair turned into a
            suggestion.
        """
        label = claim_id if claim_id not in self._parent else stable_id("t", claim_id)
        self._label[claim_id] = label
        self._parent[label] = label
        self._size[label] = 1
        for link in links:
            if link.decision == "opposite":
                self._conflicts.add(
                    frozenset((label, self._label_of(link.earlier_claim_id)))
                )
        placed: list[ClaimLink] = []
        for link in sorted(links, key=lambda link: -link.score):
            if link.decision == "same":
                target = self._find(self._label_of(link.earlier_claim_id))
                own = self._find(label)
                if target != own:
                    if self._in_conflict(own, target):
                        link = link.model_copy(
                            update={
                                "decision": "suggested",
                                "method": link.method + CONFLICT_METHOD_SUFFIX,
                            }
                        )
                    else:
                        self._union(own, target)
            placed.append(link)
        return placed

    def settle(self) -> None:
        """Count every tracked claim so far as stored (a replay, after each article)."""
        self._initial.update(self._find(label) for label in self._label.values())

    def merges(self) -> dict[str, str]:
        """{old tracked id: tracked id it was merged into} for stored tracked claims."""
        return {
            label: self._find(label)
            for label in self._initial
            if self._find(label) != label
        }

    def _label_of(self, claim_id: str) -> str:
        label = self._label.get(claim_id, claim_id)
        self._parent.setdefault(label, label)
        self._size.setdefault(label, 1)
        return label

    def _find(self, label: str) -> str:
        root = label
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        while self._parent.get(label, label) != root:  # path compression
            self._parent[label], label = root, self._parent[label]
        return root

    def _in_conflict(self, root_a: str, root_b: str) -> bool:
        return any(
            {self._find(a) for a in pair} == {root_a, root_b}
            for pair in self._conflicts
        )

    def _union(self, root_a: str, root_b: str) -> None:
        keep, drop = sorted(
            (root_a, root_b),
            key=lambda label: (-self._size[label], label not in self._initial, label),
        )
        self._parent[drop] = keep
        self._size[keep] += self._size[drop]


def stored_state(
    links: Sequence[ClaimLink],
    tracked_of: Mapping[str, str],
    mentions: Mapping[str, int],
    conflicts: Iterable[tuple[str, str]],
) -> Clusters:
    """Clusters seeded with what an ingest reads from the store.

    Args:
        links: the new links; their earlier claims are entered.
        tracked_of: earlier claim id -> its tracked claim id.
        mentions: tracked claim id -> its number of mentions.
        conflicts: pairs of tracked claim ids with an opposite link between them.
    """
    clusters = Clusters()
    for link in links:
        tracked = tracked_of.get(link.earlier_claim_id, link.earlier_claim_id)
        clusters.add_stored(link.earlier_claim_id, tracked, mentions.get(tracked, 1))
    for a, b in conflicts:
        clusters.add_conflict(a, b)
    return clusters
