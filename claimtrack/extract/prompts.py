"""Sentences a page says to its reader (calls to action, links, disclosures): no claims.

Line rules (``boilerplate.py``) drop furniture by its wording when it fills a line; a
call to action inside a prose line ("… scathing critique. Click through for the whole
thing.") or worded freely ("Check back in soon", "Follow ONE Esports on Facebook",
"Learn more about our programs") survives them. What every such sentence shares is its
grammar: an imperative with no subject, addressed to whoever reads the page. An
imperative asserts nothing a fact-checker could check, so it is never a claim. The one
imperative that does introduce a statement takes a clause ("Note that the law …",
"Rappelons que la loi …"); it is left to the other rules.

The sentence check also catches furniture that the line rules skip because the line is
long: a raw web address or an e-mail address inside the sentence, the page's own
disclosure of affiliate links.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Words that may come before the verb of an imperative: "Please consider …", "Just
# click …", "Now check …", "Then follow …", "Alors, suivez …".
_BEFORE_IMPERATIVE = frozenset(
    ["please", "just", "now", "then", "so", "also", "simply", "alors", "donc", "aussi"]
)
_SUBJECTS = frozenset(
    ["nsubj", "nsubjpass", "nsubj:pass", "expl", "csubj", "expl:subj"]
)
# A clause after the verb turns the imperative into a frame for a statement.
_CLAUSES = frozenset(["ccomp", "xcomp:obj", "parataxis"])
_LINKS = re.compile(
    r"https?://|\bwww\.\w|\b[\w.+-]+@[\w-]+\.[a-z]{2,}\b"
    r"|\baffiliate links?\b|\bliens? (d'|d’)?affili"
    r"|\b(earn|receive) (a )?(small )?commission\b|\bpercevoir une commission\b",
    re.IGNORECASE,
)


def addresses_reader(sent: Span, language: str) -> bool:
    """Whether a sentence speaks to the page's reader rather than about the world.

    "Follow us on Twitter" does; "They follow the law" does not.
    """
    return bool(_LINKS.search(sent.text)) or _is_imperative(sent, language)


def _is_imperative(sent: Span, language: str) -> bool:
    first = _first_word(sent)
    if first is None:
        return False
    if language == "en" and first.lower_ in ("let", "let's") and first.i == sent.root.i:
        # "Let us know in the comments", "Let's start with a brief history": the
        # writer's signpost takes a clause, and asserts nothing all the same.
        return True
    if any(_takes_clause(t) for t in (sent.root, first)):
        return False
    if language == "fr":
        return _french_imperative(first)
    root = sent.root
    if root.pos_ != "VERB" or any(child.dep_ in _SUBJECTS for child in root.children):
        return False
    return _english_imperative(root, first)


def _takes_clause(token: Token) -> bool:
    return any(
        child.dep_ in _CLAUSES or child.dep_.startswith("ccomp")
        for child in token.children
    )


def _first_word(sent: Span) -> Token | None:
    """The sentence's first word after punctuation, quote marks and "please"-words."""
    for token in sent:
        if token.is_punct or token.is_space or token.lower_ in _BEFORE_IMPERATIVE:
            continue
        return token
    return None


def _english_imperative(root: Token, first: Token) -> bool:
    """ "Learn more …", "Don't miss …": the bare verb opens the sentence."""
    if first.lower_ in ("do", "don't", "don’t") and first.head.i == root.i:
        return root.tag_ == "VB"
    return first.i == root.i and root.tag_ == "VB"


# "Suivez-nous", "Découvrez", "Abonnez-vous": the second person plural, the form pages
# use to address their readers. The small French model tags these sentence-initial
# verbs as nouns or names, so the form decides: a word in -ez that opens the sentence
# and is not its subject ("Sanchez a annoncé …" is a name, and a subject).
_SECOND_PERSON_PLURAL = re.compile(r"^[a-zà-ÿ]{2,}ez$")
_NOT_VERBS_IN_EZ = frozenset(["chez", "assez", "nez", "rez"])


def _french_imperative(first: Token) -> bool:
    """ "Suivez-nous …", "Découvrez …", "Retrouvez …": the reader is told to act.

    The first person plural ("Rappelons …", "Notons …") is the author's own voice and
    is left alone.
    """
    word = first.lower_
    following = first.nbor(1) if first.i + 1 < len(first.doc) else None
    # The verb heads its sentence, or carries its pronoun ("Suivez-nous", which the
    # parser reads as the subject). The named-entity tags are no help: the model calls
    # "Découvrez" a person and "Consultez" a place.
    heads = first.dep_ == "ROOT" or (following is not None and following.text[0] == "-")
    return (
        _SECOND_PERSON_PLURAL.match(word) is not None
        and word not in _NOT_VERBS_IN_EZ
        and first.dep_ not in _SUBJECTS
        and heads
    )
