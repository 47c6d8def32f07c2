"""Error types of the tenth round, each on a short paragraph written for the test.

Like ``test_extract_news_round9.py``: French and English news style, no text copied
from a real article; the real spaCy models run, scoring embeddings are skipped.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.boilerplate import content_lines, is_boilerplate
from claimtrack.extract.decontext import third_person_singular
from claimtrack.extract.sentences import SentenceExtractor, load_spacy_model
from tests.test_extract_news_rules import OUTLET, _claims

# ---- "we"/"nous" in the page's own words: the body that publishes it -------------


def test_we_in_the_outlets_own_words_is_the_outlet(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "The city court ruled on Tuesday that the ban on the app was unlawful. "
        "We filed our appeal against the ban in March of last year."
    )
    claims = _claims(extractor, text, "en")
    appeal = next(c for c in claims if "appeal" in c.text)
    assert appeal.text.startswith(f"{OUTLET} filed our appeal")
    assert appeal.speaker == OUTLET


def test_nous_in_the_outlets_own_words_is_the_outlet(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "Le tribunal a annulé mardi l'arrêté municipal. "
        "Nous publierons le jugement complet dans notre édition de jeudi."
    )
    claims = _claims(extractor, text, "fr")
    judgement = next(c for c in claims if "jugement" in c.text)
    assert judgement.text.startswith(f"{OUTLET} publiera le jugement")


def test_we_in_a_quote_is_not_the_outlet(extractor: SentenceExtractor) -> None:
    text = (
        '"We will appeal the ruling next week," said Maria Lopez, a tenant '
        "living in the building."
    )
    claims = _claims(extractor, text, "en")
    assert claims
    assert not any(c.text.startswith(OUTLET) for c in claims)


def test_nous_with_a_bare_plural_attribute_stays(
    extractor: SentenceExtractor,
) -> None:
    # "Nous nous portons candidats": in the singular it would no longer agree.
    text = (
        "Le conseil a rejeté le projet de budget lundi. "
        "Nous nous portons candidats à la présidence de la commission des finances."
    )
    claims = _claims(extractor, text, "fr")
    assert not any(f"{OUTLET} se porte candidats" in c.text for c in claims)


# ---- a "nous" verb in the third person singular ----------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Nous intégrons deux nouveaux membres.", "intègre"),  # é opens
        ("Nous publierons un rapport.", "publiera"),  # a future tagged present
        ("Nous prendrons une décision.", "prendra"),
        ("Nous publions un rapport.", "publie"),
        ("Nous lançons un appel.", "lance"),
        ("Nous créons un fonds.", "crée"),
        ("Nous entrons dans une phase nouvelle.", "entre"),  # no future
        ("Nous menons une enquête.", None),  # mène: a rule cannot tell
        ("Nous appelons au calme.", None),  # appelle
    ],
)
def test_a_nous_verb_in_the_singular(sentence: str, expected: str | None) -> None:
    doc = load_spacy_model("fr")(sentence)
    verb = next(t for t in doc if t.pos_ in ("VERB", "AUX"))
    assert third_person_singular(verb) == expected


# ---- page furniture: a bracketed sourcing note, a release's small print, a list ----


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("(Sourcing: most figures come from the state's own budget office).", "en"),
        ("(Source : les chiffres viennent de l'Insee).", "fr"),
        (
            'The name "Northwind" is used in this release for convenience to refer '
            "to Northwind Holdings and its subsidiaries.",
            "en",
        ),
        (
            "This press release contains forward-looking statements that involve "
            "risks and uncertainties.",
            "en",
        ),
        (
            "Université de Lille, Institut Pasteur, École des Mines d'Alès, CNRS, "
            "Inserm, Sciences Po Lyon, Muséum national d'histoire naturelle.",
            "fr",
        ),
        (
            "Oxford, Cambridge, Imperial College London, King's College London, "
            "Durham University and the University of Edinburgh.",
            "en",
        ),
    ],
)
def test_furniture_lines(line: str, language: str) -> None:
    assert is_boilerplate(line, language)


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("Source of the leak was a pipe under the school, the council said.", "en"),
        (
            "The company said in a release on Monday that profits rose 4 % in the "
            "quarter.",
            "en",
        ),
        (
            "Lille, Lyon, Nantes, Rennes et Bordeaux ont voté contre la réforme des "
            "retraites lors du conseil de la métropole.",
            "fr",
        ),
        (
            "The storm hit Dallas, Tulsa, Wichita, Omaha and Topeka on Friday, "
            "forecasters said, and it is heading to Chicago.",
            "en",
        ),
    ],
)
def test_prose_lines_are_not_furniture(line: str, language: str) -> None:
    assert not is_boilerplate(line, language)


def test_teasers_listed_under_a_read_also_label_go() -> None:
    lines = [
        (0, "Le budget de la ville a augmenté de 4 % cette année.", True),
        (60, "A lire aussi :", True),
        (
            80,
            "Revue Urbaine : La ville qui vient. Les maires changent de méthode.",
            True,
        ),
        (160, "Le Journal des Communes : Budgets serrés. Les élus s'inquiètent.", True),
    ]
    kept = [text for _, text, _ in content_lines(lines, "fr")]
    assert kept == ["Le budget de la ville a augmenté de 4 % cette année."]


def test_a_colon_line_without_a_read_also_label_stays() -> None:
    lines = [
        (0, "Le maire : « Nous avons tenu le budget de la ville cette année. »", True),
        (70, "Le budget de la ville a augmenté de 4 % cette année.", True),
    ]
    assert len(list(content_lines(lines, "fr"))) == 2


# ---- ", written by X" after a noun: who wrote the noun, not who speaks ------------


def test_a_participle_by_its_author_is_no_attribution(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "The city library now lends more than 40,000 books, written by local "
        "authors for local readers."
    )
    claims = _claims(extractor, text, "en")
    books = next(c for c in claims if "40,000" in c.text)
    assert books.speaker == OUTLET
    assert books.cue is None


def test_a_tail_said_by_its_speaker_stays(extractor: SentenceExtractor) -> None:
    text = "The library will close in June for repairs, the mayor said on Monday."
    claims = _claims(extractor, text, "en")
    assert claims[0].speaker == "the mayor"


# ---- "he …, he said": the second "he" is the first one's, not a name between ------


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        (
            "Peter Brandt took over the family farm in 2013. Although he still "
            "grows one field of Müller, he agrees that it is a difficult crop.",
            "difficult crop",
            "Peter Brandt",
        ),
        (
            "Tom Hale has coached the club since 2019. Although he signed Luka "
            "Modric in May, he admits that the squad is too thin.",
            "too thin",
            "Tom Hale",
        ),
    ],
)
def test_a_repeated_pronoun_skips_the_name_between(
    extractor: SentenceExtractor, text: str, words: str, speaker: str
) -> None:
    claims = _claims(extractor, text, "en")
    claim = next(c for c in claims if words in c.text)
    assert claim.speaker == speaker


def test_a_single_pronoun_takes_the_name_before_it(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "The council met on Monday. Maria Lopez, who runs the bakery, said she "
        "had lost a third of her customers."
    )
    claims = _claims(extractor, text, "en")
    lost = next(c for c in claims if "third" in c.text)
    assert lost.speaker == "Maria Lopez"
