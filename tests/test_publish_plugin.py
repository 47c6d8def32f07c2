"""The Datasette plugin's SQL functions, views and canned queries, in-process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette
from sqlite_utils import Database

from claimtrack.models import Article
from claimtrack.publish.datasette_plugin import claimtrack_similarity
from claimtrack.query import dense_query
from claimtrack.testing import FakeEmbedder
from claimtrack.tracker import Tracker
from claimtrack.vectors import decode_vector
from tests.publish_helpers import (
    NUCLEAR,
    build_claims_db,
    make_datasette,
    plugin_registered,
)


@pytest.fixture
def datasette_plugin() -> Iterator[None]:
    with plugin_registered():
        yield


@pytest.fixture
def claims_db(tmp_path: Path) -> Path:
    return build_claims_db(tmp_path / "claims.db")


@pytest.fixture
def datasette(claims_db: Path, datasette_plugin: None) -> Datasette:
    return make_datasette(claims_db)


def test_similarity_handles_null() -> None:
    assert claimtrack_similarity(None, b"\x00\x00\x80?") is None


@pytest.mark.asyncio
async def test_similarity_of_a_vector_with_itself(datasette: Datasette) -> None:
    result = await datasette.get_database("claims").execute(
        "select claimtrack_similarity(vector, vector) as score from embeddings limit 1"
    )
    assert result.rows[0]["score"] == pytest.approx(1.0)


@pytest.mark.asyncio
async def test_embed_uses_the_database_model(datasette: Datasette) -> None:
    result = await datasette.get_database("claims").execute(
        "select claimtrack_embed(:q) as one, claimtrack_embed(:q, :model) as two",
        {"q": NUCLEAR, "model": "fake/bag-of-words"},
    )
    expected = FakeEmbedder().embed_all([NUCLEAR])[0]
    row = result.rows[0]
    assert row["one"] == row["two"]
    assert decode_vector(row["one"]).tolist() == pytest.approx(expected.tolist())


@pytest.mark.asyncio
async def test_semantic_search_in_plain_sql(datasette: Datasette) -> None:
    result = await datasette.get_database("claims").execute(
        """
        select claims.text,
            claimtrack_similarity(embeddings.vector, claimtrack_embed(:q)) as score
        from embeddings join claims on claims.id = embeddings.claim_id
        order by score desc limit 2
        """,
        {"q": "Russia nuclear weapons CIA"},
    )
    assert [row["text"] for row in result.rows] == [NUCLEAR, NUCLEAR]


NEAREST_SQL = """
    select claims.text, json_extract(hit.value, '$[1]') as score
    from json_each(claimtrack_nearest(claimtrack_embed(:q), :k)) as hit
    join claims on claims.id = json_extract(hit.value, '$[0]')
    order by hit.key
"""
SIMILARITY_SQL = """
    select claims.text,
        claimtrack_similarity(embeddings.vector, claimtrack_embed(:q)) as score
    from embeddings join claims on claims.id = embeddings.claim_id
    order by score desc, claims.id limit :k
