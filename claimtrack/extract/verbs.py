"""Verbs the tagger missed, found again with the pipeline's own lemmatizer tables.

The small French model tags a verb as a noun when the form is also a noun ("Une firme
dépense 250 millions", "d'autres ONG s'en saisissent"), and a sentence without a
tagged verb was dropped as a fragment. spaCy's rule lemmatizer ships, for verbs, the
suffix rules, the exceptions and the index of known lemmas
(``lemma_rules``/``lemma_exc``/``lemma_index``): a form that one of those rules maps to
a known verb lemma can be a verb. No library tags better within our model budget
(``fr_core_news_md`` measured worse, benchmarks/README.md), so this reads the tables
the pipeline already loaded.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Token

# Object and negation clitics, which stand right before a verb ("s'en saisissent").
_CLITICS = frozenset(
    {"s'", "se", "ne", "n'", "l'", "le", "la", "les", "lui", "leur", "me", "m'"}
    | {"te", "t'", "nous", "vous"}
)
_SUBJECT_POS = frozenset({"NOUN", "PROPN", "PRON"})


@lru_cache(maxsize=8)
def _tables(lemmatizer: Any) -> tuple[frozenset[str], tuple[tuple[str, str], ...], Any]:
    lookups = lemmatizer.lookups
    index = frozenset(lookups.get_table("lemma_index").get("verb", []))
    rules = tuple(
        (old, new) for old, new in lookups.get_table("lemma_rules").get("verb", [])
    )
    # The tables leave out the commonest form of all, the first group's present
    # singular ("dépense" -> "dépenser"), which the tagger misses most.
    rules += (("e", "er"),)
    exceptions = lookups.get_table("lemma_exc").get("verb", {})
    return index, rules, exceptions


def _verb_tables(
    token: Token,
) -> tuple[frozenset[str], tuple[tuple[str, str], ...], Any]:
    from claimtrack.extract.sentences import loaded_spacy_model

    nlp = loaded_spacy_model(token.lang_)
    if nlp is None or "lemmatizer" not in nlp.pipe_names:
        return frozenset(), (), {}
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", "") != "rule":
        return frozenset(), (), {}
    try:
        return _tables(lemmatizer)
    except KeyError:  # a pipeline without verb tables
        return frozenset(), (), {}


def can_be_verb(form: str, token: Token) -> bool:
    """Whether the lemmatizer's verb tables make ``form`` a form of a known verb."""
    index, rules, exceptions = _verb_tables(token)
    if not index:
        return False
    if form in exceptions:
        return True
    return any(
        form.endswith(old) and form[: len(form) - len(old)] + new in index
        for old, new in rules
        if old
    )


def _verb_position(token: Token) -> bool:
    """Whether a word stands where a verb would: after its subject or a clitic."""
    doc = token.doc
    before = doc[token.i - 1]
    if before.pos_ == "DET":
        return False  # "la dépense"
    if before.lower_ in _CLITICS:
        return True
    if before.lower_ in ("en", "y") and token.i >= 2:
        earlier = doc[token.i - 2]  # "s'en saisissent", not "en moyenne"
        return earlier.lower_ in _CLITICS or earlier.pos_ == "PRON"
    return before.pos_ in _SUBJECT_POS


def mistagged_verb(token: Token) -> bool:
    """A French noun that is a verb form in verb position ("Une firme dépense …").

    Only a form after its subject (a noun, a name, a pronoun) or after a clitic
    counts: after a determiner, preposition, conjunction or adjective it is the noun.
    """
    if token.lang_ != "fr" or token.pos_ != "NOUN" or token.i == 0:
        return False
    return _verb_position(token) and can_be_verb(token.lower_, token)


# What follows a verb that opens its complement: "signale un hors-jeu", "manque de".
_COMPLEMENT_START = frozenset({"DET", "ADP", "NOUN", "PROPN", "PRON", "NUM"})


def mistagged_clause_verb(token: Token) -> bool:
    """A verb the tagger took for a noun or, before its complement, an adjective or
    an adverb.

    "Mais l'arbitre signale un hors-jeu", "mais ça manque de conviction": the small
    French model tags "signale" and "manque" as adjectives. An adjective counts only
    where a verb stands (after its subject) and a complement follows it; a noun as in
    ``mistagged_verb``. For clauses beside a conjunction, where a verb is expected.
    """
    if mistagged_verb(token):
        return True
    # An adverb too: "Les joueurs tentent de …" comes out with "tentent" an adverb.
    if token.lang_ != "fr" or token.pos_ not in ("ADJ", "ADV") or token.i == 0:
        return False
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if following is None or following.pos_ not in _COMPLEMENT_START:
        return False
    return _verb_position(token) and can_be_verb(token.lower_, token)


def is_infinitive(token: Token) -> bool:
    """A French infinitive, whatever its tag ("Pour survivre" tagged as a noun).

    The lemma index holds infinitives; after a determiner the word is a noun ("le
    pouvoir", "un devoir").
    """
    if token.lang_ != "fr" or not token.is_alpha:
        return False
    if token.i > 0 and token.doc[token.i - 1].pos_ == "DET":
        return False
    index, _, _ = _verb_tables(token)
    return token.lower_ in index
