"""What Wagtail's own page screens show to whom.

Wagtail lets every back-office user browse and search the page chooser,
open a move confirmation and a bulk action, whatever pages they name; each
of these showed the titles of other units' drafts. The rule here: a page
that is not live is seen only by those who hold a page permission on it
(its unit's editors and approvers, the province-wide news administrators)
and by superusers. Anyone else gets 404 for it, as for a unit that is not
theirs (`cchc.org.selectors.unit_get_for_user`). The page chooser is for
page editors only. PageScopeMiddleware guards the screens Wagtail opens
without a question: the workflow cancellation summary (those who may edit
the page), the workflow task chooser (workflow managers: superusers) and the
page types report (those who see every page).

The check is one OR per page the user holds permissions on (a unit role's
section, or the home page for the news administrators), so it does not grow
with the number of units.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from wagtail import hooks
from wagtail.admin.views.pages.bulk_actions import (
    DeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from wagtail.models import Page
from wagtail.permissions import page_permission_policy, workflow_permission_policy

NOT_FOUND = "Không tìm thấy trang."


def _granted_paths(user) -> set[str]:
    return {perm.page.path for perm in page_permission_policy.get_cached_permissions_for_user(user)}


def visible_pages_q(user) -> Q:
    """Pages the user may see in the back office: live ones, and drafts they work on."""
    if user.is_superuser:
        return Q()
    q = Q(live=True)
    for path in _granted_paths(user):
        q |= Q(path__startswith=path)
    return q


def can_see_page(user, page) -> bool:
    if user.is_superuser or page.live:
        return True
    return any(page.path.startswith(path) for path in _granted_paths(user))


def sees_every_page(user) -> bool:
    """Superusers, and those holding a page permission on the root or the home page."""
    return user.is_superuser or any(len(path) <= 2 * Page.steplen for path in _granted_paths(user))


def require_visible(user, *pages) -> None:
    if not all(can_see_page(user, page) for page in pages):
        raise Http404(NOT_FOUND)


@hooks.register("construct_page_chooser_queryset")
def chooser_shows_visible_pages(pages, request):
    # The chooser's browse view has no hook for its parent page; this one
    # runs right after the parent is fetched, so a hidden parent is a 404
    # here rather than a list of its children's titles.
    user = request.user
    if not user.is_superuser and not _granted_paths(user):
        # Only page editors choose pages (rich text links, moving, copying):
        # to anyone else the chooser shows nothing.
        raise Http404(NOT_FOUND)
    parent_id = getattr(request.resolver_match, "kwargs", {}).get("parent_page_id")
    if parent_id is not None:
        parent = Page.objects.filter(pk=parent_id).only("path", "live").first()
        if parent is not None:
            require_visible(user, parent)
    return pages.filter(visible_pages_q(user))


@hooks.register("before_move_page")
def move_only_what_you_may(request, page, destination):
    # Wagtail renders the move confirmation without asking whether the user
    # may move the page there.
    require_visible(request.user, page, destination)
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied("Bạn không có quyền di chuyển trang này đến vị trí đã chọn.")
    return None


class VisiblePagesOnly:
    """A page bulk action that answers 404 when it names a page the user may not see.

    Wagtail's bulk actions list the titles of the pages the user may not act
    on ("items with no access"), drafts of other units included.
    """

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        require_visible(self.request.user, *objects, *extra["items_with_no_access"])
        return objects, extra


class VisibleDeleteBulkAction(VisiblePagesOnly, DeleteBulkAction):
    pass


class VisibleMoveBulkAction(VisiblePagesOnly, MoveBulkAction):
    pass


class VisiblePublishBulkAction(VisiblePagesOnly, PublishBulkAction):
    pass


class VisibleUnpublishBulkAction(VisiblePagesOnly, UnpublishBulkAction):
    pass


# Registered after Wagtail's own (order 0), so these replace them.
for _action in (
    VisibleDeleteBulkAction,
    VisibleMoveBulkAction,
    VisiblePublishBulkAction,
    VisibleUnpublishBulkAction,
):
    hooks.register("register_bulk_action", _action, order=100)


@hooks.register("construct_reports_menu")
def hide_page_types_report(request, menu_items):
    if not sees_every_page(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


WORKFLOW_CHOOSER = "wagtailadmin_workflows:task_cho"  # task_chooser*, task_chosen
PAGE_TYPES_REPORT = "wagtailadmin_reports:page_types_usage"
SCOPED_SCREENS = (
    "wagtailadmin_pages:confirm_workflow_cancellation",
    WORKFLOW_CHOOSER,
    PAGE_TYPES_REPORT,
)


class PageScopeMiddleware:
    """Wagtail page screens that ask no question about the page or the user.

    - the workflow cancellation summary of a page: 404 unless the user may edit it;
    - the workflow task chooser: workflow management, 403 unless the user may
      manage workflows (superusers only in this product);
    - the page types report (each type's last edited page, drafts included):
      403 unless the user sees every page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        name = match.view_name if match else ""
        if not name.startswith(SCOPED_SCREENS):
            return None  # the session and the user stay unread (public pages)
        user = request.user
        if not user.is_authenticated or user.is_superuser:
            return None
        if name == "wagtailadmin_pages:confirm_workflow_cancellation":
            page = Page.objects.filter(pk=view_kwargs.get("page_id")).first()
            if page is None or not page.permissions_for_user(user).can_edit():
                raise Http404(NOT_FOUND)
        elif name.startswith(WORKFLOW_CHOOSER):
            if not workflow_permission_policy.user_has_any_permission(
                user, ["add", "change", "delete"]
            ):
                raise PermissionDenied("Bạn không có quyền quản lý quy trình duyệt.")
        elif name.startswith(PAGE_TYPES_REPORT):
            if not sees_every_page(user):
                raise PermissionDenied("Bạn không có quyền xem báo cáo này.")
        return None
