"""Make a claim readable without its article: resolve pronoun subjects, render text.

No coreference model with its weights installs from PyPI here (coreferee 1.5 ships its
rules without the trained models, fastcoref and maverick-coref fetch theirs from a model
hub), so pronouns are resolved by rules over the parse, and only when the text makes it
clear:

* a singular personal pronoun ("il", "elle", "he", "she", and the inverted "-t-elle")
  stands for the most recent person of its gender named within the last few lines.
  Gender comes from an honorific ("Mme", "Mr"), the first name (gender-guesser's name
  dictionary) or a gendered role noun ("la sénatrice Julie Morel"). Two people of that
  gender named in the same sentence, a person of unknown gender, or a thing of the same
  gender named since, make it unsure;
* a plural pronoun inside reported speech whose speaker is plural ("les responsables ont
  déclaré qu'ils …") stands for the speaker;
* "je"/"I" inside a quote stand for the speaker, with the verb put in the third person;
* otherwise a third-person subject pronoun stands for a noun phrase of the sentence
  before (or of its own sentence, when it is the subject of a subordinate clause) that
  agrees with it in number, gender (French grammatical gender, or a person's) and
  personhood ("he" a person, "it" a thing): the subject of the main verb when it
  agrees, as a reader carries the centre of attention over, else the only phrase that
  does (``salient``).

When unsure the pronoun is kept and the claim is flagged ``needs_context``. The rewrite
changes Claim.text only; offsets always point at the source span.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from claimtrack.extract.lexicons import BODY_NOUNS, SPEAKER_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

ROLE_NOUNS = frozenset().union(*SPEAKER_NOUNS.values())

Gender = Literal["F", "M"]

_SINGULAR = frozenset({"il", "elle", "he", "she"})
_PLURAL = frozenset({"ils", "elles", "they"})
FIRST_PERSON = frozenset({"je", "j'", "j’", "i"})
FIRST_PERSON_PLURAL = frozenset({"nous", "we"})
# Subjects that leave a claim unreadable on its own when nothing resolves them.
VAGUE_SUBJECTS = (
    _SINGULAR
    | _PLURAL
    | FIRST_PERSON
    | FIRST_PERSON_PLURAL
    | frozenset({"it", "this", "these", "those", "cela", "ceci", "ça", "celui-ci"})
)
PERSON_LABELS = frozenset({"PER", "PERSON"})
# How many lines back a pronoun may look for its person.
_WINDOW_LINES = 3
_HONORIFICS: dict[str, Gender] = {
    "mme": "F",
    "madame": "F",
    "mlle": "F",
    "mrs": "F",
    "ms": "F",
    "miss": "F",
    "m.": "M",
    "monsieur": "M",
    "mr": "M",
    "sir": "M",
    "lord": "M",
    "lady": "F",
    "dame": "F",
}


@dataclass
class Person:
    """A person the article has named: fullest form, gender when known, where."""

    name: str
    gender: Gender | None
    line: int
    sentence: int
    organisation: str | None = None  # the body their role names ("… of the CGT")


@dataclass
class PersonMemory:
    """The people an article has named so far, most recent last."""

    recent: list[str] = field(default_factory=list)  # last words, most recent last
    longest: dict[str, str] = field(default_factory=dict)  # last word -> longest
    people: dict[str, Person] = field(default_factory=dict)
    # The last thing (not a person) that was a sentence subject: (gender, sentence).
    last_thing: tuple[Gender | None, int] | None = None
    # The last subject that named people by their role ("le préfet", "les
    # syndicats"): (text, gender, plural, sentence).
    last_role: tuple[str, Gender | None, bool, int] | None = None
    # The last sentence's subject when not a person: (text, plural, sentence).
    last_subject: tuple[str, bool, int] | None = None
    # The noun phrases of the last sentence that had a verb, best antecedent first.
    previous_mentions: list[Mention] = field(default_factory=list)
    # The current sentence's main subject pronoun, once resolved: what it stood for.
    carried: Mention | None = None
    line: int = 0
    sentence: int = 0

    def add(
        self,
        mention: str,
        gender: Gender | None = None,
        organisation: str | None = None,
    ) -> None:
        """Remember a person's mention (article text, not the normalised parse)."""
        words = mention.split()
        if not words or len(mention) > 80:
            return
        key = words[-1].casefold().strip(".,")
        if len(mention) > len(self.longest.get(key, "")):
            self.longest[key] = mention
        known = self.people.get(key)
        self.people[key] = Person(
            self.longest[key],
            gender or (known.gender if known else None),
            self.line,
            self.sentence,
            organisation or (known.organisation if known else None),
        )
        if key in self.recent:
            self.recent.remove(key)
        self.recent.append(key)

    def last_person(self) -> str | None:
        """Return the most recently named person, in its fullest form."""
        return self.longest[self.recent[-1]] if self.recent else None

    def fullest(self, mention: str) -> str:
        """Return the fullest form the article used for a person's mention."""
        words = mention.split()
        key = words[-1].casefold().strip(".,") if words else ""
        longest = self.longest.get(key, "")
        return longest if len(longest) > len(mention) else mention

    def add_sentence(self, sent: Span, original: str, offset: int = 0) -> None:
        """Remember the people named in a parsed sentence, and its subject thing.

        Args:
            sent: the parsed sentence (its doc may hold normalised apostrophes).
            original: the text the doc's character offsets index.
            offset: unused; kept so that callers pass article offsets explicitly.
        """
        for entity in sent.ents:
            if entity.label_ in PERSON_LABELS:
                mention = original[entity.start_char : entity.end_char]
                organisation = role_organisation(entity, original)
                self.add(mention, person_gender(entity), organisation)
        root = sent.root
        subjects = [c for c in root.children if c.dep_.startswith("nsubj")]
        if subjects and subjects[0].pos_ == "NOUN" and not subjects[0].ent_type_:
            subject = subjects[0]
            gender = _morph_gender(subject)
            if subject.lower_ in ROLE_NOUNS or subject.lemma_.lower() in ROLE_NOUNS:
                start, end = _phrase(subject)
                text = original[sent.doc[start].idx : _end(sent.doc[end - 1])]
                plural = "Plur" in subject.morph.get("Number", []) or (
                    subject.tag_ in ("NNS", "NNPS")
                )
                self.last_role = (text, gender, plural, self.sentence)
            else:
                self.last_thing = (gender, self.sentence)
        if (
            subjects
            and subjects[0].ent_type_ not in PERSON_LABELS
            and (subjects[0].pos_ in ("NOUN", "PROPN"))
        ):
            start, end = _phrase(subjects[0])
            text = original[sent.doc[start].idx : _end(sent.doc[end - 1])]
            plural = "Plur" in subjects[0].morph.get("Number", []) or (
                subjects[0].tag_ in ("NNS", "NNPS")
            )
            self.last_subject = (text, plural, self.sentence)
        if any(t.pos_ in ("VERB", "AUX") for t in sent):
            # A heading in between ("Palestinians react") does not change the centre.
            self.previous_mentions = mentions(sent, original)
            if self.carried is not None:
                others = [m for m in self.previous_mentions if not m.main_subject]
                self.previous_mentions = [self.carried, *others]
        self.carried = None
        self.sentence += 1

    def resolve_thing(self, *, plural: bool) -> str | None:
        """Return what "it"/"they" stands for: the previous sentence's subject.

        Only the subject of the sentence just before, when it is a thing, group or
        organisation of the pronoun's number (the centre of attention a reader
        carries over); anything further back is too unsure.
        """
        last = self.last_subject
        if last is None or last[1] != plural or last[2] != self.sentence - 1:
            return None
        return last[0] if len(last[0].split()) <= 8 else None

    def resolve_group(self) -> str | None:
        """Return who a plural pronoun stands for: the last plural role subject."""
        role = self.last_role
        if role is None or not role[2] or role[3] < self.sentence - 2:
            return None
        return role[0]

    def resolve_person(self, gender: Gender | None) -> str | None:
        """Return the person a singular pronoun of this gender stands for, if clear."""
        person = self._named_person(gender)
        role = self.last_role
        if (
            role is not None
            and not role[2]
            and role[1] in (gender, None)
            and role[3] >= self.sentence - 2
            and (person is None or role[3] > self.people[_key(person)].sentence)
        ):
            return role[0]  # "Le préfet a reçu les élus. « … », a-t-il assuré."
        return person

    def _named_person(self, gender: Gender | None) -> str | None:
        window = [
            self.people[key]
            for key in reversed(self.recent)
            if self.people[key].line >= self.line - _WINDOW_LINES
        ]
        if gender is None or not window:
            return None
        matching = [p for p in window if p.gender == gender]
        unknown = [p for p in window if p.gender is None]
        if matching:
            best = matching[0]
            if any(p.sentence == best.sentence for p in matching[1:]):
                return None  # two people it could be, named in the same sentence
            if any(
                p.sentence > best.sentence and len(p.name.split()) > 1 for p in unknown
            ):
                return None  # someone named since, of unknown gender
        elif len(unknown) == 1 and len(window) == 1:
            best = unknown[0]
        else:
            return None
        thing = self.last_thing
        if thing is not None and thing[1] > best.sentence and thing[0] == gender:
            return None  # "Le projet … Il coûtera": perhaps the thing, not the person
        return best.name


