from django.apps import AppConfig

NAV_ITEM = ("Cải cách hành chính", "/cchc/")


class NewsConfig(AppConfig):
    name = "cchc.news"
    label = "news"
    verbose_name = "Tin cải cách hành chính"

    def ready(self) -> None:
        from cchc.core.context_processors import NAV_ITEMS
        from cchc.core.demo import DEMO_LOADERS
        from cchc.core.site_tree import SITE_TREE_HOOKS
        from cchc.news import demo, services
        from cchc.org.services import ROLE_CHANGED_HOOKS, UNIT_CREATED_HOOKS

        for hooks, fn in (
            (UNIT_CREATED_HOOKS, services.on_unit_created),
            (SITE_TREE_HOOKS, services.on_site_tree),
            (ROLE_CHANGED_HOOKS, services.on_role_changed),
            (DEMO_LOADERS, demo.load),
        ):
            if fn not in hooks:
                hooks.append(fn)
        if NAV_ITEM not in NAV_ITEMS:
            NAV_ITEMS.append(NAV_ITEM)
