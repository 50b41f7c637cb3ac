"""In a real browser: the Content-Security-Policy blocks nothing the back office needs."""

import datetime

import pytest
from django.utils import timezone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def csp_violations(messages):
    return [m for m in messages if "Content Security Policy" in m]


def test_the_article_editor_and_its_choosers_run_under_the_policy(
    cast, page, live_server, screenshot
):
    from cchc.news.models import SectionPage, Topic, TopicPage
    from cchc.news.services import article_create

    section = SectionPage.objects.get(unit=cast.unit_a)
    article = article_create(
        actor=cast.approver_a,
        topic_page=TopicPage.objects.child_of(section).get(topic=Topic.MODELS),
        title="Kiểm tra chính sách bảo mật nội dung",
        summary="Tóm tắt.",
        body="<p>Nội dung.</p>",
        publish=True,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(live_server.url + "/quan-tri/login/")
    page.fill("#id_username", cast.editor_a.username)
    page.fill("#id_password", cast.editor_a.raw_password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/quan-tri/pages/{article.pk}/edit/")
    page.wait_for_load_state("networkidle")
    editor = page.locator(".DraftEditor-root [contenteditable=true]").first
    editor.click()
    page.keyboard.type(" Thêm một câu.")
    assert "Thêm một câu." in editor.inner_text()
    page.keyboard.press("Control+a")
    page.locator("[name=LINK]").first.click()
    page.locator(".modal").first.wait_for()
    screenshot(page, "csp-article-editor")
    assert csp_violations(messages) == []

    page.goto(live_server.url + section.url)
    page.wait_for_load_state("networkidle")
    assert csp_violations(messages) == []
