import io

import pytest

from cchc.news import demo
from cchc.news.models import ArticlePage, Topic

pytestmark = pytest.mark.django_db


def test_the_demo_loader_adds_articles_across_all_topics_once(cast):
    demo.load(io.StringIO())
    count = ArticlePage.objects.live().count()
    assert count >= 5
    assert set(ArticlePage.objects.values_list("topic", flat=True)) == set(Topic.values)
    assert ArticlePage.objects.values("unit").distinct().count() >= 3
    demo.load(io.StringIO())
    assert ArticlePage.objects.count() == count
