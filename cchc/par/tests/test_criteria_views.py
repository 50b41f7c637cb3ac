"""Back-office screens: who may read, who may change, and what each step saves."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.org.models import UnitType
from cchc.par.io.excel import COLUMNS, MAIN_SHEET, export_xlsx
from cchc.par.io.importing import parse_yaml
from cchc.par.models import CriteriaSet, SetStatus
from cchc.par.services.criteria import criteria_set_freeze, criteria_set_import
from cchc.par.tests.helpers import counts, draft_set, row_of, save, workbook

pytestmark = pytest.mark.django_db

LIST = reverse("par_criteria_list")
IMPORT = reverse("par_criteria_import")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COL = {key: i for i, (key, _, _) in enumerate(COLUMNS, start=1)}

TINY = """
sets:
  - id: nho
    title: Bộ tiêu chí nhỏ
    areas:
      - {code: "1", title: Lĩnh vực tự đánh giá, max: 68, evaluator: SNV, rule: {type: score}}
      - {code: "2", title: Hài lòng, max: 32, method: survey, rule: {type: survey_index}}
"""


def url(name, cs):
    return reverse(name, args=[cs.pk])


@pytest.fixture
def stored():
    return draft_set()


def _xlsx(criteria_set, name="bo-tieu-chi.xlsx", mutate=None):
    content = export_xlsx(criteria_set, list(criteria_set.nodes.order_by("position")))
    if mutate:
        book = workbook(content)
        mutate(book[MAIN_SHEET])
        content = save(book)
    return SimpleUploadedFile(name, content, content_type=XLSX)


def _upload(client, upload, year=2027, unit_type=UnitType.DEPARTMENT):
    return client.post(IMPORT, {"year": year, "unit_type": unit_type, "file": upload})


# -- reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "leader", "appraiser"])
def test_province_wide_roles_read_the_list_a_set_and_its_exports(cast, client_as, stored, who):
    client = client_as(getattr(cast, who))
    body = client.get(LIST).content.decode()
    assert stored.title in body and "Năm 2026" in body
    page = client.get(url("par_criteria_detail", stored))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-code="1.4.2"' in text and "Bộ tiêu chí hợp lệ" in text
    assert "12 = " not in text  # points are shown with a decimal comma, e.g. 0,5
    assert "0,5" in text
    response = client.get(url("par_criteria_xlsx", stored))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    response = client.get(url("par_criteria_yaml", stored))
    assert yaml.safe_load(response.content)["sets"][0]["id"] == "so-ban-nganh"


def test_only_the_admin_sees_the_buttons_that_change_a_set(cast, client_as, stored):
    freeze = url("par_criteria_freeze", stored)
    assert freeze in client_as(cast.admin).get(url("par_criteria_detail", stored)).content.decode()
    leader_page = client_as(cast.leader).get(url("par_criteria_detail", stored)).content.decode()
    assert freeze not in leader_page and IMPORT not in leader_page


@pytest.mark.parametrize("who", ["officer_a", "unit_leader_a", "editor_a"])
def test_unit_roles_are_refused_with_403(cast, client_as, stored, who):
    client = client_as(getattr(cast, who))
    assert client.get(LIST).status_code == 403
    assert client.get(url("par_criteria_detail", stored)).status_code == 403
    assert client.get(url("par_criteria_xlsx", stored)).status_code == 403


def test_a_user_without_any_role_never_reaches_the_back_office(cast, client_as, stored):
    client = client_as(cast.nobody)
    for path in (LIST, url("par_criteria_detail", stored), IMPORT):
        response = client.get(path)
        assert response.status_code == 302  # Wagtail: no back-office access at all


def test_an_unknown_set_is_404(cast, client_as):
    response = client_as(cast.leader).get(reverse("par_criteria_detail", args=[9999]))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, stored):
    for path in (
        LIST,
        IMPORT,
        url("par_criteria_detail", stored),
        url("par_criteria_xlsx", stored),
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    response = client.post(url("par_criteria_freeze", stored))
    assert response.status_code == 302
    assert CriteriaSet.objects.get().status == SetStatus.DRAFT


# -- changing -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "appraiser", "officer_a"])
def test_every_change_is_refused_to_anyone_but_the_admin(cast, client_as, stored, who):
    client = client_as(getattr(cast, who))
    before = counts()
    attempts = [
        client.get(IMPORT),
        _upload(client, _xlsx(stored)),
        client.post(IMPORT, {"token": "x"}),
        client.get(url("par_criteria_clone", stored)),
        client.post(url("par_criteria_clone", stored), {"year": 2027, "unit_type": "department"}),
        client.post(url("par_criteria_freeze", stored)),
        client.post(url("par_criteria_revise", stored)),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert counts() == before


def test_the_admin_freezes_then_revises_into_version_2(cast, client_as, stored):
    client = client_as(cast.admin)
    response = client.post(url("par_criteria_freeze", stored))
    assert response["Location"] == url("par_criteria_detail", stored)
    stored.refresh_from_db()
    assert stored.status == SetStatus.FROZEN
    page = client.get(url("par_criteria_detail", stored)).content.decode()
    assert (
        url("par_criteria_revise", stored) in page
        and url("par_criteria_freeze", stored) not in page
    )
    response = client.post(url("par_criteria_revise", stored))
    revision = CriteriaSet.objects.get(version=2)
    assert response["Location"] == url("par_criteria_detail", revision)
    page = client.get(url("par_criteria_detail", revision)).content.decode()
    assert "Tạo phiên bản 2 (dự thảo)" in page  # the history shows the audit entry


def test_freeze_and_revise_answer_only_post(cast, client_as, stored):
    client = client_as(cast.admin)
    assert client.get(url("par_criteria_freeze", stored)).status_code == 405
    assert client.get(url("par_criteria_revise", stored)).status_code == 405


def test_the_admin_clones_a_set_into_the_next_year(cast, client_as, stored):
    client = client_as(cast.admin)
    form = client.get(url("par_criteria_clone", stored)).content.decode()
    assert 'value="2027"' in form
    response = client.post(
        url("par_criteria_clone", stored), {"year": 2027, "unit_type": "department"}
    )
    clone = CriteriaSet.objects.get(year=2027)
    assert response["Location"] == url("par_criteria_detail", clone)
    response = client.post(
        url("par_criteria_clone", stored), {"year": 2027, "unit_type": "department"}
    )
    assert "đã có bộ tiêu chí" in response.content.decode()


def test_the_admin_imports_in_two_steps_and_nothing_is_saved_before_confirming(
    cast, client_as, stored
):
    client = client_as(cast.admin)
    before = counts()
    response = _upload(client, _xlsx(stored))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tệp hợp lệ" in body and "Tạo bộ tiêu chí mới năm 2027" in body
    assert counts() == before
    token = response.context["token"]
    response = client.post(IMPORT, {"token": token})
    created = CriteriaSet.objects.get(year=2027)
    assert response["Location"] == url("par_criteria_detail", created)
    assert created.nodes.count() == stored.nodes.count()


def test_the_confirmation_carries_the_set_in_the_engine_format_and_reads_it_again(
    cast, client_as, stored
):
    from dataclasses import replace

    from django.core import signing

    from cchc.par import engine
    from cchc.par.io.convert import criteria_set_to_engine
    from cchc.par.views.criteria import IMPORT_SALT

    client = client_as(cast.admin)
    token = _upload(client, _xlsx(stored)).context["token"]
    payload = signing.loads(token, salt=IMPORT_SALT)
    # the one interchange format: the engine's dict, which its reader takes back
    read = engine.criteria_set_from_dict(payload["set"])
    assert read == replace(criteria_set_to_engine(stored), unit_types=())  # a sheet names none
    assert set(payload["evaluators"]) == set(stored.evaluators)

    # a signed set that no longer adds up is refused by the engine, and nothing is saved
    payload["set"]["areas"][0]["max"] = 1
    forged = signing.dumps(payload, salt=IMPORT_SALT, compress=True)
    before = counts()
    response = client.post(IMPORT, {"token": forged}, follow=True)
    assert "khác điểm tối đa (1)" in response.content.decode()
    assert counts() == before


def test_a_yaml_file_imports_the_same_way(cast, client_as, stored):
    client = client_as(cast.admin)
    text = client.get(url("par_criteria_yaml", stored)).content
    upload = SimpleUploadedFile("bo-tieu-chi.yaml", text, content_type="application/yaml")
    response = _upload(client, upload, year=2026)
    assert "Thay toàn bộ nội dung bản dự thảo phiên bản 1 năm 2026" in response.content.decode()
    client.post(IMPORT, {"token": response.context["token"]})
    assert CriteriaSet.objects.count() == 1


def test_a_malformed_sheet_is_reported_row_by_row_and_nothing_is_saved(cast, client_as, stored):
    client = client_as(cast.admin)
    rows = {}

    def break_it(sheet):
        rows["text"] = row_of(sheet, "1.4.1")
        sheet.cell(rows["text"], COL["max"]).value = "một"
        rows["sum"] = row_of(sheet, "2.1")
        sheet.cell(row_of(sheet, "2.1.1"), COL["max"]).value = 3
        rows["dup"] = row_of(sheet, "3.1.2")
        sheet.cell(rows["dup"], COL["code"]).value = "3.1.1"
        rows["formula"] = row_of(sheet, "1.3.2")
        cell = sheet.cell(rows["formula"], COL["rule"])
        cell.value = cell.value.replace("(c/a)", "(z/a)")

    before = counts()
    response = _upload(client, _xlsx(stored, mutate=break_it))
    assert response.status_code == 422
    body = response.content.decode()
    assert f"Dòng {rows['text']}, mã 1.4.1" in body
    assert "Điểm tối đa không phải là số: “một”" in body
    assert f"Dòng {rows['sum']}, mã 2.1" in body
    assert f"Dòng {rows['dup']}, mã 3.1.1" in body and "Mã tiêu chí bị trùng" in body
    assert f"Dòng {rows['formula']}, mã 1.3.2" in body
    assert "Công thức dùng biến không xác định: z" in body
    assert 'name="token"' not in body
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"STT,Tieu chi\n1,abc\n", "Tệp là văn bản thường đổi đuôi"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "Tệp là một chương trình (.exe) đổi đuôi"),
    ],
)
def test_a_renamed_file_is_reported_and_nothing_is_saved(cast, client_as, content, message):
    client = client_as(cast.admin)
    before = counts()
    response = _upload(client, SimpleUploadedFile("bo-tieu-chi.xlsx", content))
    assert response.status_code == 422 and message in response.content.decode()
    assert counts() == before


def test_other_file_types_are_refused_by_the_form(cast, client_as):
    response = _upload(client_as(cast.admin), SimpleUploadedFile("virus.exe", b"MZ"))
    assert "Chỉ nhận tệp .xlsx, .yaml hoặc .yml." in response.content.decode()


def test_a_tampered_confirmation_saves_nothing(cast, client_as, stored):
    client = client_as(cast.admin)
    token = _upload(client, _xlsx(stored)).context["token"]
    before = counts()
    response = client.post(IMPORT, {"token": token[:-2] + "xx"}, follow=True)
    assert "hết hạn hoặc không hợp lệ" in response.content.decode()
    assert counts() == before


# -- query counts -------------------------------------------------------------------------


def _tiny(year):
    result = parse_yaml(TINY.encode())
    return criteria_set_import(
        actor=None,
        year=year,
        unit_type=UnitType.DEPARTMENT,
        criteria=result.criteria_set,
        evaluators=result.evaluators,
    )


def _queries(client, path):
    client.get(path)  # warm caches (site root, sessions)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_list_runs_a_fixed_number_of_queries(cast, client_as, django_assert_max_num_queries):
    client = client_as(cast.admin)
    _tiny(2020)
    few = _queries(client, LIST)
    for year in (2021, 2022):
        criteria_set_freeze(actor=None, criteria_set=draft_set(year=year))
    draft_set(year=2026, unit_type=UnitType.COMMUNE, set_id="xa-phuong-dac-khu")
    assert _queries(client, LIST) == few
    with django_assert_max_num_queries(11):  # 1 of ours, the rest is session, user, menu
        client.get(LIST)


def test_a_set_page_runs_a_fixed_number_of_queries_whatever_its_size(
    cast, client_as, django_assert_max_num_queries
):
    client = client_as(cast.admin)
    small = _tiny(2020)
    large = draft_set()
    assert large.nodes.count() > 20 * small.nodes.count()
    assert _queries(client, url("par_criteria_detail", small)) == _queries(
        client, url("par_criteria_detail", large)
    )
    with django_assert_max_num_queries(15):  # 5 of ours, the rest is session, user, menu
        client.get(url("par_criteria_detail", large))
