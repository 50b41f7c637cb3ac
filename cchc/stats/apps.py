from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "cchc.stats"
    label = "stats"
    verbose_name = "Thống kê truy cập"