@dataclass(frozen=True)
class Mention:
    """A noun phrase a later pronoun may stand for, with what it agrees with."""

    text: str  # the article's characters
    gender: Gender | None
    plural: bool
    person: bool
    main_subject: bool  # the subject of the sentence's main verb
    end: int  # token index past the phrase, in its doc
    body: bool = False  # names a body ("the ministry"): never "he" or "she"


# The dependencies of a phrase a pronoun can take up: subjects, objects, obliques.
_SUBJECTS = ("nsubj", "nsubj:pass", "nsubjpass")
_ARGUMENTS = (*_SUBJECTS, "obj", "dobj", "iobj", "obl", "pobj")
# Tokens a phrase does not start with when it is put in a pronoun's place.
_LEADING = frozenset({"case", "mark", "cc", "punct", "prep", "advmod"})
_MAX_MENTION_WORDS = 8
# Pronouns that name a group of people a later "they" takes up ("Some in Gaza").
_GROUPS = frozenset({"some", "many", "others", "most", "certains", "plusieurs"})


def mentions(sent: Span, original: str) -> list[Mention]:
    """The sentence's argument noun phrases: the main verb's subject, other subjects,
    then the other arguments, in reading order."""
    found: list[tuple[int, Mention]] = []
    main_found = False
    for token in sent:
        if not token.dep_.startswith(_ARGUMENTS):
            continue
        if token.pos_ not in ("NOUN", "PROPN") and token.lower_ not in _GROUPS:
            continue
        start, end = _mention_bounds(token)
        first = sent.doc[start]
        if (first.pos_ == "PRON" and first.lower_ not in _GROUPS) or "Yes" in (
            first.morph.get("Poss", [])
        ):
            continue  # "Its judgement", "leur campagne": not readable alone either
        text = original[first.idx : _end(sent.doc[end - 1])].strip()
        named = _named_apposition(token)
        if named is not None:  # "the striker, Marco Silva": the person's name
            text = original[named.start_char : named.end_char]
        if not text or len(text.split()) > _MAX_MENTION_WORDS or "\n" in text:
            continue
        if first.i == sent.start and first.pos_ == "DET":
            text = text[:1].lower() + text[1:]  # "Le danger" inside a sentence
        subject = token.dep_ in _SUBJECTS
        main = (
            subject
            and not main_found
            and not _subordinate(token.head)
            and not _second_subject(token)
        )
        main_found = main_found or main
        rank = 0 if main else 1 if subject else 2
        found.append((rank, _mention(token, text, main, end)))
    return [m for _, m in sorted(found, key=lambda pair: (pair[0], pair[1].end))]


