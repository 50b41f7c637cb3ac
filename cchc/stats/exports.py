"""CSV and Excel files from the dashboard and the criterion 1.4 evidence."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment

from cchc.lib import charts
from cchc.lib.links import page_public_url
from cchc.lib.workbooks import (
    BOLD,
    DATE,
    NUMBER,
    TITLE,
    Column,
    append,
    csv_bytes,
    heading,
    print_setup,
    put,
    table,
    to_bytes,
)
from cchc.stats.selectors import Dashboard, Evidence

DIRECT = "Truy cập trực tiếp / không rõ"


def scope_title(dashboard: Dashboard) -> str:
    if dashboard.scope.is_province:
        return f"Toàn {dashboard.scope.unit.name_in_sentence} (tất cả chuyên mục CCHC)"
    return dashboard.scope.unit.name


def dashboard_csv(dashboard: Dashboard) -> bytes:
    """Views and visits per day."""
    return csv_bytes(
        [
            ["Phạm vi", scope_title(dashboard)],
            ["Ngày", "Lượt xem", "Lượt truy cập"],
            *(
                [day.strftime("%d/%m/%Y"), views, visitors]
                for day, views, visitors in dashboard.days
            ),
            ["Tổng", dashboard.views, dashboard.visitors],
        ]
    )


def _columns(first: str, *others: str, width: float = 48) -> list[Column]:
    return [Column(first, width), *(Column(label) for label in others)]


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    book = Workbook()
    days = table(
        book,
        "Theo ngày",
        [Column("Ngày", 14, DATE), Column("Lượt xem"), Column("Lượt truy cập")],
        dashboard.days,
        first=True,
        above=f"Thống kê truy cập – {scope_title(dashboard)}",
    )
    total = append(days, ["Tổng", dashboard.views, dashboard.visitors])
    for cell in days[total]:
        cell.font = BOLD
        if isinstance(cell.value, int):
            cell.number_format = NUMBER
    table(
        book,
        "Tin bài xem nhiều",
        _columns("Tin bài", "Lượt xem", "Lượt truy cập"),
        [(r.label, r.views, r.visitors) for r in dashboard.top_articles],
    )
    table(
        book,
        "Nguồn truy cập",
        _columns("Nguồn (tên miền)", "Lượt truy cập"),
        [(host or DIRECT, visits) for host, visits in dashboard.referrers],
    )
    table(
        book,
        "Thiết bị",
        _columns("Thiết bị", "Lượt truy cập"),
        [(label, visits) for _, label, visits in dashboard.devices],
    )
    if dashboard.scope.is_province:
        table(
            book,
            "Xếp hạng đơn vị",
            _columns(
                "Đơn vị",
                "Tin bài CCHC đăng",
                "Hạng theo tin bài",
                "Lượt truy cập",
                "Lượt xem",
                "Hạng theo lượt truy cập",
            ),
            [
                (r.unit.name, r.articles, r.rank_articles, r.visitors, r.views, r.rank_readership)
                for r in dashboard.ranking
            ],
        )
    return to_bytes(book)


def evidence_xlsx(evidence: Evidence) -> bytes:
    """The unit's section, its articles and its visits per month, for criterion 1.4.

    Links are the site's public addresses (``BASE_URL``, see ``cchc.lib.links``), since
    the appraisers open them from the file.
    """
    section_url = page_public_url(evidence.section) if evidence.section else ""
    book = Workbook()
    summary = book.active
    summary.title = "Tiêu chí 1.4"
    heading(summary, 1, f"TÀI LIỆU KIỂM CHỨNG TIÊU CHÍ 1.4 – NĂM {evidence.year}", font=TITLE)
    facts = [
        ("Đơn vị", evidence.unit.name),
        ("Chuyên mục Cải cách hành chính", section_url or "Chưa có chuyên mục"),
        ("Số tin bài CCHC đăng trong năm", len(evidence.articles)),
        ("Tổng lượt truy cập trong năm", sum(m[2] for m in evidence.months)),
        ("Tổng lượt xem trong năm", sum(m[1] for m in evidence.months)),
        ("Ngày lập", timezone.localdate()),
    ]
    for row, (label, value) in enumerate(facts, start=2):
        put(summary, row, 1, label).font = BOLD
        cell = put(summary, row, 2, value)
        if isinstance(value, int):
            cell.number_format = NUMBER
            cell.alignment = Alignment(horizontal="left")
    summary["B7"].number_format = DATE
    summary.column_dimensions["A"].width = 36
    summary.column_dimensions["B"].width = 60
    print_setup(summary, header_row=1, landscape=False)

    table(
        book,
        "Tin bài",
        [
            Column("STT", 6),
            Column("Tiêu đề", 60),
            Column("Ngày đăng", 14, DATE),
            Column("Chủ đề", 30),
            Column("Địa chỉ", 50),
            Column("Lượt xem"),
            Column("Lượt truy cập"),
        ],
        [
            (
                i,
                page.title,
                timezone.localtime(page.first_published_at).date(),
                page.get_topic_display(),
                page_public_url(page),
                views,
                visitors,
            )
            for i, (page, views, visitors) in enumerate(evidence.articles, start=1)
        ],
    )

    months = table(
        book,
        "Truy cập theo tháng",
        [Column("Tháng", 12), Column("Lượt xem"), Column("Lượt truy cập")],
        [(f"{m:02d}/{evidence.year}", v, u) for m, v, u in evidence.months],
    )
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
    return to_bytes(book)
