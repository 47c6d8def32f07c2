"""Speakers as entities: who a speaker string names, and which strings name one person.

"le directeur de la CIA, William Burns" names William Burns (role: directeur de la
CIA); "Le président américain Joe Biden", "President Joe Biden" and "Biden" name Joe
Biden; "Vladimir Poutine", "Putin" and "Vladimir Putin" name Vladimir Putin. spaCy's
named entities find the person in a speaker string; when its small models miss one
("Biden" tagged as a place), a string made only of capitalised words is taken as a
name. Two names are one person when their surnames agree (after folding accents and
the French/English transliterations below) and their given names do not disagree.
Groups and organisations ("les hauts responsables de la CIA") are kept as written.

Hand-written because no library resolves a speaker string to a person offline: the
entity linkers need a knowledge base and a network.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

# French (and other) spellings of names the news writes both ways -> English.
TRANSLITERATIONS = {
    "poutine": "putin",
    "zelenski": "zelensky",
    "zelenskyy": "zelensky",
    "zelenskiy": "zelensky",
    "volodimir": "volodymyr",
    "medvedev": "medvedev",
    "lavrov": "lavrov",
    "peskov": "peskov",
    "choigou": "shoigu",
    "prigojine": "prigozhin",
    "navalni": "navalny",
    "loukachenko": "lukashenko",
    "khrouchtchev": "khrushchev",
    "gorbatchev": "gorbachev",
    "eltsine": "yeltsin",
    "netanyahou": "netanyahu",
    "kadyrov": "kadyrov",
    "sergue": "sergei",
    "serguei": "sergei",
    "dmitri": "dmitry",
    "evgueni": "yevgeny",
    "alexei": "alexei",
    "alexeï": "alexei",
    "iouri": "yuri",
    "mikhaïl": "mikhail",
}
# Words that open a noun phrase: a string starting with one is a description
# ("le Pentagone", "the transit authority"), not a bare name.
DETERMINERS = {
    "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "certains",
    "certaines", "plusieurs", "the", "a", "an", "some", "several", "many", "most",
}  # fmt: skip
PERSON_LABELS = {"PER", "PERSON"}
# Capitalised titles that open an English name: "President Joe Biden".
TITLES = {
    "president", "vice", "prime", "minister", "secretary", "mayor", "governor",
    "senator", "sen", "rep", "representative", "general", "gen", "chancellor",
    "director", "chief", "judge", "justice", "dr", "mr", "mrs", "ms", "sir", "king",
    "queen", "pope", "prince", "princess", "ambassador", "commissioner", "spokesman",
    "spokeswoman", "spokesperson", "councillor", "council", "member", "chairman",
    "chairwoman", "chair", "premier", "colonel", "admiral", "captain", "sheriff",
    "professor", "prof", "président", "ministre", "général", "secrétaire",
    "m", "mme", "state", "of", "foreign", "defence", "defense", "deputy",
}  # fmt: skip


@dataclass(frozen=True)
class SpeakerName:
    """What a speaker string names.

    Attributes:
        name: the person's name, or the group as written.
        role: the title or appositive stripped from a person's name, if any.
        person: True for a person (merged by surname), False for a group.
        surname: the folded, transliterated surname (persons) or whole name (groups).
        given: the folded, transliterated given names, "" when only a surname.
    """

    name: str
    role: str | None
    person: bool
    surname: str
    given: str


def fold(text: str) -> str:
    """Lower-case text without accents and typographic apostrophes."""
    text = text.replace("\u2019", "'").lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _key(token: str) -> str:
    folded = fold(token).strip(".,;:'\"")
    return TRANSLITERATIONS.get(folded, folded)


def _looks_like_a_name(words: Sequence[str]) -> bool:
    """One to four capitalised words, no acronym, no determiner: "Vladimir Poutine"."""
    if not 1 <= len(words) <= 4 or fold(words[0]) in DETERMINERS:
        return False
    return all(w[:1].isupper() and not w.isupper() for w in words if w != "-")


def _strip_determiner(text: str) -> str:
    words = text.replace("\u2019", "'").split()
    while words and fold(words[0]).rstrip("'") in DETERMINERS:
        words.pop(0)
    if words and "'" in words[0] and fold(words[0].split("'")[0]) in DETERMINERS:
        words[0] = words[0].split("'", 1)[1]
    return " ".join(words)


def _person(name: str, role: str | None) -> SpeakerName:
    words = name.split()
    role = _strip_determiner(role.strip(" ,;:-")) if role else None
    return SpeakerName(
        name=name,
        role=role or None,
        person=True,
        surname=_key(words[-1]),
        given=" ".join(_key(word) for word in words[:-1]),
    )


def parse_speaker(text: str, nlp: Any | None = None) -> SpeakerName | None:
    """Return what a speaker string names, or None for an empty one.

    Args:
        text: the speaker as the extractor stored it.
        nlp: a spaCy pipeline with named entities for the string's language; without
            one, only the capitalised-words rule finds persons.
    """
    text = " ".join(text.split())
    if not text:
        return None
    return _parse(text, nlp(text) if nlp is not None else None)


def parse_speakers(
    texts: Sequence[str], nlp: Any | None = None
) -> list[SpeakerName | None]:
    """parse_speaker of each text, the same results, with one ``nlp.pipe`` for all.

    An article's speakers are parsed together (spaCy's per-call overhead is most of
    the cost of a string this short), and a string already parsed with the same
    pipeline comes from a bounded cache: the same few people speak in every article.
    """
    texts = [" ".join(text.split()) for text in texts]
    parsed: dict[str, SpeakerName | None] = {}
    missing = []
    for text in dict.fromkeys(texts):
        if not text:
            parsed[text] = None
        elif (text, nlp) in _PARSED:
            parsed[text] = _PARSED[(text, nlp)]
            _PARSED.move_to_end((text, nlp))
        else:
            missing.append(text)
    docs = nlp.pipe(missing) if nlp is not None else (None for _ in missing)
    for text, doc in zip(missing, docs, strict=True):
        parsed[text] = _PARSED[(text, nlp)] = _parse(text, doc)
    while len(_PARSED) > PARSED_CACHE_SIZE:
        _PARSED.popitem(last=False)  # the least recently used
    return [parsed[text] for text in texts]


# (speaker string, pipeline or None) -> what it names; bounded, least recent out.
PARSED_CACHE_SIZE = 20_000
_PARSED: OrderedDict[tuple[str, Any], SpeakerName | None] = OrderedDict()


def _parse(text: str, doc: Any | None) -> SpeakerName:
    """What a non-empty, whitespace-normalised speaker string names, from spaCy's
    parse of it (doc) when there is one."""
    if doc is not None:
        people = [e for e in doc.ents if e.label_ in PERSON_LABELS]
        if people:
            person = people[-1]
            name = person.text.strip(" ,")
            role = (text[: person.start_char] + " " + text[person.end_char :]).strip()
            return _person(name, role or None)
    words = text.replace(",", " , ").split()
    # "President Joe Biden": leading titles then a name; "le directeur de la CIA,
    # William Burns": a description then the name, after it or after a comma.
    for start in range(len(words)):
        rest = words[start:]
        if fold(rest[0].rstrip(".")) in TITLES and len(rest) > 1:
            continue
        if (
            _looks_like_a_name(rest)
            and (start == 0 or fold(words[start - 1]) not in DETERMINERS)
            and (
                start == 0
                or len(rest) >= 2
                or words[start - 1] == ","
                or all(fold(word.rstrip(".")) in TITLES for word in words[:start])
            )
        ):
            role = " ".join(words[:start]).replace(" ,", ",")
            return _person(" ".join(rest), role or None)
    # A group is shown as written and merged on its words without the determiner:
    # "Les responsables américains" and "des responsables américains" are one.
    key = fold(_strip_determiner(text) or text)
    return SpeakerName(name=text, role=None, person=False, surname=key, given="")


def same_person(a: SpeakerName, b: SpeakerName) -> bool:
    """True when two names can be one person: same surname, given names agree."""
    if not (a.person and b.person) or a.surname != b.surname:
        return False
    return not a.given or not b.given or a.given == b.given


def canonical_name(names: Iterable[SpeakerName]) -> str:
    """The name to show for one person: the fullest, in its English spelling."""
    names = list(names)

    def preference(name: SpeakerName) -> tuple[int, int, int]:
        words = name.name.split()
        english = int(fold(words[-1]) == name.surname) if name.person else 0
        return (len(words), english, -len(name.name))

    return max(names, key=preference).name


def speaker_id(name: SpeakerName) -> str:
    """A stable id from what identifies the speaker (surname, or group name)."""
    kind = "person" if name.person else "group"
    return hashlib.sha1(f"{kind}:{name.surname}".encode()).hexdigest()[:16]


# ---- the speakers table -------------------------------------------------------------
# SQL here, not in store.py: this module owns the speakers table; ClaimStore calls
# assign_speakers inside its write transaction.


def _nlp_for(language: str | None) -> Any | None:
    """The spaCy pipeline of the language if the extractor loaded it, else None.

    Never loaded just for speakers: loading takes seconds to tens of seconds, and
    the rule below finds the names the entity recogniser of the small models finds.
    """
    from claimtrack.extract.sentences import loaded_spacy_model

    return loaded_spacy_model(language or "en")


def _stored_speakers(db: Database) -> list[dict[str, Any]]:
    return list(db.query("select * from speakers"))


def _as_name(row: dict[str, Any]) -> SpeakerName:
    return SpeakerName(
        name=row["name"],
        role=row["role"],
        person=bool(row["person"]),
        surname=row["surname"],
        given=row["given"] or "",
    )


def _match(name: SpeakerName, speakers: list[dict[str, Any]]) -> dict[str, Any] | None:
    candidates = [
        row
        for row in speakers
        if (same_person(name, _as_name(row)) if name.person else False)
        or (not name.person and not row["person"] and row["surname"] == name.surname)
    ]
    # A given name that agrees beats a bare surname; then the most mentioned.
    candidates.sort(
        key=lambda row: (
            bool(row["given"]) and row["given"] == name.given,
            row["mentions"] or 0,
        ),
        reverse=True,
    )
    return candidates[0] if candidates else None


def _parse_all(rows: list[dict[str, Any]]) -> list[tuple[str, SpeakerName | None]]:
    """Each distinct speaker string with what it names, in the rows' order, parsed
    in its first row's language: one spaCy pass per language."""
    language_of: dict[str, str | None] = {}
    for row in rows:
        language_of.setdefault(row["speaker"], row["language"])
    names: dict[str, SpeakerName | None] = {}
    for language in dict.fromkeys(language_of.values()):
        raws = [raw for raw, lang in language_of.items() if lang == language]
        names.update(zip(raws, parse_speakers(raws, _nlp_for(language)), strict=True))
    return [(raw, names[raw]) for raw in language_of]


