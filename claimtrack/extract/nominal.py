"""Verbless French sentences that still assert something: "Coup dur pour Lorient."

French news writes many statements as a noun phrase with "pour": "Coup dur pour
Lorient avec la sortie de X.", "Une première pour un président de l'Assemblée.",
"Nouvelle victoire pour le syndicat !". Such a sentence says what happened to whom, and
a fact-checker lists it. Other verbless sentences ("Puis les mouvements
altermondialistes.", "Le beurre, l'argent du beurre et la crémière.", "Quelle action !")
are asides, lists or exclamations, and stay out; so do lines without a full stop or
an exclamation mark, which are headings, captions and scores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span

_MIN_WORDS = 4
_ENDS = (".", "!")
# Exclamations and questions: "Quelle action des Merlus !"
_NOT_A_START = frozenset({"quel", "quelle", "quels", "quelles", "que", "comment"})
_HEADS = frozenset({"NOUN", "PROPN", "ADJ", "PRON"})


def nominal_statement(sent: Span) -> bool:
    """Whether a French sentence without a verb is a "N pour X" statement.

    The sentence ends with a full stop or an exclamation mark, opens on its noun
    phrase (not a dash, a quote or a connective) and holds "pour" followed by the
    phrase it is for, after at least one word of its own.
    """
    if sent.doc.lang_ != "fr":
        return False
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if len(words) < _MIN_WORDS or not sent.text.rstrip().endswith(_ENDS):
        return False
    first = words[0]
    if first.i != sent.start or first.lower_ in _NOT_A_START:
        return False  # "- en référence à …", "« Absurde."
    if first.pos_ not in _HEADS | {"DET"}:
        return False  # "Puis les mouvements …", "En vain."
    return any(
        t.lower_ == "pour"
        and t.i > first.i
        and t.i + 1 < sent.end
        and sent.doc[t.i + 1].pos_ in ("DET", "PROPN", "NOUN")
        for t in words
    )
