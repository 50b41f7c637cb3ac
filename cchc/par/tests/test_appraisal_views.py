"""The appraisal screens: the matrix, one unit's area, closing round 1."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.par.models import Decision, Entry, EvaluationYear, ParticipationState, YearStatus

from .test_appraisal import put, small_year
from .year import IN_ROUND1, IN_ROUND2, IN_SELF, entry, open_year, participation

pytestmark = pytest.mark.django_db
S = ParticipationState


@pytest.fixture
def year(cast):
    return small_year(cast)


def area_url(year, unit, area):
    return reverse("par_appraisal_area", args=[year.year, unit.slug, area])


def matrix_url(year):
    return reverse("par_appraisal", args=[year.year])


def leaf_post(e, decision="accepted", points="", comment="", version=None, **inputs):
    data = {
        "leaf": e.pk,
        f"e{e.pk}-entry": e.pk,
        f"e{e.pk}-version": e.version if version is None else version,
        f"e{e.pk}-decision": decision,
        f"e{e.pk}-points": points,
        f"e{e.pk}-comment": comment,
    }
    data.update({f"e{e.pk}-{k}": v for k, v in inputs.items()})
    return data


# -- the matrix


def test_the_matrix_shows_every_unit_and_links_the_appraisers_areas_only(client, cast, year):
    put(year, cast.unit_a)
    put(year, cast.snv)
    client.force_login(cast.appraiser)
    response = client.get(matrix_url(year))
    assert response.status_code == 200
    html = response.content.decode()
    for unit in (cast.unit_a, cast.unit_b, cast.stp, cast.snv):
        assert unit.name in html
    assert area_url(year, cast.unit_a, "2") in html
    assert area_url(year, cast.unit_a, "1") not in html
    assert area_url(year, cast.snv, "2") in html
    assert area_url(year, cast.stp, "2") not in html  # never their own unit
    assert "Kết thúc thẩm định vòng 1" not in html


def test_the_administrator_gets_every_link_and_the_close_button(client, cast, year):
    put(year, cast.unit_a)
    client.force_login(cast.admin)
    html = client.get(matrix_url(year)).content.decode()
    assert area_url(year, cast.unit_a, "1") in html and area_url(year, cast.stp, "2") in html
    assert reverse("par_round1_close", args=[2026]) in html


def test_the_provincial_leader_reads_the_matrix(client, cast, year):
    client.force_login(cast.leader)
    response = client.get(matrix_url(year))
    assert response.status_code == 200
    assert "chỉ xem" in response.content.decode()


@pytest.mark.parametrize("who", ["officer_a", "unit_leader_a"])
def test_the_matrix_is_refused_to_unit_people(client, cast, year, who):
    client.force_login(getattr(cast, who))
    assert client.get(matrix_url(year)).status_code == 403


def test_a_cell_counts_decided_returned_and_gaps(client, cast, year):
    put(year, cast.unit_a, S.IN_APPRAISAL)
    Entry.objects.filter(pk=entry(year, cast.unit_a, "2.1").pk).update(
        r1_decision=Decision.ADJUSTED, r1_points=Decimal("0.5"), r1_comment="Sai trình tự"
    )
    Entry.objects.filter(pk=entry(year, cast.unit_a, "2.2").pk).update(
        r1_decision=Decision.RETURNED, r1_comment="Thiếu"
    )
    client.force_login(cast.appraiser)
    html = client.get(matrix_url(year)).content.decode()
    row = html.split('data-unit="xa-an-phu"')[1].split("</tr>")[0]
    cell = row.split('data-area="2"')[1].split("</td>")[0]
    assert "2/4" in cell and "trả lại 1" in cell and "chênh lệch 1" in cell


@pytest.mark.parametrize("extra", [0, 6])
def test_the_matrix_queries_do_not_grow_with_units(client, cast, extra, django_assert_num_queries):
    from conftest import add_communes

    add_communes(extra)
    year = open_year(actor=cast.admin)  # every department and commune, the new ones too
    assert year.participations.count() == 115 + extra
    client.force_login(cast.appraiser)
    client.get(matrix_url(year))  # warm the session and the user's assignments
    with django_assert_num_queries(16):
        response = client.get(matrix_url(year))
    assert response.status_code == 200
    assert "Xã Thử Nghiệm" in response.content.decode() or extra == 0


def test_the_menu_entry_opens_the_latest_year(client, cast, year):
    client.force_login(cast.appraiser)
    response = client.get(reverse("par_appraisal_index"))
    assert response.status_code == 302 and response.url == matrix_url(year)


# -- one unit's area


def test_the_appraiser_sees_the_units_inputs_points_and_evidence_of_their_area(client, cast, year):
    put(year, cast.unit_a)
    Entry.objects.filter(pk=entry(year, cast.unit_a, "2.2").pk).update(self_note="Đã rà soát đủ")
    client.force_login(cast.appraiser)
    with time_machine.travel(IN_ROUND1, tick=False):
        response = client.get(area_url(year, cast.unit_a, "2"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2.2. " in html and "Đã rà soát đủ" in html and "1,5 điểm" in html
    assert "Đạt" in html
    assert "Không có tài liệu" in html
    assert 'name="leaf"' in html


@pytest.mark.parametrize(
    ("who", "unit", "area", "status"),
    [
        ("appraiser", "unit_a", "1", 403),  # not their department's area
        ("appraiser", "stp", "2", 403),  # their own unit
        ("officer_b", "unit_a", "2", 404),  # another unit's officer
        ("officer_a", "unit_a", "2", 403),  # the unit itself appraises nothing
        ("appraiser", "unit_a", "99", 404),  # no such area
    ],
)
def test_the_area_page_is_refused_outside_the_appraisers_areas(
    client, cast, year, who, unit, area, status
):
    put(year, getattr(cast, unit))
    client.force_login(getattr(cast, who))
    assert client.get(area_url(year, getattr(cast, unit), area)).status_code == status


def test_the_administrator_appraises_every_area(client, cast, year):
    put(year, cast.stp)
    e = entry(year, cast.stp, "1.1.1")
    client.force_login(cast.admin)
    with time_machine.travel(IN_ROUND1, tick=False):
        response = client.post(area_url(year, cast.stp, "1"), leaf_post(e))
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.r1_decision == Decision.ACCEPTED and e.r1_by == cast.admin


def test_the_provincial_leader_reads_an_area_but_cannot_save(client, cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.2")
    client.force_login(cast.leader)
    with time_machine.travel(IN_ROUND1, tick=False):
        page = client.get(area_url(year, cast.unit_a, "2"))
        refused = client.post(area_url(year, cast.unit_a, "2"), leaf_post(e))
    assert page.status_code == 200 and 'name="leaf"' not in page.content.decode()
    assert refused.status_code == 403
    e.refresh_from_db()
    assert e.r1_decision == ""


def test_saving_one_leaf_by_htmx_returns_the_leaf(client, cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.2")
    client.force_login(cast.appraiser)
    with time_machine.travel(IN_ROUND1, tick=False):
        response = client.post(
            area_url(year, cast.unit_a, "2"),
            leaf_post(e, "adjusted", comment="Chưa rà soát", passed="0"),
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="tc-{e.pk}"' in html and "Đã lưu kết quả thẩm định" in html
    assert "<html" not in html
    e.refresh_from_db()
    assert (e.r1_decision, e.r1_points, e.r1_inputs) == (Decision.ADJUSTED, 0, {"passed": False})
    assert participation(year, cast.unit_a).state == S.IN_APPRAISAL
    assert AuditEntry.objects.filter(action="par_entry.appraise", object_id=str(e.pk)).exists()


def test_points_above_the_max_are_refused_on_the_page_and_nothing_is_stored(client, cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.1")
    client.force_login(cast.appraiser)
    with time_machine.travel(IN_ROUND1, tick=False):
        response = client.post(
            area_url(year, cast.unit_a, "2"), leaf_post(e, "adjusted", "7", "Nhiều lỗi")
        )
    assert response.status_code == 200
    assert "không được vượt quá điểm tối đa" in response.content.decode()
    e.refresh_from_db()
    assert (e.r1_decision, e.r1_points) == ("", None)


def test_an_adjustment_without_a_comment_is_refused_on_the_page(client, cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.1")
    client.force_login(cast.appraiser)
    with time_machine.travel(IN_ROUND1, tick=False):
        response = client.post(area_url(year, cast.unit_a, "2"), leaf_post(e, "adjusted", "1"))
    assert "Cần ghi ý kiến thẩm định" in response.content.decode()
    e.refresh_from_db()
    assert e.r1_decision == ""


def test_a_stale_save_shows_the_newer_value_and_keeps_what_was_typed(client, cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.1")
    client.force_login(cast.appraiser)
    with time_machine.travel(IN_ROUND1, tick=False):
        client.post(area_url(year, cast.unit_a, "2"), leaf_post(e, "adjusted", "1", "Lỗi một"))
        response = client.post(
            area_url(year, cast.unit_a, "2"),
            leaf_post(e, "returned", comment="Bổ sung hồ sơ gốc", version=1),
            headers={"HX-Request": "true"},
        )
    html = response.content.decode()
    assert "vừa được" in html and "Hãy xem lại rồi lưu" in html
    assert "Bổ sung hồ sơ gốc" in html
    e.refresh_from_db()
    assert (e.r1_decision, e.r1_comment) == (Decision.ADJUSTED, "Lỗi một")


def test_outside_the_window_the_page_is_read_only_and_a_post_is_refused(client, cast, year):
    put(year, cast.unit_a)
    e = entry(year, cast.unit_a, "2.2")
    client.force_login(cast.appraiser)
    with time_machine.travel(IN_SELF, tick=False):
        page = client.get(area_url(year, cast.unit_a, "2"))
        refused = client.post(area_url(year, cast.unit_a, "2"), leaf_post(e))
    html = page.content.decode()
    assert "Ngoài thời gian thẩm định vòng 1 (01/04/2026 – 10/04/2026)" in html
    assert 'name="leaf"' not in html
    assert "Ngoài thời gian thẩm định vòng 1" in refused.content.decode()
    e.refresh_from_db()
    assert e.r1_decision == ""


def test_large_gaps_are_listed_at_the_top(client, cast, year):
    put(year, cast.unit_a, S.IN_APPRAISAL)
    Entry.objects.filter(pk=entry(year, cast.unit_a, "2.1").pk).update(
        r1_decision=Decision.ADJUSTED, r1_points=Decimal("1.75"), r1_comment="Một lỗi"
    )
    Entry.objects.filter(pk=entry(year, cast.unit_a, "2.2").pk).update(
        r1_decision=Decision.ADJUSTED, r1_points=Decimal("0"), r1_comment="Không đạt"
    )
    client.force_login(cast.appraiser)
    html = client.get(area_url(year, cast.unit_a, "2")).content.decode()
    gaps = html.split('id="par-gaps"')[1].split("</div>")[0]
    assert "2.2</a>" in gaps and "2.1</a>" not in gaps  # 0,25 of 2 points is under 25 %
    assert "tự chấm 1,5, thẩm định 0" in gaps


def test_round_2_shows_the_explanation_beside_round_1(client, cast, year):
    put(year, cast.unit_a, S.EXPLAINED, returned=("2.2",), explained=True)
    e = entry(year, cast.unit_a, "2.2")
    client.force_login(cast.appraiser)
    with time_machine.travel(IN_ROUND2, tick=False):
        html = client.get(area_url(year, cast.unit_a, "2")).content.decode()
        assert "Đã bổ sung kế hoạch." in html and "Thiếu tài liệu" in html
        assert "vòng 2" in html
        response = client.post(area_url(year, cast.unit_a, "2"), leaf_post(e))
    assert response.status_code == 302
    assert participation(year, cast.unit_a).state == S.APPRAISED


def test_after_finalisation_every_write_is_refused(client, cast, year):
    put(year, cast.unit_a)
    EvaluationYear.objects.filter(pk=year.pk).update(
        status=YearStatus.FINALISED, finalised_at=IN_ROUND1
    )
    e = entry(year, cast.unit_a, "2.2")
    client.force_login(cast.admin)
    with time_machine.travel(IN_ROUND1, tick=False):
        response = client.post(area_url(year, cast.unit_a, "2"), leaf_post(e))
        closing = client.post(reverse("par_round1_close", args=[2026]), {})
    assert "đã chốt kết quả" in response.content.decode()
    assert "đã chốt kết quả" in closing.content.decode()
    e.refresh_from_db()
    assert e.r1_decision == ""
    assert participation(year, cast.unit_a).state == S.SUBMITTED


# -- closing round 1


def test_the_administrator_closes_round_1_after_confirming(
    client, cast, year, django_capture_on_commit_callbacks
):
    put(year, cast.unit_a, S.IN_APPRAISAL, returned=("2.1",))
    put(year, cast.unit_b, S.IN_APPRAISAL)
    client.force_login(cast.admin)
    url = reverse("par_round1_close", args=[2026])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Xác nhận kết thúc vòng 1" in confirm.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {})
    assert response.status_code == 302
    assert participation(year, cast.unit_a).state == S.RETURNED
    assert participation(year, cast.unit_b).state == S.APPRAISED
    told = [m for m in mail.outbox if cast.officer_a.email in m.to]
    assert told and reverse("par_explanation", args=[2026, "xa-an-phu"]) in told[0].body


@pytest.mark.parametrize("who", ["appraiser", "leader", "officer_a"])
def test_only_the_administrator_closes_round_1(client, cast, year, who):
    put(year, cast.unit_a, S.IN_APPRAISAL)
    client.force_login(getattr(cast, who))
    assert client.post(reverse("par_round1_close", args=[2026]), {}).status_code == 403
    assert participation(year, cast.unit_a).state == S.IN_APPRAISAL
