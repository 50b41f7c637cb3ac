"""The self-assessment's «Lấy số liệu từ chỉ tiêu» button and a pre-filled leaf on the
workspace: the unit's officer 200, another unit's officer 404, the read-only
provincial leader 403; a changed figure without a reason is refused, nothing stored."""

import pytest
import time_machine
from django.urls import reverse

from cchc.par.models import Entry
from cchc.targets import leaves
from cchc.targets.models import LeafLink, LeafPrefill

from .leafyear import YEAR_END, leaf_entry, open_linked_year, payment, report_2026

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _at_year_end():
    with time_machine.travel(YEAR_END, tick=False):
        yield


@pytest.fixture
def linked(cast):
    plan, year = open_linked_year(cast)
    report_2026(cast.unit_a, payment(plan), 11, 73, 100, actor=cast.officer_a, note="Cổng DVC tỉnh")
    report_2026(cast.unit_b, payment(plan), 11, 50, 100)
    return plan, year


def workspace_url(unit):
    return reverse("par_assessment", args=[2026, unit.slug])


def prefill_url(unit):
    return reverse("par_assessment_prefill", args=[2026, unit.slug])


def test_the_officer_takes_the_figures_and_sees_their_source_on_the_leaf(cast, client_as, linked):
    client = client_as(cast.officer_a)
    before = client.get(workspace_url(cast.unit_a)).text
    assert "Lấy số liệu từ chỉ tiêu" in before
    assert "bấm «Lấy số liệu từ chỉ tiêu» ở đầu trang" in before

    response = client.post(prefill_url(cast.unit_a), follow=True)

    assert response.status_code == 200
    body = response.text
    assert "Đã lấy số liệu từ chỉ tiêu CCHC cho tiêu chí 3.3." in body
    assert "Lấy từ chỉ tiêu CCHC" in body
    assert (
        "Số liệu lấy từ Chỉ tiêu CCHC «Thủ tục hành chính có yêu cầu nghĩa vụ tài chính được "
        "triển khai thanh toán trực tuyến»: 73% (tháng 11/2026)"
    ) in body
    assert "nguồn: Cổng DVC tỉnh" in body
    series = reverse("targets_detail", args=[2026, cast.unit_a.slug, payment(linked[0]).code])
    assert f'href="{series}"' in body
    assert "Lý do điều chỉnh số liệu lấy từ chỉ tiêu" in body
    assert leaf_entry(linked[1], cast.unit_a).self_inputs == {"pct": 73}


def test_another_units_officer_gets_404_and_the_leader_403_and_nothing_is_taken(
    cast, client_as, linked
):
    assert client_as(cast.officer_b).post(prefill_url(cast.unit_a)).status_code == 404
    assert client_as(cast.leader).post(prefill_url(cast.unit_a)).status_code == 403
    assert client_as(cast.editor_a).post(prefill_url(cast.unit_a)).status_code == 403
    assert not LeafPrefill.objects.exists()
    # the leader reads the workspace without the button
    body = client_as(cast.leader).get(workspace_url(cast.unit_a)).text
    assert "Lấy số liệu từ chỉ tiêu</button>" not in body


def test_the_leader_and_the_appraiser_read_the_source_of_a_taken_figure(cast, client_as, linked):
    client_as(cast.officer_a).post(prefill_url(cast.unit_a))
    body = client_as(cast.leader).get(workspace_url(cast.unit_a)).text
    assert "Số liệu lấy từ Chỉ tiêu CCHC" in body
    assert reverse("targets_detail", args=[2026, cast.unit_a.slug, payment(linked[0]).code]) in (
        body
    )


def save_url(entry):
    return reverse("par_assessment_save", args=[2026, entry.participation.unit.slug, entry.pk])


def leaf_post(entry, pct, reason=""):
    prefix = f"e{entry.pk}"
    return {
        f"{prefix}-pct": pct,
        f"{prefix}-note": "",
        f"{prefix}-reason": reason,
        f"{prefix}-version": str(entry.version),
    }


def test_a_change_without_a_reason_is_refused_in_vietnamese_and_nothing_is_stored(
    cast, client_as, linked
):
    client = client_as(cast.officer_a)
    client.post(prefill_url(cast.unit_a))
    entry = leaf_entry(linked[1], cast.unit_a)

    refused = client.post(save_url(entry), leaf_post(entry, "85"), headers={"HX-Request": "true"})

    assert refused.status_code == 422
    assert "Muốn sửa thành 85%, hãy nêu lý do điều chỉnh." in refused.text
    assert Entry.objects.get(pk=entry.pk).self_inputs == {"pct": 73}
    assert LeafPrefill.objects.get(entry=entry).corrected_pct is None

    saved = client.post(
        save_url(entry),
        leaf_post(entry, "85", "Số liệu tháng 12 cao hơn"),
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    assert "Đơn vị đã điều chỉnh thành 85%. Lý do: Số liệu tháng 12 cao hơn" in saved.text
    assert Entry.objects.get(pk=entry.pk).self_inputs == {"pct": 85}


def test_a_unit_whose_set_has_no_link_is_told_so(cast, client_as, linked):
    leaves.leaf_link_remove(actor=cast.admin, link=LeafLink.objects.get())
    client = client_as(cast.officer_a)
    body = client.get(workspace_url(cast.unit_a)).text
    assert "Lấy số liệu từ chỉ tiêu</button>" not in body
    response = client.post(prefill_url(cast.unit_a), follow=True)
    assert "Bộ tiêu chí của đơn vị chưa có tiêu chí nào lấy số liệu từ chỉ tiêu CCHC." in (
        response.text
    )
    assert leaf_entry(linked[1], cast.unit_a).self_inputs is None
