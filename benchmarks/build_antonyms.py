"""Write claimtrack/decision/data/antonyms.json from WordNet's antonym pointers.

The pair model's polarity lists (text_features.POLARITY_CONCEPTS) were written from
the tuning pairs' errors; an antonym that no list holds ("expanded" against "narrowed",
"legal" against "illegal") let a flipped claim through as "same". WordNet 3.0 holds
some 7,000 direct antonym pairs (adjectives, verbs, nouns, adverbs); each becomes a
polarity concept whose two poles are the inflected forms of its two words, so that
"widened" against "narrowed" flips as "rose" against "fell" does. English only: no
French wordnet is in Debian or on PyPI with its data.

Usage (Debian's WordNet database; the shipped file was written with it):
    apt-get install wordnet-base
    .venv/bin/python benchmarks/build_antonyms.py [--wordnet /usr/share/wordnet]

WordNet 3.0 Copyright 2006 by Princeton University (the WordNet 3.0 licence permits
use and redistribution with its notice, which the JSON carries).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "claimtrack" / "decision" / "data"
POS = {"adj": "a", "verb": "v", "noun": "n", "adv": "r"}
# Words whose antonym reading is rare in claims, or that are function words in
# context ("in", "up to", "more than"): as poles they would flip restatements.
SKIP = frozenset(
    " ".join(
        (
            "in out on off up down over under before after here there more less",
            "most least first last all some many few much little same different",
            "one other yes no above below inside outside full empty start end",
            "begin finish come go give take front back top bottom present absent",
            "past future old young new have lack be do make get put set keep let",
            "show hide still middle service ever never late early work free moving",
        )
    ).split()
)
NOTICE = (
    "Antonym pairs from WordNet 3.0. WordNet 3.0 Copyright 2006 by Princeton "
    "University. All rights reserved. THIS SOFTWARE AND DATABASE IS PROVIDED "
    '"AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, '
    "EXPRESS OR IMPLIED."
)


def antonym_pairs(wordnet: Path) -> set[tuple[str, str, str]]:
    """(pos, word, antonym) of every lexical antonym pointer, single words only."""
    pairs: set[tuple[str, str, str]] = set()
    for name, pos in POS.items():
        words_of: dict[str, list[str]] = {}
        pointers: list[tuple[str, int, str, int]] = []
        for line in (
            (wordnet / f"data.{name}").read_text(encoding="latin-1").split("\n")
        ):
            if not line or line.startswith(" "):
                continue
            fields = line.split(" | ")[0].split()
            offset, count = fields[0], int(fields[3], 16)
            words = [fields[4 + 2 * n] for n in range(count)]
            # Adjective markers: "good(a)".
            words_of[offset] = [word.split("(")[0].lower() for word in words]
            at = 4 + 2 * count
            for n in range(int(fields[at])):
                symbol, target, _, source_target = fields[
                    at + 1 + 4 * n : at + 5 + 4 * n
                ]
                if symbol == "!":
                    pointers.append(
                        (
                            offset,
                            int(source_target[:2], 16),
                            target,
                            int(source_target[2:], 16),
                        )
                    )
        for offset, source, target, to in pointers:
            word = words_of[offset][source - 1]
            antonym = words_of[target][to - 1]
            if "_" in word + antonym or "-" in word + antonym:
                continue
            if len(word) < 3 or len(antonym) < 3 or {word, antonym} & SKIP:
                continue
            pairs.add((pos, *sorted((word, antonym))))
    return pairs


def exceptions(wordnet: Path, name: str) -> dict[str, set[str]]:
    """{lemma: irregular forms} from WordNet's morphology exception lists."""
    forms: dict[str, set[str]] = defaultdict(set)
    for line in (wordnet / f"{name}.exc").read_text(encoding="latin-1").splitlines():
        inflected, *lemmas = line.split()
        for lemma in lemmas:
            forms[lemma].add(inflected)
    return forms


def _suffix_s(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def inflections(word: str, pos: str, irregular: dict[str, set[str]]) -> set[str]:
    """The regular and irregular forms of a lemma (over-generating is harmless)."""
    forms = {word} | irregular.get(word, set())
    if pos == "v":
        forms.add(_suffix_s(word))
        stem = word[:-1] if word.endswith("e") and not word.endswith("ee") else word
        if word.endswith("y") and word[-2:-1] not in "aeiou":
            forms.add(word[:-1] + "ied")
        else:
            forms.add(word + "d" if word.endswith("e") else word + "ed")
        forms.add(stem + "ing")
        if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou":
            forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    elif pos == "n":
        forms.add(_suffix_s(word))
    elif pos == "a" and len(word) <= 6:
        base = word[:-1] if word.endswith("e") else word
        forms |= {base + "er", base + "est"}
    return forms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    args = parser.parse_args()
    irregular = {
        "v": exceptions(args.wordnet, "verb"),
        "n": exceptions(args.wordnet, "noun"),
        "a": exceptions(args.wordnet, "adj"),
        "r": exceptions(args.wordnet, "adv"),
    }
    concepts = []
    for pos, word, antonym in sorted(antonym_pairs(args.wordnet)):
        plus = inflections(word, pos, irregular[pos])
        minus = inflections(antonym, pos, irregular[pos])
        # A form both words share (rare: "lead" of lead/follow and of lead/...)
        # cannot tell the poles apart.
        plus, minus = plus - minus, minus - plus
        if plus and minus:
            concepts.append([sorted(plus), sorted(minus)])
    (OUT / "antonyms.json").write_text(
        json.dumps(
            {
                "source": "WordNet 3.0 antonym pointers",
                "notice": NOTICE,
                "concepts": concepts,
            },
            separators=(",", ":"),
        )
        + "\n"
    )
    print(f"{len(concepts)} antonym concepts written to {OUT / 'antonyms.json'}")


if __name__ == "__main__":
    main()
