"""Language-independent features of a parsed sentence, for the check-worthiness model.

The model is trained on English (ClaimBuster) and must also score French. So every
feature is defined on what the French and English spaCy models share: universal
part-of-speech tags, morphology, coarse entity types, and per-language word lists with
the same meaning (``lexicons.py``). Nothing depends on English word forms.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from claimtrack.extract.lexicons import (
    CAUSAL_WORDS,
    COMPARATIVE_WORDS,
    FIRST_PERSON_PLURAL,
    FIRST_PERSON_SINGULAR,
    HEDGES,
    NEGATIONS,
    OPINION_VERBS,
    POLICY_WORDS,
    PREDICTION_WORDS,
    SECOND_PERSON,
)
from claimtrack.extract.signals import quantities

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

UPOS = [
    "ADJ",
    "ADP",
    "ADV",
    "AUX",
    "CCONJ",
    "DET",
    "INTJ",
    "NOUN",
    "NUM",
    "PART",
    "PRON",
    "PROPN",
    "PUNCT",
    "SCONJ",
    "SYM",
    "VERB",
    "X",
]
# English OntoNotes labels mapped onto the French WikiNER ones (PER, LOC, ORG, MISC);
# numeric types are left out because the number features cover them in both languages.
_ENTITY_TYPES = {
    "PERSON": "PER",
    "PER": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "LAW": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
    "MISC": "MISC",
}
_LEXICONS = {
    "causal": CAUSAL_WORDS,
    "comparative": COMPARATIVE_WORDS,
    "first_person_singular": FIRST_PERSON_SINGULAR,
    "first_person_plural": FIRST_PERSON_PLURAL,
    "hedge": HEDGES,
    "negation": NEGATIONS,
    "opinion_verb": OPINION_VERBS,
    "policy": POLICY_WORDS,
    "prediction": PREDICTION_WORDS,
    "second_person": SECOND_PERSON,
}
_MONEY_OR_PERCENT = set("$€£%")
# Verbs of obligation: "should", "must", "il faut", "doit" recommend or demand rather
# than state (a policy opinion): 5% of ClaimBuster's check-worthy sentences have one,
# 15% of the others (news tune claims: 2% and 4%).
_OBLIGATION = {
    "en": frozenset(["should", "must", "ought", "need"]),
    "fr": frozenset(["devoir", "falloir"]),
}
_HAVE_TO = re.compile(r"\b(have|has|had|having) to\b", re.IGNORECASE)
# Verbs that report speech: the claim names what someone said or announced.
_REPORTING = {
    "en": frozenset(
        [
            "say",
            "tell",
            "announce",
            "state",
            "claim",
            "report",
            "confirm",
            "add",
            "explain",
            "warn",
            "insist",
            "argue",
            "note",
            "reveal",
            "admit",
        ]
    ),
    "fr": frozenset(
        [
            "dire",
            "déclarer",
            "affirmer",
            "annoncer",
            "expliquer",
            "indiquer",
            "préciser",
            "ajouter",
            "assurer",
            "souligner",
            "confirmer",
            "rappeler",
            "avertir",
            "prévenir",
            "révéler",
            "reconnaître",
            "admettre",
        ]
    ),
}
_NAMED_TYPES = frozenset(["PERSON", "PER", "ORG", "GPE", "LOC"])
# Who asserts the claim, as the extractor found it. The debate and ClaimBuster lines
# the model mostly learns from are a named speaker's own words, so a sentence scored
# without its article counts as a direct quote; news claims say what they are.
CONTEXT_FEATURES = ["quote_direct", "quote_indirect", "quote_mixed", "outlet_speaks"]


def feature_names() -> list[str]:
    """Return the names of the features, in the order the model's weights use."""
    names = [f"pos_{tag}" for tag in UPOS]
    names += [f"entity_{kind}" for kind in ("PER", "LOC", "ORG", "MISC")]
    names += [f"lexicon_{name}" for name in sorted(_LEXICONS)]
    names += [
        "digit",
        "number",
        "quantity",
        "money_or_percent",
        "year",
        "question",
        "exclamation",
        "log_length",
        "short",
        "past_tense",
        "conditional",
        "superlative",
        "finite_verb",
        "subject",
        "imperative",
        "obligation",
        "quantity_count",
        "reporting_verb",
        "named_subject",
    ]
    return names + CONTEXT_FEATURES


