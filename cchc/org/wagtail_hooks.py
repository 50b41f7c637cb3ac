from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import DeleteView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)
from wagtail.utils.urlpatterns import decorate_urlpatterns

from cchc import access
from cchc.accounts.views import landing
from cchc.core import hooks as cchc_hooks
from cchc.core import site_version
from cchc.lib.collation import vi_order_by
from cchc.lib.menus import ActionMenuItem
from cchc.news.review import awaiting_review
from cchc.org.admin_views import unit_merge_view, unit_retire_view
from cchc.org.demo import demo_load
from cchc.org.models import RoleAssignment, Unit, UnitType
from cchc.org.services import (
    role_assign,
    role_revoke,
    unit_create,
    unit_index_ensure,
    unit_update,
)
from cchc.org.views import audit_log, unit_workspace


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("lam-viec/", landing, name="cchc_landing"),
        path("don-vi/sap-nhap/", unit_merge_view, name="cchc_unit_merge"),
        path("don-vi/ngung-hoat-dong/", unit_retire_view, name="cchc_unit_retire"),
        path("don-vi/<slug:slug>/", unit_workspace, name="cchc_unit_workspace"),
        path("nhat-ky/", audit_log, name="cchc_audit_log"),
    ]


class UnitCreateView(CreateView):
    def save_instance(self):
        return unit_create(actor=self.request.user, unit=self.form.save(commit=False))


class UnitEditView(EditView):
    def save_instance(self):
        self.has_content_changes = self.form.has_changed()
        return unit_update(
            actor=self.request.user,
            unit=self.form.save(commit=False),
            changed=self.form.changed_data,
        )


class UnitIndexView(IndexView):
    def order_queryset(self, queryset):
        # By name means Vietnamese order (Đ after D, not after Z); the
        # database collations cannot do that, see cchc/lib/collation.py.
        if self.ordering in ("name", ["unit_type", "name"]):
            leading = () if self.ordering == "name" else ("unit_type",)
            return vi_order_by(queryset, "name", *leading)
        return super().order_queryset(queryset)


class UnitViewSet(SnippetViewSet):
    model = Unit
    index_view_class = UnitIndexView
    icon = "site"
    menu_label = "Đơn vị"
    url_prefix = "org/unit"
    add_view_class = UnitCreateView
    edit_view_class = UnitEditView
    list_display = [
        "name",
        Column("kind_label", label="Loại đơn vị"),
        "code",
        "active_from",
        "active_until",
    ]
    list_filter = ["unit_type", "commune_kind"]
    list_per_page = 50
    ordering = ["unit_type", "name"]
    # Searched with the ORM (no search index to rebuild): a name or a code.
    search_fields = ["name", "code"]
    search_backend_name = None


class RoleAssignmentCreateView(CreateView):
    def save_instance(self):
        draft = self.form.save(commit=False)
        return role_assign(
            actor=self.request.user, user=draft.user, role=draft.role, unit=draft.unit
        )


class RoleAssignmentEditView(EditView):
    """A changed assignment is the old one revoked and the new one given, so
    both are logged and the editorial groups follow (the form saves neither)."""

    def save_instance(self):
        self.has_content_changes = self.form.has_changed()
        if not self.has_content_changes:
            return self.object
        draft = self.form.save(commit=False)
        role_revoke(actor=self.request.user, assignment=RoleAssignment.objects.get(pk=draft.pk))
        return role_assign(
            actor=self.request.user, user=draft.user, role=draft.role, unit=draft.unit
        )


class RoleAssignmentDeleteView(DeleteView):
    def delete_action(self):
        role_revoke(actor=self.request.user, assignment=self.object)


def _require_role_list_access(view):
    """The role chooser lists every account's roles: the same right as /org/role/."""
    policy = ModelPermissionPolicy(RoleAssignment)

    def guarded(request, *args, **kwargs):
        if not policy.user_has_any_permission(request.user, ["add", "change", "delete", "view"]):
            raise PermissionDenied("Bạn không có quyền xem danh sách phân quyền.")
        return view(request, *args, **kwargs)

    return guarded


class RoleAssignmentChooserViewSet(SnippetChooserViewSet):
    def get_urlpatterns(self):
        return decorate_urlpatterns(super().get_urlpatterns(), _require_role_list_access)


class RoleAssignmentViewSet(SnippetViewSet):
    model = RoleAssignment
    icon = "group"
    menu_label = "Phân quyền"
    url_prefix = "org/role"
    add_view_class = RoleAssignmentCreateView
    edit_view_class = RoleAssignmentEditView
    delete_view_class = RoleAssignmentDeleteView
    chooser_viewset_class = RoleAssignmentChooserViewSet
    list_display = ["user", "role", "unit", "created_at"]
    list_filter = ["role"]
    list_per_page = 50

    def get_queryset(self, request):
        return RoleAssignment.objects.select_related("user", "unit")


class OrgGroup(SnippetViewSetGroup):
    items = (UnitViewSet, RoleAssignmentViewSet)
    menu_icon = "site"
    menu_label = "Tổ chức"
    menu_name = "to-chuc"
    menu_order = 150


register_snippet(OrgGroup)


@hooks.register("register_admin_menu_item")
def landing_menu_item():
    return MenuItem("Việc của tôi", reverse("cchc_landing"), icon_name="user", order=1)


@hooks.register("register_admin_menu_item")
def merge_menu_item():
    return ActionMenuItem(
        "Sáp nhập đơn vị",
        reverse("cchc_unit_merge"),
        icon_name="resubmit",
        order=160,
        action=access.Action.MANAGE_ORG,
    )


@hooks.register("register_admin_menu_item")
def retire_menu_item():
    return ActionMenuItem(
        "Ngừng hoạt động đơn vị",
        reverse("cchc_unit_retire"),
        icon_name="cross",
        order=161,
        action=access.Action.MANAGE_ORG,
    )


@hooks.register("register_admin_menu_item")
def audit_menu_item():
    return ActionMenuItem(
        "Nhật ký thay đổi",
        reverse("cchc_audit_log"),
        icon_name="history",
        order=900,
        action=access.Action.VIEW_AUDIT,
    )


class MyWorkPanel(Component):
    name = "cchc_my_work"
    order = 10
    template_name = "accounts/home_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        units = access.user_units(self.user)
        return {
            "units": units,
            "assignments": access.assignments(self.user),
            "awaiting": awaiting_review(self.user),
            "province_wide": access.is_province_wide(self.user),
            "unit_count": Unit.objects.active().exclude(unit_type=UnitType.PROVINCE).count(),
        }


@hooks.register("construct_homepage_panels")
def add_my_work_panel(request, panels):
    panels.insert(0, MyWorkPanel(request.user))


# Our own extension points (declared in cchc.core.hooks) ---------------------


@hooks.register(cchc_hooks.SITE_TREE, order=0)
def add_unit_index(*, home):
    unit_index_ensure(home=home)


@hooks.register(cchc_hooks.DEMO_LOAD, order=0)
def load_demo_units_and_accounts(*, stdout, password):
    return demo_load(stdout=stdout, password=password)


@hooks.register(cchc_hooks.HOME_PAGE_CONTEXT)
def count_units_on_home_page(*, request, context):
    def count():
        active = Unit.objects.active()
        return (
            active.filter(unit_type=UnitType.DEPARTMENT).count(),
            active.filter(unit_type=UnitType.COMMUNE).count(),
        )

    # A unit saved or deleted raises the site's version; the day ends a unit's term.
    day = timezone.localdate()
    counts = site_version.cached(f"org:unit_counts:{day}", site_version.current(request), count)
    context["department_count"], context["commune_count"] = counts
