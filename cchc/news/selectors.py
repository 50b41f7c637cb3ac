"""Read-only queries over the news section (used by views, stats and exports)."""

from __future__ import annotations

import datetime

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from wagtail.images import get_image_model

from cchc.lib.collation import vi_key
from cchc.lib.dates import day_range, year_range
from cchc.lib.text import accented_terms, query_terms
from cchc.news.models import ArticlePage, SectionPage
from cchc.org.models import Unit


def live_articles() -> QuerySet[ArticlePage]:
    """Published articles a visitor may read now.

    Expiry is checked here too, so an article disappears at expire_at even if
    the publish_scheduled job has not run yet.
    """
    return (
        ArticlePage.objects.live()
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))
        .select_related("unit")
        .order_by("-first_published_at", "-pk")
    )


def with_images(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    renditions = get_image_model().get_rendition_model().objects.all()
    return articles.select_related("lead_image").prefetch_related(
        Prefetch("lead_image__renditions", queryset=renditions)
    )


def published_articles(
    unit_ids: list[int] | None = None, year: int | None = None
) -> QuerySet[ArticlePage]:
    """Published articles, newest first, each with title, url, first_published_at,
    topic (value; get_topic_display() for the label) and unit (selected)."""
    articles = live_articles()
    if unit_ids is not None:
        articles = articles.filter(unit_id__in=unit_ids)
    if year is not None:
        start, end = year_range(year)
        articles = articles.filter(first_published_at__gte=start, first_published_at__lt=end)
    return articles


def section_for_unit(unit: Unit) -> SectionPage | None:
    return SectionPage.objects.filter(unit=unit).first()


def search(articles: QuerySet[ArticlePage], query: str) -> QuerySet[ArticlePage]:
    """Every folded query term must start a word of the article's folded text.

    Accents never hide an article ("de an" finds "Đề án"), but the words the
    reader typed with accents rank the articles that have them as written
    first: for "đề án", "Đề án 06" comes before "để" and "An Phú". Both are
    plain LIKEs over stored columns, so SQLite and PostgreSQL agree.
    """
    for term in query_terms(query):
        articles = articles.filter(search_text__contains=f" {term}")
    accented = accented_terms(query)
    if not accented:
        return articles
    scores = [
        Case(When(search_words__contains=f" {term}", then=Value(1)), default=Value(0))
        for term in accented
    ]
    if len(accented) > 1:
        # The accented words together, in the order typed.
        phrase = " ".join(accented)
        scores.append(
            Case(When(search_words__contains=f" {phrase}", then=Value(1)), default=Value(0))
        )
    ordering = articles.query.order_by or ("-first_published_at", "-pk")
    return articles.annotate(exact_score=sum(scores[1:], scores[0])).order_by(
        "-exact_score", *ordering
    )


def filter_articles(
    articles: QuerySet[ArticlePage],
    *,
    unit: Unit | None = None,
    unit_type: str = "",
    topic: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    query: str = "",
) -> QuerySet[ArticlePage]:
    if unit is not None:
        # A successor's list includes its predecessors' articles.
        articles = articles.filter(unit_id__in=unit.lineage_ids())
    if unit_type:
        articles = articles.filter(unit__unit_type=unit_type)
    if topic:
        articles = articles.filter(topic=topic)
    start, end = day_range(date_from, date_to)
    if start:
        articles = articles.filter(first_published_at__gte=start)
    if end:
        articles = articles.filter(first_published_at__lt=end)
    if query:
        articles = search(articles, query)
    return articles


def related_articles(article: ArticlePage, limit: int = 4) -> list[ArticlePage]:
    """Same topic, the author unit's own first, then the rest of the province."""
    same_topic = live_articles().filter(topic=article.topic).exclude(pk=article.pk)
    found = list(same_topic.filter(unit_id=article.unit_id)[:limit])
    if len(found) < limit:
        found += list(
            same_topic.exclude(unit_id=article.unit_id).exclude(pk__in=[a.pk for a in found])[
                : limit - len(found)
            ]
        )
    return found


def units_with_sections() -> list[Unit]:
    """Units that have a section, by type, then in Vietnamese order (not SQL's)."""
    units = Unit.objects.filter(cchc_section__isnull=False)
    return sorted(units, key=lambda u: (u.unit_type, vi_key(u.name)))
