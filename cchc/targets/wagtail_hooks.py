from wagtail import hooks

from cchc.core import hooks as cchc_hooks
from cchc.targets import hooks_work
from cchc.targets.views import links, plans, progress, rankings, report

VIEWS = (progress, report, plans, rankings, links)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [pattern for module in VIEWS for pattern in module.urlpatterns]


for _module in VIEWS:
    if hasattr(_module, "menu_item"):
        hooks.register("register_admin_menu_item", _module.menu_item)


@hooks.register(cchc_hooks.DEMO_LOAD, order=40)
def load_demo_targets(*, stdout, password):
    from cchc.targets.demo import load_demo

    load_demo(stdout)


@hooks.register(cchc_hooks.WORK_ITEMS, order=20)
def targets_work_items(*, user):
    return hooks_work.work_items(user=user)
