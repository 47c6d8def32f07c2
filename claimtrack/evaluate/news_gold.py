"""Score extraction on real news against the project's own gold (news-gold JSONL).

The gold (``benchmarks/data/news-gold.jsonl``, described in ``NEWS-GOLD.md``) lists,
per article, the claims a fact-checker would list (paraphrased), each with its speaker,
quote type, check-worthiness and the offsets of its source sentence, plus the spans of
headings and page boilerplate. The articles are read from a folder (``articles.jsonl``
and ``html/``) as ``claimtrack ingest`` reads them, and the real extractor runs on them.

**Alignment rule.** A predicted claim and a gold claim are candidates when the
predicted claim's span overlaps the gold claim's source sentence. Candidates are paired
one to one, greedily, best token F1 first (lower-cased word tokens of the predicted
claim text and of the gold paraphrase); a pair with token F1 >= 0.5 is a match.

* recall = matched gold claims / gold claims;
* precision = matched predicted claims / predicted claims; **strict precision** counts a
  match only when the predicted claim is also single and whole: it does not cross a line
  break, does not join a heading, and does not contain most (>= 70% of the tokens) of
  another gold claim whose sentence it overlaps;
* predicted claims lying wholly inside a heading are left out of every figure (a title
  is neither a wrong nor a right claim) and counted as ``heading_claims``.

**Speaker rule** (on matched claims). Names are reduced to word tokens: case and
accents folded, possessive 's, determiners and honorifics (the, le, la, Mr, M., Mme…)
dropped. A predicted speaker agrees with the gold speaker, or with one of its aliases
(the other ways the article names the same speaker: "le ministre russe de la Défense"
for "Andreï Belooussov"), when it contains all of that name's tokens ("Jagannath
Niroula, a CAAN spokesperson" for "Niroula"), or at least half of them and nothing
else ("Niroula" for "Jagannath Niroula", not "Sweden" for "Sweden's Minister of
Justice"). For the journalist's own statements the predicted speaker must be the outlet
or empty (the outlet as annotated or as the reader names it now). A predicted ``mixed``
quote counts as ``indirect``.

**Check-worthiness** is scored per article: the predicted claims (headings left out)
ranked by ``checkworthiness``, a claim relevant when it matches a check-worthy gold
claim; the figure is the mean of the articles' average precisions, beside the mean share
of relevant claims (the expected average precision of a random order).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from claimtrack.errors import ArticleError
from claimtrack.evaluate.checkworthiness import average_precision
from claimtrack.evaluate.extraction import token_f1, tokens
from claimtrack.extract import Extractor
from claimtrack.extract.decontext import impersonal
from claimtrack.models import Article, Claim
from claimtrack.sources import read_articles

Split = Literal["tune", "report", "all"]
MATCH_THRESHOLD = 0.5
# A predicted claim holding this share of another gold claim's tokens merges two claims.
MERGE_THRESHOLD = 0.7
# A predicted claim with at least this share of its span in boilerplate is boilerplate.
BOILERPLATE_SHARE = 0.5

# Page furniture that is boilerplate wherever it appears, whatever the gold marks.
BOILERPLATE_PATTERN = re.compile(
    r"\b(subscribe|sign up|newsletter|all rights reserved|copyright|read more|"
    r"related articles|advertisement|click here|follow us|getty images|"
    r"photo credit|lire aussi|à lire|abonnez|abonnement|inscrivez-vous|cliquez|"
    r"tous droits réservés|publicité|suivez-nous|faire un don)\b|©",
    re.IGNORECASE,
)
# Words dropped before speakers are compared: determiners, prepositions of names,
# honorifics. Roles ("spokesperson", "ministre") are kept; the subset rule copes.
_SPEAKER_STOPWORDS = (
    "the a an of s le la les l de du des d un une mr mrs ms dr sir m mme mlle"
)
SPEAKER_STOPWORDS = frozenset(_SPEAKER_STOPWORDS.split())
# Personal pronouns that leave a claim's subject unresolved ("on", "one": generic).
PRONOUNS: dict[str, frozenset[str]] = {
    "en": frozenset({"i", "you", "he", "she", "it", "we", "they"}),
    "fr": frozenset({"je", "j'", "tu", "il", "elle", "nous", "vous", "ils", "elles"}),
}
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "nsubj:pass"})


class GoldClaim(BaseModel, frozen=True):
    text: str
    speaker: str | None
    speaker_is_outlet: bool = False
    speaker_aliases: list[str] = []
    quote_type: Literal["direct", "indirect", "none"]
    checkworthy: bool
    sentence_start: int
    sentence_end: int
    sentence_sha256: str


class GoldArticle(BaseModel, frozen=True):
    id: str
    source: str
    language: str
    outlet: str | None = None
    sha256: str
    split: Literal["tune", "report"]
    headings: list[tuple[int, int, str]] = []
    boilerplate: list[tuple[int, int, str]] = []
    claims: list[GoldClaim]


def read_gold(path: Path) -> list[GoldArticle]:
    """Read a news-gold JSONL file.

    Raises:
        ArticleError: the file is missing or a line is not a news-gold article.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as error:
        raise ArticleError(f"No such file: {path}") from error
    articles = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            articles.append(GoldArticle.model_validate_json(line))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise ArticleError(
                f"{path}, line {number}: not a news-gold article ({where}: "
                f"{first['msg']}). See benchmarks/data/NEWS-GOLD.md for the format."
            ) from None
    return articles


