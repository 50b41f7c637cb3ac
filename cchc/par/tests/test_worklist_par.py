"""The PAR Index on the landing page ("Việc của tôi"): cchc.par.hooks_work via WORK_ITEMS."""

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse

from cchc.org.models import Unit, UnitType
from cchc.par.hooks_work import work_items
from cchc.par.models import Entry, NotificationKind, Participation, ParticipationState
from cchc.par.services.notify import notify
from cchc.par.services.year import window_extend

from .year import open_year

pytestmark = pytest.mark.django_db


def landing():
    return reverse("cchc_landing")


def expected(name, args, year=2026):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse("par_year_detail", args=[year])


def test_without_an_open_year_the_officer_still_goes_to_their_units_page(cast, client_as):
    response = client_as(cast.officer_a).get(landing())
    assert response.status_code == 302
    assert work_items(user=cast.officer_a) == []


def test_the_officer_lands_on_their_units_self_assessment(cast, client_as):
    year = open_year(actor=cast.admin)
    leaves = Entry.objects.filter(participation__year=year, participation__unit=cast.unit_a)
    Entry.objects.filter(pk__in=list(leaves.values_list("pk", flat=True)[:3])).update(self_points=1)
    response = client_as(cast.officer_a).get(landing())
    assert response.status_code == 200
    html = response.text
    assert f"Tự đánh giá Chỉ số CCHC năm 2026 – {cast.unit_a.name}" in html
    assert f"Chưa bắt đầu: 3/{leaves.count()} tiêu chí đã chấm; hạn gửi 31/03/2026." in html
    url = expected("par_assessment", [2026, cast.unit_a.slug])
    assert f'href="{url}"' in html


def test_the_deadline_shown_is_the_units_extended_one(cast):
    year = open_year(actor=cast.admin)
    window_extend(
        actor=cast.admin,
        year=year,
        unit=cast.unit_a,
        stage="self",
        ends_on=dt.date(2026, 4, 4),
        reason="Thiên tai",
    )
    (item,) = [i for i in work_items(user=cast.officer_a) if "Tự đánh giá" in i["title"]]
    assert "hạn gửi 04/04/2026" in item["text"]


def test_a_submitted_unit_shows_its_state_without_a_deadline(cast):
    year = open_year(actor=cast.admin)
    Participation.objects.filter(year=year, unit=cast.unit_a).update(
        state=ParticipationState.SUBMITTED
    )
    (item,) = work_items(user=cast.unit_leader_a)
    assert item["text"].startswith("Đã gửi, chờ thẩm định:") and "hạn" not in item["text"]


def test_a_unit_asked_to_explain_sees_the_request(cast):
    year = open_year(actor=cast.admin)
    p = Participation.objects.get(year=year, unit=cast.unit_a)
    Participation.objects.filter(pk=p.pk).update(state=ParticipationState.RETURNED)
    ids = list(Entry.objects.filter(participation=p).values_list("pk", flat=True)[:2])
    Entry.objects.filter(pk__in=ids).update(r1_decision="returned", r1_comment="Thiếu tài liệu")
    (item,) = work_items(user=cast.officer_a)
    assert item["title"] == f"Giải trình Chỉ số CCHC năm 2026 – {cast.unit_a.name}"
    assert item["text"] == "2 tiêu chí được đề nghị giải trình, bổ sung; hạn 20/04/2026."


def test_the_appraiser_sees_the_units_waiting_in_their_areas(cast, client_as):
    year = open_year(actor=cast.admin)
    Participation.objects.filter(year=year, unit__in=[cast.unit_a, cast.unit_b]).update(
        state=ParticipationState.SUBMITTED
    )
    # their own department's submission is not theirs to appraise
    Participation.objects.filter(year=year, unit=cast.stp).update(
        state=ParticipationState.SUBMITTED
    )
    html = client_as(cast.appraiser).get(landing()).text
    assert "Thẩm định Chỉ số CCHC năm 2026 (lĩnh vực 2)" in html
    assert "2 đơn vị chờ thẩm định vòng 1 (hạn 10/04/2026)" in html
    assert f'href="{expected("par_appraisal", [2026])}"' in html


def test_the_administrator_sees_every_area(cast):
    year = open_year(actor=cast.admin)
    Participation.objects.filter(year=year, unit=cast.unit_a).update(
        state=ParticipationState.EXPLAINED
    )
    (item,) = work_items(user=cast.admin)
    assert item["title"] == "Thẩm định Chỉ số CCHC năm 2026 (mọi lĩnh vực)"
    assert "1 đơn vị chờ thẩm định vòng 2" in item["text"]


def test_the_newest_five_unread_notifications_are_shown(cast):
    year = open_year(actor=cast.admin, units=[cast.unit_a])
    for n in range(7):
        notify(
            users=[cast.leader],
            year=year,
            kind=NotificationKind.SUBMITTED,
            key=f"test:{n}",
            text=f"Thông báo số {n}",
        )
    texts = [i["text"] for i in work_items(user=cast.leader) if i["title"] == "Thông báo"]
    assert len(texts) == 5 and "Thông báo số 0" not in texts and "Thông báo số 1" not in texts
    # the provincial leader neither assesses nor appraises
    assert len(work_items(user=cast.leader)) == 5


def test_someone_without_roles_has_no_par_work(cast):
    open_year(actor=cast.admin, units=[cast.unit_a])
    assert work_items(user=cast.nobody) == []


# + 1 for the administrator: cchc.sipas' current survey (WORK_ITEMS)
LANDING_QUERIES = 15


def test_the_landing_page_does_not_grow_with_units_or_notifications(
    cast, client_as, django_assert_num_queries
):
    client = client_as(cast.admin)
    few = list(Unit.objects.filter(unit_type=UnitType.COMMUNE).order_by("pk")[:3])
    year = open_year(actor=cast.admin, units=[*few, cast.unit_a])
    client.get(landing())
    with django_assert_num_queries(LANDING_QUERIES):
        assert client.get(landing()).status_code == 200
    year.delete()
    year = open_year(actor=cast.admin)
    Participation.objects.filter(year=year).update(state=ParticipationState.SUBMITTED)
    for n in range(8):
        notify(
            users=[cast.admin], year=year, kind=NotificationKind.SUBMITTED, key=f"t{n}", text="x"
        )
    with django_assert_num_queries(LANDING_QUERIES):
        assert client.get(landing()).status_code == 200


def test_the_officers_landing_query_count_is_fixed(cast, client_as, django_assert_num_queries):
    client = client_as(cast.officer_a)
    open_year(actor=cast.admin)
    client.get(landing())
    with django_assert_num_queries(OFFICER_LANDING_QUERIES):
        assert client.get(landing()).status_code == 200


# 15 for the PAR Index's part and the page, + 1: cchc.targets' active plans (WORK_ITEMS)
OFFICER_LANDING_QUERIES = 16
