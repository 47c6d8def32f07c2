"""Page furniture of the sixth round: update lines, link teasers, team sheets.

Snippets written for the test in the style of news pages (no text from a real page).
The pure rules run offline; one integration test runs the real spaCy pipeline to
check that the furniture gives no claim while the story around it still does.
"""

from __future__ import annotations

import pytest

from claimtrack.extract.boilerplate import (
    content_lines,
    is_boilerplate,
    is_link_label,
    is_name_list,
)
from claimtrack.extract.sentences import SentenceExtractor, lines
from tests.test_extract_news_rules import _claims, _find


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("Article mis à jour le 3 mars 2021.", "fr"),
        ("Dernière mise à jour : 14h32", "fr"),
        ("Article updated on 4 May 2022", "en"),
        ("Story published 12:05 GMT", "en"),
        (">> Budget : ce que contient le texte voté cette nuit", "fr"),
        ("► VIDÉO - Les images de la crue à Nîmes", "fr"),
        ("→ Read the full report on the floods", "en"),
        ("TITULAIRESK. Mbappé7O. Giroud9A. Griezmann11N. Kanté", "fr"),
        ("Bench: T. Alexander-Arnold, V. van Dijk, M. Salah", "en"),
    ],
)
def test_furniture_lines(line: str, language: str) -> None:
    assert is_boilerplate(line, language)


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("M. Dupont a rencontré M. Martin et M. Leroy lundi à Rennes.", "fr"),
        ("J. K. Rowling said on Monday that she would sue.", "en"),
        ("Le texte a été mis à jour par le Sénat en 2021.", "fr"),
        ("Articles published in 2020 were cited 300 times.", "en"),
        ("Les prix ont augmenté de 5 % >> selon l'Insee.", "fr"),
    ],
)
def test_prose_is_not_furniture(line: str, language: str) -> None:
    assert not is_boilerplate(line, language)
    assert not is_name_list(line)


@pytest.mark.parametrize(
    ("line", "language", "expected"),
    [
        ("À LIRE AUSSI SUR EXEMPLE.FR", "fr", True),
        ("Lire aussi :", "fr", True),
        ("Related stories", "en", True),
        ("Read more on Example News:", "en", True),
        ("Lire aussi : Le budget adopté", "fr", False),
        ("Lire aussi le rapport de la Cour, publié mardi.", "fr", False),
    ],
)
def test_link_label(line: str, language: str, expected: bool) -> None:
    assert is_link_label(line, language) is expected


def test_titles_under_a_label_are_dropped_not_the_next_sentence() -> None:
    text = (
        "Le conseil a voté le budget mardi.\n\n"
        "À LIRE AUSSI SUR EXEMPLE.FR\n"
        "Le maire face à la fronde des commerçants\n"
        "Les travaux du tramway reprennent en juin\n\n"
        "La ville a emprunté 12 millions d'euros."
    )
    kept = [line for _, line, _ in content_lines(lines(text), "fr")]
    assert kept == [
        "Le conseil a voté le budget mardi.",
        "La ville a emprunté 12 millions d'euros.",
    ]


@pytest.mark.integration
def test_no_claim_from_match_page_furniture(extractor: SentenceExtractor) -> None:
    text = (
        "Article mis à jour le 3 mars 2021.\n\n"
        "TITULAIRESK. Mbappé7O. Giroud9A. Griezmann11N. Kanté\n"
        "RemplaçantsT. Hernandez22J. Koundé5A. Rabiot\n\n"
        "Les Bleus ont battu la Belgique 2-1 samedi soir à Lille.\n\n"
        "Lire aussi\n"
        ">> Le sélectionneur prolonge son contrat jusqu'en 2026\n\n"
        "L'attaquant a marqué son quarantième but en sélection."
    )
    claims = _claims(extractor, text, "fr")
    _find(claims, "battu la Belgique")
    _find(claims, "quarantième but")
    assert len(claims) == 2, [claim.text for claim in claims]
