"""What a signed-in user can do now: the landing page and the dashboard panel."""

from __future__ import annotations

from cchc import access
from cchc.access import Action
from cchc.core import hooks
from cchc.news.review import awaiting_review
from cchc.org.models import Role, Unit
from cchc.sipas.selectors import sees_surveys

# Actions that have a screen today. The policy also names unit dashboards;
# they are offered once their screens exist, never promised before.
ACTIONS_WITH_SCREENS = frozenset(
    {
        Action.VIEW_WORKSPACE,
        Action.MANAGE_ORG,
        Action.VIEW_ORG,
        Action.VIEW_AUDIT,
        Action.EDIT_NEWS,
        Action.APPROVE_NEWS,
        Action.VIEW_NEWS_STATS,
        Action.SELF_ASSESS,
        Action.SUBMIT_ASSESSMENT,
        Action.APPRAISE,
        Action.VIEW_ASSESSMENT,
        Action.VIEW_PAR_RESULTS,
        Action.VIEW_PAR_CRITERIA,
        Action.MANAGE_PAR,
    }
)


def offered_actions(user, unit: Unit) -> list[Action]:
    return [a for a in access.allowed_actions(user, unit) if a in ACTIONS_WITH_SCREENS]


def work_items(user) -> list[dict]:
    """What the apps say the user has to do now (hook WORK_ITEMS), once a request."""
    cached = getattr(user, "_cchc_work_items", None)
    if cached is None:
        cached = [item for found in hooks.run(hooks.WORK_ITEMS, user=user) for item in found]
        user._cchc_work_items = cached
    return cached


def landing_target(user) -> Unit | None:
    """The one unit page to send the user to, when there is nothing else to show."""
    units = access.user_units(user)
    if (
        len(units) == 1
        and not access.is_province_wide(user)
        and not awaiting_review(user)
        and not work_items(user)
    ):
        return units[0]
    return None


def landing_context(user) -> dict:
    assigned = access.assignments(user)
    return {
        "units": access.user_units(user),
        "province_roles": sorted(
            {Role(a.role).label for a in assigned if a.unit_id is None or a.role == Role.APPRAISER}
        ),
        "assignments": assigned,
        "awaiting": awaiting_review(user),
        "can_approve": access.can_anywhere(user, Action.APPROVE_NEWS),
        "can_edit_news": access.can_anywhere(user, Action.EDIT_NEWS),
        "can_manage_org": access.can(user, Action.MANAGE_ORG),
        "can_view_org": access.can(user, Action.VIEW_ORG),
        "can_view_audit": access.can(user, Action.VIEW_AUDIT),
        # the SIPAS survey's screens (keying paper forms, sampling, results)
        "can_manage_survey": access.can(user, Action.MANAGE_SURVEY),
        "can_enter_survey": access.can(user, Action.ENTER_SURVEY),
        "can_see_surveys": sees_surveys(user),
        "work_items": work_items(user),
    }