def _second_subject(token: Token) -> bool:
    """Whether the parser gave the subject's verb another subject nearer to it.

    "Lorsque la communauté bannit …, l'ONG se trouve …": the small French model hangs
    the subordinate clause's subject on the main verb too; the one nearer the verb is
    its real subject, so the other is not the centre a later pronoun takes up.
    """
    return any(
        other.dep_ in _SUBJECTS and token.i < other.i < token.head.i
        for other in token.head.children
    )


# The links a main clause's subject may hang on below the root: none that makes a
# subordinate clause ("Levitt said that … Sinwar understands": not Sinwar).
_MAIN_LINKS = frozenset({"ROOT", "dep", "punct", "appos"})


def _subordinate(verb: Token) -> bool:
    """Whether a subject's head lies in a clause below the sentence's main one."""
    token = verb
    while token.head.i != token.i:
        if token.dep_ not in _MAIN_LINKS:
            return True
        token = token.head
    return False


# Entities a role names a person by: "a volunteer lead with the Finnish Civil
# Defence", "Sweden's Minister of Justice", "le porte-parole du Kremlin".
_BODY_LABELS = frozenset({"ORG", "GPE", "LOC", "NORP_ORG"})


def role_organisation(entity: Span, original: str) -> str | None:
    """The organisation or country a person's role phrase names, if any.

    The role is the noun the name is in apposition to, or the apposition of the
    name (the French parser sometimes makes it a conjunct): "Daniel Backström, a
    volunteer lead with the Finnish Civil Defence" → "the Finnish Civil Defence".
    """
    root = entity.root
    # A title in capitals is a role too: "Katherine Maher, Executive Director of the
    # Wikimedia Foundation" (the tagger calls "Director" a proper noun).
    roles = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
    titles = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    if root.dep_ in ("appos", "conj") and root.head.pos_ in ("NOUN", "PROPN"):
        roles.append(root.head)
    # "Paul Morin, le directeur de …" however the parser attached the role.
    after = entity.doc[entity.end : entity.end + 3]
    if (
        len(after) == 3
        and after[0].text == ","
        and after[1].pos_ == "DET"
        and (after[2].pos_ == "NOUN")
    ):
        roles.append(after[2])
    for role in [*roles, *titles]:
        for other in entity.doc.ents:
            inside = (
                role.left_edge.i <= other.start and other.end <= role.right_edge.i + 1
            )
            if (
                inside
                and other.label_ in _BODY_LABELS
                and not (entity.start <= other.start < entity.end)
                and (role not in titles or _after_preposition(other))
            ):
                name = original[other.start_char : other.end_char]
                before = entity.doc[other.start - 1] if other.start > 0 else None
                if before is not None and before.lower_ in _FRENCH_ARTICLES:
                    name = f"{_FRENCH_ARTICLES[before.lower_]} {name}"  # du → le
                return name
    return None


_FRENCH_ARTICLES = {"du": "le", "des": "les", "le": "le", "la": "la", "les": "les"}
_ROLE_PREPOSITIONS = frozenset(["of", "at", "with", "for", "de", "du", "des", "chez"])


def _after_preposition(entity: Span) -> bool:
    """Whether a body follows "of"/"at"/"de" (with its article): what a title names.

    A title in capitals is often a run of names ("Group President, Asia Pacific,
    Hyatt Hotels Corporation") in which the tagger finds bodies that the title does
    not name; "Executive Director of the Wikimedia Foundation" names its body.
    """
    index = entity.start - 1
    doc = entity.doc
    if index >= 0 and doc[index].pos_ == "DET":
        index -= 1
    return index >= 0 and doc[index].lower_ in _ROLE_PREPOSITIONS


