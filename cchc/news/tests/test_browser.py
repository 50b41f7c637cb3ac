"""In a real browser: an editor writes and submits, the approver publishes, readers see it."""

import re

import pytest
from playwright.sync_api import expect

from cchc.news.models import ArticlePage

from .conftest import topic_of

TITLE = "Xã An Phú tổ chức đối thoại với người dân về thủ tục hành chính"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/quan-tri/login/")
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', user.raw_password)
    page.locator('input[name="password"]').press("Enter")
    page.wait_for_load_state("networkidle")


def sign_out(page, live_server):
    page.context.clear_cookies()


def test_an_article_goes_from_the_editor_to_every_public_place(cast, live_server, page, screenshot):
    # The editor writes in the unit's newsroom and submits for approval.
    sign_in(page, live_server, cast.editor_a)
    page.goto(f"{live_server.url}/quan-tri/tin-bai/xa-an-phu/")
    page.get_by_role("link", name=re.compile("Viết tin: Hoạt động cải cách hành chính")).click()
    page.fill("#id_title", TITLE)
    page.locator("#id_title").press("Tab")
    # Wagtail fills the slug (on the "Quảng bá" tab) from the title when the title
    # loses focus; submitting before that races its own late update of the form.
    expect(page.locator("#id_slug")).not_to_have_value("")
    page.fill("#id_summary", "Ủy ban nhân dân xã lắng nghe ý kiến về giải quyết thủ tục.")
    body = page.locator('[data-contentpath="body"] [contenteditable="true"]')
    body.click()
    page.keyboard.type("Buổi đối thoại có hơn 100 người dân tham dự.")
    # Draftail writes its hidden input after a short debounce; submitting
    # before that sends an empty body.
    expect(page.locator("#id_body")).to_have_value(re.compile("100 người dân"))
    with page.expect_navigation():
        page.locator('button[name="action-submit"]').evaluate("b => b.click()")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".messages")).to_contain_text("gửi duyệt")
    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    assert article.get_parent().pk == topic_of(cast.unit_a).pk
    sign_out(page, live_server)

    # The unit's approver publishes it from the edit screen.
    sign_in(page, live_server, cast.approver_a)
    page.goto(f"{live_server.url}/quan-tri/pages/{article.pk}/edit/")
    approve = page.locator(
        'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
    )
    with page.expect_navigation():
        approve.evaluate("b => b.click()")
    page.wait_for_load_state("networkidle")
    article.refresh_from_db()
    assert article.live
    sign_out(page, live_server)

    # Readers find it in the unit's section, the province roll-up, the feed and the widget.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/don-vi/xa-an-phu/cchc/")
    assert page.get_by_role("link", name=TITLE).is_visible()
    screenshot(page, "news-unit-section")
    page.goto(f"{live_server.url}/cchc/")
    assert page.get_by_role("link", name=TITLE).is_visible()
    screenshot(page, "news-province-section")
    page.get_by_role("link", name=TITLE).click()
    assert page.locator("h1").inner_text() == TITLE
    assert "100 người dân" in page.locator(".news-body").inner_text()
    screenshot(page, "news-article")
    assert TITLE in page.request.get(f"{live_server.url}/don-vi/xa-an-phu/cchc/rss/").text()
    page.goto(f"{live_server.url}/don-vi/xa-an-phu/cchc/nhung/")
    assert page.get_by_role("link", name=TITLE).is_visible()


def test_the_embed_script_inserts_the_widget_into_another_page(cast, publish, live_server, page):
    publish(cast.unit_a, "Tin trong khung nhúng")
    page.goto(f"{live_server.url}/healthz")
    script = f"{live_server.url}/don-vi/xa-an-phu/cchc/nhung.js"
    page.set_content(f'<main><h1>Trang của xã</h1><script src="{script}"></script></main>')
    frame = page.frame_locator("iframe")
    assert frame.get_by_role("link", name="Tin trong khung nhúng").is_visible()
