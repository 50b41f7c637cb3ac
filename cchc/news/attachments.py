"""Attachments: only real PDF, Word and Excel files, of a bounded size.

The extensions come from ``WAGTAILDOCS_EXTENSIONS``, the limit from
``CCHC_ATTACHMENT_MAX_MB``; the check itself is the shared one (cchc.lib.uploads).
"""

from __future__ import annotations

from django.conf import settings

from cchc.lib.uploads import check_upload

OFFICE_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "ods")
LABEL = "PDF, Word hoặc Excel"
DEFAULT_MAX_MB = 20


def allowed_extensions() -> list[str]:
    configured = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or list(OFFICE_EXTENSIONS)
    return [ext for ext in configured if ext in OFFICE_EXTENSIONS]


def max_bytes() -> int:
    return int(getattr(settings, "CCHC_ATTACHMENT_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def validate_attachment(upload) -> str:
    """The file's extension; ValidationError with a Vietnamese message unless acceptable."""
    checked = check_upload(
        upload, name=upload.name, allowed=allowed_extensions(), max_bytes=max_bytes(), label=LABEL
    )
    return checked.ext
