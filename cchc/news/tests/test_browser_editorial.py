"""In a real browser, as a new user would: a commune's editor writes, the approver and the
administrator find what waits for them on landing and publish it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cchc.news.models import ArticlePage
from cchc.news.tests.test_review_queue import submit

TITLE = "Hội nghị đối thoại về cải cách hành chính năm 2026"
OTHER = "Phường công bố kết quả giải quyết hồ sơ đúng hạn"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/quan-tri/login/")
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', user.raw_password)
    with page.expect_navigation() as landed:
        page.locator('input[name="password"]').press("Enter")
    page.wait_for_load_state("networkidle")
    return landed.value


def approve_on_edit_screen(page):
    """Wagtail's "approve and publish" without a comment; returns the page landed on."""
    button = page.locator(
        'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
    )
    with page.expect_navigation() as landed:
        button.evaluate("b => b.click()")
    page.wait_for_load_state("networkidle")
    return landed.value


def assert_working_page(page, response):
    assert response is not None and response.status == 200, response and response.status
    assert "Hệ thống đang gặp sự cố" not in page.content()


def test_an_editor_submits_and_the_approver_and_administrator_publish_from_landing(
    cast, live_server, page, screenshot
):
    page.set_viewport_size({"width": 1280, "height": 900})

    # A commune's editor writes a Vietnamese title and submits, touching no other tab.
    sign_in(page, live_server, cast.editor_a)
    page.goto(f"{live_server.url}{reverse('cchc_news_desk', args=[cast.unit_a.slug])}")
    page.locator("#cchc-news-topics a").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#id_title").click()
    page.keyboard.type(TITLE)
    page.fill("#id_summary", "Ủy ban nhân dân xã lắng nghe ý kiến người dân về thủ tục.")
    page.locator('[data-contentpath="body"] [contenteditable="true"]').click()
    page.keyboard.type("Hơn 100 người dân tham dự buổi đối thoại.")
    # Draftail writes its hidden input after a short debounce.
    expect(page.locator("#id_body")).to_have_value(re.compile("Hơn 100 người dân"))
    with page.expect_navigation() as submitted:
        page.locator('button[name="action-submit"]').evaluate("b => b.click()")
    page.wait_for_load_state("networkidle")
    screenshot(page, "editorial-1-editor-submitted")
    assert_working_page(page, submitted.value)
    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    assert article.slug.startswith("hoi-nghi-doi-thoai"), article.slug
    assert article.current_workflow_state is not None

    # The commune's approver lands on what waits for them and publishes it.
    landed = sign_in(page, live_server, cast.approver_a)
    assert landed.url.endswith(reverse("cchc_landing"))
    waiting = page.locator("#cchc-awaiting")
    assert waiting.get_by_role("link", name=TITLE).is_visible()
    screenshot(page, "editorial-2-approver-landing")
    waiting.get_by_role("link", name="Xem và duyệt").first.click()
    page.wait_for_load_state("networkidle")
    assert_working_page(page, approve_on_edit_screen(page))
    article.refresh_from_db()
    assert article.live
    screenshot(page, "editorial-3-approver-published")

    # The administrator approves another unit's article and lands on a working page.
    other = submit(cast.unit_b, OTHER, cast.editor_b)
    landed = sign_in(page, live_server, cast.admin)
    assert_working_page(page, landed)
    waiting = page.locator("#cchc-awaiting")
    row = waiting.locator("tr", has_text=OTHER)
    assert row.is_visible()
    screenshot(page, "editorial-4-admin-landing")
    row.get_by_role("link", name="Xem và duyệt").click()
    page.wait_for_load_state("networkidle")
    assert re.search(rf"/pages/{other.pk}/edit/", page.url)
    assert_working_page(page, approve_on_edit_screen(page))
    other.refresh_from_db()
    assert other.live
    screenshot(page, "editorial-5-admin-after-approval")
