"""The matcher's rules: what is stored, verdicts only from same, clusters that agree.

Fake backends throughout (bag-of-words vectors, FakePairModel): the rules are what is
tested here, not the models; tests/test_matching_demo.py runs the real ones.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from claimtrack.decision import PairDecision, PairSide
from claimtrack.embed import E5_MINILM, E5Embedder
from claimtrack.index import ClaimIndex, Item, ReplayIndex
from claimtrack.lexical import (
    DEFAULT_TOKENIZER,
    BM25Index,
    RareWordQuery,
    Tokenizer,
    bm25_rerank,
    idf,
    rank_matches,
)
from claimtrack.matcher import (
    SUGGESTIONS_PER_CLAIM,
    Clusters,
    Decided,
    Matcher,
    keep_decisions,
)
from claimtrack.models import Article, Claim, ClaimLink, FactCheck
from claimtrack.store import ClaimStore
from claimtrack.testing import (
    FakeEmbedder,
    FakePairModel,
    e5_minilm_vector,
    fake_tracker,
)
from claimtrack.tracker import Tracker, reembed


def article(article_id: str, text: str, published: str = "2024-01-01") -> Article:
    return Article(
        id=article_id, text=text, language="en", outlet=article_id, published=published
    )


def link(claim: str, earlier: str, decision: str, score: float = 0.9) -> ClaimLink:
    return ClaimLink(
        claim_id=claim,
        earlier_claim_id=earlier,
        score=score,
        decision=decision,  # type: ignore[arg-type]
        method="test",
        model_id="m",
    )


# ---- what is stored ------------------------------------------------------------------


def decided(stored: str, decision: str | None, probability: float) -> Decided:
    return Decided(
        "new",
        stored,
        PairDecision(decision=decision, probability=probability, method="t"),  # type: ignore[arg-type]
    )


def test_keep_decisions_keeps_same_and_opposite_and_the_three_best_suggestions():
    pairs = [
        decided("s1", "suggested", 0.5),
        decided("s2", "suggested", 0.7),
        decided("x", None, 0.3),
        decided("o", "opposite", 0.2),
        decided("s3", "suggested", 0.6),
        decided("same", "same", 0.99),
        decided("s4", "suggested", 0.55),
    ]
    kept = keep_decisions(pairs)
    assert [(p.stored_id, p.decision.decision) for p in kept] == [
        ("same", "same"),
        ("s2", "suggested"),
        ("s3", "suggested"),
        ("s4", "suggested"),
        ("o", "opposite"),
    ]
    suggested = [p for p in kept if p.decision.decision == "suggested"]
    assert len(suggested) == SUGGESTIONS_PER_CLAIM


class RecordingPairModel:
    """Says "suggested" to every pair, and remembers which it was asked about."""

    def __init__(self) -> None:
        self.pairs: list[tuple[PairSide, PairSide]] = []

    def decide_many(
        self, pairs: Sequence[tuple[PairSide, PairSide]]
    ) -> list[PairDecision]:
        self.pairs.extend(pairs)
        return [
            PairDecision(decision="suggested", probability=0.5, method="r")
            for _ in pairs
        ]


def test_candidates_come_from_words_as_well_as_vectors():
    """A stored claim that shares a rare word with the query is a candidate."""
    embedder = FakeEmbedder(dimensions=64)
    index = ReplayIndex(64)
    texts = {
        "a": "Zaporizhzhia reactor shutdown confirmed by inspectors",
        "b": "Weather was fine in the capital today",
        "c": "The parliament votes on Tuesday",
    }
    index.add(
        [
            Item(i, t, embedder.embed_all([t])[0], language="en")
            for i, t in texts.items()
        ]
    )
    hits = index.candidates(
        ["Zaporizhzhia"], embedder.embed_all(["Zaporizhzhia"]), limit=3
    )
    assert hits[0][0].id == "a"


def test_every_stored_link_has_a_decision_and_at_most_three_suggestions(
    store: ClaimStore,
):
    model = RecordingPairModel()
    tracker = Tracker(store, extractor="fake", embedder="fake", pair_model=model)
    for n in range(8):
        tracker.ingest(article(f"a{n}", f"The project cost {n} million euros."))
    rows = list(store.db.query("select claim_id, decision from claim_links"))
    assert rows and {row["decision"] for row in rows} == {"suggested"}
    per_claim: dict[str, int] = {}
    for row in rows:
        per_claim[row["claim_id"]] = per_claim.get(row["claim_id"], 0) + 1
    assert max(per_claim.values()) == SUGGESTIONS_PER_CLAIM
    assert model.pairs  # the model decided every stored pair


# ---- verdicts only from same ---------------------------------------------------


MILLION = "The minister said the project cost 1 million euros."


def fact_check(fc_id: str, text: str, rating: str) -> FactCheck:
    return FactCheck(
        id=fc_id,
        claim_reviewed=text,
        rating=rating,  # type: ignore[arg-type]
        rating_text=rating,
        reviewer="Checkers",
        language="en",
    )


def test_only_a_same_fact_check_gives_a_verdict(store: ClaimStore):
    tracker = fake_tracker(store)
    tracker.ingest(article("a1", MILLION))
    tracker.ingest(article("a2", "Weather was fine in the capital today."))
    result = tracker.import_fact_checks(
        [
            fact_check("opposite", "The project did not cost 1 million euros.", "true"),
            fact_check("other-number", "The project cost 5 million euros.", "mixed"),
        ]
    )
    decisions = {link.fact_check_id: link.decision for link in result.links}
    assert decisions == {"opposite": "opposite", "other-number": "suggested"}
    # Neither the opposite nor the suggested fact-check is a verdict.
    assert {tc.verdict for tc in store.tracked_claims()} == {None}
    assert not list(store.db.query("select * from fact_checked_claims_seen_again"))

    tracker.import_fact_checks([fact_check("same", MILLION, "false")])
    (million,) = [tc for tc in store.tracked_claims() if tc.text == MILLION]
    assert million.verdict == "false"
    seen_again = list(store.db.query("select * from fact_checked_claims_seen_again"))
    assert {row["fact_check_id"] for row in seen_again} == {"same"}
    others = [tc for tc in store.tracked_claims() if tc.text != MILLION]
    assert {tc.verdict for tc in others} == {None}


def test_a_new_mention_meets_stored_fact_checks_by_the_same_rule(store: ClaimStore):
    tracker = fake_tracker(store)
    tracker.import_fact_checks(
        [fact_check("opposite", "The project did not cost 1 million euros.", "true")]
    )
    result = tracker.ingest(article("a1", MILLION))
    assert [link.decision for link in result.fact_check_links] == ["opposite"]
    assert {tc.verdict for tc in store.tracked_claims()} == {None}
    tracker.import_fact_checks([fact_check("same", MILLION, "false")])
    # A later mention joins the tracked claim and shows its same verdict only.
    later = tracker.ingest(
        article(
            "a2", "The minister said the project cost 1 million euros!", "2024-02-01"
        )
    )
    (claim,) = later.claims
    verdicts = {tc.id: tc.verdict for tc in store.tracked_claims()}
    assert verdicts[str(claim.tracked_claim_id)] == "false"


def test_suggested_fact_checks_are_pruned_to_three_per_claim(store: ClaimStore):
    tracker = fake_tracker(store)
    tracker.ingest(article("a1", MILLION))
    tracker.import_fact_checks(
        [
            fact_check(f"fc{n}", f"The project cost {n} million euros.", "false")
            for n in range(2, 9)
        ]
    )
    rows = list(store.db.query("select decision from fact_check_links"))
    assert [row["decision"] for row in rows] == ["suggested"] * SUGGESTIONS_PER_CLAIM


# ---- clusters ------------------------------------------------------------------------


def test_a_same_link_merges_two_tracked_claims():
    clusters = Clusters()
    clusters.add_stored("a", "A", 2)
    clusters.add_stored("b", "B", 1)
    placed = clusters.place("new", [link("new", "a", "same"), link("new", "b", "same")])
    assert {p.decision for p in placed} == {"same"}
    assert clusters.tracked_id("new") == clusters.tracked_id("b") == "A"
    assert clusters.merges() == {"B": "A"}


def test_a_same_link_never_joins_an_opposite_pair():
    clusters = Clusters()
    clusters.add_stored("a", "A")
    clusters.add_stored("b", "B")
    clusters.add_conflict("A", "B")
    placed = clusters.place(
        "new", [link("new", "a", "same", 0.95), link("new", "b", "same", 0.9)]
    )
    decisions = {p.earlier_claim_id: (p.decision, p.method) for p in placed}
    assert decisions["a"] == ("same", "test")
    assert decisions["b"] == ("suggested", "test+cluster-conflict")
    assert clusters.tracked_id("new") == "A" != clusters.tracked_id("b")
    assert clusters.merges() == {}


def test_an_opposite_link_keeps_a_new_mention_out():
    clusters = Clusters()
    clusters.add_stored("a", "A")
    placed = clusters.place("new", [link("new", "a", "opposite")])
    assert placed[0].decision == "opposite"
    assert clusters.tracked_id("new") == "new" != clusters.tracked_id("a")


# Claims written from parts, so that a few are paraphrases (same), some negations
# (opposite) and some change a number (suggested at most).
_SUBJECTS = ("Russia has", "The Kremlin has")
_VERBS = ("mobilised 300 soldiers near Kyiv", "mobilised 500 soldiers near Kyiv")
claim_texts = st.lists(
    st.tuples(
        st.sampled_from(_SUBJECTS),
        st.booleans(),
        st.sampled_from(_VERBS),
        st.booleans(),
    ).map(
        lambda parts: (
            f"{parts[0]} {'not ' if parts[1] else ''}{parts[2]}"
            f"{' this week' if parts[3] else ''}."
        )
    ),
    min_size=2,
    max_size=6,  # every earlier claim is a candidate (5 per claim)
    unique=True,
)


def ingest_in_order(texts: list[str], order: list[int]) -> ClaimStore:
    store = ClaimStore(Database(memory=True))
    tracker = fake_tracker(store)
    for position in order:
        tracker.ingest(article(f"a{position}", texts[position]))
    return store


def partition(store: ClaimStore) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for row in store.db.query("select text, tracked_claim_id from claims"):
        groups.setdefault(row["tracked_claim_id"], set()).add(row["text"])
    return {frozenset(group) for group in groups.values()}


def assert_clusters_agree_with_links(store: ClaimStore) -> None:
    sql = """
        select claim_links.decision, a.tracked_claim_id as a, b.tracked_claim_id as b
        from claim_links
        join claims as a on a.id = claim_links.claim_id
        join claims as b on b.id = claim_links.earlier_claim_id
    """
    for row in store.db.query(sql):
        if row["decision"] == "same":
            assert row["a"] == row["b"]
        if row["decision"] == "opposite":
            assert row["a"] != row["b"]
    tracked = {row["id"] for row in store.db.query("select id from tracked_claims")}
    used = {row["t"] for row in store.db.query("select tracked_claim_id t from claims")}
    assert tracked == used  # every mention tracked, no empty tracked claim
    counts = store.db.query(
        """select tracked_claims.mentions, count(*) as n from tracked_claims
        join claims on claims.tracked_claim_id = tracked_claims.id
        group by tracked_claims.id"""
    )
    assert all(row["mentions"] == row["n"] for row in counts)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(texts=claim_texts, data=st.data())
def test_clusters_agree_with_links_whatever_the_ingest_order(texts, data):
    first = ingest_in_order(texts, list(range(len(texts))))
    order = data.draw(st.permutations(list(range(len(texts)))))
    second = ingest_in_order(texts, order)
    for store in (first, second):
        assert_clusters_agree_with_links(store)
    opposites = first.db.execute(
        "select count(*) from claim_links where decision = 'opposite'"
    ).fetchone()[0]
    if not opposites:
        # Without opposites, tracked claims are the components of the same links.
        assert partition(first) == partition(second)


@settings(max_examples=15, deadline=None)
@given(texts=claim_texts)
def test_reembed_replays_the_same_rules(texts):
    store = ingest_in_order(texts, list(range(len(texts))))
    before = partition(store)
    reembed(
        store,
        FakeEmbedder(dimensions=1024, model_id="fake/other"),
        pair_model=FakePairModel(),
    )
    assert_clusters_agree_with_links(store)
    assert partition(store) == before


# ---- words in FTS5 --------------------------------------------------------------


@pytest.fixture(scope="module")
def small_index() -> ClaimIndex:
    store = ClaimStore(Database(memory=True))
    tracker = fake_tracker(store)
    tracker.ingest(article("a1", MILLION + " The vote is on Tuesday in parliament."))
    return tracker.claim_index


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_is_a_safe_full_text_query(small_index: ClaimIndex, text: str):
    (hits,) = small_index.lexical_hits([text], limit=5)
    assert all(isinstance(score, float) for _, score in hits)
    memory = BM25Index()
    memory.add(["x"], [MILLION])
    memory.search([text], limit=5)


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "NEAR(a b)",
        "cost*",
        "text: million",
        "AND OR NOT",
        "-",
        "^x",
        "'",
    ],
)
def test_fts5_syntax_in_a_query_is_searched_as_words(small_index, text):
    small_index.lexical_hits([text], limit=5)
    hits = small_index.similar(text + " million", k=3)
    assert hits and hits[0].id


def test_search_uses_the_hybrid_ranking(store: ClaimStore):
    tracker = fake_tracker(store)
    tracker.ingest(article("a1", MILLION))
    tracker.ingest(article("a2", "Weather was fine in the capital today."))
    hits = tracker.search("project cost", k=2)
    assert hits[0].claim.text == MILLION
    assert -1.0 <= hits[0].score <= 1.0  # the cosine, shown to users


def test_matcher_for_the_default_model_loads_the_shipped_pair_model():
    matcher = Matcher.for_model("e5-minilm")
    assert matcher.candidates >= 1
    vector = np.ones(768, dtype=np.float32) / np.sqrt(768)
    side = PairSide("Russia mobilised 300,000 soldiers.", "en", vector)
    assert matcher.pair_model.decide_many([(side, side)])[0].decision == "same"


@pytest.mark.asyncio
async def test_the_claim_page_shows_opposite_and_suggested_fact_checks_apart(tmp_path):
    from tests.publish_helpers import make_datasette, plugin_registered

    path = tmp_path / "claims.db"
    tracker = fake_tracker(ClaimStore(path))
    (claim,) = tracker.ingest(article("a1", MILLION)).claims
    tracker.import_fact_checks(
        [
            fact_check("opposite", "The project did not cost 1 million euros.", "true"),
            fact_check("other-number", "The project cost 5 million euros.", "mixed"),
        ]
    )
    tracker.store.checkpoint()
    tracker.store.db.close()
    with plugin_registered():
        datasette = make_datasette(path)
        html = (await datasette.client.get(f"/-/claimtrack/claim/{claim.id}")).text
    assert "No fact-check of this claim yet." in html
    assert "reviews the opposite claim: true" in html
    assert "Suggested fact-checks, not confirmed" in html
    assert "rated mixed" in html
    assert 'class="claimtrack-verdict"' not in html  # no verdict shown in bold


# ---- rarer words only: what BM25 costs does not grow with the collection -----------


def test_the_query_keeps_the_rarest_words_within_the_postings_budget():
    frequency = {"the": 9000, "said": 4000, "missil": 30, "russia": 600, "test": 900}
    query = RareWordQuery(
        lambda terms: {t: frequency.get(t, 0) for t in terms}, budget=1600
    )
    # "missiles" is the rarest, then "Russia" and "tests"; "the" and "said" would
    # pass the budget. "Zanzibar" is in no document: it cannot match, so it is left out.
    assert query.words("The Russia tests said the missiles Zanzibar") == [
        "russia",
        "tests",
        "missiles",
    ]
    # The rarest word is kept even when it alone passes the budget.
    assert query.words("the said") == ["said"]


def test_the_query_finds_a_new_word_as_soon_as_it_is_stored():
    index = BM25Index()
    index.add(["a"], ["Russia tests a missile"])
    assert index.search(["Zanzibar missile"], limit=5)[0][0][0] == "a"
    index.add(["b"], ["Zanzibar hosts the games"])
    # "zanzibar" was in no document at the first search: no frequency was cached.
    assert index.search(["Zanzibar"], limit=5)[0][0][0] == "b"


def test_the_claim_index_queries_rarer_words_of_its_fts5_table(store: ClaimStore):
    tracker = fake_tracker(store)
    for n in range(30):
        tracker.ingest(
            article(f"common{n}", f"The minister said the vote {n} is close.")
        )
    tracker.ingest(article("rare", "The minister said the cobalt mine is closed."))
    index = tracker.claim_index
    index._words.budget = 5  # the common words pass it; "cobalt" and "mine" do not
    (hits,) = index.lexical_hits(["the minister said the cobalt mine"], limit=3)
    assert [hit_id for hit_id, _ in hits] == [
        claim.id for claim in store.claims() if "cobalt" in claim.text
    ]
    # "cobalt" was in no claim when the article was matched before being stored:
    # the search after it was stored asked its frequency again.
    assert index._words.words("the minister said the cobalt mine") == ["cobalt", "mine"]


def test_rows_rank_by_the_summed_idf_of_the_words_they_hold():
    # Row 3 holds both words, row 7 only the common one, row 9 only the rare one.
    ranked = rank_matches({"cobalt": [3, 9], "mine": [3, 7, 8, 10]}, 100, limit=3)
    assert [row for row, _ in ranked] == [3, 9, 7]
    assert ranked[0][1] == pytest.approx(idf(100, 2) + idf(100, 4))
    # A word in most documents still counts a little, never against a row.
    assert idf(100, 99) > 0


def test_bm25_rerank_counts_repeats_and_prefers_short_texts():
    texts = {
        1: "cobalt " + "word " * 20,
        2: "cobalt",
        3: "cobalt cobalt " + "word " * 20,
    }
    pool = [(1, 1.0), (2, 1.0), (3, 1.0)]
    ranked = bm25_rerank(
        pool,
        {"cobalt": idf(100, 3)},
        texts,
        average_length=10,
        tokenizer=Tokenizer(),
        limit=3,
    )
    assert [row for row, _ in ranked] == [2, 3, 1]


def test_bm25_rerank_weighs_common_words_that_found_no_row():
    # Both rows hold the rare word; only row 2 also holds the common "minister",
    # too common to be queried: it still orders the two.
    texts = {1: "the cobalt mine closed", 2: "the minister closed cobalt"}
    weight = {"cobalt": idf(1000, 2), "minist": idf(1000, 400)}
    ranked = bm25_rerank(
        [(1, 1.0), (2, 1.0)],
        weight,
        texts,
        average_length=3,
        tokenizer=Tokenizer(),
        limit=2,
    )
    assert [row for row, _ in ranked] == [2, 1]


def test_a_queried_word_corrects_its_cached_frequency():
    frequency = {"cobalt": 1}
    query = RareWordQuery(lambda terms: {t: frequency.get(t, 0) for t in terms})
    index_rows = {'"cobalt"': np.array([1, 2, 3])}
    matches = query.matches("cobalt", lambda word: index_rows[word])
    assert {word: rows.tolist() for word, rows in matches.items()} == {
        "cobalt": [1, 2, 3]
    }
    frequency["cobalt"] = 1000  # fts5vocab is not read again: the cache knows 3
    assert query.document_frequency(["cobalt"]) == {"cobalt": 3}


def test_bm25_index_ranks_the_rarer_shared_word_first():
    index = BM25Index()
    texts = [f"the minister said vote {n}" for n in range(20)] + [
        "the minister said cobalt"
    ]
    index.add([str(n) for n in range(21)], texts)
    (hits,) = index.search(["minister cobalt"], limit=3)
    assert hits[0][0] == "20"
    assert len(hits) == 3


def test_tokenizer_gives_the_terms_fts5_indexes():
    assert Tokenizer().terms(["funding", "États", "l'arme"]) == {
        "funding": ("fund",),
        "États": ("etat",),
        "l'arme": ("l", "arm"),
    }


def test_a_number_is_its_own_term_as_fts5_indexes_it():
    tokenizer = Tokenizer()
    numbers = ["2024", "0042", "300000"]
    assert tokenizer.terms(numbers) == {n: (n,) for n in numbers}
    # The shortcut gives what the FTS5 tokenizer gives.
    fts = sqlite3.connect(":memory:")
    fts.execute(
        f"create virtual table t using fts5(x, tokenize = '{DEFAULT_TOKENIZER}')"
    )
    fts.execute("create virtual table v using fts5vocab(t, row)")
    fts.executemany("insert into t (x) values (?)", [(n,) for n in numbers])
    assert {term for (term,) in fts.execute("select term from v")} == set(numbers)
    assert tokenizer.terms(["2000s"]) == {"2000s": ("2000",)}  # not only digits


def test_frequencies_are_counted_up_to_the_budget_and_estimated_past_it():
    rows = {'"cobalt"': [4, 9], '"the"': list(range(1, 101))}
    asked: list[tuple[str, int]] = []

    def postings(word: str, cap: int) -> np.ndarray:
        asked.append((word, cap))
        return np.array(rows.get(word, [])[:cap], dtype=np.int64)

    def walk(terms: object) -> dict[str, int]:
        raise AssertionError("fts5vocab is not read when rows can be counted")

    query = RareWordQuery(walk, budget=100, postings=postings)
    query.collection_size(1000)
    query.sample(["the mine"] * 3 + ["a cobalt"])  # "the": 3 of 4 sampled texts
    chosen = query.choose("the cobalt zanzibar")
    assert chosen.kept == ["cobalt"]
    # Counted exactly within the budget, never beyond it (cap = budget + 1).
    assert chosen.frequency["cobalt"] == 2
    assert ('"cobalt"', 101) in asked
    # "the" is far past the budget by the sample (750 of 1,000): not counted.
    assert chosen.frequency["the"] == 750
    assert all(word != '"the"' for word, _ in asked)
    # The rows read while counting are the kept word's rows: not read again.
    asked.clear()
    found = query.matches("the cobalt", lambda word: np.array(rows[word]))
    assert found["cobalt"].tolist() == [4, 9] and asked == []


def test_term_counts_survive_the_cache_filling_up(monkeypatch):
    import claimtrack.lexical as lexical

    monkeypatch.setattr(lexical, "_TEXT_CACHE_SIZE", 3)
    tokenizer = Tokenizer()
    tokenizer.text_terms(["a cobalt mine", "the mine"])
    # Two known texts and two new ones pass the cache's size: it is emptied first.
    counts = tokenizer.text_terms(["the mine", "a cobalt mine", "mines", "no"])
    assert [length for length, _ in counts] == [2, 3, 1, 1]
    assert counts[2][1] == {"mine": 1}


# ---- candidates by the new claim's language ------------------------------------------


@pytest.mark.parametrize(("language", "candidate"), [("fr", "e5"), ("en", "both")])
def test_an_english_claims_candidates_weigh_minilm_more(language, candidate):
    """E5 alone prefers one stored claim, E5 and MiniLM together the other.

    The texts share no word, so BM25 has no say; with one candidate a claim, the
    pair model only sees the nearest by the language's weights.
    """
    index = ReplayIndex(2 * E5Embedder.dimensions)
    index.add(
        [
            Item("s1", "e5", e5_minilm_vector([0.9, np.sqrt(0.19)], [0, 1])),
            Item("s2", "both", e5_minilm_vector([0.8, 0, 0.6], [0.8, 0, 0.6])),
        ]
    )
    pairs = RecordingPairModel()
    matcher = Matcher(pairs, E5_MINILM, candidates=1)
    claim = Claim(
        id="new",
        article_id="a",
        position=0,
        text="query",
        sentence="query",
        char_start=0,
        char_end=5,
        sentence_start=0,
        sentence_end=5,
        language=language,
    )
    matcher.link_claims([claim], e5_minilm_vector([1], [1])[None, :], index)
    assert [stored.text for _, stored in pairs.pairs] == [candidate]


class _E5MiniLMReplay(ReplayIndex):
    """Items in memory searched as a database's e5-minilm claims are."""

    model_id = E5_MINILM


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Le ministre affirme que le budget a doublé depuis l'an dernier.", "e5"),
        ("The minister says the budget has doubled since last year.", "both"),
    ],
)
def test_a_text_search_weighs_minilm_by_the_querys_language(query, first):
    """Free-text search ranks as the matcher does: by the query's detected language.

    The stored texts share no word with the query, so only the vectors rank; the
    similarity shown stays the plain cosine of the stored-model vectors.
    """
    query_vector = e5_minilm_vector([1], [1])
    index = _E5MiniLMReplay(
        2 * E5Embedder.dimensions, embed=lambda texts: query_vector[None, :]
    )
    stored = {
        "e5": e5_minilm_vector([0.9, np.sqrt(0.19)], [0, 1]),
        "both": e5_minilm_vector([0.8, 0, 0.6], [0.8, 0, 0.6]),
    }
    index.add([Item(text, text, vector) for text, vector in stored.items()])
    hits = index.similar(query, k=2)
    assert [hit.id for hit in hits] == ([first, *(set(stored) - {first})])
    for hit in hits:
        assert hit.similarity == pytest.approx(
            float(stored[hit.id] @ query_vector), abs=1e-4
        )
