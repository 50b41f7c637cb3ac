"""The one place that decides who may do what.

Roles (cchc.org.models.Role) are held per unit (CCHC officer, unit leader,
news editor, news approver) or province-wide (appraiser, Sở Nội vụ
administrator, provincial leader). Every view asks this module, either
through `can()` or through the fetch-and-authorize helpers, which answer
404 for what the user may not see and 403 for what they may see but not
change. Django model permissions (used by Wagtail's back office) are derived
from the same table by `RoleBackend`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cchc.lib.collation import vi_sorted
from cchc.org.models import PROVINCE_ROLES, Role, RoleAssignment, Unit


class Action(StrEnum):
    VIEW_WORKSPACE = "unit.view_workspace"
    MANAGE_ORG = "org.manage"
    VIEW_ORG = "org.view"
    VIEW_AUDIT = "audit.view"
    VIEW_DASHBOARDS = "dashboards.view"
    EDIT_NEWS = "news.edit"
    APPROVE_NEWS = "news.approve"
    VIEW_NEWS_STATS = "news.view_stats"
    SELF_ASSESS = "par.self_assess"
    SUBMIT_ASSESSMENT = "par.submit_assessment"
    APPRAISE = "par.appraise"
    VIEW_PAR_CRITERIA = "par.view_criteria"
    MANAGE_PAR = "par.manage"


# Which roles grant which action. A unit role grants it on its own unit
# (and that unit's predecessors, whose history it inherits); a province role
# grants it on every unit.
POLICY: dict[Action, frozenset[Role]] = {
    Action.VIEW_WORKSPACE: frozenset(Role),
    Action.MANAGE_ORG: frozenset({Role.ADMIN}),
    Action.VIEW_ORG: frozenset({Role.ADMIN, Role.PROVINCE_LEADER, Role.APPRAISER}),
    Action.VIEW_AUDIT: frozenset({Role.ADMIN, Role.PROVINCE_LEADER}),
    Action.VIEW_DASHBOARDS: frozenset(
        {Role.ADMIN, Role.PROVINCE_LEADER, Role.UNIT_LEADER, Role.CCHC_OFFICER}
    ),
    Action.EDIT_NEWS: frozenset({Role.NEWS_EDITOR, Role.NEWS_APPROVER, Role.ADMIN}),
    Action.APPROVE_NEWS: frozenset({Role.NEWS_APPROVER, Role.ADMIN}),
    Action.VIEW_NEWS_STATS: frozenset(
        {
            Role.NEWS_EDITOR,
            Role.NEWS_APPROVER,
            Role.CCHC_OFFICER,
            Role.UNIT_LEADER,
            Role.ADMIN,
            Role.PROVINCE_LEADER,
        }
    ),
    Action.SELF_ASSESS: frozenset({Role.CCHC_OFFICER, Role.UNIT_LEADER}),
    Action.SUBMIT_ASSESSMENT: frozenset({Role.UNIT_LEADER}),
    Action.APPRAISE: frozenset({Role.APPRAISER, Role.ADMIN}),
    Action.VIEW_PAR_CRITERIA: frozenset({Role.ADMIN, Role.PROVINCE_LEADER, Role.APPRAISER}),
    Action.MANAGE_PAR: frozenset({Role.ADMIN}),
}

# Django model permissions granted by role, for Wagtail's back office.
ROLE_MODEL_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            "org.add_unit",
            "org.change_unit",
            "org.view_unit",
            "org.add_roleassignment",
            "org.change_roleassignment",
            "org.delete_roleassignment",
            "org.view_roleassignment",
            "org.view_unitsuccession",
            "auth.add_user",
            "auth.change_user",
            "auth.view_user",
            "core.view_auditentry",
        }
    ),
    Role.PROVINCE_LEADER: frozenset(
        {"org.view_unit", "org.view_roleassignment", "core.view_auditentry"}
    ),
    Role.APPRAISER: frozenset({"org.view_unit"}),
}
BACK_OFFICE_PERMISSION = "wagtailadmin.access_admin"


def assignments(user) -> list[RoleAssignment]:
    """The user's current role assignments, cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_cchc_assignments", None)
    if cached is None:
        cached = list(RoleAssignment.objects.current().filter(user=user).select_related("unit"))
        user._cchc_assignments = cached
    return cached


def roles(user) -> set[Role]:
    return {Role(a.role) for a in assignments(user)}


def is_province_wide(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(roles(user) & PROVINCE_ROLES)


def user_units(user) -> list[Unit]:
    """Units where the user holds a unit role, in a stable order."""
    seen: dict[int, Unit] = {}
    for a in assignments(user):
        if a.unit_id and a.role not in PROVINCE_ROLES:
            seen.setdefault(a.unit_id, a.unit)
    return vi_sorted(seen.values())


def _lineage(unit: Unit) -> list[int]:
    cached = getattr(unit, "_cchc_lineage", None)
    if cached is None:
        cached = unit.lineage_ids()
        unit._cchc_lineage = cached
    return cached


def can_see_unit(user, unit: Unit) -> bool:
    if is_province_wide(user):
        return True
    return any(unit.pk in _lineage(u) for u in user_units(user))


def can(user, action: Action, unit: Unit | None = None) -> bool:
    """May `user` do `action` (on `unit`, for unit-scoped actions)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    granted = POLICY[action]
    for a in assignments(user):
        if a.role not in granted:
            continue
        if a.role in PROVINCE_ROLES or unit is None:
            return True
        if a.unit_id is not None and unit.pk in _lineage(a.unit):
            return True
    return False


def get_unit_for_user(user, slug: str, action: Action) -> Unit:
    """Fetch a unit by slug and authorize: 404 if unseen, 403 if not allowed."""
    unit = Unit.objects.select_related("parent").filter(slug=slug).first()
    if unit is None or not can_see_unit(user, unit):
        raise Http404("Không tìm thấy đơn vị.")
    if not can(user, action, unit):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    return unit


def require(user, action: Action, unit: Unit | None = None) -> None:
    if not can(user, action, unit):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


def model_permissions(user) -> set[str]:
    perms: set[str] = set()
    found = roles(user)
    if found:
        perms.add(BACK_OFFICE_PERMISSION)
    for role in found:
        perms |= ROLE_MODEL_PERMISSIONS.get(role, frozenset())
    return perms


def allowed_actions(
    user, unit: Unit | None, actions: Iterable[Action] = tuple(Action)
) -> list[Action]:
    return [action for action in actions if can(user, action, unit)]
