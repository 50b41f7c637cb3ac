"""The results screens: the province overview, a unit's results, the export, the feed."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from cchc.core.audit import AuditAction
from cchc.core.models import AuditEntry
from cchc.par.models import EvaluationYear, YearStatus
from cchc.par.services import results as par_results
from cchc.par.tests.year import open_year
from cchc.sipas.models import Case, Response, Survey
from cchc.sipas.tests import factories as f
from cchc.sipas.tests.results_helpers import answer_all, bulk_survey

pytestmark = pytest.mark.django_db
INJECTION = '=HYPERLINK("http://x.invalid","bấm")'


@pytest.fixture
def survey(cast):
    survey = f.sampled_survey([cast.unit_a, cast.snv], count=60)
    answer_all(survey, cast.unit_a, [4, 4, 5, 2])
    answer_all(survey, cast.snv, [5, 5, 5, 1, None])
    Response.objects.filter(survey=survey, unit=cast.snv).update(suggestion=INJECTION)
    return survey


def _url(year, *rest):
    return "/quan-tri/khao-sat-sipas/" + "/".join([str(year), "ket-qua", *rest]) + "/"


# -- the province overview ------------------------------------------------------------------


def test_the_overview_shows_each_unit_type_and_unit(client_as, cast, survey):
    response = client_as(cast.admin).get(_url(2026))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="sipas-mean-department">75,00 %<' in body
    assert 'id="sipas-mean-commune">75,00 %<' in body
    assert cast.unit_a.name in body and cast.snv.name in body
    assert "<svg" in body and 'id="sipas-feed-button"' not in body  # no PAR year yet
    assert "Chưa có kỳ đánh giá Chỉ số CCHC năm 2026" in body


def test_the_provincial_leader_reads_it_without_the_feed(client_as, cast, survey):
    body = client_as(cast.leader).get(_url(2026)).content.decode()
    assert "sipas-mean-department" in body and "Chuyển vào Chỉ số CCHC" not in body


def test_a_units_officer_does_not_see_the_province(client_as, cast, survey):
    assert client_as(cast.officer_a).get(_url(2026)).status_code == 404


def test_a_survey_operator_sees_surveys_but_not_results(client_as, cast, survey):
    assert client_as(f.make_operator()).get(_url(2026)).status_code == 403


def test_the_overview_of_a_missing_year_is_404(client_as, cast, survey):
    assert client_as(cast.admin).get(_url(2030)).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_overviews_queries_do_not_grow_with_units(client_as, cast, survey):
    client = client_as(cast.admin)
    client.get(_url(2026))  # session, user warmed up
    before = _queries(client, _url(2026))
    Survey.objects.filter(pk=survey.pk).update(status="preparing")
    more = [cast.stp, cast.unit_b]
    f.make_cases(survey, more, count=30)
    f.draw(survey, more)
    for unit in more:
        answer_all(survey, unit, [4, 3] * 5)
    assert _queries(client, _url(2026)) == before
    assert before == 17


# -- one unit's results -----------------------------------------------------------------------


def test_the_units_officer_sees_its_results(client_as, cast, survey):
    response = client_as(cast.officer_a).get(_url(2026, "don-vi", cast.unit_a.slug))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="sipas-unit-index">75,00 %<' in body
    assert 'id="sipas-unit-points">24,00 / 32<' in body
    assert "Kết quả khảo sát SIPAS năm 2026</a>" not in body  # no link to the province


def test_another_units_officer_gets_404(client_as, cast, survey):
    url = _url(2026, "don-vi", cast.unit_a.slug)
    assert client_as(cast.officer_b).get(url).status_code == 404


def test_the_leader_and_the_unit_leader_see_a_units_results(client_as, cast, survey):
    url = _url(2026, "don-vi", cast.unit_a.slug)
    assert client_as(cast.unit_leader_a).get(url).status_code == 200
    assert client_as(cast.leader).get(url).status_code == 200


def test_a_unit_outside_the_survey_is_404(client_as, cast, survey):
    assert client_as(cast.admin).get(_url(2026, "don-vi", cast.stp.slug)).status_code == 404


def test_a_units_page_has_fixed_queries(client_as, cast, survey):
    client = client_as(cast.officer_a)
    url = _url(2026, "don-vi", cast.unit_a.slug)
    client.get(url)
    before = _queries(client, url)
    assert before == 18
    _another_commune_answers(survey, cast.unit_b, [5, 5, 5, 2] * 2)
    assert _queries(client, url) == before  # the type's other units: the same queries


def _another_commune_answers(survey, unit, values):
    Survey.objects.filter(pk=survey.pk).update(status="preparing")
    f.make_cases(survey, [unit], count=30)
    f.draw(survey, [unit])
    answer_all(survey, unit, values)


def test_a_units_page_sets_it_beside_its_types_mean(client_as, cast, survey):
    _another_commune_answers(survey, cast.unit_b, [5, 5, 5, 5])  # every answer satisfied
    body = client_as(cast.officer_a).get(_url(2026, "don-vi", cast.unit_a.slug)).text
    assert 'id="sipas-unit-index">75,00 %<' in body
    # (75 + 100) / 2 over the two communes; the department (Sở Nội vụ) is another type
    assert 'id="sipas-type-mean">87,50 % (2 đơn vị có phiếu)<' in body
    assert "Xã, phường, đặc khu" in body
    assert cast.unit_b.name not in body  # the mean, never another unit's own figures


# -- export -----------------------------------------------------------------------------------


def test_the_export_has_results_and_anonymous_answers(client_as, cast, survey):
    response = client_as(cast.admin).get(_url(2026, "excel"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Theo loại đơn vị", "Đơn vị", "Câu hỏi", "Phiếu trả lời (ẩn danh)"]
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    texts = {str(c.value) for c in cells}
    contacts = Case.objects.filter(survey=survey).values_list(
        "contact_name", "contact_phone", "contact_email", "case_id"
    )
    leaked = {v for row in contacts for v in row} & texts
    assert not leaked
    codes = set(survey.respondents.values_list("code", flat=True))
    assert not codes & texts
    answers = book["Phiếu trả lời (ẩn danh)"]
    assert answers.max_row == 2 + 9  # note, header, nine answers
    assert "Nữ" in [c.value for c in answers[3]]  # the profile's label, not its code
    injected = [c for c in cells if c.value == INJECTION]
    assert injected and all(c.data_type == "s" and c.quotePrefix for c in injected)


def test_the_export_is_the_provinces_only(client_as, cast, survey):
    assert client_as(cast.leader).get(_url(2026, "excel")).status_code == 200
    assert client_as(cast.officer_a).get(_url(2026, "excel")).status_code == 404
    assert client_as(f.make_operator()).get(_url(2026, "excel")).status_code == 403


# -- the feed ---------------------------------------------------------------------------------


@pytest.fixture
def year(cast):
    return open_year(actor=cast.admin)


def test_the_administrator_feeds_the_par_year(client_as, cast, survey, year):
    client = client_as(cast.admin)
    assert 'id="sipas-feed-button"' in client.get(_url(2026)).content.decode()
    response = client.post(_url(2026, "chuyen-diem"), follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đã chuyển chỉ số SIPAS của 2 đơn vị" in body
    assert "chưa có phiếu trả lời nên chưa chuyển" in body
    indices = par_results.current_indices(year)
    assert set(indices) == {cast.unit_a.pk, cast.snv.pk}
    assert AuditEntry.objects.filter(action=AuditAction.SIPAS_RESULTS_FEED).count() == 1


def test_the_leader_may_not_feed(client_as, cast, survey, year):
    assert client_as(cast.leader).post(_url(2026, "chuyen-diem")).status_code == 403
    assert par_results.current_indices(year) == {}


def test_a_units_officer_gets_404_on_the_feed(client_as, cast, survey, year):
    assert client_as(cast.officer_a).post(_url(2026, "chuyen-diem")).status_code == 404
    assert par_results.current_indices(year) == {}


def test_the_feed_is_a_post(client_as, cast, survey, year):
    assert client_as(cast.admin).get(_url(2026, "chuyen-diem")).status_code == 405


def test_without_a_par_year_the_feed_says_so(client_as, cast, survey):
    response = client_as(cast.admin).post(_url(2026, "chuyen-diem"), follow=True)
    assert "Chưa có kỳ đánh giá Chỉ số CCHC năm 2026." in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.SIPAS_RESULTS_FEED).exists()


def test_the_menu_leads_each_to_their_results(client_as, cast, survey):
    home = "/quan-tri/khao-sat-sipas/ket-qua/"
    assert client_as(cast.admin).get(home)["Location"].endswith(_url(2026))
    officer = client_as(cast.officer_a).get(home)["Location"]
    assert officer.endswith(_url(2026, "don-vi", cast.unit_a.slug))


def test_a_closed_par_year_is_refused_with_a_message_and_nothing_stored(
    client_as, cast, survey, year
):
    EvaluationYear.objects.filter(pk=year.pk).update(
        status=YearStatus.FINALISED, finalised_at=timezone.now()
    )
    client = client_as(cast.admin)
    assert "đã chốt kết quả; không thể chuyển" in client.get(_url(2026)).content.decode()
    response = client.post(_url(2026, "chuyen-diem"), follow=True)
    assert "Kỳ đánh giá Chỉ số CCHC năm 2026 đã chốt kết quả" in response.content.decode()
    assert par_results.current_indices(year) == {}
    assert not AuditEntry.objects.filter(action=AuditAction.SIPAS_RESULTS_FEED).exists()


def test_the_whole_province_in_the_same_queries(client_as, cast):
    from cchc.org.models import Unit

    units = list(Unit.objects.filter(unit_type__in=["department", "commune"]).order_by("pk"))
    assert len(units) == 115
    bulk_survey(2026, units, len(units) * 3)
    client = client_as(cast.admin)
    client.get(_url(2026))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(_url(2026))
    assert response.status_code == 200 and len(captured) == 17
    body = response.content.decode()
    assert body.count('href="/quan-tri/khao-sat-sipas/2026/ket-qua/don-vi/') == 115
    assert client.get(_url(2026, "excel")).status_code == 200