def load_articles(folder: Path, gold: Sequence[GoldArticle]) -> list[Article]:
    """Read each gold article's text from the news-dev folder, as ingest reads it.

    Raises:
        ArticleError: a source named by the gold is not in the folder.
    """
    records: dict[str, Article] = {}
    jsonl = folder / "articles.jsonl"
    if any(item.source.startswith("articles.jsonl#") for item in gold):
        if not jsonl.exists():
            raise ArticleError(f"{jsonl}: not found. Give the news-dev folder.")
        records = {article.id: article for article in read_articles([jsonl])}
    articles = []
    for item in gold:
        if item.source.startswith("articles.jsonl#"):
            article = records.get(item.source.partition("#")[2])
        else:
            page = folder / item.source
            article = next(iter(read_articles([page])), None) if page.exists() else None
        if article is None:
            raise ArticleError(
                f"{folder}: no article {item.source} for gold {item.id}."
            )
        articles.append(
            article.model_copy(
                update={"id": item.id, "language": article.language or item.language}
            )
        )
    return articles


def _sha16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def relocate(start: int, end: int, digest: str, text: str) -> tuple[int, int] | None:
    """Find a span of the annotated text again in a changed text, by its hash.

    Positions are tried nearest the old offset first, so a text that only lost or gained
    some boilerplate costs a few hashes per span. None when the span is gone.
    """
    length = end - start
    if text[start:end] and _sha16(text[start:end]) == digest:
        return start, end
    limit = len(text) - length
    for distance in range(1, max(start, limit - start) + 1):
        for candidate in (start - distance, start + distance):
            if 0 <= candidate <= limit and (
                _sha16(text[candidate : candidate + length]) == digest
            ):
                return candidate, candidate + length
    return None


@dataclass
class Spans:
    """An article's gold spans, in the offsets of the text that was read."""

    headings: list[tuple[int, int]]
    boilerplate: list[tuple[int, int]]
    sentences: list[tuple[int, int] | None]  # one per gold claim; None when not found
    not_found: int = 0


def locate(gold: GoldArticle, text: str) -> Spans:
    """Return the gold spans in ``text``, found again by hash if the text changed."""
    if hashlib.sha256(text.encode("utf-8")).hexdigest() == gold.sha256:
        return Spans(
            headings=[(s, e) for s, e, _ in gold.headings],
            boilerplate=[(s, e) for s, e, _ in gold.boilerplate],
            sentences=[(c.sentence_start, c.sentence_end) for c in gold.claims],
        )
    found: dict[tuple[int, int, str], tuple[int, int] | None] = {}

    def find(start: int, end: int, digest: str) -> tuple[int, int] | None:
        key = (start, end, digest)
        if key not in found:
            found[key] = relocate(start, end, digest, text)
        return found[key]

    spans = Spans(
        headings=[s for s in (find(*h) for h in gold.headings) if s],
        boilerplate=[s for s in (find(*b) for b in gold.boilerplate) if s],
        sentences=[
            find(c.sentence_start, c.sentence_end, c.sentence_sha256)
            for c in gold.claims
        ],
    )
    spans.not_found = sum(1 for s in spans.sentences if s is None)
    return spans


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _inside(claim: Claim, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= claim.char_start and claim.char_end <= e for s, e in spans)


