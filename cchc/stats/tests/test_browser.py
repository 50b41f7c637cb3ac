"""In a real browser: the beacon counts new visitors, not reloads nor crawlers."""

import datetime

import pytest
from django.utils import timezone

from cchc.stats import services
from cchc.stats.history import history_generate

from .conftest import BOT_UA, BROWSER_UA, PHONE_UA

# Transactional for the live server; conftest.py restores the world after each.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

BEACON = "/thong-ke/luot-xem"


def open_and_count(tab, url):
    """Open a page and wait until its beacon has been answered."""
    with tab.expect_response(lambda r: BEACON in r.url) as beacon:
        tab.goto(url)
    assert beacon.value.status == 204
    return tab


def today(tab) -> str:
    return tab.locator('.visit-counter [data-stat="today"]').first.inner_text()


def test_the_counter_rises_for_a_new_visitor_only(browser, page, news, live_server, screenshot):
    def context(ua):
        ctx = browser.new_context(user_agent=ua, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        return ctx, ctx.new_page()

    visitor_ctx, visitor = context(BROWSER_UA)
    crawler_ctx, crawler = context(BOT_UA)
    other_ctx, other = context(PHONE_UA)
    try:
        unit_section = live_server.url + news.a.url
        article = live_server.url + news.article.url

        open_and_count(visitor, live_server.url + "/cchc/")
        assert today(visitor) == "0"
        open_and_count(visitor, article)
        open_and_count(visitor, unit_section)
        assert today(visitor) == "1"  # the article's visit, seen by the section's counter

        open_and_count(visitor, unit_section)  # a reload by the same visitor
        open_and_count(visitor, unit_section)
        assert today(visitor) == "1"

        open_and_count(crawler, article)  # answered 204, but not counted
        open_and_count(visitor, unit_section)
        assert today(visitor) == "1"

        open_and_count(other, article)  # a new visitor
        open_and_count(visitor, unit_section)
        assert today(visitor) == "2"
        counter = visitor.locator(".visit-counter").first
        assert counter.get_attribute("aria-labelledby")
        counter.scroll_into_view_if_needed()
        screenshot(visitor, "stats-counter")

        open_and_count(visitor, live_server.url + "/cchc/")
        assert today(visitor) == "2"  # the province rolls up every section
    finally:
        for ctx in (visitor_ctx, crawler_ctx, other_ctx):
            ctx.close()


def test_the_dashboard_in_a_browser(page, news, cast, live_server, screenshot):
    end = timezone.localdate() - datetime.timedelta(days=1)
    targets = [services.target_for_page(p) for p in (news.a, news.article, news.province)]
    history_generate(
        unit_ids=[cast.unit_a.pk, cast.unit_b.pk, cast.snv.pk, cast.stp.pk, cast.province.pk],
        targets=targets,
        start=end - datetime.timedelta(days=89),
        end=end,
        views_per_day=3000,
    )
    page.goto(live_server.url + "/quan-tri/login/")
    page.fill("input[name=username]", cast.admin.username)
    page.fill("input[name=password]", cast.admin.raw_password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    # The back office scrolls inside its own panel: a tall window shows it all.
    page.set_viewport_size({"width": 1280, "height": 2900})
    page.goto(live_server.url + f"/quan-tri/thong-ke/{cast.province.slug}/")
    assert page.locator("h1").first.inner_text().strip().startswith("Thống kê truy cập")
    assert page.locator(".stats-chart svg").count() == 1
    # Every unit under the province is ranked, those without visits too.
    from cchc.org.models import Unit, UnitType

    units = Unit.objects.exclude(unit_type=UnitType.PROVINCE).count()
    assert page.locator("#xep-hang-don-vi tbody tr").count() == units
    screenshot(page, "stats-dashboard")
