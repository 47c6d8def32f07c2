"""The review queue: sign-in, CSRF, decisions that write back and are never undone,
and a published server with no write route at all."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from datasette.app import Datasette
from sqlite_utils import Database

from claimtrack.cli import cli
from claimtrack.models import Article, ClaimLink
from claimtrack.publish.metadata import build_metadata
from claimtrack.reviews import apply_reviews, record_review
from claimtrack.store import ClaimStore
from claimtrack.tracker import Tracker, reembed
from tests.publish_helpers import build_claims_db, make_datasette, plugin_registered

REVIEW = "/-/claimtrack/review"
CLOSE = "The CIA has seen no sign that Russia is ready to use its nuclear weapons soon."


@pytest.fixture(autouse=True)
def plugin() -> Iterator[None]:
    with plugin_registered():
        yield


@pytest.fixture
def claims_db(tmp_path: Path) -> Path:
    path = build_claims_db(tmp_path / "claims.db")
    tracker = Tracker(path, extractor="fake", embedder="fake")
    articles = [
        Article(
            id="a4", text=CLOSE, outlet="AFP", published="2024-04-01", language="en"
        )
    ]
    list(tracker.ingest_many(articles))
    # Two suggested links from the new claim to both earlier mentions, as the
    # matcher suggests for a close paraphrase (the fake pair model may not).
    db = Database(path)
    [new] = [r["id"] for r in db.query("select id from claims where article_id = 'a4'")]
    earlier = [
        r["id"]
        for r in db.query(
            "select id from claims where article_id in ('a1', 'a2') "
            "and text like 'The CIA%' order by id"
        )
    ]
    with db.conn:
        db.execute("delete from claim_links where claim_id = ?", [new])
        for other in earlier:
            db.execute(
                "insert into claim_links values (?, ?, 0.63, 'suggested', 'fake', "
                "'fake/bag-of-words')",
                [new, other],
            )
    db.close()
    return path


def _reviewing(path: Path) -> Datasette:
    metadata = build_metadata(path.stem)
    metadata["plugins"] = {"claimtrack": {"review": True, "reviewers": ["alice"]}}
    return Datasette([str(path)], metadata=metadata)


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    # Through sqlite-utils, which uses pysqlite3 as Datasette does: two copies of
    # SQLite in one process do not see each other's locks on a WAL database.
    db = Database(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def _suggested(path: Path) -> list[tuple[str, str]]:
    return [
        (a, b)
        for a, b in _rows(
            path,
            "select claim_id, earlier_claim_id from claim_links "
            "where decision = 'suggested' order by earlier_claim_id",
        )
    ]


def _signed_in(datasette: Datasette, actor_id: str = "root") -> dict[str, str]:
    return {"ds_actor": datasette.sign({"a": {"id": actor_id}}, "actor")}


async def _post(datasette: Datasette, cookies: dict[str, str], **form: str) -> Any:
    page = await datasette.client.get(REVIEW, cookies=cookies)
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    assert token, "the queue page has the CSRF token"
    cookies = {**cookies, "ds_csrftoken": page.cookies.get("ds_csrftoken", "")}
    return await datasette.client.post(
        REVIEW, data={"csrftoken": token.group(1), **form}, cookies=cookies
    )


@pytest.mark.asyncio
async def test_queue_needs_a_signed_in_reviewer(claims_db: Path) -> None:
    datasette = _reviewing(claims_db)
    assert (await datasette.client.get(REVIEW)).status_code == 403
    stranger = _signed_in(datasette, "mallory")
    assert (await datasette.client.get(REVIEW, cookies=stranger)).status_code == 403
    for actor in ("root", "alice"):
        response = await datasette.client.get(
            REVIEW, cookies=_signed_in(datasette, actor)
        )
        assert response.status_code == 200, actor
        assert CLOSE in response.text
        assert response.text.count('data-decision="same"') == 2


@pytest.mark.asyncio
async def test_a_post_without_the_csrf_token_is_refused(claims_db: Path) -> None:
    datasette = _reviewing(claims_db)
    a, b = _suggested(claims_db)[0]
    response = await datasette.client.post(
        REVIEW,
        data={"kind": "claim_link", "a": a, "b": b, "decision": "rejected"},
        cookies=_signed_in(datasette),
    )
    assert response.status_code == 403
    assert _suggested(claims_db)[0] == (a, b)
    assert _rows(claims_db, "select count(*) from reviews") == [(0,)]


@pytest.mark.asyncio
async def test_confirm_and_reject_write_back_and_survive_reembed(
    claims_db: Path,
) -> None:
    datasette = _reviewing(claims_db)
    root = _signed_in(datasette)
    (a, confirmed), (_, rejected) = _suggested(claims_db)
    response = await _post(
        datasette, root, kind="claim_link", a=a, b=confirmed, decision="same",
        note="same claim, other words",
    )  # fmt: skip
    assert response.status_code == 302
    response = await _post(
        datasette, root, kind="claim_link", a=a, b=rejected, decision="rejected"
    )
    assert response.status_code == 302
    reviews = _rows(
        claims_db,
        "select a, b, decision, before, after, reviewer, note from reviews order by id",
    )
    assert reviews == [
        (a, confirmed, "same", "suggested", "same", "root", "same claim, other words"),
        (a, rejected, "rejected", "suggested", None, "root", None),
    ]
    links = dict(
        ((x, y), d)
        for x, y, d in _rows(
            claims_db, "select claim_id, earlier_claim_id, decision from claim_links"
        )
    )
    assert links[(a, confirmed)] == "same"
    assert (a, rejected) not in links
    # the confirmed link joined a's tracked claim to the earlier claim's
    tracked = dict(_rows(claims_db, "select id, tracked_claim_id from claims"))
    assert tracked[a] == tracked[confirmed]
    counts = _rows(
        claims_db, f"select mentions from tracked_claims where id = '{tracked[a]}'"
    )
    assert counts == [(3,)]
    # the queue no longer shows them
    page = await datasette.client.get(REVIEW, cookies=root)
    assert 'data-decision="same"' not in page.text.split("Fact-check links")[0]
    # re-matching everything (reembed) keeps both decisions
    reembed(claims_db, "fake")
    links = dict(
        ((x, y), d)
        for x, y, d in _rows(
            claims_db, "select claim_id, earlier_claim_id, decision from claim_links"
        )
    )
    # a confirmed pair stays same even when the matcher does not propose it again
    assert links[(a, confirmed)] == "same"
    assert (a, rejected) not in links
    # and they export as labelled pairs
    result = CliRunner().invoke(cli, ["reviews", str(claims_db)])
    assert result.exit_code == 0, result.output
    pairs = [json.loads(line) for line in result.output.splitlines()]
    assert [(p["a"], p["b"], p["label"]) for p in pairs] == [
        (a, confirmed, "same"),
        (a, rejected, "different"),
    ]
    assert pairs[0]["a_text"] == CLOSE and pairs[0]["b_text"]


@pytest.mark.asyncio
async def test_a_fact_check_marked_opposite_gives_no_verdict(claims_db: Path) -> None:
    claim_id = _rows(claims_db, f"select id from claims where text = '{CLOSE}'")[0][0]
    db = Database(claims_db)
    with db.conn:
        db.execute(
            "insert into fact_check_links values (?, 'fc1', 0.6, 'suggested', "
            "'vector', 'fake/bag-of-words')",
            (claim_id,),
        )
    db.close()
    datasette = _reviewing(claims_db)
    response = await _post(
        datasette,
        _signed_in(datasette),
        kind="fact_check_link",
        a=claim_id,
        b="fc1",
        decision="opposite",
    )
    assert response.status_code == 302
    decision = _rows(
        claims_db,
        f"select decision from fact_check_links where claim_id = '{claim_id}'",
    )
    assert decision == [("opposite",)]
    verdict = _rows(
        claims_db,
        "select verdict from tracked_claims join claims on "
        f"claims.tracked_claim_id = tracked_claims.id where claims.id = '{claim_id}'",
    )
    assert verdict == [(None,)]


@pytest.mark.asyncio
async def test_a_review_of_no_link_says_so(claims_db: Path) -> None:
    datasette = _reviewing(claims_db)
    response = await _post(
        datasette,
        _signed_in(datasette),
        kind="claim_link",
        a="nope",
        b="nope",
        decision="same",
    )
    assert response.status_code == 302
    assert _rows(claims_db, "select count(*) from reviews") == [(0,)]
    bad = await _post(
        datasette, _signed_in(datasette), kind="x", a="a", b="b", decision="same"
    )
    assert bad.status_code == 400


def test_apply_reviews_drops_rejected_and_keeps_confirmed() -> None:
    links = [
        ClaimLink(
            claim_id="a",
            earlier_claim_id="b",
            score=0.6,
            decision="suggested",
            method="m",
            model_id="x",
        ),
        ClaimLink(
            claim_id="a",
            earlier_claim_id="c",
            score=0.9,
            decision="same",
            method="m",
            model_id="x",
        ),
        ClaimLink(
            claim_id="a",
            earlier_claim_id="d",
            score=0.5,
            decision="suggested",
            method="m",
            model_id="x",
        ),
    ]
    reviewed = {
        ("claim_link", "a", "b"): "same",
        ("claim_link", "a", "c"): "rejected",
        ("fact_check_link", "a", "d"): "rejected",  # another kind of pair
    }
    kept = apply_reviews(links, reviewed)
    assert [(link.earlier_claim_id, link.decision) for link in kept] == [
        ("b", "same"),
        ("d", "suggested"),
    ]


@pytest.mark.asyncio
async def test_the_published_server_has_no_write_route(claims_db: Path) -> None:
    """serve without --review and publish: immutable, no review route, no write."""
    datasette = make_datasette(claims_db)
    root = _signed_in(datasette)
    before = _rows(claims_db, "select count(*) from claim_links")
    a, b = _suggested(claims_db)[0]
    form = {"kind": "claim_link", "a": a, "b": b, "decision": "rejected"}
    assert (await datasette.client.get(REVIEW, cookies=root)).status_code == 404
    for path in [
        REVIEW,
        f"/-/claimtrack/claim/{a}",
        f"/-/claimtrack/tracked/{a}",
        "/-/claimtrack/article/a1",
        "/claims/claim_links",
    ]:
        response = await datasette.client.post(path, data=form, cookies=root)
        assert response.status_code in (403, 404, 405), path
    sql = await datasette.client.get(
        "/claims.json", params={"sql": "delete from claim_links"}, cookies=root
    )
    assert sql.status_code == 400
    assert not datasette.get_database("claims").is_mutable
    assert _rows(claims_db, "select count(*) from claim_links") == before
    assert _rows(claims_db, "select count(*) from reviews") == [(0,)]


def _links_either_way(path: Path) -> dict[frozenset[str], str]:
    """{{claim, other claim}: decision}: a replay may store a pair either way round."""
    rows = _rows(path, "select claim_id, earlier_claim_id, decision from claim_links")
    return {frozenset((a, b)): decision for a, b, decision in rows}


def _publish_first(path: Path, article_id: str) -> None:
    """Date an article before all others, as when its date is parsed afterwards: the
    replay then matches its claim before the earlier claim it was linked to."""
    db = Database(path)
    with db.conn:
        db.execute(
            "update articles set published = '2023-06-01' where id = ?", [article_id]
        )
    db.close()


def test_a_pair_confirmed_the_other_way_round_survives_reembed(
    claims_db: Path,
) -> None:
    (a, confirmed), (_, rejected) = _suggested(claims_db)
    store = ClaimStore(claims_db)
    record_review(store, "claim_link", a, confirmed, "same", reviewer="root")
    record_review(store, "claim_link", a, rejected, "rejected", reviewer="root")
    store.db.close()
    _publish_first(claims_db, "a4")  # a (in a4) is now replayed before both
    reembed(claims_db, "fake")
    links = _links_either_way(claims_db)
    assert links[frozenset((a, confirmed))] == "same"
    assert frozenset((a, rejected)) not in links
    tracked = dict(_rows(claims_db, "select id, tracked_claim_id from claims"))
    assert tracked[a] == tracked[confirmed]


def test_a_pair_marked_opposite_the_other_way_round_stays_apart(
    claims_db: Path,
) -> None:
    (a, opposite), _ = _suggested(claims_db)
    store = ClaimStore(claims_db)
    record_review(store, "claim_link", a, opposite, "opposite", reviewer="root")
    store.db.close()
    _publish_first(claims_db, "a4")
    reembed(claims_db, "fake")
    assert _links_either_way(claims_db)[frozenset((a, opposite))] == "opposite"
    tracked = dict(_rows(claims_db, "select id, tracked_claim_id from claims"))
    assert tracked[a] != tracked[opposite]


def test_reviews_apply_to_a_claim_pair_either_way_round() -> None:
    def link(a: str, b: str) -> ClaimLink:
        return ClaimLink(
            claim_id=a,
            earlier_claim_id=b,
            score=0.6,
            decision="suggested",
            method="m",
            model_id="x",
        )

    reviewed = {
        ("claim_link", "a", "b"): "same",
        ("claim_link", "a", "c"): "rejected",
    }
    kept = apply_reviews([link("b", "a"), link("c", "a")], reviewed)
    assert [(x.claim_id, x.earlier_claim_id, x.decision) for x in kept] == [
        ("b", "a", "same")
    ]
