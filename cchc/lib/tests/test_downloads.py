"""File downloads: one response with a Vietnamese-safe file name."""

from urllib.parse import unquote

import pytest

from cchc.lib.downloads import XLSX, content_disposition, file_response


def test_an_ascii_name_is_offered_as_is():
    assert content_disposition("thong-ke-xa-an-phu.csv") == (
        'attachment; filename="thong-ke-xa-an-phu.csv"'
    )


def test_a_vietnamese_name_is_offered_in_utf8_with_an_unaccented_fallback():
    header = content_disposition("Thống kê Đặc khu Phú Quốc.xlsx")
    fallback, encoded = header.split("; filename*=UTF-8''")
    assert fallback == 'attachment; filename="Thong ke Dac khu Phu Quoc.xlsx"'
    assert unquote(encoded) == "Thống kê Đặc khu Phú Quốc.xlsx"


@pytest.mark.parametrize(
    "name", ['a"b.xlsx', "a\r\nSet-Cookie: x.xlsx", "../../etc/passwd", "a;b\\c.xlsx"]
)
def test_characters_that_break_the_header_or_a_path_never_reach_it(name):
    header = content_disposition(name)
    value = header.split('filename="', 1)[1].rsplit('"', 1)[0]
    assert not set(value) & set('"\r\n/\\;')
    assert "\n" not in header and "\r" not in header


def test_the_response_is_a_private_download():
    response = file_response(b"x", filename="Báo cáo.xlsx", content_type=XLSX)
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="Bao cao.xlsx"')
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b"x"