def align(
    predicted: Sequence[Claim],
    gold: Sequence[GoldClaim],
    sentences: Sequence[tuple[int, int] | None],
) -> dict[int, int]:
    """Pair predicted claims with gold claims one to one; return {predicted: gold}."""
    pairs = []
    for i, claim in enumerate(predicted):
        for j, item in enumerate(gold):
            sentence = sentences[j]
            if sentence and _overlap(claim.char_start, claim.char_end, *sentence):
                score = token_f1(claim.text, item.text)
                if score >= MATCH_THRESHOLD:
                    pairs.append((score, -i, -j))
    matches: dict[int, int] = {}
    used_gold: set[int] = set()
    for _, i, j in sorted(pairs, reverse=True):
        if -i not in matches and -j not in used_gold:
            matches[-i] = -j
            used_gold.add(-j)
    return matches


def _token_recall(container: str, item: str) -> float:
    inner = Counter(tokens(item))
    if not inner:
        return 0.0
    return sum((Counter(tokens(container)) & inner).values()) / sum(inner.values())


def speaker_tokens(name: str | None) -> frozenset[str]:
    """Return a speaker name as the word tokens the speaker rule compares."""
    if not name:
        return frozenset()
    folded = unicodedata.normalize("NFKD", name.replace("\u2019", "'").casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    words = re.findall(r"\w+", re.sub(r"'s\b", "", plain))
    return frozenset(w for w in words if w not in SPEAKER_STOPWORDS)


def names_agree(predicted: frozenset[str], gold: frozenset[str]) -> bool:
    """All of the gold name's tokens, or half of them and nothing else."""
    if not predicted or not gold:
        return False
    return gold <= predicted or (predicted <= gold and 2 * len(predicted) >= len(gold))


def same_speaker(predicted: str | None, gold: GoldClaim, *outlets: str | None) -> bool:
    """Whether a predicted speaker names the gold speaker (see the module docstring).

    ``outlets``: the names the article's outlet goes by (as annotated, as read now).
    """
    mine = speaker_tokens(predicted)
    if gold.speaker_is_outlet:
        outlet_names = [name for name in outlets if name] or [gold.speaker or ""]
        return not mine or any(
            names_agree(mine, speaker_tokens(name)) for name in outlet_names
        )
    names = [gold.speaker, *gold.speaker_aliases]
    return any(names_agree(mine, speaker_tokens(name)) for name in names)


def same_quote_type(predicted: str, gold: str) -> bool:
    """Whether quote types agree; a partly quoted ``mixed`` claim counts as indirect."""
    return ("indirect" if predicted == "mixed" else predicted) == gold


def is_boilerplate(claim: Claim, boilerplate: Sequence[tuple[int, int]]) -> bool:
    """A claim mostly inside gold boilerplate, or that reads like page furniture."""
    length = max(claim.char_end - claim.char_start, 1)
    inside = sum(
        _overlap(claim.char_start, claim.char_end, s, e) for s, e in boilerplate
    )
    return inside / length >= BOILERPLATE_SHARE or bool(
        BOILERPLATE_PATTERN.search(claim.text)
    )


def crosses_paragraph(claim: Claim, text: str) -> bool:
    """A claim span that crosses a line break (JSONL paragraphs, HTML text lines)."""
    return "\n" in text[claim.char_start : claim.char_end].strip()


@dataclass
class PronounCheck:
    """The subject of each claim text: is it a personal pronoun? (spaCy parse)"""

    subject: list[bool]
    first_word: list[bool]
    # Starts with a pronoun that stands for someone or something: not the impersonal
    # "il faut", "il y a", "il est impossible de …", "it is likely that …".
    unresolved_start: list[bool] | None = None


def check_pronouns(texts: Sequence[str], language: str) -> PronounCheck:
    """Parse claim texts and tell which have a personal pronoun as main-clause subject.

    The subject is a ``nsubj``/``nsubj:pass`` child of the first sentence's root; an
    expletive (``expl``, "il y a", "it is …") is not a subject for the parser and so is
    not counted. ``first_word`` tells whether the claim starts with such a pronoun.
    """
    from claimtrack.extract.sentences import for_parsing, load_spacy_model

    words = PRONOUNS.get(language, PRONOUNS["en"])
    nlp = load_spacy_model(language)
    subject: list[bool] = []
    first_word: list[bool] = []
    unresolved: list[bool] = []
    for doc in nlp.pipe(for_parsing(text) for text in texts):
        sentence = next(iter(doc.sents), None)
        root = sentence.root if sentence is not None else None
        subject.append(
            root is not None
            and any(
                child.dep_ in SUBJECT_DEPS and child.lower_ in words
                for child in root.children
            )
        )
        first = next((t for t in doc if t.is_alpha or t.lower_ == "j'"), None)
        starts = first is not None and first.lower_ in words
        first_word.append(starts)
        unresolved.append(first is not None and starts and not impersonal(first))
    return PronounCheck(
        subject=subject, first_word=first_word, unresolved_start=unresolved
    )


@dataclass
class ArticleScore:
    """The counts of one article; figures are computed from sums of these."""

    id: str
    language: str
    split: str
    counts: Counter[str] = field(default_factory=Counter)
    average_precision: float | None = None
    random_precision: float | None = None
    errors: dict[str, list[Any]] = field(default_factory=dict)


def score_article(
    gold: GoldArticle,
    article: Article,
    claims: Sequence[Claim],
    pronouns: PronounCheck,
) -> ArticleScore:
    """Compare one article's predicted claims with its gold."""
    spans = locate(gold, article.text)
    score = ArticleScore(id=gold.id, language=gold.language, split=gold.split)
    counts = score.counts
    kept = [i for i, c in enumerate(claims) if not _inside(c, spans.headings)]
    predicted = [claims[i] for i in kept]
    counts["heading_claims"] = len(claims) - len(predicted)
    counts["gold"] = len(gold.claims)
    counts["gold_checkworthy"] = sum(c.checkworthy for c in gold.claims)
    counts["gold_sentences_not_found"] = spans.not_found
    counts["predicted"] = len(predicted)
    matches = align(predicted, gold.claims, spans.sentences)
    counts["matched"] = len(matches)
    wrong_speakers, wrong_quotes, boilerplate_texts = [], [], []
    for i, claim in enumerate(predicted):
        pronoun_subject = pronouns.subject[kept[i]]
        counts["pronoun_subject"] += pronoun_subject
        counts["pronoun_first_word"] += pronouns.first_word[kept[i]]
        unresolved = pronouns.unresolved_start or pronouns.first_word
        counts["unresolved_pronoun_start"] += unresolved[kept[i]]
        boilerplate = is_boilerplate(claim, spans.boilerplate)
        counts["boilerplate"] += boilerplate
        if boilerplate:
            boilerplate_texts.append(claim.text)
        merged_paragraph = crosses_paragraph(claim, article.text)
        counts["merged_paragraph"] += merged_paragraph
        merged_heading = any(
            _overlap(claim.char_start, claim.char_end, s, e) for s, e in spans.headings
        )
        counts["merged_heading"] += merged_heading
        if i not in matches:
            continue
        item = gold.claims[matches[i]]
        if same_speaker(claim.speaker, item, gold.outlet, article.outlet):
            counts["speaker_right"] += 1
        else:
            wrong_speakers.append(
                {"gold": item.speaker, "predicted": claim.speaker, "claim": item.text}
            )
        if same_quote_type(claim.quote_type, item.quote_type):
            counts["quote_type_right"] += 1
        else:
            wrong_quotes.append(
                {
                    "gold": item.quote_type,
                    "predicted": claim.quote_type,
                    "claim": item.text,
                }
            )
        merges_another = any(
            j != matches[i]
            and sentence is not None
            and _overlap(claim.char_start, claim.char_end, *sentence)
            and _token_recall(claim.text, other.text) >= MERGE_THRESHOLD
            for j, (other, sentence) in enumerate(
                zip(gold.claims, spans.sentences, strict=True)
            )
        )
        single = not (merged_paragraph or merged_heading or merges_another)
        counts["strict_matched"] += single
    labels = [
        int(i in matches and gold.claims[matches[i]].checkworthy)
        for i in range(len(predicted))
    ]
    if counts["gold_checkworthy"] and predicted:
        score.average_precision = average_precision(
            labels, [c.checkworthiness for c in predicted]
        )
        score.random_precision = sum(labels) / len(labels)
    matched_gold = set(matches.values())
    score.errors = {
        "missed": [c.text for j, c in enumerate(gold.claims) if j not in matched_gold],
        "unmatched_predicted": [
            c.text for i, c in enumerate(predicted) if i not in matches
        ],
        "boilerplate": boilerplate_texts,
        "wrong_speakers": wrong_speakers,
        "wrong_quote_types": wrong_quotes,
    }
    return score


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 4) if known else None


