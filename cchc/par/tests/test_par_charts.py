"""The results charts: seed 003's two years side by side, from the report's numbers."""

from decimal import Decimal
from types import SimpleNamespace

from cchc.par import charts
from cchc.par.selectors.report import AreaRow, AreaValue, Section, UnitRow


def _section(previous=True):
    areas = [
        AreaRow(
            "1",
            "Công tác chỉ đạo, điều hành cải cách hành chính",
            Decimal(12),
            Decimal("10.67"),
            Decimal("88.92"),
            Decimal("89.20") if previous else None,
            Decimal("-0.28") if previous else None,
        ),
        AreaRow(
            "2",
            "Cải cách thể chế",
            Decimal(6),
            Decimal("5.06"),
            Decimal("84.33"),
            Decimal("93.98") if previous else None,
            Decimal("-9.65") if previous else None,
        ),
    ]
    unit = UnitRow(
        unit=SimpleNamespace(name="Sở Tư pháp", pk=1),
        total=Decimal("91.5"),
        group="A",
        rank=1,
        count=2,
        areas={
            "1": AreaValue(Decimal(11), Decimal(12), Decimal("91.67")),
            "2": AreaValue(Decimal(6), Decimal(6), Decimal(100)),
        },
        nodes={},
        previous_total=None,
        change=None,
    )
    low = UnitRow(**{**unit.__dict__, "total": Decimal("79.99"), "rank": 2})
    return Section(
        unit_type="department",
        label="Sở, ban, ngành",
        count=2,
        average=Decimal("85.75"),
        previous_year=2022 if previous else None,
        previous_average=None,
        average_change=None,
        groups=[("A", 1), ("B", 0), ("C", 1)],
        areas=areas,
        units=[unit, low],
        structure=[],
        titles={},
    )


def test_the_area_chart_shows_both_years_with_their_values():
    svg = charts.area_chart(_section(), 2023)
    assert "Năm 2023" in svg and "Năm 2022" in svg
    assert "88,92" in svg and "93,98" in svg  # bar labels with a decimal comma
    assert "1. Công tác" in svg


def test_without_last_year_the_chart_has_one_series():
    svg = charts.area_chart(_section(previous=False), 2023)
    assert "88,92" in svg and "Năm 2022" not in svg and "93,98" not in svg


def test_bands_count_every_unit_once_and_a_png_is_a_png():
    section = _section()
    assert sum(n for _, n in charts.bands(section)) == len(section.units)
    assert ("75–80", 1) in charts.bands(section) and ("90–95", 1) in charts.bands(section)
    png = charts.profile_chart(section.units[0], section, fmt="png")
    assert png.startswith(b"\x89PNG")


def test_long_area_titles_wrap_to_three_short_lines():
    label = charts.area_label("9", "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ")
    assert label.startswith("9. Mức") and len(label.split("\n")) == 3
    assert all(len(line) <= 13 for line in label.split("\n"))
