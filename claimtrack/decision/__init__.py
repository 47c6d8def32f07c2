"""Same-claim decisions: is a pair of claims the same claim, its opposite, or neither?

The Matcher retrieves candidate pairs; PairModel decides each one with a small trained,
calibrated classifier over features that transfer across kinds of text.
"""

from claimtrack.decision.model import PairDecision, PairModel, PairSide
from claimtrack.decision.text_features import (
    TextFacts,
    claim_of_review,
    dates_in,
    facts_of,
    is_negated,
    names_in,
    numbers_in,
)

__all__ = [
    "PairDecision",
    "PairModel",
    "PairSide",
    "TextFacts",
    "claim_of_review",
    "dates_in",
    "facts_of",
    "is_negated",
    "names_in",
    "numbers_in",
]