def _named_apposition(head: Token) -> Span | None:
    """The person an apposition names for a role noun ("the striker, Marco Silva")."""
    for child in head.rights:
        if child.dep_ == "appos" and child.ent_type_ in PERSON_LABELS:
            return next((e for e in head.doc.ents if e.start <= child.i < e.end), None)
    return None


def _mention_bounds(head: Token) -> tuple[int, int]:
    """A phrase without its leading preposition, relative clause or apposition."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    for child in head.rights:
        if child.dep_ in ("acl:relcl", "relcl", "acl", "appos", "punct"):
            end = min(end, child.left_edge.i)
    for token in head.doc[head.i + 1 : end]:
        if token.text in (",", "(", "–", "—"):
            end = token.i
            break
    while start < head.i and head.doc[start].dep_ in _LEADING:
        start += 1
    return start, max(end, head.i + 1)


def is_main_subject(token: Token) -> bool:
    """Whether a token is the subject of its sentence's main clause."""
    return not _subordinate(token.head)


def carried_mention(pronoun: Token, text: str) -> Mention:
    """The mention a resolved subject pronoun passes on, with the pronoun's features."""
    word = pronoun.lower_.lstrip("-").removeprefix("t-")
    return Mention(
        text=text,
        gender=pronoun_gender(word),
        plural=word in _PLURAL,
        person=word in ("he", "she"),
        main_subject=True,
        end=pronoun.i + 1,
    )


def _mention(head: Token, text: str, main: bool, end: int) -> Mention:
    conjuncts = [c for c in head.children if c.dep_ == "conj"]
    determiners = [c for c in head.children if c.dep_ == "det"]
    plural = (
        bool(conjuncts)
        or head.lower_ in _GROUPS
        or "Plur" in head.morph.get("Number", [])
        or head.tag_ in ("NNS", "NNPS")
        or any("Plur" in d.morph.get("Number", []) for d in determiners)
    )
    entity = _named_apposition(head) or next(
        (e for e in head.doc.ents if e.start <= head.i < e.end), None
    )
    person = (
        (entity is not None and entity.label_ in PERSON_LABELS)
        or head.lemma_.lower() in ROLE_NOUNS
        or head.lower_ in _GROUPS
    )
    gender = person_gender(entity) if entity is not None and person else None
    if gender is None and head.doc.lang_ == "fr":
        # The noun's own gender, else its determiner's ("la France"), adjective's
        # ("l'agence française") or apposition's ("L'Anses, l'agence").
        sources = [head, *determiners]
        sources += [c for c in head.children if c.dep_ in ("amod", "appos")]
        gender = next((g for g in map(_morph_gender, sources) if g), None)
    if conjuncts and head.doc.lang_ == "fr":
        genders = {gender, *map(_morph_gender, conjuncts)}
        gender = "F" if genders == {"F"} else "M" if None not in genders else None
    language = "fr" if head.doc.lang_ == "fr" else "en"
    body = not (entity is not None and entity.label_ in PERSON_LABELS) and (
        head.lemma_.lower() in BODY_NOUNS[language]
    )
    return Mention(text, gender, plural, person, main, end, body)


def agrees(mention: Mention, word: str, language: str) -> bool:
    """Whether a third-person subject pronoun can stand for a noun phrase."""
    plural = word in _PLURAL
    if mention.plural != plural:
        return False
    if language == "fr":
        # "ils" takes a masculine or mixed group; a gender must be known to choose.
        return mention.gender == pronoun_gender(word) and mention.gender is not None
    if word in ("he", "she"):
        return (
            mention.person
            and not mention.body
            and mention.gender in (pronoun_gender(word), None)
        )
    if word == "it":
        return not mention.person
    return word == "they"


def salient(
    pronoun: Token,
    candidates: list[Mention],
    *,
    not_named: str | None = None,
    people: dict[str, Person] | None = None,
) -> str | None:
    """The phrase a subject pronoun stands for among a sentence's mentions, or None.

    The main verb's subject when it agrees (the centre of attention a reader carries
    over); else, for a pronoun of people, the one person or group that agrees. A
    thing is taken up only as the subject: "it" also stands for events and whole
    propositions, which no noun phrase names.
    ``not_named``: a person the pronoun cannot be (a speaker's "he" in a quote);
    ``people``: the people the article named, so that "Sinwar" is one even where the
    tagger calls it an organisation.
    """
    word = pronoun.lower_.lstrip("-").removeprefix("t-")
    language = "fr" if pronoun.doc.lang_ == "fr" else "en"
    known = people or {}
    matching = []
    unsure_centre = False
    for mention in candidates:
        last = mention.text.split()[-1]
        person = known.get(_last_word(last)) if last[:1].isupper() else None
        if person is not None and not mention.person:
            gender = person.gender or mention.gender
            mention = replace(mention, person=True, gender=gender)
        elif person is not None and mention.gender is None and language == "fr":
            # The article told the gender earlier ("Nordine Benslimane, alors
            # député"): the name's later mention has it too. (English "he" takes
            # a person of unknown gender already, and the name dictionary's guess
            # is no better than the article's own "he": "Di" is a man there.)
            mention = replace(mention, gender=person.gender)
        if mention.main_subject and mention.person and mention.gender is None:
            # The centre is a person of unknown gender: "il" may be them, so no
            # other phrase is "the only one that agrees".
            unsure_centre = language == "fr" and word in ("il", "elle")
        if not agrees(mention, word, language):
            continue
        if mention.person and _last_word(mention.text) in own_arguments(pronoun):
            continue  # "He thanked Maria Lopez": not Maria Lopez
        if (
            not_named
            and mention.person
            and (_last_word(mention.text) == _last_word(not_named))
        ):
            continue
        matching.append(mention)
    if not matching:
        return None
    best = matching[0]
    people_only = [m for m in matching if m.person]
    if best.main_subject:
        return best.text
    if word != "it" and len(matching) == 1 and people_only and not unsure_centre:
        return best.text
    return None


