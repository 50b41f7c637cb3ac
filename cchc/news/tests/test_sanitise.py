"""Article bodies cannot carry scripts, frames or event handlers, however they got in."""

import pytest
from wagtail.rich_text.rewriters import FIND_EMBED_TAG, extract_attrs

from cchc.lib.text import clean_rendered_html, clean_stored_html

HOSTILE = (
    '<p onclick="steal()">Xin chào<script>alert(1)</script></p>'
    '<iframe src="https://evil.example/"></iframe>'
    '<a href="javascript:alert(2)">bấm</a>'
    '<img src="x" onerror="alert(3)">'
    '<embed embedtype="media" url="https://evil.example/x"/>'
    '<object data="x.swf"></object><style>body{}</style>'
    '<form action="/x"><input name="a"></form>'
)


@pytest.mark.parametrize("clean", [clean_stored_html, clean_rendered_html])
def test_scripts_frames_and_handlers_are_removed(clean):
    html = clean(HOSTILE)
    for bad in (
        "<script",
        "alert(1)",
        "<iframe",
        "onclick",
        "onerror",
        "javascript:",
        "<object",
        "<style",
        "<form",
        "<input",
        'embedtype="media"',
    ):
        assert bad not in html, bad
    assert "Xin chào" in html


def test_wagtail_references_survive_storage_cleaning():
    html = (
        '<p><a linktype="page" id="3">trang</a></p>'
        '<embed embedtype="image" id="7" format="left" alt="Ảnh"/>'
    )
    cleaned = clean_stored_html(html)
    assert 'linktype="page"' in cleaned
    # In the self-closing form Wagtail's expansion looks for, or the image
    # silently vanishes from the page.
    embed = FIND_EMBED_TAG.search(cleaned)
    assert embed is not None
    assert extract_attrs(embed.group(1)) == {
        "embedtype": "image",
        "id": "7",
        "format": "left",
        "alt": "Ảnh",
    }


def test_handlers_and_scripts_cannot_hide_in_wagtail_references():
    html = clean_stored_html(
        '<p><a linktype="page" id="3" onclick="x()">trang</a></p>'
        '<embed embedtype="image" id="7" format="left" alt="&quot; onerror=&quot;x()" '
        'onload="y()"/><embed embedtype="image" id="7" format="&lt;script&gt;"/>'
    )
    assert "onclick" not in html
    assert "onload" not in html
    assert 'onerror="' not in html
    assert "<script" not in html
    assert html.count("<embed") == 1


@pytest.mark.django_db
def test_an_inline_image_appears_on_the_public_page(cast, publish, client):
    from .test_rich_text_input import make_image

    picture = make_image(cast.unit_a)
    article = publish(
        cast.unit_a,
        "Tin có ảnh",
        body=f'<p>Mở đầu.</p><embed embedtype="image" id="{picture.pk}" format="left" '
        'alt="Quang cảnh hội nghị"/><p>Kết.</p>',
    )
    html = client.get(article.url).text
    assert f'src="{picture.get_rendition("width-500").url}"' in html
    assert 'alt="Quang cảnh hội nghị"' in html


@pytest.mark.django_db
def test_a_hostile_body_is_cleaned_on_save_and_on_display(cast, publish, client):
    article = publish(cast.unit_a, "Tin có mã độc", body=HOSTILE)
    assert "<script" not in article.body
    # Written straight to the database, bypassing save(): display still cleans it.
    type(article).objects.filter(pk=article.pk).update(body=HOSTILE)
    html = client.get(article.url).text
    assert "alert(1)" not in html
    assert "<iframe" not in html
    assert 'onclick="steal()"' not in html
    assert "javascript:alert" not in html
