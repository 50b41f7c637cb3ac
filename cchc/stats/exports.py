"""CSV and Excel files from the dashboard and the criterion 1.4 evidence."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cchc.lib import charts
from cchc.stats.selectors import Dashboard, Evidence

DATE = "DD/MM/YYYY"
NUMBER = "#,##0"  # shown with the reader's separators: 1.234 in a Vietnamese Excel
BOLD = Font(bold=True)
DIRECT = "Truy cập trực tiếp / không rõ"


def scope_title(dashboard: Dashboard) -> str:
    if dashboard.scope.is_province:
        return "Toàn tỉnh An Giang (tất cả chuyên mục CCHC)"
    return dashboard.scope.unit.name


def dashboard_csv(dashboard: Dashboard) -> bytes:
    """Views and visits per day; UTF-8 with a BOM so Excel reads the accents."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Phạm vi", scope_title(dashboard)])
    writer.writerow(["Ngày", "Lượt xem", "Lượt truy cập"])
    for day, views, visitors in dashboard.days:
        writer.writerow([day.strftime("%d/%m/%Y"), views, visitors])
    writer.writerow(["Tổng", dashboard.views, dashboard.visitors])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet(wb: Workbook, title: str, header: list[str], rows, *, first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(header)
    for cell in ws[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(list(row))
    for column in range(1, len(header) + 1):
        letter = get_column_letter(column)
        ws.column_dimensions[letter].width = 14 if column > 1 else 48
        for cell in ws[letter][1:]:
            if isinstance(cell.value, int):
                cell.number_format = NUMBER
    ws.freeze_panes = "A2"
    return ws


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    wb = Workbook()
    ws = _sheet(
        wb,
        "Theo ngày",
        ["Ngày", "Lượt xem", "Lượt truy cập"],
        [(d, v, u) for d, v, u in dashboard.days],
        first=True,
    )
    ws.column_dimensions["A"].width = 14
    for cell in ws["A"][1:]:
        cell.number_format = DATE
    ws.append(["Tổng", dashboard.views, dashboard.visitors])
    ws.insert_rows(1)
    ws["A1"] = f"Thống kê truy cập – {scope_title(dashboard)}"
    ws["A1"].font = BOLD
    ws.freeze_panes = "A3"
    _sheet(
        wb,
        "Tin bài xem nhiều",
        ["Tin bài", "Lượt xem", "Lượt truy cập"],
        [(r.label, r.views, r.visitors) for r in dashboard.top_articles],
    )
    _sheet(
        wb,
        "Nguồn truy cập",
        ["Nguồn (tên miền)", "Lượt truy cập"],
        [(host or DIRECT, visits) for host, visits in dashboard.referrers],
    )
    _sheet(
        wb,
        "Thiết bị",
        ["Thiết bị", "Lượt truy cập"],
        [(label, visits) for _, label, visits in dashboard.devices],
    )
    if dashboard.scope.is_province:
        _sheet(
            wb,
            "Xếp hạng đơn vị",
            [
                "Đơn vị",
                "Tin bài CCHC đăng",
                "Hạng theo tin bài",
                "Lượt truy cập",
                "Lượt xem",
                "Hạng theo lượt truy cập",
            ],
            [
                (r.unit.name, r.articles, r.rank_articles, r.visitors, r.views, r.rank_readership)
                for r in dashboard.ranking
            ],
        )
    return _save(wb)


def evidence_xlsx(evidence: Evidence, *, section_url: str) -> bytes:
    """The unit's section, its articles and its visits per month, for criterion 1.4."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tiêu chí 1.4"
    ws.append([f"TÀI LIỆU KIỂM CHỨNG TIÊU CHÍ 1.4 – NĂM {evidence.year}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["Đơn vị", evidence.unit.name])
    ws.append(["Chuyên mục Cải cách hành chính", section_url or "Chưa có chuyên mục"])
    ws.append(["Số tin bài CCHC đăng trong năm", len(evidence.articles)])
    ws.append(["Tổng lượt truy cập trong năm", sum(m[2] for m in evidence.months)])
    ws.append(["Tổng lượt xem trong năm", sum(m[1] for m in evidence.months)])
    ws.append(["Ngày lập", timezone.localdate()])
    ws["B7"].number_format = DATE
    for row in ws.iter_rows(min_row=2, max_row=7, max_col=1):
        row[0].font = BOLD
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 60
    for cell in ws["B"][3:6]:
        cell.number_format = NUMBER
        cell.alignment = Alignment(horizontal="left")

    articles = _sheet(
        wb,
        "Tin bài",
        ["STT", "Tiêu đề", "Ngày đăng", "Chủ đề", "Địa chỉ", "Lượt xem", "Lượt truy cập"],
        [
            (
                i,
                page.title,
                timezone.localtime(page.first_published_at).date(),
                page.get_topic_display(),
                page.get_full_url() or "",
                views,
                visitors,
            )
            for i, (page, views, visitors) in enumerate(evidence.articles, start=1)
        ],
    )
    articles.column_dimensions["A"].width = 6
    articles.column_dimensions["B"].width = 60
    articles.column_dimensions["D"].width = 30
    articles.column_dimensions["E"].width = 50
    for cell in articles["C"][1:]:
        cell.number_format = DATE

    months = _sheet(
        wb,
        "Truy cập theo tháng",
        ["Tháng", "Lượt xem", "Lượt truy cập"],
        [(f"{m:02d}/{evidence.year}", v, u) for m, v, u in evidence.months],
    )
    months.column_dimensions["A"].width = 12
    png = charts.bar_chart(
        labels=[f"T{m}" for m, _, _ in evidence.months],
        series=[
            ("Lượt truy cập", [u for _, _, u in evidence.months]),
            ("Lượt xem", [v for _, v, _ in evidence.months]),
        ],
        title=f"Truy cập chuyên mục CCHC năm {evidence.year}",
        fmt="png",
        size=(7.0, 3.0),
    )
    image = Image(io.BytesIO(png))
    image.width, image.height = 700, 300
    months.add_image(image, "E2")
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