def _last_word(name: str) -> str:
    words = name.split()
    return words[-1].casefold().strip(".,") if words else ""


def _key(mention: str) -> str:
    words = mention.split()
    return words[-1].casefold().strip(".,") if words else ""


def _phrase(head: Token) -> tuple[int, int]:
    """A subject phrase, cut before a comma or a relative clause."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    for token in head.doc[head.i + 1 : end]:
        if token.text in (",", "(", "–", "—") or token.dep_ in ("acl:relcl", "relcl"):
            return start, token.i
    return start, end


def _end(token: Token) -> int:
    return int(token.idx + len(token.text))


@functools.lru_cache(maxsize=1)
def _name_detector() -> object:
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def first_name_gender(name: str) -> Gender | None:
    """Return the gender gender-guesser gives a first name, when it is clear."""
    detector = _name_detector()
    guess = detector.get_gender(name)  # type: ignore[attr-defined]
    if guess in ("female", "mostly_female"):
        return "F"
    if guess in ("male", "mostly_male"):
        return "M"
    return None


def _morph_gender(token: Token) -> Gender | None:
    values = token.morph.get("Gender", [])
    if values == ["Fem"]:
        return "F"
    if values == ["Masc"]:
        return "M"
    return None


def person_gender(entity: Span) -> Gender | None:
    """Guess a named person's gender from honorific, first name or role noun."""
    doc = entity.doc
    words = entity.text.split()
    before = doc[entity.start - 1] if entity.start > 0 else None
    for word in (words[0] if words else "", before.text if before else ""):
        honorific = _HONORIFICS.get(word.lower().rstrip(".") or word.lower())
        if honorific is None and word.lower() == "m.":
            honorific = "M"
        if honorific:
            return honorific
    first = doc[entity.start]
    if first.pos_ == "DET" and doc.lang_ == "fr":
        # "Le Breton", "la Lyonnaise", "l'Argentin": a person named by a demonym or a
        # nickname, whose article gives the gender; "Le" is no first name (the name
        # dictionary calls it female).
        return _morph_gender(first) or _morph_gender(entity.root)
    if len(words) > 1:
        first_name = words[0].strip(".,")
        gender = first_name_gender(first_name)
        if gender is None and "-" in first_name.strip("-"):
            # "Jean-Marie", "Anne-Sophie", "Pierre-Yves": the first name gives it.
            gender = first_name_gender(first_name.split("-")[0])
        if gender:
            return gender
    # "la sénatrice Julie Morel", "Sophie Binet, la secrétaire générale": a role noun.
    role = None
    if before is not None and before.pos_ == "NOUN":
        role = before
    elif entity.root.head.pos_ == "NOUN" and entity.root.head.i != entity.root.i:
        role = entity.root.head
    if role is not None and doc.lang_ == "fr" and _morph_gender(role):
        return _morph_gender(role)
    if doc.lang_ == "fr":
        return _apposed_role_gender(entity)
    return None


def _apposed_role_gender(entity: Span) -> Gender | None:
    """The gender a role noun after a French name shows: "X, alors député LREM".

    Its article says it ("X, la maire de …"); without one, only a role noun whose
    other gender's form is a different word in the lexicon ("député"/"députée",
    "directeur"/"directrice"), never one for both ("ministre", "porte-parole").
    """
    doc = entity.doc
    index = entity.end
    if index >= len(doc) or doc[index].text != ",":
        return None
    index += 1
    article = None
    while index < len(doc) and doc[index].pos_ in ("ADV", "DET"):
        if doc[index].pos_ == "DET":
            article = doc[index].lower_
        index += 1
    if index >= len(doc) or doc[index].pos_ != "NOUN":
        return None
    word = doc[index].lower_
    if word not in ROLE_NOUNS:
        return None
    if article in ("la", "une", "cette"):
        return "F"
    if article in ("le", "un", "ce", "cet"):
        return "M"
    if article is not None:
        return None
    if word + "e" in ROLE_NOUNS or (
        word.endswith("eur") and word[:-3] + "rice" in ROLE_NOUNS
    ):
        return "M"
    if (word.endswith("e") and word[:-1] in ROLE_NOUNS) or (
        word.endswith("rice") and word[:-4] + "eur" in ROLE_NOUNS
    ):
        return "F"
    return None


