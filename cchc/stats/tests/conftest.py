"""Fixtures for the statistics tests: sections, an article, a beacon client."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cchc.stats import services

BROWSER_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; SM-A556E) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
)
TABLET_UA = (
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def _fresh_stats(settings):
    # Salts are cached per process and the counter per few seconds; tests
    # roll the database back, so both must start empty.
    services._salts.clear()
    services._admitted.clear()
    cache.clear()
    settings.STATS_COUNTER_CACHE_SECONDS = 0
    yield
    services._salts.clear()
    services._admitted.clear()


@pytest.fixture
def news(cast):
    """The province's and two units' CCHC sections and one published article of unit A."""
    from cchc.news.models import SectionPage, Topic, TopicPage
    from cchc.news.services import article_create

    sections = {s.unit_id: s for s in SectionPage.objects.all()}
    topic_a = TopicPage.objects.child_of(sections[cast.unit_a.pk]).get(topic=Topic.MODELS)
    article = article_create(
        actor=cast.approver_a,
        topic_page=topic_a,
        title="Mô hình “Một cửa số” ở xã An Phú",
        summary="Người dân nộp hồ sơ trực tuyến.",
        body="<p>Nội dung.</p>",
        publish=True,
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    return SimpleNamespace(
        province=sections[cast.province.pk],
        a=sections[cast.unit_a.pk],
        b=sections[cast.unit_b.pk],
        article=article,
    )


def token_for(page) -> str:
    """The beacon token of a news page, or of a bare Target."""
    if isinstance(page, services.Target):
        return services.target_token(page)
    return services.target_token(services.target_for_page(page))


# A target that needs no pages: enough for everything but the integration tests.
TARGET = services.Target(unit_id=5, section_id=50, page_id=51)


@pytest.fixture
def send(client):
    """send(page, ua=..., ip=..., referrer=...) posts the page's beacon; returns the response."""

    def post(page=None, *, token=None, ua=BROWSER_UA, ip="203.0.113.7", referrer=""):
        token = token if token is not None else token_for(page)
        return client.post(
            reverse("stats:beacon"),
            urlencode({"t": token, "r": referrer}),
            content_type="application/x-www-form-urlencoded",
            HTTP_USER_AGENT=ua,
            REMOTE_ADDR=ip,
        )

    return post
