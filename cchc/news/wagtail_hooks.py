from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks

from cchc.access import Action
from cchc.core import hooks as cchc_hooks
from cchc.core import site_version
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
        site_version.bump()  # past the signals: the lists kept under the version
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


@hooks.register(cchc_hooks.NAV_ITEMS, order=10)
def news_nav_item():
    return ("Cải cách hành chính", "/cchc/")
