"""The year's report numbers, read once: seed 003's tables from the stored 2023 results."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.core.models import AuditEntry
from cchc.org.models import UnitType
from cchc.par import seed003
from cchc.par.demo import load_criteria_sets
from cchc.par.demo_2023 import load_year_2023
from cchc.par.models import YearSummary
from cchc.par.selectors import report
from cchc.par.services import results
from cchc.par.tests.year import open_year

pytestmark = pytest.mark.django_db
KINDS = {"so": UnitType.DEPARTMENT, "huyen": UnitType.DISTRICT}


@pytest.fixture
def year_2023(cast):
    load_criteria_sets()
    return load_year_2023(actor=cast.admin)


def test_the_2023_report_has_seed_003s_area_tables_averages_groups_and_2022_column(year_2023):
    with CaptureQueriesContext(connection) as queries:
        data = report.year_report(year_2023)
    assert len(queries) == 6  # no previous year in the platform: no lineage lookups
    assert data.previous is None and data.reconstructed
    for kind, unit_type in KINDS.items():
        section = data.section(unit_type)
        published = seed003.PUBLISHED[kind]
        assert section.average == Decimal(published["average"])
        assert {g: n for g, n in section.groups if n} == published["groups"]
        assert section.previous_year == 2022
        assert section.count == len(seed003.rows(kind)) == len(section.units)
        for area in section.areas:
            points, index, before, change = published["areas"][area.code]
            assert (area.points, area.index, area.previous, area.change) == (
                Decimal(points),
                Decimal(index),
                Decimal(before),
                Decimal(change),
            )
        # Units come by rank; a rank's count is its ranking group's size.
        assert [u.rank for u in section.units] == sorted(u.rank for u in section.units)
        assert all(u.count == section.count for u in section.units)


def test_the_structure_table_counts_seed_003s_criteria_and_points(year_2023):
    section = report.year_report(year_2023).section(UnitType.DEPARTMENT)
    rows = {r.code: r for r in section.structure}
    # Seed 003, part one, III.1.a: 9 areas, 29 criteria, 53 sub-criteria, 100 points.
    assert len(rows) == 9
    assert sum(r.criteria for r in rows.values() if not r.survey) == 29
    assert sum(r.sub_criteria for r in rows.values() if not r.survey) == 53
    assert sum(r.max for r in rows.values()) == 100
    assert (rows["1"].criteria, rows["1"].sub_criteria, rows["1"].max) == (4, 9, 12)


def test_losses_rank_criteria_by_points_lost_and_name_the_units(year_2023):
    section = report.year_report(year_2023).section(UnitType.DISTRICT)
    losses = report.criteria_losses(section)
    assert losses and [x.lost for x in losses] == sorted((x.lost for x in losses), reverse=True)
    top = losses[0]
    assert top.lost == sum(lost for _, lost in top.units)
    for row, lost in top.units:
        points, applicable = row.nodes[top.code]
        assert lost == applicable - points > 0
    row = section.units[-1]
    mine = report.unit_losses(section, row)
    assert sum(lost for _, _, lost in mine) == sum(
        m - p for c, (p, m) in row.nodes.items() if c.count(".") == 1
    )


def test_an_open_year_has_no_report(cast):
    year = open_year(actor=cast.admin, units=[cast.unit_a])
    with pytest.raises(report.NotFinalised):
        report.year_report(year)


def test_previous_figures_reject_out_of_range_and_unknown_areas_and_store_nothing(year_2023, cast):
    summary = YearSummary.objects.get(year=year_2023, unit_type=UnitType.DEPARTMENT)
    before, audits = summary.previous_published, AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        results.previous_figures_set(
            actor=cast.admin,
            year=year_2023,
            unit_type=UnitType.DEPARTMENT,
            previous_year=2022,
            areas={"1": Decimal("101"), "42": Decimal(50)},
        )
    text = " ".join(exc.value.messages)
    assert "101 phải từ 0 đến 100" in text and "mã 42" in text
    with pytest.raises(ValidationError, match="Năm so sánh phải trước năm 2023"):
        results.previous_figures_set(
            actor=cast.admin,
            year=year_2023,
            unit_type=UnitType.DEPARTMENT,
            previous_year=2023,
            areas={},
        )
    summary.refresh_from_db()
    assert summary.previous_published == before and AuditEntry.objects.count() == audits
