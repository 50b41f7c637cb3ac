"""The landing page warns a unit's officer and leader of indicators at risk or off track."""

import pytest
import time_machine
from django.urls import reverse

from cchc.targets import services
from cchc.targets.hooks_work import work_items

from .helpers import NOW, ONLINE_PAYMENT, WORK_RECORDS, plan_2025, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _at_mid_2025():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_officer_is_warned_of_their_units_indicators_off_track(cast, client_as):
    plan = plan_2025()
    report(cast.unit_a, plan.indicators.get(code=WORK_RECORDS), 6, 20, 100)  # 20 % of 60 %
    report(cast.unit_a, plan.indicators.get(code=ONLINE_PAYMENT), 6, 90, 100)  # achieved
    (item,) = work_items(user=cast.officer_a)
    assert item["title"] == f"Chỉ tiêu CCHC năm 2025 – {cast.unit_a.name}"
    assert item["text"] == (
        "1 chỉ tiêu có nguy cơ không đạt hoặc chậm tiến độ: "
        "Hồ sơ công việc được xử lý trên môi trường mạng (chậm tiến độ)."
    )
    assert item["url"] == reverse("targets_matrix") + "?nam=2025"
    assert work_items(user=cast.unit_leader_a) == [item]
    body = client_as(cast.officer_a).get(reverse("cchc_landing")).text
    assert "Hồ sơ công việc được xử lý trên môi trường mạng (chậm tiến độ)" in body


def test_no_warning_without_data_for_other_units_or_the_province(cast):
    plan = plan_2025()
    assert work_items(user=cast.officer_a) == []  # no data is not a warning
    report(cast.unit_a, plan.indicators.get(code=WORK_RECORDS), 6, 55, 100)  # 55 of 60: at risk
    assert "(có nguy cơ)" in work_items(user=cast.officer_a)[0]["text"]
    assert work_items(user=cast.officer_b) == []
    assert work_items(user=cast.leader) == []
    assert work_items(user=cast.editor_a) == []


def test_a_draft_plan_warns_nobody(cast):
    plan = plan_2025()
    draft = services.plan_clone(actor=None, plan=plan, year=2026)
    plan.status = "draft"
    plan.save(update_fields=["status"])
    report(cast.unit_a, plan.indicators.get(code=WORK_RECORDS), 6, 20, 100)
    assert draft.status == "draft"
    assert work_items(user=cast.officer_a) == []
