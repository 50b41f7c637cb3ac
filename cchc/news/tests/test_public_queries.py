"""Public pages that miss the page cache: query counts pinned, new articles shown at once."""

import pytest
from django.core.cache import cache

from cchc.news.models import Topic

pytestmark = pytest.mark.django_db

# Uncached (PUBLIC_PAGE_CACHE_SECONDS=0 in tests), after a first request has
# filled the fragment caches: Wagtail's site and route look-ups, its view
# restriction check, the content version, the list and its count.
PINNED = {"section": 10, "topic": 11, "article": 14}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pages(cast, publish):
    article = publish(cast.province, "Tỉnh ban hành kế hoạch", Topic.POLICIES, days_ago=1)
    publish(cast.unit_a, "An Phú cải cách thủ tục", Topic.POLICIES, days_ago=2)
    return {
        "section": "/cchc/",
        "topic": article.get_parent().url,
        "article": article.url,
    }


@pytest.mark.parametrize("name", sorted(PINNED))
def test_an_uncached_public_page_takes_a_fixed_number_of_queries(
    name, pages, client, django_assert_num_queries
):
    client.get(pages[name])
    with django_assert_num_queries(PINNED[name]):
        assert client.get(pages[name]).status_code == 200


@pytest.mark.parametrize("name", sorted(PINNED))
def test_a_signed_in_reader_adds_only_the_session_and_the_user(
    name, pages, client, cast, django_assert_num_queries
):
    client.force_login(cast.nobody)
    client.get(pages[name])
    with django_assert_num_queries(PINNED[name] + 2):
        assert client.get(pages[name]).status_code == 200


def test_the_section_query_count_does_not_grow_with_articles(
    pages, client, publish, cast, django_assert_num_queries
):
    for n in range(12):
        publish(cast.unit_b, f"Tin thêm {n}", Topic.ACTIVITIES, days_ago=3 + n)
    client.get("/cchc/")
    with django_assert_num_queries(PINNED["section"]):
        client.get("/cchc/")


def test_a_just_published_article_is_listed_on_the_next_request(pages, client, publish, cast):
    before = client.get("/cchc/")  # fills the fragment caches
    assert "Tin vừa đăng" not in before.text
    publish(cast.unit_b, "Tin vừa đăng", Topic.POLICIES, days_ago=0)
    assert "Tin vừa đăng" in client.get("/cchc/").text
    assert "Tin vừa đăng" in client.get(pages["topic"]).text


def test_a_new_topic_page_appears_in_the_menu_at_once(pages, client, cast):
    from cchc.news.models import SectionPage, TopicPage

    section = SectionPage.objects.get(unit=cast.province)
    client.get("/cchc/")
    section.add_child(
        instance=TopicPage(title="Chủ đề mới", slug="chu-de-moi", topic=Topic.POLICIES)
    )
    assert "Chủ đề mới" in client.get("/cchc/").text
