"""Uploads are checked by their bytes: one check for attachments, imports and evidence."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.lib.uploads import check_bytes, check_upload

MB = 1024 * 1024
OFFICE = ("pdf", "doc", "docx", "xls", "xlsx")
EVIDENCE = ("pdf", "docx", "xlsx", "jpg", "png")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
OLE = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20


def ooxml(folder: str, macro: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<x/>")
        if macro:
            archive.writestr(f"{folder}/vbaProject.bin", b"\x00")
    return buffer.getvalue()


def refused(name, content, allowed=OFFICE, max_bytes=MB, label="") -> ValidationError:
    with pytest.raises(ValidationError) as error:
        check_upload(
            SimpleUploadedFile(name, content),
            name=name,
            allowed=allowed,
            max_bytes=max_bytes,
            label=label,
        )
    return error.value


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("bao-cao.pdf", PDF, "pdf"),
        ("Kế hoạch.DOCX", ooxml("word"), "docx"),
        ("so-lieu.xlsx", ooxml("xl"), "xlsx"),
        ("cu.doc", OLE, "ole"),
        ("anh-chup.jpg", JPG, "jpg"),
        ("anh.png", PNG, "png"),
    ],
)
def test_real_files_are_accepted_with_their_kind_and_hash(name, content, kind):
    checked = check_upload(
        SimpleUploadedFile(name, content), name=name, allowed=(*OFFICE, *EVIDENCE), max_bytes=MB
    )
    assert (checked.ext, checked.kind) == (name.rsplit(".", 1)[1].lower(), kind)
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_a_yaml_text_is_accepted_as_text():
    checked = check_bytes(
        "areas: []\n# Lĩnh vực".encode(), name="bo.yaml", allowed=("yaml",), max_bytes=MB
    )
    assert checked.kind == "text"


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("virus.exe", EXE, "upload_type", "Chỉ nhận tệp .pdf, .doc, .docx, .xls hoặc .xlsx."),
        (
            "bao-cao.pdf",
            EXE,
            "upload_executable",
            "Tệp là một chương trình (.exe) đổi đuôi, không phải tệp PDF",
        ),
        ("rong.pdf", b"", "upload_empty", "Tệp trống"),
        (
            "../../etc/bao-cao.pdf",
            PDF,
            "upload_name",
            "Tên tệp không hợp lệ (có ký tự điều khiển hoặc đường dẫn thư mục). "
            "Vui lòng đổi tên tệp rồi tải lên lại.",
        ),
        ("bao\x00cao.pdf", PDF, "upload_name", "Tên tệp không hợp lệ"),
        ("bao-cao\n.pdf", PDF, "upload_name", "Tên tệp không hợp lệ"),
        (
            "ke-hoach.docx",
            PDF,
            "upload_content",
            "Nội dung tệp không phải là tệp Word hợp lệ (tệp có thể đã bị đổi tên phần "
            "mở rộng). Vui lòng tải lên tệp gốc.",
        ),
        ("so-lieu.xlsx", ooxml("word"), "upload_content", "không phải là tệp Excel hợp lệ"),
        ("bang.xlsx", b"STT;Tieu chi\n1;a\n", "upload_content", "Tệp là văn bản thường đổi đuôi"),
        ("macro.docx", ooxml("word", macro=True), "upload_macro", "có chứa macro"),
    ],
)
def test_a_bad_file_is_refused_with_a_vietnamese_message(name, content, code, message):
    error = refused(name, content)
    assert error.code == code
    assert message in error.messages[0]


def test_the_callers_label_names_what_is_taken():
    error = refused("anh.gif", b"GIF89a", label="PDF, Word hoặc Excel")
    assert error.messages == ["Chỉ nhận tệp PDF, Word hoặc Excel (.pdf, .doc, .docx, .xls, .xlsx)."]


def test_an_old_office_file_is_refused_where_only_the_new_format_is_taken():
    error = refused("so-lieu.xlsx", OLE, allowed=("xlsx",))
    assert error.messages == [
        "Tệp Excel 97–2003 (.xls) không được hỗ trợ; hãy mở bằng Excel và lưu lại dưới dạng .xlsx"
    ]


def test_an_oversized_file_is_refused_before_it_is_read():
    class Unread(io.BytesIO):
        size = MB + 1

        def read(self, *args):
            raise AssertionError("read")

    with pytest.raises(ValidationError) as error:
        check_upload(Unread(), name="lon.pdf", allowed=OFFICE, max_bytes=MB)
    assert error.value.messages == ["Tệp quá lớn (1,0 MB). Dung lượng tối đa cho phép là 1 MB."]


def test_a_text_file_is_not_taken_for_an_image():
    assert refused("anh.png", b"hello", allowed=EVIDENCE).code == "upload_content"