# Verbs whose French subject "il" is always impersonal.
_IMPERSONAL_VERBS = frozenset(
    {"falloir", "agir", "sembler", "paraître", "rester", "manquer", "pleuvoir"}
)
_CLAUSE_DEPS = ("csubj", "ccomp", "xcomp")
_ANNOUNCING_VERBS = frozenset(
    {"be", "seem", "appear", "take", "remain", "become", "happen", "matter", "être"}
)


def ambiguous_passive(pronoun: Token) -> bool:
    """Whether a passive pronoun subject may stand for the object of the clause before.

    "The airline said it had grounded the plane and it would be inspected": the
    second "it" undergoes the inspection, and the plane is as likely as the airline.
    A pronoun subject of a passive verb coordinated with a clause whose object agrees
    with it in number is left as written.
    """
    if pronoun.dep_ not in ("nsubjpass", "nsubj:pass") or pronoun.head.dep_ != "conj":
        return False
    plural = pronoun.lower_ in ("they", "ils", "elles")
    return any(
        child.dep_ in ("dobj", "obj")
        and child.pos_ in ("NOUN", "PROPN")
        and ("Plur" in child.morph.get("Number", [])) == plural
        for child in pronoun.head.head.children
    )


def impersonal(token: Token) -> bool:
    """Whether "il"/"it" stands for no one: an impersonal verb or an extraposed clause.

    The French parser labels "Il n'est pas cancérogène" ``expl:subj`` as well, so the
    label alone is not enough: the clause the pronoun announces must be there.
    """
    if token.lower_ not in ("il", "it"):
        return False
    head = token.head
    if head.lemma_.lower() in _IMPERSONAL_VERBS:
        return True
    if head.lemma_.lower() == "avoir" and any(c.lower_ == "y" for c in head.children):
        return True  # "il y a", "il y a eu"
    if token.lower_ == "il" and _modal_there_is(head):
        return True  # "il ne saurait y avoir", "il peut y avoir"
    if token.lower_ == "il" and _impersonal_predicate(token):
        return True  # "Il est évident que …", whatever the parser made of the rest
    if token.lower_ == "it" and (_cleft(token) or _extraposed_infinitive(head)):
        return True  # "It was in 2015 that …", "It takes years to build a dam"
    # The clause must hang on a copula's predicate ("il est impossible de", "it is
    # likely that") or a verb of seeming: "It instructs people how to …" has a
    # clause of its own and "it" is the brochure. The small French model tags some
    # predicates as adverbs ("Il est urgent de …").
    predicate = head.pos_ in ("ADJ", "NOUN", "ADV") and any(
        c.dep_ == "cop" for c in head.children
    )
    if token.lower_ == "il" and head.lower_ not in _IMPERSONAL_PREDICATES:
        # "Il est certain de gagner", "fier de son bilan": a person's predicate.
        predicate = False
    announcing = head.lemma_.lower() in _ANNOUNCING_VERBS or predicate
    clause = announcing and any(c.dep_.startswith(_CLAUSE_DEPS) for c in head.children)
    return clause or any(
        c.dep_ in ("acomp", "attr")
        and any(g.dep_.startswith(_CLAUSE_DEPS) for g in c.children)
        for c in head.children
    )


_TIME_NOUNS = frozenset(
    [
        "time",
        "while",
        "years",
        "months",
        "weeks",
        "days",
        "hours",
        "minutes",
        "decades",
        "courage",
        "effort",
    ]
)


def _cleft(pronoun: Token) -> bool:
    """ "It is through this process that …", "It was in 2015 that …": a cleft.

    "be" followed at once by a prepositional phrase, then a "that" that marks a
    clause (a relative "that" is the clause's subject or object instead).
    """
    head = pronoun.head
    if head.lemma_.lower() != "be" or head.i != pronoun.i + 1:
        return False
    following = pronoun.doc[head.i + 1 : head.i + 2]
    if not following or following[0].dep_ != "prep" or following[0].head.i != head.i:
        return False
    sentence_end = pronoun.sent.end
    return any(
        t.lower_ == "that" and t.dep_ == "mark"
        for t in pronoun.doc[following[0].i + 1 : sentence_end]
    )


def _extraposed_infinitive(head: Token) -> bool:
    """ "It's easy for people to marvel at …", "It will take time to see …".

    The infinitive hangs on "be" after an adjective, or on "take" after a span of
    time, and is a whole clause: it has its own subject ("for people") or object.
    "It's easy to use" lacks both (the thing "it" is what is used) and stays.
    """
    lemma = head.lemma_.lower()
    if lemma == "be":
        anchor = next((c for c in head.children if c.dep_ == "acomp"), None)
    elif lemma == "take":
        anchor = next(
            (
                c
                for c in head.children
                if c.dep_ == "dobj" and c.lemma_.lower() in _TIME_NOUNS
            ),
            None,
        )
    else:
        return False
    if anchor is None:
        return False
    for clause in head.children:
        if clause.dep_ not in ("advcl", "xcomp") or clause.i < anchor.i:
            continue
        if not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
            continue
        if any(c.dep_ in ("nsubj", "dobj", "ccomp", "prep") for c in clause.children):
            return True
    return False


def _modal_there_is(head: Token) -> bool:
    """ "il ne saurait y avoir", "il va y avoir": "il y a" under a verb of its own."""
    return any(
        child.dep_ == "xcomp"
        and child.lemma_.lower() == "avoir"
        and any(g.lower_ == "y" for g in child.children)
        for child in head.children
    )