def assign_speakers(db: Database, claim_ids: Sequence[str] | None = None) -> None:
    """Set claims.speaker_id for the given claims (all when None), and the counts.

    Each distinct speaker string is parsed once; a name that matches a stored
    speaker joins it (its aliases grow, its canonical name may become fuller),
    else a new speaker is stored. Speakers left with no mention are deleted.
    """
    where = "speaker is not null and trim(speaker) != ''"
    params: dict[str, Any] = {}
    if claim_ids is not None:
        where += " and id in (select value from json_each(:ids))"
        params["ids"] = json.dumps(list(claim_ids))
    rows = list(
        db.query(f"select distinct speaker, language from claims where {where}", params)
    )
    speakers = _stored_speakers(db)
    by_id = {row["id"]: row for row in speakers}
    resolved: dict[str, str] = {}
    for raw, name in _parse_all(rows):
        if name is None:
            continue
        match = _match(name, speakers)
        if match is None:
            match = {
                "id": speaker_id(name),
                "name": name.name,
                "aliases": "[]",
                "role": name.role,
                "person": int(name.person),
                "surname": name.surname,
                "given": name.given,
                "mentions": 0,
            }
            while match["id"] in by_id:  # same surname, other given name
                match["id"] = hashlib.sha1(match["id"].encode()).hexdigest()[:16]
            speakers.append(match)
            by_id[match["id"]] = match
        aliases = set(json.loads(match["aliases"])) | {raw}
        match["aliases"] = json.dumps(sorted(aliases), ensure_ascii=False)
        known = [name, _as_name(match)]
        match["name"] = canonical_name(known)
        match["given"] = max((n.given for n in known), key=len)
        match["role"] = match["role"] or name.role
        resolved[raw] = match["id"]
    if resolved:
        db.table("speakers").upsert_all(
            (by_id[i] for i in set(resolved.values())), pk="id"
        )
        for raw, sid in resolved.items():
            db.execute(
                f"update claims set speaker_id = :sid where speaker = :raw and {where}",
                {**params, "sid": sid, "raw": raw},
            )
    refresh_speaker_mentions(db)


def refresh_speaker_mentions(db: Database) -> None:
    """Recount speakers.mentions from claims; delete speakers no claim names."""
    db.execute(
        """
        update speakers set mentions = (
            select count(*) from claims where claims.speaker_id = speakers.id
        )
        """
    )
    db.execute("delete from speakers where mentions = 0")


# Claims whose speaker_id names no stored speaker (a write with foreign keys off):
# claims.speaker_id is a foreign key from m010 on, so check counts them.
DANGLING_SPEAKERS_SQL = """
    select id from claims
    where speaker_id is not null and speaker_id not in (select id from speakers)"""


def repair_speakers(db: Database) -> int:
    """Give claims naming a missing speaker theirs again, from their speaker string.

    A claim whose string names nobody gets NULL. Returns how many were repaired.
    """
    dangling = [row[0] for row in db.execute(DANGLING_SPEAKERS_SQL).fetchall()]
    if dangling:
        db.execute(
            "update claims set speaker_id = null where id in "
            "(select value from json_each(:ids))",
            {"ids": json.dumps(dangling)},
        )
        assign_speakers(db, dangling)
    return len(dangling)
