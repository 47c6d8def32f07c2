"""A bad line, row or review of a fact-check file is a one-line warning that names it;
the others are imported, with a summary; never a traceback, never a half-written
database (issue 16.3)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlite_utils import Database

from claimtrack.cli import cli
from claimtrack.errors import FactCheckError, ReviewError
from claimtrack.factchecks import read_fact_checks


def _review(n: int, **extra: object) -> dict[str, object]:
    return {
        "@type": "ClaimReview",
        "claimReviewed": f"Claim number {n} says the budget rose by {n} percent.",
        "url": f"https://factdesk.example.com/review-{n}",
        "author": {"name": "Fact Desk Example"},
        "reviewRating": {"alternateName": "False"},
        **extra,
    }


def _bad_jsonl(path: Path) -> Path:
    lines = [
        json.dumps(_review(1)),
        '{"@type": "ClaimReview", "claimReviewed": "not closed"',  # invalid JSON
        json.dumps(_review(2)).replace("budget", "budget \\ud800"),  # lone surrogate
        json.dumps({"@type": "ClaimReview", "url": "https://x.example/"}),  # no claim
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"vclaim_id": "vclaim-sno-1", "title": "no vclaim text"}),
        json.dumps(_review(3)),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _read(*locations: Path | str) -> tuple[list[str], list[FactCheckError]]:
    errors: list[FactCheckError] = []
    records = list(read_fact_checks(locations, on_error=errors.append))
    return [r.fact_check.claim_reviewed for r in records], errors


def test_bad_jsonl_lines_are_skipped_by_line_and_the_others_read(tmp_path: Path):
    path = _bad_jsonl(tmp_path / "reviews.jsonl")
    claims, errors = _read(path)
    assert len(claims) == 2 and "number 1 " in claims[0] and "number 3 " in claims[1]
    assert all(isinstance(error, ReviewError) for error in errors)
    assert [str(error) for error in errors] == [
        f"{path}, line 2: not JSON (Expecting ',' delimiter at column 55). "
        "Fix the line or remove it.",
        f"{path}, line 3: an invalid character (a lone surrogate, \\ud800). "
        "Fix the escape in the source or remove the review.",
        f"{path}, line 4: no ClaimReview with the claim it reviews (claimReviewed, "
        "itemReviewed.name or a headline). Add the claim or remove the review.",
        f"{path}, line 5: JSON nested too deeply to be a review. Remove the line.",
        f"{path}, line 6: a vclaim without its 'vclaim' text. Add it or remove the "
        "line.",
    ]


def test_without_on_error_the_first_bad_line_raises(tmp_path: Path):
    path = _bad_jsonl(tmp_path / "reviews.jsonl")
    try:
        list(read_fact_checks([path]))
    except ReviewError as error:
        assert str(error).startswith(f"{path}, line 2: not JSON")
    else:
        raise AssertionError("a bad line must raise without on_error")


def test_a_lone_surrogate_in_a_json_list_skips_that_review_only(tmp_path: Path):
    path = tmp_path / "reviews.json"
    reviews = [_review(1), _review(2, claimant="A \udc80"), _review(3)]
    path.write_text(json.dumps(reviews), encoding="utf-8")  # "\\udc80" escaped
    claims, errors = _read(path)
    assert len(claims) == 2
    assert [str(error) for error in errors] == [
        f"{path}, item 2: an invalid character (a lone surrogate, \\udc80). "
        "Fix the escape in the source or remove the review."
    ]


def test_a_lone_surrogate_in_json_ld_of_a_page_skips_that_review(tmp_path: Path):
    page = tmp_path / "page.html"
    bad = json.dumps(_review(1)).replace("budget", "budget \\ud83d")
    good = json.dumps(_review(2))
    page.write_text(
        "<html><head>"
        f'<script type="application/ld+json">{bad}</script>'
        f'<script type="application/ld+json">{good}</script>'
        "</head><body><p>x</p></body></html>"
    )
    claims, errors = _read(page)
    assert len(claims) == 1 and "number 2 " in claims[0]
    assert [str(error) for error in errors] == [
        f"{page}, json-ld 1: an invalid character (a lone surrogate, \\ud83d). "
        "Fix the escape in the source or remove the review."
    ]


def test_csv_rows_without_a_claim_or_with_extra_values_are_skipped(tmp_path: Path):
    path = tmp_path / "reviews.csv"
    path.write_text(
        "claim_reviewed,rating_text\n"
        "The sky is green,False\n"
        ",True\n"
        "Too,many,values\n"
        "The sea is dry,False\n"
    )
    claims, errors = _read(path)
    assert claims == ["The sky is green", "The sea is dry"]
    assert [str(error) for error in errors] == [
        f"{path}, row 3: no claim_reviewed (or claim_text). Fill it in or remove "
        "the row.",
        f"{path}, row 4: 3 values for 2 columns. Quote values that hold commas.",
    ]


def test_an_unreadable_location_is_skipped_and_the_others_read(tmp_path: Path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_review(1)))
    claims, errors = _read(tmp_path / "missing.json", good)
    assert len(claims) == 1
    (error,) = errors
    assert not isinstance(error, ReviewError) and "no such file" in str(error)


# ---- through the CLI ----------------------------------------------------------------


def _import(db: Path, *locations: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["import-factchecks", str(db), *map(str, locations), "--model", "fake"]
    )
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_cli_imports_the_good_lines_and_names_each_skipped_one(tmp_path: Path):
    db = tmp_path / "claims.db"
    path = _bad_jsonl(tmp_path / "reviews.jsonl")
    code, output = _import(db, path)
    assert code == 0, output
    lines = output.strip().splitlines()
    skipped = [line for line in lines if line.startswith("Skipped: ")]
    assert [line.split(": ", 2)[1] for line in skipped] == [
        f"{path}, line {n}" for n in (2, 3, 4, 5, 6)
    ]
    assert lines[-1].startswith(
        "Imported 2 fact-checks, skipped 5: 2 added, 0 updated, 0 unchanged;"
    )
    database = Database(db)
    assert database.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert database["fact_checks"].count == 2
    assert database.execute(
        "select count(*) from embeddings where fact_check_id is not null"
    ).fetchone() == (2,)
    # Again: nothing changes, the same lines are named.
    code, output = _import(db, path)
    assert code == 0
    assert "Imported 2 fact-checks, skipped 5: 0 added, 0 updated, 2 unchanged" in (
        output
    )


def test_cli_with_only_bad_lines_leaves_no_database(tmp_path: Path):
    db = tmp_path / "claims.db"
    path = tmp_path / "bad.jsonl"
    path.write_text('{"claimReviewed": "x \\ud800"}\n{not json\n')
    code, output = _import(db, path)
    assert code == 1
    assert output.count("Skipped: ") == 2
    assert f"Imported 0 fact-checks, skipped 2: nothing to import; {db} was not " in (
        output
    )
    assert not db.exists()


def test_cli_a_missing_location_fails_after_importing_the_others(tmp_path: Path):
    db = tmp_path / "claims.db"
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_review(1)))
    code, output = _import(db, tmp_path / "missing.json", good)
    assert code == 1
    assert "Skipped: " in output and "no such file" in output
    assert "Imported 1 fact-checks, skipped 1: 1 added" in output
    assert Database(db)["fact_checks"].count == 1
