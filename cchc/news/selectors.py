"""Read-only queries over the news section (used by views, stats and exports)."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Case, Count, Min, Prefetch, Q, QuerySet, Value, When
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Site

from cchc.core import site_version
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
    unit_ids: list[int] | None = None,
    unit_type: str = "",
    topic: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    query: str = "",
) -> QuerySet[ArticlePage]:
    if unit_ids is not None:
        articles = articles.filter(unit_id__in=unit_ids)
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


def related_html(request, article: ArticlePage, version: int) -> str:
    """The article's related articles, rendered (kept until one of them expires)."""
    return kept_html(
        request,
        f"related:{article.pk}",
        version,
        "news/includes/related.html",
        lambda: related_articles(article),
        "related",
    )


def related_articles(article: ArticlePage, limit: int = 4) -> list[ArticlePage]:
    """Same topic, the author unit's own first, then the rest of the province (one query)."""
    own = Case(When(unit_id=article.unit_id, then=Value(0)), default=Value(1))
    return list(
        live_articles()
        .filter(topic=article.topic)
        .exclude(pk=article.pk)
        .annotate(other_unit=own)
        .order_by("other_unit", "-first_published_at", "-pk")[:limit]
    )


def units_with_sections() -> list[Unit]:
    """Units that have a section, by type, then in Vietnamese order (not SQL's)."""
    units = Unit.objects.filter(cchc_section__isnull=False)
    return sorted(units, key=lambda u: (u.unit_type, vi_key(u.name)))


# Fragments of public pages that change rarely ------------------------------
#
# The unit list, a section's topic menu, a page's breadcrumbs, the section's
# and the portal's contact footer are cached under the site's version
# (cchc/core/site_version.py), one number that every publication,
# unpublication, move, deletion, view restriction and unit change raises:
# a new article or a renamed unit shows at once, in every worker, without Redis.

FRAGMENT_SECONDS = site_version.CACHE_SECONDS


def content_version(request=None) -> int:
    """The version of the published content (one query per request)."""
    return site_version.current(request)


def fragment(name: str, version: int, build):
    """`build()`'s value, cached for this version of the content."""
    return site_version.cached(f"news:{name}", version, build)


def section_with_unit(section: SectionPage, version: int) -> SectionPage:
    """The section with its unit (a unit's own row is read fresh: it may be renamed)."""
    return section


class MenuItem(NamedTuple):
    pk: int
    url: str
    title: str


class TopicMenu(NamedTuple):
    section_url: str
    topics: list[MenuItem]

    def url_of(self, page) -> str:
        return next((t.url for t in self.topics if t.pk == page.pk), None) or page.url


def topic_menu(section: SectionPage, version: int) -> TopicMenu:
    """The section's address and its live topics' (each address costs a lookup)."""
    from cchc.news.models import TopicPage

    def build():
        topics = TopicPage.objects.child_of(section).live().order_by("path")
        return TopicMenu(section.url, [MenuItem(t.pk, t.url, t.title) for t in topics])

    return fragment(f"menu:{section.pk}", version, build)


# Lists of articles change when an article is published, unpublished, moved
# or deleted (the site's version is raised) and when one expires: they are
# kept under the version until the first expire_at among what they hold, so
# they read as the query would, without it.


def _first_expiry(articles) -> datetime.datetime | None:
    return min((a.expire_at for a in articles if a.expire_at is not None), default=None)


def kept_html(request, name: str, version: int, template: str, build, variable="articles") -> str:
    """`template` rendered with `build()`'s articles (the first few of a list) as
    `variable`, kept until one of them expires (per site: the links)."""

    def build_until():
        articles = list(build())
        html = render_to_string(template, {variable: articles, "request": request})
        return html, _first_expiry(articles)

    site = Site.find_for_request(request) if request is not None else None
    key = f"news:{name}:{site.pk if site else 0}"
    return site_version.cached_until(key, version, build_until)


CARD = "news/includes/article_card.html"


def articles_in_order(ids: list[int]) -> list[ArticlePage]:
    """The articles of these ids, with their unit and images, in the ids' order (one
    query, and one for the renditions); an id deleted meanwhile is left out."""
    by_pk = with_images(ArticlePage.objects.select_related("unit")).in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


