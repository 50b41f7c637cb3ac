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


def test_the_demo_links_the_2026_draft_online_payment_leaves_once(cast):
    from cchc.par.demo import load_criteria_sets
    from cchc.targets.models import LeafLink

    with time_machine.travel(dt.datetime(2026, 3, 15, 9, tzinfo=TZ), tick=False):
        load_criteria_sets()
        out = io.StringIO()
        demo.load_demo(out)
        assert "lấy số liệu từ chỉ tiêu: thêm 2 liên kết" in out.getvalue()
        links = {
            (link.node.criteria_set.unit_type, link.node.code): link.indicator.code
            for link in LeafLink.objects.select_related("node__criteria_set", "indicator")
        }
        assert links == {
            ("department", "3.4.2"): "giao-dich-thanh-toan-truc-tuyen",
            ("commune", "3.3"): "tthc-thanh-toan-truc-tuyen",
        }
        assert {link.indicator.plan.year for link in LeafLink.objects.all()} == {2026}
        demo.load_demo(io.StringIO())
        assert LeafLink.objects.count() == 2
