"""An article's address comes from its title and never blocks submission."""

from __future__ import annotations

import io

import pytest
from wagtail.models import WorkflowState

from cchc.lib.text import SLUG_MAX_LENGTH, slug_for
from cchc.news import demo
from cchc.news.demo import ARTICLES
from cchc.news.models import ArticlePage
from cchc.news.services import article_create

from .conftest import add_url, article_form, topic_of

TITLE = "Hội nghị đối thoại cải cách hành chính 2026"
SLUG = "hoi-nghi-doi-thoai-cai-cach-hanh-chinh-2026"


def test_a_vietnamese_title_is_transliterated_with_d_for_dj():
    assert slug_for(TITLE) == SLUG
    assert slug_for("Đề án 06 – Đồng Tháp") == "de-an-06-dong-thap"


def test_a_long_title_is_cut_at_a_word_boundary():
    title = ARTICLES[0][3]
    slug = slug_for(title)
    assert len(slug) <= SLUG_MAX_LENGTH
    assert slug_for(title, max_length=1000).startswith(slug + "-")


@pytest.mark.django_db
def test_demo_slugs_end_on_a_whole_word(cast):
    demo.load(io.StringIO())
    articles = ArticlePage.objects.all()
    assert articles
    for title, slug in articles.values_list("title", "slug"):
        full = slug_for(title, max_length=1000)
        assert len(slug) <= SLUG_MAX_LENGTH
        assert slug == full or full.startswith(slug + "-"), slug


def submit(client, unit, title, **extra):
    return client.post(
        add_url(topic_of(unit)), article_form(title, **extra, **{"action-submit": "1"})
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        "",  # the editor never opened the "Quảng bá" tab
        "Hội nghị đối thoại cải cách hành chính 2026",  # typed there in Vietnamese
        "hội-nghị-đối-thoại-cải-cách-hành-chính-2026",  # what the editor's script sends
    ],
)
def test_an_editor_submits_without_a_slug_or_with_a_vietnamese_one(cast, client_as, typed):
    response = submit(client_as(cast.editor_a), cast.unit_a, TITLE, slug=typed)
    assert response.status_code == 302, response.context["form"].errors.as_json()
    article = ArticlePage.objects.get(title=TITLE)
    assert article.slug == SLUG
    assert WorkflowState.objects.get(object_id=str(article.pk)).status == "in_progress"


@pytest.mark.django_db
def test_a_second_article_with_the_same_title_gets_its_own_address(cast, client_as):
    client = client_as(cast.editor_a)
    assert submit(client, cast.unit_a, TITLE, slug="").status_code == 302
    assert submit(client, cast.unit_a, TITLE, slug="").status_code == 302
    assert submit(client, cast.unit_a, TITLE, slug=SLUG).status_code == 302
    slugs = sorted(ArticlePage.objects.filter(title=TITLE).values_list("slug", flat=True))
    assert slugs == [SLUG, f"{SLUG}-2", f"{SLUG}-3"]


@pytest.mark.django_db
def test_the_editor_keeps_vietnamese_letters_in_the_slug_box(cast, client_as):
    """The browser's script must not delete the letters it cannot write in
    ASCII ("hi-ngh-i-thoi"): it keeps them and the server transliterates."""
    response = client_as(cast.editor_a).get(add_url(topic_of(cast.unit_a)))
    slug_input = response.context["form"]["slug"]
    attrs = slug_input.field.widget.attrs
    assert attrs["data-w-slug-allow-unicode-value"] is True
    assert not slug_input.field.required
    assert "Để trống" in slug_input.help_text
    title_html = str(response.content.decode())
    assert 'data-w-sync-target-value="#id_slug"' in title_html


@pytest.mark.django_db
def test_an_article_written_in_code_gets_the_same_address(cast):
    article = article_create(
        actor=None,
        topic_page=topic_of(cast.unit_a),
        title="Đẩy mạnh chuyển đổi số",
        summary="Tóm tắt.",
        body="<p>Nội dung.</p>",
    )
    assert article.slug == "day-manh-chuyen-doi-so"