# French predicates that only an impersonal "il" takes before "de"/"que": "il est
# urgent de", "il est évident que". A person "est fier de", "certain de", "prêt à",
# "content que": none of those is here.
_IMPERSONAL_PREDICATES = frozenset(
    [
        "urgent",
        "évident",
        "possible",
        "impossible",
        "probable",
        "improbable",
        "nécessaire",
        "important",
        "essentiel",
        "indispensable",
        "clair",
        "difficile",
        "facile",
        "temps",
        "vrai",
        "faux",
        "inutile",
        "utile",
        "préférable",
        "souhaitable",
        "regrettable",
        "dommage",
        "normal",
        "logique",
        "légitime",
        "interdit",
        "exclu",
        "question",
        "peu",
        "crucial",
        "indéniable",
        "incontestable",
        "envisageable",
        "inévitable",
        "primordial",
        "fondamental",
        "capital",
        "judicieux",
        "opportun",
        "étonnant",
        "surprenant",
        "intéressant",
        "rare",
        "fréquent",
        "courant",
        "inadmissible",
        "inacceptable",
        "scandaleux",
        "prévu",
        "recommandé",
        "conseillé",
        "déconseillé",
        "permis",
    ]
)
_COPULA_FORMS = frozenset(
    [
        "est",
        "était",
        "sera",
        "serait",
        "fut",
        "semble",
        "semblait",
        "paraît",
        "paraissait",
        "reste",
        "demeure",
    ]
)
# Words that may stand between the copula and the predicate: "n'est donc pas".
_PREDICATE_ADVERBS = frozenset(
    [
        "pas",
        "plus",
        "donc",
        "aussi",
        "alors",
        "désormais",
        "bien",
        "encore",
        "toujours",
        "très",
        "tout",
        "peut-être",
    ]
)


def _impersonal_predicate(pronoun: Token) -> bool:
    """Whether "il" opens "il est ADJ de/que …" with a predicate only "il" takes.

    Read on the words, not the parse: the small French model often makes the
    "que" clause a sentence of its own ("Il est évident que nombre de revues …").
    """
    doc = pronoun.doc
    index = pronoun.i + 1
    if index < len(doc) and doc[index].lower_ in ("ne", "n'", "n’"):
        index += 1
    if index >= len(doc) or doc[index].lower_ not in _COPULA_FORMS:
        return False
    index += 1
    while index < len(doc) and doc[index].lower_ in _PREDICATE_ADVERBS:
        index += 1
    if index + 1 >= len(doc) or doc[index].lower_ not in _IMPERSONAL_PREDICATES:
        return False
    following = doc[index + 1].lower_
    if doc[index].lower_ == "peu":  # "il est peu probable que"
        return following in _IMPERSONAL_PREDICATES and following != "peu"
    return following in ("de", "d'", "d’", "que", "qu'", "qu’", "voire")


def pronoun_gender(word: str) -> Gender | None:
    """Return the gender of a personal pronoun ("-t-elle" included)."""
    word = word.lower().lstrip("-t")
    word = word.lstrip("-")
    if word in ("elle", "elles", "she"):
        return "F"
    if word in ("il", "ils", "he"):
        return "M"
    return None


def is_personal_pronoun(token: Token) -> bool:
    """Whether a token is a subject pronoun this module knows how to resolve."""
    word = token.lower_.lstrip("-").removeprefix("t-")
    return token.pos_ == "PRON" and word in _SINGULAR | _PLURAL


def resolve(
    pronoun: Token,
    memory: PersonMemory,
    *,
    speaker: str | None = None,
    speaker_plural: bool = False,
) -> str | None:
    """Return the article text a subject pronoun stands for, or None when unclear."""
    word = pronoun.lower_.lstrip("-").removeprefix("t-")
    found = None
    if word in _PLURAL:
        if speaker and speaker_plural:
            return speaker
        found = memory.resolve_group()
    elif word in _SINGULAR:
        found = memory.resolve_person(pronoun_gender(word))
    if found is not None and _last_word(found) in own_arguments(pronoun):
        return None  # "il accuse Boris Faure": "il" is not Boris Faure
    return found


_OBJECT_LINKS = frozenset({"obj", "dobj", "iobj", "obl", "obl:arg", "dative"})


def own_arguments(pronoun: Token) -> frozenset[str]:
    """The last words of the names that are objects of the pronoun's own verb.

    A subject pronoun never stands for a name its own verb takes as object ("il
    accuse Boris Faure", "he thanked Maria Lopez"): it is someone else.
    """
    verb = pronoun.head
    names = set()
    for child in verb.children:
        if child.i == pronoun.i:
            continue
        heads = [child] if child.dep_ in _OBJECT_LINKS else []
        if child.dep_ == "prep":  # English: "he spoke with Maria Lopez"
            heads = [g for g in child.children if g.dep_ == "pobj"]
        for head in heads:
            for token in head.subtree:
                if token.pos_ == "PROPN" or token.ent_type_ in PERSON_LABELS:
                    names.add(token.lower_.strip(".,"))
    return frozenset(names)


