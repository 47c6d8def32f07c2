"""Error types of the third round, each on a short paragraph written for the test.

Like ``test_extract_news_rules.py``: French and English news style, no text copied
from a real article; the real spaCy models run, scoring embeddings are skipped.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.sentences import SentenceExtractor
from claimtrack.models import Claim
from tests.test_extract_news_rules import OUTLET, _claims, _find

pytestmark = pytest.mark.integration


def _texts(claims: list[Claim]) -> list[str]:
    return [c.text for c in claims]


# ---- a paragraph that is all quote belongs to the previous paragraph's speaker ------


@pytest.mark.parametrize(
    ("text", "language", "words", "speaker"),
    [
        (
            "Nurse Carla Mendes, 41, told local radio that the ward had lost six "
            "beds since June.\n\n"
            '"Nobody from the ministry has visited the hospital this year."',
            "en",
            "Nobody from the ministry",
            "Nurse Carla Mendes",
        ),
        (
            "Le maire de Brest, Yann Le Goff, a assuré que la piscine rouvrirait en "
            "mai.\n\n« Les travaux ont coûté trois millions d'euros à la ville. »",
            "fr",
            "Les travaux ont coûté",
            "Yann Le Goff",
        ),
    ],
)
def test_a_whole_quote_paragraph_is_the_previous_speakers(
    extractor: SentenceExtractor, text: str, language: str, words: str, speaker: str
) -> None:
    claim = _find(_claims(extractor, text, language), words)
    assert str(claim.speaker).endswith(speaker)
    assert claim.quote_type == "direct"


# ---- a verb then a colon and a quote: the subject speaks ----------------------------


def test_a_colon_quote_after_any_verb_is_its_subjects(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "L'hydrologue Marc Vidal a étudié la rivière pendant dix ans. Il poursuit : "
        "« Le débit a baissé de moitié depuis 1990. »"
    )
    claim = _find(_claims(extractor, text, "fr"), "Le débit a baissé")
    assert claim.speaker == "Marc Vidal"
    assert claim.quote_type == "direct"


# ---- "Pour le toxicologue, …": a role noun names a speaker --------------------------


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        (
            "Le climatologue Paul Henry a publié une note. Pour le climatologue, "
            "les glaciers alpins ont perdu 10 % de leur volume en deux ans.",
            "les glaciers alpins ont perdu",
            "le climatologue",
        ),
        (
            "La juriste Anne Petit conseille la mairie. Pour la juriste, « le contrat "
            "de concession a été signé sans appel d'offres. »",
            "contrat de concession",
            "la juriste",
        ),
        (
            "Le maire Jean Roux a reçu les habitants. Pour lui, la taxe foncière a "
            "augmenté de 12 % en deux ans.",
            "la taxe foncière",
            "Jean Roux",
        ),
    ],
)
def test_pour_a_role_noun_is_a_speaker(
    extractor: SentenceExtractor, text: str, words: str, speaker: str
) -> None:
    claim = _find(_claims(extractor, text, "fr"), words)
    assert claim.speaker == speaker


# ---- a mid-sentence reporting verb is not an incise ---------------------------------


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        (
            "On Friday, the city's chief engineer, Paula Grant, said the bridge would "
            "reopen in May.",
            "the bridge would reopen in May",
            "Paula Grant",
        ),
        (
            "Grant, in Leeds, stressed the cost of the repairs, which reached "
            "four million pounds.",
            "stressed the cost",
            OUTLET,
        ),
    ],
)
def test_a_reporting_verb_followed_by_a_clause_is_not_an_incise(
    extractor: SentenceExtractor, text: str, words: str, speaker: str
) -> None:
    claims = _claims(extractor, text, "en")
    claim = _find(claims, words)
    assert str(claim.speaker).endswith(speaker)


def test_a_french_incise_with_a_place_before_its_speaker(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "« La centrale sera arrêtée pendant trois mois pour des travaux », a annoncé "
        "sur X le porte-parole de l'exploitant, Luc Martin."
    )
    claim = _find(_claims(extractor, text, "fr"), "La centrale sera arrêtée")
    assert "porte-parole" in str(claim.speaker)
    assert claim.quote_type == "direct"


# ---- "…, précisant que …", "adding that …": a second claim by the same speaker -------


@pytest.mark.parametrize(
    ("text", "language", "first", "second", "speaker"),
    [
        (
            "Deux écoles ont été fermées jeudi, a indiqué la rectrice Marie Laval, "
            "précisant que les élèves seraient accueillis dans un gymnase.",
            "fr",
            "Deux écoles ont été fermées",
            "les élèves seraient accueillis",
            "la rectrice Marie Laval",
        ),
        (
            "The train left the tracks near the station, a spokesperson for the rail "
            "company said, adding that nobody was injured in the crash.",
            "en",
            "The train left the tracks",
            "nobody was injured",
            "a spokesperson for the rail company",
        ),
    ],
)
def test_a_participle_of_reporting_adds_a_claim_by_the_same_speaker(
    extractor: SentenceExtractor,
    text: str,
    language: str,
    first: str,
    second: str,
    speaker: str,
) -> None:
    claims = _claims(extractor, text, language)
    one, two = _find(claims, first), _find(claims, second)
    assert one.speaker == speaker and two.speaker == speaker
    assert second.lower() not in one.text.lower()


# ---- a clause that ends the sentence with a proposition of its own -------------------


@pytest.mark.parametrize(
    ("text", "language", "first", "second"),
    [
        (
            "The port handled 3 million containers in 2023, during which exports of "
            "grain fell by a third.",
            "en",
            "The port handled 3 million containers in 2023",
            "Exports of grain fell by a third",
        ),
        (
            "Experts say the dam could fail within a decade – although no engineer "
            "has inspected it since 2019.",
            "en",
            "the dam could fail within a decade",
            "No engineer has inspected it since 2019",
        ),
        (
            "Rennes est la capitale de la Bretagne, où la population a augmenté de "
            "8 % en dix ans.",
            "fr",
            "Rennes est la capitale de la Bretagne",
            "La population a augmenté de 8 % en dix ans",
        ),
        (
            "Harbour master Tom Reid said: \u2018We have lost two boats this winter "
            "\u2013 the insurers have refused to pay for either.\u2019",
            "en",
            "We have lost two boats this winter",
            "The insurers have refused to pay for either",
        ),
    ],
)
def test_a_trailing_clause_with_its_own_subject_is_its_own_claim(
    extractor: SentenceExtractor, text: str, language: str, first: str, second: str
) -> None:
    texts = _texts(_claims(extractor, text, language))
    assert any(t.lower().startswith(first.lower()) for t in texts), texts
    assert any(t.lower().startswith(second.lower()) for t in texts), texts
    assert not any(first.lower() in t.lower() and second in t for t in texts)


def test_a_place_clause_inside_the_sentence_is_not_cut(
    extractor: SentenceExtractor,
) -> None:
    text = "The house where the poet was born is now a museum."
    assert _texts(_claims(extractor, text, "en")) == [text.rstrip(".")]


def test_british_single_quotes_make_a_direct_quote_and_end_it(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "Coach Amy Lowe told reporters: \u2018The club has sold 9,000 season "
        "tickets.\u2019 The stadium\u2019s roof was repaired in May."
    )
    claims = _claims(extractor, text, "en")
    quote = _find(claims, "sold 9,000 season tickets")
    assert (quote.speaker, quote.quote_type) == ("Coach Amy Lowe", "direct")
    after = _find(claims, "roof was repaired")
    assert (after.speaker, after.quote_type) == (OUTLET, "none")


# ---- reporting verbs in a subordinate clause do not own the main clause -------------


def test_a_reporting_verb_in_a_concession_leaves_the_main_clause_whole(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "While the opposition has said it always backed the plan, the mayor has "
        "doubled the cycling budget for next year."
    )
    claim = _find(_claims(extractor, text, "en"), "doubled the cycling budget")
    assert claim.text.startswith("The mayor has doubled")
    assert claim.speaker == OUTLET


# ---- incises and sources in the middle of a statement ------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected", "speaker"),
    [
        (
            "Le viaduc, a indiqué le préfet, restera fermé jusqu'en juin.",
            "fr",
            "Le viaduc restera fermé jusqu'en juin",
            "le préfet",
        ),
        (
            "The new line, the operator said, will carry 40,000 passengers a day.",
            "en",
            "The new line will carry 40,000 passengers a day",
            "the operator",
        ),
        (
            "La réunion s'est tenue, selon la préfecture, dans un gymnase de la "
            "commune voisine.",
            "fr",
            "La réunion s'est tenue dans un gymnase de la commune voisine",
            "la préfecture",
        ),
    ],
)
def test_an_incise_inside_the_statement_is_left_out_of_it(
    extractor: SentenceExtractor,
    text: str,
    language: str,
    expected: str,
    speaker: str,
) -> None:
    claims = _claims(extractor, text, language)
    assert [(c.text, c.speaker) for c in claims] == [(expected, speaker)]


def test_a_quote_then_its_incise_then_a_source_keeps_the_quoted_speaker(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "« Nous avons pratiquement terminé le chantier du tramway », a affirmé le "
        "maire de Nantes, Paul Roux, selon une vidéo publiée par la ville, lors "
        "d'une visite du dépôt."
    )
    claim = _find(_claims(extractor, text, "fr"), "terminé le chantier")
    assert claim.text.startswith("Nous avons pratiquement terminé")
    assert "maire de Nantes" in str(claim.speaker)
    assert claim.quote_type == "direct"
