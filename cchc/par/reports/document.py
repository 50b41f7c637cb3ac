"""The annual report on the PAR Index, as Word (python-docx) and PDF (WeasyPrint).

Seed 003 is the model: Sở Nội vụ's report in the layout of Nghị định 30/2020/NĐ-CP
(agency and national motto, number, place and date, title, Times New Roman), with the
criteria structure tables, the SIPAS summary, the results of each unit type with its
area table and chart, the conclusions and the appendices ranking every unit.

Both formats are drawn from one content, built once by ``report_content``: every
number comes from ``year_report`` (formatted with ``decimal_vi`` as on the public
pages) and the charts from ``cchc.par.charts.area_chart``, so the Word file, the PDF
and the dashboard cannot disagree. Narrative that needs officials' judgement is left
as marked placeholders ("[Nội dung do Sở Nội vụ bổ sung: …]"); the day and month of
signing are left blank (the year is this year, in Asia/Ho_Chi_Minh), as on a draft
that is edited before it is signed.

Queries: ``year_report``'s fixed few, one for the province and Sở Nội vụ, one for the
years' classification bands; none per unit.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from cchc.lib.collation import vi_sorted
from cchc.lib.formats import decimal_vi, number_vi
from cchc.org.models import Unit, UnitType
from cchc.par.selectors.report import criteria_losses, year_report

PLACEHOLDER = "[Nội dung do Sở Nội vụ bổ sung: {}]"
FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
TEXT_WIDTH_CM = 16.5  # A4 less 30 mm left and 15 mm right
TOP_LOSSES = 5


def _no_progress(percent: int, text: str) -> None:
    return None


@dataclass(frozen=True)
class Words:
    """How the report names one unit type."""

    subject: str  # "các sở, ban, ngành"
    short: str  # "các sở"
    noun: str  # "đơn vị" / "địa phương"
    level: str  # "cấp sở"
    heading: str  # "CÁC SỞ, BAN, NGÀNH TỈNH"


WORDS = {
    UnitType.DEPARTMENT: Words(
        "các sở, ban, ngành tỉnh", "các sở", "đơn vị", "cấp sở", "CÁC SỞ, BAN, NGÀNH TỈNH"
    ),
    UnitType.DISTRICT: Words(
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
        "các huyện",
        "địa phương",
        "Ủy ban nhân dân cấp huyện",
        "ỦY BAN NHÂN DÂN CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ",
    ),
    UnitType.COMMUNE: Words(
        "Ủy ban nhân dân các xã, phường, đặc khu",
        "các xã",
        "địa phương",
        "Ủy ban nhân dân cấp xã",
        "ỦY BAN NHÂN DÂN CÁC XÃ, PHƯỜNG, ĐẶC KHU",
    ),
}


def _words(unit_type: str, label: str) -> Words:
    return WORDS.get(unit_type) or Words(
        label.lower(), label.lower(), "đơn vị", label, label.upper()
    )


# The content: a few kinds of block that both renderers know ---------------------------


@dataclass
class Heading:
    text: str
    level: int  # 0 part (centred), 1 "I.", 2 "1.", 3 "a)"
    kind: str = "heading"


@dataclass
class Para:
    text: str
    bold: bool = False
    italic: bool = False
    align: str = "justify"  # justify, center, left
    indent: bool = True
    placeholder: bool = False
    kind: str = "para"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # cm, adding up to TEXT_WIDTH_CM
    align: list[str]  # per column: left, center, right
    total: bool = False  # the last row is a total, in bold
    name: str = ""  # what the table is, for tests and the HTML id
    kind: str = "table"

    @property
    def cells(self) -> list[list[tuple[str, str]]]:
        """Rows of (text, alignment), for the HTML template."""
        return [list(zip(row, self.align, strict=True)) for row in self.rows]


@dataclass
class Chart:
    png: bytes
    caption: str
    kind: str = "chart"

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class PageBreak:
    kind: str = "pagebreak"


@dataclass
class Content:
    year: int
    parent_agency: str  # "UBND TỈNH AN GIANG"
    agency: str  # "SỞ NỘI VỤ"
    agency_name: str  # "Sở Nội vụ"
    number_line: str
    date_line: str
    title: str
    subtitle: str
    blocks: list = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    attachments: str = ""
    signer: str = "GIÁM ĐỐC"
    appendices: list = field(default_factory=list)


# Formatting -----------------------------------------------------------------------------


def count2(n: int) -> str:
    """Counts as the seed writes them: 09, 12."""
    return f"{n:02d}"


def signed(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = decimal_vi(value)
    return f"+{text}" if value > 0 else text


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n - 1]


def letter(n: int) -> str:
    return "abcdefghik"[n]


def _date(day) -> str:
    return day.strftime("%d/%m/%Y")


def _bands(classification: list[dict]) -> list[tuple[str, str]]:
    """(group, "đạt từ 90 điểm trở lên") from the criteria set's classification."""
    out, above = [], None
    for i, band in enumerate(classification):
        low = band.get("min")
        if low is not None and i == 0:
            text = f"đạt từ {number_vi(low)} điểm trở lên"
        elif low is not None:
            text = f"đạt từ {number_vi(low)} điểm đến dưới {number_vi(above)} điểm"
        else:
            text = f"dưới {number_vi(above)} điểm"
        out.append((band["group"], text))
        above = low
    return out


