"""The overview, the draw, a unit's sample and a refusal, as each role sees them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.sipas.models import Draw, Respondent, RespondentStatus
from cchc.sipas.services import sampling
from cchc.sipas.tests import factories as f

pytestmark = pytest.mark.django_db


def _overview():
    return reverse("sipas_overview", args=[2026])


def _sample(unit):
    return reverse("sipas_sample", args=[2026, unit.slug])


def test_the_admin_draws_a_unit_and_sees_its_sample_with_contacts(cast, client_as):
    survey = f.make_survey(2026)
    f.make_cases(survey, [cast.unit_a, cast.snv], count=40)
    client = client_as(cast.admin)
    body = client.get(_overview()).text
    assert "Chọn mẫu cho 2 đơn vị chưa chọn" in body
    response = client.post(
        reverse("sipas_draw", args=[2026]), {"unit": cast.unit_a.pk, "replacing": ""}
    )
    assert response.status_code == 302 and response["Location"] == _sample(cast.unit_a)
    draw = Draw.objects.get(survey=survey, unit=cast.unit_a, current=True)
    page = client.get(_sample(cast.unit_a))
    assert page.status_code == 200
    assert draw.seed in page.text
    assert "Nguyễn Văn Thử" in page.text and "@example.vn" in page.text
    assert "Từ chối, dùng dự phòng" in page.text


def test_a_double_click_on_draw_draws_once(cast, client_as):
    survey = f.make_survey(2026)
    f.make_cases(survey, [cast.unit_a], count=40)
    client = client_as(cast.admin)
    data = {"unit": cast.unit_a.pk, "replacing": ""}
    client.post(reverse("sipas_draw", args=[2026]), data)
    second = client.post(reverse("sipas_draw", args=[2026]), data, follow=True)
    assert "đã được chọn mẫu" in second.text
    assert Draw.objects.filter(survey=survey).count() == 1


def test_draw_all_at_once(cast, client_as):
    survey = f.make_survey(2026)
    f.make_cases(survey, [cast.unit_a, cast.unit_b, cast.snv], count=15)
    client = client_as(cast.admin)
    response = client.post(reverse("sipas_draw", args=[2026]), {"all": "1"}, follow=True)
    assert "Đã chọn mẫu cho 3 đơn vị" in response.text
    client.post(reverse("sipas_draw", args=[2026]), {"all": "1"})
    assert Draw.objects.filter(survey=survey).count() == 3


def test_the_operator_and_the_leader_see_samples_but_no_contact_data(cast, client_as):
    survey = f.sampled_survey([cast.unit_a], count=30)
    case = Respondent.objects.filter(survey=survey).select_related("case").first().case
    for user in (f.make_operator(), cast.leader):
        client = client_as(user)
        assert client.get(_overview()).status_code == 200
        page = client.get(_sample(cast.unit_a))
        assert page.status_code == 200
        assert case.case_id in page.text
        for value in (case.contact_name, case.contact_phone, case.contact_email):
            assert value not in page.text
        assert "Từ chối, dùng dự phòng" not in page.text
        assert "Chọn lại mẫu" not in page.text


def test_a_unit_officer_gets_404_everywhere(cast, client_as):
    survey = f.sampled_survey([cast.unit_a], count=10)
    code = Respondent.objects.filter(survey=survey).first().code
    client = client_as(cast.officer_a)
    assert client.get(_overview()).status_code == 404
    assert client.get(_sample(cast.unit_a)).status_code == 404
    assert client.post(reverse("sipas_draw", args=[2026]), {"all": "1"}).status_code == 404
    assert client.post(reverse("sipas_refuse", args=[2026, code])).status_code == 404


def test_the_leader_and_the_operator_may_not_draw_or_record_refusals(cast, client_as):
    survey = f.make_survey(2026)
    f.make_cases(survey, [cast.unit_a], count=10)
    for user in (cast.leader, f.make_operator()):
        client = client_as(user)
        data = {"unit": cast.unit_a.pk, "replacing": ""}
        assert client.post(reverse("sipas_draw", args=[2026]), data).status_code == 403
    assert not Draw.objects.filter(survey=survey).exists()
    f.draw(survey, [cast.unit_a])
    r = Respondent.objects.filter(survey=survey, reserve=False).first()
    assert (
        client_as(cast.leader).post(reverse("sipas_refuse", args=[2026, r.code])).status_code == 403
    )
    r.refresh_from_db()
    assert r.status == RespondentStatus.PENDING


def test_the_admin_records_a_refusal_and_the_reserve_comes_in(cast, client_as):
    survey = f.sampled_survey([cast.unit_a], count=60)
    r = Respondent.objects.filter(survey=survey, reserve=False).order_by("position").first()
    response = client_as(cast.admin).post(
        reverse("sipas_refuse", args=[2026, r.code]), {"note": "Không liên lạc được"}, follow=True
    )
    reserve = Respondent.objects.get(replaces=r)
    assert f"dùng mẫu dự phòng {reserve.code}" in response.text
    assert f"thay phiếu {r.code}" in response.text


def test_a_redraw_is_refused_once_the_unit_has_answers(cast, client_as):
    survey = f.sampled_survey([cast.unit_a], count=20)
    draw = Draw.objects.get(survey=survey, current=True)
    f.answer(draw.respondents.first())
    response = client_as(cast.admin).post(
        reverse("sipas_draw", args=[2026]),
        {"unit": cast.unit_a.pk, "replacing": draw.pk},
        follow=True,
    )
    assert "đã có phiếu trả lời" in response.text
    assert Draw.objects.filter(survey=survey).count() == 1


OVERVIEW_QUERIES = 16
SAMPLE_QUERIES = {"admin": 16, "leader": 15}  # the leader's page has no forms


def test_the_overview_takes_a_fixed_number_of_queries_whatever_the_units(
    cast, client_as, django_assert_num_queries
):
    from cchc.org.models import Unit
    from conftest import add_communes

    survey = f.sampled_survey([cast.unit_a, cast.snv], count=20, collecting=False)
    client = client_as(cast.admin)
    client.get(_overview())  # warm caches
    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert client.get(_overview()).status_code == 200
    add_communes(3)
    new = list(Unit.objects.filter(code__startswith="XT"))
    f.make_cases(survey, new, count=5)
    f.draw(survey, new)
    f.answer(Respondent.objects.filter(unit=new[0]).first())
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(_overview())
    assert all(u.name in response.text for u in new)


def test_a_sample_list_takes_a_fixed_number_of_queries_whatever_its_size(
    cast, client_as, django_assert_num_queries
):
    survey = f.make_survey(2026)
    f.make_cases(survey, [cast.unit_a], count=5)
    f.make_cases(survey, [cast.snv], count=200)
    f.draw(survey, [cast.unit_a, cast.snv])
    sampling.survey_open(actor=None, survey=survey)
    refused = Respondent.objects.filter(unit=cast.snv, reserve=False).first()
    sampling.respondent_refuse(actor=None, respondent=refused)  # a row with "replaces"
    for role, count in SAMPLE_QUERIES.items():
        client = client_as(getattr(cast, role))
        client.get(_sample(cast.unit_a))
        with django_assert_num_queries(count):
            assert client.get(_sample(cast.unit_a)).status_code == 200
        with django_assert_num_queries(count):
            assert client.get(_sample(cast.snv)).status_code == 200
