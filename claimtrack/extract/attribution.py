"""Who asserts a sentence, with which words, and which tokens carry the assertion.

Rules on spaCy dependency parses, per language (word lists in ``lexicons.py``):

* a reporting verb with a clausal complement: "X a déclaré que …", "X said that …";
* a reporting verb followed by a quote mark or a colon: "il a averti qu'« … »", whose
  complement the small French model often fails to attach;
* an inverted or trailing reporting verb: "…, a déclaré Biden", "…, Biden said";
* "selon X", "d'après X", "according to X", and "Pour X, …" when X names a person
  or organisation;
* an incise after the statement, matched on the words rather than the parse, which the
  small models get wrong ("…, confie-t-elle", "…, juge Mme X", "…, glisse un
  cheminot", "…, as confirmed by the council").

A reporting verb under negation ("They're not saying that …") attributes nothing: the
whole sentence is the claim, so that the inner clause never stands alone.

Verbs nearer the root win, so "Les responsables pensent que Poutine ne le ferait que
s'il estimait que …" is attributed to "les responsables", not to Poutine.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING

from claimtrack.extract.lexicons import (
    ACCORDING_TO,
    IRREGULAR_REPORTING_FORMS,
    QUOTE_MARKS,
    REPORTING_VERBS,
    ROLE_SUFFIXES,
    SPEAKER_NOUNS,
)
from claimtrack.extract.verbs import is_infinitive

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

OPENING_QUOTES = "«“„"
# Symbols the parser may call punctuation but that are part of a quantity: "3.8%".
_UNITS = "%$€£¥‰"
_COMPLEMENTISERS = frozenset({"que", "qu'", "qu", "that", ":"})
# Entity labels of phrases that can assert something.
_SPEAKER_ENTITIES = frozenset({"PER", "PERSON", "ORG", "NORP", "GPE", "LOC"})
# Pronouns that never name a speaker, even resolved: the reader, "on", "one", a
# demonstrative ("This suggests …": a finding, told by the outlet).
# Quantifiers ("Many said …", "Certains estiment …") name nobody either.
_NOT_SPEAKERS = frozenset(
    {"vous", "tu", "on", "you", "one", "ce", "cela", "ça", "ceci", "it"}
    | {"this", "that", "these", "those"}
    | {"many", "some", "others", "several", "most", "certains", "plusieurs"}
    | {"beaucoup", "d'autres"}
)
_CLOSING = frozenset({"»", "”", '"'})
# "Pour elle, …": the stressed pronouns that can stand for a speaker.
_POUR_PRONOUNS = frozenset({"lui", "elle", "eux", "elles"})
_CLITICS = frozenset(
    {
        "-t",
        "-il",
        "-elle",
        "-ils",
        "-elles",
        "-on",
        "-t-il",
        "-t-elle",
        "t-il",
        "t-elle",
    }
)
_FRENCH_AUXILIARIES = frozenset({"a", "ont", "avait", "avaient", "aura", "aurait"})
# Words that end a speaker phrase after an inverted verb ("a déclaré Biden à la
# sortie"): prepositions other than "de", times, relative pronouns.
_PHRASE_STOPS = frozenset(
    [
        "à",
        "au",
        "aux",
        "lors",
        "dans",
        "devant",
        "sur",
        "pendant",
        "après",
        "avant",
        "en",
        "auprès",
        "depuis",
        "vers",
        "par",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "hier",
        "mercredi",
        "qui",
        "dont",
        "to",
        "at",
        "in",
        "on",
        "after",
        "during",
        "before",
        "from",
        "with",
        "who",
        "which",
        "when",
        "while",
        "as",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "yesterday",
    ]
)
# Reporting verbs whose object is the person told, never the speaker.
_ADDRESSEE_VERBS = frozenset({"tell", "inform", "remind", "assure", "warn"})
_NEGATION_WORDS = frozenset({"not", "n't", "never", "pas", "jamais", "guère"})
_CONDITIONS = frozenset(
    {"if", "unless", "whether", "si", "s'", "lorsque", "quand", "when", "although"}
)
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
    # More claims of the sentence, with their own attribution: "…, précisant que …".
    extra: tuple[Attribution, ...] = ()
    # Token ranges inside the claim that are not part of it: ", selon la police,".
    gaps: tuple[tuple[int, int], ...] = ()
    # A clause coordinated with the reporting verb ("X said A and it B"): whom its
    # pronoun stands for is unsure.
    continuation: bool = False


def subtree_bounds(token: Token) -> tuple[int, int]:
    """Return the token range that a token's subtree covers."""
    return token.left_edge.i, token.right_edge.i + 1


