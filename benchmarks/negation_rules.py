"""Negate a claim by a rule over its parse, for benchmarks/negation_probe.py.

An antonym with no negation word ("a été un succès" / "a été un fiasco", "endorsed" /
"denounced") looks like a translation to every feature of pair_features. The encoder
does know what "not" does to a sentence, so the probe asks it: negate one side and
see whether the other side moves towards the negation (an opposite) or away from it
(a restatement). This module writes the negation; negation_probe.py measures what
it tells (round 11: too little to ship, so it stays out of the library).

The rule is the textbook one, over spaCy's parse of the main clause (the
complement of a reporting verb when there is one, since "X said Y" is negated in Y):

- English: "not" after the first auxiliary or the copula ("has not grown", "is not"),
  else "did/does/do not" and the verb's lemma ("did not endorse");
- French: "ne ... pas" around the finite verb, before its clitics ("n'a pas connu",
  "ne se trouve pas").

A clause already negated loses its negation instead, so the probe reads both ways.
"""

from __future__ import annotations

from typing import Any


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Reporting verbs: "X said that Y" is negated in Y, the claim.
_REPORTING = _set(
    "say tell claim announce argue insist state add warn write note explain "
    "declare affirm report believe think suggest"
    " dire affirmer annoncer assurer déclarer estimer expliquer indiquer "
    "souligner ajouter juger considérer penser rappeler préciser"
)
_CLAUSE_HEADS = frozenset(("VERB", "AUX", "ADJ", "NOUN"))
_FR_AUXILIARIES = frozenset(("aux", "aux:tense", "aux:pass", "cop"))
_FR_NEGATIONS = frozenset(("pas", "jamais", "plus", "point"))
_CLITICS = _set("se s' le la les l' lui leur y en me m' te t' nous vous")
_VOWELS = tuple("aeiouyhâàéèêîôûAEIOUYHÂÀÉÈÊÎÔÛ")


def _clause_head(root: Any) -> Any:
    """The head of the claimed clause: a reporting verb's complement, else the root."""
    if root.lemma_.lower() in _REPORTING:
        for child in root.children:
            if child.dep_ in ("ccomp", "xcomp") and child.pos_ in _CLAUSE_HEADS:
                return child
    return root


def _words(doc: Any) -> list[str]:
    return [token.text_with_ws for token in doc]


def negate_english(doc: Any) -> str | None:
    """A spaCy English parse, negated in its claimed clause (None: no verb found)."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return None
    head = _clause_head(roots[0])
    words = _words(doc)
    negations = [c for c in head.children if c.dep_ == "neg"]
    if negations:
        for neg in negations:
            words[neg.i] = " " if neg.text.lower() == "n't" else ""
        return _join(words)
    auxiliaries = [
        c for c in head.children if c.dep_ in ("aux", "auxpass") and c.i < head.i
    ]
    if auxiliaries:
        first = auxiliaries[0]
        words[first.i] = first.text + " not" + first.whitespace_
        return _join(words)
    if head.pos_ == "AUX" or head.lemma_.lower() == "be":
        words[head.i] = head.text + " not" + head.whitespace_
        return _join(words)
    copulas = [c for c in head.children if c.dep_ == "cop"]
    if copulas:
        words[copulas[0].i] = copulas[0].text + " not" + copulas[0].whitespace_
        return _join(words)
    if head.pos_ != "VERB":
        return None
    tag = head.tag_
    if tag in ("VBD", "VBN"):  # the tagger reads "Sales recovered" as a participle
        do = "did"
    elif tag == "VBZ":
        do = "does"
    elif tag == "VBP":
        do = "do"
    else:
        return None
    words[head.i] = f"{do} not {head.lemma_}{head.whitespace_}"
    return _join(words)


def negate_french(doc: Any) -> str | None:
    """A spaCy French parse, negated around its finite verb (None: no verb found)."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return None
    head = _clause_head(roots[0])
    words = _words(doc)
    children = list(head.children)
    negations = [
        c for c in children if c.dep_ == "advmod" and c.lower_ in _FR_NEGATIONS
    ]
    nes = [c for c in children if c.lower_ in ("ne", "n'")]
    if nes or negations:
        for token in nes + [c for c in negations if c.lower_ == "pas"]:
            words[token.i] = ""
        return _join(words)
    auxiliaries = [c for c in children if c.dep_ in _FR_AUXILIARIES and c.i < head.i]
    finite = auxiliaries[0] if auxiliaries else head
    if finite.pos_ not in ("VERB", "AUX"):
        return None
    # "ne" goes before the clitics that sit right before the verb (se, le, y, en).
    start = finite.i
    while start > 0 and doc[start - 1].lower_ in _CLITICS:
        start -= 1
    first = words[start]
    ne = "n'" if first.startswith(_VOWELS) else "ne "
    words[start] = ne + first
    words[finite.i] = words[finite.i].rstrip() + " pas" + (finite.whitespace_ or "")
    return _join(words)


def _join(words: list[str]) -> str:
    return " ".join("".join(words).split())


def negate(doc: Any, language: str) -> str | None:
    """Negate a parsed claim in its language ("fr" or "en")."""
    return negate_french(doc) if language == "fr" else negate_english(doc)
