"""Crafted rich text is refused on save, and nothing stored can break a page.

The editor (Draftail) posts its content as contentstate JSON; these tests post
what a hand-crafted request could send instead of what the widget would.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cchc.news.models import ArticlePage, Newsroom, SectionPage

from .conftest import add_url, article_form, topic_of

pytestmark = pytest.mark.django_db

BAD_ID = '1" onmouseover="x"'


def contentstate(*blocks) -> str:
    """Draftail's JSON: each block is (text, entity or None); entities in order."""
    entity_map, json_blocks = {}, []
    for number, (text, entity) in enumerate(blocks):
        ranges = []
        if entity is not None:
            key = str(len(entity_map))
            entity_map[key] = {"mutability": "MUTABLE", **entity}
            ranges = [{"offset": 0, "length": len(text), "key": int(key)}]
        json_blocks.append(
            {
                "key": f"b{number:04d}",
                "type": "atomic" if entity and entity["type"] == "IMAGE" else "unstyled",
                "depth": 0,
                "text": text,
                "inlineStyleRanges": [],
                "entityRanges": ranges,
                "data": {},
            }
        )
    return json.dumps({"blocks": json_blocks, "entityMap": entity_map})


def page_link(page_id) -> dict:
    return {"type": "LINK", "data": {"id": page_id, "url": "/", "parentId": None}}


def document_link(document_id) -> dict:
    return {"type": "DOCUMENT", "data": {"id": document_id, "url": "/tai-lieu/1/x.pdf"}}


def image(image_id, image_format="left") -> dict:
    return {
        "type": "IMAGE",
        "data": {"id": image_id, "format": image_format, "alt": "Ảnh hội nghị"},
    }


def make_image(unit):
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), (161, 22, 27)).save(buffer, format="PNG")
    picture = get_image_model()(
        title="Ảnh hội nghị", collection_id=Newsroom.objects.get(unit=unit).collection_id
    )
    picture.file = ImageFile(buffer, name="hoi-nghi.png")
    picture.save()
    return picture


def make_document(unit):
    return get_document_model().objects.create(
        title="Kế hoạch số 150",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="ke-hoach.pdf"),
        collection_id=Newsroom.objects.get(unit=unit).collection_id,
    )


def post_article(client, unit, title, body_json):
    data = article_form(title, **{"action-submit": "1"})
    data["body"] = body_json
    return client.post(add_url(topic_of(unit)), data)


def body_errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["form"].errors.get("body", []))


@pytest.mark.parametrize(
    "body, message",
    [
        (contentstate(("trang", page_link(BAD_ID))), "Liên kết tới trang"),
        (contentstate(("trang", page_link(987654))), "Liên kết tới trang"),
        (contentstate(("tệp", document_link(BAD_ID))), "Liên kết tới tệp"),
        (contentstate(("tệp", document_link(987654))), "Liên kết tới tệp"),
        (contentstate((" ", image(987654))), "Ảnh"),
        (contentstate((" ", image(BAD_ID))), "Ảnh"),
        ("{không phải JSON", "Không đọc được nội dung"),
        ('{"blocks": "x"}', "Không đọc được nội dung"),
        ("[]", "Không đọc được nội dung"),
    ],
)
def test_crafted_rich_text_is_refused_with_a_vietnamese_error(cast, client_as, body, message):
    response = post_article(client_as(cast.editor_a), cast.unit_a, "Tin thử nội dung", body)
    assert message in body_errors(response)
    assert not ArticlePage.objects.filter(title="Tin thử nội dung").exists()


def test_an_image_with_an_unknown_format_is_refused(cast, client_as):
    picture = make_image(cast.unit_a)
    body = contentstate((" ", image(picture.pk, "evil")))
    response = post_article(client_as(cast.editor_a), cast.unit_a, "Tin ảnh lạ", body)
    assert "Ảnh" in body_errors(response)
    assert not ArticlePage.objects.filter(title="Tin ảnh lạ").exists()


