"""Read numbers written in words, in French and English: "vingt-cinq", "two million".

A translation writes "2 millions" where the original has "two million", and "un tiers"
where it has "a third": the pair model must see one value on both sides, or the number
guard calls a translation another claim, and a changed spelled-out number ("three
hundred" against "trois mille") must count as a changed number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

# Units and tens: the words a spelled number is built from. "un"/"one"/"a" count only
# inside a number ("vingt et un", "one hundred", "un million"): alone they are articles.
_SMALL = {
    **dict.fromkeys(("zero", "zéro"), 0),
    **dict.fromkeys(("one", "un", "une"), 1),
    **dict.fromkeys(("two", "deux"), 2),
    **dict.fromkeys(("three", "trois"), 3),
    **dict.fromkeys(("four", "quatre"), 4),
    **dict.fromkeys(("five", "cinq"), 5),
    **dict.fromkeys(("six",), 6),
    **dict.fromkeys(("seven", "sept"), 7),
    **dict.fromkeys(("eight", "huit"), 8),
    **dict.fromkeys(("nine", "neuf"), 9),
    **dict.fromkeys(("ten", "dix"), 10),
    **dict.fromkeys(("eleven", "onze"), 11),
    **dict.fromkeys(("twelve", "douze"), 12),
    **dict.fromkeys(("thirteen", "treize"), 13),
    **dict.fromkeys(("fourteen", "quatorze"), 14),
    **dict.fromkeys(("fifteen", "quinze"), 15),
    **dict.fromkeys(("sixteen", "seize"), 16),
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    **dict.fromkeys(("twenty", "vingt", "vingts"), 20),
    **dict.fromkeys(("thirty", "trente"), 30),
    **dict.fromkeys(("forty", "quarante"), 40),
    **dict.fromkeys(("fifty", "cinquante"), 50),
    **dict.fromkeys(("sixty", "soixante"), 60),
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_HUNDRED = frozenset(("hundred", "cent", "cents"))
_THOUSAND = frozenset(("thousand", "mille"))
_SCALES = {
    **dict.fromkeys(("million", "millions"), 1e6),
    **dict.fromkeys(("billion", "billions", "milliard", "milliards"), 1e9),
    **dict.fromkeys(("trillion", "trillions"), 1e12),
}
# Words that join the parts of one number: "vingt et un", "one hundred and five".
_GLUE = frozenset(("et", "and"))
_ARTICLES = frozenset(("un", "une", "one", "a"))
# Fractions. "tiers"/"quart" are always fractions in French; English "third" and
# "quarter" are ordinals or periods ("the third victim", "the second quarter") unless
# a count stands before them ("a third of", "two thirds"), and plurals are fractions.
_FRACTIONS = {
    **dict.fromkeys(("half", "halves", "moitié", "moitie"), 1 / 2),
    **dict.fromkeys(("tiers", "thirds"), 1 / 3),
    **dict.fromkeys(("quart", "quarts", "quarters"), 1 / 4),
}
_COUNTED_FRACTIONS = {"third": 1 / 3, "quarter": 1 / 4}
# A dozen is twelve. Vague quantities ("hundreds", "des milliers", "millions of
# jobs") are not numbers: fact-checks restate "millions" as "$25 million".
_DOZEN = frozenset(("dozen", "douzaine"))
# French rounds a count with "-aine" after an article: "une trentaine de collègues" is
# about 30, as English writes "some 30"; the plural ("des centaines") stays vague.
_ABOUT = {
    "dizaine": 10.0,
    "quinzaine": 15.0,
    "vingtaine": 20.0,
    "trentaine": 30.0,
    "quarantaine": 40.0,
    "cinquantaine": 50.0,
    "soixantaine": 60.0,
    "centaine": 100.0,
}
# Spans of years counted once: "a decade" is ten years, "half a century" fifty.
_SPANS = {
    **dict.fromkeys(("decade", "décennie", "decennie"), 10.0),
    **dict.fromkeys(("century", "siècle", "siecle"), 100.0),
    **dict.fromkeys(("dozen", "douzaine"), 12.0),
}
# Ordinals: "the sixth victim" is not "the fourth". "first"/"premier" are left out
# ("for the first time", "Premier ministre"), and "second" is also a unit of time.
_ORDINALS = {
    **dict.fromkeys(("third", "troisième", "troisieme"), 3.0),
    **dict.fromkeys(("fourth", "quatrième", "quatrieme"), 4.0),
    **dict.fromkeys(("fifth", "cinquième", "cinquieme"), 5.0),
    **dict.fromkeys(("sixth", "sixième", "sixieme"), 6.0),
    **dict.fromkeys(("seventh", "septième", "septieme"), 7.0),
    **dict.fromkeys(("eighth", "huitième", "huitieme"), 8.0),
    **dict.fromkeys(("ninth", "neuvième", "neuvieme"), 9.0),
    **dict.fromkeys(("tenth", "dixième", "dixieme"), 10.0),
}
# Multiples: "twice as many" is 2 ("deux fois plus" is read as "deux").
_MULTIPLES = {
    **dict.fromkeys(("twice", "twofold"), 2.0),
    **dict.fromkeys(("thrice", "threefold", "triple"), 3.0),
    "fourfold": 4.0,
    "fivefold": 5.0,
    "tenfold": 10.0,
    "hundredfold": 100.0,
    "thousandfold": 1000.0,
}
# "two out of three", "deux sur trois", "one in ten": one value, the share.
_OUT_OF = (("out", "of", "every"), ("out", "of"), ("sur",), ("in",))
# Spans counted in the plural: "two decades" is twenty years, as "20 years" says.
_PLURAL_SPANS = {
    **dict.fromkeys(("decades", "décennies", "decennies"), 10.0),
    **dict.fromkeys(("centuries", "siècles", "siecles"), 100.0),
}
# "pour cent" and "per cent" are a unit, not a hundred.
_PERCENT_BEFORE = frozenset(("pour", "per"))
_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)?", re.UNICODE)


def _tokens(text: str) -> list[str]:
    """Lowercased words, hyphenated numbers split ("vingt-cinq" -> vingt, cinq)."""
    return [token.casefold() for token in _TOKEN.findall(text.replace("-", " "))]


def _value(run: Sequence[str]) -> float:
    """The value of a run of number words: "quatre vingt dix" -> 90."""
    total, current, previous = 0.0, 0.0, ""
    for word in run:
        if word in _SMALL:
            small = _SMALL[word]
            # French multiplies: quatre-vingts is 4 x 20.
            current = (
                current - 4 + 80
                if small == 20 and previous == "quatre"
                else (current + small)
            )
        elif word in _HUNDRED:
            current = max(current, 1) * 100
        elif word in _THOUSAND:
            total += max(current, 1) * 1000
            current = 0
        elif word in _SCALES:
            total = (total + max(current, 1)) * _SCALES[word]
            current = 0
        previous = word
    return total + current


def _is_number_word(word: str) -> bool:
    return word in _SMALL or word in _HUNDRED or word in _THOUSAND or word in _SCALES


@lru_cache(maxsize=65536)  # numbers_in and facts_of both ask
def spelled_numbers(text: str) -> frozenset[float]:
    """The values written in words, in French or English.

    A fraction also stands for its percentage (a half is 50 %). A scale word after
    digits ("2 millions") belongs to the digits and is left out here.

    Example:
        >>> sorted(spelled_numbers("vingt-cinq soldats et deux millions d'euros"))
        [25.0, 2000000.0]
        >>> spelled_numbers("two thirds of voters") == spelled_numbers(
        ...     "les deux tiers des électeurs")
        True
        >>> sorted(spelled_numbers("un homme a vu la troisième vague"))
        [3.0]
    """
    tokens = _tokens(text)
    found: set[float] = set()
    n = 0
    while n < len(tokens):
        if _starts_number(tokens, n):
            end, run = _run(tokens, n)
            fraction = _fraction_at(tokens, end)
            share = _share_at(tokens, end)
            if share is not None:
                of, end = share
                count = _value(run)
                found.update((count / of, count / of * 100))
                n = end
                continue
            if _half_after(tokens, end, run):
                # "one and a half billion", "un milliard et demi": the count and a half.
                end, value = _with_half(tokens, end, run)
                found.add(value)
                n = end
                continue
            if fraction is not None:
                count = _value(run)
                found.update((count * fraction, count * fraction * 100))
                end += 1
            elif end < len(tokens) and tokens[end] in _PLURAL_SPANS:
                found.add(_value(run) * _PLURAL_SPANS[tokens[end]])
                end += 1
            elif _counted(tokens, n, run):
                found.add(_value(run))
            n = end
            continue
        half = _half_of(tokens, n)
        if half is not None:
            found.add(half)
            n += 3
            continue
        found.update(_lone_word_values(tokens, n))
        n += 1
    return frozenset(round(value, 6) for value in found)


def _starts_number(tokens: Sequence[str], at: int) -> bool:
    word = tokens[at]
    if not _is_number_word(word) or (at and tokens[at - 1][:1].isdigit()):
        return False
    return not (word in _HUNDRED and at and tokens[at - 1] in _PERCENT_BEFORE)


def _counted(tokens: Sequence[str], start: int, run: Sequence[str]) -> bool:
    """Whether a run of number words says how many: not "un" alone (an article), not
    "millions" alone (vague), but "a million" and "deux millions"."""
    if len(run) > 1:
        return True
    word = run[0]
    if word in _ARTICLES:
        return False
    return word not in _SCALES or (start > 0 and tokens[start - 1] in _ARTICLES)


def _run(tokens: Sequence[str], start: int) -> tuple[int, list[str]]:
    """Where the number starting at ``start`` ends, and its words."""
    run: list[str] = []
    end = start
    while end < len(tokens):
        word = tokens[end]
        if _is_number_word(word):
            run.append(word)
        elif not (
            word in _GLUE
            and run
            and end + 1 < len(tokens)
            and tokens[end + 1] in _SMALL
            # "vingt et un", "one hundred and five"; not "two and three".
            and (_SMALL.get(run[-1], 100) >= 20)
        ):
            break
        end += 1
    return end, run


def _share_at(tokens: Sequence[str], at: int) -> tuple[float, int] | None:
    """The "three" of "two out of (every) three" starting at ``at``, and the end."""
    for words in _OUT_OF:
        after = at + len(words)
        if tuple(tokens[at:after]) == words and after < len(tokens):
            end, run = _run(tokens, after)
            if run and _value(run):
                return _value(run), end
    return None


def _half_after(tokens: Sequence[str], at: int, run: Sequence[str]) -> bool:
    english = tuple(tokens[at : at + 3]) == ("and", "a", "half")
    french = tuple(tokens[at : at + 1]) in {("et",)} and tokens[at + 1 : at + 2] in (
        ["demi"],
        ["demie"],
    )
    return bool(run) and (english or french)


def _with_half(tokens: Sequence[str], at: int, run: Sequence[str]) -> tuple[int, float]:
    end = at + (3 if tokens[at] == "and" else 2)
    value = _value(run)
    last = run[-1]
    if last in _SCALES:  # "un milliard et demi": half of the scale
        return end, value + _SCALES[last] / 2
    value += 0.5
    if end < len(tokens) and tokens[end] in _SCALES:  # "one and a half billion"
        return end + 1, value * _SCALES[tokens[end]]
    return end, value


def _half_of(tokens: Sequence[str], at: int) -> float | None:
    """ "half a decade" is five years, "half a million" 500,000."""
    if tokens[at] != "half" or tokens[at + 1 : at + 2] not in (["a"], ["an"]):
        return None
    span = tokens[at + 2] if at + 2 < len(tokens) else ""
    whole = _SPANS.get(span, _SCALES.get(span))
    return None if whole is None else whole / 2


def _lone_word_values(tokens: Sequence[str], at: int) -> tuple[float, ...]:
    word = tokens[at]
    after_article = bool(at) and tokens[at - 1] in _ARTICLES
    if word in _SPANS and after_article and word not in _DOZEN:
        return (_SPANS[word],)  # "a decade ago": ten years
    if word in _ABOUT and after_article:
        return (_ABOUT[word],)
    if word in _COUNTED_FRACTIONS and after_article:
        fraction = _COUNTED_FRACTIONS[word]
        return (fraction, fraction * 100)
    if word in _FRACTIONS:
        return (_FRACTIONS[word], _FRACTIONS[word] * 100)
    if word in _DOZEN and after_article:
        return (12.0,)
    for table in (_ORDINALS, _MULTIPLES):
        if word in table:
            return (table[word],)
    return ()


def _fraction_at(tokens: Sequence[str], at: int) -> float | None:
    if at >= len(tokens):
        return None
    word = tokens[at]
    return _FRACTIONS.get(word, _COUNTED_FRACTIONS.get(word))