def summarise(scores: Sequence[ArticleScore]) -> dict[str, Any]:
    """Return the figures of a group of articles (one language, one split)."""
    total: Counter[str] = Counter()
    for score in scores:
        total.update(score.counts)
    return {
        "articles": len(scores),
        "gold_claims": total["gold"],
        "predicted_claims": total["predicted"],
        "matched": total["matched"],
        "recall": _ratio(total["matched"], total["gold"]),
        "precision": _ratio(total["matched"], total["predicted"]),
        "strict_precision": _ratio(total["strict_matched"], total["predicted"]),
        "speaker_accuracy": _ratio(total["speaker_right"], total["matched"]),
        "quote_type_accuracy": _ratio(total["quote_type_right"], total["matched"]),
        "pronoun_subject_share": _ratio(total["pronoun_subject"], total["predicted"]),
        "unresolved_pronoun_start_share": _ratio(
            total["unresolved_pronoun_start"], total["predicted"]
        ),
        "pronoun_first_word_share": _ratio(
            total["pronoun_first_word"], total["predicted"]
        ),
        "boilerplate_claims": total["boilerplate"],
        "merged_paragraph_claims": total["merged_paragraph"],
        "merged_heading_claims": total["merged_heading"],
        "heading_claims": total["heading_claims"],
        "checkworthy_average_precision": _mean([s.average_precision for s in scores]),
        "checkworthy_random_order": _mean([s.random_precision for s in scores]),
        "gold_sentences_not_found": total["gold_sentences_not_found"],
    }


