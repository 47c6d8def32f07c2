from hypothesis import given
from hypothesis import strategies as st

from claimtrack.query import DENSE_QUERY_CHARS, dense_query, distinct_sentences

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
