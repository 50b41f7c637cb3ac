"""Sở Nội vụ links a percentage leaf of the year's criteria sets to an indicator:
only a percentage leaf, only a percentage indicator of the same year, audited; the
page is Sở Nội vụ's (the read-only leader and units' people 403) in a fixed number of
queries."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.par.models import CriteriaNode
from cchc.targets import leaves
from cchc.targets.models import Indicator, LeafLink, Measure

from .helpers import plan_2025
from .leafyear import YEAR_END, commune_leaf, open_linked_year, payment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _at_year_end():
    with time_machine.travel(YEAR_END, tick=False):
        yield


def links_url(year=2026):
    return reverse("targets_leaf_links", args=[year])


def test_a_link_is_stored_with_an_audit_entry_and_replaced_or_removed_the_same_way(cast):
    plan, year = open_linked_year(cast, link=False)
    node = commune_leaf(year)
    link = leaves.leaf_link_set(actor=cast.admin, node=node, indicator=payment(plan))
    assert (link.node, link.indicator) == (node, payment(plan))
    other = plan.indicators.get(code="giao-dich-thanh-toan-truc-tuyen")
    leaves.leaf_link_set(actor=cast.admin, node=node, indicator=other)
    assert LeafLink.objects.get().indicator == other
    audits = AuditEntry.objects.filter(action="target_leaf_link.set").order_by("pk")
    assert [(a.data["before"], a.data["after"]) for a in audits] == [
        (None, payment(plan).code),
        (payment(plan).code, other.code),
    ]
    leaves.leaf_link_remove(actor=cast.admin, link=LeafLink.objects.get())
    assert not LeafLink.objects.exists()
    assert AuditEntry.objects.get(action="target_leaf_link.remove").data["before"] == other.code


def test_only_a_percentage_leaf_and_a_percentage_indicator_of_its_year_are_linked(cast):
    plan, year = open_linked_year(cast, link=False)
    binary = commune_leaf(year, "3.1")  # Đạt / Không đạt
    survey = CriteriaNode.objects.filter(
        criteria_set=commune_leaf(year).criteria_set, method="survey", rule__isnull=False
    ).first()
    count = Indicator.objects.create(
        plan=plan,
        code="so-luong",
        name="Số sáng kiến CCHC",
        numerator_label="Số sáng kiến",
        measure=Measure.COUNT,
        deadline=payment(plan).deadline,
    )
    older = plan_2025().indicators.get(code=payment(plan).code)
    cases = [
        (binary, payment(plan), "Tiêu chí 3.1 không chấm theo tỷ lệ (%)"),
        (commune_leaf(year), count, "Chỉ tiêu «Số sáng kiến CCHC» không phải là một tỷ lệ (%)."),
        (commune_leaf(year), older, "thuộc kế hoạch năm 2025, còn bộ tiêu chí là của năm 2026."),
    ]
    if survey is not None:
        cases.append((survey, payment(plan), "lấy điểm từ kết quả SIPAS"))
    for node, indicator, message in cases:
        with pytest.raises(ValidationError) as refused:
            leaves.leaf_link_set(actor=cast.admin, node=node, indicator=indicator)
        assert message in refused.value.messages[0]
    assert not LeafLink.objects.exists()
    assert not AuditEntry.objects.filter(action="target_leaf_link.set").exists()


def test_sở_nội_vụ_opens_the_page_and_links_a_leaf(cast, client_as):
    plan, year = open_linked_year(cast, link=False)
    client = client_as(cast.admin)
    page = client.get(links_url())
    assert page.status_code == 200
    assert "Chưa có tiêu chí nào lấy số liệu từ chỉ tiêu." in page.text
    assert "3.4.2. Tỷ lệ giao dịch thanh toán trực tuyến" in page.text
    node = commune_leaf(year)
    response = client.post(links_url(), {"leaf": node.pk, "indicator": payment(plan).pk})
    assert response.status_code == 302
    assert LeafLink.objects.get().node == node
    body = client.get(links_url()).text
    assert 'data-leaf="3.3"' in body
    assert (
        "Tiêu chí Chỉ số CCHC lấy số liệu từ chỉ tiêu"
        in client.get(reverse("targets_matrix") + "?nam=2026").text
    )


def test_bad_choices_are_refused_in_vietnamese_and_nothing_is_stored(cast, client_as):
    plan, year = open_linked_year(cast, link=False)
    client = client_as(cast.admin)
    binary = commune_leaf(year, "3.1")
    response = client.post(links_url(), {"leaf": binary.pk, "indicator": payment(plan).pk})
    assert response.status_code == 422
    assert "Lựa chọn không hợp lệ; hãy tải lại trang và chọn lại." in response.text
    empty = client.post(links_url(), {"leaf": "", "indicator": "abc"})
    assert empty.status_code == 422
    assert "Hãy chọn một tiêu chí." in empty.text
    assert not LeafLink.objects.exists()


def test_the_read_only_leader_and_units_people_get_403_and_an_unknown_year_404(cast, client_as):
    plan, year = open_linked_year(cast)
    link = LeafLink.objects.get()
    for user in (cast.leader, cast.officer_a, cast.appraiser):
        client = client_as(user)
        assert client.get(links_url()).status_code == 403
        assert (
            client.post(links_url(), {"leaf": link.node_id, "indicator": payment(plan).pk})
        ).status_code == 403
        remove = reverse("targets_leaf_link_remove", args=[2026, link.pk])
        assert client.post(remove).status_code == 403
    assert LeafLink.objects.filter(pk=link.pk).exists()
    admin = client_as(cast.admin)
    assert admin.get(links_url(2031)).status_code == 404
    # a link of another year's plan is not found under this year
    plan_2025()
    assert admin.post(reverse("targets_leaf_link_remove", args=[2025, link.pk])).status_code == 404
    assert admin.post(reverse("targets_leaf_link_remove", args=[2026, link.pk])).status_code == 302
    assert not LeafLink.objects.exists()


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_links(
    cast, client_as, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan, year = open_linked_year(cast)
    client = client_as(cast.admin)
    client.get(links_url())
    with CaptureQueriesContext(connection) as one:
        assert client.get(links_url()).status_code == 200
    for n, node in enumerate(leaves.linkable_leaves(leaves.year_sets(2026))[:8]):
        if not hasattr(node, "indicator_link"):
            leaves.leaf_link_set(
                actor=cast.admin, node=node, indicator=list(plan.indicators.all())[n % 5]
            )
    assert LeafLink.objects.count() >= 6
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(links_url()).status_code == 200
    assert len(one.captured_queries) <= 16, one.captured_queries
