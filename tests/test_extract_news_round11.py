"""Error types of the eleventh round, each on a short paragraph written for the test.

Like ``test_extract_news_round10.py``: French and English news style, no text copied
from a real article; the real spaCy models run, scoring embeddings are skipped.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.boilerplate import content_lines, is_boilerplate
from claimtrack.extract.sentences import SentenceExtractor, lines
from tests.test_extract_news_rules import _claims

# ---- calls to the reader inside prose: imperatives without a subject --------------


@pytest.mark.parametrize(
    ("text", "language", "prompt"),
    [
        (
            "The council voted on Monday to close two libraries by next spring. "
            "Click through for the full list of branches.",
            "en",
            "Click through",
        ),
        (
            "The strike has cost the airline about 40 million euros so far. "
            "Follow our live coverage on Twitter and Facebook.",
            "en",
            "Follow our",
        ),
        (
            "Turnout reached 61 percent, the highest in two decades. "
            "Don't miss our full analysis of the results.",
            "en",
            "miss our",
        ),
        (
            "Le conseil municipal a voté lundi la fermeture de deux bibliothèques. "
            "Retrouvez la liste complète des sites concernés dans notre rubrique.",
            "fr",
            "liste complète",
        ),
        (
            "La grève a déjà coûté près de 40 millions d'euros à la compagnie. "
            "Suivez-nous sur les réseaux sociaux pour ne rien manquer.",
            "fr",
            "réseaux sociaux",
        ),
    ],
)
def test_a_call_to_the_reader_is_no_claim(
    extractor: SentenceExtractor, text: str, language: str, prompt: str
) -> None:
    claims = _claims(extractor, text, language)
    assert len(claims) == 1, [c.text for c in claims]
    assert prompt not in claims[0].text


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        # A subject: a statement, not an order.
        ("Officials sign the treaty in Geneva on Monday morning.", "en", "treaty"),
        # An imperative that frames a clause keeps its claim.
        ("Note that the council cut the library budget by 4% last year.", "en", "4%"),
        # The author's own first person plural is no call to the reader.
        ("Rappelons que la loi interdit ce pesticide depuis 2018.", "fr", "2018"),
        # A name in -ez that opens a sentence is its subject, not a verb.
        ("Sanchez a annoncé sa démission lundi devant le parlement.", "fr", "Sanchez"),
    ],
)
def test_a_statement_that_looks_like_an_order_stays(
    extractor: SentenceExtractor, text: str, language: str, words: str
) -> None:
    claims = _claims(extractor, text, language)
    assert any(words in c.text for c in claims), [c.text for c in claims]


def test_a_disclosure_inside_a_long_line_is_no_claim(
    extractor: SentenceExtractor,
) -> None:
    # One line of more than forty words: the line rules leave it, the sentences go.
    text = (
        "The new phone sold 2 million units in its first week, the maker said.\n"
        "Some of the links in this guide are affiliate links, and the shops pay the "
        "site for every click. If you buy through them, we may earn a small "
        "commission at no cost to you, which keeps the guide free for every reader "
        "who comes to it."
    )
    claims = _claims(extractor, text, "en")
    assert [c.text for c in claims] == [
        "The new phone sold 2 million units in its first week"
    ]


def test_a_sentence_with_a_web_address_is_no_claim(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "The ministry published its report on Tuesday. The full report is at "
        "https://example.org/report-2024 for anyone who wants to read it."
    )
    claims = _claims(extractor, text, "en")
    assert [c.text for c in claims] == ["The ministry published its report on Tuesday"]


# ---- code, tables and reference lists flattened into lines ------------------------


@pytest.mark.parametrize(
    "line",
    [
        "$ pip install --upgrade requests",
        "| Région | Nombre de lits | Taux d'occupation | 2023 |",
        "|   |-- settings.py",
        "from django.conf import settings",
        "import numpy, pandas",
        "response = client.get(url, timeout=5)",
        '- ^ Dupont, M. (2019). "Une histoire des revues". Revue Éco. 12: 4-19.',
        '"How the index was built". Data Notes. Retrieved 4 March 2021.',
        "Martin, J. (2020). Counting votes. arXiv:2001.01234 [cs.CY].",
        "Report on rural schools (PDF). Ministry of Education.",
    ],
)
def test_code_tables_and_references_are_boilerplate(line: str) -> None:
    assert is_boilerplate(line, "en")
    assert is_boilerplate(line, "fr")


@pytest.mark.parametrize(
    "line",
    [
        # Prose with a pipe inside, a dotted abbreviation, "import" as a noun.
        "The vote passed 52-48 | a margin nobody expected, the speaker said later.",
        "The U.S. (and Canada) agreed to the deal on Friday.",
        "Import duties on steel rose by 25% in March, the ministry said.",
        "She retrieved the files from the archive in May 2020.",
    ],
)
def test_prose_stays_content(line: str) -> None:
    assert not is_boilerplate(line, "en")


def test_a_story_laid_out_in_one_table_cell_keeps_its_claims(
    extractor: SentenceExtractor,
) -> None:
    # Old pages put the whole story in one cell, which trafilatura reads as one
    # "| … |" line: the cell is prose, so its sentences are claims.
    story = (
        "| WASHINGTON (AP) - The city council approved a new budget on Tuesday. "
        "The plan raises spending on schools by 4% and cuts the road budget by "
        "$2 million, officials said. Opponents said the cuts would delay repairs "
        "on the main bridge for at least two years. The mayor will sign it next "
        "week. |"
    )
    assert not is_boilerplate(story, "en")
    claims = _claims(extractor, story, "en")
    assert any("approved a new budget" in claim.text for claim in claims)


def test_lines_under_a_references_heading_go() -> None:
    text = (
        "The algorithm was published in 2008.\n"
        "References[edit]\n"
        "Visualizing high-dimensional data with maps\n"
        "Further work on neighbour embeddings"
    )
    kept = [line for _, line, _ in content_lines(lines(text), "en")]
    assert kept == ["The algorithm was published in 2008."]


# ---- an author's note at the foot of the page ---------------------------------


def test_an_authors_note_at_the_end_is_boilerplate() -> None:
    text = (
        "Jane Porter is a reporter who covered the trial from its first day.\n\n"
        "The court will rule on the appeal in June.\n\n"
        "Jane Porter is an award-winning journalist and the author of two books on "
        "the water industry. She lives in Leeds."
    )
    kept = [line for _, line, _ in content_lines(lines(text), "en")]
    # The same words early in the story are the story; at its foot, a note.
    assert kept == [
        "Jane Porter is a reporter who covered the trial from its first day.",
        "The court will rule on the appeal in June.",
    ]


def test_une_note_sur_lautrice_en_fin_darticle_est_du_boilerplate() -> None:
    text = (
        "Le tribunal rendra sa décision en juin.\n\n"
        "Claire Morel est journaliste indépendante et autrice d'un livre sur l'eau."
    )
    kept = [line for _, line, _ in content_lines(lines(text), "fr")]
    assert kept == ["Le tribunal rendra sa décision en juin."]


# ---- notes about the page itself, end marks, "covers X for Y" author notes -------


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("(END)", "en"),
        ("-30-", "en"),
        ("###", "en"),
        ("Editor's note: This story has been updated with the council's reply.", "en"),
        ("This article originally appeared in The Valley Courier.", "en"),
        ("This story is republished from a partner site under a free licence.", "en"),
        ("An earlier version of this story misstated the date of the vote.", "en"),
        ("Get the week's best stories delivered to your inbox.", "en"),
        ("NDLR : les chiffres ont été corrigés après la publication.", "fr"),
        ("Cet article a été initialement publié dans La Tribune du Nord.", "fr"),
        ("Une version précédente de cet article indiquait une mauvaise date.", "fr"),
    ],
)
def test_a_note_about_the_page_is_boilerplate(line: str, language: str) -> None:
    assert is_boilerplate(line, language)


@pytest.mark.parametrize(
    "line",
    [
        "The study, originally published in a medical journal, found a 4% rise.",
        "The data was republished under a new licence by the agency.",
        "The first version of the bill was rejected in March.",
    ],
)
def test_the_same_words_about_something_else_stay(line: str) -> None:
    assert not is_boilerplate(line, "en")


def test_a_covers_note_at_the_end_is_boilerplate() -> None:
    text = (
        "The plant will close in 2026, the company said.\n\n"
        "Sam Reyes covers energy and climate for the paper."
    )
    kept = [line for _, line, _ in content_lines(lines(text), "en")]
    assert kept == ["The plant will close in 2026, the company said."]


# ---- "we" of a speaker whose title in capitals names the body ---------------------


def test_we_of_a_speaker_with_a_capitalised_title_is_the_body(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "“We will appeal the ruling within a month,” said Anna Berg, Chief Executive "
        "of Nordic Rail."
    )
    claims = _claims(extractor, text, "en")
    assert [c.text for c in claims] == [
        "Nordic Rail will appeal the ruling within a month"
    ]
    assert not claims[0].needs_context


def test_a_run_of_names_after_a_title_names_no_body(
    extractor: SentenceExtractor,
) -> None:
    # "Group" and "Asia Pacific" are not what the title names: "we" stays, flagged.
    text = (
        '"We are pleased to open our first resort in the region," said David Lee, '
        "Group President, Asia Pacific, Orchid Hotels Corporation."
    )
    claims = _claims(extractor, text, "en")
    assert [c.text.split()[0] for c in claims] == ["We"]
    assert claims[0].needs_context


# ---- a person named by a demonym: the article gives the gender -------------------


def test_a_demonym_person_takes_the_gender_of_its_article(
    extractor: SentenceExtractor,
) -> None:
    # "Le" is no first name: the name dictionary called "Le Breton" a woman, and "il"
    # then found nobody.
    text = (
        "Le Breton prend trop son temps et ne trouve pas son partenaire. "
        "Il arrive quand même à tirer, mais le ballon passe au-dessus."
    )
    claims = _claims(extractor, text, "fr")
    assert any(c.text.startswith("Le Breton arrive") for c in claims), [
        c.text for c in claims
    ]


# ---- widgets of publishing systems: credits, newsletter replies, comments, shares --


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("Illustration by Ana Ruiz / The Ledger", "en"),
        ("Photo by Sam Lee for the Herald", "en"),
        ("Edited by: Rob Miller", "en"),
        ("You can unsubscribe at any time by clicking the link in our emails.", "en"),
        ("Thanks for signing up!", "en"),
        (
            "A welcome email is on its way; check your junk folder.",
            "en",
        ),
        ("The next issue of Morning Brief will soon be in your inbox.", "en"),
        (
            "This advertisement has not loaded yet, but your article continues below.",
            "en",
        ),
        ("Comments may take up to an hour to appear on the site.", "en"),
        ("Join the conversation", "en"),
        ("12 comments", "en"),
        ("Like this:", "en"),
        ("Like Loading...", "en"),
        ("Facebook (Opens in new window)", "en"),
        (
            "If you buy something through our links, we may get a share of the sale.",
            "en",
        ),
        ("Vous pouvez vous désinscrire à tout moment depuis nos courriels.", "fr"),
        ("Merci pour votre inscription !", "fr"),
        ("Laisser un commentaire", "fr"),
        (
            "Si vous achetez un produit via nos liens, nous touchons une commission.",
            "fr",
        ),
        ("J’aime chargement…", "fr"),
        ("Édité par : Marie Roux", "fr"),
    ],
)
def test_a_widget_line_is_boilerplate(line: str, language: str) -> None:
    assert is_boilerplate(line, language)


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("Voters will join the conversation on Monday, the mayor said.", "en"),
        ("Users can unsubscribe from the service since May, the regulator said.", "en"),
        ("The photo by the agency was shared two million times.", "en"),
        ("Les spams représentent 45 % des courriels reçus en France.", "fr"),
    ],
)
def test_the_widgets_words_in_a_story_stay(line: str, language: str) -> None:
    assert not is_boilerplate(line, language)


def test_editors_picks_label_drops_the_titles_under_it() -> None:
    text = (
        "The bridge will reopen in May.\n"
        "Editors' Recommendations\n"
        "The best budget phones of the year\n"
        "How to back up your photos"
    )
    kept = [line for _, line, _ in content_lines(lines(text), "en")]
    assert kept == ["The bridge will reopen in May."]


def test_a_lets_signpost_is_no_claim(extractor: SentenceExtractor) -> None:
    text = (
        "The parser reads 2 gigabytes a second on one core. Let us know what you "
        "think in the comments."
    )
    claims = _claims(extractor, text, "en")
    assert [c.text for c in claims] == [
        "The parser reads 2 gigabytes a second on one core"
    ]


def test_an_english_body_with_its_article_is_no_he(
    extractor: SentenceExtractor,
) -> None:
    # The demonym rule is French: an English body named with its article ("the
    # Diplomatic Protection Service") is no person a later "he" stands for.
    text = (
        "During his years in the Diplomatic Protection Service, Marsh worked on "
        "drug seizures. "
        "In the 1990s, Marsh served on the crews of two cutters; he was assigned "
        'to "protect the fishing fleets in winter," he said in court in 2011.'
    )
    claims = _claims(extractor, text, "en")
    assert not any("Service was assigned" in c.text for c in claims), [
        c.text for c in claims
    ]


# ---- a French concession whose closing comma the parser hangs on its clause ---------


@pytest.mark.parametrize(
    ("text", "concession", "main"),
    [
        (
            "Alors que le gouvernement promet une baisse des impôts, la dette publique "
            "continue de grimper.",
            "Le gouvernement promet une baisse des impôts",
            "La dette publique continue de grimper",
        ),
        (
            "Alors que les ventes reculent en Europe, le constructeur a ouvert deux "
            "usines en Asie.",
            "Les ventes reculent en Europe",
            "Le constructeur a ouvert deux usines en Asie",
        ),
    ],
)
def test_alors_que_opening_a_sentence_gives_two_claims(
    extractor: SentenceExtractor, text: str, concession: str, main: str
) -> None:
    # The small French model makes the comma the last token of the "alors que"
    # clause, so the concession was never cut off: one claim held both facts.
    claims = _claims(extractor, text, "fr")
    assert [c.text for c in claims] == [concession, main]


@pytest.mark.parametrize(
    "text",
    [
        # A condition and a subjunctive concession stay one claim.
        "Même si la ville a perdu des habitants, le nombre d'écoles a augmenté.",
        "Bien que la ville ait perdu des habitants, le nombre d'écoles a augmenté.",
    ],
)
def test_a_condition_or_bien_que_stays_whole(
    extractor: SentenceExtractor, text: str
) -> None:
    claims = _claims(extractor, text, "fr")
    assert [c.text for c in claims] == [text.rstrip(".")]


# ---- "whereas" with no comma before it still opens a clause of its own --------------


def test_whereas_without_a_comma_gives_two_claims(
    extractor: SentenceExtractor,
) -> None:
    text = (
        "The north terrace is ideal for small dinners whereas the main hall is "
        "suited for large banquets."
    )
    claims = _claims(extractor, text, "en")
    assert [c.text for c in claims] == [
        "The north terrace is ideal for small dinners",
        "The main hall is suited for large banquets",
    ]


def test_though_without_a_comma_stays_one_claim(extractor: SentenceExtractor) -> None:
    # Only "whereas" needs no comma: "though" is also an adverb ("It rained though"),
    # so without a comma the sentence is left whole.
    text = "The council approved the budget on Monday though the vote was close."
    claims = _claims(extractor, text, "en")
    assert [c.text for c in claims] == [text.rstrip(".")]
