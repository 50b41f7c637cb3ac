"""The reviewer's word on the edit screen: a sent-back article shows why.

Wagtail sends the approver's comment by e-mail only; an editor who opens the
article again sees it here, at the top of the edit screen, until the article
is submitted again.
"""

from django.contrib import messages
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks

from cchc.news.models import ArticlePage
from cchc.news.review import changes_requested


def changes_requested_message(task_state) -> str:
    reviewer = task_state.finished_by
    who = (reviewer.get_full_name() or reviewer.get_username()) if reviewer else "Người duyệt"
    when = (
        timezone.localtime(task_state.finished_at).strftime("%d/%m/%Y %H:%M")
        if task_state.finished_at
        else ""
    )
    comment = task_state.comment.strip()
    if comment:
        return format_html(
            "{} yêu cầu sửa tin bài{}: <q>{}</q> "
            "Sửa xong, chọn <strong>Gửi lại</strong> để duyệt lại.",
            who,
            f" lúc {when}" if when else "",
            comment,
        )
    return format_html(
        "{} đã trả lại tin bài{} để sửa, không kèm ý kiến. "
        "Sửa xong, chọn <strong>Gửi lại</strong> để duyệt lại.",
        who,
        f" lúc {when}" if when else "",
    )


@hooks.register("before_edit_page")
def show_changes_requested(request, page):
    if request.method != "GET" or page.specific_class is not ArticlePage:
        return None
    task_state = changes_requested(page)
    if task_state is not None:
        messages.warning(request, changes_requested_message(task_state))
    return None
