"""Find the countries a text names, one key per country in French and English.

"Allemagne" and "Germany", "Pékin" and "China's government", "les forces russes" and
"Russian forces" get one key each ("@DE", "@CN", "@RU"), so that a translation keeps
its places and a substitution (Iran for Iraq, Austria for Australia, which a
letter-by-letter comparison takes for one name) is seen. The table
(``data/place-names.json``) is written by ``benchmarks/build_place_names.py`` from
the Unicode CLDR's country names and a short list of demonyms and capitals.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from claimtrack.decision.text_features import fold

_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
# The longest names in the table have four words ("Bosnie Herzégovine", "Saint
# Vincent et les Grenadines" is longer but never decides a claim).
_LONGEST = 4


@dataclass(frozen=True)
class _Table:
    phrases: dict[str, str]
    any_case: frozenset[str]
    abbreviations: dict[str, str]
    first_words: frozenset[str]  # most words start no name: skip them at once


@cache
def _table() -> _Table:
    raw = json.loads(
        resources.files("claimtrack.decision")
        .joinpath("data/place-names.json")
        .read_text(encoding="utf-8")
    )
    return _Table(
        phrases={str(k): str(v) for k, v in raw["phrases"].items()},
        any_case=frozenset(raw["any_case"]),
        abbreviations={str(k): str(v) for k, v in raw["abbreviations"].items()},
        first_words=frozenset(str(k).split()[0] for k in raw["phrases"]),
    )


@lru_cache(maxsize=65536)
def places_in(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Return the country keys a text names and the folded words that name them.

    A country's or a city's name counts when capitalised ("Vienne", not the verb
    "vienne"); a demonym in any case ("les forces russes"); "US" and "UK" only in
    capitals.

    Example:
        >>> places_in("Les États-Unis et la Corée du Nord")[0] == places_in(
        ...     "The US and North Korea")[0]
        True
        >>> sorted(places_in("Iran")[0]), sorted(places_in("Irak")[0])
        (['@IR'], ['@IQ'])
    """
    table = _table()
    tokens = _TOKEN.findall(text.replace("’", "'"))
    folded = [fold(token) for token in tokens]
    keys: set[str] = set()
    consumed: set[str] = set()
    n = 0
    while n < len(tokens):
        if tokens[n] in table.abbreviations:
            keys.add("@" + table.abbreviations[tokens[n]])
            consumed.add(folded[n])
            n += 1
            continue
        if folded[n] not in table.first_words:
            n += 1
            continue
        for size in range(min(_LONGEST, len(tokens) - n), 0, -1):
            phrase = " ".join(folded[n : n + size])
            code = table.phrases.get(phrase)
            if code and (tokens[n][:1].isupper() or phrase in table.any_case):
                keys.add("@" + code)
                consumed.update(folded[n : n + size])
                n += size
                break
        else:
            n += 1
    return frozenset(keys), frozenset(consumed)


def is_demonym(word: str) -> bool:
    """Whether a word is a demonym ("Indian", "russes"), which names no actor alone."""
    return fold(word) in _table().any_case
