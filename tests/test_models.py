from claimtrack.models import Article, make_article_id, make_claim_id


def test_article_id_comes_from_url_when_given_else_from_text():
    assert make_article_id(url="https://a.example/1", text="x") == make_article_id(
        url="https://a.example/1", text="different"
    )
    assert make_article_id(url=None, text="one") != make_article_id(
        url=None, text="two"
    )
    assert len(make_article_id(url=None, text="one")) == 16


def test_claim_id_ignores_case_and_spacing_but_not_span():
    first = make_claim_id("a1", 0, 10, "The  Cost rose")
    assert first == make_claim_id("a1", 0, 10, "the cost rose")
    assert first != make_claim_id("a1", 5, 15, "the cost rose")
    assert first != make_claim_id("a2", 0, 10, "the cost rose")


def test_article_fingerprint_is_sha256_of_text():
    article = Article(id="a", text="abc")
    assert article.text_sha256 == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