def _by_language(scores: Sequence[ArticleScore]) -> dict[str, Any]:
    languages = sorted({s.language for s in scores})
    return {
        language: summarise([s for s in scores if s.language == language])
        for language in languages
    }


def evaluate(
    gold_path: Path,
    folder: Path,
    extractor: Extractor,
    *,
    split: Split = "all",
    show_errors: bool = False,
    pronoun_check: Callable[[Sequence[str], str], PronounCheck] | None = None,
) -> dict[str, Any]:
    """Run the extractor on the gold's articles and score it per language (and split).

    ``pronoun_check`` parses claim texts (default: ``check_pronouns``, with spaCy).

    Raises:
        ArticleError: the gold or an article cannot be read, or the extractor fails.
    """
    pronoun_check = pronoun_check or check_pronouns
    gold = [g for g in read_gold(gold_path) if split in ("all", g.split)]
    if not gold:
        raise ArticleError(f"{gold_path}: no gold article in split {split!r}.")
    articles = load_articles(folder, gold)
    extracted = extractor.extract_many(articles)
    scores = []
    for item, article, claims in zip(gold, articles, extracted, strict=True):
        if not isinstance(claims, list):
            raise ArticleError(f"{item.id}: extraction failed: {claims}")
        pronouns = pronoun_check([c.text for c in claims], item.language)
        scores.append(score_article(item, article, claims, pronouns))
    result: dict[str, Any] = {
        "format": "news-gold",
        "split": split,
        "extractor": extractor.name,
        "matching": (
            f"span overlaps the gold sentence, greedy one-to-one by token F1 >= "
            f"{MATCH_THRESHOLD}; strict: no line break, heading or >= "
            f"{MERGE_THRESHOLD:.0%} of another gold claim inside"
        ),
        "languages": _by_language(scores),
    }
    if split == "all":
        result["splits"] = {
            name: _by_language([s for s in scores if s.split == name])
            for name in ("tune", "report")
        }
    result["articles"] = [
        {
            "id": s.id,
            "language": s.language,
            "split": s.split,
            **{k: s.counts[k] for k in ("gold", "predicted", "matched")},
            **{
                k: s.counts[k]
                for k in (
                    "speaker_right",
                    "boilerplate",
                    "merged_paragraph",
                    "merged_heading",
                    "pronoun_subject",
                )
            },
            "average_precision": (
                None if s.average_precision is None else round(s.average_precision, 4)
            ),
            **({"errors": s.errors} if show_errors else {}),
        }
        for s in scores
    ]
    return result
