"""Back-office results screens: who may see and do what, and their query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.par.io import results as io
from cchc.par.models import EvaluationYear, Participation, ParticipationState, YearStatus
from cchc.par.services import results
from cchc.par.tests.test_results_helpers import appraise_all, sheet, small_year

pytestmark = pytest.mark.django_db
BASE = "/quan-tri/chi-so-cchc/2026"


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_review_list_is_the_councils(client, cast):
    small_year(cast)
    assert _get(client, cast.admin, f"{BASE}/ket-qua/").status_code == 200
    assert _get(client, cast.leader, f"{BASE}/ket-qua/").status_code == 200
    assert _get(client, cast.appraiser, f"{BASE}/ket-qua/").status_code == 200
    assert _get(client, cast.officer_a, f"{BASE}/ket-qua/").status_code == 403
    assert _get(client, cast.leader, "/quan-tri/chi-so-cchc/2031/ket-qua/").status_code == 404


def test_the_review_list_shows_each_units_total_group_rank_and_open_items(client, cast):
    year = small_year(cast)
    appraise_all(year, units=[cast.unit_a])
    body = _get(client, cast.admin, f"{BASE}/ket-qua/").content.decode()
    computed = results.scoring.compute_year(year).units[str(cast.unit_a.pk)]
    row = body.split(cast.unit_a.name)[1].split("</tr>")[0]
    from cchc.lib.formats import decimal_vi

    assert f"<td>{decimal_vi(computed.total)}</td><td>{computed.group}</td>" in row
    assert "Còn 2 đơn vị chưa thẩm định xong" in body


def test_only_the_administrator_finalises_and_publishes(client, cast):
    year = small_year(cast)
    appraise_all(year)
    client.force_login(cast.leader)
    assert client.post(f"{BASE}/ket-qua/chot/", {"version": year.version}).status_code == 403
    assert client.post(f"{BASE}/ket-qua/cong-bo/").status_code == 403
    assert client.get(f"{BASE}/sipas/").status_code == 403
    assert client.get(f"{BASE}/ket-qua/nhap/").status_code == 403
    assert client.get(f"{BASE}/ket-qua/mau/").status_code == 403
    assert EvaluationYear.objects.get(pk=year.pk).status == YearStatus.OPEN
    client.force_login(cast.admin)
    response = client.post(f"{BASE}/ket-qua/chot/", {"version": year.version}, follow=True)
    assert "Đã chốt kết quả Chỉ số CCHC năm 2026" in response.content.decode()
    again = client.post(f"{BASE}/ket-qua/chot/", {"version": year.version}, follow=True)
    assert again.status_code == 200 and "đã được chốt kết quả" in again.content.decode()
    response = client.post(f"{BASE}/ket-qua/cong-bo/", follow=True)
    assert "Đã công bố kết quả" in response.content.decode()
    assert EvaluationYear.objects.get(pk=year.pk).status == YearStatus.PUBLISHED


def test_finalising_through_the_page_is_refused_while_units_are_not_appraised(client, cast):
    year = small_year(cast)
    client.force_login(cast.admin)
    response = client.post(f"{BASE}/ket-qua/chot/", {"version": year.version}, follow=True)
    assert "Còn 3 đơn vị chưa thẩm định xong" in response.content.decode()
    assert EvaluationYear.objects.get(pk=year.pk).status == YearStatus.OPEN


def test_a_unit_sees_its_own_detailed_result_with_the_comments_not_anothers(client, cast):
    year = small_year(cast)
    appraise_all(year, units=[cast.unit_a, cast.unit_b])
    own = _get(client, cast.officer_a, f"{BASE}/don-vi/{cast.unit_a.slug}/ket-qua/")
    assert own.status_code == 200 and "Thẩm định (thử)" in own.content.decode()
    assert (
        _get(client, cast.unit_leader_a, f"{BASE}/don-vi/{cast.unit_a.slug}/ket-qua/").status_code
        == 200
    )
    other = _get(client, cast.officer_a, f"{BASE}/don-vi/{cast.unit_b.slug}/ket-qua/")
    assert other.status_code == 404
    assert (
        _get(client, cast.leader, f"{BASE}/don-vi/{cast.unit_b.slug}/ket-qua/").status_code == 200
    )
    assert _get(client, cast.admin, f"{BASE}/don-vi/{cast.snv.slug}/ket-qua/").status_code == 404


def test_the_survey_page_sets_one_index_and_reports_a_bad_file(client, cast):
    year = small_year(cast)
    client.force_login(cast.admin)
    assert client.get(f"{BASE}/sipas/").status_code == 200
    response = client.post(
        f"{BASE}/sipas/", {"unit": cast.unit_a.slug, "index": "88,5"}, follow=True
    )
    assert "Đã lưu chỉ số SIPAS" in response.content.decode()
    assert results.current_indices(year)[cast.unit_a.pk] == 88.5
    bad = sheet(
        [[cast.unit_b.code, "", 150]], header=["Mã đơn vị", "Tên đơn vị", "Chỉ số SIPAS (%)"]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(f"{BASE}/sipas/nhap/", {"file": SimpleUploadedFile("sipas.xlsx", bad)})
    assert response.status_code == 422
    body = response.content.decode()
    assert "chưa có gì được lưu" in body and "Dòng 2 (" in body
    assert cast.unit_b.pk not in results.current_indices(year)
    template = client.get(f"{BASE}/sipas/mau/")
    assert template.status_code == 200 and template["Content-Disposition"].startswith("attachment")


def test_the_results_import_page_imports_a_clean_file(client, cast):
    year = small_year(cast)
    client.force_login(cast.admin)
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(client.get(f"{BASE}/ket-qua/mau/").content))
    assert book["Tiêu chí"].max_row > 100  # every leaf of both sets, with its max
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    header = list(rows[0])
    from cchc.par.models import Entry

    own = {}
    for code, leaf in Entry.objects.filter(participation__year=year).values_list(
        "participation__unit__code", "node__code"
    ):
        own.setdefault(code, set()).add(leaf)
    filled = [
        [
            unit_code,
            name,
            *[
                (90 if c.startswith("9.") else 0) if c in own[unit_code] else None
                for c in header[2:]
            ],
        ]
        for unit_code, name, *_ in rows[1:]
    ]
    content = io.results_workbook(header[2:], filled)
    response = client.post(
        f"{BASE}/ket-qua/nhap/", {"file": SimpleUploadedFile("kq.xlsx", content)}, follow=True
    )
    body = response.content.decode()
    assert "Đã nhập kết quả của 3 đơn vị" in body, body.split("nice-padding")[-1][:3000]
    assert set(Participation.objects.filter(year=year).values_list("state", flat=True)) == {
        ParticipationState.APPRAISED
    }


def _review_queries(client, cast, url):
    client.force_login(cast.admin)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_review_list_queries_do_not_grow_with_units(client, cast, django_assert_num_queries):
    from cchc.org.models import Unit

    year = small_year(cast)
    appraise_all(year)
    few = _review_queries(client, cast, f"{BASE}/ket-qua/")
    year.delete()
    communes = list(Unit.objects.filter(unit_type="commune").order_by("pk")[:12])
    small_year(cast, units=[*communes, cast.stp])
    many = _review_queries(client, cast, f"{BASE}/ket-qua/")
    assert few == many
    with django_assert_num_queries(few):
        client.get(f"{BASE}/ket-qua/")


def test_a_finalised_units_page_has_its_rank_change_losses_profile_and_appraisers(client, cast):
    from decimal import Decimal

    from cchc.lib.formats import decimal_vi, number_vi
    from cchc.par.models import Entry, UnitResult
    from cchc.par.selectors import report
    from cchc.par.tests.test_public_results import _finalised

    _finalised(cast, year=2025, share="0.8")
    year = small_year(cast)
    appraise_all(year, share=Decimal("0.9"))
    leaf = (
        Entry.objects.filter(participation__year=year, participation__unit=cast.unit_a)
        .exclude(node__method="survey")
        .order_by("node__position")
        .first()
    )
    Entry.objects.filter(pk=leaf.pk).update(r1_by=cast.appraiser, r1_comment="Thiếu kế hoạch")
    year = results.year_finalise(actor=cast.admin, year=year, version=year.version)

    url = f"{BASE}/don-vi/{cast.unit_a.slug}/ket-qua/"
    response = _get(client, cast.officer_a, url)
    assert response.status_code == 200
    body = response.content.decode()
    now = UnitResult.objects.get(year=year, unit=cast.unit_a)
    before = UnitResult.objects.get(year__year=2025, unit=cast.unit_a)
    assert f'id="par-unit-total">{decimal_vi(now.total)}<' in body
    assert f'id="par-unit-rank">{now.rank}/2 – Xã, phường, đặc khu<' in body
    change = body.split('id="par-unit-change">')[1].split("</dd>")[0]
    assert f"+{decimal_vi(now.total - before.total)}" in change
    # where it lost points: the report's losses, most first
    section, row = report.year_report(year).unit(cast.unit_a.pk)
    losses = body.split('id="par-unit-losses"')[1].split("</table>")[0]
    for code, _title, lost in report.unit_losses(section, row)[:3]:
        assert f'<th scope="row">{code}</th>' in losses and number_vi(lost) in losses
    # the profile against the section's average, with its text alternative
    chart = body.split('id="par-profile-chart"')[1].split("</figure>")[0]
    assert "<svg" in chart and "Bình quân xã, phường, đặc khu" in chart and "<figcaption" in chart
    # each criterion's appraisal, with the appraiser's name
    assert "Thiếu kế hoạch" in body and cast.appraiser.get_full_name() in body
    assert _get(client, cast.officer_b, url).status_code == 404
    assert _get(client, cast.editor_a, url).status_code == 403
    assert _get(client, cast.leader, url).status_code == 200
