"""Sort the gold claims of the tune halves that no predicted claim matches, by cause.

Recall on the news golds stalls below 0.90; this says why. For each gold claim the
evaluation (``claimtrack.evaluate.news_gold``) leaves unmatched, it looks at the
predicted claims whose span overlaps the gold claim's sentence and files the miss
under the first cause that fits:

- text lost: the gold sentence is not in the page text at all;
- sentence dropped: no predicted claim overlaps the sentence (a question, or a
  verbless fragment or misparse);
- merged, matched another: every overlapping claim matched another gold claim of
  the same sentence, so the sentence held more claims than the extractor made;
- merged, too long: the best claim holds >= 60% of the gold claim's words but the
  gold claim is under half of it (a clause that was not cut off);
- unresolved reference: the best claim opens with a pronoun or demonstrative ("That's
  a good framework"), which the gold replaces by what it points to;
- cut short: the best claim is mostly gold words but holds under half of them;
- rewritten: the gold paraphrases or infers (what is left).

The sort is by token overlap, so it is rough; ``--list CAUSE`` prints the misses of
one cause (a prefix) for reading. Only the tune half is read: the report half is
scored once, by the coordinator.

    python benchmarks/missed_gold_claims.py \
        benchmarks/data/news-gold.jsonl /work/shared/news-dev \
        benchmarks/data/news-gold-2.jsonl /tmp/news-dev-2 [--list merged]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from claimtrack.evaluate import news_gold
from claimtrack.evaluate.extraction import token_f1, tokens
from claimtrack.plugins import get_extractor
from claimtrack.settings import DEFAULT_EXTRACTOR

# First words of a claim whose subject points back to something the claim omits.
REFERRING = frozenset(
    {"it", "that", "this", "they", "he", "she", "we", "i", "you", "those", "these"}
    | {"its", "their", "his", "her"}
    | {"il", "elle", "ils", "elles", "ce", "cela", "ça", "c", "nous", "on", "je", "j"}
    | {"sa", "son", "ses", "leur", "leurs", "voilà"}
)
CAUSES = (
    "merged, matched another",
    "merged, too long",
    "rewritten",
    "unresolved reference",
    "cut short",
    "sentence dropped",
    "sentence dropped, question",
    "text lost",
)


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether a claim lies in a heading (the evaluation leaves those out too)."""
    return any(s <= start and end <= e for s, e in spans)


def misses(gold_path: Path, folder: Path) -> list[dict[str, Any]]:
    """The unmatched gold claims of the tune half, each with the overlapping claims."""
    gold = [g for g in news_gold.read_gold(gold_path) if g.split == "tune"]
    articles = news_gold.load_articles(folder, gold)
    extracted = get_extractor(DEFAULT_EXTRACTOR).extract_many(articles)
    found = []
    for item, article, claims in zip(gold, articles, extracted, strict=True):
        if not isinstance(claims, list):
            raise SystemExit(f"{item.id}: extraction failed: {claims}")
        spans = news_gold.locate(item, article.text)
        kept = [
            c for c in claims if not _inside(c.char_start, c.char_end, spans.headings)
        ]
        matches = news_gold.align(kept, item.claims, spans.sentences)
        matched = set(matches.values())
        for j, claim in enumerate(item.claims):
            if j in matched:
                continue
            sentence = spans.sentences[j]
            overlapping = [
                (kept[i].text, i in matches)
                for i in range(len(kept))
                if sentence
                and kept[i].char_start < sentence[1]
                and sentence[0] < kept[i].char_end
            ]
            found.append(
                {
                    "id": item.id,
                    "language": item.language,
                    "gold": claim.text,
                    "sentence": article.text[slice(*sentence)] if sentence else None,
                    "overlapping": overlapping,
                }
            )
    return found


def cause(miss: dict[str, Any]) -> str:
    """The first cause that fits one miss (see the module docstring)."""
    if miss["sentence"] is None:
        return "text lost"
    if not miss["overlapping"]:
        question = miss["sentence"].rstrip().endswith("?")
        return "sentence dropped, question" if question else "sentence dropped"
    if all(matched for _, matched in miss["overlapping"]):
        return "merged, matched another"
    best = max(
        (text for text, _ in miss["overlapping"]),
        key=lambda t: token_f1(t, miss["gold"]),
    )
    gold, predicted = set(tokens(miss["gold"])), tokens(best)
    shared = len(gold & set(predicted))
    recall, precision = shared / max(1, len(gold)), shared / max(1, len(set(predicted)))
    if recall >= 0.6 and precision < 0.5:
        return "merged, too long"
    if predicted and predicted[0] in REFERRING:
        return "unresolved reference"
    if precision >= 0.6 and recall < 0.5:
        return "cut short"
    return "rewritten"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="+", type=Path, help="GOLD FOLDER [GOLD FOLDER]")
    parser.add_argument("--list", dest="listed", help="print the misses of this cause")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        parser.error("give a folder after each gold")
    columns = []
    counts: Counter[tuple[str, str, str]] = Counter()
    for gold_path, folder in zip(args.pairs[::2], args.pairs[1::2], strict=True):
        for miss in misses(gold_path, folder):
            why = cause(miss)
            counts[gold_path.stem, miss["language"], why] += 1
            if args.listed and why.startswith(args.listed):
                best = max(
                    miss["overlapping"] or [("", False)], key=lambda o: len(o[0])
                )
                print(f"{gold_path.stem} {miss['id']} | {miss['gold']} || {best[0]}")
        columns += [(gold_path.stem, language) for language in ("en", "fr")]
    print(
        "| cause | " + " | ".join(f"{g} {lang}" for g, lang in columns) + " | total |"
    )
    print("|---" * (len(columns) + 2) + "|")
    for why in (*CAUSES, ""):
        row = [
            sum(
                n
                for (g, lang, c), n in counts.items()
                if (g, lang) == column and why in ("", c)
            )
            for column in columns
        ]
        label = why or "**total**"
        print(f"| {label} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")


if __name__ == "__main__":
    main()
