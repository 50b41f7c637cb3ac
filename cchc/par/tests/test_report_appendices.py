"""The Excel appendices: seed 003's tables read back cell for cell, stored results per unit,
numbers as numbers, print setup, formula-proof names, LibreOffice, constant queries."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from cchc.org.models import CommuneKind, Unit, UnitType
from cchc.org.services import unit_create
from cchc.par.demo import load_criteria_sets
from cchc.par.demo_2023 import load_year_2023
from cchc.par.models import UnitResult
from cchc.par.reports import KINDS, appendices
from cchc.par.selectors import report
from cchc.par.services import results
from cchc.par.tests import seed003
from cchc.par.tests.test_results_helpers import appraise_all
from cchc.par.tests.year import WINDOWS, open_year

pytestmark = pytest.mark.django_db
SECTIONS = (("so", UnitType.DEPARTMENT), ("huyen", UnitType.DISTRICT))
SHEETS_2023 = [
    "Phụ lục 1",
    "Phụ lục 2",
    "Phụ lục 3.1",
    "Phụ lục 3.2",
    "Lĩnh vực – Sở, ban, ngành",
    "Lĩnh vực – Huyện, thị xã, TP",
]
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def year_2023(cast):
    load_criteria_sets()
    return load_year_2023(actor=cast.admin)


@pytest.fixture
def built_2023(year_2023):
    steps = []
    content = appendices.build(
        year_2023, progress=lambda percent, text: steps.append((percent, text))
    )
    return content, steps


def _book(content):
    return load_workbook(io.BytesIO(content))


def _dec(value):
    return None if value is None else Decimal(str(value))


def _unit_rows(sheet):
    """The rows of units: column A holds their order (an integer)."""
    return [
        [c.value for c in row]
        for row in sheet.iter_rows(min_row=5)
        if isinstance(row[0].value, int) and isinstance(row[1].value, str)
    ]


def _row_of(sheet, label, column=2):
    for row in sheet.iter_rows():
        if row[column - 1].value == label:
            return [c.value for c in row]
    raise AssertionError(f"no row {label!r} in {sheet.title}")


def _headers(sheet, row=4):
    return [c.value for c in sheet[row]]


def _shift(windows, years):
    return {
        k: (a.replace(year=a.year - years), b.replace(year=b.year - years))
        for k, (a, b) in windows.items()
    }


def _finalised(cast, year, units, share="0.85", publish=False):
    y = open_year(actor=cast.admin, year=year, units=units, windows=_shift(WINDOWS, 2026 - year))
    appraise_all(y, share=Decimal(share))
    y = results.year_finalise(actor=cast.admin, year=y, version=y.version)
    return results.year_publish(actor=cast.admin, year=y) if publish else y


def test_the_area_sheets_equal_seed_003s_tables_averages_and_group_counts(built_2023):
    content, steps = built_2023
    book = _book(content)
    assert book.sheetnames == SHEETS_2023
    for (kind, _), name in zip(SECTIONS, SHEETS_2023[4:], strict=True):
        sheet = book[name]
        published = seed003.PUBLISHED[kind]
        assert _headers(sheet, 3) == [
            "TT",
            "Lĩnh vực theo dõi, đánh giá",
            "Điểm chuẩn",
            "Điểm đạt được (bình quân)",
            "Đạt tỷ lệ năm 2023 (%)",
            "Tỷ lệ năm 2022 (%)",
            "Tăng (+)/ Giảm (-)",
        ]
        rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=4, max_row=12)]
        assert [str(r[0]) for r in rows] == [code for code, _, _ in seed003.AREAS]
        for (code, title, max_points), row in zip(seed003.AREAS, rows, strict=True):
            points, index, before, change = published["areas"][code]
            assert row[1] == title
            assert [_dec(v) for v in row[2:]] == [
                Decimal(max_points),
                Decimal(points),
                Decimal(index),
                Decimal(before),
                Decimal(change),
            ]
        assert _row_of(sheet, "Số đơn vị")[2] == len(seed003.rows(kind))
        average = _row_of(sheet, "Bình quân Chỉ số CCHC (điểm)")
        assert _dec(average[2]) == Decimal(published["average"])
        counts = {
            group: _row_of(sheet, f"Nhóm {group} ({word}) (số đơn vị)")[2]
            for group, word in appendices.GROUP_WORDS.items()
        }
        assert counts == {**published["groups"], "C": 0}
    # Progress: one step per sheet, in order; 100 is the job's, once the file is stored.
    texts = [text for _, text in steps]
    assert [f"Đang ghi {name}" for name in SHEETS_2023] == [t for t in texts if "ghi" in t]
    percents = [p for p, _ in steps]
    assert percents == sorted(set(percents)) and 0 <= percents[0] and percents[-1] < 100


def test_every_unit_has_its_stored_total_group_rank_and_points(year_2023, built_2023):
    book = _book(built_2023[0])
    stored = {
        r.unit.name: r for r in UnitResult.objects.filter(year=year_2023).select_related("unit")
    }
    for (kind, unit_type), name, criteria in zip(
        SECTIONS, ("Phụ lục 1", "Phụ lục 2"), ("Phụ lục 3.1", "Phụ lục 3.2"), strict=True
    ):
        sheet = book[name]
        headers = _headers(sheet)
        assert _headers(sheet, 3)[:2] == ["TT", "Tên đơn vị"]
        assert _headers(sheet, 3)[2] == "Điểm theo lĩnh vực"
        assert headers[2] == "1. Công tác chỉ đạo, điều hành cải cách hành chính (12 điểm)"
        assert headers[10].startswith("9. ") and headers[10].endswith("(32 điểm)")
        assert _headers(sheet, 3)[11:14] == ["Chỉ số CCHC", "Nhóm", "Xếp hạng"]
        assert len(headers) == 14  # 2022 is not in the platform: no unit's last total
        rows = _unit_rows(sheet)
        assert len(rows) == len(seed003.rows(kind))
        assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
        for row in rows:
            result = stored[row[1]]
            assert "(dữ liệu dựng lại)" in row[1] and result.unit_type == unit_type
            assert (_dec(row[11]), row[12], row[13]) == (result.total, result.group, result.rank)
            for offset, (code, _, _) in enumerate(seed003.AREAS):
                assert _dec(row[2 + offset]) == Decimal(result.areas[code]["points"]).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                )
        # A bold row heads each group with its count, before its units.
        heads = [
            row
            for row in sheet.iter_rows(min_row=5)
            if isinstance(row[0].value, str) and row[0].value.startswith("Nhóm ")
        ]
        published = seed003.PUBLISHED[kind]["groups"]
        assert [h[0].value for h in heads] == [
            f"Nhóm {g} ({appendices.GROUP_WORDS[g]}): {n} đơn vị" for g, n in published.items()
        ]
        assert all(h[0].font.bold for h in heads)
        first_b = next(i for i, r in enumerate(rows) if r[12] == "B")
        assert first_b == published["A"] and {r[12] for r in rows[:first_b]} == {"A"}
        average = _row_of(sheet, "Bình quân")
        assert _dec(average[11]) == Decimal(seed003.PUBLISHED[kind]["average"])
        assert _dec(average[2]) == Decimal(seed003.PUBLISHED[kind]["areas"]["1"][0])
        # Phụ lục 3: the points of every level-2 criterion, as stored.
        sheet = book[criteria]
        codes = [h.split("\n")[0] for h in _headers(sheet)[2:-1]]
        assert codes and all(c.count(".") == 1 for c in codes)
        assert _headers(sheet, 3)[-1] == "Chỉ số CCHC"
        for row in _unit_rows(sheet):
            result = stored[row[1]]
            for code, value in zip(codes, row[2:-1], strict=True):
                assert _dec(value) == Decimal(result.nodes[code][0])
            assert _dec(row[-1]) == result.total


def test_numbers_are_numbers_with_two_decimals_and_sheets_print_a4_landscape(built_2023):
    book = _book(built_2023[0])
    for sheet in book.worksheets:
        assert sheet["A1"].value.startswith(("PHỤ LỤC", "CHỈ SỐ THÀNH PHẦN"))
        assert "NĂM 2023" in sheet["A1"].value and sheet["A1"].font.bold
        header_end = 3 if sheet.title.startswith("Lĩnh vực") else 4
        assert sheet.freeze_panes == f"C{header_end + 1}"
        assert sheet.print_title_rows == f"$3:${header_end}"
        last = f"${get_column_letter(sheet.max_column)}${sheet.max_row}"
        assert sheet.print_area == f"'{sheet.title}'!$A$1:{last}"
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4  # 9
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.column_dimensions["B"].width >= 40
        numbers = [
            cell
            for row in sheet.iter_rows(min_row=header_end + 1)
            for cell in row[2:]
            if isinstance(cell.value, float)
        ]
        assert numbers, sheet.title
        assert {c.data_type for c in numbers} == {"n"}
        assert {c.number_format for c in numbers} == {appendices.POINTS}
        assert all(c.border.left.style == "thin" for c in numbers)
    # the totals are numbers in every ranking sheet, none written as text
    for name in ("Phụ lục 1", "Phụ lục 2"):
        assert all(isinstance(r[11], (int, float)) for r in _unit_rows(book[name]))
    assert KINDS["phu-luc"].builder == "cchc.par.reports.appendices.build"


def test_libreoffice_opens_the_workbook_and_its_csv_has_the_numbers(built_2023, tmp_path):
    source = tmp_path / "phu-luc.xlsx"
    source.write_bytes(built_2023[0])
    out = tmp_path / "csv"
    # every sheet to its own CSV, cells as shown (LibreOffice's CSV filter, token 12: -1)
    flt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    completed = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            flt,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"phu-luc-{name}.csv" for name in SHEETS_2023), files

    def rows(name):
        text = Path(out / f"phu-luc-{name}.csv").read_text(encoding="utf-8")
        return list(csv.reader(io.StringIO(text)))

    ranking = rows("Phụ lục 1")
    assert ranking[0][0].startswith("PHỤ LỤC 1 – KẾT QUẢ CHỈ SỐ CCHC NĂM 2023")
    averages = next(r for r in ranking if r[1] == "Bình quân")
    assert averages[11] == "89.87" and averages[2] == "10.67"
    units = [r for r in ranking if r[0].isdigit()]
    assert len(units) == 17 and all(len(r[11].split(".")[1]) == 2 for r in units)
    areas = rows("Lĩnh vực – Huyện, thị xã, TP")
    row_3 = next(r for r in areas if r[0] == "3")
    assert row_3[2:7] == ["13", "10.80", "83.04", "95.04", "-12.00"]


def test_a_unit_named_like_a_formula_comes_out_as_text(cast):
    province = Unit.objects.get(unit_type=UnitType.PROVINCE)
    crafted = unit_create(
        actor=None,
        unit=Unit(
            name=FORMULA,
            code="XCT0001",
            slug="xa-cong-thuc",
            unit_type=UnitType.COMMUNE,
            commune_kind=CommuneKind.XA,
            parent=province,
            active_from=province.active_from,
        ),
    )
    year = _finalised(cast, 2026, [cast.stp, cast.unit_a, crafted])
    content = appendices.build(year)
    book = _book(content)
    assert book.sheetnames[:3] == ["Phụ lục 1", "Phụ lục 2", "Phụ lục 3.1"]
    assert book["Phụ lục 2"]["A1"].value.endswith("CỦA CÁC XÃ, PHƯỜNG, ĐẶC KHU")
    found = [
        cell
        for name in ("Phụ lục 2", "Phụ lục 3.2")
        for row in book[name].iter_rows()
        for cell in row
        if cell.value == FORMULA
    ]
    assert len(found) == 2
    assert all(c.data_type == "s" and c.quotePrefix for c in found)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)


def test_last_years_index_and_the_change_are_shown_when_the_platform_has_last_year(cast):
    _finalised(cast, 2025, [cast.stp, cast.unit_a, cast.unit_b], share="0.8", publish=True)
    year = _finalised(cast, 2026, [cast.stp, cast.unit_a, cast.unit_b, cast.snv], share="0.9")
    book = _book(appendices.build(year))
    before = {r.unit.name: r.total for r in UnitResult.objects.filter(year__year=2025)}
    now = {
        r.unit.name: r.total for r in UnitResult.objects.filter(year=year).select_related("unit")
    }
    sheet = book["Phụ lục 1"]
    assert _headers(sheet, 3)[-2:] == ["So với năm 2025", None]
    assert _headers(sheet)[-2:] == ["Chỉ số CCHC năm 2025", "Tăng (+)/ Giảm (-)"]
    rows = {r[1]: r for r in _unit_rows(sheet)} | {r[1]: r for r in _unit_rows(book["Phụ lục 2"])}
    assert set(rows) == set(now)
    for name, row in rows.items():
        if name in before:
            assert (_dec(row[-2]), _dec(row[-1])) == (before[name], now[name] - before[name])
            assert row[-1] > 0
        else:  # Sở Nội vụ was not in 2025
            assert row[-2:] == [None, None]
    areas = book["Lĩnh vực – Xã, phường, đặc khu"]
    assert _headers(areas, 3)[5:] == ["Tỷ lệ năm 2025 (%)", "Tăng (+)/ Giảm (-)"]
    first = [c.value for c in areas[4]]
    assert _dec(first[6]) == _dec(first[4]) - _dec(first[5]) > 0


def test_a_year_not_finalised_is_refused_with_its_reason(cast):
    year = open_year(actor=cast.admin, units=[cast.stp, cast.unit_a])
    with pytest.raises(ValidationError, match="Kết quả Chỉ số CCHC năm 2026 chưa được chốt"):
        appendices.build(year)


def test_the_queries_do_not_grow_with_the_number_of_units(cast):
    departments = list(Unit.objects.filter(unit_type=UnitType.DEPARTMENT).order_by("pk")[:6])
    communes = list(Unit.objects.filter(unit_type=UnitType.COMMUNE).order_by("pk")[:12])
    few = _finalised(cast, 2024, departments[:2] + communes[:4])
    many = _finalised(cast, 2025, departments + communes)

    def queries(year):
        with CaptureQueriesContext(connection) as ctx:
            content = appendices.build(year)
        with CaptureQueriesContext(connection) as selector:
            report.year_report(year)
        # the workbook reads nothing beyond the selector's fixed queries
        assert len(ctx.captured_queries) == len(selector.captured_queries)
        return len(ctx.captured_queries), content

    count_few, content_few = queries(few)
    count_many, content_many = queries(many)
    assert len(_unit_rows(_book(content_few)["Phụ lục 2"])) == 4
    assert len(_unit_rows(_book(content_many)["Phụ lục 2"])) == 12
    assert count_few == count_many == 6
