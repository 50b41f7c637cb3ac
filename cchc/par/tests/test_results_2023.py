"""Acceptance: the 2023 year, entered through the product's own import of unit results,
publishes a results page whose averages, groups and area indices equal seed 003's."""

from decimal import Decimal

import pytest

from cchc.core.audit import AuditAction
from cchc.core.models import AuditEntry
from cchc.lib.formats import decimal_vi
from cchc.org.models import UnitType
from cchc.par import seed003
from cchc.par.demo import load_criteria_sets
from cchc.par.demo_2023 import load_year_2023
from cchc.par.engine import AN_GIANG_2023
from cchc.par.models import (
    EvaluationYear,
    Participation,
    ParticipationState,
    UnitResult,
    YearStatus,
    YearSummary,
)

pytestmark = pytest.mark.django_db
KINDS = {"so": UnitType.DEPARTMENT, "huyen": UnitType.DISTRICT}


@pytest.fixture
def year_2023(cast):
    load_criteria_sets()
    return load_year_2023(actor=cast.admin)


def _vi(text):
    return decimal_vi(Decimal(text))


def _check_summary(year, kind):
    summary = YearSummary.objects.get(year=year, unit_type=KINDS[kind])
    published = seed003.PUBLISHED[kind]
    assert summary.unit_count == len(seed003.rows(kind))
    assert summary.group_counts == published["groups"]
    assert AN_GIANG_2023.round(summary.average_total) == Decimal(published["average"])
    for code, (points, index, _, _) in published["areas"].items():
        node = summary.nodes[code]
        assert AN_GIANG_2023.round(Decimal(node["average_points"])) == Decimal(points)
        assert AN_GIANG_2023.round(Decimal(node["index"])) == Decimal(index)


def _check_page(body, kind):
    unit_type = KINDS[kind]
    published = seed003.PUBLISHED[kind]
    average = body.split(f'id="par-average-{unit_type}">')[1].split("<")[0]
    assert average == _vi(published["average"])
    for group in ("A", "B", "C"):
        cell = body.split(f'id="par-group-{unit_type}-{group}">')[1].split("<")[0]
        assert cell == f"{published['groups'].get(group, 0)} đơn vị"
    table = body.split(f'id="par-areas-{unit_type}"')[1].split("</table>")[0]
    for code, (points, index, _, _) in published["areas"].items():
        row = table.split(f'<th scope="row">{code}</th>')[1].split("</tr>")[0]
        assert f"<td>{_vi(points)}</td><td>{_vi(index)}</td>" in row


# One test loads the year once (it takes a while): every published number is checked.
def test_the_2023_year_entered_through_the_import_publishes_seed_003s_numbers(client, year_2023):
    assert year_2023.status == YearStatus.PUBLISHED
    states = set(Participation.objects.filter(year=year_2023).values_list("state", flat=True))
    assert states == {ParticipationState.FINALISED}
    imports = AuditEntry.objects.filter(action=AuditAction.PAR_RESULTS_IMPORT)
    assert imports.count() == 1
    assert imports.get().data["units"] == 28 and len(imports.get().data["sha256"]) == 64
    assert UnitResult.objects.filter(year=year_2023).count() == 28
    for kind in KINDS:
        _check_summary(year_2023, kind)

    response = client.get("/chi-so-cchc/2023/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "dữ liệu dựng lại" in body and "tái hiện đúng các số đã công bố" in body
    for kind in KINDS:
        _check_page(body, kind)
    assert "2023" in client.get("/chi-so-cchc/").content.decode()


def test_each_2023_unit_has_its_page_and_loading_again_changes_nothing(client, cast, year_2023):
    result = UnitResult.objects.select_related("unit").get(year=year_2023, unit__code="SBN2023-01")
    body = client.get(f"/chi-so-cchc/2023/{result.unit.slug}/").content.decode()
    assert f'id="par-unit-total">{decimal_vi(result.total)}<' in body
    assert f'id="par-unit-group">{result.group}<' in body
    assert f'id="par-unit-rank">{result.rank}/17 ' in body
    assert "Sở, ban, ngành 01 (dữ liệu dựng lại)" in body
    # area 7 keeps its 2023 evaluator, the retired ICT department
    area = year_2023.evaluators.get(area_code="7")
    assert area.evaluator_code == "STTTT" and not area.department.is_active
    assert load_year_2023(actor=cast.admin) is None
    assert EvaluationYear.objects.filter(year=2023).count() == 1
