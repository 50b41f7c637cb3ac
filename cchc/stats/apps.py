from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "cchc.stats"
    label = "stats"
    verbose_name = "Thống kê truy cập"

    def ready(self) -> None:
        from cchc.core.demo import DEMO_LOADERS
        from cchc.stats.demo import demo_load

        if demo_load not in DEMO_LOADERS:
            DEMO_LOADERS.append(demo_load)