"""


@pytest.mark.asyncio
async def test_nearest_ranks_like_comparing_every_row(datasette: Datasette) -> None:
    database = datasette.get_database("claims")
    params = {"q": "taxes rose by 5 percent", "k": 4}
    nearest = (await database.execute(NEAREST_SQL, params)).rows
    every_row = (await database.execute(SIMILARITY_SQL, params)).rows
    assert len(nearest) == 4
    assert [round(row["score"], 3) for row in nearest] == [
        round(row["score"], 3) for row in every_row
    ]
    assert nearest[0]["text"] == every_row[0]["text"]


@pytest.mark.asyncio
async def test_nearest_follows_what_is_stored_later(
    claims_db: Path, datasette_plugin: None
) -> None:
    # Served mutable, as `claimtrack serve --mutable` does while an ingest runs.
    database = Datasette([str(claims_db)]).get_database("claims")
    params = {"q": "The harbour bridge reopened after repairs", "k": 1}
    before = (await database.execute(NEAREST_SQL, params)).rows
    assert before[0]["text"] != "The harbour bridge reopened after repairs."
    Tracker(claims_db, extractor="fake", embedder="fake").ingest(
        Article(id="late", text="The harbour bridge reopened after repairs.")
    )
    after = (await database.execute(NEAREST_SQL, params)).rows
    assert after[0]["text"] == "The harbour bridge reopened after repairs."
    with Database(claims_db).conn as conn:  # as re-ingesting a changed article does
        conn.execute("delete from claims where article_id = 'late'")
    gone = (await database.execute(NEAREST_SQL, params)).rows
    assert "The harbour bridge reopened after repairs." not in [r["text"] for r in gone]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "sql",
    [
        "select claimtrack_nearest(claimtrack_embed('tax'), 0)",
        "select claimtrack_nearest(claimtrack_embed('tax'), 5000)",
        "select claimtrack_nearest(x'0000803f', 5)",
        "select claimtrack_nearest(claimtrack_embed('tax'), 5, 'other/model')",
    ],
)
async def test_nearest_refuses_what_it_cannot_search(
    datasette: Datasette, sql: str
) -> None:
    response = await datasette.client.get("/claims.json", params={"sql": sql})
    assert response.status_code == 400


@pytest.mark.asyncio
async def test_embed_without_vectors_is_an_error(
    tmp_path: Path, datasette_plugin: None
) -> None:
    from claimtrack.store import ClaimStore

    ClaimStore(tmp_path / "empty.db").db.close()
    datasette = make_datasette(tmp_path / "empty.db")
    response = await datasette.client.get(
        "/empty.json", params={"sql": "select claimtrack_embed('anything')"}
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith(
        "claimtrack_embed: This database has no claim vectors to search: ingest"
    )


@pytest.mark.asyncio
async def test_embed_refuses_models_the_database_does_not_use(
    datasette: Datasette,
) -> None:
    response = await datasette.client.get(
        "/claims.json",
        params={"sql": "select claimtrack_embed('x', 'sentence-transformers/other')"},
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith(
        "claimtrack_embed: No vectors in this database use "
        "'sentence-transformers/other'. Call it as:"
    )


def _texts(rows: list[dict[str, object]], key: str = "text") -> list[object]:
    return [row[key] for row in rows]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("query", "params", "check"),
    [
        (
            "semantic_search",
            {"q": "CIA Russia nuclear weapons"},
            lambda rows: (
                _texts(rows)[:2] == [NUCLEAR, NUCLEAR]
                and rows[0]["score"] > rows[-1]["score"]
            ),
        ),
        ("semantic_search", {"q": ""}, lambda rows: rows == []),
        (
            "repeated_across_outlets",
            {},
            lambda rows: (
                [(r["text"], r["outlets"], r["outlet_names"]) for r in rows]
                == [(NUCLEAR, 2, "Le Monde,BBC")]
            ),
        ),
        (
            "claims_by_speaker",
            {"speaker": "bbc"},
            lambda rows: set(_texts(rows)) == {NUCLEAR, "Officials repeated it."},
        ),
        (
            "fact_checked_claims_seen_again",
            {},
            lambda rows: (
                [(r["outlet"], r["rating"], r["seen_on"]) for r in rows]
                == [("BBC", "true", "2024-02-01")]
            ),
        ),
    ],
)
async def test_canned_queries(
    datasette: Datasette,
    query: str,
    params: dict[str, str],
    check: Callable[[list[dict[str, Any]]], bool],
) -> None:
    response = await datasette.client.get(
        f"/claims/{query}.json", params={**params, "_shape": "array"}
    )
    assert response.status_code == 200, response.text
    rows = response.json()
    assert check(rows), rows


@pytest.mark.asyncio
async def test_timeline_and_similar_claim_queries(datasette: Datasette) -> None:
    db = datasette.get_database("claims")
    first = (
        await db.execute(
            "select id, tracked_claim_id from claims where text = :t", {"t": NUCLEAR}
        )
    ).rows[0]
    timeline = (
        await datasette.client.get(
            "/claims/tracked_claim_timeline.json",
            params={"tracked_claim_id": first["tracked_claim_id"], "_shape": "array"},
        )
    ).json()
    assert [(r["outlet"], r["seen_on"]) for r in timeline] == [
        ("Le Monde", "2024-01-01"),
        ("BBC", "2024-02-01"),
    ]
    similar = (
        await datasette.client.get(
            "/claims/similar_to_claim.json",
            params={"claim_id": first["id"], "_shape": "array"},
        )
    ).json()
    assert similar[0]["text"] == NUCLEAR
    assert similar[0]["score"] == pytest.approx(1.0)


@pytest.mark.asyncio
async def test_views_have_rows(datasette: Datasette) -> None:
    db = datasette.get_database("claims")
    counts = {
        view: (await db.execute(f"select count(*) from {view}")).single_value()
        for view in await db.view_names()
    }
    assert counts == {
        "repeated_claims": 1,
        "claim_timeline": 5,
        "claims_by_speaker": 3,
        "fact_checked_claims_seen_again": 1,
    }


@pytest.mark.asyncio
async def test_published_database_is_read_only(datasette: Datasette) -> None:
    response = await datasette.client.get(
        "/claims.json", params={"sql": "delete from claims", "_shape": "array"}
    )
    assert response.status_code == 400
    assert (
        await datasette.get_database("claims").execute("select count(*) from claims")
        is not None
    )
    assert not datasette.get_database("claims").is_mutable


@pytest.mark.asyncio
async def test_every_described_table_and_view_page_loads(
    datasette: Datasette,
) -> None:
    from claimtrack.publish.metadata import build_metadata

    tables = build_metadata()["databases"]["claims"]["tables"]
    statuses = {
        name: (
            await datasette.client.get(f"/claims/{name}", follow_redirects=True)
        ).status_code
        for name in tables
    }
    assert statuses == dict.fromkeys(tables, 200)


@pytest.mark.asyncio
async def test_semantic_search_embeds_a_pasted_post_like_its_first_sentences(
    datasette: Datasette,
) -> None:
    """A post forwarded three times, with a long tail, finds what its opening finds."""
    opening = "Russia nuclear weapons CIA."
    tail = " ".join(f"filler{n}" for n in range(120))
    post = f"{opening} {opening}\n{opening} {tail}"
    text = await datasette.get_database("claims").execute(
        "select claimtrack_query_text(:q) as text, claimtrack_query_text(null) as none",
        {"q": post},
    )
    assert text.rows[0]["text"] == dense_query(post)
    assert text.rows[0]["text"].startswith(f"{opening} filler0 ")
    assert text.rows[0]["none"] is None

    async def search(q: str) -> list[tuple[str, float]]:
        response = await datasette.client.get(
            "/claims/semantic_search.json", params={"q": q, "_shape": "array"}
        )
        assert response.status_code == 200, response.text
        return [(row["claim_id"], row["score"]) for row in response.json()]

    assert await search(post) == await search(dense_query(post))
    whole_post = await datasette.get_database("claims").execute(
        NEAREST_SQL, {"q": post, "k": 10}
    )
    scores = [round(score, 3) for _, score in await search(post)]
    assert scores != [round(row["score"], 3) for row in whole_post.rows]
