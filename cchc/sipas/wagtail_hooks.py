from wagtail import hooks

from cchc.core import hooks as cchc_hooks
from cchc.sipas import hooks_work
from cchc.sipas.views import collect, results, sampling, setup

# Back-office screens under /quan-tri/khao-sat-sipas/ (views/online.py is public: urls.py).
VIEWS = (setup, sampling, collect, results)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [pattern for module in VIEWS for pattern in module.urlpatterns]


for _module in VIEWS:
    if hasattr(_module, "menu_item"):
        hooks.register("register_admin_menu_item", _module.menu_item)


@hooks.register(cchc_hooks.DEMO_LOAD, order=50)
def load_demo_sipas(*, stdout, password):
    from cchc.sipas.demo import load_demo

    load_demo(stdout)


@hooks.register(cchc_hooks.WORK_ITEMS, order=30)
def sipas_work_items(*, user):
    return hooks_work.work_items(user=user)
