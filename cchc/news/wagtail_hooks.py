import datetime
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks

from cchc.access import Action
from cchc.core import hooks as cchc_hooks
from cchc.lib.menus import ActionMenuItem
from cchc.news import demo, media_hooks, page_access, review_hooks, services, views  # noqa: F401 (they register)
from cchc.news.models import ArticlePage, SectionPage, TopicPage

STRUCTURE_MESSAGE = (
    "Chuyên mục và các chủ đề Cải cách hành chính được tạo tự động và có địa chỉ cố định; "
    "không thể xóa hoặc di chuyển."
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("tin-bai/", views.desk_index, name="cchc_news_desk_index"),
        path("tin-bai/<slug:slug>/", views.desk, name="cchc_news_desk"),
    ]


@hooks.register("register_admin_menu_item")
def register_news_menu_item():
    return ActionMenuItem(
        "Tin bài CCHC",
        reverse("cchc_news_desk_index"),
        icon_name="doc-full",
        order=150,
        action=Action.EDIT_NEWS,
    )


DUPLICATE_WINDOW = datetime.timedelta(seconds=60)
# long enough for a double click, short enough that fixing a refused form and
# sending it again is never taken for a duplicate
CLAIM_SECONDS = 5
DUPLICATE_MESSAGE = "Tin «{title}» vừa được tạo; trang đã mở tin đó thay vì tạo thêm một tin trùng."


@hooks.register("before_create_page")
def create_an_article_once(request, parent_page, page_class):
    """A double click (or a browser resending the form) creates the article once.

    The second POST of the same title by the same person under the same topic within
    a minute opens the first one instead. The database is asked first (a resend after
    the first has been saved); for two requests in flight at once, a claim is taken in
    the cache for a few seconds (an atomic add, shared by the workers when the cache is
    Redis).
    """
    if request.method != "POST" or page_class is not ArticlePage:
        return None
    title = (request.POST.get("title") or "").strip()
    if not title:
        return None
    digest = hashlib.sha256(title.encode()).hexdigest()[:32]
    claim = f"cchc:news:create:{request.user.pk}:{parent_page.pk}:{digest}"
    earlier = (
        ArticlePage.objects.child_of(parent_page)
        .filter(title=title, owner=request.user, first_published_at__isnull=True)
        .filter(latest_revision_created_at__gte=timezone.now() - DUPLICATE_WINDOW)
        .order_by("pk")
        .first()
    )
    if earlier is None and cache.add(claim, 1, timeout=CLAIM_SECONDS):
        return None
    messages.info(request, DUPLICATE_MESSAGE.format(title=title))
    if earlier is None:  # the first request is still being saved
        return redirect("wagtailadmin_explore", parent_page.pk)
    return redirect("wagtailadmin_pages:edit", earlier.pk)


def _is_structure(page) -> bool:
    return isinstance(page.specific, SectionPage | TopicPage)


@hooks.register("before_delete_page")
def keep_sections(request, page):
    # Published links, RSS readers and units' embedded widgets use these URLs.
    if _is_structure(page) and not request.user.is_superuser:
        messages.error(request, STRUCTURE_MESSAGE)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_move_page")
def keep_sections_in_place(request, page, destination):
    if _is_structure(page) and not request.user.is_superuser:
        messages.error(request, STRUCTURE_MESSAGE)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("after_move_page")
def follow_topic(request, page):
    # Wagtail's move saves a plain Page, so the article's stored topic and
    # unit are refreshed here from its new parent.
    article = ArticlePage.objects.filter(pk=page.pk).first()
    if article is not None:
        article.sync_from_parent(article.get_parent())
        ArticlePage.objects.filter(pk=article.pk).update(
            topic=article.topic, unit_id=article.unit_id
        )
    return None


# Our own extension points (declared in cchc.core.hooks) ---------------------


@hooks.register(cchc_hooks.UNIT_CREATED)
def give_unit_its_section(*, unit):
    # The section, its five topics, the newsroom's two groups, their approval
    # workflow and their page, collection and model permissions.
    services.section_ensure(unit=unit)


@hooks.register(cchc_hooks.SITE_TREE, order=10)
def add_missing_sections(*, home):
    services.sections_ensure_missing()


@hooks.register(cchc_hooks.ROLE_CHANGED)
def sync_newsroom_groups(*, user):
    services.newsroom_sync_user(user)


@hooks.register(cchc_hooks.DEMO_LOAD, order=10)
def load_demo_articles(*, stdout, password):
    demo.load(stdout)


@hooks.register(cchc_hooks.NAV_ITEMS)
def news_nav_item():
    return ("Cải cách hành chính", "/cchc/")
