"""SIPAS indices: entered by Sở Nội vụ one by one or from Excel, all or nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cchc.core.audit import AuditAction
from cchc.core.models import AuditEntry
from cchc.par.models import Entry, Method
from cchc.par.services.results import current_indices, survey_import, survey_index_set
from cchc.par.tests.test_results_helpers import sheet, small_year
from cchc.par.tests.year import participation

pytestmark = pytest.mark.django_db
HEADER = ["Mã đơn vị", "Tên đơn vị", "Chỉ số SIPAS (%)"]


def _indices(year):
    return {
        (e.participation.unit_id, e.node.code): (e.self_inputs or {}).get("index")
        for e in Entry.objects.filter(
            participation__year=year, node__method=Method.SURVEY
        ).select_related("participation", "node")
    }


def test_the_index_goes_into_every_survey_leaf_of_the_unit_with_its_audit(cast):
    year = small_year(cast)
    p = participation(year, cast.unit_a)
    survey_index_set(actor=cast.admin, participation=p, index="88,56")
    leaves = Entry.objects.filter(participation=p, node__method=Method.SURVEY)
    assert leaves.count() == 5
    assert {e.self_inputs["index"] for e in leaves} == {"88.56"}
    assert {e.self_points for e in leaves} == {Decimal("5.668")}  # 6,4 × 88,56 %
    audit = AuditEntry.objects.filter(action=AuditAction.PAR_SURVEY_SET).first()
    assert audit.data["before"] == {"index": None} and audit.data["after"] == {"index": "88.56"}
    assert current_indices(year) == {cast.unit_a.pk: Decimal("88.56")}


@pytest.mark.parametrize("bad", ["101", "-1", "abc", "=1+1", ""])
def test_it_refuses_an_index_outside_0_to_100_or_not_a_number(cast, bad):
    year = small_year(cast)
    p = participation(year, cast.unit_a)
    with pytest.raises(ValidationError) as exc:
        survey_index_set(actor=cast.admin, participation=p, index=bad)
    assert "Chỉ số SIPAS" in exc.value.messages[0]
    assert set(_indices(year).values()) == {None}


def test_a_stale_version_is_refused_with_the_newer_value(cast):
    year = small_year(cast)
    p = participation(year, cast.unit_a)
    entry = Entry.objects.filter(participation=p, node__method=Method.SURVEY).first()
    survey_index_set(actor=cast.admin, participation=p, index="80", version=entry.version)
    with pytest.raises(ValidationError) as exc:
        survey_index_set(actor=cast.admin, participation=p, index="70", version=entry.version)
    assert "vừa được người khác thay đổi: 80" in exc.value.messages[0]


def test_the_import_stores_every_row(cast):
    year = small_year(cast)
    content = sheet(
        [
            [cast.unit_a.code, cast.unit_a.name, 91.5],
            ["", cast.unit_b.name, "87,25"],
            [cast.stp.code, "", 80],
        ],
        header=HEADER,
    )
    assert survey_import(actor=cast.admin, year=year, content=content, name="sipas.xlsx") == 3
    assert current_indices(year) == {
        cast.unit_a.pk: Decimal("91.5"),
        cast.unit_b.pk: Decimal("87.25"),
        cast.stp.pk: Decimal("80"),
    }


def test_any_bad_row_stores_nothing_and_every_problem_is_reported_with_its_row(cast):
    year = small_year(cast)
    content = sheet(
        [
            [cast.unit_a.code, cast.unit_a.name, 91.5],
            ["KHONGCO", "Xã Không Có", 80],
            [cast.unit_b.code, "", 120],
            [cast.stp.code, "", '=HYPERLINK("http://x","90")'],
        ],
        header=HEADER,
    )
    with pytest.raises(ValidationError) as exc:
        survey_import(actor=cast.admin, year=year, content=content, name="sipas.xlsx")
    messages = exc.value.messages
    assert "chưa có gì được lưu" in messages[0]
    assert any(m.startswith("Dòng 3:") and "KHONGCO" in m for m in messages)
    assert any(m.startswith("Dòng 4 (") and "từ 0 đến 100" in m for m in messages)
    assert any(m.startswith("Dòng 5 (") and "không phải là số" in m for m in messages)
    assert set(_indices(year).values()) == {None}
    assert not AuditEntry.objects.filter(action=AuditAction.PAR_SURVEY_SET).exists()


def test_a_file_that_is_not_excel_is_refused(cast):
    year = small_year(cast)
    with pytest.raises(ValidationError):
        survey_import(actor=cast.admin, year=year, content=b"MZ\x90\x00", name="sipas.xlsx")
    assert set(_indices(year).values()) == {None}
