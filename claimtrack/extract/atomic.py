"""Split an asserted clause into atomic claims at coordinated verbs.

"Les États-Unis ont cherché à dissuader la Russie … et ont fait de la question un
thème …" holds two claims. The dependency parse marks the second verb as a ``conj``
of the first; the clause is cut at the left edge of each such conjunct, so every
atomic claim keeps a contiguous span of the source sentence. A conjunct without its
own subject borrows the first verb's subject (and its tense auxiliary), which goes
into the claim's text only.

The cut is linear rather than by subtree on purpose: the small French model often leaves
the end of a clause ("cette semaine à New York") outside the conjunct's subtree, and a
linear cut still gives it to the conjunct it follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING

from claimtrack.extract.attribution import phrase_bounds, trim
from claimtrack.extract.frames import drop_frame
from claimtrack.extract.lexicons import QUOTE_MARKS, REPORTING_VERBS
from claimtrack.extract.verbs import mistagged_clause_verb

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_MIN_WORDS = 3
# Dependencies through which a coordinated verb still belongs to the main assertion
# (not to a relative or adverbial clause inside it).
_MAIN_CHAIN = frozenset({"ROOT", "xcomp", "ccomp", "conj", "parataxis"})
# "il n'est pas clair": French marks an impersonal "il" as expl:subj, still a subject.
_SUBJECTS = ("nsubj", "csubj", "expl:subj")
_RELATIVE_PRONOUNS = frozenset({"who", "which", "qui"})
_TENSE_AUXILIARIES = frozenset({"avoir", "être", "have"})
# Marks of a concession, whose clause asserts a fact: "while", "alors que". "Bien que"
# is left out: its clause is in the subjunctive ("la ville ait perdu"), no claim alone.
_CONCESSIVE = frozenset({"while", "although", "though", "whereas", "alors", "tandis"})
# French concessions of two words: the mark and its "que" ("alors que", "tandis qu'").
_TWO_WORD_CONCESSIVE = frozenset({"alors", "tandis"})


@dataclass(frozen=True)
class Unit:
    """One atomic claim: a token range, plus the tokens to prepend to its text."""

    start: int
    end: int
    subject: tuple[int, int] | None = None  # a borrowed subject, outside the range
    auxiliary: int | None = None  # a borrowed tense auxiliary
    subject_head: int | None = None  # the head of the subject, borrowed or own
    gaps: tuple[tuple[int, int], ...] = ()  # token ranges left out of the text


def _is_clause(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX"):
        return any(c.dep_ == "cop" for c in token.children)
    finite = "Fin" in token.morph.get("VerbForm", [])
    has_aux = any(c.dep_.startswith("aux") or c.dep_ == "cop" for c in token.children)
    return finite or has_aux or "Past" in token.morph.get("Tense", [])


def _root(sent: Span, start: int, end: int) -> Token:
    inside = [
        t for t in sent.doc[start:end] if not start <= t.head.i < end or t.head.i == t.i
    ]
    return max(inside, key=lambda t: (t.right_edge.i - t.left_edge.i, -t.i))


def _subject_of(token: Token, start: int, end: int) -> Token | None:
    """Find the subject of a verb, walking up through xcomp and conj heads."""
    seen = 0
    while seen < 10:
        for child in token.children:
            if child.dep_.startswith(_SUBJECTS):
                return child
        if token.head.i == token.i or not start <= token.head.i < end:
            return None
        token = token.head
        seen += 1
    return None


def _words(sent: Span, start: int, end: int) -> int:
    return sum(1 for t in sent.doc[start:end] if not t.is_punct and not t.is_space)


def split(sent: Span, start: int, end: int) -> list[Unit]:
    """Return the atomic units of the clause sent.doc[start:end], in reading order.

    Coordinated clauses are cut apart, and each non-restrictive relative clause
    ("Barack Obama, who served two terms, …") becomes a claim about its antecedent.
    """
    units: list[Unit] = []
    if end <= start:
        return units  # nothing left once punctuation and "that" are trimmed
    for whole in _split_trailing(sent, start, end):
        concession = _leading_concession(sent, whole)
        if concession is None:
            parts = [whole]
        else:
            clause, main = concession
            parts = [clause, main]
        for framed in parts:
            unit = drop_frame(sent, framed)  # "It comes after X": the claim is X
            relatives = _relative_clauses(sent, unit)
            gaps = tuple((gap_start, gap_end) for gap_start, gap_end, _ in relatives)
            # Lists ("trains, buses and ferries") stay whole: one claim per list.
            units.append(replace(unit, gaps=gaps) if gaps else unit)
            units += [clause for _, _, clause in relatives]
    return units


# Words after which a clause at the end of a sentence asserts a proposition of its
# own: a concession ("– although no one can say …"), a place or time ("…, où
# l'Ukraine a pris …", "during which Mexico suffered …").
_TRAILING_MARKS = frozenset({"although", "though", "whereas", "où", "where"})
# Marks that open a clause of its own even with no comma before them: "whereas" only
# contrasts ("A whereas B" asserts both), where "though" can be an adverb ("It rained,
# though.") and "where" a restrictive relative after a noun (handled apart).
_UNSEPARATED_MARKS = frozenset({"whereas", "où", "where"})
_TWO_WORD_MARKS = frozenset(
    {("alors", "que"), ("alors", "qu'"), ("tandis", "que"), ("tandis", "qu'")}
    | {("bien", "que"), ("bien", "qu'")}
)
_RELATIVE_OBJECTS = frozenset({"which", "whom", "lequel", "laquelle", "lesquels"})
_DASHES = frozenset({"–", "—", ";"})
# A colon between two whole clauses: "Android phones face many threats: a new strain
# has infected 25 million handsets". A list after it has no finite verb of its own
# and a quote after a speech verb ("He wrote on X: …") belongs to the attribution.
_COLON = ":"
_REPORTING_LEMMAS = frozenset().union(*REPORTING_VERBS.values())
# Last words of a clause that only announces what the colon brings ("I know one
# thing:", "les raisons sont les suivantes :"): no claim on its own.
_CATAPHORIC = frozenset({"following", "thing", "this", "suit", "suivantes", "suivants"})


# Nouns after which "où"/"where" opens a time, not a place with a fact of its own.
_TIME_NOUNS = frozenset(
    [
        "heure",
        "moment",
        "jour",
        "époque",
        "année",
        "mois",
        "semaine",
        "période",
        "instant",
        "temps",
        "date",
        "soir",
        "matin",
        "nuit",
        "time",
        "day",
        "year",
        "week",
        "month",
        "period",
        "night",
        "era",
    ]
)


def _split_trailing(sent: Span, start: int, end: int) -> list[Unit]:
    """Cut off clauses that end the sentence and assert a proposition of their own.

    "A – although B", "A, où B", "A, during which B", "A – B" (two clauses either side
    of a dash or semicolon) give A and B; B must be a whole clause with its own
    subject and finite verb that runs to the end, so nothing is left dangling.
    Conditions ("if", "si", "même si") are never cut.
    """
    tail: list[tuple[int, int]] = []
    cursor = end
    for _ in range(3):
        found = _last_trailing_clause(sent, start, cursor)
        if found is None:
            break
        cut, clause = found
        tail.insert(0, clause)
        cursor = cut
    if not tail:
        return _split_coordination(sent, start, end)
    return _split_coordination(sent, start, cursor) + [
        unit for clause in tail for unit in _split_coordination(sent, *clause)
    ]


def _last_trailing_clause(
    sent: Span, start: int, end: int
) -> tuple[int, tuple[int, int]] | None:
    """Return (where the head clause ends, the trailing clause's range), or None."""
    doc = sent.doc
    for index in range(end - 4, start + 2, -1):
        token = doc[index]
        word = token.lower_
        after = doc[index + 1].lower_ if index + 1 < end else ""
        clause_start: int | None = None
        separated = doc[index - 1].text in (",", *_DASHES)
        if word in _TRAILING_MARKS and (separated or word in _UNSEPARATED_MARKS):
            if word in ("où", "where") and not (
                separated or doc[index - 1].pos_ in ("NOUN", "PROPN")
            ):
                continue
            if word in ("où", "where") and doc[index - 1].lemma_.lower() in _TIME_NOUNS:
                continue  # "à l'heure où nous publions": a time, not a proposition
            clause_start = index + 1
        elif (word, after) in _TWO_WORD_MARKS and separated:
            clause_start = index + 2
        elif (
            token.pos_ == "ADP"
            and after in _RELATIVE_OBJECTS
            and doc[index - 1].text == ","
        ):
            clause_start = index + 2  # ", during which Mexico suffered …"
        elif token.text in _DASHES and _has_clause(sent, start, index):
            clause_start = index + 1
            index += 1  # the head clause ends at the dash
        elif token.text == _COLON and _colon_between_clauses(sent, start, index, end):
            clause_start = index + 1
            index += 1  # the head clause ends at the colon
        if clause_start is None or not _whole_clause(sent, clause_start, end):
            continue
        head_end = index - 1 if doc[index - 1].text in (",", *_DASHES) else index
        if token.text in (*_DASHES, _COLON):
            head_end = index - 1
        left = trim(sent, start, head_end)
        right = trim(sent, clause_start, end)
        if _words(sent, *left) < _MIN_WORDS or _words(sent, *right) < _MIN_WORDS:
            continue
        if not _has_clause(sent, *left):
            continue
        if token.text in (*_DASHES, _COLON) and _condition_inside(sent, *left):
            continue  # "if you had gone there – no easy trip – you would have seen"
        return left[1], right
    return None


def _colon_between_clauses(sent: Span, start: int, colon: int, end: int) -> bool:
    """Whether a colon joins two assertions, not a frame and its quote or a list.

    Before it: a clause with a finite verb that does not end on its verb ("The
    reasons are:") and holds no speech verb ("Trump Jr wrote on X:"); after it, no
    quote mark (the quote is the attribution's).
    """
    doc = sent.doc
    if not _has_clause(sent, start, colon):
        return False
    last = colon - 1
    while last > start and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    if doc[last].pos_ in ("VERB", "AUX") or doc[last].lower_ in _CATAPHORIC:
        return False
    if any(t.lemma_.lower() in _REPORTING_LEMMAS for t in doc[start:colon]):
        return False
    following = doc[colon + 1 : end]
    return not any(t.text in QUOTE_MARKS for t in following[:2])


# Marks of a condition: cut off from the clause it governs, the rest is no claim.
_CONDITIONS = frozenset({"if", "unless", "si", "s'"})


def _condition_inside(sent: Span, start: int, end: int) -> bool:
    """Whether a range holds a condition's mark ("if", "si") on a verb, so "if A – B"
    or "si A : B" is one claim: cut at the dash or colon, B would lose its
    condition and A would be a fragment."""
    return any(
        t.lower_ in _CONDITIONS
        and (t.dep_ == "mark" or t.pos_ == "SCONJ")
        and t.head.pos_ in ("VERB", "AUX")  # not "si possible", "if any"
        for t in sent.doc[start:end]
    )


def _finite(token: Token) -> bool:
    return "Fin" in token.morph.get("VerbForm", []) or token.tag_ == "MD"


def _has_clause(sent: Span, start: int, end: int) -> bool:
    return any(_finite(t) for t in sent.doc[start:end])


def _whole_clause(sent: Span, start: int, end: int) -> bool:
    """Whether tokens [start, end) are one clause: a finite verb with its own subject
    inside the range, whose phrase runs to the end of the range.

    The verb must head the range: in "– announced on Monday that the site would
    close" the finite "close" with its subject "site" sits inside the predicate of a
    verb with no subject, and the range is a predicate, not a clause.
    """
    last = end - 1
    while last > start and (sent.doc[last].is_punct or sent.doc[last].is_space):
        last -= 1
    for token in sent.doc[start:end]:
        verb = token if token.pos_ in ("VERB", "AUX") else None
        if verb is None and any(c.dep_ == "cop" for c in token.children):
            verb = token
        if verb is None or verb.right_edge.i < last or verb.i < start:
            continue
        if any(start <= above.i < end for above in verb.ancestors):
            continue
        finite = _finite(verb) or any(
            _finite(c) for c in verb.children if c.dep_.startswith(("aux", "cop"))
        )
        subject = any(
            c.dep_.startswith(_SUBJECTS) and start <= c.i < end for c in verb.children
        )
        if finite and subject:
            return True
    return False


def _leading_concession(sent: Span, unit: Unit) -> tuple[Unit, Unit] | None:
    """Cut "While Hamas blamed Israel, Israel has not claimed it" in two claims.

    A concessive clause that opens the claim, has its own subject and ends at a
    comma asserts a proposition of its own, and so does the main clause. Conditions
    ("if", "si", "même si") are never cut: the main clause would lose its "if".
    """
    doc = sent.doc
    # The attribution's trim may already have dropped the mark ("While", "Alors que").
    marks = [
        t
        for t in doc[max(sent.start, unit.start - 2) : unit.start + 1]
        if t.lower_ in _CONCESSIVE and t.dep_ == "mark"
    ]
    if not marks:
        return None
    mark = marks[0]
    two_words = mark.lower_ in _TWO_WORD_CONCESSIVE
    if two_words:
        following = doc[mark.i + 1] if mark.i + 1 < unit.end else None
        if following is None or following.lower_ not in ("que", "qu'"):
            return None
    clause = mark.head
    if clause.dep_ != "advcl" or clause.right_edge.i >= unit.end:
        return None
    if not any(c.dep_.startswith(_SUBJECTS) for c in clause.children):
        return None
    # The parser often hangs the closing comma on the concessive clause itself ("Alors
    # que les ventes reculent, …"), so the comma is its last token, not the next one.
    last = clause.right_edge.i
    comma = last if doc[last].text == "," else last + 1
    if comma >= unit.end or doc[comma].text != ",":
        return None
    first = mark.i + (2 if two_words else 1)
    left, right = trim(sent, first, comma)
    main_start, main_end = trim(sent, comma + 1, unit.end)
    if _words(sent, left, right) < _MIN_WORDS or _words(sent, main_start, main_end) < (
        _MIN_WORDS
    ):
        return None
    subject = next(c for c in clause.children if c.dep_.startswith(_SUBJECTS))
    main = Unit(
        main_start,
        main_end,
        subject_head=_own_subject(sent, main_start, main_end),
        gaps=unit.gaps,
    )
    return Unit(left, right, subject_head=subject.i), main


def _relative_clauses(sent: Span, unit: Unit) -> list[tuple[int, int, Unit]]:
    """Find ", who/which/qui …," clauses: (gap start, gap end, the clause as a unit)."""
    found: list[tuple[int, int, Unit]] = []
    doc = sent.doc
    for token in doc[unit.start : unit.end]:
        if token.dep_ not in ("relcl", "acl:relcl") or token.head.pos_ not in (
            "PROPN",
            "NOUN",
        ):
            continue
        left, right = token.left_edge.i, token.right_edge.i + 1
        pronoun = doc[left]
        if left <= unit.start or doc[left - 1].text != "," or right > unit.end:
            continue  # restrictive ("the man who…") or not inside this unit
        if pronoun.lower_ not in _RELATIVE_PRONOUNS or not pronoun.dep_.startswith(
            "nsubj"
        ):
            continue
        if _clefted(token.head):
            continue  # "c'est Paul Martin, …, qui est mis en examen": one claim
        if not _agrees(token.head, token):
            continue  # ", which is important": the whole clause before, not the noun
        clause_start, clause_end = trim(sent, left + 1, right)
        if _words(sent, clause_start, clause_end) < _MIN_WORDS:
            continue
        gap_end = right + 1 if right < unit.end and doc[right].text == "," else right
        antecedent = phrase_bounds(token.head)
        antecedent = (antecedent[0], min(antecedent[1], left - 1))
        clause = Unit(clause_start, clause_end, antecedent, subject_head=token.head.i)
        found.append((left - 1, gap_end, clause))
    return found


_CLEFT_SUBJECTS = frozenset({"c'", "ce", "it"})


def _clefted(antecedent: Token) -> bool:
    """Whether a noun is the focus of a cleft ("c'est X qui …", "it was X who …").

    The relative clause after it is the sentence's assertion, not an aside: cut
    off, it would leave "c'est X" on one side and a subjectless clause on the other.
    """
    noun = antecedent
    for _ in range(3):  # "c'est Michel Mercier, ancien ministre, qui …": the role
        if noun.dep_ not in ("appos", "conj", "flat:name") or noun.head.i == noun.i:
            break
        noun = noun.head
    # French (UD) hangs the copula and "c'" on the noun; English the noun on "was".
    copula = noun if any(c.dep_ == "cop" for c in noun.children) else None
    if copula is None and noun.dep_ == "attr":
        copula = noun.head
    return copula is not None and any(
        c.lower_ in _CLEFT_SUBJECTS and c.dep_.startswith(("nsubj", "expl"))
        for c in copula.children
    )


def _number(token: Token) -> str | None:
    number = token.morph.get("Number", [])
    return number[0] if number else None


def _agrees(antecedent: Token, verb: Token) -> bool:
    """Whether a relative clause's finite verb agrees in number with its antecedent.

    "… heading into these discussions, which is extremely important": a singular
    verb after a plural noun refers to the whole clause before, and "These
    discussions is …" would be no claim. Unknown numbers agree.
    """
    finite = [
        t
        for t in (verb, *verb.children)
        if (t is verb or t.dep_.startswith(("aux", "cop")))
        and "Fin" in t.morph.get("VerbForm", [])
    ]
    verb_number = next((n for n in map(_number, finite) if n), None)
    noun_number = _number(antecedent)
    return verb_number is None or noun_number is None or verb_number == noun_number


def _split_coordination(sent: Span, start: int, end: int) -> list[Unit]:
    if end - start < 2 * _MIN_WORDS:
        return [Unit(start, end, subject_head=_own_subject(sent, start, end))]
    root = _root(sent, start, end)
    conjuncts = []
    for token in sent.doc[start:end]:
        if token.dep_ != "conj" or not _is_clause(token) or token.i == root.i:
            continue
        if not _coordinated(token):
            continue  # without "et/mais/and", the parse is too often wrong
        head = token.head
        chain_ok = head.i == root.i or (
            head.dep_ in _MAIN_CHAIN and start <= head.i < end and _in_chain(head, root)
        )
        if chain_ok:
            conjuncts.append(token)
    if not conjuncts:
        return _split_at_conjunction(sent, start, end) or [
            Unit(start, end, subject_head=_own_subject(sent, start, end))
        ]
    cuts = [start] + [c.left_edge.i for c in conjuncts] + [end]
    units: list[Unit] = []
    for index, (left, right) in enumerate(pairwise(cuts)):
        if right <= left:
            return [Unit(start, end, subject_head=_own_subject(sent, start, end))]
        left, right = trim(sent, left, right)
        if _words(sent, left, right) < _MIN_WORDS:
            return [Unit(start, end, subject_head=_own_subject(sent, start, end))]
        if index == 0:
            units.append(
                Unit(left, right, subject_head=_own_subject(sent, left, right))
            )
            continue
        unit = _conjunct_unit(conjuncts[index - 1], left, right, start, end)
        if unit.subject_head is None:
            # No subject of its own and none found to borrow ("… and have their own
            # issues"): a claim without a subject is a fragment; keep the clause whole.
            return [Unit(start, end, subject_head=_own_subject(sent, start, end))]
        units.append(unit)
    return units


def _coordinated(conjunct: Token) -> bool:
    """Whether a conjunction ("et", "and") stands between a conjunct and its head.

    French (UD) attaches the conjunction to the second conjunct, English (ClearNLP)
    to the first, so both are looked at.
    """
    head = conjunct.head
    return any(
        c.dep_ == "cc" and head.i < c.i < conjunct.i
        for c in (*conjunct.children, *head.children)
    )


def _in_chain(token: Token, root: Token) -> bool:
    for _ in range(10):
        if token.i == root.i:
            return True
        if token.dep_ not in _MAIN_CHAIN or token.head.i == token.i:
            return False
        token = token.head
    return False


def _own_subject(sent: Span, start: int, end: int) -> int | None:
    root = _root(sent, start, end)
    subject = _subject_of(root, start, end)
    return subject.i if subject is not None else None


def _conjunct_unit(
    conjunct: Token, left: int, right: int, start: int, end: int
) -> Unit:
    own = [c for c in conjunct.children if c.dep_.startswith(_SUBJECTS)]
    if own:
        return Unit(left, right, subject_head=own[0].i)
    subject = _subject_of(conjunct.head, start, end)
    if subject is None:
        return Unit(left, right)
    auxiliary = None
    has_aux = any(
        c.dep_.startswith("aux") or c.dep_ == "cop" for c in conjunct.children
    )
    if not has_aux and "Part" in conjunct.morph.get("VerbForm", []):
        for child in subject.head.children:
            if (
                child.dep_ in ("aux", "aux:tense")
                and child.lemma_.lower() in _TENSE_AUXILIARIES
            ):
                auxiliary = child.i
    return Unit(left, right, phrase_bounds(subject), auxiliary, subject.i)


# "That said, …", "Cela dit, …": a discourse marker, not a clause of its own (and
# not an attribution: nobody "said" anything).
DISCOURSE_OPENER = re.compile(
    r"(that said|having said that|that being said|cela dit|ceci dit|"
    r"ceci étant dit|cela étant dit)\b",
    re.IGNORECASE,
)
# Conjunctions that join two clauses, each with its own subject ("X part seul mais Y
# est repris"), and what may not follow them for the cut to hold.
_CLAUSE_CONJUNCTIONS = frozenset({"mais", "et", "puis", "but", "and", "yet"})
_NOT_A_CLAUSE_START = frozenset({"que", "qu'", "that", "to", "de", "d'", "à"})
# Relative and interrogative words: a clause they open is part of another one.
_SUBORDINATING_WORDS = _RELATIVE_PRONOUNS | frozenset(
    {"dont", "lequel", "laquelle", "lesquels", "lesquelles", "où", "quoi", "comment"}
    | {"pourquoi", "quand", "lorsque", "puisque", "what", "whom", "whose", "where"}
    | {"when", "how", "why", "whether", "as", "because", "since", "while", "if"}
)
_NOUN_PHRASE = frozenset({"DET", "NOUN", "PROPN", "ADJ", "ADP", "NUM", "ADV", "PART"})
_SUBJECT_PRONOUNS = frozenset(
    {"il", "elle", "ils", "elles", "on", "ça", "cela", "nous", "vous", "je", "j'"}
    | {"he", "she", "it", "they", "we", "i", "you", "this", "that"}
)


def _split_at_conjunction(sent: Span, start: int, end: int) -> list[Unit] | None:
    """Cut "A mais B", "A and B", "A, B" where the parse did not mark B a conjunct.

    The small models often hang the second clause's subject on the first clause
    ("Wissa part seul mais Wissa est repris": "Wissa" a conjunct of "but"), so the
    dependency cut finds nothing. Read linearly instead: the conjunction follows a
    clause with a finite verb, and what follows it starts with its own subject (a
    noun phrase or a subject pronoun, as the parser labels it or by its form) before
    a finite verb, with no complementiser or subordinating mark on either side (after
    a bare comma, the clause must open on its subject: a comma splice, as live
    reports and quotes write "X ne donne pas suite, la VAR n'est pas sollicitée"), so
    "il a dit que A et que B", lists ("A et B ont voté") and elliptical predicates
    ("n'est pas cadrée mais contrée") stay whole.
    """
    doc = sent.doc
    for index in range(start + _MIN_WORDS, end - _MIN_WORDS):
        token = doc[index]
        comma = token.text == ","
        if not comma and (
            token.lower_ not in _CLAUSE_CONJUNCTIONS or token.pos_ != "CCONJ"
        ):
            continue
        left = trim(sent, start, index)
        right = trim(sent, index + 1, end)
        if _words(sent, *left) < _MIN_WORDS or _words(sent, *right) < _MIN_WORDS:
            continue
        finite = _has_clause(sent, *left) or any(
            mistagged_clause_verb(t) for t in sent.doc[left[0] : left[1]]
        )
        if not finite or _subordinate_inside(sent, start, left[1]):
            continue
        if _subordinate_inside(sent, index + 1, right[0] + 1):
            continue  # ", as he could not …": the trim dropped the mark
        subject = _leading_subject(sent, *right)
        if subject is None:
            continue
        if comma and not (
            _plain_clause_start(sent, right[0], subject)
            and _whole_clause(sent, *left)
            and not DISCOURSE_OPENER.match(sent.doc[left[0] :].text.lstrip("«“„\"' "))
        ):
            continue  # "Face à un bloc regroupé dans l'axe, les Lyonnais …"
        rest = _split_at_conjunction(sent, *right) or [
            Unit(*right, subject_head=subject)
        ]
        return [Unit(*left, subject_head=_own_subject(sent, *left)), *rest]
    return None


def _plain_clause_start(sent: Span, start: int, subject: int) -> bool:
    """After a bare comma: a clause that opens on its subject ("…, la VAR n'est pas
    sollicitée"), not an apposition or an aside before it."""
    doc = sent.doc
    return doc[start].pos_ in ("DET", "PROPN", "PRON") and not any(
        t.is_punct for t in doc[start : _finite_after(sent, subject)]
    )


def _finite_after(sent: Span, index: int) -> int:
    for token in sent.doc[index : sent.end]:
        if _finite(token):
            return int(token.i)
    return int(sent.end)


def _subordinate_inside(sent: Span, start: int, end: int) -> bool:
    """Whether a range holds a subordinating mark ("lorsque", "because", "si")."""
    return any(
        t.pos_ == "SCONJ"
        or (t.dep_ == "mark" and _finite(t.head))  # not "à bloquer", "to block"
        or t.lower_ in _SUBORDINATING_WORDS
        for t in sent.doc[start:end]
    )


def _leading_subject(sent: Span, start: int, end: int) -> int | None:
    """The subject that opens a clause [start, end), if it has one before its verb."""
    doc = sent.doc
    first = doc[start]
    if first.lower_ in _NOT_A_CLAUSE_START or first.pos_ in ("VERB", "ADJ", "ADP"):
        return None
    if _subordinate_inside(sent, start, end):
        return None
    verb = next(
        (t for t in doc[start:end] if _finite(t) or mistagged_clause_verb(t)), None
    )
    if verb is None or verb.i == start:
        return None
    before = doc[start : verb.i]
    subjects = [
        t
        for t in before
        if t.dep_.startswith(_SUBJECTS)
        or (t.lower_ in _SUBJECT_PRONOUNS and t.pos_ == "PRON")
    ]
    if not subjects and first.pos_ in ("DET", "PROPN"):
        # A noun phrase right before the verb is its subject by position, however
        # the parser hung it ("mais la proposition du syndicat est trop tardive").
        nouns = [t for t in before if t.pos_ in ("NOUN", "PROPN")]
        if nouns and all(t.pos_ in _NOUN_PHRASE for t in before):
            subjects = nouns[:1]
    if not subjects:
        return None
    # Between the subject and its verb only the subject's own words, clitics and
    # adverbs: a noun phrase in between means the parse of the subject is unsure.
    subject = subjects[-1]
    if any(t.pos_ in ("VERB",) for t in doc[subject.i + 1 : verb.i]):
        return None
    return int(subject.i)
