"""Error types of the seventh round, each on a short paragraph written for the test.

Like ``test_extract_news_round5.py``: French and English news style, no text copied
from a real article; the real spaCy models run, scoring embeddings are skipped.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.sentences import SentenceExtractor
from tests.test_extract_news_rules import OUTLET, _claims, _find

pytestmark = pytest.mark.integration


# ---- a body's "we" inside its own quote ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "words", "expected"),
    [
        (
            'Asked about the raid, the interior ministry said: "We have no record '
            'of the transfer."',
            "en",
            "no record",
            "The interior ministry has no record of the transfer",
        ),
        (
            "« Nous n'avons reçu aucune plainte », a indiqué la préfecture mardi.",
            "fr",
            "aucune plainte",
            "La préfecture n'a reçu aucune plainte",
        ),
        # A chief named with the body in front of the name speaks for the body.
        (
            '"We reiterate our call for an independent inquiry," Amnesty '
            "International spokesperson Anna Berg said.",
            "en",
            "independent inquiry",
            "Amnesty International reiterates our call for an independent inquiry",
        ),
    ],
)
def test_a_body_s_we_is_the_body(
    extractor: SentenceExtractor, text: str, language: str, words: str, expected: str
) -> None:
    claim = _find(_claims(extractor, text, language), words)
    assert (claim.text, claim.needs_context) == (expected, False)


# ---- the subject of reported speech that agrees with its speaker -------------------


@pytest.mark.parametrize(
    ("text", "language", "words", "expected"),
    [
        (
            "The health ministry said it had received no request for an extension.",
            "en",
            "no request",
            "The health ministry had received no request for an extension",
        ),
        # French "elle" for a body by its noun's gender (the old rules had it too).
        (
            "L'armée a affirmé qu'elle avait repoussé l'attaque dans la nuit.",
            "fr",
            "repoussé",
            "L'armée avait repoussé l'attaque dans la nuit",
        ),
    ],
)
def test_a_reported_pronoun_that_agrees_is_the_speaker(
    extractor: SentenceExtractor, text: str, language: str, words: str, expected: str
) -> None:
    claim = _find(_claims(extractor, text, language), words)
    assert (claim.text, claim.quote_type, claim.needs_context) == (
        expected,
        "indirect",
        False,
    )


def test_he_never_stands_for_a_body(extractor: SentenceExtractor) -> None:
    # "he" is someone the article has not named: left as written, flagged.
    text = "The ministry said he had resigned on Friday."
    claim = _find(_claims(extractor, text, "en"), "resigned")
    assert (claim.text, claim.needs_context) == ("He had resigned on Friday", True)


def test_it_said_is_the_body_quoted_just_before(extractor: SentenceExtractor) -> None:
    text = (
        'Asked about the findings, the army said: "We do not target civilians."\n\n'
        "A day after the report was published, it said the strike took place in a "
        "combat zone."
    )
    claim = _find(_claims(extractor, text, "en"), "combat zone")
    assert (claim.text, claim.speaker) == (
        "The strike took place in a combat zone",
        "the army",
    )


# ---- "It comes after X": the claim is X ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected", "span"),
    [
        (
            "The port was closed on Monday. It comes just days after the government "
            "announced new sanctions against the shipping firm.",
            "en",
            "The government announced new sanctions against the shipping firm",
            "the government announced new sanctions against the shipping firm",
        ),
        (
            "The minister apologised on Sunday. It came a day after it emerged that "
            "she had failed to declare a gift from a donor.",
            "en",
            "The minister had failed to declare a gift from a donor",
            "she had failed to declare a gift from a donor",
        ),
        (
            "Kiev a de nouveau été visée cette nuit. Cela intervient alors que la "
            "Russie a intensifié ses frappes sur l'est du pays.",
            "fr",
            "La Russie a intensifié ses frappes sur l'est du pays",
            "la Russie a intensifié ses frappes sur l'est du pays",
        ),
    ],
)
def test_a_timing_frame_is_dropped(
    extractor: SentenceExtractor, text: str, language: str, expected: str, span: str
) -> None:
    claims = _claims(extractor, text, language)
    claim = _find(claims, expected.split()[-1])
    assert (claim.text, text[claim.char_start : claim.char_end]) == (expected, span)


def test_a_condition_is_not_a_frame(extractor: SentenceExtractor) -> None:
    # Only timing marks open the claim: an "if" keeps its whole sentence.
    text = "The plant will close in May. It comes if the regulator refuses the permit."
    claim = _find(_claims(extractor, text, "en"), "regulator")
    source = text[claim.char_start : claim.char_end]
    assert source == "It comes if the regulator refuses the permit", source
    assert claim.text.endswith("comes if the regulator refuses the permit"), claim.text


# ---- French clauses at "mais" whose verb the tagger took for a noun or adjective ----


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (
            "Martin part seul en contre mais il est finalement repris par deux "
            "défenseurs.",
            "Martin part seul en contre",
            "Martin est finalement repris par deux défenseurs",
        ),
        (
            "Durand cherche Martin au centre mais le buteur est trop court pour "
            "reprendre le ballon.",
            "Durand cherche Martin au centre",
            "Le buteur est trop court pour reprendre le ballon",
        ),
        (
            "C'est au tour de Durand de tirer mais ça manque de conviction.",
            "C'est au tour de Durand de tirer",
            "Ça manque de conviction",
        ),
    ],
)
def test_both_clauses_at_mais_are_claims(
    extractor: SentenceExtractor, text: str, first: str, second: str
) -> None:
    claims = _claims(extractor, text, "fr")
    assert [c.text for c in claims] == [first, second]


# ---- discourse markers and questions are not attributions ---------------------------


def test_that_said_is_not_a_clause(extractor: SentenceExtractor) -> None:
    text = (
        "“That said, given the volatility in the survey, it’s difficult to trust a "
        "single reading,” said Berg."
    )
    claims = _claims(extractor, text, "en")
    assert [(c.text, c.speaker) for c in claims] == [
        (
            "That said, given the volatility in the survey, it’s difficult to trust "
            "a single reading",
            "Berg",
        )
    ]


def test_a_colon_after_the_cue_opens_the_quote(extractor: SentenceExtractor) -> None:
    text = (
        "Asked again whether he would accept gifts from Lord Smith, he said: "
        '"Well, wherever there are gifts I am going to comply with the rules."'
    )
    claims = _claims(extractor, text, "en")
    # "he" is not Lord Smith, whom he was asked about; no one else is named. The
    # spoken filler "Well," is not part of the claim (round 9, extract/openers.py).
    assert [(c.text, c.speaker) for c in claims] == [
        ("Wherever there are gifts I am going to comply with the rules", OUTLET)
    ]
