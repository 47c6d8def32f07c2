"""Error types of the eighth round, each on a short paragraph written for the test.

Like ``test_extract_news_round7.py``: French and English news style, no text copied
from a real article; the real spaCy models run, scoring embeddings are skipped.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.sentences import SentenceExtractor
from tests.test_extract_news_rules import OUTLET, _claims, _find

pytestmark = pytest.mark.integration


# ---- ", adding that …": the main clause ends at the participle's comma ------------


@pytest.mark.parametrize(
    ("text", "first", "second", "speaker"),
    [
        (
            "On Tuesday, the mayor said the council had approved the budget, adding "
            "that the new library would open in May.",
            "The council had approved the budget",
            "The new library would open in May",
            "the mayor",
        ),
        (
            "Asked about the talks, the union leader said members had rejected the "
            "offer, adding that a strike was likely next month.",
            "Members had rejected the offer",
            "A strike was likely next month",
            "the union leader",
        ),
    ],
)
def test_a_reported_clause_stops_at_the_participle_s_comma(
    extractor: SentenceExtractor, text: str, first: str, second: str, speaker: str
) -> None:
    claims = _claims(extractor, text, "en")
    assert [(c.text, c.speaker) for c in claims] == [
        (first, speaker),
        (second, speaker),
    ]


# ---- "continues to expect …": an English infinitive is not cut off as the claim ----


@pytest.mark.parametrize(
    "text",
    [
        "On Friday, the governor dodged questions on whether she would continue "
        "accepting donations from the developer.",
        "Despite the weak first quarter, the central bank continues to expect a "
        "rebound in consumer spending this summer.",
    ],
)
def test_an_english_infinitive_complement_stays_in_its_sentence(
    extractor: SentenceExtractor, text: str
) -> None:
    (claim,) = _claims(extractor, text, "en")
    assert (claim.text, claim.speaker) == (text.rstrip("."), OUTLET)


# ---- French verbs the tagger made an adverb or an adjective -------------------------


def test_a_verb_tagged_as_an_adverb_still_opens_a_clause_before_mais(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "Les Bordelais essaient d'opérer en contre mais la passe de Kalu est trop "
        "appuyée."
    )
    claims = _claims(extractor, text, "fr")
    assert [c.text for c in claims] == [
        "Les Bordelais essaient d'opérer en contre",
        "La passe de Kalu est trop appuyée",
    ]


def test_a_sentence_whose_verb_was_tagged_as_an_adjective_is_read(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "Nouvelle occasion pour Lens mais la frappe de Sotoca termine dans les "
        "tribunes."
    )
    (claim,) = _claims(extractor, text, "fr")
    assert claim.text == text.rstrip(".")


# ---- French verbless "N pour X" statements ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Coup dur pour Rennes avec la blessure de son capitaine à la cheville.",
        "Une première pour une maire de la ville depuis 1977.",
    ],
)
def test_a_french_n_pour_x_statement_is_a_claim(
    extractor: SentenceExtractor, text: str
) -> None:
    (claim,) = _claims(extractor, text, "fr")
    assert (claim.text, claim.speaker, claim.quote_type) == (
        text.rstrip("."),
        OUTLET,
        "none",
    )


def test_other_verbless_sentences_stay_out(extractor: SentenceExtractor) -> None:
    # An exclamation and a list item continuing the sentence before assert nothing.
    text = (
        "Quelle action des Rennais ! Puis les syndicats enseignants. "
        "Seul pour la première fois"
    )
    assert _claims(extractor, text, "fr") == []


# ---- a clause coordinated with the reporting verb, and passive pronouns -------------


def test_a_clause_joined_to_the_reporting_verb_is_kept_and_flagged(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "The ministry said it had received the report and it was being reviewed by "
        "lawyers."
    )
    claims = _claims(extractor, text, "en")
    assert [(c.text, c.speaker, c.needs_context) for c in claims] == [
        ("The ministry had received the report", "The ministry", False),
        ("It was being reviewed by lawyers", "The ministry", True),
    ]


def test_a_passive_pronoun_after_an_object_is_not_the_speaker(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "The airline said it had grounded the plane and it would be inspected on "
        "Monday."
    )
    claim = _find(_claims(extractor, text, "en"), "inspected")
    assert (claim.text, claim.needs_context) == (
        "It would be inspected on Monday",
        True,
    )


# ---- an ellipsis before a new sentence ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "speaker"),
    [
        (
            '"We will meet every target we set… Nobody should doubt that the plan '
            'will work," the minister said.',
            [
                "We will meet every target we set",
                "Nobody should doubt that the plan will work",
            ],
            "the minister",
        ),
        (
            "The mayor spoke on Monday. “The budget is balanced… Our schools will get "
            "more money this year,” she said.",
            ["The budget is balanced", "Our schools will get more money this year"],
            "The mayor",
        ),
    ],
)
def test_an_ellipsis_before_a_capital_ends_a_sentence(
    extractor: SentenceExtractor, text: str, expected: list[str], speaker: str
) -> None:
    claims = [c for c in _claims(extractor, text, "en") if c.quote_type == "direct"]
    assert [(c.text, c.speaker) for c in claims] == [(e, speaker) for e in expected]


# ---- relative clauses that are not about the noun before them ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ministers met the unions on Monday to discuss the pension reforms, which is "
        "a first since 2019.",
        "The council approved three new cycle lanes, which is more than it built in "
        "the last decade.",
    ],
)
def test_a_relative_that_does_not_agree_with_the_noun_stays_whole(
    extractor: SentenceExtractor, text: str
) -> None:
    (claim,) = _claims(extractor, text, "en")
    assert claim.text == text.rstrip(".")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Deux jours plus tard, c'est Paul Martin, ancien maire de Tours, qui est "
            "mis en examen pour corruption.",
            "fr",
        ),
        (
            "A week later, it was Paul Martin, the former mayor of the town, who was "
            "charged with fraud.",
            "en",
        ),
    ],
)
def test_the_relative_of_a_cleft_is_not_split_off(
    extractor: SentenceExtractor, text: str, language: str
) -> None:
    (claim,) = _claims(extractor, text, language)
    assert claim.text == text.rstrip(".")


def test_a_relative_that_agrees_is_still_a_claim_of_its_own(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "Finland, which shares a long border with Russia, joined the alliance last "
        "year."
    )
    assert [c.text for c in _claims(extractor, text, "en")] == [
        "Finland joined the alliance last year",
        "Finland shares a long border with Russia",
    ]


# ---- claims cut off before a preposition's object ----------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # A page whose links were dropped leaves the object out.
        (
            "Turnout is expected to be high. At the community college in Rock Hill, "
            "many young volunteers are campaigning for .",
            "campaigning for",
        ),
        # A split inside "adds to, or even confirms, the case".
        (
            '"The report shows the fire spread from the kitchen, and that adds to, or '
            'even confirms, the case against the landlord," said the lawyer.',
            "adds to",
        ),
    ],
)
def test_a_claim_ending_on_a_preposition_without_its_object_is_dropped(
    extractor: SentenceExtractor, text: str, fragment: str
) -> None:
    texts = [c.text for c in _claims(extractor, text, "en")]
    assert texts and not any(t.endswith(fragment) for t in texts), texts


def test_a_particle_at_the_end_is_not_a_missing_object(
    extractor: SentenceExtractor,
) -> None:
    text = "The town's shops are barely getting by, the mayor said."
    (claim,) = _claims(extractor, text, "en")
    assert (claim.text, claim.speaker) == (
        "The town's shops are barely getting by",
        "the mayor",
    )


# ---- a coordinated clause with no subject to borrow ---------------------------------


def test_a_conjunct_without_any_subject_is_not_cut_off() -> None:
    # The parse the English model gives when a long opening phrase swallows the
    # subject ("… years of history, Spain and Portugal" as conjuncts of "history"),
    # built by hand so that the test does not depend on the model's mistake.
    import spacy
    from spacy.tokens import Doc

    from claimtrack.extract.atomic import split

    rows = [
        ("Despite", "SCONJ", "prep", 10, ""),
        ("sharing", "VERB", "pcomp", 0, "VerbForm=Part"),
        ("years", "NOUN", "dobj", 1, "Number=Plur"),
        ("of", "ADP", "prep", 2, ""),
        ("history", "NOUN", "pobj", 3, "Number=Sing"),
        (",", "PUNCT", "punct", 4, ""),
        ("Spain", "PROPN", "conj", 4, "Number=Sing"),
        ("and", "CCONJ", "cc", 6, ""),
        ("Portugal", "PROPN", "conj", 6, "Number=Sing"),
        ("have", "AUX", "aux", 10, "VerbForm=Fin"),
        ("had", "VERB", "ROOT", 10, "VerbForm=Part"),
        ("different", "ADJ", "amod", 12, ""),
        ("views", "NOUN", "dobj", 10, "Number=Plur"),
        ("and", "CCONJ", "cc", 10, ""),
        ("have", "VERB", "conj", 10, "VerbForm=Fin"),
        ("their", "PRON", "poss", 17, ""),
        ("own", "ADJ", "amod", 17, ""),
        ("disputes", "NOUN", "dobj", 14, "Number=Plur"),
        (".", "PUNCT", "punct", 10, ""),
    ]
    columns = (list(column) for column in zip(*rows, strict=True))
    words, pos, deps, heads, morphs = columns
    doc = Doc(
        spacy.blank("en").vocab,
        words=words,
        pos=pos,
        deps=deps,
        heads=heads,
        morphs=morphs,
    )
    units = split(doc[:], 0, len(doc) - 1)
    assert [(u.start, u.end) for u in units] == [(0, len(doc) - 1)]
