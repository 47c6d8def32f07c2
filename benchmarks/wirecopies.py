"""Wire-copy detection: precision and recall on reprints vs different articles.

Pairs are built from the example articles and, when given, the real articles of
news-dev (a JSONL file of claimtrack articles):

- copies: each article reprinted three times with the edits outlets make to an
  agency dispatch, drawn at random with a fixed seed: a new headline, an agency
  credit ("PARIS (AFP) -", "With Reuters"), the last paragraphs cut (up to 40 % of
  the words), sometimes a middle paragraph dropped, one to three typos fixed. Pairs:
  original-reprint, and reprint-reprint (two outlets printing the same dispatch).
- different articles: every pair of distinct originals, of which the pairs on one
  topic (hand-grouped ids below) are reported apart; and "shared quote" pairs: an
  article against another article into which one of its paragraphs was pasted
  (two stories quoting the same statement).

The originals are split in two halves by a hash of their id: thresholds are tuned on
the tuning half (``--sweep``) and the figures reported on the reporting half.
Detection is exactly the writer's: a shared LSH band key, then containment of the
shorter text's shingles >= ``COPY_CONTAINMENT``.

    python benchmarks/wirecopies.py [--news-dev ../shared/news-dev/articles.jsonl]
        [--sweep]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from itertools import combinations
from pathlib import Path

from claimtrack import wirecopy
from claimtrack.models import Article
from claimtrack.sources import read_articles

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"
REPRINTS_PER_ARTICLE = 3
# Different articles on one topic (examples: file stem; news-dev: id).
TOPICS = [
    (
        "russia-nuclear-ukraine",
        [
            "us-russia-nuclear-warning",
            "guerre-ukraine-menace-nucleaire",
            "us-warns-russia-nuclear",
            "fr_LeFigaro_V1",
            "en_GlobalNews_V1",
        ],
    ),
    ("gaza-israel", ["en_CBCNews_V1", "en_Reuters_V1_1"]),
    ("sweden", ["en_EuronewsEN_V1", "en_Metro_V1_1"]),
    ("venezuela", ["fr_EuronewsFR_V1_1", "en_EuronewsEN_V1_1"]),
    ("uk-politics", ["en_BBC_V1", "en_TheTelegraph_V1_1"]),
    ("us-politics", ["en_APNews_V1_1", "en_WashingtonTimes_V1", "en_FoxNews_V1"]),
    ("economy", ["en_FinancialPost_V1", "en_APNews_V1", "fr_LesEchos_V1"]),
]
CREDITS = {
    "fr": ["PARIS (AFP) - ", "(AFP) - ", "Avec AFP", "Par Le Figaro avec AFP"],
    "en": ["LONDON (Reuters) - ", "(AP) - ", "With Reuters", "Agence France-Presse"],
}


def load_originals(news_dev: Path | None) -> list[Article]:
    articles = [
        a.model_copy(update={"id": Path(a.source or a.id).stem.split(".")[0]})
        for a in read_articles([EXAMPLES])
    ]
    if news_dev:
        articles += list(read_articles([news_dev]))
    return articles


def reprint(article: Article, rng: random.Random, number: int) -> Article:
    """Return the article as another outlet prints an agency dispatch."""
    paragraphs = [p for p in article.text.split("\n\n") if p.strip()]
    # The first paragraph is the headline; the reprint gets a new one.
    body = paragraphs[1:] or [paragraphs[0]]
    language = article.language if article.language in CREDITS else "en"
    # A new headline: the opening words of a body sentence, as desks rewrite them.
    source_sentence = rng.choice(body).split(". ")[0].split()
    headline = " ".join(source_sentence[: rng.randint(6, 11)]).rstrip(",;:")
    # Cut the last paragraphs, keeping at least 60 % of the words.
    total = sum(len(p.split()) for p in body)
    while len(body) > 1 and rng.random() < 0.7:
        if sum(len(p.split()) for p in body[:-1]) < 0.6 * total:
            break
        body = body[:-1]
    if len(body) > 3 and rng.random() < 0.3:
        del body[rng.randrange(1, len(body) - 1)]
    credit = rng.choice(CREDITS[language])
    if credit.endswith("- "):
        body[0] = credit + body[0]
    else:
        body.append(credit)
    text = "\n\n".join([headline, *body])
    for _ in range(rng.randint(1, 3)):
        text = _fix_typo(text, rng)
    return Article(
        id=f"{article.id}~reprint{number}",
        text=text,
        language=article.language,
        outlet=f"Outlet {number}",
    )


def _fix_typo(text: str, rng: random.Random) -> str:
    """Swap two letters inside one long word (a typo made, or one fixed)."""
    tokens = text.split(" ")
    long_words = [i for i, t in enumerate(tokens) if len(t) >= 6 and t.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    word = tokens[i]
    k = rng.randrange(1, len(word) - 2)
    tokens[i] = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
    return " ".join(tokens)


def with_pasted_paragraph(
    host: Article, quoted: Article, rng: random.Random
) -> Article:
    """host with one paragraph of quoted pasted in: two stories, one statement."""
    paragraphs = [p for p in quoted.text.split("\n\n")[1:] if p.strip()]
    words = len(quoted.text.split())
    short = [p for p in paragraphs if len(p.split()) <= 0.25 * words] or paragraphs
    pasted = rng.choice(short)
    host_paragraphs = host.text.split("\n\n")
    host_paragraphs.insert(rng.randrange(1, len(host_paragraphs) + 1), pasted)
    return Article(
        id=f"{host.id}~quotes~{quoted.id}",
        text="\n\n".join(host_paragraphs),
        language=host.language,
    )


def half_of(article_id: str) -> str:
    digest = hashlib.sha256(article_id.encode()).digest()[0]
    return "tuning" if digest % 2 == 0 else "reporting"


def topic_of(article_id: str) -> str | None:
    for topic, prefixes in TOPICS:
        if article_id in prefixes:
            return topic
    return None


def build_pairs(
    originals: list[Article],
) -> list[tuple[str, str, Article, Article, bool]]:
    """Return (half, kind, a, b, is_copy) for every pair."""
    rng = random.Random(17)
    pairs = []
    for original in originals:
        half = half_of(original.id)
        reprints = [
            reprint(original, rng, n) for n in range(1, REPRINTS_PER_ARTICLE + 1)
        ]
        for copy in reprints:
            pairs.append((half, "original-reprint", original, copy, True))
        pairs.append((half, "reprint-reprint", reprints[0], reprints[1], True))
    for a, b in combinations(originals, 2):
        if half_of(a.id) != half_of(b.id):
            continue
        same_topic = topic_of(a.id) is not None and topic_of(a.id) == topic_of(b.id)
        kind = "same-topic" if same_topic else "different"
        pairs.append((half_of(a.id), kind, a, b, False))
    for a in originals:
        others = [
            b for b in originals if b.id != a.id and half_of(b.id) == half_of(a.id)
        ]
        host = rng.choice(others)
        pairs.append(
            (
                half_of(a.id),
                "shared-quote",
                a,
                with_pasted_paragraph(host, a, rng),
                False,
            )
        )
    return pairs


def scores(
    pairs: list[tuple[str, str, Article, Article, bool]],
) -> list[tuple[str, str, bool, bool, float]]:
    """(half, kind, is_copy, shares_a_band, containment) per pair."""
    cache: dict[str, wirecopy.Fingerprint | None] = {}

    def fp(article: Article) -> wirecopy.Fingerprint | None:
        if article.id not in cache:
            cache[article.id] = wirecopy.fingerprint(article)
        return cache[article.id]

    rows = []
    for half, kind, a, b, is_copy in pairs:
        fa, fb = fp(a), fp(b)
        if fa is None or fb is None:
            rows.append((half, kind, is_copy, False, 0.0))
            continue
        shares = bool(set(fa.band_keys) & set(fb.band_keys))
        rows.append((half, kind, is_copy, shares, wirecopy.containment(fa, fb)))
    return rows


def precision_recall(
    rows: list[tuple[str, str, bool, bool, float]], half: str, threshold: float
) -> dict[str, float | int]:
    chosen = [r for r in rows if r[0] == half]
    predicted = [r for r in chosen if r[3] and r[4] >= threshold]
    tp = sum(r[2] for r in predicted)
    fp = len(predicted) - tp
    positives = sum(r[2] for r in chosen)
    return {
        "pairs": len(chosen),
        "copies": positives,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": positives - tp,
        "precision": round(tp / len(predicted), 4) if predicted else 1.0,
        "recall": round(tp / positives, 4) if positives else 1.0,
        "same_topic_pairs": sum(r[1] == "same-topic" for r in chosen),
        "same_topic_false_positives": sum(r[1] == "same-topic" for r in predicted),
        "shared_quote_false_positives": sum(r[1] == "shared-quote" for r in predicted),
        # The margin: how close the hardest pairs of each class came to the threshold.
        "lowest_copy_containment": round(
            min((r[4] for r in chosen if r[2]), default=0), 3
        ),
        "highest_other_containment": round(
            max((r[4] for r in chosen if not r[2]), default=0), 3
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news-dev", type=Path)
    parser.add_argument("--sweep", action="store_true", help="thresholds on tuning")
    options = parser.parse_args()
    originals = load_originals(options.news_dev)
    pairs = build_pairs(originals)
    started = time.perf_counter()
    rows = scores(pairs)
    seconds = time.perf_counter() - started
    if options.sweep:
        for step in range(30, 95, 5):
            threshold = step / 100
            figures = precision_recall(rows, "tuning", threshold)
            print(
                f"containment >= {threshold:.2f}: precision {figures['precision']}, "
                f"recall {figures['recall']}",
                file=sys.stderr,
            )
    report = {
        half: precision_recall(rows, half, wirecopy.COPY_CONTAINMENT)
        for half in ("tuning", "reporting")
    }
    missed = [
        (kind, round(c, 3), shares)
        for half, kind, is_copy, shares, c in rows
        if half == "reporting"
        and is_copy
        and not (shares and c >= wirecopy.COPY_CONTAINMENT)
    ]
    figures = {
        "originals": len(originals),
        "pairs": len(pairs),
        "num_perm": wirecopy.NUM_PERM,
        "candidate_jaccard": wirecopy.CANDIDATE_JACCARD,
        "copy_containment": wirecopy.COPY_CONTAINMENT,
        "fingerprint_and_score_ms_per_pair": round(1000 * seconds / len(pairs), 3),
        **report,
        "reporting_misses": missed,
    }
    print(json.dumps(figures, indent=1))
    reporting = report["reporting"]
    print(
        f"reporting half: precision {reporting['precision']}, "
        f"recall {reporting['recall']} on {reporting['pairs']} pairs",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
