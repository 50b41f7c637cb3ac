"""The demo: the 2025 plan from its YAML, 2026 cloned and in force, monthly values
imported through the service; loading it again adds nothing."""

import datetime as dt
import io

import pytest
import time_machine

from cchc.targets import demo, selectors
from cchc.targets.models import Plan, PlanStatus, Value

from .helpers import TZ

pytestmark = pytest.mark.django_db


def test_the_demo_loads_both_plans_and_the_months_so_far_once(cast):
    with time_machine.travel(dt.datetime(2026, 3, 15, 9, tzinfo=TZ), tick=False):
        out = io.StringIO()
        demo.load_demo(out)
        assert "Chỉ tiêu CCHC: kế hoạch năm 2025 và 2026, 9 chỉ tiêu" in out.getvalue()
        plan = Plan.objects.get(year=2026)
        assert plan.status == PlanStatus.ACTIVE
        assert Plan.objects.get(year=2025).status == PlanStatus.ACTIVE
        pairs = len(selectors.applicable_pairs(plan, selectors.plan_units(plan)))
        values = Value.objects.filter(indicator__plan=plan)
        assert values.count() == 2 * pairs  # January and February
        assert set(values.values_list("period_start", flat=True)) == {
            dt.date(2026, 1, 1),
            dt.date(2026, 2, 1),
        }
        demo.load_demo(io.StringIO())
        assert Value.objects.count() == 2 * pairs and Plan.objects.count() == 2
