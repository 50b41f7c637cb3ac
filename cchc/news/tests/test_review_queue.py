"""Articles waiting for approval reach the approver, and the reviewer's word reaches the editor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import WorkflowState

from cchc.news.review import awaiting_review, changes_requested
from cchc.news.services import article_create

from .conftest import topic_of

pytestmark = pytest.mark.django_db


def submit(unit, title, editor):
    article = article_create(
        actor=editor,
        topic_page=topic_of(unit),
        title=title,
        summary=f"Tóm tắt: {title}.",
        body=f"<p>{title}.</p>",
    )
    article.get_workflow().start(article, editor)
    return article


def send_back(article, approver, comment):
    state = WorkflowState.objects.get(object_id=str(article.pk), status="in_progress")
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, approver, "reject", comment=comment)


def landing():
    return reverse("cchc_landing")


def queries(client, url) -> int:
    client.get(url)  # warm caches (site root, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# The approver's landing page -------------------------------------------------


def test_the_approver_lands_on_the_articles_waiting_for_them(cast, client_as):
    article = submit(cast.unit_a, "Hội nghị đối thoại về thủ tục hành chính", cast.editor_a)
    response = client_as(cast.approver_a).get(landing())
    assert response.status_code == 200
    html = response.text
    assert "Tin bài chờ bạn duyệt (1)" in html
    assert "Hội nghị đối thoại về thủ tục hành chính" in html
    assert reverse("wagtailadmin_pages:edit", args=[article.pk]) in html
    assert cast.unit_a.name in html


def test_with_nothing_waiting_a_single_unit_approver_goes_to_their_unit(cast, client_as):
    response = client_as(cast.approver_a).get(landing())
    assert response["Location"] == reverse("cchc_unit_workspace", args=[cast.unit_a.slug])


def test_another_units_article_is_not_in_the_approvers_list(cast, client_as):
    submit(cast.unit_b, "Tin của đơn vị khác", cast.editor_b)
    assert awaiting_review(cast.approver_a) == []
    response = client_as(cast.approver_a).get(landing())
    assert response.status_code == 302  # nothing waits for them: straight to their unit


def test_the_editor_and_the_read_only_leader_have_nothing_to_approve(cast, client_as):
    submit(cast.unit_a, "Tin chờ duyệt", cast.editor_a)
    assert awaiting_review(cast.editor_a) == []
    assert awaiting_review(cast.leader) == []
    html = client_as(cast.leader).get(landing()).text
    assert "Tin chờ duyệt" not in html


def test_the_administrator_sees_every_units_waiting_articles(cast, client_as):
    submit(cast.unit_a, "Tin của xã A", cast.editor_a)
    submit(cast.unit_b, "Tin của phường B", cast.editor_b)
    html = client_as(cast.admin).get(landing()).text
    assert "Tin bài chờ bạn duyệt (2)" in html
    assert "Tin của xã A" in html and "Tin của phường B" in html


def test_a_published_article_leaves_the_list(cast, client_as):
    article = submit(cast.unit_a, "Tin sẽ được duyệt", cast.editor_a)
    state = WorkflowState.objects.get(object_id=str(article.pk), status="in_progress")
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, cast.approver_a, "approve")
    assert awaiting_review(cast.approver_a) == []


def test_the_landing_page_queries_do_not_grow_with_waiting_articles(cast, client_as):
    client = client_as(cast.admin)
    submit(cast.unit_a, "Tin thứ nhất", cast.editor_a)
    few = queries(client, landing())
    for n, unit in enumerate([cast.unit_a, cast.unit_b, cast.snv, cast.stp, cast.province] * 2):
        submit(unit, f"Tin chờ duyệt số {n}", cast.editor_a)
    assert queries(client, landing()) == few
    assert "Tin bài chờ bạn duyệt (11)" in client.get(landing()).text


# The Wagtail dashboard --------------------------------------------------------


def test_the_dashboard_panel_lists_the_waiting_articles(cast, client_as):
    article = submit(cast.unit_a, "Tin trên bảng điều khiển", cast.editor_a)
    html = client_as(cast.approver_a).get(reverse("wagtailadmin_home")).text
    assert 'id="cchc-awaiting-heading"' in html
    assert reverse("wagtailadmin_pages:edit", args=[article.pk]) in html


def test_the_dashboard_queries_do_not_grow_with_units_or_articles(cast, client_as):
    client = client_as(cast.admin)
    submit(cast.unit_a, "Tin thứ nhất", cast.editor_a)
    few = queries(client, reverse("wagtailadmin_home"))
    for n, unit in enumerate([cast.unit_b, cast.snv, cast.stp, cast.province] * 2):
        submit(unit, f"Tin chờ duyệt số {n}", cast.editor_a)
    assert queries(client, reverse("wagtailadmin_home")) == few


# The reviewer's comment on the edit screen ----------------------------------


def test_the_editor_sees_the_reviewers_comment_on_the_edit_screen(cast, client_as):
    article = submit(cast.unit_a, "Tin cần sửa", cast.editor_a)
    send_back(article, cast.approver_a, "Bổ sung số liệu hồ sơ trực tuyến quý III.")
    response = client_as(cast.editor_a).get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any(
        "yêu cầu sửa tin bài" in m and "Bổ sung số liệu hồ sơ trực tuyến quý III." in m
        for m in messages
    )


def test_the_comment_is_escaped(cast, client_as):
    article = submit(cast.unit_a, "Tin cần sửa", cast.editor_a)
    send_back(article, cast.approver_a, '<script>alert("x")</script>')
    html = client_as(cast.editor_a).get(reverse("wagtailadmin_pages:edit", args=[article.pk])).text
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_a_send_back_without_comment_says_so(cast, client_as):
    article = submit(cast.unit_a, "Tin cần sửa", cast.editor_a)
    send_back(article, cast.approver_a, "")
    html = client_as(cast.editor_a).get(reverse("wagtailadmin_pages:edit", args=[article.pk])).text
    assert "không kèm ý kiến" in html


def test_the_comment_goes_once_the_article_is_submitted_again(cast):
    article = submit(cast.unit_a, "Tin cần sửa", cast.editor_a)
    send_back(article, cast.approver_a, "Sửa tiêu đề.")
    assert changes_requested(article).comment == "Sửa tiêu đề."
    state = WorkflowState.objects.get(object_id=str(article.pk))
    state.resume(user=cast.editor_a)
    assert changes_requested(article) is None


def test_an_article_in_review_shows_no_comment(cast, client_as):
    article = submit(cast.unit_a, "Tin đang chờ", cast.editor_a)
    html = (
        client_as(cast.approver_a).get(reverse("wagtailadmin_pages:edit", args=[article.pk])).text
    )
    assert "yêu cầu sửa tin bài" not in html
