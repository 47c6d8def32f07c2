"""Decide which earlier claims a new claim repeats: pure similarity matching, no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from claimtrack.models import ClaimLink, Decision, FactCheckLink
from claimtrack.settings import (
    DEFAULT_SAME_THRESHOLD,
    DEFAULT_SUGGEST_THRESHOLD,
    MODEL_THRESHOLDS,
    SUGGEST_FLOOR,
)

_NUMBER = re.compile(r"\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?")
_NEGATIONS = frozenset(
    [
        *("not", "no", "never", "none", "nobody", "nothing", "n't"),
        *("ne", "pas", "jamais", "aucun", "aucune", "rien", "personne"),
        *("nullement", "guère"),
    ]
)
_WORD = re.compile(r"\w+|n't", re.UNICODE)


def numbers_in(text: str) -> frozenset[str]:
    """Return the numbers in a text, normalised: "1 000,5" and "1000.5" agree."""
    found = set()
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"[\s.,](?=\d{3}\b)", "", match.group())
        found.add(digits.replace(",", "."))
    return frozenset(found)


def is_negated(text: str) -> bool:
    """Return True if the text contains a negation word (French or English)."""
    # French news writes the apostrophe as U+2019 ("n\u2019a"); treat it as "'".
    plain = text.replace("\u2019", "'")
    words = {word.lower() for word in _WORD.findall(plain)}
    return bool(words & _NEGATIONS) or "n'" in plain.lower()


def guard_decision(
    text: str,
    earlier_text: str,
    decision: Decision,
    *,
    speaker: str | None = None,
    earlier_speaker: str | None = None,
) -> Decision:
    """Downgrade "same" to "suggested" when numbers, negation or speakers differ.

    "The project cost 1 million" and "… 5 million" embed at 0.93 with MiniLM, yet they
    are different claims; so are a statement and its negation, and the same words
    quoted from two different people.

    Args:
        text: the new claim.
        earlier_text: the earlier claim it was matched to.
        decision: the decision the similarity score alone gave.
        speaker: who asserts the new claim; give it for direct quotes only, where who
            speaks is part of the claim.
        earlier_speaker: who asserts the earlier claim, under the same rule.

    Returns:
        ``decision``, or "suggested" when a guard fires on a "same".
    """
    if decision != "same":
        return decision
    if (
        speaker
        and earlier_speaker
        and speaker.strip().casefold() != earlier_speaker.strip().casefold()
    ):
        return "suggested"
    numbers, earlier_numbers = numbers_in(text), numbers_in(earlier_text)
    if numbers != earlier_numbers and numbers and earlier_numbers:
        return "suggested"
    if is_negated(text) != is_negated(earlier_text):
        return "suggested"
    return decision


def thresholds_for(model_id: str) -> tuple[float, float]:
    """Return the calibrated (same, suggested) thresholds of a model.

    Models that were not calibrated fall back to the DEFAULT_* values of settings.

    Example:
        >>> thresholds_for("an/uncalibrated-model")
        (0.85, 0.7)
    """
    same, suggest = MODEL_THRESHOLDS.get(
        model_id, (DEFAULT_SAME_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD)
    )
    return same, min(same, max(suggest, SUGGEST_FLOOR))


def find_matches(
    claims: Sequence[tuple[str, str]],
    hits_per_claim: Sequence[Sequence[tuple[str, float]]],
    earlier_texts: dict[str, str],
    *,
    same_threshold: float,
    suggest_threshold: float,
    model_id: str,
    quote_speakers: Mapping[str, str | None] | None = None,
) -> list[ClaimLink]:
    """Turn nearest-neighbour hits into links with a decision: same claim, or suggested.

    Args:
        claims: (claim_id, text) for each new claim.
        hits_per_claim: for each new claim, (earlier_claim_id, cosine score), best
            first, as returned by ``VectorIndex.search``.
        earlier_texts: claim_id -> text for every earlier claim in the hits.
        same_threshold: similarity from which two mentions are the same claim.
        suggest_threshold: similarity from which a link is suggested for review.
        model_id: the embedding model, recorded on every link.
        quote_speakers: claim_id -> speaker, for the new and earlier claims that
            are direct quotes: the same words from two speakers are two claims.

    Returns:
        Links ordered by claim, then by descending score.
    """
    links: list[ClaimLink] = []
    for (claim_id, text), hits in zip(claims, hits_per_claim, strict=True):
        for earlier_id, score in hits:
            if score < suggest_threshold or earlier_id == claim_id:
                continue
            decision: Decision = "same" if score >= same_threshold else "suggested"
            speakers = quote_speakers or {}
            decision = guard_decision(
                text,
                earlier_texts.get(earlier_id, ""),
                decision,
                speaker=speakers.get(claim_id),
                earlier_speaker=speakers.get(earlier_id),
            )
            links.append(
                ClaimLink(
                    claim_id=claim_id,
                    earlier_claim_id=earlier_id,
                    score=round(min(score, 1.0), 4),
                    decision=decision,
                    method="vector",
                    model_id=model_id,
                )
            )
    return links


def best_same_matches(links: Sequence[ClaimLink]) -> dict[str, str]:
    """Return {claim_id: earlier_claim_id} of each claim's best "same" link.

    A new mention joins the tracked claim of that earlier mention.
    """
    best: dict[str, str] = {}
    for link in sorted(links, key=lambda link: -link.score):
        if link.decision == "same":
            best.setdefault(link.claim_id, link.earlier_claim_id)
    return best


def as_fact_check_links(
    links: Sequence[ClaimLink], *, fact_check_first: bool = False
) -> list[FactCheckLink]:
    """Turn ``find_matches`` links between claims and fact-checks into FactCheckLinks.

    Args:
        links: links whose one side is a claim and the other a fact-check.
        fact_check_first: True when the fact-checks were the new side (``claim_id``
            of the links), False when the claims were.
    """
    return [
        FactCheckLink(
            claim_id=link.earlier_claim_id if fact_check_first else link.claim_id,
            fact_check_id=link.claim_id if fact_check_first else link.earlier_claim_id,
            score=link.score,
            decision=link.decision,
            method=link.method,
            model_id=link.model_id,
        )
        for link in links
    ]
