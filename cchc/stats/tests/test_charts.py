"""cchc/lib/charts.py: one drawing, SVG for pages and PNG for documents."""

from cchc.lib import charts

LABELS = [f"{d:02d}/03" for d in range(1, 11)]
SERIES = [("Lượt xem", [1200 * d for d in range(10)]), ("Lượt truy cập", [500] * 10)]


def test_svg_is_inline_ready_with_vietnamese_text_and_dot_thousands():
    svg = charts.line_chart(labels=LABELS, series=SERIES, title="Truy cập tháng 3")
    assert svg.startswith("<svg")
    assert "Lượt truy cập" in svg and "Truy cập tháng 3" in svg
    assert "10.000" in svg  # y axis in Vietnamese format


def test_the_same_data_gives_the_same_svg():
    assert charts.bar_chart(labels=LABELS, series=SERIES) == charts.bar_chart(
        labels=LABELS, series=SERIES
    )


def test_png_bytes_for_reports():
    png = charts.bar_chart(labels=LABELS, series=SERIES, fmt="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 5000
