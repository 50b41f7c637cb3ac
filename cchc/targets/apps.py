from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "cchc.targets"
    label = "targets"
    verbose_name = "Chỉ tiêu cải cách hành chính"
