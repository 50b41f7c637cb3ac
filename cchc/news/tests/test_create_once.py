"""A double click on "submit" creates the article once."""

import hashlib

import pytest
from django.core.cache import cache

from cchc.news.models import ArticlePage

from .conftest import add_url, article_form, topic_of

pytestmark = pytest.mark.django_db

TITLE = "Xã An Phú tiếp nhận hồ sơ trực tuyến"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_same_form_sent_twice_creates_one_article_and_opens_it(cast, client_as):
    client = client_as(cast.editor_a)
    data = article_form(TITLE, **{"action-submit": "1"})
    first = client.post(add_url(topic_of(cast.unit_a)), data)
    assert first.status_code == 302
    second = client.post(add_url(topic_of(cast.unit_a)), data, follow=True)
    article = ArticlePage.objects.get(title=TITLE)
    assert second.redirect_chain[0][0].endswith(f"/pages/{article.pk}/edit/")
    assert "vừa được tạo" in second.content.decode()


def test_a_second_request_in_flight_is_not_saved_twice(cast, client_as):
    client = client_as(cast.editor_a)
    topic = topic_of(cast.unit_a)
    # the first request holds the claim and has not saved yet
    digest = hashlib.sha256(TITLE.encode()).hexdigest()[:32]
    cache.add(f"cchc:news:create:{cast.editor_a.pk}:{topic.pk}:{digest}", 1, timeout=5)
    response = client.post(add_url(topic), article_form(TITLE, **{"action-submit": "1"}))
    assert response.status_code == 302
    assert not ArticlePage.objects.filter(title=TITLE).exists()


def test_another_editor_or_another_title_is_not_a_duplicate(cast, client_as):
    topic = topic_of(cast.unit_a)
    client_as(cast.editor_a).post(add_url(topic), article_form(TITLE, **{"action-submit": "1"}))
    client_as(cast.approver_a).post(add_url(topic), article_form(TITLE, **{"action-submit": "1"}))
    client_as(cast.editor_a).post(
        add_url(topic), article_form(TITLE + " (tiếp)", **{"action-submit": "1"})
    )
    assert ArticlePage.objects.filter(title__startswith=TITLE).count() == 3
