"""Read-only queries over Wagtail's editorial workflow: who waits for whom.

Wagtail's own "awaiting your review" query ORs one queryset per task, so it
grows with the number of units (one approval task each); these stay a fixed
number of queries whatever the size of the province.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState

from cchc.news.models import ArticlePage

AWAITING_LIMIT = 50


@dataclass(frozen=True)
class AwaitingReview:
    article: ArticlePage
    submitted_by: object | None
    submitted_at: object


def _page_states():
    return WorkflowState.objects.filter(base_content_type=ContentType.objects.get_for_model(Page))


def awaiting_review(user, limit: int = AWAITING_LIMIT) -> list[AwaitingReview]:
    """Articles whose current approval step is one of the user's groups, oldest first.

    Two queries (workflow states, then their articles), however many units,
    tasks or articles there are.
    """
    if not user.is_authenticated:
        return []
    states = _page_states().filter(status=WorkflowState.STATUS_IN_PROGRESS)
    if not user.is_superuser:
        tasks = GroupApprovalTask.objects.filter(active=True, groups__user=user)
        states = states.filter(current_task_state__task__in=tasks.values("pk"))
    states = list(states.select_related("requested_by").order_by("created_at", "pk")[:limit])
    articles = ArticlePage.objects.filter(pk__in=[int(s.object_id) for s in states]).select_related(
        "unit"
    )
    by_pk = {a.pk: a for a in articles}
    return [
        AwaitingReview(
            article=by_pk[int(s.object_id)],
            submitted_by=s.requested_by,
            submitted_at=s.created_at,
        )
        for s in states
        if int(s.object_id) in by_pk
    ]


def changes_requested(page) -> TaskState | None:
    """The reviewer's step that sent the page back, while it still waits for changes."""
    state = (
        _page_states()
        .filter(object_id=str(page.pk))
        .order_by("-created_at", "-pk")
        .only("pk", "status")
        .first()
    )
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    return (
        TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_REJECTED)
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )


def _in_workflow(status: str) -> Exists:
    return Exists(_page_states().filter(object_id=Cast(OuterRef("pk"), CharField()), status=status))


def article_counts_by_unit() -> dict[int, dict[str, int]]:
    """{unit id: {"drafts", "waiting", "published"}} in one grouped query.

    "waiting" is an article in review (new or a change to a published one);
    "drafts" the never-published ones not in review.
    """
    rows = (
        ArticlePage.objects.annotate(waiting=_in_workflow(WorkflowState.STATUS_IN_PROGRESS))
        .order_by()
        .values("unit_id")
        .annotate(
            n_waiting=Count("pk", filter=Q(waiting=True)),
            n_drafts=Count("pk", filter=Q(waiting=False, live=False)),
            n_published=Count("pk", filter=Q(live=True)),
        )
    )
    return {
        row["unit_id"]: {
            "drafts": row["n_drafts"],
            "waiting": row["n_waiting"],
            "published": row["n_published"],
        }
        for row in rows
    }
