"""Public pages that miss the page cache: query counts pinned, every change shown at once."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cchc.news.models import ArticlePage, SectionPage, Topic, TopicPage

pytestmark = pytest.mark.django_db

# Uncached (PUBLIC_PAGE_CACHE_SECONDS=0 in tests), after a first request has
# filled the caches kept under the site's version (cchc/core/site_version.py):
# the version, and nothing else. The site, the route, the view restrictions,
# the topic menu, the unit list, the first page of a list with its count, an
# article's related articles, the home page's latest articles and unit counts,
# the province and the footer come from the cache (a list until one of its
# articles expires); the counter has its own.
PINNED = {
    "section": 1,  # was 3: version, the list's count, the list
    "topic": 1,  # was 3
    "unit_section": 1,  # was 3
    "article": 1,  # was 2: version, related articles
    "home": 1,  # was 6: version, unit counts (2), latest articles, province, footer
}


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
        "unit_section": SectionPage.objects.get(unit=cast.unit_a).url,
        "article": article.url,
        "home": "/",
    }


@pytest.mark.parametrize("name", sorted(PINNED))
def test_an_uncached_public_page_takes_a_fixed_number_of_queries(
    name, pages, client, django_assert_num_queries
):
    client.get(pages[name])
    with django_assert_num_queries(PINNED[name]):
        assert client.get(pages[name]).status_code == 200


@pytest.mark.parametrize("name", sorted(PINNED))
def test_a_signed_in_reader_costs_what_an_anonymous_one_does(
    name, pages, client, cast, django_assert_num_queries
):
    # Neither the session nor the user is read: the header's link comes from the cookie.
    client.force_login(cast.nobody)
    client.get(pages[name])
    with django_assert_num_queries(PINNED[name]):
        response = client.get(pages[name])
    assert response.status_code == 200
    assert "Trang làm việc" in response.text
    assert "Đăng nhập" not in response.text


def test_the_header_offers_sign_in_again_once_the_reader_signs_out(pages, client, cast):
    assert ">Đăng nhập<" in client.get("/cchc/").text
    client.force_login(cast.officer_a)
    assert ">Trang làm việc<" in client.get("/cchc/").text
    client.post("/quan-tri/logout/")
    response = client.get("/cchc/")
    assert ">Đăng nhập<" in response.text
    assert "Trang làm việc" not in response.text


def test_the_section_query_count_does_not_grow_with_articles(
    pages, client, publish, cast, django_assert_num_queries
):
    for n in range(12):
        publish(cast.unit_b, f"Tin thêm {n}", Topic.ACTIVITIES, days_ago=3 + n)
    client.get("/cchc/")
    with django_assert_num_queries(PINNED["section"]):
        client.get("/cchc/")


def test_a_just_published_article_is_listed_on_the_next_request(pages, client, publish, cast):
    for url in ("/cchc/", pages["topic"], "/"):
        assert "Tin vừa đăng" not in client.get(url).text  # fills the caches
    article = publish(cast.province, "Tin vừa đăng", Topic.POLICIES, days_ago=0)
    assert "Tin vừa đăng" in client.get("/cchc/").text
    assert "Tin vừa đăng" in client.get(pages["topic"]).text
    assert "Tin vừa đăng" in client.get("/").text
    assert client.get(article.url).status_code == 200


def test_a_unit_article_is_listed_on_its_section_at_once(pages, client, publish, cast):
    assert "Tin An Phú mới" not in client.get(pages["unit_section"]).text
    publish(cast.unit_a, "Tin An Phú mới", Topic.MODELS, days_ago=0)
    assert "Tin An Phú mới" in client.get(pages["unit_section"]).text


def test_an_unpublished_article_disappears_at_once(pages, client):
    article = ArticlePage.objects.get(url_path__endswith="/tinh-ban-hanh-ke-hoach/")
    for url in ("/cchc/", pages["topic"], "/"):
        assert "Tỉnh ban hành kế hoạch" in client.get(url).text
    assert client.get(article.url).status_code == 200
    article.unpublish()
    assert client.get(pages["article"]).status_code == 404
    for url in ("/cchc/", pages["topic"], "/"):
        assert "Tỉnh ban hành kế hoạch" not in client.get(url).text


def test_a_deleted_article_is_gone_at_once(pages, client):
    article = ArticlePage.objects.get(url_path__endswith="/tinh-ban-hanh-ke-hoach/")
    assert client.get(pages["article"]).status_code == 200
    article.delete()
    assert client.get(pages["article"]).status_code == 404
    assert "Tỉnh ban hành kế hoạch" not in client.get("/cchc/").text


def test_a_moved_article_answers_at_its_new_address_only(pages, client, cast):
    article = ArticlePage.objects.get(url_path__endswith="/tinh-ban-hanh-ke-hoach/")
    old_url = pages["article"]
    assert client.get(old_url).status_code == 200
    target = TopicPage.objects.child_of(SectionPage.objects.get(unit=cast.province)).get(
        topic=Topic.MODELS
    )
    article.move(target, pos="last-child")
    article.refresh_from_db()
    assert article.url != old_url
    assert client.get(article.url).status_code == 200
    # The old address no longer serves the page: Wagtail's automatic redirect
    # (it answers only where routing found nothing) points to the new one.
    assert client.get(old_url)["Location"] == article.url


def test_a_renamed_topic_answers_at_its_new_address_only(pages, client):
    topic = TopicPage.objects.get(url_path__endswith="/cchc/chu-truong-chinh-sach/", depth=4)
    assert client.get(pages["topic"]).status_code == 200
    assert client.get(pages["article"]).status_code == 200
    topic.slug = "chinh-sach-moi"
    topic.title = "Chính sách mới"
    topic.save_revision().publish()
    assert client.get(pages["topic"]).status_code == 404
    assert client.get(pages["article"]).status_code == 404
    assert client.get("/cchc/chinh-sach-moi/").status_code == 200
    assert client.get("/cchc/chinh-sach-moi/tinh-ban-hanh-ke-hoach/").status_code == 200
    assert "Chính sách mới" in client.get("/cchc/").text  # the topic menu


def test_a_new_topic_page_appears_in_the_menu_at_once(pages, client, cast):
    section = SectionPage.objects.get(unit=cast.province)
    client.get("/cchc/")
    section.add_child(
        instance=TopicPage(title="Chủ đề mới", slug="chu-de-moi", topic=Topic.POLICIES)
    )
    assert "Chủ đề mới" in client.get("/cchc/").text


def test_a_renamed_unit_shows_at_once(pages, client, cast):
    assert "Xã Tên Mới" not in client.get(pages["unit_section"]).text
    cast.unit_a.name = "Xã Tên Mới"
    cast.unit_a.save()
    assert "Xã Tên Mới" in client.get(pages["unit_section"]).text


def test_the_section_feed_and_widget_are_still_routed(pages, client):
    for _ in range(2):  # the second time from the route cache
        assert client.get("/cchc/rss/")["Content-Type"].startswith("application/rss+xml")
        assert client.get(pages["unit_section"] + "nhung/").status_code == 200
        assert client.get("/cchc/khong-co/").status_code == 404


# View restrictions: Wagtail's rows are kept with the page, Wagtail's hook
# still checks them against each request.


def _restrict(page, restriction_type, **fields):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, **fields
    )


def test_a_login_restriction_added_after_caching_is_enforced_at_once(pages, client, cast):
    topic = TopicPage.objects.get(url_path__endswith="/cchc/chu-truong-chinh-sach/", depth=4)
    assert client.get(pages["article"]).status_code == 200  # route and restrictions cached
    _restrict(topic, PageViewRestriction.LOGIN)  # on the article's parent
    for _ in range(2):  # and stays enforced once the new answer is cached
        response = client.get(pages["article"])
        assert response.status_code == 302
        assert response["Location"].startswith("/_util/login/?next=")
        assert "Tỉnh ban hành kế hoạch. Nội dung chi tiết" not in response.text
    client.force_login(cast.nobody)
    assert "Tỉnh ban hành kế hoạch. Nội dung chi tiết" in client.get(pages["article"]).text


def test_a_password_restriction_shows_the_password_form_not_the_content(pages, client):
    article = ArticlePage.objects.get(url_path__endswith="/tinh-ban-hanh-ke-hoach/")
    client.get(pages["article"])
    restriction = _restrict(article, PageViewRestriction.PASSWORD, password="mat-khau-rieng")
    for _ in range(2):
        response = client.get(pages["article"])
        assert response.status_code == 200
        assert 'name="password"' in response.text
        assert "Nội dung chi tiết của tin" not in response.text
        assert "no-cache" in response["Cache-Control"]
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{article.pk}/",
        {"password": "mat-khau-rieng", "return_url": pages["article"]},
    )
    assert "Nội dung chi tiết của tin" in client.get(pages["article"]).text


def test_a_group_restriction_refuses_a_reader_outside_the_groups(pages, client, cast):
    section = SectionPage.objects.get(unit=cast.province)
    client.force_login(cast.nobody)
    assert client.get("/cchc/").status_code == 200
    restriction = _restrict(section, PageViewRestriction.GROUPS)
    group = Group.objects.create(name="Nhóm đọc riêng")
    restriction.groups.add(group)
    for _ in range(2):
        assert client.get("/cchc/").status_code == 302
        assert client.get(pages["topic"]).status_code == 302
    cast.nobody.groups.add(group)
    assert client.get("/cchc/").status_code == 200


def test_a_removed_restriction_opens_the_page_at_once(pages, client):
    article = ArticlePage.objects.get(url_path__endswith="/tinh-ban-hanh-ke-hoach/")
    restriction = _restrict(article, PageViewRestriction.LOGIN)
    assert client.get(pages["article"]).status_code == 302
    restriction.delete()
    assert client.get(pages["article"]).status_code == 200


def test_a_change_made_by_another_worker_is_seen(pages, client):
    """The version is a database row: a worker that did not make the change
    (its own cache untouched, no signal in this process) still sees it."""
    from django.db.models import F

    from cchc.core.models import SiteVersion

    article = ArticlePage.objects.get(url_path__endswith="/tinh-ban-hanh-ke-hoach/")
    assert client.get(pages["article"]).status_code == 200
    # As another process would: the row changed, the version raised, no signal here.
    ArticlePage.objects.filter(pk=article.pk).update(live=False)
    SiteVersion.objects.filter(pk=1).update(version=F("version") + 1)
    assert client.get(pages["article"]).status_code == 404


# Lists kept under the version: the first page of a section or topic, an
# article's related articles, the home page's latest articles.


def test_an_article_leaves_the_kept_lists_when_it_expires(pages, client, publish, cast):
    from cchc.core import site_version

    expiring = publish(cast.province, "Tin sắp hết hạn", Topic.POLICIES, days_ago=0)
    soon = timezone.now() + datetime.timedelta(hours=1)
    ArticlePage.objects.filter(pk=expiring.pk).update(expire_at=soon)
    site_version.bump()  # as saving it in the back office does
    urls = ("/cchc/", pages["topic"], "/", pages["article"])  # the article: its related
    for url in urls:
        assert "Tin sắp hết hạn" in client.get(url).text  # kept, until it expires
    with time_machine.travel(soon + datetime.timedelta(minutes=1), tick=False):
        for url in urls:
            assert "Tin sắp hết hạn" not in client.get(url).text, url
        assert "Kết quả" not in client.get("/cchc/").text


def test_filters_work_after_the_unfiltered_page_was_kept(pages, client, cast):
    assert '<option value="" selected>Tất cả</option>' in client.get("/cchc/").text
    filtered = client.get(f"/cchc/?don_vi={cast.unit_a.slug}").text
    assert f'<option value="{cast.unit_a.slug}" selected>{cast.unit_a.name}</option>' in filtered
    assert "An Phú cải cách thủ tục" in filtered
    assert "Tỉnh ban hành kế hoạch" not in filtered
    assert "Kết quả: 1 tin, bài" in filtered
    bad = client.get("/cchc/?tu_ngay=31/02/2026").text
    assert 'value="31/02/2026"' in bad
    assert 'id="id_tu_ngay_error"' in bad  # named by the input's aria-describedby
    assert "Nhập ngày theo dạng dd/mm/yyyy." in bad
    again = client.get("/cchc/").text
    assert f'value="{cast.unit_a.slug}" selected' not in again
    assert "Nhập ngày theo dạng" not in again


# Filtered lists, searches and later pages: the version, the count and the page
# of articles; each card rendered once per version and kept by article.
FILTERED = [
    "/cchc/?chu_de=chu-truong-chinh-sach",
    "/cchc/?tu_khoa=Tin",
    "/cchc/?loai_don_vi=commune",
    "/cchc/?don_vi=xa-an-phu",
    "/cchc/?trang=2",
    "/cchc/?tu_ngay=01/01/2020&den_ngay=31/12/2030",
]


@pytest.mark.parametrize("url", FILTERED)
def test_a_filtered_list_takes_three_queries_however_many_articles_match(
    url, pages, client, cast, publish, django_assert_num_queries
):
    for n in range(12):
        publish(cast.unit_a, f"Tin lọc {n}", Topic.POLICIES, days_ago=3 + n)
    client.get(url)
    with django_assert_num_queries(3):  # the version, the list's count, its page
        response = client.get(url)
    assert response.status_code == 200
    for n in range(12):
        publish(cast.unit_a, f"Tin lọc thêm {n}", Topic.POLICIES, days_ago=20 + n)
    client.get(url)
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


def test_a_filtered_list_shows_an_edited_article_at_once(pages, client, cast):
    url = f"/cchc/?don_vi={cast.unit_a.slug}"
    assert "An Phú cải cách thủ tục" in client.get(url).text  # its card kept
    article = ArticlePage.objects.get(title="An Phú cải cách thủ tục")
    article.title = "An Phú rút ngắn thời gian giải quyết"
    article.save_revision().publish()
    text = client.get(url).text
    assert ">An Phú rút ngắn thời gian giải quyết</a></h3>" in text
    assert ">An Phú cải cách thủ tục</a></h3>" not in text


def test_the_cards_kept_are_the_articles_found_not_the_query_strings(pages, client, cast):
    client.get("/cchc/?tu_khoa=An+Phú")
    keys = set(_site_keys())
    assert keys
    for n in range(20):  # twenty different searches finding the same article
        client.get(f"/cchc/?tu_khoa=An+Phú&tu_ngay=0{1 + n % 9}/01/2020")
    assert set(_site_keys()) == keys


def _site_keys() -> list[str]:
    return [k for k in cache._cache if ":site:" in k]  # LocMemCache's keys (tests)


def test_a_card_shows_the_unit_only_on_the_province_list(pages, client, cast, publish):
    unit_section = pages["unit_section"]
    province = client.get("/cchc/?tu_khoa=An+Phú").text
    assert '<span class="news-unit">Xã An Phú</span>' in province
    unit = client.get(f"{unit_section}?tu_khoa=An+Phú").text
    assert "An Phú cải cách thủ tục" in unit
    assert '<span class="news-unit">' not in unit


def test_the_home_page_counts_a_retired_unit_at_once(pages, client, cast):
    def communes():
        return int(re.search(r"và (\d+) xã, phường", client.get("/").text).group(1))

    before = communes()
    cast.unit_b.active_until = timezone.localdate() - datetime.timedelta(days=1)
    cast.unit_b.save()
    assert communes() == before - 1
