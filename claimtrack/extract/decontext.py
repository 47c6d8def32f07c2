"""Make a claim readable without its article: resolve pronoun subjects, render text.

Only what the text makes clear is resolved:

* a plural subject pronoun inside reported speech whose speaker is plural ("les
  responsables ont déclaré qu'ils n'avaient vu …") stands for the speaker;
* a singular personal subject pronoun ("il", "elle", "he", "she") stands for the most
  recently named person, given in the longest form the article used ("Vladimir Poutine"
  for a later "Poutine").

Anything else ("on", "it", "ce") is left as written. The rewrite changes Claim.text
only; offsets always point at the source span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_SINGULAR = frozenset({"il", "elle", "he", "she"})
_PLURAL = frozenset({"ils", "elles", "they"})
PERSON_LABELS = frozenset({"PER", "PERSON"})


@dataclass
class PersonMemory:
    """The people an article has named so far, most recent last."""

    recent: list[str] = field(default_factory=list)  # last words, most recent last
    longest: dict[str, str] = field(
        default_factory=dict
    )  # last word -> longest mention

    def add(self, mention: str) -> None:
        """Remember a person's mention (article text, not the normalised parse)."""
        words = mention.split()
        if not words or len(mention) > 80:
            return
        key = words[-1].casefold()
        if len(mention) > len(self.longest.get(key, "")):
            self.longest[key] = mention
        if key in self.recent:
            self.recent.remove(key)
        self.recent.append(key)

    def last_person(self) -> str | None:
        """Return the most recently named person, in its fullest form."""
        return self.longest[self.recent[-1]] if self.recent else None

    def add_sentence(self, sent: Span, original: str, offset: int) -> None:
        """Remember the people named in a parsed sentence.

        Args:
            sent: the parsed sentence (its doc may hold normalised apostrophes).
            original: the paragraph's original text, which the doc's offsets index.
            offset: unused for now; kept so callers pass article offsets explicitly.
        """
        for entity in sent.ents:
            if entity.label_ in PERSON_LABELS:
                self.add(original[entity.start_char : entity.end_char])


def is_personal_pronoun(token: Token) -> bool:
    """Whether a token is a subject pronoun this module knows how to resolve."""
    return token.pos_ == "PRON" and token.lower_ in _SINGULAR | _PLURAL


def resolve(
    pronoun: Token,
    memory: PersonMemory,
    *,
    speaker: str | None = None,
    speaker_plural: bool = False,
) -> str | None:
    """Return the article text a subject pronoun stands for, or None when unclear."""
    word = pronoun.lower_
    if word in _PLURAL:
        return speaker if speaker and speaker_plural else None
    if word in _SINGULAR:
        return memory.last_person()
    return None


def render(original: str, pieces: list[tuple[int, int, str | None]]) -> str:
    """Join spans of the original text, replacing some of them.

    Args:
        original: the text the character offsets index.
        pieces: (char_start, char_end, replacement) in reading order; a None
            replacement keeps the original characters.
    """
    parts = []
    for start, end, replacement in pieces:
        parts.append(original[start:end] if replacement is None else replacement)
    text = " ".join(part.strip() for part in parts if part.strip())
    return text[:1].upper() + text[1:] if text else text
