import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.embed import E5_MINILM, E5_MINILM_WEIGHTS, E5Embedder
from claimtrack.query import (
    DENSE_QUERY_CHARS,
    ENGLISH_MINILM_SHARE,
    dense_query,
    distinct_sentences,
    minilm_share,
    query_vectors,
)

# A forwarded post as claimnorm's social-media posts come: the text three times over.
POST = (
    "Le vaccin modifie l'ADN. Partagez avant suppression !\n"
    "Le vaccin modifie l'ADN. Partagez avant suppression ! "
    "LE VACCIN  modifie l'ADN.\nPartagez avant suppression !"
)


def test_repeated_sentences_are_dropped_ignoring_case_and_spacing():
    assert distinct_sentences(POST) == (
        "Le vaccin modifie l'ADN. Partagez avant suppression !"
    )


def test_order_and_sentences_said_once_are_kept():
    text = "First claim. Second claim? First claim. Third…\n\nSecond claim?"
    assert distinct_sentences(text) == "First claim. Second claim? Third…"


def test_dense_query_cuts_at_a_word_boundary():
    words = " ".join(f"mot{n}" for n in range(200))
    head = dense_query(words)
    assert len(head) <= DENSE_QUERY_CHARS
    assert words.startswith(head + " ")
    assert head.split()[-1] == f"mot{len(head.split()) - 1}"  # no word cut in two


def test_dense_query_keeps_short_text_and_zero_means_uncut():
    assert dense_query("Russia tests a missile.") == "Russia tests a missile."
    long_text = "x " * 500
    assert dense_query(long_text, 0) == long_text.strip()
    assert dense_query("a" * 1000, 10) == "a" * 10  # one word longer than the limit


@given(st.text(), st.integers(min_value=1, max_value=50))
def test_dense_query_never_exceeds_the_limit_nor_invents_words(text, limit):
    head = dense_query(text, limit)
    assert len(head) <= limit
    assert set(head.split()) <= {w for s in text.split() for w in (s, s[:limit])}


# ---- the query's vector, weighed by its language ------------------------------------

E5_PART = E5Embedder.dimensions


def e5_minilm_vector(e5: list[float], minilm: list[float]) -> np.ndarray:
    """A stored e5-minilm vector: the two unit parts scaled by sqrt(0.9), sqrt(0.1)."""

    def unit(head: list[float]) -> np.ndarray:
        part = np.zeros(E5_PART, dtype=np.float32)
        part[: len(head)] = head
        return part / np.linalg.norm(part)

    e5_share, minilm_share_stored = E5_MINILM_WEIGHTS
    return np.hstack(
        [np.sqrt(e5_share) * unit(e5), np.sqrt(minilm_share_stored) * unit(minilm)]
    ).astype(np.float32)


def test_an_english_query_gives_minilm_the_english_share_of_the_cosine():
    query = e5_minilm_vector([1, 0, 0], [1, 0, 0])
    stored = e5_minilm_vector([0.9, 0.1, 0.3], [0.2, 1, 0])
    cos_e5 = 0.9 / np.linalg.norm([0.9, 0.1, 0.3])
    cos_minilm = 0.2 / np.linalg.norm([0.2, 1, 0])
    english, french = query_vectors(np.stack([query, query]), ["en", "fr"], E5_MINILM)
    share = ENGLISH_MINILM_SHARE
    assert english @ stored == pytest.approx(
        (1 - share) * cos_e5 + share * cos_minilm, abs=1e-6
    )
    assert french @ stored == pytest.approx(0.9 * cos_e5 + 0.1 * cos_minilm, abs=1e-6)


def test_the_english_share_can_change_which_stored_claim_is_nearer():
    """E5 prefers the first claim, MiniLM the second: the language decides."""
    query = e5_minilm_vector([1, 0, 0], [1, 0, 0])
    by_e5 = e5_minilm_vector([0.9, np.sqrt(1 - 0.81), 0], [0, 1, 0])
    by_both = e5_minilm_vector([0.8, 0, 0.6], [0.8, 0, 0.6])
    stored = np.stack([by_e5, by_both])
    for language, nearer in (("fr", 0), (None, 0), ("en", 1)):
        weighed = query_vectors(query[None, :], [language], E5_MINILM)
        assert int(np.argmax(stored @ weighed[0])) == nearer, language


def test_other_models_and_languages_keep_the_stored_vector():
    vectors = np.random.default_rng(7).normal(size=(3, 2 * E5_PART)).astype("f4")
    assert query_vectors(vectors, ["en", "en", "en"], "fake/bag-of-words") is vectors
    assert query_vectors(vectors, ["fr", "de", None], E5_MINILM) is vectors
    assert minilm_share("de") == E5_MINILM_WEIGHTS[1]
