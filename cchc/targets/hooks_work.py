"""Reform targets on the landing page ("Việc của tôi"): the WORK_ITEMS hook.

A unit's CCHC officer and leader are warned of the indicators of active plans that
their unit is at risk of missing or is off track on, one item per plan and unit,
in a fixed number of queries (plans, indicators, targets, values) whatever the
number of units.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cchc import access
from cchc.access import POLICY, Action
from cchc.targets import selectors
from cchc.targets.models import Plan, PlanStatus

SHOWN = 3  # indicators named in an item; the rest counted


def work_items(*, user, today=None) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    reporting = POLICY[Action.REPORT_TARGETS].roles
    units = {
        a.unit_id: a.unit for a in access.assignments(user) if a.role in reporting and a.unit_id
    }
    if not units:
        return []
    plans = list(Plan.objects.filter(status=PlanStatus.ACTIVE).order_by("year"))
    if not plans:
        return []
    items = []
    found = selectors.warnings(plans, list(units.values()), today or timezone.localdate())
    for plan, unit, cells in found:
        named = "; ".join(f"{c.indicator.name} ({c.status.label.lower()})" for c in cells[:SHOWN])
        more = f"; và {len(cells) - SHOWN} chỉ tiêu khác" if len(cells) > SHOWN else ""
        items.append(
            {
                "title": f"Chỉ tiêu CCHC năm {plan.year} – {unit.name}",
                "text": f"{len(cells)} chỉ tiêu có nguy cơ không đạt hoặc chậm tiến độ: "
                f"{named}{more}.",
                "url": reverse("targets_matrix") + f"?nam={plan.year}",
            }
        )
    return items