def test_real_links_and_images_are_accepted_and_shown(cast, client_as, client, publish):
    target = publish(cast.unit_a, "Tin được dẫn tới")
    picture = make_image(cast.unit_a)
    document = make_document(cast.unit_a)
    body = contentstate(
        ("xem tin trước", page_link(target.pk)),
        ("tải kế hoạch", document_link(document.pk)),
        (" ", image(picture.pk)),
    )
    response = post_article(client_as(cast.editor_a), cast.unit_a, "Tin đủ loại", body)
    assert response.status_code == 302, body_errors(response)
    article = ArticlePage.objects.get(title="Tin đủ loại")
    article.get_latest_revision().publish()

    client.logout()
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.text
    assert f'href="{target.url}"' in html
    assert document.url in html
    rendition = picture.get_rendition("width-500")
    assert f'src="{rendition.url}"' in html
    assert 'alt="Ảnh hội nghị"' in html


# What is already in the database, however it got there, never breaks a page.

BROKEN_BODIES = [
    f'<p><a linktype="page" id="{BAD_ID.replace(chr(34), "&quot;")}">trang hỏng</a></p>',
    '<p><a linktype="document" id="abc">tệp hỏng</a></p>',
    '<p><a linktype="page">trang không mã</a></p>',
    '<p><a linktype="page" id="99999999999999999999999">trang số lớn</a></p>',
    '<p><a linktype="mystery" id="1">loại lạ</a></p>',
    '<p>trước</p><embed embedtype="image" id="1" format="evil"/><p>sau</p>',
    '<p>trước</p><embed embedtype="image" id="x" format="left"/><p>sau</p>',
    '<p>trước</p><embed embedtype="image" format="left"/><p>sau</p>',
]


@pytest.mark.parametrize("body", BROKEN_BODIES)
def test_a_broken_stored_body_still_renders_as_plain_text(cast, publish, client, client_as, body):
    article = publish(cast.unit_a, "Tin có nội dung hỏng")
    ArticlePage.objects.filter(pk=article.pk).update(body=body)
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "onmouseover" not in html
    assert "<embed" not in html
    edit = client_as(cast.editor_a).get(f"/quan-tri/pages/{article.pk}/edit/")
    assert edit.status_code == 200


def test_a_broken_link_shows_its_text_without_a_link(cast, publish, client):
    article = publish(cast.unit_a, "Tin có liên kết hỏng")
    ArticlePage.objects.filter(pk=article.pk).update(body=BROKEN_BODIES[0])
    html = client.get(article.url).content.decode()
    assert "<p>trang hỏng</p>" in html


def test_a_crafted_body_saved_in_code_is_made_harmless(cast, publish, client):
    article = publish(cast.unit_a, "Tin ghi từ mã", body=BROKEN_BODIES[0] + BROKEN_BODIES[5])
    assert "onmouseover" not in article.body
    assert "<embed" not in article.body
    assert client.get(article.url).status_code == 200


def test_the_section_intro_is_sanitised_like_an_article_body(cast, client):
    section = SectionPage.objects.get(unit=cast.unit_a)
    SectionPage.objects.filter(pk=section.pk).update(
        intro='<p onclick="steal()">Giới thiệu<script>alert(1)</script> '
        f'<a linktype="page" id="{BAD_ID.replace(chr(34), "&quot;")}">xem</a></p>'
    )
    response = client.get(section.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Giới thiệu" in html
    assert "alert(1)" not in html
    assert "steal()" not in html
    assert "onmouseover" not in html


def test_a_crafted_section_intro_is_refused_on_save(cast, client_as):
    section = SectionPage.objects.get(unit=cast.unit_a)
    client = client_as(cast.admin)
    form = client.get(f"/quan-tri/pages/{section.pk}/edit/").context["form"]
    data = {
        "title": section.title,
        "intro": contentstate(("xem", page_link(BAD_ID))),
        "search_description": section.search_description,
    }
    data.update({k: v for k, v in form.initial.items() if k.endswith("-TOTAL_FORMS")})
    response = client.post(f"/quan-tri/pages/{section.pk}/edit/", data)
    assert response.status_code == 200
    assert "Liên kết tới trang" in " ".join(response.context["form"].errors.get("intro", []))
    section.refresh_from_db()
    assert "onmouseover" not in section.intro
