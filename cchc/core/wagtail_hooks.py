"""Back-office help: our Vietnamese user guide instead of Wagtail's English links."""

from django.shortcuts import render
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cchc.core.guide import user_guide

# Wagtail's "What's new in Wagtail" and "Editor Guide" open English pages on
# wagtail.org; the keyboard shortcuts dialog stays (it is translated).
WAGTAIL_HELP_ITEMS = {"editor-guide"}
WAGTAIL_HELP_PREFIXES = ("whats-new-in-wagtail",)
# The dashboard banner pointing to the same English guide, and Wagtail's
# "awaiting your review", which runs one query per approval task (one per
# unit): cchc.org's MyWorkPanel lists the same articles in two queries.
WAGTAIL_HOME_PANELS = {"whats_new_in_wagtail_version", "workflow_objects_to_moderate"}


def user_guide_view(request):
    return render(request, "core/user_guide.html", {"guide": user_guide()})


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("huong-dan/", user_guide_view, name="cchc_user_guide")]


@hooks.register("register_help_menu_item")
def user_guide_menu_item():
    return MenuItem(
        "Hướng dẫn sử dụng",
        reverse("cchc_user_guide"),
        name="cchc-user-guide",
        icon_name="help",
        order=10,
    )


@hooks.register("construct_help_menu")
def drop_wagtail_guides(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in WAGTAIL_HELP_ITEMS and not item.name.startswith(WAGTAIL_HELP_PREFIXES)
    ]


@hooks.register("construct_homepage_panels")
def drop_wagtail_banner(request, panels):
    panels[:] = [p for p in panels if getattr(p, "name", "") not in WAGTAIL_HOME_PANELS]