def _by_band(items, value, high=Decimal(90), low=Decimal(80)):
    over = [i for i in items if value(i) >= high]
    middle = [i for i in items if low <= value(i) < high]
    under = [i for i in items if value(i) < low]
    return over, middle, under


# Building the content ------------------------------------------------------------------


def _agency() -> tuple[str, str, str, str]:
    """(province place name, parent agency, agency name, agency code) from the units."""
    units = list(Unit.objects.filter(Q(unit_type=UnitType.PROVINCE) | Q(code="SNV")).order_by("pk"))
    # The province in office (a retired one only if there is no other).
    provinces = sorted(
        (u for u in units if u.unit_type == UnitType.PROVINCE), key=lambda u: u.active_until is None
    )
    province = provinces[-1] if provinces else None
    snv = next((u for u in units if u.code == "SNV"), None)
    province_name = province.name if province else "Tỉnh"
    place = province_name
    for prefix in ("Tỉnh ", "Thành phố "):
        if place.startswith(prefix):
            place = place[len(prefix) :]
    agency_name = snv.name if snv else "Sở Nội vụ"
    return place, f"UBND {province_name.upper()}", agency_name, snv.code if snv else "SNV"


def _classifications(year) -> dict[str, list[dict]]:
    return {
        unit_type: classification
        for unit_type, classification in year.sets.values_list(
            "unit_type", "criteria_set__classification"
        )
    }


