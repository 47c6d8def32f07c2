"""Subject pronouns that stand for the speaker of their own sentence or quote.

Two habits of news copy that a reader resolves at once, without looking back:

* reported speech: "The army said it had found no evidence" — the subject of the
  reported clause, when it agrees with the reporting verb's subject, is that subject
  ("it" a body, "he"/"she" a person, "they" a group or a body);
* a body's "we": '"We don't comment on investigations," the federal police said' —
  the body itself; a spokesperson named with the body in front of the name
  ("Acme Chief Executive Jane Doe") speaks for that body.

Everything here reads the parse only; the caller decides what to rewrite.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimtrack.extract.lexicons import BODY_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_PERSON_LABELS = frozenset({"PER", "PERSON"})
_BODY_LABELS = frozenset({"ORG", "GPE"})
# Third-person subject pronouns, by what they can stand for.
_THING = frozenset({"it"})
_PERSON = frozenset({"he", "she", "il", "elle"})
_PLURAL = frozenset({"they", "ils", "elles"})
_FEMININE = frozenset({"she", "elle", "elles"})
_MASCULINE = frozenset({"he", "il", "ils"})
# The clause a reporting verb reports: "said (that) it …", "a affirmé qu'elle …".
_REPORTED_LINKS = frozenset({"ccomp", "parataxis"})


def _plural(token: Token) -> bool:
    return "Plur" in token.morph.get("Number", []) or token.tag_ in ("NNS", "NNPS")


def _word(token: Token) -> str:
    return token.lower_.lstrip("-").removeprefix("t-")


def is_body(token: Token) -> bool:
    """Whether a speaker's head token names an organisation, a country or a body.

    A named entity of organisation or place, or a noun that names a body
    ("the ministry", "Israel's military", "l'armée"); never a person or a pronoun.
    """
    if token.pos_ == "PRON" or token.ent_type_ in _PERSON_LABELS:
        return False
    if token.ent_type_ in _BODY_LABELS:
        return True
    language = "fr" if token.doc.lang_ == "fr" else "en"
    return token.lemma_.lower() in BODY_NOUNS[language] or (
        token.lower_ in BODY_NOUNS[language]
    )


def _gender(token: Token) -> str | None:
    gender = token.morph.get("Gender", [])
    return "F" if "Fem" in gender else "M" if "Masc" in gender else None


def agrees_with_speaker(
    pronoun: Token, speaker: Token, person_gender: str | None
) -> bool:
    """Whether a third-person subject pronoun can stand for the speaker phrase's head.

    Args:
        pronoun: the subject pronoun of the reported clause.
        speaker: the reporting verb's subject (the head of the speaker phrase).
        person_gender: the speaker's gender when the article tells it ("F", "M").
    """
    word = _word(pronoun)
    body = is_body(speaker)
    person = speaker.ent_type_ in _PERSON_LABELS
    plural = _plural(speaker)
    french = pronoun.doc.lang_ == "fr"
    if word in _PLURAL:
        if not (plural or (body and not french)):
            return False  # "the ministry said they": British usage for a body
    elif word in _THING:
        return body and not plural
    elif word in _PERSON:
        if plural or not (person or (french and body)):
            return False  # in French a body is "il"/"elle" by its noun's gender
    else:
        return False
    gender = person_gender if person else _gender(speaker)
    if word in _FEMININE:
        return gender == "F" or (not french and gender is None and word == "she")
    if word in _MASCULINE:
        return gender == "M" or (not french and gender is None and word == "he")
    return True


def reported_by(pronoun: Token, cue_verb: Token) -> bool:
    """Whether a pronoun is the subject of the clause a reporting verb reports.

    "Israel's military said it had visuals and it was investigating": both "it" —
    the subject of the reported verb and of a verb coordinated with it.
    """
    if not pronoun.dep_.startswith("nsubj") or pronoun.i < cue_verb.i:
        return False
    verb = pronoun.head
    for _ in range(3):
        if verb.dep_ in _REPORTED_LINKS and verb.head.i == cue_verb.i:
            return True
        if verb.dep_ != "conj" or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def body_before_name(doc: Doc, start: int, end: int, original: str) -> str | None:
    """The organisation named in front of a person in a speaker phrase, if any.

    "Reuters Editor-in-Chief Alessandra Galloni" → "Reuters": the body a
    spokesperson or chief speaks for when they say "we".

    Args:
        doc: the parse the token range indexes.
        start, end: the speaker phrase's tokens.
        original: the text the doc's character offsets index.
    """
    people = [e for e in doc.ents if e.label_ in _PERSON_LABELS and start <= e.start]
    person = next((e for e in people if e.end <= end), None)
    if person is None:
        return None
    for entity in doc.ents:
        if (
            entity.label_ in _BODY_LABELS
            and start <= entity.start
            and entity.end <= person.start
        ):
            return original[entity.start_char : entity.end_char]
    return None
