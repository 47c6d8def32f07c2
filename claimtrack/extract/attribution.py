"""Who asserts a sentence, with which words, and which tokens carry the assertion.

Rules on spaCy dependency parses, per language (word lists in ``lexicons.py``):

* a reporting verb with a clausal complement: "X a déclaré que …", "X said that …";
* a reporting verb followed by a quote mark or a colon: "il a averti qu'« … »", whose
  complement the small French model often fails to attach;
* an inverted or trailing reporting verb: "…, a déclaré Biden", "…, Biden said";
* "selon X", "d'après X", "according to X".

Verbs nearer the root win, so "Les responsables pensent que Poutine ne le ferait que
s'il estimait que …" is attributed to "les responsables", not to Poutine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimtrack.extract.lexicons import ACCORDING_TO, QUOTE_MARKS, REPORTING_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

OPENING_QUOTES = "«“„"
_COMPLEMENTISERS = frozenset({"que", "qu'", "qu", "that", ":"})
# Participles used as adjectives ("une arme dite tactique") are not reporting.
_ADJECTIVAL = frozenset({"amod", "acl", "acl:relcl", "relcl", "nmod", "compound"})


@dataclass(frozen=True)
class Attribution:
    """Token ranges (indices into the sentence's doc, end exclusive) of attribution."""

    speaker: tuple[int, int] | None
    cue: tuple[int, int] | None
    claim_start: int
    claim_end: int
    speaker_head: int | None = None  # the speaker phrase's head token, for pronouns


def subtree_bounds(token: Token) -> tuple[int, int]:
    """Return the token range that a token's subtree covers."""
    return token.left_edge.i, token.right_edge.i + 1


def trim(sent: Span, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation, conjunctions and complementisers ("que", "that") at edges."""
    doc = sent.doc
    while start < end and (
        (doc[start].is_punct and doc[start].text not in OPENING_QUOTES)
        or doc[start].dep_ in ("mark", "cc")
        or doc[start].lower_ in _COMPLEMENTISERS
        or doc[start].is_space
    ):
        start += 1
    while end > start and (
        (doc[end - 1].is_punct and doc[end - 1].text not in QUOTE_MARKS)
        or doc[end - 1].dep_ == "cc"
        or doc[end - 1].is_space
    ):
        end -= 1
    return start, end


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth


def phrase_bounds(head: Token) -> tuple[int, int]:
    """Return a noun phrase's range, cut before the first comma after its head.

    "Le président Joe Biden, apparaissant sur CBS, a déclaré" gives
    "Le président Joe Biden".
    """
    start, end = subtree_bounds(head)
    for token in head.doc[head.i + 1 : end]:
        if token.text in (",", "(", "–", "—"):
            return start, token.i
    return start, end


def _inverted_subject(verb: Token, child: Token) -> bool:
    """Whether a child after "…, a indiqué" is a speaker parsed as an object."""
    if child.dep_ not in ("obj", "dobj") or child.i < verb.i:
        return False
    if child.pos_ == "PROPN":
        return True
    start = cue_bounds(verb)[0]
    before = verb.doc[start - 1] if start > 0 else None
    return child.pos_ == "NOUN" and before is not None and before.text == ","


def _speaker_of(verb: Token) -> tuple[int, int] | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubj:pass", "nsubjpass"):
            return phrase_bounds(child)
    for child in verb.children:
        # The French model parses "a déclaré Biden" with Biden as the object.
        if _inverted_subject(verb, child):
            return phrase_bounds(child)
    return None


def _speaker_head(verb: Token) -> int | None:
    for child in verb.children:
        if child.dep_.startswith("nsubj") or _inverted_subject(verb, child):
            return child.i
    return None


def cue_bounds(verb: Token) -> tuple[int, int]:
    """Return the reporting verb with its auxiliaries: "ont déclaré", "has said"."""
    auxiliaries = [
        c for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i
    ]
    start = auxiliaries[0].i if auxiliaries else verb.i
    return start, verb.i + 1


def _quoted_after(sent: Span, verb: Token) -> tuple[int, int] | None:
    """Return the range after a quote mark or colon that closely follows the verb."""
    for token in sent.doc[verb.i + 1 : min(verb.i + 5, sent.end)]:
        if token.text in OPENING_QUOTES or token.text in ('"', ":"):
            return token.i, sent.end
        if not (
            token.is_punct
            or token.lower_ in _COMPLEMENTISERS
            or token.pos_ in ("ADV", "DET")
        ):
            break
    return None


def _mistagged_reporting_verb(token: Token, verbs: frozenset[str]) -> bool:
    """Whether a token the tagger missed is a reporting verb followed by "que"/"that".

    The small French model reads "pensent que" as a noun; the verb's stem and the
    complementiser that follows it are a reliable enough sign.
    """
    if token.pos_ in ("VERB", "AUX") or token.i + 1 >= len(token.doc):
        return False
    if token.doc[token.i + 1].lower_ not in ("que", "qu'", "that"):
        return False
    word = token.lower_
    return any(
        len(lemma) > 4 and word.startswith(lemma[:-2]) and len(word) - len(lemma) <= 3
        for lemma in verbs
    )


def _left_speaker(sent: Span, verb: Token) -> tuple[int, int] | None:
    """Return the words before a mis-parsed verb when they look like a short subject."""
    start, end = trim(sent, sent.start, verb.i)
    words = sent.doc[start:end]
    # The tagger that missed the verb often mis-tags its subject as adjectives too.
    if 0 < len(words) <= 8 and any(
        t.pos_ in ("NOUN", "PROPN", "PRON", "ADJ") for t in words
    ):
        return start, end
    return None


def _first_noun(sent: Span, tokens: tuple[int, int] | None) -> int | None:
    if tokens is None:
        return None
    nouns = [
        t.i
        for t in sent.doc[tokens[0] : tokens[1]]
        if t.pos_ in ("NOUN", "PROPN", "PRON")
    ]
    return nouns[0] if nouns else tokens[1] - 1


def _from_verb(sent: Span, verb: Token) -> Attribution | None:
    finite = "Fin" in verb.morph.get("VerbForm", [])
    if verb.dep_ in _ADJECTIVAL and verb.pos_ in ("VERB", "AUX") and not finite:
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        speaker = _left_speaker(sent, verb)
        start, end = trim(sent, verb.i + 2, sent.end)
        return Attribution(
            speaker, (verb.i, verb.i + 1), start, end, _first_noun(sent, speaker)
        )
    speaker, head = _speaker_of(verb), _speaker_head(verb)
    if speaker is None and "Fin" in verb.morph.get("VerbForm", []):
        # "certains analystes militaires craignent que": the tagger made the verb an
        # adjective of its own subject, which then stands just before it.
        speaker = _left_speaker(sent, verb)
        head = _first_noun(sent, speaker)
    cue = cue_bounds(verb)
    complements = [
        c
        for c in verb.children
        if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX", "ADJ", "NOUN")
    ]
    if complements:
        # "a déclaré jeudi que …": the xcomp "jeudi" is a parse error; the biggest
        # complement is the statement.
        widest = max(
            complements,
            key=lambda c: (c.dep_ == "ccomp", c.right_edge.i - c.left_edge.i),
        )
        start, end = subtree_bounds(widest)
        return Attribution(speaker, cue, *trim(sent, start, end), head)
    quoted = _quoted_after(sent, verb)
    if quoted:
        return Attribution(speaker, cue, *trim(sent, *quoted), head)
    following = sent.doc[verb.i + 1] if verb.i + 1 < sent.end else None
    if following is not None and following.lower_ in _COMPLEMENTISERS:
        return Attribution(speaker, cue, *trim(sent, following.i + 1, sent.end), head)
    if verb.i > sent.start + 3 and sent.doc[cue[0] - 1].text == ",":
        # "…, a déclaré Biden" / "…, Biden said": the statement precedes the cue.
        first = min(
            [
                cue[0],
                *(c.left_edge.i for c in verb.children if c.dep_.startswith("nsubj")),
            ]
        )
        start, end = trim(sent, sent.start, first)
        if end - start >= 3:
            return Attribution(speaker, cue, start, end, head)
    return None


def _according_to(sent: Span, token: Token) -> Attribution:
    phrase_head = token.head if token.dep_ in ("case", "prep") else token
    if token.lower_ == "according":
        phrase_head = token
    start, end = subtree_bounds(phrase_head)
    start = min(start, token.i)
    speaker_tokens = [
        t for t in sent.doc[start:end] if t.i > token.i and t.lower_ != "to"
    ]
    speaker = (speaker_tokens[0].i, end) if speaker_tokens else None
    head = None
    if speaker_tokens:
        heads = [
            t for t in speaker_tokens if t.head.i not in range(speaker_tokens[0].i, end)
        ]
        head = heads[0].i if heads else speaker_tokens[0].i
    before = trim(sent, sent.start, start)
    after = trim(sent, end, sent.end)
    claim = before if before[1] - before[0] >= after[1] - after[0] else after
    # "according to" and "d'après" are two tokens, unless the sentence ends first.
    cue_end = token.i + 2 if token.lower_ in ("according", "d'") else token.i + 1
    cue_end = min(cue_end, sent.end)
    if speaker is not None and speaker[0] < cue_end:
        speaker = (cue_end, speaker[1]) if cue_end < speaker[1] else None
    return Attribution(speaker, (token.i, cue_end), *claim, head)


def attribute(sent: Span, language: str) -> Attribution:
    """Find who asserts the sentence and the span of what they assert."""
    verbs = REPORTING_VERBS.get(language, frozenset())
    according = ACCORDING_TO.get(language, frozenset())
    candidates = [
        t
        for t in sent
        if (t.pos_ in ("VERB", "AUX") and (t.lemma_.lower() or t.lower_) in verbs)
        or _mistagged_reporting_verb(t, verbs)
    ]
    # Mis-tagged verbs sit at arbitrary depths of a broken parse: try them first.
    ranked = sorted(
        candidates,
        key=lambda t: (0 if t.pos_ not in ("VERB", "AUX") else _depth(t), t.i),
    )
    for verb in ranked:
        found = _from_verb(sent, verb)
        if found is not None and found.claim_end - found.claim_start >= 3:
            return found
    for token in sent:
        if token.lower_ in according or (
            token.lower_ == "d'"
            and token.i + 1 < sent.end
            and sent.doc[token.i + 1].lower_ == "après"
        ):
            found = _according_to(sent, token)
            if found.claim_end - found.claim_start >= 3:
                return found
    return Attribution(None, None, *trim(sent, sent.start, sent.end))
