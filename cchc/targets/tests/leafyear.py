"""A PAR year at the end of 2026 whose commune set's online-payment leaf is linked to
the 2026 plan's online-payment indicator, for the pre-filling tests."""

from __future__ import annotations

import datetime as dt

from cchc.par.models import CriteriaNode, Entry
from cchc.par.tests.year import open_year, participation
from cchc.targets import leaves, periods, services
from cchc.targets.models import Plan

from .helpers import ONLINE_PAYMENT, TZ, plan_2025

D = dt.date
YEAR_END = dt.datetime(2026, 12, 10, 10, 0, tzinfo=TZ)
TODAY = YEAR_END.date()
# self-assessment in December, as at the end of the year being assessed
WINDOWS = {
    "self": (D(2026, 12, 1), D(2026, 12, 31)),
    "round1": (D(2027, 1, 2), D(2027, 1, 10)),
    "explanation": (D(2027, 1, 11), D(2027, 1, 20)),
    "round2": (D(2027, 1, 21), D(2027, 1, 31)),
}
LEAF = "3.3"  # the communes' "Dịch vụ công trực tuyến toàn trình và thanh toán trực tuyến"


def plan_2026() -> Plan:
    found = Plan.objects.filter(year=2026).first()
    if found is None:
        found = services.plan_clone(actor=None, plan=plan_2025(), year=2026)
        services.plan_activate(actor=None, plan=found)
    return found


def open_linked_year(cast, *, units=None, link: bool = True):
    """The 2026 plan in force and the 2026 PAR year opened (self-assessment in
    December); the communes' leaf 3.3 linked to online payment."""
    plan = plan_2026()
    year = open_year(
        actor=cast.admin, units=units or [cast.unit_a, cast.unit_b, cast.snv], windows=WINDOWS
    )
    if link:
        leaves.leaf_link_set(actor=cast.admin, node=commune_leaf(year), indicator=payment(plan))
    return plan, year


def commune_leaf(year, code: str = LEAF) -> CriteriaNode:
    return CriteriaNode.objects.get(
        criteria_set__in=[s.criteria_set for s in year.sets.all() if s.unit_type == "commune"],
        code=code,
    )


def payment(plan: Plan):
    return plan.indicators.get(code=ONLINE_PAYMENT)


def report_2026(unit, indicator, month: int, numerator, denominator, *, actor=None, note=""):
    return services.value_report(
        actor=actor,
        indicator=indicator,
        unit=unit,
        period=periods.month(2026, month),
        numerator=numerator,
        denominator=denominator,
        note=note,
        today=TODAY,
    )


def leaf_entry(year, unit, code: str = LEAF) -> Entry:
    return Entry.objects.select_related("node", "participation__year", "participation__unit").get(
        participation__year=year, participation__unit=unit, node__code=code
    )


__all__ = ["participation"]
