"""Search finds "cải cách hành chính" and "cai cach hanh chinh" alike, on both databases."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.lib.text import fold, query_terms
from cchc.news.models import ArticlePage, SectionPage, Topic
from cchc.news.selectors import live_articles, search


def test_fold_removes_vietnamese_diacritics_and_case():
    assert fold("Cải cách HÀNH CHÍNH, Đồng Tháp!") == " cai cach hanh chinh dong thap "


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_folded_text_is_plain_ascii_words(text):
    assert all(term.isalnum() and term.isascii() for term in query_terms(text))


@pytest.fixture
def articles(cast, publish):
    publish(cast.unit_a, "Đẩy mạnh cải cách hành chính tại xã", days_ago=1)
    publish(
        cast.unit_b,
        "Chuyển đổi số",
        Topic.MODELS,
        days_ago=2,
        body="<p>Ứng dụng <strong>Đề án 06</strong> trong giải quyết thủ tục.</p>",
    )
    publish(cast.snv, "Hội nghị tổng kết", days_ago=3, summary="Tổng kết năm 2025.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["cải cách hành chính", "cai cach hanh chinh", "CAI CACH", "Cải Cách Hành"]
)
def test_search_is_accent_and_case_insensitive(articles, client, query):
    response = client.get("/cchc/", {"tu_khoa": query})
    assert [a.title for a in response.context["articles"]] == [
        "Đẩy mạnh cải cách hành chính tại xã"
    ]


@pytest.mark.django_db
def test_search_looks_in_the_body_and_summary(articles):
    assert [a.title for a in search(live_articles(), "de an 06")] == ["Chuyển đổi số"]
    assert [a.title for a in search(live_articles(), "tong ket 2025")] == ["Hội nghị tổng kết"]


@pytest.mark.django_db
def test_search_matches_the_start_of_words_only(articles):
    # "an" is inside "hành" and "chính" but starts no word of the first article
    assert not search(live_articles().filter(title__startswith="Đẩy"), "an")
    assert search(live_articles().filter(title__startswith="Đẩy"), "hanh ch")


@pytest.mark.django_db
def test_the_folded_text_follows_edits(cast, publish):
    article = publish(cast.unit_a, "Tin ban đầu")
    article.title = "Tiêu đề mới về Phú Quốc"
    article.save_revision().publish()
    assert " phu quoc " in ArticlePage.objects.get(pk=article.pk).search_text


@pytest.mark.django_db
def test_a_unit_section_searches_its_own_articles(articles, client):
    response = client.get("/don-vi/phuong-long-xuyen/cchc/", {"tu_khoa": "cai cach"})
    assert list(response.context["articles"]) == []


@pytest.fixture
def accents(cast, publish):
    publish(cast.unit_a, "Xã An Phú triển khai Đề án 06", days_ago=3)
    publish(cast.unit_a, "Để người dân an tâm khi làm thủ tục", days_ago=1)
    publish(
        cast.unit_b,
        "Đến Trung tâm Phục vụ hành chính công An Giang dễ dàng hơn",
        Topic.MODELS,
        days_ago=2,
    )


def titles(response) -> list[str]:
    return [a.title for a in response.context["articles"]]


@pytest.mark.django_db
def test_accents_typed_by_the_reader_rank_exact_matches_first(accents, client):
    response = client.get("/cchc/", {"tu_khoa": "đề án"})
    assert titles(response) == [
        "Xã An Phú triển khai Đề án 06",
        "Để người dân an tâm khi làm thủ tục",
        "Đến Trung tâm Phục vụ hành chính công An Giang dễ dàng hơn",
    ]


@pytest.mark.django_db
def test_an_unaccented_query_still_finds_every_accented_spelling(accents, client):
    response = client.get("/cchc/", {"tu_khoa": "de an"})
    assert titles(response) == [
        "Để người dân an tâm khi làm thủ tục",
        "Đến Trung tâm Phục vụ hành chính công An Giang dễ dàng hơn",
        "Xã An Phú triển khai Đề án 06",
    ]


@pytest.mark.django_db
def test_accents_typed_on_any_keyboard_rank_the_same(accents):
    decomposed = unicodedata.normalize("NFD", "ĐỀ ÁN")
    assert [a.title for a in search(live_articles(), decomposed)][0] == (
        "Xã An Phú triển khai Đề án 06"
    )


@pytest.mark.django_db
def test_a_unit_search_keeps_its_own_articles_in_exact_order(accents, cast, client):
    section = SectionPage.objects.get(unit=cast.unit_a)
    response = client.get(section.url, {"tu_khoa": "đề"})
    assert titles(response) == [
        "Xã An Phú triển khai Đề án 06",
        "Để người dân an tâm khi làm thủ tục",
    ]