def context_features(
    quote_type: str = "direct", outlet_speaks: bool = False
) -> dict[str, float]:
    """Return the context features of a claim: its quote type and who speaks.

    Args:
        quote_type: "direct", "indirect", "mixed" or "none" (the journalist's words).
        outlet_speaks: the speaker is the outlet itself (no one else is cited).
    """
    return {
        "quote_direct": float(quote_type == "direct"),
        "quote_indirect": float(quote_type == "indirect"),
        "quote_mixed": float(quote_type == "mixed"),
        "outlet_speaks": float(outlet_speaks),
    }


def sentence_features(sent: Span, language: str) -> dict[str, float]:
    """Return the features of one parsed sentence, keyed as in feature_names()."""
    tokens = [t for t in sent if not t.is_space]
    n = max(len(tokens), 1)
    features = dict.fromkeys(feature_names(), 0.0)
    for token in tokens:
        key = f"pos_{token.pos_}"
        if key in features:
            features[key] += 1.0 / n
    for entity in sent.ents:
        kind = _ENTITY_TYPES.get(entity.label_)
        if kind:
            features[f"entity_{kind}"] = 1.0
    words = {t.lower_ for t in tokens} | {t.lemma_.lower() for t in tokens}
    for name, lexicon in _LEXICONS.items():
        if words & lexicon.get(language, frozenset()):
            features[f"lexicon_{name}"] = 1.0
    features["digit"] = float(any(ch.isdigit() for ch in sent.text))
    features["number"] = float(any(t.pos_ == "NUM" for t in tokens))
    measured = quantities(sent)
    features["quantity"] = float(bool(measured))
    # How many: a claim with several figures is more often a statistic to check.
    features["quantity_count"] = min(len(measured), 3) / 3
    features["money_or_percent"] = float(bool(_MONEY_OR_PERCENT & set(sent.text)))
    features["year"] = float(
        any(
            t.text.isdigit() and len(t.text) == 4 and t.text[:2] in ("19", "20")
            for t in tokens
        )
    )
    text = sent.text.rstrip()
    features["question"] = float(text.endswith("?"))
    features["exclamation"] = float(text.endswith("!"))
    features["log_length"] = math.log1p(n) / 4.0
    features["short"] = float(n < 8)
    morphs = [t.morph for t in tokens]
    features["past_tense"] = float(any("Past" in m.get("Tense", []) for m in morphs))
    features["conditional"] = float(any("Cnd" in m.get("Mood", []) for m in morphs))
    features["superlative"] = float(any("Sup" in m.get("Degree", []) for m in morphs))
    features["finite_verb"] = float(any("Fin" in m.get("VerbForm", []) for m in morphs))
    features["subject"] = float(any(t.dep_.startswith("nsubj") for t in tokens))
    features["imperative"] = float(_is_imperative(tokens))
    features["obligation"] = float(_has_obligation(tokens, sent.text, language))
    reporting = _REPORTING.get(language, frozenset())
    features["reporting_verb"] = float(
        any(t.pos_ == "VERB" and t.lemma_.lower() in reporting for t in tokens)
    )
    features["named_subject"] = float(
        any(
            t.dep_.startswith("nsubj")
            and (t.pos_ == "PROPN" or t.ent_type_ in _NAMED_TYPES)
            for t in tokens
        )
    )
    features.update(context_features())
    return features


def _has_obligation(tokens: list[Token], text: str, language: str) -> bool:
    """Whether a verb of obligation governs the sentence ("should", "il faut")."""
    verbs = _OBLIGATION.get(language, frozenset())
    if any(
        (t.pos_ in ("AUX", "VERB") or t.tag_ == "MD")
        and (t.lemma_.lower() in verbs or t.lower_ in verbs)
        for t in tokens
    ):
        return True
    return language == "en" and bool(_HAVE_TO.search(text))


def _is_imperative(tokens: list[Token]) -> bool:
    """Whether the sentence addresses the reader with an order ("Subscribe now").

    The French model marks the mood (Mood=Imp); the English one does not, so there an
    imperative is a root verb in its base form (tag VB) with no subject.
    """
    if any("Imp" in t.morph.get("Mood", []) for t in tokens):
        return True
    roots = [t for t in tokens if t.dep_ == "ROOT"]
    return any(
        root.tag_ == "VB"
        and not any(child.dep_.startswith("nsubj") for child in root.children)
        and not any(child.dep_ == "aux" for child in root.children)
        for root in roots
    )
