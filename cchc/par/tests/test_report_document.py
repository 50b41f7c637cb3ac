"""The annual report as Word and PDF: from the 2023 year that reproduces seed 003, the
area tables, averages and group counts read back from the files equal the seed's.

The Word file and the PDF of the 2023 year are built once for the module by the first
test that needs them (each build draws two charts; WeasyPrint lays out some fifteen
pages). Page images of the PDF are saved in test-artifacts/ (par-report-pdf-NN.png).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from cchc.lib.formats import decimal_vi
from cchc.org.models import Unit
from cchc.par import demo_2023
from cchc.par.demo import load_criteria_sets
from cchc.par.demo_2023 import load_year_2023, unit_code
from cchc.par.reports import document
from cchc.par.tests import seed003
from conftest import ARTIFACTS

pytestmark = pytest.mark.django_db
KINDS = ("so", "huyen")  # the report's order: departments, then districts
NOUN = {"so": "đơn vị", "huyen": "địa phương"}
SHORT = {"so": "các sở", "huyen": "các huyện"}
AREA_HEADER = [
    "TT",
    "Lĩnh vực theo dõi, đánh giá",
    "Điểm chuẩn",
    "Điểm đạt được",
    "Đạt tỷ lệ 2023 (%)",
    "Tỷ lệ năm 2022",
    "Tăng(+)/ Giảm(-)",
]
# build_docx's queries: year_report's six (no previous year in the platform), the
# province and Sở Nội vụ, the year's classification bands. None per unit.
QUERIES = 8


def signed(text: str) -> str:
    value = Decimal(text)
    return f"+{decimal_vi(value)}" if value > 0 else decimal_vi(value)


def expected_area_rows(kind: str) -> list[list[str]]:
    """Seed 003's area table, formatted as the report shows numbers (decimal_vi)."""
    rows = []
    for code, title, max_points in seed003.AREAS:
        points, index, before, change = seed003.PUBLISHED[kind]["areas"][code]
        rows.append(
            [
                code,
                title,
                str(max_points),
                decimal_vi(Decimal(points)),
                decimal_vi(Decimal(index)),
                decimal_vi(Decimal(before)),
                signed(change),
            ]
        )
    return rows


def docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def tables_headed(doc, first: str, second: str) -> list[list[list[str]]]:
    out = []
    for table in doc.tables:
        rows = cells(table)
        if rows and rows[0][:2] == [first, second]:
            out.append(rows)
    return out


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


_BUILT: dict[str, SimpleNamespace] = {}


@pytest.fixture
def built(cast):
    """The 2023 report as Word and PDF, built by the first test that asks and kept for
    the module (the test's transaction rolls the year back as usual)."""
    if "2023" not in _BUILT:
        load_criteria_sets()
        year = load_year_2023(actor=cast.admin)
        steps = []
        docx = document.build_docx(year, progress=lambda percent, text: steps.append(percent))
        pdf = document.build_pdf(year)
        _BUILT["2023"] = SimpleNamespace(
            docx=docx, pdf=pdf, doc=Document(io.BytesIO(docx)), steps=steps
        )
    return _BUILT["2023"]


# Word -----------------------------------------------------------------------------------


def test_the_word_area_tables_equal_seed_003s_cell_for_cell(built):
    tables = [
        t
        for t in tables_headed(built.doc, "TT", "Lĩnh vực theo dõi, đánh giá")
        if "Điểm chuẩn" in t[0]
    ]
    assert len(tables) == 2
    for kind, table in zip(KINDS, tables, strict=True):
        assert table[0] == AREA_HEADER
        assert table[1:] == expected_area_rows(kind)


