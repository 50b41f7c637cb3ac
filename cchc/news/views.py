from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, redirect, render
from django.template import engines
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page, Site, WorkflowState

from cchc import access
from cchc.access import Action
from cchc.core import site_version
from cchc.lib.text import fold, query_terms
from cchc.news.forms import ArticleFilterForm, DeskFilterForm
from cchc.news.models import ArticlePage, SectionPage, TopicPage
from cchc.news.review import article_counts_by_unit
from cchc.news.selectors import (
    articles_in_order,
    content_version,
    filter_articles,
    first_page,
    fragment,
    live_articles,
    section_with_unit,
    topic_menu,
    unit_choices,
    unit_lineage_by_slug,
    units_with_sections,
    with_images,
)
from cchc.org import selectors as org_selectors
from cchc.org.selectors import unit_get_for_user

PER_PAGE = 10
LISTING_MAIN = "news/includes/listing_main.html"
WIDGET_ITEMS = 5


def stats_tags_available() -> bool:
    """Whether the stats app's template library exists yet.

    The beacon and counter are rendered through an include that is only
    compiled when this is true, so news pages render before (and without)
    the statistics app.
    """
    return "stats_tags" in engines["django"].engine.template_libraries


def _articles_for(request, section: SectionPage):
    if section.is_province:
        return live_articles()
    unit = section.unit
    lineage = fragment(f"lineage:{unit.pk}", content_version(request), unit.lineage_ids)
    return live_articles().filter(unit_id__in=lineage)


