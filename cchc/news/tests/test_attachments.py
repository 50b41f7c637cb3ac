"""Attachments: real PDF, Word and Excel files only, of bounded size; nothing stored otherwise."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model

from cchc.lib.tests.test_uploads import EXE, PDF, ooxml
from cchc.news.attachments import validate_attachment
from cchc.news.models import Newsroom

Document = get_document_model()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    "name, content",
    [
        ("bao-cao.pdf", PDF),
        ("ke-hoach.docx", ooxml("word")),
        ("so-lieu.xlsx", ooxml("xl")),
        ("cu.doc", bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 100),
    ],
)
def test_real_office_and_pdf_files_are_accepted(name, content):
    assert validate_attachment(upload(name, content)) == name.rsplit(".", 1)[1]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("chuong-trinh.exe", EXE, "Chỉ nhận tệp PDF, Word hoặc Excel"),
        ("bao-cao.pdf", EXE, "Tệp là một chương trình (.exe) đổi đuôi, không phải tệp PDF"),
        ("ke-hoach.docx", PDF, "không phải là tệp Word hợp lệ"),
        ("so-lieu.xlsx", ooxml("word"), "không phải là tệp Excel hợp lệ"),
        ("macro.docx", ooxml("word", macro=True), "có chứa macro"),
        ("anh.png", b"\x89PNG\r\n\x1a\n", "Chỉ nhận tệp PDF, Word hoặc Excel"),
    ],
)
def test_wrong_or_disguised_files_are_rejected_with_a_vietnamese_message(name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload(name, content))
    assert message in error.value.messages[0]


def test_an_oversized_file_is_rejected(settings):
    settings.CCHC_ATTACHMENT_MAX_MB = 1
    big = upload("lon.pdf", PDF + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as error:
        validate_attachment(big)
    assert "Tệp quá lớn (1,0 MB). Dung lượng tối đa cho phép là 1 MB." == error.value.messages[0]


def stored_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "documents"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def collection_of(unit) -> int:
    return Newsroom.objects.get(unit=unit).collection_id


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content",
    [("virus.exe", EXE), ("virus.pdf", EXE), ("gia-mao.xlsx", PDF)],
)
def test_the_back_office_upload_rejects_and_stores_nothing(cast, client_as, name, content):
    client = client_as(cast.editor_a)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Tệp",
            "file": upload(name, content),
            "collection": collection_of(cast.unit_a),
        },
    )
    assert response.status_code == 200
    assert any(m in response.text for m in ("PDF, Word hoặc Excel", "hợp lệ", "đổi đuôi"))
    assert Document.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_the_multiple_uploader_rejects_a_renamed_executable(cast, client_as):
    client = client_as(cast.editor_a)
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": upload("virus.pdf", EXE), "collection": collection_of(cast.unit_a)},
    )
    assert response.json()["success"] is False
    assert Document.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_the_back_office_upload_oversized_file_stores_nothing(cast, client_as, settings):
    settings.CCHC_ATTACHMENT_MAX_MB = 1
    client = client_as(cast.editor_a)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Tệp lớn",
            "file": upload("lon.pdf", PDF + b"0" * (1024 * 1024 + 1)),
            "collection": collection_of(cast.unit_a),
        },
    )
    assert "Tệp quá lớn" in response.text
    assert Document.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_an_editor_uploads_a_real_pdf_into_the_units_collection(cast, client_as):
    client = client_as(cast.editor_a)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Kế hoạch",
            "file": upload("ke-hoach.pdf", PDF),
            "collection": collection_of(cast.unit_a),
        },
    )
    assert response.status_code == 302
    assert Document.objects.get().collection_id == collection_of(cast.unit_a)


@pytest.mark.django_db
def test_an_editor_cannot_upload_into_another_units_collection(cast, client_as):
    client = client_as(cast.editor_b)
    client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Kế hoạch",
            "file": upload("ke-hoach.pdf", PDF),
            "collection": collection_of(cast.unit_a),
        },
    )
    assert not Document.objects.filter(collection_id=collection_of(cast.unit_a)).exists()


@pytest.mark.django_db
def test_an_article_lists_its_attachments(cast, publish, client):
    document = Document.objects.create(
        title="Kế hoạch số 150",
        file=upload("ke-hoach.pdf", PDF),
        collection_id=collection_of(cast.unit_a),
    )
    article = publish(cast.unit_a, "Tin có tệp", documents=[document])
    html = client.get(article.url).text
    assert "Tệp đính kèm" in html
    assert "Kế hoạch số 150" in html
    assert document.url in html