def test_the_word_text_has_the_averages_group_counts_and_sipas_summary(built):
    text = docx_text(built.doc)
    for kind in KINDS:
        published = seed003.PUBLISHED[kind]
        average = decimal_vi(Decimal(published["average"]))
        assert f"Bình quân Chỉ số CCHC {SHORT[kind]} năm 2023 đạt {average} điểm." in text
        a, b = published["groups"]["A"], published["groups"]["B"]
        assert f"- Nhóm A (đạt từ 90 điểm trở lên): có {a:02d} {NOUN[kind]}." in text
        assert f"- Nhóm B (đạt từ 80 điểm đến dưới 90 điểm): có {b:02d} {NOUN[kind]}." in text
        # Seed 003's counts, from the indices surveyed (two departments at 89,99 % stay
        # under 90 though their points, 28,80 of 32, read back as 90,00 %).
        over, middle = published["sipas_over_90"], published["sipas_80_to_90"]
        assert over + middle == len(seed003.rows(kind))
        assert f"- {over:02d} {NOUN[kind]} có Chỉ số hài lòng từ 90% trở lên." in text
        assert f"- {middle:02d} {NOUN[kind]} có Chỉ số hài lòng từ 80% đến dưới 90%." in text
    assert "89,87" in text and "88,58" in text
    assert "(Chi tiết tại Phụ lục 1 kèm theo Báo cáo)" in text
    assert "(Chi tiết tại Phụ lục 2 kèm theo Báo cáo)" in text
    # Narrative is left to the officials, marked as such.
    assert text.count("[Nội dung do Sở Nội vụ bổ sung:") >= 5
    # Part three names the criteria where most points were lost.
    assert "các tiêu chí bị mất nhiều điểm nhất" in text and "tiêu chí 8.1" in text


def test_the_structure_tables_count_criteria_sub_criteria_and_points(built):
    tables = tables_headed(built.doc, "TT", "Lĩnh vực theo dõi, đánh giá")
    structure = [t for t in tables if "Số lượng tiêu chí" in t[0]]
    assert [t[-1] for t in structure] == [
        ["", "Tổng cộng", "29", "53", "100"],
        ["", "Tổng cộng", "28", "52", "100"],
    ]
    assert structure[0][1] == ["1", seed003.AREAS[0][1], "4", "9", "12"]
    assert structure[0][9][2:] == ["", "", "32"]  # SIPAS: surveyed, no criteria counted


def test_the_appendices_rank_every_unit_with_total_and_group(built):
    rankings = tables_headed(built.doc, "Xếp hạng", "Đơn vị")
    assert len(rankings) == 2
    for kind, table in zip(KINDS, rankings, strict=True):
        body = table[1:]
        assert len(body) == len(seed003.rows(kind))
        ranks = [int(row[0]) for row in body]
        assert ranks == sorted(ranks) and ranks[0] == 1
        groups = {g: sum(1 for row in body if row[3] == g) for g in ("A", "B")}
        assert groups == seed003.PUBLISHED[kind]["groups"]
        assert all(re.fullmatch(r"\d{2},\d{2}", row[2]) for row in body)


def test_the_word_file_is_a_nd30_document_in_times_new_roman(built):
    doc = built.doc
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    rfonts = normal.element.rPr.rFonts
    assert {rfonts.get(f"{{{rfonts.nsmap['w']}}}{a}") for a in ("ascii", "hAnsi", "eastAsia")} == {
        "Times New Roman"
    }
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [
        r
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    ]
    assert {r.font.name for r in runs} <= {None, "Times New Roman"}
    assert all(not r._r.xpath(".//w:drawing") or not r.text for r in runs)  # text is text
    head = cells(doc.tables[0])
    assert head[0][0] == "UBND TỈNH AN GIANG\nSỞ NỘI VỤ\n"
    assert head[0][1].startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert head[1][0].startswith("Số:") and head[1][0].endswith("/BC-SNV")
    assert re.fullmatch(r"An Giang, ngày +tháng +năm \d{4}", head[1][1])
    assert doc.paragraphs[0].text == "BÁO CÁO"
    section = doc.sections[0]
    mm = [round(x.mm, 1) for x in (section.page_width, section.page_height)]
    assert mm == [210, 297]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(x.mm, 1) for x in margins] == [20, 20, 30, 15]
    assert "PAGE" in section.header._element.xml  # page numbers from page 2
    assert section.different_first_page_header_footer
    sign = cells(doc.tables[-len(tables_headed(doc, "Xếp hạng", "Đơn vị")) - 1])
    assert sign[0][0].startswith("Nơi nhận:") and sign[0][1].startswith("GIÁM ĐỐC")
    # The charts are pictures; everything else is paragraphs and tables.
    assert len(doc.inline_shapes) == 2


