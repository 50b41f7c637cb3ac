"""The landing page tells the survey's people what waits for them."""

from __future__ import annotations

from django.urls import reverse

from cchc.sipas import hooks_work
from cchc.sipas.models import Respondent
from cchc.sipas.services import collect
from cchc.sipas.tests import factories as f


def _keys(form, value: int) -> dict:
    return {code: value for code in form.item_codes}


def test_operators_see_forms_awaiting_round_two_and_mismatches(cast, django_assert_max_num_queries):
    survey = f.sampled_survey([cast.unit_a])
    first, second = f.make_operator("nhap.mot"), f.make_operator("nhap.hai")
    one, two = Respondent.objects.filter(survey=survey, reserve=False).order_by("position")[:2]
    for r in (one, two):
        collect.paper_enter(
            actor=first,
            survey=survey,
            unit=cast.unit_a,
            code=r.code,
            answers=_keys(r.questionnaire, 4),
        )
    items = hooks_work.work_items(user=second)
    assert [i["text"] for i in items] == [
        "2 phiếu giấy mới nhập lần 1, chờ người thứ hai nhập lần 2."
    ]
    collect.paper_enter(
        actor=second,
        survey=survey,
        unit=cast.unit_a,
        code=two.code,
        answers=_keys(two.questionnaire, 5),  # disagrees with round 1
    )
    with django_assert_max_num_queries(4):
        items = hooks_work.work_items(user=second)
    texts = [i["text"] for i in items]
    assert texts[0].startswith("1 phiếu giấy nhập hai lần không khớp")
    assert texts[1].startswith("1 phiếu giấy mới nhập lần 1")
    assert items[0]["url"].endswith("/thu-phieu/khong-khop/")


def test_the_administrator_is_told_of_units_without_a_sample(cast):
    survey = f.make_survey(2026)
    f.make_cases(survey, [cast.unit_a, cast.unit_b], count=20)
    f.draw(survey, [cast.unit_a])
    (item,) = hooks_work.work_items(user=cast.admin)
    assert item["text"] == "1 đơn vị đã có danh sách hồ sơ nhưng chưa chọn mẫu."


def test_others_are_told_nothing(cast):
    f.sampled_survey([cast.unit_a])
    for user in (cast.officer_a, cast.unit_leader_a, cast.leader):
        assert hooks_work.work_items(user=user) == []


def test_the_landing_page_offers_the_survey_to_those_who_see_it(cast, client_as):
    f.make_survey(2026)
    operator = f.make_operator()
    landing = reverse("cchc_landing")
    offered = "Khảo sát sự hài lòng (SIPAS)</a>"
    assert f"{offered}: nhập phiếu giấy" in client_as(operator).get(landing).text
    assert f"{offered}: tình hình thu phiếu" in client_as(cast.leader).get(landing).text
    assert f"{offered}: nhập hồ sơ, chọn mẫu" in client_as(cast.admin).get(landing).text
    # the officer lands on the unit's workspace; the survey is not theirs to see
    assert offered not in client_as(cast.officer_a).get(landing, follow=True).text
