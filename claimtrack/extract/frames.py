"""Drop the empty frame news copy puts around a claim: "It comes after …".

"It comes just hours after the US allowed Ukraine to strike inside Russia" asserts
that the US allowed it; its subject "it" stands for the previous paragraph's news and
the frame says only when. The same holds for "It came a day after it emerged that
X", "This comes as X", "Cela intervient alors que X": the claim is X, whose span is
the end of the sentence, so its offsets stay exact. "It has emerged that X" is X.
Conditions are never dropped: only these timing marks open the clause.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from claimtrack.extract.atomic import Unit

# A pronoun that stands for the news before, as the subject of a timing verb.
_NEWS_PRONOUNS = frozenset({"it", "this", "cela", "ça", "ceci"})
_TIMING_VERBS = frozenset({"come", "intervenir"})
# Marks of the clause that holds the claim: when it happened relative to the news.
_TIMING_MARKS = frozenset({"after", "as", "before", "après", "alors", "tandis"})
_DISCLOSURE_VERBS = frozenset({"emerge"})
_SUBJECTS = ("nsubj", "expl")
_CLAUSE_MARKS = _TIMING_MARKS | {"que", "qu'", "that"}


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_.startswith(_SUBJECTS)), None)


def _finite(token: Token) -> bool:
    return "Fin" in token.morph.get("VerbForm", []) or any(
        c.dep_.startswith("aux") and "Fin" in c.morph.get("VerbForm", [])
        for c in token.children
    )


def _framed_clause(verb: Token, end: int) -> Token | None:
    """The clause a news pronoun's frame introduces, or None when it is no frame."""
    subject = _subject(verb)
    if subject is None or subject.lower_ not in _NEWS_PRONOUNS:
        return None
    lemma = verb.lemma_.lower()
    if lemma in _TIMING_VERBS:
        for child in verb.children:
            marks = [m for m in child.children if m.i < child.i and m.dep_ == "mark"]
            # The French parser hangs "alors que …" on the verb as advmod + xcomp.
            french_mark = child.dep_ == "xcomp" and any(
                t.lower_ == "alors" for t in verb.doc[verb.i + 1 : child.i]
            )
            timed = any(m.lower_ in _TIMING_MARKS for m in marks) or french_mark
            if child.dep_ in ("advcl", "xcomp") and timed and child.right_edge.i < end:
                return child
    if lemma in _DISCLOSURE_VERBS:
        for child in verb.children:
            if child.dep_ == "ccomp" and child.i > verb.i:
                return child
    return None


def _clause_start(verb: Token, clause: Token) -> int:
    """The first token of a clause past its marks ("days after", "alors que")."""
    doc = clause.doc
    marks = [
        t.i
        for t in doc[verb.i + 1 : clause.i]
        if t.lower_ in _CLAUSE_MARKS and t.dep_ in ("mark", "advmod")
    ]
    return marks[-1] + 1 if marks else clause.left_edge.i


def drop_frame(sent: Span, unit: Unit) -> Unit:
    """Return the unit reduced to the claim its frame introduces, or unchanged."""
    doc = sent.doc
    for _ in range(2):  # "It came a day after it emerged that X": two frames
        tokens = doc[unit.start : unit.end]
        heads = [
            t
            for t in tokens
            if t.head.i == t.i or not unit.start <= t.head.i < unit.end
        ]
        if not heads:
            return unit
        root = max(heads, key=lambda t: (t.right_edge.i - t.left_edge.i, -t.i))
        if root.pos_ not in ("VERB", "AUX"):
            return unit
        clause = _framed_clause(root, unit.end)
        if clause is None or not _finite(clause):
            return unit
        subject = _subject(clause)
        start = _clause_start(root, clause)
        if subject is None or start <= unit.start:
            return unit
        unit = replace(
            unit,
            start=start,
            subject=None,
            auxiliary=None,
            subject_head=subject.i,
            gaps=tuple(g for g in unit.gaps if g[0] >= start),
        )
    return unit
