"""The one place that decides who may do what.

Roles (cchc.org.models.Role) are held per unit (CCHC officer, unit leader,
news editor, news approver) or province-wide (appraiser, Sở Nội vụ
administrator, provincial leader). The policy table `POLICY` says, for every
action, which roles grant it and which object it is about (`Scope`):

- a province-level action (MANAGE_ORG, VIEW_AUDIT, …) is asked without a unit:
  `can(user, Action.MANAGE_ORG)`;
- a unit-scoped action is asked with its unit: `can(user, Action.EDIT_NEWS, unit)`;
- an area-scoped action (appraisal) is asked with the unit and the criteria area:
  `can(user, Action.APPRAISE, unit, area=node)`.

Asking the wrong question (a unit-scoped action without its unit, a province-level
one with a unit) is a programming error and raises TypeError, so a forgotten
``unit=`` cannot turn into "yes, somewhere". Menus and landing pages ask the
separate question `can_anywhere(user, action)`.

Appraisers belong to their evaluating department (RoleAssignment.unit). An area
names its department by code: `CriteriaNode.evaluator_code` is the department's
`Unit.code` (SNV, STP, VPUBND… see cchc/org/loading.py DEPARTMENT_CODES), or the
code of one of its predecessors, whose history it inherits. An appraiser appraises
those areas, of every unit but their own; the Sở Nội vụ administrator appraises
everything.

Views fetch and authorize through one helper per object type, in the app's
selectors (`cchc.org.selectors.unit_get_for_user`,
`cchc.par.selectors.criteria.criteria_set_get_for_user`), which answer 404
(`not_found()`) for what the user may not see and 403 (`denied()`) for what they
may see but not do. Django model permissions (used by Wagtail's back office) are
derived from the same table by `RoleBackend`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cchc.lib.collation import vi_sorted
from cchc.org.models import PROVINCE_ROLES, Role, RoleAssignment, Unit

# The one answer for what a user may not see (404) or may see but not do (403).
NOT_FOUND = "Không tìm thấy trang."
DENIED = "Bạn không có quyền thực hiện thao tác này."


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
    VIEW_ASSESSMENT = "par.view_assessment"
    VIEW_PAR_RESULTS = "par.view_results"
    VIEW_PAR_CRITERIA = "par.view_criteria"
    MANAGE_PAR = "par.manage"
    REPORT_TARGETS = "targets.report"
    VIEW_TARGETS = "targets.view"
    MANAGE_TARGETS = "targets.manage"
    MANAGE_SURVEY = "sipas.manage"
    ENTER_SURVEY = "sipas.enter"
    VIEW_SURVEY = "sipas.view"
    VIEW_SURVEY_RESULTS = "sipas.view_results"


class Scope(StrEnum):
    PROVINCE = "province"  # about the province as a whole: asked without a unit
    UNIT = "unit"  # about one unit: asked with it
    AREA = "area"  # about one criteria area of one unit: asked with both


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    scope: Scope


# Which roles grant which action, on what. A unit role grants it on its own unit
# (and that unit's predecessors, whose history it inherits); a province role
# grants it on every unit, except an appraiser on an area-scoped action: only the
# areas their department evaluates, never on their own unit.
POLICY: dict[Action, Rule] = {
    Action.VIEW_WORKSPACE: Rule(frozenset(Role), Scope.UNIT),
    Action.MANAGE_ORG: Rule(frozenset({Role.ADMIN}), Scope.PROVINCE),
    Action.VIEW_ORG: Rule(
        frozenset({Role.ADMIN, Role.PROVINCE_LEADER, Role.APPRAISER}), Scope.PROVINCE
    ),
    Action.VIEW_AUDIT: Rule(frozenset({Role.ADMIN, Role.PROVINCE_LEADER}), Scope.PROVINCE),
    Action.VIEW_DASHBOARDS: Rule(
        frozenset({Role.ADMIN, Role.PROVINCE_LEADER, Role.UNIT_LEADER, Role.CCHC_OFFICER}),
        Scope.UNIT,
    ),
    Action.EDIT_NEWS: Rule(
        frozenset({Role.NEWS_EDITOR, Role.NEWS_APPROVER, Role.ADMIN}), Scope.UNIT
    ),
    Action.APPROVE_NEWS: Rule(frozenset({Role.NEWS_APPROVER, Role.ADMIN}), Scope.UNIT),
    Action.VIEW_NEWS_STATS: Rule(
        frozenset(
            {
                Role.NEWS_EDITOR,
                Role.NEWS_APPROVER,
                Role.CCHC_OFFICER,
                Role.UNIT_LEADER,
                Role.ADMIN,
                Role.PROVINCE_LEADER,
            }
        ),
        Scope.UNIT,
    ),
    Action.SELF_ASSESS: Rule(frozenset({Role.CCHC_OFFICER, Role.UNIT_LEADER}), Scope.UNIT),
    Action.SUBMIT_ASSESSMENT: Rule(frozenset({Role.UNIT_LEADER}), Scope.UNIT),
    Action.APPRAISE: Rule(frozenset({Role.APPRAISER, Role.ADMIN}), Scope.AREA),
    # a unit's PAR year (entries, evidence, comments): the unit's own PAR people and
    # the council (appraisers, Sở Nội vụ, provincial leaders; read-only for the last)
    Action.VIEW_ASSESSMENT: Rule(
        frozenset(
            {
                Role.CCHC_OFFICER,
                Role.UNIT_LEADER,
                Role.APPRAISER,
                Role.ADMIN,
                Role.PROVINCE_LEADER,
            }
        ),
        Scope.UNIT,
    ),
    # the whole province's results before publication (council review list)
    Action.VIEW_PAR_RESULTS: Rule(
        frozenset({Role.ADMIN, Role.PROVINCE_LEADER, Role.APPRAISER}), Scope.PROVINCE
    ),
    Action.VIEW_PAR_CRITERIA: Rule(
        frozenset({Role.ADMIN, Role.PROVINCE_LEADER, Role.APPRAISER}), Scope.PROVINCE
    ),
    Action.MANAGE_PAR: Rule(frozenset({Role.ADMIN}), Scope.PROVINCE),
    # reform targets (cchc.targets): a unit reports its own values; its people and the
    # province (Sở Nội vụ, provincial leaders, read-only for the last) follow progress
    Action.REPORT_TARGETS: Rule(frozenset({Role.CCHC_OFFICER, Role.UNIT_LEADER}), Scope.UNIT),
    Action.VIEW_TARGETS: Rule(
        frozenset({Role.CCHC_OFFICER, Role.UNIT_LEADER, Role.ADMIN, Role.PROVINCE_LEADER}),
        Scope.UNIT,
    ),
    Action.MANAGE_TARGETS: Rule(frozenset({Role.ADMIN}), Scope.PROVINCE),
    # SIPAS (cchc.sipas): Sở Nội vụ runs the survey (cases, contact data, sampling,
    # forms, feeding the PAR Index); operators key in paper forms and see no contact
    # data; the province's results are read by Sở Nội vụ and the provincial leaders,
    # a unit's own results also by its CCHC officer and leader
    Action.MANAGE_SURVEY: Rule(frozenset({Role.ADMIN}), Scope.PROVINCE),
    Action.ENTER_SURVEY: Rule(frozenset({Role.ADMIN, Role.SURVEY_OPERATOR}), Scope.PROVINCE),
    Action.VIEW_SURVEY: Rule(frozenset({Role.ADMIN, Role.PROVINCE_LEADER}), Scope.PROVINCE),
    Action.VIEW_SURVEY_RESULTS: Rule(
        frozenset({Role.CCHC_OFFICER, Role.UNIT_LEADER, Role.ADMIN, Role.PROVINCE_LEADER}),
        Scope.UNIT,
    ),
}
# Roles bound to their department's areas on area-scoped actions.
AREA_BOUND_ROLES = frozenset({Role.APPRAISER})

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
    """Does the user hold a province role? What they are shown, not what they may do."""
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


def _lineage_codes(unit: Unit) -> frozenset[str]:
    """The codes of a department and of its predecessors (the areas it evaluates)."""
    cached = getattr(unit, "_cchc_lineage_codes", None)
    if cached is None:
        cached = frozenset(
            Unit.objects.filter(pk__in=_lineage(unit)).values_list("code", flat=True)
        )
        unit._cchc_lineage_codes = cached
    return cached


def evaluator_code(area: Any) -> str:
    """The code of the department that evaluates `area`: a CriteriaNode (every node
    carries its area's evaluator), an engine node, or the code itself."""
    if isinstance(area, str):
        return area
    code = getattr(area, "evaluator_code", None)
    if code is None:
        code = getattr(area, "evaluator", None)
    if code is None:
        raise TypeError(f"{area!r} is not a criteria area: it names no evaluator.")
    return code or ""


def can_see_unit(user, unit: Unit) -> bool:
    if is_province_wide(user):
        return True
    return any(unit.pk in _lineage(u) for u in user_units(user))


def _check_object(action: Action, unit: Unit | None, area: Any) -> Rule:
    """The policy rule for `action`, after checking it was asked about its object."""
    rule = POLICY[action]
    if rule.scope is Scope.PROVINCE and (unit is not None or area is not None):
        raise TypeError(
            f"{action.name} is a province-level action: ask can(user, Action.{action.name}) "
            "without a unit."
        )
    if rule.scope is not Scope.PROVINCE and not isinstance(unit, Unit):
        raise TypeError(
            f"{action.name} is about one unit: ask can(user, Action.{action.name}, unit); "
            "for menus and landing pages ask can_anywhere(user, action)."
        )
    if rule.scope is Scope.AREA and area is None:
        raise TypeError(
            f"{action.name} is about one criteria area of a unit: ask "
            f"can(user, Action.{action.name}, unit, area=node)."
        )
    if rule.scope is Scope.AREA:
        evaluator_code(area)  # raises TypeError for what is not an area
    if rule.scope is Scope.UNIT and area is not None:
        raise TypeError(f"{action.name} is about a unit, not an area: ask without area=.")
    return rule


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def _appraises(assignment: RoleAssignment, unit: Unit, area: Any) -> bool:
    """An appraiser: the areas their department evaluates, of every unit but their own."""
    department = assignment.unit
    if department is None or unit.pk in _lineage(department):
        return False
    code = evaluator_code(area)
    return bool(code) and code in _lineage_codes(department)


def can(user, action: Action, unit: Unit | None = None, *, area: Any = None) -> bool:
    """May `user` do `action` (on `unit`, and its `area` for area-scoped actions)?

    A unit-scoped action without its unit, or a province-level one with a unit,
    raises TypeError: ask `can_anywhere` for menus and landing pages.
    """
    rule = _check_object(action, unit, area)
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    for a in assignments(user):
        if a.role not in rule.roles:
            continue
        if rule.scope is Scope.PROVINCE:
            return True
        if rule.scope is Scope.AREA and a.role in AREA_BOUND_ROLES:
            if _appraises(a, unit, area):
                return True
            continue
        if a.role in PROVINCE_ROLES:
            return True
        if a.unit_id is not None and unit.pk in _lineage(a.unit):
            return True
    return False


def can_anywhere(user, action: Action) -> bool:
    """May `user` do `action` somewhere? For menus and landing pages only: a view
    that acts on an object asks `can` about that object."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    granted = POLICY[action].roles
    return any(a.role in granted for a in assignments(user))


def can_on_every_unit(user, action: Action) -> bool:
    """Does `user` hold `action` on every unit (a province role, or superuser)?
    Lists use it to show the whole province instead of the user's own units."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    rule = POLICY[action]
    bound = AREA_BOUND_ROLES if rule.scope is Scope.AREA else frozenset()
    return any(
        a.role in rule.roles and a.role in PROVINCE_ROLES and a.role not in bound
        for a in assignments(user)
    )


def not_found() -> Http404:
    """The answer for what the user may not see (raise it)."""
    return Http404(NOT_FOUND)


def denied() -> PermissionDenied:
    """The answer for what the user may see but not do (raise it)."""
    return PermissionDenied(DENIED)


def require(user, action: Action, unit: Unit | None = None, *, area: Any = None) -> None:
    if not can(user, action, unit, area=area):
        raise denied()


def require_anywhere(user, action: Action) -> None:
    """For landing pages that list where the user may act."""
    if not can_anywhere(user, action):
        raise denied()


def model_permissions(user) -> set[str]:
    perms: set[str] = set()
    found = roles(user)
    if found:
        perms.add(BACK_OFFICE_PERMISSION)
    for role in found:
        perms |= ROLE_MODEL_PERMISSIONS.get(role, frozenset())
    return perms


def allowed_actions(user, unit: Unit, actions: Iterable[Action] = tuple(Action)) -> list[Action]:
    """What `user` may do on `unit`'s page: its unit-scoped actions on that unit and
    the province-level ones. Area-scoped actions need their area: ask `can`."""
    allowed = []
    for action in actions:
        scope = POLICY[action].scope
        if scope is Scope.AREA:
            continue
        if can(user, action, unit if scope is Scope.UNIT else None):
            allowed.append(action)
    return allowed
