"""Words that open a claim's sentence but are no part of the claim.

A claim is read alone, far from the sentence before it, so what ties it to that
sentence or to the act of speaking goes: connectives ("However,", "Cependant,",
"But", "Et"), the fillers of spoken answers ("Well,", "Look,", "You know,",
"Écoutez,", "Bon,") and the square brackets of an editor's insertion ("[And] we
need peace", "[il] a dit"). The claim's offsets still point at the source span; only
its text changes.
"""

from __future__ import annotations

import re

# Openers that need their comma: "Still, the jump …" but "Still waters …"; "Now,
# the company …" but "Now is the time …".
_WITH_COMMA = (
    "but|and|mais|et|well|look|listen|see|so|now|okay|ok|oh|yes|yeah|no|sure|honestly|frankly|"
    "you know|i mean|however|still|yet|nevertheless|nonetheless|moreover|"
    "furthermore|meanwhile|besides|indeed|in fact|of course|instead|in addition|"
    "additionally|as a result|therefore|thus|then|after all|anyway|actually|"
    "in other words|bon|eh bien|ben|écoutez|écoute|vous savez|tu sais|franchement|"
    "honnêtement|enfin|bref|voilà|oui|non|alors|donc|cependant|pourtant|toutefois|"
    "néanmoins|par ailleurs|en outre|de plus|en fait|d'ailleurs|d’ailleurs|"
    "en effet|ainsi|en conséquence|par conséquent|or|certes|bien sûr|du coup|"
    "en revanche|par contre|de fait|aussi|puis|ensuite"
)
# Conjunctions that open a sentence without a comma: "But Royal Bank …", "Et puis
# il y a …". "So" only before a clause, not in "So far" or "So many".
_BARE = r"and|but|mais|et puis|et|so(?!\s+(?:far|much|many|long|few|little)\b)"
_OPENER = re.compile(
    rf"(?P<marks>[«“„\"'\s]*)(?:(?:{_WITH_COMMA})\s*,|(?:{_BARE})\b(?!\s*[,.;:]))\s+",
    re.IGNORECASE,
)
# An editor's insertion in a quote keeps its words, not its brackets; "[sic]" and
# "[…]" go whole.
_EDITORIAL = re.compile(r"\s*\[(?:sic|…|\.\.\.)\]|[\[\]]", re.IGNORECASE)
# Fewer words than this after the opener and it stays: "So far, so good".
_MIN_WORDS_LEFT = 3


def drop_opener(text: str) -> str:
    """Return the claim text without its editorial brackets and leading openers.

    At most two openers go ("But, well, …"); what is left must keep at least three
    words, and its first letter is made a capital.
    """
    text = _EDITORIAL.sub("", text)
    for _ in range(2):
        match = _OPENER.match(text)
        if match is None:
            break
        rest = text[match.end() :]
        if len(rest.split()) < _MIN_WORDS_LEFT:
            break
        text = match.group("marks") + rest[:1].upper() + rest[1:]
    return text
