"""In a real browser: what the editor's script sends when a Vietnamese slug is
typed on the "Quảng bá" tab, and that the article is then submitted."""

import re

import pytest
from playwright.sync_api import expect

from cchc.news.models import ArticlePage
from cchc.news.tests.test_browser_editorial import sign_in

from .conftest import add_url, topic_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Xã tổ chức đối thoại với người dân"
TYPED = "Hội nghị đối thoại cải cách hành chính 2026"


def test_a_vietnamese_slug_keeps_its_letters_and_is_transliterated(
    cast, live_server, page, screenshot
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, cast.editor_a)
    page.goto(f"{live_server.url}{add_url(topic_of(cast.unit_a))}")
    page.wait_for_load_state("networkidle")
    page.locator("#id_title").click()
    page.keyboard.type(TITLE)
    page.fill("#id_summary", "Tóm tắt tin đối thoại.")
    page.locator('[data-contentpath="body"] [contenteditable="true"]').click()
    page.keyboard.type("Nội dung tin.")
    # Draftail writes its hidden input after a short debounce.
    expect(page.locator("#id_body")).to_have_value(re.compile("Nội dung tin"))
    page.locator('a[href="#tab-quang-ba"], [role="tab"]:has-text("Quảng bá")').first.click()
    slug = page.locator("#id_slug")
    slug.fill(TYPED)
    slug.blur()
    sent = slug.input_value()
    # Wagtail's script would have sent "hi-ngh-i-thoi-ci-cch-hnh-chnh-2026".
    assert sent.startswith("hội-nghị-đối-thoại"), sent
    screenshot(page, "slug-typed-in-vietnamese")
    with page.expect_navigation():
        page.locator('button[name="action-submit"]').evaluate("b => b.click()")
    page.wait_for_load_state("networkidle")
    article = ArticlePage.objects.get(title=TITLE)
    assert article.slug == "hoi-nghi-doi-thoai-cai-cach-hanh-chinh-2026"
    assert article.current_workflow_state is not None