def article_cards(request, articles, *, show_unit: bool, version: int) -> list[str]:
    """Each listed article's card (`articles`: the articles, or their ids), rendered
    once per version of the site and kept by article (per site: the links), so a
    list that misses every cache (filtered, searched, a later page) renders no card
    twice and reads only the ids of its page. The keys are the articles found,
    never the query string: a visitor cannot fill the cache."""
    site = Site.find_for_request(request) if request is not None else None
    prefix = f"news:card:{site.pk if site else 0}:{int(show_unit)}"
    items = list(articles)
    ids = [getattr(item, "pk", item) for item in items]

    def build(positions: list[int]) -> list[str]:
        given = {item.pk: item for item in items if not isinstance(item, int)}
        wanted = [ids[i] for i in positions if ids[i] not in given]
        if wanted:  # one query for the cards not kept, with their images
            given.update((a.pk, a) for a in articles_in_order(wanted))
        return [
            render_to_string(
                CARD, {"article": given[ids[i]], "show_unit": show_unit, "request": request}
            )
            if ids[i] in given
            else ""  # deleted since the list was read
            for i in positions
        ]

    return site_version.cached_each([f"{prefix}:{pk}" for pk in ids], version, build)


def first_page(
    name: str, version: int, make_articles, per_page: int
) -> tuple[list[ArticlePage], int, datetime.datetime | None]:
    """The first `per_page` of the list `make_articles()`, the list's length and
    when it next changes by itself: kept until one of the list's articles
    expires (an article further down changes the count)."""

    def build():
        articles = make_articles()
        page = list(articles[:per_page])
        if len(page) < per_page:
            until = _first_expiry(page)
            return (page, len(page), until), until
        figures = articles.order_by().aggregate(count=Count("pk"), until=Min("expire_at"))
        return (page, figures["count"], figures["until"]), figures["until"]

    return site_version.cached_until(f"news:list:{name}", version, build)


def unit_choices(version: int) -> list[tuple[str, str]]:
    """(slug, name) of the units offered by the province's filter.

    Plain strings, not Unit rows: unpickling 116 model instances from the
    cache on every section page cost more than rendering them.
    """
    return fragment(
        "unit_choices", version, lambda: [(u.slug, u.name) for u in units_with_sections()]
    )


def unit_lineage_by_slug(slug: str, version: int) -> list[int]:
    """The ids of the unit a filter names and of its predecessors (a successor's list
    includes their articles); the slug was checked against unit_choices."""

    def build() -> list[int]:
        unit = Unit.objects.filter(slug=slug).first()
        return unit.lineage_ids() if unit is not None else []

    return fragment(f"unit-lineage:{slug}", version, build)


def breadcrumbs(page, version: int) -> list[tuple[str, str]]:
    """(url, label) of the page's ancestors below the root."""

    def build():
        return [
            (crumb.get_url(), "Trang chủ" if crumb.depth == 2 else crumb.title)
            for crumb in page.get_ancestors()[1:]
        ]

    return fragment(f"crumbs:{page.pk}", version, build)


def public_context(request, page, section: SectionPage | None) -> dict:
    """What every public news page shows around its content, from the fragments."""
    version = content_version(request)
    if section is not None:
        section_with_unit(section, version)
    # The footer's home page: the context processor, from the same cache.
    return {"crumbs": breadcrumbs(page, version), "content_version": version}


def cached_section(request, page, path: str) -> None:
    """Give a topic or article page its section (with unit) from the fragments."""
    if "section" in page.__dict__:
        return

    def build():
        return SectionPage.objects.select_related("unit").filter(path=path).first() or False

    page.__dict__["section"] = fragment(f"section:{path}", content_version(request), build) or None


def article_with_parents(request, article: ArticlePage) -> None:
    """The article's topic page from the fragments (its section: cached_section)."""
    version = content_version(request)
    if "topic_page" not in article.__dict__:
        from cchc.news.models import TopicPage

        path = article.path[: -article.steplen]
        article.__dict__["topic_page"] = (
            fragment(
                f"topic:{path}",
                version,
                lambda: TopicPage.objects.filter(path=path).first() or False,
            )
            or None
        )
