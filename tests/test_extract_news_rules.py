"""The extractor on short news paragraphs written for these tests, one per error type.

Each paragraph imitates how French and English journalists write (inverted reporting
verbs, quotes over several sentences, bylines, pronoun subjects); none is copied from a
real article. The real spaCy models run; scoring embeddings are skipped for speed.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.sentences import SentenceExtractor
from claimtrack.models import Article, Claim

pytestmark = pytest.mark.integration

OUTLET = "La Gazette"


def _claims(extractor: SentenceExtractor, text: str, language: str) -> list[Claim]:
    article = Article(id="t", text=text, language=language, outlet=OUTLET)
    claims = list(extractor.extract(article))
    for claim in claims:  # every test also checks that offsets stay exact
        assert text[claim.sentence_start : claim.sentence_end] == claim.sentence
        assert claim.sentence_start <= claim.char_start < claim.char_end
        assert claim.char_end <= claim.sentence_end
    return claims


def _find(claims: list[Claim], words: str) -> Claim:
    found = [
        c for c in claims if words in c.sentence and words.lower() in c.text.lower()
    ]
    assert len(found) == 1, [(c.text, c.speaker) for c in claims]
    return found[0]


# ---- attribution missed: inverted and unusual reporting verbs ------------------------


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        (
            "Le ministre de l'Agriculture, Paul Garnier, a visité une ferme mardi. "
            "« Les prix du lait ont chuté de 8 % cette année », confie-t-il.",
            "Les prix du lait ont chuté",
            "Paul Garnier",
        ),
        (
            "La maire de Lille, Claire Dumas, était au conseil jeudi. "
            "« Le budget sera voté en mars », estime-t-elle.",
            "Le budget sera voté en mars",
            "Claire Dumas",
        ),
        (
            "La dette de la ville a doublé depuis 2015, juge Mme Dumas.",
            "La dette de la ville a doublé",
            "Mme Dumas",
        ),
        (
            "Le syndicat a fait savoir que la grève serait reconduite lundi.",
            "la grève serait reconduite",
            "Le syndicat",
        ),
        (
            "Les loyers ont augmenté de 5 % en un an, glisse un agent immobilier.",
            "Les loyers ont augmenté",
            "un agent immobilier",
        ),
        (
            "Pour l'économiste Anne Roux, la croissance ralentira en 2025.",
            "la croissance ralentira",
            "l'économiste Anne Roux",
        ),
    ],
)
def test_french_attribution_structures(
    extractor: SentenceExtractor, text: str, words: str, speaker: str
) -> None:
    claim = _find(_claims(extractor, text, "fr"), words)
    assert claim.speaker == speaker


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        (
            "Buses will replace the trains on Monday, as confirmed by the council.",
            "Buses will replace the trains",
            "the council",
        ),
        (
            "Fire chief Laura Diaz spoke on Friday. "
            '"Three houses burned down overnight," she said.',
            "Three houses burned down",
            "Laura Diaz",
        ),
    ],
)
def test_english_attribution_structures(
    extractor: SentenceExtractor, text: str, words: str, speaker: str
) -> None:
    claim = _find(_claims(extractor, text, "en"), words)
    assert claim.speaker == speaker


# ---- a speaker holds while its quote is open, and no longer --------------------------


def test_quote_over_two_sentences_and_two_paragraphs_keeps_its_speaker(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "Le maire, Henri Lambert, a pris la parole à 18 heures. « Le pont sera fermé "
        "pendant deux ans. Les travaux coûteront 40 millions, a-t-il déclaré.\n\n"
        "« La circulation sera détournée par le nord de la ville. »\n\n"
        "Les commerçants du quartier ont manifesté samedi devant la mairie."
    )
    claims = _claims(extractor, text, "fr")
    for words in ("Le pont sera fermé", "Les travaux coûteront", "La circulation"):
        claim = _find(claims, words)
        assert (claim.speaker, claim.quote_type) == ("Henri Lambert", "direct")
    after = _find(claims, "Les commerçants du quartier ont manifesté")
    assert (after.speaker, after.quote_type) == (OUTLET, "none")


def test_speaker_does_not_carry_past_a_closed_quote(
    extractor: SentenceExtractor,
) -> None:
    text = (
        '"We have hired 200 nurses this year," hospital director Mark Hill said. '
        "The hospital opened a new wing in March."
    )
    claims = _claims(extractor, text, "en")
    assert str(_find(claims, "hired 200 nurses").speaker).endswith("Mark Hill")
    after = _find(claims, "opened a new wing")
    assert (after.speaker, after.quote_type) == (OUTLET, "none")


# ---- speakers that are not speakers --------------------------------------------------


def test_selon_an_abstract_noun_is_not_a_speaker(extractor: SentenceExtractor) -> None:
    text = (
        "Selon les règles sanitaires, le port du casque reste obligatoire au chantier."
    )
    claim = _find(_claims(extractor, text, "fr"), "reste obligatoire")
    assert claim.speaker == OUTLET


def test_first_person_subject_is_not_the_speaker(extractor: SentenceExtractor) -> None:
    text = "J'ai vu le chantier s'arrêter trois fois, raconte un riverain."
    claim = _find(_claims(extractor, text, "fr"), "le chantier")
    assert claim.speaker == "un riverain"


def test_a_bare_pronoun_never_becomes_the_speaker(
    extractor: SentenceExtractor,
) -> None:
    text = '"The factory will close in June," they said.'
    for claim in _claims(extractor, text, "en"):
        assert claim.speaker is None or claim.speaker.lower() not in ("they", "-t-il")


# ---- stand-alone claims: pronouns resolved with gender, or flagged -------------------


def test_pronoun_subject_resolves_to_the_person_of_its_gender(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "La sénatrice Julie Morel a rencontré le préfet Pierre Blanc lundi.\n\n"
        "Elle a déposé un amendement sur les retraites."
    )
    claim = _find(_claims(extractor, text, "fr"), "déposé un amendement")
    assert claim.text.startswith("Julie Morel a déposé")
    assert claim.needs_context is False


def test_unclear_pronoun_is_kept_and_flagged(extractor: SentenceExtractor) -> None:
    text = "He resigned on Tuesday after the vote."
    claim = _find(_claims(extractor, text, "en"), "resigned on Tuesday")
    assert claim.text.startswith("He resigned")
    assert claim.needs_context is True


def test_first_person_inside_a_quote_stands_for_the_speaker(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "Senator Ruth Black spoke in Denver. "
        '"I voted against the bill twice," Black told reporters.'
    )
    claim = _find(_claims(extractor, text, "en"), "against the bill")
    assert "Black" in claim.text.split(" voted")[0]
    assert claim.speaker in ("Black", "Ruth Black", "Senator Ruth Black")


# ---- never change the meaning --------------------------------------------------------


def test_a_negated_reporting_clause_is_kept_with_its_claim(
    extractor: SentenceExtractor,
) -> None:
    text = "Officials are not saying that the water is safe to drink."
    claims = _claims(extractor, text, "en")
    assert all("not" in c.text for c in claims if "water" in c.text)


def test_conditions_are_kept(extractor: SentenceExtractor) -> None:
    text = "If the dam breaks, the village will be flooded within an hour."
    claim = _find(_claims(extractor, text, "en"), "flooded")
    assert claim.text.startswith("If the dam breaks")


# ---- clean text in: lines, headings, boilerplate -------------------------------------


def test_heading_and_line_breaks_are_never_merged_into_a_claim(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "Floods hit the north\n"
        "The river rose by two metres overnight.\n"
        "Schools stayed closed on Monday"
    )
    claims = _claims(extractor, text, "en")
    assert all("\n" not in c.sentence for c in claims)
    assert [c.sentence for c in claims if "river" in c.text] == [
        "The river rose by two metres overnight."
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Par Jean Dupont, envoyé spécial à Marseille", "fr"),
        ("Publié le 3 avril 2024 à 10h15, mis à jour à 12h00", "fr"),
        ("Abonnez-vous à notre newsletter pour recevoir toute l'actualité.", "fr"),
        ("Lire aussi : La ville a voté son budget", "fr"),
        ("© La Gazette 2024. Tous droits réservés.", "fr"),
        ("By Jane Smith and Tom Brown, Associated Press", "en"),
        ("Photo: Tom Brown/Getty Images", "en"),
        ("Sign up for our daily newsletter to get the latest news.", "en"),
        ("Copyright 2024 The Herald. All rights reserved.", "en"),
        ("ADVERTISEMENT", "en"),
        ("Pour réécouter son interview, cliquez sur l'icône ci-dessous.", "fr"),
        ("To watch the full debate, click on the link below.", "en"),
    ],
)
def test_boilerplate_lines_never_become_claims(
    extractor: SentenceExtractor, text: str, language: str
) -> None:
    body = "Le conseil a voté le budget." if language == "fr" else "The council voted."
    claims = _claims(extractor, f"{body}\n\n{text}\n\n{body}", language)
    assert all(c.sentence == body for c in claims), [c.text for c in claims]


# ---- atomic, whole claims ------------------------------------------------------------


def test_lists_are_not_split(extractor: SentenceExtractor) -> None:
    text = "The agency bought trains, buses and ferries last year."
    claims = _claims(extractor, text, "en")
    assert len(claims) == 1


def test_coordinated_predicates_with_their_own_verb_are_split(
    extractor: SentenceExtractor,
) -> None:
    text = "Le gouvernement a relevé le salaire minimum et il a gelé les loyers."
    claims = _claims(extractor, text, "fr")
    assert len(claims) == 2


def test_every_claim_has_a_finite_verb(extractor: SentenceExtractor) -> None:
    text = (
        "L'image, partagée des milliers de fois, montre le président menotté "
        "à bord d'un navire."
    )
    for claim in _claims(extractor, text, "fr"):
        assert len(claim.text.split()) > 3


def test_french_sentences_are_not_broken_at_guillemets(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "Le préfet a reçu les élus lundi. « La sécurité des habitants passe avant "
        "tout », a-t-il assuré."
    )
    claims = _claims(extractor, text, "fr")
    first = _find(claims, "Le préfet a reçu les élus lundi")
    assert "«" not in first.sentence
    assert _find(claims, "La sécurité des habitants").speaker == "Le préfet"


def test_a_paragraph_longer_than_the_parser_limit_is_split_not_fatal(
    extractor: SentenceExtractor,
) -> None:
    from claimtrack.extract.sentences import load_spacy_model

    nlp = load_spacy_model("en")
    sentence = "The council approved the new budget on Monday. "
    text = sentence * 100  # one paragraph, 100 sentences
    limit = nlp.max_length
    nlp.max_length = len(sentence) * 40  # as if the paragraph were too long to parse
    try:
        claims = _claims(extractor, text, "en")
    finally:
        nlp.max_length = limit
    assert len(claims) == 100


# ---- a quote introduced by a colon keeps its content ---------------------------------


@pytest.mark.parametrize(
    ("text", "language", "words", "speaker"),
    [
        (
            'Governor Dana Whitfield said: "We have added 40,000 nursing jobs '
            'since I took office."',
            "en",
            "added 40,000 nursing jobs",
            "Governor Dana Whitfield",
        ),
        (
            "Governor Dana Whitfield said: \u201cWe have added 40,000 nursing jobs "
            "since I took office.\u201d",
            "en",
            "added 40,000 nursing jobs",
            "Governor Dana Whitfield",
        ),
        (
            "La préfète Hélène Morel a déclaré : « Nous avons recruté "
            "1 200 gendarmes depuis janvier. »",
            "fr",
            "recruté 1 200 gendarmes",
            "La préfète Hélène Morel",
        ),
        (
            'La préfète Hélène Morel a déclaré : "Nous avons recruté '
            '1 200 gendarmes depuis janvier."',
            "fr",
            "recruté 1 200 gendarmes",
            "La préfète Hélène Morel",
        ),
    ],
)
def test_a_colon_introduced_quote_keeps_its_content(
    extractor: SentenceExtractor, text: str, language: str, words: str, speaker: str
) -> None:
    claims = _claims(extractor, text, language)
    claim = _find(claims, words)
    assert claim.speaker == speaker
    assert claim.quote_type == "direct"
    # No claim is left that is only the attribution and its opening mark.
    assert [c.text for c in claims] == [claim.text]


# ---- speakers of quotes in the same paragraph, incises with a role, sources ---------


def test_a_second_quote_in_the_paragraph_keeps_the_first_quotes_speaker(
    extractor: SentenceExtractor,
) -> None:
    text = (
        '"The new dam will flood three villages," resident Omar Haddad told '
        'reporters. "We were never asked about the route."'
    )
    claims = _claims(extractor, text, "en")
    assert _find(claims, "never asked").speaker == "resident Omar Haddad"


def test_a_cue_inside_the_quote_does_not_attribute_the_quote(
    extractor: SentenceExtractor,
) -> None:
    text = (
        '"Why would the ministry say the road was safe. The bridge has not been '
        'inspected since 2019," said Ines Moreau, a council engineer.'
    )
    claim = _find(_claims(extractor, text, "en"), "not been inspected")
    assert claim.speaker == "Ines Moreau"


def test_an_incise_with_a_role_and_told_names_the_speaker_not_the_listener(
    extractor: SentenceExtractor,
) -> None:
    text = (
        '"The ceasefire talks are back at the starting line," Maya Stern, an analyst '
        "at a London think-tank, told the AP in an interview."
    )
    claim = _find(_claims(extractor, text, "en"), "ceasefire talks")
    assert claim.speaker == "Maya Stern"
    assert claim.quote_type == "direct"


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        (
            "Les deux ministres se verront jeudi à Rome, a-t-on appris mercredi de "
            "sources diplomatiques. La rencontre portera sur les frontières, "
            "a-t-on précisé de même source.",
            "portera sur les frontières",
            "sources diplomatiques",
        ),
        (
            "Selon la préfecture, un entrepôt a été détruit par les flammes. Le feu a "
            "fait trois blessés, selon un bilan provisoire de la même source.",
            "trois blessés",
            "la préfecture",
        ),
        (
            "Selon DataPulse, la marque a été citée dans 4 000 messages par jour.",
            "citée dans 4 000 messages",
            "DataPulse",
        ),
    ],
)
def test_french_sources_named_after_on_or_by_reference(
    extractor: SentenceExtractor, text: str, words: str, speaker: str
) -> None:
    assert _find(_claims(extractor, text, "fr"), words).speaker == speaker


def test_a_quantifier_is_not_a_speaker(extractor: SentenceExtractor) -> None:
    text = "Many said the decision to skip the audit had cost the city dearly."
    claim = _find(_claims(extractor, text, "en"), "cost the city")
    assert claim.speaker == OUTLET


# ---- infinitives of instructions and hearsay; demonstrative subjects ----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The leaflet tells residents to keep water for at least three days.",
            "The leaflet tells residents to keep water for at least three days",
        ),
        (
            "Smugglers are reported to have bribed customs officers at the port.",
            "Smugglers are reported to have bribed customs officers at the port",
        ),
    ],
)
def test_an_infinitive_after_an_object_or_agentless_passive_keeps_its_subject(
    extractor: SentenceExtractor, text: str, expected: str
) -> None:
    (claim,) = _claims(extractor, text, "en")
    assert claim.text == expected
    assert claim.speaker == OUTLET


def test_a_demonstrative_subject_is_kept(extractor: SentenceExtractor) -> None:
    text = (
        '"The army will stay in the north," the spokesman told the radio. '
        '"That is the only plan we have for the winter."'
    )
    claim = _find(_claims(extractor, text, "en"), "only plan")
    assert claim.text.startswith("That is the only plan")


def test_he_inside_a_speakers_own_quote_is_not_the_speaker(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "The rebel commander was released in 2011, said Paul Becker, a researcher. "
        '"He\'s the most wanted man in the region," Becker said.'
    )
    claim = _find(_claims(extractor, text, "en"), "most wanted man")
    assert "Becker" not in claim.text
    assert claim.needs_context


# ---- pronoun subjects that the text does make clear ---------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Norway stayed out of the alliance for decades and it kept its own "
            "coast guard.",
            "en",
            "Norway kept its own coast guard",
        ),
        (
            "La Commission a ouvert une enquête en mars et elle a infligé une amende "
            "de 2 millions d'euros.",
            "fr",
            "La Commission a infligé une amende de 2 millions d'euros",
        ),
    ],
)
def test_a_pronoun_in_a_coordinated_clause_stands_for_the_first_subject(
    extractor: SentenceExtractor, text: str, language: str, expected: str
) -> None:
    texts = [c.text for c in _claims(extractor, text, language)]
    assert expected in texts


def test_it_with_a_complement_of_its_own_is_not_impersonal(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "The new city guide lists every public shelter in the district.\n\n"
        "It teaches families how to store water for a week."
    )
    claim = _find(_claims(extractor, text, "en"), "store water")
    assert claim.text.startswith("The new city guide teaches families")


# ---- a leading concession is a claim of its own; quantities keep their unit ---------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "While the unions have blamed the ministry for the delay, the ministry "
            "has not commented on the strike.",
            "en",
            [
                "The unions have blamed the ministry for the delay",
                "The ministry has not commented on the strike",
            ],
        ),
        (
            "Alors que la ville a fermé trois écoles, le département a ouvert deux "
            "collèges.",
            "fr",
            ["La ville a fermé trois écoles", "Le département a ouvert deux collèges"],
        ),
        (
            "If the dam breaks, three villages will be flooded.",
            "en",
            ["If the dam breaks, three villages will be flooded"],
        ),
    ],
)
def test_a_leading_concession_is_split_but_a_condition_is_not(
    extractor: SentenceExtractor, text: str, language: str, expected: list[str]
) -> None:
    assert [c.text for c in _claims(extractor, text, language)] == expected


def test_a_percentage_keeps_its_sign(extractor: SentenceExtractor) -> None:
    text = "The central bank has raised its main rate to 7.5% this year."
    (claim,) = _claims(extractor, text, "en")
    assert "7.5%" in claim.text


def test_a_french_past_infinitive_takes_the_speaker_as_subject(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "La Russie a affirmé vendredi avoir détruit trois dépôts de munitions. "
        "Les rebelles affirment avoir pris le contrôle de la ville."
    )
    texts = [c.text for c in _claims(extractor, text, "fr")]
    assert "La Russie a détruit trois dépôts de munitions" in texts
    assert "Les rebelles ont pris le contrôle de la ville" in texts