# "je" → the speaker: the French first person singular in the third.
_FRENCH_IRREGULAR = {
    "ai": "a",
    "suis": "est",
    "vais": "va",
    "peux": "peut",
    "veux": "veut",
    "vaux": "vaut",
}
_ENGLISH_IRREGULAR = {"am": "is", "'m": "is", "’m": "is", "have": "has", "'ve": "has"}
_ENGLISH_ES = ("s", "sh", "ch", "x", "z", "o")


def third_person(verb: Token) -> str:
    """Return a first-person singular verb form in the third person singular."""
    word = verb.text
    lower = word.lower()
    if verb.doc.lang_ == "fr":
        if lower in _FRENCH_IRREGULAR:
            return _FRENCH_IRREGULAR[lower]
        if lower.endswith("rai"):  # futur: lâcherai → lâchera
            return word[:-1]
        if lower.endswith("ais"):  # imparfait, conditionnel: pensais → pensait
            return word[:-1] + "t"
        if lower.endswith(("ds", "ts")):  # prends → prend, mets → met
            return word[:-1]
        if lower.endswith(("s", "x")):  # dis → dit, crois → croit
            return word[:-1] + "t"
        return word  # pense → pense
    if lower in _ENGLISH_IRREGULAR:
        return _ENGLISH_IRREGULAR[lower]
    if verb.tag_ != "VBP":
        return word  # past tense, modal: the same in the third person
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if lower.endswith(_ENGLISH_ES):
        return word + "es"
    return word + "s"


# "nous" → an organisation: the first person plural in the third singular.
_FRENCH_PLURAL_IRREGULAR = {
    "avons": "a",
    "sommes": "est",
    "allons": "va",
    "pouvons": "peut",
    "devons": "doit",
    "voulons": "veut",
    "faisons": "fait",
    "savons": "sait",
    "avions": "avait",
    "étions": "était",
    "serons": "sera",
    "aurons": "aura",
    "ferons": "fera",
}
_ENGLISH_PLURAL_IRREGULAR = {
    "are": "is",
    "'re": "is",
    "’re": "is",
    "have": "has",
    "'ve": "has",
    "’ve": "has",
    "were": "was",
}


def third_person_singular(verb: Token) -> str | None:
    """A "we"/"nous" verb form in the third person singular, or None when unsure.

    English is regular but for a few auxiliaries; French only for the common
    irregular verbs and the first group ("publions" → "publie", imperfect and future
    endings), the only forms a rule gets right.
    """
    word, lower = verb.text, verb.lower_
    if verb.doc.lang_ != "fr":
        if lower in _ENGLISH_PLURAL_IRREGULAR:
            return _ENGLISH_PLURAL_IRREGULAR[lower]
        return third_person(verb) if verb.tag_ in ("VBP", "VBD", "MD") else None
    if lower in _FRENCH_PLURAL_IRREGULAR:
        return _FRENCH_PLURAL_IRREGULAR[lower]
    tense = verb.morph.get("Tense", [])
    lemma = verb.lemma_.lower()
    if "Imp" in tense and lower.endswith("ions"):
        return word[:-4] + "ait"
    # A future is built on the infinitive ("publierons", "prendrons"), whatever the
    # tagger says: it calls some futures presents and some presents ("préférons")
    # futures.
    if lower.endswith("rons") and lower[:-3] in (lemma, lemma[:-1]):
        return word[:-3] + "a"
    if (
        ("Pres" in tense or "Fut" in tense)
        and lower.endswith("ons")
        and lemma.endswith("er")
    ):
        stem = word[:-3]
        if stem.endswith("ç"):
            return stem[:-1] + "ce"
        if _OPEN_E_STEM.search(stem):
            return None  # "menons", "appelons": mène, appelle; a rule cannot tell
        # "intégrons" → "intègre": the last é of the stem opens before a mute e.
        stem = _CLOSED_E_STEM.sub(r"è\1", stem)
        return stem if stem.endswith("e") else stem + "e"
    return None


# A stem ending in e or é and its consonants: "intégr", "men", "appel".
_CLOSED_E_STEM = re.compile(r"é([^aeiouyéèêëàâîïôûù]+)$")
_OPEN_E_STEM = re.compile(r"(?<![aeiouyéèêëàâîïôûù])e[^aeiouyéèêëàâîïôûù]$")


def render(original: str, pieces: list[tuple[int, int, str | None]]) -> str:
    """Join spans of the original text, replacing some of them.

    Args:
        original: the text the character offsets index.
        pieces: (char_start, char_end, replacement) in reading order; a None
            replacement keeps the original characters.
    """
    text, previous_end = "", None
    for start, end, replacement in pieces:
        part = (original[start:end] if replacement is None else replacement).strip()
        if not part:
            continue
        # Pieces that touch in the original stay joined: "He's" → "Ms Diaz's".
        touching = (
            previous_end == start
            and 0 < start < len(original)
            and not original[start - 1].isspace()
            and not original[start].isspace()
            # "We're" → "The union is": a contraction replaced by a word stands apart.
            and (
                replacement is None
                or replacement[:1] in "'’"
                # "n'avons" → "n'a": an elided word stays joined to the next.
                or original[start - 1] in "'’"
            )
        )
        text += part if touching or not text else " " + part
        previous_end = end
    return text[:1].upper() + text[1:] if text else text
