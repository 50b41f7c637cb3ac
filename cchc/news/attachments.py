"""Attachment checks: only real PDF, Word and Excel files, of a bounded size.

The extension alone proves nothing (a renamed .exe passes Wagtail's own
extension check), so the first bytes and, for Office Open XML and OpenDocument,
the archive's contents must agree with the extension.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

PDF_MAGIC = b"%PDF-"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # legacy .doc / .xls compound files
ZIP_MAGIC = b"PK\x03\x04"

KIND_LABELS = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "odt": "OpenDocument văn bản",
    "ods": "OpenDocument bảng tính",
}
DEFAULT_MAX_MB = 20


def allowed_extensions() -> list[str]:
    configured = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or list(KIND_LABELS)
    return [ext for ext in configured if ext in KIND_LABELS]


def max_bytes() -> int:
    return int(getattr(settings, "CCHC_ATTACHMENT_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def _zip_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if mimetype == b"application/vnd.oasis.opendocument.text":
                    return "odt"
                if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
                    return "ods"
                return None
            if "[Content_Types].xml" not in names:
                return None
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return "macro"
            if any(name.startswith("word/") for name in names):
                return "docx"
            if any(name.startswith("xl/") for name in names):
                return "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def detect_kind(upload) -> str | None:
    """'pdf', 'ole', 'docx', 'xlsx', 'odt', 'ods', 'macro' or None, from content."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        kind = _zip_kind(upload)
        upload.seek(0)
        return kind
    return None


def _matches(ext: str, kind: str | None) -> bool:
    if kind == "ole":
        return ext in {"doc", "xls"}
    return kind == ext


def validate_attachment(upload) -> str:
    """Raise ValidationError with a Vietnamese message unless the file is acceptable."""
    allowed = allowed_extensions()
    ext = Path(upload.name or "").suffix.lower().lstrip(".")
    if ext not in allowed:
        raise ValidationError(
            "Chỉ nhận tệp PDF, Word hoặc Excel (%(list)s).",
            code="attachment_type",
            params={"list": ", ".join(f".{e}" for e in allowed)},
        )
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            "Tệp quá lớn (%(size)s MB). Dung lượng tối đa cho phép là %(limit)s MB.",
            code="attachment_size",
            params={
                "size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
                "limit": limit // (1024 * 1024),
            },
        )
    kind = detect_kind(upload)
    if kind == "macro":
        raise ValidationError(
            "Tệp có chứa macro nên không được tải lên. Vui lòng lưu lại thành tệp "
            "không có macro (.docx, .xlsx).",
            code="attachment_macro",
        )
    if not _matches(ext, kind):
        raise ValidationError(
            "Nội dung tệp không phải là tệp %(label)s hợp lệ (tệp có thể đã bị đổi tên "
            "phần mở rộng). Vui lòng tải lên tệp gốc.",
            code="attachment_content",
            params={"label": KIND_LABELS[ext]},
        )
    return ext
