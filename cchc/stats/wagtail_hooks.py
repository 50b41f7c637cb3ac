from django.urls import path, reverse
from wagtail import hooks

from cchc.access import Action
from cchc.core import hooks as cchc_hooks
from cchc.lib.menus import ActionMenuItem
from cchc.stats import views
from cchc.stats.demo import demo_load


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("thong-ke/", views.stats_home, name="cchc_stats_home"),
        path("thong-ke/<slug:slug>/", views.dashboard, name="cchc_stats_dashboard"),
        path("thong-ke/<slug:slug>/xuat.csv", views.export_csv, name="cchc_stats_csv"),
        path("thong-ke/<slug:slug>/xuat.xlsx", views.export_xlsx, name="cchc_stats_xlsx"),
        path(
            "thong-ke/<slug:slug>/minh-chung-1-4.xlsx",
            views.evidence_xlsx,
            name="cchc_stats_evidence",
        ),
    ]


@hooks.register("register_admin_menu_item")
def stats_menu_item():
    return ActionMenuItem(
        "Thống kê truy cập",
        reverse("cchc_stats_home"),
        icon_name="view",
        order=210,
        action=Action.VIEW_NEWS_STATS,
    )


@hooks.register(cchc_hooks.DEMO_LOAD, order=20)
def load_demo_visits(*, stdout, password):
    demo_load(stdout)  # after the demo articles, which it counts visits on
