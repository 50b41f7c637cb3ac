"""File downloads: one response for every export view.

The file name is offered twice (RFC 6266): ``filename*`` in UTF-8, so a browser saves
"Thống kê xã An Phú.xlsx" with its accents, and a plain ASCII ``filename`` ("Thong ke
xa An Phu.xlsx") for the few clients that ignore ``filename*``. Characters that could
break the header or a path (quotes, slashes, control characters) never reach it.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
YAML = "application/yaml; charset=utf-8"

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def safe_filename(name: str) -> str:
    """The name without characters a header or a file system would misread."""
    name = _UNSAFE.sub("-", unicodedata.normalize("NFC", name)).strip(" .-")
    return name or "tep"


def ascii_filename(name: str) -> str:
    """Vietnamese letters without their marks (đ → d); anything else non-ASCII dropped."""
    name = name.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return safe_filename(plain)


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    name = safe_filename(filename)
    kind = "attachment" if attachment else "inline"
    fallback = ascii_filename(name)
    if fallback == name:
        return f'{kind}; filename="{name}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(
    content: bytes | str, *, filename: str, content_type: str, attachment: bool = True
) -> HttpResponse:
    """The file as a download; back-office exports are the user's, never a shared cache's."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, attachment=attachment)
    response["Cache-Control"] = "private, no-store"
    return response
