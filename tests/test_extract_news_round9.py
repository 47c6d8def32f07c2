"""Error types of the ninth round, each on a short paragraph written for the test.

Like ``test_extract_news_round8.py``: French and English news style, no text copied
from a real article; the real spaCy models run, scoring embeddings are skipped.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.boilerplate import is_boilerplate
from claimtrack.extract.openers import drop_opener
from claimtrack.extract.sentences import SentenceExtractor
from tests.test_extract_news_rules import OUTLET, _claims

# ---- openers: connectives, spoken fillers, editorial brackets (text only) ----------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("However, the plant will close in June", "The plant will close in June"),
        ("Well, nobody wants a tax rise", "Nobody wants a tax rise"),
        (
            "You know, the bridge has been closed since March",
            "The bridge has been closed since March",
        ),
        ("But, well, the vote was close", "The vote was close"),
        ("So the council voted against it", "The council voted against it"),
        ("Cependant, le budget a augmenté de 4 %", "Le budget a augmenté de 4 %"),
        (
            "Écoutez, la mairie n'a jamais reçu la lettre",
            "La mairie n'a jamais reçu la lettre",
        ),
        (
            "Et puis il y a la question des transports",
            "Il y a la question des transports",
        ),
        ('"[And] we need a new bridge', '"We need a new bridge'),
        ("La loi [sic] a été votée en mars", "La loi a été votée en mars"),
    ],
)
def test_an_opener_goes_from_the_claim_text(text: str, expected: str) -> None:
    assert drop_opener(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "So far the council has spent 2 million euros",  # "So far" is no filler
        "Still waters run deep in the valley",  # an adverb without its comma
        "Now is the time to act on housing",
        "Alors que le budget augmente, les impôts baissent",  # "alors que": a clause
        "No one can say how long the strike will last",  # "No" without its comma
        "However, it failed",  # too little left: kept as written
        "Ainsi la ville a voté le budget",  # "ainsi" without its comma
    ],
)
def test_what_is_no_opener_stays(text: str) -> None:
    assert drop_opener(text) == text


integration = pytest.mark.integration


@integration
def test_a_quote_loses_its_spoken_fillers(extractor: SentenceExtractor) -> None:
    text = (
        '"Well, the council has to pay for the repairs," the mayor said. "Look, '
        'nobody wants a tax rise."'
    )
    claims = _claims(extractor, text, "en")
    assert [(c.text, c.speaker) for c in claims] == [
        ("The council has to pay for the repairs", "the mayor"),
        ("Nobody wants a tax rise", "the mayor"),
    ]


@integration
def test_a_french_claim_loses_its_connective(extractor: SentenceExtractor) -> None:
    text = (
        "Cependant, le budget de la ville a augmenté de 4 % en 2023. Par ailleurs, "
        "les impôts locaux n'ont pas bougé depuis 2019."
    )
    claims = _claims(extractor, text, "fr")
    assert [(c.text, c.speaker) for c in claims] == [
        ("Le budget de la ville a augmenté de 4 % en 2023", OUTLET),
        ("Les impôts locaux n'ont pas bougé depuis 2019", OUTLET),
    ]


# ---- a dash after a phrase: no predicate cut off without its subject ----------------


@integration
@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "The plant's director – a 52-year-old engineer who joined in 2004 – "
            "announced on Monday that the site would close in June.",
            "en",
        ),
        (
            "The mayor spent election night at the town hall – March 12 – to watch "
            "the results come in before the count.",
            "en",
        ),
        (
            'Par conséquent, les chaussures de course bleues - rebaptisées "Lyon '
            'blue" par les supporters - sont épuisées dans la plupart des magasins.',
            "fr",
        ),
    ],
)
def test_a_predicate_after_a_dash_keeps_its_subject(
    extractor: SentenceExtractor, text: str, language: str
) -> None:
    claims = _claims(extractor, text, language)
    # One claim, which starts on its subject: no "Announced on Monday …", no "Sont
    # épuisées …" cut off on its own.
    assert len(claims) == 1, [c.text for c in claims]
    first_word = claims[0].text.split()[0].lower()
    assert first_word in ("the", "les"), claims[0].text


@integration
def test_two_clauses_either_side_of_a_dash_are_still_two_claims(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "The council approved the budget on Monday – the new library will open in May."
    )
    claims = _claims(extractor, text, "en")
    assert [c.text for c in claims] == [
        "The council approved the budget on Monday",
        "The new library will open in May",
    ]


# ---- credits by label, and who "contributed to this report" ------------------------


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("Written by: Anna Berg", "en"),
        ("Header image: Fishing boats in the harbour at dawn, before the storm", "en"),
        ("Sourcing: most figures come from the regional statistics office", "en"),
        ("The Herald's Tom Reed and Ana Silva contributed to this report.", "en"),
        ("Écrit par : Claire Morel", "fr"),
        ("Source : Insee, enquête emploi 2023", "fr"),
        ("Avec AFP", "fr"),
        ("Paul Girard a contribué à cet article.", "fr"),
    ],
)
def test_a_credit_line_is_boilerplate(line: str, language: str) -> None:
    assert is_boilerplate(line, language)


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("The source said the plan would fail before the vote.", "en"),
        ("Sources close to the minister said the plan would be dropped.", "en"),
        ("Ten volunteers contributed to the clean-up of the beach on Sunday.", "en"),
        ("Les sources du ministère affirment que le plan sera abandonné.", "fr"),
        ("Avec l'aide de l'Etat, la commune a rénové son école.", "fr"),
    ],
)
def test_prose_about_sources_and_contributions_is_no_credit(
    line: str, language: str
) -> None:
    assert not is_boilerplate(line, language)


# ---- "This suggests …": a demonstrative is nobody's name ----------------------------


@integration
def test_a_demonstrative_is_no_speaker(extractor: SentenceExtractor) -> None:
    text = (
        "The valley was a frozen plain with very few trees. This suggests the "
        "hunters were quite dedicated to making such tools."
    )
    claims = _claims(extractor, text, "en")
    assert [c.speaker for c in claims] == [OUTLET, OUTLET], [
        (c.text, c.speaker) for c in claims
    ]
