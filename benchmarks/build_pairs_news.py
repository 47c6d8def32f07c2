"""Build the topic-dense claim pair set from benchmarks/data/pairs-news.source.txt.

Usage:
    python benchmarks/build_pairs_news.py [--set pairs-news-2|pairs-news-3]

Writes benchmarks/data/SET.tune.jsonl and SET.report.jsonl from SET.source.txt (SET is
``pairs-news`` unless told), split by source article (each article's split is written
in the source). PAIRS.md says how the claims and variants were written.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
LABELS = {
    "paraphrase": "same",
    "translation": "same",
    "number": "different",
    "date": "different",
    "place": "different",
    "actor": "different",
    "hedge": "different",
    "requote": "different",
    "related": "different",
    "negation": "opposite",
    "antonym": "opposite",
}
_VARIANT = re.compile(r"^  (\w+)(?: (fr|en))?(?: @([^|]+?))? \| (.+)$")
_CLAIM = re.compile(r"^C (?:@([^|]+?) \| )?(.+)$")


@dataclass
class Text:
    text: str
    language: str
    speaker: str | None = None


@dataclass
class Claim:
    base: Text
    variants: list[tuple[str, Text]] = field(default_factory=list)


@dataclass
class Article:
    article_id: str
    language: str
    split: str
    claims: list[Claim] = field(default_factory=list)


def parse(path: Path) -> list[Article]:
    articles: list[Article] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@ "):
            article_id, language, split = line[2:].split()
            articles.append(Article(article_id, language, split))
        elif match := _CLAIM.match(line):
            speaker, text = match.groups()
            articles[-1].claims.append(
                Claim(Text(text, articles[-1].language, speaker))
            )
        elif match := _VARIANT.match(line):
            kind, language, speaker, text = match.groups()
            if kind not in LABELS:
                raise SystemExit(f"{path}:{number}: unknown kind {kind!r}")
            claim = articles[-1].claims[-1]
            variant = Text(text, language or articles[-1].language, speaker)
            claim.variants.append((kind, variant))
        else:
            raise SystemExit(f"{path}:{number}: cannot parse {line!r}")
    return articles


def _row(
    article: Article, a: Text, b: Text, label: str, kind: str
) -> dict[str, object]:
    return {
        "a": a.text,
        "b": b.text,
        "label": label,
        "kind": kind,
        "lang_a": a.language,
        "lang_b": b.language,
        "speaker_a": a.speaker,
        "speaker_b": b.speaker,
        "quote_type_a": "direct" if a.speaker else "none",
        "quote_type_b": "direct" if b.speaker else "none",
        "article": article.article_id,
    }


def pairs_of(article: Article) -> list[dict[str, object]]:
    """Every pair an article gives, with its label and kind."""
    rows = []
    for claim in article.claims:
        translations = [text for kind, text in claim.variants if kind == "translation"]
        for kind, variant in claim.variants:
            rows.append(_row(article, claim.base, variant, LABELS[kind], kind))
            # The translation states the base claim, so it relates to every other
            # variant as the base does: cross-lingual changed numbers, negations...
            if kind != "translation":
                for translation in translations:
                    rows.append(
                        _row(
                            article,
                            translation,
                            variant,
                            LABELS[kind],
                            f"{kind}-translated",
                        )
                    )
    # Claims of one article are different claims on one topic, in either language.
    for first, second in itertools.combinations(article.claims, 2):
        rows.append(_row(article, first.base, second.base, "different", "same-article"))
        for kind, variant in second.variants:
            if kind == "translation":
                rows.append(
                    _row(
                        article,
                        first.base,
                        variant,
                        "different",
                        "same-article-translated",
                    )
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--set",
        default="pairs-news",
        help="pair set: pairs-news, pairs-news-2 or pairs-news-3",
    )
    name = parser.parse_args().set
    source = DATA / f"{name}.source.txt"
    if not source.is_file():
        raise SystemExit(f"no pair source {source}")
    articles = parse(source)
    by_split: dict[str, list[dict[str, object]]] = {"tune": [], "report": []}
    for article in articles:
        by_split[article.split].extend(pairs_of(article))
    for split, rows in by_split.items():
        path = DATA / f"{name}.{split}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for index, row in enumerate(rows):
                row = {"id": f"{split}-{index:04d}", **row}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        labels = {
            label: sum(r["label"] == label for r in rows) for label in LABELS.values()
        }
        print(f"{path.name}: {len(rows)} pairs {labels}")


if __name__ == "__main__":
    main()
