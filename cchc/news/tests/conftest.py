"""Fixtures for the news tests: the shared cast plus helpers to write articles."""

from __future__ import annotations

import datetime

import pytest
from anyascii import anyascii
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cchc.news.models import ARTICLE_FEATURES, SectionPage, Topic, TopicPage
from cchc.news.services import article_create


def topic_of(unit, topic: Topic = Topic.ACTIVITIES) -> TopicPage:
    section = SectionPage.objects.get(unit=unit)
    return TopicPage.objects.child_of(section).get(topic=topic)


def add_url(topic_page: TopicPage) -> str:
    return reverse("wagtailadmin_pages:add", args=["news", "articlepage", topic_page.pk])


def article_form(title: str, *, body: str = "<p>Nội dung tin.</p>", **extra) -> dict:
    """The POST data of Wagtail's article form, as the browser would send it."""
    data = {
        "title": title,
        "slug": extra.pop("slug", slugify(anyascii(title))),
        "summary": extra.pop("summary", f"Tóm tắt: {title}."),
        "lead_image_caption": "",
        "body": rich_text(body, features=ARTICLE_FEATURES),
        "attachments": inline_formset([]),
        "search_description": "",
        "go_live_at": extra.pop("go_live_at", ""),
        "expire_at": extra.pop("expire_at", ""),
    }
    data.update(extra)
    return nested_form_data(data)


@pytest.fixture
def publish():
    """publish(unit, title, topic=..., days_ago=..., **fields) -> a live article."""

    def make(unit, title, topic=Topic.ACTIVITIES, days_ago=1, actor=None, **fields):
        fields.setdefault("summary", f"Tóm tắt: {title}.")
        fields.setdefault("body", f"<p>{title}. Nội dung chi tiết của tin.</p>")
        return article_create(
            actor=actor,
            topic_page=topic_of(unit, topic),
            title=title,
            publish=True,
            published_at=timezone.now() - datetime.timedelta(days=days_ago),
            **fields,
        )

    return make