def trim(sent: Span, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation, conjunctions and complementisers ("que", "that") at edges."""
    doc = sent.doc
    while start < end and (
        (doc[start].is_punct and doc[start].text not in OPENING_QUOTES + _UNITS)
        or (
            doc[start].dep_ == "mark"
            and doc[start].lower_ not in _CONDITIONS
            and not _opens_adverbial(doc[start], end)
        )
        or doc[start].dep_ == "cc"
        or (
            doc[start].lower_ in _COMPLEMENTISERS
            # "That is the only place …": a demonstrative subject, not "that …"
            and not doc[start].dep_.startswith(("nsubj", "expl"))
        )
        or doc[start].is_space
    ):
        start += 1
    while end > start and (
        (doc[end - 1].is_punct and doc[end - 1].text not in QUOTE_MARKS + _UNITS)
        or doc[end - 1].dep_ == "cc"
        or doc[end - 1].is_space
    ):
        end -= 1
    return start, end


def _opens_adverbial(mark: Token, end: int) -> bool:
    """Whether a mark opens an adverbial clause the range goes on after.

    "Pour durer, elle doit …", "Because prices rose, the bank …": the mark is part of
    the claim (without it the clause reads as a second assertion); a "that" or "que"
    before the whole asserted clause is not.
    """
    head = mark.head
    return head.i != mark.i and mark.i < head.i and head.right_edge.i + 1 < end - 1


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
            name = _appositive_name(head, token.i)
            return start, name if name is not None else token.i
    return start, end


def _appositive_name(head: Token, comma: int) -> int | None:
    """Where a name in apposition after a role ends: "the chief engineer, Paula Grant".

    The role alone does not name the speaker; "role, Name" keeps both.
    """
    doc = head.doc
    if doc[comma].text != ",":
        return None
    for entity in doc.ents:
        if entity.start == comma + 1 and entity.label_ in ("PER", "PERSON"):
            after = doc[entity.end] if entity.end < len(doc) else None
            if after is None or after.text == "," or after.pos_ in ("VERB", "AUX"):
                return int(entity.end)
    # French attaches the name to the role's last noun ("maire de Brest, Yann").
    for child in head.subtree:
        if child.dep_ != "appos" or child.left_edge.i != comma + 1:
            continue
        words = head.doc[child.left_edge.i : child.right_edge.i + 1]
        if words and all(t.pos_ == "PROPN" or t.is_punct for t in words):
            if any(t.is_punct for t in words):
                return None
            return int(child.right_edge.i) + 1
    return None


def _inverted_subject(verb: Token, child: Token) -> bool:
    """Whether a child after "…, a indiqué" is a speaker parsed as an object."""
    if child.dep_ not in ("obj", "dobj") or child.i < verb.i:
        return False
    if child.pos_ == "PROPN":
        return True
    start = cue_bounds(verb)[0]
    before = verb.doc[start - 1] if start > 0 else None
    return child.pos_ == "NOUN" and before is not None and before.text == ","


def _causative(verb: Token) -> Token:
    """Return "fait" for the "savoir" of "a fait savoir", else the verb itself."""
    for child in verb.children:
        if child.lemma_.lower() == "faire" and child.i < verb.i:
            return child
    return verb


def _quoted_subject(verb: Token, child: Token) -> bool:
    """Whether a subject stands inside a quote that closes before its verb.

    "« X a chargé les chefs … », a rapporté le porte-parole": the parser may make a
    noun of the quote the subject of the incise; the speaker is never quoted.
    """
    if child.i > verb.i:
        return False
    between = verb.doc[child.i : verb.i]
    return any(t.text in ("»", "”") for t in between) and verb.doc[verb.i - 1].text in (
        ",",
        "»",
        "”",
        "a",
        "ont",
    )


def _speaker_of(verb: Token) -> tuple[int, int] | None:
    verb = _causative(verb)
    for child in verb.children:
        if (
            child.dep_ in ("nsubj", "nsubj:pass", "nsubjpass")
            and _nominal(child)
            and not _quoted_subject(verb, child)
        ):
            return phrase_bounds(child)
    for child in verb.children:
        # The French model parses "a déclaré Biden" with Biden as the object.
        if _inverted_subject(verb, child):
            return phrase_bounds(child)
    return None


def _speaker_head(verb: Token) -> int | None:
    verb = _causative(verb)
    for child in verb.children:
        if (
            child.dep_.startswith("nsubj")
            and _nominal(child)
            and not _quoted_subject(verb, child)
        ) or _inverted_subject(verb, child):
            return child.i
    return None


def _nominal(token: Token) -> bool:
    """Whether a subject can name someone ("pratiquement" mis-parsed as one cannot)."""
    return token.pos_ not in ("ADV", "ADJ", "ADP", "CCONJ", "SCONJ", "PUNCT")


def cue_bounds(verb: Token) -> tuple[int, int]:
    """Return the reporting verb with its auxiliaries: "ont déclaré", "has said"."""
    causative = _causative(verb)
    if causative.i != verb.i:
        return cue_bounds(causative)[0], verb.i + 1
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


def _instruction_or_hearsay(verb: Token, complement: Token) -> bool:
    """Whether an infinitive complement follows an object or an agentless passive.

    "tells people to have cash", "urged residents to leave" (an instruction to
    someone) and "is thought to be hiding" (hearsay nobody signs) are the outlet's
    statements about the world, unlike "a affirmé avoir fait échouer …".
    """
    infinitive = "Inf" in complement.morph.get("VerbForm", []) or any(
        c.lower_ == "to" and c.dep_ == "aux" for c in complement.children
    )
    if not infinitive:
        return False
    has_object = any(c.dep_ in ("dobj", "obj", "iobj") for c in verb.children)
    passive = any(
        c.dep_ in ("auxpass", "aux:pass", "nsubjpass", "nsubj:pass")
        for c in verb.children
    )
    agent = any(c.dep_ in ("agent", "obl:agent") for c in verb.children)
    return has_object or (passive and not agent)


def _english_nonfinite(complement: Token) -> bool:
    """Whether an English complement is a bare infinitive or gerund ("continues to
    expect a rebound", "would continue taking gifts").

    Cut off, it has neither subject nor finite verb ("To expect a rebound"): English
    has no rule like French "a affirmé avoir …" to give it its subject back, so the
    whole sentence stays the claim.
    """
    if complement.doc.lang_ != "en" or complement.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_.startswith("nsubj") for c in complement.children):
        return False
    to = any(c.lower_ == "to" and c.dep_ == "aux" for c in complement.children)
    return to or complement.tag_ == "VBG"


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
        if widest.dep_ == "xcomp" and (
            _instruction_or_hearsay(verb, widest) or _english_nonfinite(widest)
        ):
            # "It tells people to keep cash", "Gangs are reported to have …": the
            # infinitive alone asserts nothing; the whole sentence is the claim.
            return Attribution(None, None, *trim(sent, sent.start, sent.end))
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
                *(
                    c.left_edge.i
                    for c in verb.children
                    # "« Nous avons pratiquement … »": an adverb mis-parsed as
                    # the subject lies inside the statement.
                    if c.dep_.startswith("nsubj")
                    and c.pos_ in ("NOUN", "PROPN", "PRON")
                    and not _quoted_subject(verb, c)
                ),
            ]
        )
        start, end = trim(sent, sent.start, first)
        if end - start >= 3:
            return Attribution(speaker, cue, start, end, head)
    return None


_JOINING = frozenset({"and", "but", "et", "mais"})


def _with_continuation(
    sent: Span, verb: Token, found: Attribution, verbs: frozenset[str]
) -> Attribution:
    """Add the clause the parser coordinated with the reporting verb itself.

    "The army said it had footage and it was being investigated", "'…,' he said, and
    it should ease worries": the second clause hangs on "said", outside the reported
    complement, and was lost. It goes on with the same speaker's statement. Only a
    clause after the claim, with its own subject and finite verb, joined by
    "and"/"but"; one with a reporting verb of its own ("and Y said …") is left alone.
    """
    if found.cue is None or found.speaker is None:
        return found
    extra = []
    for conjunct in verb.children:
        if conjunct.dep_ != "conj" or conjunct.i < found.claim_end:
            continue
        if conjunct.left_edge.i < found.claim_end or conjunct.right_edge.i >= sent.end:
            continue
        if conjunct.lemma_.lower() in verbs or not _finite_clause(conjunct):
            continue
        joined = [c for c in conjunct.children if c.dep_ == "cc" and c.i < conjunct.i]
        joined += [c for c in verb.children if c.dep_ == "cc" and c.i < conjunct.i]
        if not any(c.lower_ in _JOINING for c in joined):
            continue
        start, end = trim(sent, conjunct.left_edge.i, conjunct.right_edge.i + 1)
        if end - start >= 3:
            extra.append(
                Attribution(
                    found.speaker,
                    found.cue,
                    start,
                    end,
                    found.speaker_head,
                    continuation=True,
                )
            )
    if not extra:
        return found
    return replace(found, extra=(*found.extra, *extra))


def _finite_clause(verb: Token) -> bool:
    """A verb with its own subject, finite itself or through its auxiliary."""
    if not any(c.dep_.startswith(("nsubj", "expl")) for c in verb.children):
        return False
    forms = [verb, *(c for c in verb.children if c.dep_.startswith(("aux", "cop")))]
    return any("Fin" in t.morph.get("VerbForm", []) or t.tag_ == "MD" for t in forms)


def _according_to(sent: Span, token: Token) -> Attribution:
    phrase_head = token.head if token.dep_ in ("case", "prep") else token
    if token.lower_ == "according":
        phrase_head = token
    start, end = subtree_bounds(phrase_head)
    start = min(start, token.i)
    # ", selon la préfecture, dans un gymnase": the parse may hang the rest of the
    # statement on the source; the source ends at the comma.
    comma = next((t.i for t in sent.doc[token.i + 1 : end] if t.text == ","), None)
    if comma is not None and comma > token.i + 1:
        end = comma
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
    doc = sent.doc
    enclosed = (
        start > sent.start
        and doc[start - 1].text == ","
        and end < sent.end
        and doc[end].text == ","
    )
    if enclosed and before[1] - before[0] >= 2 and after[1] - after[0] >= 3:
        # "Cette déclaration a été faite, selon cette source, lors d'un …": the
        # source stands in the middle of one statement, which runs on both sides.
        whole = trim(sent, sent.start, sent.end)
        return Attribution(
            speaker, (token.i, cue_end), *whole, head, gaps=((start - 1, end + 1),)
        )
    return Attribution(speaker, (token.i, cue_end), *claim, head)


def is_speaker_phrase(sent: Span, start: int, end: int, language: str) -> bool:
    """Whether tokens name someone who can assert: a person, organisation, document."""
    nouns = SPEAKER_NOUNS.get(language, frozenset())
    for token in sent.doc[start:end]:
        if token.ent_type_ in _SPEAKER_ENTITIES or token.pos_ == "PROPN":
            return True
        # A capitalised word inside the sentence is a name the tagger missed
        # ("Selon PeakMetrics, …").
        if token.i > sent.start and token.is_alpha and token.text[:1].isupper():
            return True
        if token.pos_ in ("NOUN", "ADJ") and (
            token.lower_ in nouns
            or token.lemma_.lower() in nouns
            or token.lower_.endswith(ROLE_SUFFIXES.get(language, ()))
        ):
            return True
    return False


def is_reporting_word(token: Token, language: str) -> bool:
    """Whether a token is a reporting verb, even one the tagger got wrong."""
    verbs = REPORTING_VERBS.get(language, frozenset())
    word, lemma = token.lower_, token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") and lemma in verbs:
        return True
    if language != "fr":
        return False
    if word in IRREGULAR_REPORTING_FORMS:
        return True
    # Regular -er verbs: "raconte", "juge", "glisse", "confié", "estimait".
    for verb in verbs:
        if verb.endswith("er") and word.startswith(verb[:-2]):
            ending = word[len(verb) - 2 :]
            if ending in ("e", "ent", "é", "ée", "és", "ées", "ait", "aient", "a"):
                return True
    return False


def _subordinate(verb: Token) -> bool:
    """Whether a verb stands in an adverbial or relative clause of the sentence."""
    token = verb
    for _ in range(20):
        if token.dep_ in ("advcl", "relcl", "acl:relcl", "acl"):
            return True
        if token.head.i == token.i:
            return False
        token = token.head
    return False


def _negated(verb: Token) -> bool:
    return any(
        c.dep_ == "neg" or (c.lower_ in _NEGATION_WORDS and c.dep_ == "advmod")
        for c in verb.children
    )


def _phrase_after(sent: Span, start: int) -> tuple[int, int] | None:
    """Return the noun phrase that starts at a token, up to its first stop word."""
    doc = sent.doc
    end = start
    while end < sent.end:
        token = doc[end]
        if token.is_punct or token.is_space or token.lower_ in _PHRASE_STOPS:
            break
        finite = "Fin" in token.morph.get("VerbForm", [])
        if token.pos_ in ("VERB", "AUX") and end > start and finite:
            break
        end += 1
    if end == start or not any(
        t.is_alpha and t.pos_ not in ("DET", "ADP", "CCONJ") for t in doc[start:end]
    ):
        return None
    return start, end


def _head_of(sent: Span, tokens: tuple[int, int]) -> int:
    doc = sent.doc
    for token in doc[tokens[0] : tokens[1]]:
        if token.pos_ in ("PROPN", "PRON"):
            return int(token.i)
    nouns = [t.i for t in doc[tokens[0] : tokens[1]] if t.pos_ == "NOUN"]
    return int(nouns[0]) if nouns else tokens[0]


def _tail_end(sent: Span) -> int:
    end = sent.end
    while end > sent.start and (
        sent.doc[end - 1].is_punct or sent.doc[end - 1].is_space
    ):
        if sent.doc[end - 1].text in _CLOSING:
            break
        end -= 1
    return end


def _incise(sent: Span, language: str) -> Attribution | None:
    """Find a reporting incise that ends the sentence, matched on its words.

    French: ", confie-t-elle", ", a déclaré Biden", ", juge Mme X", ", comme l'a
    indiqué X"; English: ", she said", ", said Lopez", ", the report found", ", as
    confirmed by the council".
    """
    doc = sent.doc
    end = _tail_end(sent)
    for separator in range(end - 2, sent.start + 2, -1):
        if doc[separator].text not in (",", *_CLOSING) or _opens_quote(doc, separator):
            continue
        start = separator + 1
        while start < end and doc[start].text in (",", *_CLOSING):
            start += 1
        if start >= end or end - start > 24:
            continue
        found = _tail(sent, start, end, language)
        if found is None:
            continue
        speaker, cue = found
        claim = trim(sent, sent.start, separator + (doc[separator].text in _CLOSING))
        if claim[1] - claim[0] < 3:
            return None
        if not any(t.pos_ in ("VERB", "AUX") for t in doc[claim[0] : claim[1]]):
            # "Amer, in Gaza, stressed …": what precedes a real incise is a statement.
            continue
        head = _head_of(sent, speaker) if speaker else None
        return Attribution(speaker, cue, *claim, head)
    return None


def _clause_follows(sent: Span, start: int, end: int) -> bool:
    """Whether a finite verb follows a speaker phrase before any punctuation.

    "…, a déclaré Biden, qui a ajouté …" is still an incise: its relative clause
    comes after a comma.
    """
    for token in sent.doc[start:end]:
        if token.is_punct:
            return False
        if "Fin" in token.morph.get("VerbForm", []) or token.tag_ == "MD":
            return True
    return False


def _middle_incise(sent: Span, language: str) -> Attribution | None:
    """Find an incise between commas inside the statement: "A, Levitt said, B".

    The statement runs on both sides; the incise is left out of it as a gap.
    """
    doc = sent.doc
    commas = [t.i for t in sent if t.text == ","]
    for left, right in pairwise(commas):
        if right - left < 2 or right - left > 10 or left - sent.start < 1:
            continue
        if doc[left - 1].text in _CLOSING:
            break  # "« … », a affirmé le ministre, Andreï B., selon …": a tail incise
        found = _tail(sent, left + 1, right, language)
        if found is None:
            continue
        speaker, cue = found
        if any(t.text == ":" for t in doc[cue[1] : right]):
            # "Asked whether …, he said: "Well, …": a colon opens the statement,
            # which is what follows it, not both sides of an incise.
            continue
        cue_words = doc[cue[0] : cue[1]]
        if not any("Fin" in t.morph.get("VerbForm", []) for t in cue_words) and doc[
            left + 1
        ].lower_ not in ("as", "comme"):
            continue  # ", rapportés pour la première fois par …,": a participle
        if (
            speaker is not None
            and speaker[0] > cue[0]  # inverted: "a indiqué le préfet"
            and speaker[1] - speaker[0] > 1
            and not is_speaker_phrase(sent, *speaker, language)
        ):
            continue
        before = trim(sent, sent.start, left)
        after = trim(sent, right + 1, sent.end)
        if _words_of(sent, *before) < 1 or _words_of(sent, *after) < 3:
            continue  # "Le pont, a indiqué le maire, sera fermé": a subject suffices
        if not any(t.pos_ in ("VERB", "AUX") for t in doc[after[0] : after[1]]):
            continue
        verb_before = any(t.pos_ in ("VERB", "AUX") for t in doc[before[0] : before[1]])
        if not verb_before and doc[after[0]].pos_ not in ("VERB", "AUX"):
            continue  # "Grant, in Leeds, stressed the cost, which …": no predicate
        head = _head_of(sent, speaker) if speaker else None
        whole = trim(sent, sent.start, sent.end)
        return Attribution(speaker, cue, *whole, head, gaps=((left, right + 1),))
    return None


def _words_of(sent: Span, start: int, end: int) -> int:
    return sum(1 for t in sent.doc[start:end] if not t.is_punct and not t.is_space)


def _opens_quote(doc: Doc, index: int) -> bool:
    """Whether a straight quote mark opens a quote: an even number of them before it.

    '"' both opens and closes; read as a closing mark, the opening one of 'X said:
    "We have added …"' would make "We have added …" an incise after the statement.
    """
    if doc[index].text != '"':
        return False
    return sum(1 for token in doc[:index] if token.text == '"') % 2 == 0


def _source_after(sent: Span, start: int, end: int) -> tuple[int, int] | None:
    """Return the source of "de sources proches", "auprès de la préfecture"."""
    doc = sent.doc
    for index in range(start, min(start + 4, end)):
        word = doc[index].lower_
        if word in ("de", "d'", "du", "des", "auprès"):
            first = index + 1
            if word == "auprès" and first < end and doc[first].lower_ in ("de", "d'"):
                first += 1
            if word in ("du", "des"):  # "des services": the article is the phrase's
                first = index
            return _phrase_after(sent, first)
        if doc[index].is_punct:
            return None
    return None


def _tail(
    sent: Span, start: int, end: int, language: str
) -> tuple[tuple[int, int] | None, tuple[int, int]] | None:
    """Parse the words of an incise: (speaker tokens, cue tokens), or None."""
    doc = sent.doc
    index = start
    if doc[index].lower_ in ("as", "comme", "ainsi"):
        index += 1
        while index < end and doc[index].lower_ in ("l'", "le", "que", "qu'"):
            index += 1
    cue_start = index
    while index < end and (
        (doc[index].lower_ in _FRENCH_AUXILIARIES and language == "fr")
        or doc[index].lower_ in _CLITICS
        or (doc[index].lemma_.lower() in ("have", "be") and language == "en")
    ):
        index += 1
    if index < end and is_reporting_word(doc[index], language):
        verb = index
        index += 1
        pronoun = None
        while index < end and doc[index].lower_ in _CLITICS:
            if doc[index].lower_ not in ("-t",):
                pronoun = index
            index += 1
        for clitic in range(cue_start, verb):
            if doc[clitic].lower_ in _CLITICS and doc[clitic].lower_ != "-t":
                pronoun = clitic
        if language == "en" and index < end and doc[index].lower_ == "by":
            if doc[verb].tag_ == "VBN" and doc[verb].dep_ == "acl":
                # "… 335,000 articles, written by volunteers": who wrote the noun
                # before the comma, not who says the sentence.
                return None
            index += 1
        if pronoun is not None and doc[pronoun].lower_.endswith("on"):
            # "…, a-t-on appris de sources diplomatiques": the source is the speaker.
            source = _source_after(sent, index, end)
            if source is not None:
                return source, (cue_start, verb + 1)
        if pronoun is not None:
            return (pronoun, pronoun + 1), (cue_start, verb + 1)
        if doc[verb].lemma_.lower() in _ADDRESSEE_VERBS:
            return None  # "…, told the AP": the phrase after is who was told
        phrase = _phrase_after(sent, index)
        if phrase is not None and phrase[0] == index:
            if _clause_follows(sent, phrase[1], end):
                # "…, said Sinwar's appointment would not stop …": the verb opens
                # a statement of its own, it ends nothing.
                return None
            return phrase, (cue_start, verb + 1)
        if language == "fr" and doc[start].lower_ == "comme":
            return None
        return None
    if language != "en":
        return None
    # "…, she said", "…, the report found", "…, Lopez told reporters".
    phrase = _phrase_after(sent, start)
    if phrase is None or phrase[1] >= end or phrase[1] - phrase[0] > 8:
        return None
    verb = phrase[1]
    if verb < end and doc[verb].text == ",":
        # "…, Lina Khatib, an expert at Chatham House, told the AP": skip the role.
        comma = next((t.i for t in doc[verb + 1 : end] if t.text == ","), None)
        if comma is None or comma - verb > 12:
            return None
        verb = comma + 1
    while verb < end and doc[verb].lemma_.lower() in ("have", "be", "do"):
        verb += 1
    if verb < end and is_reporting_word(doc[verb], language):
        # "…, Lopez told reporters" ends there; a tail with a verb of its own after
        # the reporting verb is a statement ("we have added jobs since I took office").
        if any(t.pos_ in ("VERB", "AUX") for t in doc[verb + 1 : end]):
            return None
        return phrase, (phrase[1], verb + 1)
    return None


def _pour(sent: Span, language: str) -> Attribution | None:
    """'Pour l'économiste Anne Roux, la croissance …': a view, not a purpose."""
    doc = sent.doc
    first = sent.start
    while first < sent.end and (doc[first].is_punct or doc[first].is_space):
        first += 1
    if language != "fr" or first >= sent.end or doc[first].lower_ != "pour":
        return None
    comma = next(
        (t.i for t in doc[first + 1 : min(first + 12, sent.end)] if t.text == ","),
        None,
    )
    if comma is None or comma - first < 2:
        return None
    speaker = (first + 1, comma)
    if any(
        t.pos_ in ("VERB", "AUX") or is_infinitive(t) for t in doc[first + 1 : comma]
    ):
        return None  # "Pour lutter contre …," is a purpose
    pronoun = comma - first == 2 and doc[first + 1].lower_ in _POUR_PRONOUNS
    if not pronoun and not is_speaker_phrase(sent, *speaker, language):
        return None  # "Pour lui, …" is resolved to the person it stands for
    claim = trim(sent, comma + 1, sent.end)
    if claim[1] - claim[0] < 3:
        return None
    return Attribution(speaker, (first, first + 1), *claim, _head_of(sent, speaker))


def _reporting_participle(sent: Span, language: str) -> tuple[int, int, int] | None:
    """Find ", précisant que …", ", en affirmant que …", ", adding that …".

    Returns (the comma, the participle, where its complement starts). The
    participle reports a second statement by the subject of the sentence.
    """
    doc = sent.doc
    verbs = REPORTING_VERBS.get(language, frozenset())
    for token in sent:
        if token.i - sent.start < 4 or token.lemma_.lower() not in verbs:
            continue
        if language == "fr":
            participle = token.lower_.endswith("ant") and (
                "Part" in token.morph.get("VerbForm", []) or token.pos_ == "VERB"
            )
        else:
            participle = token.tag_ == "VBG"
        if not participle:
            continue
        comma = token.i - 1
        if doc[comma].lower_ == "en":
            comma -= 1
        if comma <= sent.start or doc[comma].text != ",":
            continue
        start = token.i + 1
        while start < min(token.i + 3, sent.end) and (
            doc[start].lower_ in ("que", "qu'", "that")
            or doc[start].pos_ in ("ADV", "ADP")
        ):
            start += 1
        if start == token.i + 1 and language == "fr":
            continue  # French needs "que": "soulignant l'urgence" reports nothing
        rest = doc[start : sent.end]
        words = [t for t in rest if not t.is_punct]
        if len(words) >= 3 and any(
            "Fin" in t.morph.get("VerbForm", []) or t.tag_ == "MD" for t in rest
        ):
            return comma, token.i, start
    return None


def attribute(sent: Span, language: str) -> Attribution:
    """Find who asserts the sentence and the span of what they assert."""
    participle = _reporting_participle(sent, language)
    if participle is not None:
        comma, verb, start = participle
        main = attribute(sent.doc[sent.start : comma], language)
        if main.claim_end > comma:
            # The reporting verb's complement is a subtree, and the participle hangs
            # inside it: "X said A, adding that B" would give A with B still in it.
            main = replace(main, claim_end=trim(sent, main.claim_start, comma)[1])
        if main.cue is not None:
            speaker, head = main.speaker, main.speaker_head
        else:
            # "Le ministre a visité l'usine, affirmant que …": his second statement.
            root = sent.doc[main.claim_start : main.claim_end].root
            subjects = [c for c in root.children if c.dep_.startswith("nsubj")]
            speaker = phrase_bounds(subjects[0]) if subjects else None
            head = subjects[0].i if subjects else None
        if speaker is not None:
            cue = (verb - 1 if sent.doc[verb - 1].lower_ == "en" else verb, verb + 1)
            extra = Attribution(speaker, cue, *trim(sent, start, sent.end), head)
            return Attribution(
                main.speaker,
                main.cue,
                main.claim_start,
                main.claim_end,
                main.speaker_head,
                (*main.extra, extra),
            )
    incise = _incise(sent, language) or _middle_incise(sent, language)
    if incise is not None:
        return incise
    pour = _pour(sent, language)
    if pour is not None:
        return pour
    return _attribute_by_parse(sent, language)


def _attribute_by_parse(sent: Span, language: str) -> Attribution:
    verbs = REPORTING_VERBS.get(language, frozenset())
    according = ACCORDING_TO.get(language, frozenset())
    candidates = [
        t
        for t in sent
        if (t.pos_ in ("VERB", "AUX") and (t.lemma_.lower() or t.lower_) in verbs)
        or _mistagged_reporting_verb(t, verbs)
        or (t.lemma_.lower() in ("savoir", "valoir") and _causative(t).i != t.i)
    ]
    # Mis-tagged verbs sit at arbitrary depths of a broken parse: try them first.
    ranked = sorted(
        candidates,
        key=lambda t: (0 if t.pos_ not in ("VERB", "AUX") else _depth(t), t.i),
    )
    for verb in ranked:
        if verb.pos_ in ("VERB", "AUX") and _subordinate(verb):
            # "While the Conservatives have said …, Reeves has pledged …", "…, which
            # says on its site that …": the main clause is not reported speech.
            continue
        if _negated(verb):
            # "They're not saying that …": the inner clause must not stand alone.
            return Attribution(None, None, *trim(sent, sent.start, sent.end))
        found = _from_verb(sent, verb)
        if found is not None and found.claim_end - found.claim_start >= 3:
            return _with_continuation(sent, verb, found, verbs)
    for token in sent:
        if token.lower_ in according or (
            token.lower_ == "d'"
            and token.i + 1 < sent.end
            and sent.doc[token.i + 1].lower_ == "après"
        ):
            found = _according_to(sent, token)
            if found.speaker is not None and not is_speaker_phrase(
                sent, *found.speaker, language
            ):
                # "Selon les règles en vigueur": no one asserts it but the outlet.
                return Attribution(None, None, *trim(sent, sent.start, sent.end))
            if found.claim_end - found.claim_start >= 3:
                return found
    return Attribution(None, None, *trim(sent, sent.start, sent.end))