def listing_context(request, *, section: SectionPage, topic: TopicPage | None) -> dict:
    """The list shown by a section or topic page: filtered, searched, paginated.

    The province's section rolls up every unit's articles and offers the unit
    filters; a unit's section lists its own (and its predecessors') articles.
    """
    version = content_version(request)  # rarely changing parts are cached under it
    section_with_unit(section, version)
    name = f"{section.pk}:{topic.pk if topic else 0}"

    def articles(filters: dict):
        slug = filters.get("don_vi")
        return filter_articles(
            _articles_for(request, section),
            unit_ids=unit_lineage_by_slug(slug, version) if slug else None,
            unit_type=filters.get("loai_don_vi", ""),
            topic=topic.topic if topic else filters.get("chu_de", ""),
            date_from=filters.get("tu_ngay"),
            date_to=filters.get("den_ngay"),
            query=filters.get("tu_khoa", ""),
        )

    def first():
        # The page every visitor lands on: kept until the list changes.
        items, count, until = first_page(name, version, lambda: with_images(articles({})), PER_PAGE)
        paginator = Paginator(items, PER_PAGE)
        paginator.count = count  # the whole list's (a cached_property)
        return paginator.page(1), until

    def filter_form(data=None):
        choices = unit_choices(version) if section.is_province else []
        return ArticleFilterForm(data, unit_choices=choices)

    menu = topic_menu(section, version)
    context = {
        "section": section,
        "section_url": menu.section_url,
        "topic_page": topic,
        "topics": menu.topics,
        "show_unit": section.is_province,
        "rss_url": (menu.url_of(topic) if topic else menu.section_url) + "rss/",
        "stats_tags": stats_tags_available(),
    }
    if not request.GET:
        # The filters, the first page and its links as every visitor first sees
        # them: rendered once for this version of the list (per site: the links).
        # The objects are read only if asked for (tests, other templates).
        page_obj = SimpleLazyObject(lambda: first()[0])
        context.update(
            filter_form=SimpleLazyObject(filter_form),
            filtering=False,
            page_obj=page_obj,
            articles=SimpleLazyObject(lambda: page_obj.object_list),
        )

        def build():
            page, until = first()
            shown = {
                "filter_form": filter_form(),
                "page_obj": page,
                "articles": page.object_list,
                "listed": page.object_list,
            }
            return render_to_string(LISTING_MAIN, {**context, **shown}, request), until

        site = Site.find_for_request(request)
        key = f"news:main:{site.pk if site else 0}:{name}"
        context["main_html"] = site_version.cached_until(key, version, build)
        return context
    form = filter_form(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    number = request.GET.get("trang")
    if not any(filters.values()) and number in (None, "", "1"):
        page_obj, _ = first()
        listed = articles_shown = page_obj.object_list
    else:
        # Only the ids of the page: the cards are kept by article (article_cards),
        # the objects read only if asked for (tests, other templates).
        found = articles(filters)
        page_obj = Paginator(found.values_list("pk", flat=True), PER_PAGE).get_page(number)
        listed = list(page_obj.object_list)
        articles_shown = SimpleLazyObject(lambda: articles_in_order(listed))
    context.update(
        filter_form=form,
        filtering=any(filters.values()),
        page_obj=page_obj,
        articles=articles_shown,
        listed=listed,
    )
    return context


def widget(request, *, section: SectionPage):
    """The embeddable box: latest articles and the visit counter, in an iframe."""
    # Absolute links: the widget is shown inside another site's page. No
    # beacon here, or every view of that site would count as a section visit.
    articles = [
        (a, request.build_absolute_uri(a.get_url(request)))
        for a in _articles_for(request, section)[:WIDGET_ITEMS]
    ]
    response = TemplateResponse(
        request,
        "news/widget.html",
        {
            "section": section,
            "section_url": request.build_absolute_uri(section.get_url(request)),
            "page": section,
            "articles": articles,
            "stats_tags": stats_tags_available(),
        },
    )
    # The point of the widget is to be framed by the unit's own website.
    response.xframe_options_exempt = True
    # The rest of the policy stays: only who may frame it is opened.
    response._csp_replace = {"frame-ancestors": ["*"]}
    return response


def widget_script(request, slug: str | None = None):
    """A few lines of JavaScript that insert the widget's iframe where it is included.

    A plain Django URL (…/cchc/nhung.js): Wagtail does not serve paths with a dot.
    """
    section = get_object_or_404(
        SectionPage.objects.live().select_related("unit"),
        **({"unit__slug": slug} if slug else {"unit": org_selectors.province()}),
    )
    response = render(
        request,
        "news/widget.js",
        {
            "widget_url": request.build_absolute_uri(section.url + "nhung/"),
            "title": f"Tin cải cách hành chính – {section.unit.name}",
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Back office ---------------------------------------------------------------

DESK_PER_PAGE = 25


def _workflow_state(status: str) -> Exists:
    return Exists(
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=Cast(OuterRef("pk"), CharField()),
            status=status,
        )
    )


def desk_index(request):
    """Tin bài CCHC: straight to the user's unit, or the units they may edit,
    each with its drafts, articles waiting for approval and published ones."""
    access.require_anywhere(request.user, Action.EDIT_NEWS)
    if access.can_on_every_unit(request.user, Action.EDIT_NEWS):
        units = list(units_with_sections())
    else:
        units = [
            u
            for u in access.user_units(request.user)
            if access.can(request.user, Action.EDIT_NEWS, u)
        ]
    if len(units) == 1:
        return redirect("cchc_news_desk", slug=units[0].slug)
    form = DeskFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    terms = query_terms(filters.get("tu_khoa", ""))
    if terms:
        units = [u for u in units if all(f" {t}" in fold(u.name) for t in terms)]
    if filters.get("loai_don_vi"):
        units = [u for u in units if u.unit_type == filters["loai_don_vi"]]
    counts = article_counts_by_unit()
    empty = {"drafts": 0, "waiting": 0, "published": 0}
    rows = [(u, counts.get(u.pk, empty)) for u in units]
    if filters.get("cho_duyet"):
        rows = [row for row in rows if row[1]["waiting"]]
    # Where work waits comes first; otherwise the units keep their listed order.
    rows.sort(key=lambda row: -row[1]["waiting"])
    totals = {key: sum(c[key] for _, c in rows) for key in empty}
    return render(
        request,
        "news/admin/desk_index.html",
        {
            "rows": rows,
            "totals": totals,
            "form": form,
            "filtering": any(filters.values()),
        },
    )


def desk(request, slug):
    """A unit's newsroom: write in a topic, follow drafts, reviews and publications."""
    unit = unit_get_for_user(request.user, slug, action=Action.EDIT_NEWS)
    section = SectionPage.objects.filter(unit=unit).first()
    topics = list(TopicPage.objects.child_of(section).order_by("path")) if section else []
    articles = (
        ArticlePage.objects.filter(unit=unit)
        .annotate(
            in_review=_workflow_state(WorkflowState.STATUS_IN_PROGRESS),
            needs_changes=_workflow_state(WorkflowState.STATUS_NEEDS_CHANGES),
        )
        .select_related("owner")
        .order_by("-latest_revision_created_at", "-pk")
    )
    page_obj = Paginator(articles, DESK_PER_PAGE).get_page(request.GET.get("p"))
    return render(
        request,
        "news/admin/desk.html",
        {
            "unit": unit,
            "section": section,
            "topics": [
                (t, reverse("wagtailadmin_pages:add", args=["news", "articlepage", t.pk]))
                for t in topics
            ],
            "page_obj": page_obj,
            "can_approve": access.can(request.user, Action.APPROVE_NEWS, unit),
        },
    )