def report_content(year, *, progress=_no_progress) -> Content:
    """Everything the report shows, once, for both renderers."""
    from cchc.par.charts import area_chart

    progress(5, "Đang đọc kết quả")
    data = year_report(year)
    place, parent_agency, agency_name, agency_code = _agency()
    bands = _classifications(year)
    n = year.year
    sections = data.sections
    words = {s.unit_type: _words(s.unit_type, s.label) for s in sections}
    subjects = ", ".join(words[s.unit_type].subject for s in sections)
    shorts = ", ".join(words[s.unit_type].short for s in sections)
    today = timezone.localdate()

    content = Content(
        year=n,
        parent_agency=parent_agency,
        agency=agency_name.upper(),
        agency_name=agency_name,
        number_line=f"Số:        /BC-{agency_code}",
        date_line=f"{place}, ngày      tháng      năm {today.year}",
        title="BÁO CÁO",
        subtitle=(
            f"Kết quả Chỉ số cải cách hành chính của {subjects} trên địa bàn tỉnh {place} năm {n}"
        ),
    )
    b = content.blocks.append

    def para(text, **kw):
        b(Para(text, **kw))

    def todo(text):
        b(Para(PLACEHOLDER.format(text), italic=True, placeholder=True))

    todo(
        f"căn cứ Quyết định phê duyệt Đề án và Kế hoạch xác định Chỉ số cải cách hành chính "
        f"năm {n} (số, ngày, cơ quan ban hành)"
    )
    para(
        f"Sau khi tổng hợp kết quả thẩm định Chỉ số cải cách hành chính và kết quả Chỉ số hài "
        f"lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước trên "
        f"địa bàn tỉnh {place} năm {n},"
    )
    para(
        f"{agency_name} báo cáo kết quả Chỉ số cải cách hành chính của {subjects} trên địa bàn "
        f"tỉnh năm {n}, như sau:"
    )
    if data.reconstructed:
        para(
            "Lưu ý về dữ liệu: điểm của các đơn vị ghi “(dữ liệu dựng lại)” là dữ liệu dựng "
            "lại để tái hiện các số liệu đã công bố, không phải điểm thật của đơn vị nào.",
            italic=True,
        )

    # PHẦN MỘT ----------------------------------------------------------------------------
    b(Heading("PHẦN MỘT", 0))
    b(Heading(f"TỔNG QUAN VỀ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {n}", 0))
    b(Heading("I. MỤC ĐÍCH, YÊU CẦU", 1))
    b(Heading("1. Mục đích", 2))
    para(
        f"Xác định được Chỉ số cải cách hành chính năm {n} (gọi tắt là Chỉ số CCHC) của "
        f"{subjects} trên địa bàn tỉnh {place}. Thông qua đó, {shorts} nhận thấy rõ những kết "
        f"quả đạt được, những tồn tại, hạn chế để có giải pháp cải thiện, nâng cao chất lượng, "
        f"hiệu quả cải cách hành chính."
    )
    b(Heading("2. Yêu cầu", 2))
    para(
        f"Thực hiện đầy đủ nhiệm vụ thuộc trách nhiệm của {shorts}; tự đánh giá, chấm điểm và "
        f"thẩm định kết quả trên phần mềm Chấm điểm Chỉ số CCHC, bảo đảm trung thực, khách "
        f"quan, đúng quy định."
    )
    todo("các yêu cầu khác của Kế hoạch, thời gian công bố Chỉ số CCHC")

    b(Heading("II. PHẠM VI ĐIỀU CHỈNH, ĐỐI TƯỢNG ÁP DỤNG", 1))
    b(Heading("1. Phạm vi điều chỉnh", 2))
    para(
        f"Theo dõi, đánh giá kết quả thực hiện công tác cải cách hành chính năm {n} của "
        f"{shorts} trên địa bàn tỉnh."
    )
    b(Heading("2. Đối tượng áp dụng, đánh giá, xếp hạng Chỉ số CCHC", 2))
    for i, s in enumerate(sections):
        names = ", ".join(u.unit.name for u in vi_sorted(s.units, key=lambda u: u.unit.name))
        w = words[s.unit_type]
        para(f"{letter(i)}) {upper_first(w.subject)} ({count2(s.count)} {w.noun}): {names}.")

    b(Heading("III. NỘI DUNG XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", 1))
    for i, s in enumerate(sections, start=1):
        w = words[s.unit_type]
        rows = s.structure
        scored = [r for r in rows if not r.survey]
        criteria = sum(r.criteria for r in scored)
        subs = sum(r.sub_criteria for r in scored)
        total = sum((r.max for r in rows), Decimal(0))
        survey = sum((r.max for r in rows if r.survey), Decimal(0))
        b(Heading(f"{i}. Chỉ số CCHC {w.level}", 2))
        b(Heading(f"a) Bộ tiêu chí xác định Chỉ số CCHC {w.level}:", 3))
        para(
            f"Cấu trúc thành {len(rows)} lĩnh vực đánh giá, {criteria} tiêu chí và {subs} tiêu "
            f"chí thành phần. Cụ thể:"
        )
        b(
            Table(
                header=[
                    "TT",
                    "Lĩnh vực theo dõi, đánh giá",
                    "Số lượng tiêu chí",
                    "Tiêu chí thành phần",
                    "Điểm",
                ],
                rows=[
                    [
                        r.code,
                        r.title,
                        "" if r.survey else str(r.criteria),
                        "" if r.survey else str(r.sub_criteria),
                        number_vi(r.max),
                    ]
                    for r in rows
                ]
                + [["", "Tổng cộng", str(criteria), str(subs), number_vi(total)]],
                widths=[1.0, 9.3, 2.1, 2.1, 2.0],
                align=["center", "left", "center", "center", "center"],
                total=True,
                name=f"structure-{s.unit_type}",
            )
        )
        b(Heading("b) Thang điểm đánh giá:", 3))
        para(f"- Tổng điểm: {number_vi(total)} điểm.")
        para(f"- Điểm tự đánh giá/thẩm định: {number_vi(total - survey)} điểm.")
        if survey:
            para(f"- Điểm điều tra xã hội học (SIPAS): {number_vi(survey)} điểm.")
    i = len(sections) + 1
    b(Heading(f"{i}. Phương pháp đánh giá", 2))
    b(Heading("a) Tự đánh giá:", 3))
    para(
        "Cơ quan, đơn vị tự đánh giá và cho điểm kết quả thực hiện nhiệm vụ cải cách hành "
        "chính trong năm theo các tiêu chí, tiêu chí thành phần trên phần mềm Chấm điểm Chỉ "
        "số CCHC, đính kèm các tài liệu, văn bản có liên quan."
    )
    b(Heading("b) Thẩm định:", 3))
    para(
        "Hội đồng thẩm định Chỉ số CCHC tỉnh thẩm định theo lĩnh vực được giao, xem xét công "
        "nhận hoặc không công nhận điểm tự đánh giá của cơ quan, đơn vị; điểm thẩm định là kết "
        "quả dùng để xác định Chỉ số CCHC."
    )
    b(Heading("c) Điều tra xã hội học đo lường sự hài lòng (SIPAS):", 3))
    para(
        f"Các tiêu chí đánh giá qua điều tra xã hội học lấy ý kiến người dân, tổ chức, do "
        f"{agency_name} chủ trì thực hiện; điểm thể hiện tại lĩnh vực "
        + ", ".join(sorted({r.code for s in sections for r in s.structure if r.survey}))
        + " của bộ tiêu chí."
    )
    b(Heading(f"{i + 1}. Kết quả Chỉ số cải cách hành chính", 2))
    para("Chỉ số CCHC = [Điểm thẩm định] + [Điểm SIPAS].")
    para("Chỉ số thành phần từng lĩnh vực = [Điểm thẩm định] x 100% / [Điểm tối đa].")
    b(Heading(f"{i + 2}. Phân loại kết quả Chỉ số cải cách hành chính", 2))
    shown = []
    for s in sections:
        for group, text in _bands(bands.get(s.unit_type, [])):
            if (group, text) not in shown:
                shown.append((group, text))
                para(f"- Nhóm {group}: {text}.")

    b(Heading("IV. TÌNH HÌNH, KẾT QUẢ TRIỂN KHAI", 1))
    b(Heading("1. Tình hình triển khai", 2))
    todo("các văn bản triển khai xác định Chỉ số CCHC (số, ngày, trích yếu)")
    para("Thời gian thực hiện trên phần mềm Chấm điểm Chỉ số CCHC:")
    for label, first, last in (
        ("Tự đánh giá, chấm điểm", year.self_start, year.self_end),
        ("Thẩm định lần 1", year.round1_start, year.round1_end),
        ("Giải trình", year.explanation_start, year.explanation_end),
        ("Thẩm định lần 2", year.round2_start, year.round2_end),
    ):
        para(f"- {label}: từ ngày {_date(first)} đến ngày {_date(last)}.")
    b(Heading("2. Hội đồng thẩm định", 2))
    todo("quyết định thành lập, thành viên Hội đồng thẩm định và lĩnh vực mỗi cơ quan thẩm định")

    b(
        Heading(
            f"V. CHỈ SỐ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC ĐỐI VỚI SỰ PHỤC VỤ CỦA {shorts.upper()} "
            f"NĂM {n} (CHỈ SỐ SIPAS)",
            1,
        )
    )
    todo("căn cứ triển khai, cách thức khảo sát, số phiếu phát ra và thu về")
    for i, s in enumerate(sections, start=1):
        w = words[s.unit_type]
        codes = [r.code for r in s.structure if r.survey]
        area = next((a for a in s.areas if a.code in codes), None)
        b(Heading(f"{i}. Chỉ số hài lòng về sự phục vụ hành chính của {w.subject}", 2))
        if area is None:
            para("Bộ tiêu chí không có lĩnh vực đánh giá qua điều tra xã hội học.")
            continue
        text = f"Chỉ số hài lòng bình quân {w.level} năm {n} đạt {decimal_vi(area.index)}%"
        if area.previous is not None:
            way = "cao hơn" if area.change > 0 else "thấp hơn" if area.change < 0 else "bằng"
            text += f", {way} so với năm {s.previous_year} ({decimal_vi(area.previous)}%)"
        para(text + ":")
        # Each unit's SIPAS index as surveyed (89,99 % stays under 90), else the area's.
        indices = [
            u.sipas if u.sipas is not None else u.areas[area.code].index
            for u in s.units
            if area.code in u.areas
        ]
        over, middle, under = _by_band(indices, lambda value: value)
        for group, label in (
            (over, "từ 90% trở lên"),
            (middle, "từ 80% đến dưới 90%"),
            (under, "dưới 80%"),
        ):
            if group:
                para(f"- {count2(len(group))} {w.noun} có Chỉ số hài lòng {label}.")
            else:
                para(f"- Không có {w.noun} có Chỉ số hài lòng {label}.")
        todo(f"số {w.noun} có Chỉ số hài lòng tăng, giảm so với năm trước")

    # PHẦN HAI ----------------------------------------------------------------------------
    progress(20, "Đang vẽ biểu đồ")
    b(PageBreak())
    b(Heading("PHẦN HAI", 0))
    b(Heading(f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {n}", 0))
    for k, s in enumerate(sections, start=1):
        w = words[s.unit_type]
        b(Heading(f"{roman(k)}. KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA {w.heading} NĂM {n}", 1))
        b(Heading(f"1. Chỉ số CCHC {w.subject}", 2))
        present = [(g, c) for g, c in s.groups if c]
        band_text = dict(_bands(bands.get(s.unit_type, [])))
        para(
            f"Kết quả xác định Chỉ số CCHC {n} {w.short} được chia thành "
            f"{count2(len(present))} nhóm:"
        )
        for group, count in present:
            label = f" ({band_text[group]})" if group in band_text else ""
            para(f"- Nhóm {group}{label}: có {count2(count)} {w.noun}.")
        text = f"Bình quân Chỉ số CCHC {w.short} năm {n} đạt {decimal_vi(s.average)} điểm"
        if s.previous_average is not None:
            text += (
                f" (năm {s.previous_year}: {decimal_vi(s.previous_average)} điểm; "
                f"{signed(s.average_change)} điểm)"
            )
        para(text + ".")
        para(
            f"(Chi tiết tại Phụ lục {k} kèm theo Báo cáo)",
            italic=True,
            align="center",
            indent=False,
        )

        b(Heading(f"2. Chỉ số thành phần các lĩnh vực xác định Chỉ số CCHC {w.short}", 2))
        para(
            f"Chỉ số thành phần của các lĩnh vực thể hiện bình quân mức độ đạt điểm trên từng "
            f"lĩnh vực so với điểm chuẩn. Kết quả năm {n}:"
        )
        over, middle, under = _by_band(s.areas, lambda a: a.index)

        def listed(areas):
            return "; ".join(f"{lower_first(a.title)} ({decimal_vi(a.index)}%)" for a in areas)

        for j, (group, label) in enumerate(
            ((over, "từ 90% trở lên"), (middle, "từ 80% đến dưới 90%"), (under, "dưới 80%"))
        ):
            if group:
                para(f"{letter(j)}) {count2(len(group))} lĩnh vực đạt {label}: {listed(group)}.")
            else:
                para(f"{letter(j)}) Không có lĩnh vực đạt {label}.")
        compared = [a for a in s.areas if a.change is not None]
        if compared:
            rose = [a for a in compared if a.change > 0]
            same = [a for a in compared if a.change == 0]
            fell = [a for a in compared if a.change < 0]
            parts = []
            if rose:
                parts.append(
                    f"{count2(len(rose))} lĩnh vực tăng: "
                    + "; ".join(
                        f"{lower_first(a.title)} (tăng {decimal_vi(a.change)}%)" for a in rose
                    )
                )
            if same:
                parts.append(
                    f"{count2(len(same))} lĩnh vực không đổi: "
                    + "; ".join(f"{lower_first(a.title)} ({decimal_vi(a.index)}%)" for a in same)
                )
            if fell:
                parts.append(
                    f"{count2(len(fell))} lĩnh vực giảm: "
                    + "; ".join(
                        f"{lower_first(a.title)} (giảm {decimal_vi(-a.change)}%)" for a in fell
                    )
                )
            para(f"{letter(3)}) So với năm {s.previous_year}, có " + "; ".join(parts) + ".")
        todo(f"nhận định về các lĩnh vực tăng, giảm của {w.short}")
        previous = s.previous_year is not None and any(a.previous is not None for a in s.areas)
        header = [
            "TT",
            "Lĩnh vực theo dõi, đánh giá",
            "Điểm chuẩn",
            "Điểm đạt được",
            f"Đạt tỷ lệ {n} (%)",
        ]
        widths = [1.0, 6.3, 1.8, 1.8, 1.9]
        if previous:
            header += [f"Tỷ lệ năm {s.previous_year}", "Tăng(+)/ Giảm(-)"]
            widths += [1.8, 1.9]
        widths[1] += TEXT_WIDTH_CM - sum(widths)
        rows = []
        for a in s.areas:
            row = [a.code, a.title, number_vi(a.max), decimal_vi(a.points), decimal_vi(a.index)]
            if previous:
                row += [decimal_vi(a.previous), signed(a.change)]
            rows.append(row)
        b(
            Table(
                header=header,
                rows=rows,
                widths=widths,
                align=["center", "left"] + ["center"] * (len(header) - 2),
                name=f"areas-{s.unit_type}",
            )
        )
        b(
            Chart(
                png=area_chart(s, n, fmt="png"),
                caption=f"Biểu đồ: Chỉ số thành phần các lĩnh vực xác định Chỉ số CCHC {w.level}",
            )
        )
        progress(20 + 30 * k // len(sections), "Đang vẽ biểu đồ")

    # PHẦN BA -----------------------------------------------------------------------------
    b(PageBreak())
    b(Heading("PHẦN BA", 0))
    b(Heading("KẾT LUẬN", 0))
    b(Heading("I. NHẬN XÉT, ĐÁNH GIÁ CHUNG", 1))
    b(Heading("1. Kết quả đạt được", 2))
    todo("nhận xét kết quả đạt được, các mô hình, sáng kiến nổi bật của các cơ quan, đơn vị")
    b(Heading("2. Khó khăn, hạn chế", 2))
    para(
        "Theo kết quả thẩm định, các tiêu chí bị mất nhiều điểm nhất (tổng số điểm không đạt "
        "của các đơn vị) là:"
    )
    for s in sections:
        w = words[s.unit_type]
        losses = criteria_losses(s)[:TOP_LOSSES]
        if not losses:
            para(f"- {upper_first(w.short)}: không có tiêu chí bị mất điểm.")
            continue
        listed = "; ".join(
            f"tiêu chí {x.code} {lower_first(x.title)} (mất {decimal_vi(x.lost)} điểm, "
            f"{count2(len(x.units))}/{count2(s.count)} {w.noun})"
            for x in losses
        )
        para(f"- {upper_first(w.short)}: {listed}.")
    todo("nguyên nhân của những hạn chế, tồn tại")
    b(Heading("II. ĐỀ XUẤT, KIẾN NGHỊ", 1))
    para(
        f"Trên cơ sở kết quả xác định Chỉ số CCHC của {subjects} năm {n}, {agency_name} có một "
        f"số kiến nghị, đề xuất như sau:"
    )
    b(Heading("1. Với Ủy ban nhân dân tỉnh", 2))
    todo("kiến nghị với Ủy ban nhân dân tỉnh")
    b(Heading(f"2. Với {subjects}", 2))
    todo(f"kiến nghị với {subjects}")
    para(
        f"Trên đây là kết quả xác định Chỉ số cải cách hành chính {subjects} năm {n}, "
        f"{agency_name} tổng hợp, báo cáo./."
    )
    content.recipients = [
        "- Ủy ban nhân dân tỉnh;",
        *[f"- {upper_first(words[s.unit_type].subject)};" for s in sections],
        f"- Lưu: VT, {agency_code}.",
    ]
    numbers = ", ".join(str(k) for k in range(1, len(sections) + 1))
    content.attachments = f"* Kèm theo các phụ lục {numbers}: Chỉ số CCHC {shorts} năm {n}"

    # Phụ lục -----------------------------------------------------------------------------
    for k, s in enumerate(sections, start=1):
        w = words[s.unit_type]
        compared = any(u.change is not None for u in s.units)
        header = ["Xếp hạng", "Đơn vị", "Chỉ số CCHC", "Nhóm"]
        widths = [1.8, 9.2, 2.5, 1.5]
        if compared:
            header.append(f"Tăng(+)/ Giảm(-) so với {s.previous_year}")
            widths = [1.8, 7.7, 2.5, 1.5, 3.0]
        widths[1] += TEXT_WIDTH_CM - sum(widths)
        rows = []
        for u in s.units:
            row = [str(u.rank), u.unit.name, decimal_vi(u.total), u.group]
            if compared:
                row.append(signed(u.change))
            rows.append(row)
        content.appendices.append(
            [
                Para(f"Phụ lục {k}", bold=True, align="center", indent=False),
                Para(
                    f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA {w.heading} NĂM {n}",
                    bold=True,
                    align="center",
                    indent=False,
                ),
                Para(
                    f"(Kèm theo Báo cáo số      /BC-{agency_code} ngày      tháng      năm "
                    f"{today.year} của {agency_name})",
                    italic=True,
                    align="center",
                    indent=False,
                ),
                Table(
                    header=header,
                    rows=rows,
                    widths=widths,
                    align=["center", "left", "center", "center", "center"][: len(header)],
                    name=f"ranking-{s.unit_type}",
                ),
                Para(
                    f"Bình quân: {decimal_vi(s.average)} điểm; "
                    + "; ".join(f"nhóm {g}: {count2(c)} {w.noun}" for g, c in s.groups if c)
                    + ".",
                    italic=True,
                    indent=False,
                ),
            ]
        )
    return content


# Word -----------------------------------------------------------------------------------


def build_docx(year, *, progress=_no_progress) -> bytes:
    content = report_content(year, progress=progress)
    progress(60, "Đang tạo tệp Word")
    data = render_docx(content)
    progress(100, "Xong")
    return data


def render_docx(content: Content) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    aligns = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }
    doc = Document()
    props = doc.core_properties
    props.title = f"{content.title} {content.subtitle}"
    props.author = content.agency_name
    props.language = "vi-VN"

    def font(style_or_run_font, size=None):
        style_or_run_font.name = FONT
        if size:
            style_or_run_font.size = Pt(size)

    normal = doc.styles["Normal"]
    font(normal.font, BODY_PT)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    _page_number(section.header.paragraphs[0])
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def paragraph(
        container,
        text="",
        *,
        bold=False,
        italic=False,
        align="justify",
        indent=False,
        size=None,
        after=None,
        before=None,
    ):
        p = container.add_paragraph()
        p.alignment = aligns[align]
        if indent:
            p.paragraph_format.first_line_indent = Cm(1.27)
        if after is not None:
            p.paragraph_format.space_after = Pt(after)
        if before is not None:
            p.paragraph_format.space_before = Pt(before)
        if text:
            run = p.add_run(text)
            run.bold, run.italic = bold, italic
            if size:
                run.font.size = Pt(size)
        return p

    def rule(cell, indent_cm):
        """A short line under a heading (NĐ 30's line under the agency and the motto)."""
        p = paragraph(cell, align="center", after=0, size=2)
        p.paragraph_format.left_indent = Cm(indent_cm)
        p.paragraph_format.right_indent = Cm(indent_cm)
        p.paragraph_format.line_spacing = Pt(2)
        pbdr = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
            bottom.set(qn(k), v)
        pbdr.append(bottom)
        p._p.get_or_add_pPr().append(pbdr)

    def widths(table, cms):
        # LibreOffice reads the grid's columns, Word the cells': set both.
        table.autofit = False
        for column, cm in zip(table.columns, cms, strict=True):
            column.width = Cm(cm)
        for row in table.rows:
            for cell, cm in zip(row.cells, cms, strict=True):
                cell.width = Cm(cm)

    # National motto header -------------------------------------------------------------
    head = doc.add_table(rows=2, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(head, [6.0, 10.5])
    left, right = head.cell(0, 0), head.cell(0, 1)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = left.paragraphs[0].add_run(content.parent_agency)
    run.font.size = Pt(13)
    paragraph(left, content.agency, bold=True, align="center", size=13, after=0)
    rule(left, 2.0)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.bold, run.font.size = True, Pt(13)
    paragraph(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align="center", size=14, after=0)
    rule(right, 2.3)
    for p in (left.paragraphs[0], right.paragraphs[0]):
        p.paragraph_format.space_after = Pt(0)
    number, date = head.cell(1, 0).paragraphs[0], head.cell(1, 1).paragraphs[0]
    number.alignment, date.alignment = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_before = date.paragraph_format.space_before = Pt(6)
    number.add_run(content.number_line).font.size = Pt(13)
    run = date.add_run(content.date_line)
    run.italic, run.font.size = True, Pt(14)

    paragraph(doc, content.title, bold=True, align="center", before=18, after=0)
    paragraph(doc, content.subtitle, bold=True, align="center", after=2)
    rule(doc, 6.0)

    def table(t: Table):
        grid = doc.add_table(rows=1 + len(t.rows), cols=len(t.header))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths(grid, t.widths)
        # Rows and their cells walked once: python-docx's table.cell() and rows[i] rebuild
        # the whole table's list on each call (quadratic in an appendix of 1,000 units).
        rows = list(grid.rows)
        tr_pr = rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for r, (row, values) in enumerate(zip(rows, [t.header, *t.rows], strict=True)):
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            bold = r == 0 or (t.total and r == len(t.rows))
            for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                p = cell.paragraphs[0]
                p.alignment = aligns["center" if r == 0 else t.align[c]]
                p.paragraph_format.space_after = Pt(2)
                p.paragraph_format.space_before = Pt(2)
                p.paragraph_format.line_spacing = 1.0
                run = p.add_run(value)
                run.bold = bold
                run.font.size = Pt(TABLE_PT)
        paragraph(doc, after=0)

    def blocks(items):
        for block in items:
            if block.kind == "heading":
                if block.level == 0:
                    p = paragraph(doc, block.text, bold=True, align="center", before=12)
                else:
                    p = paragraph(
                        doc,
                        block.text,
                        bold=block.level < 3,
                        italic=block.level == 3,
                        indent=True,
                        before=6,
                    )
                p.paragraph_format.keep_with_next = True
            elif block.kind == "para":
                paragraph(
                    doc,
                    block.text,
                    bold=block.bold,
                    italic=block.italic,
                    align=block.align,
                    indent=block.indent,
                )
            elif block.kind == "table":
                table(block)
            elif block.kind == "chart":
                p = paragraph(doc, align="center", after=0)
                p.add_run().add_picture(io.BytesIO(block.png), width=Cm(16))
                paragraph(doc, block.caption, italic=True, align="center", size=13)
            elif block.kind == "pagebreak":
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    blocks(content.blocks)

    # Signature block --------------------------------------------------------------------
    sign = doc.add_table(rows=1, cols=2)
    widths(sign, [8.0, 8.5])
    left, right = sign.cell(0, 0), sign.cell(0, 1)
    p = left.paragraphs[0]
    run = p.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in content.recipients:
        paragraph(left, line, align="left", size=11, after=0)
    paragraph(left, content.attachments, italic=True, align="left", size=11, before=6)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = right.paragraphs[0].add_run(content.signer)
    run.bold, run.font.size = True, Pt(14)
    for _ in range(4):
        paragraph(right, align="center")

    for appendix in content.appendices:
        new = doc.add_section(WD_SECTION.NEW_PAGE)
        new.different_first_page_header_footer = False
        doc.paragraphs[-1].paragraph_format.space_after = Pt(0)
        blocks(appendix)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_number(paragraph) -> None:
    """The PAGE field (Word and LibreOffice fill it in)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    run.font.size = Pt(13)


# PDF ------------------------------------------------------------------------------------


def render_html(content: Content) -> str:
    return render_to_string("par/report_pdf.html", {"c": content})


def render_pdf(content: Content) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(content)).write_pdf()


def build_pdf(year, *, progress=_no_progress) -> bytes:
    content = report_content(year, progress=progress)
    progress(60, "Đang tạo tệp PDF")
    data = render_pdf(content)
    progress(100, "Xong")
    return data
