"""Uploads checked by their content: one check for every place that takes a file.

The extension alone proves nothing (a renamed .exe passes an extension check), so
the bytes must agree with the name: the first bytes, and for Office Open XML and
OpenDocument the archive's contents. A caller names the extensions it takes and
its size limit; the answer is the file's kind and SHA-256, or a ValidationError
with a Vietnamese message and a ``code`` naming what was wrong.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

import filetype
from django.core.exceptions import ValidationError

PDF_MAGIC = b"%PDF-"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # legacy .doc / .xls compound files
ZIP_MAGIC = b"PK\x03\x04"
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
HEAD_BYTES = 8192

# extension -> (label in messages, the content kinds it may hold)
EXTENSIONS: dict[str, tuple[str, frozenset[str]]] = {
    "pdf": ("PDF", frozenset({"pdf"})),
    "doc": ("Word", frozenset({"ole"})),
    "docx": ("Word", frozenset({"docx"})),
    "xls": ("Excel", frozenset({"ole"})),
    "xlsx": ("Excel", frozenset({"xlsx"})),
    "odt": ("OpenDocument văn bản", frozenset({"odt"})),
    "ods": ("OpenDocument bảng tính", frozenset({"ods"})),
    "jpg": ("ảnh JPG", frozenset({"jpg"})),
    "jpeg": ("ảnh JPG", frozenset({"jpg"})),
    "png": ("ảnh PNG", frozenset({"png"})),
    "yaml": ("YAML", frozenset({"text"})),
    "yml": ("YAML", frozenset({"text"})),
    "txt": ("văn bản", frozenset({"text"})),
    "csv": ("CSV", frozenset({"text"})),
}
# The old binary format of an Office Open XML extension, when only the new one is taken.
_LEGACY = {"xlsx": ("Excel", "xls"), "docx": ("Word", "doc")}

_BAD_NAME = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class CheckedUpload:
    ext: str  # the extension, lower case, without the dot
    kind: str  # what the bytes are: "pdf", "ole", "docx", "xlsx", "png", "text", ...
    size: int
    sha256: str


def _zip_kind(file: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
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
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte letter cut by the end of the head is still text
        return exc.start >= len(head) - 3 and len(head) == HEAD_BYTES
    return True


def detect_kind(file: BinaryIO) -> str | None:
    """What the bytes are, or None: 'pdf', 'ole', 'docx', 'xlsx', 'odt', 'ods',
    'macro' (Office file with macros), 'jpg', 'png', 'executable', 'text'."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if head.startswith(EXECUTABLE_MAGIC):
        return "executable"
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        kind = _zip_kind(file)
        file.seek(0)
        return kind
    guessed = filetype.guess(head)
    if guessed is not None:
        if guessed.extension in {"jpg", "png"}:
            return guessed.extension
        if guessed.extension in {"exe", "elf", "dmg"}:
            return "executable"
        return None
    return "text" if _is_text(head) else None


def _sha256(file: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    file.seek(0)
    while chunk := file.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def _either(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " hoặc " + items[-1]


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def check_name(name: str, *, allowed: Collection[str], label: str = "") -> str:
    """The extension of a safe file name among ``allowed``; else ValidationError."""
    if _BAD_NAME.search(name) or "\\" in name or ".." in PurePosixPath(name).parts:
        raise ValidationError(
            "Tên tệp không hợp lệ (có ký tự điều khiển hoặc đường dẫn thư mục). "
            "Vui lòng đổi tên tệp rồi tải lên lại.",
            code="upload_name",
        )
    ext = PurePosixPath(name).suffix.lower().lstrip(".")
    if ext not in allowed:
        listed = [f".{e}" for e in allowed]
        if label:
            message = f"Chỉ nhận tệp {label} ({', '.join(listed)})."
        else:
            message = f"Chỉ nhận tệp {_either(listed)}."
        raise ValidationError(message, code="upload_type")
    return ext


def _mismatch(ext: str, kind: str | None, allowed: Collection[str]) -> ValidationError:
    label = EXTENSIONS[ext][0]
    if kind == "executable":
        return ValidationError(
            f"Tệp là một chương trình (.exe) đổi đuôi, không phải tệp {label}",
            code="upload_executable",
        )
    if kind == "macro":
        return ValidationError(
            "Tệp có chứa macro nên không được tải lên. Vui lòng lưu lại thành tệp "
            "không có macro (.docx, .xlsx).",
            code="upload_macro",
        )
    if kind == "ole" and ext in _LEGACY and _LEGACY[ext][1] not in allowed:
        program, old = _LEGACY[ext]
        return ValidationError(
            f"Tệp {program} 97–2003 (.{old}) không được hỗ trợ; hãy mở bằng {program} "
            f"và lưu lại dưới dạng .{ext}",
            code="upload_legacy",
        )
    if kind == "text":
        return ValidationError(
            f"Tệp là văn bản thường đổi đuôi, không phải tệp {label} (.{ext})",
            code="upload_content",
        )
    return ValidationError(
        f"Nội dung tệp không phải là tệp {label} hợp lệ (tệp có thể đã bị đổi tên "
        "phần mở rộng). Vui lòng tải lên tệp gốc.",
        code="upload_content",
    )


def check_size(size: int, *, max_bytes: int) -> None:
    if size == 0:
        raise ValidationError("Tệp trống", code="upload_empty")
    if size > max_bytes:
        raise ValidationError(
            f"Tệp quá lớn ({_mb(size)} MB). Dung lượng tối đa cho phép là "
            f"{max_bytes // (1024 * 1024)} MB.",
            code="upload_size",
        )


def check_upload(
    file: BinaryIO,
    *,
    name: str,
    allowed: Collection[str],
    max_bytes: int,
    label: str = "",
) -> CheckedUpload:
    """Check a file against the extensions a caller takes (e.g. {"pdf", "docx"}).

    ``label`` names them in the message for a wrong extension ("PDF, Word hoặc
    Excel"); without it the extensions are listed. Raises ValidationError.
    """
    ext = check_name(name or "", allowed=allowed, label=label)
    size = getattr(file, "size", None)
    if size is not None:  # an oversized upload is refused before it is read through
        check_size(size, max_bytes=max_bytes)
    sha256, size = _sha256(file)
    check_size(size, max_bytes=max_bytes)
    kind = detect_kind(file)
    if kind not in EXTENSIONS[ext][1]:
        raise _mismatch(ext, kind, allowed)
    return CheckedUpload(ext=ext, kind=kind, size=size, sha256=sha256)


def check_bytes(
    content: bytes, *, name: str, allowed: Collection[str], max_bytes: int, label: str = ""
) -> CheckedUpload:
    """check_upload for content already read (an import command, a stored upload)."""
    return check_upload(
        io.BytesIO(content), name=name, allowed=allowed, max_bytes=max_bytes, label=label
    )