def test_the_progress_goes_up_to_100(built):
    assert built.steps == sorted(built.steps) and built.steps[-1] == 100


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_word_file_opens_in_libreoffice(built, tmp_path):
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(built.docx)
    profile = (tmp_path / "profile").as_uri()  # its own profile: other soffice runs may be open
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = tmp_path / "bao-cao.pdf"
    assert converted.read_bytes().startswith(b"%PDF")
    text = squeeze(pdf_text(converted.read_bytes(), tmp_path))
    assert "89,87" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


# PDF ------------------------------------------------------------------------------------


def test_the_pdf_has_the_averages_and_area_rows_and_its_pages_are_saved(built, tmp_path):
    assert built.pdf.startswith(b"%PDF")
    text = pdf_text(built.pdf, tmp_path)
    flat = squeeze(text)
    assert "89,87 điểm" in flat and "88,58 điểm" in flat
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "Độc lập - Tự do - Hạnh phúc" in flat
    lines = [squeeze(line).strip() for line in text.splitlines()]
    for kind in KINDS:
        for code, _, max_points, *numbers in expected_area_rows(kind):
            row = " ".join([max_points, *numbers])
            assert any(row in line for line in lines), (kind, code, row)
    for old in ARTIFACTS.glob("par-report-pdf-*.png"):
        old.unlink()
    ARTIFACTS.mkdir(exist_ok=True)
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(built.pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(path), str(ARTIFACTS / "par-report-pdf")],
        check=True,
        timeout=120,
    )
    pages = sorted(ARTIFACTS.glob("par-report-pdf-*.png"))
    assert len(pages) >= 10 and all(p.stat().st_size > 5000 for p in pages)


# Crafted names and query counts ---------------------------------------------------------


def test_crafted_unit_names_are_text_in_word_and_escaped_in_the_pdf(cast, tmp_path):
    load_criteria_sets()
    year = load_year_2023(actor=cast.admin)
    script, formula = "<script>alert(1)</script>", "=cmd|' /C calc'!A0"
    Unit.objects.filter(code=unit_code("so", 1)).update(name=script)
    Unit.objects.filter(code=unit_code("huyen", 1)).update(name=formula)
    content = document.report_content(year)
    html = document.render_html(content)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "=cmd|&#x27; /C calc&#x27;!A0" in html
    text = docx_text(Document(io.BytesIO(document.render_docx(content))))
    assert script in text and formula in text
    flat = squeeze(pdf_text(document.render_pdf(content), tmp_path))
    assert script in flat and formula in flat


@pytest.mark.parametrize("times", [1, 3])
def test_the_report_reads_a_fixed_number_of_queries_whatever_the_units(cast, monkeypatch, times):
    rows = demo_2023.seed003.rows
    monkeypatch.setattr(demo_2023.seed003, "rows", lambda kind: rows(kind) * times)
    load_criteria_sets()
    year = load_year_2023(actor=cast.admin)
    with CaptureQueriesContext(connection) as queries:
        data = document.build_docx(year)
    doc = Document(io.BytesIO(data))
    rankings = tables_headed(doc, "Xếp hạng", "Đơn vị")
    assert [len(t) - 1 for t in rankings] == [17 * times, 11 * times]
    assert len(queries) == QUERIES
