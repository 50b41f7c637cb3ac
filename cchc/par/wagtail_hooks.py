from django.urls import path, reverse
from wagtail import hooks

from cchc.access import Action
from cchc.core import hooks as cchc_hooks
from cchc.lib.menus import ActionMenuItem
from cchc.par import hooks_work
from cchc.par.demo import load_criteria_sets
from cchc.par.views import (
    appraisal,
    assessment,
    comparison,
    dashboard,
    evidence,
    notifications,
    reports,
    results,
    year_admin,
)
from cchc.par.views import criteria as views

# Each part of the PAR year keeps its own back-office URLs and menu items in its
# views module; they are registered here, the one place Wagtail looks.
YEAR_VIEWS = (
    year_admin,
    assessment,
    evidence,
    appraisal,
    results,
    comparison,
    dashboard,
    reports,
    notifications,
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    base = "chi-so-cchc/bo-tieu-chi/"
    return [
        path(base, views.criteria_list, name="par_criteria_list"),
        path(f"{base}nhap/", views.criteria_import, name="par_criteria_import"),
        path(f"{base}<int:pk>/", views.criteria_detail, name="par_criteria_detail"),
        path(f"{base}<int:pk>/excel/", views.criteria_export_xlsx, name="par_criteria_xlsx"),
        path(f"{base}<int:pk>/yaml/", views.criteria_export_yaml, name="par_criteria_yaml"),
        path(f"{base}<int:pk>/sao-chep/", views.criteria_clone, name="par_criteria_clone"),
        path(f"{base}<int:pk>/khoa/", views.criteria_freeze, name="par_criteria_freeze"),
        path(f"{base}<int:pk>/phien-ban-moi/", views.criteria_revise, name="par_criteria_revise"),
        *[pattern for module in YEAR_VIEWS for pattern in module.urlpatterns],
    ]


@hooks.register("register_admin_menu_item")
def criteria_menu_item():
    return ActionMenuItem(
        "Bộ tiêu chí Chỉ số CCHC",
        reverse("par_criteria_list"),
        icon_name="list-ul",
        order=200,
        action=Action.VIEW_PAR_CRITERIA,
    )


@hooks.register(cchc_hooks.DEMO_LOAD, order=30)
def load_demo_criteria_sets(*, stdout, password):
    load_criteria_sets(stdout)
    from cchc.par.demo_2023 import load_year_2023  # the 2023 year needs the sets above

    load_year_2023(stdout)
    from cchc.par.demo_2026 import load_year_2026  # units at every stage of this year

    load_year_2026(stdout)


@hooks.register(cchc_hooks.NAV_ITEMS, order=20)
def par_results_nav_item():
    return ("Chỉ số CCHC", reverse("par:results_years"))


# A views module with a back-office menu entry defines menu_item() (an ActionMenuItem).
for _module in YEAR_VIEWS:
    if hasattr(_module, "menu_item"):
        hooks.register("register_admin_menu_item", _module.menu_item)


@hooks.register(cchc_hooks.WORK_ITEMS, order=10)
def par_work_items(*, user):
    return hooks_work.work_items(user=user)
