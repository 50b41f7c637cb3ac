from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from cchc.news.models import ArticlePage, SectionPage, TopicPage
from cchc.news.selectors import live_articles

FEED_ITEMS = 20


class ArticleFeed(Feed):
    """RSS 2.0 for a section (all its topics) or a single topic."""

    feed_type = Rss201rev2Feed
    language = "vi"

    def get_object(self, request, page):
        return page

    def _section(self, page) -> SectionPage:
        return page.section if isinstance(page, TopicPage) else page

    def title(self, page) -> str:
        section = self._section(page)
        where = section.unit.name_in_sentence if section.is_province else section.unit.name
        if isinstance(page, TopicPage):
            return f"{page.title} – Cải cách hành chính – {where}"
        return f"Cải cách hành chính – {where}"

    def link(self, page) -> str:
        return page.url

    def description(self, page) -> str:
        section = self._section(page)
        return f"Tin, bài mới về cải cách hành chính của {section.unit.name}."

    def items(self, page):
        section = self._section(page)
        articles = live_articles()
        if not section.is_province:
            articles = articles.filter(unit_id__in=section.unit.lineage_ids())
        if isinstance(page, TopicPage):
            articles = articles.filter(topic=page.topic)
        return articles[:FEED_ITEMS]

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.summary

    def item_link(self, item: ArticlePage) -> str:
        return item.url

    def item_pubdate(self, item: ArticlePage):
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage):
        return item.last_published_at

    def item_author_name(self, item: ArticlePage) -> str:
        return item.unit.name if item.unit else ""

    def item_categories(self, item: ArticlePage):
        return [item.get_topic_display()] if item.topic else []

    def item_guid(self, item: ArticlePage) -> str:
        return f"cchc-tin-{item.pk}"

    item_guid_is_permalink = False
