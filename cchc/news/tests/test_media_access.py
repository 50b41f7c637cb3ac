"""Images and documents stay with their unit until a live page makes them public.

A unit's files live in its newsroom's collection. A document downloads for
everyone once a live article uses it; before that only the unit's editors and
approvers, the news administrators and superusers get it (others 404). Every
back-office screen, chooser and admin API answer offers a user only the files
of the units they work for, and the article form refuses another unit's file
by id.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset

from cchc.news.models import ArticleAttachment, ArticlePage, Newsroom
from cchc.news.services import article_create

from .conftest import add_url, article_form, topic_of

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Unit A's roles and the appraiser: none of them works on unit B's files.
OTHERS = ["officer_a", "unit_leader_a", "editor_a", "approver_a", "appraiser"]


def _collection(unit):
    return Newsroom.objects.get(unit=unit).collection


def make_document(unit, title):
    document = Document(title=title, collection=_collection(unit))
    document.file.save(f"{title}.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def make_image(unit, title):
    return Image.objects.create(
        title=title, collection=_collection(unit), file=get_test_image_file(f"{title}.png")
    )


@pytest.fixture
def files(cast):
    return {
        "doc_a": make_document(cast.unit_a, "ke-hoach-a"),
        "doc_b": make_document(cast.unit_b, "ke-hoach-b"),
        "img_a": make_image(cast.unit_a, "anh-a"),
        "img_b": make_image(cast.unit_b, "anh-b"),
    }


def draft_with(unit, document, actor=None):
    return article_create(
        actor=actor,
        topic_page=topic_of(unit),
        title="Bản nháp có tệp đính kèm",
        summary="Tóm tắt.",
        body="<p>Nội dung.</p>",
        documents=[document],
    )


# Downloads ---------------------------------------------------------------------


def test_a_draft_attachment_is_not_downloadable_by_the_public_or_another_unit(
    cast, files, client, client_as
):
    draft_with(cast.unit_b, files["doc_b"])
    url = files["doc_b"].url

    assert client.get(url).status_code == 404
    assert client_as(cast.editor_a).get(url).status_code == 404
    assert client_as(cast.officer_b).get(url).status_code == 404
    for user in (cast.editor_b, cast.admin):
        response = client_as(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF


def test_an_attachment_becomes_public_when_its_article_is_published(cast, files, client):
    article = draft_with(cast.unit_b, files["doc_b"])
    assert client.get(files["doc_b"].url).status_code == 404

    article.get_latest_revision().publish()

    assert client.get(files["doc_b"].url).status_code == 200


def test_a_document_linked_from_a_live_body_is_public_and_an_unused_one_is_not(
    cast, files, client, publish
):
    doc = files["doc_b"]
    publish(
        cast.unit_b,
        "Tin có liên kết tệp",
        body=f'<p><a linktype="document" id="{doc.pk}">Kế hoạch</a></p>',
    )

    assert client.get(doc.url).status_code == 200
    assert client.get(files["doc_a"].url).status_code == 404


def test_an_unpublished_article_no_longer_makes_its_attachment_public(cast, files, client):
    article = draft_with(cast.unit_b, files["doc_b"])
    article.get_latest_revision().publish()
    assert client.get(files["doc_b"].url).status_code == 200

    ArticlePage.objects.get(pk=article.pk).unpublish()

    assert client.get(files["doc_b"].url).status_code == 404


# The admin API ---------------------------------------------------------------


def _titles(response) -> set[str]:
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


@pytest.mark.parametrize("endpoint", ["documents", "images"])
def test_the_admin_api_lists_only_the_users_own_units_files(cast, files, client_as, endpoint):
    url = reverse(f"wagtailadmin_api:{endpoint}:listing")
    own, other = ("ke-hoach-a", "ke-hoach-b") if endpoint == "documents" else ("anh-a", "anh-b")

    assert _titles(client_as(cast.editor_a).get(url)) == {own}
    assert _titles(client_as(cast.admin).get(url)) == {own, other}
    for name in ("officer_a", "appraiser", "leader"):
        assert _titles(client_as(getattr(cast, name)).get(url)) == set()


@pytest.mark.parametrize("endpoint", ["documents", "images"])
def test_the_admin_api_listing_does_not_grow_with_the_number_of_files(
    cast, files, client_as, endpoint
):
    client = client_as(cast.editor_a)
    url = reverse(f"wagtailadmin_api:{endpoint}:listing")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for index in range(5):
        make_document(cast.unit_a, f"them-{index}")
        make_image(cast.unit_a, f"them-{index}")
    client.get(url)  # thumbnails are made on the first listing
    with CaptureQueriesContext(connection) as many:
        assert len(_titles(client.get(url))) == 6
    assert len(many) == len(few)


@pytest.mark.parametrize("name", OTHERS)
@pytest.mark.parametrize("endpoint, key", [("documents", "doc_b"), ("images", "img_b")])
def test_another_units_file_is_not_found_in_the_admin_api(
    cast, files, client_as, name, endpoint, key
):
    url = reverse(f"wagtailadmin_api:{endpoint}:detail", args=[files[key].pk])
    assert client_as(getattr(cast, name)).get(url).status_code == 404


@pytest.mark.parametrize("endpoint, key", [("documents", "doc_b"), ("images", "img_b")])
def test_the_admin_api_shows_a_file_to_its_unit_and_refuses_the_read_only_role(
    cast, files, client_as, endpoint, key
):
    url = reverse(f"wagtailadmin_api:{endpoint}:detail", args=[files[key].pk])
    assert client_as(cast.editor_b).get(url).status_code == 200
    assert client_as(cast.leader).get(url).status_code == 403


# Choosers and the image and document screens ------------------------------------


def _file_urls(files) -> dict[str, str]:
    image, document = files["img_b"].pk, files["doc_b"].pk
    return {
        "select_format": reverse("wagtailimages_chooser:select_format", args=[image]),
        "image_chosen": reverse("wagtailimages_chooser:chosen", args=[image]),
        "image_edit": reverse("wagtailimages:edit", args=[image]),
        "image_delete": reverse("wagtailimages:delete", args=[image]),
        "image_usage": reverse("wagtailimages:image_usage", args=[image]),
        "document_chosen": reverse("wagtaildocs_chooser:chosen", args=[document]),
        "document_edit": reverse("wagtaildocs:edit", args=[document]),
        "document_delete": reverse("wagtaildocs:delete", args=[document]),
        "document_usage": reverse("wagtaildocs:document_usage", args=[document]),
    }


@pytest.mark.parametrize("name", OTHERS)
def test_another_units_file_is_not_found_on_any_back_office_screen(cast, files, client_as, name):
    client = client_as(getattr(cast, name))
    answers = {view: client.get(url).status_code for view, url in _file_urls(files).items()}
    assert answers == dict.fromkeys(answers, 404)


def test_the_read_only_role_is_refused_and_the_unit_is_served(cast, files, client_as):
    urls = _file_urls(files)
    leader = {view: client_as(cast.leader).get(url).status_code for view, url in urls.items()}
    assert leader == dict.fromkeys(leader, 403)
    client = client_as(cast.editor_b)
    for view in ("select_format", "image_chosen", "image_edit", "document_chosen", "document_edit"):
        assert client.get(urls[view]).status_code == 200, view


@pytest.mark.parametrize(
    "listing",
    [
        "wagtailimages_chooser:choose",
        "wagtailimages_chooser:choose_results",
        "wagtaildocs_chooser:choose",
        "wagtaildocs_chooser:choose_results",
        "wagtailimages:index",
        "wagtaildocs:index",
    ],
)
def test_choosers_and_indexes_list_only_the_users_own_units_files(cast, files, client_as, listing):
    client = client_as(cast.editor_a)
    for query in ("", "?q=ke-hoach", "?q=anh"):
        response = client.get(reverse(listing) + query)
        assert response.status_code == 200
        content = response.content.decode()
        assert "ke-hoach-b" not in content and "anh-b" not in content


# The article form --------------------------------------------------------------


def _post_article(client, unit, **extra):
    before = (
        ArticlePage.objects.count(),
        ArticleAttachment.objects.count(),
        Revision.objects.count(),
    )
    response = client.post(
        add_url(topic_of(unit)), article_form("Tin có tệp của đơn vị khác", **extra)
    )
    after = (
        ArticlePage.objects.count(),
        ArticleAttachment.objects.count(),
        Revision.objects.count(),
    )
    return response, before, after


def test_another_units_document_is_refused_as_an_attachment(cast, files, client_as):
    response, before, after = _post_article(
        client_as(cast.editor_a),
        cast.unit_a,
        attachments=inline_formset([{"document": files["doc_b"].pk, "title": ""}]),
    )
    assert response.status_code == 200
    assert "Tệp này thuộc thư mục tệp của đơn vị khác" in response.content.decode()
    assert after == before


def test_another_units_image_is_refused_as_lead_image(cast, files, client_as):
    response, before, after = _post_article(
        client_as(cast.editor_a), cast.unit_a, lead_image=files["img_b"].pk
    )
    assert response.status_code == 200
    assert "Ảnh này thuộc thư mục ảnh của đơn vị khác" in response.content.decode()
    assert after == before


def test_another_units_files_are_refused_in_the_body(cast, files, client_as):
    image, document = files["img_b"].pk, files["doc_b"].pk
    body = (
        f'<p><a linktype="document" id="{document}">Kế hoạch</a></p>'
        f'<embed embedtype="image" format="fullwidth" id="{image}" alt="Ảnh"/>'
    )
    response, before, after = _post_article(client_as(cast.editor_a), cast.unit_a, body=body)
    assert response.status_code == 200
    content = response.content.decode()
    assert f"Nội dung có ảnh hoặc tệp của đơn vị khác (mã ảnh {image}, tệp {document})" in content
    assert after == before


def test_the_units_own_files_are_accepted(cast, files, client_as):
    image, document = files["img_a"].pk, files["doc_a"].pk
    response, before, after = _post_article(
        client_as(cast.editor_a),
        cast.unit_a,
        lead_image=image,
        attachments=inline_formset([{"document": document, "title": ""}]),
        body=(
            f'<p><a linktype="document" id="{document}">Kế hoạch</a></p>'
            f'<embed embedtype="image" format="fullwidth" id="{image}" alt="Ảnh"/>'
        ),
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(title="Tin có tệp của đơn vị khác")
    assert article.lead_image_id == image
    assert list(article.attachments.values_list("document_id", flat=True)) == [document]


def _edit(client, article, title, **extra):
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    return client.post(url, article_form(title, slug=article.slug, **extra))


def test_a_file_already_on_the_article_stays_when_the_unit_edits_it(cast, files, client_as):
    # The news administrator may use any unit's file; the unit's editor keeps it.
    article = draft_with(cast.unit_a, files["doc_b"], actor=cast.admin)
    attachment = article.attachments.get()
    response = _edit(
        client_as(cast.editor_a),
        article,
        "Tin đã có tệp của đơn vị khác",
        attachments=inline_formset(
            [{"id": attachment.pk, "document": files["doc_b"].pk, "title": ""}], initial=1
        ),
    )
    assert response.status_code == 302
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert latest.title == "Tin đã có tệp của đơn vị khác"
    assert [a.document_id for a in latest.attachments.all()] == [files["doc_b"].pk]


def test_another_units_image_is_refused_when_editing(cast, files, client_as):
    article = draft_with(cast.unit_a, files["doc_a"])
    attachment = article.attachments.get()
    revisions = Revision.objects.count()
    response = _edit(
        client_as(cast.editor_a),
        article,
        "Thêm ảnh của đơn vị khác",
        lead_image=files["img_b"].pk,
        attachments=inline_formset(
            [{"id": attachment.pk, "document": files["doc_a"].pk, "title": ""}], initial=1
        ),
    )
    assert response.status_code == 200
    assert "Ảnh này thuộc thư mục ảnh của đơn vị khác" in response.content.decode()
    assert Revision.objects.count() == revisions
    assert ArticlePage.objects.get(pk=article.pk).lead_image_id is None
