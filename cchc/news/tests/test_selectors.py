"""The read interface the statistics app and the evidence export rely on."""

import datetime

import pytest
from django.utils import timezone

from cchc.news.models import ArticlePage, SectionPage, Topic
from cchc.news.selectors import published_articles, section_for_unit

pytestmark = pytest.mark.django_db


def test_published_articles_carry_title_url_date_topic_and_unit(cast, publish):
    publish(cast.unit_a, "Tin một", Topic.MODELS)
    article = published_articles(unit_ids=[cast.unit_a.pk]).get()
    assert article.title == "Tin một"
    assert article.url.startswith("/don-vi/xa-an-phu/cchc/mo-hinh-hay/")
    assert article.first_published_at is not None
    assert article.topic == Topic.MODELS and article.get_topic_display() == Topic.MODELS.label
    assert article.unit == cast.unit_a


def test_published_articles_filter_by_units_and_year(cast, publish):
    publish(cast.unit_a, "Tin năm nay", days_ago=0)
    old = publish(cast.unit_b, "Tin năm trước")
    year = timezone.localdate().year
    ArticlePage.objects.filter(pk=old.pk).update(
        first_published_at=datetime.datetime(year - 1, 6, 1, tzinfo=datetime.UTC)
    )
    assert [a.title for a in published_articles(year=year)] == ["Tin năm nay"]
    assert [a.title for a in published_articles(unit_ids=[cast.unit_b.pk])] == ["Tin năm trước"]
    assert list(published_articles(unit_ids=[cast.unit_b.pk], year=year)) == []


def test_published_articles_leave_drafts_out(cast, publish):
    publish(cast.unit_a, "Tin nháp").unpublish()
    assert not published_articles().exists()


def test_section_for_unit(cast):
    assert section_for_unit(cast.unit_a) == SectionPage.objects.get(unit=cast.unit_a)
    assert section_for_unit(cast.province).url == "/cchc/"


def test_news_pages_expose_stats_target(cast, publish):
    article = publish(cast.unit_a, "Tin")
    section = section_for_unit(cast.unit_a)
    assert article.is_cchc_article is True
    assert article.stats_target() == (cast.unit_a.pk, section.pk, article.pk)
