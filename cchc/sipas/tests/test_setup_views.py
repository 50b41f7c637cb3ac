"""The surveys' screens: list, create, settings, open and close."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.sipas.models import Case, Survey, SurveyStatus
from cchc.sipas.tests import factories as f

pytestmark = pytest.mark.django_db


def _create_data(**over):
    data = {
        "year": "2027",
        "title": "",
        "period_start": "01/10/2026",
        "period_end": "30/09/2027",
        "answers_until": "30/11/2027",
        "margin": "5",
        "reserve_share": "20",
    }
    return data | over


def test_the_admin_lists_surveys_and_creates_one_with_its_forms(cast, client_as):
    client = client_as(cast.admin)
    assert client.get(reverse("sipas_surveys")).status_code == 200
    assert client.get(reverse("sipas_survey_create")).status_code == 200
    response = client.post(reverse("sipas_survey_create"), _create_data(margin="2,5"))
    assert response.status_code == 302
    survey = Survey.objects.get(year=2027)
    assert str(survey.margin) == "0.025"
    assert sorted(survey.questionnaires.values_list("code", flat=True)) == ["chuan", "rut-gon-xa"]
    assert AuditEntry.objects.filter(action="sipas_survey.create", object_id=str(survey.pk))
    body = client.get(reverse("sipas_surveys")).text
    assert "năm 2027" in body


def test_a_bad_survey_is_refused_in_vietnamese_and_nothing_is_stored(cast, client_as):
    client = client_as(cast.admin)
    response = client.post(
        reverse("sipas_survey_create"), _create_data(period_end="01/01/2026", margin="abc")
    )
    assert response.status_code == 422
    assert "phải là một số" in response.text
    response = client.post(reverse("sipas_survey_create"), _create_data(period_end="01/01/2026"))
    assert response.status_code == 422
    assert "Ngày kết thúc kỳ phải sau ngày bắt đầu" in response.text
    assert not Survey.objects.filter(year=2027).exists()


def test_a_unit_officer_gets_404_and_the_leader_reads_but_may_not_change(cast, client_as):
    survey = f.make_survey(2026)
    for name in ("sipas_surveys", "sipas_survey_create"):
        assert client_as(cast.officer_a).get(reverse(name)).status_code == 404
    settings_url = reverse("sipas_survey_settings", args=[2026])
    assert client_as(cast.officer_a).get(settings_url).status_code == 404
    leader = client_as(cast.leader)
    assert leader.get(reverse("sipas_surveys")).status_code == 200
    assert leader.get(settings_url).status_code == 200
    assert leader.get(reverse("sipas_survey_create")).status_code == 403
    assert leader.post(reverse("sipas_survey_create"), _create_data()).status_code == 403
    assert leader.post(settings_url, {"version": 1, "title": "x"}).status_code == 403
    assert leader.post(reverse("sipas_survey_open", args=[2026])).status_code == 403
    survey.refresh_from_db()
    assert survey.version == 1 and survey.status == SurveyStatus.PREPARING


def test_the_operator_sees_the_list_but_may_not_change_settings(cast, client_as):
    f.make_survey(2026)
    client = client_as(f.make_operator())
    assert client.get(reverse("sipas_surveys")).status_code == 200
    url = reverse("sipas_survey_settings", args=[2026])
    assert client.post(url, {"version": 1, "title": "x"}).status_code == 403


def test_settings_are_saved_with_their_version_and_a_stale_form_is_refused(cast, client_as):
    survey = f.make_survey(2026)
    client = client_as(cast.admin)
    url = reverse("sipas_survey_settings", args=[2026])
    data = {
        "version": "1",
        "title": "Khảo sát 2026",
        "margin": "4",
        "reserve_share": "30",
        "quota_by_field": "on",
        "answers_until": "15/12/2026",
    }
    assert client.post(url, data).status_code == 302
    survey.refresh_from_db()
    assert (str(survey.margin), str(survey.reserve_share), survey.quota_by_field) == (
        "0.040",
        "0.30",
        True,
    )
    assert survey.version == 2
    response = client.post(url, data | {"margin": "6"})  # the same form again: version 1
    assert response.status_code == 422
    assert "vừa được người khác sửa" in response.text
    survey.refresh_from_db()
    assert str(survey.margin) == "0.040"


def test_opening_needs_a_draw_and_closing_blanks_every_contact(cast, client_as):
    survey = f.make_survey(2026)
    client = client_as(cast.admin)
    client.post(reverse("sipas_survey_open", args=[2026]))
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.PREPARING  # nothing drawn yet
    f.make_cases(survey, [cast.unit_a, cast.unit_b], count=20)
    f.draw(survey, [cast.unit_a])
    client.post(reverse("sipas_survey_open", args=[2026]))
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.COLLECTING
    close = reverse("sipas_survey_close", args=[2026])
    client.post(close)  # not confirmed
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.COLLECTING
    client.post(close, {"confirm": "1"})
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED and survey.contacts_removed_at is not None
    assert Case.objects.filter(survey=survey).count() == 40
    for field in ("contact_name", "contact_address", "contact_phone", "contact_email"):
        assert not Case.objects.filter(survey=survey).exclude(**{field: ""}).exists()
    assert AuditEntry.objects.filter(action="sipas_survey.close").count() == 1


def test_the_menu_item_shows_to_those_who_see_surveys(cast, rf):
    from cchc.sipas.views.setup import menu_item

    item = menu_item()
    for user, shown in ((cast.admin, True), (cast.leader, True), (cast.officer_a, False)):
        request = rf.get("/")
        request.user = user
        assert item.is_shown(request) is shown
    request = rf.get("/")
    request.user = f.make_operator()
    assert item.is_shown(request)


LIST_QUERIES = 12


def test_the_survey_list_takes_a_fixed_number_of_queries(
    cast, client_as, django_assert_num_queries
):
    client = client_as(cast.leader)
    f.make_survey(2026)
    client.get(reverse("sipas_surveys"))  # warm caches (site root, sessions)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("sipas_surveys")).status_code == 200
    f.make_cases(f.make_survey(2025), [cast.unit_a, cast.unit_b], count=5)
    f.make_survey(2024)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("sipas_surveys")).status_code == 200


def test_the_back_office_menu_carries_the_survey_item():
    from wagtail import hooks

    labels = [fn().label for fn in hooks.get_hooks("register_admin_menu_item")]
    assert labels.count("Khảo sát SIPAS") == 1


def test_the_formula_is_a_setting_audited_and_a_bad_one_is_refused(cast, client_as):
    from cchc.sipas.services import sampling

    survey = f.make_survey(2026)
    client = client_as(cast.admin)
    url = reverse("sipas_survey_settings", args=[2026])
    page = client.get(url)
    assert "Câu trả lời được tính là hài lòng" in page.text
    assert "Bình quân các yếu tố" in page.text
    data = {
        "version": "1",
        "title": survey.title,
        "margin": "5",
        "reserve_share": "20",
        "answers_until": "15/12/2026",
        "satisfied_from": "5",
        "aggregation": "items",
        "places": "1",
    }
    assert client.post(url, data).status_code == 302
    survey.refresh_from_db()
    assert survey.formula["satisfied_from"] == 5
    assert survey.formula["aggregation"] == "items"
    assert survey.formula["places"] == 1
    entry = AuditEntry.objects.filter(action="sipas_survey.update").latest("pk")
    assert "formula" in entry.data
    # a choice the form does not offer is refused, nothing stored
    response = client.post(url, data | {"version": "2", "satisfied_from": "9"})
    assert response.status_code == 422
    survey.refresh_from_db()
    assert survey.formula["satisfied_from"] == 5 and survey.version == 2
    # the service refuses what the engine cannot use, in Vietnamese
    with pytest.raises(ValidationError) as raised:
        sampling.survey_update(actor=cast.admin, survey=survey, version=2, formula={"places": 9})
    assert "Số chữ số thập phân" in str(raised.value)
    survey.refresh_from_db()
    assert survey.formula["places"] == 1
